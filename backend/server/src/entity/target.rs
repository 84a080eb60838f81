use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub metric: super::Stored<dudao_domain::targets::TargetMetric>,
    pub scope_kind: super::Stored<dudao_domain::transfer::ScopeKind>,
    pub scope_id: i32,
    pub period_kind: super::Stored<dudao_domain::PeriodKind>,
    pub year: i32,
    pub idx: i32,
    pub value: i64,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
