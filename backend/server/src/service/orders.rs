//! Orders (订单): the records behind every sales figure. The list takes the same scope and
//! date range as a scorecard, so each figure drills down to its orders.

use chrono::NaiveDate;
use dudao_domain::Viewer;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, sea_query::Query,
};

use super::page::{self, Page, PageArgs};
use super::{Direction, find_visible, scope};
use crate::entity::{order, rep};
use crate::error::AppResult;

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub rep_id: Option<i32>,
    pub region_id: Option<i32>,
    pub customer_id: Option<i32>,
    /// Inclusive date range on `ordered_on`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Include cancelled orders (they count in no figure).
    pub include_cancelled: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub enum SortField {
    #[default]
    OrderedOn,
    Amount,
}

pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Filter,
    sort: (SortField, Direction),
    args: PageArgs,
) -> AppResult<Page<order::Model>> {
    let mut q = order::Entity::find().filter(scope::orders(viewer));
    if let Some(r) = filter.rep_id {
        q = q.filter(order::Column::RepId.eq(r));
    }
    if let Some(r) = filter.region_id {
        q = q.filter(
            order::Column::RepId.in_subquery(
                Query::select()
                    .column(rep::Column::Id)
                    .from(rep::Entity)
                    .and_where(rep::Column::RegionId.eq(r))
                    .take(),
            ),
        );
    }
    if let Some(c) = filter.customer_id {
        q = q.filter(order::Column::CustomerId.eq(c));
    }
    if let Some(f) = filter.from {
        q = q.filter(order::Column::OrderedOn.gte(f));
    }
    if let Some(t) = filter.to {
        q = q.filter(order::Column::OrderedOn.lte(t));
    }
    if !filter.include_cancelled {
        q = q.filter(order::Column::Status.ne(crate::entity::Stored(
            dudao_domain::transfer::OrderStatus::Cancelled,
        )));
    }
    let col = match sort.0 {
        SortField::OrderedOn => order::Column::OrderedOn,
        SortField::Amount => order::Column::AmountCents,
    };
    q = q
        .order_by(col, sort.1.into())
        .order_by_asc(order::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<order::Model> {
    find_visible::<order::Entity, _>(db, id, scope::orders(viewer), "order").await
}
