//! The case table: every open case of one replication, the counts by place
//! that the ledger integrates, and the stamps that tell whether an event
//! or task made for a case still applies.
//!
//! Slots are reused when cases end. Each slot carries two generations that
//! outlive its occupants: the *clock* (the pending latent-state, closure or
//! ageing-out event) and the *schedule* (the pending follow-up or
//! assessment end, and any task queued for the case). Bumping one voids
//! everything stamped before, so events are cancelled lazily and an event
//! left over from an earlier occupant can never match a new one.

use super::case::{Case, Latent, Place};
use crate::event_queue::{Generation, Stamp};

/// One slot of the table.
#[derive(Debug, Clone, Default)]
struct Slot {
    case: Option<Case>,
    clock: Generation,
    schedule: Generation,
}

/// The open cases.
#[derive(Debug, Clone)]
pub struct CaseTable {
    slots: Vec<Slot>,
    /// Slots of ended cases, reused first.
    free: Vec<usize>,
    /// Cases opened so far: the next case's serial number, which names its
    /// random streams.
    opened: u64,
    /// Cases by place slot (`assessment`, then rungs).
    by_place: Vec<u32>,
    /// Cases by place slot and latent state (`Latent as usize`): the
    /// welfare metrics integrate the `ready` and `needs_more` columns.
    by_latent: Vec<[u32; 3]>,
    /// Open cases.
    open: u64,
    /// Cases on placement rungs (open placement spells).
    placed: u64,
    /// Number of age bands.
    bands: usize,
    /// With more than one age band: cases by place slot and band, at
    /// `slot × bands + band` (results by age); empty otherwise.
    by_place_band: Vec<u32>,
}

impl CaseTable {
    /// An empty table for a ladder of `rungs` rungs and `bands` age bands.
    pub fn new(rungs: usize, bands: usize) -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
            opened: 0,
            by_place: vec![0; rungs + 1],
            by_latent: vec![[0; 3]; rungs + 1],
            open: 0,
            placed: 0,
            bands,
            by_place_band: if bands > 1 {
                vec![0; (rungs + 1) * bands]
            } else {
                Vec::new()
            },
        }
    }

    /// A serial number for a case about to open: cases are numbered in
    /// order of opening, whatever slot they get, and their random streams
    /// are named by it.
    pub fn new_serial(&mut self) -> u64 {
        self.opened += 1;
        self.opened - 1
    }

    /// Add a case, not yet counted in any place; returns its slot.
    pub fn insert(&mut self, case: Case) -> usize {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot::default());
            self.slots.len() - 1
        });
        self.slots[slot].case = Some(case);
        self.open += 1;
        slot
    }

    /// Remove an ended case; its slot is free for the next one. Its stamps
    /// must already be void ([`Self::void_clock`], [`Self::void_schedule`]).
    pub fn remove(&mut self, i: usize) {
        self.slots[i].case = None;
        self.free.push(i);
        self.open -= 1;
    }

    /// The case in slot `i`.
    pub fn get(&self, i: usize) -> &Case {
        self.slots[i]
            .case
            .as_ref()
            .expect("events for closed cases are stale")
    }

    /// The case in slot `i`, to change.
    pub fn get_mut(&mut self, i: usize) -> &mut Case {
        self.slots[i]
            .case
            .as_mut()
            .expect("events for closed cases are stale")
    }

    /// Slots and places of the open cases, in slot order.
    pub fn places(&self) -> impl Iterator<Item = (usize, Place)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.case.as_ref().map(|c| (i, c.place)))
    }

    /// Slots of the cases assigned to caseworker `worker`, in assignment
    /// order.
    pub fn assigned_to(&self, worker: usize) -> Vec<usize> {
        let mut cases: Vec<(u64, usize)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                s.case
                    .as_ref()
                    .filter(|c| c.worker == worker)
                    .map(|c| (c.assigned, i))
            })
            .collect();
        cases.sort_unstable();
        cases.into_iter().map(|(_, i)| i).collect()
    }

    // ----- counts --------------------------------------------------------

    /// Count a case in age band `band` as arriving at `place` (always in
    /// latent state `fit`); `placement` if that is a placement rung.
    pub fn arrive(&mut self, place: Place, placement: bool, band: usize) {
        self.by_place[place.slot()] += 1;
        self.by_latent[place.slot()][Latent::Fit as usize] += 1;
        self.placed += u64::from(placement);
        if self.bands > 1 {
            self.by_place_band[place.slot() * self.bands + band] += 1;
        }
    }

    /// Count a case in age band `band` as leaving `place`; its latent state
    /// must be `fit` again ([`Self::set_latent`]).
    pub fn depart(&mut self, place: Place, placement: bool, band: usize) {
        self.by_place[place.slot()] -= 1;
        self.by_latent[place.slot()][Latent::Fit as usize] -= 1;
        self.placed -= u64::from(placement);
        if self.bands > 1 {
            self.by_place_band[place.slot() * self.bands + band] -= 1;
        }
    }

    /// A case at `place` moves from age band `from` to `to`.
    pub fn change_band(&mut self, place: Place, from: usize, to: usize) {
        if self.bands > 1 {
            let at = place.slot() * self.bands;
            self.by_place_band[at + from] -= 1;
            self.by_place_band[at + to] += 1;
        }
    }

    /// With more than one age band, cases by place slot and band
    /// (`slot × bands + band`); empty otherwise.
    pub fn by_place_band(&self) -> &[u32] {
        &self.by_place_band
    }

    /// Change the hidden state of the case in slot `i`, keeping the counts
    /// by latent state: the one place latent states change, so the counts
    /// cost one update per change.
    pub fn set_latent(&mut self, i: usize, latent: Latent) {
        let c = self.slots[i]
            .case
            .as_mut()
            .expect("events for closed cases are stale");
        let counts = &mut self.by_latent[c.place.slot()];
        counts[c.latent as usize] -= 1;
        counts[latent as usize] += 1;
        c.latent = latent;
    }

    /// Cases by place slot (`assessment`, then rungs).
    pub fn by_place(&self) -> &[u32] {
        &self.by_place
    }

    /// Cases by place slot (`assessment`, then rungs) and latent state,
    /// indexed by `Latent as usize`.
    pub fn by_latent(&self) -> &[[u32; 3]] {
        &self.by_latent
    }

    /// Open cases.
    pub fn open(&self) -> u64 {
        self.open
    }

    /// Cases on placement rungs.
    pub fn placed(&self) -> u64 {
        self.placed
    }

    // ----- stamps: is an event still live? -------------------------------

    /// Void the case's pending clock event; the stamp for the next one.
    pub fn void_clock(&mut self, i: usize) -> Stamp {
        self.slots[i].clock.bump()
    }

    /// Void the case's pending follow-up or assessment end and its queued
    /// task; the stamp for the next ones.
    pub fn void_schedule(&mut self, i: usize) -> Stamp {
        self.slots[i].schedule.bump()
    }

    /// The stamp of the case's current schedule.
    pub fn schedule(&self, i: usize) -> Stamp {
        self.slots[i].schedule.stamp()
    }

    /// Whether a clock event stamped `stamp` still applies to slot `i`.
    pub fn clock_is_current(&self, i: usize, stamp: Stamp) -> bool {
        self.slots[i].clock.is_current(stamp)
    }

    /// Whether a follow-up, assessment end or task stamped `stamp` still
    /// applies to slot `i`: the case is open and has not moved since.
    pub fn schedule_is_current(&self, i: usize, stamp: Stamp) -> bool {
        self.slots[i].case.is_some() && self.slots[i].schedule.is_current(stamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::case::tests::case_at;

    #[test]
    fn a_reused_slot_does_not_revive_stamps_of_its_last_case() {
        let mut cases = CaseTable::new(2, 1);
        let first = cases.insert(case_at(Place::Assessment));
        let (clock, schedule) = (cases.void_clock(first), cases.void_schedule(first));
        assert!(cases.clock_is_current(first, clock));
        assert!(cases.schedule_is_current(first, schedule));
        cases.void_clock(first);
        cases.void_schedule(first);
        cases.remove(first);
        assert!(!cases.schedule_is_current(first, schedule));

        let second = cases.insert(case_at(Place::Assessment));
        assert_eq!(second, first, "the slot is reused");
        assert!(!cases.clock_is_current(second, clock));
        assert!(!cases.schedule_is_current(second, schedule));
        assert!(cases.schedule_is_current(second, cases.schedule(second)));
        assert_eq!(cases.open(), 1);
        assert_eq!((cases.new_serial(), cases.new_serial()), (0, 1));
    }

    #[test]
    fn counts_follow_arrivals_and_departures() {
        let mut cases = CaseTable::new(2, 1);
        cases.arrive(Place::Assessment, false, 0);
        cases.arrive(Place::Rung(1), true, 0);
        cases.arrive(Place::Rung(1), true, 0);
        cases.depart(Place::Rung(1), true, 0);
        assert_eq!(cases.by_place(), [1, 0, 1]);
        assert_eq!(cases.placed(), 1);
    }

    #[test]
    fn latent_counts_follow_changes_and_moves() {
        let mut cases = CaseTable::new(2, 1);
        let i = cases.insert(case_at(Place::Rung(1)));
        cases.arrive(Place::Rung(1), true, 0);
        cases.set_latent(i, Latent::NeedsMore);
        assert_eq!(cases.by_latent()[2], [0, 0, 1]);
        cases.set_latent(i, Latent::Ready);
        assert_eq!(cases.by_latent()[2], [0, 1, 0]);
        cases.set_latent(i, Latent::Fit);
        cases.depart(Place::Rung(1), true, 0);
        assert_eq!(cases.by_latent(), [[0; 3]; 3]);
    }

    #[test]
    fn cases_of_a_caseworker_come_in_assignment_order() {
        let mut cases = CaseTable::new(1, 1);
        for (worker, assigned) in [(1, 5), (0, 1), (1, 2), (1, 9)] {
            let i = cases.insert(case_at(Place::Rung(0)));
            let c = cases.get_mut(i);
            (c.worker, c.assigned) = (worker, assigned);
        }
        assert_eq!(cases.assigned_to(1), [2, 0, 3]);
    }
}
