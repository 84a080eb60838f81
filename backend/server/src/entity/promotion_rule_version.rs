use sea_orm::entity::prelude::*;

/// A rule as one save left it: the history of a rule and the audit of its changes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "promotion_rule_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub rule_id: i32,
    pub version: i32,
    pub track: String,
    pub level: String,
    pub name_zh: String,
    pub name_en: String,
    pub criteria: String,
    pub active: bool,
    /// Why it changed (optional).
    pub note: Option<String>,
    /// Null for the shipped rules.
    pub changed_by: Option<i32>,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
