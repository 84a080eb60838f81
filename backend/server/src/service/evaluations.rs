//! Evaluations (评估): templates, cycles, evaluations with their own copy of the template's
//! indicators, RESULT indicators filled from the scorecard, 360° input by invitation (a
//! user, or a customer through a one-time link), the workflow and calibration. Rules are
//! `dudao_domain::evaluation`; reads go through `scope::evaluations`.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use dudao_domain::evaluation::{
    self as rules, EvaluationStatus, EvaluatorGroup, GradeScale, Indicator, IndicatorCategory,
    Source, Step, SubjectKind,
};
use dudao_domain::{Action, Capability, Period, PeriodKind, Resource, Role, Viewer};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Set, Statement,
};
use serde::{Deserialize, Serialize};

use super::page::{self, Page, PageArgs};
use super::scorecard::{self, Scope};
use super::{audit, find_visible, optional_text, require, required_text, scope};
use crate::entity::{
    Stored, action_item, evaluation, evaluation_cycle, evaluation_event, evaluation_indicator,
    evaluation_invitation, evaluation_template, rep, supervisor_region, user,
};
use crate::error::{AppError, AppResult};

/// Longest feedback text (each of fact, impact, expectation, strengths, improvements).
const TEXT_MAX: usize = 4000;
/// How long a customer's one-time link to a 360° form stays valid.
pub const CUSTOMER_LINK_DAYS: i64 = 14;

/// An indicator as a template stores it (JSON).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredIndicator {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub category: String,
    pub weight: f64,
    pub source: String,
}

fn code_of<T: dudao_domain::Code>(s: &str) -> AppResult<T> {
    T::from_code(s).ok_or_else(|| {
        AppError::BadInput(format!("{}: 未知的值 {s:?} / unknown value {s:?}", T::WHAT))
    })
}

impl StoredIndicator {
    fn of(i: &Indicator) -> Self {
        StoredIndicator {
            key: i.key.clone(),
            name_zh: i.name_zh.clone(),
            name_en: i.name_en.clone(),
            category: i.category.as_str().into(),
            weight: i.weight,
            source: i.source.as_str().into(),
        }
    }
    fn rule(&self) -> AppResult<Indicator> {
        Ok(Indicator {
            key: self.key.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            category: code_of(&self.category)?,
            weight: self.weight,
            source: code_of(&self.source)?,
        })
    }
}

/// A template's indicators, as rules.
pub fn indicators_of(t: &evaluation_template::Model) -> AppResult<Vec<Indicator>> {
    let stored: Vec<StoredIndicator> = serde_json::from_str(&t.indicators)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template {}: {e}", t.id)))?;
    stored.iter().map(StoredIndicator::rule).collect()
}

/// Puts the shipped templates in place when there are none (at start and by the seeds),
/// and keeps the shipped ones nobody has edited (version 1, same names and kinds) equal to
/// what this release ships: a release that adds indicators (a supervisor's PROCESS from
/// data) reaches existing databases, while a template a director changed is theirs. Servers
/// starting together write the same values.
pub async fn ensure_templates<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    let existing = evaluation_template::Entity::find().all(db).await?;
    let now = Utc::now();
    for (zh, en, subject, period, ind) in rules::shipped_templates() {
        let json: Vec<StoredIndicator> = ind.iter().map(StoredIndicator::of).collect();
        let json = serde_json::to_string(&json)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("shipped template {zh}: {e}")))?;
        if existing.is_empty() {
            evaluation_template::ActiveModel {
                name_zh: Set(zh.into()),
                name_en: Set(en.into()),
                subject_kind: Set(Stored(subject)),
                period_kind: Set(Stored(period)),
                indicators: Set(json),
                active: Set(true),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            continue;
        }
        let unedited = existing.iter().find(|t| {
            t.version == 1
                && t.name_zh == zh
                && t.subject_kind.0 == subject
                && t.period_kind.0 == period
        });
        if let Some(t) = unedited
            && t.indicators != json
        {
            evaluation_template::Entity::update_many()
                .col_expr(evaluation_template::Column::Indicators, Expr::value(json))
                .col_expr(evaluation_template::Column::NameEn, Expr::value(en))
                .col_expr(evaluation_template::Column::UpdatedAt, Expr::value(now))
                .filter(evaluation_template::Column::Id.eq(t.id))
                .filter(evaluation_template::Column::Version.eq(1))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Templates, active ones first, optionally of one subject and period kind.
pub async fn templates<C: ConnectionTrait>(
    db: &C,
    subject: Option<SubjectKind>,
    period: Option<PeriodKind>,
    include_inactive: bool,
) -> AppResult<Vec<evaluation_template::Model>> {
    let mut q = evaluation_template::Entity::find();
    if let Some(s) = subject {
        q = q.filter(evaluation_template::Column::SubjectKind.eq(Stored(s)));
    }
    if let Some(p) = period {
        q = q.filter(evaluation_template::Column::PeriodKind.eq(Stored(p)));
    }
    if !include_inactive {
        q = q.filter(evaluation_template::Column::Active.eq(true));
    }
    Ok(q.order_by_desc(evaluation_template::Column::Active)
        .order_by_asc(evaluation_template::Column::Id)
        .all(db)
        .await?)
}

pub struct TemplateInput {
    pub id: Option<i32>,
    pub version: Option<i32>,
    pub name_zh: String,
    pub name_en: String,
    pub subject_kind: SubjectKind,
    pub period_kind: PeriodKind,
    pub indicators: Vec<Indicator>,
    pub active: bool,
}

/// Creates a template or changes one under its version. Weights must sum to 100.
/// Evaluations already made keep their own copy of the indicators. DIRECTOR; audited.
pub async fn save_template(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: TemplateInput,
) -> AppResult<evaluation_template::Model> {
    require(viewer, Action::Update, Resource::EvaluationSetup)?;
    let mut ind = input.indicators;
    for i in &mut ind {
        i.key = i.key.trim().to_owned();
        i.name_zh = optional_text("nameZh", Some(i.name_zh.clone()), 80)?.unwrap_or_default();
        i.name_en = optional_text("nameEn", Some(i.name_en.clone()), 80)?.unwrap_or_default();
    }
    rules::validate_template(&ind).map_err(|e| AppError::BadInput(e.to_string()))?;
    let name = |f: &'static str, v: String| -> AppResult<String> { required_text(f, v, 80) };
    let name_zh = name("nameZh", input.name_zh)?;
    let name_en = name("nameEn", input.name_en)?;
    let json: Vec<StoredIndicator> = ind.iter().map(StoredIndicator::of).collect();
    let json = serde_json::to_string(&json).map_err(|e| AppError::Internal(e.into()))?;
    let now = Utc::now();
    let txn = crate::db::write_txn(db).await?;
    let after = match input.id {
        Some(id) => {
            let before = evaluation_template::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or_else(|| {
                    AppError::NotFound(format!("template {id} 不存在 / does not exist"))
                })?;
            let version = input.version.ok_or_else(|| {
                AppError::BadInput(
                    "version: 修改模板需要版本号 / needed to change a template".into(),
                )
            })?;
            let changes = evaluation_template::ActiveModel {
                name_zh: Set(name_zh),
                name_en: Set(name_en),
                subject_kind: Set(Stored(input.subject_kind)),
                period_kind: Set(Stored(input.period_kind)),
                indicators: Set(json),
                active: Set(input.active),
                version: Set(version + 1),
                updated_at: Set(now),
                ..Default::default()
            };
            super::save_versioned(
                &txn,
                viewer,
                "evaluation template",
                (
                    evaluation_template::Column::Id,
                    evaluation_template::Column::Version,
                ),
                &before,
                id,
                version,
                changes,
            )
            .await?
        }
        None => {
            let m = evaluation_template::ActiveModel {
                name_zh: Set(name_zh),
                name_en: Set(name_en),
                subject_kind: Set(Stored(input.subject_kind)),
                period_kind: Set(Stored(input.period_kind)),
                indicators: Set(json),
                active: Set(input.active),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                Some(viewer.user_id),
                "create",
                "evaluation template",
                m.id,
                None::<&()>,
                Some(&m),
            )
            .await?;
            m
        }
    };
    txn.commit().await?;
    Ok(after)
}

/// Grade thresholds (settings `evaluation.grade_a|b|c`, default 90/80/60) and the
/// anonymity threshold (`evaluation.anonymity`, default 3).
pub async fn grade_scale<C: ConnectionTrait>(db: &C) -> AppResult<(GradeScale, usize)> {
    let all = super::settings::with_prefix(db, "evaluation.").await?;
    let mut g = GradeScale::default();
    let mut anon = rules::DEFAULT_ANONYMITY_THRESHOLD;
    for (k, v) in all {
        match k.as_str() {
            "evaluation.grade_a" => g.a = v.parse().unwrap_or(g.a),
            "evaluation.grade_b" => g.b = v.parse().unwrap_or(g.b),
            "evaluation.grade_c" => g.c = v.parse().unwrap_or(g.c),
            "evaluation.anonymity" => anon = v.parse().unwrap_or(anon),
            _ => {}
        }
    }
    if !g.valid() {
        g = GradeScale::default();
    }
    Ok((g, anon))
}

/// Sets the grade thresholds. DIRECTOR; audited through the settings.
pub async fn set_grade_scale(
    db: &DatabaseConnection,
    viewer: &Viewer,
    g: GradeScale,
    anonymity: usize,
) -> AppResult<()> {
    require(viewer, Action::Update, Resource::EvaluationSetup)?;
    if !g.valid() {
        return Err(AppError::BadInput(
            "grades: 应满足 100 ≥ A > B > C ≥ 0 / must satisfy 100 ≥ A > B > C ≥ 0".into(),
        ));
    }
    if !(1..=20).contains(&anonymity) {
        return Err(AppError::BadInput(
            "anonymityThreshold: 应在 1 到 20 之间 / must be between 1 and 20".into(),
        ));
    }
    super::settings::put(
        db,
        viewer,
        &[
            ("evaluation.grade_a", g.a.to_string()),
            ("evaluation.grade_b", g.b.to_string()),
            ("evaluation.grade_c", g.c.to_string()),
            ("evaluation.anonymity", anonymity.to_string()),
        ],
    )
    .await
}

#[derive(Clone, Debug, Default)]
pub struct EvaluationFilter {
    pub status: Option<EvaluationStatus>,
    pub period_kind: Option<PeriodKind>,
    pub period: Option<Period>,
    pub subject_kind: Option<SubjectKind>,
    pub subject_id: Option<i32>,
    pub region_id: Option<i32>,
    pub evaluator_id: Option<i32>,
    pub cycle_id: Option<i32>,
    /// Not finalized after its due day.
    pub overdue: bool,
}

/// Evaluations the viewer may read, newest period first.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: EvaluationFilter,
    args: PageArgs,
) -> AppResult<Page<evaluation::Model>> {
    let mut q = evaluation::Entity::find().filter(scope::evaluations(viewer));
    if let Some(s) = f.status {
        q = q.filter(evaluation::Column::Status.eq(Stored(s)));
    }
    if let Some(k) = f.period_kind {
        q = q.filter(evaluation::Column::PeriodKind.eq(Stored(k)));
    }
    if let Some(p) = f.period {
        q = q
            .filter(evaluation::Column::PeriodKind.eq(Stored(p.kind)))
            .filter(evaluation::Column::PeriodStart.eq(p.start()));
    }
    match f.subject_kind {
        Some(SubjectKind::Rep) => q = q.filter(evaluation::Column::RepId.is_not_null()),
        Some(SubjectKind::Supervisor) => q = q.filter(evaluation::Column::RepId.is_null()),
        None => {}
    }
    if let Some(s) = f.subject_id {
        q = q.filter(evaluation::Column::SubjectId.eq(s));
    }
    if let Some(r) = f.region_id {
        q = q.filter(
            evaluation::Column::RepId.in_subquery(
                Query::select()
                    .column(rep::Column::Id)
                    .from(rep::Entity)
                    .and_where(rep::Column::RegionId.eq(r))
                    .take(),
            ),
        );
    }
    if let Some(e) = f.evaluator_id {
        q = q.filter(evaluation::Column::EvaluatorId.eq(e));
    }
    if let Some(c) = f.cycle_id {
        q = q.filter(evaluation::Column::CycleId.eq(c));
    }
    if f.overdue {
        q = q
            .filter(evaluation::Column::Status.ne(Stored(EvaluationStatus::Finalized)))
            .filter(evaluation::Column::DueOn.lt(crate::clock::today()));
    }
    let q = q
        .order_by_desc(evaluation::Column::PeriodStart)
        .order_by_asc(evaluation::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i32,
) -> AppResult<evaluation::Model> {
    find_visible::<evaluation::Entity, _>(db, id, scope::evaluations(viewer), "evaluation").await
}

/// Whether the viewer may change an evaluation's scores, feedback and invitations: a
/// director, or for a rep's evaluation its evaluator and the supervisor of the rep's
/// region (read through the row filter before this is asked). Never the subject.
fn may_edit(viewer: &Viewer, e: &evaluation::Model, rep_visible: bool) -> bool {
    if e.subject_id == viewer.user_id {
        return false;
    }
    viewer.can(Capability::FinalizeEvaluations)
        || (viewer.role == Role::Supervisor
            && e.rep_id.is_some()
            && (e.evaluator_id == viewer.user_id || rep_visible))
}

async fn editable(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<evaluation::Model> {
    require(viewer, Action::Update, Resource::Evaluation)?;
    let e = get(db, viewer, id).await?;
    let rep_visible = match e.rep_id {
        Some(r) => rep::Entity::find_by_id(r)
            .filter(scope::reps(viewer))
            .one(db)
            .await?
            .is_some(),
        None => false,
    };
    if !may_edit(viewer, &e, rep_visible) {
        return Err(AppError::forbidden());
    }
    Ok(e)
}

fn draft_only(e: &evaluation::Model) -> AppResult<()> {
    if e.status.0 != EvaluationStatus::Draft {
        return Err(AppError::Conflict(format!(
            "评估已{}，不能再修改 / the evaluation is {} and can no longer be changed",
            status_zh(e.status.0),
            e.status.0.as_str()
        )));
    }
    Ok(())
}

fn status_zh(s: EvaluationStatus) -> &'static str {
    match s {
        EvaluationStatus::Draft => "为草稿",
        EvaluationStatus::Submitted => "提交",
        EvaluationStatus::Finalized => "定稿",
    }
}

/// Who is evaluated: a rep (with their rep record) or a supervisor.
struct Subject {
    user: user::Model,
    rep: Option<rep::Model>,
}

impl Subject {
    fn kind(&self) -> SubjectKind {
        if self.rep.is_some() {
            SubjectKind::Rep
        } else {
            SubjectKind::Supervisor
        }
    }
}

async fn subject<C: ConnectionTrait>(db: &C, viewer: &Viewer, user_id: i32) -> AppResult<Subject> {
    let u = user::Entity::find_by_id(user_id)
        .filter(scope::users(viewer))
        .one(db)
        .await?;
    let Some(u) = u else {
        return Err(match user::Entity::find_by_id(user_id).one(db).await? {
            Some(_) => AppError::forbidden(),
            None => AppError::NotFound(format!("user {user_id} 不存在 / does not exist")),
        });
    };
    match u.role.0 {
        Role::Rep => {
            let r = rep::Entity::find()
                .filter(rep::Column::UserId.eq(u.id))
                .filter(scope::reps(viewer))
                .one(db)
                .await?
                .ok_or_else(|| {
                    AppError::BadInput(
                        "subjectId: 该用户没有代表档案 / this user has no rep record".into(),
                    )
                })?;
            Ok(Subject {
                user: u,
                rep: Some(r),
            })
        }
        Role::Supervisor => {
            if !viewer.can(Capability::FinalizeEvaluations) {
                return Err(AppError::forbidden());
            }
            Ok(Subject { user: u, rep: None })
        }
        _ => Err(AppError::BadInput(
            "subjectId: 只评估代表和督导 / only reps and supervisors are evaluated".into(),
        )),
    }
}

/// The figures a subject's RESULT indicators are filled from: the rep's, or the
/// supervisor's regions' (several regions summed; rates weighted by their amounts).
struct ResultFigures {
    sales: i64,
    target: Option<i64>,
    collection_rate: Option<f64>,
    new_customers: i64,
    new_target: Option<i64>,
    satisfaction: Option<f64>,
    /// PROCESS figures of the same scope: visits / visits required, share of visits
    /// recorded completely, mean hours to resolve a complaint.
    visit_compliance: Option<f64>,
    record_completeness: Option<f64>,
    complaint_hours: Option<f64>,
    /// The person's own training in the period (`service::training::of_person`).
    training: super::training::PersonTraining,
    /// Why there are none (a supervisor without regions).
    none: Option<&'static str>,
}

async fn result_figures<C: ConnectionTrait>(
    db: &C,
    subject_id: i32,
    rep_id: Option<i32>,
    p: Period,
    with_process: bool,
) -> AppResult<ResultFigures> {
    let scopes: Vec<Scope> = match rep_id {
        Some(r) => vec![Scope::Rep(r)],
        None => supervisor_region::Entity::find()
            .filter(supervisor_region::Column::SupervisorId.eq(subject_id))
            .order_by_asc(supervisor_region::Column::RegionId)
            .all(db)
            .await?
            .into_iter()
            .map(|s| Scope::Region(s.region_id))
            .collect(),
    };
    let mut out = ResultFigures {
        sales: 0,
        target: Some(0),
        collection_rate: None,
        new_customers: 0,
        new_target: Some(0),
        satisfaction: None,
        visit_compliance: None,
        record_completeness: None,
        complaint_hours: None,
        training: super::training::of_person(db, subject_id, p).await?,
        none: None,
    };
    if scopes.is_empty() {
        out.target = None;
        out.new_target = None;
        out.none = Some("没有负责的区域 / no regions assigned");
        return Ok(out);
    }
    // Sums, not rates: a supervisor's regions combine exactly (Σ collected / Σ due,
    // Σ scores / Σ surveys), whatever their sizes.
    let (mut collected, mut due) = (0i64, 0i64);
    let (mut score_sum, mut surveys) = (0i64, 0i64);
    let (mut visits, mut required, mut complete) = (0i64, 0.0f64, 0.0f64);
    let (mut hours, mut resolved) = (0.0f64, 0i64);
    for s in scopes {
        if with_process {
            let a = super::activity::figures(db, s, p).await?;
            visits += a.visits;
            required += a.visits_required;
            complete += a.record_completeness.unwrap_or(0.0) * a.visits as f64;
            if let Some(h) = a.complaint_response_hours {
                hours += h * a.complaints_resolved as f64;
                resolved += a.complaints_resolved;
            }
        }
        let f = scorecard::figures(db, s, p).await?;
        out.sales = out.sales.saturating_add(f.sales_cents);
        out.target = match (out.target, f.target_cents) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
        out.new_customers += f.new_customers;
        out.new_target = match (out.new_target, f.new_customers_target) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
        collected = collected.saturating_add(f.collected_cents);
        due = due.saturating_add(f.due_cents);
        score_sum += f.survey_score_sum;
        surveys += f.survey_count;
    }
    out.collection_rate = (due > 0).then(|| collected as f64 / due as f64);
    out.satisfaction = (surveys > 0).then(|| score_sum as f64 / surveys as f64);
    out.visit_compliance = (required > 0.0).then(|| visits as f64 / required);
    out.record_completeness = (visits > 0).then(|| complete / visits as f64);
    out.complaint_hours = (resolved > 0).then(|| hours / resolved as f64);
    Ok(out)
}

use dudao_domain::training as rules_training;

fn yuan(cents: i64) -> String {
    let whole = (cents / 100).unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}¥{grouped}", if cents < 0 { "-" } else { "" })
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// Fills one RESULT indicator: (score, counts, actual, target, note).
fn fill(
    source: Source,
    f: &ResultFigures,
) -> (
    Option<f64>,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    if let Some(why) = f.none {
        return (None, false, None, None, Some(why.into()));
    }
    let left_out =
        |actual: Option<String>, why: &str| (None, false, actual, None, Some(why.to_owned()));
    match source {
        Source::SalesAttainment => match f.target {
            Some(t) if t > 0 => (
                rules::result_score(f.sales as f64, t as f64),
                true,
                Some(yuan(f.sales)),
                Some(yuan(t)),
                None,
            ),
            _ => left_out(
                Some(yuan(f.sales)),
                "没有销售目标，不计入 / no sales target: left out",
            ),
        },
        Source::CollectionRate => match f.collection_rate {
            Some(r) => (
                rules::result_score(r, rules::DEFAULT_COLLECTION_RATE_TARGET),
                true,
                Some(pct(r)),
                Some(pct(rules::DEFAULT_COLLECTION_RATE_TARGET)),
                None,
            ),
            None => left_out(
                None,
                "本期没有应收款，不计入 / nothing was due in the period: left out",
            ),
        },
        Source::NewCustomers => match f.new_target {
            Some(t) if t > 0 => (
                rules::result_score(f.new_customers as f64, t as f64),
                true,
                Some(f.new_customers.to_string()),
                Some(t.to_string()),
                None,
            ),
            _ => left_out(
                Some(f.new_customers.to_string()),
                "没有新客户目标，不计入 / no new-customer target: left out",
            ),
        },
        Source::Satisfaction => match f.satisfaction {
            Some(s) => (
                rules::result_score(s, rules::SATISFACTION_THRESHOLD),
                true,
                Some(format!("{s:.2}")),
                Some(format!("{:.1}", rules::SATISFACTION_THRESHOLD)),
                None,
            ),
            None => left_out(
                None,
                "本期没有满意度调查，不计入 / no surveys in the period: left out",
            ),
        },
        Source::VisitCompliance => match f.visit_compliance {
            Some(v) => (
                rules::process_score(source, Some(v)),
                true,
                Some(pct(v)),
                Some(pct(1.0)),
                None,
            ),
            None => left_out(
                None,
                "本期没有拜访要求，不计入 / no visits were required in the period: left out",
            ),
        },
        Source::RecordCompleteness => match f.record_completeness {
            Some(v) => (
                rules::process_score(source, Some(v)),
                true,
                Some(pct(v)),
                Some(pct(1.0)),
                None,
            ),
            None => left_out(
                None,
                "本期没有拜访记录，不计入 / no visits in the period: left out",
            ),
        },
        Source::ComplaintResponse => match f.complaint_hours {
            Some(h) => (
                rules::process_score(source, Some(h)),
                true,
                Some(format!("{h:.1} h")),
                Some(format!("{:.0} h", rules::COMPLAINT_RESPONSE_TARGET_HOURS)),
                None,
            ),
            None => left_out(
                None,
                "本期没有解决的投诉，不计入 / no complaint resolved in the period: left out",
            ),
        },
        Source::TrainingAttendance => {
            let t = &f.training;
            match rules_training::attendance_score(t.invited, t.attended) {
                Some(score) => (
                    Some(score),
                    true,
                    Some(format!("{}/{}", t.attended, t.invited)),
                    None,
                    None,
                ),
                None => left_out(
                    None,
                    "本期没有受邀的培训，不计入 / no training invitations in the period: left out",
                ),
            }
        }
        Source::TrainingResults => {
            let t = &f.training;
            match rules_training::results_score(t.tested, t.post_sum.unwrap_or(0.0)) {
                Some(score) => (Some(score), true, Some(format!("{score:.1}")), None, None),
                None => left_out(
                    None,
                    "本期没有培训考核成绩，不计入 / no training test results in the period: left out",
                ),
            }
        }
        Source::Manual | Source::ThreeSixty => (None, true, None, None, None),
    }
}

fn period_of(e: &evaluation::Model) -> Period {
    Period::containing(e.period_kind.0, e.period_start)
}

/// The 360° inputs answered so far.
async fn inputs<C: ConnectionTrait>(
    db: &C,
    evaluation_id: i32,
) -> AppResult<Vec<(EvaluatorGroup, f64)>> {
    Ok(evaluation_invitation::Entity::find()
        .filter(evaluation_invitation::Column::EvaluationId.eq(evaluation_id))
        .filter(evaluation_invitation::Column::Score.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|i| i.score.map(|s| (i.rater_group.0, s)))
        .collect())
}

/// Recomputes an evaluation from its indicators and inputs: the 360° score, total, grade,
/// category scores and notes, and with `refill` the RESULT figures again (when it is
/// made, submitted or sent back: scoring one indicator does not move the figures). Call
/// in the writing transaction, after the change.
pub(crate) async fn recompute<C: ConnectionTrait>(
    db: &C,
    e: &evaluation::Model,
    refill: bool,
) -> AppResult<()> {
    let mut ind = evaluation_indicator::Entity::find()
        .filter(evaluation_indicator::Column::EvaluationId.eq(e.id))
        .order_by_asc(evaluation_indicator::Column::Position)
        .all(db)
        .await?;
    let draft = e.status.0 == EvaluationStatus::Draft;
    let from_data = |s: Source| !matches!(s, Source::Manual | Source::ThreeSixty);
    let process = |s: Source| s.category() == Some(IndicatorCategory::Process);
    let figures = if refill && draft && ind.iter().any(|i| from_data(i.source.0)) {
        let with_process = ind.iter().any(|i| process(i.source.0));
        Some(result_figures(db, e.subject_id, e.rep_id, period_of(e), with_process).await?)
    } else {
        None
    };
    let (three60, groups) = rules::three_sixty(&inputs(db, e.id).await?);
    let mut notes: Vec<String> = Vec::new();
    for i in &mut ind {
        let before = (
            i.score,
            i.counts,
            i.actual.clone(),
            i.target.clone(),
            i.note.clone(),
        );
        match i.source.0 {
            Source::ThreeSixty => {
                i.score = three60;
                i.counts = three60.is_some();
                i.note = if three60.is_none() {
                    Some("还没有上级、同事或客户的 360° 评价，不计入 / no 360° input from a superior, peer or customer yet: left out".into())
                } else {
                    let missing: Vec<&str> = groups
                        .iter()
                        .filter(|g| g.group != EvaluatorGroup::SelfReview && g.score.is_none())
                        .map(|g| g.group.as_str())
                        .collect();
                    (!missing.is_empty()).then(|| {
                        format!(
                            "360°：{} 组没有评价，其余权重按比例放大 / 360°: no input from {}, the other groups' weights rescaled",
                            missing.join("、"),
                            missing.join(", ")
                        )
                    })
                };
            }
            Source::Manual => {}
            s => {
                if let Some(f) = &figures {
                    let (score, counts, actual, target, note) = fill(s, f);
                    i.score = score;
                    i.counts = counts;
                    i.actual = actual;
                    i.target = target;
                    i.note = note;
                }
            }
        }
        if before
            != (
                i.score,
                i.counts,
                i.actual.clone(),
                i.target.clone(),
                i.note.clone(),
            )
        {
            evaluation_indicator::Entity::update_many()
                .col_expr(evaluation_indicator::Column::Score, Expr::value(i.score))
                .col_expr(evaluation_indicator::Column::Counts, Expr::value(i.counts))
                .col_expr(
                    evaluation_indicator::Column::Actual,
                    Expr::value(i.actual.clone()),
                )
                .col_expr(
                    evaluation_indicator::Column::Target,
                    Expr::value(i.target.clone()),
                )
                .col_expr(
                    evaluation_indicator::Column::Note,
                    Expr::value(i.note.clone()),
                )
                .filter(evaluation_indicator::Column::EvaluationId.eq(e.id))
                .filter(evaluation_indicator::Column::Key.eq(i.key.clone()))
                .exec(db)
                .await?;
        }
        if let Some(n) = &i.note {
            notes.push(format!("{}：{n}", i.name_zh));
        }
    }
    let left_out: Vec<&str> = ind
        .iter()
        .filter(|i| !i.counts)
        .map(|i| i.name_zh.as_str())
        .collect();
    if !left_out.is_empty() && ind.iter().any(|i| i.counts) {
        notes.push(format!(
            "{} 不计入，其权重按比例分给其余指标 / {} left out, their weight spread over the others in proportion",
            left_out.join("、"),
            ind.iter().filter(|i| !i.counts).map(|i| i.name_en.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    let scored: Vec<rules::Scored> = ind
        .iter()
        .map(|i| rules::Scored {
            key: i.key.clone(),
            category: i.category.0,
            weight: i.weight,
            score: i.score,
            counts: i.counts,
        })
        .collect();
    let o = rules::compute(&scored);
    let (scale, _) = grade_scale(db).await?;
    let cat = |c: IndicatorCategory| o.categories.iter().find(|x| x.0 == c).and_then(|x| x.1);
    evaluation::Entity::update_many()
        .col_expr(evaluation::Column::TotalScore, Expr::value(o.total))
        .col_expr(
            evaluation::Column::Grade,
            Expr::value(o.total.map(|t| scale.grade(t).to_owned())),
        )
        .col_expr(
            evaluation::Column::ResultScore,
            Expr::value(cat(IndicatorCategory::Result)),
        )
        .col_expr(
            evaluation::Column::ProcessScore,
            Expr::value(cat(IndicatorCategory::Process)),
        )
        .col_expr(
            evaluation::Column::CapabilityScore,
            Expr::value(cat(IndicatorCategory::Capability)),
        )
        .col_expr(
            evaluation::Column::Notes,
            Expr::value(serde_json::to_string(&notes).unwrap_or_else(|_| "[]".into())),
        )
        .filter(evaluation::Column::Id.eq(e.id))
        .exec(db)
        .await?;
    Ok(())
}

pub(crate) async fn event<C: ConnectionTrait>(
    db: &C,
    evaluation_id: i32,
    actor: Option<i32>,
    step: &str,
    from: Option<EvaluationStatus>,
    to: EvaluationStatus,
    reason: Option<String>,
) -> AppResult<()> {
    evaluation_event::ActiveModel {
        evaluation_id: Set(evaluation_id),
        actor_id: Set(actor),
        step: Set(step.into()),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().into()),
        reason: Set(reason),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub struct NewEvaluation {
    pub subject_id: i32,
    pub period: Period,
    pub template_id: Option<i32>,
}

/// Starts an evaluation (DRAFT): a rep's by their supervisor or a director, a
/// supervisor's by a director. The template (the active one for the subject and period
/// kind unless given) is copied; RESULT indicators are filled from the figures. One per
/// person and period (`CONFLICT` naming the existing one).
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    n: NewEvaluation,
) -> AppResult<evaluation::Model> {
    require(viewer, Action::Create, Resource::Evaluation)?;
    let s = subject(db, viewer, n.subject_id).await?;
    if s.user.id == viewer.user_id {
        return Err(AppError::forbidden());
    }
    let txn = crate::db::write_txn(db).await?;
    let e = create_in(
        &txn,
        viewer,
        &s,
        n.period,
        n.template_id,
        None,
        viewer.user_id,
        true,
    )
    .await?;
    txn.commit().await?;
    Ok(e)
}

async fn create_in<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    s: &Subject,
    p: Period,
    template_id: Option<i32>,
    cycle_id: Option<i32>,
    evaluator_id: i32,
    audited: bool,
) -> AppResult<evaluation::Model> {
    let kind = s.kind();
    let t = match template_id {
        Some(id) => evaluation_template::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("template {id} 不存在 / does not exist")))?,
        None => templates(db, Some(kind), Some(p.kind), false)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                AppError::BadInput(format!(
                    "没有适用于 {} {} 的评估模板 / no active template for a {} {} evaluation",
                    kind.as_str(),
                    p.kind.as_str(),
                    kind.as_str(),
                    p.kind.as_str()
                ))
            })?,
    };
    if t.subject_kind.0 != kind {
        return Err(AppError::BadInput(format!(
            "templateId: 该模板用于 {} / the template is for a {}",
            t.subject_kind.0.as_str(),
            t.subject_kind.0.as_str()
        )));
    }
    if let Some(existing) = evaluation::Entity::find()
        .filter(evaluation::Column::SubjectId.eq(s.user.id))
        .filter(evaluation::Column::PeriodKind.eq(Stored(p.kind)))
        .filter(evaluation::Column::PeriodStart.eq(p.start()))
        .one(db)
        .await?
    {
        let id = crate::api::ids::encode("Evaluation", existing.id).to_string();
        return Err(AppError::Conflict(format!(
            "这一期已有评估（{id}）/ this period already has an evaluation ({id})"
        )));
    }
    let ind = indicators_of(&t)?;
    let now = Utc::now();
    let inserted = evaluation::ActiveModel {
        cycle_id: Set(cycle_id),
        subject_id: Set(s.user.id),
        rep_id: Set(s.rep.as_ref().map(|r| r.id)),
        period_kind: Set(Stored(p.kind)),
        period_start: Set(p.start()),
        template_id: Set(t.id),
        evaluator_id: Set(evaluator_id),
        status: Set(Stored(EvaluationStatus::Draft)),
        notes: Set("[]".into()),
        due_on: Set(rules::due_on(p)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    let e = match inserted {
        Ok(e) => e,
        // A racing create of the same person and period.
        Err(err) if super::is_unique_violation(&err) => {
            return Err(AppError::Conflict(
                "这一期已有评估 / this period already has an evaluation".into(),
            ));
        }
        Err(err) => return Err(err.into()),
    };
    for (pos, i) in ind.iter().enumerate() {
        evaluation_indicator::ActiveModel {
            evaluation_id: Set(e.id),
            key: Set(i.key.clone()),
            position: Set(pos as i32),
            name_zh: Set(i.name_zh.clone()),
            name_en: Set(i.name_en.clone()),
            category: Set(Stored(i.category)),
            weight: Set(i.weight),
            source: Set(Stored(i.source)),
            score: Set(None),
            counts: Set(true),
            actual: Set(None),
            target: Set(None),
            note: Set(None),
        }
        .insert(db)
        .await?;
    }
    recompute(db, &e, true).await?;
    event(
        db,
        e.id,
        Some(viewer.user_id),
        "CREATE",
        None,
        EvaluationStatus::Draft,
        None,
    )
    .await?;
    let e = evaluation::Entity::find_by_id(e.id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::stale("evaluation"))?;
    if audited {
        audit::record(
            db,
            Some(viewer.user_id),
            "create",
            "evaluation",
            e.id,
            None::<&()>,
            Some(&e),
        )
        .await?;
    }
    Ok(e)
}

/// Bumps an evaluation's version under the one the caller read (`CONFLICT` if another
/// edit came first): every change to a draft goes through this, so two people editing
/// one draft cannot overwrite each other.
async fn bump<C: ConnectionTrait>(db: &C, id: i32, version: i32) -> AppResult<()> {
    let r = evaluation::Entity::update_many()
        .col_expr(evaluation::Column::Version, Expr::value(version + 1))
        .col_expr(evaluation::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(evaluation::Column::Id.eq(id))
        .filter(evaluation::Column::Version.eq(version))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Err(AppError::stale("evaluation"));
    }
    Ok(())
}

async fn reread<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<evaluation::Model> {
    evaluation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::stale("evaluation"))
}

fn check_score(field: &str, s: f64) -> AppResult<f64> {
    if !(s.is_finite() && (0.0..=100.0).contains(&s)) {
        return Err(AppError::BadInput(format!(
            "{field}: 应在 0 到 100 之间 / must be between 0 and 100"
        )));
    }
    Ok(s)
}

/// Scores (or clears, with `None`) one indicator scored by people. RESULT and 360°
/// indicators are filled from the data.
pub async fn score_indicator(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    key: &str,
    score: Option<f64>,
    version: i32,
) -> AppResult<evaluation::Model> {
    let e = editable(db, viewer, id).await?;
    draft_only(&e)?;
    super::check_version(e.version, version, "evaluation")?;
    let score = score.map(|s| check_score("score", s)).transpose()?;
    let txn = crate::db::write_txn(db).await?;
    let ind = evaluation_indicator::Entity::find()
        .filter(evaluation_indicator::Column::EvaluationId.eq(id))
        .filter(evaluation_indicator::Column::Key.eq(key))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            AppError::BadInput(format!(
                "key: 评估没有指标 {key:?} / the evaluation has no indicator {key:?}"
            ))
        })?;
    if ind.source.0 != Source::Manual {
        return Err(AppError::BadInput(format!(
            "key: {key} 由数据自动计算，不能手工打分 / {key} is filled from the data and cannot be scored by hand"
        )));
    }
    bump(&txn, id, version).await?;
    evaluation_indicator::Entity::update_many()
        .col_expr(evaluation_indicator::Column::Score, Expr::value(score))
        .filter(evaluation_indicator::Column::EvaluationId.eq(id))
        .filter(evaluation_indicator::Column::Key.eq(key))
        .exec(&txn)
        .await?;
    let now = reread(&txn, id).await?;
    recompute(&txn, &now, false).await?;
    let after = reread(&txn, id).await?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "score",
        "evaluation",
        id,
        Some(&e),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Default)]
pub struct FeedbackChanges {
    pub fact: Option<Option<String>>,
    pub impact: Option<Option<String>>,
    pub expectation: Option<Option<String>>,
    pub strengths: Option<Option<String>>,
    pub improvements: Option<Option<String>>,
}

/// Feedback as fact + impact + expectation (事实+影响+期望), strengths and improvements.
pub async fn update_feedback(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    c: FeedbackChanges,
) -> AppResult<evaluation::Model> {
    let e = editable(db, viewer, id).await?;
    draft_only(&e)?;
    super::check_version(e.version, version, "evaluation")?;
    let mut m = evaluation::ActiveModel {
        version: Set(version + 1),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if let Some(v) = c.fact {
        m.fact = Set(optional_text("fact", v, TEXT_MAX)?);
    }
    if let Some(v) = c.impact {
        m.impact = Set(optional_text("impact", v, TEXT_MAX)?);
    }
    if let Some(v) = c.expectation {
        m.expectation = Set(optional_text("expectation", v, TEXT_MAX)?);
    }
    if let Some(v) = c.strengths {
        m.strengths = Set(optional_text("strengths", v, TEXT_MAX)?);
    }
    if let Some(v) = c.improvements {
        m.improvements = Set(optional_text("improvements", v, TEXT_MAX)?);
    }
    let txn = crate::db::write_txn(db).await?;
    let after = super::save_versioned(
        &txn,
        viewer,
        "evaluation",
        (evaluation::Column::Id, evaluation::Column::Version),
        &e,
        id,
        version,
        m,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Moves an evaluation one step: the evaluator (or a director) submits a complete draft;
/// a director finalizes a submitted one, returns it to its evaluator or reopens a
/// finalized one with a reason. Each step is recorded.
pub async fn step(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    step: Step,
    reason: Option<String>,
) -> AppResult<evaluation::Model> {
    let e = match step {
        Step::Submit => editable(db, viewer, id).await?,
        _ => {
            if !viewer.can(Capability::FinalizeEvaluations) {
                // Say FORBIDDEN only about what the viewer may read.
                get(db, viewer, id).await?;
                return Err(AppError::forbidden());
            }
            get(db, viewer, id).await?
        }
    };
    let reason = optional_text("reason", reason, 1000)?;
    if matches!(step, Step::Reopen | Step::Return) && reason.is_none() {
        return Err(AppError::BadInput(
            "reason: 退回或重新打开需要说明原因 / returning or reopening needs a reason".into(),
        ));
    }
    super::check_version(e.version, version, "evaluation")?;
    let to = rules::next_status(e.status.0, step).ok_or_else(|| {
        AppError::Conflict(format!(
            "{} 的评估不能 {} / a {} evaluation cannot be {}",
            e.status.0.as_str(),
            step.as_str(),
            e.status.0.as_str(),
            step.as_str()
        ))
    })?;
    let txn = crate::db::write_txn(db).await?;
    if step == Step::Submit {
        recompute(&txn, &e, true).await?;
        let missing: Vec<String> = evaluation_indicator::Entity::find()
            .filter(evaluation_indicator::Column::EvaluationId.eq(id))
            .filter(evaluation_indicator::Column::Counts.eq(true))
            .filter(evaluation_indicator::Column::Score.is_null())
            .order_by_asc(evaluation_indicator::Column::Position)
            .all(&txn)
            .await?
            .into_iter()
            .map(|i| format!("{} ({})", i.name_zh, i.key))
            .collect();
        if !missing.is_empty() {
            return Err(AppError::BadInput(format!(
                "还有指标未打分：{} / indicators not scored yet: {}",
                missing.join("、"),
                missing.join(", ")
            )));
        }
        let counting = evaluation_indicator::Entity::find()
            .filter(evaluation_indicator::Column::EvaluationId.eq(id))
            .filter(evaluation_indicator::Column::Counts.eq(true))
            .one(&txn)
            .await?;
        if counting.is_none() {
            return Err(AppError::BadInput(
                "没有可计入的指标 / no indicator counts: nothing to total".into(),
            ));
        }
    }
    let now = Utc::now();
    let mut m = evaluation::ActiveModel {
        status: Set(Stored(to)),
        version: Set(version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    match step {
        Step::Submit => m.submitted_at = Set(Some(now)),
        Step::Finalize => m.finalized_at = Set(Some(now)),
        Step::Return => m.submitted_at = Set(None),
        Step::Reopen => m.finalized_at = Set(None),
    }
    let after = super::save_versioned(
        &txn,
        viewer,
        "evaluation",
        (evaluation::Column::Id, evaluation::Column::Version),
        &e,
        id,
        version,
        m,
    )
    .await?;
    if step == Step::Return {
        // Back to draft: the figures are filled again from today's data.
        recompute(&txn, &after, true).await?;
    }
    event(
        &txn,
        id,
        Some(viewer.user_id),
        step.as_str(),
        Some(e.status.0),
        to,
        reason,
    )
    .await?;
    let after = reread(&txn, id).await?;
    txn.commit().await?;
    Ok(after)
}

/// Whether the viewer sees an evaluation's invitations and each rater's score: whoever
/// may edit it, and directors; never the person evaluated.
pub fn sees_raters(viewer: &Viewer, e: &evaluation::Model) -> bool {
    e.subject_id != viewer.user_id
        && (viewer.can(Capability::FinalizeEvaluations)
            || (viewer.role == Role::Supervisor && e.rep_id.is_some()))
}

pub struct Invite {
    pub evaluation_id: i32,
    pub group: EvaluatorGroup,
    pub user_id: Option<i32>,
    pub customer_id: Option<i32>,
}

/// Invites a rater: SUPERIOR (a supervisor or director), PEER (another rep for a rep,
/// another supervisor for a supervisor), SELF (the person evaluated) by user; CUSTOMER by
/// customer, answered through a one-time link (the token is answered once, here).
pub async fn invite(
    db: &DatabaseConnection,
    viewer: &Viewer,
    i: Invite,
) -> AppResult<(evaluation_invitation::Model, Option<String>)> {
    let e = editable(db, viewer, i.evaluation_id).await?;
    if e.status.0 == EvaluationStatus::Finalized {
        return Err(AppError::Conflict(
            "评估已定稿 / the evaluation is finalized".into(),
        ));
    }
    let now = Utc::now();
    let mut m = evaluation_invitation::ActiveModel {
        evaluation_id: Set(e.id),
        rater_group: Set(Stored(i.group)),
        invited_by: Set(viewer.user_id),
        invited_at: Set(now),
        ..Default::default()
    };
    let mut token = None;
    match i.group {
        EvaluatorGroup::Customer => {
            let cid = i.customer_id.ok_or_else(|| {
                AppError::BadInput(
                    "customerId: 客户评价需要客户 / a CUSTOMER rater is a customer".into(),
                )
            })?;
            if i.user_id.is_some() {
                return Err(AppError::BadInput(
                    "userId: 客户评价用客户，不用用户 / a CUSTOMER rater is given by customerId"
                        .into(),
                ));
            }
            let c = super::customers::get(db, viewer, cid).await?;
            let belongs = match e.rep_id {
                Some(r) => c.owner_rep_id == r,
                None => {
                    let regions: Vec<i32> = supervisor_region::Entity::find()
                        .filter(supervisor_region::Column::SupervisorId.eq(e.subject_id))
                        .all(db)
                        .await?
                        .into_iter()
                        .map(|s| s.region_id)
                        .collect();
                    rep::Entity::find_by_id(c.owner_rep_id)
                        .one(db)
                        .await?
                        .is_some_and(|r| regions.contains(&r.region_id))
                }
            };
            if !belongs {
                return Err(AppError::BadInput(
                    "customerId: 不是被评估人的客户 / not a customer of the person evaluated"
                        .into(),
                ));
            }
            let t = super::auth::random_token();
            m.customer_id = Set(Some(c.id));
            m.token_hash = Set(Some(super::auth::sha256_hex(&t)));
            m.expires_at = Set(Some(now + Duration::days(CUSTOMER_LINK_DAYS)));
            token = Some(t);
        }
        g => {
            let uid = i.user_id.ok_or_else(|| {
                AppError::BadInput("userId: 需要评价人 / the rater is needed".into())
            })?;
            if i.customer_id.is_some() {
                return Err(AppError::BadInput(
                    "customerId: 只有客户评价用客户 / only a CUSTOMER rater is a customer".into(),
                ));
            }
            let u = user::Entity::find_by_id(uid)
                .one(db)
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| {
                    AppError::BadInput(format!(
                        "userId: 用户 {uid} 不存在或已停用 / no active user {uid}"
                    ))
                })?;
            let subject_role = if e.rep_id.is_some() {
                Role::Rep
            } else {
                Role::Supervisor
            };
            let fits = match g {
                EvaluatorGroup::SelfReview => u.id == e.subject_id,
                EvaluatorGroup::Superior => {
                    u.id != e.subject_id
                        && match subject_role {
                            Role::Rep => {
                                matches!(u.role.0, Role::Supervisor | Role::Director | Role::Admin)
                            }
                            _ => matches!(u.role.0, Role::Director | Role::Admin),
                        }
                }
                EvaluatorGroup::Peer => u.id != e.subject_id && u.role.0 == subject_role,
                EvaluatorGroup::Customer => false,
            };
            if !fits {
                return Err(AppError::BadInput(format!(
                    "userId: {} 不能作为 {} 评价人 / {} cannot rate as {}",
                    u.name,
                    g.as_str(),
                    u.name,
                    g.as_str()
                )));
            }
            m.rater_id = Set(Some(u.id));
        }
    }
    let inserted = m.insert(db).await;
    let inv = match inserted {
        Ok(v) => v,
        Err(err) if super::is_unique_violation(&err) => {
            return Err(AppError::Conflict(
                "已邀请过这位评价人 / this rater is already invited".into(),
            ));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(
        db,
        Some(viewer.user_id),
        "invite",
        "evaluation",
        e.id,
        None::<&()>,
        Some(&inv),
    )
    .await?;
    Ok((inv, token))
}

/// The refusal of every bad link: the same words whether it is forged, used or expired.
pub fn bad_link() -> AppError {
    AppError::Forbidden("此链接无效或已失效 / this link is not valid".into())
}

/// An invitation as its rater sees it: only whom and what they are asked to rate.
pub struct RaterForm {
    pub invitation: evaluation_invitation::Model,
    pub subject_name: String,
    pub period: Period,
}

/// The form behind a customer's one-time link (nothing else of the evaluation).
pub async fn form_by_token(db: &DatabaseConnection, token: &str) -> AppResult<RaterForm> {
    let inv = evaluation_invitation::Entity::find()
        .filter(evaluation_invitation::Column::TokenHash.eq(super::auth::sha256_hex(token.trim())))
        .one(db)
        .await?
        .filter(|i| i.answered_at.is_none() && i.expires_at.is_some_and(|x| x > Utc::now()))
        .ok_or_else(bad_link)?;
    form_of(db, inv).await.map_err(|_| bad_link())
}

async fn form_of<C: ConnectionTrait>(
    db: &C,
    inv: evaluation_invitation::Model,
) -> AppResult<RaterForm> {
    let e = evaluation::Entity::find_by_id(inv.evaluation_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::stale("evaluation"))?;
    let u = user::Entity::find_by_id(e.subject_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::stale("user"))?;
    Ok(RaterForm {
        period: period_of(&e),
        subject_name: u.name,
        invitation: inv,
    })
}

/// The viewer's invitations on drafts, oldest first: those waiting for an answer, and
/// those answered, which the rater may still change until the evaluation is submitted.
/// Three statements for any number (invitations, their evaluations, the people
/// evaluated).
pub async fn my_invitations(db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Vec<RaterForm>> {
    let rows = evaluation_invitation::Entity::find()
        .filter(evaluation_invitation::Column::RaterId.eq(viewer.user_id))
        .filter(
            evaluation_invitation::Column::EvaluationId.in_subquery(
                Query::select()
                    .column(evaluation::Column::Id)
                    .from(evaluation::Entity)
                    .and_where(evaluation::Column::Status.eq(Stored(EvaluationStatus::Draft)))
                    .take(),
            ),
        )
        .order_by_asc(evaluation_invitation::Column::Id)
        .limit_rows(200)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let evaluations: HashMap<i32, evaluation::Model> = evaluation::Entity::find()
        .filter(evaluation::Column::Id.is_in(rows.iter().map(|i| i.evaluation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(evaluations.values().map(|e| e.subject_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|inv| {
            let e = evaluations.get(&inv.evaluation_id)?;
            Some(RaterForm {
                period: period_of(e),
                subject_name: names.get(&e.subject_id).cloned().unwrap_or_default(),
                invitation: inv,
            })
        })
        .collect())
}

trait LimitRows {
    fn limit_rows(self, n: u64) -> Self;
}
impl<E: EntityTrait> LimitRows for sea_orm::Select<E> {
    fn limit_rows(self, n: u64) -> Self {
        sea_orm::QuerySelect::limit(self, n)
    }
}

/// Who answers: an invited user (by invitation id), or a customer (by token).
pub enum Rater {
    User(Viewer, i32),
    Token(String),
}

/// The 述职 report a SELF input may carry: the work's highlights and the plan for
/// improvement (seed 000: "总结工作亮点与改进计划").
#[derive(Default)]
pub struct SelfReport {
    pub highlights: Option<String>,
    pub improvement_plan: Option<String>,
}

/// A rater's answer, 0–100 with an optional comment (and for SELF input a 述职 report).
/// A user answers their own invitation (and may change it until the evaluation is
/// submitted); a link answers once.
pub async fn answer(
    db: &DatabaseConnection,
    rater: Rater,
    score: f64,
    comment: Option<String>,
    report: SelfReport,
) -> AppResult<()> {
    let score = check_score("score", score)?;
    let comment = optional_text("comment", comment, 2000)?;
    let highlights = optional_text("highlights", report.highlights, 4000)?;
    let plan = optional_text("improvementPlan", report.improvement_plan, 4000)?;
    let txn = crate::db::write_txn(db).await?;
    let now = Utc::now();
    let (inv, actor) = match rater {
        Rater::User(v, id) => {
            let inv = evaluation_invitation::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or_else(|| {
                    AppError::NotFound(format!("invitation {id} 不存在 / does not exist"))
                })?;
            if inv.rater_id != Some(v.user_id) {
                return Err(AppError::forbidden());
            }
            (inv, Some(v.user_id))
        }
        Rater::Token(t) => {
            let hash = super::auth::sha256_hex(t.trim());
            // Used and checked in one statement: two answers racing on one link store one.
            let r = evaluation_invitation::Entity::update_many()
                .col_expr(
                    evaluation_invitation::Column::AnsweredAt,
                    Expr::value(Some(now)),
                )
                .filter(evaluation_invitation::Column::TokenHash.eq(hash.clone()))
                .filter(evaluation_invitation::Column::AnsweredAt.is_null())
                .filter(evaluation_invitation::Column::ExpiresAt.gt(now))
                .exec(&txn)
                .await?;
            if r.rows_affected != 1 {
                return Err(bad_link());
            }
            let inv = evaluation_invitation::Entity::find()
                .filter(evaluation_invitation::Column::TokenHash.eq(hash))
                .one(&txn)
                .await?
                .ok_or_else(bad_link)?;
            (inv, None)
        }
    };
    if (highlights.is_some() || plan.is_some()) && inv.rater_group.0 != EvaluatorGroup::SelfReview {
        return Err(AppError::BadInput(
            "highlights: 述职报告只属于自评 / only the SELF input carries a self report".into(),
        ));
    }
    let e = reread(&txn, inv.evaluation_id).await?;
    if e.status.0 != EvaluationStatus::Draft {
        return Err(match actor {
            None => bad_link(),
            Some(_) => AppError::Conflict(
                "评估已提交，不能再评价 / the evaluation is already submitted".into(),
            ),
        });
    }
    evaluation_invitation::Entity::update_many()
        .col_expr(
            evaluation_invitation::Column::Score,
            Expr::value(Some(score)),
        )
        .col_expr(evaluation_invitation::Column::Comment, Expr::value(comment))
        .col_expr(
            evaluation_invitation::Column::Highlights,
            Expr::value(highlights),
        )
        .col_expr(
            evaluation_invitation::Column::ImprovementPlan,
            Expr::value(plan),
        )
        .col_expr(
            evaluation_invitation::Column::AnsweredAt,
            Expr::value(Some(now)),
        )
        .filter(evaluation_invitation::Column::Id.eq(inv.id))
        .exec(&txn)
        .await?;
    // The evaluation changes under its editors: its version moves.
    evaluation::Entity::update_many()
        .col_expr(
            evaluation::Column::Version,
            Expr::col(evaluation::Column::Version).add(1),
        )
        .filter(evaluation::Column::Id.eq(e.id))
        .exec(&txn)
        .await?;
    recompute(&txn, &e, false).await?;
    audit::record(
        &txn,
        actor,
        "answer",
        "evaluation_invitation",
        inv.id,
        None::<&()>,
        Some(&serde_json::json!({ "score": score })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Opens a cycle: a period and subject kind with a template and due day, and a DRAFT
/// evaluation for each person named (all active reps, or all supervisors, when none are
/// named). A rep's evaluator is their supervisor (else the director opening it). People
/// who already have an evaluation for the period keep it. DIRECTOR.
pub async fn open_cycle(
    db: &DatabaseConnection,
    viewer: &Viewer,
    period: Period,
    kind: SubjectKind,
    template_id: Option<i32>,
    subject_ids: Vec<i32>,
) -> AppResult<(evaluation_cycle::Model, usize, usize)> {
    require(viewer, Action::Update, Resource::EvaluationSetup)?;
    if !viewer.can(Capability::FinalizeEvaluations) {
        return Err(AppError::forbidden());
    }
    if subject_ids.len() > 5000 {
        return Err(AppError::BadInput(
            "subjectIds: 最多 5000 人 / at most 5000 people".into(),
        ));
    }
    let t = match template_id {
        Some(id) => evaluation_template::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("template {id} 不存在 / does not exist")))?,
        None => templates(db, Some(kind), Some(period.kind), false)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                AppError::BadInput("没有适用的评估模板 / no active template for this cycle".into())
            })?,
    };
    if t.subject_kind.0 != kind || t.period_kind.0 != period.kind {
        return Err(AppError::BadInput(
            "templateId: 模板的对象或周期与本周期不符 / the template's subject or period kind does not match".into(),
        ));
    }
    let people: Vec<user::Model> = {
        let mut q = user::Entity::find().filter(user::Column::Active.eq(true));
        q = match kind {
            SubjectKind::Rep => q.filter(user::Column::Role.eq(Stored(Role::Rep))),
            SubjectKind::Supervisor => q.filter(user::Column::Role.eq(Stored(Role::Supervisor))),
        };
        if !subject_ids.is_empty() {
            q = q.filter(user::Column::Id.is_in(subject_ids.clone()));
        }
        q.order_by_asc(user::Column::Id).all(db).await?
    };
    if !subject_ids.is_empty()
        && people.len() != {
            let mut s = subject_ids.clone();
            s.sort_unstable();
            s.dedup();
            s.len()
        }
    {
        return Err(AppError::BadInput(format!(
            "subjectIds: 有人不是在职的{} / someone is not an active {}",
            if kind == SubjectKind::Rep {
                "代表"
            } else {
                "督导"
            },
            kind.as_str()
        )));
    }
    let txn = crate::db::write_txn(db).await?;
    let cycle = evaluation_cycle::ActiveModel {
        period_kind: Set(Stored(period.kind)),
        period_start: Set(period.start()),
        subject_kind: Set(Stored(kind)),
        template_id: Set(t.id),
        due_on: Set(rules::due_on(period)),
        opened_by: Set(viewer.user_id),
        opened_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let reps: HashMap<i32, rep::Model> = rep::Entity::find()
        .filter(rep::Column::UserId.is_not_null())
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|r| r.user_id.map(|u| (u, r)))
        .collect();
    let taken: std::collections::HashSet<i32> = evaluation::Entity::find()
        .filter(evaluation::Column::PeriodKind.eq(Stored(period.kind)))
        .filter(evaluation::Column::PeriodStart.eq(period.start()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|e| e.subject_id)
        .collect();
    let (mut made, mut kept) = (0, 0);
    for u in people {
        if taken.contains(&u.id) {
            kept += 1;
            continue;
        }
        let rep = reps.get(&u.id).cloned();
        if kind == SubjectKind::Rep && rep.is_none() {
            kept += 1;
            continue;
        }
        let evaluator = rep
            .as_ref()
            .and_then(|r| r.supervisor_id)
            .unwrap_or(viewer.user_id);
        let s = Subject { user: u, rep };
        // The cycle's one audit entry names what it made.
        create_in(
            &txn,
            viewer,
            &s,
            period,
            Some(t.id),
            Some(cycle.id),
            evaluator,
            false,
        )
        .await?;
        made += 1;
    }
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "evaluation cycle",
        cycle.id,
        None::<&()>,
        Some(&cycle),
    )
    .await?;
    txn.commit().await?;
    Ok((cycle, made, kept))
}

/// A cycle and where its evaluations stand.
#[derive(Debug, FromQueryResult)]
pub struct CycleRow {
    pub id: i32,
    pub period_kind: String,
    pub period_start: NaiveDate,
    pub subject_kind: String,
    pub template_id: i32,
    pub due_on: NaiveDate,
    pub total: i64,
    pub drafts: i64,
    pub submitted: i64,
    pub finalized: i64,
}

/// Cycles, newest first, with their counts in one statement. DIRECTOR (supervisors see
/// their evaluations in the list).
pub async fn cycles(db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Vec<CycleRow>> {
    if !viewer.can(Capability::FinalizeEvaluations) {
        return Err(AppError::forbidden());
    }
    let sql = "SELECT c.id, c.period_kind, c.period_start, c.subject_kind, c.template_id, c.due_on, \
               CAST(COUNT(e.id) AS BIGINT) AS total, \
               CAST(COALESCE(SUM(CASE WHEN e.status = 'DRAFT' THEN 1 ELSE 0 END), 0) AS BIGINT) AS drafts, \
               CAST(COALESCE(SUM(CASE WHEN e.status = 'SUBMITTED' THEN 1 ELSE 0 END), 0) AS BIGINT) AS submitted, \
               CAST(COALESCE(SUM(CASE WHEN e.status = 'FINALIZED' THEN 1 ELSE 0 END), 0) AS BIGINT) AS finalized \
               FROM evaluation_cycles c LEFT JOIN evaluations e ON e.cycle_id = c.id \
               GROUP BY c.id, c.period_kind, c.period_start, c.subject_kind, c.template_id, c.due_on \
               ORDER BY c.period_start DESC, c.id DESC LIMIT 200";
    Ok(
        CycleRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .all(db)
            .await?,
    )
}

/// A reminder in the inbox.
#[derive(Clone, Debug)]
pub struct Reminder {
    pub kind: &'static str,
    pub evaluation_id: i32,
    pub subject_name: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub invitation_id: Option<i32>,
}

/// What the viewer should do about evaluations: ones they write that are due within
/// three days or overdue, invitations waiting for their answer, and invitations they sent
/// that are unanswered after 3 working days; for a director, every overdue evaluation.
/// The day an invitation's answer is due: 3 working days after it was sent (the sales
/// team's day, `clock::local`).
fn invitation_due(inv: &evaluation_invitation::Model) -> NaiveDate {
    let asked = crate::clock::local(inv.invited_at).date_naive();
    rules::add_working_days(asked, rules::INVITATION_WORKING_DAYS)
}

pub async fn reminders(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
) -> AppResult<Vec<Reminder>> {
    let soon = today + Duration::days(rules::DUE_REMINDER_DAYS);
    let mut q = evaluation::Entity::find()
        .filter(scope::evaluations(viewer))
        .filter(evaluation::Column::DueOn.lte(soon));
    q = if viewer.can(Capability::FinalizeEvaluations) {
        q.filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(evaluation::Column::EvaluatorId.eq(viewer.user_id))
                        .add(evaluation::Column::Status.eq(Stored(EvaluationStatus::Draft))),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(evaluation::Column::DueOn.lt(today))
                        .add(evaluation::Column::Status.ne(Stored(EvaluationStatus::Finalized))),
                ),
        )
    } else {
        q.filter(evaluation::Column::EvaluatorId.eq(viewer.user_id))
            .filter(evaluation::Column::Status.eq(Stored(EvaluationStatus::Draft)))
    };
    let due = sea_orm::QuerySelect::limit(q.order_by_asc(evaluation::Column::DueOn), 200)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(due.iter().map(|e| e.subject_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut out: Vec<Reminder> = due
        .iter()
        .map(|e| Reminder {
            kind: if e.evaluator_id == viewer.user_id && e.status.0 == EvaluationStatus::Draft {
                "EVALUATION_DUE"
            } else {
                "EVALUATION_OVERDUE"
            },
            evaluation_id: e.id,
            subject_name: names.get(&e.subject_id).cloned().unwrap_or_default(),
            due_on: e.due_on,
            overdue: e.due_on < today,
            invitation_id: None,
        })
        .collect();
    for f in my_invitations(db, viewer).await? {
        if f.invitation.answered_at.is_some() {
            continue;
        }
        let due_on = invitation_due(&f.invitation);
        out.push(Reminder {
            kind: "INVITATION",
            evaluation_id: f.invitation.evaluation_id,
            subject_name: f.subject_name,
            due_on,
            overdue: due_on < today,
            invitation_id: Some(f.invitation.id),
        });
    }
    // Invitations this viewer sent on drafts that nobody answered within 3 working days:
    // the same cutoff as the EVALUATION_INPUT_DUE alert rule, in the query, and the
    // evaluations and names read once for all of them.
    let sent = evaluation_invitation::Entity::find()
        .filter(evaluation_invitation::Column::InvitedBy.eq(viewer.user_id))
        .filter(evaluation_invitation::Column::AnsweredAt.is_null())
        .filter(
            evaluation_invitation::Column::InvitedAt.lt(crate::clock::day_start(
                rules::invitations_overdue_before(today),
            )),
        )
        .filter(
            evaluation_invitation::Column::EvaluationId.in_subquery(
                Query::select()
                    .column(evaluation::Column::Id)
                    .from(evaluation::Entity)
                    .and_where(evaluation::Column::Status.eq(Stored(EvaluationStatus::Draft)))
                    .take(),
            ),
        )
        .order_by_asc(evaluation_invitation::Column::Id);
    let sent = sea_orm::QuerySelect::limit(sent, 200).all(db).await?;
    if !sent.is_empty() {
        let subjects: HashMap<i32, i32> = evaluation::Entity::find()
            .filter(evaluation::Column::Id.is_in(sent.iter().map(|i| i.evaluation_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.subject_id))
            .collect();
        let names: HashMap<i32, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(subjects.values().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        for inv in sent {
            let name = subjects
                .get(&inv.evaluation_id)
                .and_then(|s| names.get(s))
                .cloned()
                .unwrap_or_default();
            out.push(Reminder {
                kind: "INVITATION_UNANSWERED",
                evaluation_id: inv.evaluation_id,
                subject_name: name,
                due_on: invitation_due(&inv),
                overdue: true,
                invitation_id: Some(inv.id),
            });
        }
    }
    Ok(out)
}

/// Calibration figures over the SUBMITTED and FINALIZED evaluations of a period.
#[derive(Debug, Default)]
pub struct Calibration {
    pub count: i64,
    pub mean: Option<f64>,
    pub spread: Option<f64>,
    pub by_region: Vec<GroupRow>,
    pub by_supervisor: Vec<GroupRow>,
    /// Evaluations more than two spreads from the company's mean.
    pub outliers: Vec<(i32, f64)>,
    /// (result band, capability band) → evaluation ids.
    pub nine_box: Vec<(u8, u8, Vec<i32>)>,
}

#[derive(Debug, FromQueryResult)]
pub struct GroupRow {
    pub group_id: i32,
    pub name: String,
    pub count: i64,
    pub mean: Option<f64>,
    pub sq_mean: Option<f64>,
    pub a: i64,
    pub b: i64,
    pub c: i64,
    pub d: i64,
}

impl GroupRow {
    pub fn spread(&self) -> Option<f64> {
        match (self.mean, self.sq_mean) {
            (Some(m), Some(q)) if self.count > 0 => Some((q - m * m).max(0.0).sqrt()),
            _ => None,
        }
    }
}

/// Calibration for a director: grade distribution per region and per supervisor (their
/// evaluator), each one's leniency (mean and spread) against the company, outliers and
/// the 9-box of RESULT against CAPABILITY. Aggregates in SQL.
pub async fn calibration(
    db: &DatabaseConnection,
    viewer: &Viewer,
    period: Period,
    kind: SubjectKind,
) -> AppResult<Calibration> {
    if !viewer.can(Capability::FinalizeEvaluations) {
        return Err(AppError::forbidden());
    }
    let b = db.get_database_backend();
    let subject = match kind {
        SubjectKind::Rep => "e.rep_id IS NOT NULL",
        SubjectKind::Supervisor => "e.rep_id IS NULL",
    };
    let base = format!(
        "FROM evaluations e WHERE e.period_kind = '{pk}' AND e.period_start = '{ps}' AND {subject} \
         AND e.status IN ('SUBMITTED', 'FINALIZED') AND e.total_score IS NOT NULL",
        pk = period.kind.as_str(),
        ps = super::sql_date(period.start()),
    );
    let grades = "CAST(COUNT(*) AS BIGINT) AS count, AVG(e.total_score) AS mean, \
                  AVG(e.total_score * e.total_score) AS sq_mean, \
                  CAST(SUM(CASE WHEN e.grade = 'A' THEN 1 ELSE 0 END) AS BIGINT) AS a, \
                  CAST(SUM(CASE WHEN e.grade = 'B' THEN 1 ELSE 0 END) AS BIGINT) AS b, \
                  CAST(SUM(CASE WHEN e.grade = 'C' THEN 1 ELSE 0 END) AS BIGINT) AS c, \
                  CAST(SUM(CASE WHEN e.grade = 'D' THEN 1 ELSE 0 END) AS BIGINT) AS d";
    let company = GroupRow::find_by_statement(Statement::from_string(
        b,
        format!("SELECT 0 AS group_id, '' AS name, {grades} {base}"),
    ))
    .one(db)
    .await?;
    let by_region = GroupRow::find_by_statement(Statement::from_string(
        b,
        format!(
            "SELECT g.id AS group_id, g.name AS name, {grades} FROM evaluations e \
             JOIN reps r ON r.id = e.rep_id JOIN regions g ON g.id = r.region_id \
             WHERE e.id IN (SELECT e.id {base}) GROUP BY g.id, g.name ORDER BY g.name"
        ),
    ))
    .all(db)
    .await?;
    let by_supervisor = GroupRow::find_by_statement(Statement::from_string(
        b,
        format!(
            "SELECT u.id AS group_id, u.name AS name, {grades} FROM evaluations e \
             JOIN users u ON u.id = e.evaluator_id \
             WHERE e.id IN (SELECT e.id {base}) GROUP BY u.id, u.name ORDER BY u.name"
        ),
    ))
    .all(db)
    .await?;
    let mut out = Calibration {
        by_region,
        by_supervisor,
        ..Default::default()
    };
    if let Some(c) = company {
        out.count = c.count;
        out.mean = c.mean;
        out.spread = c.spread();
    }
    if let (Some(m), Some(sd)) = (out.mean, out.spread)
        && sd > 0.0
    {
        #[derive(FromQueryResult)]
        struct Out {
            id: i32,
            total_score: f64,
        }
        let lo = m - 2.0 * sd;
        let hi = m + 2.0 * sd;
        out.outliers = Out::find_by_statement(Statement::from_string(
            b,
            format!(
                "SELECT e.id, e.total_score {base} AND (e.total_score < {lo} OR e.total_score > {hi}) \
                 ORDER BY e.total_score DESC LIMIT 100"
            ),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.total_score))
        .collect();
    }
    #[derive(FromQueryResult)]
    struct Boxed {
        rb: i32,
        cb: i32,
        id: i32,
    }
    let band = |col: &str| {
        format!(
            "CASE WHEN {col} >= {h} THEN 2 WHEN {col} >= {l} THEN 1 ELSE 0 END",
            h = rules::NINE_BOX_HIGH,
            l = rules::NINE_BOX_LOW
        )
    };
    let rows = Boxed::find_by_statement(Statement::from_string(
        b,
        format!(
            "SELECT {rb} AS rb, {cb} AS cb, e.id {base} AND e.result_score IS NOT NULL \
             AND e.capability_score IS NOT NULL ORDER BY e.total_score DESC LIMIT 5000",
            rb = band("e.result_score"),
            cb = band("e.capability_score"),
        ),
    ))
    .all(db)
    .await?;
    for r in 0..3u8 {
        for c in 0..3u8 {
            let ids = rows
                .iter()
                .filter(|x| x.rb == i32::from(r) && x.cb == i32::from(c))
                .map(|x| x.id)
                .collect();
            out.nine_box.push((r, c, ids));
        }
    }
    Ok(out)
}

/// Action items agreed in an evaluation (owner, due day), concerning its rep.
pub async fn add_action(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    title: String,
    owner_id: Option<i32>,
    due_on: Option<NaiveDate>,
) -> AppResult<action_item::Model> {
    let e = editable(db, viewer, id).await?;
    if e.status.0 == EvaluationStatus::Finalized {
        return Err(AppError::Conflict(
            "评估已定稿 / the evaluation is finalized".into(),
        ));
    }
    let title = required_text("title", title, 500)?;
    if let Some(d) = due_on {
        dudao_domain::sane_date(d).map_err(|e| AppError::BadInput(format!("dueOn: {e}")))?;
    }
    let owner = owner_id.unwrap_or(e.subject_id);
    if user::Entity::find_by_id(owner).one(db).await?.is_none() {
        return Err(AppError::BadInput(format!(
            "ownerId: 用户 {owner} 不存在 / no user {owner}"
        )));
    }
    let m = action_item::ActiveModel {
        evaluation_id: Set(Some(e.id)),
        rep_id: Set(e.rep_id),
        owner_id: Set(owner),
        title: Set(title),
        due_on: Set(due_on),
        status: Set(Stored(dudao_domain::coaching::ActionStatus::Open)),
        created_by: Set(Some(viewer.user_id)),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        Some(viewer.user_id),
        "create",
        "action_item",
        m.id,
        None::<&()>,
        Some(&m),
    )
    .await?;
    Ok(m)
}

const EXPORT_COLUMNS: [(&str, Option<&str>); 15] = [
    ("id", None),
    ("subject_name", None),
    ("region_name", None),
    ("period_kind", Some("period_kind")),
    ("period_start", None),
    ("evaluation_status", Some("evaluation_status")),
    ("total_score", None),
    ("grade", None),
    ("result_score", None),
    ("process_score", None),
    ("capability_score", None),
    ("evaluator_name", None),
    ("evaluation_due_on", None),
    ("finalized_at", None),
    ("note", None),
];

/// Writes the evaluations the viewer may read (the list's filters, every page) as CSV or
/// XLSX: person, region, period, status, total and grade, category scores, evaluator.
pub async fn export(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: &EvaluationFilter,
    format: super::transfer::Format,
    lang: Option<dudao_domain::columns::Lang>,
    out: &mut dyn std::io::Write,
) -> AppResult<usize> {
    use sea_orm::{QuerySelect, QueryTrait};
    // The ids the list would show, as a sub-select the export pages through.
    let ids = {
        let mut q = evaluation::Entity::find().filter(scope::evaluations(viewer));
        if let Some(s) = f.status {
            q = q.filter(evaluation::Column::Status.eq(Stored(s)));
        }
        if let Some(k) = f.period_kind {
            q = q.filter(evaluation::Column::PeriodKind.eq(Stored(k)));
        }
        match f.subject_kind {
            Some(SubjectKind::Rep) => q = q.filter(evaluation::Column::RepId.is_not_null()),
            Some(SubjectKind::Supervisor) => q = q.filter(evaluation::Column::RepId.is_null()),
            None => {}
        }
        if let Some(c) = f.cycle_id {
            q = q.filter(evaluation::Column::CycleId.eq(c));
        }
        if f.overdue {
            q = q
                .filter(evaluation::Column::Status.ne(Stored(EvaluationStatus::Finalized)))
                .filter(evaluation::Column::DueOn.lt(crate::clock::today()));
        }
        let sel = q.select_only().column(evaluation::Column::Id).into_query();
        match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                sel.to_string(sea_orm::sea_query::PostgresQueryBuilder)
            }
            _ => sel.to_string(sea_orm::sea_query::SqliteQueryBuilder),
        }
    };
    let num = |c: &str| format!("CAST(ROUND(CAST(e.{c} AS NUMERIC), 2) AS TEXT)");
    let sql = format!(
        "SELECT e.id, s.name, g.name, e.period_kind, CAST(e.period_start AS TEXT), e.status, {t}, e.grade, \
         {r}, {p}, {c}, w.name, e.due_on, CAST(e.finalized_at AS TEXT), NULL \
         FROM evaluations e JOIN users s ON s.id = e.subject_id JOIN users w ON w.id = e.evaluator_id \
         LEFT JOIN reps r ON r.id = e.rep_id LEFT JOIN regions g ON g.id = r.region_id \
         WHERE e.id IN ({ids}) AND e.id > {{after}} ORDER BY e.id LIMIT 5000",
        t = num("total_score"),
        r = num("result_score"),
        p = num("process_score"),
        c = num("capability_score"),
    );
    let columns: Vec<super::transfer::ExportColumn> = EXPORT_COLUMNS
        .iter()
        .map(|(code, words)| super::transfer::ExportColumn {
            code,
            money: false,
            words: *words,
        })
        .collect();
    super::transfer::write_export(db, &sql, &columns, lang, format, out).await
}
