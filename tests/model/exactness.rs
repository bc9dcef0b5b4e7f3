//! Exactness: without a `[workforce]` and without follow-ups, a case is a
//! continuous-time Markov chain on (rung, latent state) plus an absorbing
//! "closed" (docs/model.md section 2): `fit → ready` at `improve`, `fit → needs_more` at
//! `worsen`, `ready → fit` at `relapse`, `needs_more → (rung + 1, fit)` at
//! `crisis` (at the top rung: `(top, fit)`, a new placement; with a
//! `crisis_to` table, to `(d, fit)` at `crisis` × p(d)), any state →
//! closed at `close`. The expected time in `needs_more` and `ready` on each
//! rung (`unmet_need_child_years`, `ready_child_years`) is the occupancy
//! of those states integrated over the period. Cases are independent, so expected counts are the
//! initial counts (or the Poisson inflow) pushed through the chain, which a
//! matrix exponential gives exactly. The simulated means over replications
//! must match these within a few Monte Carlo standard errors.
//!
//! Tolerance: a check passes when |mean − exact| ≤ 4 · sd / √n. By the
//! central limit theorem the standardised gap is ≈ N(0, 1) for a correct
//! model, so one check raises a false alarm with probability
//! P(|Z| > 4) ≈ 6.3e-5; the ~105 non-trivial checks below (54 + 51, the
//! welfare child-years by rung and latent state included) together with
//! probability < 0.7 %. (Checks whose exact value is 0 with zero spread,
//! such as follow-ups or child-years under assessment, must match exactly.)
//! The seed is fixed, so the outcome is the same on every run. Each test
//! also shows that a deliberately wrong model (`improve` × 1.2) is rejected
//! by the same tolerance, so the checks have power.

use nalgebra::{DMatrix, DVector};
use trappe::metrics::Metric;
use trappe::results::Results;
use trappe::scenario::{ExitRates, LatentRates, Period, Rung, ScenarioFile, Settings};
use trappe::transitions::{Grid, Kind, Origin, Target};

use crate::{period_end, row, start_date, z_score};

/// Monte Carlo standard errors allowed between a simulated mean and the
/// exact expectation (see the module docs for the false-alarm rate).
const TOLERANCE_SE: f64 = 4.0;

const FIT: usize = 0;
const READY: usize = 1;
const NEEDS_MORE: usize = 2;

/// State index of (rung, latent).
fn state(rung: usize, latent: usize) -> usize {
    3 * rung + latent
}

/// Where a crisis on rung `r` leads, with probabilities: the rung's
/// `crisis_to` table, or (without one, or when `destinations` is false,
/// the one-rung model of trappe 0.1) the next rung up, the top rung itself.
fn crisis_shares(steps: &[Rung], r: usize, destinations: bool) -> Vec<(usize, f64)> {
    let top = steps.len() - 1;
    match &steps[r].crisis_to {
        Some(table) if destinations => table
            .iter()
            .map(|(id, &p)| (steps.iter().position(|s| &s.id == id).unwrap(), p))
            .collect(),
        _ => vec![((r + 1).min(top), 1.0)],
    }
}

/// The sub-stochastic generator of one case's chain over (rung, latent);
/// "closed" is the missing mass. `improve_factor` scales every `improve`
/// (1 for the true model); `destinations` false ignores `crisis_to`.
fn generator(steps: &[Rung], improve_factor: f64, destinations: bool) -> DMatrix<f64> {
    generator_in_band(steps, improve_factor, 0, destinations)
}

/// [`generator`] with the hazards of age band `band`.
fn generator_in_band(
    steps: &[Rung],
    improve_factor: f64,
    band: usize,
    destinations: bool,
) -> DMatrix<f64> {
    let n = 3 * steps.len();
    let mut q = DMatrix::zeros(n, n);
    let mut add = |from: usize, to: usize, rate: f64| {
        q[(from, to)] += rate;
        q[(from, from)] -= rate;
    };
    for (r, rung) in steps.iter().enumerate() {
        let l = &rung.latent;
        add(
            state(r, FIT),
            state(r, READY),
            l.improve.get(band) * improve_factor,
        );
        add(state(r, FIT), state(r, NEEDS_MORE), l.worsen.get(band));
        add(state(r, READY), state(r, FIT), l.relapse.get(band));
        for (to, p) in crisis_shares(steps, r, destinations) {
            add(state(r, NEEDS_MORE), state(to, FIT), l.crisis.get(band) * p);
        }
    }
    for (r, rung) in steps.iter().enumerate() {
        for latent in [FIT, READY, NEEDS_MORE] {
            q[(state(r, latent), state(r, latent))] -= rung.exit.close.get(band);
        }
    }
    q
}

/// Expected occupancy of the chain at time `t` and its first two integrals.
#[derive(Debug, Clone)]
struct Moments {
    /// x(t): expected number of cases in each state.
    x: DVector<f64>,
    /// y(t) = ∫₀ᵗ x(s) ds.
    y: DVector<f64>,
    /// w(t) = ∫₀ᵗ y(s) ds = ∫₀ᵗ (t − s) x(s) ds.
    w: DVector<f64>,
}

/// Solve x' = x Q + src (row vectors), x(0) = m0, together with
/// y' = x, w' = y, exactly: the augmented state [x, c, y, w] with c ≡ 1 obeys
/// state' = state · B, so state(t) = state(0) · exp(B t) (Van Loan).
fn moments(q: &DMatrix<f64>, m0: &DVector<f64>, src: &DVector<f64>, t: f64) -> Moments {
    let n = q.nrows();
    let (xs, c, ys, ws) = (0, n, n + 1, 2 * n + 1);
    let mut b = DMatrix::zeros(3 * n + 1, 3 * n + 1);
    b.view_mut((xs, xs), (n, n)).copy_from(q);
    for j in 0..n {
        b[(c, xs + j)] = src[j];
        b[(xs + j, ys + j)] = 1.0;
        b[(ys + j, ws + j)] = 1.0;
    }
    let mut start = DVector::zeros(3 * n + 1);
    start.rows_mut(xs, n).copy_from(m0);
    start[c] = 1.0;
    let end = (b * t).exp().transpose() * start;
    Moments {
        x: end.rows(xs, n).into_owned(),
        y: end.rows(ys, n).into_owned(),
        w: end.rows(ws, n).into_owned(),
    }
}

/// Exact expectations of a chain run: cases start in `m0` and arrive at
/// rate `src` (per state, per year); each case is also killed at an
/// independent time uniform on (0, `age_span`] (initial cases ageing out,
/// docs/model.md section 9), so the occupancy at t is x(t) · S(t), S(t) = 1 − t/age_span.
struct Exact<'a> {
    steps: &'a [Rung],
    /// Moments at 0 and at each period end.
    at: Vec<(f64, Moments)>,
    age_span: f64,
    /// Referrals per year and the probability of `none` after assessment.
    referrals: f64,
    none: f64,
    /// Whether crises follow `crisis_to` (false: the one-rung model).
    destinations: bool,
}

impl<'a> Exact<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        steps: &'a [Rung],
        improve_factor: f64,
        m0: &DVector<f64>,
        src: &DVector<f64>,
        ends: &[f64],
        age_span: f64,
        referrals: f64,
        none: f64,
        destinations: bool,
    ) -> Self {
        let q = generator(steps, improve_factor, destinations);
        let at = std::iter::once(0.0)
            .chain(ends.iter().copied())
            .map(|t| (t, moments(&q, m0, src, t)))
            .collect();
        Self {
            steps,
            at,
            age_span,
            referrals,
            none,
            destinations,
        }
    }

    /// ∫₀ᵗ x(s) S(s) ds, with ∫₀ᵗ s x(s) ds = t y(t) − w(t).
    fn occupancy_integral(&self, i: usize) -> DVector<f64> {
        let (t, m) = &self.at[i];
        &m.y - (&m.y * *t - &m.w) / self.age_span
    }

    /// Expected value of every checked metric in period `k` (0-based), as
    /// (metric, step, value).
    fn period(&self, k: usize) -> Vec<(Metric, String, f64)> {
        let (a, b) = (self.at[k].0, self.at[k + 1].0);
        let length = b - a;
        let occupancy = self.occupancy_integral(k + 1) - self.occupancy_integral(k);
        let survival = 1.0 - b / self.age_span;
        let count = &self.at[k + 1].1.x * survival;
        let on_rung = |v: &DVector<f64>, r: usize| (0..3).map(|l| v[state(r, l)]).sum::<f64>();

        let mut out = Vec::new();
        let mut push = |m: Metric, step: &str, v: f64| out.push((m, step.to_string(), v));
        push(Metric::ChildYears, "assessment", 0.0);
        push(Metric::CountEnd, "assessment", 0.0);
        let (mut crises, mut breakdowns, mut closures, mut placed) = (0.0, 0.0, 0.0, 0.0);
        for (r, rung) in self.steps.iter().enumerate() {
            let years = on_rung(&occupancy, r);
            push(Metric::ChildYears, &rung.id, years);
            push(Metric::CountEnd, &rung.id, on_rung(&count, r));
            push(Metric::FollowUps, &rung.id, 0.0);
            push(
                Metric::UnmetNeedChildYears,
                &rung.id,
                occupancy[state(r, NEEDS_MORE)],
            );
            push(
                Metric::ReadyChildYears,
                &rung.id,
                occupancy[state(r, READY)],
            );
            let c = rung.latent.crisis.get(0) * occupancy[state(r, NEEDS_MORE)];
            crises += c;
            closures += rung.exit.close.get(0) * years;
            if rung.placement {
                breakdowns += c;
                placed += years;
            }
        }
        closures += self.referrals * self.none * length;
        let opened_then = |i: usize| self.at[i].1.y.sum();
        let aged_out = (opened_then(k + 1) - opened_then(k)) / self.age_span;
        push(Metric::PlacedChildYears, "", placed);
        push(Metric::Referrals, "", self.referrals * length);
        push(Metric::Assessments, "", self.referrals * length);
        push(Metric::MovesDown, "", 0.0);
        push(Metric::MovesUp, "", 0.0);
        push(Metric::Crises, "", crises);
        push(Metric::Breakdowns, "", breakdowns);
        push(Metric::Closures, "", closures);
        push(Metric::AgedOut, "", aged_out);
        // Assessed at once (no minimum, unlimited capacity): no wait.
        push(Metric::AssessmentWeeks, "", 0.0);
        out
    }
}

impl Exact<'_> {
    /// Expected `transitions.csv` counts of crises and closures in period
    /// `k` (0-based), as (cell, value): a crisis from rung r to d happens
    /// at rate `crisis` × p(d) while the case is `needs_more` on r, a
    /// closure at rate `close` while it is on r.
    fn transitions(&self, k: usize) -> Vec<(usize, f64)> {
        let grid = Grid::new(self.steps.len());
        let occupancy = self.occupancy_integral(k + 1) - self.occupancy_integral(k);
        let mut out = Vec::new();
        for (r, rung) in self.steps.iter().enumerate() {
            let needs_more = occupancy[state(r, NEEDS_MORE)];
            for (to, p) in crisis_shares(self.steps, r, self.destinations) {
                let cell = grid.index(Origin::Rung(r), Target::Rung(to), Kind::Crisis);
                out.push((cell, rung.latent.crisis.get(0) * p * needs_more));
            }
            let years: f64 = (0..3).map(|l| occupancy[state(r, l)]).sum();
            let cell = grid.index(Origin::Rung(r), Target::Closed, Kind::Close);
            out.push((cell, rung.exit.close.get(0) * years));
        }
        out
    }
}

/// Every check of `exact` against `results`: (label, z-score).
fn z_scores(results: &Results, exact: &Exact) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let grid = results.transition_grid();
    let ids: Vec<String> = exact.steps.iter().map(|r| r.id.clone()).collect();
    for k in 0..results.periods.len() {
        for (cell, expected) in exact.transitions(k) {
            let column: Vec<f64> = (0..results.replications())
                .map(|r| results.transition(r, k, cell))
                .collect();
            let (from, to) = grid.names(grid.cell(cell), &ids);
            let label = format!(
                "period {} transitions {from} -> {to} ({}) exact {expected:.4}",
                k + 1,
                grid.cell(cell).kind.name()
            );
            out.push((label, z_score(&column, expected)));
        }
    }
    for k in 0..results.periods.len() {
        for (metric, step, expected) in exact.period(k) {
            let column = results.column(k, row(results, metric, &step));
            let label = format!(
                "period {} {} '{step}' exact {expected:.4}",
                k + 1,
                metric.name()
            );
            out.push((label, z_score(&column, expected)));
        }
    }
    out
}

/// Assert the true model passes every check and the wrong one fails some.
fn assert_exact(results: &Results, truth: &Exact, wrong: &Exact) {
    assert!(results.has_transitions(), "transitions were not kept");
    let z = z_scores(results, truth);
    let failures: Vec<_> = z.iter().filter(|(_, z)| *z > TOLERANCE_SE).collect();
    assert!(
        failures.is_empty(),
        "simulated means differ from the exact expectation by more than \
         {TOLERANCE_SE} standard errors: {failures:#?}"
    );
    let worst_of = |z: Vec<(String, f64)>| {
        z.into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("there are checks")
    };
    let nontrivial = z.iter().filter(|(_, z)| *z > 0.0).count();
    eprintln!(
        "{nontrivial} non-trivial checks; worst for the true model: {:?}",
        worst_of(z.clone())
    );
    let worst = worst_of(z_scores(results, wrong));
    eprintln!("worst for improve × 1.2: {worst:?}");
    assert!(
        worst.1 > TOLERANCE_SE,
        "a model with improve × 1.2 was not rejected (worst: {worst:?}): the test has no power"
    );
}

/// A three-rung ladder with mixed placement flags and every hazard non-zero.
fn ladder() -> Vec<Rung> {
    let rung = |id: &str, placement: bool, l: [f64; 4], close: f64| Rung {
        placement,
        latent: LatentRates {
            improve: l[0].into(),
            worsen: l[1].into(),
            relapse: l[2].into(),
            crisis: l[3].into(),
        },
        exit: ExitRates {
            close: close.into(),
        },
        ..Rung::new(id)
    };
    vec![
        rung("prevention", false, [1.2, 0.5, 0.8, 2.0], 0.3),
        rung("foster", true, [0.7, 0.4, 1.0, 1.5], 0.2),
        rung("institution", true, [1.5, 0.6, 0.5, 2.5], 0.25),
    ]
}

fn settings(replications: u64, seed: u64) -> Settings {
    Settings {
        replications,
        seed,
        period: Period::Year,
        ..Settings::new("exactness", start_date(), 2.5)
    }
}

/// Initial cases only: the chain from a known start, with the ageing-out
/// factor of initial cases (ages uniform on [age_min, exit_age), so they
/// age out at a uniform residual time, independent of the chain). The
/// horizon of 2.5 years gives a shorter last period.
#[test]
fn initial_cases_follow_the_markov_chain() {
    let steps = ladder();
    let mut file = ScenarioFile::new(settings(2000, 20_250_101), steps.clone());
    file.intake.age_min = 10.0; // residual ages uniform on (0, 8]: visible ageing
    let initial = [("prevention", 40), ("foster", 30), ("institution", 20)];
    for (id, n) in initial {
        file.initial.insert(id.into(), n);
    }
    let age_span = file.scenario.exit_age - file.intake.age_min;
    let results = crate::run(file);

    let mut m0 = DVector::zeros(3 * steps.len());
    for (r, (_, n)) in initial.iter().enumerate() {
        m0[state(r, FIT)] = f64::from(*n);
    }
    let src = DVector::zeros(m0.len());
    let ends: Vec<f64> = (0..results.periods.len())
        .map(|k| period_end(&results, k))
        .collect();
    let truth = Exact::new(&steps, 1.0, &m0, &src, &ends, age_span, 0.0, 0.0, true);
    let wrong = Exact::new(&steps, 1.2, &m0, &src, &ends, age_span, 0.0, 0.0, true);
    assert_exact(&results, &truth, &wrong);
}

/// Intake only, no ageing within the horizon (referral ages ≤ 10, exit at
/// 18, 2.5 years): Poisson referrals assessed at once (`assessment_min_weeks`
/// 0, no workforce) enter the rungs by `entry`, so the expected counts solve
/// m' = m Q + λ · entry.
#[test]
fn referrals_follow_the_markov_chain() {
    let steps = ladder();
    let mut file = ScenarioFile::new(settings(2000, 4_242), steps.clone());
    let lambda = 60.0;
    let entry = [
        ("none", 0.2),
        ("prevention", 0.4),
        ("foster", 0.25),
        ("institution", 0.15),
    ];
    file.intake.referrals_per_year = lambda;
    file.intake.age_min = 0.0;
    file.intake.age_max = 10.0;
    for (id, p) in entry {
        file.intake.entry.insert(id.into(), (p).into());
    }
    let results = crate::run(file);

    let mut src = DVector::zeros(3 * steps.len());
    for (r, (_, p)) in entry[1..].iter().enumerate() {
        src[state(r, FIT)] = lambda * p;
    }
    let m0 = DVector::zeros(src.len());
    let ends: Vec<f64> = (0..results.periods.len())
        .map(|k| period_end(&results, k))
        .collect();
    let never = f64::INFINITY;
    let truth = Exact::new(
        &steps, 1.0, &m0, &src, &ends, never, lambda, entry[0].1, true,
    );
    let wrong = Exact::new(
        &steps, 1.2, &m0, &src, &ends, never, lambda, entry[0].1, true,
    );
    assert_exact(&results, &truth, &wrong);
}

/// Crises that skip rungs or stay (model version 2): with `crisis_to`
/// tables (no workforce, no follow-ups) a case is still a Markov chain, a
/// crisis on rung r jumping to (d, `fit`) at rate `crisis` × p(d). Initial
/// cases and referrals together. The tables are arbitrary (they put mass on
/// the own rung, skip rungs and leave the next rung out), and the
/// one-rung model of trappe 0.1 (every crisis to the next rung) must fail
/// the same tolerance, as must `improve` × 1.2.
#[test]
fn crises_follow_their_destination_tables() {
    let mut steps = ladder();
    let table = |pairs: &[(&str, f64)]| {
        Some(
            pairs
                .iter()
                .map(|(id, p)| (id.to_string(), *p))
                .collect::<trappe::scenario::Destinations>(),
        )
    };
    steps[0].crisis_to = table(&[("prevention", 0.35), ("institution", 0.65)]);
    steps[1].crisis_to = table(&[("institution", 0.2), ("foster", 0.8)]);
    steps[2].crisis_to = table(&[("institution", 1.0)]);
    let mut file = ScenarioFile::new(settings(2000, 90_210), steps.clone());
    file.intake.age_min = 10.0;
    file.intake.age_max = 10.0;
    let lambda = 30.0;
    let entry = [("none", 0.3), ("prevention", 0.5), ("foster", 0.2)];
    file.intake.referrals_per_year = lambda;
    for (id, p) in entry {
        file.intake.entry.insert(id.into(), p.into());
    }
    let initial = [("prevention", 40), ("foster", 30), ("institution", 10)];
    for (id, n) in initial {
        file.initial.insert(id.into(), n);
    }
    let results = crate::run(file);

    // Referrals (age 10) cannot age out within 2.5 years; initial cases
    // (ages uniform on [10, 18)) can. Cases are independent, so the two
    // groups' expectations add up: run each through its own chain.
    let n = 3 * steps.len();
    let mut m0 = DVector::zeros(n);
    for (r, (_, count)) in initial.iter().enumerate() {
        m0[state(r, FIT)] = f64::from(*count);
    }
    let mut src = DVector::zeros(n);
    for (r, (_, p)) in entry[1..].iter().enumerate() {
        src[state(r, FIT)] = lambda * p;
    }
    let ends: Vec<f64> = (0..results.periods.len())
        .map(|k| period_end(&results, k))
        .collect();
    let none = entry[0].1;
    let zero = DVector::zeros(n);
    let both = |factor: f64, destinations: bool| {
        let initial = Exact::new(
            &steps,
            factor,
            &m0,
            &zero,
            &ends,
            8.0,
            0.0,
            0.0,
            destinations,
        );
        let referred = Exact::new(
            &steps,
            factor,
            &zero,
            &src,
            &ends,
            f64::INFINITY,
            lambda,
            none,
            destinations,
        );
        (initial, referred)
    };
    let ids: Vec<String> = steps.iter().map(|r| r.id.clone()).collect();
    let z_sum = |exact: &(Exact, Exact)| -> Vec<(String, f64)> {
        // The two groups' expectations add; compare the sum.
        let mut out = Vec::new();
        for k in 0..results.periods.len() {
            let a = exact.0.period(k);
            let b = exact.1.period(k);
            for ((metric, step, x), (_, _, y)) in a.into_iter().zip(b) {
                let column = results.column(k, row(&results, metric, &step));
                let label = format!("period {} {} '{step}'", k + 1, metric.name());
                out.push((label, z_score(&column, x + y)));
            }
            for ((cell, x), (_, y)) in exact
                .0
                .transitions(k)
                .into_iter()
                .zip(exact.1.transitions(k))
            {
                let column: Vec<f64> = (0..results.replications())
                    .map(|r| results.transition(r, k, cell))
                    .collect();
                let grid = results.transition_grid();
                let (from, to) = grid.names(grid.cell(cell), &ids);
                let label = format!("period {} transitions {from} -> {to}", k + 1);
                out.push((label, z_score(&column, x + y)));
            }
        }
        out
    };
    let truth = z_sum(&both(1.0, true));
    let failures: Vec<_> = truth.iter().filter(|(_, z)| *z > TOLERANCE_SE).collect();
    assert!(
        failures.is_empty(),
        "simulated means differ from the exact expectation with destinations: {failures:#?}"
    );
    for (what, wrong) in [
        ("the one-rung model", both(1.0, false)),
        ("improve × 1.2", both(1.2, true)),
    ] {
        let worst = z_sum(&wrong)
            .into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("there are checks");
        eprintln!("worst for {what}: {worst:?}");
        assert!(
            worst.1 > TOLERANCE_SE,
            "{what} was not rejected (worst: {worst:?}): the test has no power"
        );
    }
}

/// Age bands and a case-list start state (model version 2): every listed
/// case has a known age, so its band switches happen at known times (cut
/// point − age), and between switches it follows the chain of its band.
/// The expectation is therefore a product of matrix exponentials between
/// switch times: x(t) = x(s) · exp(Q_b (t − s)) on each stretch [s, t] in
/// band b, and every time integral (child-years, by band too) is summed
/// stretch by stretch. Checked: child-years and end counts by rung,
/// welfare child-years, crises, closures, and the child-years by rung and
/// age band of the by-age results. No case ages out within the horizon
/// (oldest 10.5 + 2.5 < 18). Power: the same expectation *without* band
/// switches (each group keeping its starting band) must be rejected.
#[test]
fn age_bands_switch_hazards_at_known_birthdays() {
    use trappe::scenario::{ByBand, CaseList, ListedCase};
    // Bands 0-9, 9-10, 10-18; hazards differ strongly between them.
    let rung = |id: &str, placement: bool, l: [[f64; 3]; 4], close: [f64; 3]| Rung {
        placement,
        latent: LatentRates {
            improve: ByBand::Each(l[0].to_vec()),
            worsen: ByBand::Each(l[1].to_vec()),
            relapse: ByBand::Each(l[2].to_vec()),
            crisis: ByBand::Each(l[3].to_vec()),
        },
        exit: ExitRates {
            close: ByBand::Each(close.to_vec()),
        },
        ..Rung::new(id)
    };
    let steps = vec![
        rung(
            "prevention",
            false,
            [
                [0.3, 1.5, 3.0],
                [0.2, 0.8, 0.4],
                [0.8, 0.3, 1.0],
                [2.0, 1.0, 3.0],
            ],
            [0.1, 0.5, 0.3],
        ),
        rung(
            "foster",
            true,
            [
                [0.2, 1.0, 2.5],
                [0.6, 0.1, 0.3],
                [1.0, 2.0, 0.5],
                [1.5, 3.0, 1.0],
            ],
            [0.4, 0.05, 0.2],
        ),
        rung(
            "institution",
            true,
            [
                [2.0, 0.5, 1.2],
                [0.3, 0.6, 0.1],
                [0.5, 1.5, 1.0],
                [2.5, 1.0, 2.0],
            ],
            [0.25, 0.1, 0.5],
        ),
    ];
    let cuts = [9.0, 10.0];
    let mut settings = settings(2000, 91_011);
    settings.age_bands = Some(cuts.to_vec());
    let mut file = ScenarioFile::new(settings, steps.clone());
    file.initial.cases = Some("listed in code".into());
    // Groups: (rung, age, cases). Switch times: prevention at 1.0 and 2.0,
    // foster at 0.5, institution never (already in the last band).
    let groups = [(0usize, 8.0, 40u32), (1, 9.5, 30), (2, 10.5, 20)];
    let mut scenario = crate::scenario(file);
    scenario.initial_cases = Some(CaseList {
        source: "listed in code".into(),
        cases: groups
            .iter()
            .flat_map(|&(r, age, n)| {
                (0..n).map(move |_| ListedCase {
                    slot: r + 1,
                    age,
                    years_on_place: 0.0,
                })
            })
            .collect(),
    });
    let results = trappe::monte_carlo::run(&scenario);
    let ends: Vec<f64> = std::iter::once(0.0)
        .chain((0..results.periods.len()).map(|k| period_end(&results, k)))
        .collect();
    let band_of = |age: f64| cuts.iter().filter(|&&c| c <= age).count();
    let by_age = results
        .layout
        .by_age
        .clone()
        .expect("bands give results by age");

    // Expected (state vector at t, ∫₀ᵗ x by band) of one group; with
    // `switching` false the group keeps its starting band throughout.
    let expect = |r: usize, age: f64, n: u32, t: f64, switching: bool| {
        let n_states = 3 * steps.len();
        let mut x = DVector::zeros(n_states);
        x[state(r, FIT)] = f64::from(n);
        let mut integral = vec![DVector::<f64>::zeros(n_states); 3];
        let start_band = band_of(age);
        let mut stretch_start = 0.0;
        for band in start_band..3 {
            let stretch_end = if switching && band < 2 {
                (cuts[band] - age).min(t)
            } else {
                t
            };
            let q = generator_in_band(&steps, 1.0, if switching { band } else { start_band }, true);
            let zero = DVector::zeros(n_states);
            let m = moments(&q, &x, &zero, stretch_end - stretch_start);
            integral[band] += &m.y;
            x = m.x;
            stretch_start = stretch_end;
            if stretch_end >= t {
                break;
            }
        }
        (x, integral)
    };
    let on_rung = |v: &DVector<f64>, r: usize| (0..3).map(|l| v[state(r, l)]).sum::<f64>();
    let checks = |switching: bool| {
        let mut z = Vec::new();
        for k in 0..results.periods.len() {
            let (a, b) = (ends[k], ends[k + 1]);
            let mut count = DVector::zeros(3 * steps.len());
            // by_band[band] = ∫ over the period of x in that band.
            let mut by_band = vec![DVector::<f64>::zeros(3 * steps.len()); 3];
            for &(r, age, n) in &groups {
                let (x_b, y_b) = expect(r, age, n, b, switching);
                let (_, y_a) = expect(r, age, n, a, switching);
                count += x_b;
                for band in 0..3 {
                    by_band[band] += &y_b[band] - &y_a[band];
                }
            }
            let total: DVector<f64> = by_band
                .iter()
                .fold(DVector::zeros(count.len()), |s, v| s + v);
            let mut expected = Vec::new();
            let (mut crises, mut closures) = (0.0, 0.0);
            for (r, rung) in steps.iter().enumerate() {
                expected.push((Metric::ChildYears, rung.id.clone(), on_rung(&total, r)));
                expected.push((Metric::CountEnd, rung.id.clone(), on_rung(&count, r)));
                expected.push((
                    Metric::UnmetNeedChildYears,
                    rung.id.clone(),
                    total[state(r, NEEDS_MORE)],
                ));
                expected.push((
                    Metric::ReadyChildYears,
                    rung.id.clone(),
                    total[state(r, READY)],
                ));
                for (band, y) in by_band.iter().enumerate() {
                    crises += rung.latent.crisis.get(band) * y[state(r, NEEDS_MORE)];
                    closures += rung.exit.close.get(band) * on_rung(y, r);
                }
            }
            expected.push((Metric::Crises, String::new(), crises));
            expected.push((Metric::Closures, String::new(), closures));
            expected.push((Metric::AgedOut, String::new(), 0.0));
            for (metric, step, value) in expected {
                let column = results.column(k, row(&results, metric, &step));
                let mean = column.iter().sum::<f64>() / column.len() as f64;
                let label = format!(
                    "period {} {} '{step}' exact {value:.4} simulated {mean:.4}",
                    k + 1,
                    metric.name()
                );
                z.push((label, z_score(&column, value)));
            }
            // Child-years by rung and age band, from the by-age results.
            let rows = by_age.len();
            let periods = results.periods.len();
            for (j, age_row) in by_age.rows.iter().enumerate() {
                let trappe::metrics::Step::Rung(r) = age_row.step else {
                    continue;
                };
                if age_row.metric != Metric::ChildYears {
                    continue;
                }
                let expected = on_rung(&by_band[age_row.band], r);
                let column: Vec<f64> = (0..results.replications())
                    .map(|rep| results.age_values[(rep * periods + k) * rows + j])
                    .collect();
                let label = format!(
                    "period {} child_years '{}' band {} exact {expected:.4}",
                    k + 1,
                    age_row.step_name,
                    age_row.band_name
                );
                z.push((label, z_score(&column, expected)));
            }
        }
        z
    };
    let truth = checks(true);
    let failures: Vec<_> = truth.iter().filter(|(_, z)| *z > TOLERANCE_SE).collect();
    assert!(
        failures.is_empty(),
        "simulated means differ from the banded exact expectation by more than \
         {TOLERANCE_SE} standard errors: {failures:#?}"
    );
    eprintln!("{} checks with age bands", truth.len());
    let worst = checks(false)
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("there are checks");
    assert!(
        worst.1 > TOLERANCE_SE,
        "a model without band switches was not rejected (worst: {worst:?}): no power"
    );
}

/// The exact solution itself, checked against a direct numerical
/// integration (classical Runge–Kutta, 10,000 steps) of the ODE it claims to
/// solve, written from the semantics rather than from the block matrix:
/// x' = x Q + src, y' = x, w' = y. This guards both nalgebra's `exp` and the
/// block layout.
#[test]
fn exact_solution_matches_direct_integration() {
    let steps = ladder();
    let q = generator(&steps, 1.0, true);
    let n = q.nrows();
    let m0 = DVector::from_fn(n, |i, _| (i % 4) as f64 * 10.0);
    let src = DVector::from_fn(n, |i, _| if i % 3 == 0 { 5.0 + i as f64 } else { 0.0 });
    let t = 2.5;
    let exact = moments(&q, &m0, &src, t);

    let qt = q.transpose();
    let f = |s: &(DVector<f64>, DVector<f64>, DVector<f64>)| {
        (&qt * &s.0 + &src, s.0.clone(), s.1.clone())
    };
    let steps_n = 10_000;
    let h = t / f64::from(steps_n);
    let mut s = (m0.clone(), DVector::zeros(n), DVector::zeros(n));
    let axpy = |s: &(DVector<f64>, DVector<f64>, DVector<f64>),
                k: &(DVector<f64>, DVector<f64>, DVector<f64>),
                a: f64| (&s.0 + &k.0 * a, &s.1 + &k.1 * a, &s.2 + &k.2 * a);
    for _ in 0..steps_n {
        let k1 = f(&s);
        let k2 = f(&axpy(&s, &k1, h / 2.0));
        let k3 = f(&axpy(&s, &k2, h / 2.0));
        let k4 = f(&axpy(&s, &k3, h));
        s = axpy(&s, &k1, h / 6.0);
        s = axpy(&s, &k2, h / 3.0);
        s = axpy(&s, &k3, h / 3.0);
        s = axpy(&s, &k4, h / 6.0);
    }
    for (name, a, b) in [
        ("x", &exact.x, &s.0),
        ("y", &exact.y, &s.1),
        ("w", &exact.w, &s.2),
    ] {
        let err = (a - b).amax() / b.amax();
        assert!(
            err < 1e-9,
            "{name}: matrix exponential vs Runge-Kutta, relative error {err}"
        );
    }
}
