//! Scenario variants: the Swedish-model scenario extends the baseline and
//! `trappe check` shows what it resolves to.

use trappe::Scenario;

use crate::{run_ok, scenario, trappe};

#[test]
fn the_swedish_model_is_the_baseline_plus_its_name_and_levers() {
    let text = std::fs::read_to_string(scenario("herning-sverigesmodel.toml")).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    assert_eq!(doc["extends"].as_str(), Some("herning-baseline.toml"));
    let own: Vec<&String> = doc.keys().collect();
    assert_eq!(own, ["extends", "scenario", "changes"], "only what differs");

    let base = Scenario::load(&scenario("herning-baseline.toml"), &[]).unwrap();
    let variant = Scenario::load(&scenario("herning-sverigesmodel.toml"), &[]).unwrap();
    let mut expected = base.file.clone();
    expected.scenario.name = variant.file.scenario.name.clone();
    expected.changes = variant.file.changes.clone();
    assert_eq!(variant.file, expected);
    assert_eq!(variant.file.changes[0].set.len(), 13);
    assert_eq!(
        variant.params, base.params,
        "same parameters until the changes"
    );
}

#[test]
fn check_shows_the_resolved_scenario() {
    let file = scenario("herning-sverigesmodel.toml");
    let output = run_ok(trappe().arg("check").arg(&file).arg("--resolved"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // In Danish: the Herning files set `language = "da"`.
    assert!(stdout.contains("som bygger på"), "{stdout}");
    assert!(stdout.contains("herning-baseline.toml"), "{stdout}");
    let start = stdout
        .find("# Samlet scenarie")
        .expect("resolved TOML printed");
    let end = stdout.rfind("\nOK: ").expect("verdict after the TOML");
    let resolved = &stdout[start..end];
    let table: toml::Table = resolved.parse().expect("the resolved scenario is TOML");
    assert_eq!(table["steps"].as_array().map(Vec::len), Some(5));
    let loaded = Scenario::load(&file, &[]).unwrap();
    assert_eq!(
        resolved.split_once('\n').unwrap().1.trim(),
        loaded.to_toml().trim()
    );
    // Without --resolved: the chain, not the TOML.
    let output = run_ok(trappe().arg("check").arg(&file));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("som bygger på") && !stdout.contains("[[steps]]"));
}
