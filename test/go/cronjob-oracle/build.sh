#!/usr/bin/env bash
# Builds (once) the CronJob controller oracle for one Kubernetes version and prints the binary's
# path as the LAST line of stdout (progress on stderr). The binary is cached in
# ${KUBECTL_JOB_ORACLE_CACHE:-~/.cache/kubectl-job-oracle}/<name>-<version>-<go>-<hash>/, keyed on
# main.go, hook.go.in and versions/<version>/go.{mod,sum}; a second call is a no-op.
#
#   test/go/cronjob-oracle/build.sh v1.36.3
#
# hook.go.in is added to (the vendored) k8s.io/kubernetes/pkg/controller/cronjob with `go build -overlay` (it
# exports OracleSync: the unexported sync with an injected clock). Nothing of Kubernetes is copied.
# Exit codes: 0 ok, 3 no Go toolchain, 4 no versions/<version>/go.mod (run gen-mod.sh), else build failed.
set -euo pipefail
version="${1:?usage: build.sh vX.Y.Z}"
here="$(cd "$(dirname "$0")" && pwd)"
name="$(basename "$here")"
moddir="$here/versions/$version"
[ -f "$moddir/go.mod" ] || { echo "build.sh: no $moddir/go.mod (run gen-mod.sh $version)" >&2; exit 4; }
command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && export PATH="/usr/local/go/bin:$PATH"; }
command -v go >/dev/null 2>&1 || { echo "build.sh: no Go toolchain on PATH" >&2; exit 3; }
export GOTOOLCHAIN=local GOFLAGS="-buildvcs=false"
go_version="$(go env GOVERSION)"
sum="$(cat "$here/main.go" "$here/hook.go.in" "$moddir/go.mod" "$moddir/go.sum" | sha256sum | cut -c1-12)"
out="${KUBECTL_JOB_ORACLE_CACHE:-$HOME/.cache/kubectl-job-oracle}/$name-$version-$go_version-$sum"
bin="$out/oracle"
[ -x "$bin" ] && { echo "$bin"; exit 0; }

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
[ -x "$bin" ] && { echo "$bin"; exit 0; }

src="$out/src"
rm -rf "$src" && mkdir -p "$src"
cp "$here/main.go" "$moddir/go.mod" "$moddir/go.sum" "$src/"
start=$(date +%s)
(
  cd "$src"
  # Overlays may not touch the module cache, so the build reads a vendor tree and the hook is
  # overlaid into vendor/k8s.io/kubernetes/pkg/controller/cronjob.
  go mod vendor >&2
  pkgdir="$src/vendor/k8s.io/kubernetes/pkg/controller/cronjob"
  [ -d "$pkgdir" ] || { echo "build.sh: $pkgdir missing after go mod vendor" >&2; exit 1; }
  printf '{"Replace":{"%s/zz_kubectl_job_oracle_hook.go":"%s"}}\n' "$pkgdir" "$here/hook.go.in" >"$out/overlay.json"
  echo "build.sh: building $name for $version with $go_version" >&2
  go build -mod=vendor -trimpath -overlay "$out/overlay.json" -o "$bin.tmp" .
)
mv -f "$bin.tmp" "$bin"
echo "$(( $(date +%s) - start ))" >"$out/build-seconds"
echo "build.sh: built $name $version in $(( $(date +%s) - start ))s" >&2
echo "$bin"
