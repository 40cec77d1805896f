#!/usr/bin/env bash
# A soak: a master and 2 secondaries (Release build), each keeping its log on disk (BENCH_FSYNC, Always unless set;
# None for the OS to flush; Memory for in-memory logs), take w=3 appends of 128 B from [clients] connections (wrk,
# closed loop) for [minutes], one wrk run a minute. Each minute prints its throughput, p50/p99, errors and each
# process's resident memory; the last line compares the last minute's throughput with the first's and says whether
# any append failed. Issue 10 asks for 10 minutes at 64 clients: last minute within 10 % of the first, memory flat
# once the store's cache is full, no errors.
# Usage: [BENCH_WARMUP=30] [BENCH_FSYNC=Always|None|Memory] bench/soak.sh [minutes=10] [clients=64]
. "$(dirname "$0")/dashboard-lib.sh"
minutes=${1:-10}; clients=${2:-64}
need wrk wrk
export BENCH_FSYNC=${BENCH_FSYNC:-Always}
[ "$BENCH_FSYNC" = Memory ] && unset BENCH_FSYNC
build
start_cluster soak off
append_script "$work/append.lua"
names=(master secondary-1 secondary-2)
load() { wrk -t1 -c"$clients" -d"$1" -s "$work/append.lua" "$cluster_url/messages"; }
load "${BENCH_WARMUP:-30}s" >/dev/null
first="" last="" failed=0
for minute in $(seq "$minutes"); do
  result=$(load 60s | grep '^RESULT')
  rate=$(sed -E 's/.*appends_per_s=([0-9]+).*/\1/' <<<"$result")
  bad=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(non2xx|errors)=/) { split($i, kv, "="); n += kv[2] } } END { print n + 0 }' <<<"$result")
  failed=$((failed + bad)); first=${first:-$rate}; last=$rate
  line="minute $minute: ${result#RESULT } RSS MB:"
  for k in "${!names[@]}"; do line+=" ${names[$k]}=$(rss_mb "${cluster_pids[$k]}")"; done
  echo "$line$([ -n "${BENCH_FSYNC:-}" ] && echo " disk $(du -sm "$work/soak" | cut -f1) MB")"
done
echo "soak: last minute / first = $(awk -v a="$last" -v b="$first" 'BEGIN { printf "%.2f", a / b }') (first $first/s, last $last/s), $failed failed appends; w=3, $clients clients, $minutes min, storage ${BENCH_FSYNC:-in memory}"
