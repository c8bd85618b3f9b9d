//! State written before scopes were data: a target registered without declared scopes.
//!
//! Those releases knew one closed list of scopes (`all`, `deposit`, `withdraw`, `trade`,
//! `liquidate`, `withdraw` the one exit), so every target they registered was paused by
//! those names. The conversion records exactly that list as the target's declared scopes;
//! governance re-registers a target (`RegisterTarget`, checked against its `Scopes {}`
//! answer) to declare others. State written by this code already has scopes: nothing to do.

use cosmwasm_std::{Addr, Order, StdResult, Storage};
use rewind_types::{PauseScope, ScopeInfo};

use crate::policy::MAX_TARGETS;
use crate::state::{TARGETS, TARGET_SCOPES};

/// The scopes of the first, closed list, `all` excluded, in their order.
pub const CLOSED_LIST_SCOPES: [ScopeInfo; 4] = [
    ScopeInfo::action(PauseScope::named("deposit")),
    ScopeInfo::exit(PauseScope::named("withdraw")),
    ScopeInfo::action(PauseScope::named("trade")),
    ScopeInfo::action(PauseScope::named("liquidate")),
];

/// Records the closed list's scopes for every registered target that has none. Bounded by
/// `MAX_TARGETS`. Returns how many targets it converted.
pub fn declare_closed_list_scopes(storage: &mut dyn Storage) -> StdResult<u64> {
    let targets: Vec<Addr> = TARGETS
        .keys(storage, None, None, Order::Ascending)
        .take(MAX_TARGETS as usize)
        .collect::<StdResult<_>>()?;
    let mut converted = 0u64;
    for target in targets {
        if !TARGET_SCOPES.has(storage, &target) {
            TARGET_SCOPES.save(storage, &target, &CLOSED_LIST_SCOPES.to_vec())?;
            converted += 1;
        }
    }
    Ok(converted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;

    #[test]
    fn targets_registered_without_scopes_get_the_closed_list_and_others_are_kept() {
        let mut store = MockStorage::new();
        let (old, new) = (Addr::unchecked("old"), Addr::unchecked("new"));
        TARGETS.save(&mut store, &old, &true).unwrap();
        TARGETS.save(&mut store, &new, &false).unwrap();
        let swap = vec![ScopeInfo::action(PauseScope::named("swap"))];
        TARGET_SCOPES.save(&mut store, &new, &swap).unwrap();
        assert_eq!(declare_closed_list_scopes(&mut store).unwrap(), 1);
        assert_eq!(
            TARGET_SCOPES.load(&store, &old).unwrap(),
            CLOSED_LIST_SCOPES.to_vec()
        );
        assert_eq!(TARGET_SCOPES.load(&store, &new).unwrap(), swap);
        // Idempotent: state written by this code is left as it is.
        assert_eq!(declare_closed_list_scopes(&mut store).unwrap(), 0);
    }
}
