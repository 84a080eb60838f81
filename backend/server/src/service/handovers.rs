//! Customer handovers (客户交接): a departing rep's customers, each with what the new owner
//! needs (contacts, open opportunities, outstanding receivables, the last visit's note), are
//! moved to a new owner on a day, with a handover ride-along to do. Ownership history is
//! kept (`customer_handovers`); past figures stay with the rep who earned them — orders,
//! receivables and payments keep their rep — and the new owner's start at the handover
//! (open opportunities move with the customer). Who may: `Capability::AssignCustomers`,
//! for reps the viewer reads.

use chrono::{Duration, NaiveDate, Utc};
use dudao_domain::{Capability, Viewer};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Set, Statement,
};

use super::{audit, optional_text};
use crate::entity::{Stored, action_item, customer, customer_handover, opportunity, rep};
use crate::error::{AppError, AppResult};

/// One customer on a handover list, as it stands.
#[derive(Clone, Debug, FromQueryResult)]
pub struct ListRow {
    pub customer_id: i32,
    pub name: String,
    pub contacts: i64,
    pub open_opportunities: i64,
    pub pipeline_cents: i64,
    pub outstanding_cents: i64,
    pub last_visit_on: Option<NaiveDate>,
    pub last_note: Option<String>,
}

const OPEN: &str = "o.stage NOT IN ('WON', 'LOST')";

fn list_sql(rep_id: i32, customers: &str) -> String {
    format!(
        "SELECT c.id AS customer_id, c.name AS name, \
         CAST((SELECT COUNT(*) FROM customer_contacts k WHERE k.customer_id = c.id) AS BIGINT) AS contacts, \
         CAST((SELECT COUNT(*) FROM opportunities o WHERE o.customer_id = c.id AND {OPEN}) AS BIGINT) AS open_opportunities, \
         CAST(COALESCE((SELECT SUM(o.amount_cents) FROM opportunities o WHERE o.customer_id = c.id AND {OPEN}), 0) AS BIGINT) AS pipeline_cents, \
         CAST(COALESCE((SELECT SUM(r.amount_cents) FROM receivables r WHERE r.customer_id = c.id), 0) \
            - COALESCE((SELECT SUM(p.amount_cents) FROM payments p JOIN receivables r ON r.id = p.receivable_id WHERE r.customer_id = c.id), 0) AS BIGINT) AS outstanding_cents, \
         (SELECT MAX(a.occurred_on) FROM activities a WHERE a.customer_id = c.id) AS last_visit_on, \
         (SELECT a.outcome FROM activities a WHERE a.customer_id = c.id ORDER BY a.occurred_on DESC, a.id DESC LIMIT 1) AS last_note \
         FROM customers c WHERE c.owner_rep_id = {rep_id} {customers} ORDER BY c.name, c.id"
    )
}

async fn readable_rep<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i32,
    field: &str,
) -> AppResult<rep::Model> {
    rep::Entity::find_by_id(id)
        .filter(super::scope::reps(viewer))
        .one(db)
        .await?
        .ok_or_else(|| match field {
            "" => AppError::forbidden(),
            f => AppError::BadInput(format!(
                "{f}: 找不到这位代表 / no such rep the caller may read"
            )),
        })
}

/// The handover list (客户交接清单) of a rep: every customer they own with what goes with
/// it, in one statement.
pub async fn checklist(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rep_id: i32,
) -> AppResult<Vec<ListRow>> {
    if !viewer.can(Capability::AssignCustomers) {
        return Err(AppError::forbidden());
    }
    super::reps::get(db, viewer, rep_id).await?;
    Ok(ListRow::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        list_sql(rep_id, ""),
    ))
    .all(db)
    .await?)
}

pub struct Handover {
    pub from_rep: i32,
    pub to_rep: i32,
    /// Empty: every customer the departing rep owns.
    pub customers: Vec<i32>,
    pub handed_on: NaiveDate,
    pub notes: Option<String>,
    /// An action item for the new owner's supervisor (or the caller): ride along on a
    /// first visit with the new owner within two weeks.
    pub ride_along: bool,
}

/// Hands customers over in one transaction: each one's owner changes, its open
/// opportunities move with it, and a handover record keeps what was handed over.
pub async fn hand_over(
    db: &DatabaseConnection,
    viewer: &Viewer,
    h: Handover,
) -> AppResult<Vec<customer_handover::Model>> {
    if !viewer.can(Capability::AssignCustomers) {
        return Err(AppError::forbidden());
    }
    let from = super::reps::get(db, viewer, h.from_rep).await?;
    let to = readable_rep(db, viewer, h.to_rep, "toRepId").await?;
    if from.id == to.id {
        return Err(AppError::BadInput(
            "toRepId: 新负责人不能是原负责人 / the new owner must be someone else".into(),
        ));
    }
    if to.status.0 == dudao_domain::RepStatus::Left {
        return Err(AppError::BadInput(
            "toRepId: 这位代表已离职 / this rep has left".into(),
        ));
    }
    let handed_on = dudao_domain::sane_date(h.handed_on)
        .map_err(|e| AppError::BadInput(format!("handedOn: {e}")))?;
    let notes = optional_text("notes", h.notes, 2000)?;
    if h.customers.len() > 5000 {
        return Err(AppError::BadInput(
            "customerIds: 一次最多 5000 个 / at most 5000 at a time".into(),
        ));
    }
    let txn = crate::db::write_txn(db).await?;
    let only = if h.customers.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = h.customers.iter().map(i32::to_string).collect();
        format!("AND c.id IN ({})", ids.join(","))
    };
    let rows = ListRow::find_by_statement(Statement::from_string(
        txn.get_database_backend(),
        list_sql(from.id, &only),
    ))
    .all(&txn)
    .await?;
    if !h.customers.is_empty()
        && rows.len() != {
            let mut c = h.customers.clone();
            c.sort_unstable();
            c.dedup();
            c.len()
        }
    {
        return Err(AppError::BadInput(
            "customerIds: 有客户不属于原负责人 / some customers are not the departing rep's".into(),
        ));
    }
    if rows.is_empty() {
        return Err(AppError::BadInput(
            "没有要交接的客户 / no customers to hand over".into(),
        ));
    }
    let now = Utc::now();
    let ids: Vec<i32> = rows.iter().map(|r| r.customer_id).collect();
    customer::Entity::update_many()
        .col_expr(customer::Column::OwnerRepId, Expr::value(to.id))
        .col_expr(
            customer::Column::Version,
            Expr::col(customer::Column::Version).add(1),
        )
        .col_expr(customer::Column::UpdatedAt, Expr::value(now))
        .filter(customer::Column::Id.is_in(ids.clone()))
        .filter(customer::Column::OwnerRepId.eq(from.id))
        .exec(&txn)
        .await?;
    opportunity::Entity::update_many()
        .col_expr(opportunity::Column::RepId, Expr::value(to.id))
        .filter(opportunity::Column::CustomerId.is_in(ids))
        .filter(opportunity::Column::RepId.eq(from.id))
        .filter(opportunity::Column::Stage.is_not_in(["WON", "LOST"]))
        .exec(&txn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let action = if h.ride_along {
            let owner = to.supervisor_id.unwrap_or(viewer.user_id);
            let a = action_item::ActiveModel {
                rep_id: Set(Some(to.id)),
                owner_id: Set(owner),
                title: Set(format!(
                    "交接陪访：{}（与新负责人 {} 一起拜访）/ handover ride-along",
                    r.name, to.name
                )),
                due_on: Set(Some(handed_on + Duration::days(14))),
                status: Set(Stored(dudao_domain::coaching::ActionStatus::Open)),
                created_by: Set(Some(viewer.user_id)),
                created_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            Some(a.id)
        } else {
            None
        };
        let row = customer_handover::ActiveModel {
            customer_id: Set(r.customer_id),
            from_rep_id: Set(from.id),
            to_rep_id: Set(to.id),
            handed_on: Set(handed_on),
            contacts: Set(i32::try_from(r.contacts).unwrap_or(i32::MAX)),
            open_opportunities: Set(i32::try_from(r.open_opportunities).unwrap_or(i32::MAX)),
            open_pipeline_cents: Set(r.pipeline_cents),
            outstanding_cents: Set(r.outstanding_cents),
            notes: Set(notes.clone()),
            action_item_id: Set(action),
            created_by: Set(viewer.user_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        out.push(row);
    }
    audit::record(
        &txn,
        Some(viewer.user_id),
        "handover",
        "rep",
        from.id,
        None::<&()>,
        Some(&serde_json::json!({ "to": to.id, "customers": out.len(), "handedOn": handed_on })),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// A customer's ownership history, newest first (readable with the customer).
pub async fn history(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer_id: i32,
) -> AppResult<Vec<customer_handover::Model>> {
    super::customers::get(db, viewer, customer_id).await?;
    Ok(customer_handover::Entity::find()
        .filter(customer_handover::Column::CustomerId.eq(customer_id))
        .order_by_desc(customer_handover::Column::HandedOn)
        .order_by_desc(customer_handover::Column::Id)
        .all(db)
        .await?)
}

/// Handovers from or to a rep the viewer reads, newest first.
pub async fn of_rep(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rep_id: i32,
) -> AppResult<Vec<customer_handover::Model>> {
    super::reps::get(db, viewer, rep_id).await?;
    Ok(sea_orm::QuerySelect::limit(
        customer_handover::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(customer_handover::Column::FromRepId.eq(rep_id))
                    .add(customer_handover::Column::ToRepId.eq(rep_id)),
            )
            .order_by_desc(customer_handover::Column::HandedOn)
            .order_by_desc(customer_handover::Column::Id),
        500,
    )
    .all(db)
    .await?)
}
