//! Training (培训): courses in a format, sessions with attendance and a skill test before
//! and after, and a course's measured effect (domain.md "Reviews, training and
//! departures"):
//!
//! - the **score gain**: the mean of (after − before) over attendees who took both tests;
//! - the **win-rate change**: attendees' win rate (won / closed opportunities) over the
//!   three whole months after the session's month against the three before, beside the
//!   same change for the reps who did not attend (of the session's region, or of the
//!   company), so that a good quarter for everyone is not credited to the course. The
//!   **net effect** is the attendees' change less the others'.
//!
//! The counts come from SQL (monthly sums); this module turns them into rates.

use chrono::{Datelike, Months, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CourseFormat {
    Online,
    Workshop,
    Mentoring,
}

impl CourseFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseFormat::Online => "ONLINE",
            CourseFormat::Workshop => "WORKSHOP",
            CourseFormat::Mentoring => "MENTORING",
        }
    }
}

/// Months on each side of a session that its effect is read over.
pub const WINDOW_MONTHS: u32 = 3;

/// The months a session's effect is read over: `[before_from, month)` and
/// `[after_from, after_to)`, whole months, the session's own month in neither (it is
/// partly before and partly after).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Windows {
    pub before_from: NaiveDate,
    /// The first day of the session's month.
    pub month: NaiveDate,
    pub after_from: NaiveDate,
    pub after_to: NaiveDate,
}

pub fn windows(held_on: NaiveDate) -> Windows {
    let month = held_on.with_day(1).unwrap_or(held_on);
    let back = month
        .checked_sub_months(Months::new(WINDOW_MONTHS))
        .unwrap_or(month);
    let after_from = month.checked_add_months(Months::new(1)).unwrap_or(month);
    let after_to = after_from
        .checked_add_months(Months::new(WINDOW_MONTHS))
        .unwrap_or(after_from);
    Windows {
        before_from: back,
        month,
        after_from,
        after_to,
    }
}

impl Windows {
    /// Whether the months after the session have all ended by `today`: only then is its
    /// win rate after comparable with the one before (a window still running would
    /// compare three months with one or two).
    pub fn measured(&self, today: NaiveDate) -> bool {
        today >= self.after_to
    }
}

/// Won and closed opportunities of a group in a window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WinCounts {
    pub won: i64,
    pub closed: i64,
}

impl WinCounts {
    pub fn rate(self) -> Option<f64> {
        (self.closed > 0).then(|| self.won as f64 / self.closed as f64)
    }
}

/// What SQL counted for a course.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EffectInput {
    /// Attendees with both tests: their count and the sum of (after − before).
    pub tested: i64,
    pub gain_sum: f64,
    pub attendees_before: WinCounts,
    pub attendees_after: WinCounts,
    pub others_before: WinCounts,
    pub others_after: WinCounts,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Effect {
    pub score_gain: Option<f64>,
    pub attendees_before: Option<f64>,
    pub attendees_after: Option<f64>,
    /// After − before, in rate points (0.05 = five points).
    pub attendees_change: Option<f64>,
    pub others_before: Option<f64>,
    pub others_after: Option<f64>,
    pub others_change: Option<f64>,
    /// The attendees' change less the others'.
    pub net: Option<f64>,
}

pub fn effect(i: EffectInput) -> Effect {
    let change = |b: WinCounts, a: WinCounts| Some(a.rate()? - b.rate()?);
    let attendees_change = change(i.attendees_before, i.attendees_after);
    let others_change = change(i.others_before, i.others_after);
    Effect {
        score_gain: (i.tested > 0).then(|| i.gain_sum / i.tested as f64),
        attendees_before: i.attendees_before.rate(),
        attendees_after: i.attendees_after.rate(),
        attendees_change,
        others_before: i.others_before.rate(),
        others_after: i.others_after.rate(),
        others_change,
        net: attendees_change.zip(others_change).map(|(a, o)| a - o),
    }
}

/// A skill-test score: 0–100.
pub fn valid_score(s: f64) -> bool {
    s.is_finite() && (0.0..=100.0).contains(&s)
}

/// A person's training in a period, for the PROCESS and CAPABILITY indicators:
/// attendance = sessions attended / sessions invited to (100 × share), results = the
/// mean after-test score of the sessions attended. `None` where there is nothing.
pub fn attendance_score(invited: i64, attended: i64) -> Option<f64> {
    (invited > 0).then(|| (100.0 * attended as f64 / invited as f64).min(100.0))
}

pub fn results_score(tested: i64, score_sum: f64) -> Option<f64> {
    (tested > 0).then(|| (score_sum / tested as f64).clamp(0.0, 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn windows_are_the_three_whole_months_on_each_side() {
        let w = windows(d(2026, 5, 17));
        assert_eq!(w.before_from, d(2026, 2, 1));
        assert_eq!(w.month, d(2026, 5, 1));
        assert_eq!(w.after_from, d(2026, 6, 1));
        assert_eq!(w.after_to, d(2026, 9, 1));
        // Across a year end.
        let w = windows(d(2026, 1, 31));
        assert_eq!(w.before_from, d(2025, 10, 1));
        assert_eq!(w.after_to, d(2026, 5, 1));
    }

    #[test]
    fn a_session_is_measured_once_its_three_months_after_have_ended() {
        // Held 17 May: the months after are June, July and August.
        let w = windows(d(2026, 5, 17));
        assert!(!w.measured(d(2026, 5, 17)));
        assert!(!w.measured(d(2026, 8, 31)));
        assert!(w.measured(d(2026, 9, 1)));
        assert!(w.measured(d(2027, 1, 1)));
    }

    #[test]
    fn effect_by_hand() {
        // Attendees: 3 of 10 won before, 6 of 12 after: 30% → 50%, +20 points.
        // Others: 20 of 50 → 22 of 50: 40% → 44%, +4 points. Net +16 points.
        // Tests: gains 10, 20, -6 over three attendees: mean 8.
        let e = effect(EffectInput {
            tested: 3,
            gain_sum: 24.0,
            attendees_before: WinCounts { won: 3, closed: 10 },
            attendees_after: WinCounts { won: 6, closed: 12 },
            others_before: WinCounts {
                won: 20,
                closed: 50,
            },
            others_after: WinCounts {
                won: 22,
                closed: 50,
            },
        });
        assert_eq!(e.score_gain, Some(8.0));
        assert_eq!(e.attendees_before, Some(0.3));
        assert_eq!(e.attendees_after, Some(0.5));
        assert!((e.attendees_change.unwrap_or(0.0) - 0.2).abs() < 1e-12);
        assert!((e.others_change.unwrap_or(0.0) - 0.04).abs() < 1e-12);
        assert!((e.net.unwrap_or(0.0) - 0.16).abs() < 1e-12);
    }

    #[test]
    fn nothing_closed_means_no_rate_and_no_net() {
        let e = effect(EffectInput {
            attendees_before: WinCounts { won: 0, closed: 0 },
            attendees_after: WinCounts { won: 2, closed: 4 },
            ..Default::default()
        });
        assert_eq!(e.attendees_before, None);
        assert_eq!(e.attendees_after, Some(0.5));
        assert_eq!(e.attendees_change, None);
        assert_eq!(e.net, None);
        assert_eq!(e.score_gain, None);
    }

    #[test]
    fn indicator_scores() {
        assert_eq!(attendance_score(4, 3), Some(75.0));
        assert_eq!(attendance_score(0, 0), None);
        assert_eq!(results_score(2, 170.0), Some(85.0));
        assert_eq!(results_score(0, 0.0), None);
        assert!(valid_score(0.0) && valid_score(100.0));
        assert!(!valid_score(100.5) && !valid_score(f64::NAN) && !valid_score(-1.0));
    }
}
