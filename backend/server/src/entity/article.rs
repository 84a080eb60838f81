use dudao_domain::knowledge::{Category, Scenario};
use sea_orm::entity::prelude::*;

/// A knowledge-base article (知识库).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "articles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    /// Markdown; rendered and sanitised for the page (`service::markdown`).
    pub body: String,
    pub category: super::Stored<Category>,
    pub scenario: Option<super::Stored<Scenario>>,
    /// JSON array of tags.
    pub tags: String,
    pub author_id: Option<i32>,
    pub version: i32,
    pub archived: bool,
    pub views: i64,
    pub helpful: i32,
    pub not_helpful: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
