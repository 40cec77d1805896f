// The dashboard's pages: one shell, drawn from the JSON API, redrawn when new telemetry arrives (a long poll).
"use strict";

const $ = (html) => { const t = document.createElement("template"); t.innerHTML = html.trim(); return t.content; };
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const time = (t) => new Date(t).toLocaleTimeString(undefined, { hour12: false }) + "." + String(new Date(t).getMilliseconds()).padStart(3, "0");
const ms = (v) => v === 0 ? "0" : v < 1 ? `${(v * 1000).toFixed(0)} µs` : v < 1000 ? `${v.toFixed(1)} ms` : `${(v / 1000).toFixed(2)} s`;
const attrs = (list) => (list || []).map((a) => `${esc(a.key)}=${esc(a.value)}`).join(" · ");

async function api(path, options) {
  const response = await fetch(path, options);
  if (response.status === 401) { location.href = `/login?returnUrl=${encodeURIComponent(location.pathname + location.search)}`; throw new Error("login"); }
  if (!response.ok) { const problem = await response.json().catch(() => ({})); throw new Error(problem.detail || `${response.status}`); }
  return response.json();
}

const query = () => new URLSearchParams(location.search);
function navigate(url) { history.pushState(null, "", url); draw(); }
document.addEventListener("click", (e) => {
  const a = e.target.closest("a[href^='/']");
  if (a && !e.ctrlKey && !e.metaKey) { e.preventDefault(); navigate(a.getAttribute("href")); }
});
window.addEventListener("popstate", () => draw());

const pages = [
  { match: /^\/$/, nav: "resources", draw: resources },
  { match: /^\/consolelogs(?:\/resource\/([^/]+))?$/, nav: "console", draw: consoleLogs },
  { match: /^\/structuredlogs(?:\/resource\/([^/]+))?$/, nav: "logs", draw: structuredLogs },
  { match: /^\/traces\/detail\/([0-9a-f]+)$/, nav: "traces", draw: traceDetail },
  { match: /^\/traces$/, nav: "traces", draw: traces },
  { match: /^\/metrics(?:\/resource\/([^/]+))?$/, nav: "metrics", draw: metrics },
  { match: /^\/cluster$/, nav: "cluster", draw: cluster },
];

let drawing = null;
async function draw() {
  const page = pages.find((p) => p.match.test(location.pathname)) || pages[0];
  const arg = decodeURIComponent(location.pathname.match(page.match)?.[1] ?? "");
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("current", a.dataset.page === page.nav));
  const run = (drawing = Symbol());
  try {
    const content = await page.draw(arg);
    if (run !== drawing || content === null) return;
    const main = document.getElementById("page");
    const focused = document.activeElement;
    main.replaceChildren(content);
    // A redraw that lands while someone types keeps the field, and what is typed in it.
    const field = focused?.id ? document.getElementById(focused.id) : null;
    if (field && focused.matches("input") && field.matches("input")) field.value = focused.value;
    field?.focus();
  } catch (error) {
    if (error.message !== "login") document.getElementById("page").replaceChildren($(`<p class="error">${esc(error.message)}</p>`));
  }
}

async function resourceList() {
  const answer = await api("/api/resources");
  if (answer.connection?.state !== "Connected" && !answer.resources?.length) throw new Error(answer.connection?.detail || "not connected");
  return answer.resources || [];
}

async function resources() {
  let list;
  try { list = await resourceList(); } catch (error) {
    return $(`<h1>Resources</h1><p class="muted">No resources to show: this dashboard is not connected to an AppHost (${esc(error.message)}). Telemetry sent to it is under Structured logs, Traces and Metrics.</p>`);
  }
  const rows = list.map((r) => `<tr data-resource="${esc(r.name)}">
      <td><strong>${esc(r.name)}</strong></td><td class="state ${esc(r.state)}">${esc(r.state)}${r.exitCode != null ? ` (exit ${esc(r.exitCode)})` : ""}</td>
      <td>${(r.urls || []).map((u) => `<a href="${esc(u.url)}" target="_blank" rel="noopener">${esc(u.url)}</a>`).join(" ")}</td><td class="num">${esc(r.processId ?? "")}</td>
      <td>${r.startedAt ? time(r.startedAt) : ""}</td><td class="num">${esc(r.restarts ?? 0)}</td>
      <td>${esc((r.properties || []).map((p) => `${p.name}: ${p.value}`).join(", "))}</td>
      <td>${["stop", "start", "restart", "kill", "pause", "resume"].map((c) => `<button data-command="${c}" class="quiet">${c}</button>`).join("")}
        <a href="/consolelogs/resource/${encodeURIComponent(r.name)}">console</a></td></tr>`).join("");
  const page = $(`<h1>Resources</h1><table><thead><tr><th>Name</th><th>State</th><th>URLs</th><th>PID</th><th>Started</th><th>Restarts</th><th>Details</th><th>Actions</th></tr></thead><tbody>${rows}</tbody></table>`);
  page.querySelectorAll("button[data-command]").forEach((b) => b.addEventListener("click", async () => {
    const name = b.closest("tr").dataset.resource;
    b.disabled = true;
    try { await api(`/api/resources/${encodeURIComponent(name)}/commands/${b.dataset.command}`, { method: "POST" }); } catch (error) { alert(error.message); }
    draw();
  }));
  return page;
}

async function consoleLogs(name) {
  const list = await resourceList().catch(() => []);
  const chosen = name || list[0]?.name;
  const options = list.map((r) => `<option ${r.name === chosen ? "selected" : ""}>${esc(r.name)}</option>`).join("");
  const console = chosen ? await api(`/api/resources/${encodeURIComponent(chosen)}/console`).catch(() => ({ lines: [] })) : { lines: [] };
  const page = $(`<h1>Console</h1><div class="filters"><label>Resource <select id="console-resource">${options}</select></label></div>
    <pre class="console">${console.lines.map((l) => esc(l.text)).join("\n")}</pre>`);
  page.querySelector("select").addEventListener("change", (e) => navigate(`/consolelogs/resource/${encodeURIComponent(e.target.value)}`));
  return page;
}

async function structuredLogs(resource) {
  const q = query();
  const params = new URLSearchParams({ level: q.get("level") || "", text: q.get("text") || "" });
  if (resource) params.set("resource", resource);
  const [resources, logs] = await Promise.all([api("/api/telemetry/resources"), api(`/api/telemetry/logs?${params}`)]);
  const options = resources.map((r) => `<option value="${esc(r.key)}" ${r.key === resource ? "selected" : ""}>${esc(r.key)}</option>`).join("");
  const levels = ["", "Debug", "Information", "Warning", "Error"].map((l) => `<option ${l === (q.get("level") || "") ? "selected" : ""}>${l}</option>`).join("");
  const rows = logs.map((l) => `<tr><td>${time(l.time)}</td><td>${esc(l.service)}</td><td class="${esc(l.severity)}">${esc(l.severity)}</td>
      <td>${esc(l.message)}<div class="attrs">${esc(l.category)}${l.attributes.length ? " · " + attrs(l.attributes) : ""}</div></td>
      <td>${l.traceId ? `<a href="/traces/detail/${l.traceId}">trace</a>` : ""}</td></tr>`).join("");
  const page = $(`<h1>Structured logs</h1><form class="filters" id="log-filters">
      <label>Resource <select name="resource"><option value="">(all)</option>${options}</select></label>
      <label>Level <select name="level">${levels}</select></label>
      <label>Text <input id="log-text" name="text" value="${esc(q.get("text") || "")}"></label><button type="submit">Filter</button></form>
    <table><thead><tr><th>Time</th><th>Resource</th><th>Level</th><th>Message</th><th>Trace</th></tr></thead><tbody>${rows}</tbody></table>
    ${logs.length ? "" : `<p class="muted">No log records${q.get("text") || q.get("level") ? " match" : " yet"}.</p>`}`);
  page.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const path = f.get("resource") ? `/structuredlogs/resource/${encodeURIComponent(f.get("resource"))}` : "/structuredlogs";
    navigate(`${path}?${new URLSearchParams({ level: f.get("level"), text: f.get("text") })}`);
  });
  return page;
}

async function traces() {
  const list = await api("/api/telemetry/traces");
  const rows = list.map((t) => `<tr><td>${time(t.start)}</td><td><a href="/traces/detail/${t.traceId}">${esc(t.name)}</a>
        ${t.linksTo ? `<span class="muted">· carried ${t.linksTo} ${t.linksTo === 1 ? "append" : "appends"}</span>` : ""}</td>
      <td>${esc(t.services.join(", "))}</td>
      <td class="num">${t.spans}${t.linkedFrom ? ` <span class="muted" title="the page draws the traces that link to this one with it">+ ${t.linkedFrom} linked</span>` : ""}</td>
      <td class="num">${ms(t.durationMs)}</td>
      <td class="${t.errors ? "error" : ""}">${t.errors ? `${t.errors} errors` : ""}</td></tr>`).join("");
  return $(`<h1>Traces</h1><p class="muted">Health probes, heartbeats and the dashboard's own look at the nodes are not traced (see the README).</p>
    <table><thead><tr><th>Start</th><th>Name</th><th>Services</th><th>Spans</th><th>Duration</th><th></th></tr></thead><tbody>${rows}</tbody></table>
    ${list.length ? "" : `<p class="muted">No traces yet.</p>`}`);
}

// A step for the time axis: 1, 2 or 5 times a power of ten, giving at most about eight ticks.
function axisStep(total) {
  const raw = total / 8, power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

// The waterfall of a trace and, on its time axis, of the traces that link to it (for an append: the batch that
// carried it to each secondary), each under a row of its own with a link to open it alone.
async function traceDetail(traceId) {
  const trace = await api(`/api/telemetry/traces/${traceId}`);
  const total = Math.max(trace.durationMs, 0.001);
  // By name, so a service keeps its colour from one trace to the next.
  const colour = new Map([...trace.services].sort().map((s, i) => [s, i % 6]));
  const pct = (v) => `${(v / total) * 100}%`;
  // A bar and its duration: right of it, in it when the bar is long and ends late, left of it otherwise.
  const bar = (offset, duration, cls, canHoldText = true) => {
    const where = offset + duration <= total * 0.8 ? `left:${pct(offset + duration)};margin-left:.3rem`
      : canHoldText && duration >= total * 0.15 ? `left:${pct(offset)};margin-left:.3rem` : `right:${pct(total - offset)};margin-right:.3rem`;
    const inside = canHoldText && offset + duration > total * 0.8 && duration >= total * 0.15;
    return `<div class="${cls}" style="left:${pct(offset)};width:${pct(duration)}"></div><span class="dur${inside ? " inside" : ""}" style="${where}">${ms(duration)}</span>`;
  };
  const rows = (spans, indent) => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const depth = new Map();
    const level = (s) => depth.get(s.spanId) ?? (depth.set(s.spanId, s.parentSpanId && byId.has(s.parentSpanId) ? level(byId.get(s.parentSpanId)) + 1 : 0), depth.get(s.spanId));
    return spans.map((s) => `<div class="row" data-service="${esc(s.service)}"><div class="label" style="padding-left:${indent + level(s)}rem" title="${esc(s.service)}: ${esc(s.name)}">
        <strong class="svc c${colour.get(s.service)}">${esc(s.service)}</strong> ${esc(s.name)} <span class="muted">${ms(s.durationMs)}</span>
        <div class="attrs">${attrs(s.attributes)}${s.statusMessage ? ` · <span class="error">${esc(s.statusMessage)}</span>` : ""}</div></div>
      <div class="track">${bar(s.offsetMs, s.durationMs, `span c${colour.get(s.service)} ${esc(s.status)}`)}</div></div>`).join("");
  };
  const linked = trace.linkedFrom.map((t) => `<section class="linked" data-trace="${t.traceId}">
      <div class="row group"><div class="label"><strong>${t.secondary ? `batch to ${esc(t.secondary)}` : `linked: ${esc(t.name)}`}</strong>
        <span class="muted">(trace <a href="/traces/detail/${t.traceId}" title="open this trace on its own">${t.traceId.slice(0, 8)}…</a>) · ${t.spanCount} spans</span></div>
      <div class="track">${bar(t.offsetMs, t.durationMs, "extent", false)}</div></div>${rows(t.spans, 1)}</section>`).join("");
  const linkedSpans = trace.spanCount - trace.own.spanCount;
  const batches = trace.linkedFrom.length;
  const included = batches
    ? `${trace.own.spanCount} in this trace + ${linkedSpans} in the ${batches} linked ${batches === 1 ? "trace" : "traces"} that link to it (the batches that carried it)`
    : "all in this trace";
  const legend = trace.services.map((s) => `<span class="svc c${colour.get(s)}">${esc(s)}</span>`).join(" ");
  const carried = trace.linksTo.map((l) => l.known ? `<a href="/traces/detail/${l.traceId}">${esc(l.name)} <span class="muted">(${l.traceId.slice(0, 8)}…)</span></a>` : `<span class="muted" title="not kept">${l.traceId.slice(0, 8)}…</span>`);
  const step = axisStep(total);
  const ticks = [];
  const tick = (v) => v === 0 ? "0" : v < 1000 ? `${Number(v.toPrecision(3))} ms` : `${Number((v / 1000).toPrecision(3))} s`;
  for (let t = 0; t <= total; t += step) ticks.push(`<span style="left:${pct(t)}${t > total * 0.9 ? ";transform:translateX(-100%)" : ""}">${tick(t)}</span>`);
  return $(`<h1>Trace ${esc(traceId.slice(0, 12))}… <span class="muted">${esc(trace.name)}</span></h1>
    <p class="trace-summary">${ms(trace.durationMs)} · ${trace.spanCount} spans: ${included}${trace.linkedFromNotDrawn ? ` (${trace.linkedFromNotDrawn} more linked traces not drawn)` : ""} · ${legend}</p>
    ${carried.length ? `<p class="carried">This trace links to ${carried.length} ${carried.length === 1 ? "trace" : "traces"} (for a batch: the appends it carried): ${carried.join(", ")}</p>` : ""}
    <div class="waterfall" style="--step:${(step / total) * 100}%"><div class="row axis"><div class="axis-title muted">${batches ? "This trace, then the batches that link to it, on one time axis" : ""}</div><div class="track">${ticks.join("")}</div></div>
    ${rows(trace.spans, 0)}${linked}</div>`);
}

// A number in an instrument's unit: durations ("ms", "s") and sizes ("By") read as such; other units are in the header.
const number = (v) => Number.isInteger(v) ? v.toLocaleString("en-US") : v.toLocaleString("en-US", { maximumSignificantDigits: 3 });
const measure = (v, unit) => v == null ? "–"
  : unit === "ms" || unit === "s" ? (v === 0 ? `0 ${unit}` : ms(unit === "s" ? v * 1000 : v))
  : unit === "By" ? (v < 1024 ? `${number(v)} B` : v < 1048576 ? `${number(v / 1024)} KiB` : `${number(v / 1048576)} MiB`)
  : number(v);

// One series as a line over its points (broken where a histogram recorded nothing), its highest and lowest value beside it.
function chart(points, unit) {
  const values = points.map((p) => p.value).filter((v) => v != null);
  if (!values.length) return "";
  const min = Math.min(...values), max = Math.max(...values);
  const x = (i) => points.length > 1 ? 2 + (i / (points.length - 1)) * 236 : 120;
  const y = (v) => max === min ? 20 : 38 - ((v - min) / (max - min)) * 36;
  const runs = [[]];
  points.forEach((p, i) => p.value == null ? runs.push([]) : runs[runs.length - 1].push([x(i), y(p.value)]));
  const marks = runs.filter((r) => r.length).map((r) => r.length > 1
    ? `<polyline points="${r.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")}"/>`
    : `<circle cx="${r[0][0].toFixed(1)}" cy="${r[0][1].toFixed(1)}" r="2"/>`).join("");
  return `<div class="chart"><svg viewBox="0 0 240 40" role="img" aria-label="from ${esc(measure(min, unit))} to ${esc(measure(max, unit))}">${marks}</svg>
    <div class="range"><span>${esc(measure(max, unit))}</span><span>${esc(measure(min, unit))}</span></div></div>`;
}

// The last value of a series: a gauge's value, a counter's total, a histogram's latest mean (of what it recorded
// between two exports) and how many it recorded in all.
function lastValue(kind, unit, points) {
  const last = points[points.length - 1];
  if (!last) return "";
  if (kind === "Histogram") {
    const recent = points.findLast((p) => p.value != null);
    return `${recent ? `mean ${measure(recent.value, unit)}` : "–"}<div class="attrs">${number(last.total ?? 0)} in all</div>`;
  }
  return kind === "Counter" ? `${measure(last.value, unit)}<div class="attrs">in all</div>` : measure(last.value, unit);
}

async function metrics(resource) {
  const resources = await api("/api/telemetry/resources");
  const chosen = resource || resources[0]?.key || "";
  const named = query().get("instrument") || "";
  const all = chosen ? await api(`/api/telemetry/metrics?resource=${encodeURIComponent(chosen)}`) : [];
  const list = all.filter((m) => m.name.includes(named));
  const options = resources.map((r) => `<option value="${esc(r.key)}" ${r.key === chosen ? "selected" : ""}>${esc(r.key)}</option>`).join("");
  // One row per series (per secondary, per w), under its instrument.
  const rows = list.map((m) => m.series.map((s, i) => `<tr data-instrument="${esc(m.name)}" data-series="${esc(attrs(s.attributes))}">
      ${i === 0 ? `<td rowspan="${m.series.length}"><strong>${esc(m.name)}</strong> <span class="muted">${esc(m.kind)}${m.unit ? ` · ${esc(m.unit)}` : ""}</span>
        <div class="attrs">${esc(m.description)}${m.description ? " · " : ""}${esc(m.meter)}</div></td>` : ""}
      <td class="attrs series">${s.attributes.length ? attrs(s.attributes) : "(all)"}</td>
      <td class="num last">${lastValue(m.kind, m.unit, s.points)}</td><td>${chart(s.points, m.unit)}</td></tr>`).join("")).join("");
  const page = $(`<h1>Metrics</h1><form class="filters" id="metric-filters"><label>Resource <select id="metrics-resource" name="resource">${options}</select></label>
      <label>Instrument <input id="metrics-instrument" name="instrument" placeholder="replicatedlog." value="${esc(named)}"></label><button type="submit">Filter</button></form>
    <table class="metrics"><thead><tr><th>Instrument</th><th>Series</th><th class="num">Last</th><th>Over time</th></tr></thead><tbody>${rows}</tbody></table>
    ${list.length ? "" : `<p class="muted">No metrics${all.length ? " match" : " yet"}.</p>`}`);
  const show = (form) => {
    const f = new FormData(form);
    navigate(`/metrics/resource/${encodeURIComponent(f.get("resource"))}${f.get("instrument") ? `?${new URLSearchParams({ instrument: f.get("instrument") })}` : ""}`);
  };
  page.querySelector("select").addEventListener("change", (e) => show(e.target.form));
  page.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); show(e.target); });
  return page;
}

// The Cluster page: the append form and the appends waiting stay; the nodes' columns are redrawn every second.
const pending = [];
async function cluster() {
  if (document.getElementById("cluster-shell")) { await refreshNodes(); return null; }
  const page = $(`<div id="cluster-shell"><h1>Cluster</h1>
    <form id="append-form" class="filters">
      <label>Message <input id="append-message" name="message" required value="Msg1"></label>
      <label>w <select id="append-w" name="w"><option>1</option><option>2</option><option selected>3</option><option>majority</option><option>all</option></select></label>
      <label>Id <input id="append-id" name="id" size="8"></label>
      <label>Timeout (ms) <input id="append-timeout" name="timeoutMs" size="7"></label>
      <button type="submit">Append</button></form>
    <table id="appends"><thead><tr><th>Message</th><th>w</th><th>Answer</th><th>Trace</th></tr></thead><tbody></tbody></table>
    <p id="cluster-state" class="muted"></p><div id="cluster-nodes" class="nodes"></div></div>`);
  page.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); append(new FormData(e.target)); });
  setTimeout(refreshNodes);
  return page;
}

async function append(form) {
  const body = { message: form.get("message") };
  const w = form.get("w"); body.w = /^\d+$/.test(w) ? Number(w) : w;
  if (form.get("id")) body.id = form.get("id");
  if (form.get("timeoutMs")) body.timeoutMs = Number(form.get("timeoutMs"));
  const item = { message: body.message, w: body.w, answer: "waiting…", traceId: null };
  pending.unshift(item);
  drawAppends();
  try {
    const result = await api("/api/cluster/append", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    item.traceId = result.traceId;
    const a = result.answer || {};
    item.answer = result.status < 300 ? `${result.status}: index ${a.index}, ${a.acks} acks${a.duplicate ? ", duplicate" : ""}${a.timedOut ? ", timed out" : ""}` : `${result.status}: ${a.detail || ""}`;
  } catch (error) { item.answer = error.message; }
  drawAppends();
}

function drawAppends() {
  const body = document.querySelector("#appends tbody");
  if (!body) return;
  body.replaceChildren($(pending.slice(0, 10).map((p) => `<tr><td>${esc(p.message)}</td><td>${esc(p.w)}</td>
    <td class="${p.answer === "waiting…" ? "Warning" : ""}">${esc(p.answer)}</td><td>${p.traceId ? `<a href="/traces/detail/${p.traceId}">trace</a>` : ""}</td></tr>`).join("")));
}

async function refreshNodes() {
  const target = document.getElementById("cluster-nodes");
  if (!target || document.activeElement?.closest("#cluster-nodes")) return;
  let snapshot;
  try { snapshot = await api("/api/cluster"); } catch (error) {
    document.getElementById("cluster-state").textContent = error.message;
    return;
  }
  // Someone started typing in a node's form while the snapshot was on its way: keep what they typed.
  if (document.activeElement?.closest("#cluster-nodes")) return;
  const health = snapshot.health;
  const peers = new Map((health.secondaries || []).map((s) => [s.name, s]));
  const last = health.lastIndex || 0;
  const from = Math.max(1, last - 14);
  document.getElementById("cluster-state").innerHTML = `<span class="${health.readOnly ? "error" : "Healthy"}">${esc(health.description || "")}</span>`
    + ` · log ${esc((health.logId || "").slice(0, 8))}, ${last} entries, ${health.pendingWrites ?? 0} appends waiting`;
  target.replaceChildren($(snapshot.nodes.map((n) => {
    const peer = peers.get(n.name);
    const held = new Map((n.entries || []).map((e) => [e.index, e.message]));
    const rows = [];
    for (let i = last; i >= from; i--) rows.push(held.has(i) ? `<li><span class="muted">${i}</span> ${esc(held.get(i))}</li>` : `<li class="missing"><span class="muted">${i}</span> missing</li>`);
    const faults = n.faults;
    return `<section class="node" data-node="${esc(n.name)}"><h2>${esc(n.name)}</h2>
      ${peer ? `<p><span class="${esc(peer.status)}">${esc(peer.status)}</span> · acked ${peer.ackedIndex} · lag ${peer.lag}${peer.logsMatch === false ? ' · <span class="error">log differs</span>' : ""}${peer.lastError ? `<br><span class="attrs">${esc(peer.lastError)}</span>` : ""}</p>` : `<p>${health.readOnly ? '<span class="error">read-only</span>' : '<span class="Healthy">writable</span>'}</p>`}
      ${n.error ? `<p class="error">${esc(n.error)}</p>` : ""}
      ${n.delay ? `<form class="setting" data-setting="delay"><label>Delay (ms) <input name="delayMs" size="6" value="${n.delay.delayMs}"></label><button>Set</button></form>` : ""}
      ${faults ? `<form class="setting" data-setting="faults"><label>Errors <input name="errorAfterApplyRate" size="4" value="${faults.errorAfterApplyRate ?? 0}"></label>
        <label>Drops <input name="dropRate" size="4" value="${faults.dropRate ?? 0}"></label>
        <label><input type="checkbox" name="paused" ${faults.paused ? "checked" : ""}> Paused</label><button>Set</button></form>` : ""}
      <ol class="tail">${rows.join("")}</ol></section>`;
  }).join("")));
  target.querySelectorAll("form.setting").forEach((f) => f.addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = f.closest("section").dataset.node;
    const data = new FormData(f);
    const body = f.dataset.setting === "delay" ? { delayMs: Number(data.get("delayMs")) }
      : { errorAfterApplyRate: Number(data.get("errorAfterApplyRate")), dropRate: Number(data.get("dropRate")), paused: data.get("paused") === "on" };
    try { await api(`/api/cluster/secondaries/${encodeURIComponent(name)}/${f.dataset.setting}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }); }
    catch (error) { alert(error.message); }
    document.activeElement?.blur();
    refreshNodes();
  }));
}

// A redraw replaces the rows, so it waits while someone is about to follow a link (the pointer rests on a link of the
// page): otherwise the rows move under the pointer and the click lands on another row, or on none. The header says
// why the page is not up to date meanwhile. Not for buttons: a click on one (an append on the cluster page) is
// followed by watching what it did, with the pointer still on it.
const aiming = () => document.querySelector("#page a:hover") !== null;
const typing = () => document.activeElement?.matches("#page input") === true;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function holdNote(text) {
  const note = document.getElementById("held");
  note.textContent = text || "";
  note.hidden = !text;
}

setInterval(() => {
  if (aiming()) return;
  if (location.pathname === "/cluster") refreshNodes();
  // Resources and consoles change without telemetry: look again every second.
  else if ((location.pathname === "/" || location.pathname.startsWith("/consolelogs")) && !document.activeElement?.matches("#page select")) draw();
}, 1000);

async function live() {
  let version = -1;
  for (;;) {
    try {
      const answer = await api(`/api/telemetry/changes?since=${version}`);
      if (answer.version !== version) {
        // Not while someone types in a filter (the page is redrawn once they leave it), nor while they aim at a link.
        while (typing() || aiming()) {
          holdNote(typing() ? "" : "New telemetry is shown when the pointer leaves the link.");
          await sleep(200);
        }

        holdNote("");
        version = answer.version;
        await draw();
      }
    } catch { await sleep(2000); }
  }
}

draw();
live();
