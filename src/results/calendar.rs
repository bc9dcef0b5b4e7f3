//! Calendar dates of reporting periods (docs/model.md section 8): model time is in
//! years, but a council reads "Q3 2014", so every period gets ISO dates.

use chrono::{Months, NaiveDate};

pub use crate::scenario::dates::date_at;

/// `start` plus `months` calendar months, clamped to the month's last day
/// (31 January + 1 month = 28/29 February).
pub fn add_months(start: NaiveDate, months: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(months))
        .expect("dates stay within chrono's range for horizons ≤ 200 years")
}

/// `[start, end)` dates of each of `count` periods of `period_months`
/// months; the last ends at the horizon: whole months by calendar
/// arithmetic plus the remaining fraction × 30.4375 days, rounded to the day.
pub fn period_dates(
    start: NaiveDate,
    period_months: u32,
    horizon_years: f64,
    count: usize,
) -> Vec<(NaiveDate, NaiveDate)> {
    let horizon_end = date_at(start, horizon_years);
    (0..count)
        .map(|k| {
            let from = add_months(start, k as u32 * period_months);
            let to = if k + 1 == count {
                horizon_end
            } else {
                add_months(start, (k as u32 + 1) * period_months)
            };
            (from, to)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn clamps_to_month_end() {
        assert_eq!(add_months(d(2013, 1, 31), 1), d(2013, 2, 28));
        assert_eq!(add_months(d(2016, 1, 31), 1), d(2016, 2, 29));
    }

    #[test]
    fn quarters_with_a_short_last_period() {
        let p = period_dates(d(2013, 8, 1), 3, 1.4, 6);
        assert_eq!(p[0], (d(2013, 8, 1), d(2013, 11, 1)));
        assert_eq!(p[4].1, d(2014, 11, 1));
        // 1.4 years = 16 months + 0.8 × 30.4375 days ≈ 24 days.
        assert_eq!(p[5], (d(2014, 11, 1), d(2014, 12, 25)));
    }

    #[test]
    fn whole_years() {
        let p = period_dates(d(2013, 1, 1), 12, 2.0, 2);
        assert_eq!(p[1], (d(2014, 1, 1), d(2015, 1, 1)));
    }
}
