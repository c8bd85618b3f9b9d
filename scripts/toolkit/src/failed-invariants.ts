/**
 * The invariants of the failed-restoration story (failed-story.ts), checked in code, each able
 * to fail (the e2e test re-checks altered copies of the input). See docs/DEMO.md ("The
 * failed-restoration story").
 */
import type { RemainingClaimsResponse, OfflineStatusResponse } from "../../ts-client/RewindVault.types";
import type { VaultStatus } from "./failed-story";
import type { Invariant } from "./invariants";
import type { Probe } from "./scenario";

/** One reading of the vault's `OfflineStatus {}`. */
export interface OfflineObservation extends OfflineStatusResponse {
  /** Block time (nanos). */
  at: bigint;
  why: string;
}

/** One account's way out, once the vault is exit-only (amounts in the collateral denom). */
export interface ExitRow {
  name: string;
  address: string;
  how: "withdraw" | "move";
  /** Withdrawn from the vault itself. */
  fromVault: bigint;
  /** Moved to the successor (its whole claim, one transaction). */
  moved: bigint;
  /** Withdrawn from the successor. */
  fromSuccessor: bigint;
  /** Block time (nanos) of the transaction that took its last funds out; null: nothing came out. */
  outAt: bigint | null;
  /** Free collateral plus position margin in the live ledger just before the restoration. */
  ledgerBefore: bigint;
  /** Free collateral plus position margin in the vault when it became exit-only (settled). */
  claimAtExitOnly: bigint;
  /** Its claim under the voted shortfall rule on the live ledger (recomputed independently). */
  voted: bigint;
  /** Its settled claim in the vault's restoration claims (null: none recorded). */
  reported: bigint | null;
  /** Its claim before settlement in the vault's restoration claims (null: none recorded). */
  reportedBefore: bigint | null;
  /** What was refused on the way. */
  refusals: string[];
}

export interface FailedInvariantInput {
  exits: ExitRow[];
  /** Every move to the successor: who, how much, the vault's bank balance just before. */
  moves: { name: string; amount: bigint; bankBefore: bigint }[];
  remaining: RemainingClaimsResponse;
  /** `RemainingClaims {}` right after the peacetime vote. */
  registered: RemainingClaimsResponse;
  successorPin: { address: string; checksum: string };
  /** The successor's `Config {}.received`. */
  successorReceived: number;
  /** Sum of what the successor credited. */
  successorCredited: bigint;
  /** The successor's bank balance at the end. */
  successorBank: bigint;
  /** The vault's bank balance just before the restoration was executed. */
  bankAtExecute: bigint;
  bankAtExitOnly: bigint;
  bankAfter: bigint;
  maxOffline: number;
  offline: OfflineObservation[];
  /** Block time right after the crank that ended the restoration. */
  failedAt: bigint;
  /** Block time of the first reading at or after the failure (exit-only, or after the lock). */
  exitOnlyAt: bigint;
  /** The executor's Failed error. */
  failure: string;
  /** The executor records the restoration Failed. */
  executorFailed: boolean;
  /** The crank's error when the settlement refused (row R11). */
  settlementRefused: string;
  vaultStatus: VaultStatus;
  /** The vault's settlement report for the collateral denom (null: none). */
  report: { claimsBefore: bigint; claimsAfter: bigint; bank: bigint; shortfall: bigint } | null;
  /** Accounts the vault's restoration claims mark frozen. */
  frozenReported: string[];
  /** Sum of every account's claim in the live ledger just before the restoration. */
  ledgerClaimsBefore: bigint;
  attackerName: string;
  attackerFrozen: boolean;
  probes: Probe[];
  probesOn: boolean;
}

/** An invariant's verdict word: PASS or FAIL. */
export function verdict(i: Invariant): "PASS" | "FAIL" {
  return i.ok ? "PASS" : "FAIL";
}

const amount = (coins: ReadonlyArray<{ denom: string; amount: string }>, denom: string) => BigInt(coins.find((c) => c.denom === denom)?.amount ?? "0");
const minutes = (s: number) => `${Math.floor(s / 60)} min`;

export function checkFailedInvariants(x: FailedInvariantInput, denom = "uusdc"): Invariant[] {
  const out: Invariant[] = [];
  const add = (name: string, ok: boolean, detail: string) => out.push({ name, ok, detail });
  const got = (e: ExitRow) => e.fromVault + e.fromSuccessor;

  add(
    "the restoration failed its digest check before undoing anything",
    /digest mismatch/.test(x.failure) && x.executorFailed && x.vaultStatus.phase === "failed" && !x.vaultStatus.digest_verified && x.vaultStatus.undone_entries === 0 && /digest mismatch/.test(x.vaultStatus.failure ?? ""),
    `executor: ${x.executorFailed ? "Failed" : "not failed"}${x.failure ? `, ${x.failure.replace(/^.*?(digest mismatch at height \d+).*$/, "$1")}` : ""}; vault phase ${x.vaultStatus.phase}, undone ${x.vaultStatus.undone_entries}, digest_verified ${x.vaultStatus.digest_verified}${x.settlementRefused ? `; settlement refused: ${x.settlementRefused.slice(-100)}` : ""}`,
  );

  const pin = x.registered.successor;
  add(
    "the successor was registered by the peacetime vote (checksum pinned)",
    pin?.address === x.successorPin.address && pin?.checksum === x.successorPin.checksum && x.offline.every((o) => o.max_offline === x.maxOffline),
    `successor ${pin?.address === x.successorPin.address ? "the claims vault" : pin?.address ?? "none"}, checksum ${pin?.checksum?.slice(0, 16) ?? "none"}...; max_offline ${x.offline[0]?.max_offline ?? "?"} s`,
  );

  // Exit-only when the restoration failed, not before: every reading before the failure says
  // not exit-only (one of them while stopped), the first reading after it says exit-only while
  // the offline clock is still short of max_offline (the failure opened it, not the clock),
  // and no funds came out before it.
  const before = x.offline.filter((o) => o.at < x.failedAt);
  const first = x.offline.find((o) => o.at >= x.failedAt);
  add(
    "exit-only began when the restoration failed (not before)",
    before.every((o) => !o.exit_only) &&
      before.some((o) => o.stopped) &&
      !!first?.exit_only &&
      first.stopped_seconds < x.maxOffline &&
      x.exitOnlyAt === first.at &&
      x.exits.every((e) => e.outAt === null || e.outAt >= x.exitOnlyAt),
    `not exit-only at ${before.map((o) => (o.stopped ? minutes(o.stopped_seconds) : "running")).join(", ")} stopped; ${first ? `${first.exit_only ? "exit-only" : "NOT exit-only"} right after the failure at ${minutes(first.stopped_seconds)} stopped` : "no reading after the failure"} (max_offline ${minutes(x.maxOffline)}); no funds out before`,
  );

  // Claims moved never exceed the bank: each move against the bank just before it, their sum
  // against the vault's own record, everything out against the bank at exit-only.
  const overdrawn = x.moves.filter((m) => m.amount > m.bankBefore);
  const movedSum = x.moves.reduce((s, m) => s + m.amount, 0n);
  const outSum = x.exits.reduce((s, e) => s + e.fromVault + e.moved, 0n);
  const successorOut = x.exits.reduce((s, e) => s + e.fromSuccessor, 0n);
  add(
    "claims moved never exceed the bank balance",
    overdrawn.length === 0 &&
      movedSum === amount(x.remaining.moved, denom) &&
      movedSum === x.successorCredited &&
      outSum <= x.bankAtExitOnly &&
      x.bankAfter === x.bankAtExitOnly - outSum &&
      x.successorBank === x.successorCredited - successorOut,
    overdrawn.length
      ? overdrawn.map((m) => `${m.name} moved ${m.amount} with ${m.bankBefore} in the bank`).join("; ")
      : `moved ${movedSum} (vault's record ${amount(x.remaining.moved, denom)}, successor credited ${x.successorCredited}); out of the vault ${outSum} of ${x.bankAtExitOnly} in the bank, ${x.bankAfter} left; successor holds ${x.successorBank}`,
  );

  const movers = x.moves.map((m) => m.name);
  const twice = x.probes.find((p) => p.name === "a second move of the same claim");
  add(
    "nothing moved twice",
    new Set(movers).size === movers.length && x.remaining.moves === movers.length && x.successorReceived === movers.length && (!x.probesOn || !twice || twice.ok),
    `${movers.length} moves (${movers.join(", ") || "none"}); vault counts ${x.remaining.moves}, successor received ${x.successorReceived}${twice ? `; a second move: ${twice.ok ? "refused" : "NOT refused"}` : ""}`,
  );

  const attacker = x.exits.find((e) => e.name === x.attackerName);
  const attackerOut = attacker ? attacker.fromVault + (attacker.moved > attacker.fromSuccessor ? attacker.moved : attacker.fromSuccessor) : 0n;
  add(
    "the attacker got nothing out (frozen by the failed restoration)",
    attackerOut === 0n && x.attackerFrozen,
    `${x.attackerName}: frozen ${x.attackerFrozen}, moved ${attacker?.moved ?? 0n}, withdrew ${attacker ? attacker.fromVault + attacker.fromSuccessor : 0n}${attacker?.refusals.length ? `; refused ${attacker.refusals.length} time(s)${attacker.refusals.every((r) => /frozen/.test(r)) ? " (frozen)" : ""}` : ""}`,
  );

  // The voted rule on the LIVE ledger: the voted claims were recomputed in TS from each
  // account's claim just before the restoration, the bank then, the frozen set and the policy.
  // Each honest user got exactly that out; the vault's claims say the same (before: the live
  // ledger; after: the voted claim), and its report settled the live ledger against that bank.
  const honest = x.exits.filter((e) => e.name !== x.attackerName);
  const off = honest.filter((e) => got(e) !== e.voted || e.reported !== e.voted || e.reportedBefore !== e.ledgerBefore);
  const r = x.report;
  const sumVoted = honest.reduce((s, e) => s + e.voted, 0n);
  const reportOk = !!r && r.claimsBefore === x.ledgerClaimsBefore && r.bank === x.bankAtExecute && r.claimsAfter === sumVoted && r.claimsAfter <= r.bank;
  add(
    "each honest user got out exactly the voted rule on the live ledger",
    off.length === 0 && reportOk,
    off.length || !reportOk
      ? [
          ...off.map((e) => `${e.name} got ${got(e)}, vault settled ${e.reported ?? "none"} (before ${e.reportedBefore ?? "none"}), voted rule ${e.voted} on ${e.ledgerBefore}`),
          ...(reportOk ? [] : [r ? `report: claims ${r.claimsBefore} -> ${r.claimsAfter} against bank ${r.bank}; live ledger ${x.ledgerClaimsBefore}, bank ${x.bankAtExecute}, voted ${sumVoted}` : "no settlement report"]),
        ].join("; ")
      : `${honest.length} accounts: live ledger ${x.ledgerClaimsBefore} against bank ${x.bankAtExecute} (shortfall ${r!.shortfall}); each got out its voted claim, the vault's report agrees (settled ${r!.claimsAfter})`,
  );

  if (x.probesOn) {
    for (const p of x.probes) add(`refused: ${p.name}`, p.ok, p.error ? `"${p.expected}" in the error` : "the action was accepted");
  }
  return out;
}
