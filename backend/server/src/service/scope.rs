//! Row filters: the one place that turns a [`Viewer`]'s read scope into SQL conditions.
//! Every list, node lookup and DataLoader-visible root goes through these, so what a role
//! may not read never leaves the database.

use dudao_domain::Viewer;
use dudao_domain::access::ReadScope;
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition};

use crate::entity::{
    action_item, activity, alert, coaching_session, complaint, customer, order, region, rep,
    supervisor_region, target, user,
};

fn assigned_regions(supervisor_id: i32) -> SelectStatement {
    Query::select()
        .column(supervisor_region::Column::RegionId)
        .from(supervisor_region::Entity)
        .and_where(supervisor_region::Column::SupervisorId.eq(supervisor_id))
        .take()
}

fn reps_in_assigned_regions(supervisor_id: i32, col: rep::Column) -> SelectStatement {
    Query::select()
        .column(col)
        .from(rep::Entity)
        .and_where(rep::Column::RegionId.in_subquery(assigned_regions(supervisor_id)))
        .take()
}

fn own_reps(user_id: i32, col: rep::Column) -> SelectStatement {
    Query::select()
        .column(col)
        .from(rep::Entity)
        .and_where(rep::Column::UserId.eq(user_id))
        .take()
}

pub fn regions(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => {
            Condition::all().add(region::Column::Id.in_subquery(assigned_regions(supervisor_id)))
        }
        ReadScope::OwnRep { user_id } => Condition::all()
            .add(region::Column::Id.in_subquery(own_reps(user_id, rep::Column::RegionId))),
    }
}

pub fn reps(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => {
            Condition::all().add(rep::Column::RegionId.in_subquery(assigned_regions(supervisor_id)))
        }
        ReadScope::OwnRep { user_id } => Condition::all().add(rep::Column::UserId.eq(user_id)),
    }
}

pub fn customers(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => Condition::all().add(
            customer::Column::OwnerRepId
                .in_subquery(reps_in_assigned_regions(supervisor_id, rep::Column::Id)),
        ),
        ReadScope::OwnRep { user_id } => Condition::all()
            .add(customer::Column::OwnerRepId.in_subquery(own_reps(user_id, rep::Column::Id))),
    }
}

/// Users a viewer may read: everyone for ADMIN/DIRECTOR; otherwise themselves, the accounts
/// of the reps they can see, those reps' supervisors and whoever coached those reps.
pub fn users(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => Condition::any()
            .add(user::Column::Id.eq(supervisor_id))
            .add(user::Column::Id.in_subquery(coaches_of(rep_facts(
                viewer,
                coaching_session::Column::RepId,
            ))))
            .add(
                user::Column::Id
                    .in_subquery(reps_in_assigned_regions(supervisor_id, rep::Column::UserId)),
            )
            .add(user::Column::Id.in_subquery(reps_in_assigned_regions(
                supervisor_id,
                rep::Column::SupervisorId,
            ))),
        ReadScope::OwnRep { user_id } => Condition::any()
            .add(user::Column::Id.eq(user_id))
            .add(user::Column::Id.in_subquery(own_reps(user_id, rep::Column::SupervisorId)))
            .add(user::Column::Id.in_subquery(coaches_of(rep_facts(
                viewer,
                coaching_session::Column::RepId,
            )))),
    }
}

/// Whoever held the coaching sessions `sessions` selects: a rep sees who coached them
/// (a director, a supervisor of another region), and a supervisor who coached their reps.
fn coaches_of(sessions: Condition) -> SelectStatement {
    Query::select()
        .column(coaching_session::Column::SupervisorId)
        .from(coaching_session::Entity)
        .cond_where(sessions)
        .take()
}

/// Orders follow the rep who earned them: a supervisor sees those of reps in their regions,
/// a rep their own.
pub fn orders(viewer: &Viewer) -> Condition {
    rep_facts(viewer, order::Column::RepId)
}

/// Visits and calls: those of the reps the viewer can read.
pub fn activities(viewer: &Viewer) -> Condition {
    rep_facts(viewer, activity::Column::RepId)
}

/// Complaints: those about the customers of the reps the viewer can read.
pub fn complaints(viewer: &Viewer) -> Condition {
    rep_facts(viewer, complaint::Column::RepId)
}

/// Coaching sessions: those of the reps the viewer can read (a rep their own).
pub fn coaching_sessions(viewer: &Viewer) -> Condition {
    rep_facts(viewer, coaching_session::Column::RepId)
}

/// Action items: those about the reps the viewer can read, and the viewer's own.
pub fn action_items(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        _ => Condition::any()
            .add(action_item::Column::OwnerId.eq(viewer.user_id))
            .add(rep_facts(viewer, action_item::Column::RepId)),
    }
}

/// Evaluations: ADMIN and DIRECTOR all; a supervisor those of the reps in their regions
/// and the ones they write, their own once FINALIZED; a rep their own once FINALIZED.
/// Invited raters read their invitation, never the evaluation.
pub fn evaluations(viewer: &Viewer) -> Condition {
    use crate::entity::{Stored, evaluation};
    use dudao_domain::evaluation::EvaluationStatus;
    let own_final = Condition::all()
        .add(evaluation::Column::SubjectId.eq(viewer.user_id))
        .add(evaluation::Column::Status.eq(Stored(EvaluationStatus::Finalized)));
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => Condition::any()
            .add(own_final)
            .add(evaluation::Column::EvaluatorId.eq(supervisor_id))
            .add(
                evaluation::Column::RepId
                    .in_subquery(reps_in_assigned_regions(supervisor_id, rep::Column::Id)),
            ),
        ReadScope::OwnRep { .. } => own_final,
    }
}

/// Surveys: with the rep (and so the customer) they belong to.
pub fn surveys(viewer: &Viewer) -> Condition {
    rep_facts(viewer, crate::entity::survey::Column::RepId)
}

/// Facts that belong to a rep (orders, visits, complaints): readable with that rep.
fn rep_facts(viewer: &Viewer, rep_col: impl ColumnTrait) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => Condition::all()
            .add(rep_col.in_subquery(reps_in_assigned_regions(supervisor_id, rep::Column::Id))),
        ReadScope::OwnRep { user_id } => {
            Condition::all().add(rep_col.in_subquery(own_reps(user_id, rep::Column::Id)))
        }
    }
}

/// Targets a viewer sets (owns), as `Capability::SetTarget` says: every target
/// for ADMIN and DIRECTOR, the targets of the reps in their regions for a supervisor,
/// none for a rep.
pub fn owned_targets(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => Condition::all()
            .add(target::Column::ScopeKind.eq(crate::entity::Stored(
                dudao_domain::transfer::ScopeKind::Rep,
            )))
            .add(
                target::Column::ScopeId
                    .in_subquery(reps_in_assigned_regions(supervisor_id, rep::Column::Id)),
            ),
        ReadScope::OwnRep { .. } => Condition::all().add(target::Column::Id.eq(-1)),
    }
}

/// Alerts a viewer may read: everything for ADMIN/DIRECTOR; a supervisor those of their
/// regions; a rep the ones about them (not their region's).
pub fn alerts(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => Condition::all()
            .add(alert::Column::RegionId.in_subquery(assigned_regions(supervisor_id))),
        ReadScope::OwnRep { user_id } => Condition::all()
            .add(alert::Column::RepId.in_subquery(own_reps(user_id, rep::Column::Id))),
    }
}

/// The ids of the reps a viewer may read, as a sub-select for statements written as SQL
/// text (exports, rankings): the same condition as [`reps`], rendered by sea-query for
/// `backend`.
pub fn rep_ids_sql(viewer: &Viewer, backend: sea_orm::DatabaseBackend) -> String {
    render(
        &Query::select()
            .column(rep::Column::Id)
            .from(rep::Entity)
            .cond_where(reps(viewer))
            .take(),
        backend,
    )
}

/// The ids of the regions a viewer may read, as a sub-select like [`rep_ids_sql`].
pub fn region_ids_sql(viewer: &Viewer, backend: sea_orm::DatabaseBackend) -> String {
    render(
        &Query::select()
            .column(region::Column::Id)
            .from(region::Entity)
            .cond_where(regions(viewer))
            .take(),
        backend,
    )
}

fn render(q: &SelectStatement, backend: sea_orm::DatabaseBackend) -> String {
    match backend {
        sea_orm::DatabaseBackend::Postgres => q.to_string(sea_orm::sea_query::PostgresQueryBuilder),
        sea_orm::DatabaseBackend::MySql => q.to_string(sea_orm::sea_query::MysqlQueryBuilder),
        _ => q.to_string(sea_orm::sea_query::SqliteQueryBuilder),
    }
}
