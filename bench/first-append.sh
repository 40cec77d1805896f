#!/usr/bin/env bash
# How much slower a freshly started master's first append is than the ones after it. Each run starts two
# secondaries and a master (Release build), waits for the master's /health to answer (as a script would), appends
# at once, then 9 more times, and prints the first append's time beside the median of the others.
# Usage: bench/first-append.sh [runs] [w] [basePort]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; w=${2:-3}; base=${3:-18100}
dotnet build ReplicatedLog.sln -c Release -v q -nologo >/dev/null
bin() { echo "ReplicatedLog.$1/bin/Release/net10.0/ReplicatedLog.$1"; }
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; pids=(); }
trap cleanup EXIT
export Logging__LogLevel__Default=Warning
for run in $(seq 1 "$runs"); do
  "$(bin Secondary)" --urls "http://127.0.0.1:$((base + 1))" >/dev/null 2>&1 & pids+=($!)
  "$(bin Secondary)" --urls "http://127.0.0.1:$((base + 2))" >/dev/null 2>&1 & pids+=($!)
  until curl -sf "http://127.0.0.1:$((base + 1))/alive" >/dev/null && curl -sf "http://127.0.0.1:$((base + 2))/alive" >/dev/null; do sleep 0.05; done
  "$(bin Master)" --urls "http://127.0.0.1:$base" \
    --Replication:Secondaries="http://127.0.0.1:$((base + 1)),http://127.0.0.1:$((base + 2))" >/dev/null 2>&1 & pids+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$base/health"; do sleep 0.01; done
  times=()
  for i in $(seq 1 10); do
    times+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "http://127.0.0.1:$base/messages" \
      -d "{\"message\": \"m$i\", \"w\": $w}")")
  done
  statuses=$(printf '%s\n' "${times[@]}" | awk '$1 != 201 { printf " %s", $1 }')
  first=$(printf '%s\n' "${times[@]}" | head -1 | awk '{ printf "%.1f", $2 * 1000 }')
  median=$(printf '%s\n' "${times[@]}" | tail -n +2 | awk '{ print $2 * 1000 }' | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }')
  echo "run $run (w=$w): first append $first ms, median of the next 9 $median ms${statuses:+, statuses:$statuses}"
  cleanup
done
