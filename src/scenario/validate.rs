//! Every constraint a scenario must meet before it may run (docs/model.md section 9),
//! checked all at once so the user sees every problem in one go.

use super::file::{FollowUpPolicy, LatentRates, ScenarioFile};
use crate::format::{ENGLISH, significant};
use crate::input::{KeyPath, Problem};

/// Ids that name things other than rungs in outputs and paths.
pub const RESERVED_IDS: [&str; 7] = [
    "assessment",
    "none",
    "closed",
    "workforce",
    "fixed",
    "breakdowns",
    "total",
];

/// Sanity ceilings: far beyond any real use, low enough to catch a typo
/// (an extra zero) before it turns into hours of computing.
pub const MAX_REPLICATIONS: u64 = 1_000_000;
/// Longest horizon or warm-up, in years.
pub const MAX_YEARS: f64 = 200.0;
/// Most caseworkers in one team.
pub const MAX_CASEWORKERS: u32 = 100_000;
/// Most initial cases of one kind.
pub const MAX_INITIAL: u32 = 10_000_000;
/// Most referrals per year: more than a whole country's, so a typo (an
/// exponent, extra zeros) is caught before it becomes a run that never ends.
pub const MAX_REFERRALS_PER_YEAR: f64 = 1_000_000.0;
/// Highest hazard per year (latent moves, closures): about once every 30
/// seconds, a stand-in for "at once"; what many such cases cost is caught
/// by the work estimate (`work.rs`).
pub const MAX_HAZARD_PER_YEAR: f64 = 1_000_000.0;
/// Shortest follow-up interval, in weeks: about ten minutes, a stand-in
/// for "back to back" (the model's own tests saturate caseworkers with it);
/// what many such follow-ups cost is caught by the work estimate
/// (`work.rs`).
pub const MIN_INTERVAL_WEEKS: f64 = 0.001;
/// Largest amount of money per unit (a child-year, a caseworker-year, a
/// breakdown, a year of fixed costs): a trillion, so that summed over every
/// case, period and replication totals stay far from overflowing.
pub const MAX_MONEY: f64 = 1e12;
/// Most caseworker hours of one task (a follow-up, an assessment).
pub const MAX_TASK_HOURS: f64 = 10_000.0;
/// Most hours of work per case and month (there are 744 hours in a month).
pub const MAX_HOURS_PER_MONTH: f64 = 744.0;
/// Most places on one rung (placement capacity): as many as initial cases.
pub const MAX_PLACES: u32 = MAX_INITIAL;
/// Most caseload points of one case.
pub const MAX_POINTS: f64 = 1_000_000.0;

/// Collects problems with a path prefix.
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, path: KeyPath, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    /// A finite number in `[min, max]`.
    fn range(&mut self, path: KeyPath, value: f64, min: f64, max: f64) {
        if !value.is_finite() {
            self.fail(
                path,
                format!("must be a finite number, got {}", ENGLISH.exact(value)),
            );
        } else if value < min || value > max {
            let bound = if max == f64::INFINITY {
                format!("must be at least {}", ENGLISH.exact(min))
            } else if value < min {
                format!(
                    "must be at least {} (and at most {})",
                    ENGLISH.exact(min),
                    ENGLISH.exact(max)
                )
            } else {
                format!(
                    "must be between {} and {}",
                    ENGLISH.exact(min),
                    ENGLISH.exact(max)
                )
            };
            self.fail(path, format!("{bound}, got {}", ENGLISH.exact(value)));
        }
    }

    /// A finite number ≥ 0.
    fn non_negative(&mut self, path: KeyPath, value: f64) {
        self.range(path, value, 0.0, f64::INFINITY);
    }

    /// A finite number > 0 (and at most `max`).
    fn positive(&mut self, path: KeyPath, value: f64, max: f64) {
        if value.is_finite() && value <= 0.0 {
            self.fail(
                path,
                format!("must be greater than 0, got {}", ENGLISH.exact(value)),
            );
        } else {
            self.range(path, value, 0.0, max);
        }
    }

    /// A hazard per year, at most [`MAX_HAZARD_PER_YEAR`].
    fn hazard(&mut self, path: KeyPath, value: f64) {
        self.range(path, value, 0.0, MAX_HAZARD_PER_YEAR);
    }

    /// An interval in weeks: at least [`MIN_INTERVAL_WEEKS`], at most
    /// [`MAX_YEARS`].
    fn interval(&mut self, path: KeyPath, value: f64) {
        if value.is_finite() && value > 0.0 && value < MIN_INTERVAL_WEEKS {
            self.fail(
                path,
                format!(
                    "must be at least {} weeks (about ten minutes), got {}",
                    ENGLISH.exact(significant(MIN_INTERVAL_WEEKS, 4)),
                    ENGLISH.exact(value)
                ),
            );
        } else {
            self.positive(path, value, MAX_YEARS * 52.0);
        }
    }

    fn probability(&mut self, path: KeyPath, value: f64) {
        self.range(path, value, 0.0, 1.0);
    }
}

/// Check a deserialized scenario; empty means valid.
pub fn validate(file: &ScenarioFile) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    let s = &file.scenario;
    let at = |keys: &[&str]| KeyPath::keys(keys);

    if s.name.trim().is_empty() {
        c.fail(at(&["scenario", "name"]), "must not be empty");
    }
    if file.start_date().is_none() || s.start.time.is_some() {
        c.fail(
            at(&["scenario", "start"]),
            "must be a plain TOML date such as 2013-08-01",
        );
    }
    c.positive(
        at(&["scenario", "horizon_years"]),
        s.horizon_years,
        MAX_YEARS,
    );
    c.range(
        at(&["scenario", "warmup_years"]),
        s.warmup_years,
        0.0,
        MAX_YEARS,
    );
    if s.replications == 0 || s.replications > MAX_REPLICATIONS {
        c.fail(
            at(&["scenario", "replications"]),
            format!(
                "must be between 1 and {MAX_REPLICATIONS}, got {}",
                s.replications
            ),
        );
    }
    if s.seed > i64::MAX as u64 {
        c.fail(
            at(&["scenario", "seed"]),
            format!(
                "must be at most {} (a TOML integer), got {}",
                i64::MAX,
                s.seed
            ),
        );
    }
    if s.currency.trim().is_empty() {
        c.fail(at(&["scenario", "currency"]), "must not be empty");
    }
    c.positive(at(&["scenario", "exit_age"]), s.exit_age, 150.0);

    check_ladder(&mut c, file);
    check_intake(&mut c, file);

    let f = &file.follow_up;
    c.probability(at(&["follow_up", "detection"]), f.detection);
    c.range(
        at(&["follow_up", "on_time_weeks"]),
        f.on_time_weeks,
        0.0,
        MAX_YEARS * 52.0,
    );

    for (key, &count) in &file.initial {
        let path = at(&["initial"]).key(key);
        if key != "assessment" && !file.steps.iter().any(|r| &r.id == key) {
            c.fail(path, format!("no rung with id '{key}' (nor 'assessment')"));
        } else if count > MAX_INITIAL {
            c.fail(path, format!("must be at most {MAX_INITIAL}, got {count}"));
        }
    }

    if let Some(w) = &file.workforce {
        let path = |k: &str| at(&["workforce", k]);
        if w.caseworkers == 0 || w.caseworkers > MAX_CASEWORKERS {
            c.fail(
                path("caseworkers"),
                format!(
                    "must be between 1 and {MAX_CASEWORKERS}, got {}",
                    w.caseworkers
                ),
            );
        }
        c.positive(path("hours_per_week"), w.hours_per_week, 168.0);
        c.positive(path("case_work_share"), w.case_work_share, 1.0);
        c.positive(path("min_task_share"), w.min_task_share, 1.0);
        c.range(path("salary_per_year"), w.salary_per_year, 0.0, MAX_MONEY);
    }

    let k = &file.costs;
    c.range(
        at(&["costs", "fixed_per_year"]),
        k.fixed_per_year,
        0.0,
        MAX_MONEY,
    );
    c.range(
        at(&["costs", "per_breakdown"]),
        k.per_breakdown,
        0.0,
        MAX_MONEY,
    );
    c.range(at(&["costs", "discount_rate"]), k.discount_rate, 0.0, 1.0);

    for (i, change) in file.changes.iter().enumerate() {
        let path = at(&["changes"]).index(i).key("at_years");
        c.range(path.clone(), change.at_years, 0.0, MAX_YEARS);
        if change.at_years.is_finite() && change.at_years >= s.horizon_years {
            c.fail(
                path,
                format!(
                    "must be before the horizon ({} years), got {}",
                    ENGLISH.exact(s.horizon_years),
                    ENGLISH.exact(change.at_years)
                ),
            );
        }
    }
    c.problems
}

fn check_ladder(c: &mut Checker, file: &ScenarioFile) {
    if file.steps.is_empty() {
        c.fail(
            KeyPath::keys(&["steps"]),
            "the ladder needs at least one rung ([[steps]] with an id)",
        );
    }
    for (i, rung) in file.steps.iter().enumerate() {
        let at = |k: &str| KeyPath::keys(&["steps"]).index(i).key(k);
        let id = &rung.id;
        if id.is_empty()
            || !id
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            c.fail(
                at("id"),
                format!("'{id}' is not a valid id: use lowercase letters, digits and _"),
            );
        } else if RESERVED_IDS.contains(&id.as_str()) {
            c.fail(
                at("id"),
                format!("'{id}' is reserved (reserved: {})", RESERVED_IDS.join(", ")),
            );
        } else if file.steps[..i].iter().any(|r| &r.id == id) {
            c.fail(at("id"), format!("duplicate rung id '{id}'"));
        }
        c.range(at("cost_per_year"), rung.cost_per_year, 0.0, MAX_MONEY);
        c.range(at("points"), rung.points, 0.0, MAX_POINTS);
        c.range(
            at("workload_hours_per_month"),
            rung.workload_hours_per_month,
            0.0,
            MAX_HOURS_PER_MONTH,
        );
        if let Some(max) = rung.max_years {
            c.positive(at("max_years"), max, MAX_YEARS);
            if rung.follow_up.is_none() {
                c.fail(
                    at("max_years"),
                    "a time limit needs a follow_up on the rung (it acts at a follow-up)",
                );
            }
        }
        if let Some(FollowUpPolicy {
            first_weeks,
            every_weeks,
            hours,
        }) = rung.follow_up
        {
            let f = |k: &str| at("follow_up").key(k);
            c.interval(f("first_weeks"), first_weeks);
            c.interval(f("every_weeks"), every_weeks);
            c.range(f("hours"), hours, 0.0, MAX_TASK_HOURS);
        }
        let LatentRates {
            improve,
            worsen,
            relapse,
            crisis,
        } = rung.latent;
        for (key, rate) in [
            ("improve", improve),
            ("worsen", worsen),
            ("relapse", relapse),
            ("crisis", crisis),
        ] {
            c.hazard(at("latent").key(key), rate);
        }
        c.hazard(at("exit").key("close"), rung.exit.close);
        // Placement capacity (model version 2).
        if let Some(places) = rung.capacity {
            if i + 1 == file.steps.len() {
                c.fail(
                    at("capacity"),
                    "the top rung is the last resort and cannot have a capacity \
                     (a child who finds every rung below full goes there)",
                );
            } else if places > MAX_PLACES {
                c.fail(
                    at("capacity"),
                    format!("must be at most {MAX_PLACES}, got {places}"),
                );
            }
        }
    }
}

fn check_intake(c: &mut Checker, file: &ScenarioFile) {
    let intake = &file.intake;
    let at = |k: &str| KeyPath::keys(&["intake", k]);
    c.range(
        at("referrals_per_year"),
        intake.referrals_per_year,
        0.0,
        MAX_REFERRALS_PER_YEAR,
    );
    c.range(
        at("assessment_hours"),
        intake.assessment_hours,
        0.0,
        MAX_TASK_HOURS,
    );
    c.range(
        at("assessment_min_weeks"),
        intake.assessment_min_weeks,
        0.0,
        MAX_YEARS * 52.0,
    );
    c.range(
        at("assessment_points"),
        intake.assessment_points,
        0.0,
        MAX_POINTS,
    );
    c.non_negative(at("age_min"), intake.age_min);
    c.non_negative(at("age_max"), intake.age_max);
    if intake.age_min > intake.age_max {
        c.fail(
            at("age_max"),
            format!(
                "must not be below age_min ({}), got {}",
                ENGLISH.exact(intake.age_min),
                ENGLISH.exact(intake.age_max)
            ),
        );
    }
    if intake.age_max >= file.scenario.exit_age {
        c.fail(
            at("age_max"),
            format!(
                "must be below scenario.exit_age ({}), got {}",
                ENGLISH.exact(file.scenario.exit_age),
                ENGLISH.exact(intake.age_max)
            ),
        );
    }
    let mut sum = 0.0;
    let mut entries_ok = true;
    for (key, &p) in &intake.entry {
        let path = at("entry").key(key);
        if key != "none" && !file.steps.iter().any(|r| &r.id == key) {
            c.fail(path, format!("no rung with id '{key}' (nor 'none')"));
            entries_ok = false;
        } else if !(0.0..=1.0).contains(&p) {
            c.probability(path, p);
            entries_ok = false;
        }
        sum += p;
    }
    let assessed =
        intake.referrals_per_year > 0.0 || file.initial.get("assessment").is_some_and(|&n| n > 0);
    if entries_ok && (assessed || !intake.entry.is_empty()) && (sum - 1.0).abs() > 1e-6 {
        let message = if intake.entry.is_empty() {
            "is required when cases are assessed (referrals or initial assessments): \
             give the probability of each rung and 'none', summing to 1"
                .to_string()
        } else {
            format!(
                "probabilities must sum to 1, they sum to {}",
                ENGLISH.exact(significant(sum, 12))
            )
        };
        c.fail(at("entry"), message);
    }
}
