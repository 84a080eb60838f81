//! Customer figures of domain.md: NPS, the sales cycle, customer tiers (客户分层) and the
//! thresholds they read. Pure functions; the SQL that will compute them at scale is
//! checked against these.

/// Scores from this up are promoters (NPS).
pub const PROMOTER_MIN: i32 = 9;
/// Scores up to this are detractors (NPS).
pub const DETRACTOR_MAX: i32 = 6;

/// NPS = % of scores 9–10 − % of scores 0–6, in points (−100…100); `None` without scores.
pub fn nps(scores: &[i32]) -> Option<f64> {
    let promoters = scores.iter().filter(|s| **s >= PROMOTER_MIN).count();
    let detractors = scores.iter().filter(|s| **s <= DETRACTOR_MAX).count();
    nps_of(promoters as i64, detractors as i64, scores.len() as i64)
}

/// NPS from the counts of promoters, detractors and all scores (monthly sums add up).
pub fn nps_of(promoters: i64, detractors: i64, count: i64) -> Option<f64> {
    if count <= 0 {
        return None;
    }
    Some((promoters - detractors) as f64 / count as f64 * 100.0)
}

/// Median days from creation to WON (mean of the two middle values for an even count).
pub fn sales_cycle(days: &[i64]) -> Option<f64> {
    let mut v = days.to_vec();
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => v.get(n / 2).map(|d| *d as f64),
        _ => match (v.get(n / 2 - 1), v.get(n / 2)) {
            (Some(a), Some(b)) => Some((*a + *b) as f64 / 2.0),
            _ => None,
        },
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tier {
    A,
    B,
    C,
}

/// Tier thresholds: cumulative shares of sales (80% and 95% by default).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TierThresholds {
    pub a: f64,
    pub b: f64,
}

impl Default for TierThresholds {
    fn default() -> Self {
        TierThresholds { a: 0.80, b: 0.95 }
    }
}

/// Tiers from each customer's sales in the 12 months up to the as-of date, as
/// `(customer id, cents)`. Ranked by sales, largest first (ties by id); a customer is A
/// while the cumulative share of the customers *before* it is below `a`, B while below
/// `b`, else C — so the customer that crosses a threshold belongs to the higher tier.
/// Customers with no sales are C. Returns (id, tier) in rank order.
pub fn tiers(sales: &[(i32, i64)], t: TierThresholds) -> Vec<(i32, Tier)> {
    let mut ranked: Vec<(i32, i64)> = sales.to_vec();
    ranked.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let total: i64 = ranked.iter().map(|(_, s)| (*s).max(0)).sum();
    let mut before = 0i64;
    ranked
        .into_iter()
        .map(|(id, s)| {
            let share = if total > 0 {
                before as f64 / total as f64
            } else {
                1.0
            };
            let tier = if s <= 0 {
                Tier::C
            } else if share < t.a {
                Tier::A
            } else if share < t.b {
                Tier::B
            } else {
                Tier::C
            };
            before += s.max(0);
            (id, tier)
        })
        .collect()
}

/// Orders a year a customer of each tier is expected to place (frequency component).
pub fn expected_orders(tier: Tier) -> i64 {
    match tier {
        Tier::A => 12,
        Tier::B => 6,
        Tier::C => 4,
    }
}

/// What a customer's health score (0–100) is made of: each component scores 0–100 and
/// weighs in with its share (domain.md "customer health score"; seed 000: purchase
/// frequency, decision-chain changes, satisfaction).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthPart {
    /// Days since the last order: 100 within 30 days, 0 from 180 days (or never), linear between.
    Recency,
    /// Orders in the last 12 months against what its tier expects (A 12, B 6, C 4).
    Frequency,
    /// Mean survey score of the last 12 months × 10 (rounded down); 70 (neutral) without surveys.
    Satisfaction,
    /// 100 without open complaints, 50 less for each.
    Complaints,
    /// 0 when the decision chain changed in the last 90 days, else 100.
    DecisionChain,
}

impl HealthPart {
    pub const ALL: [HealthPart; 5] = [
        HealthPart::Recency,
        HealthPart::Frequency,
        HealthPart::Satisfaction,
        HealthPart::Complaints,
        HealthPart::DecisionChain,
    ];
    /// Weight in percent; the five add up to 100.
    pub fn weight(self) -> i64 {
        match self {
            HealthPart::Recency => 30,
            HealthPart::Frequency => 25,
            HealthPart::Satisfaction => 20,
            HealthPart::Complaints => 15,
            HealthPart::DecisionChain => 10,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            HealthPart::Recency => "RECENCY",
            HealthPart::Frequency => "FREQUENCY",
            HealthPart::Satisfaction => "SATISFACTION",
            HealthPart::Complaints => "COMPLAINTS",
            HealthPart::DecisionChain => "DECISION_CHAIN",
        }
    }
}

/// The facts a health score is computed from, as of a day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HealthInputs {
    /// Days since the last (non-cancelled) order; none when it never ordered.
    pub days_since_order: Option<i64>,
    pub orders_12m: i64,
    pub tier: Tier,
    /// Sum and count of the survey scores (0–10) of the last 12 months.
    pub survey_sum: i64,
    pub survey_count: i64,
    pub open_complaints: i64,
    /// The decision chain changed in the last 90 days.
    pub chain_changed: bool,
}

/// Each component's score, 0–100 (whole numbers).
pub fn health_parts(h: &HealthInputs) -> Vec<(HealthPart, i64)> {
    HealthPart::ALL
        .into_iter()
        .map(|p| {
            let score = match p {
                HealthPart::Recency => match h.days_since_order {
                    None => 0,
                    Some(d) if d <= 30 => 100,
                    Some(d) if d >= 180 => 0,
                    Some(d) => (180 - d) * 100 / 150,
                },
                HealthPart::Frequency => (h.orders_12m * 100 / expected_orders(h.tier)).min(100),
                HealthPart::Satisfaction if h.survey_count == 0 => 70,
                HealthPart::Satisfaction => (h.survey_sum * 10 / h.survey_count).clamp(0, 100),
                HealthPart::Complaints => (100 - 50 * h.open_complaints).max(0),
                HealthPart::DecisionChain => {
                    if h.chain_changed {
                        0
                    } else {
                        100
                    }
                }
            };
            (p, score)
        })
        .collect()
}

/// The health score: Σ component × weight / 100, rounded down.
pub fn health(h: &HealthInputs) -> i64 {
    health_parts(h)
        .into_iter()
        .map(|(p, s)| s * p.weight())
        .sum::<i64>()
        / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_of_counts_matches_nps_of_scores() {
        // 9, 10, 10 promoters; 7, 8 passive; 3, 6 detractors.
        assert_eq!(nps_of(3, 2, 7), nps(&[9, 10, 10, 7, 8, 3, 6]));
        assert_eq!(nps_of(0, 0, 0), None);
        assert_eq!(nps_of(0, 4, 4), Some(-100.0));
    }

    #[test]
    fn nps_counts_promoters_minus_detractors() {
        // 9, 10, 10 promoters; 7, 8 passive; 3, 6 detractors: (3 − 2) / 7 = 14.29 points.
        let v = nps(&[9, 10, 10, 7, 8, 3, 6]).unwrap_or(f64::NAN);
        assert!((v - 100.0 / 7.0).abs() < 1e-9, "{v}");
        assert_eq!(nps(&[10, 10]), Some(100.0));
        assert_eq!(nps(&[0, 6]), Some(-100.0));
        assert_eq!(nps(&[7, 8]), Some(0.0));
        assert_eq!(nps(&[]), None);
    }

    #[test]
    fn sales_cycle_is_the_median() {
        assert_eq!(sales_cycle(&[30, 10, 20]), Some(20.0));
        // Even count: mean of the two middle values (10 and 20).
        assert_eq!(sales_cycle(&[40, 10, 20, 5]), Some(15.0));
        assert_eq!(sales_cycle(&[7]), Some(7.0));
        assert_eq!(sales_cycle(&[]), None);
    }

    #[test]
    fn tiers_by_cumulative_share_before_each_customer() {
        // Total 1,000. Ranked: 1 (500), 2 (300), 3 (100), 4 (60), 5 (40), 6 (0).
        // Shares before: 0%, 50%, 80%, 90%, 96%: A, A, B, B, C; no sales: C.
        let sales = [(4, 60), (1, 500), (6, 0), (3, 100), (2, 300), (5, 40)];
        let t = tiers(&sales, TierThresholds::default());
        assert_eq!(
            t,
            vec![
                (1, Tier::A),
                (2, Tier::A),
                (3, Tier::B),
                (4, Tier::B),
                (5, Tier::C),
                (6, Tier::C)
            ]
        );
        // The customer that crosses 80% is A (share before it 50% < 80%).
        let t = tiers(&[(1, 50), (2, 40), (3, 10)], TierThresholds::default());
        assert_eq!(t, vec![(1, Tier::A), (2, Tier::A), (3, Tier::B)]);
        // Ties rank by id.
        let t = tiers(&[(9, 10), (3, 10)], TierThresholds::default());
        assert_eq!(t.first().map(|x| x.0), Some(3));
        // Nobody sold anything: everyone is C.
        assert_eq!(
            tiers(&[(1, 0)], TierThresholds::default()),
            vec![(1, Tier::C)]
        );
    }

    #[test]
    fn health_weighs_its_components() {
        let h = HealthInputs {
            days_since_order: Some(105),
            orders_12m: 3,
            tier: Tier::B,
            // Scores 9, 8, 8: 250 / 3 = 83.
            survey_sum: 25,
            survey_count: 3,
            open_complaints: 1,
            chain_changed: false,
        };
        // Recency (180 − 105) × 100 / 150 = 50; frequency 3 × 100 / 6 = 50;
        // satisfaction 83; complaints 50; decision chain 100.
        let parts: Vec<i64> = health_parts(&h).into_iter().map(|(_, s)| s).collect();
        assert_eq!(parts, vec![50, 50, 83, 50, 100]);
        // (50×30 + 50×25 + 83×20 + 50×15 + 100×10) / 100 = 6160 / 100 = 61.
        assert_eq!(health(&h), 61);
        assert_eq!(HealthPart::ALL.iter().map(|p| p.weight()).sum::<i64>(), 100);
    }

    #[test]
    fn health_edges() {
        let never = HealthInputs {
            days_since_order: None,
            orders_12m: 0,
            tier: Tier::C,
            survey_sum: 0,
            survey_count: 0,
            open_complaints: 3,
            chain_changed: true,
        };
        // Only the neutral satisfaction counts: 70 × 20 / 100 = 14.
        assert_eq!(health(&never), 14);
        let best = HealthInputs {
            days_since_order: Some(0),
            orders_12m: 40,
            tier: Tier::A,
            survey_sum: 20,
            survey_count: 2,
            open_complaints: 0,
            chain_changed: false,
        };
        assert_eq!(health(&best), 100);
        let edge = HealthInputs {
            days_since_order: Some(30),
            ..never
        };
        assert_eq!(health_parts(&edge)[0].1, 100);
        let edge = HealthInputs {
            days_since_order: Some(180),
            ..never
        };
        assert_eq!(health_parts(&edge)[0].1, 0);
    }
}
