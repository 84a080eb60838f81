//! Customer figures of domain.md: NPS, the sales cycle, customer tiers (客户分层) and the
//! thresholds they read. Pure functions; the SQL that will compute them at scale is
//! checked against these.

/// NPS = % of scores 9–10 − % of scores 0–6, in points (−100…100); `None` without scores.
pub fn nps(scores: &[i32]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as f64;
    let promoters = scores.iter().filter(|s| **s >= 9).count() as f64;
    let detractors = scores.iter().filter(|s| **s <= 6).count() as f64;
    Some((promoters - detractors) / n * 100.0)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
