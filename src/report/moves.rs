//! The report's table of moves between places, read like KORA's figure 2
//! of the Herning evaluation: one row per place a move starts from
//! (`assessment`, then the ladder), one column per place it leads to (the
//! ladder, closed, aged out), each cell the mean number of such moves per
//! year with the whole-run mean below it, all kinds of move together
//! (entries, planned moves, time limits, crises, closures, ageing out; a
//! crisis to the own rung is on the diagonal). From `transitions.csv`.

use std::fmt::Write;

use super::html::escape;
use crate::language::Language;
use crate::results::read::RunSummary;

/// The table as HTML, or `None` when the run has no `transitions.csv` (a
/// folder written before trappe had it) or no moves at all.
pub fn moves_table(run: &RunSummary, lang: Language) -> Option<String> {
    let w = &lang.words().moves;
    let numbers = lang.numbers();
    let table = run.transitions.as_ref()?;
    let steps = &run.scenario.params.steps;
    // Places: 0 = assessment, 1..=n = rungs; destinations: 0..n = rungs,
    // n = closed, n + 1 = aged out.
    let n = steps.len();
    let from_index = |name: &str| match name {
        "assessment" => Some(0),
        id => steps.iter().position(|r| r.id == id).map(|i| i + 1),
    };
    let to_index = |name: &str| match name {
        "closed" => Some(n),
        "aged_out" => Some(n + 1),
        id => steps.iter().position(|r| r.id == id),
    };
    let mut whole = vec![vec![0.0; n + 2]; n + 1];
    for row in &table.rows {
        if let (Some(f), Some(t)) = (from_index(&row.from), to_index(&row.to)) {
            whole[f][t] += row.summary.mean;
        }
    }
    let years = run.scenario.settings().horizon_years;
    let from_used: Vec<usize> = (0..=n)
        .filter(|&f| whole[f].iter().any(|&x| x > 0.0))
        .collect();
    let to_used: Vec<usize> = (0..n + 2)
        .filter(|&t| whole.iter().any(|row| row[t] > 0.0))
        .collect();
    if from_used.is_empty() {
        return None;
    }
    let from_label = |f: usize| match f {
        0 => w.under_assessment.to_string(),
        r => steps[r - 1].label.clone(),
    };
    let to_label = |t: usize| match t {
        t if t < n => steps[t].label.clone(),
        t if t == n => w.closed.to_string(),
        _ => w.aged_out.to_string(),
    };
    let mut html = String::new();
    let _ = write!(
        html,
        "<table><caption>{}</caption><thead><tr><th class=\"text\">{}</th>",
        escape(&(w.caption)(&numbers.plain(years))),
        escape(w.from_to)
    );
    for &t in &to_used {
        let _ = write!(html, "<th>{}</th>", escape(&to_label(t)));
    }
    html.push_str("</tr></thead><tbody>\n");
    for &f in &from_used {
        let _ = write!(
            html,
            "<tr><td class=\"text\">{}</td>",
            escape(&from_label(f))
        );
        for &t in &to_used {
            let x = whole[f][t];
            if x > 0.0 {
                let _ = write!(
                    html,
                    "<td>{}<span class=\"ci\">{}</span></td>",
                    numbers.decimals(x / years, 1),
                    numbers.decimals(x, 1)
                );
            } else {
                html.push_str("<td>–</td>");
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table>\n");
    let _ = writeln!(html, "<p class=\"note\">{}</p>", w.note);
    Some(html)
}
