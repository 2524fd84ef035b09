#!/usr/bin/env bash
# Times plain `bantin build`s of one site by several binaries, alternating them
# so that the shared machine's load falls on each alike: one line a build (wall
# seconds, user+system CPU seconds, peak KB), then the medians of each binary.
#
#   bench/full_builds.sh SITE RUNS fresh|existing BINARY...
#
# `fresh` removes the output before each build (a first build, as CI makes it);
# `existing` builds over the binary's last output (a clerk's second build: the
# old output is replaced and removed). Outputs go to $OUT (default /dev/shm/full-builds).
set -euo pipefail
site=$1 runs=$2 mode=$3
shift 3
out_root=${OUT:-/dev/shm/full-builds}
mkdir -p "$out_root"
log=$(mktemp)
for _ in $(seq "$runs"); do
  for i in $(seq $#); do
    binary=${!i}
    out=$out_root/out-$i
    [ "$mode" = fresh ] && rm -rf "$out"
    /usr/bin/time -f "$i %e %U %S %M" "$binary" build --root "$site" --out "$out" \
      2>&1 >/dev/null | grep -E "^$i [0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$" | tee -a "$log"
  done
done
echo "medians over $runs runs each (wall s, CPU s, peak MB):"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for i in $(seq $#); do
  wall=$(awk -v i="$i" '$1 == i { print $2 }' "$log" | median)
  cpu=$(awk -v i="$i" '$1 == i { print $3 + $4 }' "$log" | median)
  peak=$(awk -v i="$i" '$1 == i { print int($5 / 1024) }' "$log" | median)
  echo "  ${!i}  $wall s  $cpu s  $peak MB"
done
rm -rf "$log" "$out_root"
