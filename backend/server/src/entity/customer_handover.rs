use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "customer_handovers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub customer_id: i32,
    pub from_rep_id: i32,
    pub to_rep_id: i32,
    pub handed_on: Date,
    pub contacts: i32,
    pub open_opportunities: i32,
    pub open_pipeline_cents: i64,
    pub outstanding_cents: i64,
    pub notes: Option<String>,
    pub action_item_id: Option<i32>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
