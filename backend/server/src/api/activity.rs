//! GraphQL shape of activity (过程): visits and calls, complaints, the visit standard and
//! the process figures of a scope.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use dudao_domain::activity as rules;

use super::scorecard::{PeriodInfo, PeriodInput, ScopeInput};
use super::types::{ConnectionOf, Customer, Date, Rep, User, connection};
use super::{db, ids, load_err, viewer};
use crate::entity::{activity, complaint};
use crate::error::AppError;
use crate::service::{self, page::PageArgs};

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::activity::ActivityKind")]
pub enum ActivityKind {
    Visit,
    Call,
}

async fn rep(ctx: &Context<'_>, id: i32) -> Result<Option<Rep>> {
    let l = super::loaders(ctx)?;
    Ok(l.rep.load_one(id).await.map_err(load_err)?.map(Rep))
}

async fn customer(ctx: &Context<'_>, id: i32) -> Result<Option<Customer>> {
    let l = super::loaders(ctx)?;
    Ok(l.customer
        .load_one(id)
        .await
        .map_err(load_err)?
        .map(Customer))
}

async fn user(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<User>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let l = super::loaders(ctx)?;
    Ok(l.user.load_one(id).await.map_err(load_err)?.map(User))
}

pub struct Activity(pub activity::Model);

/// A visit or call with a customer, counted for the customer's rep.
#[Object]
impl Activity {
    pub async fn id(&self) -> ID {
        ids::encode("Activity", self.0.id)
    }
    async fn kind(&self) -> ActivityKind {
        self.0.kind.0.into()
    }
    async fn occurred_on(&self) -> Date {
        Date(self.0.occurred_on)
    }
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn next_step(&self) -> Option<&str> {
        self.0.next_step.as_deref()
    }
    /// Outcome and next step are both filled in (record completeness).
    async fn complete(&self) -> bool {
        rules::is_complete(self.0.outcome.as_deref(), self.0.next_step.as_deref())
    }
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        rep(ctx, self.0.rep_id).await
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>> {
        customer(ctx, self.0.customer_id).await
    }
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.created_by).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct Complaint(pub complaint::Model);

/// A customer's complaint, from opening to resolution.
#[Object]
impl Complaint {
    pub async fn id(&self) -> ID {
        ids::encode("Complaint", self.0.id)
    }
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    /// Hours from opening to resolution; null while open.
    async fn response_hours(&self) -> Option<f64> {
        self.0
            .resolved_at
            .map(|r| (r - self.0.opened_at).num_seconds() as f64 / 3600.0)
    }
    async fn open(&self) -> bool {
        self.0.resolved_at.is_none()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        rep(ctx, self.0.rep_id).await
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>> {
        customer(ctx, self.0.customer_id).await
    }
    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.created_by).await
    }
}

#[derive(InputObject, Default)]
pub struct ActivityFilter {
    pub rep_id: Option<ID>,
    pub region_id: Option<ID>,
    pub customer_id: Option<ID>,
    pub kind: Option<ActivityKind>,
    /// First day, inclusive.
    pub from: Option<Date>,
    /// Last day, inclusive.
    pub to: Option<Date>,
    /// Only records missing their outcome or next step.
    pub incomplete: Option<bool>,
}

#[derive(InputObject, Default)]
pub struct ComplaintFilter {
    pub rep_id: Option<ID>,
    pub region_id: Option<ID>,
    pub customer_id: Option<ID>,
    /// true: unresolved only; false: resolved only.
    pub open: Option<bool>,
    /// Opened on or after this day.
    pub from: Option<Date>,
    /// Opened on or before this day.
    pub to: Option<Date>,
}

/// The process figures (过程指标) of a scope in a period.
#[derive(SimpleObject)]
pub struct ProcessFigures {
    pub period: PeriodInfo,
    pub visits: i64,
    pub calls: i64,
    /// The visit standard pro-rated to the period, times the scope's active reps.
    pub visits_required: f64,
    /// visits / visits required (1.0 = 100%); null when nothing is required.
    pub visit_compliance: Option<f64>,
    /// Share of visits with outcome and next step; null without visits.
    pub record_completeness: Option<f64>,
    pub complaints_opened: i64,
    pub complaints_resolved: i64,
    /// Open at the end of the period.
    pub complaints_open: i64,
    /// Mean hours from opening to resolution of the complaints resolved in the period.
    pub complaint_response_hours: Option<f64>,
    /// Visits a week per rep in force.
    pub visits_per_week: i64,
}

fn page(first: Option<i32>, after: Option<&str>) -> Result<PageArgs, AppError> {
    PageArgs::parse(first.map(i64::from), after)
}

#[derive(Default)]
pub struct ActivityQuery;

#[Object]
impl ActivityQuery {
    /// Visits and calls the caller may read, newest first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ActivityFilter>,
    ) -> Result<ConnectionOf<Activity>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::activity::ActivityFilter {
            rep_id: ids::decode_opt(f.rep_id.as_ref(), "Rep")?,
            region_id: ids::decode_opt(f.region_id.as_ref(), "Region")?,
            customer_id: ids::decode_opt(f.customer_id.as_ref(), "Customer")?,
            kind: f.kind.map(Into::into),
            from: f.from.map(|d| d.0),
            to: f.to.map(|d| d.0),
            incomplete: f.incomplete.unwrap_or(false),
        };
        let p =
            service::activity::list(db(ctx)?, v, filter, page(first, after.as_deref())?).await?;
        Ok(connection(p, Activity))
    }

    /// Complaints the caller may read, newest first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ComplaintFilter>,
    ) -> Result<ConnectionOf<Complaint>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::activity::ComplaintFilter {
            rep_id: ids::decode_opt(f.rep_id.as_ref(), "Rep")?,
            region_id: ids::decode_opt(f.region_id.as_ref(), "Region")?,
            customer_id: ids::decode_opt(f.customer_id.as_ref(), "Customer")?,
            open: f.open,
            from: f.from.map(|d| d.0),
            to: f.to.map(|d| d.0),
        };
        let p = service::activity::complaints(db(ctx)?, v, filter, page(first, after.as_deref())?)
            .await?;
        Ok(connection(p, Complaint))
    }

    /// Visit compliance, record completeness and complaints of a scope in a period.
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn process(
        &self,
        ctx: &Context<'_>,
        scope: ScopeInput,
        period: PeriodInput,
    ) -> Result<ProcessFigures> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let p = period.parse()?;
        let (f, per_week) = service::activity::process(db, v, scope.parse()?, p).await?;
        Ok(ProcessFigures {
            period: PeriodInfo::new(p),
            visits: f.visits,
            calls: f.calls,
            visits_required: f.visits_required,
            visit_compliance: f.visit_compliance,
            record_completeness: f.record_completeness,
            complaints_opened: f.complaints_opened,
            complaints_resolved: f.complaints_resolved,
            complaints_open: f.complaints_open,
            complaint_response_hours: f.complaint_response_hours,
            visits_per_week: per_week,
        })
    }

    /// The visit standard: visits a week per rep.
    async fn visit_standard(&self, ctx: &Context<'_>) -> Result<i64> {
        viewer(ctx)?;
        Ok(service::activity::visits_per_week(db(ctx)?).await?)
    }
}

#[derive(InputObject)]
pub struct LogActivityInput {
    pub customer_id: ID,
    pub kind: ActivityKind,
    /// Not in the future.
    pub occurred_on: Date,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
}

#[derive(InputObject)]
pub struct OpenComplaintInput {
    pub customer_id: ID,
    pub subject: String,
}

#[derive(InputObject)]
pub struct ResolveComplaintInput {
    pub id: ID,
    pub version: i32,
    /// What was done (required).
    pub resolution: String,
}

#[derive(Default)]
pub struct ActivityMutation;

#[Object]
impl ActivityMutation {
    /// Logs a visit or call with a customer the caller may read (counted for its rep).
    async fn log_activity(&self, ctx: &Context<'_>, input: LogActivityInput) -> Result<Activity> {
        let v = viewer(ctx)?;
        let row = service::activity::log(
            db(ctx)?,
            v,
            service::activity::NewActivity {
                customer_id: ids::decode(&input.customer_id, "Customer")?,
                kind: input.kind.into(),
                occurred_on: input.occurred_on.0,
                outcome: input.outcome,
                next_step: input.next_step,
            },
        )
        .await?;
        Ok(Activity(row))
    }

    /// Records a complaint from a customer the caller may read.
    async fn open_complaint(
        &self,
        ctx: &Context<'_>,
        input: OpenComplaintInput,
    ) -> Result<Complaint> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.customer_id, "Customer")?;
        Ok(Complaint(
            service::activity::open_complaint(db(ctx)?, v, id, input.subject).await?,
        ))
    }

    /// Resolves an open complaint with what was done.
    async fn resolve_complaint(
        &self,
        ctx: &Context<'_>,
        input: ResolveComplaintInput,
    ) -> Result<Complaint> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "Complaint")?;
        Ok(Complaint(
            service::activity::resolve_complaint(db(ctx)?, v, id, input.version, input.resolution)
                .await?,
        ))
    }

    /// Changes the visit standard (ADMIN, DIRECTOR): visits a week per rep, 0–100.
    async fn update_visit_standard(&self, ctx: &Context<'_>, visits_per_week: i32) -> Result<i64> {
        let v = viewer(ctx)?;
        Ok(service::activity::set_visits_per_week(db(ctx)?, v, i64::from(visits_per_week)).await?)
    }
}
