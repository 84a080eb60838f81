//! Targets (目标): who sets and who may propose a target at each level, how a parent is
//! split into children, whether a split adds up, the split helper's proposal from
//! history, and the negotiation of a figure (domain.md "Targets", seed 001).

use crate::period::{Period, PeriodKind};

/// What a target measures. Money metrics hold cents; `NewCustomers` holds a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetMetric {
    Sales,
    Collection,
    NewCustomers,
}

impl TargetMetric {
    pub const ALL: [TargetMetric; 3] = [
        TargetMetric::Sales,
        TargetMetric::Collection,
        TargetMetric::NewCustomers,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TargetMetric::Sales => "SALES",
            TargetMetric::Collection => "COLLECTION",
            TargetMetric::NewCustomers => "NEW_CUSTOMERS",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
    /// Whether the value is money (cents) rather than a count.
    pub fn is_money(self) -> bool {
        !matches!(self, TargetMetric::NewCustomers)
    }
}

/// The level of the organisation a target belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Company,
    Region,
    Rep,
}

impl Level {
    /// The level a target of this level is split into.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::Company => Some(Level::Region),
            Level::Region => Some(Level::Rep),
            Level::Rep => None,
        }
    }
}

/// Who may take a pending proposal back: only the person who made it (the owner answers
/// it instead, by accepting or deciding).
pub fn may_withdraw(viewer_user_id: i32, proposed_by: i32) -> bool {
    viewer_user_id == proposed_by
}

/// The periods a parent target is split over: a year into its quarters, a quarter or a
/// month into itself (the children are the level below, for the same period).
pub fn child_periods(parent: Period) -> Vec<Period> {
    match parent.kind {
        PeriodKind::Year => (1..=4).map(|q| Period::quarter(parent.year, q)).collect(),
        PeriodKind::Quarter | PeriodKind::Month => vec![parent],
    }
}

/// How the children of a target compare with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitCheck {
    /// Σ of the children that have a target.
    pub children_total: i64,
    /// How many children have no target yet.
    pub missing: usize,
    /// children_total − parent; none without a parent target.
    pub difference: Option<i64>,
}

impl SplitCheck {
    /// A split adds up when every child has a target and they sum to the parent exactly.
    pub fn adds_up(&self) -> bool {
        self.missing == 0 && self.difference == Some(0)
    }
}

pub fn check_split(parent: Option<i64>, children: &[Option<i64>]) -> SplitCheck {
    // Saturating: values are bounded on input, but a total must never wrap.
    let children_total = children
        .iter()
        .flatten()
        .fold(0i64, |t, v| t.saturating_add(*v));
    SplitCheck {
        children_total,
        missing: children.iter().filter(|c| c.is_none()).count(),
        difference: parent.map(|p| children_total.saturating_sub(p)),
    }
}

/// The split helper: shares of `total` proportional to each child's history (what it did
/// in the same period a year earlier), rounded to whole units (cents or customers) by the
/// largest remainder so that they add up to `total` exactly; ties go to the earlier child.
/// Without any history (or a negative total) the split is even.
pub fn propose_shares(total: i64, history: &[i64]) -> Vec<i64> {
    let n = history.len();
    if n == 0 {
        return Vec::new();
    }
    let weights: Vec<i128> = history.iter().map(|h| i128::from((*h).max(0))).collect();
    let sum: i128 = weights.iter().sum();
    let (weights, sum) = if sum == 0 || total < 0 {
        (vec![1i128; n], n as i128)
    } else {
        (weights, sum)
    };
    let total = i128::from(total);
    let mut shares: Vec<i128> = weights.iter().map(|w| total * w / sum).collect();
    let mut rest = total - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..n).collect();
    // Largest remainder first; stable sort keeps earlier children first on ties.
    order.sort_by_key(|&i| std::cmp::Reverse((total * weights[i]) % sum));
    for i in order {
        if rest <= 0 {
            break;
        }
        shares[i] += 1;
        rest -= 1;
    }
    shares
        .into_iter()
        .map(|s| i64::try_from(s).unwrap_or(i64::MAX))
        .collect()
}

/// Where a proposal for another figure stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProposalStatus {
    /// Waiting for the owner.
    Pending,
    /// The owner took the proposed figure.
    Accepted,
    /// The owner set the final figure (which may be the old one).
    Decided,
    /// The proposer took it back.
    Withdrawn,
}

impl ProposalStatus {
    pub const ALL: [ProposalStatus; 4] = [
        ProposalStatus::Pending,
        ProposalStatus::Accepted,
        ProposalStatus::Decided,
        ProposalStatus::Withdrawn,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Pending => "PENDING",
            ProposalStatus::Accepted => "ACCEPTED",
            ProposalStatus::Decided => "DECIDED",
            ProposalStatus::Withdrawn => "WITHDRAWN",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
    /// Only a pending proposal can be answered or withdrawn.
    pub fn may_move_to(self, to: ProposalStatus) -> bool {
        self == ProposalStatus::Pending && to != ProposalStatus::Pending
    }
}

/// A target value must be ≥ 0; a count (new customers) must be whole.
pub fn validate_value(metric: TargetMetric, cents: i64) -> Result<i64, &'static str> {
    if cents < 0 {
        return Err("目标不能为负 / a target cannot be negative");
    }
    if !metric.is_money() && cents % 100 != 0 {
        return Err("新客户目标应为整数 / a new-customer target is a whole number");
    }
    Ok(if metric.is_money() {
        cents
    } else {
        cents / 100
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_proposer_withdraws() {
        assert!(may_withdraw(7, 7));
        assert!(!may_withdraw(7, 8));
    }

    #[test]
    fn shares_follow_history_and_add_up() {
        // 1000 split 1:3 → 250 / 750.
        assert_eq!(propose_shares(1000, &[100, 300]), vec![250, 750]);
        // 100 over 1:1:1 → 33.33 each; one cent left goes to the first (ties, earlier first).
        assert_eq!(propose_shares(100, &[5, 5, 5]), vec![34, 33, 33]);
        // 10 over 1:2 → 3.33 / 6.67 → 3 / 6 with one left, largest remainder (0.67) gets it.
        assert_eq!(propose_shares(10, &[1, 2]), vec![3, 7]);
    }

    #[test]
    fn shares_without_history_are_even() {
        assert_eq!(propose_shares(10, &[0, 0, 0]), vec![4, 3, 3]);
        assert_eq!(propose_shares(10, &[]), Vec::<i64>::new());
        // A negative history counts as none.
        assert_eq!(propose_shares(9, &[-5, 0, 0]), vec![3, 3, 3]);
        // A child with no history gets nothing when others have some.
        assert_eq!(propose_shares(10, &[0, 4]), vec![0, 10]);
    }

    #[test]
    fn shares_of_large_totals_do_not_overflow() {
        let s = propose_shares(i64::MAX / 2, &[i64::MAX / 3, i64::MAX / 3]);
        assert_eq!(s.iter().sum::<i64>(), i64::MAX / 2);
    }

    #[test]
    fn a_split_adds_up_only_when_complete_and_equal() {
        let c = check_split(Some(100), &[Some(60), Some(40)]);
        assert!(c.adds_up());
        assert_eq!(c.difference, Some(0));
        let c = check_split(Some(100), &[Some(60), Some(50)]);
        assert_eq!((c.children_total, c.difference), (110, Some(10)));
        assert!(!c.adds_up());
        let c = check_split(Some(100), &[Some(100), None]);
        assert_eq!((c.missing, c.difference), (1, Some(0)));
        assert!(!c.adds_up());
        let c = check_split(None, &[Some(1)]);
        assert_eq!(c.difference, None);
        assert!(!c.adds_up());
    }

    #[test]
    fn years_split_into_quarters() {
        let y = Period::year(2026);
        let qs = child_periods(y);
        assert_eq!(qs.len(), 4);
        assert_eq!(qs[3], Period::quarter(2026, 4));
        assert_eq!(
            child_periods(Period::quarter(2026, 2)),
            vec![Period::quarter(2026, 2)]
        );
    }

    #[test]
    fn levels_nest() {
        assert_eq!(Level::Company.child(), Some(Level::Region));
        assert_eq!(Level::Rep.child(), None);
    }

    #[test]
    fn only_pending_proposals_move() {
        use ProposalStatus::*;
        assert!(Pending.may_move_to(Accepted));
        assert!(Pending.may_move_to(Decided));
        assert!(Pending.may_move_to(Withdrawn));
        assert!(!Pending.may_move_to(Pending));
        assert!(!Accepted.may_move_to(Decided));
        assert!(!Withdrawn.may_move_to(Accepted));
    }

    #[test]
    fn values_are_checked_per_metric() {
        assert_eq!(validate_value(TargetMetric::Sales, 12345), Ok(12345));
        assert!(validate_value(TargetMetric::Sales, -1).is_err());
        assert_eq!(validate_value(TargetMetric::NewCustomers, 1200), Ok(12));
        assert!(validate_value(TargetMetric::NewCustomers, 1250).is_err());
        for m in TargetMetric::ALL {
            assert_eq!(TargetMetric::parse(m.as_str()), Some(m));
        }
    }
}
