#!/usr/bin/env bash
# The dashboard's memory under a steady load: a master and two secondaries (Release build) export to a standalone
# dashboard at its default bounds (10,000 spans and 10,000 log records per resource, ...) while wrk sends w=3
# appends of 128 B at up to [rate] a second (4 connections, each waiting 4/[rate] s after an answer before its next
# request, so it runs beside other work; the rate reached is printed) for [minutes]. The dashboard's RSS (VmRSS
# from /proc) is printed every minute with the appends so far; the last line gives it at the end and its maximum.
# Usage: [BENCH_LOG_LEVEL=Warning] bench/dashboard-soak.sh [minutes=60] [rate=100]
. "$(dirname "$0")/dashboard-lib.sh"
minutes=${1:-60}; rate=${2:-100}; connections=4
need wrk wrk
build
start_dashboard
start_cluster soak on
append_script "$work/append.lua" $((connections * 1000 / rate))
echo "minute 0: dashboard RSS $(rss_mb "$dashboard_pid") MB"

wrk -t1 -c"$connections" -d"${minutes}m" --timeout 30s -s "$work/append.lua" "$cluster_url/messages" >"$work/wrk.log" 2>&1 &
load=$!; pids+=("$load")
samples=()
for minute in $(seq "$minutes"); do
  if [ "$minute" -lt "$minutes" ]; then sleep 60; else wait "$load"; fi
  kill -0 "$dashboard_pid" 2>/dev/null || { echo "the dashboard exited:" >&2; tail -20 "$work/dashboard.log" >&2; exit 1; }
  samples+=("$(rss_mb "$dashboard_pid")")
  appended=$(curl -sf "$cluster_url/health" | python3 -c 'import json, sys; print(json.load(sys.stdin)["lastIndex"])')
  echo "minute $minute: dashboard RSS ${samples[-1]} MB, $appended appends so far"
done

result=$(grep '^RESULT' "$work/wrk.log") || { cat "$work/wrk.log" >&2; exit 1; }
echo "load: ${result#RESULT }"
max=$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)
echo "dashboard RSS after $minutes min of w=3 appends at $(sed -E 's/.*appends_per_s=([0-9]+).*/\1/' <<<"$result")/s (asked $rate/s):" \
  "${samples[-1]} MB at the end, max $max MB (default bounds)"
