//! Paired differences of moves (`compare_transitions.csv`): for every
//! (from, to, kind) that happens in any scenario, each scenario's mean
//! number of such moves per period and its paired difference from the
//! base, replication by replication like `compare.csv`. Scenarios may have
//! different ladders (a variant may add rungs): triples are matched by
//! name, and a triple a scenario cannot have counts 0 there.

use std::io;
use std::path::Path;

use super::summarize_difference;
use crate::results::csv::{csv_writer, finish_csv, number};
use crate::results::stats::t975;
use crate::results::transitions::rung_ids;
use crate::results::{PeriodInfo, Results};
use crate::transitions::Kind;

/// File name of the paired differences of transitions.
pub const TRANSITIONS_CSV: &str = "compare_transitions.csv";

/// Header of `compare_transitions.csv`.
pub const TRANSITIONS_HEADER: [&str; 13] = [
    "scenario",
    "period",
    "period_start",
    "period_end",
    "from",
    "to",
    "kind",
    "mean",
    "diff_mean",
    "diff_ci95_low",
    "diff_ci95_high",
    "diff_p05",
    "diff_p95",
];

/// A (from, to, kind) triple by name.
type Triple = (String, String, Kind);

/// Write `compare_transitions.csv` for `results` (the base first, run on
/// common random numbers), or nothing when a scenario did not keep its
/// transition counts.
pub fn write(results: &[Results], keys: &[String], path: &Path) -> io::Result<()> {
    if results.iter().any(|r| !r.has_transitions()) {
        return Ok(());
    }
    let base = &results[0];
    // Place names in output order: the base's ladder, then rungs only a
    // later scenario has, in order of appearance.
    let mut places: Vec<String> = vec!["assessment".into()];
    for r in results {
        for id in rung_ids(r) {
            if !places.contains(&id) {
                places.push(id);
            }
        }
    }
    places.extend(["closed".to_string(), "aged_out".to_string()]);
    let rank = |name: &str| places.iter().position(|p| p == name).unwrap_or(usize::MAX);
    let mut triples: Vec<Triple> = Vec::new();
    for r in results {
        let (grid, ids) = (r.transition_grid(), rung_ids(r));
        for c in r.used_transition_cells() {
            let cell = grid.cell(c);
            let (from, to) = grid.names(cell, &ids);
            let triple = (from.to_string(), to.to_string(), cell.kind);
            if !triples.contains(&triple) {
                triples.push(triple);
            }
        }
    }
    triples.sort_by_key(|(from, to, kind)| (rank(from), rank(to), *kind));
    // Each scenario's cell index of each triple (None: it cannot happen there).
    let cells: Vec<Vec<Option<usize>>> = results
        .iter()
        .map(|r| {
            let (grid, ids) = (r.transition_grid(), rung_ids(r));
            triples
                .iter()
                .map(|(from, to, kind)| grid.find(from, to, kind.name(), &ids))
                .collect()
        })
        .collect();
    let n = base.replications();
    let t = if n > 1 { t975(n - 1) } else { f64::NAN };
    let count = |s: usize, r: usize, k: usize, j: usize| {
        cells[s][j].map_or(0.0, |c| results[s].transition(r, k, c))
    };
    let mut w = csv_writer(path)?;
    w.write_record(TRANSITIONS_HEADER)?;
    for (s, key) in keys.iter().enumerate() {
        for (k, p) in base.periods.iter().enumerate() {
            write_period(&mut w, key, p, &triples, n, t, |r, j| {
                (count(s, r, k, j), count(0, r, k, j))
            })?;
        }
    }
    finish_csv(w)
}

/// The rows of one scenario and period; `value(r, j)` is (this scenario,
/// base) for replication `r` and triple `j`.
fn write_period(
    w: &mut crate::results::csv::CsvFile,
    key: &str,
    p: &PeriodInfo,
    triples: &[Triple],
    n: usize,
    t: f64,
    value: impl Fn(usize, usize) -> (f64, f64),
) -> io::Result<()> {
    for (j, (from, to, kind)) in triples.iter().enumerate() {
        let pairs: Vec<(f64, f64)> = (0..n).map(|r| value(r, j)).collect();
        let mean = pairs.iter().map(|(a, _)| a).sum::<f64>() / n as f64;
        let diffs: Vec<f64> = pairs.iter().map(|(a, b)| a - b).collect();
        let d = summarize_difference(&diffs, t);
        let mut record = vec![
            key.to_string(),
            p.index.to_string(),
            p.start.to_string(),
            p.end.to_string(),
            from.clone(),
            to.clone(),
            kind.name().to_string(),
        ];
        record.extend([mean, d.mean, d.ci95_low, d.ci95_high, d.p05, d.p95].map(number));
        w.write_record(&record)?;
    }
    Ok(())
}
