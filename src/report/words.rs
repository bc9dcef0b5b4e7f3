//! A scenario in words for the report: the ladder, intake, workforce,
//! follow-up policy, costs and changes, with the caseload they imply; and,
//! for a comparison, which parameters differ from the base.

use std::fmt::Write;

use super::html::escape;
use crate::format::{ENGLISH, long_date};
use crate::scenario::describe::implied_caseload;
use crate::scenario::labels::parameter_label;
use crate::scenario::{Params, Scenario};

/// `before → after` when they differ, else the value.
fn changed(before: &str, after: &str) -> String {
    if before == after {
        escape(after)
    } else {
        format!(
            "<span class=\"was\">{}</span> → <strong>{}</strong>",
            escape(before),
            escape(after)
        )
    }
}

/// The scenario in words (an HTML fragment).
pub fn scenario_html(scenario: &Scenario) -> String {
    let s = scenario.settings();
    let start = &scenario.params;
    let end = scenario.final_params();
    let cur = escape(&s.currency);
    let mut o = String::new();
    let warmup = if s.warmup_years > 0.0 {
        format!(
            ", after a {}-year warm-up that is simulated but not reported (so the start state is realistic)",
            ENGLISH.plain(s.warmup_years)
        )
    } else {
        String::new()
    };
    let discount = if end.costs.discount_rate > 0.0 {
        format!(
            ", discounted at {} % a year",
            ENGLISH.plain(end.costs.discount_rate * 100.0)
        )
    } else {
        ", undiscounted".into()
    };
    let _ = writeln!(
        o,
        "<p>Simulated from <strong>{}</strong> for {} years{warmup}, reported by {}. Amounts in {cur}{discount}.</p>",
        long_date(scenario.start),
        ENGLISH.plain(s.horizon_years),
        s.period.word(),
    );

    // The ladder. `[initial]` seeds the warm-up; with a warm-up these are
    // not the cases at `start` (the simulated ones are in the results).
    let initial_heading = if s.warmup_years > 0.0 {
        "Cases when the warm-up begins ([initial])"
    } else {
        "Cases at start"
    };
    let has_changes = !scenario.changes.is_empty();
    let _ = writeln!(
        o,
        "<table class=\"ladder\"><thead><tr><th class=\"text\">Rung (least intrusive first)</th><th>Placement</th><th>Cost per child-year ({cur})</th><th>Caseload points</th><th>First follow-up (weeks)</th><th>Then every (weeks)</th><th>Time limit</th><th>{initial_heading}</th></tr></thead><tbody>"
    );
    let initial_counts = scenario.initial_counts();
    for (r, (a, b)) in start.steps.iter().zip(&end.steps).enumerate() {
        let fu = |r: &crate::scenario::Rung, f: fn(&crate::scenario::FollowUpPolicy) -> f64| {
            r.follow_up
                .as_ref()
                .map_or("none".into(), |p| ENGLISH.plain(f(p)))
        };
        let limit = |r: &crate::scenario::Rung| {
            r.max_years.map_or("none".into(), |y| {
                format!(
                    "{} year{}",
                    ENGLISH.plain(y),
                    if y == 1.0 { "" } else { "s" }
                )
            })
        };
        let count = initial_counts[r + 1];
        let label = if b.label != b.id {
            format!("<br><span class=\"muted\">{}</span>", escape(&b.label))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"text\"><strong>{}</strong>{label}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{count}</td></tr>",
            escape(&b.id),
            if b.placement { "yes" } else { "no" },
            changed(
                &ENGLISH.thousands(a.cost_per_year),
                &ENGLISH.thousands(b.cost_per_year)
            ),
            changed(&ENGLISH.plain(a.points), &ENGLISH.plain(b.points)),
            changed(&fu(a, |p| p.first_weeks), &fu(b, |p| p.first_weeks)),
            changed(&fu(a, |p| p.every_weeks), &fu(b, |p| p.every_weeks)),
            changed(&limit(a), &limit(b)),
        );
    }
    let assessment = initial_counts[0];
    let _ = writeln!(
        o,
        "</tbody></table><p class=\"note\">{}Under assessment at start: {assessment} cases.</p>",
        if has_changes {
            "Values shown as <span class=\"was\">before</span> → <strong>after</strong> change during the run (see Changes below). "
        } else {
            ""
        }
    );
    // Where moves go (down_to, up_to, crisis_to), as in force at the end.
    let moves: Vec<String> = (0..end.steps.len())
        .filter_map(|r| end.moves[r].words(r, &end.steps))
        .collect();
    if !moves.is_empty() {
        let _ = writeln!(
            o,
            "<p>Where moves go (any other move goes one rung; a crisis on the top rung stays there):</p><ul>{}</ul>",
            moves
                .iter()
                .map(|m| format!("<li>{}</li>", escape(m)))
                .collect::<String>()
        );
    }

    // Follow-up policy and intake.
    let _ = writeln!(
        o,
        "<p><strong>Follow-up policy.</strong> A follow-up (SEL §70) sees the child's true need with probability {}: a child ready for less moves one rung down (or the case closes), a child needing more moves one rung up. A follow-up done within {} weeks of its due date counts as on time. Follow-ups take {}.</p>",
        changed(
            &ENGLISH.plain(start.follow_up.detection),
            &ENGLISH.plain(end.follow_up.detection)
        ),
        changed(
            &ENGLISH.plain(start.follow_up.on_time_weeks),
            &ENGLISH.plain(end.follow_up.on_time_weeks)
        ),
        follow_up_hours(end),
    );
    let i = &end.intake;
    let entry: Vec<String> = i
        .entry
        .iter()
        .filter(|(_, v)| v.max() > 0.0)
        .map(|(k, v)| {
            let k = if k == "none" {
                "no measure"
            } else {
                k.as_str()
            };
            let shares: Vec<String> = v
                .values()
                .iter()
                .map(|v| ENGLISH.plain(v * 100.0))
                .collect();
            format!("{} {} %", escape(k), shares.join("/"))
        })
        .collect();
    let _ = writeln!(
        o,
        "<p><strong>Intake.</strong> {} referrals a year become cases; a §50 assessment takes {} caseworker hours and at least {} weeks. {}</p>",
        changed(
            &ENGLISH.plain(start.intake.referrals_per_year),
            &ENGLISH.plain(i.referrals_per_year)
        ),
        ENGLISH.plain(i.assessment_hours),
        ENGLISH.plain(i.assessment_min_weeks),
        if entry.is_empty() {
            String::new()
        } else {
            format!("After assessment: {}.", entry.join(", "))
        }
    );

    // Workforce and implied caseload.
    match (&start.workforce, &end.workforce) {
        (_, None) => {
            let _ = writeln!(
                o,
                "<p><strong>Workforce.</strong> Not modelled: capacity is unlimited, so every follow-up happens when due.</p>"
            );
        }
        (a, Some(b)) => {
            let before = a.map_or("none".into(), |w| w.caseworkers.to_string());
            let _ = writeln!(
                o,
                "<p><strong>Workforce.</strong> {} caseworkers, {} hours a week with {} % on case work ({} hours each); salary {} {cur} a year.",
                changed(&before, &b.caseworkers.to_string()),
                ENGLISH.plain(b.hours_per_week),
                ENGLISH.plain(b.case_work_share * 100.0),
                ENGLISH.plain((b.case_work_hours() * 10.0).round() / 10.0),
                changed(
                    &a.map_or("0".into(), |w| ENGLISH.thousands(w.salary_per_year)),
                    &ENGLISH.thousands(b.salary_per_year)
                ),
            );
            let caseload = |p: &Params| implied_caseload(scenario, p);
            match (caseload(start), caseload(end)) {
                (Some(x), Some(y)) if has_changes && (x.0 - y.0).abs() > 1e-9 => {
                    let _ = writeln!(
                        o,
                        " Implied caseload with the cases at start: <strong>{:.1} → {:.1} cases</strong> ({:.0} → {:.0} points) per caseworker, leaving {:.1} → {:.1} hours a week for follow-ups and assessments.</p>",
                        x.0, y.0, x.1, y.1, x.2, y.2
                    );
                }
                (_, Some(y)) => {
                    let _ = writeln!(
                        o,
                        " Implied caseload with the cases at start: <strong>{:.1} cases</strong> ({:.0} points) per caseworker, leaving {:.1} hours a week for follow-ups and assessments.</p>",
                        y.0, y.1, y.2
                    );
                }
                _ => o.push_str("</p>\n"),
            }
        }
    }

    // Costs.
    let _ = writeln!(
        o,
        "<p><strong>Other costs.</strong> Fixed programme costs {} {cur} a year; {} {cur} per placement breakdown.</p>",
        changed(
            &ENGLISH.thousands(start.costs.fixed_per_year),
            &ENGLISH.thousands(end.costs.fixed_per_year)
        ),
        changed(
            &ENGLISH.thousands(start.costs.per_breakdown),
            &ENGLISH.thousands(end.costs.per_breakdown)
        ),
    );

    // Changes.
    if !scenario.file.changes.is_empty() {
        o.push_str("<p><strong>Changes during the run.</strong></p><ul class=\"changes\">\n");
        for change in &scenario.file.changes {
            let when = long_date(crate::scenario::dates::date_at(
                scenario.start,
                change.at_years,
            ));
            let sets: Vec<String> = change
                .set
                .iter()
                .map(|(path, value)| {
                    format!(
                        "{} = {}",
                        escape(&parameter_label(path)),
                        escape(&toml_value(value))
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "<li>From {when} ({} years after start): {}.</li>",
                ENGLISH.decimals(change.at_years, 2),
                sets.join("; ")
            );
        }
        o.push_str("</ul>\n");
    }
    o
}

fn follow_up_hours(p: &Params) -> String {
    let parts: Vec<String> = p
        .steps
        .iter()
        .filter_map(|r| {
            r.follow_up
                .map(|f| format!("{} h on {}", ENGLISH.plain(f.hours), r.id))
        })
        .collect();
    if parts.is_empty() {
        "no caseworker time (no rung is followed up)".into()
    } else {
        parts.join(", ")
    }
}

fn toml_value(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(x) => ENGLISH.plain(*x),
        toml::Value::Integer(x) => ENGLISH.plain(*x as f64),
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every parameter of a parameter set as (path, value) in a fixed order.
fn flatten(p: &Params, initial: &indexmap::IndexMap<String, u32>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |prefix: &str, value: toml::Value| flatten_value(prefix, &value, &mut out);
    for r in &p.steps {
        if let Ok(v) = toml::Value::try_from(r) {
            push(&format!("steps.{}", r.id), v);
        }
    }
    if let Ok(v) = toml::Value::try_from(p.follow_up) {
        push("follow_up", v);
    }
    if let Ok(v) = toml::Value::try_from(&p.intake) {
        push("intake", v);
    }
    if let Some(Ok(v)) = p.workforce.map(toml::Value::try_from) {
        push("workforce", v);
    }
    if let Ok(v) = toml::Value::try_from(p.costs) {
        push("costs", v);
    }
    for (k, v) in initial {
        out.push((format!("initial.{k}"), v.to_string()));
    }
    out
}

fn flatten_value(prefix: &str, v: &toml::Value, out: &mut Vec<(String, String)>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                if k == "id" {
                    continue;
                }
                flatten_value(&format!("{prefix}.{k}"), v, out);
            }
        }
        other => out.push((prefix.to_string(), toml_value(other))),
    }
}

/// Parameters (in force at the end of the run, and the cases at start)
/// that differ between `base` and `alt`: (parameter in words, base, alt).
pub fn differences(base: &Scenario, alt: &Scenario) -> Vec<(String, String, String)> {
    let a = flatten(base.final_params(), &base.file.initial);
    let b = flatten(alt.final_params(), &alt.file.initial);
    let mut out = Vec::new();
    for (path, va) in &a {
        let vb = b
            .iter()
            .find(|(p, _)| p == path)
            .map_or("—".to_string(), |(_, v)| v.clone());
        if *va != vb {
            out.push((words_for(path), va.clone(), vb));
        }
    }
    for (path, vb) in &b {
        if !a.iter().any(|(p, _)| p == path) {
            out.push((words_for(path), "—".into(), vb.clone()));
        }
    }
    out
}

fn words_for(path: &str) -> String {
    if let Some(k) = path.strip_prefix("initial.") {
        format!("cases at start: {k}")
    } else {
        parameter_label(path)
    }
}
