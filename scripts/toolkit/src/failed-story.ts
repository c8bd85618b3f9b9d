/**
 * The failed-restoration story (`scripts/demo.sh --story failed-restoration`): what users get
 * when the restoration does not come, on the simulated chain over the built artifacts.
 *
 * It deploys as the default story does, plus the reference successor (examples/claims-vault,
 * artifact claims_vault.wasm). In peacetime, one normal-track vote (`ConfigureTarget` with
 * `{"rewind": {"max_offline": 48 h, "successor": {address, checksum}}}`) registers the
 * checksum-pinned successor and shortens the vault's offline limit. Then the default story's
 * exploit and pause. Then two journaled values are written behind the journal's back, straight
 * into the vault's storage: dave's collateral (14000 -> 18000) and the vault's running total of
 * that denom (`vault_totals`, +4000), the stand-in for a buggy store migration that wrote the
 * ledger and its total without the journal (the Rust tests of rows R4 and X9 break a rollback
 * the same way). The restoration, voted, queued and executed like the default one, fails its
 * verify pass before undoing anything (the live ledger stays whole): the voted exclusions are
 * frozen all the same, the vault settles the live ledger by the voted shortfall rule, the
 * executor records the restoration Failed and the vault is exit-only at once. Users withdraw,
 * or move their claim to the successor and withdraw there; the excluded attacker and the
 * feeder are refused (frozen). The report compares what each one got out with the voted rule
 * recomputed independently on the live ledger read just before the restoration.
 *
 * `consistentTotals: false` writes dave's collateral only: the ledger then exceeds its own
 * running totals, the settlement refuses (the vault's row R11), the vault stays locked and is
 * exit-only only by the clock, after the restoration's lock.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { ExecuteMsg as ExecutorExecuteMsg, RestorationResponse } from "../../ts-client/RewindExecutor.types";
import type { ExecuteMsg as GovExecuteMsg, ProposalResponse } from "../../ts-client/RewindGovernance.types";
import type { ExecuteMsg as GuardianExecuteMsg } from "../../ts-client/RewindGuardian.types";
import type {
  AccountResponse,
  ClaimsResponse,
  RestorationReport,
  TotalsResponse,
  DigestAtResponse,
  ExecuteMsg as VaultExecuteMsg,
  OfflineStatusResponse,
  QueryMsg as VaultQueryMsg,
  RemainingClaimsResponse,
  RestorationStatusResponse,
} from "../../ts-client/RewindVault.types";

/** The library's restoration status as the contracts on main answer it (the generated client predates `failed` and `failure`). */
export type VaultStatus = Omit<RestorationStatusResponse, "phase"> & { phase: RestorationStatusResponse["phase"] | "failed"; failure?: string | null };
import type { Coin, ExecResult } from "./client";
import { wasmAttributes } from "./client";
import { ARTIFACTS_DIR } from "./deploy";
import { checkFailedInvariants, type ExitRow, type FailedInvariantInput, type OfflineObservation } from "./failed-invariants";
import { expectedSettlement, type Invariant } from "./invariants";
import type { Policy, Probe, TimelineRow } from "./scenario";
import { COLLATERAL, deployStory, fmtDuration, storySenders } from "./scenario";
import { STORY_HOLDERS, STORY_USERS } from "./story";

/** The claims vault's messages (examples/claims-vault/src/msg.rs; it has no generated client). */
type ClaimsVaultQueryMsg = { config: {} } | { claim: { account: string } } | { claims: { start_after: [string, string] | null; limit: number | null } };
type ClaimsVaultExecuteMsg = { withdraw: { denom: string | null } };

const MARKET = "BTC-PERP";
const HOUR = 3600;
const BLOCK_SECONDS = 6;
const NANOS = 1_000_000_000n;
/** The vault's offline limit in this story (the library's default is 14 days). */
export const STORY_MAX_OFFLINE = 48 * HOUR;
/** What the out-of-band write sets dave's collateral to (his ledger says 14000). */
const TAMPERED = 18_000n;
/** The out-of-band write's raise of dave's collateral (and, consistently, of the denom's total). */
const RAISE = 4_000n;

/** The default story's accounts: the same users and holders. */
const USERS = STORY_USERS;
const HOLDERS = STORY_HOLDERS;
/**
 * How each account leaves once the vault is exit-only, in this order (the attacker first:
 * it has every reason to rush): `withdraw` from the vault, or `move` to the successor and
 * withdraw there. An open position is closed first (at the fallback price). A claim larger
 * than what the bank still holds cannot leave whole: the account then withdraws what is left.
 */
export const EXIT_PLAN: ReadonlyArray<[string, "withdraw" | "move"]> = [
  ["mallory", "move"],
  ["alice", "withdraw"],
  ["bob", "withdraw"],
  ["carol", "move"],
  ["dave", "move"],
  ["erin", "withdraw"],
  ["insurance", "move"],
];

export interface FailedStoryOptions {
  /** Crank limit per batch (1..200). */
  batchSize?: number;
  /** The shortfall policy the restoration votes (and the independent model applies). */
  policy?: Policy;
  /** Try the actions that must be refused and record their refusals. */
  probes?: boolean;
  /**
   * The out-of-band write also raises the denom's running total (`vault_totals`) by what it
   * adds to dave's collateral (default true). False: the ledger exceeds its own totals, and
   * the settlement refuses (row R11).
   */
  consistentTotals?: boolean;
  artifactsDir?: string;
  onRow?: (row: TimelineRow) => void;
}

export interface FailedStoryResult {
  batchSize: number;
  policy: Policy;
  attackHeight: number;
  restoreHeight: number;
  /** Block time of the guardian's first pause (nanos): the waits count from here. */
  pausedAt: bigint;
  /** Its block, and the attack block's time (nanos). */
  pauseHeight: number;
  attackTime: bigint;
  /** The executor's Failed error (or the vault's `failure`). */
  failure: string;
  /** The crank's error when the settlement refused (row R11); empty when it completed. */
  settlementRefused: string;
  /** The vault's restoration status after the failure. */
  vaultStatus: VaultStatus;
  /** The vault's report of the settlement of the live ledger (null: none). */
  report: RestorationReport | null;
  timeline: TimelineRow[];
  offline: OfflineObservation[];
  exits: ExitRow[];
  remaining: RemainingClaimsResponse;
  /** What the successor credited in all (sum over its claims, before withdrawals). */
  successorCredited: bigint;
  /** The vault's bank balance just before the restoration was executed. */
  bankAtExecute: bigint;
  bankAtExitOnly: bigint;
  bankAfter: bigint;
  probes: Probe[];
  invariants: Invariant[];
  invariantInput: FailedInvariantInput;
  elapsedMs: number;
}

function coin(amount: bigint | number, denom = COLLATERAL): Coin[] {
  return [{ denom, amount: amount.toString() }];
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").trim();
}


function amountOf(coins: ReadonlyArray<{ denom: string; amount: string }> | null | undefined): bigint {
  return BigInt(coins?.find((x) => x.denom === COLLATERAL)?.amount ?? "0");
}

/** An account's claim in the collateral denom: free collateral plus its positions' margin. */
function claimOf(a: AccountResponse): bigint {
  return amountOf(a.collateral) + a.positions.filter((p) => p.denom === COLLATERAL).reduce((s, p) => s + BigInt(p.margin), 0n);
}

function shorten(error: string, expected: string): string {
  const i = error.indexOf(expected);
  const core = i >= 0 ? error.slice(Math.max(0, error.lastIndexOf(":", i - 1) + 1)).trim() : error.replace(/^.*?rewind: /, "");
  return core.length > 140 ? `${core.slice(0, 137)}...` : core;
}

/** `{"rewind": ..}`, the library's voted configuration, as ConfigureTarget carries it. */
export function rewindConfig(config: { max_offline?: number; successor?: { address: string; checksum: string }; reopen?: boolean }): string {
  return Buffer.from(JSON.stringify({ rewind: config })).toString("base64");
}

const prefixed = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
/** The raw storage key of a journaled `vault_collateral` entry: `00 04 "rj/s"`, then the Map's key. */
function collateralKey(address: string, denom: string): Buffer {
  return Buffer.concat([prefixed(Buffer.from("rj/s")), prefixed(Buffer.from("vault_collateral")), prefixed(Buffer.from(address)), Buffer.from(denom)]);
}
/** The raw storage key of a journaled `vault_totals` entry (the denom's running liabilities). */
function totalsKey(denom: string): Buffer {
  return Buffer.concat([prefixed(Buffer.from("rj/s")), prefixed(Buffer.from("vault_totals")), Buffer.from(denom)]);
}

export async function runFailedStory(opts: FailedStoryOptions = {}): Promise<FailedStoryResult> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 25;
  const probesOn = opts.probes ?? true;
  const consistentTotals = opts.consistentTotals ?? true;
  const policy: Policy = opts.policy ?? "pro-rata";
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 200) throw new Error(`--batch-size must be 1..200, got ${batchSize}`);

  const probes: Probe[] = [];
  const artifactsDir = opts.artifactsDir ?? ARTIFACTS_DIR;
  const story = await deployStory({ ...opts, artifactsDir });
  const { chain, deployer, settings, timeline, names, record } = story;
  const addr = { ...story.addr, successor: "" };
  const who = (name: string) => chain.addr(name);
  for (const [key, a] of Object.entries(addr)) names.set(a, key);
  const named = ["insurance", ...USERS.map(([n]) => n), "mallory"];
  for (const name of ["guardian", "feeder", "keeper", "deployer", ...named, ...HOLDERS.map(([n]) => n)]) names.set(who(name), name);
  await record("deployer", "deploy 6 contracts (deploy.sh --network local path)", "vault wasm admin = executor; governance admin of itself, stake, timelock, guardian, executor", true);

  // The reference successor: its own code, sources = the vault.
  const upload = await chain.upload(deployer.address, readFileSync(join(artifactsDir, "claims_vault.wasm")));
  const successor = await deployer.instantiate(upload.codeId, { sources: [addr.vault] }, "claims-vault", {});
  addr.successor = successor.address;
  names.set(successor.address, "successor");
  await record("deployer", "deploy the successor (examples/claims-vault, sources = [vault])", `code ${upload.codeId}, checksum ${upload.checksum.slice(0, 16)}...`, true, successor.height);

  // ---- typed senders ----
  const run = (actor: string, contract: string, msg: unknown, funds?: Coin[]): Promise<ExecResult> => chain.client(actor).execute(contract, msg, funds);
  const { act } = storySenders(chain, record);
  /** An action that may be refused: returns the result, or records the refusal and returns its text. */
  const attempt = async (actor: string, action: string, contract: string, msg: unknown, describe?: (r: ExecResult) => string): Promise<ExecResult | string> => {
    try {
      const r = await run(actor, contract, msg);
      await record(actor, action, describe ? describe(r) : "ok", true, r.height);
      return r;
    } catch (e) {
      const error = errorText(e);
      await record(actor, action, `refused: ${shorten(error, "rewind:")}`, false);
      return error;
    }
  };
  const vault = (actor: string, action: string, msg: VaultExecuteMsg, funds?: Coin[]) => act(actor, action, addr.vault, msg, funds);
  const q = <T>(contract: string, msg: unknown) => deployer.query<T>(contract, msg);
  const qv = <T>(msg: VaultQueryMsg) => q<T>(addr.vault, msg);
  const probe = async (name: string, actor: string, action: string, expected: string, contract: string, msg: unknown, funds?: Coin[]) => {
    if (!probesOn) return;
    try {
      const r = await run(actor, contract, msg, funds);
      probes.push({ name, expected, ok: false });
      await record(actor, `${action} [probe]`, "ACCEPTED (expected a refusal)", true, r.height);
    } catch (e) {
      const error = errorText(e);
      probes.push({ name, expected, error, ok: error.includes(expected) });
      await record(actor, `${action} [probe]`, `refused: ${shorten(error, expected)}`, false);
    }
  };
  const now = () => deployer.time();
  const advanceTo = async (nanos: bigint, why: string) => {
    const t = await now();
    if (nanos <= t) return;
    const seconds = Number((nanos - t + NANOS - 1n) / NANOS);
    chain.advanceTime(seconds, Math.ceil(seconds / BLOCK_SECONDS));
    await record("chain", `${fmtDuration(seconds)} pass (${why})`, "", true);
  };
  const offline: OfflineObservation[] = [];
  const observe = async (why: string) => {
    const st = await qv<OfflineStatusResponse>({ offline_status: {} });
    const status = await qv<RestorationStatusResponse>({ restoration_status: {} });
    const o: OfflineObservation = { at: await now(), ...st, why };
    offline.push(o);
    const vs = status.exit_only === st.exit_only ? "" : ` (restoration_status.exit_only ${status.exit_only})`;
    await record("anyone", "query offline_status", `exit_only ${st.exit_only}, stopped ${fmtDuration(st.stopped_seconds)} of max_offline ${fmtDuration(st.max_offline)}${why ? `: ${why}` : ""}${vs}`, true);
    return o;
  };

  // ---- genesis funds, stake ----
  for (const [name, amount] of USERS) chain.fund(who(name), coin(amount * 2n));
  chain.fund(who("insurance"), coin(20_000n));
  chain.fund(who("mallory"), coin(12_000n));
  for (const [name, amount] of HOLDERS) chain.fund(who(name), [{ denom: settings.stakeDenom, amount: (amount + 2_000_000n).toString() }]);
  chain.fund(who("keeper"), [{ denom: settings.stakeDenom, amount: "1" }]);
  await vault("feeder", `push ${MARKET} = 100`, { push_price: { market: MARKET, price: "100" } });
  for (const [name, amount] of HOLDERS) await act(name, `stake ${amount} ${settings.stakeDenom}`, addr.stake, { stake: {} }, [{ denom: settings.stakeDenom, amount: amount.toString() }]);

  // ---- peacetime: one normal-track vote registers the successor and max_offline ----
  const config = rewindConfig({ max_offline: STORY_MAX_OFFLINE, successor: { address: addr.successor, checksum: upload.checksum } });
  const proposed = await act(
    "holder-1",
    `propose ConfigureTarget vault {"rewind": {max_offline 48 h, successor (checksum pinned)}} (normal track)`,
    addr.gov,
    { propose_parameters: { title: "Exits: a successor and a 48 h offline limit", description: "Peacetime: users can leave by themselves if the vault stays stopped.", changes: [{ configure_target: { contract: addr.vault, config } }] } } satisfies GovExecuteMsg,
    [settings.deposit],
    (r) => `proposal ${wasmAttributes(r.events, addr.gov, "proposal_id")[0] ?? "?"}`,
  );
  const configId = Number(wasmAttributes(proposed.events, addr.gov, "proposal_id")[0] ?? 1);
  for (const [name] of HOLDERS) await act(name, `vote yes on proposal ${configId}`, addr.gov, { vote: { proposal_id: configId, vote: "yes" } } satisfies GovExecuteMsg);
  const pc = await q<ProposalResponse>(addr.gov, { proposal: { proposal_id: configId } });
  chain.advanceTime(pc.seconds_left + 1, Math.ceil((pc.seconds_left + 1) / BLOCK_SECONDS));
  await record("chain", `${fmtDuration(pc.seconds_left + 1)} pass (normal voting period)`, "", true);
  await act("keeper", `close proposal ${configId}`, addr.gov, { close: { proposal_id: configId } } satisfies GovExecuteMsg, undefined, (r) =>
    wasmAttributes(r.events, addr.vault, "action").includes("configure_rewind") ? "passed: the executor configured the vault (successor pinned, max_offline 48 h)" : "passed",
  );
  const registered = await qv<RemainingClaimsResponse>({ remaining_claims: {} });
  await observe("");

  // ---- the default story: deposits, trades, E-1 ----
  await vault("insurance", "deposit 20000 uusdc (insurance fund)", { deposit: {} }, coin(20_000n));
  for (const [name, amount] of USERS.slice(0, 4)) await vault(name, `deposit ${amount} ${COLLATERAL}`, { deposit: {} }, coin(amount));
  await vault("alice", `open long 100 ${MARKET} @ 100, margin 2000`, { open_position: { market: MARKET, size: "100", margin: "2000" } });
  await vault("bob", `open short 50 ${MARKET} @ 100, margin 1000`, { open_position: { market: MARKET, size: "-50", margin: "1000" } });
  await vault("feeder", `push ${MARKET} = 102`, { push_price: { market: MARKET, price: "102" } });
  await vault("alice", `close long ${MARKET} @ 102 (+200)`, { close_position: { market: MARKET } });
  await vault("mallory", "deposit 12000 uusdc", { deposit: {} }, coin(12_000n));
  await vault("mallory", `open long 1000 ${MARKET} @ 102, margin 11000`, { open_position: { market: MARKET, size: "1000", margin: "11000" } });
  await vault("erin", "deposit 5000 uusdc (last block before the attack: E-1)", { deposit: {} }, coin(5_000n));
  const restoreHeight = await deployer.height();

  // ---- E: the exploit; honest activity; the pause ----
  const attack = await vault("feeder", `push ${MARKET} = 122 (compromised feeder: +19.6%, under the 20% breaker)`, { push_price: { market: MARKET, price: "122" } });
  const attackTime = await now();
  await vault("mallory", `close long ${MARKET} @ 122 (+20000)`, { close_position: { market: MARKET } });
  await vault("mallory", "withdraw 32000 uusdc (the profit leaves the vault)", { withdraw: { denom: COLLATERAL, amount: "32000" } });
  await vault("bob", `close short ${MARKET} @ 122 (-1100: his whole margin)`, { close_position: { market: MARKET } });
  await vault("carol", `open long 40 ${MARKET} @ 122, margin 1000`, { open_position: { market: MARKET, size: "40", margin: "1000" } });
  await vault("carol", `close long ${MARKET} @ 122 (0)`, { close_position: { market: MARKET } });
  await vault("carol", "withdraw 5000 uusdc", { withdraw: { denom: COLLATERAL, amount: "5000" } });
  await vault("dave", "deposit 4000 uusdc", { deposit: {} }, coin(4_000n));
  let pausedAt = 0n;
  let pauseHeight = 0;
  for (const scope of ["trade", "withdraw"] as const) {
    const r = await act("guardian", `pause ${scope} of the vault for 72 h`, addr.guardian, { pause: { target: addr.vault, scope, duration_seconds: 72 * HOUR, reason: "oracle manipulation at block E" } } satisfies GuardianExecuteMsg);
    if (!pausedAt) [pausedAt, pauseHeight] = [await now(), r.height];
  }
  await vault("erin", "deposit 1000 uusdc (deposits stay open during the pause)", { deposit: {} }, coin(1_000n));

  // ---- the out-of-band write: journaled values changed behind the journal's back ----
  // A buggy store migration wrote dave's collateral and (unless `consistentTotals: false`) the
  // denom's running total, both without the journal: the ledger stays consistent with its own
  // totals, the journal's digest does not know.
  {
    type Store = { forEach(f: (v: Uint8Array, k: Uint8Array) => void): void; set(k: Uint8Array, v: Uint8Array): Store };
    // The storage is an immutable map: each `set` returns the next one.
    let store = chain.app.wasm.getContractStorage(addr.vault) as unknown as Store;
    const find = (key: Buffer, what: string) => {
      let found: { k: Uint8Array; v: Uint8Array } | undefined;
      store.forEach((v, k) => {
        if (Buffer.from(k).equals(key)) found = { k, v };
      });
      if (!found) throw new Error(`${what} is not in the vault's storage`);
      return found;
    };
    // A journaled value: a 9-byte header, then the JSON of the value (a Uint128 string).
    const write = (found: { k: Uint8Array; v: Uint8Array }, value: bigint) => {
      const header = Buffer.from(found.v).subarray(0, 9);
      store = store.set(found.k, new Uint8Array(Buffer.concat([header, Buffer.from(`"${value}"`)])));
      chain.app.wasm.setContractStorage(addr.vault, store as never);
    };
    const dave = find(collateralKey(who("dave"), COLLATERAL), "dave's collateral");
    const totals = consistentTotals ? find(totalsKey(COLLATERAL), `the ${COLLATERAL} total`) : undefined;
    const total = totals ? BigInt(JSON.parse(Buffer.from(totals.v).subarray(9).toString()) as string) : 0n;
    write(dave, TAMPERED);
    if (totals) write(totals, total + RAISE);
  }
  const daveLedger = amountOf((await qv<AccountResponse>({ account: { address: who("dave") } })).collateral);
  const totalAfter = amountOf((await qv<TotalsResponse>({ totals: {} })).totals);
  await record(
    "(out of band)",
    consistentTotals
      ? `a buggy migration writes dave's collateral 14000 -> ${TAMPERED} and the ${COLLATERAL} total +${RAISE}, straight into the vault's storage, not through the journal`
      : `dave's collateral 14000 -> ${TAMPERED} written straight into the vault's storage (the ${COLLATERAL} total left as it was)`,
    `vault now reports ${daveLedger} for dave, total liabilities ${totalAfter}; the journal's digest does not know`,
    true,
  );

  // ---- the restoration, voted, queued and executed as in the default story ----
  const digest = await qv<DigestAtResponse>({ digest_at: { height: restoreHeight } });
  const prop = await act(
    "holder-1",
    `propose restoration to E-1 = ${restoreHeight} (expedited, exclude mallory and feeder, ${policy})`,
    addr.gov,
    {
      propose_restoration: {
        title: "Restore the vault to the block before the oracle attack",
        description: `Feeder pushed a manipulated ${MARKET} price at block ${attack.height}; mallory closed and withdrew the profit.`,
        targets: [{ contract: addr.vault, new_code: null, post_restore_config: null }],
        candidates: [{ height: restoreHeight, expected_digests: [digest.digest] }],
        exclusions: [who("mallory"), who("feeder")],
        shortfall_policy: policy === "pro-rata" ? "pro_rata_haircut" : "insurance_first",
        expedited: true,
      },
    } satisfies GovExecuteMsg,
    [settings.deposit],
    (r) => `proposal ${wasmAttributes(r.events, addr.gov, "proposal_id")[0] ?? "?"}, digest ${digest.digest.slice(0, 16)}... (the one recorded at E-1)`,
  );
  const proposalId = Number(wasmAttributes(prop.events, addr.gov, "proposal_id")[0] ?? 2);
  for (const [name] of HOLDERS) await act(name, `vote candidate ${restoreHeight}`, addr.gov, { vote: { proposal_id: proposalId, vote: { candidate: { height: restoreHeight } } } } satisfies GovExecuteMsg);
  const p0 = await q<ProposalResponse>(addr.gov, { proposal: { proposal_id: proposalId } });
  chain.advanceTime(p0.seconds_left + 1, Math.ceil((p0.seconds_left + 1) / BLOCK_SECONDS));
  await record("chain", `${fmtDuration(p0.seconds_left + 1)} pass (expedited voting period)`, "", true);
  await act("keeper", `close proposal ${proposalId}`, addr.gov, { close: { proposal_id: proposalId } } satisfies GovExecuteMsg, undefined, (r) => `passed, queued as operation ${wasmAttributes(r.events, addr.timelock, "operation_id")[0] ?? "?"}`);
  const p1 = await q<ProposalResponse>(addr.gov, { proposal: { proposal_id: proposalId } });
  if (p1.operation_id == null) throw new Error(`proposal ${proposalId} is ${p1.status}, not queued`);
  const op = p1.operation_id;
  const delay = settings.timelock.delay_seconds;
  const blocks = Math.max(settings.timelock.min_delay_blocks, Math.ceil(delay / BLOCK_SECONDS));
  chain.advanceTime(delay, blocks);
  await record("chain", `${fmtDuration(delay)} and ${blocks} blocks pass (timelock delay)`, "", true);
  // The live ledger just before the restoration: what the voted rule will settle.
  const bankAtExecute = BigInt((await deployer.balance(addr.vault, COLLATERAL)).amount);
  const ledgerBefore = new Map<string, bigint>();
  for (const name of [...named, "feeder"]) ledgerBefore.set(name, claimOf(await qv<AccountResponse>({ account: { address: who(name) } })));
  await observe("stopped by the pause, the restoration queued");
  await act("keeper", `execute operation ${op}`, addr.timelock, { execute: { operation_id: op } }, undefined, () => "executor migrates the vault with Restore; guardian lock for 24 h");

  let state: RestorationResponse;
  let cranks = 0;
  let settlementRefused = "";
  const mismatch = (e: string) => e.replace(/^.*?(digest mismatch at height \d+): expected ([0-9a-f]{12})[0-9a-f]*, found ([0-9a-f]{12})[0-9a-f]*.*$/, "$1 (expected $2..., found $3...)");
  for (;;) {
    let r: ExecResult;
    try {
      r = await run("keeper", addr.executor, { crank: { restoration_id: op, limit: batchSize } } satisfies ExecutorExecuteMsg);
    } catch (e) {
      settlementRefused = errorText(e);
      await record("keeper", `crank batch ${cranks + 1} (limit ${batchSize})`, `refused: ${shorten(settlementRefused, "claims")}`, false);
      state = await q<RestorationResponse>(addr.executor, { restoration: { restoration_id: op } });
      break;
    }
    cranks++;
    state = await q<RestorationResponse>(addr.executor, { restoration: { restoration_id: op } });
    const st = await qv<VaultStatus>({ restoration_status: {} });
    if (typeof state.state === "object") {
      await record("keeper", `crank batch ${cranks} (limit ${batchSize})`, `restoration FAILED: ${mismatch(state.state.failed.error)}; vault phase ${st.phase}, undone ${st.undone_entries}, exit_only ${st.exit_only}`, false, r.height);
      break;
    }
    const doing = st.failure ? `verify pass: ${mismatch(st.failure)}, nothing undone (undone ${st.undone_entries}); settling the live ledger by the voted rule` : `vault ${st.phase}: undone ${st.undone_entries}`;
    await record("keeper", `crank batch ${cranks} (limit ${batchSize})`, doing, true, r.height);
    if (state.state === "complete") throw new Error("the restoration completed: the out-of-band write did not break the digest");
    if (cranks > 1000) throw new Error("the restoration neither failed nor completed in 1000 cranks");
  }
  const failedAt = await now();
  const vaultStatus = await qv<VaultStatus>({ restoration_status: {} });
  const executorError = typeof state.state === "object" ? state.state.failed.error : "";
  const executorFailed = typeof state.state === "object";
  // The digest mismatch, as the vault records it; a settlement the vault refused (row R11)
  // fails the executor's crank with its own error instead.
  const failure = vaultStatus.failure ?? executorError;
  if (!settlementRefused && executorError && !/digest mismatch/.test(executorError)) settlementRefused = executorError;
  await probe("a crank of the failed restoration", "keeper", `crank operation ${op} again`, "not running", addr.executor, { crank: { restoration_id: op, limit: batchSize } } satisfies ExecutorExecuteMsg);
  let exitOnly = await observe(settlementRefused ? "the settlement refused: the vault stays locked" : "exit-only at once: the restoration failed its digest check");
  if (!exitOnly.exit_only) {
    // The R11 path: locked until the restoration's lock ends, then exit-only by the clock.
    const lockUntil = BigInt(state.lock_until ?? "0");
    await advanceTo(lockUntil + BigInt(BLOCK_SECONDS) * NANOS, "to the end of the restoration lock");
    exitOnly = await observe("after the lock: exit-only by the offline clock");
  }

  // ---- the vault's record of the settlement ----
  const report = await qv<RestorationReport | null>({ restoration_report: { restoration_id: null } });
  const reported = new Map<string, { before: bigint; after: bigint; frozen: boolean }>();
  if (report) {
    for (let start: string | null = null; ; ) {
      const page: ClaimsResponse = await qv<ClaimsResponse>({ restoration_claims: { restoration_id: null, start_after: start, limit: 100 } });
      for (const c of page.claims) reported.set(names.get(c.account) ?? c.account, { before: amountOf(c.before), after: amountOf(c.after), frozen: c.frozen });
      if (page.claims.length < 100) break;
      start = page.claims[page.claims.length - 1].account;
    }
  }

  // ---- exit-only: what is refused, then everyone leaves ----
  const bankAtExitOnly = BigInt((await deployer.balance(addr.vault, COLLATERAL)).amount);
  const claimsAtExitOnly = new Map<string, bigint>();
  for (const name of named) claimsAtExitOnly.set(name, claimOf(await qv<AccountResponse>({ account: { address: who(name) } })));
  await probe("a risk-adding trade in exit-only mode", "alice", `open long 10 ${MARKET}`, "exit-only mode since a restoration failed its digest check", addr.vault, { open_position: { market: MARKET, size: "10", margin: "200" } } satisfies VaultExecuteMsg);
  await probe("a deposit in exit-only mode", "erin", "deposit 100 uusdc", "exit-only mode", addr.vault, { deposit: {} } satisfies VaultExecuteMsg, coin(100n));
  await probe("the excluded attacker's withdrawal (frozen)", "mallory", "withdraw 1 uusdc", "frozen", addr.vault, { withdraw: { denom: COLLATERAL, amount: "1" } } satisfies VaultExecuteMsg);
  await probe("the feeder's withdrawal (frozen)", "feeder", "withdraw 1 uusdc", "frozen", addr.vault, { withdraw: { denom: COLLATERAL, amount: "1" } } satisfies VaultExecuteMsg);
  await probe("a price push in exit-only mode", "feeder", `push ${MARKET} = 150`, "exit-only mode", addr.vault, { push_price: { market: MARKET, price: "150" } } satisfies VaultExecuteMsg);

  const bank = async () => BigInt((await deployer.balance(addr.vault, COLLATERAL)).amount);
  const exits: ExitRow[] = [];
  const moves: { name: string; amount: bigint; bankBefore: bigint }[] = [];
  const mallory = await qv<AccountResponse>({ account: { address: who("mallory") } });
  for (const [name, how] of EXIT_PLAN) {
    const row: ExitRow = {
      name,
      address: who(name),
      how,
      fromVault: 0n,
      fromSuccessor: 0n,
      moved: 0n,
      outAt: null,
      ledgerBefore: ledgerBefore.get(name) ?? 0n,
      claimAtExitOnly: claimsAtExitOnly.get(name) ?? 0n,
      voted: 0n,
      reported: reported.get(name)?.after ?? null,
      reportedBefore: reported.get(name)?.before ?? null,
      refusals: [],
    };
    exits.push(row);
    const account = await qv<AccountResponse>({ account: { address: who(name) } });
    for (const p of account.positions) {
      const r = await attempt(name, `close ${Number(p.size) > 0 ? "long" : "short"} ${p.market} (exit-only: at the fallback price)`, addr.vault, { close_position: { market: p.market } } satisfies VaultExecuteMsg, (x) => {
        const price = wasmAttributes(x.events, addr.vault, "exit_price")[0];
        const payout = wasmAttributes(x.events, addr.vault, "payout")[0];
        return `closed at ${price ?? "?"}, payout ${payout ?? "?"}`;
      });
      if (typeof r === "string") row.refusals.push(r);
    }
    const free = () => qv<AccountResponse>({ account: { address: who(name) } }).then((a) => amountOf(a.collateral));
    if (how === "move") {
      const bankBefore = await bank();
      const r = await attempt(name, "move_to_successor", addr.vault, { move_to_successor: {} } satisfies VaultExecuteMsg, (x) => `moved ${wasmAttributes(x.events, addr.vault, "amount")[0] ?? "?"}, sequence ${wasmAttributes(x.events, addr.vault, "sequence")[0] ?? "?"}`);
      if (typeof r === "string") {
        row.refusals.push(r);
      } else {
        const credited = amountOf(await q<Coin[]>(addr.successor, { claim: { account: who(name) } } satisfies ClaimsVaultQueryMsg));
        row.moved = credited;
        moves.push({ name, amount: credited, bankBefore });
        const w = await attempt(name, "withdraw from the successor", addr.successor, { withdraw: { denom: null } } satisfies ClaimsVaultExecuteMsg, () => `got ${credited} ${COLLATERAL}`);
        if (typeof w === "string") row.refusals.push(w);
        else {
          row.fromSuccessor = credited;
          row.outAt = await now();
        }
      }
    }
    // Whatever is still in the vault (all of it for `withdraw`, or a move refused): withdraw it, or what the bank still holds.
    const left = await free();
    if (left > 0n) {
      const take = left <= (await bank()) ? left : await bank();
      if (take < left) await record(name, `withdraw ${left} ${COLLATERAL}`, `cannot: the bank holds ${take}`, false);
      if (take > 0n) {
        const r = await attempt(name, `withdraw ${take} ${COLLATERAL}${take < left ? " (what the bank still holds)" : ""}`, addr.vault, { withdraw: { denom: COLLATERAL, amount: take.toString() } } satisfies VaultExecuteMsg);
        if (typeof r === "string") row.refusals.push(r);
        else {
          row.fromVault += take;
          row.outAt = await now();
        }
      }
    }
  }
  const carol = exits.find((e) => e.name === "carol");
  if (carol && carol.moved > 0n) await probe("a second move of the same claim", "carol", "move_to_successor again", "has no claim to move", addr.vault, { move_to_successor: {} } satisfies VaultExecuteMsg);

  const remaining = await qv<RemainingClaimsResponse>({ remaining_claims: {} });
  const bankAfter = await bank();
  const successorConfig = await q<{ sources: string[]; received: number }>(addr.successor, { config: {} } satisfies ClaimsVaultQueryMsg);
  const successorCredited = moves.reduce((s, m) => s + m.amount, 0n);
  const successorBank = BigInt((await deployer.balance(addr.successor, COLLATERAL)).amount);

  // ---- the voted rule on the live ledger, recomputed independently of the vault ----
  const excludedNames = new Set(["mallory", "feeder"]);
  const beforeSettle = [...ledgerBefore].map(([name, before]) => ({ name, frozen: excludedNames.has(name), before }));
  const voted = expectedSettlement(beforeSettle, bankAtExecute, policy, "insurance");
  for (const e of exits) e.voted = voted.claims.get(e.name) ?? 0n;
  const settlement = report?.denoms.find((d) => d.denom === COLLATERAL);

  const invariantInput: FailedInvariantInput = {
    exits,
    moves,
    remaining,
    registered,
    successorPin: { address: addr.successor, checksum: upload.checksum },
    successorReceived: successorConfig.received,
    successorCredited,
    successorBank,
    bankAtExecute,
    bankAtExitOnly,
    bankAfter,
    maxOffline: STORY_MAX_OFFLINE,
    offline,
    failedAt,
    exitOnlyAt: exitOnly.at,
    failure,
    executorFailed,
    settlementRefused,
    vaultStatus,
    report: settlement ? { claimsBefore: BigInt(settlement.claims_before), claimsAfter: BigInt(settlement.claims_after), bank: BigInt(settlement.bank_balance), shortfall: BigInt(settlement.shortfall) } : null,
    frozenReported: [...reported].filter(([, c]) => c.frozen).map(([n]) => n),
    ledgerClaimsBefore: [...ledgerBefore.values()].reduce((s, v) => s + v, 0n),
    attackerName: "mallory",
    attackerFrozen: mallory.frozen,
    probes,
    probesOn,
  };
  const invariants = checkFailedInvariants(invariantInput);
  return {
    batchSize,
    policy,
    attackHeight: attack.height,
    restoreHeight,
    pausedAt,
    pauseHeight,
    attackTime,
    failure,
    settlementRefused,
    vaultStatus,
    report,
    timeline,
    offline,
    exits,
    remaining,
    successorCredited,
    bankAtExecute,
    bankAtExitOnly,
    bankAfter,
    probes,
    invariants,
    invariantInput,
    elapsedMs: Date.now() - started,
  };
}
