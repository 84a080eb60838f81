use sea_orm::entity::prelude::*;

/// A course held on a day; its effect is read over `[before_from, month)` against
/// `[after_from, after_to)` (`dudao_domain::training::windows`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "training_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub held_on: Date,
    /// Null: for the whole company.
    pub region_id: Option<i32>,
    pub trainer_id: Option<i32>,
    pub location: Option<String>,
    pub before_from: Date,
    pub month: Date,
    pub after_from: Date,
    pub after_to: Date,
    pub version: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
