//! Review meetings (复盘会) and customer handovers (客户交接):
//!
//! - `review_meetings`: one per region and period (month or quarter), its day, summary and
//!   version; `root_causes`: the problems found, each with its 5-Why chain (JSON array of
//!   up to five answers) and the root cause; action items gain `review_meeting_id` and a
//!   measurable target (`measure`), so a meeting's SMART actions are followed like the
//!   others (owner, due day, status) and the next meeting shows those still open;
//! - `customer_handovers`: a customer moved from a departing rep to a new owner on a day,
//!   with what was handed over as it stood (contacts, open opportunities, outstanding
//!   receivables), notes and the handover ride-along's action item — the ownership
//!   history. Past figures stay with the rep who earned them (orders keep their rep).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReviewMeetings {
    Table,
    Id,
    RegionId,
    PeriodKind,
    PeriodStart,
    HeldOn,
    Summary,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RootCauses {
    Table,
    Id,
    MeetingId,
    Problem,
    Whys,
    RootCause,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CustomerHandovers {
    Table,
    Id,
    CustomerId,
    FromRepId,
    ToRepId,
    HandedOn,
    Contacts,
    OpenOpportunities,
    OpenPipelineCents,
    OutstandingCents,
    Notes,
    ActionItemId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ActionItems {
    Table,
    ReviewMeetingId,
    Measure,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Reps {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReviewMeetings::Table)
                .if_not_exists()
                .col(pk_auto(ReviewMeetings::Id))
                .col(integer(ReviewMeetings::RegionId))
                .col(string_len(ReviewMeetings::PeriodKind, 8))
                .col(date(ReviewMeetings::PeriodStart))
                .col(date(ReviewMeetings::HeldOn))
                .col(text_null(ReviewMeetings::Summary))
                .col(integer(ReviewMeetings::CreatedBy))
                .col(integer(ReviewMeetings::Version).default(1))
                .col(timestamp_with_time_zone(ReviewMeetings::CreatedAt))
                .col(timestamp_with_time_zone(ReviewMeetings::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ReviewMeetings::Table, ReviewMeetings::RegionId)
                        .to(Regions::Table, Regions::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_review_meetings_region_period")
                .table(ReviewMeetings::Table)
                .if_not_exists()
                .unique()
                .col(ReviewMeetings::RegionId)
                .col(ReviewMeetings::PeriodKind)
                .col(ReviewMeetings::PeriodStart)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RootCauses::Table)
                .if_not_exists()
                .col(pk_auto(RootCauses::Id))
                .col(integer(RootCauses::MeetingId))
                .col(text(RootCauses::Problem))
                // JSON array of the answers to "why?", one to five.
                .col(text(RootCauses::Whys))
                .col(text_null(RootCauses::RootCause))
                .col(timestamp_with_time_zone(RootCauses::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RootCauses::Table, RootCauses::MeetingId)
                        .to(ReviewMeetings::Table, ReviewMeetings::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_root_causes_meeting")
                .table(RootCauses::Table)
                .if_not_exists()
                .col(RootCauses::MeetingId)
                .take(),
        )
        .await?;
        for col in [
            integer_null(ActionItems::ReviewMeetingId).take(),
            text_null(ActionItems::Measure).take(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(ActionItems::Table)
                    .add_column(col)
                    .take(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_action_items_review_meeting")
                .table(ActionItems::Table)
                .if_not_exists()
                .col(ActionItems::ReviewMeetingId)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CustomerHandovers::Table)
                .if_not_exists()
                .col(pk_auto(CustomerHandovers::Id))
                .col(integer(CustomerHandovers::CustomerId))
                .col(integer(CustomerHandovers::FromRepId))
                .col(integer(CustomerHandovers::ToRepId))
                .col(date(CustomerHandovers::HandedOn))
                .col(integer(CustomerHandovers::Contacts).default(0))
                .col(integer(CustomerHandovers::OpenOpportunities).default(0))
                .col(big_integer(CustomerHandovers::OpenPipelineCents).default(0))
                .col(big_integer(CustomerHandovers::OutstandingCents).default(0))
                .col(text_null(CustomerHandovers::Notes))
                .col(integer_null(CustomerHandovers::ActionItemId))
                .col(integer(CustomerHandovers::CreatedBy))
                .col(timestamp_with_time_zone(CustomerHandovers::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CustomerHandovers::Table, CustomerHandovers::CustomerId)
                        .to(Customers::Table, Customers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CustomerHandovers::Table, CustomerHandovers::FromRepId)
                        .to(Reps::Table, Reps::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CustomerHandovers::Table, CustomerHandovers::ToRepId)
                        .to(Reps::Table, Reps::Id),
                )
                .take(),
        )
        .await?;
        for (name, col) in [
            (
                "idx_customer_handovers_customer",
                CustomerHandovers::CustomerId,
            ),
            ("idx_customer_handovers_from", CustomerHandovers::FromRepId),
            ("idx_customer_handovers_to", CustomerHandovers::ToRepId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(CustomerHandovers::Table)
                    .if_not_exists()
                    .col(col)
                    .take(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CustomerHandovers::Table.into_iden(),
            RootCauses::Table.into_iden(),
            ReviewMeetings::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
