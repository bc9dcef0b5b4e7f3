//! A scenario in words, for `trappe check` and reports: the ladder, intake,
//! workforce and what they imply (caseload per caseworker, task hours).

use std::fmt::Write;

use super::dates::date_at;
use super::{Params, Scenario};
use crate::format::{ENGLISH, long_date};

/// Caseload implied by the initial cases under `params`: (cases per
/// caseworker, points per caseworker, task hours per caseworker per week).
pub fn implied_caseload(scenario: &Scenario, params: &Params) -> Option<(f64, f64, f64)> {
    let w = params.workforce?;
    let initial = scenario.initial_counts();
    let n = f64::from(w.caseworkers);
    let count = |r: usize| f64::from(initial[r + 1]);
    let assessment = f64::from(initial[0]);
    let rungs = 0..params.steps.len();
    let cases = assessment + rungs.clone().map(count).sum::<f64>();
    let points = assessment * params.intake.assessment_points
        + params
            .steps
            .iter()
            .enumerate()
            .map(|(r, rung)| count(r) * rung.points)
            .sum::<f64>();
    let monthly_load = params
        .steps
        .iter()
        .enumerate()
        .map(|(r, rung)| count(r) * rung.workload_hours_per_month)
        .sum::<f64>()
        / n;
    Some((cases / n, points / n, w.task_capacity(monthly_load)))
}

/// A readable multi-line description.
pub fn describe(scenario: &Scenario) -> String {
    let f = &scenario.file;
    let s = &f.scenario;
    let p = &scenario.params;
    let cur = &s.currency;
    let mut o = String::new();
    let _ = writeln!(o, "Scenario: {}", s.name);
    let _ = writeln!(
        o,
        "  start {} · horizon {} years by {} · warm-up {} years · {} replications · seed {}",
        long_date(scenario.start),
        ENGLISH.plain(s.horizon_years),
        s.period.word(),
        ENGLISH.plain(s.warmup_years),
        s.replications,
        s.seed
    );
    if p.bands.count() > 1 {
        let _ = writeln!(
            o,
            "\nAge bands (years): {}. A child's hazards switch at the birthday that starts a \
             new band; entry after assessment uses the band at its end. A value in [brackets] \
             is one per band, youngest first.",
            p.bands.labels().join(", ")
        );
    }
    let _ = writeln!(o, "\nLadder (least intrusive first):");
    let _ = writeln!(
        o,
        "  {:<14} {:>9} {:>13} {:>6} {:>8}  {:<22} {:<9}  hazards/yr (improve worsen relapse crisis | close)",
        "rung",
        "placement",
        format!("{cur}/year"),
        "points",
        "h/month",
        "follow-up (wks, h)",
        "limit"
    );
    for r in &p.steps {
        let fu = r.follow_up.map_or("none".to_string(), |f| {
            format!(
                "{} then every {}, {} h",
                f.first_weeks, f.every_weeks, f.hours
            )
        });
        let limit = r.max_years.map_or("-".into(), |m| format!("{m} yr"));
        let l = &r.latent;
        let _ = writeln!(
            o,
            "  {:<14} {:>9} {:>13} {:>6} {:>8}  {:<22} {:<9}  {} {} {} {} | {}",
            r.id,
            if r.placement { "yes" } else { "no" },
            ENGLISH.thousands(r.cost_per_year),
            r.points,
            r.workload_hours_per_month,
            fu,
            limit,
            l.improve,
            l.worsen,
            l.relapse,
            l.crisis,
            r.exit.close
        );
    }
    let _ = writeln!(
        o,
        "  follow-up detection probability {}, on time within {} weeks",
        p.follow_up.detection, p.follow_up.on_time_weeks
    );
    let moves: Vec<String> = (0..p.steps.len())
        .filter_map(|r| p.moves[r].words(r, &p.steps))
        .collect();
    if !moves.is_empty() {
        let _ = writeln!(
            o,
            "\nWhere moves go (down_to, up_to, crisis_to; any other move goes one rung, \
             a crisis on the top rung stays there):"
        );
        for line in moves {
            let _ = writeln!(o, "  {line}");
        }
    }
    let i = &p.intake;
    let _ = writeln!(
        o,
        "\nIntake: {} referrals/year, assessment {} h and at least {} weeks, ages {}–{}",
        i.referrals_per_year, i.assessment_hours, i.assessment_min_weeks, i.age_min, i.age_max
    );
    if !i.entry.is_empty() {
        let mix: Vec<String> = i
            .entry
            .iter()
            .map(|(k, v)| match v {
                crate::scenario::ByBand::All(v) => format!("{k} {:.1} %", v * 100.0),
                crate::scenario::ByBand::Each(values) => {
                    let each: Vec<String> =
                        values.iter().map(|v| format!("{:.1}", v * 100.0)).collect();
                    format!("{k} {} % by age band", each.join("/"))
                }
            })
            .collect();
        let _ = writeln!(o, "  entry after assessment: {}", mix.join(", "));
    }
    if let Some(weights) = &i.age_weights {
        let total: f64 = weights.iter().sum();
        let shares: Vec<String> = p
            .bands
            .labels()
            .iter()
            .zip(weights)
            .map(|(band, w)| format!("{band} {:.1} %", w / total * 100.0))
            .collect();
        let _ = writeln!(
            o,
            "  referral ages by band (age_weights): {}, uniform within each band",
            shares.join(", ")
        );
    }
    let initial: Vec<String> = match &scenario.initial_cases {
        None => f.initial.iter().map(|(k, v)| format!("{k} {v}")).collect(),
        Some(_) => std::iter::once("assessment")
            .chain(p.steps.iter().map(|r| r.id.as_str()))
            .zip(scenario.initial_counts())
            .filter(|(_, n)| *n > 0)
            .map(|(k, v)| format!("{k} {v}"))
            .collect(),
    };
    let list = scenario.initial_cases.as_ref().map_or(String::new(), |l| {
        let ages = l.cases.iter().map(|c| c.age);
        let (lo, hi) = (
            ages.clone().fold(f64::INFINITY, f64::min),
            ages.fold(f64::NEG_INFINITY, f64::max),
        );
        let span = if l.cases.is_empty() {
            String::new()
        } else {
            format!(", ages {lo}–{hi}")
        };
        format!(
            " (case list {}: {} cases{span}, time on place as listed)",
            l.source,
            l.cases.len()
        )
    });
    let _ = writeln!(
        o,
        "Initial cases: {}{list}",
        if initial.is_empty() {
            "none".into()
        } else {
            initial.join(", ")
        }
    );
    match &p.workforce {
        None => {
            let _ = writeln!(
                o,
                "\nWorkforce: none (unlimited capacity: follow-ups happen when due)"
            );
        }
        Some(w) => {
            let _ = writeln!(
                o,
                "\nWorkforce: {} caseworkers × {} h/week × {} case work = {:.1} h/week each; salary {} {cur}/year",
                w.caseworkers,
                w.hours_per_week,
                w.case_work_share,
                w.case_work_hours(),
                ENGLISH.thousands(w.salary_per_year)
            );
            if let Some((cases, points, hours)) = implied_caseload(scenario, p) {
                let _ = writeln!(
                    o,
                    "  initial caseload: {cases:.1} cases and {points:.1} points per caseworker, {hours:.1} task hours/week left each"
                );
            }
        }
    }
    let c = &p.costs;
    let _ = writeln!(
        o,
        "Costs: fixed {} {cur}/year, {} {cur} per breakdown, discount rate {}",
        ENGLISH.thousands(c.fixed_per_year),
        ENGLISH.thousands(c.per_breakdown),
        c.discount_rate
    );
    for (k, change) in f.changes.iter().enumerate() {
        let sets: Vec<String> = change
            .set
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        let _ = writeln!(
            o,
            "{}From {} ({} years after start): {}",
            if k == 0 { "\nChanges:\n  " } else { "  " },
            long_date(date_at(scenario.start, change.at_years)),
            ENGLISH.decimals(change.at_years, 2),
            sets.join(", ")
        );
    }
    if let Some(last) = scenario.changes.last()
        && let Some((cases, points, hours)) = implied_caseload(scenario, &last.params)
    {
        {
            let _ = writeln!(
                o,
                "  after all changes, the initial cases would mean {cases:.1} cases and {points:.1} points per caseworker, {hours:.1} task hours/week"
            );
        }
    }
    o
}
