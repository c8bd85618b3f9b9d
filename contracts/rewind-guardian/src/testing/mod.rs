/// The scopes of the default mock target ([`rewind_testing::mock_target::DEFAULT_SCOPES`]),
/// with the lists the tests iterate.
pub mod scopes {
    pub use rewind_testing::mock_target::{DEPOSIT, LIQUIDATE, TRADE, WITHDRAW};
    use rewind_types::{DeclaredScopes, PauseScope};

    pub const ALL: PauseScope = PauseScope::ALL;
    /// `all`, then the declared scopes.
    pub const ALL_SCOPES: [PauseScope; 5] = [ALL, DEPOSIT, WITHDRAW, TRADE, LIQUIDATE];

    /// The default declaration.
    pub fn declared() -> DeclaredScopes {
        DeclaredScopes::new(rewind_testing::mock_target::default_scopes()).unwrap()
    }

    /// The actions a pause of `scope` stops on the default mock.
    pub fn actions(scope: &PauseScope) -> Vec<PauseScope> {
        declared().actions_of(scope).into_iter().cloned().collect()
    }
}

mod custom_scopes;
mod exits;
mod hold;
mod migrate_tests;
mod p2;
mod p5;
mod p6;
mod p6_rotation;
mod policy_props;
mod suite;
mod tests;
