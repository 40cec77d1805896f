# Sourced by the dashboard's figure scripts (telemetry-cost.sh, dashboard-soak.sh, trace-visible.sh), not run: a
# Release build; a standalone dashboard (ReplicatedLog.Dashboard as a process of its own, with a browser token and an
# OTLP key, as the AppHost starts it); clusters of a master and two secondaries started by their configuration
# contract, each exporting to the dashboard with the variables the AppHost gives (OTEL_EXPORTER_OTLP_*, 1 s batches)
# or exporting nothing; a wrk script of w=3 appends. Every port is a free one on 127.0.0.1; every process started is
# stopped on exit, and the scratch directory removed. The services log as the AppHost runs them unless
# BENCH_LOG_LEVEL says a level (Logging__LogLevel__Default); BENCH_FSYNC=Always|None keeps their logs on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/replicatedlog-bench-XXXXXX")
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "needs $1 (apt-get install $2)" >&2; exit 1; }; }
build() {
  dotnet build ReplicatedLog.sln -c Release -v q -nologo >"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; exit 1; }
}
bin() { echo "$PWD/ReplicatedLog.$1/bin/Release/net10.0/ReplicatedLog.$1"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
secret() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
rss_mb() { awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# ticks PID: the process's user + system CPU time so far, in clock ticks (getconf CLK_TCK a second).
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wait_until URL PID LOG [GREP]: polls URL (for GREP in its body) for up to 60 s; shows LOG if PID exits first.
wait_until() {
  local url=$1 pid=$2 log=$3 pattern=${4:-} deadline=$((SECONDS + 60))
  until curl -sf -m 2 "$url" 2>/dev/null | grep -q -- "$pattern"; do
    kill -0 "$pid" 2>/dev/null || { echo "exited before $url answered:" >&2; tail -20 "$log" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "$url did not answer in 60 s" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.1
  done
}

# start_dashboard: sets dashboard_url, dashboard_pid, otlp_url, otlp_key, and $work/cookies (logged in).
start_dashboard() {
  local token grpc
  token=$(secret); otlp_key=$(secret); grpc=$(free_port)
  dashboard_url=http://127.0.0.1:$(free_port); otlp_url=http://127.0.0.1:$(free_port)
  env ASPNETCORE_URLS="$dashboard_url" ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="$otlp_url" \
    ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$grpc" \
    Dashboard__Frontend__AuthMode=BrowserToken Dashboard__Frontend__BrowserToken="$token" \
    Dashboard__Otlp__AuthMode=ApiKey Dashboard__Otlp__PrimaryApiKey="$otlp_key" \
    "$(bin Dashboard)" >"$work/dashboard.log" 2>&1 &
  dashboard_pid=$!; pids+=("$dashboard_pid")
  wait_until "$dashboard_url/alive" "$dashboard_pid" "$work/dashboard.log"
  curl -sf -c "$work/cookies" -o /dev/null "$dashboard_url/login?t=$token"
}

# start_cluster LABEL on|off [DELAY_OF_SECONDARY_2]: a master and BENCH_SECONDARIES secondaries (2: secondary-1,
# secondary-2 ...; in-memory logs unless BENCH_FSYNC), exporting to the dashboard or not; sets cluster_url (the master)
# and cluster_pids (master first).
start_cluster() {
  local label=$1 export=$2 delay=${3:-0} token m k port
  local -a ports=() secondary_pids=() services=()
  token=$(secret)
  node() {
    local project=$1 name=$2 port=$3; shift 3
    local vars=(ASPNETCORE_URLS="http://127.0.0.1:$port" OTEL_SERVICE_NAME="$name" Cluster__Token="$token")
    [ -n "${BENCH_LOG_LEVEL:-}" ] && vars+=(Logging__LogLevel__Default="$BENCH_LOG_LEVEL")
    [ -n "${BENCH_FSYNC:-}" ] && vars+=(Storage__Path="$work/$label/$name" Storage__Fsync="$BENCH_FSYNC")
    if [ "$export" = on ]; then
      vars+=(OTEL_EXPORTER_OTLP_ENDPOINT="$otlp_url" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
        OTEL_EXPORTER_OTLP_HEADERS="x-otlp-api-key=$otlp_key" OTEL_RESOURCE_ATTRIBUTES="service.instance.id=$name"
        OTEL_BSP_SCHEDULE_DELAY=1000 OTEL_BLRP_SCHEDULE_DELAY=1000 OTEL_METRIC_EXPORT_INTERVAL=1000)
    fi
    env "${vars[@]}" "$@" "$(bin "$project")" >"$work/$label-$name.log" 2>&1 &
    pids+=($!); node_pid=$!
  }
  for k in $(seq "${BENCH_SECONDARIES:-2}"); do
    port=$(free_port); ports+=("$port")
    node Secondary "secondary-$k" "$port" Replication__DelayMs="$([ "$k" = 2 ] && echo "$delay" || echo 0)"
    secondary_pids+=("$node_pid"); services+=("services__secondary-${k}__http__0=http://127.0.0.1:$port")
  done
  for k in "${!ports[@]}"; do
    wait_until "http://127.0.0.1:${ports[$k]}/health" "${secondary_pids[$k]}" "$work/$label-secondary-$((k + 1)).log"
  done
  m=$(free_port)
  node Master master "$m" "${services[@]}"
  cluster_url=http://127.0.0.1:$m; cluster_pids=("$node_pid" "${secondary_pids[@]}")
  wait_until "$cluster_url/health" "$node_pid" "$work/$label-master.log" '"readOnly":false'
}

# append_script FILE [DELAY_MS] [W]: a wrk script that appends 128-byte messages with w=W (3; "majority" or "all" are
# quoted), each connection waiting DELAY_MS between its requests, and prints "RESULT appends_per_s=N non2xx=N errors=N"
# at the end.
append_script() {
  local message w=${3:-3}
  message=$(head -c 128 /dev/zero | tr '\0' x)
  [[ $w =~ ^[0-9]+$ ]] || w="\"$w\""
  cat >"$1" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"message":"$message","w":$w}'
${2:+function delay() return $2 end}
done = function(s, latency, requests)
  io.write(string.format("RESULT appends_per_s=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n", s.requests / (s.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, s.errors.status, s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout))
end
EOF
}
