//! The overdue-payment rule asks, for each customer with overdue receivables, whether it
//! already has an open alert (one per customer since migration 13). Alerts had no index
//! by customer, so on the benchmark set (300k customers, ~100k alerts) each slice of the
//! rule scanned every alert once per customer — the first run had not finished its first
//! slice after seven minutes. An index by customer, rule and status answers each lookup
//! from a few rows; the customer's alert list (its page) reads it too.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_alerts_customer")
                .table(Alias::new("alerts"))
                .col(Alias::new("customer_id"))
                .col(Alias::new("rule"))
                .col(Alias::new("status"))
                .if_not_exists()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_alerts_customer")
                .table(Alias::new("alerts"))
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
