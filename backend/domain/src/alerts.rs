//! Alerts (预警): the four rules of domain.md as pure functions, the thresholds they read,
//! and the status an alert moves through. The server evaluates the same rules in SQL
//! (one statement per rule); these are the reference its tests compare against.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::period::{Period, PeriodKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlertRule {
    TargetShortfall,
    ChurnRisk,
    LowSatisfaction,
    OverduePayment,
    /// Coaching action items still open after their due day, one alert per rep.
    OverdueActions,
    /// A supervisor's draft evaluations due within 3 days or overdue, one alert per
    /// supervisor and region.
    EvaluationsDue,
    /// 360° invitations a rep or supervisor has not answered after 3 working days, one
    /// alert per rater.
    EvaluationInputDue,
}

impl AlertRule {
    pub const ALL: [AlertRule; 7] = [
        AlertRule::TargetShortfall,
        AlertRule::ChurnRisk,
        AlertRule::LowSatisfaction,
        AlertRule::OverduePayment,
        AlertRule::OverdueActions,
        AlertRule::EvaluationsDue,
        AlertRule::EvaluationInputDue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertRule::TargetShortfall => "TARGET_SHORTFALL",
            AlertRule::ChurnRisk => "CHURN_RISK",
            AlertRule::LowSatisfaction => "LOW_SATISFACTION",
            AlertRule::OverduePayment => "OVERDUE_PAYMENT",
            AlertRule::OverdueActions => "OVERDUE_ACTIONS",
            AlertRule::EvaluationsDue => "EVALUATIONS_DUE",
            AlertRule::EvaluationInputDue => "EVALUATION_INPUT_DUE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("预警不能从 {from} 变为 {to} / an alert cannot go from {from} to {to}")]
pub struct BadTransition {
    pub from: &'static str,
    pub to: &'static str,
}

impl AlertStatus {
    pub const ALL: [AlertStatus; 3] = [
        AlertStatus::Open,
        AlertStatus::Acknowledged,
        AlertStatus::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "OPEN",
            AlertStatus::Acknowledged => "ACKNOWLEDGED",
            AlertStatus::Resolved => "RESOLVED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// OPEN → ACKNOWLEDGED → RESOLVED. Resolving an open alert acknowledges it on the way;
    /// reopening a resolved one is the undo of a resolve made by mistake.
    pub fn transition(self, to: AlertStatus) -> Result<AlertStatus, BadTransition> {
        use AlertStatus::*;
        match (self, to) {
            (Open, Acknowledged) | (Open | Acknowledged, Resolved) | (Resolved, Open) => Ok(to),
            _ => Err(BadTransition {
                from: self.as_str(),
                to: to.as_str(),
            }),
        }
    }
}

/// The settings the rules read. Stored in the `settings` table so that an administrator
/// changes them without a release.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// A week's sales below this share of the pro-rated weekly target raise a shortfall.
    pub shortfall_ratio: f64,
    /// A survey score below this is low (domain.md: 8.5 by default).
    pub satisfaction: f64,
    /// A receivable still unpaid this many days after its due date is overdue.
    pub overdue_days: i64,
    /// Surveys older than this many days no longer raise alerts (so that the first run on
    /// years of history does not flood the inbox).
    pub survey_lookback_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            shortfall_ratio: 0.8,
            satisfaction: 8.5,
            overdue_days: 30,
            survey_lookback_days: 30,
        }
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdError {
    #[error("预警阈值：回款逾期天数须在 0–3650 之间 / overdue days must be 0–3650")]
    OverdueDays,
    #[error("预警阈值：目标比例须在 0–1 之间 / the shortfall ratio must be between 0 and 1")]
    Ratio,
    #[error("预警阈值：满意度须在 0–10 之间 / the satisfaction threshold must be 0–10")]
    Satisfaction,
    #[error("预警阈值：回溯天数须在 1–3650 之间 / the survey look-back must be 1–3650 days")]
    Lookback,
}

impl Thresholds {
    pub fn validate(self) -> Result<Self, ThresholdError> {
        if !(0.0..=1.0).contains(&self.shortfall_ratio) {
            return Err(ThresholdError::Ratio);
        }
        if !(0.0..=10.0).contains(&self.satisfaction) {
            return Err(ThresholdError::Satisfaction);
        }
        if !(0..=3650).contains(&self.overdue_days) {
            return Err(ThresholdError::OverdueDays);
        }
        if !(1..=3650).contains(&self.survey_lookback_days) {
            return Err(ThresholdError::Lookback);
        }
        Ok(self)
    }
}

/// The ISO week (Monday–Sunday) that a run on `as_of` reviews: the last one that has
/// ended before `as_of`.
pub fn review_week(as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days_since_monday = i64::from(as_of.weekday().num_days_from_monday());
    let this_monday = as_of - Duration::days(days_since_monday);
    let monday = this_monday - Duration::days(7);
    (monday, monday + Duration::days(6))
}

/// The quarter a week belongs to: the quarter of its Thursday (as ISO years do).
pub fn week_quarter(monday: NaiveDate) -> Period {
    let thursday = monday + Duration::days(3);
    Period::containing(PeriodKind::Quarter, thursday)
}

/// The ISO week label of a Monday, e.g. `2026-W48`.
pub fn week_label(monday: NaiveDate) -> String {
    let w = monday.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The pro-rated weekly target in cents: quarter target × 7 / days in the quarter.
pub fn weekly_target(quarter_target_cents: i64, quarter: Period) -> f64 {
    quarter_target_cents as f64 * 7.0 / quarter.days() as f64
}

/// A ratio as an integer number of thousandths (0.8 → 800), so that SQL and Rust compare
/// whole numbers and agree to the cent.
pub fn permille(ratio: f64) -> i64 {
    (ratio * 1000.0).round() as i64
}

/// Target shortfall: the week's sales are below `ratio` of the pro-rated weekly target,
/// i.e. sales × days × 1000 < target × 7 × permille. No target (or a zero one) never falls
/// short.
pub fn is_shortfall(
    week_sales_cents: i64,
    quarter_target_cents: Option<i64>,
    quarter: Period,
    ratio: f64,
) -> bool {
    match quarter_target_cents {
        Some(t) if t > 0 => {
            i128::from(week_sales_cents) * i128::from(quarter.days()) * 1000
                < i128::from(t) * 7 * i128::from(permille(ratio))
        }
        _ => false,
    }
}

/// Churn warning as of `as_of`: an order in [as_of − 365, as_of − 90) and none in
/// [as_of − 90, as_of]. `order_dates` are the customer's non-cancelled orders.
pub fn is_churn_risk(order_dates: &[NaiveDate], as_of: NaiveDate) -> bool {
    let (from, quiet) = churn_window(as_of);
    let before = order_dates.iter().any(|d| *d >= from && *d < quiet);
    let recent = order_dates.iter().any(|d| *d >= quiet && *d <= as_of);
    before && !recent
}

/// The churn window: (as_of − 365 days, as_of − 90 days).
pub fn churn_window(as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
    (as_of - Duration::days(365), as_of - Duration::days(90))
}

/// Low satisfaction: a single survey score below the threshold.
pub fn is_low_satisfaction(score: i32, threshold: f64) -> bool {
    f64::from(score) < threshold
}

/// Overdue: still not fully paid (payments up to `as_of`) at least `days` after it was due.
pub fn is_overdue(
    due_on: NaiveDate,
    amount_cents: i64,
    paid_cents: i64,
    as_of: NaiveDate,
    days: i64,
) -> bool {
    paid_cents < amount_cents && due_on + Duration::days(days) <= as_of
}

/// A receivable as the overdue rule sees it: its customer, due day, amount and what was
/// paid on it up to the as-of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceivableFact {
    pub customer_id: i64,
    pub due_on: NaiveDate,
    pub amount_cents: i64,
    pub paid_cents: i64,
}

/// What one customer's overdue-payment alert holds: the earliest overdue due day, the
/// amount still outstanding on the overdue receivables (the amount at risk), their full
/// amount, and how many they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverdueSummary {
    pub first_due: NaiveDate,
    pub outstanding_cents: i64,
    pub total_cents: i64,
    pub receivables: i64,
}

/// The overdue rule per customer: one summary for each customer with at least one
/// overdue receivable ([`is_overdue`]); customers with none have no alert (an open one is
/// resolved).
pub fn overdue_by_customer(
    facts: &[ReceivableFact],
    as_of: NaiveDate,
    days: i64,
) -> std::collections::BTreeMap<i64, OverdueSummary> {
    let mut out = std::collections::BTreeMap::new();
    for f in facts {
        if !is_overdue(f.due_on, f.amount_cents, f.paid_cents, as_of, days) {
            continue;
        }
        let s = out.entry(f.customer_id).or_insert(OverdueSummary {
            first_due: f.due_on,
            outstanding_cents: 0,
            total_cents: 0,
            receivables: 0,
        });
        s.first_due = s.first_due.min(f.due_on);
        s.outstanding_cents += f.amount_cents - f.paid_cents;
        s.total_cents += f.amount_cents;
        s.receivables += 1;
    }
    out
}

/// What an alert puts at risk, in cents, for sorting an inbox: the outstanding amount of
/// an overdue payment, the gap to the weekly target of a shortfall; nothing for the rules
/// about customers' mood (churn, satisfaction).
pub fn amount_at_risk(
    rule: AlertRule,
    observed: Option<i64>,
    expected: Option<i64>,
) -> Option<i64> {
    match rule {
        AlertRule::OverduePayment => observed,
        AlertRule::TargetShortfall => Some(expected? - observed?),
        AlertRule::ChurnRisk
        | AlertRule::LowSatisfaction
        | AlertRule::OverdueActions
        | AlertRule::EvaluationsDue
        | AlertRule::EvaluationInputDue => None,
    }
}

/// What the overdue-action-items rule holds per rep: how many of their open items are past
/// their due day, and the earliest such day. Reps with none have no alert (an open one is
/// resolved). Items are (rep, status, due day); the server's SQL must agree.
pub fn overdue_actions_by_rep(
    items: &[(i32, crate::coaching::ActionStatus, Option<NaiveDate>)],
    today: NaiveDate,
) -> std::collections::BTreeMap<i32, (i64, NaiveDate)> {
    let mut out: std::collections::BTreeMap<i32, (i64, NaiveDate)> = Default::default();
    for &(rep, status, due) in items {
        if let Some(d) = due.filter(|_| crate::coaching::is_overdue(status, due, today)) {
            let e = out.entry(rep).or_insert((0, d));
            e.0 += 1;
            e.1 = e.1.min(d);
        }
    }
    out
}

/// Monday of the week containing `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// True when `d` is a Monday.
pub fn is_monday(d: NaiveDate) -> bool {
    d.weekday() == Weekday::Mon
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn the_reviewed_week_is_the_last_complete_one() {
        // 2026-11-23 is a Monday: the week before is 16–22 November.
        assert_eq!(
            review_week(d(2026, 11, 23)),
            (d(2026, 11, 16), d(2026, 11, 22))
        );
        // A Sunday still reviews the previous week, not the running one.
        assert_eq!(
            review_week(d(2026, 11, 29)),
            (d(2026, 11, 16), d(2026, 11, 22))
        );
        assert_eq!(week_label(d(2026, 11, 16)), "2026-W47");
        assert!(is_monday(review_week(d(2027, 1, 6)).0));
        assert_eq!(monday_of(d(2026, 11, 26)), d(2026, 11, 23));
    }

    #[test]
    fn a_week_belongs_to_the_quarter_of_its_thursday() {
        // Mon 2026-03-30 .. Sun 2026-04-05: Thursday is 2 April, so Q2.
        assert_eq!(week_quarter(d(2026, 3, 30)), Period::quarter(2026, 2));
        // Mon 2025-09-29 .. Sun 2025-10-05: Thursday 2 October, Q4.
        assert_eq!(week_quarter(d(2025, 9, 29)), Period::quarter(2025, 4));
        // Mon 2026-06-29: Thursday 2 July, Q3.
        assert_eq!(week_quarter(d(2026, 6, 29)), Period::quarter(2026, 3));
        // Mon 2026-12-28: Thursday 31 December, still Q4 2026.
        assert_eq!(week_quarter(d(2026, 12, 28)), Period::quarter(2026, 4));
    }

    #[test]
    fn shortfall_against_the_pro_rated_weekly_target() {
        // Q4 2026 has 92 days. Target 920,000.00 → weekly 70,000.00; 80% = 56,000.00.
        let q4 = Period::quarter(2026, 4);
        assert_eq!(weekly_target(92_000_000, q4), 7_000_000.0);
        assert!(is_shortfall(5_599_999, Some(92_000_000), q4, 0.8));
        assert!(!is_shortfall(5_600_000, Some(92_000_000), q4, 0.8));
        // Q1 2026 has 90 days: 900,000.00 → 70,000.00 a week.
        assert_eq!(
            weekly_target(90_000_000, Period::quarter(2026, 1)),
            7_000_000.0
        );
        // No target, or a zero target: no alert, whatever the sales.
        assert!(!is_shortfall(0, None, q4, 0.8));
        assert!(!is_shortfall(0, Some(0), q4, 0.8));
        // No sales against a target: an alert.
        assert!(is_shortfall(0, Some(100), q4, 0.8));
        assert_eq!(permille(0.8), 800);
        assert_eq!(permille(0.755), 755);
    }

    #[test]
    fn churn_needs_an_older_order_and_a_quiet_quarter() {
        let as_of = d(2026, 11, 23);
        let (from, quiet) = churn_window(as_of);
        assert_eq!(from, d(2025, 11, 23));
        assert_eq!(quiet, d(2026, 8, 25));
        // Ordered in the window, nothing since: churn risk.
        assert!(is_churn_risk(&[d(2026, 3, 1)], as_of));
        // The first day of the window counts; the day the quiet period starts does not.
        assert!(is_churn_risk(&[from], as_of));
        assert!(!is_churn_risk(&[quiet], as_of));
        // An order in the last 90 days clears it.
        assert!(!is_churn_risk(&[d(2026, 3, 1), d(2026, 11, 1)], as_of));
        // Only older than a year, or never: no warning (not a churning customer).
        assert!(!is_churn_risk(&[d(2025, 11, 22)], as_of));
        assert!(!is_churn_risk(&[], as_of));
    }

    #[test]
    fn amounts_at_risk() {
        assert_eq!(
            amount_at_risk(AlertRule::OverduePayment, Some(700), Some(1000)),
            Some(700)
        );
        assert_eq!(
            amount_at_risk(AlertRule::TargetShortfall, Some(300), Some(1000)),
            Some(700)
        );
        assert_eq!(
            amount_at_risk(AlertRule::TargetShortfall, None, Some(1000)),
            None
        );
        assert_eq!(amount_at_risk(AlertRule::ChurnRisk, Some(5), None), None);
    }

    #[test]
    fn overdue_receivables_are_summed_per_customer() {
        let f = |customer_id, due_on, amount_cents, paid_cents| ReceivableFact {
            customer_id,
            due_on,
            amount_cents,
            paid_cents,
        };
        let as_of = d(2026, 11, 30);
        let facts = [
            f(1, d(2026, 9, 1), 1000, 0),   // overdue, nothing paid
            f(1, d(2026, 8, 15), 500, 200), // overdue, 300 outstanding, earlier
            f(1, d(2026, 11, 20), 9000, 0), // due 10 days ago: not yet overdue
            f(1, d(2026, 7, 1), 700, 700),  // paid in full
            f(2, d(2026, 10, 31), 400, 0),  // exactly 30 days: overdue
            f(3, d(2026, 10, 1), 100, 100), // paid
        ];
        let by = overdue_by_customer(&facts, as_of, 30);
        assert_eq!(by.len(), 2, "customer 3 has nothing overdue");
        assert_eq!(
            by.get(&1),
            Some(&OverdueSummary {
                first_due: d(2026, 8, 15),
                outstanding_cents: 1300,
                total_cents: 1500,
                receivables: 2,
            })
        );
        assert_eq!(
            by.get(&2).map(|s| (s.outstanding_cents, s.receivables)),
            Some((400, 1))
        );
    }

    #[test]
    fn low_satisfaction_and_overdue() {
        assert!(is_low_satisfaction(8, 8.5));
        assert!(!is_low_satisfaction(9, 8.5));
        assert!(!is_low_satisfaction(7, 7.0));
        let due = d(2026, 10, 1);
        // 30 days after the due date, unpaid: overdue on 31 October, not on the 30th.
        assert!(is_overdue(due, 1000, 0, d(2026, 10, 31), 30));
        assert!(!is_overdue(due, 1000, 0, d(2026, 10, 30), 30));
        // A partial payment leaves it overdue; the full amount clears it.
        assert!(is_overdue(due, 1000, 999, d(2026, 11, 30), 30));
        assert!(!is_overdue(due, 1000, 1000, d(2026, 11, 30), 30));
    }

    #[test]
    fn status_moves_forward_and_a_resolve_can_be_undone() {
        use AlertStatus::*;
        assert_eq!(Open.transition(Acknowledged), Ok(Acknowledged));
        assert_eq!(Acknowledged.transition(Resolved), Ok(Resolved));
        assert_eq!(Open.transition(Resolved), Ok(Resolved));
        assert_eq!(Resolved.transition(Open), Ok(Open));
        assert!(Resolved.transition(Acknowledged).is_err());
        assert!(Acknowledged.transition(Acknowledged).is_err());
        assert!(Acknowledged.transition(Open).is_err());
        for s in AlertStatus::ALL {
            assert_eq!(AlertStatus::parse(s.as_str()), Some(s));
        }
        for r in AlertRule::ALL {
            assert_eq!(AlertRule::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn thresholds_are_validated() {
        assert!(Thresholds::default().validate().is_ok());
        let bad = Thresholds {
            shortfall_ratio: 1.5,
            ..Thresholds::default()
        };
        assert_eq!(bad.validate(), Err(ThresholdError::Ratio));
        let bad = Thresholds {
            overdue_days: -1,
            ..Thresholds::default()
        };
        assert_eq!(bad.validate(), Err(ThresholdError::OverdueDays));
    }

    #[test]
    fn overdue_action_items_group_per_rep() {
        use crate::coaching::ActionStatus::{Done, Dropped, Open};
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        let today = d("2026-12-02");
        let items = [
            (1, Open, Some(d("2026-11-20"))),
            (1, Open, Some(d("2026-11-28"))),
            (1, Open, Some(today)),              // due today: not yet overdue
            (1, Done, Some(d("2026-11-01"))),    // done
            (2, Dropped, Some(d("2026-11-01"))), // dropped
            (2, Open, None),                     // no day
            (3, Open, Some(d("2026-12-01"))),
        ];
        let by_rep = overdue_actions_by_rep(&items, today);
        assert_eq!(by_rep.len(), 2);
        assert_eq!(by_rep.get(&1), Some(&(2, d("2026-11-20"))));
        assert_eq!(by_rep.get(&3), Some(&(1, d("2026-12-01"))));
        assert_eq!(
            amount_at_risk(AlertRule::OverdueActions, Some(1), Some(2)),
            None
        );
    }
}
