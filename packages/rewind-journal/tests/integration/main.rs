//! Integration tests of rewind-journal, one binary (cheap to build), one module per topic.

mod abandon;
mod api;
mod common;
mod costs;
mod defences;
mod digest;
mod flows;
mod gate;
mod model;
mod namespaces;
mod prune;
mod rollback;
mod storage;
