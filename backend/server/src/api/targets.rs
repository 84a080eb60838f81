//! GraphQL shape of targets (目标): the split grid with the helper's proposal and the
//! check, setting a split, and the negotiation of a figure.
//!
//! Values are `Decimal` for every metric: money for SALES and COLLECTION, a whole number
//! of customers (`"12.00"`) for NEW_CUSTOMERS.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use dudao_domain::Money;
use dudao_domain::targets::{self as rules, TargetMetric as DomainMetric};

use super::scorecard::{Decimal, PeriodInfo, PeriodInput, ScopeInput, ScopeKind};
use super::types::User;
use super::{db, ids, load_err, viewer};
use crate::entity::{target, target_change, target_proposal};
use crate::error::AppError;
use crate::service::scorecard::Scope;
use crate::service::targets as svc;

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
#[graphql(remote = "dudao_domain::targets::TargetMetric")]
pub enum TargetMetric {
    #[default]
    Sales,
    Collection,
    NewCustomers,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::targets::ProposalStatus")]
pub enum ProposalStatus {
    Pending,
    Accepted,
    Decided,
    Withdrawn,
}

/// A stored value as the API shows it: cents, or a count shown as a whole Decimal.
fn shown(metric: DomainMetric, v: i64) -> Decimal {
    Decimal(Money(if metric.is_money() {
        v
    } else {
        v.saturating_mul(100)
    }))
}

fn stored(metric: DomainMetric, v: Decimal) -> Result<i64, AppError> {
    rules::validate_value(metric, v.0.0).map_err(|e| AppError::BadInput(format!("value: {e}")))
}

fn metric(t: &target::Model) -> Result<DomainMetric, AppError> {
    svc::metric_of(t)
}

/// The company, a region or a rep a target belongs to.
pub struct TargetScope(pub Scope);

#[Object]
impl TargetScope {
    async fn kind(&self) -> ScopeKind {
        match self.0 {
            Scope::Company => ScopeKind::Company,
            Scope::Region(_) => ScopeKind::Region,
            Scope::Rep(_) => ScopeKind::Rep,
        }
    }
    /// The Region or Rep id; null for the company.
    async fn id(&self) -> Option<ID> {
        match self.0 {
            Scope::Company => None,
            Scope::Region(id) => Some(ids::encode("Region", id)),
            Scope::Rep(id) => Some(ids::encode("Rep", id)),
        }
    }
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        let l = super::loaders(ctx)?;
        Ok(match self.0 {
            Scope::Company => "公司 / Company".to_owned(),
            Scope::Region(id) => l
                .region
                .load_one(id)
                .await
                .map_err(load_err)?
                .map(|r| r.name)
                .unwrap_or_default(),
            Scope::Rep(id) => l
                .rep
                .load_one(id)
                .await
                .map_err(load_err)?
                .map(|r| r.name)
                .unwrap_or_default(),
        })
    }
}

pub struct Target(pub target::Model);

/// A target: one metric for one scope and period, with its history of changes and
/// proposals.
#[Object]
impl Target {
    pub async fn id(&self) -> ID {
        ids::encode("Target", self.0.id)
    }
    async fn metric(&self) -> Result<TargetMetric> {
        Ok(metric(&self.0)?.into())
    }
    async fn scope(&self) -> Result<TargetScope> {
        Ok(TargetScope(svc::scope_of(&self.0)?))
    }
    async fn period(&self) -> Result<PeriodInfo> {
        Ok(PeriodInfo::new(svc::period_of(&self.0)?))
    }
    async fn value(&self) -> Result<Decimal> {
        Ok(shown(metric(&self.0)?, self.0.value))
    }
    /// Optimistic-lock version, to send back with a change.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every change of the value, newest first.
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<TargetChange>> {
        let m = metric(&self.0)?;
        let l = super::loaders(ctx)?;
        Ok(l.target_changes
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(|c| TargetChange(c, m))
            .collect())
    }
    /// Every proposal made for it, newest first.
    async fn proposals(&self, ctx: &Context<'_>) -> Result<Vec<TargetProposal>> {
        let l = super::loaders(ctx)?;
        Ok(l.target_proposals
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(|p| TargetProposal(p, self.0.clone()))
            .collect())
    }
}

pub struct TargetChange(target_change::Model, DomainMetric);

/// One change of a target's value: set directly, or through a proposal.
#[Object]
impl TargetChange {
    /// Null when the target was created by this change.
    async fn before(&self) -> Option<Decimal> {
        self.0.value_before.map(|v| shown(self.1, v))
    }
    async fn after(&self) -> Decimal {
        shown(self.1, self.0.value_after)
    }
    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }
    async fn changed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.changed_by).await
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// Whether it came from answering a proposal.
    async fn from_proposal(&self) -> bool {
        self.0.proposal_id.is_some()
    }
}

async fn user(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<User>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let l = super::loaders(ctx)?;
    Ok(l.user.load_one(id).await.map_err(load_err)?.map(User))
}

pub struct TargetProposal(target_proposal::Model, target::Model);

/// Another figure proposed for a target by the one it was handed to, and the answer.
#[Object]
impl TargetProposal {
    async fn id(&self) -> ID {
        ids::encode("TargetProposal", self.0.id)
    }
    async fn target(&self) -> Target {
        Target(self.1.clone())
    }
    async fn status(&self) -> ProposalStatus {
        self.0.status.0.into()
    }
    async fn value(&self) -> Result<Decimal> {
        Ok(shown(metric(&self.1)?, self.0.proposed_value))
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    async fn proposed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, Some(self.0.proposed_by)).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The figure decided (the proposed one when accepted); null while pending or withdrawn.
    async fn decided_value(&self) -> Result<Option<Decimal>> {
        let m = metric(&self.1)?;
        Ok(self.0.decided_value.map(|v| shown(m, v)))
    }
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.decided_by).await
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One child period of a child: its target, what it did a year earlier, and the helper's
/// share of the parent.
#[derive(SimpleObject)]
pub struct TargetCell {
    pub period: PeriodInfo,
    pub target: Option<Target>,
    /// The same metric in the same period a year earlier.
    pub history: Decimal,
    /// The split helper's share of the parent target, from history; null without a parent.
    pub suggested: Option<Decimal>,
    pub pending_proposal: Option<TargetProposal>,
}

#[derive(SimpleObject)]
pub struct TargetSplitRow {
    pub scope: TargetScope,
    pub cells: Vec<TargetCell>,
}

/// A target and its split one level down: a company year into regions × quarters, a
/// region's quarter (or month) into its reps.
#[derive(SimpleObject)]
pub struct TargetSplit {
    pub metric: TargetMetric,
    pub scope: TargetScope,
    pub period: PeriodInfo,
    pub parent: Option<Target>,
    pub parent_pending_proposal: Option<TargetProposal>,
    /// REGION or REP; null for a rep's target (nothing below it).
    pub child_kind: Option<ScopeKind>,
    pub periods: Vec<PeriodInfo>,
    pub rows: Vec<TargetSplitRow>,
    /// Σ per child period of the children's targets.
    pub column_totals: Vec<Decimal>,
    pub children_total: Decimal,
    /// Children without a target.
    pub missing: i32,
    /// Children's total − parent; null without a parent target.
    pub difference: Option<Decimal>,
    /// Every child has a target and they sum to the parent exactly.
    pub adds_up: bool,
    /// The caller may set the parent target.
    pub can_set: bool,
    /// The caller may set the children's targets.
    pub can_set_children: bool,
    /// The caller may propose another figure for the parent target.
    pub can_propose: bool,
}

#[derive(Default)]
pub struct TargetQuery;

#[Object]
impl TargetQuery {
    /// A target and its split one level down, with history, the helper's shares and
    /// whether the children add up.
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn target_split(
        &self,
        ctx: &Context<'_>,
        metric: Option<TargetMetric>,
        scope: ScopeInput,
        period: PeriodInput,
    ) -> Result<TargetSplit> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let m: DomainMetric = metric.unwrap_or_default().into();
        let scope = scope.parse()?;
        let period = period.parse()?;
        let s = svc::split(db, v, m, scope, period).await?;
        let level = svc::level(scope);
        use dudao_domain::Capability::{ProposeTarget, SetTarget};
        let can_set = v.can(SetTarget(level));
        let can_set_children = level.child().is_some_and(|c| v.can(SetTarget(c)));
        let can_propose = v.can(ProposeTarget(level));
        let mut column_totals = vec![0i64; s.periods.len()];
        let parent_model = s.parent.clone();
        let rows = s
            .children
            .into_iter()
            .zip(s.cells)
            .map(|(c, cells)| TargetSplitRow {
                scope: TargetScope(c.scope),
                cells: cells
                    .into_iter()
                    .zip(&s.periods)
                    .enumerate()
                    .map(|(i, (cell, p))| {
                        if let (Some(t), Some(tot)) = (&cell.target, column_totals.get_mut(i)) {
                            *tot += t.value;
                        }
                        TargetCell {
                            period: PeriodInfo::new(*p),
                            pending_proposal: match (&cell.pending, &cell.target) {
                                (Some(pp), Some(t)) => Some(TargetProposal(pp.clone(), t.clone())),
                                _ => None,
                            },
                            target: cell.target.map(Target),
                            history: shown(m, cell.history),
                            suggested: cell.suggested.map(|x| shown(m, x)),
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(TargetSplit {
            metric: m.into(),
            scope: TargetScope(scope),
            period: PeriodInfo::new(period),
            parent_pending_proposal: match (s.parent_pending, &parent_model) {
                (Some(p), Some(t)) => Some(TargetProposal(p, t.clone())),
                _ => None,
            },
            parent: parent_model.map(Target),
            child_kind: s.child_level.map(|l| match l {
                rules::Level::Region => ScopeKind::Region,
                rules::Level::Rep => ScopeKind::Rep,
                rules::Level::Company => ScopeKind::Company,
            }),
            periods: s.periods.iter().map(|p| PeriodInfo::new(*p)).collect(),
            rows,
            column_totals: column_totals.into_iter().map(|t| shown(m, t)).collect(),
            children_total: shown(m, s.check.children_total),
            missing: i32::try_from(s.check.missing).unwrap_or(i32::MAX),
            difference: s.check.difference.map(|d| shown(m, d)),
            adds_up: s.check.adds_up(),
            can_set,
            can_set_children,
            can_propose,
        })
    }

    /// Proposals waiting for the caller's answer (targets they set), oldest first.
    async fn pending_target_proposals(&self, ctx: &Context<'_>) -> Result<Vec<TargetProposal>> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let ps = svc::pending_for_owner(db, v).await?;
        let targets = svc::by_ids(db, ps.iter().map(|p| p.target_id).collect()).await?;
        Ok(ps
            .into_iter()
            .filter_map(|p| {
                let t = targets.get(&p.target_id)?.clone();
                Some(TargetProposal(p, t))
            })
            .collect())
    }
}

#[derive(InputObject)]
pub struct TargetValueInput {
    pub metric: Option<TargetMetric>,
    pub scope: ScopeInput,
    pub period: PeriodInput,
    pub value: Decimal,
    /// The version read; required when the target exists (a different one is `CONFLICT`).
    pub version: Option<i32>,
}

#[derive(InputObject)]
pub struct SetTargetsInput {
    pub targets: Vec<TargetValueInput>,
    /// Why (kept in each target's history).
    pub reason: Option<String>,
}

#[derive(InputObject)]
pub struct ProposeTargetInput {
    pub target_id: ID,
    pub value: Decimal,
    /// Why another figure (required).
    pub reason: String,
}

#[derive(InputObject)]
pub struct AnswerTargetProposalInput {
    pub id: ID,
    pub version: i32,
    /// For decideTargetProposal: the final figure.
    pub value: Option<Decimal>,
    pub note: Option<String>,
}

#[derive(Default)]
pub struct TargetMutation;

async fn answer(
    ctx: &Context<'_>,
    input: AnswerTargetProposalInput,
    kind: &str,
) -> Result<TargetProposal> {
    let v = viewer(ctx)?;
    let db = db(ctx)?;
    let id = ids::decode(&input.id, "TargetProposal")?;
    let a = match kind {
        "accept" => svc::Answer::Accept,
        "withdraw" => svc::Answer::Withdraw,
        _ => {
            let Some(value) = input.value else {
                return Err(AppError::BadInput("value: 必填 / is required".into()).into());
            };
            // Validated against the target's metric in the service.
            svc::Answer::Decide(value.0.0)
        }
    };
    let (p, t) = svc::answer(db, v, id, input.version, a, input.note).await?;
    Ok(TargetProposal(p, t))
}

#[Object]
impl TargetMutation {
    /// Sets targets (a whole split at once), all or nothing: ADMIN and DIRECTOR anywhere,
    /// a supervisor the reps of their regions.
    async fn set_targets(&self, ctx: &Context<'_>, input: SetTargetsInput) -> Result<Vec<Target>> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let mut values = Vec::with_capacity(input.targets.len());
        for (i, t) in input.targets.into_iter().enumerate() {
            let m: DomainMetric = t.metric.unwrap_or_default().into();
            let value = stored(m, t.value)
                .map_err(|e| AppError::BadInput(format!("targets[{i}]: {}", e.message())))?;
            values.push(svc::NewValue {
                metric: m,
                scope: t.scope.parse()?,
                period: t.period.parse()?,
                value,
                version: t.version,
            });
        }
        Ok(svc::set_many(db, v, values, input.reason)
            .await?
            .into_iter()
            .map(Target)
            .collect())
    }

    /// Proposes another figure for a target handed down to the caller (a supervisor for
    /// their region, a rep for themselves), with a reason.
    async fn propose_target(
        &self,
        ctx: &Context<'_>,
        input: ProposeTargetInput,
    ) -> Result<TargetProposal> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let id = ids::decode(&input.target_id, "Target")?;
        let p = svc::propose(db, v, id, input.value.0.0, Some(input.reason)).await?;
        let t = svc::get(db, v, id).await?;
        Ok(TargetProposal(p, t))
    }

    /// The owner takes the proposed figure.
    async fn accept_target_proposal(
        &self,
        ctx: &Context<'_>,
        input: AnswerTargetProposalInput,
    ) -> Result<TargetProposal> {
        answer(ctx, input, "accept").await
    }

    /// The owner sets the final figure (`value`, which may be the old one).
    async fn decide_target_proposal(
        &self,
        ctx: &Context<'_>,
        input: AnswerTargetProposalInput,
    ) -> Result<TargetProposal> {
        answer(ctx, input, "decide").await
    }

    /// The proposer takes a pending proposal back.
    async fn withdraw_target_proposal(
        &self,
        ctx: &Context<'_>,
        input: AnswerTargetProposalInput,
    ) -> Result<TargetProposal> {
        answer(ctx, input, "withdraw").await
    }
}
