//! Closed sets of names (statuses, kinds, metrics, roles) that the database stores as text
//! and GraphQL sends as enums. Each is a Rust enum with one [`Code`] per variant, so code
//! compares variants, never strings; the server's entities store them through one generic
//! column type (`entity::Stored`).

/// A value from a closed set, written as its code (`"CANCELLED"`, `"REP"`).
pub trait Code: Copy + Eq + Sized + Send + Sync + 'static {
    /// Every value, in their natural order.
    const ALL: &'static [Self];
    /// What the set is called in messages (`"order status"`).
    const WHAT: &'static str;
    /// The stored and sent name.
    fn code(self) -> &'static str;
    /// The value of a stored name; `None` for anything else.
    fn from_code(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == s)
    }
}

macro_rules! codes {
    ($($ty:ty: $what:literal = [$($v:ident),+ $(,)?]);+ $(;)?) => {$(
        impl Code for $ty {
            const ALL: &'static [Self] = &[$(<$ty>::$v),+];
            const WHAT: &'static str = $what;
            fn code(self) -> &'static str {
                self.as_str()
            }
        }
    )+};
}

codes! {
    crate::Role: "role" = [Admin, Director, Supervisor, Rep];
    crate::RepStatus: "rep status" = [Active, OnLeave, Left];
    crate::PeriodKind: "period kind" = [Month, Quarter, Year];
    crate::activity::ActivityKind: "activity kind" = [Visit, Call];
    crate::alerts::AlertRule: "alert rule" = [TargetShortfall, ChurnRisk, LowSatisfaction, OverduePayment, OverdueActions, EvaluationsDue, EvaluationInputDue];
    crate::coaching::CoachingType: "coaching type" = [RideAlong, OneOnOne, CallReview, RolePlay];
    crate::coaching::ActionStatus: "action item status" = [Open, Done, Dropped];
    crate::evaluation::IndicatorCategory: "indicator category" = [Result, Process, Capability];
    crate::evaluation::EvaluatorGroup: "evaluator group" = [Superior, Peer, Customer, SelfReview];
    crate::evaluation::EvaluationStatus: "evaluation status" = [Draft, Submitted, Finalized];
    crate::evaluation::SubjectKind: "subject kind" = [Rep, Supervisor];
    crate::evaluation::Source: "indicator source" = [Manual, SalesAttainment, CollectionRate, NewCustomers, Satisfaction, ThreeSixty, VisitCompliance, RecordCompleteness, ComplaintResponse, TrainingAttendance, TrainingResults];
    crate::evaluation::Step: "evaluation step" = [Submit, Finalize, Return, Reopen];
    crate::alerts::AlertStatus: "alert status" = [Open, Acknowledged, Resolved];
    crate::targets::TargetMetric: "target metric" = [Sales, Collection, NewCustomers];
    crate::targets::ProposalStatus: "proposal status" = [Pending, Accepted, Decided, Withdrawn];
    crate::transfer::OrderStatus: "order status" = [Confirmed, Cancelled];
    crate::transfer::ScopeKind: "scope kind" = [Company, Region, Rep];
    crate::training::CourseFormat: "course format" = [Online, Workshop, Mentoring];
    crate::knowledge::Category: "article category" = [Product, Customer, Process, Case];
    crate::knowledge::Scenario: "objection scenario" = [PriceSensitive, ComplexDecisionChain, CompetitorComparison, NeedUnclear, DelayedDecision, TrustConcern];
    crate::knowledge::ContributionKind: "contribution kind" = [NewArticle, Edit, Idea];
    crate::knowledge::ContributionStatus: "contribution status" = [Proposed, Adopted, Declined];
}

#[cfg(test)]
mod tests {
    use super::Code;

    fn round_trips<T: Code + std::fmt::Debug>() {
        let mut seen = std::collections::HashSet::new();
        for v in T::ALL {
            assert_eq!(T::from_code(v.code()), Some(*v), "{} {v:?}", T::WHAT);
            assert!(seen.insert(v.code()), "{} {v:?}: code used twice", T::WHAT);
        }
        assert_eq!(T::from_code("nonsense"), None);
        assert_eq!(T::from_code(""), None);
    }

    #[test]
    fn every_code_round_trips_and_is_unique() {
        round_trips::<crate::Role>();
        round_trips::<crate::RepStatus>();
        round_trips::<crate::PeriodKind>();
        round_trips::<crate::evaluation::IndicatorCategory>();
        round_trips::<crate::evaluation::EvaluatorGroup>();
        round_trips::<crate::evaluation::EvaluationStatus>();
        round_trips::<crate::evaluation::SubjectKind>();
        round_trips::<crate::evaluation::Source>();
        round_trips::<crate::evaluation::Step>();
        round_trips::<crate::activity::ActivityKind>();
        round_trips::<crate::coaching::CoachingType>();
        round_trips::<crate::coaching::ActionStatus>();
        round_trips::<crate::alerts::AlertRule>();
        round_trips::<crate::alerts::AlertStatus>();
        round_trips::<crate::targets::TargetMetric>();
        round_trips::<crate::targets::ProposalStatus>();
        round_trips::<crate::transfer::OrderStatus>();
        round_trips::<crate::transfer::ScopeKind>();
    }

    /// Sets that list their values themselves name every one here too (a value missing
    /// here could be written but not read back).
    #[test]
    fn every_value_has_its_code() {
        assert_eq!(
            <crate::alerts::AlertRule as Code>::ALL,
            &crate::alerts::AlertRule::ALL[..]
        );
        assert_eq!(
            <crate::evaluation::Source as Code>::ALL,
            &crate::evaluation::Source::ALL[..]
        );
    }

    #[test]
    fn codes_are_what_the_database_holds() {
        assert_eq!(crate::transfer::OrderStatus::Cancelled.code(), "CANCELLED");
        assert_eq!(crate::RepStatus::OnLeave.code(), "ON_LEAVE");
        assert_eq!(
            crate::targets::TargetMetric::NewCustomers.code(),
            "NEW_CUSTOMERS"
        );
        assert_eq!(
            crate::alerts::AlertRule::OverduePayment.code(),
            "OVERDUE_PAYMENT"
        );
    }
}
