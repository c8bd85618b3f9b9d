/**
 * The watcher's core (`rewind watch`, issue 16 item 3), usable in-process by a demo story.
 *
 * At each new height, for each target, it evaluates every declared invariant and the oracle
 * deviation THROUGH QUERIES (the vault's `Invariants {}`: its settings and every input the
 * in-line checks read, at one height; see evaluate.ts). On a violation it
 *   1. sends `Report { invariant }` (signed by `reporter`; repeated while the target answers
 *      "scanning"), which proves it on-chain: the incident, the target's own capped pause,
 *      the bounty;
 *   2. with a guardian signer, pauses through the guardian every scope of the invariant's
 *      policy that the report's pause did not cover (not blocked, or blocked for less than the
 *      guardian pause it would set);
 *   3. drafts the restoration proposal: the candidate is the incident's `last_held_height`
 *      (or, unknown, the watcher's own last height where every invariant held), the
 *      exclusions are the incident's accounts. It writes the `rewind propose restore` command
 *      line and the ProposeRestoration JSON (and, when the target has a fast-track playbook,
 *      the guardian's `rewind propose fast-track` for the incident), and NEVER submits a
 *      proposal.
 * Everything it sees and does is a `WatchEvent` (the CLI prints them as JSON lines).
 *
 * In-process:
 *   const state = newWatchState();
 *   const events = await watchOnce(new ClientReader(chain.client("deployer")), [vault], {
 *     reporter: new ClientSigner(chain.client("watcher")),
 *     guardian: new ClientSigner(chain.client("guardian")), contracts }, state);
 */
import type { Coin, ExecResult } from "../client";
import { wasmAttributes } from "../client";
import { ChainError, type Contracts, type Reader, type Signer } from "../cli/api";
import { governanceTargets } from "../cli/views";
import type { Incident, IncidentsResponse, InvariantsResponse, PauseStatusResponse } from "../../../ts-client/RewindVault.types";
import { evaluateVault, type Evaluation } from "./evaluate";

export { atomics, deviationBps, evaluateVault, movedBeyond, VAULT_INVARIANT_SCOPES, type Evaluation } from "./evaluate";

export const WATCH_EVENTS = ["violation", "report", "pause", "draft", "ok", "error"] as const;
export type WatchEventKind = (typeof WATCH_EVENTS)[number];

/** One alert: a JSON line of `rewind watch`. */
export interface WatchEvent {
  event: WatchEventKind;
  /** The height it is about: the evaluated height, or the height a transaction landed in. */
  height: number;
  target: string;
  invariant: string | null;
  [key: string]: unknown;
}

export interface WatchOptions {
  /** Sends `Report`; absent: alerts only, nothing is sent. */
  reporter?: Signer;
  /** A guardian key: pauses the affected scopes the report's pause did not cover. */
  guardian?: Signer;
  /** The guardian and governance addresses (needed with `guardian`, and for the draft's deposit). */
  contracts?: Contracts;
  /** The guardian pause (seconds); default: the guardian policy's max_pause_seconds. */
  pauseSeconds?: number;
  /** Units of work per Report call (default: the target's). */
  reportLimit?: number;
  /** The most Report calls of one scan (default 20). */
  maxReportCalls?: number;
  /** The network name written into the draft's command line (default local). */
  network?: string;
}

/** What the watcher remembers between heights. */
export interface WatchState {
  /** The last height evaluated. */
  lastHeight?: number;
  /** target -> the last height at which every invariant held, as the watcher saw it. */
  lastHeld: Map<string, number>;
  /** `target invariant` -> the first height it was seen broken (cleared when it holds). */
  brokenSince: Map<string, number>;
  /** `target invariant` -> the incident the watcher handled (reported, paused, drafted). */
  handled: Map<string, number>;
  /** `target invariant` whose report the target refuted (not retried until it holds again). */
  refuted: Set<string>;
  /** Targets without an `Invariants {}` query (reported once). */
  unsupported: Set<string>;
}

export function newWatchState(): WatchState {
  return { lastHeld: new Map(), brokenSince: new Map(), handled: new Map(), refuted: new Set(), unsupported: new Set() };
}

/** A draft restoration proposal: what holders vote on, never sent by the watcher. */
export interface Draft {
  target: string;
  incident: number | null;
  invariant: string;
  candidate_height: number;
  /** Where the candidate came from. */
  source: "incident" | "watcher";
  exclusions: string[];
  /** The `rewind propose restore` command line (for a holder to run; add --from). */
  command: string;
  /** The same with --dry-run: the preview, nothing sent. */
  preview: string;
  msg: { propose_restoration: Record<string, unknown> };
  /** Governance's deposit, to attach when it is submitted. */
  deposit: Coin | null;
  /** The target has a fast-track playbook: the guardian's `rewind propose fast-track` for this
   * incident (queued at once, executes after the playbook's veto window unless vetoed). */
  fast_track?: { command: string; preview: string; msg: { propose_fast_track: { target: string; incident_id: number; exclusions: null } }; veto_window_seconds: number; veto_threshold: string };
  /** A problem found while drafting (e.g. the target refused DigestAt at the candidate). */
  warning?: string;
}

const key = (target: string, invariant: string) => `${target} ${invariant}`;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Evaluates every target at the latest height (once per new height; `[]` if none). */
export async function watchOnce(reader: Reader, targets: string[], opts: WatchOptions = {}, state: WatchState = newWatchState()): Promise<WatchEvent[]> {
  const { height } = await reader.latest();
  if (state.lastHeight !== undefined && height <= state.lastHeight) return [];
  state.lastHeight = height;
  const events: WatchEvent[] = [];
  for (const target of targets) events.push(...(await watchTarget(reader, target, height, opts, state)));
  return events;
}

async function watchTarget(reader: Reader, target: string, height: number, opts: WatchOptions, state: WatchState): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  let evaluations: Evaluation[];
  try {
    evaluations = evaluateVault(await reader.smart<InvariantsResponse>(target, { invariants: {} }));
  } catch (e) {
    if (e instanceof ChainError && /unknown variant/i.test(e.message)) {
      if (!state.unsupported.has(target)) events.push({ event: "error", height, target, invariant: null, stage: "evaluate", message: `not watched: the target answers no Invariants {} query (${e.message.slice(0, 160)})` });
      state.unsupported.add(target);
      return events;
    }
    return [{ event: "error", height, target, invariant: null, stage: "evaluate", message: message(e) }];
  }
  if (!evaluations.length && !state.unsupported.has(target)) {
    state.unsupported.add(target);
    events.push({ event: "error", height, target, invariant: null, stage: "evaluate", message: "not watched: the target declares no invariant (solvency off, no reference feeder)" });
  }
  for (const ev of evaluations) {
    const k = key(target, ev.invariant);
    if (ev.held) {
      state.brokenSince.delete(k);
      state.handled.delete(k);
      state.refuted.delete(k);
      events.push({ event: "ok", height, target, invariant: ev.invariant, reason: ev.reason, ...ev.detail });
      continue;
    }
    if (!state.brokenSince.has(k)) state.brokenSince.set(k, height);
    const since = state.brokenSince.get(k)!;
    events.push({ event: "violation", height, target, invariant: ev.invariant, reason: ev.reason, broken_since: since, ...ev.detail });
    if (state.handled.has(k) || state.refuted.has(k) || !opts.reporter) continue;
    const incident = await report(reader, target, ev.invariant, height, since, opts, events);
    if (!incident) {
      state.refuted.add(k);
      continue;
    }
    state.handled.set(k, incident.id);
    if (opts.guardian) await pause(reader, target, ev, incident, height, opts, events);
    try {
      const draft = await draftRestoration(reader, target, ev.invariant, incident, state.lastHeld.get(target), opts);
      events.push({ event: "draft", height, ...draft });
    } catch (e) {
      events.push({ event: "error", height, target, invariant: ev.invariant, stage: "draft", message: message(e) });
    }
  }
  if (evaluations.length && evaluations.every((e) => e.held)) state.lastHeld.set(target, height);
  return events;
}

/** Sends Report until the target proves it (or refutes it); the incident, or null. */
async function report(reader: Reader, target: string, invariant: string, height: number, since: number, opts: WatchOptions, events: WatchEvent[]): Promise<Incident | null> {
  const signer = opts.reporter!;
  const max = opts.maxReportCalls ?? 20;
  let calls = 0;
  let tx: ExecResult | undefined;
  try {
    for (;;) {
      calls++;
      tx = await signer.execute(target, { report: { invariant, limit: opts.reportLimit ?? null } });
      const outcome = wasmAttributes(tx.events, target, "outcome")[0];
      if (outcome === "incident") break;
      if (calls >= max) {
        events.push({ event: "error", height: tx.height, target, invariant, stage: "report", message: `still scanning after ${calls} Report calls` });
        return null;
      }
    }
  } catch (e) {
    const text = message(e);
    const dup = /already reported: incident (\d+) is open/.exec(text);
    if (dup) {
      // Someone else proved it first: handle their incident (pause, draft), no bounty for us.
      const incident = await reader.smart<Incident>(target, { incident: { id: Number(dup[1]) } });
      events.push({ event: "report", height, target, invariant, duplicate: true, incident: incident.id, ...incidentFields(incident), calls });
      return incident;
    }
    events.push({ event: "error", height, target, invariant, stage: "report", message: /report refuted/.test(text) ? `the target refuted the report: ${text}` : text });
    return null;
  }
  const id = Number(wasmAttributes(tx!.events, target, "incident")[0]);
  const incident = await reader.smart<Incident>(target, { incident: { id } });
  const exploit = incident.last_held_height != null ? incident.last_held_height + 1 : since;
  events.push({
    event: "report",
    height: tx!.height,
    target,
    invariant,
    incident: id,
    ...incidentFields(incident),
    reporter: signer.address,
    txhash: tx!.txHash,
    calls,
    first_seen_height: since,
    latency_blocks: tx!.height - exploit,
  });
  return incident;
}

function incidentFields(i: Incident): Record<string, unknown> {
  return { reason: i.reason, detected_height: i.detected_height, last_held_height: i.last_held_height ?? null, accounts: i.accounts, bounty: i.bounty ?? null, paused_until: i.paused_until ?? null, reporter: i.reporter };
}

/** Guardian pauses of the invariant's scopes that the target's own pause does not cover. */
async function pause(reader: Reader, target: string, ev: Evaluation, incident: Incident, height: number, opts: WatchOptions, events: WatchEvent[]): Promise<void> {
  const guardian = opts.contracts?.guardian;
  if (!guardian) {
    events.push({ event: "error", height, target, invariant: ev.invariant, stage: "pause", message: "no guardian contract known: cannot pause" });
    return;
  }
  let seconds = opts.pauseSeconds;
  let status: PauseStatusResponse;
  let byGuardian: { scopes: { scope: string; paused: boolean; paused_by?: string | null; seconds_left: number }[] };
  try {
    seconds ??= (await reader.smart<{ policy: { max_pause_seconds: number } }>(guardian, { config: {} })).policy.max_pause_seconds;
    status = await reader.smart<PauseStatusResponse>(target, { pause_status: {} });
    byGuardian = await reader.smart(guardian, { pause_status: { target } });
  } catch (e) {
    events.push({ event: "error", height, target, invariant: ev.invariant, stage: "pause", message: message(e) });
    return;
  }
  for (const scope of ev.scopes) {
    const s = status.scopes.find((x) => x.scope === scope);
    const g = byGuardian.scopes.find((x) => x.scope === scope);
    // Covered: a guardian pause is in force, or the target's own (the report's) lasts as long.
    const covered = g?.paused ? `already paused by guardian ${g.paused_by ?? "?"} for ${g.seconds_left} s` : s?.blocked && s.seconds_left >= seconds ? `already blocked for ${s.seconds_left} s (>= ${seconds} s)` : undefined;
    if (covered) {
      events.push({ event: "pause", height, target, invariant: ev.invariant, scope, skipped: true, message: covered });
      continue;
    }
    const reason = `rewind watch: invariant ${ev.invariant} broken (incident ${incident.id})`;
    try {
      const tx = await opts.guardian!.execute(guardian, { pause: { target, scope, duration_seconds: seconds, reason } });
      events.push({ event: "pause", height: tx.height, target, invariant: ev.invariant, scope, duration_seconds: seconds, covered_by_report: s?.blocked ? s.seconds_left : 0, guardian: opts.guardian!.address, reason, txhash: tx.txHash });
    } catch (e) {
      events.push({ event: "error", height, target, invariant: ev.invariant, stage: "pause", scope, message: message(e) });
    }
  }
}

/** The restoration proposal an incident supports (never sent). */
export async function draftRestoration(reader: Reader, target: string, invariant: string, incident: Incident | null, watcherLastHeld: number | undefined, opts: Pick<WatchOptions, "contracts" | "network"> = {}): Promise<Draft> {
  const fromIncident = incident?.last_held_height ?? undefined;
  const candidate = fromIncident ?? watcherLastHeld;
  if (candidate === undefined) throw new Error(`no candidate height: the incident names none and every invariant was broken since the watcher started`);
  const exclusions = incident?.accounts ?? [];
  let warning: string | undefined;
  let digests: string[] = [];
  try {
    digests = [(await reader.smart<{ digest: string }>(target, { digest_at: { height: candidate } })).digest];
  } catch (e) {
    warning = `DigestAt ${candidate} refused by the target: ${message(e)}`;
  }
  let deposit: Coin | null = null;
  let fastTrack: Draft["fast_track"];
  if (opts.contracts?.governance) {
    deposit = await reader
      .smart<{ config: { deposit: Coin } }>(opts.contracts.governance, { config: {} })
      .then((c) => c.config.deposit)
      .catch(() => null);
    const playbook = incident && fromIncident !== undefined ? await governanceTargets(reader, opts.contracts).then((ts) => ts.find((t) => t.contract === target)?.playbook, () => undefined) : undefined;
    if (playbook && incident) {
      const command = `rewind propose fast-track --network ${quote(opts.network ?? "local")} --target ${target} --incident ${incident.id}`;
      fastTrack = { command, preview: `${command} --dry-run`, msg: { propose_fast_track: { target, incident_id: incident.id, exclusions: null } }, veto_window_seconds: playbook.veto_window_seconds, veto_threshold: playbook.veto_threshold };
    }
  }
  const what = incident ? `incident ${incident.id} (${invariant}, detected at ${incident.detected_height})` : `${invariant} broken`;
  const title = `Restore to ${candidate}, the last height every invariant held: ${what}`;
  const description = `Drafted by rewind watch. ${incident ? `${incident.reason}.` : ""} Candidate: ${fromIncident !== undefined ? "the incident's last_held_height" : "the watcher's last all-holding height"}; exclusions: ${exclusions.length ? "the incident's accounts" : "none"}.`.replace(/\s+/g, " ").trim();
  const msg = {
    propose_restoration: {
      title,
      description,
      targets: [{ contract: target, new_code: null }],
      candidates: [{ height: candidate, expected_digests: digests }],
      exclusions,
      shortfall_policy: "pro_rata_haircut",
      expedited: true,
    },
  };
  const command = [
    "rewind propose restore",
    `--network ${quote(opts.network ?? "local")}`,
    `--target ${target}`,
    `--height ${candidate}`,
    ...exclusions.map((a) => `--exclude ${a}`),
    "--policy pro-rata --expedited",
    `--title ${quote(title)}`,
  ].join(" ");
  return { target, incident: incident?.id ?? null, invariant, candidate_height: candidate, source: fromIncident !== undefined ? "incident" : "watcher", exclusions, command, preview: `${command} --dry-run`, msg, deposit, ...(fastTrack ? { fast_track: fastTrack } : {}), ...(warning ? { warning } : {}) };
}

/** Every incident a target recorded (paged). */
export async function incidents(reader: Reader, target: string): Promise<IncidentsResponse> {
  const all: Incident[] = [];
  let last: IncidentsResponse | undefined;
  for (;;) {
    last = await reader.smart<IncidentsResponse>(target, { incidents: { start_after: all.length ? all[all.length - 1].id : null, limit: 30 } });
    all.push(...last.incidents);
    if (last.incidents.length < 30) break;
  }
  return { ...last, incidents: all };
}
