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
    let initial = &scenario.file.initial;
    let n = f64::from(w.caseworkers);
    let count = |id: &str| f64::from(initial.get(id).copied().unwrap_or(0));
    let assessment = count("assessment");
    let cases = assessment + params.steps.iter().map(|r| count(&r.id)).sum::<f64>();
    let points = assessment * params.intake.assessment_points
        + params
            .steps
            .iter()
            .map(|r| count(&r.id) * r.points)
            .sum::<f64>();
    let monthly_load = params
        .steps
        .iter()
        .map(|r| count(&r.id) * r.workload_hours_per_month)
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
        let l = r.latent;
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
    describe_places(scenario, &mut o);
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
            .map(|(k, v)| format!("{k} {:.1} %", v * 100.0))
            .collect();
        let _ = writeln!(o, "  entry after assessment: {}", mix.join(", "));
    }
    let initial: Vec<String> = f.initial.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(
        o,
        "Initial cases: {}",
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

/// Placement capacity in words (docs/model.md, "Placement capacity"), with
/// a warning when the start state already holds more cases than a rung's
/// places. Nothing for a scenario without capacity.
fn describe_places(scenario: &Scenario, o: &mut String) {
    let p = &scenario.params;
    if p.capacity_rungs.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nPlaces:");
    for &r in &p.capacity_rungs {
        let rung = &p.steps[r];
        let above: Vec<&str> = p.steps[r + 1..].iter().map(|s| s.id.as_str()).collect();
        let places = rung.capacity.map_or_else(
            || "no limit at the start (places set by [[changes]])".to_string(),
            |n| {
                format!(
                    "{} {} place{}",
                    ENGLISH.thousands(f64::from(n)),
                    rung.id,
                    if n == 1 { "" } else { "s" }
                )
            },
        );
        let _ = writeln!(
            o,
            "  {places}; when full, children who need one go to the next rung with room ({}) \
             and wait, first come, first served; a child on a higher rung who could step \
             down stays there and waits",
            above.join(", then ")
        );
        let initial = scenario.file.initial.get(&rung.id).copied().unwrap_or(0);
        if let Some(n) = rung.capacity.filter(|&n| initial > n) {
            let _ = writeln!(
                o,
                "  warning: the start state has {initial} cases on {}, more than its {n} places: \
                 they stay, and nobody is admitted there until it has room",
                rung.id
            );
        }
    }
}
