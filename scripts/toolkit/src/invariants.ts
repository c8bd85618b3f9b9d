/**
 * The invariants the demo and the end-to-end tests hold the restoration to, checked in code.
 *
 * The expected claims are computed here independently of the vault, from what the scenario
 * itself saw: each account's collateral at the end of E-1 (queried then), the deposits and
 * withdrawals it sent after E-1, and the vault's bank balance. The settlement rule is the one
 * in contracts/rewind-vault/README.md ("Claims"): S = max(C - B, 0); frozen claims absorb
 * first; under insurance-first the insurance claim covers next; the rest is a pro-rata
 * haircut of the honest claims, every kept value rounded down.
 */
import type { RestorationResponse } from "../../ts-client/RewindExecutor.types";
import type { PauseStatusResponse as GuardianPauseStatus } from "../../ts-client/RewindGuardian.types";
import type {
  AccountResponse,
  JournalInfoResponse,
  PauseStatusResponse as VaultPauseStatus,
  RestorationReport,
  RestorationStatusResponse,
} from "../../ts-client/RewindVault.types";
import type { AccountRow, Policy, Probe } from "./scenario";

export interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}

export interface InvariantInput {
  accounts: AccountRow[];
  flows: Map<string, bigint[]>;
  report: RestorationReport;
  policy: Policy;
  insuranceName: string;
  attackerName: string;
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

/** The replay of one account's flows after H: deposits add, withdrawals subtract, clamped at 0. */
export function replay(atH: bigint, flows: ReadonlyArray<bigint>): bigint {
  return flows.reduce((acc, f) => max(acc + f, 0n), atH);
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

export function checkInvariants(x: InvariantInput): Invariant[] {
  const out: Invariant[] = [];
  const add = (name: string, ok: boolean, detail: string) => out.push({ name, ok, detail });
  const d = x.report.denoms[0];
  const bank = BigInt(d?.bank_balance ?? "0");

  // claims = balance at E-1 + replayed flows - share of the shortfall
  const wrongBefore = x.accounts.filter((a) => a.before !== (a.frozen ? a.atH : replay(a.atH, x.flows.get(a.name) ?? [])));
  const expected = expectedSettlement(x.accounts, bank, x.policy, x.insuranceName);
  const wrongAfter = x.accounts.filter((a) => a.claim !== expected.claims.get(a.name));
  add(
    "claim = collateral at E-1 + replayed flows - share (every account)",
    wrongBefore.length === 0 && wrongAfter.length === 0,
    wrongBefore.length || wrongAfter.length
      ? [...wrongBefore.map((a) => `${a.name}: before ${a.before}, expected ${replay(a.atH, x.flows.get(a.name) ?? [])}`), ...wrongAfter.map((a) => `${a.name}: claim ${a.claim}, expected ${expected.claims.get(a.name)}`)].slice(0, 5).join("; ")
      : `${x.accounts.length} accounts match an independent computation (shortfall ${expected.shortfall}, insurance used ${expected.insuranceUsed}, haircut ${expected.haircut})`,
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

  if (x.probesOn) {
    for (const p of x.probes) add(`refused: ${p.name}`, p.ok, p.error ? `"${p.expected}" in the error` : "the action was accepted");
  }
  return out;
}
