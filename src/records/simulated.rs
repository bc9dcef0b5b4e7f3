//! TEMPORARY stub of helper A's API (branch f-records); replaced on merge.

use std::io;
use std::path::Path;

use super::codes::Places;
use super::follow_ups::FollowUp;
use super::history::History;
use crate::scenario::Scenario;

/// Replication records (stub).
#[derive(Debug, Clone)]
pub struct SimulatedRecords {
    /// Spells.
    pub history: History,
    /// Follow-ups.
    pub follow_ups: Vec<FollowUp>,
    /// Places.
    pub places: Places,
}

/// Stub.
pub fn simulate_records(_scenario: &Scenario, _replication: u64) -> SimulatedRecords {
    unimplemented!("helper A's simulate_records")
}

impl SimulatedRecords {
    /// Stub.
    pub fn write(&self, _dir: &Path) -> io::Result<()> {
        unimplemented!()
    }
}
