//! GraphQL shape of evaluations (评估) and surveys (满意度调查): templates, cycles,
//! evaluations with indicators and 360° groups, invitations, reminders, calibration,
//! surveys and the one-time links customers answer without an account.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use dudao_domain::evaluation as rules;

use super::scorecard::{PeriodInfo, PeriodInput, PeriodKind};
use super::types::{ConnectionOf, Customer, Date, Rep, User, connection};
use super::{db, ids, load_err, viewer};
use crate::entity::{
    evaluation, evaluation_event, evaluation_indicator, evaluation_invitation, evaluation_template,
    survey,
};
use crate::error::AppError;
use crate::service::{self, evaluations as svc, page::PageArgs};

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::evaluation::EvaluationStatus")]
pub enum EvaluationStatus {
    Draft,
    Submitted,
    Finalized,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::evaluation::IndicatorCategory")]
pub enum IndicatorCategory {
    Result,
    Process,
    Capability,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::evaluation::EvaluatorGroup")]
pub enum EvaluatorGroup {
    Superior,
    Peer,
    Customer,
    #[graphql(name = "SELF")]
    SelfReview,
}

/// Whom a template or cycle is for.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::evaluation::SubjectKind")]
pub enum EvaluationSubjectKind {
    Rep,
    Supervisor,
}

/// Where an indicator's score comes from.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::evaluation::Source")]
pub enum IndicatorSource {
    /// Scored by the evaluator, 0–100.
    Manual,
    SalesAttainment,
    CollectionRate,
    NewCustomers,
    Satisfaction,
    /// The 360° groups' weighted mean.
    ThreeSixty,
    /// A supervisor's regions: visits against the visit standard (PROCESS).
    VisitCompliance,
    /// A supervisor's regions: visits recorded with outcome and next step (PROCESS).
    RecordCompleteness,
    /// A supervisor's regions: mean hours to resolve a complaint against 24 h (PROCESS).
    ComplaintResponse,
    /// The person's own training sessions attended / invited to (PROCESS).
    TrainingAttendance,
    /// The person's own mean after-test score of sessions attended (CAPABILITY).
    TrainingResults,
}

fn page(first: Option<i32>, after: Option<&str>) -> Result<PageArgs, AppError> {
    PageArgs::parse(first.map(i64::from), after)
}

async fn user(ctx: &Context<'_>, id: i32) -> Result<Option<User>> {
    let l = super::loaders(ctx)?;
    Ok(l.user.load_one(id).await.map_err(load_err)?.map(User))
}

/// One indicator of an evaluation.
pub struct IndicatorScore {
    row: evaluation_indicator::Model,
    effective: f64,
}

#[Object]
impl IndicatorScore {
    async fn key(&self) -> &str {
        &self.row.key
    }
    /// 中文 name.
    async fn name(&self) -> &str {
        &self.row.name_zh
    }
    async fn name_en(&self) -> &str {
        &self.row.name_en
    }
    async fn category(&self) -> IndicatorCategory {
        self.row.category.0.into()
    }
    async fn source(&self) -> IndicatorSource {
        self.row.source.0.into()
    }
    /// The template's weight (of 100).
    async fn weight(&self) -> f64 {
        self.row.weight
    }
    /// The weight it carries after indicators left out were spread in proportion (0 when
    /// it is left out).
    async fn effective_weight(&self) -> f64 {
        self.effective
    }
    /// 0–100; null while not scored (or left out).
    async fn score(&self) -> Option<f64> {
        self.row.score
    }
    /// False when left out (a RESULT indicator without a target or figure, a 360° score
    /// without input).
    async fn counts(&self) -> bool {
        self.row.counts
    }
    /// The figure a RESULT score was filled from, as shown ("¥1,234,000", "92.0%").
    async fn actual(&self) -> Option<&str> {
        self.row.actual.as_deref()
    }
    async fn target(&self) -> Option<&str> {
        self.row.target.as_deref()
    }
    /// Why it is left out or rescaled.
    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }
    /// Scored by hand (the others are filled from the data).
    async fn manual(&self) -> bool {
        self.row.source.0 == rules::Source::Manual
    }
}

/// One 360° group's part: its mean and the weight it carries after groups without
/// input were left out (SELF always 0).
#[derive(SimpleObject)]
pub struct GroupScore {
    pub group: EvaluatorGroup,
    pub weight: f64,
    /// Null for the person evaluated when a PEER or CUSTOMER group has fewer raters than
    /// the anonymity threshold (it still counts inside the total).
    pub score: Option<f64>,
    pub raters: i32,
    /// Hidden from the person evaluated (below the anonymity threshold).
    pub hidden: bool,
}

/// A category's score and grade.
#[derive(SimpleObject)]
pub struct CategoryScore {
    pub category: IndicatorCategory,
    pub score: Option<f64>,
    pub grade: Option<String>,
}

/// A step in an evaluation's history.
pub struct EvaluationEvent(evaluation_event::Model);

#[Object]
impl EvaluationEvent {
    /// CREATE, SUBMIT, RETURN, FINALIZE or REOPEN.
    async fn step(&self) -> &str {
        &self.0.step
    }
    async fn from_status(&self) -> Option<&str> {
        self.0.from_status.as_deref()
    }
    async fn to_status(&self) -> &str {
        &self.0.to_status
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.0.actor_id {
            Some(a) => user(ctx, a).await,
            None => Ok(None),
        }
    }
}

/// An invitation to give 360° input.
pub struct EvaluatorInvitation {
    row: evaluation_invitation::Model,
    /// The one-time link, only in the answer to `inviteEvaluator` for a customer.
    link: Option<String>,
}

#[Object]
impl EvaluatorInvitation {
    async fn id(&self) -> ID {
        ids::encode("EvaluatorInvitation", self.row.id)
    }
    async fn group(&self) -> EvaluatorGroup {
        self.row.rater_group.0.into()
    }
    async fn rater(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.row.rater_id {
            Some(r) => user(ctx, r).await,
            None => Ok(None),
        }
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>> {
        let Some(c) = self.row.customer_id else {
            return Ok(None);
        };
        let l = super::loaders(ctx)?;
        Ok(l.customer
            .load_one(c)
            .await
            .map_err(load_err)?
            .map(Customer))
    }
    async fn invited_at(&self) -> DateTime<Utc> {
        self.row.invited_at
    }
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.row.answered_at
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.row.expires_at
    }
    async fn score(&self) -> Option<f64> {
        self.row.score
    }
    async fn comment(&self) -> Option<&str> {
        self.row.comment.as_deref()
    }
    /// SELF input (a supervisor's 述职 report): the work's highlights.
    async fn highlights(&self) -> Option<&str> {
        self.row.highlights.as_deref()
    }
    /// SELF input: the plan for improvement.
    async fn improvement_plan(&self) -> Option<&str> {
        self.row.improvement_plan.as_deref()
    }
    /// The customer's one-time form (`/form/rating/<token>`), shown once, when it is made.
    async fn link(&self) -> Option<&str> {
        self.link.as_deref()
    }
}

pub struct Evaluation(pub evaluation::Model);

impl Evaluation {
    async fn indicator_rows(&self, ctx: &Context<'_>) -> Result<Vec<evaluation_indicator::Model>> {
        let l = super::loaders(ctx)?;
        Ok(l.evaluation_indicators
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default())
    }
    async fn invitation_rows(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<evaluation_invitation::Model>> {
        let l = super::loaders(ctx)?;
        Ok(l.evaluation_invitations
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default())
    }
}

/// One person's evaluation for one period.
#[Object]
impl Evaluation {
    pub async fn id(&self) -> ID {
        ids::encode("Evaluation", self.0.id)
    }
    /// Who is evaluated (a rep's user or a supervisor).
    async fn subject(&self, ctx: &Context<'_>) -> Result<User> {
        user(ctx, self.0.subject_id)
            .await?
            .ok_or_else(|| AppError::forbidden().into())
    }
    /// The rep evaluated; null for a supervisor's evaluation.
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        let Some(r) = self.0.rep_id else {
            return Ok(None);
        };
        let l = super::loaders(ctx)?;
        Ok(l.rep.load_one(r).await.map_err(load_err)?.map(Rep))
    }
    /// Who writes it (the rep's supervisor, or a director).
    async fn evaluator(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.evaluator_id).await
    }
    async fn period(&self) -> PeriodInfo {
        PeriodInfo::new(dudao_domain::Period::containing(
            self.0.period_kind.0,
            self.0.period_start,
        ))
    }
    async fn status(&self) -> EvaluationStatus {
        self.0.status.0.into()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Σ weight × score / 100, unrounded (show two decimals); null until every indicator
    /// that counts is scored.
    async fn total_score(&self) -> Option<f64> {
        self.0.total_score
    }
    /// A–D, decided on the unrounded total.
    async fn grade(&self) -> Option<&str> {
        self.0.grade.as_deref()
    }
    /// The total over the indicators scored so far (the editor's live figure).
    async fn partial_score(&self, ctx: &Context<'_>) -> Result<f64> {
        let rows = self.indicator_rows(ctx).await?;
        Ok(rules::compute(&scored(&rows)).partial)
    }
    async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorScore>> {
        let rows = self.indicator_rows(ctx).await?;
        let o = rules::compute(&scored(&rows));
        Ok(rows
            .into_iter()
            .zip(o.weights)
            .map(|(row, effective)| IndicatorScore { row, effective })
            .collect())
    }
    /// RESULT, PROCESS and CAPABILITY: Σ weight × score / Σ weight over the category's
    /// indicators that count, and its grade.
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<CategoryScore>> {
        let (scale, _) = scale(ctx).await?;
        let rows = self.indicator_rows(ctx).await?;
        Ok(rules::compute(&scored(&rows))
            .categories
            .into_iter()
            .filter(|(c, _)| rows.iter().any(|r| r.category.0 == *c))
            .map(|(c, s)| CategoryScore {
                category: c.into(),
                score: s,
                grade: s.map(|s| scale.grade(s).to_owned()),
            })
            .collect())
    }
    /// The 360° groups. The person evaluated sees each group's mean only, and a PEER or
    /// CUSTOMER group below the anonymity threshold not at all (it counts inside the total).
    async fn groups(&self, ctx: &Context<'_>) -> Result<Vec<GroupScore>> {
        let v = viewer(ctx)?;
        let (_, threshold) = scale(ctx).await?;
        let inputs: Vec<(rules::EvaluatorGroup, f64)> = self
            .invitation_rows(ctx)
            .await?
            .into_iter()
            .filter_map(|i| i.score.map(|s| (i.rater_group.0, s)))
            .collect();
        let subject = v.user_id == self.0.subject_id;
        Ok(rules::three_sixty(&inputs)
            .1
            .into_iter()
            .map(|g| {
                let hidden = subject && !rules::shown_to_subject(g.group, g.raters, threshold);
                GroupScore {
                    group: g.group.into(),
                    weight: g.weight,
                    score: if hidden { None } else { g.score },
                    raters: i32::try_from(g.raters).unwrap_or(i32::MAX),
                    hidden,
                }
            })
            .collect())
    }
    /// What was left out or rescaled, and why.
    async fn notes(&self) -> Vec<String> {
        serde_json::from_str(&self.0.notes).unwrap_or_default()
    }
    /// 事实 (fact).
    async fn fact(&self) -> Option<&str> {
        self.0.fact.as_deref()
    }
    /// 影响 (impact).
    async fn impact(&self) -> Option<&str> {
        self.0.impact.as_deref()
    }
    /// 期望 (expectation).
    async fn expectation(&self) -> Option<&str> {
        self.0.expectation.as_deref()
    }
    async fn strengths(&self) -> Option<&str> {
        self.0.strengths.as_deref()
    }
    async fn improvements(&self) -> Option<&str> {
        self.0.improvements.as_deref()
    }
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// Not finalized after its due day.
    async fn overdue(&self) -> bool {
        self.0.status.0 != rules::EvaluationStatus::Finalized
            && self.0.due_on < crate::clock::today()
    }
    async fn cycle_id(&self) -> Option<ID> {
        self.0.cycle_id.map(|c| ids::encode("EvaluationCycle", c))
    }
    async fn template_id(&self) -> ID {
        ids::encode("EvaluationTemplate", self.0.template_id)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }
    async fn finalized_at(&self) -> Option<DateTime<Utc>> {
        self.0.finalized_at
    }
    /// The raters invited and what they answered: for whoever writes or finalizes it,
    /// never for the person evaluated (empty for them).
    async fn invitations(&self, ctx: &Context<'_>) -> Result<Vec<EvaluatorInvitation>> {
        let v = viewer(ctx)?;
        if !svc::sees_raters(v, &self.0) {
            return Ok(Vec::new());
        }
        Ok(self
            .invitation_rows(ctx)
            .await?
            .into_iter()
            .map(|row| EvaluatorInvitation { row, link: None })
            .collect())
    }
    /// The SELF input once answered (for a supervisor, the 述职 report): for whoever sees
    /// the raters, and for the person evaluated (it is theirs).
    async fn self_report(&self, ctx: &Context<'_>) -> Result<Option<SelfReport>> {
        let v = viewer(ctx)?;
        if !(svc::sees_raters(v, &self.0) || self.0.subject_id == v.user_id) {
            return Ok(None);
        }
        Ok(self
            .invitation_rows(ctx)
            .await?
            .into_iter()
            .find(|r| {
                r.rater_group.0 == dudao_domain::evaluation::EvaluatorGroup::SelfReview
                    && r.answered_at.is_some()
            })
            .map(|r| SelfReport {
                score: r.score,
                comment: r.comment,
                highlights: r.highlights,
                improvement_plan: r.improvement_plan,
            }))
    }
    /// Every step, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<EvaluationEvent>> {
        let l = super::loaders(ctx)?;
        Ok(l.evaluation_events
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(EvaluationEvent)
            .collect())
    }
    /// Action items agreed in it.
    async fn action_items(&self, ctx: &Context<'_>) -> Result<Vec<super::coaching::ActionItem>> {
        let l = super::loaders(ctx)?;
        Ok(l.evaluation_actions
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(super::coaching::ActionItem)
            .collect())
    }
    /// Whether the caller may change its scores, feedback and raters now.
    async fn can_edit(&self, ctx: &Context<'_>) -> Result<bool> {
        let v = viewer(ctx)?;
        Ok(self.0.status.0 == rules::EvaluationStatus::Draft
            && self.0.subject_id != v.user_id
            && svc::sees_raters(v, &self.0))
    }
}

/// The grade and anonymity thresholds, read once per request.
async fn scale(ctx: &Context<'_>) -> Result<(rules::GradeScale, usize)> {
    let l = super::loaders(ctx)?;
    let db = db(ctx)?;
    Ok(*l
        .grade_scale
        .get_or_try_init(|| svc::grade_scale(db))
        .await?)
}

fn scored(rows: &[evaluation_indicator::Model]) -> Vec<rules::Scored> {
    rows.iter()
        .map(|i| rules::Scored {
            key: i.key.clone(),
            category: i.category.0,
            weight: i.weight,
            score: i.score,
            counts: i.counts,
        })
        .collect()
}

/// An indicator of a template.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "TemplateIndicatorInput")]
pub struct TemplateIndicator {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub category: IndicatorCategory,
    pub weight: f64,
    pub source: IndicatorSource,
}

pub struct EvaluationTemplate(evaluation_template::Model);

/// Weighted indicators for a subject and period kind (weights sum to 100).
#[Object]
impl EvaluationTemplate {
    async fn id(&self) -> ID {
        ids::encode("EvaluationTemplate", self.0.id)
    }
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    async fn subject_kind(&self) -> EvaluationSubjectKind {
        self.0.subject_kind.0.into()
    }
    async fn period_kind(&self) -> PeriodKind {
        self.0.period_kind.0.into()
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn indicators(&self) -> Result<Vec<TemplateIndicator>> {
        Ok(svc::indicators_of(&self.0)?
            .into_iter()
            .map(|i| TemplateIndicator {
                key: i.key,
                name_zh: i.name_zh,
                name_en: i.name_en,
                category: i.category.into(),
                weight: i.weight,
                source: i.source.into(),
            })
            .collect())
    }
}

/// A cycle and where its evaluations stand.
#[derive(SimpleObject)]
pub struct EvaluationCycle {
    pub id: ID,
    pub period: PeriodInfo,
    pub subject_kind: EvaluationSubjectKind,
    pub template_id: ID,
    pub due_on: Date,
    pub total: i64,
    pub drafts: i64,
    pub submitted: i64,
    pub finalized: i64,
    /// Not finalized and past the due day.
    pub overdue: i64,
}

/// The person's own input (weight 0): a score, a comment and, for a supervisor, the
/// 述职 report — the work's highlights and the plan for improvement.
#[derive(SimpleObject)]
pub struct SelfReport {
    pub score: Option<f64>,
    pub comment: Option<String>,
    pub highlights: Option<String>,
    pub improvement_plan: Option<String>,
}

/// What a rater sees: whom and which period they are asked to rate, nothing else.
#[derive(SimpleObject)]
pub struct EvaluatorForm {
    pub invitation_id: Option<ID>,
    pub group: EvaluatorGroup,
    pub subject_name: String,
    pub period: PeriodInfo,
    pub answered: bool,
    pub score: Option<f64>,
    /// The caller's own answer so far (a rater may change it until the evaluation is
    /// submitted); null on a customer's form.
    pub comment: Option<String>,
    /// SELF input: the 述职 report's highlights and plan, as answered so far.
    pub highlights: Option<String>,
    pub improvement_plan: Option<String>,
}

/// Something to do about evaluations.
#[derive(SimpleObject)]
pub struct EvaluationReminder {
    /// EVALUATION_DUE (one you write is due soon or overdue), EVALUATION_OVERDUE (a
    /// director: anyone's), INVITATION (waiting for your answer), INVITATION_UNANSWERED
    /// (one you sent, unanswered after 3 working days).
    pub kind: String,
    pub evaluation_id: ID,
    pub invitation_id: Option<ID>,
    pub subject_name: String,
    pub due_on: Date,
    pub overdue: bool,
}

/// A grade distribution and leniency of a region or supervisor.
#[derive(SimpleObject)]
pub struct CalibrationGroup {
    pub id: ID,
    pub name: String,
    pub count: i64,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    /// mean − the company's mean (positive: more lenient).
    pub leniency: Option<f64>,
    pub a: i64,
    pub b: i64,
    pub c: i64,
    pub d: i64,
}

/// One box of the 9-box: RESULT band against CAPABILITY band (0 low, 1 middle, 2 high).
#[derive(SimpleObject)]
pub struct NineBoxCell {
    pub result_band: i32,
    pub capability_band: i32,
    pub count: i32,
    pub evaluation_ids: Vec<ID>,
}

#[derive(SimpleObject)]
pub struct CalibrationOutlier {
    pub evaluation_id: ID,
    pub total_score: f64,
}

#[derive(SimpleObject)]
pub struct Calibration {
    pub period: PeriodInfo,
    pub count: i64,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    pub regions: Vec<CalibrationGroup>,
    pub supervisors: Vec<CalibrationGroup>,
    /// More than two spreads from the mean.
    pub outliers: Vec<CalibrationOutlier>,
    pub nine_box: Vec<NineBoxCell>,
    /// Scores from here are "high" on the 9-box, below `low` "low".
    pub high: f64,
    pub low: f64,
}

#[derive(SimpleObject)]
pub struct GradeScale {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub anonymity_threshold: i32,
}

pub struct Survey(pub survey::Model);

/// A customer's satisfaction score (0–10) on a day.
#[Object]
impl Survey {
    pub async fn id(&self) -> ID {
        ids::encode("Survey", self.0.id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>> {
        let l = super::loaders(ctx)?;
        Ok(l.customer
            .load_one(self.0.customer_id)
            .await
            .map_err(load_err)?
            .map(Customer))
    }
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        let l = super::loaders(ctx)?;
        Ok(l.rep
            .load_one(self.0.rep_id)
            .await
            .map_err(load_err)?
            .map(Rep))
    }
    async fn date(&self) -> Date {
        Date(self.0.surveyed_on)
    }
    async fn score(&self) -> i32 {
        self.0.score
    }
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// MANUAL, IMPORT, LINK or SEED.
    async fn source(&self) -> &str {
        &self.0.source
    }
}

/// A one-time survey link, as its maker sees it later (never its token).
#[derive(SimpleObject)]
pub struct SurveyLink {
    pub id: ID,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    /// The address to send, only in the answer to `createSurveyLink` (`/form/survey/<token>`).
    pub link: Option<String>,
}

/// What the customer's form shows: nothing but when it expires.
#[derive(SimpleObject)]
pub struct SurveyForm {
    pub expires_at: DateTime<Utc>,
}

#[derive(InputObject, Default)]
pub struct EvaluationFilter {
    pub status: Option<EvaluationStatus>,
    pub period_kind: Option<PeriodKind>,
    pub period: Option<PeriodInput>,
    pub subject_kind: Option<EvaluationSubjectKind>,
    pub subject_id: Option<ID>,
    pub region_id: Option<ID>,
    pub evaluator_id: Option<ID>,
    pub cycle_id: Option<ID>,
    /// Not finalized after the due day.
    pub overdue: Option<bool>,
}

#[derive(InputObject, Default)]
pub struct SurveyFilter {
    pub customer_id: Option<ID>,
    pub rep_id: Option<ID>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Only scores below this.
    pub below: Option<i32>,
}

fn cycle(r: &svc::CycleRow) -> Result<EvaluationCycle> {
    let kind = dudao_domain::Code::from_code(&r.period_kind)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("period kind {}", r.period_kind)))?;
    let subject: rules::SubjectKind = dudao_domain::Code::from_code(&r.subject_kind)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("subject kind {}", r.subject_kind)))?;
    let overdue = if r.due_on < crate::clock::today() {
        r.total - r.finalized
    } else {
        0
    };
    Ok(EvaluationCycle {
        id: ids::encode("EvaluationCycle", r.id),
        period: PeriodInfo::new(dudao_domain::Period::containing(kind, r.period_start)),
        subject_kind: subject.into(),
        template_id: ids::encode("EvaluationTemplate", r.template_id),
        due_on: Date(r.due_on),
        total: r.total,
        drafts: r.drafts,
        submitted: r.submitted,
        finalized: r.finalized,
        overdue,
    })
}

fn calibration_group(g: svc::GroupRow, company: Option<f64>, kind: &str) -> CalibrationGroup {
    CalibrationGroup {
        id: ids::encode(kind, g.group_id),
        spread: g.spread(),
        leniency: g.mean.zip(company).map(|(m, c)| m - c),
        name: g.name,
        count: g.count,
        mean: g.mean,
        a: g.a,
        b: g.b,
        c: g.c,
        d: g.d,
    }
}

#[derive(Default)]
pub struct EvaluationQuery;

#[Object]
impl EvaluationQuery {
    /// Evaluations the caller may read, newest period first: all for a director, a
    /// supervisor's reps' and the ones they write, one's own once FINALIZED.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn evaluations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<EvaluationFilter>,
    ) -> Result<ConnectionOf<Evaluation>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = svc::EvaluationFilter {
            status: f.status.map(Into::into),
            period_kind: f.period_kind.map(Into::into),
            period: f.period.map(|p| p.parse()).transpose()?,
            subject_kind: f.subject_kind.map(Into::into),
            subject_id: ids::decode_opt(f.subject_id.as_ref(), "User")?,
            region_id: ids::decode_opt(f.region_id.as_ref(), "Region")?,
            evaluator_id: ids::decode_opt(f.evaluator_id.as_ref(), "User")?,
            cycle_id: ids::decode_opt(f.cycle_id.as_ref(), "EvaluationCycle")?,
            overdue: f.overdue.unwrap_or(false),
        };
        let p = svc::list(db(ctx)?, v, filter, page(first, after.as_deref())?).await?;
        Ok(connection(p, Evaluation))
    }

    /// Evaluation templates (active ones first).
    async fn evaluation_templates(
        &self,
        ctx: &Context<'_>,
        subject_kind: Option<EvaluationSubjectKind>,
        period_kind: Option<PeriodKind>,
        #[graphql(default)] include_inactive: bool,
    ) -> Result<Vec<EvaluationTemplate>> {
        viewer(ctx)?;
        Ok(svc::templates(
            db(ctx)?,
            subject_kind.map(Into::into),
            period_kind.map(Into::into),
            include_inactive,
        )
        .await?
        .into_iter()
        .map(EvaluationTemplate)
        .collect())
    }

    /// Cycles, newest first, with their progress (DIRECTOR).
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn evaluation_cycles(&self, ctx: &Context<'_>) -> Result<Vec<EvaluationCycle>> {
        let v = viewer(ctx)?;
        svc::cycles(db(ctx)?, v).await?.iter().map(cycle).collect()
    }

    /// Invitations waiting for the caller's 360° input (only the form, never the evaluation).
    async fn my_evaluator_invitations(&self, ctx: &Context<'_>) -> Result<Vec<EvaluatorForm>> {
        let v = viewer(ctx)?;
        Ok(svc::my_invitations(db(ctx)?, v)
            .await?
            .into_iter()
            .map(|f| EvaluatorForm {
                invitation_id: Some(ids::encode("EvaluatorInvitation", f.invitation.id)),
                group: f.invitation.rater_group.0.into(),
                subject_name: f.subject_name,
                period: PeriodInfo::new(f.period),
                answered: f.invitation.answered_at.is_some(),
                score: f.invitation.score,
                comment: f.invitation.comment,
                highlights: f.invitation.highlights,
                improvement_plan: f.invitation.improvement_plan,
            })
            .collect())
    }

    /// The form behind a customer's one-time link; no account needed. A forged, used or
    /// expired token is refused the same way.
    async fn evaluator_form(&self, ctx: &Context<'_>, token: String) -> Result<EvaluatorForm> {
        let f = svc::form_by_token(db(ctx)?, &token).await?;
        Ok(EvaluatorForm {
            invitation_id: None,
            group: f.invitation.rater_group.0.into(),
            subject_name: f.subject_name,
            period: PeriodInfo::new(f.period),
            answered: false,
            score: None,
            comment: None,
            highlights: None,
            improvement_plan: None,
        })
    }

    /// Evaluations due soon or overdue that the caller writes, invitations waiting for
    /// them or unanswered after 3 working days; for a director every overdue one.
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn evaluation_reminders(&self, ctx: &Context<'_>) -> Result<Vec<EvaluationReminder>> {
        let v = viewer(ctx)?;
        Ok(svc::reminders(db(ctx)?, v, crate::clock::today())
            .await?
            .into_iter()
            .map(|r| EvaluationReminder {
                kind: r.kind.into(),
                evaluation_id: ids::encode("Evaluation", r.evaluation_id),
                invitation_id: r
                    .invitation_id
                    .map(|i| ids::encode("EvaluatorInvitation", i)),
                subject_name: r.subject_name,
                due_on: Date(r.due_on),
                overdue: r.overdue,
            })
            .collect())
    }

    /// Calibration of a period's submitted and finalized evaluations (DIRECTOR).
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn calibration(
        &self,
        ctx: &Context<'_>,
        period: PeriodInput,
        #[graphql(default_with = "EvaluationSubjectKind::Rep")] subject_kind: EvaluationSubjectKind,
    ) -> Result<Calibration> {
        let v = viewer(ctx)?;
        let p = period.parse()?;
        let c = svc::calibration(db(ctx)?, v, p, subject_kind.into()).await?;
        let mean = c.mean;
        Ok(Calibration {
            period: PeriodInfo::new(p),
            count: c.count,
            mean,
            spread: c.spread,
            regions: c
                .by_region
                .into_iter()
                .map(|g| calibration_group(g, mean, "Region"))
                .collect(),
            supervisors: c
                .by_supervisor
                .into_iter()
                .map(|g| calibration_group(g, mean, "User"))
                .collect(),
            outliers: c
                .outliers
                .into_iter()
                .map(|(id, t)| CalibrationOutlier {
                    evaluation_id: ids::encode("Evaluation", id),
                    total_score: t,
                })
                .collect(),
            nine_box: c
                .nine_box
                .into_iter()
                .map(|(r, cb, list)| NineBoxCell {
                    result_band: i32::from(r),
                    capability_band: i32::from(cb),
                    count: i32::try_from(list.len()).unwrap_or(i32::MAX),
                    evaluation_ids: list
                        .into_iter()
                        .map(|i| ids::encode("Evaluation", i))
                        .collect(),
                })
                .collect(),
            high: rules::NINE_BOX_HIGH,
            low: rules::NINE_BOX_LOW,
        })
    }

    /// Grade thresholds and the anonymity threshold.
    async fn grade_scale(&self, ctx: &Context<'_>) -> Result<GradeScale> {
        viewer(ctx)?;
        let (g, anon) = svc::grade_scale(db(ctx)?).await?;
        Ok(GradeScale {
            a: g.a,
            b: g.b,
            c: g.c,
            anonymity_threshold: i32::try_from(anon).unwrap_or(i32::MAX),
        })
    }

    /// Surveys the caller may read, newest first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn surveys(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<SurveyFilter>,
    ) -> Result<ConnectionOf<Survey>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::surveys::SurveyFilter {
            customer_id: ids::decode_opt(f.customer_id.as_ref(), "Customer")?,
            rep_id: ids::decode_opt(f.rep_id.as_ref(), "Rep")?,
            from: f.from.map(|d| d.0),
            to: f.to.map(|d| d.0),
            below: f.below,
        };
        let p = service::surveys::list(db(ctx)?, v, filter, page(first, after.as_deref())?).await?;
        Ok(connection(p, Survey))
    }

    /// The survey links made for a customer (never their tokens).
    async fn survey_links(&self, ctx: &Context<'_>, customer_id: ID) -> Result<Vec<SurveyLink>> {
        let v = viewer(ctx)?;
        let c = ids::decode(&customer_id, "Customer")?;
        Ok(service::surveys::links(db(ctx)?, v, c)
            .await?
            .into_iter()
            .map(|l| SurveyLink {
                id: ids::encode("SurveyLink", l.id),
                created_at: l.created_at,
                expires_at: l.expires_at,
                used_at: l.used_at,
                link: None,
            })
            .collect())
    }

    /// The survey form behind a one-time link; no account needed.
    async fn survey_form(&self, ctx: &Context<'_>, token: String) -> Result<SurveyForm> {
        Ok(SurveyForm {
            expires_at: service::surveys::form(db(ctx)?, &token).await?,
        })
    }
}

#[derive(InputObject)]
pub struct CreateEvaluationInput {
    /// The user evaluated (a rep's user, or a supervisor).
    pub subject_id: ID,
    pub period: PeriodInput,
    pub template_id: Option<ID>,
}

#[derive(InputObject)]
pub struct ScoreIndicatorInput {
    pub evaluation_id: ID,
    pub key: String,
    /// 0–100; null clears it.
    pub score: Option<f64>,
    pub version: i32,
}

#[derive(InputObject)]
pub struct UpdateEvaluationFeedbackInput {
    pub id: ID,
    pub version: i32,
    #[graphql(default)]
    pub fact: MaybeUndefined<String>,
    #[graphql(default)]
    pub impact: MaybeUndefined<String>,
    #[graphql(default)]
    pub expectation: MaybeUndefined<String>,
    #[graphql(default)]
    pub strengths: MaybeUndefined<String>,
    #[graphql(default)]
    pub improvements: MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct InviteEvaluatorInput {
    pub evaluation_id: ID,
    pub group: EvaluatorGroup,
    pub user_id: Option<ID>,
    /// For a CUSTOMER rater: answered through a one-time link.
    pub customer_id: Option<ID>,
}

#[derive(InputObject)]
pub struct EvaluatorInputInput {
    /// The caller's own invitation…
    pub invitation_id: Option<ID>,
    /// …or a customer's one-time token (no account).
    pub token: Option<String>,
    /// 0–100.
    pub score: f64,
    pub comment: Option<String>,
    /// SELF input only (a supervisor's 述职 report): the work's highlights.
    pub highlights: Option<String>,
    /// SELF input only: the plan for improvement.
    pub improvement_plan: Option<String>,
}

#[derive(InputObject)]
pub struct SaveEvaluationTemplateInput {
    /// Absent to create one.
    pub id: Option<ID>,
    pub version: Option<i32>,
    pub name_zh: String,
    pub name_en: String,
    pub subject_kind: EvaluationSubjectKind,
    pub period_kind: PeriodKind,
    pub indicators: Vec<TemplateIndicator>,
    #[graphql(default = true)]
    pub active: bool,
}

#[derive(InputObject)]
pub struct OpenEvaluationCycleInput {
    pub period: PeriodInput,
    pub subject_kind: EvaluationSubjectKind,
    pub template_id: Option<ID>,
    /// The users to evaluate; empty: every active rep (or supervisor).
    #[graphql(default)]
    pub subject_ids: Vec<ID>,
}

#[derive(SimpleObject)]
pub struct OpenEvaluationCyclePayload {
    pub cycle: EvaluationCycle,
    /// Evaluations made now.
    pub created: i32,
    /// People who already had one for the period (kept as they are).
    pub kept: i32,
}

#[derive(InputObject)]
pub struct RecordSurveyInput {
    pub customer_id: ID,
    pub date: Date,
    /// 0–10.
    pub score: i32,
    pub comment: Option<String>,
}

#[derive(InputObject)]
pub struct AddEvaluationActionItemInput {
    pub evaluation_id: ID,
    pub title: String,
    /// Default: the person evaluated.
    pub owner_id: Option<ID>,
    pub due_on: Option<Date>,
}

fn text(m: MaybeUndefined<String>) -> Option<Option<String>> {
    match m {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

async fn stepped(
    ctx: &Context<'_>,
    id: ID,
    version: i32,
    step: rules::Step,
    reason: Option<String>,
) -> Result<Evaluation> {
    let v = viewer(ctx)?;
    let id = ids::decode(&id, "Evaluation")?;
    Ok(Evaluation(
        svc::step(db(ctx)?, v, id, version, step, reason).await?,
    ))
}

#[derive(Default)]
pub struct EvaluationMutation;

#[Object]
impl EvaluationMutation {
    /// Starts a DRAFT evaluation of a rep (their supervisor, a director) or a supervisor
    /// (a director) for a period; RESULT indicators are filled from the scorecard.
    async fn create_evaluation(
        &self,
        ctx: &Context<'_>,
        input: CreateEvaluationInput,
    ) -> Result<Evaluation> {
        let v = viewer(ctx)?;
        let n = svc::NewEvaluation {
            subject_id: ids::decode(&input.subject_id, "User")?,
            period: input.period.parse()?,
            template_id: ids::decode_opt(input.template_id.as_ref(), "EvaluationTemplate")?,
        };
        Ok(Evaluation(svc::create(db(ctx)?, v, n).await?))
    }

    /// Scores an indicator scored by people (0–100, null clears) under the version.
    async fn score_indicator(
        &self,
        ctx: &Context<'_>,
        input: ScoreIndicatorInput,
    ) -> Result<Evaluation> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.evaluation_id, "Evaluation")?;
        Ok(Evaluation(
            svc::score_indicator(
                db(ctx)?,
                v,
                id,
                input.key.trim(),
                input.score,
                input.version,
            )
            .await?,
        ))
    }

    /// Feedback as fact + impact + expectation, strengths, improvements (a draft).
    async fn update_evaluation_feedback(
        &self,
        ctx: &Context<'_>,
        input: UpdateEvaluationFeedbackInput,
    ) -> Result<Evaluation> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "Evaluation")?;
        let c = svc::FeedbackChanges {
            fact: text(input.fact),
            impact: text(input.impact),
            expectation: text(input.expectation),
            strengths: text(input.strengths),
            improvements: text(input.improvements),
        };
        Ok(Evaluation(
            svc::update_feedback(db(ctx)?, v, id, input.version, c).await?,
        ))
    }

    /// Invites a 360° rater; a CUSTOMER gets a one-time link (in `link`, shown once).
    async fn invite_evaluator(
        &self,
        ctx: &Context<'_>,
        input: InviteEvaluatorInput,
    ) -> Result<EvaluatorInvitation> {
        let v = viewer(ctx)?;
        let i = svc::Invite {
            evaluation_id: ids::decode(&input.evaluation_id, "Evaluation")?,
            group: input.group.into(),
            user_id: ids::decode_opt(input.user_id.as_ref(), "User")?,
            customer_id: ids::decode_opt(input.customer_id.as_ref(), "Customer")?,
        };
        let (row, token) = svc::invite(db(ctx)?, v, i).await?;
        Ok(EvaluatorInvitation {
            row,
            link: token.map(|t| format!("/form/rating/{t}")),
        })
    }

    /// A rater's answer (0–100): by invitation id when signed in, or by a customer's
    /// one-time token without an account.
    async fn submit_evaluator_input(
        &self,
        ctx: &Context<'_>,
        input: EvaluatorInputInput,
    ) -> Result<bool> {
        let rater = match (input.invitation_id, input.token) {
            (Some(id), None) => {
                let v = viewer(ctx)?;
                svc::Rater::User(*v, ids::decode(&id, "EvaluatorInvitation")?)
            }
            (None, Some(t)) => svc::Rater::Token(t),
            _ => {
                return Err(AppError::BadInput(
                    "需要 invitationId 或 token 之一 / give one of invitationId and token".into(),
                )
                .into());
            }
        };
        let report = svc::SelfReport {
            highlights: input.highlights,
            improvement_plan: input.improvement_plan,
        };
        svc::answer(db(ctx)?, rater, input.score, input.comment, report).await?;
        Ok(true)
    }

    /// Hands in a complete draft (its evaluator, a director).
    async fn submit_evaluation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> Result<Evaluation> {
        stepped(ctx, id, version, rules::Step::Submit, None).await
    }

    /// Makes a submitted evaluation final and visible to the person evaluated (DIRECTOR).
    async fn finalize_evaluation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> Result<Evaluation> {
        stepped(ctx, id, version, rules::Step::Finalize, None).await
    }

    /// Sends a submitted evaluation back to its evaluator, with a reason (DIRECTOR).
    async fn return_evaluation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        reason: String,
    ) -> Result<Evaluation> {
        stepped(ctx, id, version, rules::Step::Return, Some(reason)).await
    }

    /// Reopens a finalized evaluation with a reason, back to SUBMITTED (DIRECTOR).
    async fn reopen_evaluation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        reason: String,
    ) -> Result<Evaluation> {
        stepped(ctx, id, version, rules::Step::Reopen, Some(reason)).await
    }

    /// An action item agreed in an evaluation (owner: the person evaluated by default).
    async fn add_evaluation_action_item(
        &self,
        ctx: &Context<'_>,
        input: AddEvaluationActionItemInput,
    ) -> Result<super::coaching::ActionItem> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.evaluation_id, "Evaluation")?;
        let owner = ids::decode_opt(input.owner_id.as_ref(), "User")?;
        Ok(super::coaching::ActionItem(
            svc::add_action(
                db(ctx)?,
                v,
                id,
                input.title,
                owner,
                input.due_on.map(|d| d.0),
            )
            .await?,
        ))
    }

    /// Creates or changes a template (weights sum to 100) (DIRECTOR).
    async fn save_evaluation_template(
        &self,
        ctx: &Context<'_>,
        input: SaveEvaluationTemplateInput,
    ) -> Result<EvaluationTemplate> {
        let v = viewer(ctx)?;
        let t = svc::TemplateInput {
            id: ids::decode_opt(input.id.as_ref(), "EvaluationTemplate")?,
            version: input.version,
            name_zh: input.name_zh,
            name_en: input.name_en,
            subject_kind: input.subject_kind.into(),
            period_kind: input.period_kind.into(),
            indicators: input
                .indicators
                .into_iter()
                .map(|i| rules::Indicator {
                    key: i.key,
                    name_zh: i.name_zh,
                    name_en: i.name_en,
                    category: i.category.into(),
                    weight: i.weight,
                    source: i.source.into(),
                })
                .collect(),
            active: input.active,
        };
        Ok(EvaluationTemplate(
            svc::save_template(db(ctx)?, v, t).await?,
        ))
    }

    /// Sets the grade thresholds (A > B > C) and the anonymity threshold (DIRECTOR).
    async fn set_grade_scale(
        &self,
        ctx: &Context<'_>,
        a: f64,
        b: f64,
        c: f64,
        #[graphql(default = 3)] anonymity_threshold: i32,
    ) -> Result<GradeScale> {
        let v = viewer(ctx)?;
        let anon = usize::try_from(anonymity_threshold).unwrap_or(0);
        svc::set_grade_scale(db(ctx)?, v, rules::GradeScale { a, b, c }, anon).await?;
        Ok(GradeScale {
            a,
            b,
            c,
            anonymity_threshold,
        })
    }

    /// Opens a cycle for a set of people in one action (DIRECTOR).
    async fn open_evaluation_cycle(
        &self,
        ctx: &Context<'_>,
        input: OpenEvaluationCycleInput,
    ) -> Result<OpenEvaluationCyclePayload> {
        let v = viewer(ctx)?;
        let subjects = input
            .subject_ids
            .iter()
            .map(|i| ids::decode(i, "User"))
            .collect::<Result<Vec<_>, _>>()?;
        let db = db(ctx)?;
        let (c, made, kept) = svc::open_cycle(
            db,
            v,
            input.period.parse()?,
            input.subject_kind.into(),
            ids::decode_opt(input.template_id.as_ref(), "EvaluationTemplate")?,
            subjects,
        )
        .await?;
        let row = svc::cycles(db, v)
            .await?
            .into_iter()
            .find(|r| r.id == c.id)
            .ok_or_else(|| AppError::stale("evaluation cycle"))?;
        Ok(OpenEvaluationCyclePayload {
            cycle: cycle(&row)?,
            created: i32::try_from(made).unwrap_or(i32::MAX),
            kept: i32::try_from(kept).unwrap_or(i32::MAX),
        })
    }

    /// Records a customer's satisfaction score (0–10) on a day.
    async fn record_survey(&self, ctx: &Context<'_>, input: RecordSurveyInput) -> Result<Survey> {
        let v = viewer(ctx)?;
        let c = ids::decode(&input.customer_id, "Customer")?;
        Ok(Survey(
            service::surveys::record(db(ctx)?, v, c, input.date.0, input.score, input.comment)
                .await?,
        ))
    }

    /// A one-time survey link for a customer (valid `days`, 1–60, default 14).
    async fn create_survey_link(
        &self,
        ctx: &Context<'_>,
        customer_id: ID,
        days: Option<i32>,
    ) -> Result<SurveyLink> {
        let v = viewer(ctx)?;
        let c = ids::decode(&customer_id, "Customer")?;
        let (l, token) = service::surveys::create_link(db(ctx)?, v, c, days.map(i64::from)).await?;
        Ok(SurveyLink {
            id: ids::encode("SurveyLink", l.id),
            created_at: l.created_at,
            expires_at: l.expires_at,
            used_at: None,
            link: Some(format!("/form/survey/{token}")),
        })
    }

    /// A customer answers a survey link (0–10); no account needed; works once.
    async fn answer_survey(
        &self,
        ctx: &Context<'_>,
        token: String,
        score: i32,
        comment: Option<String>,
    ) -> Result<bool> {
        service::surveys::answer(db(ctx)?, &token, score, comment).await?;
        Ok(true)
    }
}
