//! Evaluations (评估): templates of weighted indicators, RESULT indicators filled from the
//! figures, 360° input by evaluator group, the total, grades, the workflow and calibration
//! (domain.md "Evaluations"). Pure rules only; the server stores, fills and filters.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::{Period, PeriodKind};

/// What an indicator measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum IndicatorCategory {
    /// 结果: filled from the scorecard.
    Result,
    /// 过程: scored by people (with the figures shown where there are some).
    Process,
    /// 能力: 360° input.
    Capability,
}

impl IndicatorCategory {
    pub const ALL: [IndicatorCategory; 3] = [
        IndicatorCategory::Result,
        IndicatorCategory::Process,
        IndicatorCategory::Capability,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorCategory::Result => "RESULT",
            IndicatorCategory::Process => "PROCESS",
            IndicatorCategory::Capability => "CAPABILITY",
        }
    }
}

/// Who gives 360° input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EvaluatorGroup {
    Superior,
    Peer,
    Customer,
    /// The person themselves (for a supervisor, the 述职 report): shown, weight 0.
    SelfReview,
}

impl EvaluatorGroup {
    pub const ALL: [EvaluatorGroup; 4] = [
        EvaluatorGroup::Superior,
        EvaluatorGroup::Peer,
        EvaluatorGroup::Customer,
        EvaluatorGroup::SelfReview,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluatorGroup::Superior => "SUPERIOR",
            EvaluatorGroup::Peer => "PEER",
            EvaluatorGroup::Customer => "CUSTOMER",
            EvaluatorGroup::SelfReview => "SELF",
        }
    }
    /// The group's weight in the 360° score before any rescaling (domain.md: 60/20/20).
    pub fn nominal_weight(self) -> f64 {
        match self {
            EvaluatorGroup::Superior => 60.0,
            EvaluatorGroup::Peer | EvaluatorGroup::Customer => 20.0,
            EvaluatorGroup::SelfReview => 0.0,
        }
    }
    /// PEER and CUSTOMER means are shown to the person evaluated only with at least the
    /// anonymity threshold of raters; below it they count inside the total only.
    pub fn anonymous(self) -> bool {
        matches!(self, EvaluatorGroup::Peer | EvaluatorGroup::Customer)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EvaluationStatus {
    Draft,
    Submitted,
    Finalized,
}

impl EvaluationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationStatus::Draft => "DRAFT",
            EvaluationStatus::Submitted => "SUBMITTED",
            EvaluationStatus::Finalized => "FINALIZED",
        }
    }
}

/// Whom a template is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    Rep,
    Supervisor,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Rep => "REP",
            SubjectKind::Supervisor => "SUPERVISOR",
        }
    }
}

/// Where an indicator's score comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// Scored by the evaluator, 0–100.
    Manual,
    /// Sales against the sales target.
    SalesAttainment,
    /// The collection rate against the collection-rate target (default 95%).
    CollectionRate,
    /// New customers in the period against the new-customer target.
    NewCustomers,
    /// Mean survey score against the satisfaction threshold (8.5).
    Satisfaction,
    /// The 360° groups' weighted mean.
    ThreeSixty,
    /// PROCESS, a supervisor's regions: visits against the visit standard.
    VisitCompliance,
    /// PROCESS, a supervisor's regions: share of visits recorded with outcome and next step.
    RecordCompleteness,
    /// PROCESS, a supervisor's regions: mean hours to resolve a complaint against 24 h.
    ComplaintResponse,
    /// PROCESS, the person's own: training sessions attended / invited to in the period.
    TrainingAttendance,
    /// CAPABILITY, the person's own: mean after-test score of the sessions attended.
    TrainingResults,
}

impl Source {
    pub const ALL: [Source; 11] = [
        Source::Manual,
        Source::SalesAttainment,
        Source::CollectionRate,
        Source::NewCustomers,
        Source::Satisfaction,
        Source::ThreeSixty,
        Source::VisitCompliance,
        Source::RecordCompleteness,
        Source::ComplaintResponse,
        Source::TrainingAttendance,
        Source::TrainingResults,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "MANUAL",
            Source::SalesAttainment => "SALES_ATTAINMENT",
            Source::CollectionRate => "COLLECTION_RATE",
            Source::NewCustomers => "NEW_CUSTOMERS",
            Source::Satisfaction => "SATISFACTION",
            Source::ThreeSixty => "THREE_SIXTY",
            Source::VisitCompliance => "VISIT_COMPLIANCE",
            Source::RecordCompleteness => "RECORD_COMPLETENESS",
            Source::ComplaintResponse => "COMPLAINT_RESPONSE",
            Source::TrainingAttendance => "TRAINING_ATTENDANCE",
            Source::TrainingResults => "TRAINING_RESULTS",
        }
    }
    /// The category a source's indicator must be in (`None`: any).
    pub fn category(self) -> Option<IndicatorCategory> {
        match self {
            Source::Manual => None,
            Source::ThreeSixty | Source::TrainingResults => Some(IndicatorCategory::Capability),
            Source::VisitCompliance
            | Source::RecordCompleteness
            | Source::ComplaintResponse
            | Source::TrainingAttendance => Some(IndicatorCategory::Process),
            _ => Some(IndicatorCategory::Result),
        }
    }
}

/// One indicator of a template.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub category: IndicatorCategory,
    pub weight: f64,
    pub source: Source,
}

impl Indicator {
    fn new(
        key: &str,
        zh: &str,
        en: &str,
        category: IndicatorCategory,
        weight: f64,
        source: Source,
    ) -> Self {
        Indicator {
            key: key.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            category,
            weight,
            source,
        }
    }
}

/// The default template of domain.md (weights 40/25/10/10/5/10), keys as api.md names them.
pub fn default_indicators() -> Vec<Indicator> {
    use IndicatorCategory::*;
    vec![
        Indicator::new(
            "sales_attainment",
            "销售达成率",
            "Sales attainment",
            Result,
            40.0,
            Source::SalesAttainment,
        ),
        Indicator::new(
            "collection_rate",
            "回款率",
            "Collection rate",
            Result,
            25.0,
            Source::CollectionRate,
        ),
        Indicator::new(
            "customer_growth",
            "客户增长",
            "Customer growth",
            Result,
            10.0,
            Source::NewCustomers,
        ),
        Indicator::new(
            "satisfaction",
            "客户满意度",
            "Customer satisfaction",
            Result,
            10.0,
            Source::Satisfaction,
        ),
        Indicator::new(
            "process_compliance",
            "过程合规",
            "Process compliance",
            Process,
            5.0,
            Source::Manual,
        ),
        Indicator::new(
            "capability_360",
            "能力（360°）",
            "Capability (360°)",
            Capability,
            10.0,
            Source::ThreeSixty,
        ),
    ]
}

/// The templates that ship besides the default: (name zh, name en, subject, period kind,
/// indicators). Monthly: PROCESS only (a short report); quarterly: RESULT + PROCESS;
/// annual: all three (the default); a supervisor's annual one with their regions' figures,
/// team management and a larger 360° share.
pub fn shipped_templates() -> Vec<(
    &'static str,
    &'static str,
    SubjectKind,
    PeriodKind,
    Vec<Indicator>,
)> {
    use IndicatorCategory::*;
    vec![
        (
            "代表年度评估（默认）",
            "Rep annual (default)",
            SubjectKind::Rep,
            PeriodKind::Year,
            default_indicators(),
        ),
        (
            "代表季度评估",
            "Rep quarterly",
            SubjectKind::Rep,
            PeriodKind::Quarter,
            vec![
                Indicator::new(
                    "sales_attainment",
                    "销售达成率",
                    "Sales attainment",
                    Result,
                    45.0,
                    Source::SalesAttainment,
                ),
                Indicator::new(
                    "collection_rate",
                    "回款率",
                    "Collection rate",
                    Result,
                    25.0,
                    Source::CollectionRate,
                ),
                Indicator::new(
                    "customer_growth",
                    "客户增长",
                    "Customer growth",
                    Result,
                    10.0,
                    Source::NewCustomers,
                ),
                Indicator::new(
                    "satisfaction",
                    "客户满意度",
                    "Customer satisfaction",
                    Result,
                    10.0,
                    Source::Satisfaction,
                ),
                Indicator::new(
                    "process_compliance",
                    "过程合规",
                    "Process compliance",
                    Process,
                    10.0,
                    Source::Manual,
                ),
            ],
        ),
        (
            "代表月度评估",
            "Rep monthly",
            SubjectKind::Rep,
            PeriodKind::Month,
            vec![
                Indicator::new(
                    "process_compliance",
                    "过程合规",
                    "Process compliance",
                    Process,
                    50.0,
                    Source::Manual,
                ),
                Indicator::new(
                    "visit_execution",
                    "拜访执行",
                    "Visit execution",
                    Process,
                    30.0,
                    Source::Manual,
                ),
                Indicator::new(
                    "record_completeness",
                    "记录完整",
                    "Record completeness",
                    Process,
                    20.0,
                    Source::Manual,
                ),
            ],
        ),
        (
            "督导年度评估",
            "Supervisor annual",
            SubjectKind::Supervisor,
            PeriodKind::Year,
            vec![
                Indicator::new(
                    "sales_attainment",
                    "区域销售达成率",
                    "Regions' sales attainment",
                    Result,
                    35.0,
                    Source::SalesAttainment,
                ),
                Indicator::new(
                    "collection_rate",
                    "区域回款率",
                    "Regions' collection rate",
                    Result,
                    15.0,
                    Source::CollectionRate,
                ),
                Indicator::new(
                    "customer_growth",
                    "区域客户增长",
                    "Regions' customer growth",
                    Result,
                    10.0,
                    Source::NewCustomers,
                ),
                Indicator::new(
                    "satisfaction",
                    "区域客户满意度",
                    "Regions' satisfaction",
                    Result,
                    10.0,
                    Source::Satisfaction,
                ),
                Indicator::new(
                    "visit_compliance",
                    "区域拜访达标",
                    "Regions' visit compliance",
                    Process,
                    3.0,
                    Source::VisitCompliance,
                ),
                Indicator::new(
                    "record_completeness",
                    "区域记录完整",
                    "Regions' record completeness",
                    Process,
                    2.0,
                    Source::RecordCompleteness,
                ),
                Indicator::new(
                    "complaint_response",
                    "投诉响应",
                    "Complaint response",
                    Process,
                    2.0,
                    Source::ComplaintResponse,
                ),
                Indicator::new(
                    "team_management",
                    "团队管理与辅导（含会议出勤）",
                    "Team management and coaching (meetings attended)",
                    Process,
                    2.0,
                    Source::Manual,
                ),
                // 团队活动参与度: training attended against invited (seed 000 §3).
                Indicator::new(
                    "training_attendance",
                    "培训出勤",
                    "Training attendance",
                    Process,
                    1.0,
                    Source::TrainingAttendance,
                ),
                Indicator::new(
                    "capability_360",
                    "能力（360°）",
                    "Capability (360°)",
                    Capability,
                    15.0,
                    Source::ThreeSixty,
                ),
                // 培训效果: the after-test scores of the sessions attended.
                Indicator::new(
                    "training_results",
                    "培训成绩",
                    "Training results",
                    Capability,
                    5.0,
                    Source::TrainingResults,
                ),
            ],
        ),
    ]
}

/// Why a template is refused.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum TemplateError {
    #[error("模板至少需要一个指标 / a template needs at least one indicator")]
    Empty,
    #[error(
        "指标 {0:?}：键应为小写字母开头的字母、数字或下划线 / key must be lower-case letters, digits or _, starting with a letter"
    )]
    Key(String),
    #[error("指标 {0:?} 出现两次 / indicator {0:?} appears twice")]
    Duplicate(String),
    #[error(
        "指标 {key:?}：权重 {weight} 应大于 0 且不超过 100 / weight {weight} must be above 0 and at most 100"
    )]
    Weight { key: String, weight: f64 },
    #[error("权重合计 {0} 而不是 100 / weights sum to {0}, not 100")]
    Sum(f64),
    #[error(
        "指标 {key:?}：来源 {from} 只能用于 {category} 类 / source {from} belongs to the {category} category"
    )]
    Category {
        key: String,
        from: &'static str,
        category: &'static str,
    },
    #[error("来源 {0} 只能用一次 / source {0} may be used once")]
    SourceTwice(&'static str),
    #[error("指标 {0:?}：名称不能为空 / name must not be empty")]
    Name(String),
}

/// Weights sum to 100 within this (two decimals of input).
const SUM_TOLERANCE: f64 = 1e-6;

/// Checks a template's indicators: at least one, keys valid and unique, names given,
/// each weight in (0, 100], weights summing to 100, each data source in its category and
/// used once.
pub fn validate_template(indicators: &[Indicator]) -> Result<(), TemplateError> {
    if indicators.is_empty() {
        return Err(TemplateError::Empty);
    }
    let mut keys = std::collections::HashSet::new();
    let mut sources = std::collections::HashSet::new();
    for i in indicators {
        if !crate::coaching::valid_dimension_key(&i.key) {
            return Err(TemplateError::Key(i.key.clone()));
        }
        if !keys.insert(i.key.as_str()) {
            return Err(TemplateError::Duplicate(i.key.clone()));
        }
        if i.name_zh.trim().is_empty() || i.name_en.trim().is_empty() {
            return Err(TemplateError::Name(i.key.clone()));
        }
        if !(i.weight.is_finite() && i.weight > 0.0 && i.weight <= 100.0) {
            return Err(TemplateError::Weight {
                key: i.key.clone(),
                weight: i.weight,
            });
        }
        if let Some(c) = i.source.category()
            && c != i.category
        {
            return Err(TemplateError::Category {
                key: i.key.clone(),
                from: i.source.as_str(),
                category: c.as_str(),
            });
        }
        if i.source != Source::Manual && !sources.insert(i.source) {
            return Err(TemplateError::SourceTwice(i.source.as_str()));
        }
    }
    let sum: f64 = indicators.iter().map(|i| i.weight).sum();
    if (sum - 100.0).abs() > SUM_TOLERANCE {
        return Err(TemplateError::Sum((sum * 100.0).round() / 100.0));
    }
    Ok(())
}

/// The collection-rate target when none is configured (domain.md).
pub const DEFAULT_COLLECTION_RATE_TARGET: f64 = 0.95;
/// The satisfaction threshold a satisfaction indicator is scored against.
pub const SATISFACTION_THRESHOLD: f64 = 8.5;
/// Raters a PEER or CUSTOMER group needs before its mean is shown to the person evaluated.
pub const DEFAULT_ANONYMITY_THRESHOLD: usize = 3;

/// A RESULT indicator's score: min(100, 100 × actual / target), never below 0; `None`
/// without a positive target (the indicator is then left out).
pub fn result_score(actual: f64, target: f64) -> Option<f64> {
    (target.is_finite() && target > 0.0 && actual.is_finite())
        .then(|| (100.0 * actual / target).clamp(0.0, 100.0))
}

/// An indicator as an evaluation holds it: its weight in the template, its score (if any)
/// and whether it counts (a RESULT indicator without a target or figure does not).
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub key: String,
    pub category: IndicatorCategory,
    pub weight: f64,
    pub score: Option<f64>,
    pub counts: bool,
}

/// An evaluation's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Each indicator's weight after those left out were spread in proportion (0 for the
    /// ones left out), in the input's order.
    pub weights: Vec<f64>,
    /// Σ weight × score / 100, unrounded, once every indicator that counts is scored.
    pub total: Option<f64>,
    /// The same sum over the indicators scored so far (what the editor shows live).
    pub partial: f64,
    /// Keys of indicators that count and have no score yet.
    pub missing: Vec<String>,
    /// Per category: Σ weight × score / Σ weight over its indicators that count, once all
    /// of them are scored; `None` for a category with none that counts.
    pub categories: Vec<(IndicatorCategory, Option<f64>)>,
}

/// Computes an evaluation's total: indicators that do not count are left out and the
/// weights of the others rescaled to 100 in proportion.
pub fn compute(indicators: &[Scored]) -> Outcome {
    let counting: f64 = indicators
        .iter()
        .filter(|i| i.counts)
        .map(|i| i.weight)
        .sum();
    let weights: Vec<f64> = indicators
        .iter()
        .map(|i| {
            if i.counts && counting > 0.0 {
                i.weight * 100.0 / counting
            } else {
                0.0
            }
        })
        .collect();
    let mut partial = 0.0;
    let mut missing = Vec::new();
    for (i, w) in indicators.iter().zip(&weights) {
        if !i.counts {
            continue;
        }
        match i.score {
            Some(s) => partial += w * s / 100.0,
            None => missing.push(i.key.clone()),
        }
    }
    let total = (missing.is_empty() && counting > 0.0).then_some(partial);
    let categories = IndicatorCategory::ALL
        .into_iter()
        .map(|c| {
            let of: Vec<&Scored> = indicators
                .iter()
                .filter(|i| i.category == c && i.counts)
                .collect();
            let w: f64 = of.iter().map(|i| i.weight).sum();
            let score = if of.is_empty() || w <= 0.0 || of.iter().any(|i| i.score.is_none()) {
                None
            } else {
                Some(
                    of.iter()
                        .map(|i| i.weight * i.score.unwrap_or(0.0))
                        .sum::<f64>()
                        / w,
                )
            };
            (c, score)
        })
        .collect();
    Outcome {
        weights,
        total,
        partial,
        missing,
        categories,
    }
}

/// One 360° group's part.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupScore {
    pub group: EvaluatorGroup,
    /// The weight it carries after groups without input were left out (0 for SELF and for
    /// a group without input).
    pub weight: f64,
    /// The mean of its raters' scores.
    pub score: Option<f64>,
    pub raters: usize,
}

/// The 360° score: each group's mean, the groups without input left out and the others'
/// weights rescaled to 100; SELF is shown with weight 0. `None` when no weighted group has
/// input (only SELF, or nobody).
pub fn three_sixty(inputs: &[(EvaluatorGroup, f64)]) -> (Option<f64>, Vec<GroupScore>) {
    let groups: Vec<(EvaluatorGroup, Option<f64>, usize)> = EvaluatorGroup::ALL
        .into_iter()
        .map(|g| {
            let scores: Vec<f64> = inputs
                .iter()
                .filter(|(h, _)| *h == g)
                .map(|(_, s)| *s)
                .collect();
            let mean =
                (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
            (g, mean, scores.len())
        })
        .collect();
    let present: f64 = groups
        .iter()
        .filter(|(_, m, _)| m.is_some())
        .map(|(g, _, _)| g.nominal_weight())
        .sum();
    let out: Vec<GroupScore> = groups
        .iter()
        .map(|&(group, score, raters)| GroupScore {
            group,
            weight: if score.is_some() && present > 0.0 {
                group.nominal_weight() * 100.0 / present
            } else {
                0.0
            },
            score,
            raters,
        })
        .collect();
    let total = (present > 0.0).then(|| {
        out.iter()
            .filter_map(|g| g.score.map(|s| g.weight * s / 100.0))
            .sum()
    });
    (total, out)
}

/// Whether the person evaluated sees a group's mean on its own.
pub fn shown_to_subject(group: EvaluatorGroup, raters: usize, threshold: usize) -> bool {
    !group.anonymous() || raters >= threshold
}

/// The complaint response time a supervisor's regions are held to (hours to resolve).
pub const COMPLAINT_RESPONSE_TARGET_HOURS: f64 = 24.0;

/// A PROCESS score from a supervisor's regions' figures: visit compliance
/// min(100, 100 × visits / required), record completeness 100 × share, complaint response
/// min(100, 100 × 24 h / mean hours) (resolved at once: 100). `None`: no figure.
pub fn process_score(source: Source, value: Option<f64>) -> Option<f64> {
    let v = value.filter(|v| v.is_finite() && *v >= 0.0)?;
    match source {
        Source::VisitCompliance | Source::RecordCompleteness => Some((100.0 * v).min(100.0)),
        Source::ComplaintResponse if v <= 0.0 => Some(100.0),
        Source::ComplaintResponse => Some((100.0 * COMPLAINT_RESPONSE_TARGET_HOURS / v).min(100.0)),
        _ => None,
    }
}

/// Grade thresholds (configurable; A ≥ 90, B ≥ 80, C ≥ 60, D below by default).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradeScale {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl Default for GradeScale {
    fn default() -> Self {
        GradeScale {
            a: 90.0,
            b: 80.0,
            c: 60.0,
        }
    }
}

impl GradeScale {
    /// The grade of an unrounded total or category score.
    pub fn grade(self, score: f64) -> &'static str {
        if score >= self.a {
            "A"
        } else if score >= self.b {
            "B"
        } else if score >= self.c {
            "C"
        } else {
            "D"
        }
    }
    /// Thresholds must fall from A to C within 0–100.
    pub fn valid(self) -> bool {
        [self.a, self.b, self.c]
            .iter()
            .all(|v| v.is_finite() && (0.0..=100.0).contains(v))
            && self.a > self.b
            && self.b > self.c
    }
}

/// The rank of a grade letter (A highest), for "at least G" comparisons.
pub fn grade_rank(g: &str) -> Option<u8> {
    match g {
        "A" => Some(4),
        "B" => Some(3),
        "C" => Some(2),
        "D" => Some(1),
        _ => None,
    }
}

/// What moves an evaluation along.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The evaluator hands it in (completeness is checked).
    Submit,
    /// A director makes it final and visible to the person evaluated.
    Finalize,
    /// A director sends a submitted one back to its evaluator.
    Return,
    /// A director reopens a finalized one, with a reason: back to SUBMITTED.
    Reopen,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Submit => "SUBMIT",
            Step::Finalize => "FINALIZE",
            Step::Return => "RETURN",
            Step::Reopen => "REOPEN",
        }
    }
}

/// The status after `step`, or `None` when the step is not allowed from `from`.
pub fn next_status(from: EvaluationStatus, step: Step) -> Option<EvaluationStatus> {
    use EvaluationStatus::*;
    match (from, step) {
        (Draft, Step::Submit) => Some(Submitted),
        (Submitted, Step::Finalize) => Some(Finalized),
        (Submitted, Step::Return) => Some(Draft),
        (Finalized, Step::Reopen) => Some(Submitted),
        _ => None,
    }
}

/// The day a period's evaluation is due: a month's by the 5th of the next month, a
/// quarter's by the 10th and a year's by the 15th of the month after it.
pub fn due_on(p: Period) -> NaiveDate {
    let next = p.end_exclusive();
    let day = match p.kind {
        PeriodKind::Month => 5,
        PeriodKind::Quarter => 10,
        PeriodKind::Year => 15,
    };
    next.with_day(day).unwrap_or(next)
}

/// `d` plus `n` working days (Monday to Friday).
pub fn add_working_days(d: NaiveDate, n: u32) -> NaiveDate {
    let mut out = d;
    let mut left = n;
    while left > 0 {
        out += Duration::days(1);
        if !matches!(out.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    out
}

/// An invitation is overdue once 3 working days have passed since it was sent unanswered.
pub const INVITATION_WORKING_DAYS: u32 = 3;
/// Reminders of an evaluation's due date start this many days before it.
pub const DUE_REMINDER_DAYS: i64 = 3;

/// The first day whose invitations are not yet overdue on `today`: one sent before it,
/// unanswered, is (its answer was due 3 working days after it was sent, before today).
pub fn invitations_overdue_before(today: NaiveDate) -> NaiveDate {
    let mut d = today
        .checked_sub_days(chrono::Days::new(14))
        .unwrap_or(today);
    while d < today && add_working_days(d, INVITATION_WORKING_DAYS) < today {
        d += Duration::days(1);
    }
    d
}

/// The band (0 low, 1 middle, 2 high) of a RESULT or CAPABILITY score on the 9-box.
pub fn nine_box_band(score: f64) -> u8 {
    if score >= NINE_BOX_HIGH {
        2
    } else if score >= NINE_BOX_LOW {
        1
    } else {
        0
    }
}
/// Scores from here are "high" on the 9-box.
pub const NINE_BOX_HIGH: f64 = 85.0;
/// Scores below this are "low".
pub const NINE_BOX_LOW: f64 = 70.0;

#[cfg(test)]
mod tests {
    use super::*;
    use EvaluatorGroup::*;
    use IndicatorCategory::*;

    fn s(
        key: &str,
        category: IndicatorCategory,
        weight: f64,
        score: Option<f64>,
        counts: bool,
    ) -> Scored {
        Scored {
            key: key.into(),
            category,
            weight,
            score,
            counts,
        }
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn the_shipped_templates_are_valid() {
        for (zh, _, _, _, ind) in shipped_templates() {
            assert_eq!(validate_template(&ind), Ok(()), "{zh}");
        }
        let keys: Vec<String> = default_indicators().into_iter().map(|i| i.key).collect();
        assert_eq!(
            keys,
            [
                "sales_attainment",
                "collection_rate",
                "customer_growth",
                "satisfaction",
                "process_compliance",
                "capability_360"
            ]
        );
    }

    #[test]
    fn weights_must_sum_to_100() {
        let mut ind = default_indicators();
        ind[0].weight = 39.0;
        assert_eq!(validate_template(&ind), Err(TemplateError::Sum(99.0)));
        ind[0].weight = 39.5;
        ind[1].weight = 25.5;
        assert_eq!(validate_template(&ind), Ok(()));
        ind[0].weight = 0.0;
        assert!(matches!(
            validate_template(&ind),
            Err(TemplateError::Weight { .. })
        ));
        ind[0].weight = f64::NAN;
        assert!(matches!(
            validate_template(&ind),
            Err(TemplateError::Weight { .. })
        ));
        assert_eq!(validate_template(&[]), Err(TemplateError::Empty));
    }

    #[test]
    fn keys_names_and_sources_are_checked() {
        let mut ind = default_indicators();
        ind[1].key = "sales_attainment".into();
        assert_eq!(
            validate_template(&ind),
            Err(TemplateError::Duplicate("sales_attainment".into()))
        );
        let mut ind = default_indicators();
        ind[0].key = "Sales".into();
        assert_eq!(
            validate_template(&ind),
            Err(TemplateError::Key("Sales".into()))
        );
        let mut ind = default_indicators();
        ind[5].category = Process;
        assert!(matches!(
            validate_template(&ind),
            Err(TemplateError::Category { .. })
        ));
        let mut ind = default_indicators();
        ind[1].source = Source::SalesAttainment;
        assert_eq!(
            validate_template(&ind),
            Err(TemplateError::SourceTwice("SALES_ATTAINMENT"))
        );
        let mut ind = default_indicators();
        ind[2].name_en = " ".into();
        assert_eq!(
            validate_template(&ind),
            Err(TemplateError::Name("customer_growth".into()))
        );
    }

    #[test]
    fn result_scores_are_capped_at_100() {
        close(result_score(90.0, 100.0).unwrap_or(-1.0), 90.0);
        // 120% attainment scores 100, not 120.
        close(result_score(120.0, 100.0).unwrap_or(-1.0), 100.0);
        // Collection rate 0.9 against 0.95: 94.7368…
        close(result_score(0.9, 0.95).unwrap_or(-1.0), 1800.0 / 19.0);
        // Satisfaction 7.65 against 8.5: 90.
        close(result_score(7.65, 8.5).unwrap_or(-1.0), 90.0);
        assert_eq!(result_score(10.0, 0.0), None);
        assert_eq!(result_score(-5.0, 10.0), Some(0.0));
    }

    /// The default template, every indicator scored: 40×80 + 25×100 + 10×50 + 10×90 +
    /// 5×70 + 10×84 = 3200 + 2500 + 500 + 900 + 350 + 840 = 8290 → 82.90, grade B.
    #[test]
    fn a_full_evaluation() {
        let ind = vec![
            s("sales_attainment", Result, 40.0, Some(80.0), true),
            s("collection_rate", Result, 25.0, Some(100.0), true),
            s("customer_growth", Result, 10.0, Some(50.0), true),
            s("satisfaction", Result, 10.0, Some(90.0), true),
            s("process_compliance", Process, 5.0, Some(70.0), true),
            s("capability_360", Capability, 10.0, Some(84.0), true),
        ];
        let o = compute(&ind);
        close(o.total.unwrap_or(-1.0), 82.9);
        assert_eq!(GradeScale::default().grade(o.total.unwrap_or(0.0)), "B");
        // RESULT: (3200 + 2500 + 500 + 900) / 85 = 83.529…
        close(o.categories[0].1.unwrap_or(-1.0), 7100.0 / 85.0);
        close(o.categories[1].1.unwrap_or(-1.0), 70.0);
        close(o.categories[2].1.unwrap_or(-1.0), 84.0);
        assert!(o.missing.is_empty());
    }

    /// No new-customer target: customer growth (10) is left out and the other 90 points
    /// are scaled to 100: sales 40/90×100 = 44.44…, … Scores 80,100,–,90,70,84:
    /// (3200 + 2500 + 900 + 350 + 840) / 90 = 7790 / 90 = 86.555…
    #[test]
    fn a_result_indicator_without_target_is_left_out() {
        let ind = vec![
            s("sales_attainment", Result, 40.0, Some(80.0), true),
            s("collection_rate", Result, 25.0, Some(100.0), true),
            s("customer_growth", Result, 10.0, None, false),
            s("satisfaction", Result, 10.0, Some(90.0), true),
            s("process_compliance", Process, 5.0, Some(70.0), true),
            s("capability_360", Capability, 10.0, Some(84.0), true),
        ];
        let o = compute(&ind);
        close(o.total.unwrap_or(-1.0), 7790.0 / 90.0);
        close(o.weights[0], 400.0 / 9.0);
        close(o.weights[2], 0.0);
        close(o.weights.iter().sum::<f64>(), 100.0);
    }

    #[test]
    fn a_draft_has_a_partial_total_and_says_what_is_missing() {
        let ind = vec![
            s("sales_attainment", Result, 40.0, Some(100.0), true),
            s("process_compliance", Process, 60.0, None, true),
        ];
        let o = compute(&ind);
        assert_eq!(o.total, None);
        close(o.partial, 40.0);
        assert_eq!(o.missing, vec!["process_compliance".to_owned()]);
        assert_eq!(o.categories[1].1, None);
        assert_eq!(o.categories[2].1, None);
    }

    /// 79.999… is C's side of the B boundary: grades are decided on the unrounded total
    /// (shown as 80.00 with two decimals).
    #[test]
    fn the_grade_boundary_just_under_80() {
        let g = GradeScale::default();
        assert_eq!(g.grade(79.995), "C");
        assert_eq!(g.grade(80.0), "B");
        assert_eq!(g.grade(89.9999), "B");
        assert_eq!(g.grade(90.0), "A");
        assert_eq!(g.grade(59.99), "D");
        // 40×79 + 60×80.99 = 3160 + 4859.4 = 8019.4 → 80.194: B; 60×80.98 → 80.188: B;
        // with 79.98 instead: 3160 + 4798.8 = 7958.8 → 79.588: C.
        let o = compute(&[
            s("a", Result, 40.0, Some(79.0), true),
            s("b", Process, 60.0, Some(79.98), true),
        ]);
        close(o.total.unwrap_or(-1.0), 79.588);
        assert_eq!(g.grade(o.total.unwrap_or(0.0)), "C");
        let custom = GradeScale {
            a: 95.0,
            b: 85.0,
            c: 70.0,
        };
        assert_eq!(custom.grade(90.0), "B");
        assert!(custom.valid());
        assert!(
            !GradeScale {
                a: 80.0,
                b: 85.0,
                c: 70.0
            }
            .valid()
        );
    }

    /// Superior 80, 90 (mean 85); peers 70, 80, 90 (80); customers 60 (60): 60%×85 +
    /// 20%×80 + 20%×60 = 51 + 16 + 12 = 79. SELF 100 is shown and weighs nothing.
    #[test]
    fn full_360() {
        let (t, g) = three_sixty(&[
            (Superior, 80.0),
            (Superior, 90.0),
            (Peer, 70.0),
            (Peer, 80.0),
            (Peer, 90.0),
            (Customer, 60.0),
            (SelfReview, 100.0),
        ]);
        close(t.unwrap_or(-1.0), 79.0);
        assert_eq!(
            g[0],
            GroupScore {
                group: Superior,
                weight: 60.0,
                score: Some(85.0),
                raters: 2
            }
        );
        assert_eq!(
            g[3],
            GroupScore {
                group: SelfReview,
                weight: 0.0,
                score: Some(100.0),
                raters: 1
            }
        );
        assert!(shown_to_subject(Peer, 3, DEFAULT_ANONYMITY_THRESHOLD));
        assert!(!shown_to_subject(Customer, 1, DEFAULT_ANONYMITY_THRESHOLD));
        assert!(shown_to_subject(Superior, 1, DEFAULT_ANONYMITY_THRESHOLD));
    }

    /// No customer input: superior 60 and peer 20 rescale to 75 and 25: 75%×85 + 25%×80 =
    /// 63.75 + 20 = 83.75.
    #[test]
    fn a_group_missing_is_rescaled() {
        let (t, g) = three_sixty(&[(Superior, 85.0), (Peer, 80.0)]);
        close(t.unwrap_or(-1.0), 83.75);
        close(g[0].weight, 75.0);
        close(g[1].weight, 25.0);
        close(g[2].weight, 0.0);
        assert_eq!(g[2].raters, 0);
    }

    #[test]
    fn only_self_input_gives_no_360_score() {
        let (t, g) = three_sixty(&[(SelfReview, 95.0)]);
        assert_eq!(t, None);
        assert_eq!(g[3].score, Some(95.0));
        assert!(g.iter().all(|g| g.weight == 0.0));
        assert_eq!(three_sixty(&[]).0, None);
    }

    /// A supervisor's annual template with the 360° indicator and complaint response left
    /// out (only SELF input; no complaint resolved): RESULT 35×100 + 15×80 + 10×60 + 10×90
    /// = 6200; PROCESS visits 3×90 + records 2×50 + team 2×75 + training attended 1×100 =
    /// 270 + 100 + 150 + 100 = 620 over 8 → 77.5; CAPABILITY training results 5×80 = 400
    /// over 5 → 80; 7220 over 83 counting → 86.987…
    #[test]
    fn a_supervisors_evaluation() {
        let t = &shipped_templates()[3];
        assert_eq!(t.2, SubjectKind::Supervisor);
        let scores = [
            Some(100.0),
            Some(80.0),
            Some(60.0),
            Some(90.0),
            Some(90.0),
            Some(50.0),
            None,
            Some(75.0),
            Some(100.0),
            None,
            Some(80.0),
        ];
        assert_eq!(t.4.len(), scores.len());
        let ind: Vec<Scored> =
            t.4.iter()
                .zip(scores)
                .map(|(i, sc)| s(&i.key, i.category, i.weight, sc, sc.is_some()))
                .collect();
        let o = compute(&ind);
        close(o.total.unwrap_or(-1.0), 7220.0 / 83.0);
        assert_eq!(o.categories[1].1, Some(77.5));
        assert_eq!(o.categories[2].1, Some(80.0));
    }

    /// Hand-computed: 45 visits of 50 required → 90; 0.8 complete → 80; complaints resolved
    /// in 36 h on average → 100 × 24 / 36 = 66.67; in 12 h → capped 100; none → no score.
    #[test]
    fn a_supervisors_process_scores_from_data() {
        close(
            process_score(Source::VisitCompliance, Some(45.0 / 50.0)).unwrap_or(-1.0),
            90.0,
        );
        close(
            process_score(Source::VisitCompliance, Some(1.3)).unwrap_or(-1.0),
            100.0,
        );
        close(
            process_score(Source::RecordCompleteness, Some(0.8)).unwrap_or(-1.0),
            80.0,
        );
        close(
            process_score(Source::ComplaintResponse, Some(36.0)).unwrap_or(-1.0),
            200.0 / 3.0,
        );
        close(
            process_score(Source::ComplaintResponse, Some(12.0)).unwrap_or(-1.0),
            100.0,
        );
        close(
            process_score(Source::ComplaintResponse, Some(0.0)).unwrap_or(-1.0),
            100.0,
        );
        assert_eq!(process_score(Source::ComplaintResponse, None), None);
        assert_eq!(process_score(Source::VisitCompliance, Some(f64::NAN)), None);
        assert_eq!(process_score(Source::Manual, Some(1.0)), None);
        for s in [
            Source::VisitCompliance,
            Source::RecordCompleteness,
            Source::ComplaintResponse,
        ] {
            assert_eq!(s.category(), Some(Process));
        }
    }

    /// Sent Monday 2026-11-23: due Thursday 26th, overdue from Friday 27th. On Friday the
    /// 27th, invitations before Tuesday 24th are overdue; on Monday 30th, those before
    /// Wednesday 25th (sent Tuesday: due Friday the 27th).
    #[test]
    fn invitations_overdue_after_three_working_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or(NaiveDate::MIN);
        assert_eq!(invitations_overdue_before(d(11, 27)), d(11, 24));
        assert_eq!(invitations_overdue_before(d(11, 30)), d(11, 25));
        assert_eq!(invitations_overdue_before(d(11, 26)), d(11, 23));
    }

    #[test]
    fn the_workflow() {
        use EvaluationStatus::*;
        assert_eq!(next_status(Draft, Step::Submit), Some(Submitted));
        assert_eq!(next_status(Draft, Step::Finalize), None);
        assert_eq!(next_status(Submitted, Step::Finalize), Some(Finalized));
        assert_eq!(next_status(Submitted, Step::Return), Some(Draft));
        assert_eq!(next_status(Finalized, Step::Reopen), Some(Submitted));
        assert_eq!(next_status(Finalized, Step::Submit), None);
        assert_eq!(next_status(Draft, Step::Reopen), None);
    }

    #[test]
    fn due_days_and_working_days() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
        assert_eq!(due_on(Period::month(2026, 11)), d(2026, 12, 5));
        assert_eq!(due_on(Period::month(2026, 12)), d(2027, 1, 5));
        assert_eq!(due_on(Period::quarter(2026, 3)), d(2026, 10, 10));
        assert_eq!(due_on(Period::year(2026)), d(2027, 1, 15));
        // Thursday 2026-12-03 + 3 working days = Tuesday 12-08.
        assert_eq!(add_working_days(d(2026, 12, 3), 3), d(2026, 12, 8));
        // Saturday + 1 = Monday.
        assert_eq!(add_working_days(d(2026, 12, 5), 1), d(2026, 12, 7));
    }

    #[test]
    fn nine_box_bands_and_grade_ranks() {
        assert_eq!(nine_box_band(69.99), 0);
        assert_eq!(nine_box_band(70.0), 1);
        assert_eq!(nine_box_band(85.0), 2);
        assert!(grade_rank("A") > grade_rank("B"));
        assert_eq!(grade_rank("E"), None);
    }
}
