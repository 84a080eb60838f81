//! The cockpit's speed under load (issue 11): a region's new-customer count grouped the
//! region's whole `customer_firsts` (≈10k rows, ~40 ms of a ~45 ms statement on
//! PostgreSQL) to find each customer's first order in the region. Now the counts are kept
//! per scope and month:
//!
//! - `new_customer_months (scope_kind, scope_id, month)`: how many customers had their
//!   first (non-cancelled) order with the scope — a rep (`REP`), a region (`REGION`, over
//!   its reps) or the company (`COMPANY`, id 0) — in that month.
//!
//! A period's new customers are the sum over its months; its base customers (those whose
//! first order came before it) the sum over the months before. Either reads a few dozen
//! rows. `company_firsts` is no longer read by anything and is dropped: the company's
//! first orders are the minimum over `customer_firsts`.
//!
//! Who changes a customer's first order or a rep's region brings the counts along
//! (`service::rollups`). The table is filled here from `customer_firsts`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn month(backend: DatabaseBackend, col: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST(date_trunc('month', {col}) AS DATE)"),
        _ => format!("substr({col}, 1, 7) || '-01'"),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let b = m.get_database_backend();
        let mut t = Table::create();
        t.table(Alias::new("new_customer_months"))
            .if_not_exists()
            .col(
                ColumnDef::new(Alias::new("scope_kind"))
                    .string_len(8)
                    .not_null(),
            )
            .col(ColumnDef::new(Alias::new("scope_id")).integer().not_null())
            .col(ColumnDef::new(Alias::new("month")).date().not_null())
            .col(
                ColumnDef::new(Alias::new("customers"))
                    .big_integer()
                    .not_null()
                    .default(0),
            )
            .primary_key(
                Index::create()
                    .col(Alias::new("scope_kind"))
                    .col(Alias::new("scope_id"))
                    .col(Alias::new("month")),
            );
        if b == DatabaseBackend::Sqlite {
            // A scope's months are one contiguous range of the table itself.
            t.extra("WITHOUT ROWID");
        }
        m.create_table(t.take()).await?;
        let db = m.get_connection();
        let fill = [
            format!(
                "INSERT INTO new_customer_months (scope_kind, scope_id, month, customers) \
                 SELECT 'REP', cf.rep_id, {}, COUNT(*) FROM customer_firsts cf GROUP BY 2, 3",
                month(b, "cf.first_on")
            ),
            format!(
                "INSERT INTO new_customer_months (scope_kind, scope_id, month, customers) \
                 SELECT 'REGION', g.region_id, {}, COUNT(*) FROM \
                 (SELECT r.region_id AS region_id, MIN(cf.first_on) AS first_on \
                  FROM customer_firsts cf JOIN reps r ON r.id = cf.rep_id \
                  GROUP BY r.region_id, cf.customer_id) g GROUP BY 2, 3",
                month(b, "g.first_on")
            ),
            format!(
                "INSERT INTO new_customer_months (scope_kind, scope_id, month, customers) \
                 SELECT 'COMPANY', 0, {}, COUNT(*) FROM \
                 (SELECT MIN(cf.first_on) AS first_on FROM customer_firsts cf GROUP BY cf.customer_id) g \
                 GROUP BY 2, 3",
                month(b, "g.first_on")
            ),
        ];
        for sql in fill {
            db.execute_unprepared(&sql).await?;
        }
        m.drop_table(
            Table::drop()
                .table(Alias::new("company_firsts"))
                .if_exists()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("company_firsts"))
                .if_not_exists()
                .col(
                    ColumnDef::new(Alias::new("customer_id"))
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Alias::new("first_on")).date().not_null())
                .take(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO company_firsts (customer_id, first_on) \
                 SELECT customer_id, MIN(first_on) FROM customer_firsts GROUP BY customer_id",
            )
            .await?;
        m.drop_table(
            Table::drop()
                .table(Alias::new("new_customer_months"))
                .if_exists()
                .take(),
        )
        .await
    }
}
