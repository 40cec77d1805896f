#!/usr/bin/env bash
# How much memory a master holds for its log: starts one master alone (Release build, no secondaries), appends
# [entries] messages of [bytes] UTF-8 bytes each (the load generator's "m<i>-" prefix included) with w=1 as fast as
# the load generator can, then prints the master process's resident set (VmRSS) and its peak (VmHWM). It does this
# once with the log in memory and once on disk (a temp directory, fsync Always); then restarts the on-disk master
# twice (the second after kill -9) and times how long it takes to be writable; cleans everything up.
# Usage: [BENCH_PORT=18300] [BENCH_CLIENTS=64] bench/memory.sh [entries] [bytes]
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-1000000}; bytes=${2:-128}; port=${BENCH_PORT:-18300}; clients=${BENCH_CLIENTS:-64}
url=http://127.0.0.1:$port
# The load generator sends "m<i>-" followed by its payload: size the payload so the longest message has [bytes].
payload=$((bytes - ${#entries} - 2))
[ "$payload" -ge 1 ] || { echo "messages of $bytes B cannot hold the m<i>- prefix" >&2; exit 2; }
dotnet build ReplicatedLog.sln -c Release -v q -nologo >/dev/null
master=ReplicatedLog.Master/bin/Release/net10.0/ReplicatedLog.Master
work=$(mktemp -d "${TMPDIR:-/tmp}/replicatedlog-memory-XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export Logging__LogLevel__Default=${BENCH_LOG_LEVEL:-Warning}

kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status"; }

# measure <label> [master arguments...]: one master, one load, one line.
measure() {
  local label=$1; shift
  "$master" --urls "$url" "$@" >"$work/master.log" 2>&1 & pid=$!
  for _ in $(seq 1 200); do
    curl -sf "$url/health" 2>/dev/null | grep -q '"readOnly":false' && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/master.log" >&2; exit 1; }
    sleep 0.1
  done
  if ! dotnet run -c Release bench/append-load.cs -- "$url" "$clients" "$entries" 1 "$payload" >"$work/load.log" 2>&1; then
    cat "$work/load.log" "$work/master.log" >&2; exit 1
  fi
  local rss hwm throughput
  rss=$(kib VmRSS); hwm=$(kib VmHWM)
  throughput=$(awk '/^throughput:/ { print $2 }' "$work/load.log")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "$label: $entries entries of $bytes B, RSS $((rss / 1024)) MB (peak $((hwm / 1024)) MB), $throughput appends/s"
}

measure "in memory"
measure "on disk" --Storage:Path="$work/log" --Storage:Fsync=Always

# How long a master holding the log on disk takes to take appends again after kill -9: replaying the segments and
# computing the log's running checksum, then its start-up. Timed from the process start to a writable /health.
restart() {
  local started elapsed
  started=$(date +%s%N)
  "$master" --urls "$url" --Storage:Path="$work/log" >"$work/master.log" 2>&1 & pid=$!
  until curl -sf "$url/health" 2>/dev/null | grep -q '"readOnly":false'; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/master.log" >&2; exit 1; }
    sleep 0.01
  done
  elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "$1: writable $elapsed ms after its start, holding $entries entries"
}
restart "restart on disk"
restart "restart after kill -9"
