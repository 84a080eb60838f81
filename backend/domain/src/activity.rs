//! Activity (过程): visits and calls, visit compliance, record completeness, and
//! complaints with their response time (domain.md "Activity" and "Metrics"). The server
//! computes the same figures in SQL; a property test checks both agree.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::period::Period;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    Visit,
    Call,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 2] = [ActivityKind::Visit, ActivityKind::Call];
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Visit => "VISIT",
            ActivityKind::Call => "CALL",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The default visit standard: visits a week per rep.
pub const DEFAULT_VISITS_PER_WEEK: i64 = 10;

#[derive(Clone, Debug, PartialEq)]
pub struct ActivityFact {
    pub kind: ActivityKind,
    pub occurred_on: NaiveDate,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
}

/// A record is complete when both its outcome and next step say something.
pub fn is_complete(outcome: Option<&str>, next_step: Option<&str>) -> bool {
    let filled = |s: Option<&str>| s.is_some_and(|s| !s.trim().is_empty());
    filled(outcome) && filled(next_step)
}

/// Visits required in P: the weekly standard pro-rated to P's days, per rep.
pub fn visits_required(per_week: i64, days: i64, reps: i64) -> f64 {
    per_week as f64 * days as f64 / 7.0 * reps as f64
}

/// The days of P that have passed by `as_of` (all of a past period, none of a future one):
/// a running month is measured against the visits due so far, not the whole month's.
pub fn elapsed_days(p: Period, as_of: NaiveDate) -> i64 {
    if as_of < p.start() {
        0
    } else {
        (as_of.min(p.end()) - p.start()).num_days() + 1
    }
}

/// A complaint's times in the business's time zone: the day of each is the day the sales
/// team saw it happen, which decides its period.
#[derive(Clone, Debug, PartialEq)]
pub struct ComplaintFact {
    pub opened_at: DateTime<FixedOffset>,
    pub resolved_at: Option<DateTime<FixedOffset>>,
}

/// The process figures of a scope in a period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Process {
    pub visits: i64,
    pub calls: i64,
    pub visits_required: f64,
    /// visits / visits required; none when nothing is required (no reps, no standard).
    pub visit_compliance: Option<f64>,
    /// Share of the period's visits with outcome and next step; none without visits.
    pub record_completeness: Option<f64>,
    pub complaints_opened: i64,
    pub complaints_resolved: i64,
    /// Opened before the end of P and not resolved by then.
    pub complaints_open: i64,
    /// Mean hours from opening to resolution of the complaints resolved in P.
    pub complaint_response_hours: Option<f64>,
}

fn in_period(t: DateTime<FixedOffset>, p: Period) -> bool {
    p.contains(t.date_naive())
}

/// The reference for the process figures of `reps` reps under a visit standard, as of a
/// day (visits are required for the days of P passed by then).
pub fn process(
    p: Period,
    activities: &[ActivityFact],
    complaints: &[ComplaintFact],
    per_week: i64,
    reps: i64,
    as_of: NaiveDate,
) -> Process {
    let in_p: Vec<_> = activities
        .iter()
        .filter(|a| p.contains(a.occurred_on))
        .collect();
    let visits: Vec<_> = in_p
        .iter()
        .filter(|a| a.kind == ActivityKind::Visit)
        .collect();
    let complete = visits
        .iter()
        .filter(|a| is_complete(a.outcome.as_deref(), a.next_step.as_deref()))
        .count();
    let required = visits_required(per_week, elapsed_days(p, as_of), reps);
    let resolved: Vec<f64> = complaints
        .iter()
        .filter_map(|c| {
            let r = c.resolved_at.filter(|r| in_period(*r, p))?;
            Some((r - c.opened_at).num_seconds() as f64 / 3600.0)
        })
        .collect();
    let end = p.end_exclusive();
    Process {
        visits: visits.len() as i64,
        calls: (in_p.len() - visits.len()) as i64,
        visits_required: required,
        visit_compliance: (required > 0.0).then(|| visits.len() as f64 / required),
        record_completeness: (!visits.is_empty()).then(|| complete as f64 / visits.len() as f64),
        complaints_opened: complaints
            .iter()
            .filter(|c| in_period(c.opened_at, p))
            .count() as i64,
        complaints_resolved: resolved.len() as i64,
        complaints_open: complaints
            .iter()
            .filter(|c| {
                c.opened_at.date_naive() < end
                    && c.resolved_at.is_none_or(|r| r.date_naive() >= end)
            })
            .count() as i64,
        complaint_response_hours: (!resolved.is_empty())
            .then(|| resolved.iter().sum::<f64>() / resolved.len() as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or(NaiveDate::MIN)
    }
    /// 2026-m-day at h:00 in Beijing time (+08:00).
    fn t(m: u32, day: u32, h: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600)
            .and_then(|z| z.with_ymd_and_hms(2026, m, day, h, 0, 0).single())
            .unwrap_or_default()
    }
    fn visit(on: NaiveDate, outcome: Option<&str>, next: Option<&str>) -> ActivityFact {
        ActivityFact {
            kind: ActivityKind::Visit,
            occurred_on: on,
            outcome: outcome.map(str::to_owned),
            next_step: next.map(str::to_owned),
        }
    }

    #[test]
    fn completeness_needs_both_fields_filled() {
        assert!(is_complete(Some("签约"), Some("送样")));
        assert!(!is_complete(Some("签约"), None));
        assert!(!is_complete(Some("  "), Some("送样")));
        assert!(!is_complete(None, None));
    }

    #[test]
    fn compliance_and_completeness_of_a_month() {
        // November 2026: 30 days; standard 7 a week → 30 visits required for one rep.
        let p = Period::month(2026, 11);
        let acts = [
            visit(d(11, 2), Some("报价"), Some("回访")),
            visit(d(11, 3), Some("报价"), None),
            visit(d(11, 30), Some("签约"), Some("交付")),
            visit(d(10, 31), Some("x"), Some("y")), // other month
            ActivityFact {
                kind: ActivityKind::Call,
                occurred_on: d(11, 4),
                outcome: None,
                next_step: None,
            },
        ];
        let f = process(p, &acts, &[], 7, 1, d(12, 31));
        assert_eq!((f.visits, f.calls), (3, 1));
        assert_eq!(f.visits_required, 30.0);
        assert_eq!(f.visit_compliance, Some(0.1));
        assert_eq!(f.record_completeness, Some(2.0 / 3.0));
        // Two reps double what is required.
        assert_eq!(
            process(p, &acts, &[], 7, 2, d(12, 31)).visit_compliance,
            Some(0.05)
        );
        // No reps, no visits: both undefined.
        let empty = process(p, &[], &[], 10, 0, d(12, 31));
        assert_eq!(
            (empty.visit_compliance, empty.record_completeness),
            (None, None)
        );
    }

    #[test]
    fn a_running_period_requires_the_visits_due_so_far() {
        let p = Period::month(2026, 11);
        // 14 of November's 30 days have passed: 7 a week → 14 visits required.
        assert_eq!(elapsed_days(p, d(11, 14)), 14);
        assert_eq!(process(p, &[], &[], 7, 1, d(11, 14)).visits_required, 14.0);
        assert_eq!(
            elapsed_days(p, d(10, 31)),
            0,
            "a future period requires nothing yet"
        );
        assert_eq!(process(p, &[], &[], 7, 1, d(10, 31)).visit_compliance, None);
        assert_eq!(
            elapsed_days(p, d(12, 5)),
            30,
            "a past period counts all its days"
        );
    }

    #[test]
    fn complaint_response_time_counts_those_resolved_in_the_period() {
        let p = Period::month(2026, 11);
        let cs = [
            // Opened in October, resolved in November after 24 h: counts.
            ComplaintFact {
                opened_at: t(10, 31, 12),
                resolved_at: Some(t(11, 1, 12)),
            },
            // Opened and resolved in November after 6 h: counts.
            ComplaintFact {
                opened_at: t(11, 10, 8),
                resolved_at: Some(t(11, 10, 14)),
            },
            // Opened in November, resolved in December: open at the end of November.
            ComplaintFact {
                opened_at: t(11, 20, 8),
                resolved_at: Some(t(12, 2, 8)),
            },
            // Still open.
            ComplaintFact {
                opened_at: t(11, 25, 8),
                resolved_at: None,
            },
        ];
        let f = process(p, &[], &cs, 10, 1, d(12, 31));
        assert_eq!(f.complaints_opened, 3);
        assert_eq!(f.complaints_resolved, 2);
        assert_eq!(f.complaints_open, 2);
        assert_eq!(f.complaint_response_hours, Some(15.0));
        assert_eq!(
            process(Period::month(2026, 9), &[], &cs, 10, 1, d(12, 31)).complaint_response_hours,
            None
        );
    }

    #[test]
    fn a_complaint_belongs_to_the_local_day_it_was_opened() {
        // 07:00 on 1 December in Beijing is still 30 November in UTC: December's.
        let cs = [ComplaintFact {
            opened_at: t(12, 1, 7),
            resolved_at: Some(t(12, 1, 9)),
        }];
        let nov = process(Period::month(2026, 11), &[], &cs, 10, 1, d(12, 31));
        let dec = process(Period::month(2026, 12), &[], &cs, 10, 1, d(12, 31));
        assert_eq!((nov.complaints_opened, nov.complaints_open), (0, 0));
        assert_eq!((dec.complaints_opened, dec.complaints_resolved), (1, 1));
        assert_eq!(dec.complaint_response_hours, Some(2.0));
    }
}
