//! Placement capacity's state (docs/model.md, "Placement capacity"): the
//! places of each rung and who waits for which rung, first come, first
//! served. The rules that fill and empty the lists are in `capacity.rs`;
//! the ledger integrates waiting time and its cost from here.

use std::collections::VecDeque;

use crate::scenario::Params;

/// Who waits for which rung, and how many places each rung has.
#[derive(Debug, Clone)]
pub struct WaitingLists {
    /// Places by rung from the parameters in force (`None`: no limit).
    pub(super) places: Vec<Option<u32>>,
    /// The rungs whose places are counted (see [`Params::capacity_rungs`]).
    pub(super) tracked: Vec<usize>,
    /// First come, first served: the case slots waiting for each rung.
    pub(super) lists: Vec<VecDeque<u32>>,
    /// By case slot: the rung it waits for and the rung it waits on.
    pub(super) waiting: Vec<Option<(u32, u32)>>,
    /// Waiting cases by wanted rung × the rung they wait on (row-major):
    /// what the ledger integrates into waiting child-years and costs.
    pub(super) on: Vec<u32>,
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
    pub(super) fn is_full(&self, r: usize, by_place: &[u32]) -> bool {
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
    pub(super) fn join(&mut self, i: usize, w: usize, on: usize) {
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
    pub(super) fn forget(&mut self, i: usize) {
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
    pub(super) fn next_admission(&self, w: usize, by_place: &[u32]) -> Option<usize> {
        if self.is_full(w, by_place) {
            return None;
        }
        self.lists[w].front().map(|&c| c as usize)
    }

    /// Add `dt` years of waiting to a period's accumulators, by wanted
    /// rung: `years` (child-years) and what those children cost where they
    /// wait, in full (`cost`) and above the price of the rung they wait
    /// for (`extra`), at `prices` (per child-year of each rung), weighted
    /// by `weight` (the discounted length of the interval).
    pub fn integrate(
        &self,
        [years, cost, extra]: [&mut [f64]; 3],
        dt: f64,
        weight: f64,
        prices: &[f64],
    ) {
        let rungs = self.places.len();
        for &w in &self.tracked {
            if self.lists[w].is_empty() {
                continue;
            }
            for (on, &price) in prices.iter().enumerate() {
                let n = f64::from(self.on[w * rungs + on]);
                if n == 0.0 {
                    continue;
                }
                years[w] += n * dt;
                cost[w] += n * price * weight;
                extra[w] += n * (price - prices[w]) * weight;
            }
        }
    }

    /// Write how many wait for each rung (just before a period's end)
    /// into `out`, by rung.
    pub fn count_end(&self, out: &mut [u64]) {
        for &w in &self.tracked {
            out[w] = self.lists[w].len() as u64;
        }
    }
}
