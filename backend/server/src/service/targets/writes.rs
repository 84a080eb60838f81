//! Writing target values: a whole split at once, one value under its version, and the
//! history row every change appends.

use chrono::Utc;
use dudao_domain::targets::TargetMetric;
use dudao_domain::{Period, Viewer};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};

use super::authority::authorize_set;
use super::find;
use crate::entity::{Stored, target, target_change};
use crate::error::{AppError, AppResult};
use crate::service::scorecard::Scope;
use crate::service::{audit, check_version};

/// One target to set: `value` in cents (money) or customers (count), `version` the one
/// read (none for a target that does not exist yet).
pub struct NewValue {
    pub metric: TargetMetric,
    pub scope: Scope,
    pub period: Period,
    pub value: i64,
    pub version: Option<i32>,
}

pub(super) fn clean_text(
    s: Option<String>,
    what: &str,
    required: bool,
) -> AppResult<Option<String>> {
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
pub(super) async fn write_value<C: ConnectionTrait>(
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
    let after = crate::service::save_versioned::<target::Entity, _, _>(
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
                    metric: Set(Stored(v.metric)),
                    scope_kind: Set(Stored(v.scope.stored_kind())),
                    scope_id: Set(v.scope.target_id()),
                    period_kind: Set(Stored(v.period.kind)),
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
