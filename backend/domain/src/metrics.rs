//! The formulas of domain.md "Metrics", as plain functions over facts. The server computes
//! the same figures in SQL (service::scorecard); a property test checks that both agree
//! on generated data, so this file is the reference.

use chrono::NaiveDate;

use crate::period::Period;

#[derive(Clone, Debug, PartialEq)]
pub struct OrderFact {
    pub customer_id: i32,
    pub ordered_on: NaiveDate,
    pub amount_cents: i64,
    pub cancelled: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReceivableFact {
    pub due_on: NaiveDate,
    pub amount_cents: i64,
    /// (paid on, amount) of each payment against this receivable.
    pub payments: Vec<(NaiveDate, i64)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Won,
    Lost,
}

/// An opportunity that closed on a date, won or lost.
#[derive(Clone, Debug, PartialEq)]
pub struct ClosedOpportunity {
    pub created_on: NaiveDate,
    pub closed_on: NaiveDate,
    pub outcome: Outcome,
}

/// The figures of one scope for one period. Rates are fractions (1.05 = 105 %); `None`
/// where the figure is undefined (no target, no orders, nothing due…).
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub sales_cents: i64,
    pub order_count: i64,
    pub target_cents: Option<i64>,
    pub attainment: Option<f64>,
    pub average_order_cents: Option<f64>,
    pub collection_rate: Option<f64>,
    pub new_customers: i64,
    pub customer_growth_rate: Option<f64>,
    pub win_rate: Option<f64>,
    pub satisfaction: Option<f64>,
    /// % of scores 9–10 − % of scores 0–6 (points, −100…100).
    pub nps: Option<f64>,
    /// Median days from creation to WON for the opportunities won in P.
    pub sales_cycle_days: Option<f64>,
    /// Payments dated by the end of P on receivables due in P (the collection rate's numerator).
    pub collected_cents: i64,
    pub collection_target_cents: Option<i64>,
    /// collected / collection target.
    pub collection_attainment: Option<f64>,
    pub new_customers_target: Option<i64>,
    /// new customers / new-customer target.
    pub new_customers_attainment: Option<f64>,
    /// Receivables due in P (the collection rate's denominator), so rates of several
    /// scopes combine exactly: Σ collected / Σ due.
    pub due_cents: i64,
    /// Surveys in P and the sum of their scores (satisfaction's numerator and
    /// denominator), for the same reason.
    pub survey_count: i64,
    pub survey_score_sum: i64,
}

/// The targets of a scope and period, per metric (domain.md "Targets").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TargetValues {
    pub sales_cents: Option<i64>,
    pub collection_cents: Option<i64>,
    pub new_customers: Option<i64>,
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den != 0.0).then(|| num / den)
}

/// Sales and order count: orders dated in P, cancelled ones excluded.
pub fn sales(orders: &[OrderFact], p: Period) -> (i64, i64) {
    orders
        .iter()
        .filter(|o| !o.cancelled && p.contains(o.ordered_on))
        .fold((0, 0), |(s, n), o| (s + o.amount_cents, n + 1))
}

pub fn attainment(sales_cents: i64, target_cents: Option<i64>) -> Option<f64> {
    target_cents.and_then(|t| ratio(sales_cents as f64, t as f64))
}

pub fn average_order(sales_cents: i64, orders: i64) -> Option<f64> {
    ratio(sales_cents as f64, orders as f64)
}

/// Payments dated on or before the last day of P, on receivables due in P, over what is due in P.
pub fn collection_rate(receivables: &[ReceivableFact], p: Period) -> Option<f64> {
    ratio(collected(receivables, p) as f64, due(receivables, p) as f64)
}

/// Receivables due in P.
pub fn due(receivables: &[ReceivableFact], p: Period) -> i64 {
    receivables
        .iter()
        .filter(|r| p.contains(r.due_on))
        .map(|r| r.amount_cents)
        .sum()
}

/// Payments dated on or before the last day of P on receivables due in P.
pub fn collected(receivables: &[ReceivableFact], p: Period) -> i64 {
    receivables
        .iter()
        .filter(|r| p.contains(r.due_on))
        .flat_map(|r| r.payments.iter())
        .filter(|(on, _)| *on <= p.end())
        .map(|(_, a)| a)
        .sum()
}

/// `actual / target` for a count or money target; none without a (non-zero) target.
pub fn attainment_of(actual: i64, target: Option<i64>) -> Option<f64> {
    target.and_then(|t| ratio(actual as f64, t as f64))
}

/// (new customers, customers with an order before P): a customer is new in P when its
/// first non-cancelled order falls in P.
pub fn new_customers(orders: &[OrderFact], p: Period) -> (i64, i64) {
    let mut first: std::collections::BTreeMap<i32, NaiveDate> = Default::default();
    for o in orders.iter().filter(|o| !o.cancelled) {
        first
            .entry(o.customer_id)
            .and_modify(|d| *d = (*d).min(o.ordered_on))
            .or_insert(o.ordered_on);
    }
    let new = first.values().filter(|d| p.contains(**d)).count() as i64;
    let base = first.values().filter(|d| **d < p.start()).count() as i64;
    (new, base)
}

pub fn win_rate(closed: &[ClosedOpportunity], p: Period) -> Option<f64> {
    let in_p: Vec<_> = closed.iter().filter(|c| p.contains(c.closed_on)).collect();
    let won = in_p.iter().filter(|c| c.outcome == Outcome::Won).count();
    ratio(won as f64, in_p.len() as f64)
}

/// Mean of survey scores dated in P.
pub fn satisfaction(scores: &[(NaiveDate, i32)], p: Period) -> Option<f64> {
    let in_p: Vec<f64> = scores
        .iter()
        .filter(|(d, _)| p.contains(*d))
        .map(|(_, s)| f64::from(*s))
        .collect();
    ratio(in_p.iter().sum(), in_p.len() as f64)
}

/// Pipeline stages in order; WON is the last step of the funnel, LOST leaves it.
pub const FUNNEL: [&str; 6] = [
    "LEAD",
    "CONTACTED",
    "NEEDS_ANALYSIS",
    "PROPOSAL",
    "NEGOTIATION",
    "WON",
];

/// The funnel step of a stage (1 = LEAD … 6 = WON); 0 for LOST or anything else.
pub fn stage_rank(stage: &str) -> usize {
    FUNNEL.iter().position(|s| *s == stage).map_or(0, |i| i + 1)
}

/// An opportunity created on a date, with every stage it has been in.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineFact {
    pub created_on: NaiveDate,
    pub stages: Vec<String>,
}

/// For the opportunities created in P: how many reached each funnel step (an opportunity
/// reached step k when its furthest stage is k or beyond), and the conversion from each
/// step to the next (`None` when nobody reached the step).
pub fn funnel(pipeline: &[PipelineFact], p: Period) -> Vec<(usize, i64, Option<f64>)> {
    let furthest: Vec<usize> = pipeline
        .iter()
        .filter(|o| p.contains(o.created_on))
        .map(|o| o.stages.iter().map(|s| stage_rank(s)).max().unwrap_or(0))
        .collect();
    let reached: Vec<i64> = (1..=FUNNEL.len())
        .map(|k| furthest.iter().filter(|m| **m >= k).count() as i64)
        .collect();
    conversions(&reached)
}

/// (step, reached, conversion to the next step) from the counts reaching each step.
pub fn conversions(reached: &[i64]) -> Vec<(usize, i64, Option<f64>)> {
    reached
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let next = reached.get(i + 1).copied();
            (i + 1, *n, next.and_then(|x| ratio(x as f64, *n as f64)))
        })
        .collect()
}

/// All figures of a scorecard from the facts of its scope.
pub fn figures(
    p: Period,
    orders: &[OrderFact],
    receivables: &[ReceivableFact],
    closed: &[ClosedOpportunity],
    scores: &[(NaiveDate, i32)],
    targets: TargetValues,
) -> Figures {
    let (sales_cents, order_count) = sales(orders, p);
    let (new, base) = new_customers(orders, p);
    let target_cents = targets.sales_cents;
    let collected_cents = collected(receivables, p);
    Figures {
        collected_cents,
        collection_target_cents: targets.collection_cents,
        collection_attainment: attainment_of(collected_cents, targets.collection_cents),
        new_customers_target: targets.new_customers,
        new_customers_attainment: attainment_of(new, targets.new_customers),
        sales_cents,
        order_count,
        target_cents,
        attainment: attainment(sales_cents, target_cents),
        average_order_cents: average_order(sales_cents, order_count),
        collection_rate: collection_rate(receivables, p),
        new_customers: new,
        customer_growth_rate: ratio(new as f64, base as f64),
        win_rate: win_rate(closed, p),
        satisfaction: satisfaction(scores, p),
        nps: crate::customers::nps(
            &scores
                .iter()
                .filter(|(d, _)| p.contains(*d))
                .map(|(_, s)| *s)
                .collect::<Vec<_>>(),
        ),
        due_cents: due(receivables, p),
        survey_count: scores.iter().filter(|(d, _)| p.contains(*d)).count() as i64,
        survey_score_sum: scores
            .iter()
            .filter(|(d, _)| p.contains(*d))
            .map(|(_, s)| i64::from(*s))
            .sum(),
        sales_cycle_days: crate::customers::sales_cycle(
            &closed
                .iter()
                .filter(|c| c.outcome == Outcome::Won && p.contains(c.closed_on))
                .map(|c| (c.closed_on - c.created_on).num_days())
                .collect::<Vec<_>>(),
        ),
    }
}

/// Pace (进度比): attainment against the share of the period passed — 1.0 is exactly on
/// course to meet the target. None without an attainment or before the period starts. A
/// finished period's pace is its attainment.
pub fn pace(attainment: Option<f64>, elapsed_share: f64) -> Option<f64> {
    attainment
        .filter(|_| elapsed_share > 0.0)
        .map(|a| a / elapsed_share)
}

/// How a pace reads: on course (≥ 100%), close (≥ 80%), behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaceTone {
    OnCourse,
    Close,
    Behind,
}

pub fn pace_tone(pace: f64) -> PaceTone {
    if pace >= 1.0 {
        PaceTone::OnCourse
    } else if pace >= 0.8 {
        PaceTone::Close
    } else {
        PaceTone::Behind
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pace_judges_a_running_period_by_time_passed() {
        use super::{PaceTone, pace, pace_tone};
        // Q4 with 63 of 92 days passed: 66% of the target is ahead of time (68.5% passed
        // would be exactly on course), 60% is close, 50% is behind.
        let elapsed = 63.0 / 92.0;
        let p = |a| pace(Some(a), elapsed).unwrap_or(f64::NAN);
        assert!((p(0.685) - 1.000_3).abs() < 1e-3);
        assert_eq!(pace_tone(p(0.70)), PaceTone::OnCourse);
        assert_eq!(pace_tone(p(0.60)), PaceTone::Close);
        assert_eq!(pace_tone(p(0.50)), PaceTone::Behind);
        // A finished period: pace is attainment.
        assert_eq!(pace(Some(0.9), 1.0), Some(0.9));
        assert_eq!(pace(Some(0.9), 0.0), None);
        assert_eq!(pace(None, 0.5), None);
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn order(c: i32, on: NaiveDate, yuan: i64, cancelled: bool) -> OrderFact {
        OrderFact {
            customer_id: c,
            ordered_on: on,
            amount_cents: yuan * 100,
            cancelled,
        }
    }

    const Q1: Period = Period {
        kind: crate::period::PeriodKind::Quarter,
        year: 2025,
        index: 1,
    };

    #[test]
    fn sales_skip_cancelled_orders_and_other_periods() {
        let orders = [
            order(1, d(2025, 1, 5), 1000, false),
            order(2, d(2025, 3, 31), 500, false),
            order(3, d(2025, 2, 1), 9999, true), // cancelled: counts nowhere
            order(1, d(2025, 4, 1), 700, false), // next quarter
            order(4, d(2024, 12, 31), 300, false), // previous quarter
        ];
        assert_eq!(sales(&orders, Q1), (150_000, 2));
        assert_eq!(average_order(150_000, 2), Some(75_000.0));
        assert_eq!(attainment(150_000, Some(120_000)), Some(1.25));
        assert_eq!(attainment(150_000, None), None, "no target, no attainment");
        assert_eq!(average_order(0, 0), None, "no orders, no average");
    }

    #[test]
    fn collection_counts_late_payments_inside_the_period_only() {
        let receivables = [
            ReceivableFact {
                due_on: d(2025, 1, 31),
                amount_cents: 10_000,
                // partial on time, the rest late but still inside Q1
                payments: vec![(d(2025, 1, 20), 4_000), (d(2025, 3, 10), 6_000)],
            },
            ReceivableFact {
                due_on: d(2025, 3, 15),
                amount_cents: 10_000,
                // a partial payment in Q1, the rest after the quarter: does not count
                payments: vec![(d(2025, 3, 31), 2_500), (d(2025, 4, 2), 7_500)],
            },
            ReceivableFact {
                due_on: d(2025, 4, 15), // due next quarter: not in the base
                amount_cents: 50_000,
                payments: vec![(d(2025, 2, 1), 50_000)],
            },
        ];
        assert_eq!(collection_rate(&receivables, Q1), Some(12_500.0 / 20_000.0));
        assert_eq!(collection_rate(&[], Q1), None);
        // Collected: 4,000 + 6,000 + 2,500 (the April payment and next quarter's don't).
        assert_eq!(collected(&receivables, Q1), 12_500);
        // Against a collection target of 25,000: half.
        let f = figures(
            Q1,
            &[],
            &receivables,
            &[],
            &[],
            TargetValues {
                collection_cents: Some(25_000),
                new_customers: Some(4),
                sales_cents: None,
            },
        );
        assert_eq!(f.collected_cents, 12_500);
        assert_eq!(f.collection_attainment, Some(0.5));
        assert_eq!(f.new_customers_attainment, Some(0.0), "no orders: 0 of 4");
        assert_eq!(
            attainment_of(3, Some(0)),
            None,
            "a zero target has no attainment"
        );
    }

    #[test]
    fn new_customers_and_growth() {
        let orders = [
            order(1, d(2024, 6, 1), 1, false),  // existing before Q1
            order(2, d(2024, 11, 1), 1, false), // existing
            order(2, d(2025, 2, 1), 1, false),
            order(3, d(2025, 1, 9), 1, false), // new in Q1
            order(4, d(2024, 12, 1), 1, true), // cancelled first order does not count…
            order(4, d(2025, 3, 1), 1, false), // …so 4 is new in Q1
            order(5, d(2025, 5, 1), 1, false), // new later
        ];
        assert_eq!(new_customers(&orders, Q1), (2, 2));
        let f = figures(Q1, &orders, &[], &[], &[], TargetValues::default());
        assert_eq!(f.customer_growth_rate, Some(1.0));
    }

    #[test]
    fn funnel_counts_the_furthest_stage_reached() {
        let opp = |on: NaiveDate, stages: &[&str]| PipelineFact {
            created_on: on,
            stages: stages.iter().map(|s| (*s).to_owned()).collect(),
        };
        let pipeline = [
            opp(d(2025, 1, 2), &["LEAD"]),
            opp(d(2025, 1, 3), &["LEAD", "CONTACTED", "NEEDS_ANALYSIS"]),
            opp(d(2025, 2, 3), &["LEAD", "CONTACTED", "PROPOSAL", "WON"]), // skipped a step: still passed it
            opp(d(2025, 3, 3), &["LEAD", "CONTACTED", "LOST"]), // LOST leaves the funnel at CONTACTED
            opp(
                d(2025, 4, 3),
                &[
                    "LEAD",
                    "CONTACTED",
                    "NEEDS_ANALYSIS",
                    "PROPOSAL",
                    "NEGOTIATION",
                    "WON",
                ],
            ), // next quarter
        ];
        let f = funnel(&pipeline, Q1);
        let reached: Vec<i64> = f.iter().map(|(_, n, _)| *n).collect();
        assert_eq!(reached, vec![4, 3, 2, 1, 1, 1]);
        assert_eq!(f[0].2, Some(0.75));
        assert_eq!(f[1].2, Some(2.0 / 3.0));
        assert_eq!(f[4].2, Some(1.0));
        assert_eq!(f[5].2, None, "nothing after WON");
        assert!(
            funnel(&[], Q1)
                .iter()
                .all(|(_, n, c)| *n == 0 && c.is_none())
        );
    }

    #[test]
    fn win_rate_and_satisfaction() {
        let closed = [
            ClosedOpportunity {
                created_on: d(2024, 12, 3),
                closed_on: d(2025, 1, 3),
                outcome: Outcome::Won,
            },
            ClosedOpportunity {
                created_on: d(2025, 1, 20),
                closed_on: d(2025, 2, 3),
                outcome: Outcome::Lost,
            },
            ClosedOpportunity {
                created_on: d(2025, 2, 1),
                closed_on: d(2025, 3, 3),
                outcome: Outcome::Won,
            },
            ClosedOpportunity {
                created_on: d(2025, 3, 1),
                closed_on: d(2025, 4, 3),
                outcome: Outcome::Lost,
            },
        ];
        assert_eq!(win_rate(&closed, Q1), Some(2.0 / 3.0));
        assert_eq!(win_rate(&[], Q1), None);
        let scores = [(d(2025, 1, 1), 9), (d(2025, 3, 1), 8), (d(2025, 6, 1), 0)];
        assert_eq!(satisfaction(&scores, Q1), Some(8.5));
        // Through figures(): NPS of 9 and 8 in Q1 = (1 − 0) / 2 = 50 points; sales cycle
        // of the two won in Q1: 31 and 30 days → 30.5.
        let f = figures(Q1, &[], &[], &closed, &scores, TargetValues::default());
        assert_eq!(f.nps, Some(50.0));
        assert_eq!(f.sales_cycle_days, Some(30.5));
        let f = figures(Q1, &[], &[], &[], &[], TargetValues::default());
        assert_eq!((f.nps, f.sales_cycle_days), (None, None));
    }
}
