//! The projection of a backtest: a model started on the day `at` from the
//! open cases of the records, simulated to `until`, and the quantities of
//! [`Series`] read off each replication.

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::Series;
use crate::metrics::Metric;
use crate::records::codes::Place;
use crate::records::open_cases::{OpenCase, case_list};
use crate::results::Results;
use crate::scenario::dates::years_until;
use crate::scenario::file::toml_date;
use crate::scenario::{Initial, Period, Problem, Scenario};
use crate::transitions::{Grid, Origin, Target};

/// How the projection is run, where not as the model says.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Replications (default: the model's).
    pub replications: Option<u64>,
    /// Reporting period (default: the model's).
    pub period: Option<Period>,
}

/// `model` started on `at` from the cases `open` then, to `until`: no
/// warm-up (the records give the start state), the horizon ending on
/// `until`. `[[changes]]` keep their calendar dates: `at_years` counts from
/// the model's `start`, so a change dated before `at` is in force from
/// the projection's start and one on or after `until` never happens.
pub fn scenario(
    model: &Scenario,
    open: &[OpenCase],
    (at, until): (NaiveDate, NaiveDate),
    options: Options,
) -> Result<Scenario, Vec<Problem>> {
    let mut file = model.file.clone();
    let shift = if at >= model.start {
        years_until(model.start, at)
    } else {
        -years_until(at, model.start)
    };
    let horizon = years_until(at, until);
    // Changes that are all in force at the start apply in time order.
    file.changes
        .sort_by(|a, b| a.at_years.total_cmp(&b.at_years));
    file.changes.retain(|c| c.at_years - shift < horizon);
    for c in &mut file.changes {
        c.at_years = (c.at_years - shift).max(0.0);
    }
    let s = &mut file.scenario;
    s.start = toml_date(at);
    s.warmup_years = 0.0;
    s.horizon_years = horizon;
    if let Some(n) = options.replications {
        s.replications = n;
    }
    if let Some(p) = options.period {
        s.period = p;
    }
    let source = format!("the open cases on {at}");
    file.initial = Initial {
        counts: IndexMap::new(),
        cases: Some(source.clone()),
    };
    let mut projected = Scenario::from_file(file)?;
    projected.initial_cases = Some(case_list(open, &source));
    Ok(projected)
}

/// The values of `series` in every replication and period of `results`
/// (replication-major: replication *r*, period *k*, series *j* at
/// `(r × periods + k) × series + j`).
///
/// # Panics
/// If the results kept no transition counts (results simulated here
/// always do).
pub fn values(results: &Results, series: &[Series]) -> Vec<f64> {
    let layout = &results.layout;
    let ids: Vec<&str> = results
        .scenario
        .params
        .steps
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let rungs = ids.len();
    let grid = Grid::new(rungs);
    let cells = grid.len();
    assert!(
        !results.transitions.is_empty(),
        "a backtest needs the replications' transition counts"
    );
    let row = |metric: Metric, step: &str| {
        layout
            .find(metric, step)
            .expect("every ladder has these rows")
    };
    let periods = results.periods.len();
    let mut out = Vec::with_capacity(results.replications() * periods * series.len());
    for r in 0..results.replications() {
        for k in 0..periods {
            let counts = &results.transitions[(r * periods + k) * cells..][..cells];
            // Moves between rungs of any kind, by direction.
            let moves = |down: bool| {
                let mut n = 0;
                for (i, &count) in counts.iter().enumerate() {
                    let cell = grid.cell(i);
                    if let (Origin::Rung(from), Target::Rung(to)) = (cell.from, cell.to)
                        && from != to
                        && (to < from) == down
                    {
                        n += count;
                    }
                }
                f64::from(n)
            };
            for &s in series {
                out.push(match s {
                    Series::Cases(Place::Assessment) => {
                        results.value(r, k, row(Metric::CountEnd, "assessment"))
                    }
                    Series::Cases(Place::Rung(i)) => {
                        results.value(r, k, row(Metric::CountEnd, ids[i]))
                    }
                    Series::PlacedChildYears => {
                        results.value(r, k, row(Metric::PlacedChildYears, ""))
                    }
                    Series::MovesDown => moves(true),
                    Series::MovesUp => moves(false),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_projection_starts_on_at_from_the_open_cases_and_changes_keep_their_dates() {
        let model = Scenario::from_toml_str(
            "t",
            "[scenario]\nname = \"t\"\nstart = 2013-01-01\nhorizon_years = 3.0\n\
             warmup_years = 2.0\nperiod = \"year\"\n\
             [[steps]]\nid = \"home\"\nexit = { close = 0.5 }\n\
             [[steps]]\nid = \"foster\"\nplacement = true\n\
             [initial]\nhome = 5\n\
             [[changes]]\nat_years = 1.5\nset = { \"steps.home.exit.close\" = 1.0 }\n\
             [[changes]]\nat_years = 0.5\nset = { \"steps.home.exit.close\" = 2.0 }\n\
             [[changes]]\nat_years = 2.5\nset = { \"steps.home.exit.close\" = 3.0 }\n",
            &[],
        )
        .unwrap();
        let open = [OpenCase {
            place: Place::Rung(1),
            age: 7.5,
            years_on_place: 0.25,
        }];
        let options = Options {
            replications: Some(7),
            period: Some(Period::Quarter),
        };
        let p = scenario(&model, &open, (d(2014, 1, 1), d(2015, 7, 1)), options).unwrap();
        assert_eq!(p.start, d(2014, 1, 1));
        let s = p.settings();
        assert_eq!((s.warmup_years, s.horizon_years), (0.0, 1.5));
        assert_eq!((s.replications, s.period), (7, Period::Quarter));
        assert_eq!(p.period_count(), 6);
        let list = p.initial_cases.as_ref().unwrap();
        assert_eq!(list.cases.len(), 1);
        assert_eq!(
            (
                list.cases[0].slot,
                list.cases[0].age,
                list.cases[0].years_on_place
            ),
            (2, 7.5, 0.25)
        );
        assert!(p.file.initial.counts.is_empty());
        // The change of mid-2013 is in force from the start, the one of
        // mid-2014 half a year in, the one of mid-2015 is past --until.
        let at: Vec<f64> = p.changes.iter().map(|c| c.at_years).collect();
        assert_eq!(at, [0.0, 0.5]);
        let close: Vec<f64> = p
            .changes
            .iter()
            .map(|c| c.params.hazards(0, 0).close)
            .collect();
        assert_eq!(close, [2.0, 1.0]);
    }
}
