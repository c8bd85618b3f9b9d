//! Loading artifacts into cosmwasm-vm and calling their entry points with a gas report.
//!
//! Each call is priced as wasmd prices it, in Cosmos SDK gas:
//! - [`INSTANCE_COST`] to load the contract (not pinned); a reply pays wasmd's `ReplyCosts`
//!   instead: [`INSTANCE_COST_DISCOUNT`] plus the event costs of the sub-message's events;
//! - the storage gas the [`GasStorage`] charged (on the SDK meter in wasmd);
//! - the VM's internally used gas (Wasm operations, host calls, address conversions) plus
//!   wasmvm's result deserialization (1 SDK gas per byte of the result JSON), divided by
//!   [`GAS_MULTIPLIER`] and floored, as `FromWasmVMGas` does;
//! - for execute/instantiate/migrate, the event costs of the response (`EventCosts`).
//!
//! A failed call (contract error or out of gas) reverts its state writes, as a failed message
//! does on chain; its gas is still reported.

use std::path::PathBuf;

use cosmwasm_std::testing::{message_info, mock_env};
use cosmwasm_std::{
    to_json_vec, Addr, Binary, Checksum, Coin, ContractResult, Env, Response, Timestamp,
};
use cosmwasm_vm::{
    call_execute_raw, call_instantiate_raw, call_migrate_raw, call_query_raw, call_reply_raw,
    Backend, Cache, CacheOptions, InstanceOptions, Size, VmError,
};
use serde::Serialize;

use crate::backend::{
    event_cost, GasApi, GasStorage, MockQuerier, StorageLedger, GAS_MULTIPLIER, INSTANCE_COST,
    INSTANCE_COST_DISCOUNT, RESULT_DESERIALIZATION_PER_BYTE,
};

/// The SDK gas limit every call runs under unless told otherwise (row D1's budget).
pub const DEFAULT_GAS_LIMIT: u64 = 10_000_000;
/// The capabilities of the chains the artifacts target (Osmosis, up to cosmwasm_2_1).
pub const CAPABILITIES: &str =
    "iterator,staking,stargate,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1";
/// The chain id the harness's blocks carry.
pub const CHAIN_ID: &str = "rewind-gas-1";

/// The block the next call runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub height: u64,
    pub time: Timestamp,
}

impl Block {
    pub fn genesis() -> Self {
        Block {
            height: 1_000,
            time: Timestamp::from_seconds(1_700_000_000),
        }
    }

    /// Moves `blocks` blocks forward, 6 seconds each.
    pub fn advance(&mut self, blocks: u64) {
        self.height += blocks;
        self.time = self.time.plus_seconds(6 * blocks);
    }

    /// Moves `seconds` forward, one block per 6 seconds (at least one block).
    pub fn advance_seconds(&mut self, seconds: u64) {
        self.height += (seconds / 6).max(1);
        self.time = self.time.plus_seconds(seconds);
    }
}

/// One contract instance: its code, address, state and the mock chain around it.
pub struct Contract {
    /// The artifact name, e.g. `rewind_stake`.
    pub name: String,
    pub checksum: Checksum,
    pub address: Addr,
    pub storage: GasStorage,
    pub querier: MockQuerier,
    /// The artifact's size in bytes.
    pub size_bytes: u64,
}

/// What one call cost, in SDK gas unless named otherwise.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Measured {
    /// The contract returned Ok.
    pub ok: bool,
    /// The contract's error, or the VM's (e.g. out of gas).
    pub error: Option<String>,
    /// The VM stopped the call for lack of gas.
    pub out_of_gas: bool,
    /// Storage: what the KV store charged.
    pub storage: StorageLedger,
    /// CosmWasm gas used inside the VM (Wasm, host calls, address API, result deserialization).
    pub vm_cw_gas: u64,
    /// `vm_cw_gas` in SDK gas (floored).
    pub vm_sdk_gas: u64,
    /// Event costs of the response.
    pub events_sdk_gas: u64,
    /// The contract load.
    pub instance_sdk_gas: u64,
    /// The total SDK gas of the call.
    pub sdk_gas: u64,
    /// The length of the result JSON.
    #[serde(skip)]
    pub result_len: usize,
    /// The parsed response of a successful execute/instantiate/migrate.
    #[serde(skip)]
    pub response: Option<Response>,
    /// The data of a successful query.
    #[serde(skip)]
    pub query_data: Option<Binary>,
}

impl Measured {
    /// Panics with the contract's error if the call failed: scenarios use it on steps that
    /// must succeed for the figures after them to mean anything.
    #[track_caller]
    pub fn expect_ok(self, what: &str) -> Self {
        if !self.ok {
            panic!("{what} failed: {}", self.error.as_deref().unwrap_or("?"));
        }
        self
    }

    /// Panics unless the call failed with an error containing `needle`.
    #[track_caller]
    pub fn expect_err(self, what: &str, needle: &str) -> Self {
        match &self.error {
            Some(e) if !self.ok && e.contains(needle) => self,
            _ => panic!(
                "{what}: expected an error containing {needle:?}, got {:?}",
                self.error
            ),
        }
    }

    /// An attribute of the response, by key.
    pub fn attr(&self, key: &str) -> Option<String> {
        let resp = self.response.as_ref()?;
        resp.attributes
            .iter()
            .chain(resp.events.iter().flat_map(|e| e.attributes.iter()))
            .find(|a| a.key == key)
            .map(|a| a.value.clone())
    }
}

#[derive(Clone, Copy)]
enum Entry<'a> {
    Instantiate { info: &'a [u8] },
    Execute { info: &'a [u8] },
    Migrate,
    Reply,
    Query,
}

/// cosmwasm-vm 3.0.10 with a file-system cache in a private temporary directory.
pub struct Vm {
    cache: Cache<GasApi, GasStorage, MockQuerier>,
    dir: PathBuf,
    pub api: GasApi,
    artifacts: PathBuf,
    /// The SDK gas limit of each call.
    pub gas_limit: u64,
}

impl Drop for Vm {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Vm {
    /// A VM that loads artifacts from `artifacts`.
    pub fn new(artifacts: impl Into<PathBuf>) -> Result<Self, VmError> {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("rewind-gas-{}-{n}", std::process::id()));
        let options = CacheOptions::new(
            &dir,
            cosmwasm_vm::capabilities_from_csv(CAPABILITIES),
            Size::mebi(200),
            Size::mebi(32),
        );
        // SAFETY: the cache directory is private to this process and created empty.
        let cache = unsafe { Cache::new(options)? };
        Ok(Vm {
            cache,
            dir,
            api: GasApi::default(),
            artifacts: artifacts.into(),
            gas_limit: DEFAULT_GAS_LIMIT,
        })
    }

    /// The path of `artifacts/<name>.wasm`.
    pub fn artifact_path(&self, name: &str) -> PathBuf {
        self.artifacts.join(format!("{name}.wasm"))
    }

    /// Whether the artifact exists (scenarios of contracts not built yet are skipped).
    pub fn has_artifact(&self, name: &str) -> bool {
        self.artifact_path(name).is_file()
    }

    /// Stores wasm bytes the way wasmd does (`save_wasm`: every static check runs).
    pub fn store_code(&self, wasm: &[u8]) -> Result<Checksum, VmError> {
        // `save_wasm` is `store_code(wasm, checked: true, persist: true)`: what wasmd's
        // `StoreCode` calls (deprecated in 3.x in favour of the explicit form).
        #[allow(deprecated)]
        self.cache.save_wasm(wasm)
    }

    /// Stores `artifacts/<name>.wasm` and gives it an empty state at the address derived from
    /// `label`.
    pub fn load(&self, name: &str, label: &str) -> Result<Contract, String> {
        let path = self.artifact_path(name);
        let wasm = std::fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let checksum = self
            .store_code(&wasm)
            .map_err(|e| format!("storing {name}: {e}"))?;
        Ok(Contract {
            name: name.to_string(),
            checksum,
            address: Addr::unchecked(self.api.addr_make(label)),
            storage: GasStorage::new(),
            querier: MockQuerier::new(),
            size_bytes: wasm.len() as u64,
        })
    }

    /// A valid address for `name`.
    pub fn addr(&self, name: &str) -> Addr {
        Addr::unchecked(self.api.addr_make(name))
    }

    pub fn env(&self, c: &Contract, block: Block) -> Env {
        let mut env = mock_env();
        env.block.height = block.height;
        env.block.time = block.time;
        env.block.chain_id = CHAIN_ID.to_string();
        env.contract.address = c.address.clone();
        env
    }

    pub fn instantiate(
        &self,
        c: &mut Contract,
        block: Block,
        sender: &Addr,
        funds: &[Coin],
        msg: &impl Serialize,
    ) -> Measured {
        let info = to_json_vec(&message_info(sender, funds)).expect("info json");
        self.call(
            c,
            block,
            Entry::Instantiate { info: &info },
            &to_json_vec(msg).expect("msg json"),
        )
    }

    pub fn execute(
        &self,
        c: &mut Contract,
        block: Block,
        sender: &Addr,
        funds: &[Coin],
        msg: &impl Serialize,
    ) -> Measured {
        let info = to_json_vec(&message_info(sender, funds)).expect("info json");
        self.call(
            c,
            block,
            Entry::Execute { info: &info },
            &to_json_vec(msg).expect("msg json"),
        )
    }

    pub fn migrate(&self, c: &mut Contract, block: Block, msg: &impl Serialize) -> Measured {
        self.call(
            c,
            block,
            Entry::Migrate,
            &to_json_vec(msg).expect("msg json"),
        )
    }

    /// A reply to a submessage, priced as wasmd's `ReplyCosts(discount: true)`: the
    /// discounted load plus the event costs of the sub-message's events (their type bytes and
    /// their attributes, with one free tier for the whole set).
    pub fn reply(&self, c: &mut Contract, block: Block, reply: &cosmwasm_std::Reply) -> Measured {
        let msg = to_json_vec(reply).expect("reply json");
        let mut m = self.call(c, block, Entry::Reply, &msg);
        let setup = INSTANCE_COST_DISCOUNT + reply_event_costs(reply);
        m.sdk_gas = m.sdk_gas - m.instance_sdk_gas + setup;
        m.instance_sdk_gas = setup;
        m
    }

    /// A smart query, priced as a query inside a transaction (load + storage + VM).
    pub fn query(&self, c: &mut Contract, block: Block, msg: &impl Serialize) -> Measured {
        self.call(c, block, Entry::Query, &to_json_vec(msg).expect("msg json"))
    }

    /// A query whose answer the scenario needs, parsed.
    #[track_caller]
    pub fn query_json<T: serde::de::DeserializeOwned>(
        &self,
        c: &mut Contract,
        block: Block,
        msg: &impl Serialize,
    ) -> T {
        let m = self.query(c, block, msg).expect_ok("query");
        cosmwasm_std::from_json(m.query_data.expect("query data")).expect("query response json")
    }

    fn call(&self, c: &mut Contract, block: Block, entry: Entry<'_>, msg: &[u8]) -> Measured {
        let env = to_json_vec(&self.env(c, block)).expect("env json");
        let before = c.storage.fork();
        let backend = Backend {
            api: self.api.clone(),
            storage: std::mem::take(&mut c.storage),
            querier: c.querier.clone(),
        };
        // wasmd charges the setup cost first, then gives the VM what is left of the limit.
        let vm_limit = self.gas_limit.saturating_sub(INSTANCE_COST) * GAS_MULTIPLIER;
        let mut instance = match self.cache.get_instance(
            &c.checksum,
            backend,
            InstanceOptions {
                gas_limit: vm_limit,
            },
        ) {
            Ok(i) => i,
            Err(e) => panic!("instantiating {} in the VM: {e}", c.name),
        };
        let raw = match entry {
            Entry::Instantiate { info } => call_instantiate_raw(&mut instance, &env, info, msg),
            Entry::Execute { info } => call_execute_raw(&mut instance, &env, info, msg),
            Entry::Migrate => call_migrate_raw(&mut instance, &env, msg),
            Entry::Reply => call_reply_raw(&mut instance, &env, msg),
            Entry::Query => call_query_raw(&mut instance, &env, msg),
        };
        let report = instance.create_gas_report();
        let backend = instance.recycle().expect("backend after call");
        c.storage = backend.storage;
        c.storage.end_call();
        let storage = c.storage.take_ledger();

        let mut m = Measured {
            storage,
            instance_sdk_gas: INSTANCE_COST,
            ..Measured::default()
        };
        let mut vm_cw = report.used_internally;
        match raw {
            Ok(bytes) => {
                m.result_len = bytes.len();
                vm_cw += RESULT_DESERIALIZATION_PER_BYTE * GAS_MULTIPLIER * bytes.len() as u64;
                match entry {
                    Entry::Query => match cosmwasm_std::from_json::<ContractResult<Binary>>(&bytes)
                    {
                        Ok(ContractResult::Ok(data)) => {
                            m.ok = true;
                            m.query_data = Some(data);
                        }
                        Ok(ContractResult::Err(e)) => m.error = Some(e),
                        Err(e) => m.error = Some(format!("unparsable query result: {e}")),
                    },
                    _ => match cosmwasm_std::from_json::<ContractResult<Response>>(&bytes) {
                        Ok(ContractResult::Ok(resp)) => {
                            m.ok = true;
                            m.events_sdk_gas = event_costs(&resp);
                            m.response = Some(resp);
                        }
                        Ok(ContractResult::Err(e)) => m.error = Some(e),
                        Err(e) => m.error = Some(format!("unparsable result: {e}")),
                    },
                }
            }
            Err(e) => {
                // A host call past the limit is `GasDepletion`; Wasm metering hitting zero
                // inside the contract is a runtime error "Ran out of gas". Both are wasmd's
                // out-of-gas.
                m.out_of_gas = matches!(e, VmError::GasDepletion { .. })
                    || e.to_string().contains("Ran out of gas");
                m.error = Some(e.to_string());
            }
        }
        if m.out_of_gas {
            // Out of gas: the whole limit is consumed.
            vm_cw = vm_limit.saturating_sub(report.used_externally);
        }
        if !m.ok {
            c.storage = before;
        }
        m.vm_cw_gas = vm_cw;
        m.vm_sdk_gas = vm_cw / GAS_MULTIPLIER;
        m.sdk_gas = m.instance_sdk_gas + m.storage.sdk_gas + m.vm_sdk_gas + m.events_sdk_gas;
        m
    }
}

fn attrs_cost(attrs: &[cosmwasm_std::Attribute], free: &mut u64) -> u64 {
    if attrs.is_empty() {
        return 0;
    }
    let bytes: u64 = attrs
        .iter()
        .map(|a| (a.key.len() + a.value.len()) as u64)
        .sum();
    let charged = if bytes <= *free {
        *free -= bytes;
        0
    } else {
        let c = bytes - *free;
        *free = 0;
        c
    };
    event_cost::PER_BYTE * charged + event_cost::PER_ATTRIBUTE * attrs.len() as u64
}

/// The event part of wasmd's `ReplyCosts`: type bytes of each event, then `EventCosts` over
/// all their attributes together.
fn reply_event_costs(reply: &cosmwasm_std::Reply) -> u64 {
    let cosmwasm_std::SubMsgResult::Ok(r) = &reply.result else {
        return 0;
    };
    let types: u64 = r
        .events
        .iter()
        .map(|e| event_cost::PER_BYTE * e.ty.len() as u64)
        .sum();
    let attrs: Vec<cosmwasm_std::Attribute> =
        r.events.iter().flat_map(|e| e.attributes.clone()).collect();
    let mut free = event_cost::FREE_BYTES;
    types + attrs_cost(&attrs, &mut free)
}

/// wasmd's `EventCosts` over the response's own attributes and custom events.
pub fn event_costs(resp: &Response) -> u64 {
    let mut free = event_cost::FREE_BYTES;
    let mut gas = attrs_cost(&resp.attributes, &mut free);
    for e in &resp.events {
        gas += event_cost::PER_CUSTOM_EVENT + event_cost::PER_BYTE * e.ty.len() as u64;
        gas += attrs_cost(&e.attributes, &mut free);
    }
    gas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_costs_follow_wasmd_with_the_free_tier() {
        // 3 attributes of 40 bytes each: 120 bytes, 100 free -> 20 + 3 * 10 = 50.
        let v = "x".repeat(34);
        let resp: Response = Response::new()
            .add_attribute("action", &v)
            .add_attribute("amount", &v)
            .add_attribute("target", &v);
        assert_eq!(event_costs(&resp), 50);
        // A custom event: 20 + type bytes, its attributes share the (spent) free tier.
        let resp = resp.add_event(cosmwasm_std::Event::new("wasm-x").add_attribute("k", "v"));
        assert_eq!(event_costs(&resp), 50 + 20 + 6 + 2 + 10);
    }
}
