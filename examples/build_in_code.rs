//! Build a scenario in code instead of a TOML file, run it, and read the
//! results.
//!
//! Shows the library's builders (`Settings`, `Rung`, `FollowUpPolicy`,
//! `LatentRates`, `ExitRates`, `Intake`, `Workforce`, `Costs`,
//! `ScenarioFile`), validation with `Scenario::from_file`, a Monte Carlo run
//! with `monte_carlo::run`, and per-period summaries with 95 % confidence
//! intervals from `Results::summary`.
//!
//! The ladder is a small three-rung one (prevention, foster care,
//! institution) for a team of 3 caseworkers with ~70 cases. All numbers are
//! illustrative, not calibrated.
//!
//! Run with `cargo run --release --example build_in_code`.

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use trappe::metrics::Metric;
use trappe::scenario::{
    Costs, ExitRates, FollowUpPolicy, Intake, LatentRates, Rung, ScenarioFile, Settings, Workforce,
};
use trappe::{Scenario, monte_carlo};

fn main() -> Result<()> {
    // [scenario]: 5 reported years after a 2-year warm-up, yearly periods.
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("a valid date");
    let mut settings = Settings::new("Three-rung ladder built in code", start, 5.0);
    settings.warmup_years = 2.0;
    settings.replications = 200;
    settings.seed = 42;

    // [[steps]], least intrusive first. Follow-ups every 3 months on
    // prevention and foster care, every 6 weeks in an institution.
    let mut prevention = Rung::new("prevention");
    prevention.label = "Forebyggelse".into();
    prevention.cost_per_year = 100_000.0;
    prevention.points = 5.0;
    prevention.workload_hours_per_month = 0.6;
    prevention.follow_up = Some(FollowUpPolicy {
        first_weeks: 4.0,
        every_weeks: 13.0,
        hours: 3.0,
    });
    prevention.latent = LatentRates {
        improve: 0.5.into(),
        worsen: 0.05.into(),
        relapse: 0.5.into(),
        crisis: 3.0.into(),
    };
    prevention.exit = ExitRates { close: 0.2.into() };

    let mut foster = Rung::new("foster");
    foster.label = "Familiepleje".into();
    foster.placement = true;
    foster.cost_per_year = 470_000.0;
    foster.points = 8.0;
    foster.workload_hours_per_month = 1.2;
    foster.follow_up = Some(FollowUpPolicy {
        first_weeks: 2.0,
        every_weeks: 13.0,
        hours: 4.0,
    });
    foster.latent = LatentRates {
        improve: 0.2.into(),
        worsen: 0.08.into(),
        relapse: 2.0.into(),
        crisis: 3.0.into(),
    };
    foster.exit = ExitRates { close: 0.15.into() };

    let mut institution = Rung::new("institution");
    institution.label = "Institution".into();
    institution.placement = true;
    institution.cost_per_year = 1_160_000.0;
    institution.points = 12.0;
    institution.workload_hours_per_month = 2.0;
    institution.max_years = Some(1.0); // time-limited placements
    institution.follow_up = Some(FollowUpPolicy {
        first_weeks: 2.0,
        every_weeks: 6.0,
        hours: 6.0,
    });
    institution.latent = LatentRates {
        improve: 0.85.into(),
        worsen: 0.08.into(),
        relapse: 2.0.into(),
        crisis: 3.0.into(),
    };
    institution.exit = ExitRates { close: 0.15.into() };

    let mut file = ScenarioFile::new(settings, vec![prevention, foster, institution]);

    // [intake]: 50 referrals a year; after assessment most close or get
    // prevention. `entry` must sum to 1 (`none` = closed after assessment).
    file.intake = Intake {
        referrals_per_year: 50.0,
        assessment_hours: 15.0,
        assessment_min_weeks: 17.0,
        assessment_points: 5.0,
        entry: [
            ("none", 0.55),
            ("prevention", 0.35),
            ("foster", 0.06),
            ("institution", 0.04),
        ]
        .into_iter()
        .map(|(id, p)| (id.to_string(), p.into()))
        .collect(),
        ..Intake::default()
    };

    // [initial]: cases open at the start of the warm-up.
    file.initial = [
        ("assessment", 16),
        ("prevention", 30),
        ("foster", 16),
        ("institution", 6),
    ]
    .into_iter()
    .map(|(id, n)| (id.to_string(), n))
    .collect();

    // [workforce]: 3 caseworkers, ~23 cases each.
    file.workforce = Some(Workforce {
        caseworkers: 3,
        hours_per_week: 37.0,
        case_work_share: 0.7,
        min_task_share: 0.1,
        salary_per_year: 500_000.0,
    });
    file.costs = Costs {
        fixed_per_year: 100_000.0,
        ..Costs::default()
    };

    // Validation lists every problem with its key path.
    let scenario = Scenario::from_file(file).map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("  {}: {}", p.path, p.message))
            .collect();
        anyhow!("invalid scenario:\n{}", lines.join("\n"))
    })?;

    let results = monte_carlo::run(&scenario);

    println!(
        "{} — {} replications, {:.1} M events; mean [95 % CI]",
        scenario.name(),
        results.replications(),
        results.events as f64 / 1e6
    );
    println!("period        placed child-years          total cost (DKK)");
    for (k, period) in results.periods.iter().enumerate() {
        let placed = results
            .summary(Metric::PlacedChildYears, "", k)
            .expect("placed_child_years is always reported");
        let cost = results
            .summary(Metric::Cost, "total", k)
            .expect("cost/total is always reported");
        println!(
            "{:<12}  {:<26}  {:.0} [{:.0}, {:.0}]",
            period.start.to_string(),
            format!(
                "{:.2} [{:.2}, {:.2}]",
                placed.mean, placed.ci95_low, placed.ci95_high
            ),
            cost.mean,
            cost.ci95_low,
            cost.ci95_high
        );
    }
    Ok(())
}
