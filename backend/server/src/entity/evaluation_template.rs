use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "evaluation_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name_zh: String,
    pub name_en: String,
    pub subject_kind: super::Stored<dudao_domain::evaluation::SubjectKind>,
    pub period_kind: super::Stored<dudao_domain::PeriodKind>,
    /// JSON array of indicators (`service::evaluations::StoredIndicator`).
    pub indicators: String,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
