//! England's SSDA903 return (children looked after), read into the same
//! episodes as the generic format, so a local authority needs no hand
//! conversion.
//!
//! * The episodes file: `CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER,
//!   DEC, REC, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN`, dates written
//!   dd/mm/yyyy. `CHILD, DECOM, RNE, PLACE, DEC, REC` are required; the
//!   others are allowed and not used.
//! * The header file: `CHILD, SEX, DOB` (more columns allowed): the birth
//!   dates.
//!
//! What is done to the rows, and why:
//! * Returns are yearly and an episode open across 31 March appears in two
//!   years' files: rows with the same `CHILD` and `DECOM` are one episode;
//!   the row with an end date (`DEC`) wins, else the later row.
//! * A new episode that changes only the legal status (`RNE` = `L`) on the
//!   same `PLACE` is not a move: it extends the episode before it.
//! * `REC` = `X1` (episode ceases, a new one begins) or empty: the end
//!   reason is derived like the generic format's. Any other `REC` (the
//!   `E…` codes: left care) closes the case, or ages the child out when
//!   `DEC` is the birthday at the exit age.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::episodes::{Cell, EndReason, EpisodeCells, RawEpisode, date_cell};
use super::history::birthday;
use crate::input::{LocatedProblem, Table};

/// Required columns of the SSDA903 episodes file.
pub const EPISODE_COLUMNS: [&str; 6] = ["CHILD", "DECOM", "RNE", "PLACE", "DEC", "REC"];
/// Required columns of the SSDA903 header file.
pub const HEADER_COLUMNS: [&str; 3] = ["CHILD", "SEX", "DOB"];

/// The date format of SSDA903 files, as strftime and as shown to users.
const FORMAT: (&str, &str) = ("%d/%m/%Y", "dd/mm/yyyy");

/// Read an SSDA903 episodes table with its header table into raw
/// episodes; every cell problem goes to `problems`.
pub fn read(
    episodes: &Table,
    header: &Table,
    exit_age: f64,
    problems: &mut Vec<LocatedProblem>,
) -> Vec<RawEpisode> {
    let births = read_header(header, problems);
    let found = episodes.columns(&EPISODE_COLUMNS, &[], true, problems);
    let Some(c) = found.iter().copied().collect::<Option<Vec<usize>>>() else {
        return Vec::new();
    };
    let (child, decom, rne, place, dec, rec) = (c[0], c[1], c[2], c[3], c[4], c[5]);
    let date = |r: usize, col: usize, problems: &mut Vec<LocatedProblem>| {
        let text = &episodes.rows[r].cells[col];
        if text.is_empty() {
            return None;
        }
        date_cell(
            text,
            FORMAT.0,
            FORMAT.1,
            || Cell::of(episodes, r, col),
            problems,
        )
    };
    // (child, DECOM) → index into `rows` of the row kept.
    let mut kept: HashMap<(String, NaiveDate), usize> = HashMap::new();
    let mut rows: Vec<(usize, RawEpisode, String)> = Vec::new();
    for (r, row) in episodes.rows.iter().enumerate() {
        for col in [child, place] {
            if row.cells[col].is_empty() {
                problems.push(episodes.at(r, col, "is empty"));
            }
        }
        if row.cells[decom].is_empty() {
            problems.push(episodes.at(r, decom, "is empty; a date (dd/mm/yyyy) is required"));
        }
        let start = date(r, decom, problems);
        let end = date(r, dec, problems);
        let id = row.cells[child].clone();
        let (birth, birth_cell) = match births.get(&id) {
            Some((b, cell)) => (Some(*b), cell.clone()),
            None => {
                if !id.is_empty() {
                    problems.push(episodes.at(
                        r,
                        child,
                        format!("child {id} has no row in the header file {}", header.name()),
                    ));
                }
                (None, Cell::of(episodes, r, child))
            }
        };
        let code = row.cells[rec].as_str();
        let reason = match (end, birth) {
            (Some(_), _) if code.is_empty() || code == "X1" => None,
            (Some(d), Some(b)) if d == birthday(b, exit_age) => Some(EndReason::AgedOut),
            (Some(_), _) => Some(EndReason::Closed),
            (None, _) => None,
        };
        let episode = RawEpisode {
            child: id.clone(),
            birth,
            code: row.cells[place].clone(),
            start,
            end,
            reason,
            at: EpisodeCells {
                child: Cell::of(episodes, r, child),
                birth: birth_cell,
                place: Cell::of(episodes, r, place),
                start: Cell::of(episodes, r, decom),
                end: Cell::of(episodes, r, dec),
                reason: Cell::of(episodes, r, rec),
            },
        };
        let rne_code = row.cells[rne].clone();
        match start.and_then(|s| kept.get(&(id.clone(), s)).copied()) {
            // The same episode in a later year's return: keep the row with
            // an end date, else the later row.
            Some(k) => {
                if episode.end.is_some() || rows[k].1.end.is_none() {
                    rows[k] = (r, episode, rne_code);
                }
            }
            None => {
                if let Some(s) = start {
                    kept.insert((id, s), rows.len());
                }
                rows.push((r, episode, rne_code));
            }
        }
    }
    merge_legal_status_changes(rows)
}

/// Join an episode that changed only the legal status (`RNE` = `L`, same
/// place, starting the day the one before ended) to the one before.
fn merge_legal_status_changes(mut rows: Vec<(usize, RawEpisode, String)>) -> Vec<RawEpisode> {
    rows.sort_by(|a, b| (&a.1.child, a.1.start, a.0).cmp(&(&b.1.child, b.1.start, b.0)));
    let mut out: Vec<RawEpisode> = Vec::with_capacity(rows.len());
    for (_, episode, rne) in rows {
        if let Some(before) = out.last_mut()
            && rne == "L"
            && before.child == episode.child
            && before.code == episode.code
            && before.end.is_some()
            && before.end == episode.start
        {
            before.end = episode.end;
            before.reason = episode.reason;
            before.at.end = episode.at.end;
            before.at.reason = episode.at.reason;
            continue;
        }
        out.push(episode);
    }
    out
}

/// The header file's birth dates by child, with the cell of each.
fn read_header(
    header: &Table,
    problems: &mut Vec<LocatedProblem>,
) -> HashMap<String, (NaiveDate, Cell)> {
    let found = header.columns(&HEADER_COLUMNS, &[], true, problems);
    let mut births: HashMap<String, (NaiveDate, Cell)> = HashMap::new();
    let (Some(child), Some(dob)) = (found[0], found[2]) else {
        return births;
    };
    for (r, row) in header.rows.iter().enumerate() {
        let id = &row.cells[child];
        if id.is_empty() {
            problems.push(header.at(r, child, "is empty"));
            continue;
        }
        if row.cells[dob].is_empty() {
            problems.push(header.at(r, dob, "is empty; a date (dd/mm/yyyy) is required"));
            continue;
        }
        let Some(birth) = date_cell(
            &row.cells[dob],
            FORMAT.0,
            FORMAT.1,
            || Cell::of(header, r, dob),
            problems,
        ) else {
            continue;
        };
        match births.get(id) {
            Some((other, cell)) if *other != birth => problems.push(header.at(
                r,
                dob,
                format!(
                    "child {id}: the birth date {birth} differs from {other} at {}",
                    cell.location
                ),
            )),
            Some(_) => {}
            None => {
                births.insert(id.clone(), (birth, Cell::of(header, r, dob)));
            }
        }
    }
    births
}
