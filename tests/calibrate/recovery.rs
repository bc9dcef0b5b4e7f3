//! Calibration recovers known parameters: targets are a scenario's own
//! simulated means at known hazards (seed 11), the fit starts elsewhere and
//! runs on other random numbers (seed 12), and must land within a tolerance
//! derived from the Monte Carlo error of both runs.
//!
//! The tolerance: near the truth θ*, the fitted θ̂ is a weighted
//! least-squares solution, θ̂ − θ* ≈ A ε with A = (JᵀWJ)⁻¹JᵀW, J the
//! sensitivities of the targets to the parameters (finite differences), W
//! the objective's weights and ε the Monte Carlo errors of the targets
//! (truth run plus fitting run, independent seeds). So sd(θ̂_j) ≈
//! √(A Σ Aᵀ)_jj with Σ = diag(se_truth² + se_fit²); the test allows four of
//! those plus 2 % for the optimiser's own convergence tolerance.

use std::fmt::Write as _;
use std::path::Path;

use tempfile::TempDir;
use trappe::calibrate::optimise::{self, Options};
use trappe::calibrate::{Calibration, TargetFit};

const TRUTH: [(&str, f64); 2] = [
    ("intake.referrals_per_year", 60.0),
    ("steps.institution.latent.improve", 0.8),
];

fn scenario(seed: u64) -> String {
    format!(
        r#"[scenario]
name = "recovery"
start = 2020-01-01
horizon_years = 2.0
warmup_years = 2.0
replications = 400
seed = {seed}
period = "year"

[[steps]]
id = "prevention"
follow_up = {{ first_weeks = 13.0, every_weeks = 26.0 }}
latent = {{ improve = 0.6, relapse = 1.0 }}
exit = {{ close = 0.3 }}

[[steps]]
id = "foster"
placement = true
follow_up = {{ first_weeks = 13.0, every_weeks = 26.0 }}
latent = {{ improve = 0.3, worsen = 0.1, relapse = 1.0, crisis = 2.0 }}
exit = {{ close = 0.1 }}

[[steps]]
id = "institution"
placement = true
follow_up = {{ first_weeks = 13.0, every_weeks = 26.0 }}
latent = {{ improve = {improve}, worsen = 0.1, relapse = 1.0, crisis = 2.0 }}

[follow_up]
detection = 0.8

[intake]
referrals_per_year = {referrals}
assessment_min_weeks = 8.0
entry = {{ none = 0.4, prevention = 0.4, foster = 0.1, institution = 0.1 }}

[initial]
prevention = 20
foster = 10
institution = 10
"#,
        referrals = TRUTH[0].1,
        improve = TRUTH[1].1,
    )
}

/// (name, metric, step, periods) of the targets.
const TARGETS: [(&str, &str, &str, &str); 7] = [
    ("assessment", "count_end", "assessment", "2"),
    ("prevention", "count_end", "prevention", "2"),
    ("foster", "count_end", "foster", "2"),
    ("institution", "count_end", "institution", "2"),
    ("institution years", "child_years", "institution", "[1, 2]"),
    ("moves down", "moves_down", "", "[1, 2]"),
    ("referrals", "referrals", "", "[1, 2]"),
];

fn targets_text(observed: &[(f64, f64)], starts: &[f64]) -> String {
    let mut t = String::from(
        "[calibrate]\nreplications = 100\nmax_evaluations = 150\nrestarts = 1\nsignificant_digits = 6\n\n",
    );
    let bounds = [(20.0, 200.0), (0.1, 4.0)];
    for (((path, _), (lo, hi)), start) in TRUTH.iter().zip(bounds).zip(starts) {
        let _ = writeln!(
            t,
            "[[parameters]]\npath = \"{path}\"\nmin = {lo:?}\nmax = {hi:?}\nlog = true\nstart = {start:?}\n"
        );
    }
    for ((name, metric, step, periods), (obs, tol)) in TARGETS.iter().zip(observed) {
        let _ = writeln!(t, "[[targets]]\nname = \"{name}\"\nmetric = \"{metric}\"");
        if !step.is_empty() {
            let _ = writeln!(t, "step = \"{step}\"");
        }
        let _ = writeln!(
            t,
            "periods = {periods}\nobserved = {obs:?}\ntolerance = {tol:?}\n"
        );
    }
    t
}

fn calibration(dir: &Path, seed: u64, targets: &str) -> Calibration {
    let scenario_path = dir.join(format!("seed{seed}.toml"));
    std::fs::write(&scenario_path, scenario(seed)).unwrap();
    let targets_path = dir.join(format!("targets{seed}.toml"));
    std::fs::write(&targets_path, targets).unwrap();
    Calibration::load(&[scenario_path], &targets_path).unwrap()
}

fn evaluate(c: &Calibration, values: &[f64], replications: Option<u64>) -> Vec<TargetFit> {
    let results = c.simulate(values, replications).unwrap();
    c.evaluate(&results).unwrap()
}

/// Standard error from a fit's CI (t multiplier ≈ 1.97 at these sizes).
fn se(f: &TargetFit) -> f64 {
    (f.ci95_high - f.ci95_low) / 2.0 / 1.97
}

#[test]
fn calibration_recovers_known_parameters_within_monte_carlo_error() {
    let dir = TempDir::new().unwrap();
    let truth: Vec<f64> = TRUTH.iter().map(|(_, v)| *v).collect();
    // 1. The "published" figures: the truth's own means (seed 11, 400
    // replications); tolerances proportional to their standard errors.
    let placeholder = targets_text(&[(0.0, 1.0); 7], &truth);
    let truth_run = calibration(dir.path(), 11, &placeholder);
    let observed_fits = evaluate(&truth_run, &truth, None);
    let observed: Vec<(f64, f64)> = observed_fits
        .iter()
        .map(|f| (f.mean, (3.0 * se(f)).max(0.05)))
        .collect();

    // 2. Fit on other random numbers (seed 12), starting far off.
    let starts = [120.0, 2.5];
    let fitting = calibration(dir.path(), 12, &targets_text(&observed, &starts));
    let options = Options {
        replications: 100,
        max_evaluations: 150,
        restarts: 1,
    };
    let outcome = optimise::fit(&fitting, options, &|_| {}).unwrap();
    assert!(outcome.objective < outcome.start_objective);

    // 3. The tolerance from the Monte Carlo error (see the module docs).
    let at_truth = evaluate(&fitting, &truth, Some(100));
    let n = TARGETS.len();
    let w: Vec<f64> = observed.iter().map(|(_, tol)| 1.0 / (tol * tol)).collect();
    let sigma: Vec<f64> = (0..n)
        .map(|k| se(&observed_fits[k]).powi(2) + se(&at_truth[k]).powi(2))
        .collect();
    let mut jac = vec![[0.0; 2]; n];
    for j in 0..2 {
        let h = 0.05 * truth[j];
        let mut up = truth.clone();
        up[j] += h;
        let mut down = truth.clone();
        down[j] -= h;
        let (fu, fd) = (
            evaluate(&fitting, &up, Some(100)),
            evaluate(&fitting, &down, Some(100)),
        );
        for k in 0..n {
            jac[k][j] = (fu[k].mean - fd[k].mean) / (2.0 * h);
        }
    }
    // M = JᵀWJ (2×2), A = M⁻¹JᵀW, Cov = A Σ Aᵀ.
    let mut m = [[0.0; 2]; 2];
    for k in 0..n {
        for a in 0..2 {
            for b in 0..2 {
                m[a][b] += jac[k][a] * w[k] * jac[k][b];
            }
        }
    }
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    assert!(det > 0.0, "the targets identify both parameters");
    let inv = [
        [m[1][1] / det, -m[0][1] / det],
        [-m[1][0] / det, m[0][0] / det],
    ];
    for j in 0..2 {
        let a: Vec<f64> = (0..n)
            .map(|k| (inv[j][0] * jac[k][0] + inv[j][1] * jac[k][1]) * w[k])
            .collect();
        let var: f64 = (0..n).map(|k| a[k] * a[k] * sigma[k]).sum();
        let sd = var.sqrt();
        let tolerance = 4.0 * sd + 0.02 * truth[j];
        let error = outcome.values[j] - truth[j];
        eprintln!(
            "{}: truth {}, start {}, fitted {:.4} (error {error:+.4}, Monte Carlo sd {sd:.4}, tolerance {tolerance:.4})",
            TRUTH[j].0, truth[j], starts[j], outcome.values[j]
        );
        assert!(
            error.abs() <= tolerance,
            "{}: fitted {} is not within {tolerance} of the truth {}",
            TRUTH[j].0,
            outcome.values[j],
            truth[j]
        );
    }
}
