//! `trappe check`: validate a scenario and describe it, without running.

use tempfile::TempDir;

use crate::{describe_output, ladder, run_ok, scenario, trappe};

#[test]
fn check_describes_a_valid_scenario() {
    let file = scenario("herning-baseline.toml");
    let output = run_ok(trappe().arg("check").arg(&file).args(["--lang", "en"]));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Ladder"), "{stdout}");
    assert!(
        stdout.contains("Herning, Swedish-model districts: old practice (baseline)"),
        "names the scenario\n{stdout}"
    );
    // Every rung, in ladder order, each on its own line.
    let lines: Vec<&str> = stdout.lines().map(str::trim_start).collect();
    let positions: Vec<usize> = ladder(&file)
        .iter()
        .map(|(id, _)| {
            lines
                .iter()
                .position(|l| l.starts_with(&format!("{id} ")))
                .unwrap_or_else(|| panic!("rung {id} not listed\n{stdout}"))
        })
        .collect();
    assert_eq!(positions.len(), 5);
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "rungs in ladder order\n{stdout}"
    );
    assert!(stdout.contains("valid"), "{stdout}");
}

#[test]
fn check_applies_overrides() {
    let file = scenario("herning-baseline.toml");
    let output = run_ok(trappe().arg("check").arg(&file).args([
        "--set",
        "workforce.caseworkers=8",
        "--lang",
        "en",
    ]));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("8 caseworkers"), "{stdout}");
}

#[test]
fn check_refuses_a_bad_scenario() {
    let dir = TempDir::new().unwrap();
    // Whatever the fitted detection probability is, make it 1.8.
    let text: String = std::fs::read_to_string(scenario("herning-baseline.toml"))
        .unwrap()
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("detection =") {
                "detection = 1.8".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("detection = 1.8"));
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, text).unwrap();
    let output = trappe().arg("check").arg(&file).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe_output(&output)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&file.display().to_string()) && stderr.contains("follow_up.detection"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("valid"),
        "a refused scenario is not reported valid"
    );
}

#[test]
fn check_refuses_a_missing_file() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("absent.toml");
    let output = trappe().arg("check").arg(&file).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe_output(&output)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
}

#[test]
fn check_gives_dates_not_fractional_years() {
    let file = scenario("herning-sverigesmodel.toml");
    let output = run_ok(trappe().arg("check").arg(&file).args(["--lang", "en"]));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("From 1 August 2013 (0.58 years after start)"),
        "{stdout}"
    );
    assert!(stdout.contains("start 1 January 2013"), "{stdout}");
    assert!(stdout.contains("by quarter"), "{stdout}");
    for bad in ["0.5833333", "Quarter", "-0.0"] {
        assert!(!stdout.contains(bad), "{bad:?} in\n{stdout}");
    }
    // The shipped Herning files are Danish: the same in Danish words,
    // numbers and dates.
    let output = run_ok(trappe().arg("check").arg(&file));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for danish in [
        "Fra 1. august 2013 (0,58 år efter start)",
        "start 1. januar 2013",
        "opgjort pr. kvartal",
        "Indsatstrappen",
        "sagsbehandlere",
        "1.160.000",
        "er gyldig",
    ] {
        assert!(stdout.contains(danish), "{danish:?} in\n{stdout}");
    }
}

/// `check` says where a rung's moves go, in words, only for rungs with
/// tables; `--set` replaces a table whole.
#[test]
fn check_describes_where_moves_go() {
    let file = scenario("herning-baseline.toml");
    let plain = run_ok(
        trappe()
            .arg("check")
            .arg(scenario("minimal.toml"))
            .args(["--lang", "en"]),
    );
    let plain = String::from_utf8_lossy(&plain.stdout);
    assert!(
        !plain.contains("Where moves go"),
        "no tables, no words\n{plain}"
    );
    let output = run_ok(trappe().arg("check").arg(&file).args([
        "--lang",
        "en",
        "--set",
        "steps.foster.crisis_to={ foster = 0.6, institution = 0.4 }",
        "--set",
        "steps.institution.down_to={ kinship = 0.25, home_based = 0.75 }",
    ]));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Where moves go"), "{stdout}");
    assert!(
        stdout.contains(
            "a crisis stays on foster (a new placement there) 60 %, goes to institution 40 %"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("institution: a move down goes to kinship 25 %, home_based 75 %"),
        "{stdout}"
    );
}

#[test]
fn check_describes_places_in_words_and_warns_when_the_start_exceeds_them() {
    let file = scenario("foster-shortage.toml");
    let output = run_ok(trappe().arg("check").arg(&file));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("20 foster places; when full, children who need one go to the next rung with room (institution) and wait"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("warning"),
        "the start state fits\n{stdout}"
    );
    let output = run_ok(
        trappe()
            .arg("check")
            .arg(&file)
            .args(["--set", "initial.foster=36"]),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("warning: the start state has 36 cases on foster, more than its 20 places"),
        "{stdout}"
    );
    let output = run_ok(trappe().arg("check").arg(scenario("herning-baseline.toml")));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains("Places:"),
        "no capacity, no words\n{stdout}"
    );
}
