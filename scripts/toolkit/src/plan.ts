/**
 * The deployment plan: which artifact is instantiated in which order, with which message.
 *
 * This is the ONE place that knows the instantiate messages of the Rewind contracts; they
 * are typed with the generated client (`scripts/ts-client/*.types.ts`, from `schema/`), so a
 * change of a contract's InstantiateMsg that is not mirrored here fails `tsc`.
 * When a contract's InstantiateMsg changes, regenerate (`scripts/codegen.sh`) and change it here.
 *
 * Order (governance's address is predicted with instantiate2 before anything exists):
 *   1. rewind-stake                        (voting power; wasm admin and DAO = governance)
 *   2. rewind-governance (instantiate2, GOVERNANCE_SALT, wasm admin = itself)
 *      - it instantiates the timelock, guardian and executor with instantiate2 at addresses
 *        it predicts, passes all of them in each instantiate message, and is their admin
 *      - targets: the vault's address, predicted with instantiate2 (cosmwasm_1_2), so the
 *        vault is a registered target from genesis without a parameter proposal
 *   3. rewind-vault (instantiate2, salt below, wasm admin = executor)
 * Steps whose artifact (or whose dependency's artifact) is missing are skipped, with a reason.
 */

import type { ExecutorSettings, InstantiateMsg as GovernanceInstantiateMsg, PausePolicy, TargetRegistration, TimelockSettings, VotingRules } from "../../ts-client/RewindGovernance.types";
import type { InstantiateMsg as StakeInstantiateMsg } from "../../ts-client/RewindStake.types";
import type { InstantiateMsg as VaultInstantiateMsg, MarketParams } from "../../ts-client/RewindVault.types";

export type { VotingRules };

/** Artifact file stem (artifacts/<stem>.wasm) per contract. */
export const CONTRACTS = [
  "rewind_stake",
  "rewind_governance",
  "rewind_timelock",
  "rewind_guardian",
  "rewind_executor",
  "rewind_vault",
] as const;
export type ContractName = (typeof CONTRACTS)[number];

/** instantiate2 salt of the vault (ASCII). Changing it changes the vault's address. */
export const VAULT_SALT = "rewind-vault-v1";
/** instantiate2 salt of governance (ASCII): it is its own wasm admin, so its address is known first. */
export const GOVERNANCE_SALT = "rewind-governance";

/** The contracts whose address the plan predicts with instantiate2. */
export type Predicted = "rewind_vault" | "rewind_governance";

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Deployment settings; every field can be overridden by a network file's `deploy` object. */
export interface DeploySettings {
  /** The denom staked for voting power (rewind-stake `denom`). */
  stakeDenom: string;
  unbondingSeconds: number;
  /** Guardian addresses; empty means "the deployer" (for testnets only). */
  guardians: string[];
  deposit: { denom: string; amount: string };
  normal: VotingRules;
  expedited: VotingRules;
  minVotingPeriodSeconds: number;
  timelock: TimelockSettings;
  pausePolicy: PausePolicy;
  executor: ExecutorSettings;
  vault: {
    /** Feeder and insurance accounts; empty means "the deployer" (for testnets only). */
    feeder: string;
    insurance: string;
    denoms: string[];
    markets: MarketParams[];
    exits_pausable: boolean;
    breaker_bound_bps: number;
    breaker_pause_seconds: number;
    breaker_max_trip_seconds: number;
    breaker_cooldown_seconds: number;
    breaker_budget_trips: number;
    breaker_window_seconds: number;
    retention_blocks: number;
    retention_seconds: number;
    /** In-line invariants (docs/ARCHITECTURE.md); absent: off. `in_line: false`: detect-only (reports prove them, nothing is refused in-line). */
    invariants?: { oracle_bound_bps: number; reference_feeder?: string | null; solvency: boolean; in_line?: boolean } | null;
  };
  /** The least power (at the power height) that may propose a restoration. */
  minProposerPower: string;
  /** The oldest candidate height a restoration may name, in blocks behind the current one. */
  maxCandidateAgeBlocks: number;
}

/** DESIGN.md defaults. */
export function defaultSettings(denom: string): DeploySettings {
  return {
    stakeDenom: denom,
    unbondingSeconds: 14 * DAY,
    guardians: [],
    deposit: { denom, amount: "1000000" },
    normal: { voting_period_seconds: 3 * DAY, quorum: "0.334", threshold: "0.5", veto_threshold: "0.334" },
    expedited: { voting_period_seconds: DAY, quorum: "0.334", threshold: "0.667", veto_threshold: "0.334" },
    minVotingPeriodSeconds: DAY,
    timelock: {
      delay_seconds: 12 * HOUR,
      min_delay_seconds: 12 * HOUR,
      max_delay_seconds: 14 * DAY,
      min_delay_blocks: 100,
      grace_period_seconds: 7 * DAY,
      guardian_delay_seconds: DAY,
      guardian_delay_blocks: 14_400,
    },
    pausePolicy: { max_pause_seconds: 72 * HOUR, cooldown_seconds: DAY, budget_seconds: 7 * DAY, budget_window_seconds: 30 * DAY, min_charge_seconds: HOUR },
    executor: { default_crank_limit: 50, max_crank_limit: 200, lock_seconds: DAY, exit_only_seconds: 7 * DAY },
    minProposerPower: "10000",
    maxCandidateAgeBlocks: 100_000,
    vault: {
      feeder: "",
      insurance: "",
      denoms: [denom],
      markets: [
        {
          id: "BTC-PERP",
          denom,
          initial_margin_ratio: "0.1",
          maintenance_margin_ratio: "0.05",
          liquidation_reward_ratio: "0.01",
          liquidation_fee_ratio: "0.01",
        },
      ],
      exits_pausable: false,
      breaker_bound_bps: 2000,
      breaker_pause_seconds: 6 * HOUR,
      breaker_max_trip_seconds: 24 * HOUR,
      breaker_cooldown_seconds: DAY,
      breaker_budget_trips: 3,
      breaker_window_seconds: 7 * DAY,
      // Undo history must outlive voting (3 d) + timelock delay (12 h) + grace (7 d) = 10.5 d,
      // in blocks (200 000 is about 13.9 days at 6-second blocks) and in time (governance
      // checks the seconds; the journal prunes only what is older than both).
      retention_blocks: 200_000,
      retention_seconds: 14 * DAY,
    },
  };
}

/** Shallow-per-section merge of a network file's `deploy` overrides. */
export function mergeSettings(base: DeploySettings, overrides: Partial<DeploySettings> | undefined): DeploySettings {
  if (!overrides) return base;
  const out: DeploySettings = { ...base, ...overrides } as DeploySettings;
  for (const key of ["timelock", "pausePolicy", "executor", "vault", "normal", "expedited", "deposit"] as const) {
    if (overrides[key]) (out as unknown as Record<string, unknown>)[key] = { ...base[key], ...overrides[key] };
  }
  return out;
}

/** What a step may refer to: resolved on a chain, placeholders in a dry run. */
export interface Refs {
  deployer: string;
  codeId(name: ContractName): number | string;
  address(name: ContractName): string;
}

export type Step =
  | { kind: "instantiate"; contract: ContractName; label: string; admin?: (r: Refs) => string; msg: (r: Refs) => unknown; needs: ContractName[] }
  | { kind: "instantiate2"; contract: ContractName; label: string; salt: string; admin?: (r: Refs) => string; msg: (r: Refs) => unknown; needs: ContractName[] }
  | { kind: "modules"; contract: "rewind_governance"; needs: ContractName[] };

export function stakeInstantiateMsg(s: DeploySettings, dao: string): StakeInstantiateMsg {
  return { dao, denom: s.stakeDenom, unstaking_duration: { time: s.unbondingSeconds } };
}

/** A code id; in a dry run a "<code_id:...>" placeholder stands in the number's place. */
function codeId(r: Refs, name: ContractName): number {
  return r.codeId(name) as number;
}

/**
 * The scopes the vault declares (its `Scopes {}` answer, `rewind_types::vault::SCOPES`). The
 * vault does not exist yet when governance instantiates the guardian, so the genesis
 * registration carries them; a later `RegisterTarget` is checked against the target itself.
 */
export const VAULT_SCOPES = [
  { scope: "deposit", exit: false },
  { scope: "withdraw", exit: true },
  { scope: "trade", exit: false },
  { scope: "liquidate", exit: false },
];

export function governanceInstantiateMsg(s: DeploySettings, r: Refs, targets: TargetRegistration[]): GovernanceInstantiateMsg {
  return {
    config: {
      voting_module: r.address("rewind_stake"),
      normal: s.normal,
      expedited: s.expedited,
      min_voting_period_seconds: s.minVotingPeriodSeconds,
      deposit: s.deposit,
      refund_failed_quorum: true,
      allow_revoting: false,
      max_candidates: 5,
      max_targets: 5,
      max_exclusions: 50,
      min_proposer_power: s.minProposerPower,
      max_candidate_age_blocks: s.maxCandidateAgeBlocks,
    },
    targets,
    timelock: { code_id: codeId(r, "rewind_timelock"), label: "rewind-timelock", settings: s.timelock },
    guardian: {
      code_id: codeId(r, "rewind_guardian"),
      label: "rewind-guardian",
      settings: { guardians: s.guardians.length ? s.guardians : [r.deployer], policy: s.pausePolicy },
    },
    executor: { code_id: codeId(r, "rewind_executor"), label: "rewind-executor", settings: s.executor },
  };
}

export function vaultInstantiateMsg(s: DeploySettings, r: Refs): VaultInstantiateMsg {
  const v = s.vault;
  return {
    governance: r.address("rewind_governance"),
    guardian: r.address("rewind_guardian"),
    feeder: v.feeder || r.deployer,
    insurance: v.insurance || r.deployer,
    denoms: v.denoms,
    markets: v.markets,
    breaker_bound_bps: v.breaker_bound_bps,
    breaker_pause_seconds: v.breaker_pause_seconds,
    breaker_max_trip_seconds: v.breaker_max_trip_seconds,
    breaker_cooldown_seconds: v.breaker_cooldown_seconds,
    breaker_budget_trips: v.breaker_budget_trips,
    breaker_window_seconds: v.breaker_window_seconds,
    max_pause_seconds: s.pausePolicy.max_pause_seconds,
    retention_blocks: v.retention_blocks,
    retention_seconds: v.retention_seconds,
    ...(v.invariants ? { invariants: v.invariants } : {}),
  };
}

/**
 * The ordered steps. `vaultAddress` is the predicted instantiate2 address of the vault
 * (or a placeholder), used as governance's initial target when the vault is deployed.
 */
/**
 * Row G12: the vault's history must outlive the longest path a restoration takes (normal
 * voting + timelock delay + grace), in seconds. Governance checks this when a target is
 * registered by a vote; a target registered at governance's own instantiate does not exist
 * yet, so the plan checks it before anything is deployed.
 */
export function checkRetention(s: DeploySettings): void {
  const required = s.normal.voting_period_seconds + s.timelock.delay_seconds + s.timelock.grace_period_seconds;
  if (s.vault.retention_seconds < required) {
    throw new Error(
      `deploy.vault.retention_seconds is ${s.vault.retention_seconds}: it must be at least the normal voting period + timelock delay + grace = ${required} s`,
    );
  }
}

export function buildSteps(s: DeploySettings, deployVault: boolean, predict: (name: Predicted) => string): Step[] {
  if (deployVault) checkRetention(s);
  const govNeeds: ContractName[] = ["rewind_governance", "rewind_timelock", "rewind_guardian", "rewind_executor", "rewind_stake"];
  const governance = () => predict("rewind_governance");
  return [
    {
      kind: "instantiate",
      contract: "rewind_stake",
      label: "rewind-stake",
      admin: governance,
      msg: () => stakeInstantiateMsg(s, governance()),
      needs: ["rewind_stake", "rewind_governance"],
    },
    {
      kind: "instantiate2",
      contract: "rewind_governance",
      label: "rewind-governance",
      salt: GOVERNANCE_SALT,
      admin: governance,
      msg: (r) =>
        governanceInstantiateMsg(s, r, deployVault ? [{ contract: predict("rewind_vault"), exits_pausable: s.vault.exits_pausable, scopes: VAULT_SCOPES }] : []),
      needs: govNeeds,
    },
    { kind: "modules", contract: "rewind_governance", needs: govNeeds },
    {
      kind: "instantiate2",
      contract: "rewind_vault",
      label: "rewind-vault",
      salt: VAULT_SALT,
      admin: (r) => r.address("rewind_executor"),
      msg: (r) => vaultInstantiateMsg(s, r),
      needs: [...govNeeds, "rewind_vault"],
    },
  ];
}
