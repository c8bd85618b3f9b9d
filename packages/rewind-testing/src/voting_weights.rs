//! A second DAO DAO voting module, for tests: fixed member weights, set at instantiate and
//! changed only by its DAO with `UpdateMembers`, snapshotted per height.
//!
//! It answers the dao-interface voting queries (`voting_power_at_height`,
//! `total_power_at_height`, `dao`, `info`) with the shapes of [`rewind_types::voting`], which
//! rewind-stake's fixture test pins to DAO DAO's published schema. It shares no code with
//! rewind-stake, so a governance test that runs on it shows that governance works with any
//! DAO DAO voting module, not only Rewind's.
//!
//! As in DAO DAO, the power "at height h" is the power at the start of block h: weights set
//! (at instantiate or by an update) during block h count from h + 1.
//!
//! ```ignore
//! let code = app.store_code(voting_weights::contract());
//! let msg = voting_weights::InstantiateMsg::new(Some(&dao), &[(&alice, 60), (&bob, 40)]);
//! let voting = app.instantiate_contract(code, deployer, &msg, &[], "weights", None)?;
//! ```

use std::fmt;

use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError,
    StdResult, Uint128,
};
use cw_multi_test::{Contract, ContractWrapper};
use cw_storage_plus::{Item, SnapshotItem, SnapshotMap, Strategy};
use rewind_types::voting::{
    ContractVersion, InfoResponse, TotalPowerAtHeightResponse, VotingPowerAtHeightResponse,
};
use serde::{Deserialize, Serialize};

/// The name `Info {}` answers.
pub const CONTRACT_NAME: &str = "crates.io:rewind-testing-voting-weights";
/// The version `Info {}` answers.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One member and their weight, which is their voting power.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The member, as a bech32 string.
    pub addr: String,
    /// Their voting power; zero means no power (and no entry).
    pub weight: Uint128,
}

/// Instantiates the module.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// The DAO that may update the members; the instantiating sender when omitted, as when a
    /// DAO core instantiates its voting module.
    pub dao: Option<String>,
    /// The members at instantiate; each address at most once.
    pub members: Vec<Member>,
}

impl InstantiateMsg {
    /// The message for `dao` (or the sender) and `(member, weight)` pairs.
    pub fn new(dao: Option<&Addr>, members: &[(&Addr, u128)]) -> Self {
        InstantiateMsg {
            dao: dao.map(Addr::to_string),
            members: members
                .iter()
                .map(|(addr, weight)| Member {
                    addr: addr.to_string(),
                    weight: Uint128::new(*weight),
                })
                .collect(),
        }
    }
}

/// The module's only execute message.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExecuteMsg {
    /// DAO only: remove the `remove` members, then set the weight of each `add` member (a
    /// new member or a new weight; zero removes). Effective from the next block.
    UpdateMembers {
        /// Members to remove.
        remove: Vec<String>,
        /// Members to add or re-weight; each address at most once.
        add: Vec<Member>,
    },
}

/// The dao-interface voting queries.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum QueryMsg {
    /// The power of `address` at the start of block `height` (default: current).
    VotingPowerAtHeight {
        /// The voter, as a bech32 string.
        address: String,
        /// The block height; `None` means the current height.
        height: Option<u64>,
    },
    /// The total power at the start of block `height` (default: current).
    TotalPowerAtHeight {
        /// The block height; `None` means the current height.
        height: Option<u64>,
    },
    /// The DAO this module serves (an `Addr`).
    Dao {},
    /// The contract name and version ([`InfoResponse`]).
    Info {},
}

/// Why the module refused a message.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Debug)]
pub enum VotingWeightsError {
    /// A storage, address or arithmetic error.
    Std(StdError),
    /// Only the DAO updates the members.
    Unauthorized { sender: Addr },
    /// An address appears twice in one list of members.
    DuplicateMember { addr: Addr },
}

impl fmt::Display for VotingWeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VotingWeightsError::Std(err) => write!(f, "{err}"),
            VotingWeightsError::Unauthorized { sender } => {
                write!(f, "unauthorized: {sender} is not the DAO")
            }
            VotingWeightsError::DuplicateMember { addr } => {
                write!(f, "member {addr} is listed twice")
            }
        }
    }
}

impl std::error::Error for VotingWeightsError {}

impl From<StdError> for VotingWeightsError {
    fn from(err: StdError) -> Self {
        VotingWeightsError::Std(err)
    }
}

rewind_types::impl_error_eq!(VotingWeightsError);

/// The DAO.
const DAO: Item<Addr> = Item::new("dao");

/// Each member's weight, by height.
const WEIGHTS: SnapshotMap<&Addr, Uint128> = SnapshotMap::new(
    "weights",
    "weights__checkpoints",
    "weights__changelog",
    Strategy::EveryBlock,
);

/// The sum of the weights, by height.
const TOTAL: SnapshotItem<Uint128> = SnapshotItem::new(
    "total",
    "total__checkpoints",
    "total__changelog",
    Strategy::EveryBlock,
);

/// The module as a cw-multi-test contract.
pub fn contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute, instantiate, query))
}

/// Stores the DAO and the members at this height.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, VotingWeightsError> {
    let dao = match msg.dao {
        Some(dao) => deps.api.addr_validate(&dao)?,
        None => info.sender,
    };
    DAO.save(deps.storage, &dao)?;
    TOTAL.save(deps.storage, &Uint128::zero(), env.block.height)?;
    let total = set_weights(deps, &env, msg.members)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("dao", dao)
        .add_attribute("total_weight", total))
}

/// Dispatches [`ExecuteMsg::UpdateMembers`].
pub fn execute(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, VotingWeightsError> {
    match msg {
        ExecuteMsg::UpdateMembers { remove, add } => {
            if info.sender != DAO.load(deps.storage)? {
                return Err(VotingWeightsError::Unauthorized {
                    sender: info.sender,
                });
            }
            let removed = remove.len();
            let added = add.len();
            let height = env.block.height;
            let mut total = TOTAL.load(deps.storage)?;
            for addr in remove {
                let addr = deps.api.addr_validate(&addr)?;
                if let Some(weight) = WEIGHTS.may_load(deps.storage, &addr)? {
                    total = total.checked_sub(weight).map_err(StdError::from)?;
                    WEIGHTS.remove(deps.storage, &addr, height)?;
                }
            }
            TOTAL.save(deps.storage, &total, height)?;
            let total = set_weights(deps.branch(), &env, add)?;
            Ok(Response::new()
                .add_attribute("action", "update_members")
                .add_attribute("removed", removed.to_string())
                .add_attribute("added", added.to_string())
                .add_attribute("total_weight", total))
        }
    }
}

/// Sets each member's weight at this height, keeping the total equal to the sum; refuses an
/// address listed twice. Returns the new total.
fn set_weights(
    deps: DepsMut,
    env: &Env,
    members: Vec<Member>,
) -> Result<Uint128, VotingWeightsError> {
    let height = env.block.height;
    let mut total = TOTAL.load(deps.storage)?;
    let mut seen: Vec<Addr> = Vec::with_capacity(members.len());
    for member in members {
        let addr = deps.api.addr_validate(&member.addr)?;
        if seen.contains(&addr) {
            return Err(VotingWeightsError::DuplicateMember { addr });
        }
        let old = WEIGHTS.may_load(deps.storage, &addr)?.unwrap_or_default();
        total = total
            .checked_sub(old)
            .and_then(|total| total.checked_add(member.weight))
            .map_err(StdError::from)?;
        if member.weight.is_zero() {
            WEIGHTS.remove(deps.storage, &addr, height)?;
        } else {
            WEIGHTS.save(deps.storage, &addr, &member.weight, height)?;
        }
        seen.push(addr);
    }
    TOTAL.save(deps.storage, &total, height)?;
    Ok(total)
}

/// Answers the dao-interface voting queries.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::VotingPowerAtHeight { address, height } => {
            let address = deps.api.addr_validate(&address)?;
            let height = height.unwrap_or(env.block.height);
            let power = WEIGHTS
                .may_load_at_height(deps.storage, &address, height)?
                .unwrap_or_default();
            to_json_binary(&VotingPowerAtHeightResponse { power, height })
        }
        QueryMsg::TotalPowerAtHeight { height } => {
            let height = height.unwrap_or(env.block.height);
            let power = TOTAL
                .may_load_at_height(deps.storage, height)?
                .unwrap_or_default();
            to_json_binary(&TotalPowerAtHeightResponse { power, height })
        }
        QueryMsg::Dao {} => to_json_binary(&DAO.load(deps.storage)?),
        QueryMsg::Info {} => to_json_binary(&InfoResponse {
            info: ContractVersion {
                contract: CONTRACT_NAME.into(),
                version: CONTRACT_VERSION.into(),
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::{to_json_vec, QueryRequest, WasmQuery};
    use cw_multi_test::{App, AppResponse, Executor};
    use rewind_types::voting::VotingModuleQueryMsg;

    use super::*;
    use crate::assert_error;

    struct Setup {
        app: App,
        voting: Addr,
        dao: Addr,
    }

    fn addr(app: &App, name: &str) -> Addr {
        app.api().addr_make(name)
    }

    fn setup(members: &[(&str, u128)]) -> Setup {
        let mut app = App::default();
        let dao = addr(&app, "dao");
        let members: Vec<(Addr, u128)> = members.iter().map(|(n, w)| (addr(&app, n), *w)).collect();
        let refs: Vec<(&Addr, u128)> = members.iter().map(|(a, w)| (a, *w)).collect();
        let code = app.store_code(contract());
        let deployer = addr(&app, "deployer");
        let voting = app
            .instantiate_contract(
                code,
                deployer,
                &InstantiateMsg::new(Some(&dao), &refs),
                &[],
                "weights",
                None,
            )
            .unwrap();
        Setup { app, voting, dao }
    }

    impl Setup {
        /// The power governance reads, sent as governance sends it.
        fn power(&self, name: &str, height: Option<u64>) -> u128 {
            let msg = VotingModuleQueryMsg::VotingPowerAtHeight {
                address: addr(&self.app, name).to_string(),
                height,
            };
            let response: VotingPowerAtHeightResponse = self
                .app
                .wrap()
                .query_wasm_smart(&self.voting, &msg)
                .unwrap();
            assert_eq!(response.height, height.unwrap_or(self.height()));
            response.power.u128()
        }

        fn total(&self, height: Option<u64>) -> u128 {
            let msg = VotingModuleQueryMsg::TotalPowerAtHeight { height };
            let response: TotalPowerAtHeightResponse = self
                .app
                .wrap()
                .query_wasm_smart(&self.voting, &msg)
                .unwrap();
            response.power.u128()
        }

        /// The contract's raw answer to the raw JSON query `msg`.
        fn raw(&self, msg: &str) -> String {
            let request: QueryRequest<Empty> = QueryRequest::Wasm(WasmQuery::Smart {
                contract_addr: self.voting.to_string(),
                msg: Binary::from(msg.as_bytes()),
            });
            let answer = self
                .app
                .wrap()
                .raw_query(&to_json_vec(&request).unwrap())
                .unwrap()
                .unwrap();
            String::from_utf8(answer.to_vec()).unwrap()
        }

        fn height(&self) -> u64 {
            self.app.block_info().height
        }

        fn next_block(&mut self) {
            self.app.update_block(|b| {
                b.height += 1;
                b.time = b.time.plus_seconds(5);
            });
        }

        fn update(
            &mut self,
            sender: &Addr,
            remove: &[&str],
            add: &[(&str, u128)],
        ) -> StdResult<AppResponse> {
            let msg = ExecuteMsg::UpdateMembers {
                remove: remove
                    .iter()
                    .map(|n| addr(&self.app, n).to_string())
                    .collect(),
                add: add
                    .iter()
                    .map(|(n, w)| Member {
                        addr: addr(&self.app, n).to_string(),
                        weight: Uint128::new(*w),
                    })
                    .collect(),
            };
            self.app
                .execute_contract(sender.clone(), self.voting.clone(), &msg, &[])
        }
    }

    #[test]
    fn weights_count_from_the_block_after_instantiate() {
        let mut s = setup(&[("alice", 60), ("bob", 40)]);
        let h = s.height();
        assert_eq!(s.power("alice", Some(h)), 0);
        assert_eq!(s.total(Some(h)), 0);
        s.next_block();
        assert_eq!(s.power("alice", None), 60);
        assert_eq!(s.power("bob", None), 40);
        assert_eq!(s.power("carol", None), 0);
        assert_eq!(s.total(None), 100);
    }

    #[test]
    fn the_dao_updates_members_from_the_next_block_and_history_is_kept() {
        let mut s = setup(&[("alice", 60), ("bob", 40)]);
        s.next_block();
        let before = s.height();
        let dao = s.dao.clone();
        let res = s
            .update(&dao, &["bob"], &[("carol", 25), ("alice", 10)])
            .unwrap();
        assert!(res.has_event(
            &cosmwasm_std::Event::new("wasm")
                .add_attribute("action", "update_members")
                .add_attribute("total_weight", "35")
        ));
        // Same block: unchanged.
        assert_eq!(s.power("bob", None), 40);
        s.next_block();
        assert_eq!(s.power("alice", None), 10);
        assert_eq!(s.power("bob", None), 0);
        assert_eq!(s.power("carol", None), 25);
        assert_eq!(s.total(None), 35);
        // The past is kept.
        assert_eq!(s.power("alice", Some(before)), 60);
        assert_eq!(s.power("bob", Some(before)), 40);
        assert_eq!(s.total(Some(before)), 100);
        // A zero weight removes.
        s.update(&dao, &[], &[("carol", 0)]).unwrap();
        s.next_block();
        assert_eq!(s.power("carol", None), 0);
        assert_eq!(s.total(None), 10);
    }

    #[test]
    fn only_the_dao_updates_members() {
        let mut s = setup(&[("alice", 60)]);
        let alice = addr(&s.app, "alice");
        assert_error(
            s.update(&alice, &[], &[("alice", 1_000)]),
            VotingWeightsError::Unauthorized { sender: alice },
        );
        s.next_block();
        assert_eq!(s.power("alice", None), 60);
    }

    #[test]
    fn a_member_listed_twice_is_refused() {
        let mut s = setup(&[("alice", 60)]);
        let dao = s.dao.clone();
        let bob = addr(&s.app, "bob");
        assert_error(
            s.update(&dao, &[], &[("bob", 1), ("bob", 2)]),
            VotingWeightsError::DuplicateMember { addr: bob.clone() },
        );
        let mut app = App::default();
        let code = app.store_code(contract());
        let msg = InstantiateMsg::new(None, &[(&bob, 1), (&bob, 2)]);
        assert_error(
            app.instantiate_contract(code, bob.clone(), &msg, &[], "w", None),
            VotingWeightsError::DuplicateMember { addr: bob },
        );
    }

    #[test]
    fn dao_and_info_answer_the_dao_interface_shapes() {
        let s = setup(&[("alice", 60)]);
        let dao: Addr = s
            .app
            .wrap()
            .query_wasm_smart(&s.voting, &QueryMsg::Dao {})
            .unwrap();
        assert_eq!(dao, s.dao);
        // DAO DAO's `{"info":{}}`, answered with its field names.
        assert_eq!(
            s.raw(r#"{"info":{}}"#),
            format!(
                r#"{{"info":{{"contract":"{CONTRACT_NAME}","version":"{CONTRACT_VERSION}"}}}}"#
            )
        );
        let height = s.height();
        assert_eq!(
            s.raw(r#"{"total_power_at_height":{}}"#),
            format!(r#"{{"power":"0","height":{height}}}"#)
        );
        // DAO DAO's query names.
        assert_eq!(
            to_json_vec(&QueryMsg::TotalPowerAtHeight { height: Some(7) }).unwrap(),
            br#"{"total_power_at_height":{"height":7}}"#
        );
        assert_eq!(to_json_vec(&QueryMsg::Dao {}).unwrap(), br#"{"dao":{}}"#);
    }

    #[test]
    fn without_a_dao_the_sender_is_the_dao() {
        let mut app = App::default();
        let code = app.store_code(contract());
        let core = addr(&app, "dao-core");
        let voting = app
            .instantiate_contract(
                code,
                core.clone(),
                &InstantiateMsg::new(None, &[]),
                &[],
                "w",
                None,
            )
            .unwrap();
        let dao: Addr = app
            .wrap()
            .query_wasm_smart(&voting, &QueryMsg::Dao {})
            .unwrap();
        assert_eq!(dao, core);
    }
}
