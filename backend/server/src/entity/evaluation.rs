use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cycle_id: Option<i32>,
    pub subject_id: i32,
    /// The subject's rep record; None for a supervisor's evaluation.
    pub rep_id: Option<i32>,
    pub period_kind: super::Stored<dudao_domain::PeriodKind>,
    pub period_start: Date,
    pub template_id: i32,
    pub evaluator_id: i32,
    pub status: super::Stored<dudao_domain::evaluation::EvaluationStatus>,
    pub total_score: Option<f64>,
    pub grade: Option<String>,
    pub result_score: Option<f64>,
    pub process_score: Option<f64>,
    pub capability_score: Option<f64>,
    /// JSON array of strings.
    pub notes: String,
    pub fact: Option<String>,
    pub impact: Option<String>,
    pub expectation: Option<String>,
    pub strengths: Option<String>,
    pub improvements: Option<String>,
    pub due_on: Date,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub finalized_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
