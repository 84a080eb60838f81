//! Importing payments: each goes to its order's receivable (one per confirmed order), and
//! the monthly sums of the new rows are added.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::DatabaseTransaction;

use super::keys::{self, KeyColumn};
use super::sheet::Row;
use super::write::{Cell, existing, insert_rows, lock, next_id};
use super::{Batch, ImportKind, Kind};
use crate::error::AppResult;

pub(super) struct Payments;

pub(super) struct Payment {
    order: i32,
    paid_on: NaiveDate,
    amount: i64,
}

impl ImportKind for Payments {
    const KIND: Kind = Kind::Payments;
    const COLUMNS: &'static [&'static str] = &["order_id*", "paid_on*", "amount*"];
    const KEYS: &'static [KeyColumn] = &[keys::ORDER];
    type Record = Payment;
    type Key = ();
    /// The receivable of each order the file names (a cancelled order has none).
    type Found = HashMap<i32, i32>;

    fn parse(&self, r: &Row<'_>) -> Result<Payment, String> {
        Ok(Payment {
            order: r.id("order_id")?,
            paid_on: r.date("paid_on")?,
            amount: r.money("amount")?,
        })
    }

    async fn look_up(
        &self,
        txn: &DatabaseTransaction,
        records: &[(usize, Payment)],
    ) -> AppResult<HashMap<i32, i32>> {
        let orders: HashSet<i32> = records.iter().map(|(_, p)| p.order).collect();
        existing(txn, "receivables", "order_id", &orders).await
    }

    fn check(
        &self,
        records: &[(usize, Payment)],
        receivable_of: &HashMap<i32, i32>,
    ) -> Vec<(usize, String)> {
        records
            .iter()
            .filter(|(_, p)| !receivable_of.contains_key(&p.order))
            .map(|(line, p)| {
                let order = p.order;
                (
                    *line,
                    format!("order_id: 订单 {order} 不存在或已取消 / no open order {order}"),
                )
            })
            .collect()
    }

    async fn write(
        &self,
        txn: &DatabaseTransaction,
        batch: &mut Batch<'_>,
        records: Vec<(usize, Payment)>,
        receivable_of: HashMap<i32, i32>,
    ) -> AppResult<()> {
        // Checked: every order has its receivable.
        let values: Vec<Vec<Cell>> = records
            .iter()
            .filter_map(|(_, p)| {
                let rid = receivable_of.get(&p.order)?;
                Some(vec![
                    Cell::Int(i64::from(*rid)),
                    Cell::Date(p.paid_on),
                    Cell::Int(p.amount),
                ])
            })
            .collect();
        // Locked, so the ids from `first` on are this import's alone.
        lock(txn, &["payments"]).await?;
        let first = next_id(txn, "payments").await?;
        insert_rows(
            txn,
            "INSERT INTO payments (receivable_id, paid_on, amount_cents)",
            &values,
            batch.progress,
            "payments",
            &mut batch.done,
            batch.total,
        )
        .await?;
        crate::service::rollups::add_payments(txn, i64::from(first)).await
    }
}
