//! The HTML report (`--report`, `trappe report DIR`): one self-contained
//! `report.html` a council can read — the scenario(s) in words, the
//! headline table, the figures (inline SVG) and a methods paragraph. No
//! scripts, no external requests; it prints cleanly to A4.
//!
//! Sections carry stable ids (see [`SECTIONS`]) so tests and links can find
//! them.

mod fit;
pub mod headline;
mod html;
mod moves;
mod sweep;
mod words;

pub use fit::{FIT_SECTIONS, Verdicts, fit_report, fit_report_of, verdict};
pub use sweep::sweep_report;

use std::fmt::Write;
use std::io;
use std::path::Path;

use crate::compare::Comparison;
use crate::compare::ComparisonTotals;
use crate::language::Language;
use crate::plots::{Figure, PlotError};
use crate::results::PeriodInfo;
use crate::results::read::RunSummary;
use crate::results::stats::Summary;
use crate::results::totals::{Span, Totals};
use headline::{HeadlineMetric, headline_metrics, span_label};
use html::{escape, inline_svg, page};

/// File name of the report inside a results folder.
pub const FILE_NAME: &str = "report.html";

/// Ids of the report's sections, in order.
pub const SECTIONS: [&str; 5] = ["summary", "scenarios", "headline", "figures", "methods"];

/// The report of one run, in the scenario's language.
pub fn run_report(run: &RunSummary) -> Result<String, PlotError> {
    let lang = run.scenario.language();
    let w = &lang.words().report;
    let name = run.scenario.name();
    let mut body = String::new();
    top(
        &mut body,
        lang,
        w.run_kicker,
        name,
        &(w.run_lead)(run.replications),
    );
    let metrics = headline_metrics(&run.scenario, lang);
    let last = run.table.periods.len().saturating_sub(1);

    section(&mut body, "summary", w.at_a_glance);
    match &run.totals {
        Some(totals) => run_glance(&mut body, &metrics, totals),
        None => last_period_glance(&mut body, run, &metrics, last),
    }

    section(&mut body, "scenarios", w.scenario_in_words);
    let _ = writeln!(
        body,
        "<div class=\"scenario\"><h3>{}</h3>{}</div>",
        escape(name),
        words::run_html(run, lang)
    );

    section(&mut body, "headline", w.headline_results);
    let _ = writeln!(body, "<p>{}</p>", escape(w.run_headline_lead));
    let _ = write!(
        body,
        "<table><thead><tr><th class=\"text\">{}</th>",
        escape(w.period)
    );
    for m in &metrics {
        let _ = write!(body, "<th>{}</th>", escape(&m.title));
    }
    body.push_str("</tr></thead><tbody>\n");
    for (k, p) in run.table.periods.iter().enumerate() {
        let _ = write!(
            body,
            "<tr><td class=\"text\">{}</td>",
            period_range(p, lang)
        );
        for m in &metrics {
            match run.table.get(m.metric, &m.step, k) {
                Some(s) => {
                    let _ = write!(
                        body,
                        "<td>{}<span class=\"ci\">{}</span></td>",
                        m.value(s.mean),
                        ci(m, s)
                    );
                }
                None => body.push_str("<td>–</td>"),
            }
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody></table>\n");
    if let Some(table) = moves::moves_table(run, lang) {
        let _ = writeln!(
            body,
            "<h3 id=\"moves\">{}</h3>",
            escape(lang.words().moves.heading)
        );
        body.push_str(&table);
    }

    section(&mut body, "figures", w.figures);
    for f in Figure::for_run(run) {
        figure(&mut body, &f)?;
    }

    section(&mut body, "methods", w.methods);
    methods(&mut body, &run.scenario, run.replications, None);
    footer(&mut body, lang);
    Ok(page(lang, &(w.run_page_title)(name), &body))
}

/// The report of a comparison.
pub fn comparison_report(c: &Comparison) -> Result<String, PlotError> {
    comparison_report_with(c, &[], None)
}

/// A scenario's role in a comparison of `count` scenarios: "Base",
/// "Alternative" or "Alternative 2".
fn role(lang: Language, i: usize, count: usize) -> String {
    let w = &lang.words().report;
    if i == 0 {
        w.base.into()
    } else if count == 2 {
        w.alternative.into()
    } else {
        format!("{} {i}", w.alternative)
    }
}

/// The report of a comparison, in the base scenario's language, with its
/// paired answers ("saves money in 87 % of plausible futures") and the
/// histogram of the whole-run cost difference (an SVG document) at the end
/// of "At a glance".
pub fn comparison_report_with(
    c: &Comparison,
    paired: &[String],
    histogram_svg: Option<&str>,
) -> Result<String, PlotError> {
    let base = &c.runs[0];
    let lang = base.scenario.language();
    let w = &lang.words().report;
    let names = c.names();
    let title = if names.len() == 2 {
        names[1].to_string()
    } else {
        (w.scenarios_compared)(names.len() - 1)
    };
    let mut body = String::new();
    top(
        &mut body,
        lang,
        w.compare_kicker,
        &title,
        &(w.compare_lead)(names[0], c.replications),
    );
    let metrics = headline_metrics(&base.scenario, lang);
    let last = c.periods.len().saturating_sub(1);

    section(&mut body, "summary", w.at_a_glance);
    for (i, alt) in c.runs.iter().enumerate().skip(1) {
        match &c.totals {
            Some(totals) => comparison_glance(&mut body, c, &metrics, totals, i),
            None => last_period_difference_glance(&mut body, c, &metrics, i, alt, last),
        }
    }

    if !paired.is_empty() {
        let _ = write!(body, "<p>{}</p><ul>", w.paired_answers);
        for line in paired {
            let _ = write!(body, "<li>{}</li>", escape(line.trim()));
        }
        body.push_str("</ul>\n");
    }
    if let Some(svg) = histogram_svg {
        body.push_str(&inline_svg(svg, w.histogram_label));
    }

    section(&mut body, "scenarios", w.scenarios_in_words);
    for (i, alt) in c.runs.iter().enumerate().skip(1) {
        let diffs = words::differences(&base.scenario, &alt.scenario, lang);
        let _ = writeln!(
            body,
            "<h3>{}</h3>",
            escape(&(w.what_differs)(alt.scenario.name()))
        );
        if diffs.is_empty() {
            let _ = writeln!(body, "<p>{}</p>", escape(w.nothing_differs));
        } else {
            let _ = writeln!(
                body,
                "<table><thead><tr><th class=\"text\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                escape(w.parameter_at_end),
                escape(w.base),
                escape(&role(lang, i, c.runs.len()))
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
            escape(&role(lang, i, c.runs.len())),
            escape(run.scenario.name()),
            words::run_html(run, lang)
        );
    }

    section(&mut body, "headline", w.headline_results);
    let _ = writeln!(body, "<p>{}</p>", escape(w.compare_headline_lead));
    for m in &metrics {
        let _ = write!(
            body,
            "<table><caption>{}</caption><thead><tr><th class=\"text\">{}</th><th>{}</th>",
            escape(&m.title),
            escape(w.period),
            escape(w.base)
        );
        for i in 1..c.runs.len() {
            let label = if c.runs.len() == 2 {
                String::new()
            } else {
                format!(" {i}")
            };
            let _ = write!(
                body,
                "<th>{}{label}</th><th>{}{label} [95 % {}]</th>",
                escape(w.alternative),
                escape(w.difference),
                escape(w.ci)
            );
        }
        body.push_str("</tr></thead><tbody>\n");
        for (k, p) in c.periods.iter().enumerate() {
            let _ = write!(
                body,
                "<tr><td class=\"text\">{}</td>",
                period_range(p, lang)
            );
            let b = c.get(0, m.metric, &m.step, k);
            let _ = write!(
                body,
                "<td>{}</td>",
                b.map_or("–".into(), |r| m.value(r.mean))
            );
            for i in 1..c.runs.len() {
                match c.get(i, m.metric, &m.step, k) {
                    Some(r) => {
                        let d = &r.diff;
                        let clear = d.ci95_low > 0.0 || d.ci95_high < 0.0;
                        let _ = write!(
                            body,
                            "<td>{}</td><td class=\"diff{}\">{}<span class=\"ci\">{}</span></td>",
                            m.value(r.mean),
                            if clear { "" } else { " unclear" },
                            m.difference(d.mean),
                            m.difference_ci(d.ci95_low, d.ci95_high)
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
        .map(|(i, n)| format!("{}: {}", escape(&role(lang, i, names.len())), escape(n)))
        .collect();
    let _ = writeln!(body, "<p class=\"note\">{}.</p>", scenario_names.join("; "));
    for (i, run) in c.runs.iter().enumerate() {
        if let Some(table) = moves::moves_table(run, lang) {
            let id = if i == 0 { " id=\"moves\"" } else { "" };
            let _ = writeln!(
                body,
                "<h3{id}>{}: {}</h3>",
                escape(lang.words().moves.heading),
                escape(run.scenario.name())
            );
            body.push_str(&table);
        }
    }

    section(&mut body, "figures", w.figures);
    for f in Figure::for_comparison(c) {
        figure(&mut body, &f)?;
    }
    for run in &c.runs {
        let _ = writeln!(body, "<h3>{}</h3>", escape(run.scenario.name()));
        for f in Figure::for_run(run) {
            figure(&mut body, &f)?;
        }
    }

    section(&mut body, "methods", w.methods);
    methods(&mut body, &base.scenario, c.replications, Some(c));
    footer(&mut body, lang);
    Ok(page(lang, &(w.compare_page_title)(&title, names[0]), &body))
}

/// "At a glance" of a run: whole-run facts, then a table of the years.
fn run_glance(body: &mut String, metrics: &[HeadlineMetric], totals: &Totals) {
    let Some(lang) = metrics.first().map(|m| m.lang) else {
        return;
    };
    let t = &lang.words().totals;
    let _ = writeln!(body, "<p>{}</p><div class=\"facts\">", escape(t.run_glance));
    let whole = totals.whole_run();
    for m in metrics {
        if let Some(s) = totals.get(m.metric, &m.step, whole) {
            fact(
                body,
                &format!("{}, {}", m.total_title, t.whole_run.to_lowercase()),
                &m.value(s.mean),
                &ci(m, s),
            );
        }
    }
    body.push_str("</div>\n");
    span_table(body, metrics, &totals.spans, |m, i| {
        totals
            .get(m.metric, &m.step, i)
            .map(|s| (m.value(s.mean), ci(m, s), true))
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
    let lang = c.runs[0].scenario.language();
    let (t, w) = (&lang.words().totals, &lang.words().report);
    let n = lang.numbers();
    let _ = writeln!(
        body,
        "<p><strong>{}</strong> {}</p><div class=\"facts\">",
        escape(c.runs[alt].scenario.name()),
        escape(t.compare_glance)
    );
    let whole = totals.whole_run();
    for m in metrics.iter().take(1) {
        if let (Some(b), Some(a)) = (
            totals.get(0, m.metric, &m.step, whole),
            totals.get(alt, m.metric, &m.step, whole),
        ) {
            fact(
                body,
                &format!("{}, {}", m.total_title, t.whole_run.to_lowercase()),
                &m.difference(a.diff.mean),
                &format!(
                    "95 % {} {} · {} {} → {}",
                    w.ci,
                    m.difference_ci(a.diff.ci95_low, a.diff.ci95_high),
                    w.base.to_lowercase(),
                    m.value(b.mean),
                    m.value(a.mean)
                ),
            );
        }
    }
    if let Some(p) = totals.probability_of_savings(alt) {
        fact(
            body,
            t.savings_fact,
            &n.percent(p.share, 1),
            &format!(
                "95 % {} {} · {}",
                w.ci,
                n.interval(&n.percent(p.ci95_low, 1), &n.percent(p.ci95_high, 1)),
                t.probability_note
            ),
        );
    }
    fact(
        body,
        t.break_even_fact,
        &match totals.break_even(alt) {
            Some(k) => period_range(&c.periods[k], lang),
            None => t.no_break_even.into(),
        },
        t.break_even_note,
    );
    body.push_str("</div>\n");
    span_table(body, metrics, &totals.spans, |m, i| {
        totals.get(alt, m.metric, &m.step, i).map(|r| {
            let d = &r.diff;
            (
                m.difference(d.mean),
                m.difference_ci(d.ci95_low, d.ci95_high),
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
    let Some(lang) = metrics.first().map(|m| m.lang) else {
        return;
    };
    let _ = write!(
        body,
        "<table><thead><tr><th class=\"text\">{}</th>",
        escape(&crate::plots::style::capitalise(lang.words().totals.span))
    );
    for m in metrics {
        let _ = write!(body, "<th>{}</th>", escape(&m.total_title));
    }
    body.push_str("</tr></thead><tbody>\n");
    for (i, span) in spans.iter().enumerate() {
        let _ = write!(
            body,
            "<tr><td class=\"text\">{}</td>",
            escape(&span_label(span, lang))
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
    let lang = run.scenario.language();
    let _ = writeln!(
        body,
        "<p>{}</p><div class=\"facts\">",
        escape(&(lang.words().report.last_period_lead)(
            run.replications,
            run.scenario.settings().period.name(lang),
            &period_range(&run.table.periods[last], lang)
        ))
    );
    for m in metrics {
        if let Some(s) = run.table.get(m.metric, &m.step, last) {
            fact(body, &m.title, &m.value(s.mean), &ci(m, s));
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
    let lang = base.scenario.language();
    let w = &lang.words().report;
    let _ = writeln!(
        body,
        "<p><strong>{}</strong> {}</p><div class=\"facts\">",
        escape(alt.scenario.name()),
        escape(&(w.last_period_difference_lead)(
            base.scenario.settings().period.name(lang),
            &period_range(&c.periods[last], lang)
        )),
    );
    for m in metrics {
        if let (Some(b), Some(a)) = (
            c.get(0, m.metric, &m.step, last),
            c.get(i, m.metric, &m.step, last),
        ) {
            fact(
                body,
                &m.title,
                &m.difference(a.diff.mean),
                &format!(
                    "95 % {} {} · {} {} → {}",
                    w.ci,
                    m.difference_ci(a.diff.ci95_low, a.diff.ci95_high),
                    w.base.to_lowercase(),
                    m.value(b.mean),
                    m.value(a.mean)
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
    html::page(Language::English, title, &body)
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

pub(crate) fn top(body: &mut String, lang: Language, kicker: &str, title: &str, lead: &str) {
    let toc: Vec<(&str, &str)> = SECTIONS
        .iter()
        .copied()
        .zip(lang.words().report.toc)
        .collect();
    top_with(body, kicker, title, lead, &toc);
}

/// The page's header with its own table of contents: (section id, label).
pub(crate) fn top_with(
    body: &mut String,
    kicker: &str,
    title: &str,
    lead: &str,
    toc: &[(&str, &str)],
) {
    let _ = writeln!(
        body,
        "<header class=\"top\"><p class=\"kicker\">trappe · {}</p><h1>{}</h1><p class=\"lead\">{}</p>",
        escape(kicker),
        escape(title),
        escape(lead)
    );
    body.push_str("<nav class=\"toc\">");
    for (id, label) in toc {
        let _ = write!(body, "<a href=\"#{id}\">{}</a>", escape(label));
    }
    body.push_str("</nav></header>\n");
}

pub(crate) fn section(body: &mut String, id: &str, title: &str) {
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
    m.value_ci(s.ci95_low, s.ci95_high)
}

/// A period with its first and last day: "1 Jan 2014 – 31 Mar 2014".
fn period_range(p: &PeriodInfo, lang: Language) -> String {
    let last = p.end.pred_opt().unwrap_or(p.end);
    format!("{} – {}", lang.date(p.start), lang.date(last))
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
    let lang = scenario.language();
    let w = &lang.words().report;
    let n = lang.numbers();
    let s = scenario.settings();
    let warmup = if s.warmup_years > 0.0 {
        (w.methods_warmup)(&n.plain(s.warmup_years))
    } else {
        String::new()
    };
    let _ = writeln!(
        body,
        "<p>{}</p>",
        (w.methods_model)(replications, s.seed, &warmup)
    );
    let _ = writeln!(body, "<p>{}</p>", w.methods_uncertainty);
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
                    let cur = escape(&lang.currency(&s.currency));
                    ratio = (w.methods_ratio)(
                        &format!("{} {cur}", n.thousands(paired)),
                        &format!("{} {cur}", n.thousands(indep)),
                        &n.decimals(indep / paired, 1),
                    );
                }
            }
        }
        let _ = writeln!(body, "<p>{}{ratio}</p>", w.methods_common_random_numbers);
    }
    let _ = writeln!(body, "<p>{}</p>", w.methods_caveats);
}

fn footer(body: &mut String, lang: Language) {
    let _ = writeln!(
        body,
        "<footer>{}</footer>",
        (lang.words().report.footer)(env!("CARGO_PKG_VERSION"))
    );
}
