#!/usr/bin/env bash
# How fast a secondary started empty catches up: a master (Release build, quorum off, its one secondary not yet
# started) takes [entries] appends of [bytes] bytes with w=1; then the secondary starts, empty, and the time from its
# start until it has applied everything the master holds is printed, with the rate. In memory unless
# BENCH_FSYNC=Always|None puts both logs on disk. It prints two rates: from the secondary's start (process start
# and the master's next heartbeat included) and from its first applied batch (the replication itself).
# Usage: [BENCH_FSYNC=...] bench/catch-up.sh [entries] [bytes]
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-1000000}; bytes=${2:-128}; port=${BENCH_PORT:-18600}
dotnet build ReplicatedLog.sln -c Release -v q -nologo >/dev/null
bin() { echo "ReplicatedLog.$1/bin/Release/net10.0/ReplicatedLog.$1"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/replicatedlog-catch-up-XXXXXX")
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export Logging__LogLevel__Default=Warning
storage() { [ -n "${BENCH_FSYNC:-}" ] && echo "--Storage:Path=$work/$1 --Storage:Fsync=$BENCH_FSYNC" || true; }
# A top-level number of /health (the first field of that name), without starting a Python per poll: the poller
# shares the two cores with the secondary it times.
field() { local v; v=$(curl -s "$1/health" | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2); echo "${v:-0}"; }
master=http://127.0.0.1:$port secondary=http://127.0.0.1:$((port + 1))
start_master() {
  "$(bin Master)" --urls "$master" --Quorum:Enabled=false $(storage master) "$@" >>"$work/master.log" 2>&1 &
  master_pid=$!; pids+=($master_pid)
  until curl -sf "$master/alive" >/dev/null; do sleep 0.1; done
}
if [ -n "${BENCH_FSYNC:-}" ]; then
  # A master on an empty directory that knows a secondary waits for it to adopt its log, and this one starts later:
  # a master that knows none writes the log, and the one measured is restarted on its directory.
  start_master --Replication:AdoptionWaitMs=0
else
  start_master --Replication:Secondaries="$secondary"
fi
# The load exits non-zero when an append failed: say so, instead of ending without a word.
dotnet run -c Release bench/append-load.cs -- "$master" 64 "$entries" 1 $((bytes - ${#entries} - 2)) >"$work/load.log" ||
  { echo "appends failed while the log was written:" >&2; cat "$work/load.log" "$work/master.log" >&2; exit 1; }
last=$(field "$master" lastIndex)
if [ -n "${BENCH_FSYNC:-}" ]; then
  kill "$master_pid"; wait "$master_pid" || true
  start_master --Replication:Secondaries="$secondary"
fi
started=$(date +%s%N)
"$(bin Secondary)" --urls "$secondary" $(storage secondary) >"$work/secondary.log" 2>&1 & pids+=($!)
first=
while :; do
  applied=$(field "$secondary" appliedIndex)
  [ -z "$first" ] && [ "$applied" -gt 0 ] && first=$(date +%s%N) && first_applied=$applied
  [ "$applied" -ge "$last" ] && break
  sleep 0.02
done
done_at=$(date +%s%N)
elapsed=$(( (done_at - started) / 1000000 ))
transfer=$(( (done_at - first) / 1000000 ))
echo "catch-up: $last entries of $bytes B in $elapsed ms from the secondary's start, $(( last * 1000 / elapsed )) entries/s;" \
  "$((last - first_applied)) entries in $transfer ms from the first batch applied, $(( (last - first_applied) * 1000 / (transfer > 0 ? transfer : 1) )) entries/s"
