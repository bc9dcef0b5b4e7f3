//! What a fit writes: `scenario.toml` (the policy file's own text with
//! every fitted and directly set value edited in place by
//! [`crate::calibrate::fitted_files`], each commented with its standard
//! error and source above its table), `fit.csv` (observed against fitted)
//! and `parameters.csv` (every value: fitted, set or kept).

use std::io;
use std::path::Path;

use toml_edit::{DocumentMut, Item};

use super::curvature::Curvature;
use super::objective::RowFit;
use super::plan::{Knob, OPEN_CASES, Plan};
use crate::Error;
use crate::calibrate::Input;
use crate::calibrate::fitted_files::fitted_files;
use crate::format::significant;
use crate::results::csv::{csv_writer, finish_csv, number};
use crate::scenario::Override;

/// The fitted scenario.
pub const SCENARIO_TOML: &str = "scenario.toml";
/// The start state beside it.
pub const OPEN_CASES_CSV: &str = OPEN_CASES;
/// Every observed quantity.
pub const OBSERVED_CSV: &str = "observed.csv";
/// Observed against fitted.
pub const FIT_CSV: &str = "fit.csv";
/// Every value of the scenario the fit touched or kept.
pub const PARAMETERS_CSV: &str = "parameters.csv";

/// Header of `fit.csv` (the fit report reads it).
pub const FIT_HEADER: [&str; 10] = [
    "quantity",
    "place",
    "age_band",
    "destination",
    "observed",
    "observed_se",
    "fitted",
    "fitted_se",
    "distance_se",
    "verdict",
];

/// Header of `parameters.csv`.
pub const PARAMETERS_HEADER: [&str; 6] = [
    "parameter",
    "policy_value",
    "fitted_value",
    "se",
    "identified",
    "source",
];

/// One row of `parameters.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterRow {
    /// The `--set` path.
    pub parameter: String,
    /// The policy's value, as written.
    pub policy_value: String,
    /// The value in the fitted scenario, as written.
    pub fitted_value: String,
    /// Its standard error (one per band where it has bands); empty when
    /// kept or not identified.
    pub se: String,
    /// `yes`, `no` (searched but flat), or `kept`.
    pub identified: String,
    /// Where the value comes from.
    pub source: String,
}

/// A number for a note or a CSV cell: 3 significant digits.
fn short(x: f64) -> String {
    number(significant(x, 3))
}

/// The standard error of searched value `i` at `x`, in the scenario's
/// units (one per band for a multiplier on an array), or `None`.
fn searched_se(plan: &Plan, curvature: &Curvature, i: usize, x: f64) -> Option<String> {
    let p = &plan.parameters[i];
    let se = curvature.se(i, &p.range)?;
    Some(match &p.knob {
        Knob::Detection => short(se),
        // The log's SE is the relative SE of every band's value.
        Knob::Multiplier { policy } => {
            let values: Vec<String> = policy.values().iter().map(|v| short(v * x * se)).collect();
            match values.as_slice() {
                [one] => one.clone(),
                many => format!("[{}]", many.join(", ")),
            }
        }
    })
}

/// Every value's row of `parameters.csv`: searched, then set, then kept.
pub fn parameter_rows(plan: &Plan, x: &[f64], curvature: &Curvature) -> Vec<ParameterRow> {
    let detection = plan.policy.file.follow_up.detection;
    let mut rows = Vec::new();
    for (i, p) in plan.parameters.iter().enumerate() {
        let se = searched_se(plan, curvature, i, x[i]);
        let source = match p.knob {
            Knob::Detection => "fitted by simulation".to_string(),
            Knob::Multiplier { .. } => format!(
                "fitted by simulation: ×{} the policy's in every band",
                short(x[i])
            ),
        };
        rows.push(ParameterRow {
            parameter: p.path.clone(),
            policy_value: p.policy_text(detection),
            fitted_value: p.value(x[i], 4).to_string(),
            identified: if se.is_some() { "yes" } else { "no" }.into(),
            se: se.unwrap_or_default(),
            source,
        });
    }
    for d in &plan.direct {
        rows.push(ParameterRow {
            parameter: d.set.path.clone(),
            policy_value: d.policy.clone(),
            fitted_value: d.set.value.to_string(),
            se: d.se.clone(),
            identified: "yes".into(),
            source: format!("set from the {}", d.source),
        });
    }
    for k in &plan.kept {
        rows.push(ParameterRow {
            parameter: k.path.clone(),
            policy_value: k.value.clone(),
            fitted_value: k.value.clone(),
            se: String::new(),
            identified: "kept".into(),
            source: format!("policy (kept: {})", k.reason),
        });
    }
    rows
}

/// The table a `--set` path lives in: a rung id, or a top-level section.
enum Home<'p> {
    Rung(&'p str),
    Section(&'p str),
}

fn home(path: &str) -> (Home<'_>, &str) {
    let parts: Vec<&str> = path.splitn(3, '.').collect();
    match parts.as_slice() {
        ["steps", id, rest] => (Home::Rung(id), rest),
        [section, ..] => (Home::Section(section), &path[section.len() + 1..]),
        [] => (Home::Section(""), path),
    }
}

/// Put `notes` as comment lines above the table of `home` (or at the top
/// of the file when it has none of its own).
fn annotate(doc: &mut DocumentMut, place: &Home<'_>, notes: &[String]) -> bool {
    let block: String = notes.iter().map(|n| format!("# {n}\n")).collect();
    let table = match place {
        Home::Section(name) => doc.get_mut(name).and_then(Item::as_table_mut),
        Home::Rung(id) => doc
            .get_mut("steps")
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|a| {
                a.iter_mut()
                    .find(|t| t.get("id").and_then(Item::as_str) == Some(*id))
            }),
    };
    let Some(table) = table else {
        return false;
    };
    let old = table
        .decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_string();
    table.decor_mut().set_prefix(format!("{old}{block}"));
    true
}

/// `scenario.toml`: the policy file with `overrides` set in place, the
/// case list as its start state, and a comment on every value the fit set,
/// searched or kept.
pub fn scenario_toml(
    plan: &Plan,
    x: &[f64],
    curvature: &Curvature,
    overrides: &[Override],
) -> Result<String, Error> {
    // One layer: Plan::new refuses a policy that extends another file.
    let layers = &plan.document.layers;
    let input = Input {
        path: layers[0].name.clone().into(),
        key: "policy".into(),
        document: plan.document.clone(),
        scenario: plan.policy.clone(),
    };
    let files = fitted_files(&[input], overrides).map_err(Error::Failed)?;
    let mut doc: DocumentMut = files[0]
        .text
        .parse()
        .map_err(|e| Error::Failed(format!("the fitted scenario does not parse: {e}")))?;
    let mut initial = toml_edit::Table::new();
    initial.insert("cases", toml_edit::value(OPEN_CASES));
    initial.decor_mut().set_prefix(format!(
        "\n# The cases open on {} as the records show them (trappe fit).\n",
        plan.window.to
    ));
    doc.insert("initial", Item::Table(initial));

    let window = format!("{} to {}", plan.window.from, plan.window.to);
    let detection = plan.policy.file.follow_up.detection;
    let mut notes: Vec<(String, String)> = Vec::new();
    for (i, p) in plan.parameters.iter().enumerate() {
        let what = match p.knob {
            Knob::Detection => format!("policy {}", p.policy_text(detection)),
            Knob::Multiplier { .. } => {
                format!("×{} the policy's {}", short(x[i]), p.policy_text(detection))
            }
        };
        let se = match searched_se(plan, curvature, i, x[i]) {
            Some(se) => format!("SE {se}"),
            None => "NOT IDENTIFIED by the records (flat: other values fit as well)".into(),
        };
        notes.push((
            p.path.clone(),
            format!("fitted by simulation to the records ({what}); {se}"),
        ));
    }
    for d in &plan.direct {
        let se = if d.se.is_empty() {
            String::new()
        } else {
            format!("; SE {}", d.se)
        };
        notes.push((
            d.set.path.clone(),
            format!("set from the {}{se} (policy: {})", d.source, d.policy),
        ));
    }
    for k in &plan.kept {
        notes.push((
            k.path.clone(),
            format!("kept from the policy: {}", k.reason),
        ));
    }
    let mut homes: Vec<(String, Vec<String>)> = Vec::new();
    for (path, note) in notes {
        let (place, key) = home(&path);
        let name = match place {
            Home::Rung(id) => format!("steps.{id}"),
            Home::Section(s) => s.to_string(),
        };
        let line = format!("  {key}: {note}");
        match homes.iter_mut().find(|(n, _)| *n == name) {
            Some((_, lines)) => lines.push(line),
            None => homes.push((name, vec![line])),
        }
    }
    let mut orphans = Vec::new();
    for (name, lines) in homes {
        let probe = format!("{name}.x");
        let place = home(&probe).0;
        let mut block = vec![format!("trappe fit (records {window}):")];
        block.extend(lines);
        if !annotate(&mut doc, &place, &block) {
            orphans.extend(block);
        }
    }
    let header = format!(
        "# {} fitted to case records by `trappe fit` (window {window}).\n\
         # It starts on {} from the open cases in {OPEN_CASES}, without a warm-up.\n\
         # Each value the fit set, searched or kept is commented above its table.\n{}\n",
        Path::new(&layers[0].name).file_name().map_or_else(
            || layers[0].name.clone(),
            |n| n.to_string_lossy().into_owned()
        ),
        plan.window.to,
        orphans
            .iter()
            .map(|l| format!("# {l}\n"))
            .collect::<String>()
    );
    Ok(header + &doc.to_string())
}

/// Write `fit.csv`.
pub fn write_fit_csv(rows: &[RowFit], path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(FIT_HEADER)?;
    let cell = |x: f64| {
        if x.is_finite() {
            number(x)
        } else {
            String::new()
        }
    };
    for r in rows {
        let o = &r.observed;
        w.write_record([
            o.quantity.name(),
            &o.place,
            &o.age_band,
            &o.destination,
            &number(o.value),
            &cell(r.observed_se),
            &cell(r.fitted),
            &cell(r.fitted_se),
            &cell(r.distance),
            r.verdict(),
        ])?;
    }
    finish_csv(w)
}

/// Write `parameters.csv`.
pub fn write_parameters_csv(rows: &[ParameterRow], path: &Path) -> io::Result<()> {
    let mut w = csv_writer(path)?;
    w.write_record(PARAMETERS_HEADER)?;
    for r in rows {
        w.write_record([
            &r.parameter,
            &r.policy_value,
            &r.fitted_value,
            &r.se,
            &r.identified,
            &r.source,
        ])?;
    }
    finish_csv(w)
}
