//! The chain side of the VM: a `Storage` that charges wasmd's KV gas table, an `Api` with
//! wasmd's address costs, and a mock `Querier` that answers cross-contract queries.
//!
//! wasmd charges storage on the Cosmos SDK gas meter (the `gaskv` store sits under the
//! contract's prefix store, so every key is charged with its 33-byte prefix `0x03 ‖ address`)
//! and reports the SDK gas to the VM as `GasInfo::externally_used` in CosmWasm gas units
//! (SDK gas × [`GAS_MULTIPLIER`]), so the VM's gas limit covers storage too. This backend does
//! the same, and also keeps the SDK figures in a [`StorageLedger`] for the report.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::{Arc, Mutex};

use cosmwasm_std::{
    from_json, to_json_binary, Binary, Coin, ContractResult, Empty, Order, QueryRequest, Record,
    SystemError, SystemResult, WasmQuery,
};
use cosmwasm_vm::testing::MockApi;
use cosmwasm_vm::{BackendApi, BackendError, BackendResult, GasInfo, Querier, Storage};

/// wasmd's `DefaultGasMultiplier`: CosmWasm gas per Cosmos SDK gas (since CosmWasm 2.0).
pub const GAS_MULTIPLIER: u64 = 140_000;
/// wasmd's `DefaultInstanceCost`: SDK gas charged each time a (non-pinned) contract is loaded.
pub const INSTANCE_COST: u64 = 60_000;
/// wasmd's `DefaultInstanceCostDiscount`: the load of a reply (the contract ran just before,
/// so it is assumed in memory).
pub const INSTANCE_COST_DISCOUNT: u64 = 2_000;
/// The contract store prefix wasmd puts before every key: `0x03 ‖ 32-byte contract address`.
pub const CONTRACT_PREFIX_LEN: u64 = 33;

/// The Cosmos SDK KV gas table (`storetypes.KVGasConfig()`), in SDK gas.
pub mod kv {
    /// `ReadCostFlat`.
    pub const READ_FLAT: u64 = 1_000;
    /// `ReadCostPerByte`, on key (with prefix) + value.
    pub const READ_PER_BYTE: u64 = 3;
    /// `WriteCostFlat`.
    pub const WRITE_FLAT: u64 = 2_000;
    /// `WriteCostPerByte`, on key (with prefix) + value.
    pub const WRITE_PER_BYTE: u64 = 30;
    /// `DeleteCost`.
    pub const DELETE_FLAT: u64 = 1_000;
    /// `IterNextCostFlat`; each step also pays `READ_PER_BYTE` on key (with prefix) + value.
    pub const ITER_STEP_FLAT: u64 = 30;
}

/// wasmd's address costs (`keeper/api.go`), in SDK gas, charged inside the VM.
pub mod api_cost {
    /// `DefaultGasCostHumanAddress`.
    pub const HUMANIZE: u64 = 5;
    /// `DefaultGasCostCanonicalAddress`.
    pub const CANONICALIZE: u64 = 4;
}

/// wasmd's event costs (`types/gas_register.go`), in SDK gas.
pub mod event_cost {
    /// `DefaultPerAttributeCost`.
    pub const PER_ATTRIBUTE: u64 = 10;
    /// `DefaultEventAttributeDataCost`, per byte of key + value beyond the free tier.
    pub const PER_BYTE: u64 = 1;
    /// `DefaultEventAttributeDataFreeTier`.
    pub const FREE_BYTES: u64 = 100;
    /// `DefaultPerCustomEventCost`.
    pub const PER_CUSTOM_EVENT: u64 = 20;
}

/// wasmvm's `costJSONDeserialization`: SDK gas per byte of the contract's result JSON.
pub const RESULT_DESERIALIZATION_PER_BYTE: u64 = 1;

/// What wasmd charges for the queries it answers from its own store without loading a
/// contract: one KV read of the record, at the sizes below (SDK gas).
pub mod chain_query_cost {
    use super::kv;
    /// `ContractInfo`: key `0x02 ‖ address` (33 B), record about 150 B.
    pub const CONTRACT_INFO: u64 = kv::READ_FLAT + kv::READ_PER_BYTE * (33 + 150);
    /// `CodeInfo`: key `0x01 ‖ code id` (9 B), record about 110 B.
    pub const CODE_INFO: u64 = kv::READ_FLAT + kv::READ_PER_BYTE * (9 + 110);
    /// A raw read of a contract's cw2 record: key `0x03 ‖ address ‖ "contract_info"` (46 B),
    /// value about 60 B.
    pub const CW2_RAW: u64 = kv::READ_FLAT + kv::READ_PER_BYTE * (46 + 60);
}

/// SDK gas of one `get` that found `value_len` bytes (or nothing) at a key of `key_len` bytes.
pub fn read_cost(key_len: usize, value_len: Option<usize>) -> u64 {
    kv::READ_FLAT
        + kv::READ_PER_BYTE * (CONTRACT_PREFIX_LEN + key_len as u64 + value_len.unwrap_or(0) as u64)
}

/// SDK gas of one `set`.
pub fn write_cost(key_len: usize, value_len: usize) -> u64 {
    kv::WRITE_FLAT + kv::WRITE_PER_BYTE * (CONTRACT_PREFIX_LEN + key_len as u64 + value_len as u64)
}

/// SDK gas of one `delete`.
pub fn delete_cost() -> u64 {
    kv::DELETE_FLAT
}

/// SDK gas of one iterator step over a record.
pub fn iter_step_cost(record: Option<(usize, usize)>) -> u64 {
    kv::ITER_STEP_FLAT
        + record.map_or(0, |(k, v)| {
            kv::READ_PER_BYTE * (CONTRACT_PREFIX_LEN + k as u64 + v as u64)
        })
}

/// What the storage charged during one call, in SDK gas, with operation counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StorageLedger {
    /// `get` calls.
    pub reads: u64,
    /// `set` calls.
    pub writes: u64,
    /// `remove` calls.
    pub deletes: u64,
    /// Iterators opened.
    pub scans: u64,
    /// Iterator steps charged (the seek at `scan` included).
    pub iter_steps: u64,
    /// SDK gas of all of the above.
    pub sdk_gas: u64,
    /// `sdk_gas` by the kind of record the key belongs to ([`KeyKind`]), for the report's
    /// "where the gas goes" notes (not in report.json).
    #[serde(skip)]
    pub by_kind: [u64; KeyKind::COUNT],
}

impl StorageLedger {
    fn charge(&mut self, key: &[u8], sdk: u64) -> GasInfo {
        self.sdk_gas += sdk;
        self.by_kind[KeyKind::of(key) as usize] += sdk;
        GasInfo::with_externally_used(sdk * GAS_MULTIPLIER)
    }

    /// The SDK gas charged on keys of `kind`.
    pub fn gas_of(&self, kind: KeyKind) -> u64 {
        self.by_kind[kind as usize]
    }
}

/// What a key holds, told from rewind-journal's namespaces (docs/JOURNAL.md): the contract's
/// own state, or one of the journal's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// The contract's own values (journaled under `"rj/s"`, or a plain contract's keys).
    State,
    /// Undo entries (`"rj/u"`).
    Undo,
    /// Redo records (`"rj/o"`).
    Redo,
    /// The digest records (`"rj/d"`).
    Digest,
    /// The account activity notes (`"rj/l"`).
    Activity,
    /// Every other record of the journal or the target library (the gate, frozen accounts, ...).
    Library,
}

impl KeyKind {
    /// How many kinds there are.
    pub const COUNT: usize = 6;

    fn of(key: &[u8]) -> Self {
        let namespaced =
            |ns: &[u8]| key.len() >= 2 + ns.len() && key[..2] == [0, 4] && key[2..].starts_with(ns);
        if namespaced(b"rj/s") {
            KeyKind::State
        } else if namespaced(b"rj/u") {
            KeyKind::Undo
        } else if namespaced(b"rj/o") {
            KeyKind::Redo
        } else if namespaced(b"rj/d") {
            KeyKind::Digest
        } else if namespaced(b"rj/l") {
            KeyKind::Activity
        } else if key.starts_with(b"rj/") || namespaced(b"rj/") {
            KeyKind::Library
        } else {
            KeyKind::State
        }
    }
}

/// A lazy iterator over the live map: each step re-seeks from the last key returned, so a
/// scan over thousands of entries costs the harness nothing up front.
#[derive(Debug, Clone)]
struct LazyIter {
    start: Bound<Vec<u8>>,
    end: Bound<Vec<u8>>,
    order: Order,
}

/// A key-value store that charges wasmd's gas table. Clone it to fork a state (both copies
/// are independent); the ledger is shared so the harness can read what a call charged.
#[derive(Debug, Clone, Default)]
pub struct GasStorage {
    data: BTreeMap<Vec<u8>, Vec<u8>>,
    iterators: HashMap<u32, LazyIter>,
    ledger: Arc<Mutex<StorageLedger>>,
}

impl GasStorage {
    pub fn new() -> Self {
        Self::default()
    }

    /// An independent copy of the state with a fresh ledger.
    pub fn fork(&self) -> Self {
        GasStorage {
            data: self.data.clone(),
            iterators: HashMap::new(),
            ledger: Arc::new(Mutex::new(StorageLedger::default())),
        }
    }

    /// Takes the ledger of the last call and starts a new one.
    pub fn take_ledger(&self) -> StorageLedger {
        std::mem::take(&mut *self.ledger.lock().expect("ledger lock"))
    }

    /// Drops the iterators of a finished call (wasmd's iterators die with the call too).
    pub fn end_call(&mut self) {
        self.iterators.clear();
    }

    /// Every raw entry, for assertions.
    pub fn raw(&self) -> &BTreeMap<Vec<u8>, Vec<u8>> {
        &self.data
    }

    /// Number of raw entries.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn step(&mut self, id: u32) -> Option<Record> {
        let it = self.iterators.get_mut(&id)?;
        let bounds = (it.start.clone(), it.end.clone());
        if matches!((&bounds.0, &bounds.1), (Bound::Included(s) | Bound::Excluded(s), Bound::Included(e) | Bound::Excluded(e)) if s > e)
        {
            return None;
        }
        let found = match it.order {
            Order::Ascending => self.data.range(bounds).next(),
            Order::Descending => self.data.range(bounds).next_back(),
        };
        let (k, v) = found.map(|(k, v)| (k.clone(), v.clone()))?;
        match it.order {
            Order::Ascending => it.start = Bound::Excluded(k.clone()),
            Order::Descending => it.end = Bound::Excluded(k.clone()),
        }
        Some((k, v))
    }

    fn peek(&self, it: &LazyIter) -> Option<(usize, usize)> {
        let bounds = (it.start.clone(), it.end.clone());
        if matches!((&bounds.0, &bounds.1), (Bound::Included(s) | Bound::Excluded(s), Bound::Included(e) | Bound::Excluded(e)) if s > e)
        {
            return None;
        }
        let found = match it.order {
            Order::Ascending => self.data.range(bounds).next(),
            Order::Descending => self.data.range(bounds).next_back(),
        };
        found.map(|(k, v)| (k.len(), v.len()))
    }
}

impl Storage for GasStorage {
    fn get(&self, key: &[u8]) -> BackendResult<Option<Vec<u8>>> {
        let value = self.data.get(key).cloned();
        let mut ledger = self.ledger.lock().expect("ledger lock");
        ledger.reads += 1;
        let gas = ledger.charge(key, read_cost(key.len(), value.as_ref().map(Vec::len)));
        (Ok(value), gas)
    }

    fn scan(
        &mut self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> BackendResult<u32> {
        let it = LazyIter {
            start: start.map_or(Bound::Unbounded, |s| Bound::Included(s.to_vec())),
            end: end.map_or(Bound::Unbounded, |e| Bound::Excluded(e.to_vec())),
            order,
        };
        // gaskv charges the seek at creation: the first record's bytes (if any) + the flat step.
        let first = self.peek(&it);
        let id = self.iterators.len() as u32 + 1;
        self.iterators.insert(id, it);
        let mut ledger = self.ledger.lock().expect("ledger lock");
        ledger.scans += 1;
        ledger.iter_steps += 1;
        let gas = ledger.charge(start.unwrap_or_default(), iter_step_cost(first));
        (Ok(id), gas)
    }

    fn next(&mut self, iterator_id: u32) -> BackendResult<Option<Record>> {
        if !self.iterators.contains_key(&iterator_id) {
            return (
                Err(BackendError::iterator_does_not_exist(iterator_id)),
                GasInfo::free(),
            );
        }
        let record = self.step(iterator_id);
        // wasmvm's `next` calls gaskv's `Next()` only when the iterator is valid, which charges
        // the record it moves past; the final `None` is free.
        let gas = match &record {
            Some((k, v)) => {
                let mut ledger = self.ledger.lock().expect("ledger lock");
                ledger.iter_steps += 1;
                ledger.charge(k, iter_step_cost(Some((k.len(), v.len()))))
            }
            None => GasInfo::free(),
        };
        (Ok(record), gas)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) -> BackendResult<()> {
        self.data.insert(key.to_vec(), value.to_vec());
        let mut ledger = self.ledger.lock().expect("ledger lock");
        ledger.writes += 1;
        let gas = ledger.charge(key, write_cost(key.len(), value.len()));
        (Ok(()), gas)
    }

    fn remove(&mut self, key: &[u8]) -> BackendResult<()> {
        self.data.remove(key);
        let mut ledger = self.ledger.lock().expect("ledger lock");
        ledger.deletes += 1;
        let gas = ledger.charge(key, delete_cost());
        (Ok(()), gas)
    }
}

/// Bech32 addresses (prefix `cosmwasm`) with wasmd's address costs, charged inside the VM
/// (wasmd returns them to wasmvm as the callback's gas, not on the SDK meter).
#[derive(Clone, Default)]
pub struct GasApi {
    inner: MockApi,
}

impl GasApi {
    /// A valid address derived from `name`.
    pub fn addr_make(&self, name: &str) -> String {
        self.inner.addr_make(name)
    }
}

impl BackendApi for GasApi {
    fn addr_validate(&self, input: &str) -> BackendResult<()> {
        let (result, _) = self.inner.addr_validate(input);
        (
            result,
            GasInfo::with_cost((api_cost::CANONICALIZE + api_cost::HUMANIZE) * GAS_MULTIPLIER),
        )
    }

    fn addr_canonicalize(&self, human: &str) -> BackendResult<Vec<u8>> {
        let (result, _) = self.inner.addr_canonicalize(human);
        (
            result,
            GasInfo::with_cost(api_cost::CANONICALIZE * GAS_MULTIPLIER),
        )
    }

    fn addr_humanize(&self, canonical: &[u8]) -> BackendResult<String> {
        let (result, _) = self.inner.addr_humanize(canonical);
        (
            result,
            GasInfo::with_cost(api_cost::HUMANIZE * GAS_MULTIPLIER),
        )
    }
}

/// Answers a smart query to one mocked contract: the query JSON in, the response JSON out.
pub type SmartHandler = Arc<dyn Fn(&[u8]) -> Result<Binary, String> + Send + Sync>;

/// The mock querier: bank balances, and for each other contract its smart-query handler,
/// raw entries, contract info, and the chain's code infos. What it answers costs nothing:
/// the measured figure is the entry point of one contract in isolation.
#[derive(Clone, Default)]
pub struct MockQuerier {
    balances: HashMap<String, Vec<Coin>>,
    smart: HashMap<String, SmartHandler>,
    raw: HashMap<(String, Vec<u8>), Binary>,
    contract_info: HashMap<String, Binary>,
    code_info: HashMap<u64, Binary>,
}

impl MockQuerier {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_balance(&mut self, address: &str, coins: Vec<Coin>) {
        self.balances.insert(address.to_string(), coins);
    }

    pub fn set_smart(
        &mut self,
        contract: &str,
        handler: impl Fn(&[u8]) -> Result<Binary, String> + Send + Sync + 'static,
    ) {
        self.smart.insert(contract.to_string(), Arc::new(handler));
    }

    pub fn set_raw(&mut self, contract: &str, key: &[u8], value: Binary) {
        self.raw.insert((contract.to_string(), key.to_vec()), value);
    }

    /// The chain's `ContractInfo` of `contract`: its code and wasm admin.
    pub fn set_contract_info(&mut self, contract: &str, code_id: u64, admin: Option<&str>) {
        let info = serde_json::json!({
            "code_id": code_id,
            "creator": contract,
            "admin": admin,
            "pinned": false,
            "ibc_port": null,
        });
        self.contract_info.insert(
            contract.to_string(),
            Binary::from(info.to_string().into_bytes()),
        );
    }

    /// The chain's `CodeInfo` of `code_id`.
    pub fn set_code_info(&mut self, code_id: u64, creator: &str, checksum: &[u8; 32]) {
        let info = serde_json::json!({
            "code_id": code_id,
            "creator": creator,
            "checksum": hex::encode(checksum),
        });
        self.code_info
            .insert(code_id, Binary::from(info.to_string().into_bytes()));
    }

    /// The cw2 version of `contract`, as its raw `contract_info` entry.
    pub fn set_cw2(&mut self, contract: &str, name: &str, version: &str) {
        let v = serde_json::json!({ "contract": name, "version": version });
        self.set_raw(
            contract,
            b"contract_info",
            Binary::from(v.to_string().into_bytes()),
        );
    }

    fn answer(&self, request: &QueryRequest<Empty>) -> SystemResult<ContractResult<Binary>> {
        let ok = |b: cosmwasm_std::StdResult<Binary>| match b {
            Ok(b) => SystemResult::Ok(ContractResult::Ok(b)),
            Err(e) => SystemResult::Ok(ContractResult::Err(e.to_string())),
        };
        match request {
            QueryRequest::Bank(cosmwasm_std::BankQuery::Balance { address, denom }) => {
                let amount = self
                    .balances
                    .get(address)
                    .and_then(|coins| coins.iter().find(|c| &c.denom == denom))
                    .map(|c| c.amount)
                    .unwrap_or_default();
                ok(to_json_binary(&cosmwasm_std::BalanceResponse::new(
                    Coin::new(amount, denom),
                )))
            }
            QueryRequest::Wasm(WasmQuery::Smart { contract_addr, msg }) => {
                match self.smart.get(contract_addr) {
                    Some(handler) => match handler(msg.as_slice()) {
                        Ok(b) => SystemResult::Ok(ContractResult::Ok(b)),
                        Err(e) => SystemResult::Ok(ContractResult::Err(e)),
                    },
                    None => SystemResult::Err(SystemError::NoSuchContract {
                        addr: contract_addr.clone(),
                    }),
                }
            }
            QueryRequest::Wasm(WasmQuery::Raw { contract_addr, key }) => {
                let value = self
                    .raw
                    .get(&(contract_addr.clone(), key.to_vec()))
                    .cloned();
                SystemResult::Ok(ContractResult::Ok(value.unwrap_or_default()))
            }
            QueryRequest::Wasm(WasmQuery::ContractInfo { contract_addr }) => {
                match self.contract_info.get(contract_addr) {
                    Some(info) => SystemResult::Ok(ContractResult::Ok(info.clone())),
                    None => SystemResult::Err(SystemError::NoSuchContract {
                        addr: contract_addr.clone(),
                    }),
                }
            }
            QueryRequest::Wasm(WasmQuery::CodeInfo { code_id }) => {
                match self.code_info.get(code_id) {
                    Some(info) => SystemResult::Ok(ContractResult::Ok(info.clone())),
                    None => SystemResult::Err(SystemError::NoSuchCode { code_id: *code_id }),
                }
            }
            other => SystemResult::Err(SystemError::UnsupportedRequest {
                kind: format!("{other:?}"),
            }),
        }
    }
}

impl Querier for MockQuerier {
    fn query_raw(
        &self,
        request: &[u8],
        _gas_limit: u64,
    ) -> BackendResult<SystemResult<ContractResult<Binary>>> {
        let result = match from_json::<QueryRequest<Empty>>(request) {
            Ok(req) => self.answer(&req),
            Err(e) => SystemResult::Err(SystemError::InvalidRequest {
                error: e.to_string(),
                request: Binary::from(request),
            }),
        };
        (Ok(result), GasInfo::free())
    }
}
