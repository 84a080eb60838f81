use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "evaluation_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub evaluation_id: i32,
    pub actor_id: Option<i32>,
    pub step: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
