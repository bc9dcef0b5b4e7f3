//! Placement capacity (docs/model.md, "Placement capacity"): a rung with
//! `capacity = N` has N places. A child who needs a place on a full rung W
//! is *diverted* to the lowest rung above W with room (the top rung is the
//! last resort and never full) or, on a move down, stays where it is; then
//! it waits for W in a first-come, first-served list. When W has room again
//! (a case leaves it, or `[[changes]]` raise its places) the longest-waiting
//! case is admitted at once.
//!
//! `waiting_lists.rs` holds the state ([`WaitingLists`]); this file holds
//! the rules. A scenario without capacity has no waiting lists at all
//! (`Replication::waiting` is `None`): every rule asks that one `Option`
//! and does nothing more, so such scenarios pay nothing.

use super::case::Place;
use super::replication::Replication;
use super::waiting_lists::WaitingLists;
use crate::transitions::{Kind, Origin, Target};

impl Replication<'_> {
    /// Case `i` needs a place on rung `w` (entry after assessment, a
    /// planned move, or a crisis to another rung). If `w` has room, or no
    /// capacity, it enters `w`. Otherwise the decision is diverted: to the
    /// lowest rung above `w` with room, or, on a move down that would not
    /// go down, nowhere (the case stays, and the caller carries on as if
    /// nothing was decided); either way it then waits for `w`. Returns
    /// the rung the case entered, or `None` when it stayed.
    pub(super) fn enter_wanted(&mut self, i: usize, w: usize) -> Option<usize> {
        let Some(lists) = &self.waiting else {
            self.enter_rung(i, w);
            return Some(w);
        };
        let by_place = self.cases.by_place();
        if !lists.is_full(w, by_place) {
            self.enter_rung(i, w);
            return Some(w);
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
            Some(divert)
        } else {
            self.waiting_mut().join(i, w, on);
            None
        }
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
            self.ledger
                .record(Origin::Rung(from), Target::Rung(w), Kind::Admission);
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

/// The invariants of placement capacity, checked after every event when
/// the unit tests run the model (`replication.rs`).
#[cfg(test)]
impl Replication<'_> {
    /// `before`: the cases by place slot before the event. A rung never
    /// gains cases beyond its places (over them only from the start state
    /// or a cut in places, and then it only falls); a waiting list holds
    /// only open cases, each once, above the rung it waits for, and only
    /// while that rung is full; counts add up.
    pub(super) fn check_places(&self, before: &[u32]) {
        let Some(lists) = &self.waiting else {
            return;
        };
        let by_place = self.cases.by_place();
        let open: u64 = by_place.iter().map(|&n| u64::from(n)).sum();
        assert_eq!(open, self.cases.open(), "every open case has one place");
        for (r, places) in lists.places.iter().enumerate() {
            if let Some(n) = *places {
                let (now, was) = (by_place[r + 1], before[r + 1]);
                assert!(
                    now <= n || now <= was,
                    "rung {r} gained cases beyond its {n} places: {was} -> {now}"
                );
            }
        }
        let places: std::collections::HashMap<usize, Place> = self.cases.places().collect();
        let rungs = lists.places.len();
        let mut on = vec![0; lists.on.len()];
        let mut waiting = 0;
        for (w, list) in lists.lists.iter().enumerate() {
            if !list.is_empty() {
                assert!(
                    lists.is_full(w, by_place),
                    "rung {w} has room, yet cases wait"
                );
            }
            for &c in list {
                let c = c as usize;
                let Some(&Place::Rung(r)) = places.get(&c) else {
                    panic!("case {c} waits for rung {w} but is not open on a rung");
                };
                assert!(
                    r > w,
                    "case {c} waits for rung {w} on rung {r}, not above it"
                );
                assert_eq!(lists.waiting[c], Some((w as u32, r as u32)));
                on[w * rungs + r] += 1;
                waiting += 1;
            }
        }
        assert_eq!(on, lists.on, "waiting counts by rung");
        assert_eq!(
            lists.waiting.iter().flatten().count(),
            waiting,
            "each waiting case is on exactly one list, once"
        );
    }
}

#[cfg(test)]
mod tests {
    //! The rules on paper: a four-rung ladder, driven rule by rule, with
    //! every place, list and count checked after each step.

    use super::*;
    use crate::metrics::Layout;
    use crate::model::case::Latent;
    use crate::scenario::Scenario;

    /// `home`, `foster` (1 place), `residential` (1 place), `institution`
    /// (the top rung). Start: two cases at home, one in foster care, two in
    /// an institution. At 1 year a change gives foster care 2 places.
    const LADDER: &str = r#"
[scenario]
name = "places"
start = 2024-01-01
horizon_years = 2.0
[[steps]]
id = "home"
[[steps]]
id = "foster"
placement = true
capacity = 1
cost_per_year = 100.0
[[steps]]
id = "residential"
placement = true
capacity = 1
cost_per_year = 300.0
[[steps]]
id = "institution"
placement = true
cost_per_year = 1000.0
[follow_up]
detection = 1.0
[initial]
home = 2
foster = 1
institution = 2
[[changes]]
at_years = 1.0
set = { "steps.foster.capacity" = 2 }
"#;

    const FOSTER: usize = 1;
    const RESIDENTIAL: usize = 2;
    const INSTITUTION: usize = 3;

    fn rung(rep: &Replication<'_>, i: usize) -> usize {
        match rep.cases.get(i).place {
            Place::Rung(r) => r,
            Place::Assessment => panic!("case {i} is under assessment"),
        }
    }

    fn list(rep: &Replication<'_>, w: usize) -> Vec<usize> {
        let lists = rep.waiting.as_ref().expect("capacity");
        lists.lists[w].iter().map(|&c| c as usize).collect()
    }

    /// (admissions, diverted) for rung `w`, and moves down, this period.
    fn counts(rep: &mut Replication<'_>, w: usize) -> (u64, u64, u64) {
        let mut out = (0, 0, 0);
        rep.ledger
            .count(|t| out = (t.admissions[w], t.diverted[w], t.moves_down));
        out
    }

    #[test]
    fn diversion_stay_fifo_leaving_and_admission_on_paper() {
        let scenario = Scenario::from_toml_str("places", LADDER, &[]).unwrap();
        let layout = Layout::new(&scenario.params);
        assert_eq!(scenario.params.capacity_rungs, [FOSTER, RESIDENTIAL]);
        let mut rep = Replication::new(&scenario, &layout, 0);
        rep.ledger
            .boundary(0, 0.0, rep.params, &rep.cases, rep.waiting.as_ref());
        rep.place_initial_cases();
        // Slots in placement order: home h1 h2, foster a, institution b c.
        let (h1, h2, a, b, c) = (0, 1, 2, 3, 4);
        assert_eq!(rep.cases.by_place(), [0, 2, 1, 0, 2]);

        // 1. h1 needs foster care: full, so the lowest rung above with
        //    room, residential; it waits for foster care.
        assert!(rep.enter_wanted(h1, FOSTER).is_some());
        assert_eq!(rung(&rep, h1), RESIDENTIAL);
        assert_eq!(list(&rep, FOSTER), [h1]);
        assert_eq!(counts(&mut rep, FOSTER), (0, 1, 0));

        // 2. b is ready to step down to foster care: foster and
        //    residential are full, the diversion would be the institution
        //    it is on, so it stays, and waits.
        assert!(rep.enter_wanted(b, FOSTER).is_none());
        assert_eq!(rung(&rep, b), INSTITUTION);
        assert_eq!(list(&rep, FOSTER), [h1, b]);

        // 3. A waiting case does not ask again: b's next follow-up sees
        //    `ready`, and b stays where it is, counted nowhere.
        rep.cases.set_latent(b, Latent::Ready);
        rep.complete_follow_up(b, 0.0);
        assert_eq!(rung(&rep, b), INSTITUTION);
        assert_eq!(list(&rep, FOSTER), [h1, b]);
        assert_eq!(counts(&mut rep, FOSTER), (0, 2, 0));
        rep.cases.set_latent(b, Latent::Fit);

        // 4. c wants residential (full): stays, waits for residential.
        assert!(rep.enter_wanted(c, RESIDENTIAL).is_none());
        assert_eq!(list(&rep, RESIDENTIAL), [c]);
        assert_eq!(counts(&mut rep, RESIDENTIAL), (0, 1, 0));

        // 5. h2 needs foster care: foster and residential full, so the
        //    institution; it waits behind h1 and b.
        assert!(rep.enter_wanted(h2, FOSTER).is_some());
        assert_eq!(rung(&rep, h2), INSTITUTION);
        assert_eq!(list(&rep, FOSTER), [h1, b, h2]);
        assert_eq!(rep.cases.by_place(), [0, 0, 1, 1, 3]);

        // 6. b has a crisis (a new placement on the top rung): a move, so
        //    it leaves the list.
        rep.enter_rung(b, INSTITUTION);
        assert_eq!(list(&rep, FOSTER), [h1, h2]);

        // 7. a's case closes: foster care has room and admits h1, the
        //    longest waiting; h1 leaves residential, which admits c.
        rep.end_case(a);
        assert_eq!(rung(&rep, h1), FOSTER);
        assert_eq!(rung(&rep, c), RESIDENTIAL);
        assert_eq!(list(&rep, FOSTER), [h2]);
        assert!(list(&rep, RESIDENTIAL).is_empty());
        assert_eq!(counts(&mut rep, FOSTER), (1, 3, 2));
        assert_eq!(counts(&mut rep, RESIDENTIAL), (1, 1, 2));

        // 8. h2 closes while it waits: it leaves the list.
        rep.end_case(h2);
        assert!(list(&rep, FOSTER).is_empty());

        // 9. b (still in the institution) is ready for foster care again:
        //    full, stays, waits alone.
        assert!(rep.enter_wanted(b, FOSTER).is_none());
        assert_eq!(list(&rep, FOSTER), [b]);

        // 10. The change gives foster care a second place: b is admitted
        //     at once.
        rep.change(0);
        assert_eq!(rung(&rep, b), FOSTER);
        assert!(list(&rep, FOSTER).is_empty());
        assert_eq!(counts(&mut rep, FOSTER), (2, 4, 3));
        assert_eq!(rep.cases.by_place(), [0, 0, 2, 1, 0]);
        rep.check_places(&[0, 0, 2, 1, 0]);
    }

    #[test]
    fn waiting_costs_what_the_rung_it_waits_on_costs() {
        let scenario = Scenario::from_toml_str("places", LADDER, &[]).unwrap();
        let layout = Layout::new(&scenario.params);
        let mut rep = Replication::new(&scenario, &layout, 0);
        rep.ledger
            .boundary(0, 0.0, rep.params, &rep.cases, rep.waiting.as_ref());
        rep.place_initial_cases();
        // b steps down from the institution to residential care (300 a
        // year), the lowest rung with room, and waits for foster care (100).
        assert!(rep.enter_wanted(3, FOSTER).is_some());
        let lists = rep.waiting.as_ref().unwrap();
        let (mut years, mut cost, mut extra) = ([0.0; 4], [0.0; 4], [0.0; 4]);
        let prices = [0.0, 100.0, 300.0, 1000.0];
        lists.integrate([&mut years, &mut cost, &mut extra], 0.5, 0.5, &prices);
        assert_eq!(years, [0.0, 0.5, 0.0, 0.0]);
        assert_eq!(cost[FOSTER], 150.0);
        assert_eq!(extra[FOSTER], 100.0);
    }

    /// A random small ladder with places on some rungs (0 to 3, the start
    /// state possibly over them), follow-ups, hazards, referrals, and a
    /// change of places halfway.
    fn random_ladder(
        rungs: usize,
        places: &[Option<u32>],
        initial: &[u32],
        rates: &[f64],
        later: u32,
        seed: u64,
    ) -> String {
        let mut text = format!(
            "[scenario]\nname = \"p\"\nstart = 2024-01-01\nhorizon_years = 3.0\n\
             period = \"quarter\"\nseed = {seed}\n"
        );
        for r in 0..rungs {
            let x = |k: usize| rates[(r * 5 + k) % rates.len()];
            text += &format!(
                "[[steps]]\nid = \"r{r}\"\nplacement = true\ncost_per_year = {}\n\
                 follow_up = {{ first_weeks = {}, every_weeks = {} }}\n\
                 latent = {{ improve = {}, worsen = {}, relapse = 1.0, crisis = {} }}\n\
                 exit = {{ close = {} }}\n",
                100.0 * (r + 1) as f64,
                1.0 + 10.0 * x(0),
                2.0 + 10.0 * x(1),
                4.0 * x(2),
                2.0 * x(3),
                4.0 * x(4),
                0.3 * x(0),
            );
            if let Some(n) = places[r].filter(|_| r + 1 < rungs) {
                text += &format!("capacity = {n}\n");
            }
        }
        text += "[follow_up]\ndetection = 0.8\n[intake]\nreferrals_per_year = 20.0\n\
                 age_max = 16.0\nentry = { ";
        let share = 1.0 / rungs as f64;
        let entry: Vec<String> = (0..rungs).map(|r| format!("r{r} = {share}")).collect();
        text += &entry.join(", ");
        text += " }\n[initial]\n";
        for (r, n) in initial.iter().take(rungs).enumerate() {
            text += &format!("r{r} = {n}\n");
        }
        if places[0].is_some() && rungs > 1 {
            text += &format!(
                "[[changes]]\nat_years = 1.5\nset = {{ \"steps.r0.capacity\" = {later} }}\n"
            );
        }
        text
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 48,
            rng_seed: proptest::test_runner::RngSeed::Fixed(10),
            ..proptest::test_runner::Config::default()
        })]

        /// Every event of random runs keeps the invariants of
        /// [`Replication::check_places`].
        #[test]
        fn places_are_never_overfilled_and_lists_stay_consistent(
            rungs in 2usize..=4,
            places in proptest::collection::vec(proptest::option::of(0u32..4), 4),
            initial in proptest::collection::vec(0u32..6, 4),
            rates in proptest::collection::vec(0.0..1.0f64, 7),
            later in 0u32..5,
            seed in 0u64..1000,
        ) {
            let text = random_ladder(rungs, &places, &initial, &rates, later, seed);
            let scenario = Scenario::from_toml_str("p", &text, &[]).unwrap();
            let layout = Layout::new(&scenario.params);
            for replication in 0..3 {
                // check_places runs after every event (replication.rs).
                let out = crate::model::simulate(&scenario, &layout, replication);
                proptest::prop_assert!(out.values.iter().all(|v| v.is_finite()));
            }
        }
    }
}
