//! Coaching (辅导 / 陪访): sessions a supervisor holds with a rep, their 1–5 scores on the
//! coaching dimensions, action items and the rep's growth record (domain.md "Coaching").
//! Pure rules only; the server stores and filters.

use chrono::NaiveDate;

/// How a session was held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoachingType {
    /// 陪访: the supervisor went along on a customer visit.
    RideAlong,
    OneOnOne,
    /// 录音复盘: a recorded call reviewed together.
    CallReview,
    RolePlay,
}

impl CoachingType {
    pub fn as_str(self) -> &'static str {
        match self {
            CoachingType::RideAlong => "RIDE_ALONG",
            CoachingType::OneOnOne => "ONE_ON_ONE",
            CoachingType::CallReview => "CALL_REVIEW",
            CoachingType::RolePlay => "ROLE_PLAY",
        }
    }
}

/// Where an action item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionStatus {
    Open,
    Done,
    /// No longer wanted (kept, with who and when, rather than deleted).
    Dropped,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "OPEN",
            ActionStatus::Done => "DONE",
            ActionStatus::Dropped => "DROPPED",
        }
    }
}

/// The coaching dimensions that ship (domain.md), as (key, 中文, English), in order. A
/// director may rename, reorder, retire or add dimensions; scores keep their key.
pub const DEFAULT_DIMENSIONS: [(&str, &str, &str); 5] = [
    ("opening", "开场", "Opening"),
    ("needs_understanding", "需求挖掘", "Needs understanding"),
    ("solution_presentation", "方案呈现", "Solution presentation"),
    ("objection_handling", "异议处理", "Objection handling"),
    ("closing", "促成成交", "Closing"),
];

/// Scores are whole points from 1 to 5.
pub const SCORE_RANGE: std::ops::RangeInclusive<i32> = 1..=5;

/// A dimension key: lower-case ASCII letters, digits and `_`, 1–40 long, starting with a
/// letter (it names a column of exports and a key clients rely on).
pub fn valid_dimension_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && key.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// An action item is overdue when it is still open after its due day.
pub fn is_overdue(status: ActionStatus, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    status == ActionStatus::Open && due_on.is_some_and(|d| d < today)
}

/// The mean of a session's scores, or None without any.
pub fn mean_score(scores: &[i32]) -> Option<f64> {
    (!scores.is_empty())
        .then(|| scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64)
}

/// The direction of one dimension across sessions: the mean of the later half minus the
/// mean of the earlier half (with an odd count the middle session counts in neither), so
/// one bad day at the end does not read as a collapse. None with fewer than two scores.
/// Scores are in date order.
pub fn trend(scores: &[i32]) -> Option<f64> {
    if scores.len() < 2 {
        return None;
    }
    let half = scores.len() / 2;
    let early = mean_score(&scores[..half])?;
    let late = mean_score(&scores[scores.len() - half..])?;
    Some(late - early)
}

/// Coaching load: whether a rep counts as "not coached" — no session in the last `days`
/// days before `today` (the default window is 30 days).
pub fn needs_coaching(last_session: Option<NaiveDate>, today: NaiveDate, days: i64) -> bool {
    match last_session {
        None => true,
        Some(d) => (today - d).num_days() >= days,
    }
}

pub const NOT_COACHED_DAYS: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn dimension_keys_are_codes() {
        for (k, _, _) in DEFAULT_DIMENSIONS {
            assert!(valid_dimension_key(k), "{k}");
        }
        assert!(valid_dimension_key("a1_b"));
        assert!(!valid_dimension_key(""));
        assert!(!valid_dimension_key("1abc"));
        assert!(!valid_dimension_key("Opening"));
        assert!(!valid_dimension_key("开场"));
        assert!(!valid_dimension_key(&"a".repeat(41)));
    }

    #[test]
    fn overdue_means_open_after_its_day() {
        let today = d("2026-12-02");
        assert!(is_overdue(ActionStatus::Open, Some(d("2026-12-01")), today));
        assert!(!is_overdue(ActionStatus::Open, Some(today), today));
        assert!(!is_overdue(
            ActionStatus::Done,
            Some(d("2026-11-01")),
            today
        ));
        assert!(!is_overdue(
            ActionStatus::Dropped,
            Some(d("2026-11-01")),
            today
        ));
        assert!(!is_overdue(ActionStatus::Open, None, today));
    }

    #[test]
    fn trends_compare_halves() {
        // 2, 3 | 4, 5 → 4.5 − 2.5 = 2.
        assert_eq!(trend(&[2, 3, 4, 5]), Some(2.0));
        // 3 | (4) | 2: the middle one counts in neither half → 2 − 3 = −1.
        assert_eq!(trend(&[3, 4, 2]), Some(-1.0));
        assert_eq!(trend(&[4]), None);
        assert_eq!(trend(&[]), None);
        assert_eq!(mean_score(&[1, 2, 4]), Some(7.0 / 3.0));
        assert_eq!(mean_score(&[]), None);
    }

    #[test]
    fn not_coached_after_thirty_days() {
        let today = d("2026-12-02");
        assert!(needs_coaching(None, today, NOT_COACHED_DAYS));
        assert!(!needs_coaching(
            Some(d("2026-11-03")),
            today,
            NOT_COACHED_DAYS
        ));
        assert!(needs_coaching(
            Some(d("2026-11-02")),
            today,
            NOT_COACHED_DAYS
        ));
    }
}
