//! Simulated case records: one replication of a scenario as the case
//! records it would leave (docs/model.md section 5). Records of a run
//! whose parameters are known are what fitting and backtesting are
//! checked on, and `trappe run --records` writes them in the format
//! `trappe fit` reads.
//!
//! The replication's [`CaseLog`] (model time) becomes records as follows:
//!
//! * **Days.** Model time *t* is the day `start` + round((*t* −
//!   `warmup_years`) × 365.25) ([`day_at`]): warm-up spells keep their
//!   (earlier) dates, and spells of start-state cases begin before the
//!   first day of the run. The extract date is the end of the run,
//!   `start` + round(`horizon_years` × 365.25) days; spells open then
//!   have no end.
//! * **Spells shorter than a day** are written as starting and ending on
//!   the same day. Rounding never puts a later time on an earlier day, so
//!   such a spell never overlaps its neighbours: the one before ends the
//!   day it starts, the one after starts the day it ends. Each child's
//!   spells are written in the order they happened, and the reader's sort
//!   of spells by day is stable, so even several moves on one day read
//!   back in order.
//! * **Birth dates** are the day that makes the reader's exit birthday
//!   (birth + `exit_age` in calendar months, [`super::history::birthday`]) the day the
//!   model ages the child out: calendar years and years of 365.25 days
//!   differ by a day or so over 18 years, and with the birth date read
//!   off the model's birth time alone half the children would age out a
//!   day past their birthday and their ageing out would not count.
//!   Within two days of the model's birth time; never after the child's
//!   first spell (a child whose exit birthday is a 29 February ages out a
//!   day after the reader's birthday: such spells run past the exit age).
//! * **End reasons** are always written for ended spells (`moved`,
//!   `closed`, `aged_out`), and children are `c1`, `c2`, … in order of
//!   first appearance.
//! * **Codes** map `assessment` and every rung id to itself.
//!
//! The records are assembled by the reader's own [`History::assemble`],
//! so simulated and real records pass the same checks and derive
//! nothing differently.

use std::fs;
use std::io;
use std::path::Path;

use chrono::{Months, NaiveDate};

use super::codes::{Codes, Place, Places};
use super::episodes::{EndReason, EpisodeCells, OPTIONAL, REQUIRED, RawEpisode};
use super::follow_ups::{self, FollowUp};
use super::history::History;
use crate::metrics::Layout;
use crate::model::{self, CaseLog, SpellEnd, parameter_draws, simulate_with_log};
use crate::results::csv::{csv_writer, finish_csv};
use crate::scenario::Scenario;
use crate::scenario::dates::day_at;

/// The episodes file of simulated records.
pub const EPISODES_CSV: &str = "episodes.csv";
/// The follow-ups file of simulated records.
pub const FOLLOW_UPS_CSV: &str = "follow_ups.csv";
/// The codes file of simulated records (every place under its own name).
pub const CODES_TOML: &str = "codes.toml";

/// One replication's case records.
#[derive(Debug, Clone)]
pub struct SimulatedRecords {
    /// Every child's spells, checked as the reader checks real records.
    pub history: History,
    /// Every completed follow-up, by child and date.
    pub follow_ups: Vec<FollowUp>,
    /// The ladder's places.
    pub places: Places,
}

/// Replication `replication` of `scenario` as the case records it would
/// leave: the same run as replication `replication` of `trappe run` (with
/// its drawn parameter values, under `[uncertainty]`).
pub fn simulate_records(scenario: &Scenario, replication: u64) -> SimulatedRecords {
    let layout = Layout::new(&scenario.params);
    let drawn = parameter_draws::scenario_for(scenario, replication);
    let (_, log) = simulate_with_log(drawn.as_ref().unwrap_or(scenario), &layout, replication);
    SimulatedRecords::from_log(scenario, &log)
}

impl SimulatedRecords {
    /// The records a case log of `scenario` shows (see the module
    /// documentation for the dates). A log that the reader would refuse
    /// is a bug of the log, and panics with the reader's problem.
    pub fn from_log(scenario: &Scenario, log: &CaseLog) -> Self {
        let s = scenario.settings();
        let day = |t: f64| day_at(scenario.start, t - s.warmup_years);
        let extract = day(s.warmup_years + s.horizon_years);
        let places = Places::of(scenario);
        // Each child's spells in the order they began, children in order
        // of first appearance (a stable sort by child).
        let mut order: Vec<usize> = (0..log.spells.len()).collect();
        order.sort_by_key(|&k| log.spells[k].child);
        let mut births: Vec<Option<NaiveDate>> = vec![None; log.born.len()];
        let raw: Vec<RawEpisode> = order
            .iter()
            .enumerate()
            .map(|(row, &k)| {
                let spell = &log.spells[k];
                let start = day(spell.start);
                let birth = *births[spell.child].get_or_insert_with(|| {
                    birth_date(day(log.born[spell.child] + s.exit_age), s.exit_age).min(start)
                });
                RawEpisode {
                    child: child_id(spell.child),
                    birth: Some(birth),
                    code: places.name(place(spell.place)).to_string(),
                    start: Some(start),
                    end: spell.end.map(|(t, _)| day(t)),
                    reason: spell.end.map(|(_, why)| reason(why)),
                    at: EpisodeCells::written(EPISODES_CSV, row),
                }
            })
            .collect();
        let mut problems = Vec::new();
        let codes = Codes::identity(&places);
        let history = History::assemble(&raw, Some(&codes), extract, s.exit_age, &mut problems);
        if let Some(p) = problems.first() {
            panic!("the case log makes records the reader refuses: {p}");
        }
        let mut follow_ups: Vec<FollowUp> = log
            .follow_ups
            .iter()
            .map(|f| FollowUp {
                child: f.child,
                date: day(f.at),
            })
            .collect();
        follow_ups.sort();
        Self {
            history,
            follow_ups,
            places,
        }
    }

    /// Write the records to the folder `dir` (which must exist):
    /// `episodes.csv`, `follow_ups.csv` and `codes.toml`, as `trappe fit`
    /// reads them.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let h = &self.history;
        let mut w = csv_writer(&dir.join(EPISODES_CSV))?;
        w.write_record(REQUIRED.iter().chain(&OPTIONAL))?;
        for e in &h.episodes {
            let child = &h.children[e.child];
            w.write_record([
                child.id.as_str(),
                &child.birth.to_string(),
                self.places.name(e.place),
                &e.start.to_string(),
                &e.end.map_or_else(String::new, |d| d.to_string()),
                e.reason.map_or("", EndReason::word),
            ])?;
        }
        finish_csv(w)?;
        let mut w = csv_writer(&dir.join(FOLLOW_UPS_CSV))?;
        w.write_record(follow_ups::COLUMNS)?;
        for f in &self.follow_ups {
            w.write_record([h.children[f.child].id.as_str(), &f.date.to_string()])?;
        }
        finish_csv(w)?;
        fs::write(dir.join(CODES_TOML), self.places.identity_codes())
    }
}

/// The records' id of the log's child `child`.
fn child_id(child: usize) -> String {
    format!("c{}", child + 1)
}

/// The birth date whose exit birthday ([`super::history::birthday`]) is `exit_day`
/// (except when `exit_day` is a 29 February).
fn birth_date(exit_day: NaiveDate, exit_age: f64) -> NaiveDate {
    exit_day
        .checked_sub_months(Months::new((exit_age * 12.0).round() as u32))
        .unwrap_or(NaiveDate::MIN)
}

/// A model place as a records place.
fn place(p: model::Place) -> Place {
    match p {
        model::Place::Assessment => Place::Assessment,
        model::Place::Rung(r) => Place::Rung(r),
    }
}

/// A logged spell end as a records end reason.
fn reason(end: SpellEnd) -> EndReason {
    match end {
        SpellEnd::Moved => EndReason::Moved,
        SpellEnd::Closed => EndReason::Closed,
        SpellEnd::AgedOut => EndReason::AgedOut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::history::birthday;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_exit_birthday_is_the_day_of_ageing_out() {
        for exit_day in [d(2031, 3, 1), d(2031, 2, 28), d(2030, 12, 31)] {
            let birth = birth_date(exit_day, 18.0);
            assert_eq!(birthday(birth, 18.0), exit_day);
        }
        assert_eq!(birth_date(d(2031, 3, 1), 18.0), d(2013, 3, 1));
    }

    /// A log on paper, two years of warm-up: a same-day move chain, an
    /// open start-state spell begun before the run, ageing out.
    #[test]
    fn a_log_becomes_records_the_reader_accepts() {
        let text = "[scenario]\nname = \"t\"\nstart = 2020-01-01\nhorizon_years = 1.0\n\
                    warmup_years = 2.0\n\n[[steps]]\nid = \"home\"\n\n[[steps]]\n\
                    id = \"foster\"\nplacement = true\n";
        let scenario = Scenario::from_toml_str("t.toml", text, &[]).unwrap();
        let mut log = CaseLog::default();
        let hour = 1.0 / (365.25 * 24.0);
        log.admit(0, -5.0, model::Place::Assessment, 1.0);
        log.admit(1, -15.5, model::Place::Rung(1), -0.5);
        log.moved(0, model::Place::Rung(0), 1.5);
        log.moved(0, model::Place::Rung(1), 1.5 + hour);
        log.moved(0, model::Place::Rung(1), 1.5 + 2.0 * hour);
        log.followed_up(0, 2.5);
        log.ended(1, 2.5, SpellEnd::AgedOut);
        let r = SimulatedRecords::from_log(&scenario, &log);
        let h = &r.history;
        // One year of 365.25 days rounds to 365: in a leap year, 31 December.
        assert_eq!(h.extract, d(2020, 12, 31));
        let ids: Vec<&str> = h.children.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c1", "c2"]);
        let rows: Vec<_> = h
            .episodes
            .iter()
            .map(|e| (e.child, e.place, e.start, e.end, e.reason))
            .collect();
        use EndReason::*;
        // Model time 1.5 is 0.5 years before the start: 183 days (182.625 rounded).
        let moved = d(2019, 7, 2);
        assert_eq!(
            rows,
            [
                (
                    0,
                    Place::Assessment,
                    d(2019, 1, 1),
                    Some(moved),
                    Some(Moved)
                ),
                (0, Place::Rung(0), moved, Some(moved), Some(Moved)),
                (0, Place::Rung(1), moved, Some(moved), Some(Moved)),
                (0, Place::Rung(1), moved, None, None),
                (
                    1,
                    Place::Rung(1),
                    d(2017, 7, 2),
                    Some(d(2020, 7, 2)),
                    Some(AgedOut)
                ),
            ]
        );
        let next: Vec<Option<usize>> = h.episodes.iter().map(|e| e.next).collect();
        assert_eq!(next, [Some(1), Some(2), Some(3), None, None]);
        assert_eq!(
            h.exit_day(1),
            d(2020, 7, 2),
            "ages out on the exit birthday"
        );
        assert_eq!(
            r.follow_ups,
            [FollowUp {
                child: 0,
                date: d(2020, 7, 2)
            }]
        );
    }
}
