//! Every constraint a scenario must meet before it may run (docs/model.md section 9),
//! checked all at once so the user sees every problem in one go.

use super::age_bands::{AgeBands, ByBand};
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

    /// A value that may differ by age band (model version 2): a number, or
    /// an array of one number per band, each checked by `each`. Returns
    /// whether it passed.
    fn by_band(
        &mut self,
        path: KeyPath,
        value: &ByBand,
        bands: &AgeBands,
        each: fn(&mut Self, KeyPath, f64),
    ) -> bool {
        let before = self.problems.len();
        if let ByBand::Each(values) = value
            && values.len() != bands.count()
            && values.len() != 1
        {
            let message = if bands.count() == 1 {
                format!(
                    "has {} values, but without scenario.age_bands there is one age band: \
                     give a number",
                    values.len()
                )
            } else {
                format!(
                    "has {} values, but there are {} age bands ({}): give a number or one \
                     value per band",
                    values.len(),
                    bands.count(),
                    bands.labels().join(", ")
                )
            };
            self.fail(path, message);
            return false;
        }
        for &v in value.values() {
            each(self, path.clone(), v);
        }
        self.problems.len() == before
    }
}

/// The age bands of a file as written (a count that fits the cut points
/// even when they are invalid, so lengths can still be checked).
fn bands_of(file: &ScenarioFile) -> AgeBands {
    AgeBands::new(file.scenario.age_bands.as_deref(), file.scenario.exit_age)
}

/// `scenario.age_bands` (model version 2): cut points strictly increasing,
/// above 0 and below `exit_age`; and `intake.age_weights`.
fn check_age(c: &mut Checker, file: &ScenarioFile) {
    let exit_age = file.scenario.exit_age;
    if let Some(cuts) = &file.scenario.age_bands {
        let path = KeyPath::keys(&["scenario", "age_bands"]);
        if cuts.is_empty() {
            c.fail(
                path.clone(),
                "must not be empty (omit the key for one age band)",
            );
        }
        for (k, &cut) in cuts.iter().enumerate() {
            if !cut.is_finite() || cut <= 0.0 || cut >= exit_age {
                c.fail(
                    path.clone(),
                    format!(
                        "cut points must be above 0 and below scenario.exit_age ({}), got {}",
                        ENGLISH.exact(exit_age),
                        ENGLISH.exact(cut)
                    ),
                );
            } else if k > 0 && cut <= cuts[k - 1] {
                c.fail(
                    path.clone(),
                    format!(
                        "cut points must be strictly increasing, got {} after {}",
                        ENGLISH.exact(cut),
                        ENGLISH.exact(cuts[k - 1])
                    ),
                );
            }
        }
    }
    let Some(weights) = &file.intake.age_weights else {
        return;
    };
    let path = KeyPath::keys(&["intake", "age_weights"]);
    let bands = bands_of(file);
    if weights.len() != bands.count() {
        c.fail(
            path,
            format!(
                "has {} weights, but there {} ({}): give one weight per band",
                weights.len(),
                if bands.count() == 1 {
                    "is one age band".to_string()
                } else {
                    format!("are {} age bands", bands.count())
                },
                bands.labels().join(", ")
            ),
        );
        return;
    }
    let before = c.problems.len();
    for &w in weights {
        c.range(path.clone(), w, 0.0, f64::MAX);
    }
    if c.problems.len() > before {
        return;
    }
    if weights.iter().all(|&w| w == 0.0) {
        c.fail(path, "must not all be 0");
        return;
    }
    let (lo, hi) = (file.intake.age_min, file.intake.age_max);
    for (b, &w) in weights.iter().enumerate() {
        if w > 0.0 && bands.upper(b).min(hi) <= bands.lower(b).max(lo) {
            c.fail(
                path.clone(),
                format!(
                    "age band {} has weight {} but no referral ages in it (ages are {} to {}: \
                     intake.age_min and intake.age_max)",
                    bands.label(b),
                    ENGLISH.exact(w),
                    ENGLISH.exact(lo),
                    ENGLISH.exact(hi)
                ),
            );
        }
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

    check_age(&mut c, file);
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

    if let Some(cases) = &file.initial.cases {
        let path = at(&["initial", "cases"]);
        if cases.trim().is_empty() {
            c.fail(
                path,
                "must name a CSV file of open cases (place,age,years_on_place)",
            );
        } else if !file.initial.counts.is_empty() {
            let counts: Vec<&str> = file.initial.counts.keys().map(String::as_str).collect();
            c.fail(
                path,
                format!(
                    "a case list cannot be mixed with counts ({}): give either counts by \
                     place or cases",
                    counts.join(", ")
                ),
            );
        }
    }
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
        } = &rung.latent;
        let bands = bands_of(file);
        for (key, rate) in [
            ("improve", improve),
            ("worsen", worsen),
            ("relapse", relapse),
            ("crisis", crisis),
        ] {
            c.by_band(at("latent").key(key), rate, &bands, Checker::hazard);
        }
        c.by_band(
            at("exit").key("close"),
            &rung.exit.close,
            &bands,
            Checker::hazard,
        );
        check_destinations(c, file, i);
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

/// Which way a destination table points (model version 2).
#[derive(Clone, Copy)]
enum Direction {
    /// `down_to`: lower rungs or `closed`.
    Down,
    /// `up_to`: higher rungs.
    Up,
    /// `crisis_to`: this rung or higher ones.
    Crisis,
}

/// Rung `i`'s `down_to`, `up_to` and `crisis_to`: known ids in the right
/// direction, probabilities in [0, 1] summing to 1 ± 1e-6, and no `up_to`
/// on the top rung.
fn check_destinations(c: &mut Checker, file: &ScenarioFile, i: usize) {
    use super::destinations::CLOSED;
    let rung = &file.steps[i];
    let top = file.steps.len() - 1;
    let tables = [
        ("down_to", Direction::Down, &rung.down_to),
        ("up_to", Direction::Up, &rung.up_to),
        ("crisis_to", Direction::Crisis, &rung.crisis_to),
    ];
    for (key, direction, table) in tables {
        let Some(table) = table else { continue };
        let at = KeyPath::keys(&["steps"]).index(i).key(key);
        if matches!(direction, Direction::Up) && i == top {
            c.fail(
                at,
                format!(
                    "the top rung '{}' has nowhere higher to go (a detected needs_more stays on \
                     the top rung); remove up_to",
                    rung.id
                ),
            );
            continue;
        }
        let mut ok = true;
        let mut sum = 0.0;
        for (id, &p) in table {
            let path = at.key(id);
            let index = file.steps.iter().position(|r| &r.id == id);
            let allowed = match (direction, index) {
                (Direction::Down, None) => id == CLOSED,
                (Direction::Down, Some(j)) => j < i,
                (Direction::Up, Some(j)) => j > i,
                (Direction::Crisis, Some(j)) => j >= i,
                (_, None) => false,
            };
            if index.is_none() && id != CLOSED {
                let also = if matches!(direction, Direction::Down) {
                    " (nor 'closed')"
                } else {
                    ""
                };
                c.fail(path, format!("no rung with id '{id}'{also}"));
                ok = false;
            } else if !allowed {
                let message = match direction {
                    _ if id == CLOSED => {
                        format!("a move up or a crisis cannot close a case: {key} names rungs only")
                    }
                    Direction::Down => format!(
                        "'{id}' is not below '{}': down_to names lower rungs or 'closed'",
                        rung.id
                    ),
                    Direction::Up => format!(
                        "'{id}' is not above '{}': up_to names higher rungs",
                        rung.id
                    ),
                    Direction::Crisis => format!(
                        "'{id}' is below '{}': crisis_to names this rung or higher rungs",
                        rung.id
                    ),
                };
                c.fail(path, message);
                ok = false;
            } else if !(0.0..=1.0).contains(&p) {
                c.probability(path, p);
                ok = false;
            }
            sum += p;
        }
        if ok && (sum - 1.0).abs() > 1e-6 {
            c.fail(
                at,
                format!(
                    "probabilities must sum to 1, they sum to {}",
                    ENGLISH.exact(significant(sum, 12))
                ),
            );
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
    let bands = bands_of(file);
    let mut sums = vec![0.0; bands.count()];
    let mut entries_ok = true;
    for (key, p) in &intake.entry {
        let path = at("entry").key(key);
        if key != "none" && !file.steps.iter().any(|r| &r.id == key) {
            c.fail(path, format!("no rung with id '{key}' (nor 'none')"));
            entries_ok = false;
        } else if !c.by_band(path, p, &bands, Checker::probability) {
            entries_ok = false;
        } else {
            for (b, sum) in sums.iter_mut().enumerate() {
                *sum += p.get(b);
            }
        }
    }
    // (A case list's assessment rows are checked against `entry` when the
    // list is read.)
    let assessed =
        intake.referrals_per_year > 0.0 || file.initial.get("assessment").is_some_and(|&n| n > 0);
    let wrong = sums.iter().position(|s| (s - 1.0).abs() > 1e-6);
    if entries_ok
        && (assessed || !intake.entry.is_empty())
        && let Some(b) = wrong
    {
        let sum = sums[b];
        let message = if intake.entry.is_empty() {
            "is required when cases are assessed (referrals or initial assessments): \
             give the probability of each rung and 'none', summing to 1"
                .to_string()
        } else {
            let band = if bands.count() > 1 {
                format!(" in age band {}", bands.label(b))
            } else {
                String::new()
            };
            format!(
                "probabilities must sum to 1{band}, they sum to {}",
                ENGLISH.exact(significant(sum, 12))
            )
        };
        c.fail(at("entry"), message);
    }
}
