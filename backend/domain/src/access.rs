//! Who may do what. Reads are decided per row by filters the persistence layer builds
//! from [`Viewer::read_scope`]; writes are decided here by [`Viewer::may`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The four roles of domain.md, in order of reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    Admin,
    Director,
    Supervisor,
    Rep,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Director, Role::Supervisor, Role::Rep];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Director => "DIRECTOR",
            Role::Supervisor => "SUPERVISOR",
            Role::Rep => "REP",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

/// The signed-in caller, as far as access decisions need it: who and in which role.
/// Everything else (assigned regions, own rep record) is looked up inside the queries,
/// so a change of assignment takes effect on the next request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: i32,
    pub role: Role,
}

/// Which rows of the people-and-accounts tables a viewer may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadScope {
    /// ADMIN and DIRECTOR: every region, rep and customer.
    Everything,
    /// SUPERVISOR: the regions assigned to this user, their reps and those reps' customers.
    AssignedRegions { supervisor_id: i32 },
    /// REP: the rep record linked to this user and its customers.
    OwnRep { user_id: i32 },
}

/// Things a viewer may write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    User,
    Region,
    Rep,
    Customer,
    AuditLog,
    /// Acknowledging and resolving alerts.
    Alert,
    /// The thresholds the alert rules read.
    AlertSettings,
    /// Visits and calls (logged by anyone who reads the customer).
    Activity,
    /// Customer complaints: opened and resolved by anyone who reads the customer.
    Complaint,
    /// The visit standard (visits a week per rep).
    ProcessSettings,
    /// Importing files, and exporting every target of the company.
    Import,
    /// Coaching sessions (logged by the supervisor who held them, or a director) and
    /// their scores.
    Coaching,
    /// The list of coaching dimensions sessions are scored on.
    CoachingDimensions,
    /// A rep's answer to a session: confirming the agreed next step, or commenting.
    CoachingResponse,
    /// Action items: their owner, and whoever may edit what they came from, moves them.
    ActionItem,
    /// Evaluations: written by a rep's supervisor (or a director), of a supervisor by a
    /// director; finalizing is [`Capability::FinalizeEvaluations`].
    Evaluation,
    /// Evaluation templates and cycles.
    EvaluationSetup,
    /// Satisfaction surveys: entered by whoever reads the customer, and survey links.
    Survey,
    /// Review meetings (复盘会) of a region: its supervisor, a director.
    ReviewMeeting,
    /// Promotion rules (晋升规则): a director's.
    PromotionRule,
    /// Knowledge-base articles: written by supervisors and directors; everyone else
    /// proposes (金点子).
    Article,
    /// Contributions (金点子): proposed by anyone; adopted or declined by a supervisor (of
    /// the author's region) or a director.
    Contribution,
    /// Views and helpful votes on articles: anyone who reads them.
    ArticleFeedback,
    /// Training courses (a director's catalogue).
    Course,
    /// Training sessions, their invitations, attendance and test scores: a director, or
    /// a supervisor for their regions.
    TrainingSession,
}

/// Powers of a role that are not "may write this kind of row" ([`Viewer::may`]) but a
/// question services and pages ask by name ([`Viewer::can`]). Row conditions (which
/// region, which rep) are still the row filters' (`service::scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capability {
    /// The company's figures: scorecards, trend, funnel and the ranking of its regions.
    ReadCompanyFigures,
    /// Figures of regions (scorecards, heatmap, the ranking of a region's reps): a rep
    /// sees their region in lists, but only their own figures.
    ReadRegionFigures,
    /// Giving a customer to a rep other than oneself: creating it for them, reassigning it.
    AssignCustomers,
    /// Setting (owning) targets at a level: ADMIN and DIRECTOR every level, a supervisor
    /// their reps' (domain.md "Targets").
    SetTarget(crate::targets::Level),
    /// Proposing another figure for a target handed down: a region's supervisor for the
    /// region's, a rep for their own.
    ProposeTarget(crate::targets::Level),
    /// Finalizing, returning and reopening evaluations; evaluating supervisors;
    /// calibration (domain.md "Evaluations": a director finalizes).
    FinalizeEvaluations,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Read,
}

impl Viewer {
    pub fn read_scope(&self) -> ReadScope {
        match self.role {
            Role::Admin | Role::Director => ReadScope::Everything,
            Role::Supervisor => ReadScope::AssignedRegions {
                supervisor_id: self.user_id,
            },
            Role::Rep => ReadScope::OwnRep {
                user_id: self.user_id,
            },
        }
    }

    /// Whether the viewer has a named power (see [`Capability`]). Every decision of this
    /// kind is made here, so a new page or mutation asks the same question.
    pub fn can(&self, capability: Capability) -> bool {
        use crate::targets::Level;
        match (self.role, capability) {
            (Role::Admin | Role::Director, _) => {
                !matches!(capability, Capability::ProposeTarget(_))
            }
            (
                Role::Supervisor,
                Capability::ReadCompanyFigures | Capability::FinalizeEvaluations,
            ) => false,
            (Role::Supervisor, Capability::ReadRegionFigures | Capability::AssignCustomers) => true,
            (Role::Supervisor, Capability::SetTarget(level)) => level == Level::Rep,
            (Role::Supervisor, Capability::ProposeTarget(level)) => level == Level::Region,
            (Role::Rep, Capability::ProposeTarget(level)) => level == Level::Rep,
            (Role::Rep, _) => false,
        }
    }

    /// The coarse write policy. Row-level conditions (a supervisor may only edit customers
    /// of reps they can see, a rep only their own) are checked against the row in the
    /// service layer by reading it through the same row filter.
    pub fn may(&self, action: Action, resource: Resource) -> bool {
        use Action::*;
        use Resource::*;
        match (self.role, action, resource) {
            (Role::Admin, _, _) => true,
            (_, Read, AuditLog) => false,
            (Role::Director, Read, _) => true,
            (
                Role::Director,
                Create | Update,
                Rep | Customer | Alert | AlertSettings | Activity | Complaint | ProcessSettings
                | Import | Coaching | CoachingDimensions | ActionItem | Evaluation
                | EvaluationSetup | Survey | ReviewMeeting | PromotionRule | Article | Contribution
                | ArticleFeedback | Course | TrainingSession,
            ) => true,
            (Role::Director, _, _) => false,
            (Role::Supervisor | Role::Rep, Read, _) => true,
            (
                Role::Supervisor | Role::Rep,
                Create | Update,
                Customer | Activity | Complaint | ActionItem | Survey | ArticleFeedback,
            ) => true,
            // Anyone proposes (金点子); deciding is an update.
            (Role::Supervisor | Role::Rep, Create, Contribution) => true,
            (Role::Supervisor, Update, Contribution) => true,
            (
                Role::Supervisor,
                Create | Update,
                Coaching | Evaluation | ReviewMeeting | Article | TrainingSession,
            ) => true,
            (Role::Rep, Update, CoachingResponse) => true,
            // Alerts are routed to supervisors; a rep reads the ones about them.
            (Role::Supervisor, Update, Alert) => true,
            (Role::Supervisor | Role::Rep, _, _) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(role));
        }
        assert!("ROOT".parse::<Role>().is_err());
    }

    #[test]
    fn read_scope_follows_the_role() {
        let v = |role| Viewer { user_id: 7, role };
        assert_eq!(v(Role::Admin).read_scope(), ReadScope::Everything);
        assert_eq!(v(Role::Director).read_scope(), ReadScope::Everything);
        assert_eq!(
            v(Role::Supervisor).read_scope(),
            ReadScope::AssignedRegions { supervisor_id: 7 }
        );
        assert_eq!(v(Role::Rep).read_scope(), ReadScope::OwnRep { user_id: 7 });
    }

    #[test]
    fn capabilities_follow_the_roles() {
        use crate::targets::Level;
        use Capability::*;
        // (capability, [ADMIN, DIRECTOR, SUPERVISOR, REP]) — domain.md "Roles and what they
        // may see" and "Targets".
        let table = [
            (ReadCompanyFigures, [true, true, false, false]),
            (ReadRegionFigures, [true, true, true, false]),
            (AssignCustomers, [true, true, true, false]),
            (SetTarget(Level::Company), [true, true, false, false]),
            (SetTarget(Level::Region), [true, true, false, false]),
            (SetTarget(Level::Rep), [true, true, true, false]),
            (ProposeTarget(Level::Company), [false, false, false, false]),
            (ProposeTarget(Level::Region), [false, false, true, false]),
            (ProposeTarget(Level::Rep), [false, false, false, true]),
            (FinalizeEvaluations, [true, true, false, false]),
        ];
        let roles = [Role::Admin, Role::Director, Role::Supervisor, Role::Rep];
        for (capability, allowed) in table {
            for (role, allowed) in roles.into_iter().zip(allowed) {
                let viewer = Viewer { user_id: 1, role };
                assert_eq!(viewer.can(capability), allowed, "{role} {capability:?}");
            }
        }
    }

    #[test]
    fn write_policy_matches_domain_table() {
        use Action::*;
        use Resource::*;
        // (role, action, resource, allowed) — domain.md "Roles and what they may see".
        let table = [
            (Role::Admin, Create, User, true),
            (Role::Admin, Update, Region, true),
            (Role::Admin, Read, AuditLog, true),
            (Role::Director, Create, User, false),
            (Role::Director, Create, Region, false),
            (Role::Director, Create, Rep, true),
            (Role::Director, Update, Customer, true),
            (Role::Director, Read, AuditLog, false),
            (Role::Supervisor, Create, Customer, true),
            (Role::Supervisor, Create, Rep, false),
            (Role::Supervisor, Update, Region, false),
            (Role::Supervisor, Create, User, false),
            (Role::Rep, Update, Customer, true),
            (Role::Rep, Create, Activity, true),
            (Role::Rep, Update, Complaint, true),
            (Role::Rep, Update, ProcessSettings, false),
            (Role::Supervisor, Update, ProcessSettings, false),
            (Role::Director, Update, ProcessSettings, true),
            (Role::Director, Create, Import, true),
            (Role::Supervisor, Create, Import, false),
            (Role::Rep, Create, Import, false),
            (Role::Rep, Update, Rep, false),
            (Role::Rep, Read, AuditLog, false),
            (Role::Director, Update, Alert, true),
            (Role::Director, Update, AlertSettings, true),
            (Role::Supervisor, Update, Alert, true),
            (Role::Supervisor, Update, AlertSettings, false),
            (Role::Rep, Update, Alert, false),
            (Role::Rep, Read, Alert, true),
            (Role::Director, Create, Coaching, true),
            (Role::Supervisor, Create, Coaching, true),
            (Role::Supervisor, Update, Coaching, true),
            (Role::Rep, Create, Coaching, false),
            (Role::Rep, Update, Coaching, false),
            (Role::Rep, Update, CoachingResponse, true),
            (Role::Supervisor, Update, CoachingResponse, false),
            (Role::Director, Update, CoachingResponse, false),
            (Role::Director, Update, CoachingDimensions, true),
            (Role::Supervisor, Update, CoachingDimensions, false),
            (Role::Rep, Update, CoachingDimensions, false),
            (Role::Rep, Update, ActionItem, true),
            (Role::Supervisor, Create, ActionItem, true),
            (Role::Supervisor, Create, Evaluation, true),
            (Role::Director, Update, Evaluation, true),
            (Role::Rep, Create, Evaluation, false),
            (Role::Rep, Update, Evaluation, false),
            (Role::Director, Update, EvaluationSetup, true),
            (Role::Supervisor, Update, EvaluationSetup, false),
            (Role::Rep, Create, Survey, true),
            (Role::Supervisor, Create, Survey, true),
            (Role::Director, Create, Survey, true),
            (Role::Supervisor, Create, ReviewMeeting, true),
            (Role::Director, Update, ReviewMeeting, true),
            (Role::Rep, Create, ReviewMeeting, false),
            (Role::Director, Update, PromotionRule, true),
            (Role::Admin, Create, PromotionRule, true),
            (Role::Supervisor, Update, PromotionRule, false),
            (Role::Rep, Update, PromotionRule, false),
            (Role::Rep, Read, PromotionRule, true),
            (Role::Director, Update, Article, true),
            (Role::Supervisor, Create, Article, true),
            (Role::Supervisor, Update, Article, true),
            (Role::Rep, Create, Article, false),
            (Role::Rep, Update, Article, false),
            (Role::Rep, Read, Article, true),
            (Role::Rep, Create, Contribution, true),
            (Role::Rep, Update, Contribution, false),
            (Role::Supervisor, Update, Contribution, true),
            (Role::Director, Update, Contribution, true),
            (Role::Rep, Create, ArticleFeedback, true),
            (Role::Supervisor, Create, ArticleFeedback, true),
            (Role::Director, Create, Course, true),
            (Role::Supervisor, Create, Course, false),
            (Role::Rep, Create, Course, false),
            (Role::Supervisor, Create, TrainingSession, true),
            (Role::Rep, Update, TrainingSession, false),
            (Role::Rep, Read, TrainingSession, true),
        ];
        for (role, action, resource, allowed) in table {
            let viewer = Viewer { user_id: 1, role };
            assert_eq!(
                viewer.may(action, resource),
                allowed,
                "{role} {action:?} {resource:?}"
            );
        }
    }
}
