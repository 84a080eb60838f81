//! Speed of the company scorecard at 3M orders (goal p50 < 150 ms): every figure summed
//! a quarter of raw rows (≈250k orders, 220k receivables, 180k payments …), ≈390 ms on
//! SQLite. Periods are whole months, so monthly sums per rep answer every scope and
//! period kind from a few thousand rows:
//!
//! - `rep_months (month, rep_id)`: sales and order count (cancelled orders left out),
//!   amounts due, won and closed opportunities, survey count, score sum, promoters and
//!   detractors;
//! - `rep_paid_months (due_month, rep_id, paid_month)`: payments by the month their amount
//!   was due and the month it was paid ("paid by the period's end on amounts due in it");
//! - `company_firsts (customer_id)`: each customer's first order with the company (new and
//!   base customers of the company are distinct customers, not a sum over reps).
//!
//! Orders, receivables, payments, opportunities and surveys are only ever added (by the
//! seeds and imports), and whoever adds them adds their sums (`service::rollups`). The
//! tables are filled here from the existing rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SUMS: [&str; 10] = [
    "sales_cents",
    "order_count",
    "due_cents",
    "won",
    "closed",
    "surveys",
    "score_sum",
    "promoters",
    "detractors",
    "cents",
];

fn month(backend: DatabaseBackend, col: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST(date_trunc('month', {col}) AS DATE)"),
        _ => format!("substr({col}, 1, 7) || '-01'"),
    }
}

/// A table of sums keyed by `keys`. On SQLite its rows are stored in key order
/// (`WITHOUT ROWID`): the company's months are one contiguous range, not an index scan
/// with a row lookup each (a director's heatmap reads 72k of them).
fn table(
    backend: DatabaseBackend,
    name: &str,
    keys: &[&str],
    sums: &[&str],
) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(Alias::new(name)).if_not_exists();
    let mut pk = Index::create();
    for k in keys {
        let mut c = ColumnDef::new(Alias::new(*k));
        if k.ends_with("month") {
            c.date().not_null();
        } else {
            c.integer().not_null();
        }
        t.col(&mut c);
        pk.col(Alias::new(*k));
    }
    for s in sums {
        debug_assert!(SUMS.contains(s));
        t.col(
            ColumnDef::new(Alias::new(*s))
                .big_integer()
                .not_null()
                .default(0),
        );
    }
    t.primary_key(&mut pk);
    if backend == DatabaseBackend::Sqlite {
        t.extra("WITHOUT ROWID");
    }
    t.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let b = m.get_database_backend();
        m.create_table(table(b, "rep_months", &["month", "rep_id"], &SUMS[..9]))
            .await?;
        m.create_table(table(
            b,
            "rep_paid_months",
            &["due_month", "rep_id", "paid_month"],
            &["cents"],
        ))
        .await?;
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
        m.create_index(
            Index::create()
                .name("idx_company_firsts_first_on")
                .table(Alias::new("company_firsts"))
                .col(Alias::new("first_on"))
                .if_not_exists()
                .take(),
        )
        .await?;
        // A rep's or region's months: by rep first (the keys lead with the month for the
        // company's ranges).
        for (name, table, cols) in [
            ("idx_rep_months_rep", "rep_months", &["rep_id", "month"][..]),
            (
                "idx_rep_paid_months_rep",
                "rep_paid_months",
                &["rep_id", "due_month", "paid_month", "cents"][..],
            ),
        ] {
            let mut i = Index::create();
            i.name(name).table(Alias::new(table)).if_not_exists();
            for c in cols {
                i.col(Alias::new(*c));
            }
            m.create_index(i.take()).await?;
        }
        // The sales cycle is a median, which monthly sums cannot give: its won
        // opportunities of a period are one covering range scan instead.
        m.create_index(
            Index::create()
                .name("idx_opportunities_closed_cover")
                .table(Alias::new("opportunities"))
                .col(Alias::new("closed_on"))
                .col(Alias::new("stage"))
                .col(Alias::new("created_on"))
                .if_not_exists()
                .take(),
        )
        .await?;

        let db = m.get_connection();
        let fill = [
            format!(
                "INSERT INTO rep_months (month, rep_id, sales_cents, order_count) \
                 SELECT {}, rep_id, SUM(amount_cents), COUNT(*) FROM orders \
                 WHERE status <> 'CANCELLED' GROUP BY 1, 2",
                month(b, "ordered_on")
            ),
            format!(
                "INSERT INTO rep_months (month, rep_id, due_cents) \
                 SELECT {}, rep_id, SUM(amount_cents) FROM receivables WHERE 1 = 1 GROUP BY 1, 2 \
                 ON CONFLICT (month, rep_id) DO UPDATE SET due_cents = excluded.due_cents",
                month(b, "due_on")
            ),
            format!(
                "INSERT INTO rep_months (month, rep_id, won, closed) \
                 SELECT {}, rep_id, SUM(CASE WHEN stage = 'WON' THEN 1 ELSE 0 END), COUNT(*) \
                 FROM opportunities WHERE stage IN ('WON', 'LOST') AND closed_on IS NOT NULL GROUP BY 1, 2 \
                 ON CONFLICT (month, rep_id) DO UPDATE SET won = excluded.won, closed = excluded.closed",
                month(b, "closed_on")
            ),
            format!(
                "INSERT INTO rep_months (month, rep_id, surveys, score_sum, promoters, detractors) \
                 SELECT {}, rep_id, COUNT(*), SUM(score), \
                   SUM(CASE WHEN score >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END) \
                 FROM surveys WHERE 1 = 1 GROUP BY 1, 2 \
                 ON CONFLICT (month, rep_id) DO UPDATE SET surveys = excluded.surveys, \
                   score_sum = excluded.score_sum, promoters = excluded.promoters, detractors = excluded.detractors",
                month(b, "surveyed_on")
            ),
            format!(
                "INSERT INTO rep_paid_months (due_month, rep_id, paid_month, cents) \
                 SELECT {}, rep_id, {}, SUM(amount_cents) FROM payments \
                 WHERE due_on IS NOT NULL AND rep_id IS NOT NULL GROUP BY 1, 2, 3",
                month(b, "due_on"),
                month(b, "paid_on")
            ),
            "INSERT INTO company_firsts (customer_id, first_on) \
             SELECT customer_id, MIN(first_on) FROM customer_firsts GROUP BY customer_id"
                .to_owned(),
        ];
        for sql in fill {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_opportunities_closed_cover")
                .table(Alias::new("opportunities"))
                .if_exists()
                .to_owned(),
        )
        .await?;
        for t in ["rep_months", "rep_paid_months", "company_firsts"] {
            m.drop_table(Table::drop().table(Alias::new(t)).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
