use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "coaching_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub supervisor_id: i32,
    pub rep_id: i32,
    pub kind: super::Stored<dudao_domain::coaching::CoachingType>,
    pub held_on: Date,
    pub customer_id: Option<i32>,
    pub activity_id: Option<i32>,
    pub observation: Option<String>,
    pub feedback: Option<String>,
    pub next_step: Option<String>,
    /// One http(s) address per line.
    pub links: Option<String>,
    pub rep_confirmed_at: Option<DateTimeUtc>,
    pub rep_comment: Option<String>,
    pub client_key: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
