//! Training (培训):
//!
//! - `courses`: a topic, a format (ONLINE, WORKSHOP, MENTORING), a description, active, a
//!   version for concurrent edits; `course_articles` links the knowledge-base articles a
//!   course uses;
//! - `training_sessions`: a course held on a day, for a region (or the company), by a
//!   trainer, with the months its effect is read over stored with it (three whole months
//!   before the session's month and three after, `dudao_domain::training::windows`), so
//!   the effect's statement is the same plain comparison on both databases;
//! - `training_attendance`: who was invited to a session, whether they came, and their
//!   skill test before and after (0–100).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    Title,
    Topic,
    Format,
    Description,
    Active,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CourseArticles {
    Table,
    CourseId,
    ArticleId,
}

#[derive(DeriveIden)]
enum TrainingSessions {
    Table,
    Id,
    CourseId,
    HeldOn,
    RegionId,
    TrainerId,
    Location,
    BeforeFrom,
    Month,
    AfterFrom,
    AfterTo,
    Version,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingAttendance {
    Table,
    SessionId,
    UserId,
    Attended,
    PreScore,
    PostScore,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Courses::Table)
                .if_not_exists()
                .col(pk_auto(Courses::Id))
                .col(string_len(Courses::Title, 200))
                .col(string_len(Courses::Topic, 100))
                .col(string_len(Courses::Format, 16))
                .col(text_null(Courses::Description))
                .col(boolean(Courses::Active).default(true))
                .col(integer(Courses::Version).default(1))
                .col(integer_null(Courses::CreatedBy))
                .col(timestamp_with_time_zone(Courses::CreatedAt))
                .col(timestamp_with_time_zone(Courses::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CourseArticles::Table)
                .if_not_exists()
                .col(integer(CourseArticles::CourseId))
                .col(integer(CourseArticles::ArticleId))
                .primary_key(
                    Index::create()
                        .col(CourseArticles::CourseId)
                        .col(CourseArticles::ArticleId),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingSessions::Table)
                .if_not_exists()
                .col(pk_auto(TrainingSessions::Id))
                .col(integer(TrainingSessions::CourseId))
                .col(date(TrainingSessions::HeldOn))
                .col(integer_null(TrainingSessions::RegionId))
                .col(integer_null(TrainingSessions::TrainerId))
                .col(string_len_null(TrainingSessions::Location, 200))
                .col(date(TrainingSessions::BeforeFrom))
                .col(date(TrainingSessions::Month))
                .col(date(TrainingSessions::AfterFrom))
                .col(date(TrainingSessions::AfterTo))
                .col(integer(TrainingSessions::Version).default(1))
                .col(timestamp_with_time_zone(TrainingSessions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(TrainingSessions::Table, TrainingSessions::CourseId)
                        .to(Courses::Table, Courses::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_training_sessions_course")
                .table(TrainingSessions::Table)
                .col(TrainingSessions::CourseId)
                .col(TrainingSessions::HeldOn)
                .if_not_exists()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingAttendance::Table)
                .if_not_exists()
                .col(integer(TrainingAttendance::SessionId))
                .col(integer(TrainingAttendance::UserId))
                .col(boolean(TrainingAttendance::Attended).default(false))
                .col(double_null(TrainingAttendance::PreScore))
                .col(double_null(TrainingAttendance::PostScore))
                .col(timestamp_with_time_zone(TrainingAttendance::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(TrainingAttendance::SessionId)
                        .col(TrainingAttendance::UserId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TrainingAttendance::Table, TrainingAttendance::SessionId)
                        .to(TrainingSessions::Table, TrainingSessions::Id),
                )
                .take(),
        )
        .await?;
        // A person's training in a period (their evaluation's indicators).
        m.create_index(
            Index::create()
                .name("idx_training_attendance_user")
                .table(TrainingAttendance::Table)
                .col(TrainingAttendance::UserId)
                .col(TrainingAttendance::SessionId)
                .if_not_exists()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "training_attendance",
            "training_sessions",
            "course_articles",
            "courses",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
