use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub rule: super::Stored<dudao_domain::alerts::AlertRule>,
    pub dedup_key: String,
    pub status: super::Stored<dudao_domain::alerts::AlertStatus>,
    pub region_id: i32,
    pub rep_id: Option<i32>,
    pub customer_id: Option<i32>,
    pub assignee_id: Option<i32>,
    pub subject_on: Date,
    pub observed_cents: Option<i64>,
    pub expected_cents: Option<i64>,
    pub score: Option<i32>,
    pub record_id: Option<i32>,
    /// Overdue payments: how many of the customer's receivables are overdue; shortfalls:
    /// how many weeks the scope fell short while the alert was open.
    pub items: Option<i32>,
    pub raised_on: Date,
    pub created_at: DateTimeUtc,
    pub acknowledged_by: Option<i32>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub resolved_by: Option<i32>,
    pub resolved_at: Option<DateTimeUtc>,
    pub note: Option<String>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
