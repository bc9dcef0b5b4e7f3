//! Placement capacity (docs/model.md, "Placement capacity"): a rung with
//! `capacity = N` has N places. A child who needs a place on a full rung W
//! is *diverted* to the lowest rung above W with room (the top rung is the
//! last resort and never full) or, on a move down, stays where it is; then
//! it waits for W in a first-come, first-served list. When W has room again
//! (a case leaves it, or `[[changes]]` raise its places) the longest-waiting
//! case is admitted at once.
//!
//! [`WaitingLists`] is the state; the `impl Replication` below holds the
//! rules. A scenario without capacity has no waiting lists at all
//! (`Replication::waiting` is `None`): every rule asks that one `Option`
//! and does nothing more, so such scenarios pay nothing.

use std::collections::VecDeque;

use super::case::Place;
use super::ledger::Tally;
use super::replication::Replication;
use crate::scenario::Params;

/// Who waits for which rung, and how many places each rung has.
#[derive(Debug, Clone)]
pub struct WaitingLists {
    /// Places by rung from the parameters in force (`None`: no limit).
    places: Vec<Option<u32>>,
    /// The rungs whose places are counted (see [`Params::capacity_rungs`]).
    tracked: Vec<usize>,
    /// First come, first served: the case slots waiting for each rung.
    lists: Vec<VecDeque<u32>>,
    /// By case slot: the rung it waits for and the rung it waits on.
    waiting: Vec<Option<(u32, u32)>>,
    /// Waiting cases by wanted rung × the rung they wait on (row-major):
    /// what the ledger integrates into waiting child-years and costs.
    on: Vec<u32>,
}

impl WaitingLists {
    /// Empty lists for a scenario with capacity; `None` without.
    pub fn new(params: &Params) -> Option<Self> {
        if params.capacity_rungs.is_empty() {
            return None;
        }
        let rungs = params.steps.len();
        Some(Self {
            places: params.steps.iter().map(|r| r.capacity).collect(),
            tracked: params.capacity_rungs.clone(),
            lists: vec![VecDeque::new(); rungs],
            waiting: Vec::new(),
            on: vec![0; rungs * rungs],
        })
    }

    /// Read the places of new parameters.
    pub fn apply(&mut self, params: &Params) {
        for (places, rung) in self.places.iter_mut().zip(&params.steps) {
            *places = rung.capacity;
        }
    }

    /// Whether rung `r` has no room, given the cases by place slot.
    fn is_full(&self, r: usize, by_place: &[u32]) -> bool {
        self.places[r].is_some_and(|n| by_place[r + 1] >= n)
    }

    /// The rung the case in slot `i` waits for, if it waits.
    pub fn wanted(&self, i: usize) -> Option<usize> {
        self.waiting
            .get(i)
            .copied()
            .flatten()
            .map(|(w, _)| w as usize)
    }

    /// The case in slot `i`, on rung `on`, joins the end of `w`'s list.
    fn join(&mut self, i: usize, w: usize, on: usize) {
        if self.waiting.len() <= i {
            self.waiting.resize(i + 1, None);
        }
        debug_assert!(self.waiting[i].is_none(), "a case waits for one rung");
        self.waiting[i] = Some((w as u32, on as u32));
        self.lists[w].push_back(i as u32);
        self.on[w * self.places.len() + on] += 1;
    }

    /// The case in slot `i` no longer waits (it moved, closed, aged out or
    /// was admitted).
    fn forget(&mut self, i: usize) {
        let Some((w, on)) = self.waiting.get_mut(i).and_then(Option::take) else {
            return;
        };
        let (w, on) = (w as usize, on as usize);
        let list = &mut self.lists[w];
        let at = list
            .iter()
            .position(|&c| c as usize == i)
            .expect("a waiting case is on its list");
        list.remove(at);
        self.on[w * self.places.len() + on] -= 1;
    }

    /// The longest-waiting case for `w`, if `w` has room and anyone waits.
    fn next_admission(&self, w: usize, by_place: &[u32]) -> Option<usize> {
        if self.is_full(w, by_place) {
            return None;
        }
        self.lists[w].front().map(|&c| c as usize)
    }

    /// Add `dt` years of waiting to the period's tally: child-years by
    /// wanted rung, and what those children cost where they wait (at
    /// `costs`, the price per child-year of each rung, weighted by
    /// `weight`, the discounted length of the interval), in full and above
    /// the price of the rung they wait for.
    pub fn integrate(&self, tally: &mut Tally, dt: f64, weight: f64, costs: &[f64]) {
        let rungs = self.places.len();
        for &w in &self.tracked {
            if self.lists[w].is_empty() {
                continue;
            }
            for (on, &cost) in costs.iter().enumerate() {
                let n = f64::from(self.on[w * rungs + on]);
                if n == 0.0 {
                    continue;
                }
                tally.waiting_years[w] += n * dt;
                tally.waiting_cost[w] += n * cost * weight;
                tally.waiting_extra_cost[w] += n * (cost - costs[w]) * weight;
            }
        }
    }

    /// Record how many wait for each rung just before a period's end.
    pub fn count_end(&self, tally: &mut Tally) {
        for &w in &self.tracked {
            tally.waiting_end[w] = self.lists[w].len() as u64;
        }
    }
}

impl Replication<'_> {
    /// Case `i` needs a place on rung `w` (entry after assessment, a
    /// planned move, or a crisis to another rung). If `w` has room, or no
    /// capacity, it enters `w`. Otherwise the decision is diverted: to the
    /// lowest rung above `w` with room, or, on a move down that would not
    /// go down, nowhere (the case stays, and the caller carries on as if
    /// nothing was decided); either way it then waits for `w`. Returns
    /// whether the case moved.
    pub(super) fn enter_wanted(&mut self, i: usize, w: usize) -> bool {
        let Some(lists) = &self.waiting else {
            self.enter_rung(i, w);
            return true;
        };
        let by_place = self.cases.by_place();
        if !lists.is_full(w, by_place) {
            self.enter_rung(i, w);
            return true;
        }
        let top = self.params.steps.len() - 1;
        let divert = (w + 1..top)
            .find(|&r| !lists.is_full(r, by_place))
            .unwrap_or(top);
        self.ledger.count(|t| t.diverted[w] += 1);
        let from = self.cases.get(i).place;
        let (moves, on) = match from {
            Place::Rung(current) if current > w && divert >= current => (false, current),
            _ => (true, divert),
        };
        if moves {
            let left = self.relocate(i, divert);
            self.waiting_mut().join(i, w, on);
            self.free_place(left);
        } else {
            self.waiting_mut().join(i, w, on);
        }
        moves
    }

    /// Whether case `i` waits for a place (a waiting case does not ask
    /// again: a detected `ready` or a time limit leaves it where it is).
    pub(super) fn is_waiting(&self, i: usize) -> bool {
        self.waiting
            .as_ref()
            .is_some_and(|lists| lists.wanted(i).is_some())
    }

    /// Case `i` leaves its place (moves, closes or ages out): it leaves
    /// any waiting list too.
    pub(super) fn stop_waiting(&mut self, i: usize) {
        if let Some(lists) = &mut self.waiting {
            lists.forget(i);
        }
    }

    /// A case has left `place`: while that rung has room, admit its
    /// longest-waiting cases, at once (after the departure's own effects).
    pub(super) fn free_place(&mut self, place: Place) {
        let (Some(lists), Place::Rung(w)) = (&self.waiting, place) else {
            return;
        };
        if lists.places[w].is_none() && lists.lists[w].is_empty() {
            return;
        }
        self.admit(w);
    }

    /// Admit waiting cases to rung `w` while it has room. An admission is
    /// the planned move that waited: a move down (or up) by direction, and
    /// one of `w`'s admissions. Each admission frees a place where the
    /// case waited, which admits in turn.
    fn admit(&mut self, w: usize) {
        while let Some(i) = self
            .waiting
            .as_ref()
            .and_then(|lists| lists.next_admission(w, self.cases.by_place()))
        {
            self.waiting_mut().forget(i);
            let Place::Rung(from) = self.cases.get(i).place else {
                unreachable!("waiting cases are on rungs")
            };
            self.ledger.count(|t| {
                t.admissions[w] += 1;
                if w < from {
                    t.moves_down += 1;
                } else {
                    t.moves_up += 1;
                }
            });
            self.enter_rung(i, w);
        }
    }

    /// New places from a `[[changes]]` entry: rungs that gained room admit
    /// their waiting cases, in ladder order.
    pub(super) fn reopen_places(&mut self) {
        let Some(lists) = &mut self.waiting else {
            return;
        };
        lists.apply(self.params);
        for k in 0..lists.tracked.len() {
            let w = self.waiting_mut().tracked[k];
            self.admit(w);
        }
    }

    fn waiting_mut(&mut self) -> &mut WaitingLists {
        self.waiting
            .as_mut()
            .expect("only scenarios with capacity have waiting lists")
    }
}
