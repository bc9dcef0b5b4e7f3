//! A seeded fuzz test: mutations of the shipped scenarios (hostile
//! numbers, wrong types, lost or doubled lines, stray bytes, cut files,
//! stray tables and changes) are run through `trappe run`. Every outcome
//! must be exit 0 (results whole and finite) or exit 2 (nothing written);
//! never a panic, another exit code or a hang (a time limit per case).
//!
//! `TRAPPE_FUZZ_CASES` (default 300) and `TRAPPE_FUZZ_SEED` (default 1)
//! choose the cases; a longer run for maintainers is in the README
//! ("Robustness"). A failing case is saved and its path printed, so it can
//! be rerun by hand.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::TempDir;

use crate::{describe_output, scenario, trappe};

/// SplitMix64: a tiny, fixed generator, so a seed names the same cases on
/// every machine and version.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Values a hostile or careless user might write where a number goes.
const NUMBERS: [&str; 24] = [
    "0",
    "-1",
    "1e-300",
    "1e308",
    "-1e308",
    "1e15",
    "1e7",
    "nan",
    "inf",
    "-inf",
    "18446744073709551615",
    "9223372036854775807",
    "-9223372036854775808",
    "0.5",
    "2",
    "365",
    "0.0001",
    "1_000_000",
    "4294967296",
    "0x10",
    "1e-7",
    "52",
    "100000",
    "3.5",
];

/// Values of the wrong kind.
const OTHERS: [&str; 10] = [
    "\"text\"",
    "true",
    "[]",
    "[1, 2]",
    "{}",
    "{ x = 1 }",
    "2014-01-01",
    "\"\"",
    "1979-05-27T07:32:00Z",
    "[[1]]",
];

/// Lines that add structure.
const LINES: [&str; 10] = [
    "[scenario]",
    "[[steps]]",
    "id = \"extra\"",
    "[workforce]",
    "caseworkers = 0",
    "[[changes]]",
    "at_years = 0.5",
    "set = { \"workforce.caseworkers\" = 1 }",
    "extends = \"herning-baseline.toml\"",
    "extends = \"fuzz.toml\"",
];

/// Paths a `[[changes]]` entry or `--set` may name.
const PATHS: [&str; 8] = [
    "workforce.caseworkers",
    "intake.referrals_per_year",
    "steps.prevention.follow_up.every_weeks",
    "steps.foster.latent.crisis",
    "costs.fixed_per_year",
    "scenario.seed",
    "steps.institution.max_years",
    "nothing.here",
];

/// One mutation of `text`.
fn mutate(text: &str, rng: &mut Mix) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len().max(1);
    match rng.below(10) {
        // A number becomes a hostile number.
        0 | 1 => {
            for _ in 0..n {
                let i = rng.below(n);
                if let Some(eq) = lines[i].find("= ")
                    && lines[i][eq + 2..].starts_with(|c: char| c.is_ascii_digit())
                {
                    let end = lines[i][eq + 2..]
                        .find(|c: char| c.is_whitespace() || c == ',' || c == '}')
                        .map_or(lines[i].len(), |e| eq + 2 + e);
                    let value = rng.pick(&NUMBERS);
                    lines[i].replace_range(eq + 2..end, value);
                    break;
                }
            }
        }
        // A value becomes one of the wrong kind (or a very long string).
        2 => {
            let i = rng.below(n);
            if let Some(eq) = lines[i].find("= ") {
                let value = if rng.below(4) == 0 {
                    format!("\"{}\"", "w".repeat(100_000))
                } else {
                    rng.pick(&OTHERS).to_string()
                };
                lines[i].replace_range(eq + 2.., &value);
            }
        }
        3 => {
            lines.remove(rng.below(n).min(lines.len().saturating_sub(1)));
        }
        4 => {
            let i = rng.below(n);
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        5 => {
            let (i, j) = (rng.below(n), rng.below(n));
            lines.swap(i, j);
        }
        6 => {
            let i = rng.below(n + 1).min(lines.len());
            lines.insert(i, rng.pick(&LINES).to_string());
        }
        7 => {
            lines.push(format!(
                "[[changes]]\nat_years = {}\nset = {{ \"{}\" = {} }}",
                rng.pick(&["0.5", "1.0", "0", "1e9", "-1"]),
                rng.pick(&PATHS),
                if rng.below(2) == 0 {
                    rng.pick(&NUMBERS)
                } else {
                    rng.pick(&OTHERS)
                }
            ));
        }
        // A key misspelt.
        8 => {
            let i = rng.below(n);
            if let Some(eq) = lines[i].find(" =") {
                lines[i].insert(eq, 'x');
            }
        }
        // Bytes: cut the file, or put a stray byte in it (invalid UTF-8 too).
        _ => {
            let mut bytes = lines.join("\n").into_bytes();
            let at = rng.below(bytes.len() + 1);
            if rng.below(2) == 0 {
                bytes.truncate(at);
            } else {
                let stray = [0xFF, 0xC3, b'"', b'[', b'=', b'\n', 0][rng.below(7)];
                bytes.insert(at, stray);
            }
            return String::from_utf8_lossy(&bytes).into_owned()
                + if rng.below(3) == 0 { "\u{FFFD}" } else { "" };
        }
    }
    lines.join("\n") + "\n"
}

/// One fuzz case: a scenario folder with the (mutated) file and what it
/// extends, and the file to run.
fn case(dir: &Path, rng: &mut Mix) -> PathBuf {
    let shipped = [
        "minimal.toml",
        "herning-baseline.toml",
        "herning-sverigesmodel.toml",
        "large-municipality.toml",
    ];
    let name = shipped[rng.below(shipped.len())];
    // Every shipped file beside it, so `extends` finds its base.
    for other in shipped {
        std::fs::copy(scenario(other), dir.join(other)).unwrap();
    }
    let mut text = std::fs::read_to_string(scenario(name)).unwrap();
    for _ in 0..=rng.below(3) {
        text = mutate(&text, rng);
    }
    let path = dir.join("fuzz.toml");
    std::fs::write(&path, text.as_bytes()).unwrap();
    // Sometimes the base of an `extends` is the mutated one.
    if name == "herning-sverigesmodel.toml" && rng.below(2) == 0 {
        let base = std::fs::read_to_string(scenario("herning-baseline.toml")).unwrap();
        std::fs::write(dir.join("herning-baseline.toml"), mutate(&base, rng)).unwrap();
    }
    path
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_scenarios_finish_or_are_refused() {
    let cases = env_number("TRAPPE_FUZZ_CASES", 300);
    let seed = env_number("TRAPPE_FUZZ_SEED", 1);
    let mut rng = Mix(seed);
    let (mut ran, mut refused) = (0, 0);
    for k in 0..cases {
        let dir = TempDir::new().unwrap();
        let file = case(dir.path(), &mut rng);
        let out = dir.path().join("out");
        let output = trappe()
            .arg("run")
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .args(["--replications", "1", "--no-plots", "-q", "--threads", "1"])
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let keep = || {
            let kept = std::env::temp_dir().join(format!("trappe-fuzz-{seed}-{k}"));
            let _ = std::fs::remove_dir_all(&kept);
            std::fs::create_dir_all(&kept).unwrap();
            for entry in std::fs::read_dir(dir.path()).unwrap() {
                let entry = entry.unwrap();
                if entry.path().is_file() {
                    std::fs::copy(entry.path(), kept.join(entry.file_name())).unwrap();
                }
            }
            kept.join("fuzz.toml").display().to_string()
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {
                ran += 1;
                let summary = std::fs::read_to_string(out.join("summary.csv"))
                    .unwrap_or_else(|e| panic!("case {k} ({}): no summary.csv: {e}", keep()));
                let lower = summary.to_lowercase();
                assert!(
                    !lower.contains("inf") && !lower.contains("nan"),
                    "case {k} ({}): a non-finite number in summary.csv",
                    keep()
                );
            }
            Some(2) => {
                refused += 1;
                let left: Vec<_> = std::fs::read_dir(dir.path())
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.ends_with(".toml"))
                    .collect();
                assert!(
                    left.is_empty() && !stderr.contains("panicked"),
                    "case {k} ({}): exit 2 wrote {left:?}\n{stderr}",
                    keep()
                );
            }
            _ => panic!(
                "case {k} ({}): neither finished nor refused\n{}",
                keep(),
                describe_output(&output)
            ),
        }
    }
    // Both outcomes occur, or the mutations test nothing.
    assert!(ran > 0 && refused > 0, "ran {ran}, refused {refused}");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("fuzz: {cases} cases (seed {seed}): {ran} ran, {refused} refused\n").as_bytes(),
    );
}
