//! A scenario in words, for `trappe check` and reports: the ladder, intake,
//! workforce and what they imply (caseload per caseworker, task hours).

use std::fmt::Write;

use super::dates::date_at;
use super::{Params, Scenario};

/// Caseload implied by the initial cases under `params`: (cases per
/// caseworker, points per caseworker, task hours per caseworker per week).
pub fn implied_caseload(scenario: &Scenario, params: &Params) -> Option<(f64, f64, f64)> {
    let initial = scenario.initial_counts();
    let ids: Vec<&str> = std::iter::once("assessment")
        .chain(params.steps.iter().map(|r| r.id.as_str()))
        .collect();
    caseload_of(params, |id| {
        ids.iter()
            .position(|i| *i == id)
            .map_or(0.0, |k| f64::from(initial[k]))
    })
}

/// Caseload implied by `count` cases on each place (`assessment` and the
/// rung ids) under `params`, as [`implied_caseload`]: the report gives it
/// for the simulated cases at `start`.
pub fn caseload_of(params: &Params, count: impl Fn(&str) -> f64) -> Option<(f64, f64, f64)> {
    let w = params.workforce?;
    let n = f64::from(w.caseworkers);
    let assessment = count("assessment");
    let cases = assessment + params.steps.iter().map(|r| count(&r.id)).sum::<f64>();
    let points = assessment * params.intake.assessment_points
        + params
            .steps
            .iter()
            .map(|rung| count(&rung.id) * rung.points)
            .sum::<f64>();
    let monthly_load = params
        .steps
        .iter()
        .map(|rung| count(&rung.id) * rung.workload_hours_per_month)
        .sum::<f64>()
        / n;
    Some((cases / n, points / n, w.task_capacity(monthly_load)))
}

/// A readable multi-line description, in the scenario's language.
pub fn describe(scenario: &Scenario) -> String {
    let lang = scenario.language();
    let (w, n) = (&lang.words().check, lang.numbers());
    // Every digit of a parameter, as the author wrote it.
    let plain = |x: f64| n.exact(x);
    let f = &scenario.file;
    let s = &f.scenario;
    let p = &scenario.params;
    let cur = lang.currency(&s.currency);
    let mut o = String::new();
    let _ = writeln!(o, "{}: {}", w.scenario, s.name);
    let _ = writeln!(
        o,
        "{}",
        (w.settings)(
            &lang.long_date(scenario.start),
            &plain(s.horizon_years),
            s.period.name(lang),
            &plain(s.warmup_years),
            s.replications,
            s.seed
        )
    );
    if p.bands.count() > 1 {
        let _ = writeln!(o, "\n{}", (w.age_bands)(&p.bands.labels().join(", ")));
    }
    let _ = writeln!(o, "\n{}", w.ladder);
    let c = w.columns;
    let _ = writeln!(
        o,
        "  {:<14} {:>9} {:>13} {:>6} {:>8}  {:<22} {:<9}  {}",
        c[0],
        c[1],
        c[2].replace("{cur}", &cur),
        c[3],
        c[4],
        c[5],
        c[6],
        c[7]
    );
    let yes_no = &lang.words().scenario;
    for r in &p.steps {
        let fu = r.follow_up.map_or(yes_no.none.to_string(), |f| {
            (w.follow_up)(
                &plain(f.first_weeks),
                &plain(f.every_weeks),
                &plain(f.hours),
            )
        });
        let limit = r.max_years.map_or("-".into(), |m| (w.limit)(&plain(m)));
        let l = &r.latent;
        // A value per age band is shown as [youngest ... oldest].
        let by_band = |v: &crate::scenario::ByBand| match v {
            crate::scenario::ByBand::All(x) => plain(*x),
            crate::scenario::ByBand::Each(values) => format!(
                "[{}]",
                values
                    .iter()
                    .map(|x| plain(*x))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        };
        let _ = writeln!(
            o,
            "  {:<14} {:>9} {:>13} {:>6} {:>8}  {:<22} {:<9}  {} {} {} {} | {}",
            r.id,
            if r.placement { yes_no.yes } else { yes_no.no },
            n.thousands(r.cost_per_year),
            plain(r.points),
            plain(r.workload_hours_per_month),
            fu,
            limit,
            by_band(&l.improve),
            by_band(&l.worsen),
            by_band(&l.relapse),
            by_band(&l.crisis),
            by_band(&r.exit.close)
        );
    }
    let _ = writeln!(
        o,
        "{}",
        (w.detection)(
            &plain(p.follow_up.detection),
            &plain(p.follow_up.on_time_weeks)
        )
    );
    let moves: Vec<String> = (0..p.steps.len())
        .filter_map(|r| p.moves[r].words(r, &p.steps, lang))
        .collect();
    if !moves.is_empty() {
        let _ = writeln!(o, "\n{}", lang.words().moves.where_moves_go);
        for line in moves {
            let _ = writeln!(o, "  {line}");
        }
    }
    describe_places(scenario, &mut o);
    let i = &p.intake;
    let _ = writeln!(
        o,
        "\n{}",
        (w.intake)(
            &plain(i.referrals_per_year),
            &plain(i.assessment_hours),
            &plain(i.assessment_min_weeks),
            &plain(i.age_min),
            &plain(i.age_max)
        )
    );
    if !i.entry.is_empty() {
        let mix: Vec<String> = i
            .entry
            .iter()
            .map(|(k, v)| match v {
                crate::scenario::ByBand::All(v) => format!("{k} {}", n.percent(*v, 1)),
                crate::scenario::ByBand::Each(values) => {
                    let each: Vec<String> = values.iter().map(|v| n.percent(*v, 1)).collect();
                    format!("{k} {} ({})", each.join("/"), w.by_age_band)
                }
            })
            .collect();
        let _ = writeln!(o, "{} {}", w.entry, mix.join(", "));
    }
    if let Some(weights) = &i.age_weights {
        let total: f64 = weights.iter().sum();
        let shares: Vec<String> = p
            .bands
            .labels()
            .iter()
            .zip(weights)
            .map(|(band, weight)| format!("{band} {}", n.percent(weight / total, 1)))
            .collect();
        let _ = writeln!(o, "{}", (w.age_weights)(&shares.join(", ")));
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
        (w.case_list)(&l.source.to_string(), l.cases.len(), &span)
    });
    let _ = writeln!(
        o,
        "{} {}{list}",
        w.initial,
        if initial.is_empty() {
            yes_no.none.into()
        } else {
            initial.join(", ")
        }
    );
    let one = |x: f64| n.decimals(x, 1);
    match &p.workforce {
        None => {
            let _ = writeln!(o, "\n{}", w.no_workforce);
        }
        Some(wf) => {
            let _ = writeln!(
                o,
                "\n{}",
                (w.workforce)(
                    &wf.caseworkers.to_string(),
                    &plain(wf.hours_per_week),
                    &plain(wf.case_work_share),
                    &one(wf.case_work_hours()),
                    &n.thousands(wf.salary_per_year),
                    &cur
                )
            );
            if let Some((cases, points, hours)) = implied_caseload(scenario, p) {
                let _ = writeln!(
                    o,
                    "{}",
                    (w.initial_caseload)(&one(cases), &one(points), &one(hours))
                );
            }
        }
    }
    let costs = &p.costs;
    let _ = writeln!(
        o,
        "{}",
        (w.costs)(
            &n.thousands(costs.fixed_per_year),
            &n.thousands(costs.per_breakdown),
            &cur,
            &plain(costs.discount_rate)
        )
    );
    for (k, change) in f.changes.iter().enumerate() {
        let sets: Vec<String> = change
            .set
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        let line = (lang.words().scenario.change_from)(
            &lang.long_date(date_at(scenario.start, change.at_years)),
            &n.decimals(change.at_years, 2),
            &sets.join(", "),
        );
        if k == 0 {
            let _ = writeln!(o, "\n{}", w.changes);
        }
        let _ = writeln!(o, "  {}", line.trim_end_matches('.'));
    }
    if let Some(last) = scenario.changes.last()
        && let Some((cases, points, hours)) = implied_caseload(scenario, &last.params)
    {
        let _ = writeln!(
            o,
            "{}",
            (w.after_changes)(&one(cases), &one(points), &one(hours))
        );
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
                    crate::format::ENGLISH.thousands(f64::from(n)),
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
