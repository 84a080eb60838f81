use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "evaluation_invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub evaluation_id: i32,
    pub rater_group: super::Stored<dudao_domain::evaluation::EvaluatorGroup>,
    pub rater_id: Option<i32>,
    pub customer_id: Option<i32>,
    #[serde(skip)]
    pub token_hash: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub invited_by: i32,
    pub invited_at: DateTimeUtc,
    pub score: Option<f64>,
    pub comment: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    /// The 述职 report of a SELF input: the work's highlights…
    pub highlights: Option<String>,
    /// …and the plan for improvement. Null for other groups.
    pub improvement_plan: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
