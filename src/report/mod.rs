//! The HTML report (`--report`, `trappe report DIR`): one self-contained
//! `report.html` a council can read — the scenario(s) in words, the
//! headline table, the figures (inline SVG) and a methods paragraph. No
//! scripts, no external requests; it prints cleanly to A4.
//!
//! Sections carry stable ids (see [`SECTIONS`]) so tests and links can find
//! them.

pub mod headline;
mod html;
mod moves;
mod words;

use std::fmt::Write;
use std::io;
use std::path::Path;

use crate::compare::Comparison;
use crate::compare::ComparisonTotals;
use crate::format::ENGLISH;
use crate::plots::{Figure, PlotError};
use crate::results::PeriodInfo;
use crate::results::read::RunSummary;
use crate::results::stats::Summary;
use crate::results::totals::{Span, Totals};
use headline::{HeadlineMetric, headline_metrics, span_label, totals_words};
use html::{escape, inline_svg, page};

/// File name of the report inside a results folder.
pub const FILE_NAME: &str = "report.html";

/// Ids of the report's sections, in order.
pub const SECTIONS: [&str; 5] = ["summary", "scenarios", "headline", "figures", "methods"];

/// The report of one run.
pub fn run_report(run: &RunSummary) -> Result<String, PlotError> {
    let name = run.scenario.name();
    let mut body = String::new();
    top(
        &mut body,
        "Simulation report",
        name,
        &format!(
            "Projected costs and placements of one scenario, {} replications.",
            run.replications
        ),
    );
    let metrics = headline_metrics(&run.scenario);
    let last = run.table.periods.len().saturating_sub(1);

    section(&mut body, "summary", "At a glance");
    match &run.totals {
        Some(totals) => run_glance(&mut body, &metrics, totals),
        None => last_period_glance(&mut body, run, &metrics, last),
    }

    section(&mut body, "scenarios", "The scenario in words");
    let _ = writeln!(
        body,
        "<div class=\"scenario\"><h3>{}</h3>{}</div>",
        escape(name),
        words::scenario_html(&run.scenario)
    );

    section(&mut body, "headline", "Headline results");
    let _ = writeln!(
        body,
        "<p>Per period: mean over replications, with the 95 % confidence interval of the mean below it.</p>"
    );
    body.push_str("<table><thead><tr><th class=\"text\">Period</th>");
    for m in &metrics {
        let _ = write!(body, "<th>{}</th>", escape(&m.title));
    }
    body.push_str("</tr></thead><tbody>\n");
    for (k, p) in run.table.periods.iter().enumerate() {
        let _ = write!(body, "<tr><td class=\"text\">{}</td>", period_range(p));
        for m in &metrics {
            match run.table.get(m.metric, &m.step, k) {
                Some(s) => {
                    let _ = write!(
                        body,
                        "<td>{}<span class=\"ci\">{}</span></td>",
                        m.kind.value(s.mean),
                        ci(m, s)
                    );
                }
                None => body.push_str("<td>–</td>"),
            }
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody></table>\n");
    if let Some(table) = moves::moves_table(run) {
        body.push_str("<h3 id=\"moves\">Moves between places</h3>\n");
        body.push_str(&table);
    }

    section(&mut body, "figures", "Figures");
    for f in Figure::for_run(run) {
        figure(&mut body, &f)?;
    }

    section(&mut body, "methods", "Methods");
    methods(&mut body, &run.scenario, run.replications, None);
    footer(&mut body);
    Ok(page(&format!("{name} — trappe report"), &body))
}

/// The report of a comparison.
pub fn comparison_report(c: &Comparison) -> Result<String, PlotError> {
    comparison_report_with(c, &[], None)
}

/// The report of a comparison with its paired answers ("saves money in
/// 87 % of plausible futures") and the histogram of the whole-run cost
/// difference (an SVG document) at the end of "At a glance".
pub fn comparison_report_with(
    c: &Comparison,
    paired: &[String],
    histogram_svg: Option<&str>,
) -> Result<String, PlotError> {
    let base = &c.runs[0];
    let names = c.names();
    let title = if names.len() == 2 {
        names[1].to_string()
    } else {
        format!("{} scenarios compared", names.len() - 1)
    };
    let mut body = String::new();
    top(
        &mut body,
        "Scenario comparison",
        &title,
        &format!(
            "Compared with the base: {}. {} replications per scenario on common random numbers: every difference is measured replication by replication.",
            names[0], c.replications
        ),
    );
    let metrics = headline_metrics(&base.scenario);
    let last = c.periods.len().saturating_sub(1);

    section(&mut body, "summary", "At a glance");
    for (i, alt) in c.runs.iter().enumerate().skip(1) {
        match &c.totals {
            Some(totals) => comparison_glance(&mut body, c, &metrics, totals, i),
            None => last_period_difference_glance(&mut body, c, &metrics, i, alt, last),
        }
    }

    if !paired.is_empty() {
        body.push_str("<p><strong>Paired answers</strong> (replication by replication, on the same random numbers and drawn parameters):</p><ul>");
        for line in paired {
            let _ = write!(body, "<li>{}</li>", escape(line.trim()));
        }
        body.push_str("</ul>\n");
    }
    if let Some(svg) = histogram_svg {
        body.push_str(&inline_svg(svg, "Whole-run cost difference from the base"));
    }

    section(&mut body, "scenarios", "The scenarios in words");
    for (i, alt) in c.runs.iter().enumerate().skip(1) {
        let diffs = words::differences(&base.scenario, &alt.scenario);
        let _ = writeln!(
            body,
            "<h3>What differs: {} vs the base</h3>",
            escape(alt.scenario.name())
        );
        if diffs.is_empty() {
            body.push_str("<p>No parameter differs: the two scenarios are the same model, so every difference below is exactly zero.</p>\n");
        } else {
            let _ = writeln!(
                body,
                "<table><thead><tr><th class=\"text\">Parameter (in force at the end of the run)</th><th>Base</th><th>{}</th></tr></thead><tbody>",
                if c.runs.len() == 2 {
                    "Alternative".to_string()
                } else {
                    format!("Alternative {i}")
                }
            );
            for (what, a, b) in diffs {
                let _ = writeln!(
                    body,
                    "<tr><td class=\"text\">{}</td><td>{}</td><td><strong>{}</strong></td></tr>",
                    escape(&what),
                    escape(&a),
                    escape(&b)
                );
            }
            body.push_str("</tbody></table>\n");
        }
    }
    for (i, run) in c.runs.iter().enumerate() {
        let _ = writeln!(
            body,
            "<div class=\"scenario\"><h3>{}: {}</h3>{}</div>",
            if i == 0 {
                "Base".to_string()
            } else if c.runs.len() == 2 {
                "Alternative".to_string()
            } else {
                format!("Alternative {i}")
            },
            escape(run.scenario.name()),
            words::scenario_html(&run.scenario)
        );
    }

    section(&mut body, "headline", "Headline results");
    let _ = writeln!(
        body,
        "<p>Per period: each scenario's mean over replications and the mean paired difference (alternative − base) with its 95 % confidence interval. Differences whose interval includes zero are shown in grey.</p>"
    );
    for m in &metrics {
        let _ = write!(
            body,
            "<table><caption>{}</caption><thead><tr><th class=\"text\">Period</th><th>Base</th>",
            escape(&m.title)
        );
        for i in 1..c.runs.len() {
            let label = if c.runs.len() == 2 {
                String::new()
            } else {
                format!(" {i}")
            };
            let _ = write!(
                body,
                "<th>Alternative{label}</th><th>Difference{label} [95 % CI]</th>"
            );
        }
        body.push_str("</tr></thead><tbody>\n");
        for (k, p) in c.periods.iter().enumerate() {
            let _ = write!(body, "<tr><td class=\"text\">{}</td>", period_range(p));
            let b = c.get(0, m.metric, &m.step, k);
            let _ = write!(
                body,
                "<td>{}</td>",
                b.map_or("–".into(), |r| m.kind.value(r.mean))
            );
            for i in 1..c.runs.len() {
                match c.get(i, m.metric, &m.step, k) {
                    Some(r) => {
                        let d = &r.diff;
                        let clear = d.ci95_low > 0.0 || d.ci95_high < 0.0;
                        let _ = write!(
                            body,
                            "<td>{}</td><td class=\"diff{}\">{}<span class=\"ci\">[{}, {}]</span></td>",
                            m.kind.value(r.mean),
                            if clear { "" } else { " unclear" },
                            m.kind.difference(d.mean),
                            m.kind.difference(d.ci95_low),
                            m.kind.difference(d.ci95_high)
                        );
                    }
                    None => body.push_str("<td>–</td><td>–</td>"),
                }
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</tbody></table>\n");
    }
    let scenario_names: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let role = if i == 0 {
                "Base".to_string()
            } else if names.len() == 2 {
                "Alternative".to_string()
            } else {
                format!("Alternative {i}")
            };
            format!("{role}: {}", escape(n))
        })
        .collect();
    let _ = writeln!(body, "<p class=\"note\">{}.</p>", scenario_names.join("; "));
    for (i, run) in c.runs.iter().enumerate() {
        if let Some(table) = moves::moves_table(run) {
            let id = if i == 0 { " id=\"moves\"" } else { "" };
            let _ = writeln!(
                body,
                "<h3{id}>Moves between places: {}</h3>",
                escape(run.scenario.name())
            );
            body.push_str(&table);
        }
    }

    section(&mut body, "figures", "Figures");
    for f in Figure::for_comparison(c) {
        figure(&mut body, &f)?;
    }
    for run in &c.runs {
        let _ = writeln!(body, "<h3>{}</h3>", escape(run.scenario.name()));
        for f in Figure::for_run(run) {
            figure(&mut body, &f)?;
        }
    }

    section(&mut body, "methods", "Methods");
    methods(&mut body, &base.scenario, c.replications, Some(c));
    footer(&mut body);
    Ok(page(
        &format!("{title} vs {} — trappe report", names[0]),
        &body,
    ))
}

/// "At a glance" of a run: whole-run facts, then a table of the years.
fn run_glance(body: &mut String, metrics: &[HeadlineMetric], totals: &Totals) {
    let _ = writeln!(
        body,
        "<p>{}</p><div class=\"facts\">",
        escape(totals_words::RUN_GLANCE)
    );
    let whole = totals.whole_run();
    for m in metrics {
        if let Some(s) = totals.get(m.metric, &m.step, whole) {
            fact(
                body,
                &format!(
                    "{}, {}",
                    m.total_title,
                    totals_words::WHOLE_RUN.to_lowercase()
                ),
                &m.kind.value(s.mean),
                &ci(m, s),
            );
        }
    }
    body.push_str("</div>\n");
    span_table(body, metrics, &totals.spans, |m, i| {
        totals
            .get(m.metric, &m.step, i)
            .map(|s| (m.kind.value(s.mean), ci(m, s), true))
    });
}

/// "At a glance" of an alternative: the whole-run difference, probability
/// of savings and break-even, then a table of the years.
fn comparison_glance(
    body: &mut String,
    c: &Comparison,
    metrics: &[HeadlineMetric],
    totals: &ComparisonTotals,
    alt: usize,
) {
    let _ = writeln!(
        body,
        "<p><strong>{}</strong> {}</p><div class=\"facts\">",
        escape(c.runs[alt].scenario.name()),
        escape(totals_words::COMPARE_GLANCE)
    );
    let whole = totals.whole_run();
    for m in metrics.iter().take(1) {
        if let (Some(b), Some(a)) = (
            totals.get(0, m.metric, &m.step, whole),
            totals.get(alt, m.metric, &m.step, whole),
        ) {
            fact(
                body,
                &format!(
                    "{}, {}",
                    m.total_title,
                    totals_words::WHOLE_RUN.to_lowercase()
                ),
                &m.kind.difference(a.diff.mean),
                &format!(
                    "95 % CI [{}, {}] · base {} → {}",
                    m.kind.difference(a.diff.ci95_low),
                    m.kind.difference(a.diff.ci95_high),
                    m.kind.value(b.mean),
                    m.kind.value(a.mean)
                ),
            );
        }
    }
    if let Some(p) = totals.probability_of_savings(alt) {
        fact(
            body,
            totals_words::SAVINGS_FACT,
            &ENGLISH.percent(p.share, 1),
            &format!(
                "95 % CI [{}, {}] · {}",
                ENGLISH.percent(p.ci95_low, 1),
                ENGLISH.percent(p.ci95_high, 1),
                totals_words::PROBABILITY_NOTE
            ),
        );
    }
    fact(
        body,
        totals_words::BREAK_EVEN_FACT,
        &match totals.break_even(alt) {
            Some(k) => period_range(&c.periods[k]),
            None => totals_words::NO_BREAK_EVEN.into(),
        },
        totals_words::BREAK_EVEN_NOTE,
    );
    body.push_str("</div>\n");
    span_table(body, metrics, &totals.spans, |m, i| {
        totals.get(alt, m.metric, &m.step, i).map(|r| {
            let d = &r.diff;
            (
                m.kind.difference(d.mean),
                format!(
                    "[{}, {}]",
                    m.kind.difference(d.ci95_low),
                    m.kind.difference(d.ci95_high)
                ),
                d.ci95_low > 0.0 || d.ci95_high < 0.0,
            )
        })
    });
}

/// A table of spans (rows) × headline totals (columns); `cell` gives a
/// value, its interval and whether it is clearly away from zero.
fn span_table(
    body: &mut String,
    metrics: &[HeadlineMetric],
    spans: &[Span],
    cell: impl Fn(&HeadlineMetric, usize) -> Option<(String, String, bool)>,
) {
    let _ = write!(
        body,
        "<table><thead><tr><th class=\"text\">{}</th>",
        escape(&crate::plots::style::capitalise(totals_words::SPAN))
    );
    for m in metrics {
        let _ = write!(body, "<th>{}</th>", escape(&m.total_title));
    }
    body.push_str("</tr></thead><tbody>\n");
    for (i, span) in spans.iter().enumerate() {
        let _ = write!(
            body,
            "<tr><td class=\"text\">{}</td>",
            escape(&span_label(span))
        );
        for m in metrics {
            match cell(m, i) {
                Some((value, interval, clear)) => {
                    let _ = write!(
                        body,
                        "<td class=\"diff{}\">{}<span class=\"ci\">{}</span></td>",
                        if clear { "" } else { " unclear" },
                        escape(&value),
                        escape(&interval)
                    );
                }
                None => body.push_str("<td>–</td>"),
            }
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody></table>\n");
}

/// "At a glance" of a run saved before totals existed: the last period.
fn last_period_glance(
    body: &mut String,
    run: &RunSummary,
    metrics: &[HeadlineMetric],
    last: usize,
) {
    let _ = writeln!(
        body,
        "<p>Means over {} replications in the last reported {} ({}), with 95 % confidence intervals.</p><div class=\"facts\">",
        run.replications,
        crate::plots::style::period_word(run.scenario.settings().period),
        period_range(&run.table.periods[last])
    );
    for m in metrics {
        if let Some(s) = run.table.get(m.metric, &m.step, last) {
            fact(body, &m.title, &m.kind.value(s.mean), &ci(m, s));
        }
    }
    body.push_str("</div>\n");
}

/// "At a glance" of a comparison saved before totals existed.
fn last_period_difference_glance(
    body: &mut String,
    c: &Comparison,
    metrics: &[HeadlineMetric],
    i: usize,
    alt: &RunSummary,
    last: usize,
) {
    let base = &c.runs[0];
    let _ = writeln!(
        body,
        "<p><strong>{}</strong> minus the base, in the last reported {} ({}): mean difference with its 95 % confidence interval.</p><div class=\"facts\">",
        escape(alt.scenario.name()),
        crate::plots::style::period_word(base.scenario.settings().period),
        period_range(&c.periods[last]),
    );
    for m in metrics {
        if let (Some(b), Some(a)) = (
            c.get(0, m.metric, &m.step, last),
            c.get(i, m.metric, &m.step, last),
        ) {
            fact(
                body,
                &m.title,
                &m.kind.difference(a.diff.mean),
                &format!(
                    "95 % CI [{}, {}] · base {} → {}",
                    m.kind.difference(a.diff.ci95_low),
                    m.kind.difference(a.diff.ci95_high),
                    m.kind.value(b.mean),
                    m.kind.value(a.mean)
                ),
            );
        }
    }
    body.push_str("</div>\n");
}

/// A one-section report for `trappe sensitivity`: a heading, sentences
/// saying how to read it, the chart (an SVG document) and its table (the
/// CSV text as written; numbers rounded for reading: whole units with
/// separators from 1,000 on, three significant digits below).
pub fn sensitivity_report(
    title: &str,
    sentences: &[String],
    svg: Option<&str>,
    csv: &str,
) -> String {
    let mut body = format!("<h1>{}</h1>\n", html::escape(title));
    for s in sentences {
        body.push_str(&format!("<p>{}</p>\n", html::escape(s)));
    }
    if let Some(svg) = svg {
        body.push_str(&format!(
            "<figure>{}</figure>\n",
            html::inline_svg(svg, title)
        ));
    }
    body.push_str("<table>\n");
    for (i, line) in csv.lines().enumerate() {
        let cell = if i == 0 { "th" } else { "td" };
        body.push_str("<tr>");
        for field in line.split(',') {
            let shown = match field.parse::<f64>() {
                Ok(x) if i > 0 && x.abs() >= 1000.0 => crate::format::ENGLISH.thousands(x.round()),
                Ok(x) if i > 0 => crate::results::number(crate::format::significant(x, 3)),
                _ => field.to_string(),
            };
            body.push_str(&format!("<{cell}>{}</{cell}>", html::escape(&shown)));
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</table>\n");
    html::page(title, &body)
}

/// Write `report.html` into `dir` atomically (a temporary file renamed
/// into place).
pub fn write(dir: &Path, html: &str) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".report-")
        .suffix(".html")
        .tempfile_in(dir)?;
    io::Write::write_all(&mut tmp, html.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(dir.join(FILE_NAME)).map_err(|e| e.error)?;
    Ok(())
}

fn top(body: &mut String, kicker: &str, title: &str, lead: &str) {
    let _ = writeln!(
        body,
        "<header class=\"top\"><p class=\"kicker\">trappe · {}</p><h1>{}</h1><p class=\"lead\">{}</p>",
        escape(kicker),
        escape(title),
        escape(lead)
    );
    body.push_str("<nav class=\"toc\">");
    for (id, label) in SECTIONS.iter().zip([
        "At a glance",
        "Scenarios",
        "Headline results",
        "Figures",
        "Methods",
    ]) {
        let _ = write!(body, "<a href=\"#{id}\">{label}</a>");
    }
    body.push_str("</nav></header>\n");
}

fn section(body: &mut String, id: &str, title: &str) {
    let _ = writeln!(body, "<h2 id=\"{id}\">{}</h2>", escape(title));
}

fn fact(body: &mut String, label: &str, value: &str, sub: &str) {
    let _ = writeln!(
        body,
        "<div class=\"fact\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"ci\">{}</div></div>",
        escape(label),
        escape(value),
        escape(sub)
    );
}

fn ci(m: &HeadlineMetric, s: &Summary) -> String {
    format!(
        "[{}, {}]",
        m.kind.value(s.ci95_low),
        m.kind.value(s.ci95_high)
    )
}

fn period_range(p: &PeriodInfo) -> String {
    let last = p.end.pred_opt().unwrap_or(p.end);
    format!(
        "{} – {}",
        p.start.format("%-d %b %Y"),
        last.format("%-d %b %Y")
    )
}

fn figure(body: &mut String, f: &Figure<'_>) -> Result<(), PlotError> {
    let svg = f.to_svg()?;
    let _ = writeln!(
        body,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        inline_svg(&svg, &f.title()),
        escape(&f.caption())
    );
    Ok(())
}

fn methods(
    body: &mut String,
    scenario: &crate::scenario::Scenario,
    replications: usize,
    comparison: Option<&Comparison>,
) {
    let s = scenario.settings();
    let _ = writeln!(
        body,
        "<p>trappe is a stochastic discrete-event simulation of the intervention ladder: each child has a hidden need state that changes at random; follow-ups by caseworkers detect it and move the child down or up the ladder; overloaded caseworkers follow up late. One <em>replication</em> is one possible future. Each scenario was simulated <strong>{replications}</strong> times with root seed <strong>{}</strong>{}. Costs and child-years are measured per period; a child-year is one child on a measure for a whole year.</p>",
        s.seed,
        if s.warmup_years > 0.0 {
            format!(
                ", each after a {}-year warm-up that is not reported",
                ENGLISH.plain(s.warmup_years)
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        body,
        "<p><strong>Uncertainty.</strong> Tables give the mean over replications with a 95 % confidence interval for the mean (Student t: mean ± t<sub>0.975, n−1</sub> · sd / √n). Shaded bands and whiskers labelled 90 % show where 90 % of replications fall (5th to 95th percentile, linear interpolation): the spread of possible futures, not the uncertainty of the mean.</p>"
    );
    if let Some(c) = comparison {
        let mut ratio = String::new();
        if c.runs.len() >= 2 && c.replications > 1 {
            let last = c.periods.len().saturating_sub(1);
            if let (Some(r), Some(indep)) = (
                c.get(1, crate::metrics::Metric::Cost, "total", last),
                c.independent_half_width(1, crate::metrics::Metric::Cost, "total", last),
            ) {
                let paired = r.diff.half_width();
                if paired > 0.0 {
                    ratio = format!(
                        " Here, for total cost in the last period, the paired interval is ±{} {}; independent runs with the same spread would give about ±{} {}, {:.1} times wider.",
                        ENGLISH.thousands(paired),
                        escape(&s.currency),
                        ENGLISH.thousands(indep),
                        escape(&s.currency),
                        indep / paired
                    );
                }
            }
        }
        let _ = writeln!(
            body,
            "<p><strong>Common random numbers.</strong> All scenarios use the same seed and replications, and replication <em>i</em> of every scenario draws from the same random streams, stream by stream for each kind of random draw (referral arrivals; each child's need dynamics; each child's age, entry rung and detection at follow-ups). The same children therefore arrive at the same times with the same luck, and identical parameters give identical paths. Differences are computed replication by replication (alternative − base) and summarised like any metric: the mean difference with a paired Student-t 95 % confidence interval.{ratio}</p>"
        );
    }
    let _ = writeln!(
        body,
        "<p><strong>Caveats.</strong> Results are only as good as the scenario's parameters; hazards of the hidden need state are assumptions to be calibrated. Compare changes and shares rather than absolute levels unless unit costs match the municipality's own accounts.</p>"
    );
}

fn footer(body: &mut String) {
    let _ = writeln!(
        body,
        "<footer>Generated by trappe {} from the results in this folder (<code>summary.csv</code> and <code>scenario.toml</code>; <code>compare.csv</code> for comparisons). Redraw with <code>trappe report DIR</code>.</footer>",
        env!("CARGO_PKG_VERSION"),
    );
}
