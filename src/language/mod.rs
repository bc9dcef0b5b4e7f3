//! The language of everything trappe writes for people: terminal tables,
//! plots and the report, in English or Danish.
//!
//! A [`Language`] is chosen by `scenario.language` or `--lang` (the flag
//! wins). It gives the [`Words`] of that language (every phrase, grouped by
//! where it is shown), its number convention ([`Numbers`]) and its dates.
//! Callers never hold a string of their own: a new phrase is a new field of
//! [`Words`], filled in both languages, so a Danish output cannot fall back
//! to English by accident. Files for machines (CSV, JSON, TOML, the
//! workbook's sheet names) stay in English whatever the language.

mod danish;
mod english;
mod words;

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::format::{self, Numbers};
pub use words::{
    CalendarWords, CheckWords, FigureWords, FitWords, HeadlineWords, PairedWords, ReportWords,
    ScenarioWords, TotalsWords, WelfareWords, Words,
};

/// A language trappe writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    /// English (the default).
    #[default]
    #[serde(rename = "en")]
    English,
    /// Danish: Danish words, numbers (`1.234.567`, `12,5 %`) and dates
    /// (`1. jan. 2014`).
    #[serde(rename = "da")]
    Danish,
}

impl Language {
    /// Every language, for tests and help texts.
    pub const ALL: [Language; 2] = [Language::English, Language::Danish];

    /// The ISO 639-1 code: `en`, `da` (also the HTML `lang` attribute).
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Danish => "da",
        }
    }

    /// Every phrase in this language.
    pub fn words(self) -> &'static Words {
        match self {
            Language::English => &english::WORDS,
            Language::Danish => &danish::WORDS,
        }
    }

    /// How this language writes numbers.
    pub fn numbers(self) -> Numbers {
        match self {
            Language::English => format::ENGLISH,
            Language::Danish => format::DANISH,
        }
    }

    /// A date in a table or a tick: `1 Jan 2014`, `1. jan. 2014`.
    pub fn date(self, d: NaiveDate) -> String {
        let month = self.words().calendar.months_short[d.month0() as usize];
        match self {
            Language::English => format!("{} {month} {}", d.day(), d.year()),
            Language::Danish => format!("{}. {month} {}", d.day(), d.year()),
        }
    }

    /// A date in prose: `1 August 2013`, `1. august 2013`.
    pub fn long_date(self, d: NaiveDate) -> String {
        match self {
            Language::English => format::long_date(d),
            Language::Danish => {
                let month = self.words().calendar.months_long[d.month0() as usize];
                format!("{}. {month} {}", d.day(), d.year())
            }
        }
    }

    /// A month as a tick label: `Aug 2013`, `aug. 2013`.
    pub fn month_year(self, d: NaiveDate) -> String {
        let month = self.words().calendar.months_short[d.month0() as usize];
        format!("{month} {}", d.year())
    }

    /// A calendar quarter as a tick label: `Q3 2014`, `3. kvt. 2014`.
    pub fn quarter(self, quarter: u32, year: i32) -> String {
        match self {
            Language::English => format!("Q{quarter} {year}"),
            Language::Danish => format!("{quarter}. kvt. {year}"),
        }
    }

    /// A rung named in a title: English names it by its id
    /// (`institution`, as the scenario's keys do), Danish by its label
    /// (`Anbringelse på institution`), since the shipped ids are English.
    pub fn rung_name(self, id: &str, label: &str) -> String {
        match self {
            Language::English => id.replace('_', " "),
            Language::Danish => label.to_string(),
        }
    }

    /// How amounts in `currency` are labelled: Danish writes Danish kroner
    /// as `kr.`; every other currency keeps its code.
    pub fn currency(self, currency: &str) -> String {
        match (self, currency) {
            (Language::Danish, "DKK" | "dkk" | "kr" | "kr.") => "kr.".into(),
            _ => currency.into(),
        }
    }
}

/// Upper-case the first letter (a period name at the start of an axis
/// label, a rung's name at the start of a title).
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = String;

    /// `da` or `en` (the codes `scenario.language` takes).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Language::English),
            "da" => Ok(Language::Danish),
            other => Err(format!(
                "unknown language `{other}`: expected `da` (Danish) or `en` (English)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn danish_dates() {
        let da = Language::Danish;
        assert_eq!(da.date(day(2014, 1, 1)), "1. jan. 2014");
        assert_eq!(da.date(day(2014, 5, 31)), "31. maj 2014");
        assert_eq!(da.long_date(day(2013, 8, 1)), "1. august 2013");
        assert_eq!(da.month_year(day(2013, 8, 1)), "aug. 2013");
        assert_eq!(da.quarter(3, 2014), "3. kvt. 2014");
        assert_eq!(da.currency("DKK"), "kr.");
        assert_eq!(da.currency("EUR"), "EUR");
    }

    #[test]
    fn english_dates() {
        let en = Language::English;
        assert_eq!(en.date(day(2014, 1, 1)), "1 Jan 2014");
        assert_eq!(en.long_date(day(2013, 8, 1)), "1 August 2013");
        assert_eq!(en.month_year(day(2013, 8, 1)), "Aug 2013");
        assert_eq!(en.quarter(3, 2014), "Q3 2014");
        assert_eq!(en.currency("DKK"), "DKK");
    }

    #[test]
    fn codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(l.code().parse::<Language>(), Ok(l));
        }
        assert!("de".parse::<Language>().unwrap_err().contains("`da`"));
    }
}
