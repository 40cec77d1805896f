#!/usr/bin/env bash
# How throughput scales with the number of secondaries: two clusters (Release build, logs in memory, nothing
# exported) run side by side, one with a master and 2 secondaries and one with a master and [many] secondaries; wrk
# sends appends of 128 B at w=majority from [clients] connections for [seconds], in rounds alternating between them so
# the machine's drift hits both. Each round is printed with the master's CPU per append; the last line is the ratio
# of the medians (many / 2). Issue 10 asks for at least 0.60 with 8 secondaries.
# Usage: [BENCH_WARMUP=30] [BENCH_LOG_LEVEL=Warning] [BENCH_FSYNC=Always] bench/scale.sh [many=8] [clients=64] [seconds=10] [rounds=3]
. "$(dirname "$0")/dashboard-lib.sh"
many=${1:-8}; clients=${2:-64}; seconds=${3:-10}; rounds=${4:-3}
need wrk wrk
build
declare -A master master_pid
for n in 2 "$many"; do
  BENCH_SECONDARIES=$n start_cluster "with-$n" off
  master[$n]=$cluster_url; master_pid[$n]=${cluster_pids[0]}
done
append_script "$work/append.lua" "" majority

load() { wrk -t1 -c"$clients" -d"$1" -s "$work/append.lua" "${master[$2]}/messages"; }
for n in 2 "$many"; do load "${BENCH_WARMUP:-30}s" "$n" >/dev/null; done
hz=$(getconf CLK_TCK)
declare -A rates=([2]="" [$many]="")
for round in $(seq "$rounds"); do
  for n in 2 "$many"; do
    before=$(ticks "${master_pid[$n]}")
    result=$(load "${seconds}s" "$n" | grep '^RESULT')
    rate=$(sed -E 's/.*appends_per_s=([0-9]+).*/\1/' <<<"$result")
    us=$(awk -v a="$(ticks "${master_pid[$n]}")" -v b="$before" -v hz="$hz" -v n="$((rate * seconds))" 'BEGIN { printf "%.1f", (a - b) * 1e6 / hz / n }')
    echo "round $round, $n secondaries: ${result#RESULT } master µs/append=$us load $(cut -d' ' -f1 /proc/loadavg)"
    rates[$n]+=" $rate"
  done
done
a=$(median ${rates[$many]}); b=$(median ${rates[2]})
echo "$many secondaries / 2 secondaries: $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }') ($many: $a/s, 2: $b/s; w=majority, $clients clients, medians of $rounds x ${seconds}s)"
