//! The customer-score refresh (hourly inside the server, and `dudao alerts run`) reads
//! each customer's orders and surveys of the last year. At 300,000 customers:
//!
//! - surveys had no index by customer: every customer scanned every survey, and the
//!   refresh had not finished after 20 minutes on SQLite — holding SQLite's only write
//!   lock all along, so sign-ins failed with "database is locked";
//! - the orders' index by customer needed a row lookup per order for its status and
//!   amount.
//!
//! Both are now answered from an index alone. The covering orders index replaces the old
//! one (same leading column, so it still serves the foreign key).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn index(name: &str, table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(Alias::new(table)).if_not_exists();
    for c in cols {
        i.col(Alias::new(*c));
    }
    i.take()
}

fn drop(name: &str, table: &str) -> IndexDropStatement {
    Index::drop()
        .name(name)
        .table(Alias::new(table))
        .if_exists()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index(
            "idx_surveys_customer",
            "surveys",
            &["customer_id", "surveyed_on", "score"],
        ))
        .await?;
        m.create_index(index(
            "idx_orders_customer_cover",
            "orders",
            &["customer_id", "ordered_on", "status", "amount_cents"],
        ))
        .await?;
        m.drop_index(drop("idx_orders_customer", "orders")).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index(
            "idx_orders_customer",
            "orders",
            &["customer_id", "ordered_on"],
        ))
        .await?;
        m.drop_index(drop("idx_orders_customer_cover", "orders"))
            .await?;
        m.drop_index(drop("idx_surveys_customer", "surveys")).await
    }
}
