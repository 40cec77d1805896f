#!/usr/bin/env bash
# How soon an append's trace can be seen: a master and two secondaries (Release build) export to a standalone
# dashboard as the AppHost wires them (batches every second). [samples] times, one after the other, a w=3 append is
# sent with a traceparent made here, and from its answer the dashboard's API (/api/telemetry/traces/{id}, what the
# trace page reads) is polled every 20 ms until it shows the master's request span of that append and, in the
# append's trace or the batch traces linked to it, spans of secondary-1 and secondary-2. Prints each time, then the
# median and the maximum.
# Usage: bench/trace-visible.sh [samples=20]
. "$(dirname "$0")/dashboard-lib.sh"
samples=${1:-20}
build
start_dashboard
start_cluster traced on

python3 - "$cluster_url" "$dashboard_url" "$work/cookies" "$samples" <<'EOF'
import json, secrets, statistics, sys, time, urllib.error, urllib.request

master, dashboard, cookies, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
# The login cookie curl got (its jar marks HttpOnly cookies with a prefix that Python's reader takes for a comment).
login = "; ".join(f"{f[5]}={f[6]}" for f in (l.rstrip("\n").split("\t") for l in open(cookies)) if len(f) == 7)

def trace(trace_id):
    request = urllib.request.Request(f"{dashboard}/api/telemetry/traces/{trace_id}", headers={"Cookie": login})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise

def visible(trace_id, client_span):
    """The master's span of the request, and spans of both secondaries here or in the traces linked to this one."""
    shown = trace(trace_id)
    if shown is None or not any(s["parentSpanId"] == client_span and s["service"] == "master" for s in shown["spans"]):
        return False
    services = {s["service"] for s in shown["spans"]}
    for linked in shown.get("linkedFrom", []):
        services |= {s["service"] for s in linked.get("spans", [])}  # the batches that carried it, drawn with it
    return {"secondary-1", "secondary-2"} <= services

times = []
for sample in range(1, samples + 1):
    trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
    request = urllib.request.Request(f"{master}/messages", method="POST", data=json.dumps({"message": f"traced {sample}", "w": 3}).encode(),
        headers={"Content-Type": "application/json", "traceparent": f"00-{trace_id}-{client_span}-01"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201, answer.status
    answered = time.monotonic()
    while not visible(trace_id, client_span):
        if time.monotonic() - answered > 60:
            sys.exit(f"trace {trace_id} not visible with master, secondary-1 and secondary-2 after 60 s: {json.dumps(trace(trace_id))[:2000]}")
        time.sleep(0.02)
    times.append((time.monotonic() - answered) * 1000)
    print(f"sample {sample}: {times[-1]:.0f} ms", flush=True)

print(f"trace visible after the append's answer: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms"
      f" ({samples} w=3 appends, spans of master, secondary-1 and secondary-2, batches exported every 1000 ms)")
EOF
