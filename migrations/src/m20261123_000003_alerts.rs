//! Alerts (预警): records raised by the four rules of domain.md, with their status and who
//! moved it when. `dedup_key` is unique, so re-running the rules never duplicates one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Alerts {
    Table,
    Id,
    Rule,
    DedupKey,
    Status,
    RegionId,
    RepId,
    CustomerId,
    AssigneeId,
    SubjectOn,
    ObservedCents,
    ExpectedCents,
    Score,
    RecordId,
    RaisedOn,
    CreatedAt,
    AcknowledgedBy,
    AcknowledgedAt,
    ResolvedBy,
    ResolvedAt,
    Note,
    Version,
}

fn index(name: &str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(Alerts::Table).if_not_exists();
    for c in cols {
        stmt.col(Alias::new(*c));
    }
    stmt.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alerts::Table)
                .if_not_exists()
                .col(pk_auto(Alerts::Id))
                .col(string_len(Alerts::Rule, 20))
                .col(string_len(Alerts::DedupKey, 120))
                .col(string_len(Alerts::Status, 20).default("OPEN"))
                // The region the alert belongs to: it decides who may read it.
                .col(integer(Alerts::RegionId))
                .col(integer_null(Alerts::RepId))
                .col(integer_null(Alerts::CustomerId))
                // The supervisor it is routed to (null: every supervisor of the region).
                .col(integer_null(Alerts::AssigneeId))
                // What the alert is about: the week's Monday, the last order, the survey
                // or the due date.
                .col(date(Alerts::SubjectOn))
                .col(big_integer_null(Alerts::ObservedCents))
                .col(big_integer_null(Alerts::ExpectedCents))
                .col(integer_null(Alerts::Score))
                .col(integer_null(Alerts::RecordId))
                .col(date(Alerts::RaisedOn))
                .col(timestamp_with_time_zone(Alerts::CreatedAt))
                .col(integer_null(Alerts::AcknowledgedBy))
                .col(timestamp_with_time_zone_null(Alerts::AcknowledgedAt))
                .col(integer_null(Alerts::ResolvedBy))
                .col(timestamp_with_time_zone_null(Alerts::ResolvedAt))
                .col(text_null(Alerts::Note))
                .col(integer(Alerts::Version).default(1))
                .take(),
        )
        .await?;
        m.create_index(index("idx_alerts_dedup", &["dedup_key"]).unique().take())
            .await?;
        m.create_index(index("idx_alerts_region_status", &["region_id", "status"]))
            .await?;
        m.create_index(index("idx_alerts_rep", &["rep_id"])).await?;
        m.create_index(index("idx_alerts_raised", &["raised_on"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alerts::Table).take())
            .await?;
        Ok(())
    }
}
