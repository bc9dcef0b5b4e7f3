//! Backtesting (`trappe backtest`): would a projection made on a past day
//! have seen what the records show happened next?
//!
//! A model is taken as it stood on the day `at` (fitted on the records
//! before it, or given), started from the open cases of the records on
//! that day, and simulated to a later day `until` that the records still
//! cover. The projection is then scored against the records, cell by cell:
//! one cell is one [`Series`] (cases on a place at the period end, placed
//! child-years, moves down or up the ladder) in one reporting period.
//!
//! * [`actual`]: the same quantities read off the records;
//! * [`projection`]: the scenario that starts on `at` from the open cases,
//!   and the quantities of each of its replications.
//!
//! A cell's projection is its mean and its 5, 25, 50, 75 and 95 %
//! quantiles over the replications. The scores are the coverage of the
//! 90 % band (the share of cells whose actual value lies within the 5–95 %
//! quantiles, ends included) and the mean absolute percentage error of the
//! projected mean. If the model is right, about 90 % of the cells are
//! covered (a little more for small whole counts, whose quantiles are
//! whole numbers too); far fewer says the projection is overconfident or
//! biased.

pub mod actual;
pub mod projection;

use std::io;
use std::path::Path;

use chrono::NaiveDate;
use indicatif::ProgressBar;

use crate::monte_carlo::run_with_progress;
use crate::records::codes::{Place, Places};
use crate::records::history::History;
use crate::records::open_cases::open_on;
use crate::results::PeriodInfo;
use crate::results::csv::{csv_writer, finish_csv, number};
use crate::results::stats::quantile_sorted;
use crate::scenario::{Problem, Scenario};

/// What a cell measures, as named in `backtest.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quantity {
    /// Cases on a place just before the period end (`count_end` in the
    /// results).
    CountEnd,
    /// Child-years on placement rungs in the period.
    PlacedChildYears,
    /// Moves between rungs in the period, by direction.
    Moves,
}

impl Quantity {
    /// Every quantity, in the order of `backtest.csv`.
    pub const ALL: [Quantity; 3] = [
        Quantity::CountEnd,
        Quantity::PlacedChildYears,
        Quantity::Moves,
    ];

    /// Its name in `backtest.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Quantity::CountEnd => "count_end",
            Quantity::PlacedChildYears => "placed_child_years",
            Quantity::Moves => "moves",
        }
    }
}

/// One series of cells: a quantity and, where it has one, its step.
///
/// Moves are counted as the records can see them: every change of rung,
/// whatever caused it (a planned move at a follow-up, the time limit, an
/// admission from a waiting list, or a crisis), down when it leads to a
/// less intrusive rung and up when to a more intrusive one — the way
/// KORA counted "moves on the ladder". A change to the same rung (a crisis
/// that starts a new placement there), entries after assessment, closures
/// and ageing out are not moves. The results' `moves_down`/`moves_up`
/// count planned moves only, so these are not the same numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Series {
    /// Cases on `assessment` or a rung just before the period end.
    Cases(Place),
    /// Child-years on placement rungs.
    PlacedChildYears,
    /// Moves to a lower rung.
    MovesDown,
    /// Moves to a higher rung.
    MovesUp,
}

impl Series {
    /// The series of a ladder, in the order of `backtest.csv`: cases on
    /// each place (`assessment` only when the records have assessment
    /// spells: records without them cannot be scored on it), placed
    /// child-years, moves down, moves up.
    pub fn of_ladder(places: &Places, with_assessment: bool) -> Vec<Series> {
        places
            .all()
            .filter(|p| with_assessment || *p != Place::Assessment)
            .map(Series::Cases)
            .chain([Series::PlacedChildYears, Series::MovesDown, Series::MovesUp])
            .collect()
    }

    /// What it measures.
    pub fn quantity(self) -> Quantity {
        match self {
            Series::Cases(_) => Quantity::CountEnd,
            Series::PlacedChildYears => Quantity::PlacedChildYears,
            Series::MovesDown | Series::MovesUp => Quantity::Moves,
        }
    }

    /// Its `step` in `backtest.csv`: the place, empty, or `down`/`up`.
    pub fn step(self, places: &Places) -> &str {
        match self {
            Series::Cases(place) => places.name(place),
            Series::PlacedChildYears => "",
            Series::MovesDown => "down",
            Series::MovesUp => "up",
        }
    }
}

/// The projection of one cell over the replications: its mean and
/// quantiles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Mean over replications.
    pub mean: f64,
    /// 5 % quantile: the lower end of the 90 % band.
    pub p05: f64,
    /// 25 % quantile: the lower end of the 50 % band.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75 % quantile.
    pub p75: f64,
    /// 95 % quantile.
    pub p95: f64,
}

impl Band {
    /// The band of `values` (at least one).
    pub fn of(values: &[f64]) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let q = |p| quantile_sorted(&sorted, p);
        Self {
            mean: values.iter().sum::<f64>() / values.len() as f64,
            p05: q(0.05),
            p25: q(0.25),
            p50: q(0.5),
            p75: q(0.75),
            p95: q(0.95),
        }
    }
}

/// One scored cell: a series in a period, what happened and what was
/// projected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// What it measures.
    pub series: Series,
    /// Index into [`Backtest::periods`].
    pub period: usize,
    /// What the records show.
    pub actual: f64,
    /// What the projection gave.
    pub band: Band,
}

impl Cell {
    /// Whether the actual value lies within the 90 % band (ends
    /// included); `None` when there is nothing to score: the actual value
    /// and both ends of the band are 0 (a rung hardly anyone uses), which
    /// any model would "cover".
    pub fn inside_90(&self) -> Option<bool> {
        let all_zero = self.actual == 0.0 && self.band.p05 == 0.0 && self.band.p95 == 0.0;
        (!all_zero).then_some(self.band.p05 <= self.actual && self.actual <= self.band.p95)
    }

    /// The absolute percentage error of the projected mean, in %; `None`
    /// when the actual value is 0 (no percentage of nothing).
    pub fn ape(&self) -> Option<f64> {
        (self.actual != 0.0).then(|| 100.0 * (self.band.mean - self.actual).abs() / self.actual)
    }
}

/// The scores of a set of cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Cells scored for coverage (not those whose actual value and band
    /// are all 0).
    pub cells: usize,
    /// Of those, the ones whose actual value lies in the 90 % band.
    pub inside: usize,
    /// Mean absolute percentage error over the cells with a non-zero
    /// actual value, in %; `None` without such cells.
    pub mape: Option<f64>,
    /// Cells the MAPE is taken over.
    pub mape_cells: usize,
}

impl Score {
    /// The score of `cells`.
    pub fn of<'a>(cells: impl Iterator<Item = &'a Cell>) -> Self {
        let (mut scored, mut inside, mut ape_sum, mut ape_cells) = (0, 0, 0.0, 0);
        for c in cells {
            if let Some(i) = c.inside_90() {
                scored += 1;
                inside += usize::from(i);
            }
            if let Some(e) = c.ape() {
                ape_sum += e;
                ape_cells += 1;
            }
        }
        Self {
            cells: scored,
            inside,
            mape: (ape_cells > 0).then(|| ape_sum / ape_cells as f64),
            mape_cells: ape_cells,
        }
    }

    /// The share of cells covered by the 90 % band; `None` without cells.
    pub fn coverage(&self) -> Option<f64> {
        (self.cells > 0).then(|| self.inside as f64 / self.cells as f64)
    }
}

/// A projection scored against the records.
#[derive(Debug, Clone)]
pub struct Backtest {
    /// The scenario projected (from `at` to `until`, from the open cases).
    pub scenario: Scenario,
    /// The ladder's places (for naming steps).
    pub places: Places,
    /// The day the projection starts from.
    pub at: NaiveDate,
    /// The day it ends.
    pub until: NaiveDate,
    /// Its reporting periods.
    pub periods: Vec<PeriodInfo>,
    /// The series scored, in order.
    pub series: Vec<Series>,
    /// The cells, period by period, each period's in the order of
    /// `series`.
    pub cells: Vec<Cell>,
    /// Replications the projection ran.
    pub replications: usize,
}

/// Project `model` from the open cases of `history` on `at` to `until`
/// and score the projection against what `history` shows. `at` must be
/// before `until`, and `until` no later than the extract date (the
/// records show nothing after it). `progress` ticks once per replication.
pub fn backtest(
    history: &History,
    model: &Scenario,
    (at, until): (NaiveDate, NaiveDate),
    options: projection::Options,
    progress: &ProgressBar,
) -> Result<Backtest, Vec<Problem>> {
    debug_assert!(at < until && until <= history.extract);
    let open = open_on(history, at);
    let scenario = projection::scenario(model, &open, (at, until), options)?;
    let results = run_with_progress(&scenario, progress);
    let places = Places::of(&scenario);
    let placement: Vec<bool> = scenario.params.steps.iter().map(|r| r.placement).collect();
    let with_assessment = history
        .episodes
        .iter()
        .any(|e| e.place == Place::Assessment);
    let series = Series::of_ladder(&places, with_assessment);
    let actual = actual::actual(history, &series, &placement, &results.periods);
    let projected = projection::values(&results, &series);
    let periods = results.periods.clone();
    Ok(Backtest::score(
        results.scenario,
        places,
        (at, until),
        periods,
        series,
        &actual,
        &projected,
    ))
}

/// Header of `backtest.csv`.
pub const CSV_HEADER: [&str; 14] = [
    "quantity",
    "step",
    "period",
    "period_start",
    "period_end",
    "actual",
    "mean",
    "p05",
    "p25",
    "p50",
    "p75",
    "p95",
    "inside_90",
    "ape",
];

/// Header of `backtest_scores.csv`.
pub const SCORES_HEADER: [&str; 6] = [
    "quantity",
    "cells",
    "inside_90",
    "coverage_90",
    "mape",
    "mape_cells",
];

impl Backtest {
    /// Score `projected` (replication-major: replication *r*, period *k*,
    /// series *j* at `(r × periods + k) × series + j`) against `actual`
    /// (period-major: period *k*, series *j* at `k × series + j`).
    pub fn score(
        scenario: Scenario,
        places: Places,
        (at, until): (NaiveDate, NaiveDate),
        periods: Vec<PeriodInfo>,
        series: Vec<Series>,
        actual: &[f64],
        projected: &[f64],
    ) -> Self {
        let width = series.len();
        let per_replication = periods.len() * width;
        let replications = projected.len() / per_replication.max(1);
        let mut cells = Vec::with_capacity(per_replication);
        for k in 0..periods.len() {
            for (j, &s) in series.iter().enumerate() {
                let values: Vec<f64> = (0..replications)
                    .map(|r| projected[r * per_replication + k * width + j])
                    .collect();
                cells.push(Cell {
                    series: s,
                    period: k,
                    actual: actual[k * width + j],
                    band: Band::of(&values),
                });
            }
        }
        Self {
            scenario,
            places,
            at,
            until,
            periods,
            series,
            cells,
            replications,
        }
    }

    /// The scores over every cell (`None`) or the cells of one quantity.
    pub fn scores(&self, quantity: Option<Quantity>) -> Score {
        Score::of(
            self.cells
                .iter()
                .filter(|c| quantity.is_none_or(|q| c.series.quantity() == q)),
        )
    }

    /// The cells of one series, period by period.
    pub fn cells_of(&self, series: Series) -> impl Iterator<Item = &Cell> + '_ {
        self.cells.iter().filter(move |c| c.series == series)
    }

    /// Write `backtest.csv`: one row per cell.
    pub fn write_csv(&self, path: &Path) -> io::Result<()> {
        let mut w = csv_writer(path)?;
        w.write_record(CSV_HEADER)?;
        for c in &self.cells {
            let p = &self.periods[c.period];
            let b = &c.band;
            let inside = match c.inside_90() {
                Some(true) => "1",
                Some(false) => "0",
                None => "",
            };
            w.write_record([
                c.series.quantity().name(),
                c.series.step(&self.places),
                &p.index.to_string(),
                &p.start.to_string(),
                &p.end.to_string(),
                &number(c.actual),
                &number(b.mean),
                &number(b.p05),
                &number(b.p25),
                &number(b.p50),
                &number(b.p75),
                &number(b.p95),
                inside,
                &c.ape().map(number).unwrap_or_default(),
            ])?;
        }
        finish_csv(w)
    }

    /// Write `backtest_scores.csv`: the scores over all cells (`all`),
    /// then per quantity.
    pub fn write_scores(&self, path: &Path) -> io::Result<()> {
        let mut w = csv_writer(path)?;
        w.write_record(SCORES_HEADER)?;
        let rows = std::iter::once(("all", None))
            .chain(Quantity::ALL.into_iter().map(|q| (q.name(), Some(q))));
        for (name, quantity) in rows {
            let s = self.scores(quantity);
            w.write_record([
                name,
                &s.cells.to_string(),
                &s.inside.to_string(),
                &s.coverage().map(number).unwrap_or_default(),
                &s.mape.map(number).unwrap_or_default(),
                &s.mape_cells.to_string(),
            ])?;
        }
        finish_csv(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(actual: f64, values: &[f64]) -> Cell {
        Cell {
            series: Series::MovesUp,
            period: 0,
            actual,
            band: Band::of(values),
        }
    }

    #[test]
    fn a_cell_is_inside_its_band_ends_included() {
        let values: Vec<f64> = (0..=100).map(f64::from).collect();
        // Quantiles of 0..=100 are 5, 25, 50, 75, 95.
        let b = Band::of(&values);
        assert_eq!(
            (b.p05, b.p25, b.p50, b.p75, b.p95),
            (5.0, 25.0, 50.0, 75.0, 95.0)
        );
        assert_eq!(cell(5.0, &values).inside_90(), Some(true));
        assert_eq!(cell(95.0, &values).inside_90(), Some(true));
        assert_eq!(cell(4.9, &values).inside_90(), Some(false));
        assert_eq!(cell(96.0, &values).inside_90(), Some(false));
        assert_eq!(cell(0.0, &[0.0, 0.0]).inside_90(), None);
        assert_eq!(cell(1.0, &[0.0, 0.0]).inside_90(), Some(false));
    }

    #[test]
    fn scores_count_coverage_and_the_mean_absolute_percentage_error() {
        let cells = [
            cell(10.0, &[8.0, 12.0, 16.0]),   // mean 12: 20 %, inside
            cell(20.0, &[10.0, 10.0, 10.0]),  // mean 10: 50 %, outside
            cell(0.0, &[0.0, 0.0, 0.0, 1.0]), // no APE, inside [0, 0.85]
            cell(0.0, &[0.0, 0.0, 0.0]),      // nothing to score
        ];
        let s = Score::of(cells.iter());
        assert_eq!((s.cells, s.inside, s.mape_cells), (3, 2, 2));
        assert!((s.coverage().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.mape.unwrap() - 35.0).abs() < 1e-12);
    }
}
