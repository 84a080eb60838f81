use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "reps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: Option<i32>,
    pub name: String,
    pub phone: Option<String>,
    /// The employee number in HR (unique when set).
    pub employee_no: Option<String>,
    pub level: i32,
    pub hire_date: Date,
    pub region_id: i32,
    pub supervisor_id: Option<i32>,
    pub status: super::Stored<dudao_domain::RepStatus>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
