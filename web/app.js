// The Rewind dashboard: plain ES modules, no build step. Reads the chain through the
// standard CosmWasm LCD endpoints only; signs with Keplr on a live chain, or with the local
// backend's development accounts behind the "local only" switch.
import { Lcd, lcdError } from "./lcd.js";
import { signAndBroadcastKeplr } from "./keplr.js";

const STEPS = ["rolling_back", "unwinding", "replaying", "freezing", "reconciling", "settling", "complete"];
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const params = new URLSearchParams(location.search);
const state = {
  lcd: null,
  contracts: null,
  local: false,
  names: {},
  /** Contract role → address (local backend), shown by role. */
  contractNames: {},
  chainId: "",
  prefix: "",
  keplr: null, // { address }
  data: null,
  /** Vote transactions this page saw: { time (ns, bigint), voter, option, proposal } */
  votes: [],
  busy: false,
  pollMs: Number(params.get("poll") ?? 1500),
};

function short(a) {
  if (!a) return "-";
  const n = Object.entries(state.names).find(([, v]) => v === a)?.[0] ?? Object.entries(state.contractNames).find(([, v]) => v === a)?.[0];
  const s = `${a.slice(0, 10)}...${a.slice(-4)}`;
  return n ? `${n} <span class="muted mono">${s}</span>` : `<span class="mono" title="${esc(a)}">${s}</span>`;
}
function human(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  if (seconds === 0) return "0 s";
  const d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return [d && `${d} d`, h && `${h} h`, m && `${m} min`, !d && !h && s && `${s} s`].filter(Boolean).join(" ") || "0 s";
}
function iso(ns) {
  if (ns == null) return "-";
  return new Date(Number(BigInt(ns) / 1000000n)).toISOString().replace(".000Z", "Z").replace("T", " ");
}
function pct(part, whole) {
  const w = BigInt(whole || 0);
  return w === 0n ? 0 : Number((BigInt(part || 0) * 10000n) / w) / 100;
}
export function showMessage(text, isError) {
  const m = $("message");
  m.hidden = false;
  m.textContent = text;
  m.className = isError ? "error" : "";
}

// ------------------------------------------------------------------ connecting

async function connect() {
  let d = null;
  const lcdParam = params.get("lcd");
  if (lcdParam) {
    state.lcd = new Lcd(lcdParam);
    const gov = params.get("governance");
    if (!gov) throw new Error("?governance=<address> is required with ?lcd=");
    const cfg = await state.lcd.smart(gov, { config: {} });
    state.contracts = { governance: gov, ...cfg.modules };
    state.local = false;
  } else {
    state.lcd = new Lcd(location.origin);
    const res = await fetch("/rewind/deployment");
    if (!res.ok) throw new Error("no ?lcd= given and this server is not the local backend (/rewind/deployment)");
    d = await res.json();
    state.contracts = d.contracts;
    state.names = { ...(d.names ?? {}) };
    for (const [role, a] of Object.entries(d.contracts)) if (a) state.contractNames[role] = a;
    state.local = Boolean(d.local);
    state.prefix = d.bech32Prefix;
  }
  const latest = await state.lcd.latest();
  state.chainId = latest.chainId;
  $("chain").textContent = `${state.chainId}${state.local ? " (local simulated chain)" : ""} via ${state.lcd.base}`;
  if (state.local) {
    $("local-switch").hidden = false;
    const sel = $("signer");
    sel.innerHTML = Object.keys(state.names).map((n) => `<option value="${esc(n)}">${esc(n)}</option>`).join("");
    $("local-only").addEventListener("change", () => {
      sel.hidden = !$("local-only").checked;
      $("local-controls").hidden = !$("local-only").checked;
      render();
    });
  } else {
    $("keplr-connect").hidden = false;
    $("keplr-connect").addEventListener("click", connectKeplr);
  }
  for (const b of document.querySelectorAll("[data-advance]")) b.addEventListener("click", () => advance(Number(b.dataset.advance)));
  $("advance-voting").addEventListener("click", () => {
    const p = state.data?.proposals.find((x) => x.status === "open");
    advance(p ? p.seconds_left + 1 : 3600);
  });
  $("advance-eta").addEventListener("click", () => {
    const o = state.data?.operations.find((x) => x.status === "queued");
    advance(o ? Math.max(1, o.seconds_to_eta + 1) : 3600);
  });
}

async function connectKeplr() {
  if (!window.keplr) return showMessage("Keplr is not installed in this browser", true);
  try {
    await window.keplr.enable(state.chainId);
    const key = await window.keplr.getKey(state.chainId);
    state.keplr = { address: key.bech32Address };
    $("keplr-address").textContent = key.bech32Address;
    render();
  } catch (e) {
    showMessage(`Keplr: ${e.message ?? e}`, true);
  }
}

function canSign() {
  return (state.local && $("local-only").checked) || (!state.local && state.keplr);
}

function signerAddress() {
  if (state.local && $("local-only").checked) return state.names[$("signer").value];
  return state.keplr?.address;
}

/** Signs and broadcasts one execute; shows the chain's error text when refused. */
async function send(contract, msg, funds, label) {
  if (!canSign()) return showMessage(state.local ? "turn on the 'local only' switch to sign with a development account" : "connect Keplr to sign", true);
  state.busy = true;
  render();
  try {
    let result;
    if (state.local) {
      const from = $("signer").value;
      const res = await fetch("/rewind/local/execute", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from, contract, msg, funds: funds ?? [] }) });
      result = await res.json();
      if (!res.ok || result.code) throw new Error(result.raw_log ?? result.message ?? `HTTP ${res.status}`);
    } else {
      result = await signAndBroadcastKeplr({ keplr: window.keplr, lcd: state.lcd, chainId: state.chainId, sender: state.keplr.address, contract, msg, funds: funds ?? [], gasPrice: params.get("gasPrice") ?? "0.025uatom" });
    }
    if (msg.vote) {
      const latest = await state.lcd.latest();
      state.votes.push({ time: latest.timeNanos, voter: signerAddress(), option: msg.vote.vote, proposal: msg.vote.proposal_id });
    }
    showMessage(`${label}: included at height ${result.height}`, false);
  } catch (e) {
    showMessage(`${label} refused: ${e.message ?? e}`, true);
  } finally {
    state.busy = false;
    await refresh();
  }
}

async function advance(seconds) {
  const res = await fetch("/rewind/local/advance", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ seconds }) });
  const body = await res.json();
  if (!res.ok) showMessage(`advance refused: ${body.message}`, true);
  else showMessage(`advanced ${human(seconds)}: height ${body.height}, ${body.time}`, false);
  await refresh();
}

// ------------------------------------------------------------------ reading

async function pages(contract, key, msgOf, pick, id) {
  const out = [];
  let start = null;
  for (let i = 0; i < 50; i++) {
    const page = pick(await state.lcd.smart(contract, { [key]: msgOf(start) }));
    out.push(...page);
    if (page.length < 30) break;
    start = id(page[page.length - 1]);
  }
  return out;
}

async function read() {
  const c = state.contracts;
  const lcd = state.lcd;
  const latest = await lcd.latest();
  const targets = await pages(c.governance, "targets", (s) => ({ start_after: s, limit: 30 }), (r) => r.targets, (t) => t.contract);
  const policy = (await lcd.smart(c.guardian, { config: {} })).policy;
  const targetViews = await Promise.all(
    targets.map(async (t) => {
      const [status, budget, history, journal] = await Promise.all([
        lcd.smart(c.guardian, { pause_status: { target: t.contract } }),
        lcd.smart(c.guardian, { budget: { target: t.contract } }).catch(() => null),
        lcd.smart(c.guardian, { pause_history: { target: t.contract, limit: 30 } }).catch(() => ({ pauses: [] })),
        lcd.smart(t.contract, { journal_info: {} }).catch(() => null),
      ]);
      return { ...t, scopes: status.scopes, budget, pauses: history.pauses, journal };
    }),
  );
  const proposals = await pages(c.governance, "proposals", (s) => ({ start_after: s, limit: 30 }), (r) => r.proposals, (p) => p.id);
  // The exclusions' last activity on each target (RestorationCheck `accounts`; older
  // targets without it answer no `activity`).
  for (const p of proposals) {
    const r = p.kind.restoration;
    if (!r || p.status !== "open") continue;
    p.activity = {};
    for (const t of r.targets) {
      const check = await lcd.smart(t.contract, { restoration_check: { heights: r.candidates.map((x) => x.height), accounts: r.exclusions } }).catch(() => null);
      p.activity[t.contract] = check?.activity ?? [];
    }
  }
  const operations = (await pages(c.timelock, "operations", (s) => ({ start_after: s, limit: 30 }), (r) => r.operations, (o) => o.id)).map((o) => ({
    ...o,
    seconds_to_eta: Math.max(0, Number((BigInt(o.eta) - latest.timeNanos) / 1000000000n)),
  }));
  const restorations = await pages(c.executor, "restorations", (s) => ({ start_after: s, limit: 30 }), (r) => r.restorations, (r) => r.id);
  for (const r of restorations) {
    r.progress = {};
    for (const t of r.spec.targets) r.progress[t.contract] = await lcd.smart(t.contract, { restoration_progress: {} }).catch(() => null);
  }
  return { latest, targets: targetViews, policy, proposals, operations, restorations };
}

// ------------------------------------------------------------------ rendering

function renderTargets(d) {
  return d.targets
    .map((t) => {
      const scopes = t.scopes
        .map((s) => {
          const rec = t.pauses.find((p) => p.scope === s.scope);
          return s.paused
            ? `<div class="scope paused" data-scope="${esc(s.scope)}"><span>${esc(s.scope)}</span><span class="state">paused, ends in <span class="countdown">${human(s.seconds_left)}</span></span></div>
               <div class="muted" style="font-size:12px">until ${iso(s.until)} by ${short(s.paused_by)}${rec ? `: &ldquo;${esc(rec.reason)}&rdquo;` : ""}</div>`
            : `<div class="scope" data-scope="${esc(s.scope)}"><span>${esc(s.scope)}</span><span class="state ok">open</span></div>`;
        })
        .join("");
      const b = t.budget;
      // Budgets are per guardian; the query adds up every current guardian's charged time.
      const cooldowns = (b?.actions ?? []).filter((a) => a.cooldown_until).map((a) => `${a.action} until ${iso(a.cooldown_until)}`);
      const budget = b ? `<div>guardian budget: used <span class="budget-used">${human(b.used_seconds)}</span> in the window, all guardians together${cooldowns.length ? `<div class="muted">cooldown: ${cooldowns.join(", ")}</div>` : ""}</div>` : "";
      const j = t.journal;
      return `<div class="card target" data-target="${esc(t.contract)}"><div><b>${short(t.contract)}</b>${t.active_proposal != null ? ` <span class="warn">proposal ${t.active_proposal} active</span>` : ""}</div>
        ${j ? `<div class="muted">history ${j.retained_from}..${j.latest_height}${j.restoring ? ' <b class="warn">restoring</b>' : ""}</div>` : ""}${budget}${scopes}</div>`;
    })
    .join("") || '<p class="muted">no targets registered</p>';
}

function renderProposals(d) {
  const signing = canSign() && !state.busy;
  const list = d.proposals.slice(-5).reverse();
  if (!list.length) return '<p class="muted">no proposals</p>';
  return list
    .map((p) => {
      const r = p.kind.restoration;
      const total = p.total_power;
      const cast = [...p.tally.for_options, p.tally.reject, p.tally.abstain, p.tally.veto].reduce((a, b) => a + BigInt(b), 0n);
      const quorum = Number(p.rules.quorum) * 100;
      const threshold = Number(p.rules.threshold) * 100;
      const turnout = pct(cast, total);
      const candidates = (r?.candidates ?? [])
        .map((c, i) => {
          const votes = p.tally.for_options[i] ?? "0";
          const share = cast === 0n ? 0 : pct(votes, cast);
          return `<div class="candidate" data-height="${c.height}"><div>candidate height <b>${c.height}</b>: ${votes} votes (${share}% of cast)
              ${p.status === "open" ? `<button class="vote" data-proposal="${p.id}" data-height="${c.height}" ${signing ? "" : "disabled"}>vote ${c.height}</button>` : ""}</div>
            <div class="bar"><div class="fill" style="width:${share}%"></div><div class="mark" style="left:${threshold}%" title="threshold"></div></div>
            <div class="muted mono">digests ${c.expected_digests.map((x) => x.slice(0, 16) + "...").join(", ")}</div></div>`;
        })
        .join("");
      const exclusions = (r?.exclusions ?? [])
        .map((a) => {
          const acts = Object.entries(p.activity ?? {}).map(([t, list]) => {
            const h = list.find((x) => x.account === a)?.last_acted_height;
            return `${h == null ? "never acted" : `last acted at ${h}`} on ${short(t)}`;
          });
          return `<li>${short(a)} <span class="muted">${acts.join("; ")}</span></li>`;
        })
        .join("");
      const others = p.status === "open" ? ["reject", "abstain", "veto"].map((o) => `<button class="vote-option" data-proposal="${p.id}" data-option="${o}" ${signing ? "" : "disabled"}>${o}</button>`).join(" ") : "";
      // After its end a proposal reads as passed/rejected/vetoed/expired until someone closes it.
      const closable = p.seconds_left === 0 && ["open", "passed", "rejected", "vetoed", "expired"].includes(p.status);
      return `<div class="card proposal" data-proposal="${p.id}"><div><b>#${p.id} ${esc(p.title)}</b> <span class="status">${esc(p.status)}</span> ${p.expedited ? '<span class="warn">expedited</span>' : ""}</div>
        <div class="muted">${p.status === "open" ? `${human(p.seconds_left)} left (ends ${iso(p.end_time)})` : `ended ${iso(p.end_time)}`}; power at height ${p.power_height}</div>
        <div>turnout <span class="turnout">${turnout}%</span> of ${total} (quorum ${quorum}%)<div class="bar"><div class="fill" style="width:${Math.min(100, turnout)}%"></div><div class="mark" style="left:${quorum}%" title="quorum"></div></div></div>
        ${candidates}
        <div class="muted">reject ${p.tally.reject}, abstain ${p.tally.abstain}, veto ${p.tally.veto} (threshold ${threshold}%, veto ${Number(p.rules.veto_threshold) * 100}%)</div>
        ${r ? `<div>exclusions (${r.exclusions.length}), policy ${esc(r.shortfall_policy)}:<ul>${exclusions}</ul></div>
        <div class="muted">preview: candidate, digests and the exclusions' last activity above; the honest-replay preview of each claim is not on chain yet</div>` : ""}
        <div>${others} ${closable ? `<button class="close" data-proposal="${p.id}" ${signing ? "" : "disabled"}>close proposal</button>` : ""}</div>
        ${p.operation_id != null ? `<div>queued as operation ${p.operation_id}</div>` : ""}${p.execution_error ? `<div class="bad">${esc(p.execution_error)}</div>` : ""}</div>`;
    })
    .join("");
}

function renderOperations(d) {
  const signing = canSign() && !state.busy;
  const list = d.operations.filter((o) => o.status === "queued");
  if (!list.length) return '<p class="muted">none queued</p>';
  return list
    .map((o) => `<div class="card operation" data-operation="${o.id}">operation ${o.id} (proposal ${o.spec.proposal_id}): restore to ${o.spec.height}
      <div>ETA ${iso(o.eta)} and height ${o.eta_height}: <b class="eta">${o.seconds_to_eta > 0 || d.latest.height < o.eta_height ? `in ${human(o.seconds_to_eta)}` : "due"}</b></div>
      <button class="execute" data-operation="${o.id}" ${signing ? "" : "disabled"}>execute</button></div>`)
    .join("");
}

function renderRestoration(d) {
  const signing = canSign() && !state.busy;
  const list = d.restorations.slice(-3).reverse();
  if (!list.length) return '<p class="muted">no restoration yet</p>';
  return list
    .map((r) => {
      const st = typeof r.state === "string" ? r.state : Object.keys(r.state)[0];
      const failed = typeof r.state === "object" && r.state.failed ? r.state.failed.error : "";
      const targets = r.targets
        .map((t) => {
          const p = r.progress[t.contract];
          const step = p?.step ?? t.status.phase;
          const idx = Math.max(0, STEPS.indexOf(step));
          const done = step === "complete" || st === "complete";
          const frac = done ? 100 : Math.round((100 * idx) / (STEPS.length - 1));
          const expected = r.spec.targets.find((x) => x.contract === t.contract)?.expected_digest ?? "";
          return `<div class="card restoration-target"><div>${short(t.contract)}: phase <b class="phase">${esc(step)}</b> (step ${idx + 1} of ${STEPS.length})</div>
            <div class="bar ${done ? "done" : ""}"><div class="fill" style="width:${frac}%"></div></div>
            <div class="muted">undone ${p?.undone_entries ?? t.status.undone_entries}, unwound ${p?.unwound_positions ?? 0}, replayed ${p?.replayed_flows ?? t.status.replayed_flows}, skipped ${p?.skipped_flows ?? 0}, frozen ${p?.frozen_accounts ?? 0}, settled ${p?.settled_balances ?? 0}</div>
            <div>digest check: <b class="digest-check ${t.status.digest_verified ? "ok" : "muted"}">${t.status.digest_verified ? "verified" : "not yet verified"}</b> <span class="mono muted">expected ${esc(expected.slice(0, 24))}...</span></div></div>`;
        })
        .join("");
      return `<div class="restoration" data-restoration="${r.id}"><div><b>restoration ${r.id}</b> to height ${r.spec.height}: <span class="rstate ${st === "complete" ? "ok" : failed ? "bad" : "warn"}">${esc(st)}</span>${failed ? ` <span class="bad">${esc(failed)}</span>` : ""}</div>
        <div class="muted">started ${iso(r.started_at)}${r.finished_at ? `, finished ${iso(r.finished_at)}` : ""}</div>${targets}
        ${st === "running" ? `<button class="crank" data-restoration="${r.id}" ${signing ? "" : "disabled"}>crank one batch</button> <button class="crank-all" data-restoration="${r.id}" ${signing ? "" : "disabled"}>crank until done</button>` : ""}</div>`;
    })
    .join("");
}

/** An SVG timeline: pause windows per scope, voting windows with vote marks, timelock, restoration. */
export function timelineSvg(d, votes) {
  const now = d.latest.timeNanos;
  const rows = [];
  for (const t of d.targets) for (const p of t.pauses) rows.push({ lane: `pause ${p.scope}`, from: BigInt(p.start), to: BigInt(p.end), cls: "pause", label: p.reason });
  for (const p of d.proposals) {
    rows.push({ lane: `proposal ${p.id} vote`, from: BigInt(p.start_time), to: BigInt(p.end_time), cls: "vote", label: p.status });
  }
  for (const o of d.operations) rows.push({ lane: `op ${o.id} timelock`, from: BigInt(o.queued_at), to: BigInt(o.eta), cls: "timelock", label: o.status });
  for (const r of d.restorations) rows.push({ lane: `restoration ${r.id}`, from: BigInt(r.started_at), to: r.finished_at ? BigInt(r.finished_at) : now, cls: "restore", label: typeof r.state === "string" ? r.state : "failed" });
  if (!rows.length) return '<p class="muted">nothing happened yet</p>';
  const lanes = [...new Set(rows.map((r) => r.lane))];
  let min = rows.reduce((m, r) => (r.from < m ? r.from : m), now);
  let max = rows.reduce((m, r) => (r.to > m ? r.to : m), now);
  if (max === min) max = min + 1n;
  const W = 1000, left = 150, laneH = 24, H = lanes.length * laneH + 40;
  const x = (t) => left + Number(((t - min) * BigInt(W - left - 10)) / (max - min));
  const colors = { pause: "#ffb547", vote: "#4fb3ff", timelock: "#b48cff", restore: "#5fd38d" };
  let svg = `<svg id="timeline-svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="incident timeline">`;
  lanes.forEach((l, i) => (svg += `<text x="4" y="${i * laneH + 16}">${esc(l)}</text><line class="axis" x1="${left}" x2="${W - 10}" y1="${i * laneH + 20}" y2="${i * laneH + 20}"/>`));
  for (const r of rows) {
    const i = lanes.indexOf(r.lane);
    const x1 = x(r.from), x2 = Math.max(x(r.to), x1 + 2);
    svg += `<rect class="tl-${r.cls}" x="${x1}" y="${i * laneH + 5}" width="${x2 - x1}" height="13" rx="3" fill="${colors[r.cls]}" opacity=".8"><title>${esc(r.lane)}: ${iso(r.from)} to ${iso(r.to)} ${esc(r.label ?? "")}</title></rect>`;
  }
  for (const v of votes) {
    const i = lanes.indexOf(`proposal ${v.proposal} vote`);
    if (i < 0) continue;
    svg += `<circle class="tl-vote-mark" cx="${x(v.time)}" cy="${i * laneH + 11}" r="5" fill="#fff" stroke="#4fb3ff" stroke-width="2"><title>vote ${esc(JSON.stringify(v.option))} at ${iso(v.time)}</title></circle>`;
  }
  svg += `<line x1="${x(now)}" x2="${x(now)}" y1="0" y2="${H - 20}" stroke="#ff6b6b" stroke-dasharray="4 3"/><text x="${Math.min(x(now) + 4, W - 60)}" y="${H - 6}">now ${iso(now).slice(5, 16)}</text>`;
  svg += `<text x="${left}" y="${H - 6}">${iso(min).slice(5, 16)}</text>`;
  return `${svg}</svg><div class="muted">amber: pauses, blue: voting windows (dots: votes sent from this page), violet: timelock delay, green: restoration</div>`;
}

function render() {
  const d = state.data;
  if (!d) return;
  $("targets").innerHTML = renderTargets(d);
  $("proposals").innerHTML = renderProposals(d);
  $("operations").innerHTML = renderOperations(d);
  $("restoration").innerHTML = renderRestoration(d);
  $("timeline").innerHTML = timelineSvg(d, state.votes);
  $("chain").textContent = `${state.chainId}${state.local ? " (local simulated chain)" : ""}: height ${d.latest.height}, ${iso(d.latest.timeNanos)}`;
  document.body.dataset.height = String(d.latest.height);
}

async function refresh() {
  try {
    state.data = await read();
    render();
  } catch (e) {
    showMessage(`cannot read the chain: ${lcdError(e)}`, true);
  }
}

document.addEventListener("click", async (ev) => {
  const b = ev.target.closest("button");
  if (!b || b.disabled) return;
  const c = state.contracts;
  if (b.classList.contains("vote")) await send(c.governance, { vote: { proposal_id: Number(b.dataset.proposal), vote: { candidate: { height: Number(b.dataset.height) } } } }, [], `vote ${b.dataset.height}`);
  else if (b.classList.contains("vote-option")) await send(c.governance, { vote: { proposal_id: Number(b.dataset.proposal), vote: b.dataset.option } }, [], `vote ${b.dataset.option}`);
  else if (b.classList.contains("close")) await send(c.governance, { close: { proposal_id: Number(b.dataset.proposal) } }, [], `close ${b.dataset.proposal}`);
  else if (b.classList.contains("execute")) await send(c.timelock, { execute: { operation_id: Number(b.dataset.operation) } }, [], `execute ${b.dataset.operation}`);
  else if (b.classList.contains("crank")) await send(c.executor, { crank: { restoration_id: Number(b.dataset.restoration), limit: null } }, [], "crank");
  else if (b.classList.contains("crank-all")) {
    for (let i = 0; i < 500; i++) {
      await send(c.executor, { crank: { restoration_id: Number(b.dataset.restoration), limit: null } }, [], `crank batch ${i + 1}`);
      const r = state.data?.restorations.find((x) => x.id === Number(b.dataset.restoration));
      if (!r || r.state !== "running" || $("message").classList.contains("error")) break;
    }
  }
});

(async () => {
  try {
    await connect();
    await refresh();
    setInterval(() => {
      if (!state.busy) refresh();
    }, state.pollMs);
  } catch (e) {
    showMessage(`cannot connect: ${lcdError(e)}`, true);
  }
})();
