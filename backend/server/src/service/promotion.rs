//! Promotion eligibility (晋升资格): the rules a director edits (versioned: every save is
//! kept in `promotion_rule_versions` and the audit log), and the judgement of a list of
//! reps against them — the facts of the whole list in a bounded number of statements
//! ([`super::promotion_facts`]), the rules pure (`dudao_domain::promotion`).

use chrono::{NaiveDate, Utc};
use dudao_domain::evaluation::{GradeScale, IndicatorCategory};
use dudao_domain::promotion::{
    self as rules, Criterion, EvaluationFact, Judgement, PeriodFigure, RepFacts, Rule, Track,
};
use dudao_domain::{Action, Period, Resource, Viewer};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::{audit, optional_text, require, required_text};
use crate::entity::{evaluation, promotion_rule, promotion_rule_version, rep};
use crate::error::{AppError, AppResult};

/// A stored rule as the domain's [`Rule`]; a stored rule that no longer parses is an
/// internal error (the writer validated it).
pub fn rule_of(m: &promotion_rule::Model) -> AppResult<Rule> {
    let criteria: Vec<Criterion> = serde_json::from_str(&m.criteria)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("promotion rule {}: {e}", m.id)))?;
    let track = match m.track.as_str() {
        "EXPERT" => Track::Expert,
        _ => Track::Management,
    };
    Ok(Rule {
        track,
        level: m.level.clone(),
        name_zh: m.name_zh.clone(),
        name_en: m.name_en.clone(),
        criteria,
    })
}

fn version_row(
    m: &promotion_rule::Model,
    by: Option<i32>,
    note: Option<String>,
) -> promotion_rule_version::ActiveModel {
    promotion_rule_version::ActiveModel {
        rule_id: Set(m.id),
        version: Set(m.version),
        track: Set(m.track.clone()),
        level: Set(m.level.clone()),
        name_zh: Set(m.name_zh.clone()),
        name_en: Set(m.name_en.clone()),
        criteria: Set(m.criteria.clone()),
        active: Set(m.active),
        note: Set(note),
        changed_by: Set(by),
        changed_at: Set(m.updated_at),
        ..Default::default()
    }
}

/// Puts the shipped rules of both tracks in place when there are none (at start).
pub async fn ensure_rules<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    if promotion_rule::Entity::find().one(db).await?.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    for r in rules::default_rules() {
        let criteria = serde_json::to_string(&r.criteria)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("shipped rule: {e}")))?;
        let m = promotion_rule::ActiveModel {
            track: Set(r.track.as_str().into()),
            level: Set(r.level),
            name_zh: Set(r.name_zh),
            name_en: Set(r.name_en),
            criteria: Set(criteria),
            active: Set(true),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        version_row(&m, None, Some("随系统提供 / shipped".into()))
            .insert(db)
            .await?;
    }
    Ok(())
}

/// The rules, active first, by track and id.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    include_inactive: bool,
) -> AppResult<Vec<promotion_rule::Model>> {
    let mut q = promotion_rule::Entity::find();
    if !include_inactive {
        q = q.filter(promotion_rule::Column::Active.eq(true));
    }
    Ok(q.order_by_desc(promotion_rule::Column::Active)
        .order_by_asc(promotion_rule::Column::Track)
        .order_by_asc(promotion_rule::Column::Id)
        .all(db)
        .await?)
}

pub async fn get<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<promotion_rule::Model> {
    promotion_rule::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("promotion rule {id} 不存在 / does not exist")))
}

/// Every saved version of a rule, newest first.
pub async fn versions<C: ConnectionTrait>(
    db: &C,
    rule_id: i32,
) -> AppResult<Vec<promotion_rule_version::Model>> {
    Ok(promotion_rule_version::Entity::find()
        .filter(promotion_rule_version::Column::RuleId.eq(rule_id))
        .order_by_desc(promotion_rule_version::Column::Version)
        .all(db)
        .await?)
}

pub struct RuleInput {
    pub id: Option<i32>,
    pub version: Option<i32>,
    pub track: Track,
    pub level: String,
    pub name_zh: String,
    pub name_en: String,
    /// JSON array of criteria (as `promotionRules { criteriaJson }` gives them).
    pub criteria_json: String,
    pub active: bool,
    /// Why it changed.
    pub note: Option<String>,
}

/// Creates or changes a rule (a director): checked, versioned, audited.
pub async fn save(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: RuleInput,
) -> AppResult<promotion_rule::Model> {
    require(viewer, Action::Update, Resource::PromotionRule)?;
    if input.criteria_json.len() > 20_000 {
        return Err(AppError::BadInput("criteriaJson: 过长 / too long".into()));
    }
    let criteria: Vec<Criterion> = serde_json::from_str(&input.criteria_json).map_err(|e| {
        AppError::BadInput(format!(
            "criteriaJson: 无法识别的条件 / not a list of criteria ({e})"
        ))
    })?;
    let text = |f: &'static str, v: String| -> AppResult<String> { required_text(f, v, 100) };
    let rule = Rule {
        track: input.track,
        level: text("level", input.level)?,
        name_zh: text("nameZh", input.name_zh)?,
        name_en: text("nameEn", input.name_en)?,
        criteria,
    };
    rules::validate_rule(&rule).map_err(|e| AppError::BadInput(e.to_string()))?;
    let note = optional_text("note", input.note, 500)?;
    let criteria =
        serde_json::to_string(&rule.criteria).map_err(|e| AppError::Internal(e.into()))?;
    let now = Utc::now();
    let txn = crate::db::write_txn(db).await?;
    let saved = match input.id {
        Some(id) => {
            let before = get(&txn, id).await?;
            let version = input.version.ok_or_else(|| {
                AppError::BadInput("version: 修改规则需要版本号 / needed to change a rule".into())
            })?;
            let changes = promotion_rule::ActiveModel {
                track: Set(rule.track.as_str().into()),
                level: Set(rule.level),
                name_zh: Set(rule.name_zh),
                name_en: Set(rule.name_en),
                criteria: Set(criteria),
                active: Set(input.active),
                version: Set(version + 1),
                updated_at: Set(now),
                ..Default::default()
            };
            super::save_versioned(
                &txn,
                viewer,
                "promotion rule",
                (promotion_rule::Column::Id, promotion_rule::Column::Version),
                &before,
                id,
                version,
                changes,
            )
            .await?
        }
        None => {
            let m = promotion_rule::ActiveModel {
                track: Set(rule.track.as_str().into()),
                level: Set(rule.level),
                name_zh: Set(rule.name_zh),
                name_en: Set(rule.name_en),
                criteria: Set(criteria),
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
                "promotion rule",
                m.id,
                None::<&()>,
                Some(&m),
            )
            .await?;
            m
        }
    };
    version_row(&saved, Some(viewer.user_id), note)
        .insert(&txn)
        .await?;
    txn.commit().await?;
    Ok(saved)
}

/// One rep judged against the rules.
pub struct RepJudgement {
    pub rep: rep::Model,
    /// Per rule, in the order asked.
    pub judgements: Vec<Judgement>,
}

/// Judges the reps `reps` (already read through the viewer's row filter) against `rules`
/// as of `as_of`: the facts of all of them in a bounded number of statements.
pub async fn judge<C: ConnectionTrait>(
    db: &C,
    reps: Vec<rep::Model>,
    reps_sql: &str,
    rules: &[Rule],
    scale: GradeScale,
    as_of: NaiveDate,
) -> AppResult<Vec<RepJudgement>> {
    let periods: Vec<Period> = rules::periods_needed(rules.iter(), as_of);
    let (from, to) = rules::coaching_window(as_of);
    let facts = super::promotion_facts::gather(db, reps_sql, &periods, from, to).await?;
    Ok(reps
        .into_iter()
        .map(|r| {
            let f = rep_facts(&r, &facts, &periods, scale);
            let judgements = rules
                .iter()
                .map(|rule| rules::evaluate(rule, &f, as_of))
                .collect();
            RepJudgement { rep: r, judgements }
        })
        .collect())
}

fn rep_facts(
    r: &rep::Model,
    facts: &super::promotion_facts::Facts,
    periods: &[Period],
    scale: GradeScale,
) -> RepFacts {
    let figures = periods
        .iter()
        .map(|p| {
            let s = facts.sums.get(&(r.id, *p)).copied().unwrap_or_default();
            (
                *p,
                PeriodFigure {
                    sales_cents: s.sales_cents,
                    sales_target_cents: s.sales_target_cents,
                    due_cents: s.due_cents,
                    collected_cents: s.collected_cents,
                },
            )
        })
        .collect();
    let evaluations = facts
        .evaluations
        .get(&r.id)
        .map(|es| es.iter().map(|e| evaluation_fact(e, scale)).collect())
        .unwrap_or_default();
    RepFacts {
        hire_date: Some(r.hire_date),
        figures,
        evaluations,
        coaching_sessions: facts
            .sessions
            .get(&r.id)
            .copied()
            .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)),
    }
}

/// An evaluation as the rules read it: its grade and its categories' grades (from the
/// stored category scores, on the grade scale now in force).
pub fn evaluation_fact(e: &evaluation::Model, scale: GradeScale) -> EvaluationFact {
    let categories = [
        (IndicatorCategory::Result, e.result_score),
        (IndicatorCategory::Process, e.process_score),
        (IndicatorCategory::Capability, e.capability_score),
    ]
    .into_iter()
    .filter_map(|(c, s)| s.map(|s| (c, scale.grade(s).to_owned())))
    .collect();
    EvaluationFact {
        id: e.id,
        period: Period::containing(e.period_kind.0, e.period_start),
        grade: e.grade.clone(),
        categories,
    }
}

/// Every rep the viewer reads (of `region`, if given) judged against `rule` as of `as_of`,
/// in the reps' id order.
pub async fn candidates(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rule: &Rule,
    region: Option<i32>,
    scale: GradeScale,
    as_of: NaiveDate,
) -> AppResult<Vec<RepJudgement>> {
    let mut q = rep::Entity::find().filter(super::scope::reps(viewer));
    if let Some(r) = region {
        q = q.filter(rep::Column::RegionId.eq(r));
    }
    let reps = q.order_by_asc(rep::Column::Id).all(db).await?;
    let mut reps_sql = super::scope::rep_ids_sql(viewer, db.get_database_backend());
    if let Some(r) = region {
        reps_sql =
            format!("SELECT x.id FROM reps x WHERE x.region_id = {r} AND x.id IN ({reps_sql})");
    }
    judge(
        db,
        reps,
        &reps_sql,
        std::slice::from_ref(rule),
        scale,
        as_of,
    )
    .await
}

/// A candidate's standing on a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Eligible,
    /// Failing exactly one criterion.
    NearlyEligible,
    NotEligible,
}

impl Standing {
    pub fn of(j: &Judgement) -> Self {
        if j.eligible {
            Standing::Eligible
        } else if j.nearly() {
            Standing::NearlyEligible
        } else {
            Standing::NotEligible
        }
    }
    pub fn parse(s: &str) -> AppResult<Self> {
        match s {
            "ELIGIBLE" => Ok(Standing::Eligible),
            "NEARLY_ELIGIBLE" => Ok(Standing::NearlyEligible),
            "NOT_ELIGIBLE" => Ok(Standing::NotEligible),
            other => Err(AppError::BadInput(format!(
                "status: {other:?} 不是 ELIGIBLE、NEARLY_ELIGIBLE 或 NOT_ELIGIBLE / is not ELIGIBLE, NEARLY_ELIGIBLE or NOT_ELIGIBLE"
            ))),
        }
    }
    fn words(self, lang: rules_lang::Lang) -> &'static str {
        match (self, lang) {
            (Standing::Eligible, rules_lang::Lang::Zh) => "符合",
            (Standing::Eligible, rules_lang::Lang::En) => "eligible",
            (Standing::NearlyEligible, rules_lang::Lang::Zh) => "差一项",
            (Standing::NearlyEligible, rules_lang::Lang::En) => "one criterion short",
            (Standing::NotEligible, rules_lang::Lang::Zh) => "不符合",
            (Standing::NotEligible, rules_lang::Lang::En) => "not eligible",
        }
    }
}

use dudao_domain::columns as rules_lang;

/// The candidates list as a file: one row per rep the viewer reads (of `region`, of a
/// `status`), eligible first, with each criterion's outcome and what is missing, in
/// `lang` (Chinese when none). Returns the number of rows.
#[allow(clippy::too_many_arguments)]
pub async fn export_candidates(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rule_id: i32,
    region: Option<i32>,
    status: Option<Standing>,
    as_of: NaiveDate,
    format: super::transfer::Format,
    lang: Option<rules_lang::Lang>,
    out: &mut dyn std::io::Write,
) -> AppResult<usize> {
    use super::transfer::export::TableCell;
    let lang = lang.unwrap_or(rules_lang::Lang::Zh);
    let m = get(db, rule_id).await?;
    let rule = rule_of(&m)?;
    let scale = super::evaluations::grade_scale(db).await?.0;
    let judged = candidates(db, viewer, &rule, region, scale, as_of).await?;
    let region_names: std::collections::HashMap<i32, String> =
        crate::entity::region::Entity::find()
            .filter(super::scope::regions(viewer))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
    let zh = lang == rules_lang::Lang::Zh;
    let mut headers: Vec<String> = if zh {
        ["工号", "姓名", "区域", "状态", "未满足条件数"]
    } else {
        [
            "Employee no.",
            "Name",
            "Region",
            "Status",
            "Criteria failed",
        ]
    }
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    headers.extend(rule.criteria.iter().map(|c| rules::criterion_name(c, lang)));
    let mut rows: Vec<(usize, Vec<TableCell>)> = Vec::new();
    for r in judged {
        let Some(j) = r.judgements.first() else {
            continue;
        };
        let st = Standing::of(j);
        if status.is_some_and(|s| s != st) {
            continue;
        }
        let failed = j.outcomes.iter().filter(|o| !o.passed).count();
        let mut row = vec![
            r.rep
                .employee_no
                .clone()
                .map_or(TableCell::Empty, TableCell::Text),
            TableCell::Text(r.rep.name.clone()),
            region_names
                .get(&r.rep.region_id)
                .cloned()
                .map_or(TableCell::Empty, TableCell::Text),
            TableCell::Text(st.words(lang).to_owned()),
            TableCell::Int(i64::try_from(failed).unwrap_or(i64::MAX)),
        ];
        for (c, o) in rule.criteria.iter().zip(&j.outcomes) {
            row.push(TableCell::Text(if o.passed {
                if zh { "✓" } else { "passed" }.to_owned()
            } else {
                rules::missing_text(c, o, lang).unwrap_or_default()
            }));
        }
        rows.push((failed, row));
    }
    rows.sort_by_key(|(f, _)| *f);
    let rows: Vec<Vec<TableCell>> = rows.into_iter().map(|(_, r)| r).collect();
    super::transfer::export::write_table(&headers, &rows, format, out)
}
