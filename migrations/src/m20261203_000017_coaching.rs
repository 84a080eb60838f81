//! Coaching (辅导 / 陪访): the dimensions sessions are scored on, sessions with their
//! observation / feedback / confirmed next step and the rep's answer, 1–5 scores per
//! dimension, and action items. Action items carry their source (a coaching session now;
//! evaluations and review meetings later add their own nullable source column) and the rep
//! they concern, which is what the row filters read.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CoachingDimensions {
    Table,
    Id,
    Key,
    NameZh,
    NameEn,
    Position,
    Active,
    Version,
}

#[derive(DeriveIden)]
enum CoachingSessions {
    Table,
    Id,
    SupervisorId,
    RepId,
    Kind,
    HeldOn,
    CustomerId,
    ActivityId,
    Observation,
    Feedback,
    NextStep,
    Links,
    RepConfirmedAt,
    RepComment,
    ClientKey,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CoachingScores {
    Table,
    SessionId,
    DimensionId,
    Score,
}

#[derive(DeriveIden)]
enum ActionItems {
    Table,
    Id,
    SessionId,
    RepId,
    OwnerId,
    Title,
    DueOn,
    Status,
    DoneAt,
    CreatedBy,
    CreatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Users {
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

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
}

const DIMENSIONS: [(&str, &str, &str); 5] = [
    ("opening", "开场", "Opening"),
    ("needs_understanding", "需求挖掘", "Needs understanding"),
    ("solution_presentation", "方案呈现", "Solution presentation"),
    ("objection_handling", "异议处理", "Objection handling"),
    ("closing", "促成成交", "Closing"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CoachingDimensions::Table)
                .if_not_exists()
                .col(pk_auto(CoachingDimensions::Id))
                .col(string_len_uniq(CoachingDimensions::Key, 40))
                .col(string_len(CoachingDimensions::NameZh, 60))
                .col(string_len(CoachingDimensions::NameEn, 60))
                .col(integer(CoachingDimensions::Position))
                .col(boolean(CoachingDimensions::Active).default(true))
                .col(integer(CoachingDimensions::Version).default(1))
                .take(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table(CoachingDimensions::Table).columns([
            CoachingDimensions::Key,
            CoachingDimensions::NameZh,
            CoachingDimensions::NameEn,
            CoachingDimensions::Position,
        ]);
        for (i, (key, zh, en)) in DIMENSIONS.into_iter().enumerate() {
            insert.values_panic([key.into(), zh.into(), en.into(), (i as i32 + 1).into()]);
        }
        m.exec_stmt(insert).await?;

        m.create_table(
            Table::create()
                .table(CoachingSessions::Table)
                .if_not_exists()
                .col(pk_auto(CoachingSessions::Id))
                .col(integer(CoachingSessions::SupervisorId))
                .col(integer(CoachingSessions::RepId))
                // RIDE_ALONG, ONE_ON_ONE, CALL_REVIEW or ROLE_PLAY.
                .col(string_len(CoachingSessions::Kind, 12))
                .col(date(CoachingSessions::HeldOn))
                .col(integer_null(CoachingSessions::CustomerId))
                .col(integer_null(CoachingSessions::ActivityId))
                .col(text_null(CoachingSessions::Observation))
                .col(text_null(CoachingSessions::Feedback))
                .col(text_null(CoachingSessions::NextStep))
                // Links to recordings or files, one http(s) address per line.
                .col(text_null(CoachingSessions::Links))
                .col(timestamp_with_time_zone_null(
                    CoachingSessions::RepConfirmedAt,
                ))
                .col(text_null(CoachingSessions::RepComment))
                // The idempotency key of an entry made offline: the same key from the same
                // supervisor is the same session, however often it is sent.
                .col(string_len_null(CoachingSessions::ClientKey, 64))
                .col(integer(CoachingSessions::Version).default(1))
                .col(timestamp_with_time_zone(CoachingSessions::CreatedAt))
                .col(timestamp_with_time_zone(CoachingSessions::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CoachingSessions::Table, CoachingSessions::SupervisorId)
                        .to(Users::Table, Users::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CoachingSessions::Table, CoachingSessions::RepId)
                        .to(Reps::Table, Reps::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CoachingSessions::Table, CoachingSessions::CustomerId)
                        .to(Customers::Table, Customers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CoachingSessions::Table, CoachingSessions::ActivityId)
                        .to(Activities::Table, Activities::Id),
                )
                .take(),
        )
        .await?;
        for (name, cols, unique) in [
            (
                "idx_coaching_sessions_rep_held",
                vec![CoachingSessions::RepId, CoachingSessions::HeldOn],
                false,
            ),
            (
                "idx_coaching_sessions_supervisor_held",
                vec![CoachingSessions::SupervisorId, CoachingSessions::HeldOn],
                false,
            ),
            (
                "idx_coaching_sessions_client_key",
                vec![CoachingSessions::SupervisorId, CoachingSessions::ClientKey],
                true,
            ),
        ] {
            let mut i = Index::create();
            i.name(name).table(CoachingSessions::Table).if_not_exists();
            if unique {
                i.unique();
            }
            for c in cols {
                i.col(c);
            }
            m.create_index(i.take()).await?;
        }

        m.create_table(
            Table::create()
                .table(CoachingScores::Table)
                .if_not_exists()
                .col(integer(CoachingScores::SessionId))
                .col(integer(CoachingScores::DimensionId))
                .col(integer(CoachingScores::Score))
                .primary_key(
                    Index::create()
                        .col(CoachingScores::SessionId)
                        .col(CoachingScores::DimensionId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CoachingScores::Table, CoachingScores::SessionId)
                        .to(CoachingSessions::Table, CoachingSessions::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CoachingScores::Table, CoachingScores::DimensionId)
                        .to(CoachingDimensions::Table, CoachingDimensions::Id),
                )
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ActionItems::Table)
                .if_not_exists()
                .col(pk_auto(ActionItems::Id))
                .col(integer_null(ActionItems::SessionId))
                .col(integer_null(ActionItems::RepId))
                .col(integer(ActionItems::OwnerId))
                .col(text(ActionItems::Title))
                .col(date_null(ActionItems::DueOn))
                // OPEN, DONE or DROPPED.
                .col(string_len(ActionItems::Status, 10).default("OPEN"))
                .col(timestamp_with_time_zone_null(ActionItems::DoneAt))
                .col(integer_null(ActionItems::CreatedBy))
                .col(timestamp_with_time_zone(ActionItems::CreatedAt))
                .col(integer(ActionItems::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(ActionItems::Table, ActionItems::SessionId)
                        .to(CoachingSessions::Table, CoachingSessions::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ActionItems::Table, ActionItems::RepId)
                        .to(Reps::Table, Reps::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ActionItems::Table, ActionItems::OwnerId)
                        .to(Users::Table, Users::Id),
                )
                .take(),
        )
        .await?;
        for (name, cols) in [
            ("idx_action_items_session", vec![ActionItems::SessionId]),
            (
                "idx_action_items_owner_status_due",
                vec![
                    ActionItems::OwnerId,
                    ActionItems::Status,
                    ActionItems::DueOn,
                ],
            ),
            (
                "idx_action_items_rep_status",
                vec![ActionItems::RepId, ActionItems::Status],
            ),
        ] {
            let mut i = Index::create();
            i.name(name).table(ActionItems::Table).if_not_exists();
            for c in cols {
                i.col(c);
            }
            m.create_index(i.take()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ActionItems::Table).take())
            .await?;
        m.drop_table(Table::drop().table(CoachingScores::Table).take())
            .await?;
        m.drop_table(Table::drop().table(CoachingSessions::Table).take())
            .await?;
        m.drop_table(Table::drop().table(CoachingDimensions::Table).take())
            .await
    }
}
