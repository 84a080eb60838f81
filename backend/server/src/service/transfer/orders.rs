//! Importing orders: each confirmed order gets its receivable (due 30 days after the
//! order unless the file says when), with ids this import assigns under table locks, and
//! the monthly sums of the new rows are added.

use chrono::{DateTime, NaiveDate, Utc};
use dudao_domain::transfer::{OrderStatus, order_due};
use sea_orm::DatabaseTransaction;

use super::keys::{self, CustomersAndReps, KeyColumn};
use super::sheet::Row;
use super::write::{Cell, insert_cells, lock, next_id};
use super::{Batch, ImportKind, Kind};
use crate::error::AppResult;

pub(super) struct Orders;

pub(super) struct Order {
    customer: i32,
    rep: i32,
    ordered_on: NaiveDate,
    amount: i64,
    status: OrderStatus,
    due_on: NaiveDate,
}

const ORDER_COLUMNS: [(&str, &str); 7] = [
    ("id", "integer"),
    ("customer_id", "integer"),
    ("rep_id", "integer"),
    ("ordered_on", "date"),
    ("amount_cents", "bigint"),
    ("status", "text"),
    ("created_at", "timestamptz"),
];

const RECEIVABLE_COLUMNS: [(&str, &str); 6] = [
    ("id", "integer"),
    ("order_id", "integer"),
    ("customer_id", "integer"),
    ("rep_id", "integer"),
    ("due_on", "date"),
    ("amount_cents", "bigint"),
];

impl ImportKind for Orders {
    const KIND: Kind = Kind::Orders;
    const COLUMNS: &'static [&'static str] = &[
        "customer_id*",
        "rep_id*",
        "ordered_on*",
        "amount*",
        "status",
        "due_on",
    ];
    const KEYS: &'static [KeyColumn] = &[keys::CUSTOMER, keys::REP];
    type Record = Order;
    type Key = ();
    type Found = CustomersAndReps;

    fn parse(&self, r: &Row<'_>) -> Result<Order, String> {
        let customer = r.id("customer_id")?;
        let rep = r.id("rep_id")?;
        let ordered_on = r.date("ordered_on")?;
        let amount = r.money("amount")?;
        let status = OrderStatus::parse(r.get("status"))?;
        let due_on = order_due(ordered_on, r.date_opt("due_on")?)?;
        Ok(Order {
            customer,
            rep,
            ordered_on,
            amount,
            status,
            due_on,
        })
    }

    async fn look_up(
        &self,
        txn: &DatabaseTransaction,
        records: &[(usize, Order)],
    ) -> AppResult<CustomersAndReps> {
        CustomersAndReps::look_up(txn, records.iter().map(|(_, o)| (o.customer, o.rep))).await
    }

    fn check(&self, records: &[(usize, Order)], found: &CustomersAndReps) -> Vec<(usize, String)> {
        records
            .iter()
            .filter_map(|(line, o)| Some((*line, found.missing(o.customer, o.rep)?)))
            .collect()
    }

    async fn write(
        &self,
        txn: &DatabaseTransaction,
        batch: &mut Batch<'_>,
        records: Vec<(usize, Order)>,
        _found: CustomersAndReps,
    ) -> AppResult<()> {
        lock(txn, &["orders", "receivables"]).await?;
        let first_order = next_id(txn, "orders").await?;
        let first_receivable = next_id(txn, "receivables").await?;
        let (orders, receivables) = cells(&records, first_order, first_receivable, batch.created);
        insert_cells(
            txn,
            "orders",
            &ORDER_COLUMNS,
            &orders,
            batch.progress,
            "orders",
            &mut batch.done,
            batch.total,
        )
        .await?;
        let mut r_done = 0;
        insert_cells(
            txn,
            "receivables",
            &RECEIVABLE_COLUMNS,
            &receivables,
            &|_, _, _| {},
            "receivables",
            &mut r_done,
            receivables.len(),
        )
        .await?;
        crate::db::fix_sequence(txn, "orders").await?;
        crate::db::fix_sequence(txn, "receivables").await?;
        tracing::debug!(elapsed = ?batch.started.elapsed(), "orders and receivables written");
        crate::service::rollups::add_orders(
            txn,
            i64::from(first_order),
            i64::from(first_receivable),
        )
        .await?;
        tracing::debug!(elapsed = ?batch.started.elapsed(), "monthly sums added");
        Ok(())
    }
}

/// The rows of `orders` and `receivables`, with ids from `order_id` and `receivable_id` on
/// (a receivable for each confirmed order).
fn cells(
    records: &[(usize, Order)],
    mut order_id: i32,
    mut receivable_id: i32,
    created: DateTime<Utc>,
) -> (Vec<Vec<Cell>>, Vec<Vec<Cell>>) {
    let mut orders = Vec::with_capacity(records.len());
    let mut receivables = Vec::with_capacity(records.len());
    for (_, o) in records {
        let (customer, rep) = (i64::from(o.customer), i64::from(o.rep));
        orders.push(vec![
            Cell::Int(i64::from(order_id)),
            Cell::Int(customer),
            Cell::Int(rep),
            Cell::Date(o.ordered_on),
            Cell::Int(o.amount),
            Cell::Text(o.status.as_str().to_owned()),
            Cell::Time(created),
        ]);
        if o.status == OrderStatus::Confirmed {
            receivables.push(vec![
                Cell::Int(i64::from(receivable_id)),
                Cell::Int(i64::from(order_id)),
                Cell::Int(customer),
                Cell::Int(rep),
                Cell::Date(o.due_on),
                Cell::Int(o.amount),
            ]);
            receivable_id += 1;
        }
        order_id += 1;
    }
    (orders, receivables)
}
