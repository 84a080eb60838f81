use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "customer_scores")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: i32,
    pub as_of: Date,
    pub sales_year: i64,
    pub tier: String,
    pub last_order_on: Option<Date>,
    pub orders_year: i64,
    pub survey_sum: i64,
    pub survey_count: i64,
    pub open_complaints: i64,
    pub chain_changed: i32,
    pub churn_risk: i32,
    pub health: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
