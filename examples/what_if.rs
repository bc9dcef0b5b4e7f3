//! A what-if: the Herning baseline with 8 caseworkers instead of 4.
//!
//! Shows how to load a scenario file, apply a `--set`-style override in code
//! (`"workforce.caseworkers=8".parse::<Override>()`), run both, and compare
//! them replication by replication. Both runs use the same seed, so
//! replication *i* of each sees the same referrals and the same per-child
//! luck (common random numbers) until the policies make the paths differ;
//! the paired differences therefore have much narrower confidence intervals
//! than the difference of two independent means.
//!
//! Printed per period: total cost and the institution share of placed
//! child-years under each policy, and the paired difference (what-if minus
//! baseline) with its 95 % CI.
//!
//! Run with `cargo run --release --example what_if` (from the repository
//! root, or pass the scenario path as the first argument).

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use trappe::metrics::Metric;
use trappe::results::Results;
use trappe::results::stats::{Summary, summarize, t975};
use trappe::{Override, Scenario, monte_carlo};

const WHAT_IF: &str = "workforce.caseworkers=8";

/// Paired difference `what_if − base` of one metric row in one period.
fn paired_difference(
    base: &Results,
    what_if: &Results,
    metric: Metric,
    step: &str,
    period: usize,
) -> Option<Summary> {
    let row_b = base.layout.find(metric, step)?;
    let row_w = what_if.layout.find(metric, step)?;
    let n = base.replications().min(what_if.replications());
    let diffs: Vec<f64> = (0..n)
        .map(|r| what_if.value(r, period, row_w) - base.value(r, period, row_b))
        .collect();
    let t = if n > 1 { t975(n - 1) } else { f64::NAN };
    Some(summarize(&diffs, t))
}

fn main() -> Result<()> {
    let path = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/herning-baseline.toml"),
        PathBuf::from,
    );
    let load =
        |overrides: &[Override]| Scenario::load(&path, overrides).map_err(|e| anyhow!("{e}"));
    let base = load(&[])?;
    let change: Override = WHAT_IF.parse().map_err(|e: String| anyhow!(e))?;
    let what_if = load(&[change]).with_context(|| format!("applying {WHAT_IF}"))?;

    let base_results = monte_carlo::run(&base);
    let what_if_results = monte_carlo::run(&what_if);
    let top = base_results
        .top_placement()
        .context("the ladder has no placement rung")?
        .to_string();

    println!("{}", base.name());
    println!(
        "what-if: {WHAT_IF} — {} replications each, paired by replication; mean [95 % CI]",
        base_results.replications()
    );
    println!(
        "{:<11}  {:>14}  {:>14}  {:<32}  {:>8}  {:>8}  Δ {top} share (pp)",
        "period", "cost base", "cost what-if", "Δ cost (DKK)", "base", "what-if",
    );
    for (k, period) in base_results.periods.iter().enumerate() {
        let mean =
            |r: &Results, m: Metric, step: &str| r.summary(m, step, k).map_or(f64::NAN, |s| s.mean);
        let cost_b = mean(&base_results, Metric::Cost, "total");
        let cost_w = mean(&what_if_results, Metric::Cost, "total");
        let share_b = mean(&base_results, Metric::PlacementShare, &top);
        let share_w = mean(&what_if_results, Metric::PlacementShare, &top);
        let d_cost = paired_difference(&base_results, &what_if_results, Metric::Cost, "total", k)
            .context("cost/total is always reported")?;
        let d_share = paired_difference(
            &base_results,
            &what_if_results,
            Metric::PlacementShare,
            &top,
            k,
        )
        .context("the top placement rung has a share")?;
        println!(
            "{:<11}  {:>14.0}  {:>14.0}  {:<32}  {:>7.1}%  {:>7.1}%  {:+.1} [{:+.1}, {:+.1}]",
            period.start.to_string(),
            cost_b,
            cost_w,
            format!(
                "{:+.0} [{:+.0}, {:+.0}]",
                d_cost.mean, d_cost.ci95_low, d_cost.ci95_high
            ),
            share_b * 100.0,
            share_w * 100.0,
            d_share.mean * 100.0,
            d_share.ci95_low * 100.0,
            d_share.ci95_high * 100.0,
        );
    }
    Ok(())
}
