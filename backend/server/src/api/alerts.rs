//! GraphQL shape of alerts (预警): the inbox list, counts per status, the status moves and
//! the thresholds.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use dudao_domain::Money;
use dudao_domain::alerts::{self as rules, Thresholds};

use super::scorecard::Decimal;
use super::types::{ConnectionOf, Customer, Date, OrderDirection, Region, Rep, User, connection};
use super::{db, ids, load_err, viewer};
use crate::entity::{alert, customer, region, rep};
use crate::error::AppError;
use crate::service::{self, page::PageArgs};

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::alerts::AlertRule")]
pub enum AlertRule {
    /// A week's sales below the share of the pro-rated weekly target.
    TargetShortfall,
    /// An order in the past year but none in the last 90 days.
    ChurnRisk,
    /// A survey score below the satisfaction threshold.
    LowSatisfaction,
    /// A receivable still unpaid some days after it was due.
    OverduePayment,
    /// A rep's coaching action items still open after their due day (one alert per rep).
    OverdueActions,
    /// A supervisor's draft evaluations due within 3 days or overdue.
    EvaluationsDue,
    /// 360° invitations not answered after 3 working days.
    EvaluationInputDue,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::alerts::AlertStatus")]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
}

pub struct Alert {
    row: alert::Model,
    /// Region, rep and customer when the list joined them already (`None`: load them).
    refs: Option<Refs>,
}

struct Refs {
    region: Option<region::Model>,
    rep: Option<rep::Model>,
    customer: Option<customer::Model>,
}

impl Alert {
    pub fn new(row: alert::Model) -> Self {
        Alert { row, refs: None }
    }
    fn listed(l: service::alerts::Listed) -> Self {
        Alert {
            row: l.alert,
            refs: Some(Refs {
                region: l.region,
                rep: l.rep,
                customer: l.customer,
            }),
        }
    }
}

fn money(c: Option<i64>) -> Option<Decimal> {
    c.map(|c| Decimal(Money(c)))
}

/// Something that needs a supervisor's attention, raised by a rule.
#[Object]
impl Alert {
    pub async fn id(&self) -> ID {
        ids::encode("Alert", self.row.id)
    }
    async fn rule(&self) -> AlertRule {
        self.row.rule.0.into()
    }
    async fn status(&self) -> AlertStatus {
        self.row.status.0.into()
    }
    /// Optimistic-lock version, to send back with a status change.
    async fn version(&self) -> i32 {
        self.row.version
    }
    /// The day of the run that raised it.
    async fn raised_on(&self) -> Date {
        Date(self.row.raised_on)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
    /// What it is about: the reviewed week's Monday (shortfall), the last order (churn),
    /// the survey's day (satisfaction) or the due date (overdue).
    async fn subject_on(&self) -> Date {
        Date(self.row.subject_on)
    }
    /// The ISO week of a shortfall, e.g. `2026-W47`.
    async fn week(&self) -> Option<String> {
        (self.row.rule == rules::AlertRule::TargetShortfall)
            .then(|| rules::week_label(self.row.subject_on))
    }
    /// The figure that tripped the rule: the week's sales, the customer's sales in the
    /// last year, or the amount still unpaid.
    async fn observed(&self) -> Option<Decimal> {
        money(self.row.observed_cents)
    }
    /// What it was measured against: the pro-rated weekly target or the receivable's amount.
    async fn expected(&self) -> Option<Decimal> {
        money(self.row.expected_cents)
    }
    /// What is at risk: the outstanding amount of an overdue payment, the gap to the
    /// weekly target of a shortfall; null for churn and satisfaction.
    async fn amount_at_risk(&self) -> Option<Decimal> {
        money(rules::amount_at_risk(
            self.row.rule.0,
            self.row.observed_cents,
            self.row.expected_cents,
        ))
    }
    /// Overdue payments: how many of the customer's receivables are overdue (one alert
    /// per customer, kept current by the hourly run). Shortfalls: in how many weeks the
    /// scope fell short while the alert was open (one alert per scope, moved to the
    /// latest week).
    async fn items(&self) -> Option<i32> {
        self.row.items
    }
    /// The survey score of a low-satisfaction alert.
    async fn score(&self) -> Option<i32> {
        self.row.score
    }
    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }
    async fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.row.acknowledged_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.row.resolved_at
    }
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        if let Some(r) = &self.refs {
            return Ok(r.region.clone().map(Region));
        }
        let l = super::loaders(ctx)?;
        Ok(l.region
            .load_one(self.row.region_id)
            .await
            .map_err(load_err)?
            .map(Region))
    }
    /// The rep concerned; null for a region's shortfall.
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        if let Some(r) = &self.refs {
            return Ok(r.rep.clone().map(Rep));
        }
        let Some(id) = self.row.rep_id else {
            return Ok(None);
        };
        let l = super::loaders(ctx)?;
        Ok(l.rep.load_one(id).await.map_err(load_err)?.map(Rep))
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>> {
        if let Some(r) = &self.refs {
            return Ok(r.customer.clone().map(Customer));
        }
        let Some(id) = self.row.customer_id else {
            return Ok(None);
        };
        let l = super::loaders(ctx)?;
        Ok(l.customer
            .load_one(id)
            .await
            .map_err(load_err)?
            .map(Customer))
    }
    /// The supervisor it is routed to; null when it goes to every supervisor of the region.
    async fn assignee(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.row.assignee_id).await
    }
    async fn acknowledged_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.row.acknowledged_by).await
    }
    async fn resolved_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.row.resolved_by).await
    }
}

async fn user(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<User>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let l = super::loaders(ctx)?;
    Ok(l.user.load_one(id).await.map_err(load_err)?.map(User))
}

#[derive(InputObject, Default)]
pub struct AlertFilter {
    /// Any of these statuses (all when empty).
    pub status: Option<Vec<AlertStatus>>,
    /// Any of these rules (all when empty).
    pub rule: Option<Vec<AlertRule>>,
    pub region_id: Option<ID>,
    pub rep_id: Option<ID>,
    pub customer_id: Option<ID>,
    /// Only alerts routed to me (directly, or to every supervisor of my regions).
    pub assigned_to_me: Option<bool>,
    /// Only alerts putting at least this much at risk (`amountAtRisk`).
    pub min_amount_at_risk: Option<Decimal>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum AlertOrderField {
    RaisedOn,
    SubjectOn,
    /// What the alert puts at risk (`amountAtRisk`; none counts as zero).
    AmountAtRisk,
}

#[derive(InputObject, Clone, Copy, Debug)]
pub struct AlertOrderBy {
    pub field: AlertOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl AlertFilter {
    fn into_service(self, me: i32) -> Result<service::alerts::Filter, AppError> {
        Ok(service::alerts::Filter {
            statuses: self
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            rules: self
                .rule
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            region_id: ids::decode_opt(self.region_id.as_ref(), "Region")?,
            rep_id: ids::decode_opt(self.rep_id.as_ref(), "Rep")?,
            customer_id: ids::decode_opt(self.customer_id.as_ref(), "Customer")?,
            assignee_id: self.assigned_to_me.unwrap_or(false).then_some(me),
            min_at_risk: self.min_amount_at_risk.map(|d| d.0.cents()),
        })
    }
}

/// What is new on a day for the caller: a person's daily digest of the inbox.
#[derive(SimpleObject)]
pub struct AlertDigest {
    pub day: Date,
    /// Raised that day.
    pub raised: i64,
    /// Resolved that day (by a person, or by a run once paid).
    pub resolved: i64,
    /// Open or acknowledged now.
    pub open: i64,
    /// What the open ones put at risk.
    pub amount_at_risk: Decimal,
    /// The same, per rule.
    pub rules: Vec<AlertDigestLine>,
}

#[derive(SimpleObject)]
pub struct AlertDigestLine {
    pub rule: AlertRule,
    pub raised: i64,
    pub resolved: i64,
    pub open: i64,
    pub amount_at_risk: Decimal,
}

#[derive(SimpleObject)]
pub struct AlertCount {
    pub status: AlertStatus,
    pub count: i64,
}

/// The thresholds the rules read (settings, not constants).
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "AlertThresholdsInput")]
pub struct AlertThresholds {
    /// A week below this share of the pro-rated weekly target is a shortfall (0.8 = 80%).
    pub shortfall_ratio: f64,
    /// A survey score below this is low satisfaction.
    pub satisfaction: f64,
    /// Days after the due date before an unpaid receivable is overdue.
    pub overdue_days: i32,
    /// Surveys older than this many days raise no alert.
    pub survey_lookback_days: i32,
}

impl From<Thresholds> for AlertThresholds {
    fn from(t: Thresholds) -> Self {
        AlertThresholds {
            shortfall_ratio: t.shortfall_ratio,
            satisfaction: t.satisfaction,
            overdue_days: i32::try_from(t.overdue_days).unwrap_or(i32::MAX),
            survey_lookback_days: i32::try_from(t.survey_lookback_days).unwrap_or(i32::MAX),
        }
    }
}

#[derive(SimpleObject)]
pub struct AlertRunRule {
    pub rule: AlertRule,
    pub raised: i64,
}

#[derive(SimpleObject)]
pub struct AlertRun {
    pub as_of: Date,
    pub raised: Vec<AlertRunRule>,
    pub total: i64,
}

/// The counts per status for `filter` (its statuses ignored), through a DataLoader: the
/// inbox asks for the list (whose total is a sum of these) and for the counts in one
/// request, and both come from one statement.
async fn counts(
    ctx: &Context<'_>,
    filter: &service::alerts::Filter,
) -> Result<Vec<(rules::AlertStatus, i64)>> {
    let mut key = filter.clone();
    key.statuses.clear();
    let l = super::loaders(ctx)?;
    Ok(l.alert_counts
        .load_one(key)
        .await
        .map_err(load_err)?
        .unwrap_or_default())
}

#[derive(Default)]
pub struct AlertQuery;

#[Object]
impl AlertQuery {
    /// Alerts the caller may read, newest first unless ordered otherwise.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn alerts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AlertFilter>,
        order_by: Option<AlertOrderBy>,
    ) -> Result<ConnectionOf<Alert>> {
        let v = viewer(ctx)?;
        let filter = filter.unwrap_or_default().into_service(v.user_id)?;
        let sort = match order_by {
            None => (
                service::alerts::SortField::RaisedOn,
                service::Direction::Desc,
            ),
            Some(o) => (
                match o.field {
                    AlertOrderField::RaisedOn => service::alerts::SortField::RaisedOn,
                    AlertOrderField::SubjectOn => service::alerts::SortField::SubjectOn,
                    AlertOrderField::AmountAtRisk => service::alerts::SortField::AmountAtRisk,
                },
                o.direction.into(),
            ),
        };
        let args = PageArgs::parse(first.map(i64::from), after.as_deref())?;
        let counts = counts(ctx, &filter).await?;
        let total = service::alerts::total(&counts, &filter.statuses);
        let p = service::alerts::page(db(ctx)?, v, &filter, sort, args, total).await?;
        Ok(connection(p, Alert::listed))
    }

    /// How many alerts match the filter, per status (the filter's status is ignored).
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn alert_counts(
        &self,
        ctx: &Context<'_>,
        filter: Option<AlertFilter>,
    ) -> Result<Vec<AlertCount>> {
        let v = viewer(ctx)?;
        let filter = filter.unwrap_or_default().into_service(v.user_id)?;
        Ok(counts(ctx, &filter)
            .await?
            .into_iter()
            .map(|(s, n)| AlertCount {
                status: s.into(),
                count: n,
            })
            .collect())
    }

    /// The thresholds in force.
    /// The caller's daily digest: what was raised and resolved on `day` (default today,
    /// the business day) and what is open, per rule, over the alerts they may read
    /// (`filter` narrows it, e.g. `assignedToMe`).
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn alert_digest(
        &self,
        ctx: &Context<'_>,
        day: Option<Date>,
        filter: Option<AlertFilter>,
    ) -> Result<AlertDigest> {
        let v = viewer(ctx)?;
        let day = day.map_or_else(crate::clock::today, |d| d.0);
        let filter = filter
            .map(|f| f.into_service(v.user_id))
            .transpose()?
            .unwrap_or_default();
        let lines = service::alerts::digest(db(ctx)?, v, &filter, day).await?;
        let sum = |f: fn(&service::alerts::DigestLine) -> i64| lines.iter().map(f).sum::<i64>();
        Ok(AlertDigest {
            day: Date(day),
            raised: sum(|l| l.raised),
            resolved: sum(|l| l.resolved),
            open: sum(|l| l.open),
            amount_at_risk: Decimal(dudao_domain::Money(sum(|l| l.at_risk))),
            rules: lines
                .iter()
                .map(|l| AlertDigestLine {
                    rule: l.rule.into(),
                    raised: l.raised,
                    resolved: l.resolved,
                    open: l.open,
                    amount_at_risk: Decimal(dudao_domain::Money(l.at_risk)),
                })
                .collect(),
        })
    }

    async fn alert_thresholds(&self, ctx: &Context<'_>) -> Result<AlertThresholds> {
        viewer(ctx)?;
        Ok(service::alerts::thresholds(db(ctx)?).await?.into())
    }
}

#[derive(InputObject)]
pub struct AlertStatusInput {
    pub id: ID,
    /// The version you last read; a different current version is `CONFLICT`.
    pub version: i32,
    /// What was done about it (kept with the alert).
    pub note: Option<String>,
}

async fn move_to(
    ctx: &Context<'_>,
    input: AlertStatusInput,
    to: rules::AlertStatus,
) -> Result<Alert> {
    let v = viewer(ctx)?;
    let id = ids::decode(&input.id, "Alert")?;
    Ok(Alert::new(
        service::alerts::set_status(db(ctx)?, v, id, input.version, to, input.note).await?,
    ))
}

#[derive(Default)]
pub struct AlertMutation;

#[Object]
impl AlertMutation {
    /// OPEN → ACKNOWLEDGED: someone is on it.
    async fn acknowledge_alert(&self, ctx: &Context<'_>, input: AlertStatusInput) -> Result<Alert> {
        move_to(ctx, input, rules::AlertStatus::Acknowledged).await
    }
    /// OPEN or ACKNOWLEDGED → RESOLVED.
    async fn resolve_alert(&self, ctx: &Context<'_>, input: AlertStatusInput) -> Result<Alert> {
        move_to(ctx, input, rules::AlertStatus::Resolved).await
    }
    /// RESOLVED → OPEN: undoes a resolve made by mistake.
    async fn reopen_alert(&self, ctx: &Context<'_>, input: AlertStatusInput) -> Result<Alert> {
        move_to(ctx, input, rules::AlertStatus::Open).await
    }
    /// Changes the thresholds (ADMIN, DIRECTOR). They apply from the next run.
    async fn update_alert_thresholds(
        &self,
        ctx: &Context<'_>,
        input: AlertThresholds,
    ) -> Result<AlertThresholds> {
        let v = viewer(ctx)?;
        let t = Thresholds {
            shortfall_ratio: input.shortfall_ratio,
            satisfaction: input.satisfaction,
            overdue_days: i64::from(input.overdue_days),
            survey_lookback_days: i64::from(input.survey_lookback_days),
        };
        Ok(service::alerts::set_thresholds(db(ctx)?, v, t)
            .await?
            .into())
    }
    /// Runs the rules now (ADMIN, DIRECTOR), as of `asOf` (default today). Idempotent.
    async fn run_alerts(&self, ctx: &Context<'_>, as_of: Option<Date>) -> Result<AlertRun> {
        let v = viewer(ctx)?;
        crate::service::alerts::require_run(v)?;
        let as_of = as_of.map_or_else(crate::clock::today, |d| d.0);
        let r = service::alerts::run(db(ctx)?, as_of).await?;
        Ok(AlertRun {
            as_of: Date(as_of),
            total: i64::try_from(r.total()).unwrap_or(i64::MAX),
            raised: r
                .raised
                .into_iter()
                .map(|(rule, n)| AlertRunRule {
                    rule: rule.into(),
                    raised: i64::try_from(n).unwrap_or(i64::MAX),
                })
                .collect(),
        })
    }
}
