//! Who may read, set and propose a target, and what a stored target's text columns mean.
//! Who at which level is `dudao_domain::Capability`; which rows, [`scorecard::authorize`].

use dudao_domain::targets::{Level, TargetMetric};
use dudao_domain::{Capability, Period, Viewer};
use sea_orm::DatabaseConnection;

use crate::entity::target;
use crate::error::{AppError, AppResult};
use crate::service::scorecard::{self, Scope};

pub fn level(scope: Scope) -> Level {
    match scope {
        Scope::Company => Level::Company,
        Scope::Region(_) => Level::Region,
        Scope::Rep(_) => Level::Rep,
    }
}

/// The scope a stored target belongs to.
pub fn scope_of(t: &target::Model) -> AppResult<Scope> {
    use dudao_domain::transfer::ScopeKind;
    Ok(match t.scope_kind.0 {
        ScopeKind::Company => Scope::Company,
        ScopeKind::Region => Scope::Region(t.scope_id),
        ScopeKind::Rep => Scope::Rep(t.scope_id),
    })
}

pub fn period_of(t: &target::Model) -> AppResult<Period> {
    let kind = t.period_kind.0;
    Period::new(
        kind,
        t.year,
        Some(t.idx).filter(|_| kind != dudao_domain::PeriodKind::Year),
    )
    .map_err(|e| AppError::Internal(anyhow::anyhow!("target {}: {e}", t.id)))
}

pub fn metric_of(t: &target::Model) -> AppResult<TargetMetric> {
    Ok(t.metric.0)
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
    if !viewer.can(Capability::SetTarget(level(scope))) {
        return Err(AppError::forbidden());
    }
    scorecard::authorize(db, viewer, scope).await
}

/// Proposing another figure: the one the target was handed down to.
pub(super) async fn authorize_propose(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: Scope,
) -> AppResult<()> {
    if !viewer.can(Capability::ProposeTarget(level(scope))) {
        return Err(AppError::forbidden());
    }
    match scope {
        // A rep may not read their region's figures, but may propose for themselves.
        Scope::Rep(id) => crate::service::reps::get(db, viewer, id).await.map(|_| ()),
        Scope::Region(id) => crate::service::regions::get(db, viewer, id)
            .await
            .map(|_| ()),
        Scope::Company => Err(AppError::forbidden()),
    }
}
