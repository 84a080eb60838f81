//! Importing targets: a target that exists takes the imported figure (and a new version);
//! every new or changed value is kept in its history, as when set in the app.

use std::collections::{HashMap, HashSet};

use dudao_domain::Period;
use dudao_domain::targets::TargetMetric;
use dudao_domain::transfer::{self as rules, ScopeKind};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use super::keys::{self, KeyColumn};
use super::sheet::Row;
use super::write::{Cell, existing, values_statement};
use super::{Batch, ImportKind, Kind};
use crate::error::AppResult;

pub(super) struct Targets;

pub(super) struct Target {
    metric: TargetMetric,
    scope: ScopeKind,
    /// 0 for the company.
    scope_id: i32,
    period: Period,
    /// Cents, or customers for `NEW_CUSTOMERS`.
    value: i64,
}

pub(super) struct Found {
    reps: HashMap<i32, i32>,
    regions: HashMap<i32, i32>,
}

impl ImportKind for Targets {
    const KIND: Kind = Kind::Targets;
    const COLUMNS: &'static [&'static str] = &[
        "metric*",
        "scope_kind*",
        "scope_id",
        "period_kind*",
        "year*",
        "index",
        "value*",
    ];
    const KEYS: &'static [KeyColumn] = &[keys::SCOPE];
    type Record = Target;
    type Key = (TargetMetric, ScopeKind, i32, Period);
    type Found = Found;

    fn parse(&self, r: &Row<'_>) -> Result<Target, String> {
        let metric = rules::target_metric(r.required("metric")?)?;
        let scope = ScopeKind::parse(r.required("scope_kind")?)?;
        let scope_id = match scope {
            ScopeKind::Company => 0,
            ScopeKind::Region | ScopeKind::Rep => r.id("scope_id")?,
        };
        let kind = rules::period_kind(r.required("period_kind")?)?;
        let year = rules::year(r.required("year")?)?;
        let index = rules::period_index(r.get("index"))?;
        let period = Period::new(kind, year, index).map_err(|e| e.to_string())?;
        let value = if metric == TargetMetric::NewCustomers {
            rules::target_count(r.required("value")?)?
        } else {
            r.money("value")?
        };
        Ok(Target {
            metric,
            scope,
            scope_id,
            period,
            value,
        })
    }

    fn unique_key(&self, t: &Target) -> Option<Self::Key> {
        Some((t.metric, t.scope, t.scope_id, t.period))
    }

    fn duplicate(&self, _: &Target) -> String {
        "重复的目标 / the same target appears twice in the file".to_owned()
    }

    async fn look_up(
        &self,
        txn: &DatabaseTransaction,
        records: &[(usize, Target)],
    ) -> AppResult<Found> {
        let ids = |kind: ScopeKind| -> HashSet<i32> {
            records
                .iter()
                .filter(|(_, t)| t.scope == kind)
                .map(|(_, t)| t.scope_id)
                .collect()
        };
        let reps = existing(txn, "reps", "id", &ids(ScopeKind::Rep)).await?;
        let regions = existing(txn, "regions", "id", &ids(ScopeKind::Region)).await?;
        Ok(Found { reps, regions })
    }

    fn check(&self, records: &[(usize, Target)], found: &Found) -> Vec<(usize, String)> {
        records
            .iter()
            .filter(|(_, t)| match t.scope {
                ScopeKind::Rep => !found.reps.contains_key(&t.scope_id),
                ScopeKind::Region => !found.regions.contains_key(&t.scope_id),
                ScopeKind::Company => false,
            })
            .map(|(line, t)| {
                (
                    *line,
                    format!(
                        "scope_id: {} {} 不存在 / does not exist",
                        t.scope.as_str(),
                        t.scope_id
                    ),
                )
            })
            .collect()
    }

    async fn write(
        &self,
        txn: &DatabaseTransaction,
        batch: &mut Batch<'_>,
        records: Vec<(usize, Target)>,
        _found: Found,
    ) -> AppResult<()> {
        let by = Some(batch.viewer.user_id).filter(|id| *id > 0);
        for chunk in records.chunks(1000) {
            let changes = upsert(txn, chunk, batch, by).await?;
            crate::service::targets::record_changes(txn, changes).await?;
            batch.done += chunk.len();
            (batch.progress)("targets", batch.done, batch.total);
        }
        Ok(())
    }
}

/// Writes up to 1,000 targets in one upsert and answers the changes of their values.
async fn upsert(
    txn: &DatabaseTransaction,
    chunk: &[(usize, Target)],
    batch: &Batch<'_>,
    by: Option<i32>,
) -> AppResult<Vec<crate::service::targets::Change>> {
    let head = "INSERT INTO targets (metric, scope_kind, scope_id, period_kind, year, idx, value, version, updated_at)";
    // Each row's key (metric, scope_kind, scope_id, period_kind, year, idx).
    let keys: Vec<Vec<Cell>> = chunk
        .iter()
        .map(|(_, t)| {
            vec![
                Cell::Text(t.metric.as_str().to_owned()),
                Cell::Text(t.scope.as_str().to_owned()),
                Cell::Int(i64::from(t.scope_id)),
                Cell::Text(t.period.kind.as_str().to_owned()),
                Cell::Int(i64::from(t.period.year)),
                Cell::Int(i64::from(t.period.index)),
            ]
        })
        .collect();
    let values: Vec<Vec<Cell>> = chunk
        .iter()
        .zip(&keys)
        .map(|((_, t), key)| {
            let mut row = key.clone();
            row.extend([Cell::Int(t.value), Cell::Int(1), Cell::Time(batch.created)]);
            row
        })
        .collect();
    let before = target_values(txn, &keys).await?;
    let after = txn
        .query_all_raw(values_statement(
            txn.get_database_backend(),
            head,
            &values,
            "ON CONFLICT (metric, scope_kind, scope_id, period_kind, year, idx) \
             DO UPDATE SET value = excluded.value, version = targets.version + 1, updated_at = excluded.updated_at \
             RETURNING id, value",
        ))
        .await?;
    Ok(after
        .iter()
        .map(|r| Ok((r.try_get_by_index::<i32>(0)?, r.try_get_by_index::<i64>(1)?)))
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?
        .into_iter()
        .filter_map(|(id, after)| {
            let was = before.get(&id).copied();
            (was != Some(after)).then(|| crate::service::targets::Change {
                target_id: id,
                before: was,
                after,
                by,
                reason: Some("导入 / import".to_owned()),
                proposal_id: None,
            })
        })
        .collect())
}

/// Id and value of the targets with these keys (each `metric, scope_kind, scope_id,
/// period_kind, year, idx`).
async fn target_values<C: ConnectionTrait>(
    db: &C,
    keys: &[Vec<Cell>],
) -> AppResult<HashMap<i32, i64>> {
    let stmt = values_statement(
        db.get_database_backend(),
        "SELECT id, value FROM targets WHERE (metric, scope_kind, scope_id, period_kind, year, idx) IN (VALUES",
        keys,
        ")",
    );
    let mut out = HashMap::new();
    for r in db.query_all_raw(stmt).await? {
        out.insert(r.try_get_by_index::<i32>(0)?, r.try_get_by_index::<i64>(1)?);
    }
    Ok(out)
}
