//! Activity (过程): visits and calls per rep and customer, with their outcome and next
//! step (visit compliance, record completeness), and complaints with their open and
//! resolve times (complaint response time).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    RepId,
    CustomerId,
    Kind,
    OccurredOn,
    Outcome,
    NextStep,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Complaints {
    Table,
    Id,
    CustomerId,
    RepId,
    Subject,
    OpenedAt,
    ResolvedAt,
    Resolution,
    CreatedBy,
    Version,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Reps {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Activities::Table)
                .if_not_exists()
                .col(pk_auto(Activities::Id))
                .col(integer(Activities::RepId))
                .col(integer(Activities::CustomerId))
                // VISIT or CALL.
                .col(string_len(Activities::Kind, 10))
                .col(date(Activities::OccurredOn))
                .col(text_null(Activities::Outcome))
                .col(text_null(Activities::NextStep))
                .col(integer_null(Activities::CreatedBy))
                .col(timestamp_with_time_zone(Activities::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Activities::Table, Activities::RepId)
                        .to(Reps::Table, Reps::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Activities::Table, Activities::CustomerId)
                        .to(Customers::Table, Customers::Id),
                )
                .take(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_activities_rep_date",
                vec![Activities::RepId, Activities::OccurredOn],
            ),
            ("idx_activities_customer", vec![Activities::CustomerId]),
        ] {
            let mut i = Index::create();
            i.name(name).table(Activities::Table).if_not_exists();
            for c in cols {
                i.col(c);
            }
            m.create_index(i.take()).await?;
        }
        m.create_table(
            Table::create()
                .table(Complaints::Table)
                .if_not_exists()
                .col(pk_auto(Complaints::Id))
                .col(integer(Complaints::CustomerId))
                .col(integer(Complaints::RepId))
                .col(text(Complaints::Subject))
                .col(timestamp_with_time_zone(Complaints::OpenedAt))
                .col(timestamp_with_time_zone_null(Complaints::ResolvedAt))
                .col(text_null(Complaints::Resolution))
                .col(integer_null(Complaints::CreatedBy))
                .col(integer(Complaints::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Complaints::Table, Complaints::RepId)
                        .to(Reps::Table, Reps::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Complaints::Table, Complaints::CustomerId)
                        .to(Customers::Table, Customers::Id),
                )
                .take(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_complaints_rep_opened",
                vec![Complaints::RepId, Complaints::OpenedAt],
            ),
            ("idx_complaints_customer", vec![Complaints::CustomerId]),
        ] {
            let mut i = Index::create();
            i.name(name).table(Complaints::Table).if_not_exists();
            for c in cols {
                i.col(c);
            }
            m.create_index(i.take()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Complaints::Table).take())
            .await?;
        m.drop_table(Table::drop().table(Activities::Table).take())
            .await
    }
}
