//! The intervention-ladder model of docs/model.md, built on the generic
//! [`crate::event_queue`]. One replication (`replication.rs`: its state,
//! events and the loop that dispatches them) owns three components:
//!
//! * the case table (`case_table.rs`) of open cases (`case.rs`), with the
//!   stamps that tell whether an event still applies;
//! * the team (`team.rs`) of caseworkers (`caseworker.rs`): assignment,
//!   task queues, capacity, resizing; unlimited without `[workforce]`;
//! * the referral stream (`referrals.rs`);
//! * the ledger (`ledger.rs`): time integration, costs, discounting and the
//!   metrics of each period;
//! * the waiting lists of placement capacity (`waiting_lists.rs`), absent
//!   without capacity;
//! * the case log (`case_log.rs`): the spells and follow-ups the run's
//!   case records would show, kept only when asked for.
//!
//! The rules of docs/model.md, one group per file:
//!
//! * `latent.rs`: latent need, crises, closure and ageing out (2.2);
//! * `follow_up.rs`: follow-ups and their decisions (2.2, 2.3);
//! * `intake.rs`: start state, referrals, assessment, entry draw (2.4);
//! * `tasks.rs`: caseworkers handed, starting and finishing tasks (2.3);
//! * `moves.rs`: what every move and case end does (2.2, 2.7);
//! * `changes.rs`: `[[changes]]` during a run (2.6);
//! * `capacity.rs`: places on a rung, diversion and waiting lists (2.10);
//!
//! and [`streams`]: which random numbers each of them draws.

mod capacity;
mod case;
mod case_log;
mod case_table;
mod caseworker;
mod changes;
mod follow_up;
mod intake;
mod latent;
mod ledger;
mod moves;
mod referrals;
mod replication;
mod tasks;
mod team;
mod waiting_lists;

pub mod parameter_draws;
pub mod streams;

pub use crate::scenario::file::WEEKS_PER_YEAR;
pub use case::Place;
pub use case_log::{CaseLog, LoggedFollowUp, Spell, SpellEnd};
pub use replication::{ReplicationOutput, simulate, simulate_with_log};
