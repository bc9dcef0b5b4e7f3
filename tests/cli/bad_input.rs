//! Bad input: every malformed scenario is refused with exit code 2, a
//! message naming the file, the key path and the line (or the `--set`
//! argument), no panic, and no results written.
//!
//! Each case is the valid [`BASE`] scenario changed in exactly one way, and
//! [`base_scenario_runs`] shows the base itself is fine, so every case fails
//! for the reason it is named after.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::{RESULT_FILES, describe_output, run_ok, trappe};

/// A small valid scenario exercising every section, with distinct text on
/// each line so an edit (and the line it lands on) is unambiguous.
const BASE: &str = r#"[scenario]
name = "CLI test base"
start = 2020-01-01
horizon_years = 2.0
warmup_years = 0.5
replications = 3
seed = 7
period = "year"

[[steps]]
id = "prevention"
cost_per_year = 100000.0
follow_up = { first_weeks = 4.0, every_weeks = 13.0, hours = 2.0 }
latent = { improve = 0.5, worsen = 0.05, relapse = 0.5, crisis = 2.0 }
exit = { close = 0.1 }

[[steps]]
id = "kinship"
placement = true
cost_per_year = 150000.0
latent = { improve = 0.3 }

[[steps]]
id = "foster"
placement = true
cost_per_year = 400000.0
follow_up = { first_weeks = 13.0, every_weeks = 13.0, hours = 3.0 }
latent = { improve = 0.2, worsen = 0.1, relapse = 1.0, crisis = 3.0 }

[[steps]]
id = "institution"
placement = true
cost_per_year = 1000000.0
max_years = 1.0
follow_up = { first_weeks = 2.0, every_weeks = 6.0, hours = 4.0 }
latent = { improve = 0.8, worsen = 0.1, relapse = 1.0, crisis = 4.0 }
exit = { close = 0.05 }

[follow_up]
detection = 0.9
on_time_weeks = 2.0

[intake]
referrals_per_year = 20.0
assessment_hours = 5.0
assessment_min_weeks = 4.0
entry = { none = 0.4, prevention = 0.4, foster = 0.1, institution = 0.1 }

[initial]
assessment = 3
prevention = 10
foster = 5
institution = 3

[workforce]
caseworkers = 2
case_work_share = 0.7
salary_per_year = 500000.0

[costs]
fixed_per_year = 100000.0

[[changes]]
at_years = 0.5
set = { "workforce.caseworkers" = 3 }
"#;

/// How a case differs from [`BASE`].
#[derive(Clone, Copy)]
enum Edit {
    /// Replace text that occurs exactly once.
    Replace(&'static str, &'static str),
    /// Delete from the first occurrence of one text up to (not including)
    /// the first occurrence of another.
    Cut(&'static str, &'static str),
    /// Two replacements, each of text that occurs exactly once.
    Both(&'static str, &'static str, &'static str, &'static str),
    /// The file is unchanged (the problem is on the command line).
    Unchanged,
    /// The file does not exist.
    Missing,
}

/// Where the message must point.
#[derive(Clone, Copy)]
enum At {
    /// `file:LINE:COL` where LINE is the line of the edited file that holds
    /// this text (which must be on exactly one line).
    Line(&'static str),
    /// The `--set` argument, as typed.
    Set(&'static str),
    /// The file only (there is no line: the file or key is absent).
    File,
}

struct Case {
    name: &'static str,
    edit: Edit,
    /// Extra command-line arguments after `run FILE --out DIR`.
    args: &'static [&'static str],
    /// The key path exactly as shown (empty: no key, e.g. a syntax error).
    key: &'static str,
    /// Text the message must contain.
    message: &'static str,
    at: At,
}

const fn case(
    name: &'static str,
    edit: Edit,
    key: &'static str,
    message: &'static str,
    at: At,
) -> Case {
    Case {
        name,
        edit,
        args: &[],
        key,
        message,
        at,
    }
}

const fn set_case(
    name: &'static str,
    args: &'static [&'static str],
    key: &'static str,
    message: &'static str,
    at: At,
) -> Case {
    Case {
        name,
        edit: Edit::Unchanged,
        args,
        key,
        message,
        at,
    }
}

use At::{File, Line, Set};
use Edit::{Both, Cut, Missing, Replace};

const CASES: &[Case] = &[
    case(
        "syntax_error",
        Replace("seed = 7", "seed = = 7"),
        "",
        "syntax",
        Line("seed = = 7"),
    ),
    case(
        "unknown_top_level_key",
        Replace("[scenario]\n", "colour = \"red\"\n\n[scenario]\n"),
        "colour",
        "unknown",
        Line("colour = \"red\""),
    ),
    case(
        "unknown_key_in_section",
        Replace("on_time_weeks = 2.0", "on_time_week = 2.0"),
        "follow_up.on_time_week",
        "unknown",
        Line("on_time_week = 2.0"),
    ),
    case(
        "unknown_key_in_rung_inline_table",
        Replace("every_weeks = 6.0", "every_week = 6.0"),
        "steps.institution.follow_up.every_week",
        "unknown",
        Line("every_week = 6.0"),
    ),
    case(
        "unknown_key_in_rung",
        Replace("max_years = 1.0", "max_year = 1.0"),
        "steps.institution.max_year",
        "unknown",
        Line("max_year = 1.0"),
    ),
    case(
        "string_where_number",
        Replace("horizon_years = 2.0", "horizon_years = \"two\""),
        "scenario.horizon_years",
        "expected a number",
        Line("horizon_years"),
    ),
    case(
        "string_where_number_in_rung",
        Replace("cost_per_year = 400000.0", "cost_per_year = \"high\""),
        "steps.foster.cost_per_year",
        "expected a number",
        Line("cost_per_year = \"high\""),
    ),
    case(
        "float_where_count",
        Replace("replications = 3", "replications = 3.5"),
        "scenario.replications",
        "whole number",
        Line("replications = 3.5"),
    ),
    case(
        "negative_initial_count",
        Replace("prevention = 10", "prevention = -10"),
        "initial.prevention",
        "whole number",
        Line("prevention = -10"),
    ),
    case(
        "negative_hazard",
        Replace("improve = 0.8", "improve = -0.8"),
        "steps.institution.latent.improve",
        "at least 0",
        Line("improve = -0.8"),
    ),
    case(
        "detection_above_one",
        Replace("detection = 0.9", "detection = 1.5"),
        "follow_up.detection",
        "between 0 and 1",
        Line("detection = 1.5"),
    ),
    case(
        "entry_not_summing_to_one",
        Replace("none = 0.4", "none = 0.5"),
        "intake.entry",
        "sum to 1",
        Line("none = 0.5"),
    ),
    case(
        "unknown_rung_in_entry",
        Replace("foster = 0.1,", "fostr = 0.1,"),
        "intake.entry.fostr",
        "no rung with id 'fostr'",
        Line("fostr = 0.1"),
    ),
    case(
        "unknown_rung_in_initial",
        Replace("foster = 5", "fostr = 5"),
        "initial.fostr",
        "no rung with id 'fostr'",
        Line("fostr = 5"),
    ),
    case(
        "duplicate_rung_id",
        Replace(
            "[follow_up]\n",
            "[[steps]]\nid = \"kinship\"  # again\n\n[follow_up]\n",
        ),
        "steps.kinship.id",
        "duplicate",
        Line("# again"),
    ),
    case(
        "reserved_rung_id",
        Replace("id = \"kinship\"", "id = \"total\""),
        "steps.total.id",
        "reserved",
        Line("id = \"total\""),
    ),
    case(
        "empty_ladder",
        Cut("[[steps]]", "[follow_up]"),
        "steps",
        "ladder",
        File,
    ),
    case(
        "horizon_zero",
        Replace("horizon_years = 2.0", "horizon_years = 0.0"),
        "scenario.horizon_years",
        "greater than 0",
        Line("horizon_years = 0.0"),
    ),
    case(
        "nan_hazard",
        Replace("crisis = 2.0", "crisis = nan"),
        "steps.prevention.latent.crisis",
        "finite",
        Line("crisis = nan"),
    ),
    case(
        "inf_cost",
        Replace("cost_per_year = 1000000.0", "cost_per_year = inf"),
        "steps.institution.cost_per_year",
        "finite",
        Line("cost_per_year = inf"),
    ),
    case(
        "minus_inf_salary",
        Replace("salary_per_year = 500000.0", "salary_per_year = -inf"),
        "workforce.salary_per_year",
        "finite",
        Line("salary_per_year = -inf"),
    ),
    case(
        "max_years_without_follow_up",
        Cut(
            "follow_up = { first_weeks = 2.0",
            "latent = { improve = 0.8",
        ),
        "steps.institution.max_years",
        "follow_up",
        Line("max_years = 1.0"),
    ),
    case(
        "unknown_period",
        Replace("period = \"year\"", "period = \"week\""),
        "scenario.period",
        "week",
        Line("period = \"week\""),
    ),
    case(
        "start_with_time_of_day",
        Replace("start = 2020-01-01", "start = 2020-01-01T08:00:00"),
        "scenario.start",
        "date",
        Line("start = 2020-01-01T08:00:00"),
    ),
    case(
        "age_max_not_below_exit_age",
        Replace(
            "assessment_min_weeks = 4.0",
            "assessment_min_weeks = 4.0\nage_max = 18.0",
        ),
        "intake.age_max",
        "exit_age",
        Line("age_max = 18.0"),
    ),
    case(
        "extends_missing_file",
        Replace(
            "[scenario]\n",
            "extends = \"no-such-base.toml\"\n\n[scenario]\n",
        ),
        "extends",
        "no-such-base.toml",
        Line("extends ="),
    ),
    case(
        "change_sets_seed",
        Replace("\"workforce.caseworkers\" = 3", "\"scenario.seed\" = 3"),
        "changes[0].set.\"scenario.seed\"",
        "cannot change",
        Line("\"scenario.seed\" = 3"),
    ),
    case(
        "change_sets_zero_caseworkers",
        Replace(
            "\"workforce.caseworkers\" = 3",
            "\"workforce.caseworkers\" = 0",
        ),
        "changes[0].set.\"workforce.caseworkers\"",
        "must be between 1 and",
        Line("\"workforce.caseworkers\" = 0"),
    ),
    case(
        "change_after_horizon",
        Replace("at_years = 0.5", "at_years = 2.0"),
        "changes[0].at_years",
        "horizon",
        Line("at_years = 2.0"),
    ),
    // Where moves go (down_to, up_to, crisis_to).
    case(
        "down_to_goes_up",
        Replace("latent = { improve = 0.3 }", "down_to = { foster = 1.0 }"),
        "steps.kinship.down_to.foster",
        "'foster' is not below 'kinship'",
        Line("down_to = { foster = 1.0 }"),
    ),
    case(
        "up_to_goes_down",
        Replace(
            "latent = { improve = 0.3 }",
            "up_to = { prevention = 0.5, foster = 0.5 }",
        ),
        "steps.kinship.up_to.prevention",
        "'prevention' is not above 'kinship'",
        Line("up_to = { prevention = 0.5"),
    ),
    case(
        "crisis_to_goes_down",
        Replace(
            "latent = { improve = 0.3 }",
            "crisis_to = { prevention = 1.0 }",
        ),
        "steps.kinship.crisis_to.prevention",
        "'prevention' is below 'kinship'",
        Line("crisis_to = { prevention = 1.0 }"),
    ),
    case(
        "crisis_to_closed",
        Replace("latent = { improve = 0.3 }", "crisis_to = { closed = 1.0 }"),
        "steps.kinship.crisis_to.closed",
        "cannot close a case",
        Line("crisis_to = { closed = 1.0 }"),
    ),
    case(
        "down_to_not_summing_to_one",
        Replace(
            "latent = { improve = 0.3 }",
            "down_to = { prevention = 0.5, closed = 0.4 }",
        ),
        "steps.kinship.down_to",
        "sum to 1, they sum to 0.9",
        Line("down_to = { prevention = 0.5, closed = 0.4 }"),
    ),
    case(
        "down_to_unknown_id",
        Replace(
            "latent = { improve = 0.3 }",
            "down_to = { prevntion = 1.0 }",
        ),
        "steps.kinship.down_to.prevntion",
        "no rung with id 'prevntion'",
        Line("down_to = { prevntion = 1.0 }"),
    ),
    case(
        "up_to_on_the_top_rung",
        Replace(
            "max_years = 1.0",
            "max_years = 1.0\nup_to = { foster = 1.0 }",
        ),
        "steps.institution.up_to",
        "top rung",
        Line("up_to = { foster = 1.0 }"),
    ),
    case(
        "destination_not_a_number",
        Replace(
            "latent = { improve = 0.3 }",
            "crisis_to = { foster = \"all\" }",
        ),
        "steps.kinship.crisis_to.foster",
        "expected a number",
        Line("crisis_to = { foster = \"all\" }"),
    ),
    case(
        "destination_probability_above_one",
        Replace(
            "latent = { improve = 0.3 }",
            "crisis_to = { kinship = 1.5, foster = -0.5 }",
        ),
        "steps.kinship.crisis_to.kinship",
        "between 0 and 1",
        Line("crisis_to = { kinship = 1.5"),
    ),
    case(
        "destination_table_not_a_table",
        Replace("latent = { improve = 0.3 }", "down_to = \"prevention\""),
        "steps.kinship.down_to",
        "expected a table",
        Line("down_to = \"prevention\""),
    ),
    case(
        "change_sets_a_wrong_table",
        Replace(
            "\"workforce.caseworkers\" = 3",
            "\"steps.foster.crisis_to\" = { kinship = 1.0 }",
        ),
        "changes[0].set.\"steps.foster.crisis_to\"",
        "'kinship' is below 'foster'",
        Line("\"steps.foster.crisis_to\""),
    ),
    // Placement capacity (model version 2).
    case(
        "capacity_on_top_rung",
        Replace(
            "exit = { close = 0.05 }",
            "exit = { close = 0.05 }\ncapacity = 3",
        ),
        "steps.institution.capacity",
        "top rung",
        Line("capacity = 3"),
    ),
    case(
        "negative_capacity",
        Replace(
            "latent = { improve = 0.3 }",
            "latent = { improve = 0.3 }\ncapacity = -1",
        ),
        "steps.kinship.capacity",
        "-1",
        Line("capacity = -1"),
    ),
    case(
        "fractional_capacity",
        Replace(
            "latent = { improve = 0.3 }",
            "latent = { improve = 0.3 }\ncapacity = 40.0",
        ),
        "steps.kinship.capacity",
        "whole number",
        Line("capacity = 40.0"),
    ),
    case(
        "change_sets_capacity_of_unknown_rung",
        Replace(
            "\"workforce.caseworkers\" = 3",
            "\"steps.nosuch.capacity\" = 3",
        ),
        "changes[0].set.\"steps.nosuch.capacity\"",
        "no rung with id 'nosuch'",
        Line("\"steps.nosuch.capacity\" = 3"),
    ),
    case(
        "change_sets_capacity_of_top_rung",
        Replace(
            "\"workforce.caseworkers\" = 3",
            "\"steps.institution.capacity\" = 3",
        ),
        "changes[0].set.\"steps.institution.capacity\"",
        "top rung",
        Line("\"steps.institution.capacity\" = 3"),
    ),
    case("missing_file", Missing, "", "cannot read", File),
    // Model version 2: age bands and case lists.
    case(
        "age_bands_empty",
        Replace("seed = 7", "seed = 7\nage_bands = []"),
        "scenario.age_bands",
        "must not be empty",
        Line("age_bands = []"),
    ),
    case(
        "age_bands_not_increasing",
        Replace("seed = 7", "seed = 7\nage_bands = [12.0, 6.0]"),
        "scenario.age_bands",
        "strictly increasing",
        Line("age_bands"),
    ),
    case(
        "age_bands_at_exit_age",
        Replace("seed = 7", "seed = 7\nage_bands = [6.0, 18.0]"),
        "scenario.age_bands",
        "below scenario.exit_age",
        Line("age_bands"),
    ),
    case(
        "hazard_array_without_age_bands",
        Replace(
            "latent = { improve = 0.3 }",
            "latent = { improve = [0.3, 0.2] }",
        ),
        "steps.kinship.latent.improve",
        "there is one age band",
        Line("improve = [0.3, 0.2]"),
    ),
    case(
        "hazard_array_of_wrong_length",
        Both(
            "seed = 7",
            "seed = 7\nage_bands = [6.0, 12.0]",
            "exit = { close = 0.05 }",
            "exit = { close = [0.05, 0.1] }",
        ),
        "steps.institution.exit.close",
        "has 2 values, but there are 3 age bands (0-6, 6-12, 12-18)",
        Line("close = [0.05, 0.1]"),
    ),
    case(
        "entry_array_of_wrong_length",
        Both(
            "seed = 7",
            "seed = 7\nage_bands = [6.0, 12.0]",
            "foster = 0.1, institution",
            "foster = [0.1, 0.1], institution",
        ),
        "intake.entry.foster",
        "has 2 values",
        Line("foster = [0.1, 0.1]"),
    ),
    case(
        "entry_of_one_band_does_not_sum_to_one",
        Both(
            "seed = 7",
            "seed = 7\nage_bands = [6.0]",
            "entry = { none = 0.4,",
            "entry = { none = [0.4, 0.5],",
        ),
        "intake.entry",
        "must sum to 1 in age band 6-18",
        Line("entry = {"),
    ),
    case(
        "age_weights_of_wrong_length",
        Replace(
            "assessment_min_weeks = 4.0",
            "assessment_min_weeks = 4.0\nage_weights = [1.0, 2.0]",
        ),
        "intake.age_weights",
        "one weight per band",
        Line("age_weights"),
    ),
    case(
        "age_weights_all_zero",
        Both(
            "seed = 7",
            "seed = 7\nage_bands = [6.0]",
            "assessment_min_weeks = 4.0",
            "assessment_min_weeks = 4.0\nage_weights = [0.0, 0.0]",
        ),
        "intake.age_weights",
        "must not all be 0",
        Line("age_weights"),
    ),
    case(
        "age_weight_on_a_band_without_referral_ages",
        Both(
            "seed = 7",
            "seed = 7\nage_bands = [6.0]",
            "assessment_min_weeks = 4.0",
            "assessment_min_weeks = 4.0\nage_max = 5.0\nage_weights = [1.0, 1.0]",
        ),
        "intake.age_weights",
        "age band 6-18 has weight 1 but no referral ages in it",
        Line("age_weights"),
    ),
    case(
        "case_list_mixed_with_counts",
        Replace("[initial]\n", "[initial]\ncases = \"cases.csv\"\n"),
        "initial.cases",
        "cannot be mixed with counts",
        Line("cases = "),
    ),
    case(
        "case_list_missing_file",
        Replace(
            "assessment = 3\nprevention = 10\nfoster = 5\ninstitution = 3\n",
            "cases = \"no-such-cases.csv\"\n",
        ),
        "initial.cases",
        "no-such-cases.csv': cannot read the file",
        Line("cases = "),
    ),
    case(
        "change_sets_array_of_wrong_length",
        Replace(
            "\"workforce.caseworkers\" = 3",
            "\"steps.foster.latent.crisis\" = [1.0, 2.0]",
        ),
        "changes[0].set.\"steps.foster.latent.crisis\"",
        "there is one age band",
        Line("\"steps.foster.latent.crisis\" = [1.0, 2.0]"),
    ),
    set_case(
        "set_unknown_rung",
        &["--set", "steps.nosuch.points=1"],
        "steps.nosuch.points",
        "no rung with id 'nosuch'",
        Set("steps.nosuch.points=1"),
    ),
    set_case(
        "set_unknown_key",
        &["--set", "workforce.caseworkerz=3"],
        "workforce.caseworkerz",
        "unknown",
        Set("workforce.caseworkerz=3"),
    ),
    set_case(
        "set_value_not_a_number",
        &["--set", "workforce.caseworkers=abc"],
        "workforce.caseworkers",
        "whole number",
        Set("workforce.caseworkers=abc"),
    ),
    set_case(
        "set_zero_caseworkers",
        &["--set", "workforce.caseworkers=0"],
        "workforce.caseworkers",
        "between 1 and",
        Set("workforce.caseworkers=0"),
    ),
    set_case(
        "set_one_destination_of_a_table",
        &["--set", "steps.foster.down_to.kinship=1"],
        "steps.foster.down_to.kinship",
        "set whole",
        Set("steps.foster.down_to.kinship=1"),
    ),
    set_case(
        "set_a_table_summing_wrong",
        &["--set", "steps.foster.down_to={ kinship = 0.5 }"],
        "steps.foster.down_to",
        "sum to 1",
        Set("steps.foster.down_to={ kinship = 0.5 }"),
    ),
    set_case(
        "set_array_without_age_bands",
        &["--set", "steps.foster.latent.improve=[0.1, 0.2]"],
        "steps.foster.latent.improve",
        "there is one age band",
        Set("steps.foster.latent.improve=[0.1, 0.2]"),
    ),
    set_case(
        "set_negative_hazard",
        &["--set", "steps.institution.latent.improve=-1"],
        "steps.institution.latent.improve",
        "at least 0",
        Set("steps.institution.latent.improve=-1"),
    ),
];

/// The edited scenario text, or why the edit does not apply to [`BASE`].
fn apply(edit: Edit) -> Result<String, String> {
    let once = |text: &str| match BASE.matches(text).count() {
        1 => Ok(BASE.find(text).expect("counted")),
        n => Err(format!("{text:?} occurs {n} times in the base scenario")),
    };
    match edit {
        Replace(old, new) => {
            once(old)?;
            Ok(BASE.replacen(old, new, 1))
        }
        Cut(from, to) => {
            let start = BASE.find(from).ok_or(format!("no {from:?} in base"))?;
            let end = once(to)?;
            if end <= start {
                return Err(format!("{to:?} comes before {from:?}"));
            }
            Ok(format!("{}{}", &BASE[..start], &BASE[end..]))
        }
        Edit::Both(a, b, c, d) => {
            once(a)?;
            once(c)?;
            Ok(BASE.replacen(a, b, 1).replacen(c, d, 1))
        }
        Edit::Unchanged | Missing => Ok(BASE.to_string()),
    }
}

/// 1-based number of the one line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> Result<usize, String> {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    match lines.as_slice() {
        [line] => Ok(*line),
        _ => Err(format!(
            "{needle:?} is on lines {lines:?} of the edited file, expected exactly one"
        )),
    }
}

/// Run one case; `Err` describes everything wrong with the outcome.
fn check_case(dir: &Path, case: &Case) -> Result<(), String> {
    let text = apply(case.edit)?;
    let file = dir.join(format!("{}.toml", case.name));
    if !matches!(case.edit, Missing) {
        std::fs::write(&file, &text).map_err(|e| e.to_string())?;
    }
    let out = dir.join(format!("out-{}", case.name));
    let output = trappe()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(case.args)
        .arg("-q")
        .output()
        .map_err(|e| format!("cannot start trappe: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let file_name = file.display().to_string();
    let mut wrong = Vec::new();
    if output.status.code() != Some(2) {
        wrong.push(format!("exit code {:?}, expected 2", output.status.code()));
    }
    if stderr.contains("panicked") {
        wrong.push("it panicked".to_string());
    }
    if !stderr.contains(&file_name) {
        wrong.push(format!("stderr does not name the file {file_name}"));
    }
    // The stderr line that reports this case's problem.
    let (anchor, lines): (String, Vec<&str>) = match case.at {
        Line(needle) => {
            let line = line_of(&text, needle)?;
            let location = format!("{file_name}:{line}:");
            let found = stderr
                .lines()
                .filter(|l| {
                    l.trim_start()
                        .strip_prefix(location.as_str())
                        .is_some_and(|rest| {
                            let col: String =
                                rest.chars().take_while(char::is_ascii_digit).collect();
                            col.parse::<usize>().is_ok_and(|c| c >= 1)
                                && rest[col.len()..].starts_with(':')
                        })
                })
                .collect();
            (format!("{location}COL"), found)
        }
        Set(arg) => {
            let location = format!("--set {arg}:");
            let found = stderr.lines().filter(|l| l.contains(&location)).collect();
            (location, found)
        }
        File => {
            let found = stderr
                .lines()
                .filter(|l| l.trim_start().starts_with(&file_name))
                .collect();
            (file_name.clone(), found)
        }
    };
    let key = format!(": {}: ", case.key);
    let matching: Vec<&&str> = lines
        .iter()
        .filter(|l| (case.key.is_empty() || l.contains(&key)) && l.contains(case.message))
        .collect();
    if matching.is_empty() {
        wrong.push(format!(
            "no stderr line at {anchor} with key {:?} and message containing {:?}",
            case.key, case.message
        ));
    }
    if out.exists() {
        let written: Vec<&str> = RESULT_FILES
            .iter()
            .copied()
            .filter(|f| out.join(f).exists())
            .collect();
        wrong.push(format!(
            "the output folder was created (result files in it: {written:?})"
        ));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{}",
            wrong.join("\n"),
            describe_output(&output)
        ))
    }
}

fn write_base(dir: &TempDir) -> PathBuf {
    let path = dir.path().join("base.toml");
    std::fs::write(&path, BASE).expect("write base scenario");
    path
}

#[test]
fn base_scenario_runs() {
    let dir = TempDir::new().unwrap();
    let base = write_base(&dir);
    let out = dir.path().join("out");
    run_ok(
        trappe()
            .arg("run")
            .arg(&base)
            .arg("--out")
            .arg(&out)
            .arg("-q"),
    );
    for name in RESULT_FILES {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    // The same arguments the `--set` cases change, with valid values.
    run_ok(
        trappe()
            .arg("run")
            .arg(&base)
            .arg("--out")
            .arg(dir.path().join("out-set"))
            .args(["-q", "--set", "workforce.caseworkers=3"])
            .args(["--set", "steps.institution.latent.improve=1"]),
    );
}

#[test]
fn every_bad_input_is_refused_with_its_location() {
    assert!(CASES.len() >= 15);
    let dir = TempDir::new().unwrap();
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|case| {
            check_case(dir.path(), case)
                .err()
                .map(|why| format!("=== case {}:\n{why}", case.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn case_names_are_unique() {
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CASES.len());
}

/// Runs `trappe run` on `text` and returns stderr, requiring exit code 2.
fn refused(dir: &TempDir, name: &str, text: &str) -> (String, String) {
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let output = trappe()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe_output(&output)
    );
    assert!(!out.exists(), "no output folder for a refused scenario");
    (
        String::from_utf8_lossy(&output.stderr).into_owned(),
        file.display().to_string(),
    )
}

#[test]
fn independent_problems_are_reported_together() {
    let dir = TempDir::new().unwrap();
    let text = BASE
        .replacen("improve = 0.8", "improve = -0.8", 1)
        .replacen("detection = 0.9", "detection = 2.0", 1)
        .replacen("none = 0.4", "none = 0.6", 1);
    let (stderr, file) = refused(&dir, "several.toml", &text);
    assert!(stderr.contains("3 problems"), "{stderr}");
    for (needle, key) in [
        ("improve = -0.8", "steps.institution.latent.improve"),
        ("detection = 2.0", "follow_up.detection"),
        ("none = 0.6", "intake.entry"),
    ] {
        let line = line_of(&text, needle).unwrap();
        let location = format!("{file}:{line}:");
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&location) && l.contains(&format!(": {key}: "))),
            "no line for {key} at {location}\n{stderr}"
        );
    }
}

#[test]
fn problems_in_different_sections_are_reported_together() {
    // Type and key errors are found section by section, so one does not
    // hide another.
    let dir = TempDir::new().unwrap();
    let text = BASE
        .replacen("assessment_hours = 5.0", "assessment_hour = 5.0", 1)
        .replacen("cost_per_year = 400000.0", "cost_per_year = \"high\"", 1)
        .replacen("caseworkers = 2", "caseworkers = 2.5", 1);
    let (stderr, file) = refused(&dir, "sections.toml", &text);
    for (needle, key) in [
        ("assessment_hour =", "intake.assessment_hour"),
        ("cost_per_year = \"high\"", "steps.foster.cost_per_year"),
        ("caseworkers = 2.5", "workforce.caseworkers"),
    ] {
        let line = line_of(&text, needle).unwrap();
        let location = format!("{file}:{line}:");
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&location) && l.contains(&format!(": {key}: "))),
            "no line for {key} at {location}\n{stderr}"
        );
    }
}

#[test]
fn type_errors_and_checks_are_reported_in_one_pass() {
    // Deserialising stops at a rung's first type error; the layer cuts the
    // offending key and reads again, so two type errors in one rung, one in
    // another and the sum check of what did read all come out together.
    let dir = TempDir::new().unwrap();
    let text = BASE
        .replacen(
            "cost_per_year = 100000.0",
            "cost_per_year = 100000.0\ncapacity = -1\npoints = \"x\"",
            1,
        )
        .replacen("max_years = 1.0", "max_years = 1.0\ncapacity = 40.0", 1)
        .replacen("none = 0.4", "none = 0.6", 1);
    let (stderr, file) = refused(&dir, "one_pass.toml", &text);
    assert!(stderr.contains("4 problems"), "{stderr}");
    for (needle, key, words) in [
        ("capacity = -1", "steps.prevention.capacity", "expected"),
        (
            "points = \"x\"",
            "steps.prevention.points",
            "expected a number",
        ),
        ("capacity = 40.0", "steps.institution.capacity", "expected"),
        ("none = 0.6", "intake.entry", "must sum to 1"),
    ] {
        let line = line_of(&text, needle).unwrap();
        let location = format!("{file}:{line}:");
        assert!(
            stderr.lines().any(|l| l.contains(&location)
                && l.contains(&format!(": {key}: "))
                && l.contains(words)),
            "no line for {key} at {location} saying '{words}'\n{stderr}"
        );
    }
}

#[test]
fn a_check_that_would_judge_a_stand_in_waits() {
    // With `exit_age` of the wrong type its default would stand in; the
    // check of `age_max` against it is held back, and so is a check in a
    // rung that has a wrong type, rather than reported wrongly.
    let dir = TempDir::new().unwrap();
    let text = BASE
        .replacen("[scenario]", "[scenario]\nexit_age = \"x\"", 1)
        .replacen("[intake]", "[intake]\nage_max = 20.0", 1)
        .replacen(
            "cost_per_year = 100000.0",
            "cost_per_year = -1.0\npoints = \"x\"",
            1,
        );
    let (stderr, _) = refused(&dir, "stand_in.toml", &text);
    assert!(stderr.contains("2 problems"), "{stderr}");
    assert!(stderr.contains(": scenario.exit_age: "), "{stderr}");
    assert!(stderr.contains(": steps.prevention.points: "), "{stderr}");
}

#[test]
fn an_existing_output_folder_is_left_alone_on_bad_input() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("summary.csv"), "earlier results\n").unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        BASE.replacen("detection = 0.9", "detection = 1.5", 1),
    )
    .unwrap();
    let output = trappe()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe_output(&output)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("summary.csv")).unwrap(),
        "earlier results\n"
    );
    let entries: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(entries.len(), 1, "nothing new in the output folder");
}

/// A case list whose rows are wrong in every way a row can be: each
/// problem is reported at once, at the CSV file's line and column, with
/// exit code 2 and nothing written.
#[test]
fn bad_case_list_rows_are_refused_at_their_line_and_column() {
    let dir = TempDir::new().unwrap();
    let text = BASE.replace(
        "assessment = 3\nprevention = 10\nfoster = 5\ninstitution = 3\n",
        "cases = \"cases.csv\"\n",
    );
    let csv = "place,age,years_on_place\n\
               prevention,4.5,1\n\
               nowhere,4.5,1\n\
               foster,18,0\n\
               foster,-1,0\n\
               institution,12,soon\n\
               assessment,3\n\
               kinship,abc,\n";
    std::fs::write(dir.path().join("cases.csv"), csv).unwrap();
    let (stderr, _) = refused(&dir, "list.toml", &text);
    let csv_name = "cases.csv";
    for (line, column, field, message) in [
        (3, 1, "place", "'nowhere' is not a place"),
        (4, 8, "age", "below scenario.exit_age (18), got '18'"),
        (5, 8, "age", "got '-1'"),
        (6, 16, "years_on_place", "got 'soon'"),
        (7, 1, "", "has 2 fields, but the header has 3"),
        (8, 9, "age", "got 'abc'"),
    ] {
        let at = format!("{csv_name}:{line}:{column}: ");
        let field = if field.is_empty() {
            String::new()
        } else {
            format!("{field}: ")
        };
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&format!("{at}{field}")) && l.contains(message)),
            "no line at {at} {field}with {message:?} in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("cases.csv:2:"), "row 2 is fine:\n{stderr}");
}

/// The header row of a case list: required columns, no unknown ones.
#[test]
fn a_case_list_header_must_name_known_columns() {
    let dir = TempDir::new().unwrap();
    let text = BASE.replace(
        "assessment = 3\nprevention = 10\nfoster = 5\ninstitution = 3\n",
        "cases = \"cases.csv\"\n",
    );
    std::fs::write(
        dir.path().join("cases.csv"),
        "place,years,colour\nfoster,3,red\n",
    )
    .unwrap();
    let (stderr, _) = refused(&dir, "header.toml", &text);
    for expected in [
        "cases.csv:1:7: years: unknown column",
        "cases.csv:1:13: colour: unknown column",
        "age: the header row has no 'age' column",
    ] {
        assert!(stderr.contains(expected), "no {expected:?} in:\n{stderr}");
    }
}
