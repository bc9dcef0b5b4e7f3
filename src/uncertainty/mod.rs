//! What the answers of a comparison are worth when the inputs are
//! uncertain: paired policy answers ([`paired`]: the probability that the
//! alternative is better) and replications run until a target precision
//! is reached ([`precision`]).
//!
//! The uncertain inputs themselves are part of the scenario
//! (`[uncertainty]`, see [`crate::scenario::uncertainty`]) and are drawn per
//! replication by [`crate::model::parameter_draws`].

pub mod paired;
pub mod precision;
