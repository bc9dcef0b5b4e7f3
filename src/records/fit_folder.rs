//! A `trappe fit` output folder read back: `fit.csv` (every observed
//! quantity against its simulated mean), `parameters.csv` (every value the
//! fit set, searched or kept), the observed 95 % intervals from
//! `observed.csv` and the fitted `scenario.toml`'s language and rung
//! labels. The fit report and its figures are drawn from this, so a report
//! can be redrawn from the folder without fitting again.

use std::collections::BTreeMap;
use std::path::Path;

use super::observed;
use crate::Error;
use crate::language::Language;
use crate::results::ReadError;
use crate::results::csv::{content_error, read_records};
use crate::scenario::Scenario;

// The file names and headers are the writer's (`records::fit::output`):
// one definition, so the report reads exactly what `trappe fit` writes.
pub use super::fit::output::{
    FIT_CSV, FIT_HEADER, OBSERVED_CSV, PARAMETERS_CSV, PARAMETERS_HEADER, SCENARIO_TOML,
};

/// How an observed quantity came out of the fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Fitted, and the simulation lies within 2 standard errors of it.
    Fits,
    /// Fitted, and more than 2 standard errors away.
    Misses,
    /// Compared only (set directly, or not in the fitted distance).
    Check,
}

impl Verdict {
    /// The verdict written in `fit.csv`.
    fn parse(text: &str) -> Option<Self> {
        match text {
            "fits" => Some(Verdict::Fits),
            "misses" => Some(Verdict::Misses),
            "check" => Some(Verdict::Check),
            _ => None,
        }
    }
}

/// One row of `fit.csv`, with the observed 95 % interval beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    /// The quantity's name in `observed.csv` (`intensity`, ...).
    pub quantity: String,
    /// The place it is about (empty where none).
    pub place: String,
    /// The age band (`all`, or `12-15`).
    pub age_band: String,
    /// Where the move led (empty where none).
    pub destination: String,
    /// The value the records show.
    pub observed: f64,
    /// Its standard error as the distance used it.
    pub observed_se: Option<f64>,
    /// The simulated mean (none when the simulation never showed it).
    pub fitted: Option<f64>,
    /// Its Monte Carlo standard error.
    pub fitted_se: Option<f64>,
    /// (fitted − observed) in combined standard errors.
    pub distance: Option<f64>,
    /// Fits, misses or check.
    pub verdict: Verdict,
    /// The observed value's 95 % interval: from `observed.csv` where it
    /// has the row (exact Poisson for intensities), else ±1.96 SE.
    pub ci95: Option<(f64, f64)>,
}

impl FitRow {
    /// Whether it was compared at all (a distance could be computed).
    pub fn compared(&self) -> bool {
        self.distance.is_some()
    }

    /// Within 2 standard errors.
    pub fn within_two_se(&self) -> bool {
        self.distance.is_some_and(|d| d.abs() <= 2.0)
    }
}

/// Whether the records pinned a value down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identified {
    /// Fitted or set, with a standard error.
    Yes,
    /// Searched, but other values fit the records as well.
    No,
    /// Not fitted: the policy's value is kept.
    Kept,
}

/// One row of `parameters.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FittedParameter {
    /// The `--set` path (`steps.foster.improve`).
    pub parameter: String,
    /// The policy's value, as written.
    pub policy_value: String,
    /// The value in the fitted scenario, as written.
    pub fitted_value: String,
    /// Its standard error, as written (empty when none).
    pub se: String,
    /// Whether the records pinned it down.
    pub identified: Identified,
    /// Where the value comes from, in words.
    pub source: String,
}

/// A fit folder read back.
#[derive(Debug, Clone)]
pub struct FitFolder {
    /// Every row of `fit.csv`, in its order.
    pub rows: Vec<FitRow>,
    /// Every row of `parameters.csv`, in its order.
    pub parameters: Vec<FittedParameter>,
    /// The fitted scenario's name (the folder's name without a
    /// scenario.toml).
    pub name: String,
    /// The fitted scenario's language (English without a scenario.toml).
    pub language: Language,
    /// Rung id → label, from the fitted scenario (empty without one).
    pub labels: BTreeMap<String, String>,
}

impl FitFolder {
    /// Read `dir`'s `fit.csv` and `parameters.csv` (required), the
    /// intervals of `observed.csv` and `scenario.toml` (when present).
    /// Errors name the file, the line and the column.
    pub fn read(dir: &Path) -> Result<Self, Error> {
        let intervals = match dir.join(OBSERVED_CSV) {
            p if p.is_file() => read_intervals(&p)?,
            _ => BTreeMap::new(),
        };
        let mut rows = read_rows(&dir.join(FIT_CSV))?;
        for c in &mut rows {
            let key = (
                c.quantity.clone(),
                c.place.clone(),
                c.age_band.clone(),
                c.destination.clone(),
            );
            c.ci95 = intervals.get(&key).copied().or_else(|| {
                c.observed_se
                    .map(|se| ((c.observed - 1.96 * se).max(0.0), c.observed + 1.96 * se))
            });
        }
        let parameters = read_parameters(&dir.join(PARAMETERS_CSV))?;
        let folder_name = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let (name, language, labels) = match dir.join(SCENARIO_TOML) {
            p if p.is_file() => {
                let scenario = Scenario::load(&p, &[])?;
                let labels = scenario
                    .file
                    .steps
                    .iter()
                    .map(|r| (r.id.clone(), r.label.clone()))
                    .collect();
                (scenario.name().to_string(), scenario.language(), labels)
            }
            _ => (folder_name, Language::English, BTreeMap::new()),
        };
        Ok(FitFolder {
            rows,
            name,
            parameters,
            language,
            labels,
        })
    }
}

impl FitFolder {
    /// A place or destination of `fit.csv` in words of the folder's
    /// language: a rung (by id in English, by label in Danish),
    /// `assessment`, `closed`, `aged_out` or `none`.
    pub fn place_name(&self, id: &str) -> String {
        let w = &self.language.words().fit;
        match id {
            "assessment" => w.assessment.into(),
            "closed" => w.closed.into(),
            "aged_out" => w.aged_out.into(),
            "none" => w.no_place.into(),
            rung => {
                let label = self.labels.get(rung).map_or(rung, String::as_str);
                self.language.rung_name(rung, label)
            }
        }
    }

    /// An age band of `fit.csv` (`12-15`, `all`) in words: `12–15`, `all
    /// ages`.
    pub fn band_name(&self, band: &str) -> String {
        let w = &self.language.words().fit;
        match band.split_once('-') {
            Some((from, to)) => {
                let age = |a: &str| {
                    a.parse()
                        .map_or(a.to_string(), |x| self.language.numbers().plain(x))
                };
                (w.ages)(&age(from), &age(to))
            }
            None if band == "all" => w.all_ages.into(),
            None => band.into(),
        }
    }

    /// What a row is about, in words: "foster → institution, 12–15".
    pub fn describe(&self, row: &FitRow) -> String {
        let w = &self.language.words().fit;
        let band = self.band_name(&row.age_band);
        let place = self.place_name(&row.place);
        let destination = self.place_name(&row.destination);
        match row.quantity.as_str() {
            "intensity" => format!("{place} → {destination}, {band}"),
            "referrals_per_year" => w.referrals.into(),
            "age_weight" => (w.age_weight)(&band),
            "entry_share" => (w.entry_share)(&destination, &band),
            "follow_up_weeks" => (w.follow_up_weeks)(&place),
            "first_follow_up_weeks" => (w.first_follow_up_weeks)(&place),
            other => format!("{other} {place} {destination} {band}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// A value of a row's quantity for reading, with its unit: rates
    /// `0.31 per year`, shares `12.5 %`, cadences `8.1 weeks` (two
    /// significant digits for rates and cadences: the records' sampling
    /// error is rarely smaller).
    pub fn value_text(&self, quantity: &str, x: f64, with_unit: bool) -> String {
        let w = &self.language.words().fit;
        let n = self.language.numbers();
        let short = n.plain(crate::format::significant(x, 2));
        let unit = match quantity {
            "age_weight" | "entry_share" => return n.percent(x, 1),
            "follow_up_weeks" | "first_follow_up_weeks" => w.weeks,
            _ => w.per_year,
        };
        if with_unit {
            format!("{short} {unit}")
        } else {
            short
        }
    }
}

/// A cell of `column` on `line` of `path` as a number; empty is `None`.
fn optional_number(
    path: &Path,
    line: u64,
    column: &str,
    cell: &str,
) -> Result<Option<f64>, ReadError> {
    if cell.is_empty() {
        return Ok(None);
    }
    match cell.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(content_error(
            path,
            line,
            format!("column `{column}`: `{cell}` is not a number"),
        )),
    }
}

/// Like [`optional_number`], but the cell must hold one.
fn number(path: &Path, line: u64, column: &str, cell: &str) -> Result<f64, ReadError> {
    optional_number(path, line, column, cell)?.ok_or_else(|| {
        content_error(
            path,
            line,
            format!("column `{column}` is empty; it needs a number"),
        )
    })
}

fn read_rows(path: &Path) -> Result<Vec<FitRow>, ReadError> {
    let mut rows = Vec::new();
    for record in read_records(path, &FIT_HEADER)? {
        let (line, r) = record?;
        let cell = |i: usize| r.get(i).unwrap_or("");
        let opt = |i: usize| optional_number(path, line, FIT_HEADER[i], cell(i));
        let verdict = Verdict::parse(cell(9)).ok_or_else(|| {
            content_error(
                path,
                line,
                format!(
                    "column `verdict`: `{}` is not fits, misses or check",
                    cell(9)
                ),
            )
        })?;
        rows.push(FitRow {
            quantity: cell(0).to_string(),
            place: cell(1).to_string(),
            age_band: cell(2).to_string(),
            destination: cell(3).to_string(),
            observed: number(path, line, FIT_HEADER[4], cell(4))?,
            observed_se: opt(5)?,
            fitted: opt(6)?,
            fitted_se: opt(7)?,
            distance: opt(8)?,
            verdict,
            ci95: None,
        });
    }
    Ok(rows)
}

fn read_parameters(path: &Path) -> Result<Vec<FittedParameter>, ReadError> {
    let mut rows = Vec::new();
    for record in read_records(path, &PARAMETERS_HEADER)? {
        let (line, r) = record?;
        let cell = |i: usize| r.get(i).unwrap_or("").to_string();
        let identified = match cell(4).as_str() {
            "yes" => Identified::Yes,
            "no" => Identified::No,
            "kept" => Identified::Kept,
            other => {
                return Err(content_error(
                    path,
                    line,
                    format!("column `identified`: `{other}` is not yes, no or kept"),
                ));
            }
        };
        rows.push(FittedParameter {
            parameter: cell(0),
            policy_value: cell(1),
            fitted_value: cell(2),
            se: cell(3),
            identified,
            source: cell(5),
        });
    }
    Ok(rows)
}

type Key = (String, String, String, String);

/// The 95 % interval of every row of `observed.csv`.
fn read_intervals(path: &Path) -> Result<BTreeMap<Key, (f64, f64)>, ReadError> {
    let mut out = BTreeMap::new();
    for record in read_records(path, &observed::HEADER)? {
        let (line, r) = record?;
        let cell = |i: usize| r.get(i).unwrap_or("");
        let low = number(path, line, observed::HEADER[8], cell(8))?;
        let high = number(path, line, observed::HEADER[9], cell(9))?;
        let key = (
            cell(0).to_string(),
            cell(1).to_string(),
            cell(2).to_string(),
            cell(3).to_string(),
        );
        out.insert(key, (low, high));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(fit: &str, parameters: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FIT_CSV), fit).unwrap();
        std::fs::write(dir.path().join(PARAMETERS_CSV), parameters).unwrap();
        dir
    }

    const PARAMETERS: &str = "parameter,policy_value,fitted_value,se,identified,source\n\
        steps.foster.improve,0.3,0.3,,no,fitted by simulation\n";

    #[test]
    fn rows_read_with_empty_cells_and_intervals_from_the_se() {
        let dir = folder(
            "quantity,place,age_band,destination,observed,observed_se,fitted,fitted_se,distance_se,verdict\n\
             intensity,foster,12-15,institution,0.31,0.04,0.18,0.01,-3.15,misses\n\
             follow_up_weeks,foster,all,,8,,,,,check\n",
            PARAMETERS,
        );
        let f = FitFolder::read(dir.path()).unwrap();
        assert_eq!(f.language, Language::English);
        let [a, b] = &f.rows[..] else {
            panic!("two rows")
        };
        assert_eq!(a.verdict, Verdict::Misses);
        assert_eq!(a.distance, Some(-3.15));
        let (lo, hi) = a.ci95.unwrap();
        assert!(
            (lo - (0.31 - 1.96 * 0.04)).abs() < 1e-12 && (hi - (0.31 + 1.96 * 0.04)).abs() < 1e-12
        );
        assert!(!b.compared() && b.ci95.is_none() && b.fitted.is_none());
        assert_eq!(f.parameters[0].identified, Identified::No);
    }

    #[test]
    fn a_bad_cell_is_named_by_file_line_and_column() {
        let dir = folder(
            "quantity,place,age_band,destination,observed,observed_se,fitted,fitted_se,distance_se,verdict\n\
             intensity,foster,all,closed,0.5,0.1,0.5,0.01,0,fits\n\
             intensity,foster,all,home,0.5,0.1,abc,0.01,0,fits\n",
            PARAMETERS,
        );
        let e = FitFolder::read(dir.path()).unwrap_err().to_string();
        assert!(e.contains("fit.csv, line 3: column `fitted`: `abc`"), "{e}");
        let dir = folder(
            "quantity,place,age_band,destination,observed,observed_se,fitted,fitted_se,distance_se,verdict\n",
            "parameter,policy_value,fitted_value,se,identified,source\nx,1,1,,maybe,policy\n",
        );
        let e = FitFolder::read(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("parameters.csv, line 2: column `identified`"),
            "{e}"
        );
    }
}
