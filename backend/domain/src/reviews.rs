//! Review meetings (复盘会) and departures (domain.md "Reviews, training and departures"):
//! a 5-Why chain, what makes an action SMART, and which periods a meeting reviews.

use chrono::NaiveDate;

use crate::PeriodKind;

/// A 5-Why chain has one to five answers, none blank (at most 500 characters each).
pub fn check_whys(whys: &[String]) -> Result<(), String> {
    if whys.is_empty() || whys.len() > 5 {
        return Err(format!(
            "whys: 需要 1 到 5 个“为什么” / one to five answers to “why?” (got {})",
            whys.len()
        ));
    }
    if let Some(i) = whys.iter().position(|w| w.trim().is_empty()) {
        return Err(format!("whys[{i}]: 不能为空 / must not be empty"));
    }
    if let Some(i) = whys.iter().position(|w| w.chars().count() > 500) {
        return Err(format!("whys[{i}]: 最多 500 字 / at most 500 characters"));
    }
    Ok(())
}

/// What a review meeting's action lacks to be SMART: an owner (specific), a measurable
/// target, a due day that is not already past (time-bound). Empty when it is complete.
pub fn smart_missing(
    owner: Option<i32>,
    measure: Option<&str>,
    due_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if owner.is_none() {
        out.push("ownerId");
    }
    if measure.is_none_or(|m| m.trim().is_empty()) {
        out.push("measure");
    }
    match due_on {
        None => out.push("dueOn"),
        Some(d) if d < today => out.push("dueOn"),
        Some(_) => {}
    }
    out
}

/// Meetings review a month or a quarter.
pub fn reviewable(kind: PeriodKind) -> bool {
    matches!(kind, PeriodKind::Month | PeriodKind::Quarter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn a_chain_has_one_to_five_answers() {
        let w = |n: usize| (0..n).map(|i| format!("因为 {i}")).collect::<Vec<_>>();
        assert!(check_whys(&w(0)).is_err());
        assert!(check_whys(&w(1)).is_ok());
        assert!(check_whys(&w(5)).is_ok());
        assert!(check_whys(&w(6)).is_err());
        assert!(check_whys(&["原因".into(), "  ".into()]).is_err());
    }

    #[test]
    fn smart_needs_owner_measure_and_a_future_day() {
        let today = d(2026, 12, 2);
        assert!(
            smart_missing(Some(1), Some("回款率 ≥ 95%"), Some(d(2026, 12, 31)), today).is_empty()
        );
        assert_eq!(
            smart_missing(None, Some(" "), None, today),
            vec!["ownerId", "measure", "dueOn"]
        );
        assert_eq!(
            smart_missing(Some(1), Some("x"), Some(d(2026, 12, 1)), today),
            vec!["dueOn"]
        );
        assert!(smart_missing(Some(1), Some("x"), Some(today), today).is_empty());
    }

    #[test]
    fn meetings_review_months_and_quarters() {
        assert!(reviewable(PeriodKind::Month));
        assert!(reviewable(PeriodKind::Quarter));
        assert!(!reviewable(PeriodKind::Year));
    }
}
