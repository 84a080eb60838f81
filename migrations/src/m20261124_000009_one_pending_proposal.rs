//! At most one pending proposal per target, held by the database: two people proposing
//! at the same moment could both pass the service's check and leave two pending
//! proposals. A partial unique index (SQLite and PostgreSQL both have them) makes the
//! second insert fail, which the API reports as `CONFLICT`. Any duplicates already there
//! keep the newest pending proposal and mark the older ones withdrawn.
//!
//! Also an index on `activities(occurred_on)`: the company's process figures range over
//! every rep's visits by date, which `(rep_id, occurred_on)` does not serve.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE target_proposals SET status = 'WITHDRAWN' WHERE status = 'PENDING' \
             AND id NOT IN (SELECT MAX(id) FROM target_proposals WHERE status = 'PENDING' GROUP BY target_id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX IF NOT EXISTS idx_target_proposals_one_pending \
             ON target_proposals (target_id) WHERE status = 'PENDING'",
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_activities_date")
                .table(Alias::new("activities"))
                .col(Alias::new("occurred_on"))
                .if_not_exists()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_activities_date")
                .table(Alias::new("activities"))
                .if_exists()
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("idx_target_proposals_one_pending")
                .table(Alias::new("target_proposals"))
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
