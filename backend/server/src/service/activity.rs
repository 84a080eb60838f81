//! Activity (过程): visits and calls, complaints, the visit standard, and the process
//! figures of a scope (visit compliance, record completeness, complaint response time)
//! in one SQL statement. `dudao_domain::activity` is the reference; a property test in
//! `tests/tests/e2e/activity.rs` checks both agree.

use chrono::{NaiveDate, Utc};
use dudao_domain::activity::{self as rules, ActivityKind, Process};
use dudao_domain::{Action, Period, Resource, Viewer};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Set, Statement,
};

use super::page::{self, Page, PageArgs};
use super::scorecard::{self, Scope};
use super::{audit, check_version, find_visible, optional_text, require, scope, sql_date};
use crate::entity::{Stored, activity, complaint, rep, setting};
use crate::error::{AppError, AppResult};

const VISITS_PER_WEEK: &str = "activity.visits_per_week";

/// The visit standard: visits a week per rep (a setting; 10 unless changed).
pub async fn visits_per_week<C: ConnectionTrait>(db: &C) -> AppResult<i64> {
    Ok(setting::Entity::find_by_id(VISITS_PER_WEEK.to_owned())
        .one(db)
        .await?
        .and_then(|r| r.value.trim().parse().ok())
        .unwrap_or(rules::DEFAULT_VISITS_PER_WEEK))
}

/// Changes the visit standard (ADMIN, DIRECTOR): 0–100 visits a week. Audited.
pub async fn set_visits_per_week(
    db: &DatabaseConnection,
    viewer: &Viewer,
    n: i64,
) -> AppResult<i64> {
    require(viewer, Action::Update, Resource::ProcessSettings)?;
    if !(0..=100).contains(&n) {
        return Err(AppError::BadInput(
            "visitsPerWeek: 应在 0 到 100 之间 / must be between 0 and 100".into(),
        ));
    }
    let txn = crate::db::write_txn(db).await?;
    let before = visits_per_week(&txn).await?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(VISITS_PER_WEEK.to_owned()),
        value: Set(n.to_string()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "update",
        "setting",
        0,
        Some(&before),
        Some(&n),
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}

fn reps_of_region(region: i32) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(rep::Column::Id)
        .from(rep::Entity)
        .and_where(rep::Column::RegionId.eq(region))
        .take()
}

#[derive(Clone, Debug, Default)]
pub struct ActivityFilter {
    pub rep_id: Option<i32>,
    pub region_id: Option<i32>,
    pub customer_id: Option<i32>,
    pub kind: Option<ActivityKind>,
    /// Inclusive range on `occurred_on`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only visits missing their outcome or next step.
    pub incomplete: bool,
}

/// Visits and calls the viewer may read, newest first.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: ActivityFilter,
    args: PageArgs,
) -> AppResult<Page<activity::Model>> {
    let mut q = activity::Entity::find().filter(scope::activities(viewer));
    if let Some(r) = f.rep_id {
        q = q.filter(activity::Column::RepId.eq(r));
    }
    if let Some(r) = f.region_id {
        q = q.filter(activity::Column::RepId.in_subquery(reps_of_region(r)));
    }
    if let Some(c) = f.customer_id {
        q = q.filter(activity::Column::CustomerId.eq(c));
    }
    if let Some(k) = f.kind {
        q = q.filter(activity::Column::Kind.eq(Stored(k)));
    }
    if let Some(d) = f.from {
        q = q.filter(activity::Column::OccurredOn.gte(d));
    }
    if let Some(d) = f.to {
        q = q.filter(activity::Column::OccurredOn.lte(d));
    }
    if f.incomplete {
        q = q.filter(
            sea_orm::Condition::any()
                .add(activity::Column::Outcome.is_null())
                .add(activity::Column::NextStep.is_null()),
        );
    }
    let q = q
        .order_by_desc(activity::Column::OccurredOn)
        .order_by_desc(activity::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<activity::Model> {
    find_visible::<activity::Entity, _>(db, id, scope::activities(viewer), "activity").await
}

pub struct NewActivity {
    pub customer_id: i32,
    pub kind: ActivityKind,
    pub occurred_on: NaiveDate,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
}

/// Logs a visit or call with a customer the viewer may read; it counts for the
/// customer's owner (a supervisor riding along logs it for the rep).
pub async fn log(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewActivity,
) -> AppResult<activity::Model> {
    require(viewer, Action::Create, Resource::Activity)?;
    let today = crate::clock::today();
    if input.occurred_on > today {
        return Err(AppError::BadInput(
            "occurredOn: 不能是将来的日期 / cannot be in the future".into(),
        ));
    }
    let outcome = optional_text("outcome", input.outcome, 2000)?;
    let next_step = optional_text("nextStep", input.next_step, 2000)?;
    let customer = super::customers::get(db, viewer, input.customer_id).await?;
    let txn = crate::db::write_txn(db).await?;
    let row = activity::ActiveModel {
        rep_id: Set(customer.owner_rep_id),
        customer_id: Set(customer.id),
        kind: Set(Stored(input.kind)),
        occurred_on: Set(input.occurred_on),
        outcome: Set(outcome),
        next_step: Set(next_step),
        created_by: Set(Some(viewer.user_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "activity",
        row.id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

#[derive(Clone, Debug, Default)]
pub struct ComplaintFilter {
    pub rep_id: Option<i32>,
    pub region_id: Option<i32>,
    pub customer_id: Option<i32>,
    /// Some(true): unresolved only; Some(false): resolved only.
    pub open: Option<bool>,
    /// Inclusive range on the day it was opened.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Complaints the viewer may read: open ones first, then newest first.
pub async fn complaints(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: ComplaintFilter,
    args: PageArgs,
) -> AppResult<Page<complaint::Model>> {
    let mut q = complaint::Entity::find().filter(scope::complaints(viewer));
    if let Some(r) = f.rep_id {
        q = q.filter(complaint::Column::RepId.eq(r));
    }
    if let Some(r) = f.region_id {
        q = q.filter(complaint::Column::RepId.in_subquery(reps_of_region(r)));
    }
    if let Some(c) = f.customer_id {
        q = q.filter(complaint::Column::CustomerId.eq(c));
    }
    match f.open {
        Some(true) => q = q.filter(complaint::Column::ResolvedAt.is_null()),
        Some(false) => q = q.filter(complaint::Column::ResolvedAt.is_not_null()),
        None => {}
    }
    if let Some(d) = f.from {
        q = q.filter(complaint::Column::OpenedAt.gte(crate::clock::day_start(d)));
    }
    if let Some(d) = f.to {
        q = q.filter(
            complaint::Column::OpenedAt.lt(crate::clock::day_start(d + chrono::Days::new(1))),
        );
    }
    let q = q
        .order_by_desc(complaint::Column::OpenedAt)
        .order_by_desc(complaint::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get_complaint(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
) -> AppResult<complaint::Model> {
    find_visible::<complaint::Entity, _>(db, id, scope::complaints(viewer), "complaint").await
}

/// Records a complaint from a customer the viewer may read, against its owner.
pub async fn open_complaint(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer_id: i32,
    subject: String,
) -> AppResult<complaint::Model> {
    require(viewer, Action::Create, Resource::Complaint)?;
    let subject = optional_text("subject", Some(subject), 500)?
        .ok_or_else(|| AppError::BadInput("subject: 必填 / is required".into()))?;
    let customer = super::customers::get(db, viewer, customer_id).await?;
    let txn = crate::db::write_txn(db).await?;
    let row = complaint::ActiveModel {
        customer_id: Set(customer.id),
        rep_id: Set(customer.owner_rep_id),
        subject: Set(subject),
        opened_at: Set(Utc::now()),
        created_by: Set(Some(viewer.user_id)),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "complaint",
        row.id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Resolves an open complaint with what was done.
pub async fn resolve_complaint(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    resolution: String,
) -> AppResult<complaint::Model> {
    require(viewer, Action::Update, Resource::Complaint)?;
    let resolution = optional_text("resolution", Some(resolution), 2000)?
        .ok_or_else(|| AppError::BadInput("resolution: 必填 / is required".into()))?;
    let txn = crate::db::write_txn(db).await?;
    let before =
        find_visible::<complaint::Entity, _>(&txn, id, scope::complaints(viewer), "complaint")
            .await?;
    check_version(before.version, version, "complaint")?;
    if before.resolved_at.is_some() {
        return Err(AppError::Conflict(
            "投诉已解决 / the complaint is already resolved".into(),
        ));
    }
    let changes = complaint::ActiveModel {
        resolved_at: Set(Some(Utc::now())),
        resolution: Set(Some(resolution)),
        version: Set(before.version + 1),
        ..Default::default()
    };
    let after = super::save_versioned::<complaint::Entity, _, _>(
        &txn,
        viewer,
        "complaint",
        (complaint::Column::Id, complaint::Column::Version),
        &before,
        id,
        version,
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(FromQueryResult)]
struct ProcessRow {
    visits: i64,
    calls: i64,
    complete: i64,
    reps: i64,
    opened: i64,
    resolved: i64,
    open_now: i64,
    hours: Option<f64>,
}

/// The process figures of `scope` in `p` (no access check; callers check first).
pub async fn figures<C: ConnectionTrait>(db: &C, scope: Scope, p: Period) -> AppResult<Process> {
    Ok(figures_and_standard(db, scope, p).await?.0)
}

/// The process figures and the visit standard they were measured against.
async fn figures_and_standard<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    p: Period,
) -> AppResult<(Process, i64)> {
    let backend = db.get_database_backend();
    let (s, e) = (sql_date(p.start()), sql_date(p.end_exclusive()));
    let (ts_s, ts_e) = (
        super::sql_midnight(backend, p.start()),
        super::sql_midnight(backend, p.end_exclusive()),
    );
    let a = scope.rep_condition("a.rep_id");
    let c = scope.rep_condition("c.rep_id");
    let r = scope.rep_condition("r.id");
    let hours = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "EXTRACT(EPOCH FROM (c.resolved_at - c.opened_at)) / 3600.0".to_owned()
        }
        _ => "(julianday(c.resolved_at) - julianday(c.opened_at)) * 24.0".to_owned(),
    };
    let in_p = format!("a.occurred_on >= '{s}' AND a.occurred_on < '{e}' AND {a}");
    let sql = format!(
        "SELECT x.visits, x.calls, x.complete, \
           (SELECT COUNT(*) FROM reps r WHERE r.status <> 'LEFT' AND {r}) AS reps, \
           (SELECT COUNT(*) FROM complaints c WHERE c.opened_at >= {ts_s} AND c.opened_at < {ts_e} AND {c}) AS opened, \
           (SELECT COUNT(*) FROM complaints c WHERE c.resolved_at >= {ts_s} AND c.resolved_at < {ts_e} AND {c}) AS resolved, \
           (SELECT COUNT(*) FROM complaints c WHERE c.opened_at < {ts_e} AND (c.resolved_at IS NULL OR c.resolved_at >= {ts_e}) AND {c}) AS open_now, \
           CAST((SELECT AVG(CAST({hours} AS DOUBLE PRECISION)) FROM complaints c \
              WHERE c.resolved_at >= {ts_s} AND c.resolved_at < {ts_e} AND {c}) AS DOUBLE PRECISION) AS hours \
         FROM (SELECT COUNT(CASE WHEN a.kind = 'VISIT' THEN 1 END) AS visits, \
                 COUNT(CASE WHEN a.kind = 'CALL' THEN 1 END) AS calls, \
                 COUNT(CASE WHEN a.kind = 'VISIT' AND TRIM(COALESCE(a.outcome, '')) <> '' \
                   AND TRIM(COALESCE(a.next_step, '')) <> '' THEN 1 END) AS complete \
               FROM activities a WHERE {in_p}) x"
    );
    let row = ProcessRow::find_by_statement(Statement::from_string(backend, sql))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the process query returned no row")))?;
    let per_week = visits_per_week(db).await?;
    let today = crate::clock::today();
    let required = rules::visits_required(per_week, rules::elapsed_days(p, today), row.reps);
    let figures = Process {
        visits: row.visits,
        calls: row.calls,
        visits_required: required,
        visit_compliance: (required > 0.0).then(|| row.visits as f64 / required),
        record_completeness: (row.visits > 0).then(|| row.complete as f64 / row.visits as f64),
        complaints_opened: row.opened,
        complaints_resolved: row.resolved,
        complaints_open: row.open_now,
        complaint_response_hours: row.hours,
    };
    Ok((figures, per_week))
}

/// The process figures a viewer may read, with the visit standard (visits a week per rep).
pub async fn process(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
    p: Period,
) -> AppResult<(Process, i64)> {
    scorecard::authorize(db, viewer, scope).await?;
    figures_and_standard(db, scope, p).await
}
