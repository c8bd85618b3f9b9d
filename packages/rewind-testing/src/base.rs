//! The one Suite base: what every multi-test suite of this workspace shares. A suite holds a
//! cw-multi-test `App` and implements [`SuiteBase`] with two accessors; the names, block
//! movement and balance queries come from here, so every suite moves time the same way.

use cosmwasm_std::{Addr, Timestamp, Uint128};
use cw_multi_test::App;

/// Seconds per block when a suite moves whole blocks.
pub const BLOCK_SECONDS: u64 = 5;

/// The shared part of every suite.
pub trait SuiteBase {
    /// The chain.
    fn app(&self) -> &App;
    /// The chain, to execute on.
    fn app_mut(&mut self) -> &mut App;

    /// The address of a named account (`MockApi::addr_make`).
    fn addr(&self, name: &str) -> Addr {
        self.app().api().addr_make(name)
    }

    /// The current height.
    fn height(&self) -> u64 {
        self.app().block_info().height
    }

    /// The current block time.
    fn time(&self) -> Timestamp {
        self.app().block_info().time
    }

    /// Moves `seconds` and `blocks` on together.
    fn advance_by(&mut self, seconds: u64, blocks: u64) {
        self.app_mut().update_block(|b| {
            b.height += blocks;
            b.time = b.time.plus_seconds(seconds);
        });
    }

    /// Moves `n` blocks on, [`BLOCK_SECONDS`] each.
    fn advance_blocks(&mut self, n: u64) {
        self.advance_by(n * BLOCK_SECONDS, n);
    }

    /// Moves `seconds` on in a single block (a slow block, or a chain halt).
    fn advance_time(&mut self, seconds: u64) {
        self.advance_by(seconds, 1);
    }

    /// The bank balance of `who` in `denom`.
    fn balance_of(&self, who: &Addr, denom: &str) -> u128 {
        let amount = self
            .app()
            .wrap()
            .query_balance(who, denom)
            .expect("bank balance")
            .amount;
        Uint128::try_from(amount).expect("fits 128 bits").u128()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Chain(App);

    impl SuiteBase for Chain {
        fn app(&self) -> &App {
            &self.0
        }
        fn app_mut(&mut self) -> &mut App {
            &mut self.0
        }
    }

    #[test]
    fn blocks_and_time_move_as_documented() {
        let mut chain = Chain(App::default());
        let (h, t) = (chain.height(), chain.time());
        chain.advance_blocks(3);
        assert_eq!(chain.height(), h + 3);
        assert_eq!(chain.time(), t.plus_seconds(3 * BLOCK_SECONDS));
        chain.advance_time(1_000);
        assert_eq!(chain.height(), h + 4);
        assert_eq!(chain.time(), t.plus_seconds(3 * BLOCK_SECONDS + 1_000));
        assert_eq!(chain.balance_of(&chain.addr("nobody"), "uatom"), 0);
    }
}
