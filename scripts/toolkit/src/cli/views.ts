/**
 * Reads the state of a Rewind deployment through a Reader: what `rewind status` prints and
 * what the checks before a transaction need. Response shapes follow scripts/ts-client, read
 * tolerantly (fields added by a later round are optional here).
 */
import type { Contracts, Reader } from "./api";

export const SCOPES = ["all", "deposit", "withdraw", "trade", "liquidate"] as const;
export type Scope = (typeof SCOPES)[number];

/** The vault's restoration steps, in order (RestorationStep in the vault schema). */
export const STEPS = ["rolling_back", "unwinding", "replaying", "freezing", "reconciling", "settling", "complete"] as const;

export interface ScopeView {
  scope: string;
  paused: boolean;
  paused_by?: string | null;
  seconds_left: number;
  until?: string | null;
  /** The reason of the newest pause record of this scope. */
  reason?: string;
}

export interface TargetView {
  contract: string;
  label?: string;
  exits_pausable: boolean;
  active_proposal?: number | null;
  scopes: ScopeView[];
  budget?: { used_seconds: number; actions?: { action: string; cooldown_until?: string | null }[] };
  journal?: { retained_from: number; latest_height: number; restoring: boolean; history_held_from?: number | null; exit_only_until?: string | null };
  pauses: PauseRecordView[];
}

export interface PauseRecordView {
  id: number;
  scope: string;
  start: string;
  end: string;
  paused_by: string;
  reason: string;
  extended_by_governance?: boolean;
}

export interface ProposalView {
  id: number;
  title: string;
  status: string;
  expedited: boolean;
  proposer: string;
  seconds_left: number;
  start_time: string;
  end_time: string;
  power_height: number;
  total_power: string;
  rules: { quorum: string; threshold: string; veto_threshold: string };
  tally: { for_options: string[]; reject: string; abstain: string; veto: string };
  kind: {
    restoration?: { candidates: { height: number; expected_digests: string[] }[]; exclusions: string[]; shortfall_policy: string; targets: { contract: string }[] };
    parameters?: unknown;
  };
  operation_id?: number | null;
  winning_height?: number | null;
  execution_error?: string | null;
}

export interface OperationView {
  id: number;
  status: string;
  eta: string;
  eta_height: number;
  queued_at: string;
  expires_at: string;
  spec: { height: number; proposal_id: number; exclusions: string[]; targets: { contract: string; expected_digest: string }[] };
}

export interface RestorationView {
  id: number;
  state: string | { failed: { error: string } };
  started_at: string;
  finished_at?: string | null;
  spec: { height: number; targets: { contract: string; expected_digest: string }[] };
  targets: { contract: string; migrated: boolean; status: { phase: string; digest_verified: boolean; undone_entries: number; replayed_flows: number; height?: number | null } }[];
}

export interface ProgressView {
  step?: string | null;
  restoration_id?: number | null;
  height?: number | null;
  undone_entries: number;
  unwound_positions: number;
  replayed_flows: number;
  skipped_flows: number;
  frozen_accounts: number;
  settled_balances: number;
}

export interface StatusView {
  height: number;
  /** Block time, nanoseconds (string: JSON has no bigint). */
  time: string;
  chainId: string;
  contracts: Contracts;
  targets: TargetView[];
  proposals: ProposalView[];
  operations: (OperationView & { seconds_to_eta: number })[];
  restorations: (RestorationView & { progress: Record<string, ProgressView | undefined> })[];
}

/** Resolves the module addresses from governance's Config. */
export async function resolveContracts(reader: Reader, governance: string, known: Partial<Contracts> = {}): Promise<Contracts> {
  const cfg = await reader.smart<{ modules: { timelock: string; guardian: string; executor: string } }>(governance, { config: {} });
  return { ...known, governance, timelock: cfg.modules.timelock, guardian: cfg.modules.guardian, executor: cfg.modules.executor };
}

/** Pages through a list query (`start_after` = the last item's key). */
export async function pages<T>(fetchPage: (startAfter: string | number | null) => Promise<T[]>, key: (t: T) => string | number, limit = 30, max = 1000): Promise<T[]> {
  const out: T[] = [];
  let start: string | number | null = null;
  for (;;) {
    const page = await fetchPage(start);
    out.push(...page);
    if (page.length < limit || out.length >= max) return out;
    start = key(page[page.length - 1]);
  }
}

/** A target's fast-track playbook, as governance answers it. */
export interface PlaybookView {
  veto_window_seconds: number;
  veto_threshold: string;
  shortfall_policy: string;
  post_restore_config?: string | null;
}

export async function governanceTargets(reader: Reader, c: Contracts): Promise<{ contract: string; active_proposal?: number | null; playbook?: PlaybookView | null }[]> {
  return pages(
    async (s) => (await reader.smart<{ targets: { contract: string; active_proposal?: number | null; playbook?: PlaybookView | null }[] }>(c.governance, { targets: { start_after: s, limit: 30 } })).targets,
    (t) => t.contract,
  );
}

/** Each target's exit policy, from the guardian's registry (the one record of it). */
export async function exitPolicies(reader: Reader, c: Contracts): Promise<Map<string, boolean>> {
  const targets = await pages(
    async (s) => (await reader.smart<{ targets: { target: string; exits_pausable: boolean }[] }>(c.guardian, { targets: { start_after: s, limit: 30 } })).targets,
    (t) => t.target,
  );
  return new Map(targets.map((t) => [t.target, t.exits_pausable]));
}

export async function readTarget(reader: Reader, c: Contracts, t: { contract: string; active_proposal?: number | null }, exitsPausable: boolean): Promise<TargetView> {
  const [status, budget, history, journal, info] = await Promise.all([
    reader.smart<{ scopes: ScopeView[] }>(c.guardian, { pause_status: { target: t.contract } }),
    reader.smart<TargetView["budget"]>(c.guardian, { budget: { target: t.contract } }).catch(() => undefined),
    reader.smart<{ pauses: PauseRecordView[] }>(c.guardian, { pause_history: { target: t.contract, limit: 30 } }).catch(() => ({ pauses: [] })),
    reader.smart<TargetView["journal"]>(t.contract, { journal_info: {} }).catch(() => undefined),
    reader.contractInfo(t.contract).catch(() => undefined),
  ]);
  const scopes = status.scopes.map((s) => ({ ...s, reason: s.paused ? history.pauses.find((p) => p.scope === s.scope)?.reason : undefined }));
  return { contract: t.contract, label: info?.label, exits_pausable: exitsPausable, active_proposal: t.active_proposal, scopes, budget, journal, pauses: history.pauses };
}

export async function readStatus(reader: Reader, c: Contracts): Promise<StatusView> {
  const latest = await reader.latest();
  const exits = await exitPolicies(reader, c);
  const targets = await Promise.all((await governanceTargets(reader, c)).map((t) => readTarget(reader, c, t, exits.get(t.contract) ?? false)));
  const proposals = await pages(
    async (s) => (await reader.smart<{ proposals: ProposalView[] }>(c.governance, { proposals: { start_after: s, limit: 30, status: "open" } })).proposals,
    (p) => p.id,
  );
  const ops = await pages(async (s) => (await reader.smart<{ operations: OperationView[] }>(c.timelock, { operations: { start_after: s, limit: 30 } })).operations, (o) => o.id);
  const restorations = await pages(async (s) => (await reader.smart<{ restorations: RestorationView[] }>(c.executor, { restorations: { start_after: s, limit: 30 } })).restorations, (r) => r.id);
  const now = latest.timeNanos;
  const running = restorations.filter((r) => r.state === "running");
  return {
    height: latest.height,
    time: now.toString(),
    chainId: latest.chainId,
    contracts: c,
    targets,
    proposals,
    operations: ops
      .filter((o) => o.status === "queued")
      .map((o) => ({ ...o, seconds_to_eta: Math.max(0, Number((BigInt(o.eta) - now) / 1_000_000_000n)) })),
    restorations: await Promise.all(running.map(async (r) => ({ ...r, progress: await readProgress(reader, r) }))),
  };
}

export async function readProgress(reader: Reader, r: RestorationView): Promise<Record<string, ProgressView | undefined>> {
  const out: Record<string, ProgressView | undefined> = {};
  for (const t of r.spec.targets) out[t.contract] = await reader.smart<ProgressView>(t.contract, { restoration_progress: {} }).catch(() => undefined);
  return out;
}

/** Seconds → `3 h 20 min`, `45 s`. */
export function human(seconds: number): string {
  if (seconds <= 0) return "0 s";
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [d ? `${d} d` : "", h ? `${h} h` : "", m ? `${m} min` : "", !d && !h && s ? `${s} s` : ""].filter(Boolean);
  return parts.join(" ") || "0 s";
}

/** A ratio of two decimal strings as a percentage with one decimal. */
export function percent(part: string | bigint, whole: string | bigint): string {
  const w = BigInt(whole);
  if (w === 0n) return "0.0%";
  return `${(Number((BigInt(part) * 10000n) / w) / 100).toFixed(1)}%`;
}

export function nanosToIso(n: string | bigint | null | undefined): string {
  if (n == null) return "-";
  return new Date(Number(BigInt(n) / 1_000_000n)).toISOString().replace(/\.000Z$/, "Z");
}

export function formatStatus(s: StatusView, name: (a: string) => string = (a) => a): string {
  const out: string[] = [];
  out.push(`chain ${s.chainId} at height ${s.height}, ${nanosToIso(s.time)}`);
  out.push("", "== targets");
  if (!s.targets.length) out.push("(none registered)");
  for (const t of s.targets) {
    const j = t.journal;
    out.push(
      `${name(t.contract)}${t.label ? ` (${t.label})` : ""}${t.active_proposal != null ? `, active proposal ${t.active_proposal}` : ""}${j ? `, history ${j.retained_from}..${j.latest_height}${j.restoring ? ", RESTORING" : ""}` : ""}`,
    );
    if (t.budget) {
      const cooldowns = (t.budget.actions ?? []).filter((a) => a.cooldown_until).map((a) => `${a.action} until ${nanosToIso(a.cooldown_until!)}`);
      out.push(`  guardian budget: used ${human(t.budget.used_seconds)} in the window (all guardians)${cooldowns.length ? `, cooldown: ${cooldowns.join(", ")}` : ""}`);
    }
    for (const sc of t.scopes) {
      out.push(
        sc.paused
          ? `  ${sc.scope.padEnd(9)} PAUSED, ends in ${human(sc.seconds_left)} (${nanosToIso(sc.until)}) by ${name(sc.paused_by ?? "?")}${sc.reason ? `: ${sc.reason}` : ""}`
          : `  ${sc.scope.padEnd(9)} open`,
      );
    }
  }
  out.push("", "== open proposals");
  if (!s.proposals.length) out.push("(none)");
  for (const p of s.proposals) {
    out.push(`#${p.id} ${p.title} [${p.expedited ? "expedited" : "normal"}], ${human(p.seconds_left)} left, quorum ${p.rules.quorum}, threshold ${p.rules.threshold}`);
    const r = p.kind.restoration;
    const cast = [...p.tally.for_options, p.tally.reject, p.tally.abstain, p.tally.veto].reduce((a, b) => a + BigInt(b), 0n);
    out.push(`  turnout ${cast} of ${p.total_power} (${percent(cast, p.total_power)}); reject ${p.tally.reject}, abstain ${p.tally.abstain}, veto ${p.tally.veto}`);
    if (r) {
      r.candidates.forEach((c, i) => out.push(`  candidate height ${c.height}: ${p.tally.for_options[i] ?? "0"} (${percent(p.tally.for_options[i] ?? "0", p.total_power)} of power)`));
      out.push(`  exclusions: ${r.exclusions.map(name).join(", ") || "none"}; policy ${r.shortfall_policy}; targets ${r.targets.map((t) => name(t.contract)).join(", ")}`);
    }
  }
  out.push("", "== queued operations");
  if (!s.operations.length) out.push("(none)");
  for (const o of s.operations) {
    out.push(`op ${o.id} (proposal ${o.spec.proposal_id}): restore to ${o.spec.height}; ETA ${nanosToIso(o.eta)} (${o.seconds_to_eta ? `in ${human(o.seconds_to_eta)}` : "due now"}) and height ${o.eta_height}; expires ${nanosToIso(o.expires_at)}`);
  }
  out.push("", "== running restorations");
  if (!s.restorations.length) out.push("(none)");
  for (const r of s.restorations) {
    out.push(`restoration ${r.id}: to height ${r.spec.height}, started ${nanosToIso(r.started_at)}`);
    for (const t of r.targets) {
      const p = r.progress[t.contract];
      out.push(`  ${name(t.contract)}: ${p?.step ?? t.status.phase}; undone ${p?.undone_entries ?? t.status.undone_entries}, replayed ${p?.replayed_flows ?? t.status.replayed_flows}, settled ${p?.settled_balances ?? 0}; digest ${t.status.digest_verified ? "verified" : "not yet verified"}`);
    }
  }
  return out.join("\n");
}
