//! The vault's part of the migrations. rewind-target's entry point handles every migrate
//! message (`Upgrade {}`: cw2's `ensure_from_older_version` rule, a strictly newer version of
//! the same contract; `Restore`, `Release`, `Configure`, `Abandon`, `Sweep`: the executor's,
//! on the same code version); the vault supplies hooks:
//! - [`configure`]: the `config: (check, apply)` hooks of a voted configuration change
//!   (`Configure { config }`, `Release { config }`, `CheckConfig { config }`);
//! - [`sweep`]: the `sweep:` hook, the voted, timelocked sweep of frozen claims and the
//!   surplus (rows G10, R5).
//!
//! Version-specific state migrations would go in `migrations/vX_Y_Z.rs`; version 0.1.0 is
//! the first release, so there is none yet (the vault has no migrate message of its own).
//!
//! ## A stuck rollback and the voted upgrade
//! A rollback that fails its digest check (tampered state or a bug, row R4) leaves the vault
//! locked; the only way out is a governance vote that makes the executor migrate the vault
//! to new code with `Upgrade {}`, which is allowed while a rollback is stuck and never
//! abandons it by itself: the new version's state migration repairs what broke, then calls
//! `rewind_journal::abandon_rollback(storage, &env)`.

pub mod configure;
pub mod sweep;
