//! `moves` targets sum transitions as `transitions.csv` records them: on a
//! ladder with destination tables, in every replication, the planned moves
//! up equal `moves_up`, planned and time-limit moves down equal
//! `moves_down`, and crises to a higher rung plus crises to the own rung
//! equal `crises`; moves up (planned + crises to a higher rung) exclude
//! crises to the own rung, which happen.

use tempfile::TempDir;
use trappe::calibrate::{Calibration, replication_value};

const SCENARIO: &str = r#"[scenario]
name = "moves"
start = 2020-01-01
horizon_years = 3.0
warmup_years = 1.0
replications = 40
seed = 5
period = "year"

[[steps]]
id = "prevention"
follow_up = { first_weeks = 13.0, every_weeks = 26.0 }
latent = { improve = 0.6, worsen = 0.3, relapse = 1.0, crisis = 2.0 }
crisis_to = { institution = 1.0 }

[[steps]]
id = "foster"
placement = true
follow_up = { first_weeks = 13.0, every_weeks = 26.0 }
latent = { improve = 0.5, worsen = 0.3, relapse = 1.0, crisis = 2.0 }
crisis_to = { foster = 0.6, institution = 0.4 }

[[steps]]
id = "institution"
placement = true
max_years = 1.0
follow_up = { first_weeks = 13.0, every_weeks = 26.0 }
latent = { improve = 0.8, worsen = 0.3, relapse = 1.0, crisis = 2.0 }
down_to = { prevention = 0.5, foster = 0.5 }

[intake]
referrals_per_year = 60.0
entry = { none = 0.4, prevention = 0.3, foster = 0.2, institution = 0.1 }
"#;

/// Targets: each `moves` filter next to the metric it must equal.
const TARGETS: &str = r#"
[[parameters]]
path = "intake.referrals_per_year"
min = 30.0
max = 90.0

[[targets]]
name = "planned up"
moves = { kind = "up" }
periods = [1, 3]
observed = 1
tolerance = 1

[[targets]]
name = "moves_up"
metric = "moves_up"
periods = [1, 3]
observed = 1
tolerance = 1

[[targets]]
name = "planned down"
moves = { kind = ["down", "time_limit"], direction = "down" }
periods = [1, 3]
observed = 1
tolerance = 1

[[targets]]
name = "moves_down"
metric = "moves_down"
periods = [1, 3]
observed = 1
tolerance = 1

[[targets]]
name = "crises up + own rung"
moves = { kind = "crisis", direction = "up" }
periods = [1, 3]
observed = 1
tolerance = 1

[[targets]]
name = "crises to the own rung"
moves = { kind = "crisis", direction = "same" }
periods = [1, 3]
observed = 1
tolerance = 1

[[targets]]
name = "crises"
metric = "crises"
periods = [1, 3]
observed = 1
tolerance = 1

[[targets]]
name = "moves up as KORA counts them"
moves = { kind = ["up", "crisis"], direction = "up" }
periods = [1, 3]
observed = 1
tolerance = 1
"#;

#[test]
fn moves_targets_sum_the_recorded_transitions() {
    let dir = TempDir::new().unwrap();
    let scenario = dir.path().join("moves.toml");
    std::fs::write(&scenario, SCENARIO).unwrap();
    let targets = dir.path().join("targets.toml");
    std::fs::write(&targets, TARGETS).unwrap();
    let calibration = Calibration::load(&[scenario], &targets).expect("loads");
    let results = calibration
        .simulate(&calibration.start(), None)
        .expect("runs");
    let r = &results[0];
    let t = &calibration.file.targets;
    let (mut up, mut own) = (0.0, 0.0);
    for rep in 0..r.replications() {
        let v: Vec<f64> = t
            .iter()
            .map(|t| replication_value(r, rep, t).unwrap())
            .collect();
        assert_eq!(v[0], v[1], "planned up = moves_up (replication {rep})");
        assert_eq!(
            v[2], v[3],
            "down + time limit = moves_down (replication {rep})"
        );
        assert_eq!(
            v[4] + v[5],
            v[6],
            "crises by direction = crises (replication {rep})"
        );
        assert_eq!(v[7], v[0] + v[4], "KORA's up (replication {rep})");
        up += v[4];
        own += v[5];
    }
    assert!(
        up > 0.0 && own > 0.0,
        "both kinds of crisis happen: {up}, {own}"
    );
}
