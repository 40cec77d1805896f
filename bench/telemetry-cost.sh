#!/usr/bin/env bash
# What telemetry costs: w=3 appends of 128 B from [clients] connections (wrk, closed loop) for [seconds] against two
# clusters of a master and two secondaries (Release build, logs in memory) running side by side, one exporting its
# traces, metrics and logs to a standalone dashboard as the AppHost wires it (OTLP/HTTP with the API key, batches
# every second), the other exporting nothing. Rounds alternate on, off, on, off ... so the machine's drift hits both;
# each round is printed, and the last line is the ratio of the medians.
# Usage: [BENCH_WARMUP=30] [BENCH_LOG_LEVEL=Warning] [BENCH_FSYNC=Always] bench/telemetry-cost.sh [clients=64] [seconds=10] [rounds=3]
. "$(dirname "$0")/dashboard-lib.sh"
clients=${1:-64}; seconds=${2:-10}; rounds=${3:-3}
need wrk wrk
build
start_dashboard
declare -A master
start_cluster exporting on; master[on]=$cluster_url
start_cluster quiet off; master[off]=$cluster_url
append_script "$work/append.lua"

load() { wrk -t1 -c"$clients" -d"$1" -s "$work/append.lua" "${master[$2]}/messages"; }
# Warm-up, BENCH_WARMUP seconds each (30): JIT (tiered, with PGO), connections. The exporting cluster takes longer to
# reach its steady state (its first 10 s ran at half the rate of its later rounds), so a short one measures the JIT.
for mode in on off; do load "${BENCH_WARMUP:-30}s" "$mode" >/dev/null; done
declare -A rates=([on]="" [off]="")
for round in $(seq "$rounds"); do
  for mode in on off; do
    result=$(load "${seconds}s" "$mode" | grep '^RESULT')
    echo "round $round, telemetry $mode: ${result#RESULT }"
    rates[$mode]+=" $(sed -E 's/.*appends_per_s=([0-9]+).*/\1/' <<<"$result")"
  done
done

# The exporting cluster's telemetry did reach the dashboard (a figure of a broken export would flatter it).
spans=$(curl -sf -b "$work/cookies" "$dashboard_url/api/telemetry/traces?limit=5000" | python3 -c 'import json, sys; print(sum(t["spans"] for t in json.load(sys.stdin)))')
[ "$spans" -gt 0 ] || { echo "the dashboard holds no spans: the export did not work" >&2; tail "$work/exporting-master.log" >&2; exit 1; }
echo "dashboard: $spans spans kept in its last 5,000 traces, RSS $(rss_mb "$dashboard_pid") MB"

on=$(median ${rates[on]}); off=$(median ${rates[off]}); level=${BENCH_LOG_LEVEL:-Information, as the AppHost runs them}
echo "telemetry on/off: $(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.2f", a / b }') (on $on/s, off $off/s; w=3, $clients clients, medians of $rounds x ${seconds}s, logs at $level)"
