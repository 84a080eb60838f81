//! Promotion eligibility (晋升资格): rules are data a director edits.
//!
//! - `promotion_rules`: a career track (MANAGEMENT 管理序列, EXPERT 专家序列), the level it
//!   leads to, names in both languages, its criteria (JSON, `dudao_domain::promotion`), active
//!   and a version for concurrent edits;
//! - `promotion_rule_versions`: every version of every rule as it was saved, who saved it,
//!   when and why — the history a director reads and the audit of a rule change.
//!
//! The shipped rules of both tracks are put in place by the server at start when there are
//! none (`service::promotion::ensure_rules`), like the evaluation templates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PromotionRules {
    Table,
    Id,
    Track,
    Level,
    NameZh,
    NameEn,
    Criteria,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PromotionRuleVersions {
    Table,
    Id,
    RuleId,
    Version,
    Track,
    Level,
    NameZh,
    NameEn,
    Criteria,
    Active,
    Note,
    ChangedBy,
    ChangedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PromotionRules::Table)
                .if_not_exists()
                .col(pk_auto(PromotionRules::Id))
                .col(string_len(PromotionRules::Track, 16))
                .col(string_len(PromotionRules::Level, 100))
                .col(string_len(PromotionRules::NameZh, 100))
                .col(string_len(PromotionRules::NameEn, 100))
                .col(text(PromotionRules::Criteria))
                .col(boolean(PromotionRules::Active).default(true))
                .col(integer(PromotionRules::Version).default(1))
                .col(timestamp_with_time_zone(PromotionRules::CreatedAt))
                .col(timestamp_with_time_zone(PromotionRules::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PromotionRuleVersions::Table)
                .if_not_exists()
                .col(pk_auto(PromotionRuleVersions::Id))
                .col(integer(PromotionRuleVersions::RuleId))
                .col(integer(PromotionRuleVersions::Version))
                .col(string_len(PromotionRuleVersions::Track, 16))
                .col(string_len(PromotionRuleVersions::Level, 100))
                .col(string_len(PromotionRuleVersions::NameZh, 100))
                .col(string_len(PromotionRuleVersions::NameEn, 100))
                .col(text(PromotionRuleVersions::Criteria))
                .col(boolean(PromotionRuleVersions::Active))
                .col(text_null(PromotionRuleVersions::Note))
                .col(integer_null(PromotionRuleVersions::ChangedBy))
                .col(timestamp_with_time_zone(PromotionRuleVersions::ChangedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(PromotionRuleVersions::Table, PromotionRuleVersions::RuleId)
                        .to(PromotionRules::Table, PromotionRules::Id),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_promotion_rule_versions_rule")
                .table(PromotionRuleVersions::Table)
                .if_not_exists()
                .unique()
                .col(PromotionRuleVersions::RuleId)
                .col(PromotionRuleVersions::Version)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PromotionRuleVersions::Table).take())
            .await?;
        m.drop_table(Table::drop().table(PromotionRules::Table).take())
            .await
    }
}
