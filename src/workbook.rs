//! `results.xlsx`: the totals of a run or comparison as a spreadsheet a
//! planner can open, sort and paste into a budget — an overview of the
//! headline metrics per calendar year and for the whole run, the budget by
//! rung × year, placements by rung × year, and for comparisons the paired
//! differences, the probability of savings and the cumulative difference.
//!
//! Every number is a real number with a number format (not text), every
//! sheet has a frozen header row and columns wide enough to read. The
//! values are the ones in `totals.csv` and `compare_totals.csv`; the
//! headline list is the terminal's and the report's
//! ([`crate::report::headline`]), so all three agree.

use std::io;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::compare::Comparison;
use crate::language::{Language, TotalsWords};
use crate::metrics::Metric;
use crate::report::headline::{Kind, headline_metrics};

/// The workbook is written in English whatever the scenario's language:
/// its sheets are read by other programs and joined with the CSV files.
const WORKBOOK_LANGUAGE: Language = Language::English;

/// The totals' words in the workbook's language.
fn totals_words() -> &'static TotalsWords {
    &WORKBOOK_LANGUAGE.words().totals
}
use crate::results::read::RunSummary;
use crate::results::totals::{Span, Totals};

/// File name of the workbook inside a results folder.
pub const XLSX: &str = "results.xlsx";

/// The workbook's words, in one place.
pub mod words {
    /// Sheet names.
    pub const OVERVIEW: &str = "Overview";
    /// Sheet of costs by rung × year.
    pub const BUDGET: &str = "Budget";
    /// Sheet of placed child-years by rung × year.
    pub const PLACEMENTS: &str = "Placements";
    /// Sheet of paired differences (comparisons).
    pub const DIFFERENCES: &str = "Differences";
    /// Sheet of the probability of savings and break-even (comparisons).
    pub const SAVINGS: &str = "Savings";
    /// Sheet of cumulative total-cost differences (comparisons).
    pub const CUMULATIVE: &str = "Cumulative";
    /// Column headers.
    pub const SCENARIO: &str = "Scenario";
    /// Column header.
    pub const ALTERNATIVE: &str = "Alternative";
    /// Column header.
    pub const MEASURE: &str = "Measure";
    /// Column header.
    pub const YEAR: &str = "Year";
    /// Column header.
    pub const MEAN: &str = "Mean";
    /// Column header.
    pub const CI_LOW: &str = "95 % CI low";
    /// Column header.
    pub const CI_HIGH: &str = "95 % CI high";
    /// Column header.
    pub const P05: &str = "5th percentile";
    /// Column header.
    pub const P95: &str = "95th percentile";
    /// Column header.
    pub const BASE: &str = "Base (mean)";
    /// Column header.
    pub const ALT_MEAN: &str = "Alternative (mean)";
    /// Column header.
    pub const DIFFERENCE: &str = "Difference (mean)";
    /// Column header.
    pub const P_LOWER: &str = "Share of replications lower";
    /// Column header.
    pub const P_LOWER_LOW: &str = "Share lower: 95 % CI low";
    /// Column header.
    pub const P_LOWER_HIGH: &str = "Share lower: 95 % CI high";
    /// Column header.
    pub const COST_ITEM: &str = "Cost item";
    /// Column header.
    pub const PLACEMENT: &str = "Placement";
    /// Column header.
    pub const PERIOD: &str = "Period";
    /// Column header.
    pub const PERIOD_START: &str = "Period start";
    /// Column header.
    pub const PERIOD_END: &str = "Period end (exclusive)";
    /// Column header.
    pub const CUMULATIVE_DIFF: &str = "Cumulative difference in total cost (mean)";
    /// Column header.
    pub const BREAK_EVEN_START: &str = "Break-even period: start";
    /// Column header.
    pub const BREAK_EVEN_END: &str = "Break-even period: end (exclusive)";
    /// Cost rows other than rungs.
    pub const WORKFORCE: &str = "Caseworkers (salaries)";
    /// Cost row.
    pub const FIXED: &str = "Fixed programme cost";
    /// Cost row.
    pub const BREAKDOWNS: &str = "Breakdowns";
    /// Cost row.
    pub const TOTAL: &str = "Total";
    /// Placements row.
    pub const ALL_PLACED: &str = "All placements (child-years)";
    /// Placement share row suffix.
    pub const SHARE_OF_PLACED: &str = "share of placed child-years";
    /// Child-years row suffix.
    pub const CHILD_YEARS: &str = "child-years";
}

fn xlsx_error(e: XlsxError) -> io::Error {
    io::Error::other(e)
}

/// Cell formats.
struct Formats {
    header: Format,
    money: Format,
    one_decimal: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new().set_bold().set_text_wrap(),
            money: Format::new().set_num_format("#,##0"),
            one_decimal: Format::new().set_num_format("#,##0.0"),
            percent: Format::new().set_num_format("0.0%"),
        }
    }

    fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Money => &self.money,
            Kind::ChildYears | Kind::Count => &self.one_decimal,
            Kind::Share => &self.percent,
        }
    }
}

/// A sheet being filled row by row.
struct Sheet<'w> {
    ws: &'w mut Worksheet,
    row: u32,
}

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// `text` cut to what one cell may hold (a scenario name may be longer;
/// the workbook then shows its start and an ellipsis).
fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= MAX_CELL_CHARS {
        return text.into();
    }
    let mut cut: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    cut.push('…');
    cut.into()
}

impl<'w> Sheet<'w> {
    /// A sheet named `name` with a frozen, bold `header` row and the given
    /// column widths (in characters).
    fn new(
        wb: &'w mut Workbook,
        f: &Formats,
        name: &str,
        header: &[&str],
        widths: &[f64],
    ) -> Result<Self, XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for (c, (h, w)) in header.iter().zip(widths).enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &f.header)?;
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Self { ws, row: 1 })
    }

    /// One row: text cells, then numbers each with its format.
    fn push(&mut self, texts: &[&str], numbers: &[(f64, &Format)]) -> Result<(), XlsxError> {
        for (c, t) in texts.iter().enumerate() {
            self.ws.write_string(self.row, c as u16, cell_text(t))?;
        }
        for (i, (x, fmt)) in numbers.iter().enumerate() {
            let c = (texts.len() + i) as u16;
            if x.is_finite() {
                self.ws
                    .write_number_with_format(self.row, c, *x + 0.0, fmt)?;
            }
        }
        self.row += 1;
        Ok(())
    }
}

fn span_name(span: &Span) -> String {
    if span.is_whole_run() {
        totals_words().whole_run.into()
    } else {
        span.label.clone()
    }
}

/// Write the workbook of a run (nothing when the run has no totals).
pub fn write_run(run: &RunSummary, path: &Path) -> io::Result<()> {
    let Some(totals) = &run.totals else {
        return Ok(());
    };
    let mut wb = Workbook::new();
    let f = Formats::new();
    let runs = [(run.scenario.name(), run, totals)];
    scenario_sheets(&mut wb, &f, &runs).map_err(xlsx_error)?;
    wb.save(path).map_err(xlsx_error)
}

/// Write the workbook of a comparison (nothing when it has no totals).
pub fn write_comparison(c: &Comparison, path: &Path) -> io::Result<()> {
    let Some(ct) = &c.totals else {
        return Ok(());
    };
    let runs: Vec<(&str, &RunSummary, &Totals)> = c
        .runs
        .iter()
        .filter_map(|r| r.totals.as_ref().map(|t| (r.scenario.name(), r, t)))
        .collect();
    let mut wb = Workbook::new();
    let f = Formats::new();
    (|| -> Result<(), XlsxError> {
        scenario_sheets(&mut wb, &f, &runs)?;
        let metrics = headline_metrics(&c.runs[0].scenario, WORKBOOK_LANGUAGE);
        let mut s = Sheet::new(
            &mut wb,
            &f,
            words::DIFFERENCES,
            &[
                words::ALTERNATIVE,
                words::MEASURE,
                words::YEAR,
                words::BASE,
                words::ALT_MEAN,
                words::DIFFERENCE,
                words::CI_LOW,
                words::CI_HIGH,
                words::P05,
                words::P95,
                words::P_LOWER,
                words::P_LOWER_LOW,
                words::P_LOWER_HIGH,
            ],
            &[
                40.0, 38.0, 10.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 14.0, 14.0, 14.0,
            ],
        )?;
        for (i, alt) in c.runs.iter().enumerate().skip(1) {
            for m in &metrics {
                for (k, span) in ct.spans.iter().enumerate() {
                    let (Some(b), Some(a)) = (
                        ct.get(0, m.metric, &m.step, k),
                        ct.get(i, m.metric, &m.step, k),
                    ) else {
                        continue;
                    };
                    let fmt = f.of(m.kind);
                    let d = &a.diff;
                    let p = &a.below_zero;
                    s.push(
                        &[alt.scenario.name(), &m.total_title, &span_name(span)],
                        &[
                            (b.mean, fmt),
                            (a.mean, fmt),
                            (d.mean, fmt),
                            (d.ci95_low, fmt),
                            (d.ci95_high, fmt),
                            (d.p05, fmt),
                            (d.p95, fmt),
                            (p.share, &f.percent),
                            (p.ci95_low, &f.percent),
                            (p.ci95_high, &f.percent),
                        ],
                    )?;
                }
            }
        }
        let mut s = Sheet::new(
            &mut wb,
            &f,
            words::SAVINGS,
            &[
                words::ALTERNATIVE,
                totals_words().savings_fact,
                words::CI_LOW,
                words::CI_HIGH,
                words::BREAK_EVEN_START,
                words::BREAK_EVEN_END,
            ],
            &[40.0, 22.0, 12.0, 12.0, 16.0, 16.0],
        )?;
        for (i, alt) in c.runs.iter().enumerate().skip(1) {
            let (start, end) = match ct.break_even(i) {
                Some(k) => (c.periods[k].start.to_string(), c.periods[k].end.to_string()),
                None => (totals_words().no_break_even.to_string(), String::new()),
            };
            let p = ct.probability_of_savings(i);
            s.push(
                &[alt.scenario.name()],
                &[
                    (p.map_or(f64::NAN, |p| p.share), &f.percent),
                    (p.map_or(f64::NAN, |p| p.ci95_low), &f.percent),
                    (p.map_or(f64::NAN, |p| p.ci95_high), &f.percent),
                ],
            )?;
            s.ws.write_string(s.row - 1, 4, start)?;
            s.ws.write_string(s.row - 1, 5, end)?;
        }
        let mut s = Sheet::new(
            &mut wb,
            &f,
            words::CUMULATIVE,
            &[
                words::ALTERNATIVE,
                words::PERIOD,
                words::PERIOD_START,
                words::PERIOD_END,
                words::CUMULATIVE_DIFF,
                words::CI_LOW,
                words::CI_HIGH,
            ],
            &[40.0, 8.0, 12.0, 12.0, 22.0, 15.0, 15.0],
        )?;
        for (i, alt) in c.runs.iter().enumerate().skip(1) {
            for (k, d) in ct
                .cumulative_of(i, Metric::Cost, "total")
                .into_iter()
                .enumerate()
            {
                let p = &c.periods[k];
                s.push(
                    &[
                        alt.scenario.name(),
                        &p.index.to_string(),
                        &p.start.to_string(),
                        &p.end.to_string(),
                    ],
                    &[
                        (d.mean, &f.money),
                        (d.ci95_low, &f.money),
                        (d.ci95_high, &f.money),
                    ],
                )?;
            }
        }
        Ok(())
    })()
    .map_err(xlsx_error)?;
    wb.save(path).map_err(xlsx_error)
}

/// The sheets every workbook has: overview, budget and placements, one
/// block of rows per scenario.
fn scenario_sheets(
    wb: &mut Workbook,
    f: &Formats,
    runs: &[(&str, &RunSummary, &Totals)],
) -> Result<(), XlsxError> {
    let Some((_, first, first_totals)) = runs.first() else {
        return Ok(());
    };
    let mut s = Sheet::new(
        wb,
        f,
        words::OVERVIEW,
        &[
            words::SCENARIO,
            words::MEASURE,
            words::YEAR,
            words::MEAN,
            words::CI_LOW,
            words::CI_HIGH,
            words::P05,
            words::P95,
        ],
        &[40.0, 38.0, 10.0, 15.0, 15.0, 15.0, 15.0, 15.0],
    )?;
    for (name, run, totals) in runs {
        for m in headline_metrics(&run.scenario, WORKBOOK_LANGUAGE) {
            for (k, span) in totals.spans.iter().enumerate() {
                if let Some(x) = totals.get(m.metric, &m.step, k) {
                    let fmt = f.of(m.kind);
                    s.push(
                        &[name, &m.total_title, &span_name(span)],
                        &[
                            (x.mean, fmt),
                            (x.ci95_low, fmt),
                            (x.ci95_high, fmt),
                            (x.p05, fmt),
                            (x.p95, fmt),
                        ],
                    )?;
                }
            }
        }
    }
    let mut header = vec![words::SCENARIO];
    let span_names: Vec<String> = first_totals.spans.iter().map(span_name).collect();
    header.push(words::COST_ITEM);
    header.extend(span_names.iter().map(String::as_str));
    let mut widths = vec![40.0, 30.0];
    widths.extend(span_names.iter().map(|_| 16.0));
    let mut s = Sheet::new(wb, f, words::BUDGET, &header, &widths)?;
    let currency = &first.scenario.settings().currency;
    for (name, run, totals) in runs {
        for row in totals.rows.iter().filter(|r| r.metric == Metric::Cost) {
            let label = cost_label(run, &row.step);
            let values: Vec<(f64, &Format)> = (0..totals.spans.len())
                .map(|k| {
                    (
                        totals
                            .get(Metric::Cost, &row.step, k)
                            .map_or(f64::NAN, |x| x.mean),
                        &f.money,
                    )
                })
                .collect();
            s.push(&[name, &format!("{label} ({currency})")], &values)?;
        }
    }
    header[1] = words::PLACEMENT;
    let mut s = Sheet::new(wb, f, words::PLACEMENTS, &header, &widths)?;
    for (name, run, totals) in runs {
        let placement_rungs: Vec<_> = run
            .scenario
            .params
            .steps
            .iter()
            .filter(|r| r.placement)
            .collect();
        let mut lines: Vec<(String, Metric, String, &Format)> = placement_rungs
            .iter()
            .map(|r| {
                (
                    format!("{}, {}", r.label, words::CHILD_YEARS),
                    Metric::ChildYears,
                    r.id.clone(),
                    &f.one_decimal,
                )
            })
            .collect();
        lines.push((
            words::ALL_PLACED.into(),
            Metric::PlacedChildYears,
            String::new(),
            &f.one_decimal,
        ));
        lines.extend(placement_rungs.iter().map(|r| {
            (
                format!("{}, {}", r.label, words::SHARE_OF_PLACED),
                Metric::PlacementShare,
                r.id.clone(),
                &f.percent,
            )
        }));
        for (label, metric, step, fmt) in &lines {
            let values: Vec<(f64, &Format)> = (0..totals.spans.len())
                .map(|k| {
                    (
                        totals.get(*metric, step, k).map_or(f64::NAN, |x| x.mean),
                        *fmt,
                    )
                })
                .collect();
            s.push(&[name, label], &values)?;
        }
    }
    Ok(())
}

/// A cost row's label: the rung's label or the component's name.
fn cost_label(run: &RunSummary, step: &str) -> String {
    match step {
        "workforce" => words::WORKFORCE.into(),
        "fixed" => words::FIXED.into(),
        "breakdowns" => words::BREAKDOWNS.into(),
        "total" => words::TOTAL.into(),
        id => run
            .scenario
            .params
            .steps
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_string(), |r| r.label.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_fits_excels_limit() {
        assert_eq!(cell_text("Herning"), "Herning");
        let long = "x".repeat(50_000);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
    }
}
