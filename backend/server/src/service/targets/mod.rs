//! Targets (目标): the split of a target into the level below (with the helper's proposal
//! from history and whether it adds up), setting targets, and the negotiation of a figure.
//! Who may do what is `dudao_domain::targets`; which rows, the row filters through
//! [`scorecard::authorize`] (a target is read and written with the scope it belongs to).
//!
//! By job: [`authority`] (who may read, set, propose; what a stored row's scope, period
//! and metric are), [`split`] (the split view and last year's figures), [`writes`]
//! (setting values and the history of changes) and [`proposals`] (the negotiation).

mod authority;
mod proposals;
mod split;
mod writes;

use std::collections::HashMap;

use dudao_domain::targets::TargetMetric;
use dudao_domain::{Period, Viewer};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

pub use authority::{authorize_read, authorize_set, level, metric_of, period_of, scope_of};
pub use proposals::{Answer, answer, pending_for_owner, propose};
pub use split::{Cell, Child, Split, split};
pub(crate) use writes::{Change, record_changes};
pub use writes::{NewValue, set_many};

use super::scorecard::Scope;
use crate::entity::{Stored, target};
use crate::error::{AppError, AppResult};

async fn find<C: ConnectionTrait>(
    db: &C,
    metric: TargetMetric,
    scope: Scope,
    period: Period,
) -> AppResult<Option<target::Model>> {
    Ok(target::Entity::find()
        .filter(target::Column::Metric.eq(Stored(metric)))
        .filter(target::Column::ScopeKind.eq(Stored(scope.stored_kind())))
        .filter(target::Column::ScopeId.eq(scope.target_id()))
        .filter(target::Column::PeriodKind.eq(Stored(period.kind)))
        .filter(target::Column::Year.eq(period.year))
        .filter(target::Column::Idx.eq(period.index as i32))
        .one(db)
        .await?)
}

/// A target by id, for a viewer who may read its scope.
pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<target::Model> {
    let t = unchecked(db, id).await?;
    let scope = scope_of(&t)?;
    // The one a target was handed to may read it even when they may not read the level
    // it belongs to (a rep reads their own target; a supervisor the region's).
    match authorize_read(db, viewer, scope).await {
        Err(AppError::Forbidden(_)) => authority::authorize_propose(db, viewer, scope).await?,
        other => other?,
    }
    Ok(t)
}

/// A target by id, before any check: callers authorize it.
pub(super) async fn unchecked(db: &DatabaseConnection, id: i32) -> AppResult<target::Model> {
    target::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("target {id} 不存在 / does not exist")))
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
