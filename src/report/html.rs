//! The HTML page around a report: escaping, inline SVG, and one stylesheet
//! that reads well on a laptop and prints cleanly to A4. No scripts, no
//! web fonts, no external requests.

use crate::language::Language;

/// Escape text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG document made fit for inlining: the XML namespace attribute
/// (HTML does not need it) and fixed width/height are dropped so the
/// figure scales with the page; the `viewBox` keeps its proportions.
pub fn inline_svg(svg: &str, label: &str) -> String {
    let body = svg.trim_start_matches(|c: char| c != '<');
    let body = match body.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(rest, |(_, r)| r).trim_start(),
        None => body,
    };
    let Some(open_end) = body.find('>') else {
        return String::new();
    };
    let open = &body[..open_end];
    let view_box = attribute(open, "viewBox").unwrap_or_else(|| {
        let w = attribute(open, "width").unwrap_or_else(|| "1200".into());
        let h = attribute(open, "height").unwrap_or_else(|| "675".into());
        format!("0 0 {w} {h}")
    });
    format!(
        "<svg viewBox=\"{}\" role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\">{}",
        escape(&view_box),
        escape(label),
        &body[open_end + 1..]
    )
}

/// The value of `name="..."` in an opening tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

/// A complete page in `lang` (its `lang` attribute lets browsers and
/// screen readers hyphenate and pronounce it).
pub fn page(lang: Language, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"trappe {}\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        lang.code(),
        env!("CARGO_PKG_VERSION"),
        escape(title),
        STYLE,
        body
    )
}

/// The stylesheet: system fonts only, tabular numbers, figures that scale,
/// and print rules for A4.
const STYLE: &str = r#":root {
  --ink: #212529; --muted: #5f6368; --accent: #1f4e79; --rule: #dee2e6;
  --soft: #f4f6f9;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 36px 32px 64px; }
header.top { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 20px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--accent); font-weight: 600; margin: 0 0 6px; }
h1 { font-size: 27px; line-height: 1.25; margin: 0 0 8px; }
h2 { font-size: 20px; color: var(--accent); margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 24px 0 8px; }
p { margin: 8px 0 12px; }
.lead { font-size: 16px; color: var(--muted); margin: 0; }
.muted, .note { color: var(--muted); }
.note { font-size: 13px; }
nav.toc { font-size: 13px; color: var(--muted); margin: 10px 0 0; }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: 14px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(205px, 1fr)); gap: 12px; margin: 14px 0 6px; }
.fact { background: var(--soft); border-left: 4px solid var(--accent); padding: 10px 14px; border-radius: 0 4px 4px 0; }
.fact .label { font-size: 12.5px; color: var(--muted); }
.fact .value { font-size: 21px; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.3; }
.fact .ci { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 6px 0; caption-side: top; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--rule); text-align: right; vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid #adb5bd; font-weight: 600; vertical-align: bottom; }
th.text, td.text { text-align: left; }
td .ci { display: block; font-size: 12px; color: var(--muted); white-space: nowrap; }
td.diff { font-weight: 600; }
td.diff.unclear { color: var(--muted); font-weight: 400; }
.was { color: var(--muted); text-decoration: line-through; }
ul.changes { margin: 4px 0 12px; padding-left: 20px; font-size: 14px; }
.scenario { border: 1px solid var(--rule); border-radius: 6px; padding: 4px 18px 8px; margin: 14px 0; }
.scenario h3 { margin-top: 14px; }
figure { margin: 18px 0 30px; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 4px; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 6px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
footer { margin-top: 44px; padding-top: 10px; border-top: 1px solid var(--rule); font-size: 12px; color: var(--muted); }
@media (max-width: 700px) {
  main { padding: 20px 14px 40px; }
  table { font-size: 12.5px; }
  th, td { padding: 4px 5px; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm 16mm; }
  body { font-size: 9.5pt; line-height: 1.4; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { margin-top: 20px; break-after: avoid; page-break-after: avoid; }
  h3, caption { break-after: avoid; page-break-after: avoid; }
  .facts { grid-template-columns: repeat(4, 1fr); gap: 8px; }
  .scenario { border: none; padding: 0; border-top: 1px solid var(--rule); border-radius: 0; }
  tr, figure, .fact, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  figure { margin: 8px 0 14px; }
  figure svg { border: none; max-height: 105mm; }
  .fact, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn inlined_svg_scales_and_has_no_namespace_url() {
        let svg = r#"<svg width="1200" height="675" viewBox="0 0 1200 675" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        let out = inline_svg(svg, "A & B");
        assert!(
            out.starts_with(r#"<svg viewBox="0 0 1200 675" role="img" aria-label="A &amp; B""#)
        );
        assert!(!out.contains("http"));
        assert!(out.ends_with("<rect/></svg>"));
    }
}
