use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "promotion_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// MANAGEMENT (管理序列) or EXPERT (专家序列).
    pub track: String,
    /// The level the rule leads to.
    pub level: String,
    pub name_zh: String,
    pub name_en: String,
    /// JSON array of criteria (`dudao_domain::promotion::Criterion`).
    pub criteria: String,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
