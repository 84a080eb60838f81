//! What promotion eligibility reads, for a whole list of reps in a bounded number of
//! statements (never one per rep or per criterion): the reps, their sales and collection
//! per period (one grouped statement over the monthly copies per period kind and source),
//! their targets, their FINALIZED evaluations and the coaching sessions they received.
//! The rules themselves are pure (`dudao_domain::promotion`).

use std::collections::HashMap;

use chrono::NaiveDate;
use dudao_domain::{Period, PeriodKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, Statement};

use crate::entity::{Stored, evaluation};
use crate::error::AppResult;

/// One rep's sales and collection in one period.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PeriodSums {
    pub sales_cents: i64,
    pub due_cents: i64,
    pub collected_cents: i64,
    pub sales_target_cents: Option<i64>,
}

/// Everything the rules read about the reps asked for.
#[derive(Debug, Default)]
pub struct Facts {
    /// Per rep and period.
    pub sums: HashMap<(i32, Period), PeriodSums>,
    /// Per rep, their FINALIZED evaluations, in no particular order.
    pub evaluations: HashMap<i32, Vec<evaluation::Model>>,
    /// Per rep, coaching sessions received in the window.
    pub sessions: HashMap<i32, i64>,
}

fn bounds(p: Period) -> (String, String) {
    (
        p.start().format("%Y-%m-%d").to_string(),
        p.end_exclusive().format("%Y-%m-%d").to_string(),
    )
}

#[derive(FromQueryResult)]
struct BucketRow {
    rep_id: i32,
    b: i32,
    v1: Option<i64>,
    v2: Option<i64>,
}

#[derive(FromQueryResult)]
struct TargetRow {
    scope_id: i32,
    period_kind: String,
    year: i32,
    idx: i32,
    value: i64,
}

#[derive(FromQueryResult)]
struct CountRow {
    rep_id: i32,
    n: i64,
}

/// The facts of the reps `reps_sql` selects (a sub-select of rep ids, already carrying the
/// viewer's row filter) for `periods` (any kinds; each kind is one statement per source),
/// and coaching sessions held in `[from, to]`.
pub async fn gather<C: ConnectionTrait>(
    db: &C,
    reps_sql: &str,
    periods: &[Period],
    sessions_from: NaiveDate,
    sessions_to: NaiveDate,
) -> AppResult<Facts> {
    let backend = db.get_database_backend();
    let mut facts = Facts::default();
    for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
        let mut ps: Vec<Period> = periods.iter().copied().filter(|p| p.kind == kind).collect();
        ps.sort_by_key(|p| p.start());
        ps.dedup();
        if ps.is_empty() {
            continue;
        }
        let arms = |col: &str, paid: bool| -> String {
            ps.iter()
                .enumerate()
                .map(|(i, p)| {
                    let (s, e) = bounds(*p);
                    if paid {
                        format!(" WHEN {col} >= '{s}' AND {col} < '{e}' AND pm.paid_month < '{e}' THEN {i}")
                    } else {
                        format!(" WHEN {col} >= '{s}' AND {col} < '{e}' THEN {i}")
                    }
                })
                .collect()
        };
        let (lo, _) = bounds(ps[0]);
        let (_, hi) = bounds(ps[ps.len() - 1]);
        let sales = format!(
            "SELECT x.rep_id AS rep_id, x.b AS b, CAST(SUM(x.sales) AS BIGINT) AS v1, CAST(SUM(x.due) AS BIGINT) AS v2 \
             FROM (SELECT m.rep_id AS rep_id, CASE{} END AS b, m.sales_cents AS sales, m.due_cents AS due \
                   FROM rep_months m WHERE m.month >= '{lo}' AND m.month < '{hi}' AND m.rep_id IN ({reps_sql})) x \
             WHERE x.b IS NOT NULL GROUP BY x.rep_id, x.b",
            arms("m.month", false)
        );
        for r in BucketRow::find_by_statement(Statement::from_string(backend, sales))
            .all(db)
            .await?
        {
            if let Some(p) = usize::try_from(r.b).ok().and_then(|i| ps.get(i)) {
                let e = facts.sums.entry((r.rep_id, *p)).or_default();
                e.sales_cents = r.v1.unwrap_or(0);
                e.due_cents = r.v2.unwrap_or(0);
            }
        }
        let paid = format!(
            "SELECT x.rep_id AS rep_id, x.b AS b, CAST(SUM(x.cents) AS BIGINT) AS v1, CAST(NULL AS BIGINT) AS v2 \
             FROM (SELECT pm.rep_id AS rep_id, CASE{} END AS b, pm.cents AS cents \
                   FROM rep_paid_months pm WHERE pm.due_month >= '{lo}' AND pm.due_month < '{hi}' AND pm.rep_id IN ({reps_sql})) x \
             WHERE x.b IS NOT NULL GROUP BY x.rep_id, x.b",
            arms("pm.due_month", true)
        );
        for r in BucketRow::find_by_statement(Statement::from_string(backend, paid))
            .all(db)
            .await?
        {
            if let Some(p) = usize::try_from(r.b).ok().and_then(|i| ps.get(i)) {
                facts
                    .sums
                    .entry((r.rep_id, *p))
                    .or_default()
                    .collected_cents = r.v1.unwrap_or(0);
            }
        }
    }
    if !periods.is_empty() {
        let which: Vec<String> = periods
            .iter()
            .map(|p| {
                format!(
                    "(t.period_kind = '{}' AND t.year = {} AND t.idx = {})",
                    p.kind.as_str(),
                    p.year,
                    p.index
                )
            })
            .collect();
        let sql = format!(
            "SELECT t.scope_id AS scope_id, t.period_kind AS period_kind, t.year AS year, t.idx AS idx, t.value AS value \
             FROM targets t WHERE t.metric = 'SALES' AND t.scope_kind = 'REP' AND t.scope_id IN ({reps_sql}) AND ({})",
            which.join(" OR ")
        );
        for t in TargetRow::find_by_statement(Statement::from_string(backend, sql))
            .all(db)
            .await?
        {
            let Some(p) = periods.iter().find(|p| {
                p.kind.as_str() == t.period_kind
                    && p.year == t.year
                    && i64::from(p.index) == i64::from(t.idx)
            }) else {
                continue;
            };
            facts
                .sums
                .entry((t.scope_id, *p))
                .or_default()
                .sales_target_cents = Some(t.value);
        }
    }
    let evaluations = evaluation::Entity::find()
        .filter(evaluation::Column::Status.eq(Stored(
            dudao_domain::evaluation::EvaluationStatus::Finalized,
        )))
        .filter(evaluation::Column::RepId.is_not_null())
        .filter(sea_orm::sea_query::Expr::cust(format!(
            "\"evaluations\".\"rep_id\" IN ({reps_sql})"
        )))
        .all(db)
        .await?;
    for e in evaluations {
        if let Some(r) = e.rep_id {
            facts.evaluations.entry(r).or_default().push(e);
        }
    }
    let sql = format!(
        "SELECT s.rep_id AS rep_id, CAST(COUNT(*) AS BIGINT) AS n FROM coaching_sessions s \
         WHERE s.held_on >= '{}' AND s.held_on <= '{}' AND s.rep_id IN ({reps_sql}) GROUP BY s.rep_id",
        sessions_from.format("%Y-%m-%d"),
        sessions_to.format("%Y-%m-%d"),
    );
    for r in CountRow::find_by_statement(Statement::from_string(backend, sql))
        .all(db)
        .await?
    {
        facts.sessions.insert(r.rep_id, r.n);
    }
    Ok(facts)
}
