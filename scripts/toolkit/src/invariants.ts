/**
 * The invariants the demo and the end-to-end tests hold the restoration to, checked in code.
 *
 * The expected claims are computed here independently of the vault, from what the scenario
 * itself saw: each account's collateral and positions at the end of E-1 (queried then), the
 * executions it sent to the vault after E-1 (re-run here on that ledger, skipping the
 * excluded senders', so every trade or close after E-1 runs at the last price an honest
 * sender pushed), and the vault's bank balance. The settlement rule is the one in
 * contracts/rewind-vault/README.md ("Claims"): S = max(C - B, 0); frozen claims absorb
 * first; under insurance-first the insurance claim covers next; the rest is a pro-rata
 * haircut of the honest claims, every kept value rounded down.
 *
 * The replay's outcome of each execution comes from the vault's `ReplayReport` (every
 * record it did not replay, with why), checked against the vault's own counters.
 */
import type { RestorationResponse } from "../../ts-client/RewindExecutor.types";
import type { PauseStatusResponse as GuardianPauseStatus } from "../../ts-client/RewindGuardian.types";
import type {
  AccountResponse,
  ConfigResponse,
  JournalInfoResponse,
  PauseStatusResponse as VaultPauseStatus,
  ReplayEntry,
  RestorationReport,
  RestorationStatusResponse,
} from "../../ts-client/RewindVault.types";
import type { AccountRow, Policy, Probe, VaultExecution } from "./scenario";

export interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
  /** Set on an invariant the contracts are known not to meet: why (a failure is then reported as a known gap). */
  gap?: string;
}

/** An account's ledger at the end of E-1, as the vault's `Account` query answered then. */
export interface LedgerAtH {
  free: bigint;
  /** Open positions by market (entry price in Decimal atomics, 18 decimals). */
  positions: Map<string, { size: bigint; entry: bigint; margin: bigint }>;
}

export interface InvariantInput {
  accounts: AccountRow[];
  /** Every account's ledger at the end of E-1, by name. */
  ledgers: Map<string, LedgerAtH>;
  /** Each market's price at the end of E-1 (Decimal atomics). */
  pricesAtH: Map<string, bigint>;
  /** The vault's executions after E-1, in order, with their replay outcomes. */
  executions: VaultExecution[];
  /** What the vault's ReplayReport listed that matches none of `executions`. */
  unmatched: ReplayEntry[];
  report: RestorationReport;
  policy: Policy;
  insuranceName: string;
  attackerName: string;
  /** The compromised feeder (excluded) and the one the restoration rotated in. */
  feederName: string;
  newFeeder: { name: string; address: string };
  /** The vault's configuration after the restoration, and whether the new feeder's push was accepted. */
  vaultConfig: ConfigResponse;
  newFeederPushed: boolean;
  restoration: RestorationResponse;
  vaultStatus: RestorationStatusResponse;
  vaultPause: VaultPauseStatus;
  journal: JournalInfoResponse;
  guardianPause: GuardianPauseStatus;
  mallory: AccountResponse;
  malloryRefusal: string;
  aliceWithdrew: boolean;
  restoreHeight: number;
  probes: Probe[];
  probesOn: boolean;
}

/** floor(value * num / den); a zero denominator keeps the value (the vault's `keep`). */
function keep(value: bigint, num: bigint, den: bigint): bigint {
  return den === 0n ? value : (value * num) / den;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** A Decimal's atomics (18 decimals): "102" -> 102 * 10^18, "0.5" -> 5 * 10^17. */
export function decimalAtomics(s: string): bigint {
  const [whole, frac = ""] = s.split(".");
  return BigInt(whole) * ONE + BigInt((frac + "0".repeat(18)).slice(0, 18));
}
const ONE = 10n ** 18n;

/** Floor division (BigInt's `/` truncates toward zero). */
function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
}

/** The vault's PnL of `size` from `entry` to `price`, rounded down (contracts/rewind-vault/src/math.rs). */
export function pnl(size: bigint, entry: bigint, price: bigint): bigint {
  return floorDiv(size * (price - entry), ONE);
}

/** What the replay of one execution does to the model, or why it fails (the vault would refuse it too). */
export type ModelStep = { ok: true } | { ok: false; why: string };

/**
 * The honest history after E-1, re-run independently of the vault: every execution of a
 * sender not in `excluded`, in order, on the ledgers at E-1, with the prices at E-1 moved
 * only by honest pushes. Returns each account's expected claim (free collateral plus
 * position margin) after the replay, and the executions the model could not run.
 */
export function honestReplay(
  ledgersAtH: ReadonlyMap<string, LedgerAtH>,
  pricesAtH: ReadonlyMap<string, bigint>,
  executions: ReadonlyArray<Pick<VaultExecution, "name" | "msg" | "funds">>,
  excluded: ReadonlySet<string>,
  denom: string,
): { claims: Map<string, bigint>; refused: string[] } {
  const ledgers = new Map<string, LedgerAtH>();
  for (const [name, l] of ledgersAtH) ledgers.set(name, { free: l.free, positions: new Map(l.positions) });
  const prices = new Map(pricesAtH);
  const refused: string[] = [];
  for (const e of executions) {
    if (excluded.has(e.name)) continue;
    const l = ledgers.get(e.name) ?? { free: 0n, positions: new Map() };
    ledgers.set(e.name, l);
    const step = apply(l, prices, e, denom);
    if (!step.ok) refused.push(`${e.name}: ${step.why}`);
  }
  const claims = new Map<string, bigint>();
  for (const [name, l] of ledgers) claims.set(name, l.free + [...l.positions.values()].reduce((s, p) => s + p.margin, 0n));
  return { claims, refused };
}

function apply(l: LedgerAtH, prices: Map<string, bigint>, e: Pick<VaultExecution, "msg" | "funds">, denom: string): ModelStep {
  const m = e.msg as Record<string, Record<string, string>>;
  if ("deposit" in m) {
    l.free += BigInt(e.funds.find((c) => c.denom === denom)?.amount ?? "0");
  } else if ("withdraw" in m) {
    const amount = BigInt(m.withdraw.amount);
    if (amount > l.free) return { ok: false, why: `withdraw ${amount} above free collateral ${l.free}` };
    l.free -= amount;
  } else if ("open_position" in m) {
    const { market, size, margin } = m.open_position;
    const price = prices.get(market);
    if (price === undefined) return { ok: false, why: `no price for ${market}` };
    if (l.positions.has(market)) return { ok: false, why: `a position in ${market} is open` };
    if (BigInt(margin) > l.free) return { ok: false, why: `margin ${margin} above free collateral ${l.free}` };
    l.free -= BigInt(margin);
    l.positions.set(market, { size: BigInt(size), entry: price, margin: BigInt(margin) });
  } else if ("close_position" in m) {
    const { market } = m.close_position;
    const p = l.positions.get(market);
    const price = prices.get(market);
    if (!p || price === undefined) return { ok: false, why: `no position or price in ${market}` };
    l.free += max(p.margin + pnl(p.size, p.entry, price), 0n);
    l.positions.delete(market);
  } else if ("push_price" in m) {
    prices.set(m.push_price.market, decimalAtomics(m.push_price.price));
  } else {
    return { ok: false, why: `the model does not run ${Object.keys(m)[0]}` };
  }
  return { ok: true };
}

/** Expected claims after settlement, per account name, by the README's rule. */
export function expectedSettlement(
  before: ReadonlyArray<{ name: string; frozen: boolean; before: bigint }>,
  bank: bigint,
  policy: Policy,
  insuranceName: string,
): { claims: Map<string, bigint>; shortfall: bigint; insuranceUsed: bigint; haircut: bigint } {
  const C = before.reduce((s, a) => s + a.before, 0n);
  const F = before.filter((a) => a.frozen).reduce((s, a) => s + a.before, 0n);
  const insurance = before.find((a) => a.name === insuranceName && !a.frozen);
  const I = insurance?.before ?? 0n;
  const S = max(C - bank, 0n);
  const f = min(S, F);
  const rest = S - f;
  const u = policy === "insurance-first" ? min(rest, I) : 0n;
  const P = policy === "insurance-first" ? C - F - I : C - F;
  const h = rest - u;
  const claims = new Map<string, bigint>();
  for (const a of before) {
    if (a.frozen) claims.set(a.name, keep(a.before, F - f, F));
    else if (policy === "insurance-first" && insurance && a.name === insuranceName) claims.set(a.name, I - u);
    else claims.set(a.name, keep(a.before, P - h, P));
  }
  return { claims, shortfall: S, insuranceUsed: u, haircut: h };
}

/** A replay outcome's name: "replayed" when the vault's report does not list it as skipped. */
export type OutcomeName = "replayed" | "unsent" | "excluded" | "never_replayed" | "follows_skipped" | "failed";

export function outcomeName(entry: ReplayEntry): OutcomeName {
  return Object.keys(entry.outcome)[0] as OutcomeName;
}

/** Replayed: the record ran again (an `Unsent` entry replayed, its non-bank messages were not sent again). */
export const isReplayed = (o: OutcomeName | undefined) => o === "replayed" || o === "unsent";
/** The old, flows-only restoration replayed these and nothing else. */
export const isFlow = (e: Pick<VaultExecution, "msg">) => "deposit" in e.msg || "withdraw" in e.msg;

/**
 * Each execution's outcome from the vault's ReplayReport entries (matched by block height,
 * one transaction per block on the simulated chain, and sender): an execution the report
 * does not list was replayed. Returns the entries that match none.
 */
export function matchReport(executions: VaultExecution[], entries: ReadonlyArray<ReplayEntry>): ReplayEntry[] {
  const unmatched: ReplayEntry[] = [];
  for (const e of executions) {
    e.outcome = "replayed";
    e.error = undefined;
  }
  for (const entry of entries) {
    const e = executions.find((x) => x.height === entry.id.height && x.address === entry.sender);
    if (!e) {
      unmatched.push(entry);
      continue;
    }
    e.outcome = outcomeName(entry);
    if ("failed" in entry.outcome) e.error = entry.outcome.failed.error;
  }
  return unmatched;
}

/** The recovery point of the restoration, in honest executions after E-1. */
export interface ReplaySummary {
  /** Executions after E-1 the scenario sent (successful transactions on the vault). */
  executions: number;
  honest: number;
  replayed: number;
  skippedExcluded: number;
  failed: number;
  /** Skipped for another reason (never_replay messages, records following a skipped one). */
  otherSkipped: number;
  /** Honest executions whose outcome is not Replayed: the RPO. */
  lost: number;
  /** Honest executions the flows-only restoration (before honest replay) would have lost. */
  lostFlowsOnly: number;
}

export function summarizeReplay(executions: ReadonlyArray<VaultExecution>, excluded: ReadonlySet<string>): ReplaySummary {
  const honest = executions.filter((e) => !excluded.has(e.address));
  const count = (f: (e: VaultExecution) => boolean) => executions.filter(f).length;
  return {
    executions: executions.length,
    honest: honest.length,
    replayed: count((e) => isReplayed(e.outcome)),
    skippedExcluded: count((e) => e.outcome === "excluded"),
    failed: count((e) => e.outcome === "failed"),
    otherSkipped: count((e) => e.outcome === "never_replayed" || e.outcome === "follows_skipped"),
    lost: honest.filter((e) => !isReplayed(e.outcome)).length,
    lostFlowsOnly: honest.filter((e) => !isFlow(e)).length,
  };
}

export function checkInvariants(x: InvariantInput): Invariant[] {
  const out: Invariant[] = [];
  const add = (name: string, ok: boolean, detail: string) => out.push({ name, ok, detail });
  const d = x.report.denoms[0];
  const bank = BigInt(d?.bank_balance ?? "0");
  const excluded = new Set(x.report.exclusions);
  const excludedNames = new Set(x.accounts.filter((a) => excluded.has(a.address)).map((a) => a.name));

  // claims = the ledger at E-1 + the honest executions after it, re-run here - share of the shortfall
  const model = honestReplay(x.ledgers, x.pricesAtH, x.executions, excludedNames, d?.denom ?? "");
  const expectBefore = (a: AccountRow) => (a.frozen ? a.atH : (model.claims.get(a.name) ?? a.atH));
  const wrongBefore = x.accounts.filter((a) => a.before !== expectBefore(a));
  const expected = expectedSettlement(x.accounts, bank, x.policy, x.insuranceName);
  const wrongAfter = x.accounts.filter((a) => a.claim !== expected.claims.get(a.name));
  add(
    "claim = collateral at E-1 + its replayed executions - share (every account)",
    wrongBefore.length === 0 && wrongAfter.length === 0 && model.refused.length === 0,
    wrongBefore.length || wrongAfter.length || model.refused.length
      ? [
          ...wrongBefore.map((a) => `${a.name}: before ${a.before}, expected ${expectBefore(a)}`),
          ...wrongAfter.map((a) => `${a.name}: claim ${a.claim}, expected ${expected.claims.get(a.name)}`),
          ...model.refused.map((r) => `the model refuses ${r}`),
        ]
          .slice(0, 5)
          .join("; ")
      : `${x.accounts.length} accounts match an independent re-run of the honest executions (shortfall ${expected.shortfall}, insurance used ${expected.insuranceUsed}, haircut ${expected.haircut})`,
  );

  // RPO: every honest execution after E-1 replayed, by the vault's report and its counters
  const rs = summarizeReplay(x.executions, excluded);
  const vaultReplayed = x.vaultStatus.replayed_executions ?? 0;
  const vaultSkipped = x.vaultStatus.skipped_executions ?? 0;
  const skipped = rs.executions - rs.replayed;
  const lost = x.executions.filter((e) => !excluded.has(e.address) && !isReplayed(e.outcome));
  const counted = vaultReplayed === rs.replayed && vaultSkipped === skipped && x.report.replayed_flows === vaultReplayed && x.report.skipped_flows === vaultSkipped;
  add(
    "no honest execution lost (RPO 0)",
    rs.lost === 0 && counted && x.unmatched.length === 0 && rs.honest > 0,
    [
      `honest executions after E-1 ${rs.honest}, lost ${rs.lost}`,
      ...lost.slice(0, 3).map((e) => `${e.name} at ${e.height}: ${e.outcome}${e.error ? ` (${e.error})` : ""}`),
      `the vault replayed ${vaultReplayed} and skipped ${vaultSkipped}; its report accounts for ${rs.replayed} and ${skipped}${counted ? "" : " (MISMATCH)"}`,
      ...(x.unmatched.length ? [`${x.unmatched.length} report entries match no execution the scenario sent`] : []),
    ].join("; "),
  );
  const ofExcluded = x.executions.filter((e) => excluded.has(e.address));
  const replayedExcluded = ofExcluded.filter((e) => e.outcome !== "excluded");
  const feeder = x.accounts.find((a) => a.name === x.feederName);
  const feederPushes = ofExcluded.filter((e) => e.name === x.feederName && "push_price" in e.msg);
  add(
    "excluded senders' executions skipped (the manipulated push too)",
    replayedExcluded.length === 0 && feederPushes.length > 0 && feeder !== undefined && excluded.has(feeder.address),
    replayedExcluded.length
      ? replayedExcluded.map((e) => `${e.name} at ${e.height}: ${e.outcome}`).join("; ")
      : `${ofExcluded.length} executions of ${[...excludedNames].join(", ")} skipped as Excluded, ${feederPushes.length} of them the feeder's push`,
  );

  const sum = x.accounts.reduce((s, a) => s + a.claim, 0n);
  const used = BigInt(d?.insurance_used ?? "0");
  add("sum of claims <= bank balance + insurance used", sum <= bank + used && sum <= bank, `sum ${sum} <= bank ${bank} (+ insurance used ${used})`);
  add(
    "the report's totals are the claims' totals",
    d !== undefined && BigInt(d.claims_after) === sum && BigInt(d.claims_before) === x.accounts.reduce((s, a) => s + a.before, 0n),
    `claims_before ${d?.claims_before}, claims_after ${d?.claims_after}`,
  );

  const attacker = x.accounts.find((a) => a.name === x.attackerName);
  add(
    "attacker frozen",
    x.mallory.frozen && attacker?.frozen === true && /frozen/.test(x.malloryRefusal) && x.report.exclusions.includes(attacker.address),
    `frozen ${x.mallory.frozen}; withdrawal: ${x.malloryRefusal ? "refused (frozen)" : "ACCEPTED"}`,
  );

  const target = x.restoration.targets[0];
  add(
    "digest verified",
    x.vaultStatus.digest_verified && x.vaultStatus.phase === "complete" && x.restoration.state === "complete" && target?.status.digest_verified === true && x.report.height === x.restoreHeight,
    `vault phase ${x.vaultStatus.phase}, digest_verified ${x.vaultStatus.digest_verified}; executor ${JSON.stringify(x.restoration.state)}; height ${x.report.height}`,
  );
  add(
    "vault unlocked",
    !x.vaultPause.restoring && x.vaultPause.restoration_lock_until == null && !x.journal.restoring && x.aliceWithdrew,
    `restoring ${x.vaultPause.restoring}, lock ${x.vaultPause.restoration_lock_until ?? "none"}; alice withdrew her claim: ${x.aliceWithdrew}`,
  );
  add("lock cleared", x.guardianPause.restoration_lock_until == null && x.journal.restoration_lock_until == null, `guardian lock ${x.guardianPause.restoration_lock_until ?? "none"}`);
  const nf = x.newFeeder;
  add(
    "feeder rotated at completion (the voted post-restore configuration)",
    x.vaultConfig.feeder === nf.address && x.newFeederPushed,
    `vault feeder ${x.vaultConfig.feeder === nf.address ? nf.name : x.vaultConfig.feeder}; ${nf.name}'s push after the restoration: ${x.newFeederPushed ? "accepted" : "REFUSED"}`,
  );

  if (x.probesOn) {
    for (const p of x.probes) add(`refused: ${p.name}`, p.ok, p.error ? `"${p.expected}" in the error` : "the action was accepted");
  }
  return out;
}
