//! Target negotiation (seed 001): the one below proposes another figure with a reason,
//! the owner accepts it or sets the final figure; every change of a target's value is
//! kept as a row of `target_changes`, whether set directly or through a proposal.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TargetProposals {
    Table,
    Id,
    TargetId,
    ProposedBy,
    ProposedValue,
    Reason,
    Status,
    DecidedBy,
    DecidedValue,
    DecidedAt,
    Note,
    CreatedAt,
    Version,
}

#[derive(DeriveIden)]
enum TargetChanges {
    Table,
    Id,
    TargetId,
    ValueBefore,
    ValueAfter,
    ChangedBy,
    ChangedAt,
    Reason,
    ProposalId,
}

#[derive(DeriveIden)]
enum Targets {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TargetProposals::Table)
                .if_not_exists()
                .col(pk_auto(TargetProposals::Id))
                .col(integer(TargetProposals::TargetId))
                .col(integer(TargetProposals::ProposedBy))
                .col(big_integer(TargetProposals::ProposedValue))
                .col(text(TargetProposals::Reason))
                .col(string_len(TargetProposals::Status, 12).default("PENDING"))
                .col(integer_null(TargetProposals::DecidedBy))
                .col(big_integer_null(TargetProposals::DecidedValue))
                .col(timestamp_with_time_zone_null(TargetProposals::DecidedAt))
                .col(text_null(TargetProposals::Note))
                .col(timestamp_with_time_zone(TargetProposals::CreatedAt))
                .col(integer(TargetProposals::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(TargetProposals::Table, TargetProposals::TargetId)
                        .to(Targets::Table, Targets::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_target_proposals_target")
                .table(TargetProposals::Table)
                .col(TargetProposals::TargetId)
                .col(TargetProposals::Status)
                .if_not_exists()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TargetChanges::Table)
                .if_not_exists()
                .col(pk_auto(TargetChanges::Id))
                .col(integer(TargetChanges::TargetId))
                .col(big_integer_null(TargetChanges::ValueBefore))
                .col(big_integer(TargetChanges::ValueAfter))
                .col(integer_null(TargetChanges::ChangedBy))
                .col(timestamp_with_time_zone(TargetChanges::ChangedAt))
                .col(text_null(TargetChanges::Reason))
                .col(integer_null(TargetChanges::ProposalId))
                .foreign_key(
                    ForeignKey::create()
                        .from(TargetChanges::Table, TargetChanges::TargetId)
                        .to(Targets::Table, Targets::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_target_changes_target")
                .table(TargetChanges::Table)
                .col(TargetChanges::TargetId)
                .if_not_exists()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TargetChanges::Table).take())
            .await?;
        m.drop_table(Table::drop().table(TargetProposals::Table).take())
            .await
    }
}
