//! The intervention-ladder model of MODEL.md section 2, built on the generic
//! [`crate::event_queue`]: cases ([`case`]) with hidden need states,
//! caseworkers ([`caseworker`]) with finite hours, random streams
//! ([`streams`]), per-period bookkeeping ([`tally`]), and the rules that tie
//! them together in one replication ([`replication`]).

pub mod case;
pub mod caseworker;
pub mod parameter_draws;
pub mod replication;
pub mod streams;
pub mod tally;

pub use replication::{ReplicationOutput, WEEKS_PER_YEAR, simulate};
