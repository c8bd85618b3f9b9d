/**
 * The interactive demo story (`scripts/demo.sh --serve`): the first half of the restoration
 * scenario (scenario.ts) on the simulated chain, stopped where people take over.
 *
 * Deploys through `runDeployment` (the deploy.sh --network local path); holders stake; users
 * deposit and trade; at block E the compromised feeder moves the price and the attacker
 * closes and withdraws, while honest users keep trading (bob closes the short he opened
 * before E, carol opens and closes), withdrawing and depositing; the guardian pauses `trade`
 * and `withdraw` for 72 h; holder-1 proposes the restoration to E-1 (expedited, excluding
 * mallory and the feeder, rotating the feeder to feeder-2 at completion: the vault's
 * post-restore configuration). Then it stops: the votes,
 * the close, the timelock, the execute and the cranks are left to the dashboard or the CLI,
 * with the local backend's development accounts (and its "advance time" control, since a
 * simulated chain only moves when told).
 */
import type { ExecuteMsg as GovExecuteMsg } from "../../ts-client/RewindGovernance.types";
import type { DigestAtResponse, ExecuteMsg as VaultExecuteMsg } from "../../ts-client/RewindVault.types";
import type { Contracts } from "./cli/api";
import { wasmAttributes, type Coin } from "./client";
import { ARTIFACTS_DIR, loadArtifacts, localChain, runDeployment, type Deployment } from "./deploy";
import { loadNetwork } from "./networks";
import type { DeploySettings } from "./plan";
import { COLLATERAL, demoSettings, HOLDERS as STORY_HOLDERS, NEW_FEEDER, rotateFeeder, USERS as STORY_USERS } from "./scenario";
import type { SimulatedChain } from "./simulated";

const HOUR = 3600;
const MARKET = "BTC-PERP";

/** The story's users and holders: the demo's, defined once in scenario.ts. */
export { HOLDERS as STORY_HOLDERS, USERS as STORY_USERS } from "./scenario";
export interface StoryRow {
  height: number;
  actor: string;
  action: string;
}

export interface Story {
  chain: SimulatedChain;
  deployment: Deployment;
  settings: DeploySettings;
  contracts: Contracts;
  /** Development account name → address (and the contracts by role). */
  names: Record<string, string>;
  attackHeight: number;
  restoreHeight: number;
  proposalId: number;
  rows: StoryRow[];
}

function coin(amount: bigint | number, denom = COLLATERAL): Coin[] {
  return [{ denom, amount: amount.toString() }];
}

export async function setupStory(opts: { artifactsDir?: string; onRow?: (r: StoryRow) => void } = {}): Promise<Story> {
  const net = loadNetwork("local");
  const { chain, deployer } = localChain(net);
  const settings = demoSettings(chain);
  const deployment = await runDeployment(deployer, net, settings, loadArtifacts(opts.artifactsDir ?? ARTIFACTS_DIR), () => {});
  if (deployment.skipped.length) throw new Error(`deploy skipped steps: ${deployment.skipped.map((s) => `${s.step} (${s.reason})`).join("; ")}; run scripts/build.sh`);
  const c = deployment.contracts;
  const contracts: Contracts = {
    governance: c.rewind_governance!.address,
    timelock: c.rewind_timelock!.address,
    guardian: c.rewind_guardian!.address,
    executor: c.rewind_executor!.address,
    stake: c.rewind_stake!.address,
    vault: c.rewind_vault!.address,
  };
  const rows: StoryRow[] = [];
  const who = (n: string) => chain.addr(n);
  const act = async (actor: string, action: string, contract: string, msg: unknown, funds?: Coin[]) => {
    const r = await chain.client(actor).execute(contract, msg, funds);
    const row = { height: r.height, actor, action };
    rows.push(row);
    opts.onRow?.(row);
    return r;
  };
  const vault = (actor: string, action: string, msg: VaultExecuteMsg, funds?: Coin[]) => act(actor, action, contracts.vault!, msg, funds);

  for (const [name, amount] of STORY_USERS) chain.fund(who(name), coin(amount * 2n));
  chain.fund(who("insurance"), coin(20_000n));
  chain.fund(who("mallory"), [...coin(12_000n), { denom: settings.stakeDenom, amount: "500000" }]);
  for (const [name, amount] of STORY_HOLDERS) chain.fund(who(name), [{ denom: settings.stakeDenom, amount: (amount + 2_000_000n).toString() }]);
  chain.fund(who("keeper"), [{ denom: settings.stakeDenom, amount: "1" }]);

  await vault("feeder", `push ${MARKET} = 100`, { push_price: { market: MARKET, price: "100" } });
  for (const [name, amount] of STORY_HOLDERS) await act(name, `stake ${amount}`, contracts.stake!, { stake: {} }, [{ denom: settings.stakeDenom, amount: amount.toString() }]);
  await vault("insurance", "deposit 20000 (insurance fund)", { deposit: {} }, coin(20_000n));
  for (const [name, amount] of STORY_USERS.slice(0, 4)) await vault(name, `deposit ${amount}`, { deposit: {} }, coin(amount));
  await vault("alice", `open long 100 ${MARKET}`, { open_position: { market: MARKET, size: "100", margin: "2000" } });
  await vault("bob", `open short 50 ${MARKET}, margin 1000`, { open_position: { market: MARKET, size: "-50", margin: "1000" } });
  await vault("feeder", `push ${MARKET} = 102`, { push_price: { market: MARKET, price: "102" } });
  await vault("alice", `close long ${MARKET}`, { close_position: { market: MARKET } });
  await vault("mallory", "deposit 12000", { deposit: {} }, coin(12_000n));
  await vault("mallory", `open long 1000 ${MARKET}, margin 11000`, { open_position: { market: MARKET, size: "1000", margin: "11000" } });
  await vault("erin", "deposit 5000 (E-1)", { deposit: {} }, coin(5_000n));
  const restoreHeight = await deployer.height();

  const attack = await vault("feeder", `push ${MARKET} = 122 (compromised feeder)`, { push_price: { market: MARKET, price: "122" } });
  await vault("mallory", `close long ${MARKET} (+20000)`, { close_position: { market: MARKET } });
  await vault("mallory", "withdraw 32000 (the profit leaves)", { withdraw: { denom: COLLATERAL, amount: "32000" } });
  // Honest activity after E: the restoration replays it (the trades at 102, the feeder's push skipped).
  await vault("bob", `close short ${MARKET} @ 122`, { close_position: { market: MARKET } });
  await vault("carol", `open long 40 ${MARKET} @ 122, margin 1000`, { open_position: { market: MARKET, size: "40", margin: "1000" } });
  await vault("carol", `close long ${MARKET} @ 122`, { close_position: { market: MARKET } });
  await vault("carol", "withdraw 5000", { withdraw: { denom: COLLATERAL, amount: "5000" } });
  await vault("dave", "deposit 4000", { deposit: {} }, coin(4_000n));

  for (const scope of ["trade", "withdraw"] as const) {
    await act("guardian", `pause ${scope} for 72 h`, contracts.guardian, { pause: { target: contracts.vault!, scope, duration_seconds: 72 * HOUR, reason: "oracle manipulation at block E" } });
  }

  const digest = await deployer.query<DigestAtResponse>(contracts.vault!, { digest_at: { height: restoreHeight } });
  const proposed = await act(
    "holder-1",
    `propose restoration to ${restoreHeight} (exclude mallory and feeder, rotate feeder to ${NEW_FEEDER})`,
    contracts.governance,
    {
      propose_restoration: {
        title: "Restore the vault to the block before the oracle attack",
        description: `Feeder pushed a manipulated ${MARKET} price at block ${attack.height}; mallory closed and withdrew the profit. Exclude both; ${NEW_FEEDER} feeds from the restoration on.`,
        targets: [{ contract: contracts.vault!, new_code: null, post_restore_config: rotateFeeder(who(NEW_FEEDER)) }],
        candidates: [{ height: restoreHeight, expected_digests: [digest.digest] }],
        exclusions: [who("mallory"), who("feeder")],
        shortfall_policy: "pro_rata_haircut",
        expedited: true,
      },
    } satisfies GovExecuteMsg,
    [settings.deposit],
  );
  const proposalId = Number(wasmAttributes(proposed.events, contracts.governance, "proposal_id")[0] ?? 1);

  const names: Record<string, string> = {};
  for (const n of ["guardian", "feeder", NEW_FEEDER, "keeper", "insurance", "mallory", ...STORY_USERS.map(([n]) => n), ...STORY_HOLDERS.map(([n]) => n)]) names[n] = who(n);
  return { chain, deployment, settings, contracts, names, attackHeight: attack.height, restoreHeight, proposalId, rows };
}
