/**
 * The vault's invariants evaluated off-chain, from one `Invariants {}` query (the settings and
 * every input the in-line checks read, at one height): the same integer arithmetic as
 * contracts/rewind-vault/src/invariants.rs and math.rs, so the watcher alerts exactly when the
 * in-line check would refuse (and a Report proves the oracle agreement; solvency's report is
 * the exact evaluation, which can only find more: a violation here is one there).
 */
import type { InvariantsResponse, MarketBook } from "../../../ts-client/RewindVault.types";

/** The scopes the vault's invariants pause (REFUSAL_SCOPES in invariants.rs). */
export const VAULT_INVARIANT_SCOPES = ["trade", "withdraw"] as const;

const DECIMALS = 18;
const ONE = 10n ** BigInt(DECIMALS);
const BPS = 10_000n;

/** A cosmwasm Decimal / Decimal256 string ("122", "101.5") as its atomics (18 decimals). */
export function atomics(d: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(d);
  if (!m) throw new Error(`not a decimal: ${d}`);
  return BigInt(m[1]) * ONE + BigInt((m[2] ?? "").padEnd(DECIMALS, "0"));
}

/** math::moved_beyond: `price` more than `boundBps` from `reference`. */
export function movedBeyond(reference: bigint, price: bigint, boundBps: number): boolean {
  const diff = price > reference ? price - reference : reference - price;
  return diff * BPS > reference * BigInt(boundBps);
}

/** |price - reference| / reference in basis points, rounded down (for the alerts). */
export function deviationBps(reference: bigint, price: bigint): number {
  if (reference === 0n) return Infinity;
  const diff = price > reference ? price - reference : reference - price;
  return Number((diff * BPS) / reference);
}

/** invariants.rs pnl_atomics: the linear PnL of a market's positions at its last price. */
export function pnlAtomics(m: MarketBook): bigint {
  if (!m.p) return 0n;
  return (BigInt(m.l) - BigInt(m.s)) * atomics(m.p) - atomics(m.lc) + atomics(m.sc);
}

function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d; // truncates toward zero, as Int256::checked_div
  return n % d !== 0n && n > 0n ? q + 1n : q;
}

/** One invariant's verdict at one height. */
export interface Evaluation {
  invariant: string;
  held: boolean;
  /** Why it is broken (the vault's own wording), or what was checked. */
  reason: string;
  /** The numbers behind it (JSON-safe: strings for big integers). */
  detail: Record<string, unknown>;
  /** The scopes its policy pauses. */
  scopes: readonly string[];
}

/** Every declared invariant of a vault, evaluated on its `Invariants {}` answer. */
export function evaluateVault(inv: InvariantsResponse): Evaluation[] {
  const out: Evaluation[] = [];
  if (inv.reference_feeder) {
    const markets = inv.markets
      .filter((m) => m.p && m.r)
      .map((m) => {
        const price = atomics(m.p!);
        const reference = atomics(m.r!);
        return { market: m.id, price: m.p!, reference: m.r!, deviation_bps: deviationBps(reference, price), broken: movedBeyond(reference, price, inv.oracle_bound_bps) };
      });
    const broken = markets.find((m) => m.broken);
    const worst = markets.reduce<(typeof markets)[number] | undefined>((w, m) => (!w || m.deviation_bps > w.deviation_bps ? m : w), undefined);
    out.push({
      invariant: "oracle_agreement",
      held: !broken,
      reason: broken
        ? `${broken.market} price ${broken.price} is more than ${inv.oracle_bound_bps} bps from the reference ${broken.reference}`
        : `${markets.length} market(s) within ${inv.oracle_bound_bps} bps of the reference`,
      detail: {
        bound_bps: inv.oracle_bound_bps,
        deviation_bps: worst?.deviation_bps ?? 0,
        market: (broken ?? worst)?.market ?? null,
        markets: markets.map(({ broken: _b, ...m }) => m),
      },
      scopes: VAULT_INVARIANT_SCOPES,
    });
  }
  if (inv.solvency) {
    const denoms = inv.denoms.map((d) => {
      const pnl = ceilDiv(
        inv.markets.filter((m) => m.d === d.denom).reduce((s, m) => s + pnlAtomics(m), 0n),
        ONE,
      );
      const liabilities = BigInt(d.liabilities) + pnl;
      const assets = BigInt(d.bank) + BigInt(d.insurance);
      return { denom: d.denom, claims: d.liabilities, unrealised_pnl: pnl.toString(), liabilities: liabilities.toString(), bank: d.bank, insurance: d.insurance, assets: assets.toString(), margin: (assets - liabilities).toString(), broken: liabilities > assets };
    });
    const broken = denoms.find((d) => d.broken);
    out.push({
      invariant: "solvency",
      held: !broken,
      reason: broken
        ? `${broken.denom}: claims with unrealised PnL ${broken.liabilities} exceed bank plus insurance ${broken.assets}`
        : `${denoms.length} denom(s) covered`,
      detail: { denoms: denoms.map(({ broken: _b, ...d }) => d) },
      scopes: VAULT_INVARIANT_SCOPES,
    });
  }
  return out;
}
