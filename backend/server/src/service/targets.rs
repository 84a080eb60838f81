//! Targets (目标): the split of a target into the level below (with the helper's proposal
//! from history and whether it adds up), setting targets, and the negotiation of a figure.
//! Who may do what is `dudao_domain::targets`; which rows, the row filters through
//! [`scorecard::authorize`] (a target is read and written with the scope it belongs to).

use std::collections::HashMap;

use chrono::Utc;
use dudao_domain::targets::{self as rules, Level, ProposalStatus, TargetMetric};
use dudao_domain::{Period, Viewer};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use super::scorecard::{self, Scope};
use super::{audit, check_version, sql_date};
use crate::entity::{region, rep, target, target_change, target_proposal};
use crate::error::{AppError, AppResult};

pub fn level(scope: Scope) -> Level {
    match scope {
        Scope::Company => Level::Company,
        Scope::Region(_) => Level::Region,
        Scope::Rep(_) => Level::Rep,
    }
}

/// The scope a stored target belongs to.
pub fn scope_of(t: &target::Model) -> AppResult<Scope> {
    match t.scope_kind.as_str() {
        "COMPANY" => Ok(Scope::Company),
        "REGION" => Ok(Scope::Region(t.scope_id)),
        "REP" => Ok(Scope::Rep(t.scope_id)),
        k => Err(AppError::Internal(anyhow::anyhow!(
            "target {} has scope kind {k}",
            t.id
        ))),
    }
}

pub fn period_of(t: &target::Model) -> AppResult<Period> {
    let kind = match t.period_kind.as_str() {
        "YEAR" => dudao_domain::PeriodKind::Year,
        "QUARTER" => dudao_domain::PeriodKind::Quarter,
        _ => dudao_domain::PeriodKind::Month,
    };
    Period::new(
        kind,
        t.year,
        Some(t.idx).filter(|_| kind != dudao_domain::PeriodKind::Year),
    )
    .map_err(|e| AppError::Internal(anyhow::anyhow!("target {}: {e}", t.id)))
}

pub fn metric_of(t: &target::Model) -> AppResult<TargetMetric> {
    TargetMetric::parse(&t.metric).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("target {} has metric {}", t.id, t.metric))
    })
}

/// Reading a target is reading its scope's figures.
pub async fn authorize_read(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
) -> AppResult<()> {
    scorecard::authorize(db, viewer, scope).await
}

/// Setting a target: the owner of its level, on a scope they can read.
pub async fn authorize_set(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
) -> AppResult<()> {
    if !rules::may_set(viewer.role, level(scope)) {
        return Err(AppError::forbidden());
    }
    scorecard::authorize(db, viewer, scope).await
}

/// Proposing another figure: the one the target was handed down to.
async fn authorize_propose(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
) -> AppResult<()> {
    if !rules::may_propose(viewer.role, level(scope)) {
        return Err(AppError::forbidden());
    }
    match scope {
        // A rep may not read their region's figures, but may propose for themselves.
        Scope::Rep(id) => super::reps::get(db, viewer, id).await.map(|_| ()),
        Scope::Region(id) => super::regions::get(db, viewer, id).await.map(|_| ()),
        Scope::Company => Err(AppError::forbidden()),
    }
}

async fn find<C: ConnectionTrait>(
    db: &C,
    metric: TargetMetric,
    scope: Scope,
    period: Period,
) -> AppResult<Option<target::Model>> {
    Ok(target::Entity::find()
        .filter(target::Column::Metric.eq(metric.as_str()))
        .filter(target::Column::ScopeKind.eq(scope.kind()))
        .filter(target::Column::ScopeId.eq(scope.target_id()))
        .filter(target::Column::PeriodKind.eq(period.kind.as_str()))
        .filter(target::Column::Year.eq(period.year))
        .filter(target::Column::Idx.eq(period.index as i32))
        .one(db)
        .await?)
}

/// One child of a split: a region or a rep, by name.
pub struct Child {
    pub scope: Scope,
    pub name: String,
}

pub struct Cell {
    pub target: Option<target::Model>,
    /// The same metric for this child in the same period a year earlier.
    pub history: i64,
    /// The helper's share of the parent target (none without a parent target).
    pub suggested: Option<i64>,
    pub pending: Option<target_proposal::Model>,
}

pub struct Split {
    pub metric: TargetMetric,
    pub scope: Scope,
    pub period: Period,
    pub parent: Option<target::Model>,
    pub parent_pending: Option<target_proposal::Model>,
    pub child_level: Option<Level>,
    pub periods: Vec<Period>,
    pub children: Vec<Child>,
    /// `cells[child][period]`.
    pub cells: Vec<Vec<Cell>>,
    pub check: rules::SplitCheck,
}

#[derive(FromQueryResult)]
struct HistoryRow {
    c: i32,
    /// None for payments made after the end of their period (not counted).
    b: Option<i32>,
    n: Option<i64>,
}

/// What each child did in each child period a year earlier, in one grouped statement.
async fn history(
    db: &DatabaseConnection,
    metric: TargetMetric,
    scope: Scope,
    periods: &[Period],
) -> AppResult<HashMap<(i32, usize), i64>> {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Ok(HashMap::new());
    };
    let back = |d: chrono::NaiveDate| d - chrono::Months::new(12);
    let bucket = |col: &str| -> String {
        let arms: String = periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    " WHEN {col} >= '{}' AND {col} < '{}' THEN {i}",
                    sql_date(back(p.start())),
                    sql_date(back(p.end_exclusive()))
                )
            })
            .collect();
        format!("CASE{arms} END")
    };
    let (start, end) = (
        sql_date(back(first.start())),
        sql_date(back(last.end_exclusive())),
    );
    let collected_bucket: String = {
        let arms: String = periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (s, e) = (sql_date(back(p.start())), sql_date(back(p.end_exclusive())));
                format!(
                    " WHEN pm.due_month >= '{s}' AND pm.due_month < '{e}' AND pm.paid_month < '{e}' THEN {i}"
                )
            })
            .collect();
        format!("CASE{arms} END")
    };
    // The child a fact's rep belongs to, and the reps of the scope.
    let (child, reps) = match scope {
        Scope::Company => ("r.region_id", "1 = 1".to_owned()),
        Scope::Region(id) => ("r.id", format!("r.region_id = {id}")),
        Scope::Rep(_) => return Ok(HashMap::new()),
    };
    let sql = match metric {
        // The scorecard's monthly sums (service::rollups).
        TargetMetric::Sales => format!(
            "SELECT {child} AS c, {b} AS b, CAST(SUM(m.sales_cents) AS BIGINT) AS n \
             FROM rep_months m JOIN reps r ON r.id = m.rep_id \
             WHERE m.month >= '{start}' AND m.month < '{end}' AND {reps} \
             GROUP BY 1, 2",
            b = bucket("m.month")
        ),
        // As the scorecard counts it: paid by the end of the period on amounts due in it.
        TargetMetric::Collection => format!(
            "SELECT {child} AS c, {b} AS b, CAST(SUM(pm.cents) AS BIGINT) AS n \
             FROM rep_paid_months pm JOIN reps r ON r.id = pm.rep_id \
             WHERE pm.due_month >= '{start}' AND pm.due_month < '{end}' AND pm.paid_month < '{end}' AND {reps} \
             GROUP BY 1, 2",
            b = collected_bucket
        ),
        TargetMetric::NewCustomers => format!(
            "SELECT f.c AS c, {b} AS b, CAST(COUNT(*) AS BIGINT) AS n FROM \
             (SELECT {child} AS c, cf.customer_id AS k, MIN(cf.first_on) AS first_on \
              FROM customer_firsts cf JOIN reps r ON r.id = cf.rep_id \
              WHERE cf.first_on < '{end}' AND {reps} GROUP BY 1, 2) f \
             WHERE f.first_on >= '{start}' GROUP BY 1, 2",
            b = bucket("f.first_on")
        ),
    };
    let rows =
        HistoryRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .all(db)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(((r.c, usize::try_from(r.b?).ok()?), r.n.unwrap_or(0))))
        .collect())
}

async fn pending_for<C: ConnectionTrait>(
    db: &C,
    target_ids: Vec<i32>,
) -> AppResult<HashMap<i32, target_proposal::Model>> {
    if target_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(target_proposal::Entity::find()
        .filter(target_proposal::Column::TargetId.is_in(target_ids))
        .filter(target_proposal::Column::Status.eq(ProposalStatus::Pending.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.target_id, p))
        .collect())
}

/// The target of `scope` in `period` with its children one level down over the child
/// periods (a year: its quarters), their history, the helper's shares and the check.
pub async fn split(
    db: &DatabaseConnection,
    viewer: &Viewer,
    metric: TargetMetric,
    scope: Scope,
    period: Period,
) -> AppResult<Split> {
    authorize_read(db, viewer, scope).await?;
    let parent = find(db, metric, scope, period).await?;
    let child_level = level(scope).child();
    let periods = if child_level.is_some() {
        rules::child_periods(period)
    } else {
        Vec::new()
    };
    let children: Vec<Child> = match scope {
        Scope::Company => region::Entity::find()
            .order_by_asc(region::Column::Name)
            .order_by_asc(region::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|r| Child {
                scope: Scope::Region(r.id),
                name: r.name,
            })
            .collect(),
        // Reps who left stay in the split while they hold a target in it: their share
        // is part of the region's total until it is moved to someone else.
        Scope::Region(id) => {
            let child_kind = periods.first().map_or(period.kind, |p| p.kind);
            let with_target = sea_orm::sea_query::Query::select()
                .column(target::Column::ScopeId)
                .from(target::Entity)
                .and_where(target::Column::ScopeKind.eq("REP"))
                .and_where(target::Column::Metric.eq(metric.as_str()))
                .and_where(target::Column::PeriodKind.eq(child_kind.as_str()))
                .and_where(target::Column::Year.eq(period.year))
                .to_owned();
            rep::Entity::find()
                .filter(rep::Column::RegionId.eq(id))
                .filter(
                    sea_orm::Condition::any()
                        .add(rep::Column::Status.ne("LEFT"))
                        .add(rep::Column::Id.in_subquery(with_target)),
                )
                .order_by_asc(rep::Column::Name)
                .order_by_asc(rep::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(|r| Child {
                    scope: Scope::Rep(r.id),
                    name: if r.status == "LEFT" {
                        format!("{}（已离职 / left）", r.name)
                    } else {
                        r.name
                    },
                })
                .collect()
        }
        Scope::Rep(_) => Vec::new(),
    };
    let mut targets: HashMap<(i32, Period), target::Model> = HashMap::new();
    if let (Some(cl), false) = (child_level, children.is_empty()) {
        let kind = match cl {
            Level::Region => "REGION",
            _ => "REP",
        };
        let rows = target::Entity::find()
            .filter(target::Column::Metric.eq(metric.as_str()))
            .filter(target::Column::ScopeKind.eq(kind))
            .filter(target::Column::ScopeId.is_in(children.iter().map(|c| c.scope.target_id())))
            .filter(target::Column::PeriodKind.eq(periods[0].kind.as_str()))
            .filter(target::Column::Year.eq(period.year))
            .filter(target::Column::Idx.is_in(periods.iter().map(|p| p.index as i32)))
            .all(db)
            .await?;
        for t in rows {
            let p = period_of(&t)?;
            targets.insert((t.scope_id, p), t);
        }
    }
    let hist = history(db, metric, scope, &periods).await?;
    let mut ids: Vec<i32> = targets.values().map(|t| t.id).collect();
    ids.extend(parent.as_ref().map(|t| t.id));
    let mut pending = pending_for(db, ids).await?;
    let flat_history: Vec<i64> = children
        .iter()
        .flat_map(|c| {
            (0..periods.len()).map(|i| hist.get(&(c.scope.target_id(), i)).copied().unwrap_or(0))
        })
        .collect();
    let shares = parent
        .as_ref()
        .map(|p| rules::propose_shares(p.value, &flat_history));
    let mut cells = Vec::with_capacity(children.len());
    let mut values = Vec::new();
    for (ci, c) in children.iter().enumerate() {
        let mut row = Vec::with_capacity(periods.len());
        for (pi, p) in periods.iter().enumerate() {
            let t = targets.remove(&(c.scope.target_id(), *p));
            values.push(t.as_ref().map(|t| t.value));
            let k = ci * periods.len() + pi;
            row.push(Cell {
                pending: t.as_ref().and_then(|t| pending.remove(&t.id)),
                target: t,
                history: flat_history.get(k).copied().unwrap_or(0),
                suggested: shares.as_ref().and_then(|s| s.get(k).copied()),
            });
        }
        cells.push(row);
    }
    let check = rules::check_split(parent.as_ref().map(|t| t.value), &values);
    Ok(Split {
        metric,
        scope,
        period,
        parent_pending: parent.as_ref().and_then(|t| pending.remove(&t.id)),
        parent,
        child_level,
        periods,
        children,
        cells,
        check,
    })
}

/// One target to set: `value` in cents (money) or customers (count), `version` the one
/// read (none for a target that does not exist yet).
pub struct NewValue {
    pub metric: TargetMetric,
    pub scope: Scope,
    pub period: Period,
    pub value: i64,
    pub version: Option<i32>,
}

fn clean_text(s: Option<String>, what: &str, required: bool) -> AppResult<Option<String>> {
    let s = s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    match s {
        None if required => Err(AppError::BadInput(format!("{what}: 必填 / is required"))),
        Some(s) if s.chars().count() > 2000 => Err(AppError::BadInput(format!(
            "{what}: 最多 2000 字 / at most 2000 characters"
        ))),
        s => Ok(s),
    }
}

/// A change of a target's value, as its history keeps it.
pub(crate) struct Change {
    pub target_id: i32,
    pub before: Option<i64>,
    pub after: i64,
    /// None when no person made it (an import from the command line).
    pub by: Option<i32>,
    pub reason: Option<String>,
    pub proposal_id: Option<i32>,
}

/// Appends changes to their targets' histories, all in one statement (imports write many).
pub(crate) async fn record_changes<C: ConnectionTrait>(
    db: &C,
    changes: Vec<Change>,
) -> AppResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    target_change::Entity::insert_many(changes.into_iter().map(|c| target_change::ActiveModel {
        target_id: Set(c.target_id),
        value_before: Set(c.before),
        value_after: Set(c.after),
        changed_by: Set(c.by),
        changed_at: Set(now),
        reason: Set(c.reason),
        proposal_id: Set(c.proposal_id),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    Ok(())
}

async fn record_change<C: ConnectionTrait>(
    db: &C,
    t: &target::Model,
    before: Option<i64>,
    by: i32,
    reason: Option<String>,
    proposal_id: Option<i32>,
) -> AppResult<()> {
    record_changes(
        db,
        vec![Change {
            target_id: t.id,
            before,
            after: t.value,
            by: Some(by),
            reason,
            proposal_id,
        }],
    )
    .await
}

/// Writes a target's new value under its version, with a change row and an audit entry.
async fn write_value<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    before: &target::Model,
    value: i64,
    reason: Option<String>,
    proposal_id: Option<i32>,
) -> AppResult<target::Model> {
    let changes = target::ActiveModel {
        value: Set(value),
        version: Set(before.version + 1),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    let after = super::save_versioned::<target::Entity, _, _>(
        db,
        viewer,
        "target",
        (target::Column::Id, target::Column::Version),
        before,
        before.id,
        before.version,
        changes,
    )
    .await?;
    record_change(
        db,
        &after,
        Some(before.value),
        viewer.user_id,
        reason,
        proposal_id,
    )
    .await?;
    Ok(after)
}

/// Sets several targets at once (a whole split), all or nothing. A target that exists
/// needs the version it was read at; unchanged values are left as they are.
pub async fn set_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    values: Vec<NewValue>,
    reason: Option<String>,
) -> AppResult<Vec<target::Model>> {
    if values.is_empty() || values.len() > 1000 {
        return Err(AppError::BadInput(
            "targets: 1 到 1000 个 / between 1 and 1000 targets".into(),
        ));
    }
    let reason = clean_text(reason, "reason", false)?;
    let mut seen = std::collections::HashSet::new();
    for v in &values {
        if !seen.insert((v.metric, v.scope, v.period)) {
            return Err(AppError::BadInput(format!(
                "targets: 同一目标出现两次 / the same target is listed twice ({} {} {} {} {}-{})",
                v.metric.as_str(),
                v.scope.kind(),
                v.scope.target_id(),
                v.period.kind.as_str(),
                v.period.year,
                v.period.index
            )));
        }
    }
    let mut checked: Vec<Scope> = Vec::new();
    for v in &values {
        if !checked.contains(&v.scope) {
            authorize_set(db, viewer, v.scope).await?;
            checked.push(v.scope);
        }
    }
    let txn = crate::db::write_txn(db).await?;
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        match find(&txn, v.metric, v.scope, v.period).await? {
            Some(before) => {
                let Some(version) = v.version else {
                    return Err(AppError::stale("target"));
                };
                check_version(before.version, version, "target")?;
                if before.value == v.value {
                    out.push(before);
                    continue;
                }
                out.push(write_value(&txn, viewer, &before, v.value, reason.clone(), None).await?);
            }
            None => {
                let t = target::ActiveModel {
                    metric: Set(v.metric.as_str().to_owned()),
                    scope_kind: Set(v.scope.kind().to_owned()),
                    scope_id: Set(v.scope.target_id()),
                    period_kind: Set(v.period.kind.as_str().to_owned()),
                    year: Set(v.period.year),
                    idx: Set(v.period.index as i32),
                    value: Set(v.value),
                    version: Set(1),
                    updated_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                audit::record(
                    &txn,
                    Some(viewer.user_id),
                    "create",
                    "target",
                    t.id,
                    None::<&()>,
                    Some(&t),
                )
                .await?;
                record_change(&txn, &t, None, viewer.user_id, reason.clone(), None).await?;
                out.push(t);
            }
        }
    }
    txn.commit().await?;
    Ok(out)
}

/// A target by id, for a viewer who may read its scope.
pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<target::Model> {
    let t = unchecked(db, id).await?;
    let scope = scope_of(&t)?;
    // The one a target was handed to may read it even when they may not read the level
    // it belongs to (a rep reads their own target; a supervisor the region's).
    match authorize_read(db, viewer, scope).await {
        Err(AppError::Forbidden(_)) => authorize_propose(db, viewer, scope).await?,
        other => other?,
    }
    Ok(t)
}

/// A target by id, before any check: callers authorize it.
async fn unchecked(db: &DatabaseConnection, id: i32) -> AppResult<target::Model> {
    target::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("target {id} 不存在 / does not exist")))
}

/// Proposes another figure for a target handed down, with a reason. One pending
/// proposal per target.
pub async fn propose(
    db: &DatabaseConnection,
    viewer: &Viewer,
    target_id: i32,
    value: i64,
    reason: Option<String>,
) -> AppResult<target_proposal::Model> {
    // Proposing implies reading what was handed down: one check, not two.
    let t = unchecked(db, target_id).await?;
    authorize_propose(db, viewer, scope_of(&t)?).await?;
    let value = rules::validate_value(metric_of(&t)?, value)
        .map_err(|e| AppError::BadInput(format!("value: {e}")))?;
    let reason = clean_text(reason, "reason", true)?;
    let txn = crate::db::write_txn(db).await?;
    if !pending_for(&txn, vec![t.id]).await?.is_empty() {
        return Err(already_pending());
    }
    let p = target_proposal::ActiveModel {
        target_id: Set(t.id),
        proposed_by: Set(viewer.user_id),
        proposed_value: Set(value),
        reason: Set(reason.unwrap_or_default()),
        status: Set(ProposalStatus::Pending.as_str().to_owned()),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match AppError::from(e) {
        // Someone else's proposal went in between the check above and this insert.
        AppError::Conflict(_) => already_pending(),
        e => e,
    })?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "target_proposal",
        p.id,
        None::<&()>,
        Some(&p),
    )
    .await?;
    txn.commit().await?;
    Ok(p)
}

fn already_pending() -> AppError {
    AppError::Conflict("已有待处理的提议 / a proposal for this target is already pending".into())
}

pub enum Answer {
    Accept,
    /// The owner sets the final figure (stored units).
    Decide(i64),
    Withdraw,
}

/// Answers a pending proposal: the owner accepts it or decides the figure; the proposer
/// may withdraw it. A changed figure is written to the target with the proposal's reason.
pub async fn answer(
    db: &DatabaseConnection,
    viewer: &Viewer,
    proposal_id: i32,
    version: i32,
    answer: Answer,
    note: Option<String>,
) -> AppResult<(target_proposal::Model, target::Model)> {
    let p = target_proposal::Entity::find_by_id(proposal_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("proposal {proposal_id} 不存在 / does not exist"))
        })?;
    let t = get(db, viewer, p.target_id).await?;
    let scope = scope_of(&t)?;
    let note = clean_text(note, "note", false)?;
    let (to, value) = match answer {
        Answer::Accept => {
            authorize_set(db, viewer, scope).await?;
            (ProposalStatus::Accepted, Some(p.proposed_value))
        }
        Answer::Decide(v) => {
            authorize_set(db, viewer, scope).await?;
            let v = rules::validate_value(metric_of(&t)?, v)
                .map_err(|e| AppError::BadInput(format!("value: {e}")))?;
            (ProposalStatus::Decided, Some(v))
        }
        Answer::Withdraw if rules::may_withdraw(viewer.user_id, p.proposed_by) => {
            (ProposalStatus::Withdrawn, None)
        }
        Answer::Withdraw => return Err(AppError::forbidden()),
    };
    let from = ProposalStatus::parse(&p.status).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("proposal {} has status {}", p.id, p.status))
    })?;
    if !from.may_move_to(to) {
        return Err(AppError::Conflict(format!(
            "提议已处理 / the proposal is already {}",
            from.as_str()
        )));
    }
    check_version(p.version, version, "proposal")?;
    let txn = crate::db::write_txn(db).await?;
    let changes = target_proposal::ActiveModel {
        status: Set(to.as_str().to_owned()),
        decided_by: Set(Some(viewer.user_id)),
        decided_value: Set(value),
        decided_at: Set(Some(Utc::now())),
        note: Set(note),
        version: Set(p.version + 1),
        ..Default::default()
    };
    let p2 = super::save_versioned::<target_proposal::Entity, _, _>(
        &txn,
        viewer,
        "target_proposal",
        (
            target_proposal::Column::Id,
            target_proposal::Column::Version,
        ),
        &p,
        p.id,
        version,
        changes,
    )
    .await?;
    let t2 = match value {
        Some(v) if v != t.value => {
            let reason = Some(p.reason.clone());
            write_value(&txn, viewer, &t, v, reason, Some(p.id)).await?
        }
        _ => t,
    };
    txn.commit().await?;
    Ok((p2, t2))
}

/// Targets by id, unchecked: for proposals already filtered by their target's owner.
pub async fn by_ids(
    db: &DatabaseConnection,
    ids: Vec<i32>,
) -> AppResult<HashMap<i32, target::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(target::Entity::find()
        .filter(target::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect())
}

/// Proposals waiting for the viewer as owner (the targets they may set), oldest first.
pub async fn pending_for_owner(
    db: &DatabaseConnection,
    viewer: &Viewer,
) -> AppResult<Vec<target_proposal::Model>> {
    use sea_orm::sea_query::Query;
    let owned = Query::select()
        .column(target::Column::Id)
        .from(target::Entity)
        .cond_where(super::scope::owned_targets(viewer))
        .take();
    Ok(target_proposal::Entity::find()
        .filter(target_proposal::Column::Status.eq(ProposalStatus::Pending.as_str()))
        .filter(target_proposal::Column::TargetId.in_subquery(owned))
        .order_by_asc(target_proposal::Column::CreatedAt)
        .order_by_asc(target_proposal::Column::Id)
        .limit(200)
        .all(db)
        .await?)
}
