//! Pause scopes: which family of a target's actions a pause stops.

use cosmwasm_schema::cw_serde;

/// A family of actions on a protected target. Integrators map each of their execute
/// variants onto one of these; `All` stops every gated action.
#[cw_serde]
#[derive(Copy, Eq, PartialOrd, Ord, Hash)]
pub enum PauseScope {
    /// Every gated action, exits included.
    All,
    /// Adding collateral.
    Deposit,
    /// Exits: taking collateral out. Pausable only where governance allowed it.
    Withdraw,
    /// Opening, changing and closing positions.
    Trade,
    /// Liquidating under-collateralised positions.
    Liquidate,
}

impl PauseScope {
    /// Every scope, in a fixed order (used for status queries and exhaustive tests).
    pub const ALL_SCOPES: [PauseScope; 5] = [
        PauseScope::All,
        PauseScope::Deposit,
        PauseScope::Withdraw,
        PauseScope::Trade,
        PauseScope::Liquidate,
    ];

    /// The actions: every scope but `All`. A pause of a scope stops the actions of
    /// [`PauseScope::actions`]; the pause caps and cooldowns hold per action (row P5).
    pub const ACTIONS: [PauseScope; 4] = [
        PauseScope::Deposit,
        PauseScope::Withdraw,
        PauseScope::Trade,
        PauseScope::Liquidate,
    ];

    /// The actions a pause of this scope stops: every action for `All`, else the scope
    /// itself.
    pub fn actions(self) -> &'static [PauseScope] {
        match self {
            PauseScope::All => &Self::ACTIONS,
            PauseScope::Deposit => &[PauseScope::Deposit],
            PauseScope::Withdraw => &[PauseScope::Withdraw],
            PauseScope::Trade => &[PauseScope::Trade],
            PauseScope::Liquidate => &[PauseScope::Liquidate],
        }
    }

    /// Whether a pause of this scope stops `action` (`All` stops every action).
    pub fn stops(self, action: PauseScope) -> bool {
        self == PauseScope::All || self == action
    }

    /// Whether pausing this scope stops exits, which needs governance's consent.
    pub fn stops_exits(self) -> bool {
        matches!(self, PauseScope::All | PauseScope::Withdraw)
    }

    /// The exit policy, in one place: whether this scope may be paused on a target whose
    /// registration says `exits_pausable`. A scope that stops exits needs it; every other
    /// scope is always pausable. The guardian's target registry is the one record of
    /// `exits_pausable`, and every pause path of the guardian applies this rule.
    pub fn pausable(self, exits_pausable: bool) -> bool {
        exits_pausable || !self.stops_exits()
    }

    /// The scopes that may be paused on a target with this exit policy, in
    /// [`PauseScope::ALL_SCOPES`] order.
    pub fn pausable_scopes(exits_pausable: bool) -> Vec<PauseScope> {
        Self::ALL_SCOPES
            .into_iter()
            .filter(|scope| scope.pausable(exits_pausable))
            .collect()
    }

    /// The snake_case name used in events and attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            PauseScope::All => "all",
            PauseScope::Deposit => "deposit",
            PauseScope::Withdraw => "withdraw",
            PauseScope::Trade => "trade",
            PauseScope::Liquidate => "liquidate",
        }
    }
}

impl std::fmt::Display for PauseScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::PauseScope;

    #[test]
    fn p5_all_stops_every_action_and_an_action_only_itself() {
        for scope in PauseScope::ALL_SCOPES {
            for action in PauseScope::ACTIONS {
                assert_eq!(
                    scope.stops(action),
                    scope.actions().contains(&action),
                    "{scope} / {action}"
                );
            }
        }
        assert_eq!(PauseScope::All.actions(), &PauseScope::ACTIONS);
        assert!(!PauseScope::ACTIONS.contains(&PauseScope::All));
    }

    #[test]
    fn p3_exit_scopes_are_pausable_only_where_exits_are() {
        use PauseScope::*;
        // Written out by hand: `all` and `withdraw` stop exits, the others do not.
        let table = [
            (All, false, false),
            (Deposit, false, true),
            (Withdraw, false, false),
            (Trade, false, true),
            (Liquidate, false, true),
            (All, true, true),
            (Deposit, true, true),
            (Withdraw, true, true),
            (Trade, true, true),
            (Liquidate, true, true),
        ];
        for (scope, exits_pausable, pausable) in table {
            assert_eq!(scope.pausable(exits_pausable), pausable, "{scope}");
            assert_eq!(scope.stops_exits(), scope.stops(Withdraw), "{scope}");
        }
        assert_eq!(
            PauseScope::pausable_scopes(false),
            vec![Deposit, Trade, Liquidate]
        );
        assert_eq!(PauseScope::pausable_scopes(true), PauseScope::ALL_SCOPES);
    }
}
