//! The negotiation of a figure: a proposal with a reason from the one a target was handed
//! to, answered by its owner (accept, decide) or withdrawn by its author.

use std::collections::HashMap;

use chrono::Utc;
use dudao_domain::Viewer;
use dudao_domain::targets::{self as rules, ProposalStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::authority::{authorize_propose, authorize_set, metric_of, scope_of};
use super::writes::{clean_text, write_value};
use super::{get, unchecked};
use crate::entity::{Stored, target, target_proposal};
use crate::error::{AppError, AppResult};
use crate::service::{audit, check_version};

pub(super) async fn pending_for<C: ConnectionTrait>(
    db: &C,
    target_ids: Vec<i32>,
) -> AppResult<HashMap<i32, target_proposal::Model>> {
    if target_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(target_proposal::Entity::find()
        .filter(target_proposal::Column::TargetId.is_in(target_ids))
        .filter(target_proposal::Column::Status.eq(Stored(ProposalStatus::Pending)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.target_id, p))
        .collect())
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
        status: Set(Stored(ProposalStatus::Pending)),
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
    let from = p.status.0;
    if !from.may_move_to(to) {
        return Err(AppError::Conflict(format!(
            "提议已处理 / the proposal is already {}",
            from.as_str()
        )));
    }
    check_version(p.version, version, "proposal")?;
    let txn = crate::db::write_txn(db).await?;
    let changes = target_proposal::ActiveModel {
        status: Set(Stored(to)),
        decided_by: Set(Some(viewer.user_id)),
        decided_value: Set(value),
        decided_at: Set(Some(Utc::now())),
        note: Set(note),
        version: Set(p.version + 1),
        ..Default::default()
    };
    let p2 = crate::service::save_versioned::<target_proposal::Entity, _, _>(
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

/// Proposals waiting for the viewer as owner (the targets they may set), oldest first.
pub async fn pending_for_owner(
    db: &DatabaseConnection,
    viewer: &Viewer,
) -> AppResult<Vec<target_proposal::Model>> {
    use sea_orm::sea_query::Query;
    let owned = Query::select()
        .column(target::Column::Id)
        .from(target::Entity)
        .cond_where(crate::service::scope::owned_targets(viewer))
        .take();
    Ok(target_proposal::Entity::find()
        .filter(target_proposal::Column::Status.eq(Stored(ProposalStatus::Pending)))
        .filter(target_proposal::Column::TargetId.in_subquery(owned))
        .order_by_asc(target_proposal::Column::CreatedAt)
        .order_by_asc(target_proposal::Column::Id)
        .limit(200)
        .all(db)
        .await?)
}
