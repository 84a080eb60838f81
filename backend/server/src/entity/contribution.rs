use dudao_domain::knowledge::{Category, ContributionKind, ContributionStatus, Scenario};
use sea_orm::entity::prelude::*;

/// A contribution (金点子): a proposed article, edit or idea, and its decision.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "contributions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: super::Stored<ContributionKind>,
    pub status: super::Stored<ContributionStatus>,
    pub title: String,
    pub body: String,
    pub category: Option<super::Stored<Category>>,
    pub scenario: Option<super::Stored<Scenario>>,
    /// JSON array of tags.
    pub tags: String,
    /// The article an EDIT is about, or the one an adopted NEW_ARTICLE became.
    pub article_id: Option<i32>,
    /// The article's version an EDIT was written against.
    pub base_version: Option<i32>,
    pub author_id: i32,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub reason: Option<String>,
    pub reward_points: Option<i32>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
