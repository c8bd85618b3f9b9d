//! Storage-operation pins, measured with a counting `Storage` over `MockStorage`.

#[allow(unused_imports)]
use crate::common::scopes::*;
use cosmwasm_std::{Addr, Uint128};
use rewind_journal::{
    ensure_open, initialize, rollback_step, set_pause, start_rollback, Journal, JournaledMap,
};
use rewind_types::PauseScope;

use crate::common::{env_at, CountingStorage, Counts};

const BALANCES: JournaledMap<&Addr, Uint128> = JournaledMap::new("balances");

fn addr(s: &str) -> Addr {
    cosmwasm_std::testing::MockApi::default().addr_make(s)
}

fn measure<F: FnOnce(&mut CountingStorage)>(store: &mut CountingStorage, f: F) -> Counts {
    let before = store.counts();
    f(store);
    store.counts() - before
}

#[test]
fn first_write_in_block_is_one_read_two_writes_later_writes_one_read_one_write() {
    let mut store = CountingStorage::default();
    let a = addr("a");
    // An earlier block wrote, so a digest record exists (the flush adds to the newest one).
    let mut j = Journal::new(&env_at(9));
    BALANCES
        .save(&mut store, &mut j, &addr("z"), &Uint128::new(1))
        .unwrap();
    j.flush(&mut store).unwrap();
    let mut j = Journal::new(&env_at(10));

    let first = measure(&mut store, |s| {
        BALANCES.save(s, &mut j, &a, &Uint128::new(1)).unwrap()
    });
    assert_eq!(
        first,
        Counts {
            reads: 1,
            writes: 2,
            deletes: 0,
            range_steps: 0
        }
    );

    let later = measure(&mut store, |s| {
        BALANCES.save(s, &mut j, &a, &Uint128::new(2)).unwrap()
    });
    assert_eq!(
        later,
        Counts {
            reads: 1,
            writes: 1,
            deletes: 0,
            range_steps: 0
        }
    );

    // remove then save in the same block: still 1 read + 1 write each.
    let remove = measure(&mut store, |s| BALANCES.remove(s, &mut j, &a).unwrap());
    assert_eq!(
        remove,
        Counts {
            reads: 1,
            writes: 1,
            deletes: 0,
            range_steps: 0
        }
    );
    let update = measure(&mut store, |s| {
        BALANCES
            .update(s, &mut j, &a, |v| -> cosmwasm_std::StdResult<_> {
                Ok(v.unwrap_or_default() + Uint128::one())
            })
            .unwrap();
    });
    assert_eq!(
        update,
        Counts {
            reads: 1,
            writes: 1,
            deletes: 0,
            range_steps: 0
        }
    );

    // The flush, counted separately: once per execution, one iterator step (the reverse
    // seek to the newest digest record, the live digest) + 1 write (the record of this
    // height, the new live digest). No read.
    let flush = measure(&mut store, |s| j.flush(s).unwrap());
    assert_eq!(flush, FLUSH);

    // Next block: the first write journals again (1 read + 2 writes), an update too.
    let mut j = Journal::new(&env_at(11));
    let next_block = measure(&mut store, |s| {
        BALANCES
            .update(s, &mut j, &a, |v| -> cosmwasm_std::StdResult<_> {
                Ok(v.unwrap_or_default() + Uint128::one())
            })
            .unwrap();
    });
    assert_eq!(
        next_block,
        Counts {
            reads: 1,
            writes: 2,
            deletes: 0,
            range_steps: 0
        }
    );
    let flush = measure(&mut store, |s| j.flush(s).unwrap());
    assert_eq!(flush, FLUSH);
    // A second execution in the same block: the same flush, over the record it overwrites.
    let mut j = Journal::new(&env_at(11));
    BALANCES
        .save(&mut store, &mut j, &a, &Uint128::new(5))
        .unwrap();
    let flush = measure(&mut store, |s| j.flush(s).unwrap());
    assert_eq!(flush, FLUSH);
    // A flush with nothing written does nothing.
    let j = Journal::new(&env_at(12));
    let idle = measure(&mut store, |s| j.flush(s).unwrap());
    assert_eq!(idle, Counts::default());
}

/// The digest flush: 1 iterator step + 1 write, no read.
const FLUSH: Counts = Counts {
    reads: 0,
    writes: 1,
    deletes: 0,
    range_steps: 1,
};

#[test]
fn first_flush_ever_finds_no_record_and_writes_one() {
    let mut store = CountingStorage::default();
    let mut j = Journal::new(&env_at(10));
    BALANCES
        .save(&mut store, &mut j, &addr("a"), &Uint128::new(1))
        .unwrap();
    // The seek finds nothing (wasmd still charges it as one step; MockStorage yields none).
    let flush = measure(&mut store, |s| j.flush(s).unwrap());
    assert_eq!(
        flush,
        Counts {
            reads: 0,
            writes: 1,
            deletes: 0,
            range_steps: 0
        }
    );
}

#[test]
fn reads_cost_one_get() {
    let mut store = CountingStorage::default();
    let a = addr("a");
    let mut j = Journal::new(&env_at(10));
    BALANCES
        .save(&mut store, &mut j, &a, &Uint128::new(1))
        .unwrap();
    let load = measure(&mut store, |s| {
        BALANCES.load(s, &a).unwrap();
        BALANCES.may_load(s, &a).unwrap();
        BALANCES.has(s, &a);
    });
    assert_eq!(
        load,
        Counts {
            reads: 3,
            writes: 0,
            deletes: 0,
            range_steps: 0
        }
    );
}

#[test]
fn ensure_open_is_exactly_one_read() {
    let mut store = CountingStorage::default();
    let env = env_at(10);
    let open = measure(&mut store, |s| ensure_open(s, &env, &TRADE).unwrap());
    assert_eq!(
        open,
        Counts {
            reads: 1,
            writes: 0,
            deletes: 0,
            range_steps: 0
        }
    );

    set_pause(
        &mut store,
        &env,
        &DEPOSIT.scope,
        env.block.time.plus_seconds(60),
    )
    .unwrap();
    set_pause(
        &mut store,
        &env,
        &PauseScope::ALL,
        env.block.time.minus_seconds(1),
    )
    .unwrap();
    let paused = measure(&mut store, |s| {
        ensure_open(s, &env, &DEPOSIT).unwrap_err();
    });
    assert_eq!(
        paused,
        Counts {
            reads: 1,
            writes: 0,
            deletes: 0,
            range_steps: 0
        }
    );
}

#[test]
fn undo_of_one_entry_is_one_read_one_write_one_delete() {
    let mut store = CountingStorage::default();
    initialize(&mut store, &env_at(10), 100, 1).unwrap();
    let mut j = Journal::new(&env_at(10));
    BALANCES
        .save(&mut store, &mut j, &addr("base"), &Uint128::one())
        .unwrap();
    j.flush(&mut store).unwrap();
    // Ten keys changed at height 11 (existing values), ten created at 12 (absent before).
    let mut j = Journal::new(&env_at(11));
    for i in 0..10 {
        BALANCES
            .save(
                &mut store,
                &mut j,
                &addr(&format!("k{i}")),
                &Uint128::new(1),
            )
            .unwrap();
    }
    j.flush(&mut store).unwrap();
    let mut j = Journal::new(&env_at(12));
    for i in 0..10 {
        BALANCES
            .save(
                &mut store,
                &mut j,
                &addr(&format!("k{i}")),
                &Uint128::new(2),
            )
            .unwrap();
    }
    j.flush(&mut store).unwrap();

    let env = env_at(13);
    let d = rewind_journal::digest_at(&store, &env, 10).unwrap().digest;
    start_rollback(&mut store, &env, 10, &d).unwrap();
    // The verify pass first, over the 20 undo entries: it reads each and its live value and
    // writes nothing but its own progress (the rollback state).
    let verify = measure(&mut store, |s| {
        let step = rollback_step(s, &env, 20).unwrap();
        assert_eq!((step.undone, step.done, step.failed), (0, false, None));
    });
    assert_eq!((verify.writes, verify.deletes), (1, 0), "{verify:?}");
    assert!(verify.reads >= 20, "{verify:?}");
    // Steps of 1 and of 3 entries while entries remain: the difference is 2 entries.
    let one = measure(&mut store, |s| {
        assert_eq!(rollback_step(s, &env, 1).unwrap().undone, 1)
    });
    let three = measure(&mut store, |s| {
        assert_eq!(rollback_step(s, &env, 3).unwrap().undone, 3)
    });
    // A step keeps its running digest in the rollback state it writes anyway: 1 read of
    // the state, then per entry 1 read + 1 write (or delete) + 1 delete, then 1 write of the
    // state. The step of one entry looks one entry ahead (2 iterator steps).
    assert_eq!(
        one,
        Counts {
            reads: 2,
            writes: 2,
            deletes: 1,
            range_steps: 2
        }
    );
    let per_two = three - one;
    assert_eq!(per_two.reads, 2, "{per_two:?}");
    assert_eq!(per_two.writes + per_two.deletes, 4, "{per_two:?}");
    assert_eq!(per_two.deletes, 2, "{per_two:?}"); // the undo entries
    assert_eq!(per_two.range_steps, 2, "{per_two:?}"); // iterator steps, separate
                                                       // Undoing a creation restores "absent": the write is a delete.
    let mut rest = measure(&mut store, |s| {
        assert!(rollback_step(s, &env, 100).unwrap().done)
    });
    rest.range_steps = 0;
    assert!(rest.deletes >= 16, "{rest:?}");
}
