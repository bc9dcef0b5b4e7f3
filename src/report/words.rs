//! A scenario in words for the report: the ladder, intake, workforce,
//! follow-up policy, costs and changes, with the caseload they imply; and,
//! for a comparison, which parameters differ from the base.

use std::fmt::Write;

use super::html::escape;
use crate::language::Language;
use crate::metrics::Metric;
use crate::results::read::RunSummary;
use crate::scenario::describe::caseload_of;
use crate::scenario::labels::parameter_label_in;
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

/// The cases at `start` as simulated (after the warm-up): the mean over
/// replications of `count_start` in the first period, by place
/// (`assessment` and rung ids); `None` for results saved before trappe
/// recorded it.
fn simulated_start(run: &RunSummary) -> Option<impl Fn(&str) -> f64 + '_> {
    run.table.get(Metric::CountStart, "assessment", 0)?;
    Some(move |id: &str| {
        run.table
            .get(Metric::CountStart, id, 0)
            .map_or(0.0, |s| s.mean)
    })
}

/// The scenario of `run` in words (an HTML fragment) in `lang`, with the
/// cases at `start` as simulated.
pub fn run_html(run: &RunSummary, lang: Language) -> String {
    match simulated_start(run) {
        Some(f) => scenario_html(&run.scenario, lang, Some(&f)),
        None => scenario_html(&run.scenario, lang, None),
    }
}

/// A scenario in words (an HTML fragment) in `lang`; `start_cases` gives
/// the cases at `start` as simulated, by place, when they are known.
pub fn scenario_html(
    scenario: &Scenario,
    lang: Language,
    start_cases: Option<&dyn Fn(&str) -> f64>,
) -> String {
    let w = &lang.words().scenario;
    let n = lang.numbers();
    let s = scenario.settings();
    let start = &scenario.params;
    let end = scenario.final_params();
    let cur = escape(&lang.currency(&s.currency));
    let mut o = String::new();
    let warmup = if s.warmup_years > 0.0 {
        (w.warmup)(&n.plain(s.warmup_years))
    } else {
        String::new()
    };
    let discount = if end.costs.discount_rate > 0.0 {
        (w.discounted)(&n.plain(end.costs.discount_rate * 100.0))
    } else {
        w.undiscounted.into()
    };
    let _ = writeln!(
        o,
        "<p>{}</p>",
        (w.simulated_from)(
            &lang.long_date(scenario.start),
            &n.plain(s.horizon_years),
            &warmup,
            &s.period.per(lang),
            &cur,
            &discount
        )
    );

    // The ladder. `[initial]` seeds the warm-up; with a warm-up these are
    // not the cases at `start`, which are shown as simulated beside them.
    let warmup = s.warmup_years > 0.0;
    let initial_heading = if warmup {
        w.cases_when_warmup_begins
    } else {
        w.cases_at_start
    };
    let has_changes = !scenario.changes.is_empty();
    let _ = write!(o, "<table class=\"ladder\"><thead><tr>");
    for (i, h) in w.ladder_columns.iter().enumerate() {
        let h = h.replace("{cur}", &cur);
        let class = if i == 0 { " class=\"text\"" } else { "" };
        let _ = write!(o, "<th{class}>{}</th>", escape(&h));
    }
    let simulated_column = warmup && start_cases.is_some();
    let _ = write!(o, "<th>{}</th>", escape(initial_heading));
    if simulated_column {
        let _ = write!(o, "<th>{}</th>", escape(w.cases_at_start_simulated));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    let initial_counts = scenario.initial_counts();
    for (r, (a, b)) in start.steps.iter().zip(&end.steps).enumerate() {
        let fu = |r: &crate::scenario::Rung, f: fn(&crate::scenario::FollowUpPolicy) -> f64| {
            r.follow_up
                .as_ref()
                .map_or(w.none.into(), |p| n.plain(f(p)))
        };
        let limit = |r: &crate::scenario::Rung| {
            r.max_years
                .map_or(w.none.into(), |y| (w.years)(&n.plain(y), y == 1.0))
        };
        let count = initial_counts[r + 1];
        let label = if b.label != b.id {
            format!("<br><span class=\"muted\">{}</span>", escape(&b.label))
        } else {
            String::new()
        };
        let simulated = match (&start_cases, simulated_column) {
            (Some(f), true) => format!("<td>{}</td>", n.decimals(f(&b.id), 1)),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"text\"><strong>{}</strong>{label}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{count}</td>{simulated}</tr>",
            escape(&b.id),
            if b.placement { w.yes } else { w.no },
            changed(&n.thousands(a.cost_per_year), &n.thousands(b.cost_per_year)),
            changed(&n.plain(a.points), &n.plain(b.points)),
            changed(&fu(a, |p| p.first_weeks), &fu(b, |p| p.first_weeks)),
            changed(&fu(a, |p| p.every_weeks), &fu(b, |p| p.every_weeks)),
            changed(&limit(a), &limit(b)),
        );
    }
    let assessment = initial_counts[0];
    let simulated_assessment = match (&start_cases, simulated_column) {
        (Some(f), true) => format!(
            " {}",
            (w.under_assessment_simulated)(&n.decimals(f("assessment"), 1))
        ),
        _ => String::new(),
    };
    let _ = writeln!(
        o,
        "</tbody></table><p class=\"note\">{}{}{simulated_assessment}</p>",
        if has_changes { w.changes_note } else { "" },
        (w.under_assessment)(assessment, warmup)
    );
    // Where moves go (down_to, up_to, crisis_to), as in force at the end.
    let moves: Vec<String> = (0..end.steps.len())
        .filter_map(|r| end.moves[r].words(r, &end.steps, lang))
        .collect();
    if !moves.is_empty() {
        let _ = writeln!(
            o,
            "<p>{}</p><ul>{}</ul>",
            escape(lang.words().moves.where_moves_go),
            moves
                .iter()
                .map(|m| format!("<li>{}</li>", escape(m)))
                .collect::<String>()
        );
    }

    // Follow-up policy and intake.
    let _ = writeln!(
        o,
        "<p>{}</p>",
        (w.follow_up_policy)(
            &changed(
                &n.plain(start.follow_up.detection),
                &n.plain(end.follow_up.detection)
            ),
            &changed(
                &n.plain(start.follow_up.on_time_weeks),
                &n.plain(end.follow_up.on_time_weeks)
            ),
            &follow_up_hours(end, lang),
        )
    );
    let i = &end.intake;
    let entry: Vec<String> = i
        .entry
        .iter()
        .filter(|(_, v)| v.max() > 0.0)
        .map(|(k, v)| {
            let k = if k == "none" {
                w.no_measure
            } else {
                k.as_str()
            };
            let shares: Vec<String> = v.values().iter().map(|v| n.plain_percent(*v)).collect();
            format!("{} {}", escape(k), shares.join("/"))
        })
        .collect();
    let _ = writeln!(
        o,
        "<p>{}</p>",
        (w.intake)(
            &changed(
                &n.plain(start.intake.referrals_per_year),
                &n.plain(i.referrals_per_year)
            ),
            &n.plain(i.assessment_hours),
            &n.plain(i.assessment_min_weeks),
            &if entry.is_empty() {
                String::new()
            } else {
                format!("{} {}.", w.after_assessment, entry.join(", "))
            }
        )
    );

    // Workforce and implied caseload.
    match (&start.workforce, &end.workforce) {
        (_, None) => {
            let _ = writeln!(o, "<p>{}</p>", w.no_workforce);
        }
        (a, Some(b)) => {
            let before = a.map_or(w.none.into(), |w| w.caseworkers.to_string());
            let _ = write!(
                o,
                "<p>{}",
                (w.workforce)(
                    &changed(&before, &b.caseworkers.to_string()),
                    &n.plain(b.hours_per_week),
                    &n.plain(b.case_work_share * 100.0),
                    &n.plain((b.case_work_hours() * 10.0).round() / 10.0),
                    &changed(
                        &a.map_or("0".into(), |w| n.thousands(w.salary_per_year)),
                        &n.thousands(b.salary_per_year)
                    ),
                    &cur,
                )
            );
            // With the cases at `start` as simulated when they are known,
            // else with `[initial]`.
            let caseload = |p: &Params| match &start_cases {
                Some(f) => caseload_of(p, |id| f(id)),
                None => crate::scenario::describe::implied_caseload(scenario, p),
            };
            let one = |x: f64| n.decimals(x, 1);
            let whole = |x: f64| n.decimals(x, 0);
            let pair = |a: String, b: String| format!("{a} → {b}");
            match (caseload(start), caseload(end)) {
                (Some(x), Some(y)) if has_changes && (x.0 - y.0).abs() > 1e-9 => {
                    let _ = writeln!(
                        o,
                        " {}</p>",
                        (w.implied_caseload)(
                            &pair(one(x.0), one(y.0)),
                            &pair(whole(x.1), whole(y.1)),
                            &pair(one(x.2), one(y.2))
                        )
                    );
                }
                (_, Some(y)) => {
                    let _ = writeln!(
                        o,
                        " {}</p>",
                        (w.implied_caseload)(&one(y.0), &whole(y.1), &one(y.2))
                    );
                }
                _ => o.push_str("</p>\n"),
            }
        }
    }

    // Costs.
    let _ = writeln!(
        o,
        "<p>{}</p>",
        (w.other_costs)(
            &changed(
                &n.thousands(start.costs.fixed_per_year),
                &n.thousands(end.costs.fixed_per_year)
            ),
            &changed(
                &n.thousands(start.costs.per_breakdown),
                &n.thousands(end.costs.per_breakdown)
            ),
            &cur
        )
    );

    // Changes.
    if !scenario.file.changes.is_empty() {
        let _ = writeln!(
            o,
            "<p><strong>{}</strong></p><ul class=\"changes\">",
            w.changes_heading
        );
        for change in &scenario.file.changes {
            let when = lang.long_date(crate::scenario::dates::date_at(
                scenario.start,
                change.at_years,
            ));
            let sets: Vec<String> = change
                .set
                .iter()
                .map(|(path, value)| {
                    format!(
                        "{} = {}",
                        escape(&parameter_label_in(path, lang)),
                        escape(&toml_value(value, lang))
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "<li>{}</li>",
                (w.change_from)(&when, &n.decimals(change.at_years, 2), &sets.join("; "))
            );
        }
        o.push_str("</ul>\n");
    }
    o
}

fn follow_up_hours(p: &Params, lang: Language) -> String {
    let w = &lang.words().scenario;
    let n = lang.numbers();
    let parts: Vec<String> = p
        .steps
        .iter()
        .filter_map(|r| r.follow_up.map(|f| (w.hours_on)(&n.plain(f.hours), &r.id)))
        .collect();
    if parts.is_empty() {
        w.no_follow_up_time.into()
    } else {
        parts.join(", ")
    }
}

fn toml_value(v: &toml::Value, lang: Language) -> String {
    let n = lang.numbers();
    match v {
        toml::Value::Float(x) => n.plain(*x),
        toml::Value::Integer(x) => n.plain(*x as f64),
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every parameter of a parameter set as (path, value) in a fixed order.
fn flatten(
    p: &Params,
    initial: &indexmap::IndexMap<String, u32>,
    lang: Language,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |prefix: &str, value: toml::Value| flatten_value(prefix, &value, lang, &mut out);
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

fn flatten_value(prefix: &str, v: &toml::Value, lang: Language, out: &mut Vec<(String, String)>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                if k == "id" {
                    continue;
                }
                flatten_value(&format!("{prefix}.{k}"), v, lang, out);
            }
        }
        other => out.push((prefix.to_string(), toml_value(other, lang))),
    }
}

/// Parameters (in force at the end of the run, and the cases at start)
/// that differ between `base` and `alt`: (parameter in words, base, alt).
pub fn differences(
    base: &Scenario,
    alt: &Scenario,
    lang: Language,
) -> Vec<(String, String, String)> {
    let a = flatten(base.final_params(), &base.file.initial, lang);
    let b = flatten(alt.final_params(), &alt.file.initial, lang);
    let mut out = Vec::new();
    for (path, va) in &a {
        let vb = b
            .iter()
            .find(|(p, _)| p == path)
            .map_or("—".to_string(), |(_, v)| v.clone());
        if *va != vb {
            out.push((words_for(path, lang), va.clone(), vb));
        }
    }
    for (path, vb) in &b {
        if !a.iter().any(|(p, _)| p == path) {
            out.push((words_for(path, lang), "—".into(), vb.clone()));
        }
    }
    out
}

fn words_for(path: &str, lang: Language) -> String {
    if let Some(k) = path.strip_prefix("initial.") {
        format!("{}: {k}", lang.words().scenario.initial_cases)
    } else {
        parameter_label_in(path, lang)
    }
}
