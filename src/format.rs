//! Numbers as people read them: the one formatter behind the terminal
//! tables, the plots, the report and the messages.
//!
//! Every human-facing number goes through a [`Numbers`] value, which holds
//! the separators of one writing convention: [`ENGLISH`] (`1,160,000`,
//! `12.5 %`) or [`DANISH`] (`1.160.000`, `12,5 %` with a no-break space
//! before the sign), chosen by [`crate::language::Language::numbers`].
//! Machine-readable output (CSV, JSON, TOML) is never localised and does
//! not come through here.
//!
//! [`significant`] rounds a value (not its text) to significant digits; it
//! is the one rounder used by sweep designs, calibration and messages.

/// How one language writes numbers: its digit-group and decimal separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numbers {
    /// Between groups of three digits (`,` in `1,160,000`).
    group: char,
    /// Before the fraction (`.` in `0.85`).
    decimal: char,
    /// Between a number and its `%` sign.
    percent_space: char,
    /// After millions and thousands in a short label (`M`, `k`).
    short_scale: [&'static str; 2],
    /// Between the ends of an interval (`,` in `[1.5, 2.5]`; Danish `;`,
    /// since its comma is the decimal sign: `[1,5; 2,5]`).
    separator: char,
}

/// English numbers: `1,160,000`, `0.85`, `12.5 %`.
pub const ENGLISH: Numbers = Numbers {
    group: ',',
    decimal: '.',
    percent_space: ' ',
    short_scale: ["M", "k"],
    separator: ',',
};

/// Danish numbers: `1.160.000`, `0,85`, `12,5 %` (a no-break space before
/// `%`, as Danish typesetting keeps the sign with its number).
pub const DANISH: Numbers = Numbers {
    group: '.',
    decimal: ',',
    percent_space: '\u{a0}',
    short_scale: ["mio.", "t."],
    separator: ';',
};

impl Numbers {
    /// An interval from its two written ends: `[1.5, 2.5]` in English,
    /// `[1,5; 2,5]` in Danish (whose comma is the decimal sign).
    pub fn interval(&self, lo: &str, hi: &str) -> String {
        format!("[{lo}{} {hi}]", self.separator)
    }

    /// A whole amount with digit groups, rounded: `1,160,000`, `-3,700`
    /// (never `-0`). Money in tables and prose.
    pub fn thousands(&self, x: f64) -> String {
        if !x.is_finite() {
            // Never shown for accepted input; say what it is rather than
            // print the largest integer.
            return format!("{x}");
        }
        let rounded = x.round();
        // All the digits, also beyond 64-bit integers.
        let digits = format!("{:.0}", rounded.abs());
        let mut out = String::new();
        if rounded < 0.0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(self.group);
            }
            out.push(ch);
        }
        out
    }

    /// A number with exactly `decimals` decimals and no digit groups:
    /// `17.3`.
    /// A value that rounds to zero is written without a sign (`0.0`, never
    /// `-0.0`).
    pub fn decimals(&self, x: f64, decimals: usize) -> String {
        let text = format!("{x:.decimals$}");
        let text = match text.strip_prefix('-') {
            Some(unsigned) if unsigned.chars().all(|c| c == '0' || c == '.') => {
                unsigned.to_string()
            }
            _ => text,
        };
        self.localise(text)
    }

    /// A fraction as a percentage with `decimals` decimals: 0.125 →
    /// `12.5 %`.
    pub fn percent(&self, fraction: f64, decimals: usize) -> String {
        format!(
            "{}{}%",
            self.decimals(fraction * 100.0, decimals),
            self.percent_space
        )
    }

    /// A fraction as a percentage with as many decimals as it has (at
    /// most four): 0.125 → `12.5 %`, 0.4 → `40 %`.
    pub fn plain_percent(&self, fraction: f64) -> String {
        format!("{}{}%", self.plain(fraction * 100.0), self.percent_space)
    }

    /// A number as a person writes it in prose: digit groups for large
    /// whole amounts, otherwise at most four decimals and no trailing
    /// zeros (`1,160,000`, `0.85`, `13`, never `-0`).
    pub fn plain(&self, x: f64) -> String {
        if x.abs() >= 10_000.0 && (x - x.round()).abs() < 1e-9 {
            return self.thousands(x);
        }
        let s = format!("{x:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".into()
        } else {
            self.localise(s.into())
        }
    }

    /// A money amount for an axis tick: whole units with digit groups, two
    /// decimals only for the fractions a tiny axis range needs.
    pub fn money(&self, x: f64) -> String {
        if x.abs() >= 100.0 || (x - x.round()).abs() < 1e-9 {
            self.thousands(x)
        } else {
            self.decimals(x, 2)
        }
    }

    /// A short label for a small space (a heat-map cell): `47.2 M`,
    /// `830 k`, else [`Numbers::plain`].
    pub fn compact(&self, x: f64) -> String {
        if x.abs() >= 1e6 {
            format!("{} {}", self.decimals(x / 1e6, 1), self.short_scale[0])
        } else if x.abs() >= 1e4 {
            format!("{} {}", self.decimals(x / 1e3, 0), self.short_scale[1])
        } else {
            self.plain(x)
        }
    }

    /// Every digit of `x`, as a reader would write it: the shortest
    /// decimal that reads back as `x`, scientific notation for huge or
    /// tiny magnitudes (so a typo such as `1e300` is not echoed as three
    /// hundred digits). For messages that quote a user's value.
    pub fn exact(&self, x: f64) -> String {
        if x.is_finite() && x != 0.0 && !(1e-6..1e15).contains(&x.abs()) {
            self.localise(format!("{x:e}"))
        } else {
            self.localise(format!("{x}"))
        }
    }

    /// English digits with this convention's decimal separator.
    fn localise(&self, english: String) -> String {
        if self.decimal == '.' {
            english
        } else {
            english.replace('.', &self.decimal.to_string())
        }
    }
}

/// A date as English prose writes it: `1 August 2013` (messages and
/// descriptions; files keep ISO dates).
pub fn long_date(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// `x` rounded to `digits` significant decimal digits (ties to even), as
/// the nearest `f64`: float noise such as 0.30000000000000004 becomes 0.3,
/// and 3,712,345 to two digits is exactly 3,700,000. Rounding goes through
/// the exact decimal expansion of `x`, so it never misrounds the way
/// scaling by a power of ten can. `digits` is at least 1.
pub fn significant(x: f64, digits: u32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let decimals = digits.max(1) as usize - 1;
    format!("{x:.decimals$e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_words() {
        let d = chrono::NaiveDate::from_ymd_opt(2013, 8, 1).unwrap();
        assert_eq!(long_date(d), "1 August 2013");
    }

    #[test]
    fn danish_numbers() {
        assert_eq!(DANISH.thousands(1_234_567.0), "1.234.567");
        assert_eq!(DANISH.thousands(-3_700_000.0), "-3.700.000");
        assert_eq!(DANISH.percent(0.125, 1), "12,5\u{a0}%");
        assert_eq!(DANISH.decimals(17.25, 1), "17,2");
        assert_eq!(DANISH.decimals(-0.04, 1), "0,0");
        assert_eq!(DANISH.plain(0.85), "0,85");
        assert_eq!(DANISH.plain(1_160_000.0), "1.160.000");
        assert_eq!(DANISH.money(0.25), "0,25");
        assert_eq!(DANISH.compact(47_230_000.0), "47,2 mio.");
        assert_eq!(DANISH.compact(830_400.0), "830 t.");
        // The comma is the decimal sign: an interval's ends are split by ';'.
        assert_eq!(DANISH.interval("1,5", "2,5"), "[1,5; 2,5]");
        assert_eq!(ENGLISH.interval("1.5", "2.5"), "[1.5, 2.5]");
    }

    #[test]
    fn zero_has_no_sign() {
        assert_eq!(ENGLISH.decimals(-0.04, 1), "0.0");
        assert_eq!(ENGLISH.decimals(-0.0, 2), "0.00");
        assert_eq!(ENGLISH.percent(-0.0004, 1), "0.0 %");
        assert_eq!(ENGLISH.decimals(-0.06, 1), "-0.1");
        assert_eq!(ENGLISH.thousands(-0.4), "0");
        assert_eq!(ENGLISH.plain(-0.00001), "0");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(ENGLISH.thousands(1_160_000.0), "1,160,000");
        assert_eq!(ENGLISH.thousands(999.6), "1,000");
        assert_eq!(ENGLISH.thousands(-3_700_000.0), "-3,700,000");
        assert_eq!(ENGLISH.thousands(0.0), "0");
        assert_eq!(ENGLISH.thousands(-0.4), "0");
    }

    #[test]
    fn prose_numbers_read_naturally() {
        assert_eq!(ENGLISH.plain(1_160_000.0), "1,160,000");
        assert_eq!(ENGLISH.plain(0.85), "0.85");
        assert_eq!(ENGLISH.plain(13.0), "13");
        assert_eq!(ENGLISH.plain(2500.0), "2500");
        assert_eq!(ENGLISH.plain(-0.0), "0");
        assert_eq!(ENGLISH.plain(-0.00001), "0");
    }

    #[test]
    fn percentages_and_decimals() {
        assert_eq!(ENGLISH.percent(0.125, 1), "12.5 %");
        assert_eq!(ENGLISH.percent(0.25, 0), "25 %");
        assert_eq!(ENGLISH.decimals(17.25, 1), "17.2");
    }

    #[test]
    fn money_ticks_keep_small_fractions() {
        assert_eq!(ENGLISH.money(12_500_000.0), "12,500,000");
        assert_eq!(ENGLISH.money(0.25), "0.25");
        assert_eq!(ENGLISH.money(-1.0), "-1");
    }

    #[test]
    fn compact_labels() {
        assert_eq!(ENGLISH.compact(47_230_000.0), "47.2 M");
        assert_eq!(ENGLISH.compact(830_400.0), "830 k");
        assert_eq!(ENGLISH.compact(12.5), "12.5");
    }

    #[test]
    fn exact_numbers_for_messages() {
        assert_eq!(ENGLISH.exact(0.0), "0");
        assert_eq!(ENGLISH.exact(-0.8), "-0.8");
        assert_eq!(ENGLISH.exact(2.0), "2");
        assert_eq!(ENGLISH.exact(1_160_000.0), "1160000");
        assert_eq!(ENGLISH.exact(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(ENGLISH.exact(significant(0.4 + 0.4 + 0.1 + 0.2, 12)), "1.1");
        assert_eq!(ENGLISH.exact(significant(1.0 + 2e-6, 12)), "1.000002");
        assert_eq!(ENGLISH.exact(1e300), "1e300");
        assert_eq!(ENGLISH.exact(-2.5e-9), "-2.5e-9");
        assert_eq!(ENGLISH.exact(f64::NAN), "NaN");
        assert_eq!(ENGLISH.exact(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn rounds_to_significant_digits() {
        assert_eq!(significant(0.1 + 0.2, 12), 0.3);
        assert_eq!(significant(123_456.789, 4), 123_500.0);
        assert_eq!(significant(0.048_769, 3), 0.0488);
        assert_eq!(significant(129.4, 3), 129.0);
        assert_eq!(significant(-3_712_345.0, 2), -3_700_000.0);
        assert_eq!(significant(0.0, 3), 0.0);
        assert_eq!(significant(1.0 - 0.5113, 12), 0.4887);
    }
}
