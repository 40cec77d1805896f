#!/usr/bin/env bash
# What telemetry costs each process, in CPU per append: the clusters of telemetry-cost.sh (one exporting to a
# standalone dashboard, one exporting nothing) take w=3 appends from [clients] connections for [seconds], in
# alternating rounds; each process's user+system CPU time (/proc/PID/stat) over a round is divided by the appends of
# that round. A figure that holds when the machine is shared, where throughput does not. Prints each round, then the
# median of each process. BENCH_KEEP=1 keeps the clusters running after the rounds (for a profiler), until Enter.
# Usage: [BENCH_WARMUP=30] [BENCH_LOG_LEVEL=Warning] bench/telemetry-cpu.sh [clients=64] [seconds=10] [rounds=3]
. "$(dirname "$0")/dashboard-lib.sh"
clients=${1:-64}; seconds=${2:-10}; rounds=${3:-3}
need wrk wrk
build
start_dashboard
declare -A master process
process[dashboard]=$dashboard_pid
start_cluster exporting on; master[on]=$cluster_url
process[on-secondary-1]=${pids[-3]}; process[on-secondary-2]=${pids[-2]}; process[on-master]=${pids[-1]}
start_cluster quiet off; master[off]=$cluster_url
process[off-secondary-1]=${pids[-3]}; process[off-secondary-2]=${pids[-2]}; process[off-master]=${pids[-1]}
append_script "$work/append.lua"

load() { wrk -t1 -c"$clients" -d"$1" -s "$work/append.lua" "${master[$2]}/messages"; }
# Warm-up, BENCH_WARMUP seconds each (30): JIT (tiered, with PGO), connections. The exporting cluster takes longer to
# reach its steady state (its first 10 s ran at half the rate of its later rounds), so a short one measures the JIT.
for mode in on off; do load "${BENCH_WARMUP:-30}s" "$mode" >/dev/null; done
hz=$(getconf CLK_TCK)
declare -A cost
for round in $(seq "$rounds"); do
  for mode in on off; do
    names=("$mode-master" "$mode-secondary-1" "$mode-secondary-2"); [ "$mode" = on ] && names+=(dashboard)
    declare -A before=()
    for name in "${names[@]}"; do before[$name]=$(ticks "${process[$name]}"); done
    result=$(load "${seconds}s" "$mode" | grep '^RESULT')
    appends=$(awk -v s="$seconds" '{ sub(/.*appends_per_s=/, ""); sub(/ .*/, ""); print $1 * s }' <<<"$result")
    line="round $round, telemetry $mode: ${result#RESULT } load $(cut -d' ' -f1 /proc/loadavg); µs/append:"
    for name in "${names[@]}"; do
      us=$(awk -v a="$(ticks "${process[$name]}")" -v b="${before[$name]}" -v hz="$hz" -v n="$appends" 'BEGIN { printf "%.1f", (a - b) * 1e6 / hz / n }')
      line+=" ${name#"$mode"-}=$us"; cost[$name]+=" $us"
    done
    echo "$line"
  done
done
for name in on-master off-master on-secondary-1 off-secondary-1 on-secondary-2 off-secondary-2 dashboard; do
  printf '%-16s %s µs/append (median of %s)\n' "$name" "$(median ${cost[$name]})" "$rounds"
done
echo "dashboard RSS $(rss_mb "$dashboard_pid") MB; pids: $(for n in "${!process[@]}"; do printf '%s=%s ' "$n" "${process[$n]}"; done)"
if [ -n "${BENCH_KEEP:-}" ]; then
  echo "masters: on ${master[on]}, off ${master[off]}; wrk script $work/append.lua; Enter stops"
  read -r
fi
