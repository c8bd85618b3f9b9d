//! The messages of a restorable contract: its own, unchanged, plus Rewind's.
//!
//! Each wrapper reads the JSON's one top-level key. If it is one of Rewind's (`gate`,
//! `crank`; `journal_info`, `digest_at`, ...; `upgrade`, `restore`, ...), the message is
//! Rewind's; otherwise its text is parsed, untouched, as the contract's own type, exactly as
//! the plain entry point parses it. The contract's JSON is therefore what its existing
//! clients send, and a malformed message fails with the contract's own serde error
//! ("unknown variant `foo`, expected one of ...").

use std::fmt;
use std::marker::PhantomData;

use cosmwasm_std::Addr;
use rewind_types::restorable::{RestorableExecuteMsg, RestorableMigrateMsg, RestorableQueryMsg};
use rewind_types::{PauseScope, ScopeInfo};
use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject, SubschemaValidation};
use schemars::JsonSchema;
use serde::de::value::{MapAccessDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// The scopes a contract declares, and the one that gates each of its execute messages.
/// Implemented by the contract for its own `ExecuteMsg`, usually with [`gated!`](crate::gated);
/// the match should name every variant, so that a new variant does not compile until
/// someone decides how it is gated.
pub trait Gated {
    /// Every scope the contract declares and whether it is an exit (its `Scopes {}`
    /// answer; `all` is implicit, never listed): 1 to `MAX_SCOPES`, names unique.
    const SCOPES: &'static [ScopeInfo];

    /// The pause scope this message belongs to, one of [`Gated::SCOPES`]: a guardian pause
    /// of it (or of `all`) refuses the message. A scope not in `SCOPES` is gated as `all`.
    fn scope(&self) -> PauseScope;

    /// Whether a restoration may replay this message (from the redo log, with its original
    /// block, sender and funds) after rolling back below it. False for messages whose effect
    /// must come from the present, never from the recorded past: a price feed, a
    /// keeper's time-dependent upkeep. [`gated!`](crate::gated)'s `never_replay:` sets it.
    fn replayable(&self) -> bool {
        true
    }

    /// The account a callback acts for, when its sender is another contract: a cw20
    /// `Receive` acts for the `sender` inside it. A restoration does not replay it when that
    /// account is excluded, though the token contract that sent it is not: the callback
    /// belongs to the excluded account's transaction. [`gated!`](crate::gated)'s
    /// `on_behalf:` sets it.
    fn on_behalf_of(&self) -> Option<&str> {
        None
    }

    /// Whether this message still runs in exit-only mode by the offline clock, whatever
    /// pause is in force, although its scope is not an exit (a vault's `ClosePosition`: it
    /// only reduces risk). Messages of exit scopes always do. [`gated!`](crate::gated)'s
    /// `offline:` sets it.
    fn offline(&self) -> bool {
        false
    }
}

/// A family of Rewind messages, recognised by its top-level keys.
pub trait Tagged {
    /// The snake_case names of its variants.
    const KEYS: &'static [&'static str];
}

impl Tagged for RestorableExecuteMsg {
    const KEYS: &'static [&'static str] = &[
        "gate",
        "crank",
        "crank_before",
        "prune",
        "move_to_successor",
        "report",
        "fund_bounty",
    ];
}

impl Tagged for RestorableQueryMsg {
    const KEYS: &'static [&'static str] = &[
        "journal_info",
        "digest_at",
        "restoration_status",
        "offline_status",
        "remaining_claims",
        "restoration_check",
        "check_config",
        "scopes",
        "replay_report",
        "replay_preview",
        "settlement",
        "incident",
        "incidents",
    ];
}

impl Tagged for RestorableMigrateMsg {
    const KEYS: &'static [&'static str] = &[
        "upgrade",
        "restore",
        "release",
        "configure",
        "abandon",
        "sweep",
    ];
}

/// A message that is either Rewind's (`R`) or the contract's own (`T`).
#[derive(Debug, Clone, PartialEq)]
pub enum Wrapped<R, T> {
    /// One of Rewind's messages.
    Rewind(R),
    /// The contract's own message, as its clients sent it.
    Contract(T),
}

/// A restorable contract's execute message.
pub type ExecuteMsg<T> = Wrapped<RestorableExecuteMsg, T>;
/// A restorable contract's query message.
pub type QueryMsg<T> = Wrapped<RestorableQueryMsg, T>;
/// A restorable contract's migrate message.
pub type MigrateMsg<T> = Wrapped<RestorableMigrateMsg, T>;

/// The contract's own message parsed the way its entry point parses it, through
/// [`Wrapped`]: `T`'s deserialiser is then compiled once, for the entry point's reader. A
/// plain `from_json::<T>` would compile it a second time for serde_json's own reader (the
/// replay's recorded messages, the preview's queries). A Rewind message is an error.
pub(crate) fn contract_msg<R, T>(json: &[u8]) -> cosmwasm_std::StdResult<T>
where
    R: Tagged + de::DeserializeOwned,
    T: de::DeserializeOwned,
{
    match cosmwasm_std::from_json::<Wrapped<R, T>>(json)? {
        Wrapped::Contract(msg) => Ok(msg),
        Wrapped::Rewind(_) => Err(cosmwasm_std::StdError::msg(
            "a Rewind message, not one of the contract's own",
        )),
    }
}

impl<R: Serialize, T: Serialize> Serialize for Wrapped<R, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Wrapped::Rewind(r) => r.serialize(s),
            Wrapped::Contract(t) => t.serialize(s),
        }
    }
}

impl<'de, R: Tagged + Deserialize<'de>, T: Deserialize<'de>> Deserialize<'de> for Wrapped<R, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(PeekKey(PhantomData))
    }
}

/// Reads the first key, then deserialises the whole map as `R` or `T`.
struct PeekKey<R, T>(PhantomData<fn() -> (R, T)>);

impl<'de, R: Tagged + Deserialize<'de>, T: Deserialize<'de>> Visitor<'de> for PeekKey<R, T> {
    type Value = Wrapped<R, T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let first: Option<String> = map.next_key()?;
        let rewind = first.as_deref().is_some_and(|k| R::KEYS.contains(&k));
        let replay = MapAccessDeserializer::new(Replayed { first, map });
        if rewind {
            R::deserialize(replay).map(Wrapped::Rewind)
        } else {
            T::deserialize(replay).map(Wrapped::Contract)
        }
    }
}

/// A map whose first key was already read: it yields that key again, then the rest.
struct Replayed<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replayed<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => {
                let key: StringDeserializer<A::Error> = key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

impl<R: JsonSchema, T: JsonSchema> JsonSchema for Wrapped<R, T> {
    fn schema_name() -> String {
        format!("Restorable_{}", T::schema_name())
    }

    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        any_of(vec![gen.subschema_for::<R>(), gen.subschema_for::<T>()])
    }
}

fn any_of(schemas: Vec<Schema>) -> Schema {
    Schema::Object(SchemaObject {
        subschemas: Some(Box::new(SubschemaValidation {
            any_of: Some(schemas),
            ..Default::default()
        })),
        ..Default::default()
    })
}

/// What Rewind needs at instantiation, under the `rewind` key of the contract's own
/// instantiate message.
#[cosmwasm_schema::cw_serde]
pub struct RewindSettings {
    /// The rewind-guardian contract (the only sender of `Gate`).
    pub guardian: String,
    /// Blocks of history kept restorable (> 0).
    pub retention_blocks: u64,
    /// Seconds of history kept restorable (> 0): a height is pruned only once it is older
    /// than both windows.
    pub retention_seconds: u64,
    /// Seconds of cumulative stop (pauses, locks, restorations) after which the target is
    /// exit-only by itself (issue 15); default 14 days, at least one hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_offline: Option<u64>,
}

/// A restorable contract's instantiate message: the contract's own fields, unchanged, plus
/// `"rewind": { guardian, retention_blocks, retention_seconds }`. Without a `rewind` key, the
/// three settings are read from the message's top level, for a contract whose own message
/// already has them (it then validates and keeps them itself too).
#[derive(Debug, Clone, PartialEq)]
pub struct InstantiateMsg<T> {
    /// Rewind's settings.
    pub rewind: RewindSettings,
    /// The contract's own instantiate message.
    pub contract: T,
}

/// The key Rewind's settings sit under in an instantiate message.
const SETTINGS_KEY: &str = "rewind";

impl<T: Serialize> Serialize for InstantiateMsg<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let mut value = serde_json::to_value(&self.contract).map_err(S::Error::custom)?;
        let object = value
            .as_object_mut()
            .ok_or_else(|| S::Error::custom("a contract's instantiate message is an object"))?;
        let settings = serde_json::to_value(&self.rewind).map_err(S::Error::custom)?;
        object.insert(SETTINGS_KEY.to_string(), settings);
        value.serialize(s)
    }
}

impl<'de, T: de::DeserializeOwned> Deserialize<'de> for InstantiateMsg<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        /// Rewind's field alone; the contract's fields are skipped.
        #[derive(Deserialize)]
        struct Settings {
            rewind: RewindSettings,
        }
        // The text is parsed twice, once for each reader: the contract's type sees a
        // `rewind` field it does not know, which cw_serde types ignore.
        /// The settings at the message's top level, among the contract's own fields.
        #[derive(Deserialize)]
        struct Flat {
            guardian: String,
            retention_blocks: u64,
            retention_seconds: u64,
            #[serde(default)]
            max_offline: Option<u64>,
        }
        let raw = Box::<RawValue>::deserialize(d)?;
        let bytes = raw.get().as_bytes();
        let rewind = match serde_json::from_slice::<Settings>(bytes) {
            Ok(settings) => settings.rewind,
            // A contract whose own message already carries the settings at its top level
            // (`guardian`, `retention_blocks`, `retention_seconds`: rewind-vault's, written
            // before this library) keeps that JSON; `rewind` is then not needed.
            Err(missing) => match serde_json::from_slice::<Flat>(bytes) {
                Ok(flat) => RewindSettings {
                    guardian: flat.guardian,
                    retention_blocks: flat.retention_blocks,
                    retention_seconds: flat.retention_seconds,
                    max_offline: flat.max_offline,
                },
                Err(_) => return Err(D::Error::custom(missing)),
            },
        };
        Ok(InstantiateMsg {
            rewind,
            contract: serde_json::from_slice(bytes).map_err(D::Error::custom)?,
        })
    }
}

impl<T: JsonSchema> JsonSchema for InstantiateMsg<T> {
    fn schema_name() -> String {
        format!("Restorable_{}", T::schema_name())
    }

    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let mut settings = SchemaObject {
            instance_type: Some(InstanceType::Object.into()),
            ..Default::default()
        };
        let object = settings.object();
        object.required.insert(SETTINGS_KEY.to_string());
        object.properties.insert(
            SETTINGS_KEY.to_string(),
            gen.subschema_for::<RewindSettings>(),
        );
        Schema::Object(SchemaObject {
            subschemas: Some(Box::new(SubschemaValidation {
                all_of: Some(vec![gen.subschema_for::<T>(), settings.into()]),
                ..Default::default()
            })),
            ..Default::default()
        })
    }
}

/// The guardian, as stored after validation.
#[cosmwasm_schema::cw_serde]
pub struct StoredSettings {
    /// The only sender of `Gate`.
    pub guardian: Addr,
}

/// The migrate message of a contract that has none of its own: nothing deserialises as it,
/// so only Rewind's migrations are accepted.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub enum NoMigrateMsg {}

impl<'de> Deserialize<'de> for NoMigrateMsg {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(de::Error::custom(
            "this contract has no migrate message of its own; send {\"upgrade\":{}}",
        ))
    }
}
