//! The case histories the records tell: every child's spells in order,
//! checked against each other and against the extract date, with the end
//! reason of every closed spell (given, or derived).
//!
//! Derived end reasons: a spell that ends on the day another spell of the
//! same child starts was a move to that place; one that ends on the
//! child's birthday at the exit age aged out; any other ended spell closed
//! the case. A spell without an end is open at the extract date: it is
//! censored there, not ended.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};

use super::codes::{Codes, Place};
use super::episodes::{EndReason, RawEpisode};
use crate::input::LocatedProblem;

/// A child in the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    /// The identifier the records use.
    pub id: String,
    /// Birth date.
    pub birth: NaiveDate,
}

/// One checked spell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    /// Index into [`History::children`].
    pub child: usize,
    /// Where the child was.
    pub place: Place,
    /// First day.
    pub start: NaiveDate,
    /// Last day (the day of the move or closure); `None` = open at the
    /// extract date.
    pub end: Option<NaiveDate>,
    /// Why it ended; `None` exactly when it is open.
    pub reason: Option<EndReason>,
    /// The spell it moved to (index into [`History::episodes`]), for a move.
    pub next: Option<usize>,
    /// Whether it continues a move (so it does not start a new case).
    pub continues: bool,
}

/// Every child's spells, checked, grouped by child and in time order.
#[derive(Debug, Clone)]
pub struct History {
    /// The children, in order of first appearance in the records.
    pub children: Vec<Child>,
    /// The spells, grouped by child, each child's in order of start.
    pub episodes: Vec<Episode>,
    /// The day the records were taken: open spells are censored here.
    pub extract: NaiveDate,
    /// Age at which cases end (years).
    pub exit_age: f64,
}

/// Years between two dates (365.25 days a year).
pub fn years_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / 365.25
}

/// The day a child born on `birth` reaches `age` years (whole months; a
/// 29 February birthday falls on 28 February).
pub fn birthday(birth: NaiveDate, age: f64) -> NaiveDate {
    birth
        .checked_add_months(Months::new((age * 12.0).round() as u32))
        .unwrap_or(NaiveDate::MAX)
}

impl History {
    /// The child's age in years on `date`.
    pub fn age(&self, child: usize, date: NaiveDate) -> f64 {
        years_between(self.children[child].birth, date)
    }

    /// The day the child reaches the exit age (its case ends then).
    pub fn exit_day(&self, child: usize) -> NaiveDate {
        birthday(self.children[child].birth, self.exit_age)
    }

    /// The first day the records can be taken as complete: the first day
    /// any spell ends (or, when none has ended, the first spell's start).
    /// An extract usually holds the children with a spell open on or after
    /// the day its system started: spells that began earlier are there
    /// only because they were still open then (left truncation), and
    /// counting from their starts would spread the referrals of a few
    /// years over decades. Before the first recorded end nothing can have
    /// closed, so that day is a safe default start of the observation
    /// window; in complete records it is only days or weeks after the
    /// first start.
    pub fn complete_from(&self) -> Option<NaiveDate> {
        let first_end = self.episodes.iter().filter_map(|e| e.end).min();
        first_end.or_else(|| self.episodes.iter().map(|e| e.start).min())
    }

    /// The records as they stood on `day`, as if extracted then: spells
    /// that start later are dropped and spells that end later are open
    /// (censored at `day`). Children keep their indices (follow-ups refer
    /// to them), so a child first seen later is still listed, with no
    /// spell. A backtest fits on this history, so nothing after `day` can
    /// leak into the fit.
    pub fn as_of(&self, day: NaiveDate) -> History {
        let mut episode_index = vec![None; self.episodes.len()];
        let mut kept = 0;
        for (i, e) in self.episodes.iter().enumerate() {
            if e.start <= day {
                episode_index[i] = Some(kept);
                kept += 1;
            }
        }
        let episodes = self
            .episodes
            .iter()
            .filter(|e| e.start <= day)
            .map(|e| {
                let ended = e.end.filter(|&end| end <= day);
                Episode {
                    end: ended,
                    reason: ended.and(e.reason),
                    // A move ends on the day its next spell starts, so a
                    // move that ended by `day` leads to a kept spell.
                    next: ended
                        .and(e.next)
                        .map(|n| episode_index[n].expect("the next spell starts by day")),
                    ..e.clone()
                }
            })
            .collect();
        History {
            children: self.children.clone(),
            episodes,
            extract: day.min(self.extract),
            exit_age: self.exit_age,
        }
    }

    /// Check `raw` episodes and assemble them. Problems go to `problems`;
    /// `codes` is `None` when the codes file itself was wrong (codes are
    /// then not checked). The history is only meaningful when no problem
    /// was found.
    pub fn assemble(
        raw: &[RawEpisode],
        codes: Option<&Codes>,
        extract: NaiveDate,
        exit_age: f64,
        problems: &mut Vec<LocatedProblem>,
    ) -> History {
        let mut by_child: HashMap<&str, usize> = HashMap::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut first_of: Vec<usize> = Vec::new();
        // Unknown code → (first row using it, rows using it): one problem
        // per code, not one per row (a missing line in the codes file
        // would otherwise bury every other problem).
        let mut unknown: HashMap<&str, (usize, usize)> = HashMap::new();
        for (i, e) in raw.iter().enumerate() {
            let after = |date: Option<NaiveDate>, what: &str| {
                date.filter(|d| *d > extract)
                    .map(|d| format!("{what} {d} is after the extract date {extract}"))
            };
            if let Some(m) = after(e.birth, "the birth date") {
                problems.push(e.at.birth.problem(m));
            }
            if let Some(m) = after(e.start, "the start") {
                problems.push(e.at.start.problem(m));
            }
            if let Some(m) = after(e.end, "the end") {
                problems.push(e.at.end.problem(m));
            }
            if let (Some(s), Some(end)) = (e.start, e.end)
                && end < s
            {
                problems.push(
                    e.at.end
                        .problem(format!("the spell ends ({end}) before it starts ({s})")),
                );
            }
            if let (Some(s), Some(b)) = (e.start, e.birth)
                && s < b
            {
                problems.push(e.at.start.problem(format!(
                    "the spell starts ({s}) before the birth date ({b})"
                )));
            }
            if e.end.is_none() && e.reason.is_some() {
                problems.push(
                    e.at.reason
                        .problem("an open spell (no end date) has no end reason: leave it empty"),
                );
            }
            if let Some(codes) = codes
                && !e.code.is_empty()
                && codes.place(&e.code).is_none()
            {
                unknown.entry(e.code.as_str()).or_insert((i, 0)).1 += 1;
            }
            if e.child.is_empty() {
                continue;
            }
            let k = *by_child.entry(&e.child).or_insert_with(|| {
                members.push(Vec::new());
                first_of.push(i);
                members.len() - 1
            });
            members[k].push(i);
        }
        let mut unknown: Vec<(&str, (usize, usize))> = unknown.into_iter().collect();
        unknown.sort_by_key(|(_, (first, _))| *first);
        for (code, (first, rows)) in unknown {
            let also = match rows {
                1 => String::new(),
                n => format!(" ({n} rows use it; this is the first)"),
            };
            problems.push(raw[first].at.place.problem(format!(
                "unknown place code {code:?}: the codes file does not map it{also}"
            )));
        }

        let mut children = Vec::with_capacity(members.len());
        let mut episodes = Vec::with_capacity(raw.len());
        for (k, list) in members.iter_mut().enumerate() {
            let first = &raw[first_of[k]];
            // The birth date: the first valid one; others must agree.
            let birth = list.iter().find_map(|&i| raw[i].birth);
            for &i in list.iter() {
                if let (Some(b), Some(b0)) = (raw[i].birth, birth)
                    && b != b0
                {
                    let at = list.iter().find(|&&j| raw[j].birth == Some(b0)).copied();
                    problems.push(raw[i].at.birth.problem(format!(
                        "child {}: the birth date {b} differs from {b0}{}",
                        raw[i].child,
                        at.map(|j| format!(" at {}", raw[j].at.birth.location))
                            .unwrap_or_default()
                    )));
                }
            }
            list.sort_by_key(|&i| (raw[i].start, raw[i].end.is_none(), raw[i].end));
            for pair in list.windows(2) {
                let (a, b) = (&raw[pair[0]], &raw[pair[1]]);
                let (Some(a_start), Some(b_start)) = (a.start, b.start) else {
                    continue;
                };
                let overlaps = match a.end {
                    None => true,
                    Some(a_end) => a_end > b_start,
                };
                if overlaps {
                    problems.push(b.at.start.problem(format!(
                        "child {}: this spell (from {b_start}) overlaps the spell at {} ({} to {}); \
                         spells of one child must not overlap",
                        b.child,
                        a.at.start.location,
                        a_start,
                        a.end.map_or("open".to_string(), |d| d.to_string())
                    )));
                }
            }
            let Some(birth) = birth else { continue };
            let child = children.len();
            children.push(Child {
                id: first.child.clone(),
                birth,
            });
            let base = episodes.len();
            let valid: Vec<usize> = list
                .iter()
                .copied()
                .filter(|&i| {
                    raw[i].start.is_some() && codes.and_then(|c| c.place(&raw[i].code)).is_some()
                })
                .collect();
            for (n, &i) in valid.iter().enumerate() {
                let e = &raw[i];
                let follower = valid
                    .get(n + 1)
                    .filter(|&&j| e.end.is_some() && raw[j].start == e.end)
                    .map(|_| base + n + 1);
                let reason = e.end.map(|end| match e.reason {
                    Some(given) => given,
                    None if follower.is_some() => EndReason::Moved,
                    None if end == birthday(birth, exit_age) => EndReason::AgedOut,
                    None => EndReason::Closed,
                });
                if reason == Some(EndReason::Moved) && follower.is_none() {
                    problems.push(e.at.reason.problem(format!(
                        "child {}: the end reason is moved, but no spell of this child starts on {}",
                        e.child,
                        e.end.expect("an ended spell")
                    )));
                }
                let continues = n > 0
                    && episodes
                        .last()
                        .is_some_and(|p: &Episode| p.next == Some(base + n));
                episodes.push(Episode {
                    child,
                    place: codes
                        .and_then(|c| c.place(&e.code))
                        .expect("filtered on a known code"),
                    start: e.start.expect("filtered on a start"),
                    end: e.end,
                    reason,
                    next: follower.filter(|_| reason == Some(EndReason::Moved)),
                    continues,
                });
            }
        }
        History {
            children,
            episodes,
            extract,
            exit_age,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Source, Table};
    use crate::records::codes::Places;
    use crate::records::episodes::read_generic;

    fn history(text: &str) -> (History, Vec<LocatedProblem>) {
        let places = Places {
            rungs: vec!["prevention".into(), "foster".into()],
        };
        let codes = Codes::parse(
            &Source::from_text(
                "c.toml",
                "A = \"assessment\"\nP = \"prevention\"\nF = \"foster\"\n",
            ),
            &places,
        )
        .unwrap();
        let (table, mut problems) = Table::parse(Source::from_text("e.csv", text));
        let raw = read_generic(&table, &mut problems);
        let extract = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        let h = History::assemble(&raw, Some(&codes), extract, 18.0, &mut problems);
        (h, problems)
    }

    #[test]
    fn end_reasons_are_derived() {
        let (h, problems) = history(
            "child_id,birth_date,place,start,end
x,2005-03-01,F,2020-01-01,2023-03-01
y,2010-01-01,A,2020-01-01,2020-02-01
y,2010-01-01,P,2020-02-01,2021-01-01
y,2010-01-01,P,2021-01-01,2022-01-01
y,2010-01-01,F,2022-05-01,
",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let reasons: Vec<Option<EndReason>> = h.episodes.iter().map(|e| e.reason).collect();
        use EndReason::*;
        // x ends on its 18th birthday; y moves twice (the second time to
        // the same place), closes, and comes back as a new case.
        assert_eq!(
            reasons,
            [Some(AgedOut), Some(Moved), Some(Moved), Some(Closed), None]
        );
        let continues: Vec<bool> = h.episodes.iter().map(|e| e.continues).collect();
        assert_eq!(continues, [false, false, true, true, false]);
        assert_eq!(h.episodes[1].next, Some(2));
        assert_eq!(h.exit_day(0), NaiveDate::from_ymd_opt(2023, 3, 1).unwrap());
    }

    #[test]
    fn the_records_as_of_a_day_drop_later_spells_and_censor_later_ends() {
        let (h, problems) = history(
            "child_id,birth_date,place,start,end
x,2005-03-01,F,2020-01-01,2021-06-01
y,2010-01-01,A,2020-01-01,2020-02-01
y,2010-01-01,P,2020-02-01,2021-01-01
y,2010-01-01,F,2021-01-01,
z,2012-01-01,P,2022-01-01,
",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let day = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        let past = h.as_of(day);
        assert_eq!(past.extract, day);
        // z has no spell by then (but keeps its index); x's end is after
        // the day: open.
        assert_eq!(past.children, h.children);
        assert_eq!(past.episodes.len(), 4);
        let ends: Vec<Option<NaiveDate>> = past.episodes.iter().map(|e| e.end).collect();
        assert_eq!(ends, [None, h.episodes[1].end, Some(day), None]);
        assert_eq!(past.episodes[0].reason, None);
        // y's move into foster on the day itself is kept, with its link.
        assert_eq!(past.episodes[2].reason, Some(EndReason::Moved));
        assert_eq!(past.episodes[2].next, Some(3));
        assert!(past.episodes[3].continues);
        // Open cases on the day agree with the full records.
        assert_eq!(
            crate::records::open_cases::open_on(&past, day),
            crate::records::open_cases::open_on(&h, day)
        );
    }

    #[test]
    fn a_given_reason_wins_over_the_derived_one() {
        let (h, problems) = history(
            "child_id,birth_date,place,start,end,end_reason
y,2010-01-01,P,2020-02-01,2021-01-01,closed
y,2010-01-01,F,2021-01-01,,
",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(h.episodes[0].reason, Some(EndReason::Closed));
        assert_eq!(h.episodes[0].next, None);
        assert!(
            !h.episodes[1].continues,
            "a closed case that reopens is a new case"
        );
    }
}
