//! `trappe fit` on case records: every malformed record is refused with
//! exit code 2, its file, line, column and what is wrong, and nothing
//! written; SSDA903 and generic files give the same estimates; open spells
//! are censored at the extract date; and on large synthetic records drawn
//! from a known continuous-time process the estimates match the known
//! values within their sampling error.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Days, NaiveDate};
use tempfile::TempDir;

use crate::common::run_bad;
use crate::{Csv, run_ok, scenario, trappe};

/// The codes of the test records: the rung ids of the shipped Herning
/// ladder, plus assessment.
const CODES: &str = "A = \"assessment\"\nP = \"prevention\"\nH = \"home_based\"\n\
                     K = \"kinship\"\nF = \"foster\"\nI = \"institution\"\n";

/// A valid generic file; each bad case changes one thing.
const GOOD: &str = "child_id,birth_date,place,start,end,end_reason
c1,2010-05-01,A,2020-01-01,2020-02-01,
c1,2010-05-01,P,2020-02-01,2021-01-01,
c1,2010-05-01,F,2021-01-01,,
c2,2005-03-01,A,2020-06-01,2020-07-01,
c3,2004-02-01,I,2019-01-01,2022-02-01,
";

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A folder with `codes.toml` and `files`.
fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("codes.toml"), CODES).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// `trappe fit FILE --codes codes.toml --policy herning --extract-date
/// 2023-01-01 --out out --no-fit` in `dir`, plus `extra` (what the
/// records show; fitting by simulation is tested in tests/records).
fn fit(dir: &Path, file: &str, extra: &[&str]) -> assert_cmd::Command {
    fit_with(dir, file, Path::new("codes.toml"), extra)
}

/// [`fit`] with another codes file.
fn fit_with(dir: &Path, file: &str, codes: &Path, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = trappe();
    cmd.current_dir(dir)
        .args(["fit", file, "--codes"])
        .arg(codes)
        .arg("--policy")
        .arg(scenario("herning-baseline.toml"))
        .args(["--extract-date", "2023-01-01", "--out", "out", "--no-fit"])
        .args(extra);
    cmd
}

/// Fit `text` as episodes.csv and require exit 2 with every `expected`
/// text in stderr, and no output folder.
fn refused(text: &str, expected: &[&str]) {
    let dir = folder(&[("episodes.csv", text)]);
    let stderr = run_bad(&mut fit(dir.path(), "episodes.csv", &[]));
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(!dir.path().join("out").exists(), "nothing may be written");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_good_records_are_read() {
    let dir = folder(&[("episodes.csv", GOOD)]);
    let out = run_ok(&mut fit(dir.path(), "episodes.csv", &[]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3 children, 5 spells"), "{stdout}");
    assert!(
        stdout.contains("Results in out (observed.csv, open-cases.csv)"),
        "{stdout}"
    );
    let open = std::fs::read_to_string(dir.path().join("out/open-cases.csv")).unwrap();
    // c1 is on foster from 2021-01-01, born 2010-05-01: on 2023-01-01 aged
    // 4628 / 365.25 and 730 days on the place.
    assert_eq!(open, "place,age,years_on_place\nfoster,12.6707,1.9986\n");
}

#[test]
fn every_bad_row_is_reported_at_its_cell_in_one_pass() {
    let bad = "child_id,birth_date,place,start,end,end_reason
c1,2010-05-01,A,2020-01-01,2020-02-01,
c1,2010-05-01,Q,2020-01-15,2021-01-01,
c1,2010-05-01,F,2021-01-01,2020-12-01,
c2,2005-13-01,A,2020-06-01,2020-07-01,
c3,2004-02-01,I,2019-01-01,2024-02-01,gone
c4,2004-02-01,I,2023-02-01,,
c5,2004-02-01,I,2019-01-01,2020-01-01,moved
";
    refused(
        bad,
        &[
            "episodes.csv: 8 problems",
            // overlapping spells: at the later spell's start, naming the other
            "episodes.csv:3:17: start: child c1: this spell (from 2020-01-15) overlaps the spell at episodes.csv:2:17",
            // unknown code
            "episodes.csv:3:15: place: unknown place code \"Q\"",
            // end before start
            "episodes.csv:4:28: end: the spell ends (2020-12-01) before it starts (2021-01-01)",
            // a bad date
            "episodes.csv:5:4: birth_date: \"2005-13-01\" is not a date written YYYY-MM-DD",
            // an unknown end reason, and a date after the extract date
            "episodes.csv:6:39: end_reason: \"gone\" is not an end reason",
            "episodes.csv:6:28: end: the end 2024-02-01 is after the extract date 2023-01-01",
            "episodes.csv:7:17: start: the start 2023-02-01 is after the extract date",
            // moved, but no spell follows
            "episodes.csv:8:39: end_reason: child c5: the end reason is moved, but no spell of this child starts on 2020-01-01",
        ],
    );
}

#[test]
fn missing_and_unknown_columns_are_named() {
    refused(
        "child_id,birth,place,start,end\nc1,2010-05-01,A,2020-01-01,\n",
        &[
            "episodes.csv:1:1: unknown column \"birth\"",
            "episodes.csv:1:1: missing column birth_date",
        ],
    );
    refused(
        "child_id,birth_date,place,start,end\nc1,2010-05-01,A,2020-01-01\n",
        &["episodes.csv:2:1: the row has 4 cells, the header has 5 columns"],
    );
    refused("", &["a header row is required"]);
}

#[test]
fn problems_in_every_file_are_reported_together() {
    let dir = folder(&[
        (
            "episodes.csv",
            "child_id,birth_date,place,start,end\nc1,2010-05-01,A,2020-01-01,2020-13-01\n",
        ),
        ("bad-codes.toml", "A = \"assessment\"\nX = \"orphanage\"\n"),
        (
            "follow_ups.csv",
            "child_id,date\nc9,2020-01-05\nc1,2024-01-01\n",
        ),
    ]);
    let mut cmd = fit_with(
        dir.path(),
        "episodes.csv",
        Path::new("bad-codes.toml"),
        &["--follow-ups", "follow_ups.csv"],
    );
    let stderr = run_bad(&mut cmd);
    for e in [
        "bad-codes.toml:2:5: X: unknown place \"orphanage\"",
        "episodes.csv:2:28: end: \"2020-13-01\" is not a date",
        "follow_ups.csv:2:1: child_id: child c9 has no spell in the episodes file",
        "follow_ups.csv:3:4: date: the follow-up 2024-01-01 is after the extract date",
    ] {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_shipped_code_lists_map_onto_the_shipped_ladder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("codes");
    for (file, codes) in [
        ("dst-anbringelsessted.toml", ["1", "21", "7", "6"]),
        ("ssda903-place.toml", ["U1", "U4", "K2", "H5"]),
    ] {
        let places = ["kinship", "foster", "institution", "home_based"];
        let mut text = String::from("child_id,birth_date,place,start,end\n");
        for (i, code) in codes.iter().enumerate() {
            text.push_str(&format!("c{i},2010-01-01,{code},2020-01-01,\n"));
        }
        let dir = folder(&[("episodes.csv", &text)]);
        run_ok(&mut fit_with(
            dir.path(),
            "episodes.csv",
            &root.join(file),
            &[],
        ));
        let open = Csv::read(&dir.path().join("out/open-cases.csv"));
        let mut found: Vec<String> = open.rows.iter().map(|r| r[0].clone()).collect();
        let mut want: Vec<String> = places.iter().map(|s| s.to_string()).collect();
        found.sort();
        want.sort();
        assert_eq!(found, want, "{file}");
    }
}

/// The SSDA903 form of [`GOOD`] (without its assessment spells, which
/// SSDA903 does not hold), with a row repeated by the next year's return
/// and a legal-status-only change on the same placement.
const SSDA903_EPISODES: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
c1,01/02/2020,S,C2,N1,U4,PR1,01/06/2020,X1,,,,
c1,01/06/2020,L,C1,N1,U4,PR1,01/01/2021,X1,,,,
c1,01/01/2021,P,C2,N1,K2,PR1,,,CHANGE,,,
c3,01/01/2019,S,C2,N1,K2,PR1,,,,,,
c3,01/01/2019,S,C2,N1,K2,PR1,01/02/2022,E4A,,,,
";
const SSDA903_HEADER: &str = "CHILD,SEX,DOB\nc1,1,01/05/2010\nc3,2,01/02/2004\n";
const SSDA903_AS_GENERIC: &str = "child_id,birth_date,place,start,end
c1,2010-05-01,F,2020-02-01,2021-01-01
c1,2010-05-01,I,2021-01-01,
c3,2004-02-01,I,2019-01-01,2022-02-01
";
const SSDA903_CODES: &str = "U4 = \"foster\"\nK2 = \"institution\"\n";

#[test]
fn ssda903_gives_the_same_estimates_as_the_generic_format() {
    let dir = folder(&[
        ("episodes.csv", SSDA903_EPISODES),
        ("header.csv", SSDA903_HEADER),
        ("generic.csv", SSDA903_AS_GENERIC),
        ("codes903.toml", SSDA903_CODES),
        (
            "reviews.csv",
            "CHILD,DOB,REVIEW,REVIEW_CODE\nc1,01/05/2010,01/04/2020,PN1\nc1,01/05/2010,01/07/2020,PN1\n",
        ),
        (
            "follow_ups.csv",
            "child_id,date\nc1,2020-04-01\nc1,2020-07-01\n",
        ),
    ]);
    let ssda903 = [
        "--format",
        "ssda903",
        "--header",
        "header.csv",
        "--age-bands",
        "6,12,15",
        "--follow-ups",
        "reviews.csv",
        "--from",
        "2019-01-01",
    ];
    run_ok(&mut fit_with(
        dir.path(),
        "episodes.csv",
        Path::new("codes903.toml"),
        &ssda903,
    ));
    std::fs::rename(dir.path().join("out"), dir.path().join("ssda")).unwrap();
    let generic = [
        "--age-bands",
        "6,12,15",
        "--follow-ups",
        "follow_ups.csv",
        "--from",
        "2019-01-01",
    ];
    run_ok(&mut fit(dir.path(), "generic.csv", &generic));
    for name in ["observed.csv", "open-cases.csv"] {
        let ssda = std::fs::read_to_string(dir.path().join("ssda").join(name)).unwrap();
        let generic = std::fs::read_to_string(dir.path().join("out").join(name)).unwrap();
        assert_eq!(ssda, generic, "{name}");
    }
    // The aged-out SSDA903 episode (E4A on the 18th birthday) ages out.
    let observed = std::fs::read_to_string(dir.path().join("ssda/observed.csv")).unwrap();
    assert!(
        observed.contains("intensity,institution,15-18,aged_out,1,"),
        "{observed}"
    );
    // The reviews are the follow-ups: 13 weeks apart on foster care.
    assert!(
        observed.contains("follow_up_weeks,foster,all,,1,1,13,"),
        "{observed}"
    );
}

#[test]
fn ssda903_mistakes_are_located_in_their_own_file() {
    let episodes = "CHILD,DECOM,RNE,PLACE,DEC,REC\nc1,2020-02-01,S,U4,,\nc2,01/02/2020,S,U4,,\n";
    let header = "CHILD,DOB\nc1,01/05/2010\n";
    let dir = folder(&[
        ("e.csv", episodes),
        ("h.csv", header),
        ("codes903.toml", SSDA903_CODES),
    ]);
    let codes = Path::new("codes903.toml");
    let mut cmd = fit_with(
        dir.path(),
        "e.csv",
        codes,
        &["--format", "ssda903", "--header", "h.csv"],
    );
    let stderr = run_bad(&mut cmd);
    for e in [
        "h.csv:1:1: missing column SEX",
        "e.csv:2:4: DECOM: \"2020-02-01\" is not a date written dd/mm/yyyy",
        "e.csv:3:1: CHILD: child c2 has no row in the header file h.csv",
    ] {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    let mut no_header = fit_with(dir.path(), "e.csv", codes, &["--format", "ssda903"]);
    assert!(run_bad(&mut no_header).contains("--format ssda903 needs --header"));
}

#[test]
fn open_spells_are_censored_at_the_extract_date() {
    // One child on foster care from 2020-01-01, still there when the
    // records were taken on 2023-01-01: three years at risk, nothing
    // ended. A second child leaves after one year.
    let text = "child_id,birth_date,place,start,end
a,2010-01-01,F,2020-01-01,
b,2010-01-01,F,2020-01-01,2021-01-01
";
    let dir = folder(&[("episodes.csv", text)]);
    // The window from the first start (the default would begin at the
    // first end, 2021-01-01).
    run_ok(&mut fit(
        dir.path(),
        "episodes.csv",
        &["--from", "2020-01-01"],
    ));
    let observed = Csv::read(&dir.path().join("out/observed.csv"));
    let row = observed
        .maps()
        .into_iter()
        .find(|r| r["quantity"] == "intensity" && r["place"] == "foster")
        .expect("a foster intensity");
    assert_eq!(row["destination"], "closed");
    assert_eq!(row["count"], "1");
    let exposure: f64 = row["base"].parse().unwrap();
    let days = (date("2023-01-01") - date("2020-01-01")).num_days()
        + (date("2021-01-01") - date("2020-01-01")).num_days();
    assert!((exposure - days as f64 / 365.25).abs() < 1e-9, "{exposure}");
    // With --to earlier, the open spell is censored there instead.
    let mut cmd = fit(
        dir.path(),
        "episodes.csv",
        &["--from", "2020-01-01", "--to", "2022-01-01"],
    );
    run_ok(&mut cmd);
    let observed = Csv::read(&dir.path().join("out/observed.csv"));
    let row = observed
        .maps()
        .into_iter()
        .find(|r| r["quantity"] == "intensity" && r["place"] == "foster")
        .unwrap();
    let days = (date("2022-01-01") - date("2020-01-01")).num_days() + 366;
    let exposure: f64 = row["base"].parse().unwrap();
    assert!((exposure - days as f64 / 365.25).abs() < 1e-9, "{exposure}");
}

/// splitmix64: a seeded stream for the synthetic records (the test's own,
/// so that no library change can alter them).
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
    fn exp(&mut self, rate: f64) -> f64 {
        -(1.0 - self.next()).ln() / rate
    }
    fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut u = self.next() * total;
        for (i, w) in weights.iter().enumerate() {
            if u < *w {
                return i;
            }
            u -= w;
        }
        weights.len() - 1
    }
}

/// The known process: referrals, age weights, entry by band, and
/// constant hazards per place and destination.
const REFERRALS: f64 = 400.0;
const BANDS: [f64; 5] = [0.0, 6.0, 12.0, 15.0, 18.0];
const AGE_WEIGHTS: [f64; 4] = [0.2, 0.3, 0.3, 0.2];
/// Entry after assessment per band: none, prevention, foster.
const ENTRY: [[f64; 3]; 4] = [
    [0.5, 0.4, 0.1],
    [0.4, 0.4, 0.2],
    [0.3, 0.4, 0.3],
    [0.3, 0.3, 0.4],
];
/// Hazards (per year) out of assessment, prevention and foster, by
/// destination: (code or "closed", rate).
const ASSESSMENT_RATE: f64 = 12.0;
const OUT_OF_PREVENTION: [(&str, f64); 2] = [("F", 0.3), ("closed", 0.5)];
const OUT_OF_FOSTER: [(&str, f64); 2] = [("P", 0.4), ("closed", 0.2)];

/// Day `years` after `origin` (365.25 days a year, rounded to the day).
fn day(origin: NaiveDate, years: f64) -> NaiveDate {
    origin + Days::new((years * 365.25).round() as u64)
}

/// Large synthetic records over 10 years, drawn from the known process;
/// also the open cases at the extract date as (place, age,
/// years_on_place).
fn synthetic(origin: NaiveDate, years: f64) -> (String, Vec<(String, f64, f64)>) {
    let mut s = Stream(20_261_202);
    let mut text = String::from("child_id,birth_date,place,start,end\n");
    let mut open = Vec::new();
    let extract = day(origin, years);
    let mut t = 0.0;
    let mut child = 0;
    loop {
        t += s.exp(REFERRALS);
        if t >= years {
            break;
        }
        child += 1;
        let band = s.pick(&AGE_WEIGHTS);
        let age = BANDS[band] + s.next() * (BANDS[band + 1].min(17.5) - BANDS[band]);
        let start = day(origin, t);
        // The birth date, to the day; ages are then read from days.
        let birth = start - Days::new((age * 365.25).round() as u64);
        let exit = birth
            .checked_add_months(chrono::Months::new(18 * 12))
            .unwrap();
        let mut place = "A";
        let mut from = start;
        loop {
            let (next, leave): (&str, f64) = match place {
                "A" => ("entry", s.exp(ASSESSMENT_RATE)),
                _ => {
                    let table = if place == "P" {
                        OUT_OF_PREVENTION
                    } else {
                        OUT_OF_FOSTER
                    };
                    let total: f64 = table.iter().map(|(_, r)| r).sum();
                    let w = s.exp(total);
                    let k = s.pick(&table.iter().map(|(_, r)| *r).collect::<Vec<_>>());
                    (table[k].0, w)
                }
            };
            let mut until = day(from, leave);
            let ends_by_age = until >= exit;
            if ends_by_age {
                until = exit;
            }
            if until >= extract {
                text.push_str(&format!("c{child},{birth},{place},{from},\n"));
                if extract < exit {
                    let age = (extract - birth).num_days() as f64 / 365.25;
                    let on = (extract - from).num_days() as f64 / 365.25;
                    let name = match place {
                        "A" => "assessment",
                        "P" => "prevention",
                        _ => "foster",
                    };
                    open.push((name.to_string(), age, on));
                }
                break;
            }
            text.push_str(&format!("c{child},{birth},{place},{from},{until}\n"));
            if ends_by_age {
                break;
            }
            let next = if next == "entry" {
                let at = (until - birth).num_days() as f64 / 365.25;
                let b = BANDS[1..4].iter().take_while(|&&c| at >= c).count();
                ["closed", "P", "F"][s.pick(&ENTRY[b])]
            } else {
                next
            };
            if next == "closed" {
                break;
            }
            place = next;
            from = until;
        }
    }
    (text, open)
}

/// Whether `value` is within 4 standard errors of `truth` (a tolerance
/// from the sampling error, not tuned: a 4-SE miss has probability
/// 6 × 10⁻⁵ per quantity).
fn within(what: &str, value: f64, truth: f64, se: f64) {
    assert!(
        (value - truth).abs() <= 4.0 * se,
        "{what}: estimate {value}, known {truth}, 4 SE = {}",
        4.0 * se
    );
}

#[test]
fn estimates_match_a_known_process_within_sampling_error() {
    let origin = date("2014-01-01");
    let years = 10.0;
    let (text, open) = synthetic(origin, years);
    let dir = folder(&[("episodes.csv", &text)]);
    let extract = day(origin, years).to_string();
    let mut cmd = trappe();
    cmd.current_dir(dir.path())
        .args(["fit", "episodes.csv", "--codes", "codes.toml", "--policy"])
        .arg(scenario("herning-baseline.toml"))
        .args([
            "--extract-date",
            &extract,
            "--from",
            "2014-01-01",
            "--out",
            "out",
        ])
        .args(["--age-bands", "6,12,15", "--quiet", "--no-fit"]);
    run_ok(&mut cmd);
    let rows = Csv::read(&dir.path().join("out/observed.csv")).maps();
    let find = |q: &str, place: &str, band: &str, dest: &str| -> BTreeMap<String, String> {
        rows.iter()
            .find(|r| {
                r["quantity"] == q
                    && r["place"] == place
                    && r["age_band"] == band
                    && r["destination"] == dest
            })
            .unwrap_or_else(|| panic!("no row {q} {place} {band} {dest}"))
            .clone()
    };
    let num = |r: &BTreeMap<String, String>, c: &str| -> f64 { r[c].parse().unwrap() };

    // Referrals per year: Poisson, SE = √(λT)/T.
    let r = find("referrals_per_year", "", "all", "");
    let window = num(&r, "base");
    within(
        "referrals",
        num(&r, "value"),
        REFERRALS,
        (REFERRALS * window).sqrt() / window,
    );
    let n = num(&r, "count");

    // Age weights: binomial, SE from the known share.
    let labels = ["0-6", "6-12", "12-15", "15-18"];
    for (b, w) in AGE_WEIGHTS.iter().enumerate() {
        let row = find("age_weight", "", labels[b], "");
        within(
            &format!("age weight {}", labels[b]),
            num(&row, "value"),
            *w,
            (w * (1.0 - w) / n).sqrt(),
        );
    }

    // Entry shares by band (band at the end of assessment).
    for (b, shares) in ENTRY.iter().enumerate() {
        for (k, dest) in ["none", "prevention", "foster"].iter().enumerate() {
            let row = find("entry_share", "", labels[b], dest);
            let m = num(&row, "base");
            let p = shares[k];
            within(
                &format!("entry {dest} {}", labels[b]),
                num(&row, "value"),
                p,
                (p * (1.0 - p) / m).sqrt(),
            );
        }
    }

    // Intensities: every place × band × destination with enough exposure.
    let mut checked = 0;
    for (place, table) in [("prevention", OUT_OF_PREVENTION), ("foster", OUT_OF_FOSTER)] {
        for band in labels {
            for (code, rate) in table {
                let dest = match code {
                    "P" => "prevention",
                    "F" => "foster",
                    other => other,
                };
                let row = find("intensity", place, band, dest);
                let exposure = num(&row, "base");
                assert!(exposure > 100.0, "{place} {band}: {exposure} years");
                within(
                    &format!("{place} → {dest} at {band}"),
                    num(&row, "value"),
                    rate,
                    (rate * exposure).sqrt() / exposure,
                );
                checked += 1;
            }
        }
    }
    let closing = find("intensity", "assessment", "6-12", "closed");
    let to_prevention = find("intensity", "assessment", "6-12", "prevention");
    let total = num(&closing, "value")
        + num(&to_prevention, "value")
        + num(&find("intensity", "assessment", "6-12", "foster"), "value");
    let exposure = num(&closing, "base");
    within(
        "assessment exit rate",
        total,
        ASSESSMENT_RATE,
        (ASSESSMENT_RATE * exposure).sqrt() / exposure,
    );
    assert_eq!(checked, 16);

    // The open cases at the extract date are exactly the simulated ones.
    let listed = Csv::read(&dir.path().join("out/open-cases.csv"));
    assert_eq!(listed.rows.len(), open.len());
    let mut got: Vec<(String, f64, f64)> = listed
        .rows
        .iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap(), r[2].parse().unwrap()))
        .collect();
    let mut want = open;
    let key = |a: &(String, f64, f64)| {
        (
            a.0.clone(),
            (a.1 * 1e4).floor() as i64,
            (a.2 * 1e4).floor() as i64,
        )
    };
    got.sort_by_key(key);
    want.sort_by_key(key);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.0, w.0);
        assert!(
            (g.1 - w.1).abs() < 2e-4 && (g.2 - w.2).abs() < 2e-4,
            "{g:?} vs {w:?}"
        );
    }
}

#[test]
fn the_follow_up_cadence_is_read_off_the_follow_ups() {
    // On foster care from 2020-01-01: first follow-up after 60 days, then
    // every 91 days (13 weeks); one follow-up falls in an earlier spell.
    let episodes = "child_id,birth_date,place,start,end
a,2010-01-01,P,2019-01-01,2020-01-01
a,2010-01-01,F,2020-01-01,
";
    let follow_ups = "child_id,date
a,2019-06-01
a,2020-03-01
a,2020-05-31
a,2020-08-30
a,2020-11-29
";
    let dir = folder(&[("episodes.csv", episodes), ("follow_ups.csv", follow_ups)]);
    run_ok(&mut fit(
        dir.path(),
        "episodes.csv",
        &["--follow-ups", "follow_ups.csv", "--from", "2019-01-01"],
    ));
    let rows = Csv::read(&dir.path().join("out/observed.csv")).maps();
    let get = |q: &str, place: &str| {
        rows.iter()
            .find(|r| r["quantity"] == q && r["place"] == place)
            .unwrap_or_else(|| panic!("no {q} {place}"))
            .clone()
    };
    let between = get("follow_up_weeks", "foster");
    assert_eq!(
        (between["count"].as_str(), between["value"].as_str()),
        ("3", "13")
    );
    let first = get("first_follow_up_weeks", "foster");
    let weeks: f64 = first["value"].parse().unwrap();
    assert!((weeks - 60.0 / 7.0).abs() < 1e-12, "{weeks}");
    assert_eq!(first["unit"], "weeks");
    // The prevention spell's one follow-up is a first, not an interval.
    let first = get("first_follow_up_weeks", "prevention");
    assert_eq!(first["count"], "1");
    assert!(
        !rows
            .iter()
            .any(|r| r["quantity"] == "follow_up_weeks" && r["place"] == "prevention")
    );
}

#[test]
fn a_bad_window_or_bands_is_refused() {
    let dir = folder(&[("episodes.csv", GOOD)]);
    for (args, expected) in [
        (vec!["--to", "2024-01-01"], "after the extract date"),
        (
            vec!["--from", "2022-01-01", "--to", "2021-01-01"],
            "must be before --to",
        ),
        (
            vec!["--age-bands", "6,6"],
            "--age-bands: age band cut points must increase strictly",
        ),
        (vec!["--age-bands", "6,18"], "--age-bands"),
        (
            vec!["--header", "h.csv"],
            "--header is for --format ssda903",
        ),
    ] {
        let stderr = run_bad(&mut fit(dir.path(), "episodes.csv", &args));
        assert!(
            stderr.contains(expected),
            "{args:?}: expected {expected:?} in:\n{stderr}"
        );
        assert!(!dir.path().join("out").exists());
    }
}

#[test]
fn one_problem_per_unknown_code_however_many_rows_use_it() {
    let mut text = String::from("child_id,birth_date,place,start,end\n");
    for i in 0..500 {
        text.push_str(&format!("c{i},2010-01-01,X,2020-01-01,\n"));
    }
    refused(
        &text,
        &[
            "episodes.csv: 1 problem",
            "episodes.csv:2:15: place: unknown place code \"X\": the codes file does not map it (500 rows use it; this is the first)",
        ],
    );
}

#[test]
fn the_default_window_starts_where_the_records_are_complete() {
    // An extract of a system started in 2020: child a, placed in 2010, is
    // there only because its spell was still open then (left truncation).
    // Counting referrals from 2010 would spread four referrals over 13
    // years; the default window begins on the first day anything ends
    // (2020-01-02), and holds the three referrals from then on.
    let text = "child_id,birth_date,place,start,end
a,2008-01-01,I,2010-01-01,
b,2010-01-01,P,2020-01-01,2020-01-02
c,2010-01-01,P,2020-06-01,2020-09-01
d,2010-01-01,P,2021-06-01,2021-09-01
e,2010-01-01,P,2022-06-01,
";
    let dir = folder(&[("episodes.csv", text)]);
    run_ok(&mut fit(dir.path(), "episodes.csv", &[]));
    let observed = Csv::read(&dir.path().join("out/observed.csv"));
    let row = observed
        .maps()
        .into_iter()
        .find(|r| r["quantity"] == "referrals_per_year")
        .expect("a referral rate");
    assert_eq!(row["count"], "3");
    let years = (date("2023-01-01") - date("2020-01-02")).num_days() as f64 / 365.25;
    let value: f64 = row["value"].parse().unwrap();
    assert!((value - 3.0 / years).abs() < 1e-9, "{value}");
}
