use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "evaluation_indicators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub evaluation_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub position: i32,
    pub name_zh: String,
    pub name_en: String,
    pub category: super::Stored<dudao_domain::evaluation::IndicatorCategory>,
    pub weight: f64,
    pub source: super::Stored<dudao_domain::evaluation::Source>,
    pub score: Option<f64>,
    pub counts: bool,
    pub actual: Option<String>,
    pub target: Option<String>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
