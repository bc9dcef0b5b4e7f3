//! What case records show directly, each with its sampling error.
//!
//! * `referrals_per_year`: new cases (a spell that does not continue a
//!   move) starting in the window, per year of window. Poisson: SE =
//!   √n / years.
//! * `age_weight`: the share of those referrals in each age band (age at
//!   the first spell): the scenario's `intake.age_weights`. Binomial SE.
//! * `entry_share`: per age band, where new cases went after assessment:
//!   the place of the spell after an assessment spell (`none` when the
//!   assessment closed the case), or the first place when the records have
//!   no assessment spell. Band at the day of entry. Binomial SE.
//! * `intensity`: per place × age band × destination (a place, `closed`
//!   or `aged_out`), the occurrences divided by the years at risk in the
//!   window. Open spells count as at risk up to the extract date (or the
//!   window's end) and end nothing: censoring handled, which makes this
//!   the maximum-likelihood estimate of a constant hazard. Competing
//!   destinations share the same exposure. SE = √n / exposure; the 95 %
//!   interval is the exact Poisson (Garwood) one.
//! * `follow_up_weeks` / `first_follow_up_weeks` (with a follow-ups file):
//!   per place, the mean weeks between consecutive follow-ups within one
//!   spell, and from the spell's start to its first follow-up. SE = sd/√n.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

use chrono::NaiveDate;

use super::bands::AgeBands;
use super::codes::{Place, Places};
use super::episodes::EndReason;
use super::follow_ups::FollowUp;
use super::history::{History, years_between};
use crate::results::csv::{csv_writer, finish_csv, number};
use crate::results::stats::{poisson95, summarize, t975, wilson95};

/// Header of `observed.csv`.
pub const HEADER: [&str; 11] = [
    "quantity",
    "place",
    "age_band",
    "destination",
    "count",
    "base",
    "value",
    "se",
    "ci95_low",
    "ci95_high",
    "unit",
];

/// The kinds of quantity in `observed.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quantity {
    /// New cases per year.
    ReferralsPerYear,
    /// Share of referrals in an age band.
    AgeWeight,
    /// Share of a band's new cases entering a place.
    EntryShare,
    /// Moves, closures or ageing out per year at risk.
    Intensity,
    /// Mean weeks between follow-ups on a place.
    FollowUpWeeks,
    /// Mean weeks from a spell's start to its first follow-up.
    FirstFollowUpWeeks,
}

impl Quantity {
    /// Its name in `observed.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Quantity::ReferralsPerYear => "referrals_per_year",
            Quantity::AgeWeight => "age_weight",
            Quantity::EntryShare => "entry_share",
            Quantity::Intensity => "intensity",
            Quantity::FollowUpWeeks => "follow_up_weeks",
            Quantity::FirstFollowUpWeeks => "first_follow_up_weeks",
        }
    }

    /// The unit of its value.
    pub fn unit(self) -> &'static str {
        match self {
            Quantity::ReferralsPerYear | Quantity::Intensity => "per year",
            Quantity::AgeWeight | Quantity::EntryShare => "share",
            Quantity::FollowUpWeeks | Quantity::FirstFollowUpWeeks => "weeks",
        }
    }
}

/// One observed quantity: what was counted, over what, the estimate and
/// its sampling error.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// What it is.
    pub quantity: Quantity,
    /// The place it is about (empty where none).
    pub place: String,
    /// The age band (`all` for the whole range).
    pub age_band: String,
    /// Where the move led (intensities, entry shares; empty otherwise).
    pub destination: String,
    /// Events counted (referrals, moves, cases, intervals).
    pub count: usize,
    /// What they are counted over: years (rates), cases (shares) or
    /// intervals (means).
    pub base: f64,
    /// The estimate.
    pub value: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower end of its 95 % interval.
    pub ci95_low: f64,
    /// Upper end of its 95 % interval.
    pub ci95_high: f64,
}

/// The observation window: events on days in `[from, to)` count (an
/// event on `to` itself for intensities, which end at `to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First day.
    pub from: NaiveDate,
    /// Last day (exposure ends here).
    pub to: NaiveDate,
}

impl Window {
    /// Years the window spans.
    pub fn years(&self) -> f64 {
        years_between(self.from, self.to)
    }
}

/// Where a spell led.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Destination {
    Place(Place),
    Closed,
    AgedOut,
}

/// Every observed quantity, in the order `observed.csv` lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// The estimates.
    pub rows: Vec<Estimate>,
    /// Spells that ran past the exit age; the time past it is not counted.
    pub past_exit_age: usize,
}

impl Observed {
    /// Estimate everything the records show in `window`.
    pub fn estimate(
        history: &History,
        follow_ups: Option<&[FollowUp]>,
        places: &Places,
        bands: &AgeBands,
        window: Window,
    ) -> Self {
        let mut rows = Vec::new();
        referrals(history, places, bands, window, &mut rows);
        let past_exit_age = intensities(history, places, bands, window, &mut rows);
        if let Some(f) = follow_ups {
            cadence(history, f, places, window, &mut rows);
        }
        Self {
            rows,
            past_exit_age,
        }
    }

    /// The first estimate of `quantity` (for the terminal summary).
    pub fn first(&self, quantity: Quantity) -> Option<&Estimate> {
        self.rows.iter().find(|r| r.quantity == quantity)
    }

    /// Write `observed.csv`.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut w = csv_writer(path)?;
        w.write_record(HEADER)?;
        for r in &self.rows {
            w.write_record([
                r.quantity.name(),
                &r.place,
                &r.age_band,
                &r.destination,
                &r.count.to_string(),
                &number(r.base),
                &number(r.value),
                &number(r.se),
                &number(r.ci95_low),
                &number(r.ci95_high),
                r.quantity.unit(),
            ])?;
        }
        finish_csv(w)
    }
}

/// A share `k / n` as an estimate (binomial SE, Wilson interval).
fn share(
    quantity: Quantity,
    place: &str,
    band: String,
    destination: &str,
    k: usize,
    n: usize,
) -> Estimate {
    let p = wilson95(k, n);
    let value = k as f64 / n as f64;
    Estimate {
        quantity,
        place: place.into(),
        age_band: band,
        destination: destination.into(),
        count: k,
        base: n as f64,
        value,
        se: (value * (1.0 - value) / n as f64).sqrt(),
        ci95_low: p.ci95_low,
        ci95_high: p.ci95_high,
    }
}

/// A rate `n / exposure` as an estimate (Poisson SE, Garwood interval).
fn rate(
    quantity: Quantity,
    place: &str,
    band: String,
    destination: &str,
    n: usize,
    exposure: f64,
) -> Estimate {
    let (low, high) = poisson95(n, exposure);
    Estimate {
        quantity,
        place: place.into(),
        age_band: band,
        destination: destination.into(),
        count: n,
        base: exposure,
        value: n as f64 / exposure,
        se: (n as f64).sqrt() / exposure,
        ci95_low: low,
        ci95_high: high,
    }
}

/// Referrals per year, their age weights and the entry mix by band.
fn referrals(
    history: &History,
    places: &Places,
    bands: &AgeBands,
    window: Window,
    rows: &mut Vec<Estimate>,
) {
    let inside = |d: NaiveDate| d >= window.from && d < window.to;
    let mut by_band = vec![0usize; bands.len()];
    // band → entry place (None = no measure) → cases.
    let mut entries: Vec<BTreeMap<Option<Place>, usize>> = vec![BTreeMap::new(); bands.len()];
    for e in history.episodes.iter().filter(|e| !e.continues) {
        let age = history.age(e.child, e.start).min(history.exit_age);
        if inside(e.start) && e.start < history.exit_day(e.child) {
            by_band[bands.of(age)] += 1;
        }
        let entry = match e.place {
            Place::Rung(_) => Some((e.start, Some(e.place))),
            Place::Assessment => match (e.end, e.reason) {
                (Some(end), Some(EndReason::Moved)) => {
                    Some((end, e.next.map(|n| history.episodes[n].place)))
                }
                (Some(end), Some(EndReason::Closed)) => Some((end, None)),
                _ => None,
            },
        };
        if let Some((day, place)) = entry {
            let age = history.age(e.child, day).min(history.exit_age);
            if inside(day) && day < history.exit_day(e.child) {
                *entries[bands.of(age)].entry(place).or_default() += 1;
            }
        }
    }
    let n: usize = by_band.iter().sum();
    rows.push(rate(
        Quantity::ReferralsPerYear,
        "",
        "all".into(),
        "",
        n,
        window.years(),
    ));
    if n > 0 {
        for (b, &k) in by_band.iter().enumerate() {
            rows.push(share(Quantity::AgeWeight, "", bands.label(b), "", k, n));
        }
    }
    let seen: BTreeSet<Option<Place>> = entries.iter().flat_map(|m| m.keys().copied()).collect();
    for (b, counts) in entries.iter().enumerate() {
        let total: usize = counts.values().sum();
        if total == 0 {
            continue;
        }
        for place in &seen {
            let name = place.map_or("none", |p| places.name(p));
            let k = counts.get(place).copied().unwrap_or(0);
            rows.push(share(
                Quantity::EntryShare,
                "",
                bands.label(b),
                name,
                k,
                total,
            ));
        }
    }
}

/// Transition intensities per place × band × destination; returns how
/// many spells ran past the exit age.
fn intensities(
    history: &History,
    places: &Places,
    bands: &AgeBands,
    window: Window,
    rows: &mut Vec<Estimate>,
) -> usize {
    let slots = places.rungs.len() + 1;
    let slot = |p: Place| match p {
        Place::Assessment => 0,
        Place::Rung(i) => i + 1,
    };
    let mut exposure = vec![vec![0.0f64; bands.len()]; slots];
    let mut events: BTreeMap<(usize, usize, Destination), usize> = BTreeMap::new();
    let mut destinations: Vec<BTreeSet<Destination>> = vec![BTreeSet::new(); slots];
    let mut past = 0;
    for e in &history.episodes {
        let s = slot(e.place);
        let t0 = e.start.max(window.from);
        let t1 = e.end.unwrap_or(history.extract).min(window.to);
        if t1 > t0 {
            for (b, years) in bands.split(history.age(e.child, t0), history.age(e.child, t1)) {
                exposure[s][b] += years;
            }
        }
        let exit_day = history.exit_day(e.child);
        if e.end.unwrap_or(history.extract) > exit_day {
            past += 1;
        }
        let (Some(end), Some(reason)) = (e.end, e.reason) else {
            continue;
        };
        if end <= window.from || end > window.to || end > exit_day {
            continue;
        }
        // Ages are days / 365.25, so the exit birthday may read as a
        // little past the exit age: it belongs to the last band.
        let age = history.age(e.child, end).min(history.exit_age);
        let to = match reason {
            EndReason::Moved => Destination::Place(history.episodes[e.next.expect("a move")].place),
            EndReason::Closed => Destination::Closed,
            EndReason::AgedOut => Destination::AgedOut,
        };
        let band = bands.of((age - 1e-9).max(0.0));
        *events.entry((s, band, to)).or_default() += 1;
        destinations[s].insert(to);
    }
    for place in places.all() {
        let s = slot(place);
        for (b, &years) in exposure[s].iter().enumerate() {
            if years <= 0.0 {
                continue;
            }
            for &to in &destinations[s] {
                let name = match to {
                    Destination::Place(p) => places.name(p),
                    Destination::Closed => "closed",
                    Destination::AgedOut => "aged_out",
                };
                let n = events.get(&(s, b, to)).copied().unwrap_or(0);
                rows.push(rate(
                    Quantity::Intensity,
                    places.name(place),
                    bands.label(b),
                    name,
                    n,
                    years,
                ));
            }
        }
    }
    past
}

/// Follow-up cadence per place: weeks between follow-ups within a spell,
/// and from a spell's start to its first follow-up.
fn cadence(
    history: &History,
    follow_ups: &[FollowUp],
    places: &Places,
    window: Window,
    rows: &mut Vec<Estimate>,
) {
    // Each child's spells: a range of `history.episodes`.
    let mut ranges = vec![(0usize, 0usize); history.children.len()];
    for (i, e) in history.episodes.iter().enumerate() {
        let r = &mut ranges[e.child];
        if r.1 == 0 {
            r.0 = i;
        }
        r.1 = i + 1;
    }
    let mut between: BTreeMap<Place, Vec<f64>> = BTreeMap::new();
    let mut first: BTreeMap<Place, Vec<f64>> = BTreeMap::new();
    let mut last: Option<(usize, NaiveDate)> = None; // (spell, day)
    for f in follow_ups {
        if f.date < window.from || f.date > window.to {
            continue;
        }
        let (lo, hi) = ranges[f.child];
        let spell = (lo..hi).find(|&i| {
            let e = &history.episodes[i];
            e.start <= f.date && f.date <= e.end.unwrap_or(history.extract)
        });
        let Some(spell) = spell else {
            last = None;
            continue;
        };
        let e = &history.episodes[spell];
        let weeks = |a: NaiveDate, b: NaiveDate| (b - a).num_days() as f64 / 7.0;
        match last {
            Some((s, day)) if s == spell => {
                between.entry(e.place).or_default().push(weeks(day, f.date))
            }
            _ if e.start >= window.from => first
                .entry(e.place)
                .or_default()
                .push(weeks(e.start, f.date)),
            _ => {}
        }
        last = Some((spell, f.date));
    }
    for (quantity, table) in [
        (Quantity::FollowUpWeeks, between),
        (Quantity::FirstFollowUpWeeks, first),
    ] {
        for (place, values) in table {
            let n = values.len();
            let s = summarize(&values, if n > 1 { t975(n - 1) } else { 0.0 });
            let se = s.sd / (n as f64).sqrt();
            rows.push(Estimate {
                quantity,
                place: places.name(place).into(),
                age_band: "all".into(),
                destination: String::new(),
                count: n,
                base: n as f64,
                value: s.mean,
                se,
                ci95_low: s.ci95_low,
                ci95_high: s.ci95_high,
            });
        }
    }
}
