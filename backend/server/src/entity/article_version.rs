use dudao_domain::knowledge::{Category, Scenario};
use sea_orm::entity::prelude::*;

/// An article as one save left it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "article_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub article_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub title: String,
    pub body: String,
    pub category: super::Stored<Category>,
    pub scenario: Option<super::Stored<Scenario>>,
    pub tags: String,
    pub editor_id: Option<i32>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
