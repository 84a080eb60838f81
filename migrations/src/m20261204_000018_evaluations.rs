//! Evaluations (评估) and surveys (满意度调查):
//!
//! - `evaluation_templates`: weighted indicators (JSON, checked by
//!   `dudao_domain::evaluation::validate_template`) for a subject kind and period kind;
//! - `evaluation_cycles`: a period opened for a set of people with a template and due day;
//! - `evaluations`: one person, one period; status, the unrounded total, grade and category
//!   scores as last computed (calibration aggregates read these columns in SQL), feedback;
//! - `evaluation_indicators`: each evaluation's own copy of its template's indicators
//!   (editing a template never changes an evaluation made with it), score, the figures a
//!   RESULT score was filled from, and whether it counts;
//! - `evaluation_invitations`: 360° input by invitation — a user, or a customer through a
//!   one-time link (only the SHA-256 of the token is stored);
//! - `evaluation_events`: every step (created, submitted, returned, finalized, reopened with
//!   its reason);
//! - `survey_links`: one-time links a rep sends a customer (hash, expiry, when used);
//! - `surveys` gain a comment, where they came from and who entered them;
//!   `action_items` gain the evaluation they came from.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EvaluationTemplates {
    Table,
    Id,
    NameZh,
    NameEn,
    SubjectKind,
    PeriodKind,
    Indicators,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EvaluationCycles {
    Table,
    Id,
    PeriodKind,
    PeriodStart,
    SubjectKind,
    TemplateId,
    DueOn,
    OpenedBy,
    OpenedAt,
}

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    Id,
    CycleId,
    SubjectId,
    RepId,
    PeriodKind,
    PeriodStart,
    TemplateId,
    EvaluatorId,
    Status,
    TotalScore,
    Grade,
    ResultScore,
    ProcessScore,
    CapabilityScore,
    Notes,
    Fact,
    Impact,
    Expectation,
    Strengths,
    Improvements,
    DueOn,
    Version,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    FinalizedAt,
}

#[derive(DeriveIden)]
enum EvaluationIndicators {
    Table,
    EvaluationId,
    Position,
    Key,
    NameZh,
    NameEn,
    Category,
    Weight,
    Source,
    Score,
    Counts,
    Actual,
    Target,
    Note,
}

#[derive(DeriveIden)]
enum EvaluationInvitations {
    Table,
    Id,
    EvaluationId,
    RaterGroup,
    RaterId,
    CustomerId,
    TokenHash,
    ExpiresAt,
    InvitedBy,
    InvitedAt,
    Score,
    Comment,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum EvaluationEvents {
    Table,
    Id,
    EvaluationId,
    ActorId,
    Step,
    FromStatus,
    ToStatus,
    Reason,
    At,
}

#[derive(DeriveIden)]
enum SurveyLinks {
    Table,
    Id,
    TokenHash,
    CustomerId,
    RepId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    SurveyId,
}

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    Comment,
    Source,
    CreatedBy,
}

#[derive(DeriveIden)]
enum ActionItems {
    Table,
    EvaluationId,
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

fn fk<T: IntoIden, C: IntoIden, U: IntoIden, D: IntoIden>(
    t: T,
    c: C,
    u: U,
    d: D,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(t, c).to(u, d).take()
}

async fn index<T: IntoIden + 'static>(
    m: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table).if_not_exists();
    if unique {
        i.unique();
    }
    for c in cols {
        i.col(Alias::new(*c));
    }
    m.create_index(i.take()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(EvaluationTemplates::Table)
                .if_not_exists()
                .col(pk_auto(EvaluationTemplates::Id))
                .col(string_len(EvaluationTemplates::NameZh, 80))
                .col(string_len(EvaluationTemplates::NameEn, 80))
                // REP or SUPERVISOR; MONTH, QUARTER or YEAR.
                .col(string_len(EvaluationTemplates::SubjectKind, 12))
                .col(string_len(EvaluationTemplates::PeriodKind, 8))
                .col(text(EvaluationTemplates::Indicators))
                .col(boolean(EvaluationTemplates::Active).default(true))
                .col(integer(EvaluationTemplates::Version).default(1))
                .col(timestamp_with_time_zone(EvaluationTemplates::CreatedAt))
                .col(timestamp_with_time_zone(EvaluationTemplates::UpdatedAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EvaluationCycles::Table)
                .if_not_exists()
                .col(pk_auto(EvaluationCycles::Id))
                .col(string_len(EvaluationCycles::PeriodKind, 8))
                .col(date(EvaluationCycles::PeriodStart))
                .col(string_len(EvaluationCycles::SubjectKind, 12))
                .col(integer(EvaluationCycles::TemplateId))
                .col(date(EvaluationCycles::DueOn))
                .col(integer(EvaluationCycles::OpenedBy))
                .col(timestamp_with_time_zone(EvaluationCycles::OpenedAt))
                .foreign_key(&mut fk(
                    EvaluationCycles::Table,
                    EvaluationCycles::TemplateId,
                    EvaluationTemplates::Table,
                    EvaluationTemplates::Id,
                ))
                .foreign_key(&mut fk(
                    EvaluationCycles::Table,
                    EvaluationCycles::OpenedBy,
                    Users::Table,
                    Users::Id,
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "idx_evaluation_cycles_period",
            EvaluationCycles::Table,
            &["period_kind", "period_start", "subject_kind"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Evaluations::Table)
                .if_not_exists()
                .col(pk_auto(Evaluations::Id))
                .col(integer_null(Evaluations::CycleId))
                .col(integer(Evaluations::SubjectId))
                // The subject's rep record; NULL for a supervisor's evaluation.
                .col(integer_null(Evaluations::RepId))
                .col(string_len(Evaluations::PeriodKind, 8))
                .col(date(Evaluations::PeriodStart))
                .col(integer(Evaluations::TemplateId))
                .col(integer(Evaluations::EvaluatorId))
                // DRAFT, SUBMITTED or FINALIZED.
                .col(string_len(Evaluations::Status, 10).default("DRAFT"))
                .col(double_null(Evaluations::TotalScore))
                .col(string_len_null(Evaluations::Grade, 2))
                .col(double_null(Evaluations::ResultScore))
                .col(double_null(Evaluations::ProcessScore))
                .col(double_null(Evaluations::CapabilityScore))
                // JSON array of what was left out or rescaled, and why.
                .col(text(Evaluations::Notes).default("[]"))
                .col(text_null(Evaluations::Fact))
                .col(text_null(Evaluations::Impact))
                .col(text_null(Evaluations::Expectation))
                .col(text_null(Evaluations::Strengths))
                .col(text_null(Evaluations::Improvements))
                .col(date(Evaluations::DueOn))
                .col(integer(Evaluations::Version).default(1))
                .col(timestamp_with_time_zone(Evaluations::CreatedAt))
                .col(timestamp_with_time_zone(Evaluations::UpdatedAt))
                .col(timestamp_with_time_zone_null(Evaluations::SubmittedAt))
                .col(timestamp_with_time_zone_null(Evaluations::FinalizedAt))
                .foreign_key(&mut fk(
                    Evaluations::Table,
                    Evaluations::CycleId,
                    EvaluationCycles::Table,
                    EvaluationCycles::Id,
                ))
                .foreign_key(&mut fk(
                    Evaluations::Table,
                    Evaluations::SubjectId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(
                    Evaluations::Table,
                    Evaluations::RepId,
                    Reps::Table,
                    Reps::Id,
                ))
                .foreign_key(&mut fk(
                    Evaluations::Table,
                    Evaluations::TemplateId,
                    EvaluationTemplates::Table,
                    EvaluationTemplates::Id,
                ))
                .foreign_key(&mut fk(
                    Evaluations::Table,
                    Evaluations::EvaluatorId,
                    Users::Table,
                    Users::Id,
                ))
                .take(),
        )
        .await?;
        // One evaluation per person and period.
        index(
            m,
            "idx_evaluations_subject_period",
            Evaluations::Table,
            &["subject_id", "period_kind", "period_start"],
            true,
        )
        .await?;
        index(
            m,
            "idx_evaluations_rep",
            Evaluations::Table,
            &["rep_id", "period_kind", "period_start"],
            false,
        )
        .await?;
        index(
            m,
            "idx_evaluations_evaluator_status",
            Evaluations::Table,
            &["evaluator_id", "status"],
            false,
        )
        .await?;
        index(
            m,
            "idx_evaluations_cycle",
            Evaluations::Table,
            &["cycle_id"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EvaluationIndicators::Table)
                .if_not_exists()
                .col(integer(EvaluationIndicators::EvaluationId))
                .col(integer(EvaluationIndicators::Position))
                .col(string_len(EvaluationIndicators::Key, 40))
                .col(string_len(EvaluationIndicators::NameZh, 80))
                .col(string_len(EvaluationIndicators::NameEn, 80))
                .col(string_len(EvaluationIndicators::Category, 12))
                .col(double(EvaluationIndicators::Weight))
                .col(string_len(EvaluationIndicators::Source, 20))
                .col(double_null(EvaluationIndicators::Score))
                .col(boolean(EvaluationIndicators::Counts).default(true))
                // The figures a RESULT score was filled from, as shown ("¥1,234,000").
                .col(string_len_null(EvaluationIndicators::Actual, 40))
                .col(string_len_null(EvaluationIndicators::Target, 40))
                .col(text_null(EvaluationIndicators::Note))
                .primary_key(
                    Index::create()
                        .col(EvaluationIndicators::EvaluationId)
                        .col(EvaluationIndicators::Key),
                )
                .foreign_key(&mut fk(
                    EvaluationIndicators::Table,
                    EvaluationIndicators::EvaluationId,
                    Evaluations::Table,
                    Evaluations::Id,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EvaluationInvitations::Table)
                .if_not_exists()
                .col(pk_auto(EvaluationInvitations::Id))
                .col(integer(EvaluationInvitations::EvaluationId))
                // SUPERIOR, PEER, CUSTOMER or SELF.
                .col(string_len(EvaluationInvitations::RaterGroup, 10))
                .col(integer_null(EvaluationInvitations::RaterId))
                .col(integer_null(EvaluationInvitations::CustomerId))
                .col(string_len_null(EvaluationInvitations::TokenHash, 64))
                .col(timestamp_with_time_zone_null(
                    EvaluationInvitations::ExpiresAt,
                ))
                .col(integer(EvaluationInvitations::InvitedBy))
                .col(timestamp_with_time_zone(EvaluationInvitations::InvitedAt))
                .col(double_null(EvaluationInvitations::Score))
                .col(text_null(EvaluationInvitations::Comment))
                .col(timestamp_with_time_zone_null(
                    EvaluationInvitations::AnsweredAt,
                ))
                .foreign_key(&mut fk(
                    EvaluationInvitations::Table,
                    EvaluationInvitations::EvaluationId,
                    Evaluations::Table,
                    Evaluations::Id,
                ))
                .foreign_key(&mut fk(
                    EvaluationInvitations::Table,
                    EvaluationInvitations::RaterId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(
                    EvaluationInvitations::Table,
                    EvaluationInvitations::CustomerId,
                    Customers::Table,
                    Customers::Id,
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "idx_evaluation_invitations_rater",
            EvaluationInvitations::Table,
            &["evaluation_id", "rater_id"],
            true,
        )
        .await?;
        index(
            m,
            "idx_evaluation_invitations_token",
            EvaluationInvitations::Table,
            &["token_hash"],
            true,
        )
        .await?;
        index(
            m,
            "idx_evaluation_invitations_open",
            EvaluationInvitations::Table,
            &["rater_id", "answered_at"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EvaluationEvents::Table)
                .if_not_exists()
                .col(pk_auto(EvaluationEvents::Id))
                .col(integer(EvaluationEvents::EvaluationId))
                .col(integer_null(EvaluationEvents::ActorId))
                .col(string_len(EvaluationEvents::Step, 10))
                .col(string_len_null(EvaluationEvents::FromStatus, 10))
                .col(string_len(EvaluationEvents::ToStatus, 10))
                .col(text_null(EvaluationEvents::Reason))
                .col(timestamp_with_time_zone(EvaluationEvents::At))
                .foreign_key(&mut fk(
                    EvaluationEvents::Table,
                    EvaluationEvents::EvaluationId,
                    Evaluations::Table,
                    Evaluations::Id,
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "idx_evaluation_events_evaluation",
            EvaluationEvents::Table,
            &["evaluation_id"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SurveyLinks::Table)
                .if_not_exists()
                .col(pk_auto(SurveyLinks::Id))
                .col(string_len_uniq(SurveyLinks::TokenHash, 64))
                .col(integer(SurveyLinks::CustomerId))
                .col(integer(SurveyLinks::RepId))
                .col(integer(SurveyLinks::CreatedBy))
                .col(timestamp_with_time_zone(SurveyLinks::CreatedAt))
                .col(timestamp_with_time_zone(SurveyLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(SurveyLinks::UsedAt))
                .col(integer_null(SurveyLinks::SurveyId))
                .foreign_key(&mut fk(
                    SurveyLinks::Table,
                    SurveyLinks::CustomerId,
                    Customers::Table,
                    Customers::Id,
                ))
                .foreign_key(&mut fk(
                    SurveyLinks::Table,
                    SurveyLinks::RepId,
                    Reps::Table,
                    Reps::Id,
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "idx_survey_links_rep",
            SurveyLinks::Table,
            &["rep_id", "created_at"],
            false,
        )
        .await?;

        // SQLite adds one column per statement.
        for col in [
            text_null(Surveys::Comment),
            // MANUAL, IMPORT, LINK or SEED.
            string_len(Surveys::Source, 8).default("SEED").take(),
            integer_null(Surveys::CreatedBy),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Surveys::Table)
                    .add_column(col.clone())
                    .take(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(ActionItems::Table)
                .add_column(integer_null(ActionItems::EvaluationId))
                .take(),
        )
        .await?;
        index(
            m,
            "idx_action_items_evaluation",
            ActionItems::Table,
            &["evaluation_id"],
            false,
        )
        .await?;
        let _ = Surveys::Id;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            SurveyLinks::Table.into_iden(),
            EvaluationEvents::Table.into_iden(),
            EvaluationInvitations::Table.into_iden(),
            EvaluationIndicators::Table.into_iden(),
            Evaluations::Table.into_iden(),
            EvaluationCycles::Table.into_iden(),
            EvaluationTemplates::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
