//! What `trappe calibrate` writes: `fit.csv` (every target with observed
//! value, simulated mean, 95 % CI and whether it is met), the fitted copies
//! of the scenario files ([`super::fitted_files`]), `fitted.toml` (the
//! fitted values by path), and the same table as text for the terminal.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::fitted_files::FittedFile;
use super::{Calibration, TargetFit};
use crate::format::ENGLISH;
use crate::results::number;

/// Columns of `fit.csv`.
pub const FIT_COLUMNS: [&str; 13] = [
    "target",
    "scenario",
    "metric",
    "step",
    "periods",
    "observed",
    "tolerance",
    "weight",
    "mean",
    "ci95_low",
    "ci95_high",
    "error",
    "met",
];

/// `fit.csv` as text.
pub fn fit_csv(calibration: &Calibration, fits: &[TargetFit]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(FIT_COLUMNS).expect("in memory");
    for (t, f) in calibration.file.targets.iter().zip(fits) {
        let numerator = match &t.moves {
            None => t.steps.join("+"),
            Some(m) => m.text.clone(),
        };
        let step = match &t.per {
            None => numerator,
            Some((m, steps, _)) => format!("{numerator} per {} {}", m.name(), steps.join("+"))
                .trim()
                .to_string(),
        };
        w.write_record([
            t.name.clone(),
            calibration.inputs[t.scenario].key.clone(),
            t.metric.map_or("transitions", |m| m.name()).to_string(),
            step,
            t.periods_text.clone(),
            number(t.observed),
            number(t.tolerance),
            number(t.weight),
            number(f.mean),
            number(f.ci95_low),
            number(f.ci95_high),
            number(f.mean - t.observed),
            f.met(t).to_string(),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("CSV is UTF-8")
}

/// A value for the table: percentages for shares and relative changes,
/// thousands separators for money, one decimal otherwise.
pub fn show(x: f64, percent: bool) -> String {
    if percent {
        ENGLISH.percent(x, 1)
    } else if x.abs() >= 10_000.0 {
        ENGLISH.thousands(x)
    } else {
        ENGLISH.decimals(x, 1)
    }
}

/// Whether a target is a fraction (shown in percent).
pub fn is_percent(t: &super::Target) -> bool {
    use crate::metrics::Metric;
    matches!(
        t.measure,
        super::Measure::Change {
            change: super::targets::Change::Relative,
            ..
        }
    ) || t.per.is_some()
        || matches!(
            t.metric,
            Some(Metric::PlacementShare | Metric::BreakdownRate)
        )
}

/// The fit table for the terminal.
pub fn table(calibration: &Calibration, fits: &[TargetFit]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{:<44} {:<22} {:>20} {:>36}  met",
        "target", "scenario", "observed ± tol", "simulated mean [95 % CI]"
    );
    for (t, f) in calibration.file.targets.iter().zip(fits) {
        let pc = is_percent(t);
        let observed = if pc {
            format!(
                "{:.1} % ± {:.1} pp",
                t.observed * 100.0,
                t.tolerance * 100.0
            )
        } else {
            format!("{} ± {}", show(t.observed, false), show(t.tolerance, false))
        };
        let sim = format!(
            "{} [{}, {}]",
            show(f.mean, pc),
            show(f.ci95_low, pc),
            show(f.ci95_high, pc)
        );
        let _ = writeln!(
            o,
            "{:<44} {:<22} {:>20} {:>36}  {}",
            t.name,
            calibration.inputs[t.scenario].key,
            observed,
            sim,
            if f.met(t) { "yes" } else { "NO" }
        );
    }
    o
}

/// `fitted.toml`: the fitted values by `--set` path (ties and remainders
/// expanded), with the command that produced them.
pub fn fitted_toml(
    calibration: &Calibration,
    values: &[f64],
    command: &str,
    objective: f64,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Fitted by `{command}`");
    let _ = writeln!(
        o,
        "# objective {objective:.4} (Σ weight × (error / tolerance)² over {} targets)",
        calibration.file.targets.len()
    );
    let _ = writeln!(o, "[fitted]");
    if let Ok(overrides) = calibration.overrides(values) {
        for ov in overrides {
            let _ = writeln!(o, "\"{}\" = {}", ov.path, ov.value);
        }
    }
    o
}

/// Write `fit.csv`, `fitted.toml` and the fitted copy of every scenario
/// file (the user's own text with the fitted values set in place, under its
/// own file name) into `dir` (a [`crate::results::Publication`]'s folder,
/// so they appear together).
pub fn write(
    dir: &Path,
    calibration: &Calibration,
    files: &[FittedFile],
    fits: &[TargetFit],
    fitted_toml: &str,
) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("fit.csv"), fit_csv(calibration, fits))?;
    std::fs::write(dir.join("fitted.toml"), fitted_toml)?;
    for file in files {
        let header = format!(
            "# {} with the fitted values of fitted.toml set in place (trappe calibrate).\n",
            file.original
        );
        std::fs::write(dir.join(&file.name), header + &file.text)?;
    }
    Ok(())
}
