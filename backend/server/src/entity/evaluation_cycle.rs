use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "evaluation_cycles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub period_kind: super::Stored<dudao_domain::PeriodKind>,
    pub period_start: Date,
    pub subject_kind: super::Stored<dudao_domain::evaluation::SubjectKind>,
    pub template_id: i32,
    pub due_on: Date,
    pub opened_by: i32,
    pub opened_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
