//! Speed at 3M orders (docs/benchmarks.md): each customer's first order per rep, kept in
//! `customer_firsts` so that new customers and customer growth are index range scans
//! instead of grouping the whole order history (8.8 s of a 51 s company scorecard); and
//! covering indexes for the period sums (sales, amounts due, payments), replacing the
//! indexes they extend.

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

type Covering = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
);

/// (new covering index, table, its columns, the index it replaces, that one's columns)
const COVERING: [Covering; 5] = [
    (
        "idx_orders_date_cover",
        "orders",
        &["ordered_on", "status", "amount_cents"],
        "idx_orders_date",
        &["ordered_on"],
    ),
    (
        "idx_orders_rep_date_cover",
        "orders",
        &["rep_id", "ordered_on", "status", "amount_cents"],
        "idx_orders_rep_date",
        &["rep_id", "ordered_on"],
    ),
    (
        "idx_receivables_due_cover",
        "receivables",
        &["due_on", "amount_cents"],
        "idx_receivables_due",
        &["due_on"],
    ),
    (
        "idx_receivables_rep_due_cover",
        "receivables",
        &["rep_id", "due_on", "amount_cents"],
        "idx_receivables_rep_due",
        &["rep_id", "due_on"],
    ),
    (
        "idx_payments_receivable_cover",
        "payments",
        &["receivable_id", "paid_on", "amount_cents"],
        "idx_payments_receivable",
        &["receivable_id", "paid_on"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("customer_firsts"))
                .if_not_exists()
                .col(
                    ColumnDef::new(Alias::new("customer_id"))
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Alias::new("rep_id")).integer().not_null())
                .col(ColumnDef::new(Alias::new("first_on")).date().not_null())
                .primary_key(
                    Index::create()
                        .col(Alias::new("customer_id"))
                        .col(Alias::new("rep_id")),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_customer_firsts_rep",
            "customer_firsts",
            &["rep_id", "first_on"],
        ))
        .await?;
        m.create_index(index(
            "idx_customer_firsts_customer",
            "customer_firsts",
            &["customer_id", "first_on"],
        ))
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO customer_firsts (customer_id, rep_id, first_on) \
                 SELECT customer_id, rep_id, MIN(ordered_on) FROM orders WHERE status <> 'CANCELLED' \
                 GROUP BY customer_id, rep_id",
            )
            .await?;
        for (name, table, cols, old, _) in COVERING {
            m.create_index(index(name, table, cols)).await?;
            m.drop_index(drop(old, table)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _, old, old_cols) in COVERING {
            m.create_index(index(old, table, old_cols)).await?;
            m.drop_index(drop(name, table)).await?;
        }
        m.drop_table(Table::drop().table(Alias::new("customer_firsts")).take())
            .await
    }
}
