//! Pause scopes: which family of a target's actions a pause stops.
//!
//! Scopes are data, not a closed list: each target declares its own (`deposit`, `swap`,
//! `mint`, `borrow`, …) and which of them are exits, answering
//! [`crate::RestorableQueryMsg::Scopes`]. A scope is a name of 1 to [`MAX_SCOPE_NAME_LEN`]
//! characters of `[a-z0-9_]`, serialised as a plain JSON string (`"deposit"`), so the JSON
//! of the first, closed scopes (`"all"`, `"deposit"`, `"withdraw"`, `"trade"`,
//! `"liquidate"`) is unchanged. [`PauseScope::ALL`] (`"all"`) is the one reserved scope: a
//! target never declares it, and a pause of it stops every scope the target declares.
//!
//! [`DeclaredScopes`] is a target's validated declaration (at most [`MAX_SCOPES`] scopes,
//! names unique, `all` excluded) and the one place of the rules the guardian applies to it:
//! which actions a pause stops (row P5) and which pauses need the target's
//! `exits_pausable` (row P3).

use std::borrow::Cow;
use std::fmt;

use cosmwasm_schema::cw_serde;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// The longest scope name, in bytes (every character is one byte of `[a-z0-9_]`).
pub const MAX_SCOPE_NAME_LEN: usize = 32;

/// The most scopes one target may declare (`all` not counted). Bounds the guardian's
/// per-action work on every pause (row D3) and the journal's gate record.
pub const MAX_SCOPES: usize = 16;

/// A family of actions on a protected target, by name. Integrators map each of their
/// execute variants onto one of their declared scopes; [`PauseScope::ALL`] stops every
/// gated action.
///
/// Not `Copy` (it may hold an owned name): clone where a second copy is needed. Static
/// names are built in const context with [`PauseScope::named`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PauseScope(Cow<'static, str>);

/// Why a scope name or a declaration of scopes is refused.
// Error fields are named in each variant's message (the workspace rule for error enums).
#[allow(missing_docs)]
#[derive(Error, Debug, Clone, PartialEq, Eq)]
pub enum ScopeError {
    /// A name that is empty, too long, or has a character outside `[a-z0-9_]`.
    #[error(
        "invalid pause scope {name:?}: 1 to {MAX_SCOPE_NAME_LEN} characters of [a-z0-9_] expected"
    )]
    InvalidName { name: String },

    /// A declaration that names `all`, which is implicit.
    #[error("scope \"all\" is reserved: every target has it, none declares it")]
    ReservedAll {},

    /// A declaration that names one scope twice.
    #[error("scope {scope} is declared twice")]
    Duplicate { scope: PauseScope },

    /// A declaration with no scope at all.
    #[error("a target declares at least one scope")]
    NoScopes {},

    /// A declaration with more than [`MAX_SCOPES`] scopes.
    #[error("{count} scopes declared, at most {MAX_SCOPES}")]
    TooMany { count: usize },
}

/// Whether `name` is a valid scope name (const, so [`PauseScope::named`] checks it at
/// compile time).
pub const fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_SCOPE_NAME_LEN {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

impl PauseScope {
    /// The reserved scope: a pause of it stops every scope of the target, exits included.
    pub const ALL: PauseScope = PauseScope::named("all");

    /// A scope with a static name, for `const` declarations
    /// (`const SWAP: PauseScope = PauseScope::named("swap");`).
    ///
    /// # Panics
    /// When `name` is not 1 to [`MAX_SCOPE_NAME_LEN`] characters of `[a-z0-9_]`: at compile
    /// time in a const context.
    pub const fn named(name: &'static str) -> PauseScope {
        assert!(
            is_valid_name(name),
            "a pause scope is 1 to 32 characters of [a-z0-9_]"
        );
        PauseScope(Cow::Borrowed(name))
    }

    /// A scope from a name received at run time; refuses an invalid name.
    pub fn new(name: impl Into<String>) -> Result<PauseScope, ScopeError> {
        let name = name.into();
        if !is_valid_name(&name) {
            return Err(ScopeError::InvalidName { name });
        }
        Ok(PauseScope(Cow::Owned(name)))
    }

    /// The name, as used in JSON, events, attributes and storage keys.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the reserved scope [`PauseScope::ALL`].
    pub fn is_all(&self) -> bool {
        self.as_str() == PauseScope::ALL.as_str()
    }

    /// Whether a pause of this scope stops `action` (`all` stops every action).
    pub fn stops(&self, action: &PauseScope) -> bool {
        self.is_all() || self == action
    }
}

impl fmt::Display for PauseScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for PauseScope {
    type Err = ScopeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PauseScope::new(s)
    }
}

impl TryFrom<String> for PauseScope {
    type Error = ScopeError;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        PauseScope::new(name)
    }
}

impl TryFrom<&str> for PauseScope {
    type Error = ScopeError;

    fn try_from(name: &str) -> Result<Self, Self::Error> {
        PauseScope::new(name)
    }
}

impl Serialize for PauseScope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PauseScope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        PauseScope::new(name).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for PauseScope {
    fn schema_name() -> String {
        "PauseScope".to_string()
    }

    fn json_schema(_gen: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{InstanceType, Metadata, SchemaObject, StringValidation};
        SchemaObject {
            metadata: Some(Box::new(Metadata {
                description: Some(
                    "A pause scope: a name a target declares, or \"all\" (every scope of the target)."
                        .to_string(),
                ),
                ..Metadata::default()
            })),
            instance_type: Some(InstanceType::String.into()),
            string: Some(Box::new(StringValidation {
                min_length: Some(1),
                max_length: Some(MAX_SCOPE_NAME_LEN as u32),
                pattern: Some("^[a-z0-9_]+$".to_string()),
            })),
            ..SchemaObject::default()
        }
        .into()
    }
}

impl cosmwasm_schema::cw_schema::Schemaifier for PauseScope {
    fn visit_schema(
        visitor: &mut cosmwasm_schema::cw_schema::SchemaVisitor,
    ) -> cosmwasm_schema::cw_schema::DefinitionReference {
        use cosmwasm_schema::cw_schema::{Node, NodeType};
        visitor.insert(
            Self::id(),
            Node {
                name: Cow::Borrowed("PauseScope"),
                description: Some(Cow::Borrowed(
                    "A pause scope: a name a target declares (1 to 32 characters of [a-z0-9_]), or \"all\".",
                )),
                value: NodeType::String,
            },
        )
    }
}

/// One scope a target declares, and whether it is an exit.
#[cw_serde]
#[derive(Eq)]
pub struct ScopeInfo {
    /// The scope (never `all`).
    pub scope: PauseScope,
    /// Whether its actions are exits (taking one's own funds out): a pause of it needs the
    /// target's `exits_pausable`, and exit-only mode (row R13) keeps it open.
    pub exit: bool,
}

impl ScopeInfo {
    /// A scope that is not an exit.
    pub const fn action(scope: PauseScope) -> ScopeInfo {
        ScopeInfo { scope, exit: false }
    }

    /// An exit scope.
    pub const fn exit(scope: PauseScope) -> ScopeInfo {
        ScopeInfo { scope, exit: true }
    }
}

/// The scopes of a target's `Scopes {}` answer.
#[cw_serde]
pub struct ScopesResponse {
    /// Every scope the target declares, `all` excluded (it is implicit), in the target's
    /// order.
    pub scopes: Vec<ScopeInfo>,
}

/// A target's validated declaration of its scopes: 1 to [`MAX_SCOPES`] scopes, names
/// unique, `all` excluded. The rules of the pause policy on a target's scopes live here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredScopes(Vec<ScopeInfo>);

impl DeclaredScopes {
    /// Validates a declaration.
    pub fn new(scopes: Vec<ScopeInfo>) -> Result<DeclaredScopes, ScopeError> {
        if scopes.is_empty() {
            return Err(ScopeError::NoScopes {});
        }
        if scopes.len() > MAX_SCOPES {
            return Err(ScopeError::TooMany {
                count: scopes.len(),
            });
        }
        for (i, info) in scopes.iter().enumerate() {
            if info.scope.is_all() {
                return Err(ScopeError::ReservedAll {});
            }
            if scopes[..i].iter().any(|s| s.scope == info.scope) {
                return Err(ScopeError::Duplicate {
                    scope: info.scope.clone(),
                });
            }
        }
        Ok(DeclaredScopes(scopes))
    }

    /// The declared scopes, in declaration order.
    pub fn infos(&self) -> &[ScopeInfo] {
        &self.0
    }

    /// The declaration, given back.
    pub fn into_inner(self) -> Vec<ScopeInfo> {
        self.0
    }

    /// The declared scope named `scope`, if any (`all` is never declared).
    pub fn get(&self, scope: &PauseScope) -> Option<&ScopeInfo> {
        self.0.iter().find(|s| s.scope == *scope)
    }

    /// Whether a pause may name `scope` on this target: `all` or a declared scope.
    pub fn knows(&self, scope: &PauseScope) -> bool {
        scope.is_all() || self.get(scope).is_some()
    }

    /// The actions: every declared scope, in declaration order. A pause stops some of
    /// them; the pause caps and cooldowns hold per action (row P5).
    pub fn actions(&self) -> impl Iterator<Item = &PauseScope> {
        self.0.iter().map(|s| &s.scope)
    }

    /// The actions a pause of `scope` stops: every action for `all`, the scope itself for a
    /// declared one, none for an undeclared one.
    pub fn actions_of<'a>(&'a self, scope: &'a PauseScope) -> Vec<&'a PauseScope> {
        self.actions().filter(|a| scope.stops(a)).collect()
    }

    /// Whether a pause of `scope` stops exits: `all` always does; a declared scope does
    /// when it is an exit.
    pub fn stops_exits(&self, scope: &PauseScope) -> bool {
        scope.is_all() || self.get(scope).is_some_and(|s| s.exit)
    }

    /// The exit policy, in one place: whether `scope` may be paused on a target whose
    /// registration says `exits_pausable`. A scope that stops exits needs it; every other
    /// known scope is always pausable; an undeclared scope never is. The guardian's target
    /// registry is the one record of `exits_pausable`, and every pause path of the guardian
    /// applies this rule.
    pub fn pausable(&self, scope: &PauseScope, exits_pausable: bool) -> bool {
        self.knows(scope) && (exits_pausable || !self.stops_exits(scope))
    }

    /// Every scope a pause may name: `all` first, then the declared ones in order.
    pub fn all_scopes(&self) -> Vec<PauseScope> {
        std::iter::once(PauseScope::ALL)
            .chain(self.actions().cloned())
            .collect()
    }

    /// The scopes that may be paused on this target with this exit policy, in
    /// [`DeclaredScopes::all_scopes`] order.
    pub fn pausable_scopes(&self, exits_pausable: bool) -> Vec<PauseScope> {
        self.all_scopes()
            .into_iter()
            .filter(|scope| self.pausable(scope, exits_pausable))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{from_json, to_json_string};

    const DEPOSIT: PauseScope = PauseScope::named("deposit");
    const WITHDRAW: PauseScope = PauseScope::named("withdraw");
    const TRADE: PauseScope = PauseScope::named("trade");
    const LIQUIDATE: PauseScope = PauseScope::named("liquidate");

    /// The vault's declaration, as the first closed enum had it.
    fn vault() -> DeclaredScopes {
        DeclaredScopes::new(vec![
            ScopeInfo::action(DEPOSIT),
            ScopeInfo::exit(WITHDRAW),
            ScopeInfo::action(TRADE),
            ScopeInfo::action(LIQUIDATE),
        ])
        .unwrap()
    }

    #[test]
    fn the_five_old_names_keep_their_json_byte_for_byte() {
        for (scope, json) in [
            (PauseScope::ALL, r#""all""#),
            (DEPOSIT, r#""deposit""#),
            (WITHDRAW, r#""withdraw""#),
            (TRADE, r#""trade""#),
            (LIQUIDATE, r#""liquidate""#),
        ] {
            assert_eq!(to_json_string(&scope).unwrap(), json);
            assert_eq!(from_json::<PauseScope>(json).unwrap(), scope);
        }
        // Inside a message, as the guardian pushes it.
        let msg = crate::GateMsg::SetPause {
            scope: TRADE,
            until: cosmwasm_std::Timestamp::from_nanos(5),
        };
        assert_eq!(
            to_json_string(&msg).unwrap(),
            r#"{"set_pause":{"scope":"trade","until":"5"}}"#
        );
        let info = ScopeInfo::exit(WITHDRAW);
        assert_eq!(
            to_json_string(&info).unwrap(),
            r#"{"scope":"withdraw","exit":true}"#
        );
    }

    #[test]
    fn invalid_names_are_refused_with_a_clear_message() {
        let long = "a".repeat(MAX_SCOPE_NAME_LEN + 1);
        for bad in ["", "Trade", "swap-out", "sw ap", "é", long.as_str()] {
            assert_eq!(
                PauseScope::new(bad),
                Err(ScopeError::InvalidName { name: bad.into() })
            );
            let err = from_json::<PauseScope>(to_json_string(bad).unwrap()).unwrap_err();
            assert!(
                err.to_string().contains("invalid pause scope")
                    && err.to_string().contains("[a-z0-9_]"),
                "{err}"
            );
        }
        // Not a string at all.
        assert!(from_json::<PauseScope>("5").is_err());
        for good in ["a", "swap", "mint_2", &"z".repeat(MAX_SCOPE_NAME_LEN)] {
            assert_eq!(PauseScope::new(good).unwrap().as_str(), good);
        }
        assert_eq!("swap".parse::<PauseScope>(), Ok(PauseScope::named("swap")));
    }

    #[test]
    fn declarations_are_bounded_unique_and_never_name_all() {
        let swap = ScopeInfo::action(PauseScope::named("swap"));
        assert_eq!(DeclaredScopes::new(vec![]), Err(ScopeError::NoScopes {}));
        assert_eq!(
            DeclaredScopes::new(vec![swap.clone(), ScopeInfo::action(PauseScope::ALL)]),
            Err(ScopeError::ReservedAll {})
        );
        assert_eq!(
            DeclaredScopes::new(vec![swap.clone(), ScopeInfo::exit(swap.scope.clone())]),
            Err(ScopeError::Duplicate {
                scope: swap.scope.clone()
            })
        );
        let many: Vec<ScopeInfo> = (0..=MAX_SCOPES)
            .map(|i| ScopeInfo::action(PauseScope::new(format!("s{i}")).unwrap()))
            .collect();
        assert_eq!(
            DeclaredScopes::new(many.clone()),
            Err(ScopeError::TooMany {
                count: MAX_SCOPES + 1
            })
        );
        assert!(DeclaredScopes::new(many[..MAX_SCOPES].to_vec()).is_ok());
    }

    #[test]
    fn p5_all_stops_every_action_and_an_action_only_itself() {
        let declared = vault();
        for scope in declared.all_scopes() {
            for action in declared.actions() {
                assert_eq!(
                    scope.stops(action),
                    declared.actions_of(&scope).contains(&action),
                    "{scope} / {action}"
                );
            }
        }
        let all = PauseScope::ALL;
        assert_eq!(
            declared.actions_of(&all),
            declared.actions().collect::<Vec<_>>()
        );
        assert!(!declared.actions().any(PauseScope::is_all));
        // An undeclared scope stops nothing and is never pausable.
        let swap = PauseScope::named("swap");
        assert!(declared.actions_of(&swap).is_empty());
        assert!(!declared.pausable(&swap, true));
    }

    #[test]
    fn p3_exit_scopes_are_pausable_only_where_exits_are() {
        let declared = vault();
        // Written out by hand: `all` and `withdraw` stop exits, the others do not.
        let table = [
            (PauseScope::ALL, false, false),
            (DEPOSIT, false, true),
            (WITHDRAW, false, false),
            (TRADE, false, true),
            (LIQUIDATE, false, true),
            (PauseScope::ALL, true, true),
            (DEPOSIT, true, true),
            (WITHDRAW, true, true),
            (TRADE, true, true),
            (LIQUIDATE, true, true),
        ];
        for (scope, exits_pausable, pausable) in table {
            assert_eq!(
                declared.pausable(&scope, exits_pausable),
                pausable,
                "{scope}"
            );
            assert_eq!(
                declared.stops_exits(&scope),
                scope.stops(&WITHDRAW),
                "{scope}"
            );
        }
        assert_eq!(
            declared.pausable_scopes(false),
            vec![DEPOSIT, TRADE, LIQUIDATE]
        );
        assert_eq!(
            declared.pausable_scopes(true),
            vec![PauseScope::ALL, DEPOSIT, WITHDRAW, TRADE, LIQUIDATE]
        );
        // Custom scopes: the exit flag, not the name, decides.
        let amm = DeclaredScopes::new(vec![
            ScopeInfo::action(PauseScope::named("swap")),
            ScopeInfo::exit(PauseScope::named("remove_liquidity")),
        ])
        .unwrap();
        assert_eq!(amm.pausable_scopes(false), vec![PauseScope::named("swap")]);
        assert!(amm.stops_exits(&PauseScope::named("remove_liquidity")));
        assert!(
            !amm.pausable(&WITHDRAW, true),
            "withdraw is not declared here"
        );
    }
}
