//! The report of a fit folder (`trappe fit` writes it; `trappe report
//! DIR` redraws it): a verdict in plain words (how much fits, the worst
//! misses named, what the records cannot pin down and what that means for
//! a policy change), the figures, the table of fitted values and the
//! methods. Read from the folder's files alone, in the fitted scenario's
//! language.

use std::fmt::Write;
use std::path::Path;

use super::html::{escape, inline_svg, page};
use super::{section, top_with};
use crate::Error;
use crate::plots::fit::{distance_svg, intensity_svg};
use crate::records::fit_folder::{FitFolder, FittedParameter, Identified, Verdict};
use crate::scenario::labels::parameter_label_in;

/// Ids of the fit report's sections, in order.
pub const FIT_SECTIONS: [&str; 4] = ["verdict", "figures", "parameters", "methods"];

/// How many misses the verdict names.
const NAMED_MISSES: usize = 5;

/// The fit report of the folder `dir` (`fit.csv`, `parameters.csv`, and
/// `observed.csv` and `scenario.toml` when there).
pub fn fit_report(dir: &Path) -> Result<String, Error> {
    fit_report_of(&FitFolder::read(dir)?)
}

/// The verdict in plain words, in paragraphs: what fits, the worst misses
/// (a lead sentence and one item each), and one paragraph per value the
/// records cannot pin down, then the values kept from the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdicts {
    /// How many fit, and the checks.
    pub fit: Vec<String>,
    /// The sentence before the misses, and each miss named.
    pub misses: Option<(String, Vec<String>)>,
    /// What the records cannot pin down, and what was kept.
    pub identification: Vec<String>,
}

/// A parameter in words of the folder's language.
fn label(folder: &FitFolder, p: &FittedParameter) -> String {
    parameter_label_in(&p.parameter, folder.language)
}

/// A value of `parameters.csv` as the folder's language writes numbers
/// (`0,5` in Danish); text that is not one number (a list) as written.
fn value(folder: &FitFolder, text: &str) -> String {
    text.parse::<f64>()
        .map_or_else(|_| text.to_string(), |x| folder.language.numbers().plain(x))
}

/// The verdict of `folder` in its language.
pub fn verdict(folder: &FitFolder) -> Verdicts {
    let w = &folder.language.words().fit;
    let n = folder.language.numbers();
    let fitted: Vec<_> = folder
        .rows
        .iter()
        .filter(|r| r.verdict != Verdict::Check)
        .collect();
    let within = fitted.iter().filter(|r| r.within_two_se()).count();
    let mut fit = vec![match fitted.len() {
        0 => w.none_fitted.to_string(),
        total if within == total => (w.all_fit)(total),
        total => (w.some_fit)(within, total),
    }];
    let checks: Vec<_> = folder
        .rows
        .iter()
        .filter(|r| r.verdict == Verdict::Check && r.compared())
        .collect();
    if !checks.is_empty() {
        let within = checks.iter().filter(|r| r.within_two_se()).count();
        fit.push((w.checks)(checks.len(), within));
    }
    // A fitted row without a distance is not a miss: it was not compared.
    let mut missed: Vec<_> = fitted
        .iter()
        .filter(|r| r.compared() && !r.within_two_se())
        .collect();
    missed.sort_by(|a, b| {
        let d = |r: &&&crate::records::fit_folder::FitRow| r.distance.unwrap_or(0.0).abs();
        d(b).total_cmp(&d(a))
    });
    let misses = (!missed.is_empty()).then(|| {
        let shown = missed.len().min(NAMED_MISSES);
        let items = missed[..shown]
            .iter()
            .map(|r| {
                (w.miss)(
                    &folder.describe(r),
                    &folder.value_text(&r.quantity, r.observed, true),
                    &r.fitted
                        .map_or("–".into(), |f| folder.value_text(&r.quantity, f, false)),
                    &n.decimals(r.distance.unwrap_or(0.0).abs(), 1),
                )
            })
            .collect();
        ((w.worst_misses)(shown, missed.len()), items)
    });
    let mut identification: Vec<String> = folder
        .parameters
        .iter()
        .filter(|p| p.identified == Identified::No)
        .map(|p| {
            (w.not_identified)(
                &label(folder, p),
                &value(folder, &p.policy_value),
                &value(folder, &p.fitted_value),
                p.fitted_value == p.policy_value,
            )
        })
        .collect();
    let searched = folder
        .parameters
        .iter()
        .any(|p| p.identified != Identified::Kept && is_searched(p));
    if identification.is_empty() && searched {
        identification.push(w.all_identified.into());
    }
    let kept: Vec<String> = folder
        .parameters
        .iter()
        .filter(|p| p.identified == Identified::Kept)
        .map(|p| label(folder, p))
        .collect();
    if !kept.is_empty() {
        identification.push((w.kept)(&kept.join("; ")));
    }
    Verdicts {
        fit,
        misses,
        identification,
    }
}

/// Whether a value was searched by simulation (rather than set from the
/// records or kept): not pinned down, or said so by its source.
fn is_searched(p: &FittedParameter) -> bool {
    p.identified == Identified::No || p.source.starts_with("fitted by simulation")
}

/// The fit report of a folder already read.
pub fn fit_report_of(folder: &FitFolder) -> Result<String, Error> {
    let lang = folder.language;
    let w = &lang.words().fit;
    let compared = folder.rows.iter().filter(|r| r.compared()).count();
    let searched: Vec<&FittedParameter> = folder
        .parameters
        .iter()
        .filter(|p| is_searched(p))
        .collect();
    let set: Vec<&FittedParameter> = folder
        .parameters
        .iter()
        .filter(|p| p.identified == Identified::Yes && !is_searched(p))
        .collect();
    let kept: Vec<&FittedParameter> = folder
        .parameters
        .iter()
        .filter(|p| p.identified == Identified::Kept)
        .collect();
    let mut body = String::new();
    let toc: Vec<(&str, &str)> = FIT_SECTIONS.iter().copied().zip(w.toc).collect();
    top_with(
        &mut body,
        w.kicker,
        &folder.name,
        &(w.lead)(compared, searched.len(), set.len()),
        &toc,
    );

    section(&mut body, FIT_SECTIONS[0], w.toc[0]);
    let v = verdict(folder);
    for s in &v.fit {
        let _ = writeln!(body, "<p>{}</p>", escape(s));
    }
    if let Some((lead, items)) = &v.misses {
        let _ = write!(body, "<p>{}</p><ul class=\"changes\">", escape(lead));
        for item in items {
            let _ = write!(body, "<li>{}</li>", escape(item));
        }
        body.push_str("</ul>\n");
    }
    for s in &v.identification {
        let _ = writeln!(body, "<p>{}</p>", escape(s));
    }

    section(&mut body, FIT_SECTIONS[1], w.toc[1]);
    for (svg, title, caption) in [
        (
            intensity_svg(folder)?,
            w.intensity_title,
            w.intensity_caption,
        ),
        (distance_svg(folder)?, w.distance_title, w.distance_caption),
    ] {
        if let Some(svg) = svg {
            let _ = writeln!(
                body,
                "<figure>{}<figcaption>{}</figcaption></figure>",
                inline_svg(&svg, title),
                escape(caption)
            );
        }
    }

    section(&mut body, FIT_SECTIONS[2], w.toc[2]);
    parameter_table(&mut body, folder);

    section(&mut body, FIT_SECTIONS[3], w.toc[3]);
    let names = |ps: &[&FittedParameter]| {
        if ps.is_empty() {
            w.nothing.to_string()
        } else {
            ps.iter()
                .map(|p| escape(&label(folder, p)))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    body.push_str(&(w.methods_values)(
        &names(&set),
        &names(&searched),
        &names(&kept),
    ));
    body.push_str(w.methods_distance);
    body.push_str(w.methods_caveat);
    let _ = writeln!(
        body,
        "\n<footer>{}</footer>",
        (w.footer)(env!("CARGO_PKG_VERSION"))
    );
    Ok(page(lang, &(w.page_title)(&folder.name), &body))
}

/// The table of every value the fit set, searched or kept.
fn parameter_table(body: &mut String, folder: &FitFolder) {
    let w = &folder.language.words().fit;
    let [name, policy, fitted, se, source] = w.parameter_columns;
    let _ = writeln!(
        body,
        "<table><thead><tr><th class=\"text\">{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"text\">{}</th></tr></thead><tbody>",
        escape(name),
        escape(policy),
        escape(fitted),
        escape(se),
        escape(source)
    );
    for p in &folder.parameters {
        let se = match p.identified {
            Identified::Yes if !p.se.is_empty() => escape(&value(folder, &p.se)),
            Identified::Yes => "–".into(),
            Identified::No => format!("<em>{}</em>", escape(w.not_identified_cell)),
            Identified::Kept => escape(w.kept_cell),
        };
        let _ = writeln!(
            body,
            "<tr><td class=\"text\">{}<br><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"text\">{}</td></tr>",
            escape(&label(folder, p)),
            escape(&p.parameter),
            escape(&value(folder, &p.policy_value)),
            escape(&value(folder, &p.fitted_value)),
            se,
            escape(&p.source)
        );
    }
    body.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;
    use crate::records::fit_folder::FitRow;

    fn row([quantity, place, band, dest]: [&str; 4], o: f64, f: f64, d: f64, v: Verdict) -> FitRow {
        FitRow {
            quantity: quantity.into(),
            place: place.into(),
            age_band: band.into(),
            destination: dest.into(),
            observed: o,
            observed_se: Some(0.04),
            fitted: Some(f),
            fitted_se: Some(0.01),
            distance: Some(d),
            verdict: v,
            ci95: Some((o * 0.8, o * 1.2)),
        }
    }

    fn parameter(
        path: &str,
        policy: &str,
        fitted: &str,
        identified: Identified,
        source: &str,
    ) -> FittedParameter {
        FittedParameter {
            parameter: path.into(),
            policy_value: policy.into(),
            fitted_value: fitted.into(),
            se: if identified == Identified::Yes {
                "0.02".into()
            } else {
                String::new()
            },
            identified,
            source: source.into(),
        }
    }

    fn folder(
        rows: Vec<FitRow>,
        parameters: Vec<FittedParameter>,
        language: Language,
    ) -> FitFolder {
        FitFolder {
            rows,
            parameters,
            name: "Test".into(),
            language,
            labels: [("foster".to_string(), "Plejefamilie".to_string())].into(),
        }
    }

    #[test]
    fn everything_fits() {
        let f = folder(
            vec![
                row(
                    ["intensity", "foster", "all", "closed"],
                    0.5,
                    0.52,
                    0.5,
                    Verdict::Fits,
                ),
                row(
                    ["intensity", "foster", "all", "institution"],
                    0.1,
                    0.09,
                    -0.3,
                    Verdict::Fits,
                ),
                row(
                    ["referrals_per_year", "", "all", ""],
                    40.0,
                    41.0,
                    0.2,
                    Verdict::Check,
                ),
            ],
            vec![parameter(
                "steps.foster.improve",
                "0.3",
                "0.31",
                Identified::Yes,
                "fitted by simulation",
            )],
            Language::English,
        );
        let v = verdict(&f);
        assert_eq!(
            v.fit,
            [
                "All 2 fitted quantities lie within 2 standard errors of what the records show.",
                "1 more were compared but not fitted (checks); 1 of them lie within 2 standard errors."
            ]
        );
        assert_eq!(v.misses, None);
        assert_eq!(
            v.identification,
            [crate::language::Language::English
                .words()
                .fit
                .all_identified]
        );
    }

    #[test]
    fn the_worst_misses_are_named_worst_first() {
        let f = folder(
            vec![
                row(
                    ["intensity", "foster", "12-15", "closed"],
                    0.5,
                    0.2,
                    -2.5,
                    Verdict::Misses,
                ),
                row(
                    ["intensity", "foster", "12-15", "institution"],
                    0.31,
                    0.18,
                    -3.4,
                    Verdict::Misses,
                ),
                row(
                    ["intensity", "foster", "0-12", "closed"],
                    0.5,
                    0.5,
                    0.0,
                    Verdict::Fits,
                ),
                // Not compared: neither a fit nor a miss.
                FitRow {
                    distance: None,
                    ..row(
                        ["intensity", "foster", "0-12", "home"],
                        0.0,
                        0.0,
                        0.0,
                        Verdict::Misses,
                    )
                },
                // A check far off is not a miss of the fit.
                row(
                    ["follow_up_weeks", "foster", "all", ""],
                    8.0,
                    20.0,
                    9.0,
                    Verdict::Check,
                ),
            ],
            vec![],
            Language::English,
        );
        let v = verdict(&f);
        assert_eq!(
            v.fit[0],
            "1 of 4 fitted quantities lie within 2 standard errors of what the records show."
        );
        let (lead, items) = v.misses.unwrap();
        assert_eq!(lead, "The 2 that miss:");
        assert_eq!(
            items,
            [
                "foster → institution, 12–15: observed 0.31 per year, fitted 0.18, 3.4 SE",
                "foster → closed, 12–15: observed 0.5 per year, fitted 0.2, 2.5 SE",
            ]
        );
        assert!(v.identification.is_empty());
    }

    #[test]
    fn unidentified_and_kept_values_are_said_in_both_languages() {
        let parameters = vec![
            parameter(
                "steps.foster.improve",
                "0.3",
                "0.3",
                Identified::No,
                "fitted by simulation",
            ),
            parameter(
                "follow_up.detection",
                "0.5",
                "0.62",
                Identified::No,
                "fitted by simulation",
            ),
            parameter(
                "steps.foster.crisis",
                "0.05",
                "0.05",
                Identified::Kept,
                "policy (kept: no crisis spells)",
            ),
            parameter(
                "intake.referrals_per_year",
                "30",
                "41",
                Identified::Yes,
                "set from the records",
            ),
        ];
        let f = folder(vec![], parameters.clone(), Language::English);
        let v = verdict(&f);
        assert_eq!(v.fit, [Language::English.words().fit.none_fitted]);
        let [keeps, holds, kept] = &v.identification[..] else {
            panic!("{:?}", v.identification)
        };
        assert!(
            keeps.starts_with("The records cannot pin down foster: "),
            "{keeps}"
        );
        assert!(keeps.contains("keeps the policy's value (0.3)"), "{keeps}");
        assert!(
            keeps.contains("a policy change acting on it is an assumption"),
            "{keeps}"
        );
        assert!(holds.contains("holds 0.62 (the policy: 0.5)"), "{holds}");
        assert!(
            kept.starts_with("Kept from the policy, not fitted: foster: "),
            "{kept}"
        );
        let f = folder(vec![], parameters, Language::Danish);
        let v = verdict(&f);
        assert!(
            v.identification[0].starts_with("Sagsdata kan ikke fastlægge"),
            "{:?}",
            v.identification
        );
        assert!(v.identification[0].contains("beholder politikkens værdi (0,3)"));
    }

    #[test]
    fn the_page_has_its_sections_and_no_nan() {
        let f = folder(
            vec![
                row(
                    ["intensity", "foster", "0-12", "closed"],
                    0.5,
                    0.5,
                    0.0,
                    Verdict::Fits,
                ),
                row(
                    ["intensity", "foster", "12-15", "institution"],
                    0.31,
                    0.18,
                    -3.4,
                    Verdict::Misses,
                ),
            ],
            vec![parameter(
                "steps.foster.improve",
                "0.3",
                "0.3",
                Identified::No,
                "fitted by simulation",
            )],
            Language::Danish,
        );
        let html = fit_report_of(&f).unwrap();
        for id in FIT_SECTIONS {
            assert!(html.contains(&format!("<h2 id=\"{id}\">")), "{id}");
        }
        assert!(html.contains("lang=\"da\""));
        assert!(
            html.contains("Plejefamilie → institution"),
            "Danish names rungs by label"
        );
        assert_eq!(html.matches("<svg").count(), 2);
        assert!(!html.contains("NaN") && !html.contains("inf"));
    }
}
