use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "action_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The coaching session it was agreed in (evaluations and review meetings add theirs).
    pub session_id: Option<i32>,
    /// The evaluation it was agreed in.
    pub evaluation_id: Option<i32>,
    /// The review meeting it was agreed in (a SMART action).
    pub review_meeting_id: Option<i32>,
    /// Its measurable target ("回款率 ≥ 95%").
    pub measure: Option<String>,
    /// The rep it concerns: what the row filters read.
    pub rep_id: Option<i32>,
    pub owner_id: i32,
    pub title: String,
    pub due_on: Option<Date>,
    pub status: super::Stored<dudao_domain::coaching::ActionStatus>,
    pub done_at: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
