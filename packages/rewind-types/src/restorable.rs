//! The interface every protected target implements.
//!
//! A target's own `ExecuteMsg`, `MigrateMsg` and `QueryMsg` contain variants with exactly
//! these names and fields, so the guardian and executor can send the types below and the
//! target parses them as its own. Each target has a test that proves it.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Binary, HexBinary, StdError, StdResult, Timestamp, Uint128};

use crate::restoration::ShortfallPolicy;
use crate::scope::PauseScope;

/// Gate updates, accepted by a target from its guardian contract only.
#[cw_serde]
pub enum GateMsg {
    /// Pause `scope` until `until`. An `until` at or before the block time lifts the pause.
    /// There is no pause without an end.
    SetPause {
        /// The family of actions to stop.
        scope: PauseScope,
        /// When the pause ends by itself.
        until: Timestamp,
    },
    /// Hold the restoration lock until `until` (set at queue, bounded by the grace window),
    /// or release it with `None`.
    SetRestorationLock {
        /// When the lock ends by itself; `None` releases it now.
        until: Option<Timestamp>,
    },
    /// Keep every height from `from_height` up restorable until `until`: pruning may not
    /// delete what a rollback to `from_height` or later needs while the hold is in force.
    /// Sent when a restoration proposal names `from_height` as a candidate. Holds combine
    /// (the lowest unexpired `from_height` wins) and end by themselves.
    HoldHistory {
        /// The lowest height that must stay restorable.
        from_height: u64,
        /// When the hold ends by itself.
        until: Timestamp,
    },
}

/// The execute variants the guardian and executor send to a target, and its upkeep.
#[cw_serde]
pub enum RestorableExecuteMsg {
    /// From the guardian contract only.
    Gate(GateMsg),
    /// Continue a running restoration by at most `limit` units of work. Open to anyone:
    /// the work is deterministic.
    Crank {
        /// The most undo entries or flows to process; `None` uses the target's default.
        limit: Option<u32>,
    },
    /// `Crank`, replaying only recorded executions at heights below `height`: the executor
    /// replays the targets of one restoration in one order, by height, and sends this to
    /// the target whose next record (`RestorationStatus`'s `next_replay`) is the earliest,
    /// bounded by the next record of the others. Targets that report no `next_replay` are
    /// never sent it.
    CrankBefore {
        /// As `Crank`'s.
        limit: Option<u32>,
        /// Replay no record at this height or above.
        height: u64,
    },
    /// Delete at most `limit` journal entries that no retained height needs. Open to anyone
    /// (a keeper's job, so user actions do not pay for it); the journal refuses to prune
    /// while a restoration is pending.
    Prune {
        /// The most entries to delete; `None` uses the target's default.
        limit: Option<u32>,
    },
    /// The sender moves its whole settled claim to the registered successor (issue 15): only
    /// in exit-only mode (the offline clock, or a failed restoration), never while a
    /// restoration runs, never for a frozen account. The funds and a
    /// [`ClaimRecord`](crate::successor::ClaimRecord) go to the successor in one message.
    MoveToSuccessor {},
    /// Issue 16: anyone reports that `invariant` is broken. The target re-evaluates it over
    /// its FULL state (in batches of at most `limit` units, the scan resuming across calls;
    /// it restarts when an execution ran in between). Broken: the incident is recorded, the
    /// invariant's pause is tripped and the reporter is paid the bounty (once per incident,
    /// from the bounty budget). Holding: refused (`ReportRefuted`), nothing changes.
    Report {
        /// The invariant's name.
        invariant: String,
        /// The most units of work of this call; `None` uses the target's default.
        limit: Option<u32>,
    },
    /// Issue 16: adds the attached funds (one coin) to the reporters' bounty budget, which
    /// is kept out of every user's claim. Anyone may top it up; only the contract's wasm
    /// admin (the executor, after a vote) sets `per_incident` (required the first time).
    FundBounty {
        /// The bounty one proven incident pays (capped by what the budget holds).
        per_incident: Option<Uint128>,
    },
}

/// Issue 16: a proven invariant violation, recorded by a `Report`.
#[cw_serde]
pub struct Incident {
    /// 1, 2, ...
    pub id: u64,
    /// The broken invariant.
    pub invariant: String,
    /// Why it is broken (the target's words).
    pub reason: String,
    /// The block the report proved it in.
    pub detected_height: u64,
    /// The last height at which every invariant held, as far as the target can tell (the
    /// restoration height the incident supports); `None`: unknown.
    pub last_held_height: Option<u64>,
    /// The accounts whose executions broke it, if known (at most 10).
    pub accounts: Vec<String>,
    /// Who reported it.
    pub reporter: String,
    /// The bounty paid (`None`: the budget was empty or never funded).
    pub bounty: Option<cosmwasm_std::Coin>,
    /// The end of the pause the report tripped (`None`: none could be set).
    pub paused_until: Option<Timestamp>,
}

/// The answer to `Incidents {}`.
#[cw_serde]
pub struct IncidentsResponse {
    /// The incidents, by id, after `start_after`.
    pub incidents: Vec<Incident>,
    /// What the bounty budget holds.
    pub budget: Option<cosmwasm_std::Coin>,
    /// The bounty of one incident.
    pub per_incident: Option<Uint128>,
}

/// A target's migrate message.
#[cw_serde]
pub enum RestorableMigrateMsg {
    /// A normal upgrade: same cw2 name, strictly newer version.
    Upgrade {},
    /// Roll the target back to the end of block `height`, replay the flows of every account
    /// not in `exclusions`, settle the shortfall by `shortfall_policy`, and verify the
    /// digest. The one same-version migration; the chain only lets the wasm admin send it.
    Restore {
        /// The last good block.
        height: u64,
        /// Accounts whose later flows are not replayed and whose claims are frozen.
        exclusions: Vec<String>,
        /// How a shortfall is settled.
        shortfall_policy: ShortfallPolicy,
        /// The digest the target recorded at `height`; the rollback must reach it.
        expected_digest: HexBinary,
    },
    /// Every target of the restoration is complete and verified: end the restoration and
    /// reopen. Until this arrives a completed target stays locked, so the targets of one
    /// restoration reopen together or not at all.
    Release {
        /// The voted post-restore configuration of this target (the JSON of the target's
        /// own config-update type, as in `Configure`), applied in the same migration, after
        /// the release: a target that refuses it refuses the release, and the completing
        /// step of every target reverts. `None` (the JSON `{"release":{}}`): none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        config: Option<Binary>,
    },
    /// A voted configuration change, sent by the wasm admin (the executor) as a
    /// same-version migration to the target's current code. `config` is the JSON of the
    /// target's OWN config-update type: the target parses and validates it, and refuses
    /// what it would refuse in `CheckConfig`. The core never reads it.
    Configure {
        /// The target's config update, as JSON.
        config: Binary,
    },
    /// Holders voted to abort a restoration that cannot complete: stop the rollback where
    /// it is, keep the state as it stands (consistently journaled), and open only the exit
    /// scopes until `exit_only_until`. Needs no new code.
    Abandon {
        /// When exit-only mode ends by itself.
        exit_only_until: Timestamp,
    },
    /// A voted, timelocked sweep (sent by the executor after the timelock's delay): move
    /// every frozen (excluded) account's remaining claim and the surplus (bank balance above
    /// the sum of claims) out of the target, to `to` or, when `None`, the target's
    /// insurance account. Same version only; refused while restoring or restoration-locked.
    /// A target that holds no funds refuses it.
    Sweep {
        /// The recipient; `None` sends to the target's insurance account.
        to: Option<String>,
    },
}

/// The queries governance and the executor send to a target.
#[cw_serde]
#[derive(QueryResponses)]
pub enum RestorableQueryMsg {
    /// The retained history and lock state.
    #[returns(JournalInfoResponse)]
    JournalInfo {},
    /// The digest of the state at the end of `height`.
    #[returns(DigestAtResponse)]
    DigestAt {
        /// The block height.
        height: u64,
    },
    /// The progress of the current or last restoration.
    #[returns(RestorationStatusResponse)]
    RestorationStatus {},
    /// The offline clock and exit-only mode (also in `RestorationStatus`).
    #[returns(crate::successor::OfflineStatusResponse)]
    OfflineStatus {},
    /// What the target still owes, what moved to the successor, and the successor.
    #[returns(crate::successor::RemainingClaimsResponse)]
    RemainingClaims {},
    /// `JournalInfo` and a `DigestAt` per height in one query: what governance checks when
    /// a restoration is proposed. A height `DigestAt` would refuse does not fail the query:
    /// its outcome carries the refusal. More than [`MAX_RESTORATION_CHECK_HEIGHTS`] heights
    /// fail the query.
    #[returns(RestorationCheckResponse)]
    RestorationCheck {
        /// The candidate heights, at most [`MAX_RESTORATION_CHECK_HEIGHTS`]; answered in
        /// this order, duplicates included.
        heights: Vec<u64>,
        /// Accounts whose last activity on the target to report (the proposed exclusions),
        /// at most [`MAX_RESTORATION_CHECK_ACCOUNTS`]; answered in this order.
        #[serde(default)]
        accounts: Vec<String>,
    },
    /// Whether the target would accept `config` (the JSON of its own config-update type) in
    /// `Configure` or `Release { config }` now: parsed and validated, nothing written.
    /// Governance asks it when a configuration change or a post-restore configuration is
    /// proposed.
    #[returns(CheckConfigResponse)]
    CheckConfig {
        /// The target's config update, as JSON.
        config: Binary,
    },
    /// The scopes the target declares (its own names, and which are exits), `all`
    /// excluded: it is implicit. Governance checks a registration against this answer;
    /// the guardian pauses only these scopes and `all`.
    #[returns(crate::scope::ScopesResponse)]
    Scopes {},
    /// What the last restoration's replay did not replay as it first ran: each recorded
    /// execution it skipped (and why), and each it replayed whose outgoing messages other
    /// than bank sends were not sent again. In log order, after `start_after`.
    #[returns(ReplayReportResponse)]
    ReplayReport {
        /// The last entry of the previous page.
        start_after: Option<ExecutionId>,
        /// At most this many entries (default 30, at most 100).
        limit: Option<u32>,
    },
    /// A dry run of a restoration, before it is voted: the same rollback, replay and
    /// settlement the crank would run, on a copy of the state that is then dropped. Bounded
    /// by the node's query gas limit, so run it against a node (or a local fork) whose limit
    /// fits the history.
    #[returns(ReplayPreviewResponse)]
    ReplayPreview {
        /// The candidate height.
        height: u64,
        /// The candidate exclusions.
        exclusions: Vec<String>,
        /// The report entries to return (default 30, at most 100).
        limit: Option<u32>,
        /// The contract's own queries (its JSON, e.g. a cw20 `{"balance": {..}}` or a vault's
        /// account query), answered on today's state and on the restored one: each account's
        /// claim before and after. At most [`MAX_PREVIEW_QUERIES`].
        #[serde(default)]
        queries: Vec<Binary>,
    },
    /// What the last restoration's settlement did to the native funds the target holds (a
    /// target that declares its holdings to the library): per denom, what its ledger held
    /// after the replay, the bank balance, and what it keeps.
    #[returns(SettlementResponse)]
    Settlement {},
    /// Issue 16: one proven incident.
    #[returns(Incident)]
    Incident {
        /// Its id.
        id: u64,
    },
    /// Issue 16: the proven incidents, by id, and the bounty budget.
    #[returns(IncidentsResponse)]
    Incidents {
        /// The last id of the previous page.
        start_after: Option<u64>,
        /// At most this many (default 30, at most 100).
        limit: Option<u32>,
    },
}

/// One denom of a settlement: `kept = min(held, bank_balance)`.
#[cw_serde]
pub struct DenomReconciliation {
    /// The native denom.
    pub denom: String,
    /// What the target's ledger held after the replay.
    pub held: cosmwasm_std::Uint256,
    /// The target's bank balance.
    pub bank_balance: cosmwasm_std::Uint256,
    /// What the ledger holds now.
    pub kept: cosmwasm_std::Uint256,
    /// `held - bank_balance`: cut from every holder alike.
    pub shortfall: cosmwasm_std::Uint256,
    /// `bank_balance - held`: not the holders' (an excluded account's deposit, a donation),
    /// left out of the ledger.
    pub surplus: cosmwasm_std::Uint256,
}

/// A restoration's settlement of a target's holdings.
#[cw_serde]
pub struct HoldingsSettlement {
    /// The voted rule.
    pub policy: ShortfallPolicy,
    /// The restoration height.
    pub height: u64,
    /// The block the settlement ran in.
    pub settled_at: u64,
    /// Per denom, in the order the target lists its holdings.
    pub denoms: Vec<DenomReconciliation>,
}

/// The answer to `Settlement {}`.
#[cw_serde]
pub struct SettlementResponse {
    /// The last settlement, if a restoration ever settled this target's holdings.
    pub last: Option<HoldingsSettlement>,
}

/// The answer to `ReplayPreview { .. }`.
#[cw_serde]
pub struct ReplayPreviewResponse {
    /// Undo entries the rollback would apply.
    pub undone_entries: u64,
    /// Recorded executions that would be replayed.
    pub replayed_executions: u64,
    /// Recorded executions that would be skipped (excluded, never replayed, or failing).
    pub skipped_executions: u64,
    /// The first entries of the report the restoration would write, in log order.
    pub entries: Vec<ReplayEntry>,
    /// What the settlement would do to the target's holdings (a target that declares them).
    #[serde(default)]
    pub settlement: Option<HoldingsSettlement>,
    /// The answers to the request's `queries`, in its order.
    #[serde(default)]
    pub answers: Vec<PreviewAnswer>,
}

/// One of the contract's own queries, answered before and after the dry-run restoration.
#[cw_serde]
pub struct PreviewAnswer {
    /// The query, as sent.
    pub query: Binary,
    /// Its answer on today's state (or the contract's error, as text).
    pub before: QueryAnswer,
    /// Its answer on the state the restoration would leave.
    pub after: QueryAnswer,
}

/// A query's answer, or the error the contract gave.
#[cw_serde]
pub enum QueryAnswer {
    /// The contract's JSON answer.
    Ok(Binary),
    /// The contract refused the query.
    Error(String),
}

/// The most contract queries one `ReplayPreview` answers (each runs twice).
pub const MAX_PREVIEW_QUERIES: usize = 50;

/// Where a recorded execution sits in a target's redo log: its block, and its position
/// among the block's executions of that target (from 0). Ordered as the executions ran.
#[cw_serde]
#[derive(Copy, Eq, PartialOrd, Ord, Hash)]
pub struct ExecutionId {
    /// The block it ran in.
    pub height: u64,
    /// Its position in the block, among this target's executions.
    pub index: u32,
}

/// Why a restoration did not replay a recorded execution, or what it did not resend.
#[cw_serde]
pub enum ReplayOutcome {
    /// Its sender is excluded (or was frozen by an earlier restoration).
    Excluded {},
    /// The contract marks this message as never to be replayed.
    NeverReplayed {},
    /// It followed from a record the restoration skipped (a reply to that execution's
    /// submessage, or that execution's message to the contract itself).
    FollowsSkipped {
        /// The skipped record.
        parent: ExecutionId,
    },
    /// It failed when replayed (typically because it depended on an excluded account's
    /// effects); the error is the contract's own.
    Failed {
        /// The error text.
        error: String,
    },
    /// Replayed; these outgoing messages of the replay (each a `CosmosMsg` as JSON) were
    /// not sent again. Bank sends are not listed: they were paid when the execution first
    /// ran, and the settlement reconciles the bank balance.
    Unsent {
        /// The messages, as JSON.
        messages: Vec<Binary>,
    },
}

/// One entry of a restoration's replay report.
#[cw_serde]
pub struct ReplayEntry {
    /// The recorded execution.
    pub id: ExecutionId,
    /// Its sender.
    pub sender: String,
    /// Its funds (already in the target's bank balance).
    pub funds: Vec<cosmwasm_std::Coin>,
    /// Its message, as JSON: for a skipped cw20 `send`, it names the receiver and amount.
    pub msg: Binary,
    /// What the replay did with it.
    pub outcome: ReplayOutcome,
}

/// The answer to `ReplayReport { .. }`.
#[cw_serde]
pub struct ReplayReportResponse {
    /// The entries, in log order.
    pub entries: Vec<ReplayEntry>,
}

/// The answer to `CheckConfig { config }`.
#[cw_serde]
pub struct CheckConfigResponse {
    /// Why the target would refuse the configuration; `None`: it would accept it now.
    pub error: Option<String>,
}

impl CheckConfigResponse {
    /// The answer for a target's own check: `Ok` accepts, an error refuses with its text.
    pub fn from_result<E: ToString>(result: Result<(), E>) -> Self {
        CheckConfigResponse {
            error: result.err().map(|e| e.to_string()),
        }
    }
}

/// The most heights one `RestorationCheck` may name. Governance's hard cap on candidate
/// heights per proposal must not exceed it.
pub const MAX_RESTORATION_CHECK_HEIGHTS: usize = 10;

/// The most accounts one `RestorationCheck` may name (governance's hard cap on exclusions).
pub const MAX_RESTORATION_CHECK_ACCOUNTS: usize = 1_000;

/// The journal's retained range and locks.
#[cw_serde]
pub struct JournalInfoResponse {
    /// The lowest height a rollback may target.
    pub retained_from: u64,
    /// The last height that wrote journaled state.
    pub latest_height: u64,
    /// The configured retention window, in blocks.
    pub retention_blocks: u64,
    /// A rollback is running.
    pub restoring: bool,
    /// The restoration lock set by the guardian, if any and not expired.
    pub restoration_lock_until: Option<Timestamp>,
    /// The configured retention window, in seconds: a height is pruned only once it is
    /// older than both `retention_blocks` and this.
    #[serde(default)]
    pub retention_seconds: u64,
    /// The lowest height an unexpired history hold or incident freeze keeps restorable.
    #[serde(default)]
    pub history_held_from: Option<u64>,
    /// Exit-only mode (after an abandoned restoration, or a restoration stuck past its
    /// lock) is in force until this time.
    #[serde(default)]
    pub exit_only_until: Option<Timestamp>,
}

/// When an account last acted on a target: the newest height at which it sent a gated
/// execution or had a flow recorded. `None`: never, within what the target records.
#[cw_serde]
pub struct AccountActivity {
    /// The account, as asked.
    pub account: String,
    /// The newest height the account acted at.
    pub last_acted_height: Option<u64>,
}

/// The digest of the state at the end of a height.
#[cw_serde]
pub struct DigestAtResponse {
    /// The height asked for.
    pub height: u64,
    /// The last height at or below `height` that wrote journaled state.
    pub recorded_at: u64,
    /// The 32-byte additive multiset hash of the journaled state.
    pub digest: HexBinary,
}

/// What `DigestAt { height }` answers for one height of a `RestorationCheck`.
#[cw_serde]
pub enum DigestAtOutcome {
    /// The digest, exactly as `DigestAt { height }` returns it.
    Digest(DigestAtResponse),
    /// `DigestAt { height }` refuses the height (not in the past, before the retained
    /// history, rolled back, nothing recorded, ...).
    Refused {
        /// The height asked for.
        height: u64,
        /// The text of the error `DigestAt { height }` returns.
        error: String,
    },
}

impl DigestAtOutcome {
    /// The height this outcome answers.
    pub fn height(&self) -> u64 {
        match self {
            DigestAtOutcome::Digest(at) => at.height,
            DigestAtOutcome::Refused { height, .. } => *height,
        }
    }
}

/// The answer to `RestorationCheck { heights }`.
#[cw_serde]
pub struct RestorationCheckResponse {
    /// What `JournalInfo {}` answers.
    pub journal: JournalInfoResponse,
    /// One outcome per asked height, in the order of `heights`.
    pub digests: Vec<DigestAtOutcome>,
    /// One answer per asked account, in the order of `accounts`.
    #[serde(default)]
    pub activity: Vec<AccountActivity>,
}

impl RestorationCheckResponse {
    /// Builds the answer from a target's journal info and its `DigestAt` logic, run once per
    /// height: an error becomes that height's [`DigestAtOutcome::Refused`] with the error's
    /// text. Fails only when `heights` is longer than [`MAX_RESTORATION_CHECK_HEIGHTS`].
    pub fn build<E: ToString>(
        journal: JournalInfoResponse,
        heights: &[u64],
        mut digest_at: impl FnMut(u64) -> Result<DigestAtResponse, E>,
    ) -> StdResult<Self> {
        if heights.len() > MAX_RESTORATION_CHECK_HEIGHTS {
            return Err(StdError::msg(format!(
                "restoration check: {} heights, at most {MAX_RESTORATION_CHECK_HEIGHTS}",
                heights.len()
            )));
        }
        let digests = heights
            .iter()
            .map(|&height| match digest_at(height) {
                Ok(at) => DigestAtOutcome::Digest(at),
                Err(e) => DigestAtOutcome::Refused {
                    height,
                    error: e.to_string(),
                },
            })
            .collect();
        Ok(RestorationCheckResponse {
            journal,
            digests,
            activity: Vec::new(),
        })
    }
}

/// Where a target's restoration is.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum RestorationPhase {
    /// No restoration has run.
    Idle,
    /// Undoing journal entries above the height.
    RollingBack,
    /// Replaying what non-excluded accounts did after the height (their flows, or their
    /// recorded executions).
    Replaying,
    /// Done: reconciled, settled, digest verified. Still locked until the executor's
    /// `RestorableMigrateMsg::Release { .. }` (then unlocked).
    Complete,
    /// The rollback's verify pass found that it would not reach the digest recorded at the
    /// height (`failure` says why), before anything was undone: the live ledger stays, the
    /// exclusions are frozen, the voted rule settled it, and the target is exit-only.
    Failed,
}

/// A target's restoration progress and, once complete, its totals.
#[cw_serde]
pub struct RestorationStatusResponse {
    /// Where the restoration is.
    pub phase: RestorationPhase,
    /// The restoration height, once one has started.
    pub height: Option<u64>,
    /// Undo entries applied so far.
    pub undone_entries: u64,
    /// Flows replayed so far.
    pub replayed_flows: u64,
    /// Whether the rolled-back state matched the digest recorded at `height`.
    pub digest_verified: bool,
    /// Total claims after restoration (zero until complete).
    pub total_claims: Uint128,
    /// Recorded executions replayed so far (targets that replay executions, not flows).
    #[serde(default)]
    pub replayed_executions: u64,
    /// Recorded executions skipped so far: excluded senders, messages never replayed, and
    /// replays that failed (listed by `ReplayReport`).
    #[serde(default)]
    pub skipped_executions: u64,
    /// While replaying recorded executions: the next one to handle (`None`: none left, or
    /// a target that replays flows).
    #[serde(default)]
    pub next_replay: Option<ExecutionId>,
    /// Exit-only mode is in force now (the offline clock past `max_offline`, or a stuck or
    /// abandoned restoration). Derived at read time.
    #[serde(default)]
    pub exit_only: bool,
    /// Cumulative stopped seconds since the last reopening. Derived at read time.
    #[serde(default)]
    pub stopped_seconds: u64,
    /// The target's `max_offline` in seconds.
    #[serde(default)]
    pub max_offline: u64,
    /// Why the restoration failed (phase `Failed`, or settling after the failure).
    #[serde(default)]
    pub failure: Option<String>,
}

// ---- the library's own records, in the shared binary codec (only the target reads them) ----

use crate::codec::{Reader, Record, Writer};

impl RestorationStatusResponse {
    /// The status of a target at `phase` and `height` with every counter at zero: the one
    /// before any restoration, and the start of each.
    pub fn at(phase: RestorationPhase, height: Option<u64>) -> Self {
        RestorationStatusResponse {
            phase,
            height,
            undone_entries: 0,
            replayed_flows: 0,
            digest_verified: false,
            total_claims: Uint128::zero(),
            replayed_executions: 0,
            skipped_executions: 0,
            next_replay: None,
            exit_only: false,
            stopped_seconds: 0,
            max_offline: 0,
            failure: None,
        }
    }
}

/// A shortfall policy as one byte.
pub fn encode_policy(w: &mut Writer, policy: ShortfallPolicy) {
    w.u8(match policy {
        ShortfallPolicy::ProRataHaircut => 0,
        ShortfallPolicy::InsuranceFirst => 1,
    });
}

/// Reads [`encode_policy`]'s byte.
pub fn decode_policy(r: &mut Reader) -> StdResult<ShortfallPolicy> {
    match r.u8()? {
        0 => Ok(ShortfallPolicy::ProRataHaircut),
        1 => Ok(ShortfallPolicy::InsuranceFirst),
        _ => Err(r.corrupt()),
    }
}

impl ExecutionId {
    /// Writes it: height, then index.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.height);
        w.u32(self.index);
    }

    /// Reads what [`ExecutionId::encode`] wrote.
    pub fn decode(r: &mut Reader) -> StdResult<Self> {
        Ok(ExecutionId {
            height: r.u64()?,
            index: r.u32()?,
        })
    }
}

impl Record for ReplayEntry {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        self.id.encode(w);
        w.str(&self.sender);
        w.list(&self.funds, Writer::coin);
        w.bytes(&self.msg);
        match &self.outcome {
            ReplayOutcome::Excluded {} => w.u8(0),
            ReplayOutcome::NeverReplayed {} => w.u8(1),
            ReplayOutcome::FollowsSkipped { parent } => {
                w.u8(2);
                parent.encode(w);
            }
            ReplayOutcome::Failed { error } => {
                w.u8(3);
                w.str(error);
            }
            ReplayOutcome::Unsent { messages } => {
                w.u8(4);
                w.list(messages, |w, m| w.bytes(m));
            }
        }
        Ok(())
    }

    fn decode(r: &mut Reader) -> StdResult<Self> {
        let id = ExecutionId::decode(r)?;
        let sender = r.string()?;
        let funds = r.list(Reader::coin)?;
        let msg = Binary::from(r.bytes()?);
        let outcome = match r.u8()? {
            0 => ReplayOutcome::Excluded {},
            1 => ReplayOutcome::NeverReplayed {},
            2 => ReplayOutcome::FollowsSkipped {
                parent: ExecutionId::decode(r)?,
            },
            3 => ReplayOutcome::Failed { error: r.string()? },
            4 => ReplayOutcome::Unsent {
                messages: r.list(|r| r.bytes().map(Binary::from))?,
            },
            _ => return Err(r.corrupt()),
        };
        Ok(ReplayEntry {
            id,
            sender,
            funds,
            msg,
            outcome,
        })
    }
}

impl Record for HoldingsSettlement {
    fn encode(&self, w: &mut Writer) -> StdResult<()> {
        encode_policy(w, self.policy);
        w.u64(self.height);
        w.u64(self.settled_at);
        w.list(&self.denoms, |w, d| {
            w.str(&d.denom);
            for amount in [d.held, d.bank_balance, d.kept, d.shortfall, d.surplus] {
                w.tail(&amount.to_be_bytes());
            }
        });
        Ok(())
    }

    fn decode(r: &mut Reader) -> StdResult<Self> {
        let policy = decode_policy(r)?;
        let height = r.u64()?;
        let settled_at = r.u64()?;
        let denoms = r.list(|r| {
            let denom = r.string()?;
            let mut amount = || r.u256();
            Ok(DenomReconciliation {
                denom,
                held: amount()?,
                bank_balance: amount()?,
                kept: amount()?,
                shortfall: amount()?,
                surplus: amount()?,
            })
        })?;
        Ok(HoldingsSettlement {
            policy,
            height,
            settled_at,
            denoms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{from_json, to_json_string};

    fn journal() -> JournalInfoResponse {
        JournalInfoResponse {
            retained_from: 10,
            latest_height: 20,
            retention_blocks: 100,
            restoring: false,
            restoration_lock_until: None,
            retention_seconds: 0,
            history_held_from: None,
            exit_only_until: None,
        }
    }

    fn at(height: u64) -> DigestAtResponse {
        DigestAtResponse {
            height,
            recorded_at: height - 1,
            digest: HexBinary::from(vec![height as u8; 32]),
        }
    }

    #[test]
    fn build_answers_every_height_in_order_with_the_refusal_text() {
        let heights = [15, 5, 15, 12];
        let r = RestorationCheckResponse::build(journal(), &heights, |h| {
            if h < 10 {
                Err(format!("height {h} is before the retained history"))
            } else {
                Ok(at(h))
            }
        })
        .unwrap();
        assert_eq!(r.journal, journal());
        assert_eq!(
            r.digests,
            vec![
                DigestAtOutcome::Digest(at(15)),
                DigestAtOutcome::Refused {
                    height: 5,
                    error: "height 5 is before the retained history".into(),
                },
                DigestAtOutcome::Digest(at(15)),
                DigestAtOutcome::Digest(at(12)),
            ]
        );
        let answered: Vec<u64> = r.digests.iter().map(DigestAtOutcome::height).collect();
        assert_eq!(answered, heights);
    }

    #[test]
    fn build_caps_the_heights() {
        let heights: Vec<u64> = (1..=MAX_RESTORATION_CHECK_HEIGHTS as u64).collect();
        let mut calls = 0;
        let r = RestorationCheckResponse::build(journal(), &heights, |h| {
            calls += 1;
            Ok::<_, String>(at(h))
        })
        .unwrap();
        assert_eq!(r.digests.len(), MAX_RESTORATION_CHECK_HEIGHTS);
        assert_eq!(calls, MAX_RESTORATION_CHECK_HEIGHTS);

        let heights: Vec<u64> = (1..=MAX_RESTORATION_CHECK_HEIGHTS as u64 + 1).collect();
        let err = RestorationCheckResponse::build(journal(), &heights, |_| {
            Err::<DigestAtResponse, _>("never asked")
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .ends_with("restoration check: 11 heights, at most 10"),
            "{err}"
        );
    }

    /// `Release {}` keeps its JSON when it carries no configuration: a target built before
    /// post-restore configurations parses it, and an old `{"release":{}}` still parses.
    #[test]
    fn release_without_config_keeps_its_old_json() {
        let release = RestorableMigrateMsg::Release { config: None };
        assert_eq!(to_json_string(&release).unwrap(), r#"{"release":{}}"#);
        assert_eq!(
            from_json::<RestorableMigrateMsg>(r#"{"release":{}}"#).unwrap(),
            release
        );
        let with = RestorableMigrateMsg::Release {
            config: Some(Binary::from(br#"{"label":"x"}"#.to_vec())),
        };
        let json = to_json_string(&with).unwrap();
        assert_eq!(json, r#"{"release":{"config":"eyJsYWJlbCI6IngifQ=="}}"#);
        assert_eq!(from_json::<RestorableMigrateMsg>(json).unwrap(), with);
        let configure = RestorableMigrateMsg::Configure {
            config: Binary::from(b"{}".to_vec()),
        };
        assert_eq!(
            to_json_string(&configure).unwrap(),
            r#"{"configure":{"config":"e30="}}"#
        );
    }

    #[test]
    fn check_config_answers_a_target_result_as_text() {
        assert_eq!(
            CheckConfigResponse::from_result(Ok::<(), String>(())),
            CheckConfigResponse { error: None }
        );
        assert_eq!(
            CheckConfigResponse::from_result(Err::<(), _>("empty label")),
            CheckConfigResponse {
                error: Some("empty label".into())
            }
        );
        let q = RestorableQueryMsg::CheckConfig {
            config: Binary::from(b"{}".to_vec()),
        };
        assert_eq!(
            to_json_string(&q).unwrap(),
            r#"{"check_config":{"config":"e30="}}"#
        );
    }

    #[test]
    fn restoration_check_json_shapes() {
        let q = RestorableQueryMsg::RestorationCheck {
            heights: vec![7, 9],
            accounts: vec![],
        };
        assert_eq!(
            to_json_string(&q).unwrap(),
            r#"{"restoration_check":{"heights":[7,9],"accounts":[]}}"#
        );
        let refused = DigestAtOutcome::Refused {
            height: 3,
            error: "no".into(),
        };
        assert_eq!(
            to_json_string(&refused).unwrap(),
            r#"{"refused":{"height":3,"error":"no"}}"#
        );
        let digest = DigestAtOutcome::Digest(at(2));
        let json = to_json_string(&digest).unwrap();
        assert!(
            json.starts_with(r#"{"digest":{"height":2,"recorded_at":1,"#),
            "{json}"
        );
        assert_eq!(from_json::<DigestAtOutcome>(json).unwrap(), digest);
    }
}
