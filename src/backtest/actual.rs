//! What the records show in each reporting period, as the same quantities
//! a projection gives (see [`Series`]):
//!
//! * cases on a place at the period end: the cases open on the period's
//!   end day, by the rule that made the projection's start state
//!   ([`open_on`]), so the state on `at` is exactly the case list the
//!   projection started from;
//! * placed child-years: the days spells on placement rungs overlap the
//!   period (up to the exit age), ÷ 365.25;
//! * moves: spells that ended in a move from one rung to another, by
//!   direction, on a day after the period's start up to its end day: the
//!   state at a period's end (and on `at`, the start state) already shows
//!   the moves of that day.

use super::Series;
use crate::records::codes::Place;
use crate::records::episodes::EndReason;
use crate::records::history::{History, years_between};
use crate::records::open_cases::open_on;
use crate::results::PeriodInfo;

/// The actual values of `series` in each of `periods` (period-major:
/// period *k*, series *j* at `k × series + j`); `placement` says which
/// rungs are placements. The periods must end by the extract date.
pub fn actual(
    history: &History,
    series: &[Series],
    placement: &[bool],
    periods: &[PeriodInfo],
) -> Vec<f64> {
    let mut values = Vec::with_capacity(periods.len() * series.len());
    for p in periods {
        let open = open_on(history, p.end);
        for &s in series {
            values.push(match s {
                Series::Cases(place) => open.iter().filter(|c| c.place == place).count() as f64,
                Series::PlacedChildYears => placed_child_years(history, placement, p),
                Series::MovesDown => moves(history, p, |from, to| to < from),
                Series::MovesUp => moves(history, p, |from, to| to > from),
            });
        }
    }
    values
}

/// Child-years on placement rungs within the period.
fn placed_child_years(history: &History, placement: &[bool], p: &PeriodInfo) -> f64 {
    history
        .episodes
        .iter()
        .filter(|e| matches!(e.place, Place::Rung(r) if placement[r]))
        .map(|e| {
            let end = e
                .end
                .unwrap_or(p.end)
                .min(history.exit_day(e.child))
                .min(p.end);
            let start = e.start.max(p.start);
            years_between(start, end).max(0.0)
        })
        .sum()
}

/// Moves between rungs on days in (start, end] of the period for which
/// `counts(from, to)` (rung indices) holds.
fn moves(history: &History, p: &PeriodInfo, counts: impl Fn(usize, usize) -> bool) -> f64 {
    history
        .episodes
        .iter()
        .filter(|e| e.reason == Some(EndReason::Moved))
        .filter(|e| e.end.is_some_and(|d| p.start < d && d <= p.end))
        .filter(|e| {
            let to = e.next.map(|n| history.episodes[n].place);
            matches!((e.place, to), (Place::Rung(from), Some(Place::Rung(to))) if counts(from, to))
        })
        .count() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Source, Table};
    use crate::records::codes::{Codes, Places};
    use crate::records::episodes::read_generic;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn cases_child_years_and_moves_per_period() {
        let places = Places {
            rungs: vec!["prevention".into(), "foster".into()],
        };
        let codes = Codes::parse(
            &Source::from_text("c.toml", "P = \"prevention\"\nF = \"foster\"\n"),
            &places,
        )
        .unwrap();
        // x: prevention, up to foster on 1 July 2020, down again on 1 Jan
        // 2021 (the first period's end day: the state at its end shows
        // it, so it is the first period's move); y: foster all along.
        let text = "child_id,birth_date,place,start,end
x,2010-01-01,P,2019-01-01,2020-07-01
x,2010-01-01,F,2020-07-01,2021-01-01
x,2010-01-01,P,2021-01-01,
y,2005-01-01,F,2019-06-01,
";
        let (table, mut problems) = Table::parse(Source::from_text("e.csv", text));
        let raw = read_generic(&table, &mut problems);
        let h = History::assemble(&raw, Some(&codes), d(2022, 1, 1), 18.0, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let periods = [
            PeriodInfo {
                index: 1,
                start: d(2020, 1, 1),
                end: d(2021, 1, 1),
            },
            PeriodInfo {
                index: 2,
                start: d(2021, 1, 1),
                end: d(2022, 1, 1),
            },
        ];
        let series = Series::of_ladder(&places, false);
        let v = actual(&h, &series, &[false, true], &periods);
        // prevention, foster, placed child-years, down, up.
        let years = |a, b| years_between(a, b);
        assert_eq!(&v[..2], [1.0, 1.0]);
        let placed = years(d(2020, 1, 1), d(2021, 1, 1)) + years(d(2020, 7, 1), d(2021, 1, 1));
        assert!((v[2] - placed).abs() < 1e-12);
        assert_eq!(&v[3..5], [1.0, 1.0]);
        assert_eq!(&v[5..7], [1.0, 1.0]);
        assert!((v[7] - years(d(2021, 1, 1), d(2022, 1, 1))).abs() < 1e-12);
        assert_eq!(&v[8..10], [0.0, 0.0]);
    }
}
