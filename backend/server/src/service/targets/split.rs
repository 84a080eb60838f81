//! The split of a target into the level below: children, their targets, last year's
//! figures, the helper's shares, pending proposals and the check.

use std::collections::HashMap;

use dudao_domain::targets::{self as rules, Level, TargetMetric};
use dudao_domain::{Period, Viewer};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    Statement,
};

use super::authority::{authorize_read, level, period_of};
use super::proposals::pending_for;
use crate::entity::{Stored, region, rep, target, target_proposal};
use crate::error::AppResult;
use crate::service::scorecard::Scope;
use crate::service::sql_date;
use dudao_domain::transfer::ScopeKind;

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
    let parent = super::find(db, metric, scope, period).await?;
    let child_level = level(scope).child();
    let periods = if child_level.is_some() {
        rules::child_periods(period)
    } else {
        Vec::new()
    };
    let children: Vec<Child> = match scope {
        // The children through the row filters, like every list: a split shows no row its
        // reader could not open.
        Scope::Company => region::Entity::find()
            .filter(crate::service::scope::regions(viewer))
            .order_by_asc(crate::service::page::by_name(region::Entity))
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
                .and_where(target::Column::ScopeKind.eq(Stored(ScopeKind::Rep)))
                .and_where(target::Column::Metric.eq(Stored(metric)))
                .and_where(target::Column::PeriodKind.eq(Stored(child_kind)))
                .and_where(target::Column::Year.eq(period.year))
                .to_owned();
            rep::Entity::find()
                .filter(crate::service::scope::reps(viewer))
                .filter(rep::Column::RegionId.eq(id))
                .filter(
                    sea_orm::Condition::any()
                        .add(rep::Column::Status.ne(Stored(dudao_domain::RepStatus::Left)))
                        .add(rep::Column::Id.in_subquery(with_target)),
                )
                .order_by_asc(crate::service::page::by_name(rep::Entity))
                .order_by_asc(rep::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(|r| Child {
                    scope: Scope::Rep(r.id),
                    name: if r.status == dudao_domain::RepStatus::Left {
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
            Level::Region => ScopeKind::Region,
            _ => ScopeKind::Rep,
        };
        let rows = target::Entity::find()
            .filter(target::Column::Metric.eq(Stored(metric)))
            .filter(target::Column::ScopeKind.eq(Stored(kind)))
            .filter(target::Column::ScopeId.is_in(children.iter().map(|c| c.scope.target_id())))
            .filter(target::Column::PeriodKind.eq(Stored(periods[0].kind)))
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
