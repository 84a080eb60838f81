//! GraphQL shape of promotion eligibility (晋升资格): the rules (versioned, a director's),
//! one rep's eligibility on a rule or on every path, and a region's candidates.
//! Texts are "中文 / English", as every message of the API.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use dudao_domain::columns::Lang;
use dudao_domain::promotion::{self as rules, Evidence, Judgement, Rule, Track};

use super::types::{ConnectionOf, Date, Rep, connection};
use super::{db, ids, viewer};
use crate::entity::{promotion_rule, promotion_rule_version};
use crate::error::AppError;
use crate::service::{self, page::Page, page::PageArgs};

fn both(f: impl Fn(Lang) -> String) -> String {
    format!("{} / {}", f(Lang::Zh), f(Lang::En))
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CareerTrack {
    /// 管理序列.
    Management,
    /// 专家序列.
    Expert,
}

impl From<CareerTrack> for Track {
    fn from(t: CareerTrack) -> Self {
        match t {
            CareerTrack::Management => Track::Management,
            CareerTrack::Expert => Track::Expert,
        }
    }
}

fn track_of(s: &str) -> CareerTrack {
    if s == "EXPERT" {
        CareerTrack::Expert
    } else {
        CareerTrack::Management
    }
}

/// A promotion rule: a track, the level it leads to and its criteria.
pub struct PromotionRule(pub promotion_rule::Model);

#[Object]
impl PromotionRule {
    async fn id(&self) -> ID {
        ids::encode("PromotionRule", self.0.id)
    }
    async fn track(&self) -> CareerTrack {
        track_of(&self.0.track)
    }
    async fn level(&self) -> &str {
        &self.0.level
    }
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The criteria in words ("中文 / English").
    async fn criteria(&self) -> Result<Vec<String>> {
        let r = service::promotion::rule_of(&self.0)?;
        Ok(r.criteria
            .iter()
            .map(|c| both(|l| rules::criterion_name(c, l)))
            .collect())
    }
    /// The criteria as data (what `savePromotionRule` takes): a JSON array of objects with
    /// a `kind` — METRIC_STREAK {metric: SALES_ATTAINMENT|COLLECTION_RATE, min (fraction),
    /// periods, period_kind}, LATEST_GRADE {category (null: overall), min_grade},
    /// GRADE_IN_LAST {period_kind, count, min_grade, category}, MIN_TENURE {months},
    /// MIN_COACHING {sessions}.
    async fn criteria_json(&self) -> &str {
        &self.0.criteria
    }
    /// Every saved version, newest first (who, when, why).
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<PromotionRuleVersion>> {
        Ok(service::promotion::versions(db(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(PromotionRuleVersion)
            .collect())
    }
}

pub struct PromotionRuleVersion(promotion_rule_version::Model);

#[Object]
impl PromotionRuleVersion {
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn criteria_json(&self) -> &str {
        &self.0.criteria
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }
    async fn changed_by(&self, ctx: &Context<'_>) -> Result<Option<super::types::User>> {
        let Some(u) = self.0.changed_by else {
            return Ok(None);
        };
        Ok(super::loaders(ctx)?
            .user
            .load_one(u)
            .await
            .map_err(super::load_err)?
            .map(super::types::User))
    }
}

/// One line of what decided a criterion, with the record it came from where there is one.
#[derive(SimpleObject)]
pub struct EvidenceItem {
    pub text: String,
    pub met: Option<bool>,
    /// The period it is about (`2026 Q1`), for a figure or an evaluation.
    pub period: Option<String>,
    /// The evaluation read (opaque id, `node(id:)`).
    pub evaluation_id: Option<ID>,
}

/// A criterion judged.
#[derive(SimpleObject)]
pub struct CriterionResult {
    pub name: String,
    pub passed: bool,
    /// What decided it, one line per period or record, joined by "; ".
    pub evidence: String,
    /// What would make it pass, in its own unit; null when it passed.
    pub missing: Option<String>,
    pub items: Vec<EvidenceItem>,
}

/// A rep against one rule.
#[derive(SimpleObject)]
pub struct PromotionEligibility {
    pub eligible: bool,
    /// Failing on exactly one criterion.
    pub nearly_eligible: bool,
    pub as_of: Date,
    pub rule_id: ID,
    pub rule_name: String,
    pub track: CareerTrack,
    pub level: String,
    pub criteria: Vec<CriterionResult>,
}

fn item(e: &Evidence) -> EvidenceItem {
    let text = both(|l| rules::evidence_text(e, l));
    match e {
        Evidence::Period { period, met, .. } => EvidenceItem {
            text,
            met: Some(*met),
            period: Some(rules::period_label(*period)),
            evaluation_id: None,
        },
        Evidence::Evaluation {
            id, period, met, ..
        } => EvidenceItem {
            text,
            met: Some(*met),
            period: Some(rules::period_label(*period)),
            evaluation_id: Some(ids::encode("Evaluation", *id)),
        },
        _ => EvidenceItem {
            text,
            met: None,
            period: None,
            evaluation_id: None,
        },
    }
}

fn eligibility(
    m: &promotion_rule::Model,
    rule: &Rule,
    j: &Judgement,
    as_of: chrono::NaiveDate,
) -> PromotionEligibility {
    PromotionEligibility {
        eligible: j.eligible,
        nearly_eligible: j.nearly(),
        as_of: Date(as_of),
        rule_id: ids::encode("PromotionRule", m.id),
        rule_name: format!("{} / {}", m.name_zh, m.name_en),
        track: track_of(&m.track),
        level: m.level.clone(),
        criteria: rule
            .criteria
            .iter()
            .zip(&j.outcomes)
            .map(|(c, o)| {
                let items: Vec<EvidenceItem> = o.evidence.iter().map(item).collect();
                CriterionResult {
                    name: both(|l| rules::criterion_name(c, l)),
                    passed: o.passed,
                    evidence: items
                        .iter()
                        .map(|i| i.text.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    missing: (!o.passed)
                        .then(|| both(|l| rules::missing_text(c, o, l).unwrap_or_default())),
                    items,
                }
            })
            .collect(),
    }
}

/// A rep of a candidates list with their standing on the rule.
#[derive(SimpleObject)]
pub struct PromotionCandidate {
    pub rep: Rep,
    pub eligibility: PromotionEligibility,
    /// Criteria failed.
    pub failed: i32,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CandidateStatus {
    Eligible,
    /// Failing exactly one criterion.
    NearlyEligible,
    NotEligible,
}

#[derive(InputObject)]
pub struct SavePromotionRuleInput {
    /// Absent to create one.
    pub id: Option<ID>,
    pub version: Option<i32>,
    pub track: CareerTrack,
    pub level: String,
    pub name_zh: String,
    pub name_en: String,
    /// The criteria as `PromotionRule.criteriaJson` describes them.
    pub criteria_json: String,
    #[graphql(default = true)]
    pub active: bool,
    /// Why it changed (kept with the version).
    pub note: Option<String>,
}

fn as_of_or_today(as_of: Option<Date>) -> chrono::NaiveDate {
    as_of.map_or_else(crate::clock::today, |d| d.0)
}

async fn scale(ctx: &Context<'_>) -> Result<dudao_domain::evaluation::GradeScale> {
    Ok(service::evaluations::grade_scale(db(ctx)?).await?.0)
}

#[derive(Default)]
pub struct PromotionQuery;

#[Object]
impl PromotionQuery {
    /// The promotion rules, active first (everyone signed in reads them: a rep sees their
    /// path).
    async fn promotion_rules(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_inactive: bool,
    ) -> Result<Vec<PromotionRule>> {
        viewer(ctx)?;
        Ok(service::promotion::list(db(ctx)?, include_inactive)
            .await?
            .into_iter()
            .map(PromotionRule)
            .collect())
    }

    /// Whether a rep is eligible, criterion by criterion with the evidence and what is
    /// missing, as of a day (default today). Without `ruleId`, the first active rule of the
    /// management track.
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn promotion_eligibility(
        &self,
        ctx: &Context<'_>,
        rep_id: ID,
        as_of: Option<Date>,
        rule_id: Option<ID>,
    ) -> Result<PromotionEligibility> {
        let paths = paths_of(ctx, rep_id, as_of, rule_id).await?;
        paths.into_iter().next().ok_or_else(|| {
            AppError::NotFound("没有启用的晋升规则 / no active promotion rule".into()).into()
        })
    }

    /// A rep's standing on every active rule (both tracks): what they meet and what is
    /// missing.
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn promotion_paths(
        &self,
        ctx: &Context<'_>,
        rep_id: ID,
        as_of: Option<Date>,
    ) -> Result<Vec<PromotionEligibility>> {
        paths_of(ctx, rep_id, as_of, None).await
    }

    /// Every rep the caller reads (of a region, if given) against one rule, eligible first
    /// then by criteria failed; filtered by status. The whole list is judged in a fixed
    /// number of statements.
    #[graphql(
        complexity = "super::AGGREGATE_COST + first.unwrap_or(20).max(1) as usize * child_complexity"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn promotion_candidates(
        &self,
        ctx: &Context<'_>,
        rule_id: ID,
        region_id: Option<ID>,
        status: Option<CandidateStatus>,
        as_of: Option<Date>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ConnectionOf<PromotionCandidate>> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let args = PageArgs::parse(first.map(i64::from), after.as_deref())?;
        let m = service::promotion::get(db, ids::decode(&rule_id, "PromotionRule")?).await?;
        let rule = service::promotion::rule_of(&m)?;
        let region = ids::decode_opt(region_id.as_ref(), "Region")?;
        let d = as_of_or_today(as_of);
        let scale = scale(ctx).await?;
        let judged = service::promotion::candidates(db, v, &rule, region, scale, d).await?;
        let mut rows: Vec<PromotionCandidate> = judged
            .into_iter()
            .filter_map(|r| {
                let j = r.judgements.into_iter().next()?;
                let st = if j.eligible {
                    CandidateStatus::Eligible
                } else if j.nearly() {
                    CandidateStatus::NearlyEligible
                } else {
                    CandidateStatus::NotEligible
                };
                if status.is_some_and(|s| s != st) {
                    return None;
                }
                let failed = j.outcomes.iter().filter(|o| !o.passed).count();
                Some(PromotionCandidate {
                    eligibility: eligibility(&m, &rule, &j, d),
                    rep: Rep(r.rep),
                    failed: i32::try_from(failed).unwrap_or(i32::MAX),
                })
            })
            .collect();
        rows.sort_by_key(|c| c.failed);
        let total = rows.len() as u64;
        let rows: Vec<PromotionCandidate> = rows
            .into_iter()
            .skip(usize::try_from(args.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(args.limit).unwrap_or(0))
            .collect();
        Ok(connection(
            Page {
                rows,
                offset: args.offset,
                total,
            },
            |c| c,
        ))
    }
}

async fn paths_of(
    ctx: &Context<'_>,
    rep_id: ID,
    as_of: Option<Date>,
    rule_id: Option<ID>,
) -> Result<Vec<PromotionEligibility>> {
    let v = viewer(ctx)?;
    let db = db(ctx)?;
    let r = service::reps::get(db, v, ids::decode(&rep_id, "Rep")?).await?;
    let d = as_of_or_today(as_of);
    // The Date scalar already refuses days outside 1900–2200.
    let models = match rule_id {
        Some(id) => vec![service::promotion::get(db, ids::decode(&id, "PromotionRule")?).await?],
        None => service::promotion::list(db, false).await?,
    };
    let rules: Vec<Rule> = models
        .iter()
        .map(service::promotion::rule_of)
        .collect::<Result<_, _>>()?;
    let scale = scale(ctx).await?;
    let rep_sql = r.id.to_string();
    let judged = service::promotion::judge(db, vec![r], &rep_sql, &rules, scale, d).await?;
    let Some(one) = judged.into_iter().next() else {
        return Ok(Vec::new());
    };
    Ok(models
        .iter()
        .zip(&rules)
        .zip(&one.judgements)
        .map(|((m, rule), j)| eligibility(m, rule, j, d))
        .collect())
}

#[derive(Default)]
pub struct PromotionMutation;

#[Object]
impl PromotionMutation {
    /// Creates or changes a promotion rule (DIRECTOR): every save is a version kept with
    /// who, when and why.
    async fn save_promotion_rule(
        &self,
        ctx: &Context<'_>,
        input: SavePromotionRuleInput,
    ) -> Result<PromotionRule> {
        let v = viewer(ctx)?;
        let m = service::promotion::save(
            db(ctx)?,
            v,
            service::promotion::RuleInput {
                id: ids::decode_opt(input.id.as_ref(), "PromotionRule")?,
                version: input.version,
                track: input.track.into(),
                level: input.level,
                name_zh: input.name_zh,
                name_en: input.name_en,
                criteria_json: input.criteria_json,
                active: input.active,
                note: input.note,
            },
        )
        .await?;
        Ok(PromotionRule(m))
    }
}
