/**
 * The Rewind restoration scenario on the simulated chain, over the built artifacts.
 *
 * It deploys through `runDeployment` (the code path of `deploy.sh --network local`), then:
 * holders stake; users deposit and trade; at block E a compromised feeder moves the price and
 * the attacker closes with a profit and withdraws, while honest users keep trading, closing,
 * withdrawing and depositing; a guardian pauses `trade` and `withdraw`; a holder proposes a
 * restoration to E-1 on the expedited track, excluding the attacker and the feeder, with the
 * vault's post-restore configuration rotating the feeder; holders vote, it passes and is
 * queued; time passes through the timelock; it is executed; anyone cranks until it is
 * complete (the rollback, then the replay of every honest execution after E-1, then the
 * settlement); the digest is verified, the vault unlocks and the new feeder pushes.
 *
 * Every message is typed with the generated client (`scripts/ts-client/*.types.ts`). The
 * scenario records a timeline, a per-account before/after table (with each account's
 * executions after E-1 replayed and skipped, from the vault's `ReplayReport`) and the
 * vault's report, and checks the invariants in code (`checkInvariants` in invariants.ts).
 * With `probes`, it also tries the adversarial actions at the moment each would matter and
 * records their refusals.
 */
import type { ExecuteMsg as ExecutorExecuteMsg, QueryMsg as ExecutorQueryMsg, RestorationResponse } from "../../ts-client/RewindExecutor.types";
import type { ExecuteMsg as GovExecuteMsg, ProposalResponse, QueryMsg as GovQueryMsg } from "../../ts-client/RewindGovernance.types";
import type { ExecuteMsg as GuardianExecuteMsg, PauseStatusResponse as GuardianPauseStatus, QueryMsg as GuardianQueryMsg } from "../../ts-client/RewindGuardian.types";
import type { ExecuteMsg as StakeExecuteMsg } from "../../ts-client/RewindStake.types";
import type { ExecuteMsg as TimelockExecuteMsg } from "../../ts-client/RewindTimelock.types";
import type {
  AccountClaim,
  AccountResponse,
  ClaimsResponse,
  ConfigResponse,
  DigestAtResponse,
  ExecuteMsg as VaultExecuteMsg,
  JournalInfoResponse,
  PauseStatusResponse as VaultPauseStatus,
  PriceResponse,
  QueryMsg as VaultQueryMsg,
  ReplayEntry,
  ReplayReportResponse,
  RestorationReport,
  RestorationStatusResponse,
} from "../../ts-client/RewindVault.types";
import type { Coin, ExecResult } from "./client";
import { wasmAttributes } from "./client";
import { ARTIFACTS_DIR, loadArtifacts, localChain, runDeployment, type Deployment } from "./deploy";
import { checkInvariants, decimalAtomics, isReplayed, matchReport, summarizeReplay, type Invariant, type InvariantInput, type LedgerAtH, type OutcomeName, type ReplaySummary } from "./invariants";
import { loadNetwork, settingsFor } from "./networks";
import { mergeSettings, type DeploySettings } from "./plan";
import type { SimulatedChain } from "./simulated";

export type Policy = "pro-rata" | "insurance-first";

export interface ScenarioOptions {
  /** Crank limit per batch (executor `Crank { limit }`); 1..=200. */
  batchSize?: number;
  /** Extra honest accounts that deposit before E (every fourth also withdraws after E). */
  accounts?: number;
  policy?: Policy;
  /** Try the adversarial actions and record their refusals. */
  probes?: boolean;
  artifactsDir?: string;
  /** Called with every timeline row as it happens. */
  onRow?: (row: TimelineRow) => void;
}

export interface TimelineRow {
  height: number;
  /** Block time, ISO 8601 to the second. */
  time: string;
  actor: string;
  action: string;
  result: string;
  /** false: the transaction was refused. */
  ok: boolean;
}

export interface Probe {
  name: string;
  expected: string;
  /** The refusal's text; undefined when the action was (wrongly) accepted. */
  error?: string;
  ok: boolean;
}

/** One successful execution of the vault after E-1 (one transaction, one block), as sent. */
export interface VaultExecution {
  height: number;
  name: string;
  address: string;
  msg: VaultExecuteMsg;
  funds: Coin[];
  /** Its replay's outcome, from the vault's ReplayReport ("replayed": the report does not list it as skipped). */
  outcome?: OutcomeName;
  /** A failed replay's error, from the report. */
  error?: string;
}

/** One account's line of the before/after table (amounts in the collateral denom). */
export interface AccountRow {
  name: string;
  address: string;
  frozen: boolean;
  /** Free collateral plus position margin at the end of block E-1. */
  atH: bigint;
  /** Its executions after E-1 that the restoration replayed (by the vault's ReplayReport). */
  replayed: number;
  /** Its executions after E-1 that the restoration skipped (listed in the vault's ReplayReport). */
  skipped: number;
  /** The vault's claim after the replay, before settlement. */
  before: bigint;
  /** before - claim. */
  haircut: bigint;
  /** The settled claim: the account's collateral once the vault unlocked. */
  claim: bigint;
}

export interface ScenarioResult {
  deployment: Deployment;
  settings: DeploySettings;
  policy: Policy;
  batchSize: number;
  /** The attack block and the restoration height (E - 1). */
  attackHeight: number;
  restoreHeight: number;
  cranks: number;
  timeline: TimelineRow[];
  accounts: AccountRow[];
  report: RestorationReport;
  /** Every execution of the vault after E-1, with its replay outcome. */
  executions: VaultExecution[];
  /** Their tally: replayed, skipped, failed, and the honest ones lost (the RPO). */
  replay: ReplaySummary;
  /** The vault's ReplayReport, every page. */
  replayReport: ReplayEntry[];
  bankAfter: bigint;
  probes: Probe[];
  invariants: Invariant[];
  /** What the invariants were checked on (the tests re-check altered copies of it). */
  invariantInput: InvariantInput;
  /** Wall-clock milliseconds of the run. */
  elapsedMs: number;
}

export const COLLATERAL = "uusdc";
const MARKET = "BTC-PERP";
const HOUR = 3600;
/** Seconds per block the simulated chain adds (SIM_DEFAULTS.blockSeconds). */
const BLOCK_SECONDS = 6;
/** The feeder account the restoration rotates in (the vault's post-restore configuration). */
export const NEW_FEEDER = "feeder-2";

/** The honest named users and their opening deposits (every story's). */
export const USERS: ReadonlyArray<[string, bigint]> = [
  ["alice", 50_000n],
  ["bob", 30_000n],
  ["carol", 20_000n],
  ["dave", 10_000n],
  ["erin", 5_000n],
];
/** The token holders and their stakes. */
export const HOLDERS: ReadonlyArray<[string, bigint]> = [
  ["holder-1", 400_000n],
  ["holder-2", 300_000n],
  ["holder-3", 300_000n],
];

function coin(amount: bigint | number, denom = COLLATERAL): Coin[] {
  return [{ denom, amount: amount.toString() }];
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").trim();
}

function isoSeconds(nanos: bigint): string {
  return new Date(Number(nanos / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Records a timeline row (a story's `record`). */
export type Recorder = (actor: string, action: string, result: string, ok: boolean, height?: number) => Promise<void>;

/**
 * A story's two senders. `act` must succeed: a refusal is recorded, then thrown. `attempt`
 * may be refused: the refusal is recorded (from the pause's text when a pause refused it) and
 * its text returned; `null` when it was accepted.
 */
export function storySenders(chain: SimulatedChain, record: Recorder) {
  const act = async (actor: string, action: string, contract: string, msg: unknown, funds?: Coin[], describe?: (r: ExecResult) => string): Promise<ExecResult> => {
    try {
      const r = await chain.client(actor).execute(contract, msg, funds);
      await record(actor, action, describe ? describe(r) : "ok", true, r.height);
      return r;
    } catch (e) {
      await record(actor, action, `FAILED: ${errorText(e)}`, false);
      throw new Error(`${actor}: ${action}: ${errorText(e)}`);
    }
  };
  const attempt = async (actor: string, action: string, contract: string, msg: unknown, funds?: Coin[]): Promise<string | null> => {
    try {
      const r = await chain.client(actor).execute(contract, msg, funds);
      await record(actor, action, "ok", true, r.height);
      return null;
    } catch (e) {
      const err = errorText(e);
      const i = err.search(/scope \w+ is paused/);
      await record(actor, action, `refused: ${i >= 0 ? err.slice(i, i + 120) : err.slice(-120)}`, false);
      return err;
    }
  };
  return { act, attempt };
}

/**
 * The deposits and trades of the contained and fast-track stories up to E-1, the last block
 * before the attack (the undetected story's, without its extra accounts), sent through the
 * story's own `vault` and `push` (which pushes the reference price too where the story has a
 * reference feeder).
 */
export async function tradeUntilAttack(
  vault: (actor: string, action: string, msg: VaultExecuteMsg, funds?: Coin[]) => Promise<unknown>,
  push: (price: string) => Promise<unknown>,
): Promise<void> {
  await push("100");
  await vault("insurance", `deposit 20000 ${COLLATERAL} (insurance fund)`, { deposit: {} }, coin(20_000n));
  for (const [name, amount] of USERS.slice(0, 4)) await vault(name, `deposit ${amount} ${COLLATERAL}`, { deposit: {} }, coin(amount));
  await vault("alice", `open long 100 ${MARKET} @ 100, margin 2000`, { open_position: { market: MARKET, size: "100", margin: "2000" } });
  await vault("bob", `open short 50 ${MARKET} @ 100, margin 1000`, { open_position: { market: MARKET, size: "-50", margin: "1000" } });
  await push("102");
  await vault("alice", `close long ${MARKET} @ 102 (+200)`, { close_position: { market: MARKET } });
  await vault("mallory", `deposit 12000 ${COLLATERAL}`, { deposit: {} }, coin(12_000n));
  await vault("mallory", `open long 1000 ${MARKET} @ 102, margin 11000`, { open_position: { market: MARKET, size: "1000", margin: "11000" } });
  await vault("erin", `deposit 5000 ${COLLATERAL} (last block before the attack: E-1)`, { deposit: {} }, coin(5_000n));
}

/** The demo's deploy settings: the local network's, with named actors and a USDC vault. */
export function demoSettings(chain: SimulatedChain): DeploySettings {
  const base = settingsFor(loadNetwork("local"));
  const market = base.vault.markets[0];
  return mergeSettings(base, {
    guardians: [chain.addr("guardian")],
    vault: {
      ...base.vault,
      feeder: chain.addr("feeder"),
      insurance: chain.addr("insurance"),
      denoms: [COLLATERAL],
      markets: [{ ...market, id: MARKET, denom: COLLATERAL }],
      exits_pausable: true,
    },
  });
}

/**
 * The start of every demo story: Rewind deployed on the local simulated chain (the
 * deploy.sh --network local path) with the demo's settings, and a timeline that shows known
 * addresses by name (`names`, filled by the story).
 */
export async function deployStory(opts: {
  artifactsDir?: string;
  onRow?: (row: TimelineRow) => void;
  log?: (line: string) => void;
  /** The story's own changes to the demo's deploy settings. */
  configure?: (chain: SimulatedChain, base: DeploySettings) => DeploySettings;
}) {
  const net = loadNetwork("local");
  const { chain, deployer } = localChain(net);
  const base = demoSettings(chain);
  const settings = opts.configure ? opts.configure(chain, base) : base;
  const timeline: TimelineRow[] = [];
  /** Known addresses, shown by name in the timeline. */
  const names = new Map<string, string>();
  const readable = (text: string) => text.replace(/wasm1[0-9a-z]{38,}/g, (a) => names.get(a) ?? `${a.slice(0, 10)}...${a.slice(-4)}`);
  const record = async (actor: string, action: string, result: string, ok: boolean, height?: number) => {
    const row: TimelineRow = { height: height ?? (await deployer.height()), time: isoSeconds(await deployer.time()), actor, action, result: readable(result), ok };
    timeline.push(row);
    opts.onRow?.(row);
  };
  const deployment = await runDeployment(deployer, net, settings, loadArtifacts(opts.artifactsDir ?? ARTIFACTS_DIR), opts.log ?? (() => {}));
  if (deployment.skipped.length) throw new Error(`deploy skipped steps: ${deployment.skipped.map((s) => `${s.step} (${s.reason})`).join("; ")}; run scripts/build.sh`);
  const c = deployment.contracts;
  const addr = {
    stake: c.rewind_stake!.address,
    gov: c.rewind_governance!.address,
    timelock: c.rewind_timelock!.address,
    guardian: c.rewind_guardian!.address,
    executor: c.rewind_executor!.address,
    vault: c.rewind_vault!.address,
  };
  return { net, chain, deployer, settings, deployment, addr, timeline, names, record };
}

export async function runScenario(opts: ScenarioOptions = {}): Promise<ScenarioResult> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 25;
  const extra = opts.accounts ?? 0;
  const policy = opts.policy ?? "pro-rata";
  const probesOn = opts.probes ?? true;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 200) throw new Error(`--batch-size must be 1..200, got ${batchSize}`);
  if (!Number.isInteger(extra) || extra < 0) throw new Error(`--accounts must be a non-negative integer, got ${extra}`);

  // ---- deploy: the deploy.sh --network local code path ----
  const probes: Probe[] = [];
  const deployLines: string[] = [];
  const { chain, deployer, settings, deployment, addr, timeline, names, record } = await deployStory({ ...opts, log: (l) => deployLines.push(l) });
  for (const [key, a] of Object.entries(addr)) names.set(a, key);
  for (const name of ["guardian", "feeder", NEW_FEEDER, "keeper", "insurance", "mallory", ...USERS.map(([n]) => n), ...HOLDERS.map(([n]) => n)]) names.set(chain.addr(name), name);
  await record("deployer", "deploy 6 contracts (deploy.sh --network local path)", `vault ${addr.vault.slice(0, 14)}..., wasm admin = executor; governance admin of itself, stake, timelock, guardian, executor`, true);

  // ---- typed senders ----
  const run = async (actor: string, contract: string, msg: unknown, funds?: Coin[]): Promise<ExecResult> =>
    chain.client(actor).execute(contract, msg, funds);
  const { act } = storySenders(chain, record);
  /** Every successful vault execution after E-1, in order (what the restoration replays or skips). */
  const executions: VaultExecution[] = [];
  /** True between the end of E-1 and the restoration. */
  let replayWindow = false;
  const sent = (actor: string, msg: VaultExecuteMsg, funds: Coin[] | undefined, r: ExecResult) => {
    if (replayWindow) executions.push({ height: r.height, name: actor, address: chain.addr(actor), msg, funds: funds ?? [] });
    return r;
  };
  const vault = async (actor: string, action: string, msg: VaultExecuteMsg, funds?: Coin[], d?: (r: ExecResult) => string) => sent(actor, msg, funds, await act(actor, action, addr.vault, msg, funds, d));
  const runVault = async (actor: string, msg: VaultExecuteMsg, funds?: Coin[]) => sent(actor, msg, funds, await run(actor, addr.vault, msg, funds));
  const gov = (actor: string, action: string, msg: GovExecuteMsg, funds?: Coin[], d?: (r: ExecResult) => string) => act(actor, action, addr.gov, msg, funds, d);
  const guardian = (actor: string, action: string, msg: GuardianExecuteMsg, d?: (r: ExecResult) => string) => act(actor, action, addr.guardian, msg, undefined, d);
  const timelock = (actor: string, action: string, msg: TimelockExecuteMsg, d?: (r: ExecResult) => string) => act(actor, action, addr.timelock, msg, undefined, d);
  const stake = (actor: string, action: string, msg: StakeExecuteMsg, funds: Coin[]) => act(actor, action, addr.stake, msg, funds);
  const q = {
    vault: <T>(msg: VaultQueryMsg) => deployer.query<T>(addr.vault, msg),
    gov: <T>(msg: GovQueryMsg) => deployer.query<T>(addr.gov, msg),
    guardian: <T>(msg: GuardianQueryMsg) => deployer.query<T>(addr.guardian, msg),
    executor: <T>(msg: ExecutorQueryMsg) => deployer.query<T>(addr.executor, msg),
  };
  /** An action that must be refused with `expected` in its error text. */
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

  // ---- accounts and genesis funds ----
  const who = (name: string) => chain.addr(name);
  const named = ["insurance", ...USERS.map(([n]) => n), "mallory", "feeder"];
  const extras = Array.from({ length: extra }, (_, i) => `user-${String(i + 1).padStart(4, "0")}`);
  for (const [name, amount] of USERS) chain.fund(who(name), coin(amount * 2n));
  chain.fund(who("insurance"), coin(20_000n));
  chain.fund(who("mallory"), [...coin(12_000n), { denom: settings.stakeDenom, amount: "500000" }]);
  for (const [name, amount] of HOLDERS) chain.fund(who(name), [{ denom: settings.stakeDenom, amount: (amount + 2_000_000n).toString() }]);
  for (const name of extras) chain.fund(who(name), coin(2_000n));
  chain.fund(who("keeper"), [{ denom: settings.stakeDenom, amount: "1" }]);

  let restoreHeight = 0;
  const deposit = (name: string, amount: bigint, note = "") => vault(name, `deposit ${amount} ${COLLATERAL}${note}`, { deposit: {} }, coin(amount));
  const withdraw = (name: string, amount: bigint, note = "") => vault(name, `withdraw ${amount} ${COLLATERAL}${note}`, { withdraw: { denom: COLLATERAL, amount: amount.toString() } });
  const push = (price: string, note = "", feeder = "feeder") =>
    vault(feeder, `push ${MARKET} = ${price}${note}`, { push_price: { market: MARKET, price } }, undefined, (r) =>
      r.events.some((e) => e.type === "wasm-circuit_breaker") ? "circuit breaker tripped" : "ok",
    );

  // ---- 2. holders stake; users deposit and trade ----
  await push("100");
  for (const [name, amount] of HOLDERS) await stake(name, `stake ${amount} ${settings.stakeDenom}`, { stake: {} }, [{ denom: settings.stakeDenom, amount: amount.toString() }]);
  await deposit("insurance", 20_000n, " (insurance fund)");
  for (const [name, amount] of USERS.slice(0, 4)) await deposit(name, amount);
  if (extras.length) {
    const from = await deployer.height();
    for (let i = 0; i < extras.length; i++) await runVault(extras[i], { deposit: {} }, coin(1_000n + BigInt(i % 10) * 100n));
    await record(`${extras.length} users`, `deposit 1000..1900 ${COLLATERAL} each (heights ${from + 1}..${await deployer.height()})`, "ok", true);
  }
  await vault("alice", `open long 100 ${MARKET} @ 100, margin 2000`, { open_position: { market: MARKET, size: "100", margin: "2000" } });
  await vault("bob", `open short 50 ${MARKET} @ 100, margin 1000`, { open_position: { market: MARKET, size: "-50", margin: "1000" } });
  await push("102");
  await vault("alice", `close long ${MARKET} @ 102 (+200)`, { close_position: { market: MARKET } });
  await deposit("mallory", 12_000n);
  await vault("mallory", `open long 1000 ${MARKET} @ 102, margin 11000`, { open_position: { market: MARKET, size: "1000", margin: "11000" } });
  await deposit("erin", 5_000n, " (last block before the attack: E-1)");

  // The end of block E-1: every account's ledger and claim at H (free collateral + margin).
  restoreHeight = await deployer.height();
  replayWindow = true;
  const atH = new Map<string, bigint>();
  const ledgers = new Map<string, LedgerAtH>();
  for (const name of [...named, ...extras]) {
    const a = await q.vault<AccountResponse>({ account: { address: who(name) } });
    atH.set(name, claimOf(a));
    ledgers.set(name, ledgerOf(a));
  }
  const pricesAtH = new Map<string, bigint>();
  const priceAtH = (await q.vault<PriceResponse>({ price: { market: MARKET } })).price?.price;
  if (priceAtH) pricesAtH.set(MARKET, decimalAtomics(priceAtH));

  // ---- 3. block E: the compromised feeder, the attacker's profit and withdrawal ----
  const attack = await push("122", " (compromised feeder: +19.6%, under the 20% breaker)");
  const attackHeight = attack.height;
  await vault("mallory", `close long ${MARKET} @ 122 (+20000)`, { close_position: { market: MARKET } });
  await withdraw("mallory", 32_000n, " (the profit leaves the vault)");
  // Honest activity after E, before the guardian pauses: trades, closes, a withdrawal, a
  // deposit. The trades run at the manipulated 122 here; the restoration replays them at the
  // price in state at replay time, 102 (the feeder is excluded: its push is skipped).
  await vault("bob", `close short ${MARKET} @ 122 (-1100: his whole margin)`, { close_position: { market: MARKET } });
  await vault("carol", `open long 40 ${MARKET} @ 122, margin 1000`, { open_position: { market: MARKET, size: "40", margin: "1000" } });
  await vault("carol", `close long ${MARKET} @ 122 (0)`, { close_position: { market: MARKET } });
  await withdraw("carol", 5_000n);
  await deposit("dave", 4_000n);
  if (extras.length) {
    const from = await deployer.height();
    let n = 0;
    for (let i = 3; i < extras.length; i += 4, n++) await runVault(extras[i], { withdraw: { denom: COLLATERAL, amount: "500" } });
    await record(`${n} users`, `withdraw 500 ${COLLATERAL} each (heights ${from + 1}..${await deployer.height()})`, "ok", true);
  }

  // ---- 4. a guardian pauses trade and withdraw for 72 h ----
  for (const scope of ["trade", "withdraw"] as const) {
    await guardian("guardian", `pause ${scope} of the vault for 72 h`, { pause: { target: addr.vault, scope, duration_seconds: 72 * HOUR, reason: "oracle manipulation at block E" } });
  }
  await probe("a trade while paused", "alice", `open long 10 ${MARKET}`, "scope trade is paused", addr.vault, { open_position: { market: MARKET, size: "10", margin: "200" } } satisfies VaultExecuteMsg);
  await deposit("erin", 1_000n, " (deposits stay open during the pause)");

  // ---- 5. a holder proposes restoration to E-1, expedited, excluding the attacker ----
  const digest = await q.vault<DigestAtResponse>({ digest_at: { height: restoreHeight } });
  const deposit_ = settings.deposit;
  const proposed = await gov(
    "holder-1",
    `propose restoration to E-1 = ${restoreHeight} (expedited, exclude mallory and feeder, feeder -> ${NEW_FEEDER}, ${policy})`,
    {
      propose_restoration: {
        title: "Restore the vault to the block before the oracle attack",
        description: `Feeder pushed a manipulated ${MARKET} price at block ${attackHeight}; mallory closed and withdrew the profit. Exclude both; ${NEW_FEEDER} feeds from the restoration on.`,
        targets: [{ contract: addr.vault, new_code: null, post_restore_config: rotateFeeder(who(NEW_FEEDER)) }],
        candidates: [{ height: restoreHeight, expected_digests: [digest.digest] }],
        exclusions: [who("mallory"), who("feeder")],
        shortfall_policy: policy === "pro-rata" ? "pro_rata_haircut" : "insurance_first",
        expedited: true,
      },
    },
    [{ denom: deposit_.denom, amount: deposit_.amount }],
    (r) => `proposal ${wasmAttributes(r.events, addr.gov, "proposal_id")[0] ?? "?"}, digest ${digest.digest.slice(0, 16)}...`,
  );
  const proposalId = Number(wasmAttributes(proposed.events, addr.gov, "proposal_id")[0] ?? 1);
  const vote = { vote: { proposal_id: proposalId, vote: { candidate: { height: restoreHeight } } } } satisfies GovExecuteMsg;
  if (probesOn) {
    await stake("mallory", "stake 500000 ustake bought after E", { stake: {} }, [{ denom: settings.stakeDenom, amount: "500000" }]);
    await probe("vote with power staked after the power height", "mallory", `vote for ${restoreHeight}`, "has no voting power at height", addr.gov, vote);
  }

  // ---- 6. holders vote; it passes and is queued ----
  for (const [name] of HOLDERS) await gov(name, `vote candidate ${restoreHeight}`, vote);
  const p0 = await q.gov<ProposalResponse>({ proposal: { proposal_id: proposalId } });
  await advance(chain, p0.seconds_left + 1);
  await record("chain", `${fmtDuration(p0.seconds_left + 1)} pass (expedited voting period)`, "", true);
  await gov("keeper", `close proposal ${proposalId}`, { close: { proposal_id: proposalId } }, undefined, (r) => `passed, queued as operation ${wasmAttributes(r.events, addr.timelock, "operation_id")[0] ?? "?"}`);
  const p1 = await q.gov<ProposalResponse>({ proposal: { proposal_id: proposalId } });
  if (p1.status !== "executed" || p1.operation_id == null) throw new Error(`proposal ${proposalId} is ${p1.status}, expected executed (queued)`);
  const op = p1.operation_id;
  await probe("execute before due", "keeper", `execute operation ${op}`, "is not due", addr.timelock, { execute: { operation_id: op } } satisfies TimelockExecuteMsg);

  // ---- 7. through the timelock; executed ----
  const delay = settings.timelock.delay_seconds;
  const blocks = Math.max(settings.timelock.min_delay_blocks, Math.ceil(delay / BLOCK_SECONDS));
  chain.advanceTime(delay, blocks);
  await record("chain", `${fmtDuration(delay)} and ${blocks} blocks pass (timelock delay)`, "", true);
  // The restoration replays what ran between the end of E-1 and its start.
  replayWindow = false;
  await timelock("keeper", `execute operation ${op}`, { execute: { operation_id: op } }, () => "executor migrates the vault with Restore");
  await probe("a second execute", "keeper", `execute operation ${op} again`, "is Executed, not Queued", addr.timelock, { execute: { operation_id: op } } satisfies TimelockExecuteMsg);

  // ---- 8. anyone cranks until complete ----
  let cranks = 0;
  let state: RestorationResponse;
  for (;;) {
    const r = await run("keeper", addr.executor, { crank: { restoration_id: op, limit: batchSize } } satisfies ExecutorExecuteMsg);
    cranks++;
    state = await q.executor<RestorationResponse>({ restoration: { restoration_id: op } });
    const status = state.targets[0]?.status;
    const step = (await q.vault<{ step: string | null }>({ restoration_progress: {} })).step;
    const done = state.state === "complete";
    if (cranks <= 3 || done || cranks % 10 === 0) {
      await record("keeper", `crank batch ${cranks} (limit ${batchSize})`, done ? "complete: lock released, feeder rotated" : `vault ${step}: undone ${status?.undone_entries}, replayed ${status?.replayed_executions ?? 0}, skipped ${status?.skipped_executions ?? 0}`, true, r.height);
    }
    if (cranks === 1 && !done) {
      await probe("a user action between crank batches", "alice", `deposit 100 ${COLLATERAL} mid-restoration`, "a restoration is running; the contract is locked", addr.vault, { deposit: {} } satisfies VaultExecuteMsg, coin(100n));
    }
    if (done) break;
    if (typeof state.state === "object") throw new Error(`restoration failed: ${JSON.stringify(state.state)}`);
    if (cranks > 10_000) throw new Error("restoration did not complete in 10000 cranks");
  }

  // ---- 9. verified and unlocked: read everything the invariants need ----
  const report = (await q.vault<RestorationReport | null>({ restoration_report: { restoration_id: null } }))!;
  const claims = new Map<string, AccountClaim>();
  for (let start: string | null = null; ; ) {
    const page: ClaimsResponse = await q.vault<ClaimsResponse>({ restoration_claims: { restoration_id: null, start_after: start, limit: 100 } });
    for (const cl of page.claims) claims.set(cl.account, cl);
    if (page.claims.length < 100) break;
    start = page.claims[page.claims.length - 1].account;
  }
  // Every record the replay did not replay, with why (paged): each execution's outcome.
  const replayReport: ReplayEntry[] = [];
  for (let start: ReplayEntry["id"] | null = null; ; ) {
    const page: ReplayReportResponse = await q.vault<ReplayReportResponse>({ replay_report: { start_after: start, limit: 100 } });
    replayReport.push(...page.entries);
    if (page.entries.length < 100) break;
    start = page.entries[page.entries.length - 1].id;
  }
  const unmatched = matchReport(executions, replayReport);
  const bankAfter = BigInt((await deployer.balance(addr.vault, COLLATERAL)).amount);
  const view = {
    restoration: state,
    vaultStatus: await q.vault<RestorationStatusResponse>({ restoration_status: {} }),
    vaultPause: await q.vault<VaultPauseStatus>({ pause_status: {} }),
    journal: await q.vault<JournalInfoResponse>({ journal_info: {} }),
    guardianPause: await q.guardian<GuardianPauseStatus>({ pause_status: { target: addr.vault } }),
    mallory: await q.vault<AccountResponse>({ account: { address: who("mallory") } }),
  };

  const accounts: AccountRow[] = [...named, ...extras].map((name) => {
    const address = who(name);
    const cl = claims.get(address);
    const before = amountOf(cl?.before);
    const claim = amountOf(cl?.after);
    // An excluded account with no balance (the feeder) has no claim record: frozen all the same.
    const frozen = cl?.frozen ?? report.exclusions.includes(address);
    const own = executions.filter((e) => e.address === address);
    const replayed = own.filter((e) => isReplayed(e.outcome)).length;
    return { name, address, frozen, atH: atH.get(name) ?? 0n, replayed, skipped: own.length - replayed, before, haircut: before - claim, claim };
  });

  // ---- after the restoration: the guardian lifts its pauses, honest users withdraw ----
  for (const scope of ["trade", "withdraw"] as const) {
    await guardian("guardian", `end the ${scope} pause early`, { end_pause: { target: addr.vault, scope } });
  }
  await probe("a guardian re-pausing inside the cooldown", "guardian", "pause trade again", "is in cooldown until", addr.guardian, {
    pause: { target: addr.vault, scope: "trade", duration_seconds: HOUR, reason: "again" },
  } satisfies GuardianExecuteMsg);
  // The voted post-restore configuration took effect with the release: the new feeder feeds,
  // the compromised one is frozen.
  const vaultConfig = await q.vault<ConfigResponse>({ config: {} });
  let newFeederPushed = false;
  try {
    await push("102", " (the rotated feeder)", NEW_FEEDER);
    newFeederPushed = true;
  } catch {
    newFeederPushed = false;
  }
  await probe("the compromised feeder after the restoration", "feeder", `push ${MARKET} = 150`, "is frozen by a restoration", addr.vault, { push_price: { market: MARKET, price: "150" } } satisfies VaultExecuteMsg);
  const alice = accounts.find((a) => a.name === "alice")!;
  let aliceWithdrew = false;
  try {
    await withdraw("alice", alice.claim, " (her whole settled claim)");
    aliceWithdrew = true;
  } catch {
    aliceWithdrew = false;
  }
  let malloryRefusal = "";
  try {
    await run("mallory", addr.vault, { withdraw: { denom: COLLATERAL, amount: "1" } } satisfies VaultExecuteMsg);
    await record("mallory", "withdraw 1 uusdc", "ACCEPTED (the attacker should be frozen)", true);
  } catch (e) {
    malloryRefusal = errorText(e);
    await record("mallory", `withdraw 1 ${COLLATERAL}`, `refused: ${shorten(malloryRefusal, "frozen")}`, false);
  }

  const invariantInput: InvariantInput = {
    accounts,
    ledgers,
    pricesAtH,
    executions,
    unmatched,
    report,
    policy,
    insuranceName: "insurance",
    attackerName: "mallory",
    feederName: "feeder",
    newFeeder: { name: NEW_FEEDER, address: who(NEW_FEEDER) },
    vaultConfig,
    newFeederPushed,
    ...view,
    malloryRefusal,
    aliceWithdrew,
    restoreHeight,
    probes,
    probesOn,
  };
  const invariants = checkInvariants(invariantInput);
  return {
    deployment,
    settings,
    policy,
    batchSize,
    attackHeight,
    restoreHeight,
    cranks,
    timeline,
    accounts,
    report,
    executions,
    replay: summarizeReplay(executions, new Set(report.exclusions)),
    replayReport,
    bankAfter,
    probes,
    invariants,
    invariantInput,
    elapsedMs: Date.now() - started,
  };
}

async function advance(chain: SimulatedChain, seconds: number): Promise<void> {
  chain.advanceTime(seconds, Math.ceil(seconds / BLOCK_SECONDS));
}

/** An account's claim at a height: free collateral plus the margin of its open positions. */
function claimOf(a: AccountResponse): bigint {
  const free = amountOf(a.collateral);
  const margin = a.positions.filter((p) => p.denom === COLLATERAL).reduce((s, p) => s + BigInt(p.margin), 0n);
  return free + margin;
}

/** An account's ledger as the vault answers it (collateral-denom positions, entry price in atomics). */
function ledgerOf(a: AccountResponse): LedgerAtH {
  const positions = new Map<string, { size: bigint; entry: bigint; margin: bigint }>();
  for (const p of a.positions.filter((p) => p.denom === COLLATERAL)) positions.set(p.market, { size: BigInt(p.size), entry: decimalAtomics(p.entry_price), margin: BigInt(p.margin) });
  return { free: amountOf(a.collateral), positions };
}

/** The vault's post-restore configuration that rotates the feeder (`VaultConfigUpdate` JSON, base64). */
export function rotateFeeder(feeder: string): string {
  return Buffer.from(JSON.stringify({ feeder })).toString("base64");
}

function amountOf(coins: ReadonlyArray<{ denom: string; amount: string }> | null | undefined): bigint {
  return BigInt(coins?.find((x) => x.denom === COLLATERAL)?.amount ?? "0");
}

export function fmtDuration(seconds: number): string {
  const h = Math.floor(seconds / HOUR);
  const m = Math.floor((seconds % HOUR) / 60);
  const s = seconds % 60;
  return `${h} h${m ? ` ${m} min` : ""}${s ? ` ${s} s` : ""}`;
}

/** The part of a long chain error that matters: from the expected text (or the end). */
function shorten(error: string, expected: string): string {
  const i = error.indexOf(expected);
  const core = i >= 0 ? error.slice(Math.max(0, error.lastIndexOf(":", i - 1) + 1)).trim() : error;
  return core.length > 140 ? `${core.slice(0, 137)}...` : core;
}
