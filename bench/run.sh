#!/usr/bin/env bash
# Starts a master and two secondaries (Release build, logs to bench/out/), runs the load generator against them,
# and stops them again. Usage: [BENCH_FSYNC=Always|None] bench/run.sh [clients] [appends] [w] [messageBytes]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-64}; appends=${2:-50000}; w=${3:-3}; size=${4:-64}
out=bench/out; mkdir -p "$out"
dotnet build ReplicatedLog.sln -c Release -v q -nologo >/dev/null
bin() { echo "ReplicatedLog.$1/bin/Release/net10.0/ReplicatedLog.$1"; }
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
export Logging__LogLevel__Default=${BENCH_LOG_LEVEL:-Warning}
# BENCH_FSYNC=Always or None keeps each node's log on disk (in bench/out/data, wiped first); unset: in memory.
storage() { :; }
if [ -n "${BENCH_FSYNC:-}" ]; then
  rm -rf "$out/data"
  storage() { echo "--Storage:Path=$out/data/$1" "--Storage:Fsync=$BENCH_FSYNC"; }
fi
"$(bin Secondary)" --urls http://127.0.0.1:18001 $(storage secondary-1) >"$out/secondary-1.log" 2>&1 & pids+=($!)
"$(bin Secondary)" --urls http://127.0.0.1:18002 $(storage secondary-2) >"$out/secondary-2.log" 2>&1 & pids+=($!)
"$(bin Master)" --urls http://127.0.0.1:18000 $(storage master) \
  --Replication:Secondaries=http://127.0.0.1:18001,http://127.0.0.1:18002 >"$out/master.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do
  curl -sf http://127.0.0.1:18000/health | grep -q '"readOnly":false' && break
  sleep 0.1
done
dotnet run -c Release bench/append-load.cs -- http://127.0.0.1:18000 "$clients" "$appends" "$w" "$size"
