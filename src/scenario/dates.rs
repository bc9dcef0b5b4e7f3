//! Model time on the calendar: a scenario's model time is in years from
//! `start`, and people read dates. Kept beside the scenario (which owns
//! `start`) so that its description and every output share one rule.

use chrono::{Days, Months, NaiveDate, TimeDelta};

/// Average days per month (365.25 / 12), for a fraction of a month.
const DAYS_PER_MONTH: f64 = 30.4375;

/// The calendar date `years` of model time after `start`: whole months
/// by calendar arithmetic, clamped to the month's last day (model time has
/// twelve equal months, so 7/12 years after 1 January is 1 August), plus
/// the remaining fraction of a month × 30.4375 days, rounded to the day.
/// Negative times are `start`.
pub fn date_at(start: NaiveDate, years: f64) -> NaiveDate {
    let months = (years * 12.0).max(0.0);
    let whole = (months + 1e-9).floor();
    let fraction = (months - whole).max(0.0);
    start
        .checked_add_months(Months::new(whole as u32))
        .expect("dates stay within chrono's range for horizons ≤ 200 years")
        + Days::new((fraction * DAYS_PER_MONTH).round() as u64)
}

/// Days in a year of model time, as case records count them (their ages
/// and exposures are days / 365.25).
pub const DAYS_PER_YEAR: f64 = 365.25;

/// The day `years` of model time after `start` as case records write it:
/// `start` + round(`years` × 365.25) days. Unlike [`date_at`] it keeps
/// negative times (a birth, a spell begun before the start) and it is
/// the inverse of the records' own day count, so simulated records read
/// back the times they were made from, to the day. Never earlier for a
/// later time: rounding is monotone.
pub fn day_at(start: NaiveDate, years: f64) -> NaiveDate {
    start + TimeDelta::days((years * DAYS_PER_YEAR).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn model_time_to_dates() {
        assert_eq!(date_at(d(2013, 1, 1), 7.0 / 12.0), d(2013, 8, 1));
        assert_eq!(date_at(d(2013, 1, 1), 0.5833333333333334), d(2013, 8, 1));
        assert_eq!(date_at(d(2013, 1, 1), 0.0), d(2013, 1, 1));
        assert_eq!(date_at(d(2013, 1, 1), 1.5 / 12.0), d(2013, 2, 16));
        assert_eq!(date_at(d(2013, 1, 31), 1.0 / 12.0), d(2013, 2, 28));
    }

    #[test]
    fn model_time_to_record_days() {
        assert_eq!(day_at(d(2013, 1, 1), 0.0), d(2013, 1, 1));
        assert_eq!(day_at(d(2013, 1, 1), 1.0), d(2014, 1, 1));
        // 365.25 × 2 = 730.5 rounds away from zero: 731 days.
        assert_eq!(day_at(d(2013, 1, 1), 2.0), d(2015, 1, 2));
        // 2012 is a leap year: 365 days back is 2 January.
        assert_eq!(day_at(d(2013, 1, 1), -1.0), d(2012, 1, 2));
        assert_eq!(day_at(d(2013, 1, 1), 0.4 / 365.25), d(2013, 1, 1));
        assert_eq!(day_at(d(2013, 1, 1), 0.6 / 365.25), d(2013, 1, 2));
    }
}
