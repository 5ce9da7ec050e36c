#!/usr/bin/env bash
# Builds the Job controller oracle against one pinned k8s.io/kubernetes version into
# ${XDG_CACHE_HOME:-~/.cache}/kubectl-job-oracle/job/<version>/job-oracle and prints its path.
# The package's unexported syncJob and clock constructor are reached through `go build -overlay`,
# which adds hook/common.go.in and one constructor seam to pkg/controller/job (no controller code
# is copied). Usage: test/go/job-oracle/build.sh v1.37.2
set -euo pipefail
version=${1:?usage: build.sh vX.Y.Z}
src=$(cd "$(dirname "$0")" && pwd)
cd "$src"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
modfile="mod/${version}.mod"
[[ -f $modfile ]] || { echo "no $modfile: run gen-mod.sh ${version}" >&2; exit 2; }
out_dir="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-job-oracle/job/${version}"
mkdir -p "$out_dir"
binary="$out_dir/job-oracle"
# One build per version at a time (parallel test runs share the cache directory).
exec 9>"$out_dir/lock"
flock 9
stamp=$(cat main.go hook/*.go.in "$modfile" "mod/${version}.sum" build.sh | sha256sum | cut -c1-16)
if [[ -x $binary && -f $out_dir/stamp && $(cat "$out_dir/stamp") == "$stamp" ]]; then
  echo "$binary"
  exit 0
fi
moddir=$(go list -modfile "$modfile" -m -f '{{.Dir}}' k8s.io/kubernetes)
# Go refuses overlays beneath GOMODCACHE, so the module is mirrored as a tree of symlinks
# (real directories only along pkg/controller/job) outside it, and a copy of the go.mod points
# k8s.io/kubernetes there. Every source file is still the module cache's own.
farm="$out_dir/src/kubernetes"
rm -rf "$out_dir/src"
mkdir -p "$farm"
link_level() { # $1 real dir, $2 farm dir, $3 the child to descend into (empty: link everything)
  local e
  for e in "$1"/* "$1"/.[!.]*; do
    [[ -e $e ]] || continue
    [[ -n $3 && $(basename "$e") == "$3" ]] && continue
    ln -s "$e" "$2/$(basename "$e")"
  done
  if [[ -n $3 ]]; then mkdir -p "$2/$3"; fi
}
link_level "$moddir" "$farm" pkg
link_level "$moddir/pkg" "$farm/pkg" controller
link_level "$moddir/pkg/controller" "$farm/pkg/controller" job
link_level "$moddir/pkg/controller/job" "$farm/pkg/controller/job" ""
pkgdir="$farm/pkg/controller/job"
sed '/^replace (/a\	k8s.io/kubernetes => '"$farm"'' "$modfile" > "$out_dir/build.mod"
cp "mod/${version}.sum" "$out_dir/build.sum"
if grep -q 'func newControllerWithClock(ctx context.Context, podInformer' "$pkgdir/job_controller.go"; then
  ctor=hook/ctor-informers-first.go.in
else
  ctor=hook/ctor-client-first.go.in
fi
cat > "$out_dir/overlay.json" <<JSON
{"Replace": {
  "$pkgdir/zz_oracle_hook.go": "$src/hook/common.go.in",
  "$pkgdir/zz_oracle_ctor.go": "$src/$ctor"
}}
JSON
go build -buildvcs=false -modfile "$out_dir/build.mod" -overlay "$out_dir/overlay.json" -o "$binary.tmp.$$" . >&2
mv "$binary.tmp.$$" "$binary"
echo "$stamp" > "$out_dir/stamp"
echo "$binary"
