//! The report of a backtest (`trappe backtest`): the scores at a glance,
//! the projected scenario in words, the scores per quantity and series,
//! the fan chart and how to read it. In English, like the fan chart.

use std::fmt::Write;

use super::html::{escape, page};
use super::{SECTIONS, fact, figure, footer, section, top, words};
use crate::backtest::{Backtest, Quantity, Score, Series};
use crate::plots::backtest::BACKTEST_LANGUAGE;
use crate::plots::{Figure, PlotError};

/// What each quantity is, for the scores table.
fn quantity_label(q: Quantity) -> &'static str {
    match q {
        Quantity::CountEnd => "Cases at the period end, by place",
        Quantity::PlacedChildYears => "Placed child-years",
        Quantity::Moves => "Moves between rungs, down and up",
    }
}

/// The report of `b`.
pub fn backtest_report(b: &Backtest) -> Result<String, PlotError> {
    let lang = BACKTEST_LANGUAGE;
    let w = &lang.words().report;
    let num = lang.numbers();
    let percent = |x: Option<f64>| x.map_or("–".into(), |v| format!("{} %", num.decimals(v, 1)));
    let name = b.scenario.name();
    let mut body = String::new();
    let open = b
        .scenario
        .initial_cases
        .as_ref()
        .map_or(0, |l| l.cases.len());
    top(
        &mut body,
        lang,
        "Backtest",
        name,
        &format!(
            "A projection from the {open} open cases of the records on {} to {}, {} replications, \
             scored against what the records show.",
            b.at,
            b.until,
            num.thousands(b.replications as f64)
        ),
    );

    section(&mut body, SECTIONS[0], w.at_a_glance);
    let all = b.scores(None);
    body.push_str("<div class=\"facts\">");
    fact(
        &mut body,
        "Coverage of the 90 % band",
        &percent(all.coverage().map(|c| 100.0 * c)),
        &format!(
            "{} of {} cells (about 90 % if the model is right)",
            all.inside, all.cells
        ),
    );
    fact(
        &mut body,
        "Mean absolute percentage error",
        &percent(all.mape),
        &format!("of the projected mean, over {} cells", all.mape_cells),
    );
    fact(
        &mut body,
        "Periods",
        &b.periods.len().to_string(),
        &format!("{} to {}", b.at, b.until),
    );
    body.push_str("</div>\n");

    section(&mut body, SECTIONS[1], w.scenario_in_words);
    let _ = writeln!(
        body,
        "<div class=\"scenario\"><h3>{}</h3>{}</div>",
        escape(name),
        words::scenario_html(&b.scenario, lang, None)
    );

    section(&mut body, SECTIONS[2], "Scores");
    body.push_str(
        "<p>Coverage: the share of cells (a series in a period) whose actual value lies within \
         the projection's 90 % band. MAPE: the mean absolute percentage error of the projected \
         mean, over the cells whose actual value is not 0.</p>\n",
    );
    body.push_str(
        "<table><thead><tr><th class=\"text\">What</th><th>Cells</th><th>Covered</th>\
         <th>Coverage</th><th>MAPE</th></tr></thead><tbody>\n",
    );
    let mut row = |what: &str, s: Score| {
        let _ = writeln!(
            body,
            "<tr><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(what),
            s.cells,
            s.inside,
            percent(s.coverage().map(|c| 100.0 * c)),
            percent(s.mape)
        );
    };
    row("All", all);
    for q in Quantity::ALL {
        row(quantity_label(q), b.scores(Some(q)));
    }
    for &s in &b.series {
        let what = match s {
            Series::Cases(_) => format!("— cases: {}", s.step(&b.places)),
            Series::PlacedChildYears => continue,
            Series::MovesDown | Series::MovesUp => format!("— moves {}", s.step(&b.places)),
        };
        row(&what, Score::of(b.cells_of(s)));
    }
    body.push_str("</tbody></table>\n");

    section(&mut body, SECTIONS[3], w.figures);
    figure(&mut body, &Figure::Backtest(b))?;

    section(&mut body, SECTIONS[4], w.methods);
    let _ = writeln!(
        body,
        "<p>The projection starts on {} from the cases the records show open that day (their \
         places, ages and time on place), with no warm-up, and runs {} replications to {}. Moves \
         are every change of rung, planned or not (a crisis that moves a child up counts as a \
         move up), as the records can see them. Cells where the records and both ends of the 90 % \
         band are 0 are not scored. The cells of one series are correlated (one future runs through \
         all periods), so the coverage of a few dozen cells is a rough figure.</p>",
        b.at,
        num.thousands(b.replications as f64),
        b.until
    );
    footer(&mut body, lang);
    Ok(page(lang, &format!("{name} — trappe backtest"), &body))
}
