//! `transitions.csv` as the results contract describes it: its header,
//! its row order (period, `from`: `assessment` then the ladder, `to`: the
//! ladder, `closed`, `aged_out`, then kind), every (from, to, kind) in
//! every period, and its means adding up to the move and closure metrics
//! of `summary.csv` period by period.

use std::collections::{BTreeMap, BTreeSet};

use tempfile::TempDir;

use crate::{Csv, ladder, run_ok, scenario, trappe};

const HEADER: &str =
    "period,period_start,period_end,from,to,kind,mean,sd,ci95_low,ci95_high,p05,p50,p95";
const KINDS: [&str; 7] = [
    "entry",
    "down",
    "up",
    "time_limit",
    "crisis",
    "close",
    "age_out",
];

#[test]
fn transitions_csv_follows_the_contract() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("results");
    let file = scenario("herning-sverigesmodel.toml");
    run_ok(trappe().arg("run").arg(&file).arg("--out").arg(&out).args([
        "--replications",
        "20",
        "--no-plots",
        "-q",
    ]));
    let text = std::fs::read_to_string(out.join("transitions.csv")).unwrap();
    assert_eq!(text.lines().next(), Some(HEADER));
    let ids: Vec<String> = ladder(&out.join("scenario.toml"))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let from_order = |s: &str| match s {
        "assessment" => 0,
        id => 1 + ids.iter().position(|r| r == id).expect("a rung"),
    };
    let to_order = |s: &str| match s {
        "closed" => ids.len(),
        "aged_out" => ids.len() + 1,
        id => ids.iter().position(|r| r == id).expect("a rung"),
    };
    let csv = Csv::read(&out.join("transitions.csv"));
    let (period, from, to, kind, mean) = (
        csv.col("period"),
        csv.col("from"),
        csv.col("to"),
        csv.col("kind"),
        csv.col("mean"),
    );
    let mut keys = Vec::new();
    let mut triples: BTreeMap<usize, BTreeSet<(String, String, String)>> = BTreeMap::new();
    // Per period: down (to a rung), up, crisis, closures, aged out, entry.
    let mut sums: BTreeMap<usize, [f64; 6]> = BTreeMap::new();
    for row in &csv.rows {
        let k: usize = row[period].parse().unwrap();
        let kind_index = KINDS.iter().position(|x| *x == row[kind]).expect("a kind");
        keys.push((k, from_order(&row[from]), to_order(&row[to]), kind_index));
        triples.entry(k).or_default().insert((
            row[from].clone(),
            row[to].clone(),
            row[kind].clone(),
        ));
        let m: f64 = row[mean].parse().unwrap();
        let s = sums.entry(k).or_default();
        let closed = row[to] == "closed";
        match row[kind].as_str() {
            "entry" => {
                s[5] += m;
                if closed {
                    s[3] += m;
                }
            }
            "down" | "time_limit" if closed => s[3] += m,
            "down" | "time_limit" => s[0] += m,
            "up" => s[1] += m,
            "crisis" => s[2] += m,
            "close" => s[3] += m,
            "age_out" => s[4] += m,
            other => panic!("unknown kind {other}"),
        }
    }
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "rows are not in contract order"
    );
    let first = triples.values().next().expect("rows").clone();
    assert!(
        first.len() > 10,
        "Herning has many kinds of moves: {first:?}"
    );
    for (k, t) in &triples {
        assert_eq!(t, &first, "period {k}: every triple in every period");
    }

    let summary = Csv::read(&out.join("summary.csv"));
    let (sp, sm, ss, smean) = (
        summary.col("period"),
        summary.col("metric"),
        summary.col("step"),
        summary.col("mean"),
    );
    let metric = |k: usize, name: &str| -> f64 {
        summary
            .rows
            .iter()
            .find(|r| r[sp] == k.to_string() && r[sm] == name && r[ss].is_empty())
            .map(|r| r[smean].parse().unwrap())
            .unwrap_or_else(|| panic!("no {name} in period {k}"))
    };
    let names = [
        "moves_down",
        "moves_up",
        "crises",
        "closures",
        "aged_out",
        "assessments",
    ];
    for (k, s) in &sums {
        for (name, sum) in names.iter().zip(s) {
            let m = metric(*k, name);
            assert!(
                (m - sum).abs() <= 1e-9 * m.abs().max(1.0),
                "period {k}: {name} {m} vs transitions {sum}"
            );
        }
    }
}
