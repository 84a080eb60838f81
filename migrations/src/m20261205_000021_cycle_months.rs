//! The cockpit's speed under load (issue 11), the last figure: the sales cycle, a median,
//! was the one figure still read from the raw won opportunities (3.6× the hand-written
//! statement on PostgreSQL at the large set). A median is not a sum, but the median of a
//! multiset is found from its histogram, and histograms add up:
//!
//! - `rep_cycle_months (rep_id, month, days)`: how many opportunities the rep won in that
//!   month (by `closed_on`) whose cycle, creation to WON, was `days` days (`won`).
//!
//! A scope's period sums `won` per `days` over its reps and months, and the median is read
//! off the running total (`service::scorecard`); a region's quarter reads a few hundred
//! rows. The key leads with the rep (a region's reps are ranges); a second index leads
//! with the month for the company's periods. Kept like the other monthly copies by the
//! writers of facts (`service::rollups`); filled here from the existing opportunities.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let b = m.get_database_backend();
        let mut t = Table::create();
        t.table(Alias::new("rep_cycle_months"))
            .if_not_exists()
            .col(ColumnDef::new(Alias::new("rep_id")).integer().not_null())
            .col(ColumnDef::new(Alias::new("month")).date().not_null())
            .col(ColumnDef::new(Alias::new("days")).integer().not_null())
            .col(
                ColumnDef::new(Alias::new("won"))
                    .big_integer()
                    .not_null()
                    .default(0),
            )
            .primary_key(
                Index::create()
                    .col(Alias::new("rep_id"))
                    .col(Alias::new("month"))
                    .col(Alias::new("days")),
            );
        if b == DatabaseBackend::Sqlite {
            // A rep's months are one contiguous range of the table itself.
            t.extra("WITHOUT ROWID");
        }
        m.create_table(t.take()).await?;
        // The company's months: a covering range by month.
        m.create_index(
            Index::create()
                .name("idx_rep_cycle_months_month")
                .table(Alias::new("rep_cycle_months"))
                .col(Alias::new("month"))
                .col(Alias::new("days"))
                .col(Alias::new("won"))
                .col(Alias::new("rep_id"))
                .if_not_exists()
                .take(),
        )
        .await?;
        let (month, days) = match b {
            DatabaseBackend::Postgres => (
                "CAST(date_trunc('month', closed_on) AS DATE)",
                "(closed_on - created_on)",
            ),
            _ => (
                "substr(closed_on, 1, 7) || '-01'",
                "CAST(julianday(closed_on) - julianday(created_on) AS INTEGER)",
            ),
        };
        m.get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO rep_cycle_months (rep_id, month, days, won) \
                 SELECT rep_id, {month}, {days}, COUNT(*) FROM opportunities \
                 WHERE stage = 'WON' AND closed_on IS NOT NULL GROUP BY 1, 2, 3"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("rep_cycle_months"))
                .if_exists()
                .take(),
        )
        .await
    }
}
