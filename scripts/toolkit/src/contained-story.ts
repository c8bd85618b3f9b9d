/**
 * The contained story (the demo's default): the same deployment, accounts and trades as the
 * undetected story (scenario.ts) up to E-1, but the vault is deployed with its in-line
 * invariants on (docs/ARCHITECTURE.md "In-line invariants", docs/SECURITY.md I1-I8): a
 * reference feeder ("reference") pushes the honest prices alongside the feeder. At block E
 * the compromised feeder's +19.6 % push is more than the 5 % oracle bound from the reference:
 * it is refused in its own transaction (RefuseAndPause), which trips the capped pause of
 * trade and withdraw. Mallory's close and withdrawal are refused; nobody loses anything; no
 * restoration is needed. The pause ends by itself (breaker_pause_seconds) and honest users
 * trade and withdraw again.
 */
import type { AccountResponse, ExecuteMsg as VaultExecuteMsg, PauseStatusResponse, PriceResponse } from "../../ts-client/RewindVault.types";
import type { Coin, ExecResult } from "./client";
import { ARTIFACTS_DIR, loadArtifacts, localChain, runDeployment } from "./deploy";
import type { Invariant } from "./invariants";
import { loadNetwork } from "./networks";
import { mergeSettings } from "./plan";
import { COLLATERAL, demoSettings, storySenders, tradeUntilAttack, USERS, type TimelineRow } from "./scenario";

const MARKET = "BTC-PERP";
export const REFERENCE_FEEDER = "reference";
export const ORACLE_BOUND_BPS = 500;

export interface ContainedResult {
  attackHeight: number;
  attackTime: bigint;
  /** The block whose refusal tripped the pause (the attack's own). */
  containedHeight: number;
  /** When the capped pause ends by itself (seconds since epoch) and how long it is. */
  pauseUntil: number;
  pauseSeconds: number;
  /** The first block/time an honest trade and withdrawal succeeded after the pause. */
  reopenHeight: number;
  reopenTime: bigint;
  timeline: TimelineRow[];
  /** name -> [claim at E-1, claim at the end]. */
  claims: Map<string, [bigint, bigint]>;
  bankAtH: bigint;
  bankAfter: bigint;
  /** What the honest accounts lost to the attack (0 when contained). */
  honestValueLost: bigint;
  invariants: Invariant[];
  /** What the invariants were checked on (the tests re-check altered copies of it). */
  invariantInput: ContainedInput;
  elapsedMs: number;
}

/** What the contained story's invariants are checked on. Refusals: the error text, null when accepted. */
export interface ContainedInput {
  attackHeight: number;
  /** The block the pause took effect in; -1: never. */
  containedHeight: number;
  refused: boolean;
  /** The price in state after the push. */
  price: string | null;
  tripped: boolean;
  pauseSeconds: number;
  pauseCap: number;
  /** name -> [claim at E-1, claim at the end]. */
  claims: Map<string, [bigint, bigint]>;
  bankAtH: bigint;
  bankAfter: bigint;
  malloryClose: string | null;
  malloryWithdraw: string | null;
  malloryAfter: string | null;
  bobClose: string | null;
  carolWithdraw: string | null;
  /** A scope still blocked at the end of the story. */
  blockedAtEnd: boolean;
}

/** The story's own flows after E-1 (carol withdraws 5000, dave deposits 4000) and bob's own trade (-100 at 102). */
const FLOWS = new Map<string, bigint>([["carol", 5_000n], ["dave", -4_000n]]);
const TRADE_PNL = new Map<string, bigint>([["bob", -100n]]);

export function checkContained(x: ContainedInput): { invariants: Invariant[]; honestValueLost: bigint } {
  const { attackHeight, containedHeight, refused, price, tripped, pauseSeconds, pauseCap, claims, bankAtH, bankAfter, malloryClose, malloryWithdraw, malloryAfter, bobClose, carolWithdraw } = x;
  const atH = (n: string) => claims.get(n)![0];
  // Value an account holds outside the vault's ledger too: its claim plus what it withdrew since E-1 minus what it deposited.
  const worth = (n: string) => claims.get(n)![1] + (FLOWS.get(n) ?? 0n);
  const honest = [...claims.keys()].filter((n) => n !== "mallory");
  const shortOf = (n: string) => atH(n) + (TRADE_PNL.get(n) ?? 0n) - worth(n);
  const honestLosses = honest.filter((n) => shortOf(n) > 0n);
  const honestValueLost = honest.reduce((s, n) => s + (shortOf(n) > 0n ? shortOf(n) : 0n), 0n);
  const malloryGain = worth("mallory") - atH("mallory");
  const flows = [...FLOWS.values()].reduce((s, v) => s + v, 0n);
  const invariants: Invariant[] = [
    {
      name: "the manipulated push is refused in its own block",
      ok: refused && price === "102" && tripped && containedHeight === attackHeight,
      detail: `block ${attackHeight}: ${refused ? "refused (oracle_agreement)" : "ACCEPTED"}; price in state ${price}; trade and withdraw paused ${tripped && containedHeight === attackHeight ? "in that block (0 blocks to containment)" : "NOT in that block"}`,
    },
    {
      name: "no honest account lost anything",
      ok: honestLosses.length === 0 && bankAfter >= bankAtH - flows,
      detail: `${honest.map((n) => `${n} ${atH(n)} -> ${worth(n)}`).join(", ")} (carol's 5000 withdrawn and dave's 4000 deposited counted; bob's -100 is his own trade at 102); bank ${bankAtH} -> ${bankAfter}${honestLosses.length ? `; LOST: ${honestLosses.join(", ")}` : ""}`,
    },
    {
      name: "mallory gained nothing",
      ok: malloryGain <= 0n && malloryClose !== null && malloryWithdraw !== null,
      detail: `close and withdraw in the pause ${malloryClose !== null && malloryWithdraw !== null ? "refused" : "ACCEPTED"}; her claim ${atH("mallory")} -> ${claims.get("mallory")![1]} (${malloryAfter === null ? "closed at the honest 102 after the pause" : "position still open"}), gain ${malloryGain}`,
    },
    {
      name: "the pause is capped and ends by itself",
      ok: tripped && pauseSeconds > 0 && pauseSeconds <= pauseCap && bobClose === null && carolWithdraw === null && !x.blockedAtEnd,
      detail: `paused ${pauseSeconds} s (cap breaker_pause_seconds ${pauseCap} s), no guardian or vote; after it bob's close ${bobClose === null ? "ok" : "REFUSED"}, carol's withdrawal ${carolWithdraw === null ? "ok" : "REFUSED"}`,
    },
  ];
  return { invariants, honestValueLost };
}

function coin(amount: bigint): Coin[] {
  return [{ denom: COLLATERAL, amount: amount.toString() }];
}

function isoSeconds(nanos: bigint): string {
  return new Date(Number(nanos / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function attrOf(r: ExecResult, type: string, key: string): string | undefined {
  return r.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
}

export async function runContainedStory(opts: { artifactsDir?: string } = {}): Promise<ContainedResult> {
  const started = Date.now();
  const net = loadNetwork("local");
  const { chain, deployer } = localChain(net);
  const base = demoSettings(chain);
  const settings = mergeSettings(base, {
    vault: { ...base.vault, invariants: { oracle_bound_bps: ORACLE_BOUND_BPS, reference_feeder: chain.addr(REFERENCE_FEEDER), solvency: true } },
  });
  const deployment = await runDeployment(deployer, net, settings, loadArtifacts(opts.artifactsDir ?? ARTIFACTS_DIR), () => {});
  if (deployment.skipped.length) throw new Error(`deploy skipped steps: ${deployment.skipped.map((s) => s.step).join(", ")}; run scripts/build.sh`);
  const vaultAddr = deployment.contracts.rewind_vault!.address;
  const who = (n: string) => chain.addr(n);
  const timeline: TimelineRow[] = [];
  const record = async (actor: string, action: string, result: string, ok: boolean, height?: number) => {
    timeline.push({ height: height ?? (await deployer.height()), time: isoSeconds(await deployer.time()), actor, action, result, ok });
  };
  await record("deployer", `deploy 6 contracts, vault invariants on (reference feeder "${REFERENCE_FEEDER}", oracle bound ${ORACLE_BOUND_BPS / 100} %, solvency)`, `vault ${vaultAddr.slice(0, 14)}...`, true);

  const senders = storySenders(chain, record);
  /** A vault execution that must succeed. */
  const vault = (actor: string, action: string, msg: VaultExecuteMsg, funds?: Coin[], describe?: (r: ExecResult) => string) => senders.act(actor, action, vaultAddr, msg, funds, describe);
  /** A vault execution that may be refused: the refusal is recorded, not thrown. */
  const attempt = (actor: string, action: string, msg: VaultExecuteMsg, funds?: Coin[]) => senders.attempt(actor, action, vaultAddr, msg, funds);
  const push = async (price: string, note = "") => {
    await vault(REFERENCE_FEEDER, `push reference ${MARKET} = ${price}`, { push_reference_price: { market: MARKET, price } });
    return vault("feeder", `push ${MARKET} = ${price}${note}`, { push_price: { market: MARKET, price } });
  };
  const claimOf = async (name: string) => {
    const a = await deployer.query<AccountResponse>(vaultAddr, { account: { address: who(name) } });
    const free = BigInt(a.collateral.find((c) => c.denom === COLLATERAL)?.amount ?? "0");
    return free + a.positions.filter((p) => p.denom === COLLATERAL).reduce((s, p) => s + BigInt(p.margin), 0n);
  };
  const bank = async () => BigInt((await deployer.balance(vaultAddr, COLLATERAL)).amount);

  for (const [name, amount] of USERS) chain.fund(who(name), coin(amount * 2n));
  chain.fund(who("insurance"), coin(20_000n));
  chain.fund(who("mallory"), coin(12_000n));

  // ---- up to E-1: as in the undetected story ----
  await tradeUntilAttack(vault, push);

  const names = ["insurance", ...USERS.map(([n]) => n), "mallory"];
  const atH = new Map<string, bigint>();
  for (const n of names) atH.set(n, await claimOf(n));
  const bankAtH = await bank();

  // ---- block E: the compromised feeder's push, refused in its own block ----
  const attack = await vault("feeder", `push ${MARKET} = 122 (compromised feeder: +19.6%, under the 20% breaker)`, { push_price: { market: MARKET, price: "122" } }, undefined, (r) => {
    const inv = attrOf(r, "wasm-invariant_refused", "invariant");
    return inv ? `REFUSED by invariant ${inv}: pause of ${attrOf(r, "wasm-invariant_refused", "scopes")} tripped` : "ok (accepted)";
  });
  const attackHeight = attack.height;
  const attackTime = await deployer.time();
  const refused = attrOf(attack, "wasm-invariant_refused", "action") === "invariant_refused";
  const price = (await deployer.query<PriceResponse>(vaultAddr, { price: { market: MARKET } })).price?.price;
  const pause = await deployer.query<PauseStatusResponse>(vaultAddr, { pause_status: {} });
  const blocked = (scope: string) => pause.scopes.find((s) => s.scope === scope);
  const tripped = ["trade", "withdraw"].every((s) => blocked(s)?.blocked);
  const pauseUntilNs = BigInt(blocked("trade")?.paused_until ?? "0");
  const pauseUntil = Number(pauseUntilNs / 1_000_000_000n);
  const pauseSeconds = blocked("trade")?.seconds_left ?? 0;
  const containedHeight = tripped ? attackHeight : -1;

  // The attacker's close and withdrawal: refused by the pause.
  const malloryClose = await attempt("mallory", `close long ${MARKET} (would be +20000 at 122)`, { close_position: { market: MARKET } });
  const malloryWithdraw = await attempt("mallory", `withdraw 32000 ${COLLATERAL}`, { withdraw: { denom: COLLATERAL, amount: "32000" } });
  // Honest users in the pause: trades and withdrawals wait, deposits stay open.
  await attempt("bob", `close short ${MARKET}`, { close_position: { market: MARKET } });
  await attempt("carol", `withdraw 5000 ${COLLATERAL}`, { withdraw: { denom: COLLATERAL, amount: "5000" } });
  await vault("dave", `deposit 4000 ${COLLATERAL} (deposits stay open during the pause)`, { deposit: {} }, coin(4_000n));

  // ---- the capped pause ends by itself ----
  const now = Number((await deployer.time()) / 1_000_000_000n);
  const wait = Math.max(0, pauseUntil - now) + 1;
  chain.advanceTime(wait, Math.ceil(wait / 6));
  await record("chain", `${Math.round(wait / 60)} min pass (the invariant's pause is capped at breaker_pause_seconds)`, "", true);
  await push("102", " (honest price)");
  const bobClose = await attempt("bob", `close short ${MARKET} @ 102 (-100)`, { close_position: { market: MARKET } });
  const carolWithdraw = await attempt("carol", `withdraw 5000 ${COLLATERAL}`, { withdraw: { denom: COLLATERAL, amount: "5000" } });
  const reopenHeight = await deployer.height();
  const reopenTime = await deployer.time();
  const malloryAfter = await attempt("mallory", `close long ${MARKET} @ 102 (0)`, { close_position: { market: MARKET } });

  const claims = new Map<string, [bigint, bigint]>();
  for (const n of names) claims.set(n, [atH.get(n)!, await claimOf(n)]);
  const finalPause = await deployer.query<PauseStatusResponse>(vaultAddr, { pause_status: {} });
  const invariantInput: ContainedInput = {
    attackHeight,
    containedHeight,
    refused,
    price: price ?? null,
    tripped,
    pauseSeconds,
    pauseCap: settings.vault.breaker_pause_seconds,
    claims,
    bankAtH,
    bankAfter: await bank(),
    malloryClose,
    malloryWithdraw,
    malloryAfter,
    bobClose,
    carolWithdraw,
    blockedAtEnd: finalPause.scopes.some((s) => s.blocked),
  };
  const { invariants, honestValueLost } = checkContained(invariantInput);
  const bankAfter = invariantInput.bankAfter;
  return { attackHeight, attackTime, containedHeight, pauseUntil, pauseSeconds, reopenHeight, reopenTime, timeline, claims, bankAtH, bankAfter, honestValueLost, invariants, invariantInput, elapsedMs: Date.now() - started };
}
