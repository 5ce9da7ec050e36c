#!/usr/bin/env bash
# Builds (once) the cluster binaries the e2e harness runs: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kubelet, from the Go module proxy through
# the wrapper module in test/go/control-plane (one multi-call binary plus symlinks).
#
# Prints the directory holding the five executables as the LAST line of stdout;
# progress goes to stderr. Idempotent: a second call is a no-op.
#
#   E2E_K8S_VERSION                   Kubernetes version to build: the one in test/go/control-plane/go.mod
#                                     (the default) or one with test/go/control-plane/versions/<v>.mod
#   E2E_BIN_DIR / KUBEBUILDER_ASSETS  use this directory if it has all five binaries
#   KUBECTL_JOB_E2E_CACHE             cache root (default ~/.cache/kubectl-job-e2e); each version
#                                     (and module content) has its own directory, side by side
#
# Exit codes: 0 ok, 3 no Go toolchain (callers may skip outside CI), 4 unknown E2E_K8S_VERSION,
# other = build failed.
set -euo pipefail

components=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet)

has_all() { local d="$1" c; for c in "${components[@]}"; do [ -x "$d/$c" ] || return 1; done; }

for d in "${E2E_BIN_DIR:-}" "${KUBEBUILDER_ASSETS:-}"; do
  if [ -n "$d" ] && has_all "$d"; then echo "build.sh: using prebuilt binaries in $d" >&2; echo "$d"; exit 0; fi
done

here="$(cd "$(dirname "$0")" && pwd)"
mod="$(cd "$here/../../go/control-plane" && pwd)"

mod_version() { awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$2"; }
# The default version's module is go.mod itself; other versions are alternative module files
# (go build -modfile; the go.sum beside each).
modfile="$mod/go.mod"
default_version="$(mod_version k8s.io/kubernetes "$modfile")"
if [ -n "${E2E_K8S_VERSION:-}" ] && [ "$E2E_K8S_VERSION" != "$default_version" ]; then
  modfile="$mod/versions/$E2E_K8S_VERSION.mod"
  if [ ! -f "$modfile" ]; then
    echo "build.sh: no module for Kubernetes $E2E_K8S_VERSION: known are $default_version (default) and" \
      "$(cd "$mod/versions" && ls -- *.mod 2>/dev/null | sed 's/\.mod$//' | tr '\n' ' ')" >&2
    exit 4
  fi
fi
sumfile="${modfile%.mod}.sum"
k8s_version="$(mod_version k8s.io/kubernetes "$modfile")"
etcd_version="$(mod_version go.etcd.io/etcd/server/v3 "$modfile")"

if ! command -v go >/dev/null 2>&1; then
  [ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: no Go toolchain on PATH; cannot build kube-apiserver $k8s_version / etcd $etcd_version" >&2
  exit 3
fi
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false"
go_version="$(go env GOVERSION)"

# The cache key covers the versions and the wrapper module's exact content.
sum="$(cat "$modfile" "$sumfile" "$mod/main.go" | sha256sum | cut -c1-12)"
out="${KUBECTL_JOB_E2E_CACHE:-$HOME/.cache/kubectl-job-e2e}/k8s-$k8s_version-etcd-$etcd_version-$go_version-$sum/bin"

if has_all "$out"; then echo "$out"; exit 0; fi

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9   # another process may be building the same thing: wait for it
if has_all "$out"; then echo "$out"; exit 0; fi

echo "build.sh: building kube-apiserver/controller-manager/scheduler/kubelet $k8s_version + etcd $etcd_version with $go_version into $out" >&2
echo "build.sh: a cold build takes a long time on 2 cores (see test/e2e/harness/README.md)" >&2
start=$(date +%s)
pkg=k8s.io/component-base/version
minor="${k8s_version#v1.}"; minor="${minor%%.*}"
ldflags="-s -w -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
(
  cd "$mod"
  # -x would be too loud; print a heartbeat so CI logs show progress.
  ( while sleep 60; do echo "build.sh: still building ($(( $(date +%s) - start ))s)" >&2; done ) &
  beat=$!
  trap 'kill $beat 2>/dev/null || true' EXIT
  go build -modfile="$modfile" -mod=readonly -trimpath -ldflags "$ldflags" -o "$out/control-plane.tmp" .
)
mv -f "$out/control-plane.tmp" "$out/control-plane"
for c in "${components[@]}"; do ln -sfn control-plane "$out/$c"; done
echo "build.sh: built in $(( $(date +%s) - start ))s" >&2
echo "$out"
