//! Promotion eligibility (晋升资格), domain.md "Promotion eligibility": rules are data a
//! director edits — a career track, the level it leads to and criteria — and each criterion
//! is judged from a rep's facts with its evidence and what is still missing, in the
//! criterion's own unit. The server gathers the facts of a whole list of reps in a few
//! statements and calls [`evaluate`] per rep; nothing here reads a database.
//!
//! "Precisely", as of a day D:
//! - the last N quarters (months, years) are the N complete periods before the one that
//!   contains D; the running period never counts; a period with no target or no figure
//!   fails and says so;
//! - the latest grade is that of the latest FINALIZED evaluation by period end;
//! - grade at least G in each of the last N evaluations of a kind: the N latest FINALIZED
//!   ones of that kind, fewer than N fails;
//! - tenure of N months holds when hire date + N months ≤ D (on the day counts);
//! - coaching sessions received are counted in the 12 months up to D ([`coaching_window`]).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Code;
use crate::columns::Lang;
use crate::evaluation::{IndicatorCategory, grade_rank};
use crate::{Period, PeriodKind};

/// A career track.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Track {
    /// 管理序列: team lead, regional manager.
    Management,
    /// 专家序列: product specialist and the like.
    Expert,
}

impl Track {
    pub fn as_str(self) -> &'static str {
        match self {
            Track::Management => "MANAGEMENT",
            Track::Expert => "EXPERT",
        }
    }
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Track::Management, Lang::Zh) => "管理序列",
            (Track::Management, Lang::En) => "Management track",
            (Track::Expert, Lang::Zh) => "专家序列",
            (Track::Expert, Lang::En) => "Expert track",
        }
    }
}

/// Tracks are stored as text (`promotion_rules.track`): one code each, as in [`crate::code`].
impl Code for Track {
    const ALL: &'static [Self] = &[Track::Management, Track::Expert];
    const WHAT: &'static str = "career track";
    fn code(self) -> &'static str {
        self.as_str()
    }
}

/// A figure a streak criterion reads per period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Metric {
    /// Sales against the sales target (needs a target).
    SalesAttainment,
    /// Collected against due (needs something due).
    CollectionRate,
}

impl Metric {
    /// The code, as in the rules' JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::SalesAttainment => "SALES_ATTAINMENT",
            Metric::CollectionRate => "COLLECTION_RATE",
        }
    }
}

impl Code for Metric {
    const ALL: &'static [Self] = &[Metric::SalesAttainment, Metric::CollectionRate];
    const WHAT: &'static str = "promotion metric";
    fn code(self) -> &'static str {
        self.as_str()
    }
}

/// One condition of a rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Criterion {
    /// `metric` ≥ `min` (a fraction: 1.0 = 100%) in each of the last `periods` complete
    /// periods of `period_kind`.
    MetricStreak {
        metric: Metric,
        min: f64,
        periods: u32,
        period_kind: PeriodKind,
    },
    /// The latest FINALIZED evaluation's grade — overall, or in `category` (the latest
    /// evaluation that grades that category) — at least `min_grade`.
    LatestGrade {
        category: Option<IndicatorCategory>,
        min_grade: String,
    },
    /// Grade at least `min_grade` (overall or in `category`) in each of the `count` latest
    /// FINALIZED evaluations of `period_kind`.
    GradeInLast {
        period_kind: PeriodKind,
        count: u32,
        min_grade: String,
        category: Option<IndicatorCategory>,
    },
    /// Hired at least `months` months before.
    MinTenure { months: u32 },
    /// At least `sessions` coaching sessions received in the 12 months up to the day.
    MinCoaching { sessions: u32 },
}

/// A rule: the track, the level it leads to, its names and criteria.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub track: Track,
    pub level: String,
    pub name_zh: String,
    pub name_en: String,
    pub criteria: Vec<Criterion>,
}

/// Why a rule cannot be saved.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum RuleError {
    #[error("规则需要名称和级别 / a rule needs names and a level")]
    Names,
    #[error("规则至少需要一个条件，至多 20 个 / a rule needs 1 to 20 criteria")]
    Count,
    #[error("期数须为 1–12 / periods and counts are 1 to 12")]
    Periods,
    #[error("达成门槛须在 0–1000% 之间 / a threshold is between 0 and 1000%")]
    Threshold,
    #[error("等级须为 A、B、C 或 D / a grade is A, B, C or D")]
    Grade,
    #[error("司龄须为 0–600 个月 / tenure is 0 to 600 months")]
    Tenure,
    #[error("辅导次数须为 0–500 / coaching sessions are 0 to 500")]
    Sessions,
}

/// Checks a rule before it is saved.
pub fn validate_rule(r: &Rule) -> Result<(), RuleError> {
    let filled = |s: &str| !s.trim().is_empty() && s.chars().count() <= 100;
    if !(filled(&r.level) && filled(&r.name_zh) && filled(&r.name_en)) {
        return Err(RuleError::Names);
    }
    if r.criteria.is_empty() || r.criteria.len() > 20 {
        return Err(RuleError::Count);
    }
    for c in &r.criteria {
        match c {
            Criterion::MetricStreak { min, periods, .. } => {
                if !(1..=12).contains(periods) {
                    return Err(RuleError::Periods);
                }
                if !(min.is_finite() && (0.0..=10.0).contains(min)) {
                    return Err(RuleError::Threshold);
                }
            }
            Criterion::LatestGrade { min_grade, .. } => {
                grade_rank(min_grade).ok_or(RuleError::Grade)?;
            }
            Criterion::GradeInLast {
                count, min_grade, ..
            } => {
                if !(1..=12).contains(count) {
                    return Err(RuleError::Periods);
                }
                grade_rank(min_grade).ok_or(RuleError::Grade)?;
            }
            Criterion::MinTenure { months } if *months > 600 => return Err(RuleError::Tenure),
            Criterion::MinCoaching { sessions } if *sessions > 500 => {
                return Err(RuleError::Sessions);
            }
            Criterion::MinTenure { .. } | Criterion::MinCoaching { .. } => {}
        }
    }
    Ok(())
}

/// The rules that ship, for both tracks.
pub fn default_rules() -> Vec<Rule> {
    let quarters = |metric, min| Criterion::MetricStreak {
        metric,
        min,
        periods: 4,
        period_kind: PeriodKind::Quarter,
    };
    vec![
        Rule {
            track: Track::Management,
            level: "主管 Team lead".into(),
            name_zh: "晋升主管".into(),
            name_en: "Promotion to team lead".into(),
            criteria: vec![
                quarters(Metric::SalesAttainment, 1.0),
                Criterion::LatestGrade {
                    category: Some(IndicatorCategory::Capability),
                    min_grade: "A".into(),
                },
                Criterion::MinTenure { months: 12 },
                Criterion::MinCoaching { sessions: 6 },
            ],
        },
        Rule {
            track: Track::Management,
            level: "区域经理 Regional manager".into(),
            name_zh: "区域经理候选".into(),
            name_en: "Regional manager candidate".into(),
            criteria: vec![
                Criterion::GradeInLast {
                    period_kind: PeriodKind::Year,
                    count: 3,
                    min_grade: "A".into(),
                    category: None,
                },
                Criterion::MinTenure { months: 36 },
            ],
        },
        Rule {
            track: Track::Expert,
            level: "产品专家 Product specialist".into(),
            name_zh: "产品专家".into(),
            name_en: "Product specialist".into(),
            criteria: vec![
                Criterion::LatestGrade {
                    category: Some(IndicatorCategory::Capability),
                    min_grade: "A".into(),
                },
                quarters(Metric::CollectionRate, 0.95),
                Criterion::MinTenure { months: 24 },
            ],
        },
    ]
}

/// The periods a streak criterion reads as of `d`: the `n` complete periods before the
/// one containing `d`, oldest first.
pub fn streak_periods(kind: PeriodKind, n: u32, d: NaiveDate) -> Vec<Period> {
    let mut out = Vec::new();
    let mut p = Period::containing(kind, d);
    for _ in 0..n {
        p = p.previous();
        out.push(p);
    }
    out.reverse();
    out
}

/// Every period the rules read as of `d` (for the server to fetch in one go).
pub fn periods_needed<'a>(rules: impl IntoIterator<Item = &'a Rule>, d: NaiveDate) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for r in rules {
        for c in &r.criteria {
            if let Criterion::MetricStreak {
                periods,
                period_kind,
                ..
            } = c
            {
                for p in streak_periods(*period_kind, *periods, d) {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
        }
    }
    out
}

/// The days whose coaching sessions count as of `d`: the 12 months up to and including
/// `d` (from the day after `d` − 12 months).
pub fn coaching_window(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = d
        .checked_sub_months(Months::new(12))
        .and_then(|x| x.succ_opt())
        .unwrap_or(d);
    (from, d)
}

/// A period's figure as the server read it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PeriodFigure {
    /// Sales in cents.
    pub sales_cents: i64,
    pub sales_target_cents: Option<i64>,
    pub due_cents: i64,
    pub collected_cents: i64,
}

/// A FINALIZED evaluation of the rep.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluationFact {
    pub id: i32,
    pub period: Period,
    pub grade: Option<String>,
    /// Grades per category (from its stored category scores on the grade scale).
    pub categories: Vec<(IndicatorCategory, String)>,
}

/// What the rules read of one rep.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RepFacts {
    pub hire_date: Option<NaiveDate>,
    /// By period (only those [`periods_needed`] asked for).
    pub figures: Vec<(Period, PeriodFigure)>,
    pub evaluations: Vec<EvaluationFact>,
    /// Sessions received in the [`coaching_window`].
    pub coaching_sessions: u32,
}

/// What decided a criterion, one line each.
#[derive(Clone, Debug, PartialEq)]
pub enum Evidence {
    /// A period's figure against the threshold.
    Period {
        period: Period,
        value: Option<f64>,
        met: bool,
        /// NO_TARGET or NO_FIGURE when there was nothing to compare.
        missing: Option<&'static str>,
    },
    /// An evaluation that counted, with the grade read.
    Evaluation {
        id: i32,
        period: Period,
        grade: Option<String>,
        met: bool,
    },
    Tenure {
        months: u32,
        hired: Option<NaiveDate>,
    },
    Sessions {
        count: u32,
    },
    /// No evaluation to read (or fewer than asked: `found` of `needed`), of `kind` when
    /// the criterion asks for one kind ("2 of 3 annual evaluations exist").
    NoEvaluations {
        found: u32,
        needed: u32,
        kind: Option<PeriodKind>,
    },
}

/// One criterion judged.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    pub evidence: Vec<Evidence>,
    /// How many units are missing (periods, evaluations, grade steps, months, sessions);
    /// 0 when passed.
    pub shortfall: u32,
}

/// A rule judged for one rep.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    pub eligible: bool,
    pub outcomes: Vec<Outcome>,
}

impl Judgement {
    /// Failing on exactly one criterion ("nearly eligible").
    pub fn nearly(&self) -> bool {
        self.outcomes.iter().filter(|o| !o.passed).count() == 1
    }
}

/// Whole months from `from` to `to` (on the day counts: Jan 31 + 1 month is Feb 28/29).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = 0u32;
    while n < 1200 {
        match from.checked_add_months(Months::new(n + 1)) {
            Some(x) if x <= to => n += 1,
            _ => break,
        }
    }
    n
}

fn grade_of(e: &EvaluationFact, category: Option<IndicatorCategory>) -> Option<String> {
    match category {
        None => e.grade.clone(),
        Some(c) => e
            .categories
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, g)| g.clone()),
    }
}

fn at_least(grade: Option<&str>, min: &str) -> bool {
    match (grade.and_then(grade_rank), grade_rank(min)) {
        (Some(g), Some(m)) => g >= m,
        _ => false,
    }
}

/// Judges one criterion as of `d`.
pub fn judge(c: &Criterion, facts: &RepFacts, d: NaiveDate) -> Outcome {
    match c {
        Criterion::MetricStreak {
            metric,
            min,
            periods,
            period_kind,
        } => {
            let evidence: Vec<Evidence> = streak_periods(*period_kind, *periods, d)
                .into_iter()
                .map(|p| {
                    let f = facts
                        .figures
                        .iter()
                        .find(|(q, _)| *q == p)
                        .map(|(_, f)| *f)
                        .unwrap_or_default();
                    let (value, missing) = match metric {
                        Metric::SalesAttainment => match f.sales_target_cents {
                            Some(t) if t > 0 => (Some(f.sales_cents as f64 / t as f64), None),
                            _ => (None, Some("NO_TARGET")),
                        },
                        Metric::CollectionRate => {
                            if f.due_cents > 0 {
                                (Some(f.collected_cents as f64 / f.due_cents as f64), None)
                            } else {
                                (None, Some("NO_FIGURE"))
                            }
                        }
                    };
                    Evidence::Period {
                        period: p,
                        value,
                        met: value.is_some_and(|v| v >= *min),
                        missing,
                    }
                })
                .collect();
            let short = evidence
                .iter()
                .filter(|e| matches!(e, Evidence::Period { met: false, .. }))
                .count() as u32;
            Outcome {
                passed: short == 0,
                evidence,
                shortfall: short,
            }
        }
        Criterion::LatestGrade {
            category,
            min_grade,
        } => {
            // The latest that grades what is asked: a quarterly evaluation without
            // CAPABILITY indicators says nothing about capability.
            let latest = facts
                .evaluations
                .iter()
                .filter(|e| e.period.start() <= d && grade_of(e, *category).is_some())
                .max_by_key(|e| (e.period.end_exclusive(), e.period.start(), e.id));
            match latest {
                None => Outcome {
                    passed: false,
                    evidence: vec![Evidence::NoEvaluations {
                        found: 0,
                        needed: 1,
                        kind: None,
                    }],
                    shortfall: 1,
                },
                Some(e) => {
                    let g = grade_of(e, *category);
                    let met = at_least(g.as_deref(), min_grade);
                    let steps = match (g.as_deref().and_then(grade_rank), grade_rank(min_grade)) {
                        (Some(have), Some(need)) => u32::from(need.saturating_sub(have)),
                        _ => 1,
                    };
                    Outcome {
                        passed: met,
                        evidence: vec![Evidence::Evaluation {
                            id: e.id,
                            period: e.period,
                            grade: g,
                            met,
                        }],
                        shortfall: if met { 0 } else { steps.max(1) },
                    }
                }
            }
        }
        Criterion::GradeInLast {
            period_kind,
            count,
            min_grade,
            category,
        } => {
            let mut of_kind: Vec<&EvaluationFact> = facts
                .evaluations
                .iter()
                .filter(|e| e.period.kind == *period_kind && e.period.start() <= d)
                .collect();
            of_kind.sort_by_key(|e| std::cmp::Reverse((e.period.end_exclusive(), e.id)));
            of_kind.truncate(*count as usize);
            let mut evidence: Vec<Evidence> = of_kind
                .iter()
                .map(|e| {
                    let g = grade_of(e, *category);
                    let met = at_least(g.as_deref(), min_grade);
                    Evidence::Evaluation {
                        id: e.id,
                        period: e.period,
                        grade: g,
                        met,
                    }
                })
                .collect();
            let found = of_kind.len() as u32;
            let failed = evidence
                .iter()
                .filter(|e| matches!(e, Evidence::Evaluation { met: false, .. }))
                .count() as u32;
            if found < *count {
                evidence.push(Evidence::NoEvaluations {
                    found,
                    needed: *count,
                    kind: Some(*period_kind),
                });
            }
            let short = failed + count.saturating_sub(found);
            Outcome {
                passed: short == 0,
                evidence,
                shortfall: short,
            }
        }
        Criterion::MinTenure { months } => {
            let have = facts.hire_date.map_or(0, |h| months_between(h, d));
            Outcome {
                passed: facts.hire_date.is_some() && have >= *months,
                evidence: vec![Evidence::Tenure {
                    months: have,
                    hired: facts.hire_date,
                }],
                // Without a hire date nothing is known: short by the whole tenure.
                shortfall: if facts.hire_date.is_some() {
                    months.saturating_sub(have)
                } else {
                    (*months).max(1)
                },
            }
        }
        Criterion::MinCoaching { sessions } => Outcome {
            passed: facts.coaching_sessions >= *sessions,
            evidence: vec![Evidence::Sessions {
                count: facts.coaching_sessions,
            }],
            shortfall: sessions.saturating_sub(facts.coaching_sessions),
        },
    }
}

/// Judges every criterion of `rule` for one rep as of `d`: eligible when all pass.
pub fn evaluate(rule: &Rule, facts: &RepFacts, d: NaiveDate) -> Judgement {
    let outcomes: Vec<Outcome> = rule.criteria.iter().map(|c| judge(c, facts, d)).collect();
    Judgement {
        eligible: outcomes.iter().all(|o| o.passed),
        outcomes,
    }
}

// ---- words -------------------------------------------------------------------------

fn kind_words(k: PeriodKind, lang: Lang, n: u32) -> String {
    match (k, lang) {
        (PeriodKind::Month, Lang::Zh) => format!("{n} 个月"),
        (PeriodKind::Quarter, Lang::Zh) => format!("{n} 个季度"),
        (PeriodKind::Year, Lang::Zh) => format!("{n} 年"),
        (PeriodKind::Month, Lang::En) => format!("{n} month{}", plural(n)),
        (PeriodKind::Quarter, Lang::En) => format!("{n} quarter{}", plural(n)),
        (PeriodKind::Year, Lang::En) => format!("{n} year{}", plural(n)),
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A period as people say it: `2026 Q1`, `2026-03`, `2025`.
pub fn period_label(p: Period) -> String {
    match p.kind {
        PeriodKind::Month => format!("{}-{:02}", p.year, p.index),
        PeriodKind::Quarter => format!("{} Q{}", p.year, p.index),
        PeriodKind::Year => format!("{}", p.year),
    }
}

fn pct(v: f64) -> String {
    percent(100.0 * v)
}

/// A period's value as shown: rounded to 0.01%, except that a value short of the
/// threshold is cut, never rounded up onto it (99.996% reads 99.99%, not a failing 100%).
fn pct_shown(v: f64, met: bool) -> String {
    if met {
        pct(v)
    } else {
        // The epsilon keeps 0.29 (28.999…% in binary) at 29%.
        percent((v * 10_000.0 + 1e-6).floor() / 100.0)
    }
}

fn percent(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

fn metric_words(m: Metric, lang: Lang) -> &'static str {
    match (m, lang) {
        (Metric::SalesAttainment, Lang::Zh) => "销售达成率",
        (Metric::SalesAttainment, Lang::En) => "sales attainment",
        (Metric::CollectionRate, Lang::Zh) => "回款率",
        (Metric::CollectionRate, Lang::En) => "collection rate",
    }
}

fn category_words(c: Option<IndicatorCategory>, lang: Lang) -> &'static str {
    match (c, lang) {
        (None, Lang::Zh) => "总评",
        (None, Lang::En) => "overall",
        (Some(IndicatorCategory::Result), Lang::Zh) => "结果",
        (Some(IndicatorCategory::Result), Lang::En) => "results",
        (Some(IndicatorCategory::Process), Lang::Zh) => "过程",
        (Some(IndicatorCategory::Process), Lang::En) => "process",
        (Some(IndicatorCategory::Capability), Lang::Zh) => "能力",
        (Some(IndicatorCategory::Capability), Lang::En) => "capability",
    }
}

/// What a criterion asks, in words.
pub fn criterion_name(c: &Criterion, lang: Lang) -> String {
    match (c, lang) {
        (
            Criterion::MetricStreak {
                metric,
                min,
                periods,
                period_kind,
            },
            Lang::Zh,
        ) => format!(
            "最近 {} {} ≥ {}",
            kind_words(*period_kind, lang, *periods),
            metric_words(*metric, lang),
            pct(*min)
        ),
        (
            Criterion::MetricStreak {
                metric,
                min,
                periods,
                period_kind,
            },
            Lang::En,
        ) => format!(
            "{} ≥ {} in each of the last {}",
            metric_words(*metric, lang),
            pct(*min),
            kind_words(*period_kind, lang, *periods)
        ),
        (
            Criterion::LatestGrade {
                category,
                min_grade,
            },
            Lang::Zh,
        ) => format!(
            "最近一次评估{}等级 ≥ {min_grade}",
            category_words(*category, lang)
        ),
        (
            Criterion::LatestGrade {
                category,
                min_grade,
            },
            Lang::En,
        ) => format!(
            "latest {} grade at least {min_grade}",
            category_words(*category, lang)
        ),
        (
            Criterion::GradeInLast {
                period_kind,
                count,
                min_grade,
                category,
            },
            Lang::Zh,
        ) => format!(
            "最近 {count} 次{}评估{}等级均 ≥ {min_grade}",
            period_kind_words(*period_kind, lang),
            category_words(*category, lang)
        ),
        (
            Criterion::GradeInLast {
                period_kind,
                count,
                min_grade,
                category,
            },
            Lang::En,
        ) => format!(
            "{} grade at least {min_grade} in the last {count} {} evaluations",
            category_words(*category, lang),
            period_kind_words(*period_kind, lang)
        ),
        (Criterion::MinTenure { months }, Lang::Zh) => format!("司龄 ≥ {months} 个月"),
        (Criterion::MinTenure { months }, Lang::En) => {
            format!("tenure of at least {months} month{}", plural(*months))
        }
        (Criterion::MinCoaching { sessions }, Lang::Zh) => {
            format!("近 12 个月接受辅导 ≥ {sessions} 次")
        }
        (Criterion::MinCoaching { sessions }, Lang::En) => format!(
            "at least {sessions} coaching session{} received in 12 months",
            plural(*sessions)
        ),
    }
}

fn period_kind_words(k: PeriodKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (PeriodKind::Month, Lang::Zh) => "月度",
        (PeriodKind::Quarter, Lang::Zh) => "季度",
        (PeriodKind::Year, Lang::Zh) => "年度",
        (PeriodKind::Month, Lang::En) => "monthly",
        (PeriodKind::Quarter, Lang::En) => "quarterly",
        (PeriodKind::Year, Lang::En) => "annual",
    }
}

/// One line of evidence in words.
pub fn evidence_text(e: &Evidence, lang: Lang) -> String {
    match (e, lang) {
        (
            Evidence::Period {
                period,
                value,
                missing,
                met,
            },
            _,
        ) => {
            let what = match (value, missing, lang) {
                (Some(v), _, _) => pct_shown(*v, *met),
                (None, Some("NO_TARGET"), Lang::Zh) => "无目标".into(),
                (None, Some("NO_TARGET"), Lang::En) => "no target".into(),
                (None, _, Lang::Zh) => "无数据".into(),
                (None, _, Lang::En) => "no figure".into(),
            };
            format!("{}: {what}", period_label(*period))
        }
        (Evidence::Evaluation { period, grade, .. }, Lang::Zh) => format!(
            "{} 评估：{}",
            period_label(*period),
            grade.as_deref().unwrap_or("无等级")
        ),
        (Evidence::Evaluation { period, grade, .. }, Lang::En) => format!(
            "{} evaluation: {}",
            period_label(*period),
            grade.as_deref().unwrap_or("no grade")
        ),
        (Evidence::Tenure { months, hired }, Lang::Zh) => match hired {
            Some(h) => format!("{h} 入职，司龄 {months} 个月"),
            None => "无入职日期".into(),
        },
        (Evidence::Tenure { months, hired }, Lang::En) => match hired {
            Some(h) => format!("hired {h}, tenure {months} month{}", plural(*months)),
            None => "no hire date".into(),
        },
        (Evidence::Sessions { count }, Lang::Zh) => format!("近 12 个月接受辅导 {count} 次"),
        (Evidence::Sessions { count }, Lang::En) => {
            format!("{count} coaching session{} in 12 months", plural(*count))
        }
        (
            Evidence::NoEvaluations {
                found: 0,
                kind: None,
                ..
            },
            Lang::Zh,
        ) => "没有已定稿的评估".into(),
        (
            Evidence::NoEvaluations {
                found: 0,
                kind: None,
                ..
            },
            Lang::En,
        ) => "no finalized evaluation".into(),
        (
            Evidence::NoEvaluations {
                found,
                needed,
                kind,
            },
            Lang::Zh,
        ) => format!(
            "已定稿{}评估 {found} 次，需要 {needed} 次",
            kind.map_or("", |k| period_kind_words(k, lang))
        ),
        (
            Evidence::NoEvaluations {
                found,
                needed,
                kind,
            },
            Lang::En,
        ) => {
            let what = kind.map_or("finalized", |k| period_kind_words(k, lang));
            let verb = if *found == 1 { "exists" } else { "exist" };
            format!(
                "{found} of {needed} {what} evaluation{} {verb}",
                plural(*needed)
            )
        }
    }
}

/// What would make a failed criterion pass, in its own unit; `None` when it passed.
pub fn missing_text(c: &Criterion, o: &Outcome, lang: Lang) -> Option<String> {
    if o.passed {
        return None;
    }
    let n = o.shortfall;
    Some(match (c, lang) {
        (
            Criterion::MetricStreak {
                min, period_kind, ..
            },
            Lang::Zh,
        ) => format!("还差 {} ≥ {}", kind_words(*period_kind, lang, n), pct(*min)),
        (
            Criterion::MetricStreak {
                min, period_kind, ..
            },
            Lang::En,
        ) => {
            let unit = match period_kind {
                PeriodKind::Month => "month",
                PeriodKind::Quarter => "quarter",
                PeriodKind::Year => "year",
            };
            format!("needs {n} more {unit}{} ≥ {}", plural(n), pct(*min))
        }
        (Criterion::LatestGrade { min_grade, .. }, _) => {
            let have = o.evidence.iter().find_map(|e| match e {
                Evidence::Evaluation { grade, .. } => grade.clone(),
                _ => None,
            });
            match (have, lang) {
                (Some(g), Lang::Zh) => format!("等级 {g}，需要 {min_grade}"),
                (Some(g), Lang::En) => format!("grade {g}, needs {min_grade}"),
                (None, Lang::Zh) => format!("没有已定稿的评估，需要等级 {min_grade}"),
                (None, Lang::En) => format!("no finalized evaluation, needs grade {min_grade}"),
            }
        }
        (Criterion::GradeInLast { min_grade, .. }, Lang::Zh) => {
            format!("还差 {n} 次等级 ≥ {min_grade} 的评估")
        }
        (Criterion::GradeInLast { min_grade, .. }, Lang::En) => format!(
            "needs {n} more evaluation{} graded {min_grade} or better",
            plural(n)
        ),
        (Criterion::MinTenure { months }, _) => {
            let have = o.evidence.iter().find_map(|e| match e {
                Evidence::Tenure {
                    months,
                    hired: Some(_),
                } => Some(*months),
                _ => None,
            });
            match (have, lang) {
                (Some(h), Lang::Zh) => format!("司龄 {h} 个月，需要 {months} 个月"),
                (Some(h), Lang::En) => format!("tenure {h} month{}, needs {months}", plural(h)),
                (None, Lang::Zh) => format!("无入职日期，需要司龄 {months} 个月"),
                (None, Lang::En) => format!(
                    "no hire date, needs {months} month{} of tenure",
                    plural(*months)
                ),
            }
        }
        (Criterion::MinCoaching { sessions }, Lang::Zh) => {
            format!("还需接受辅导 {n} 次（需要 {sessions} 次）")
        }
        (Criterion::MinCoaching { sessions }, Lang::En) => {
            format!(
                "needs {n} more coaching session{} (of {sessions})",
                plural(n)
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn sales_rule() -> Criterion {
        Criterion::MetricStreak {
            metric: Metric::SalesAttainment,
            min: 1.0,
            periods: 4,
            period_kind: PeriodKind::Quarter,
        }
    }

    /// Quarters of 2025 Q3 … 2026 Q2 at the given attainments (None: no target).
    fn quarters(att: [Option<f64>; 4]) -> RepFacts {
        let qs = [
            Period::quarter(2025, 3),
            Period::quarter(2025, 4),
            Period::quarter(2026, 1),
            Period::quarter(2026, 2),
        ];
        let mut figures: Vec<(Period, PeriodFigure)> = qs
            .iter()
            .zip(att)
            .map(|(p, a)| {
                (
                    *p,
                    PeriodFigure {
                        sales_cents: a.map_or(500_000, |a| (a * 1_000_000.0).round() as i64),
                        sales_target_cents: a.map(|_| 1_000_000),
                        ..Default::default()
                    },
                )
            })
            .collect();
        // The running quarter (2026 Q3) at 200%: it never counts.
        figures.push((
            Period::quarter(2026, 3),
            PeriodFigure {
                sales_cents: 2_000_000,
                sales_target_cents: Some(1_000_000),
                ..Default::default()
            },
        ));
        RepFacts {
            figures,
            ..Default::default()
        }
    }

    #[test]
    fn exactly_four_quarters_at_target_pass_and_the_running_one_does_not_count() {
        let f = quarters([Some(1.0), Some(1.2), Some(1.0), Some(1.05)]);
        let o = judge(&sales_rule(), &f, d(2026, 8, 15));
        assert!(o.passed, "{o:?}");
        assert_eq!(o.evidence.len(), 4);
        assert!(
            matches!(o.evidence[0], Evidence::Period { period, .. } if period == Period::quarter(2025, 3))
        );
        // As of the first day of 2026 Q3 the same four quarters decide.
        assert!(judge(&sales_rule(), &f, d(2026, 7, 1)).passed);
        // As of the last day of Q2, Q2 is still running: 2025 Q2 (no figures) is read.
        let o = judge(&sales_rule(), &f, d(2026, 6, 30));
        assert!(!o.passed);
        assert_eq!(
            evidence_text(&o.evidence[0], Lang::En),
            "2025 Q2: no target"
        );
    }

    #[test]
    fn a_quarter_at_99_99_percent_fails_by_one_quarter() {
        let f = quarters([Some(1.0), Some(0.9999), Some(1.3), Some(1.0)]);
        let c = sales_rule();
        let o = judge(&c, &f, d(2026, 8, 15));
        assert!(!o.passed);
        assert_eq!(o.shortfall, 1);
        assert_eq!(
            missing_text(&c, &o, Lang::En).as_deref(),
            Some("needs 1 more quarter ≥ 100%")
        );
        assert_eq!(
            missing_text(&c, &o, Lang::Zh).as_deref(),
            Some("还差 1 个季度 ≥ 100%")
        );
        assert_eq!(evidence_text(&o.evidence[1], Lang::Zh), "2025 Q4: 99.99%");
    }

    #[test]
    fn a_gap_quarter_without_a_target_fails_and_says_so() {
        let f = quarters([Some(1.1), None, Some(1.1), Some(1.1)]);
        let o = judge(&sales_rule(), &f, d(2026, 9, 30));
        assert!(!o.passed);
        assert_eq!(
            evidence_text(&o.evidence[1], Lang::En),
            "2025 Q4: no target"
        );
        assert_eq!(evidence_text(&o.evidence[1], Lang::Zh), "2025 Q4: 无目标");
    }

    #[test]
    fn collection_rate_needs_something_due() {
        let c = Criterion::MetricStreak {
            metric: Metric::CollectionRate,
            min: 0.95,
            periods: 1,
            period_kind: PeriodKind::Quarter,
        };
        let mut f = RepFacts::default();
        let o = judge(&c, &f, d(2026, 4, 2));
        assert_eq!(
            evidence_text(&o.evidence[0], Lang::En),
            "2026 Q1: no figure"
        );
        f.figures.push((
            Period::quarter(2026, 1),
            PeriodFigure {
                due_cents: 1000,
                collected_cents: 950,
                ..Default::default()
            },
        ));
        assert!(judge(&c, &f, d(2026, 4, 2)).passed);
    }

    fn eval(id: i32, p: Period, grade: &str, cap: &str) -> EvaluationFact {
        EvaluationFact {
            id,
            period: p,
            grade: Some(grade.into()),
            categories: vec![(IndicatorCategory::Capability, cap.into())],
        }
    }

    #[test]
    fn the_latest_grade_is_read_by_period_end_and_none_fails() {
        let c = Criterion::LatestGrade {
            category: Some(IndicatorCategory::Capability),
            min_grade: "A".into(),
        };
        let mut f = RepFacts::default();
        let o = judge(&c, &f, d(2026, 8, 1));
        assert!(!o.passed);
        assert_eq!(
            missing_text(&c, &o, Lang::En).as_deref(),
            Some("no finalized evaluation, needs grade A")
        );
        // Id 9 is newer as a record but older as a period: the 2026 Q1 one decides; a
        // later evaluation without a capability grade does not.
        f.evaluations = vec![
            eval(9, Period::quarter(2025, 4), "A", "A"),
            eval(3, Period::quarter(2026, 1), "A", "B"),
            EvaluationFact {
                id: 11,
                period: Period::quarter(2026, 2),
                grade: Some("A".into()),
                categories: Vec::new(),
            },
        ];
        let o = judge(&c, &f, d(2026, 8, 1));
        assert!(!o.passed);
        assert_eq!(
            missing_text(&c, &o, Lang::En).as_deref(),
            Some("grade B, needs A")
        );
        assert_eq!(
            missing_text(&c, &o, Lang::Zh).as_deref(),
            Some("等级 B，需要 A")
        );
    }

    #[test]
    fn grade_in_the_last_three_annual_evaluations() {
        let c = Criterion::GradeInLast {
            period_kind: PeriodKind::Year,
            count: 3,
            min_grade: "A".into(),
            category: None,
        };
        let mut f = RepFacts {
            evaluations: vec![
                eval(1, Period::year(2024), "A", "A"),
                eval(2, Period::year(2025), "A", "A"),
                eval(5, Period::quarter(2025, 4), "D", "D"),
            ],
            ..Default::default()
        };
        let o = judge(&c, &f, d(2026, 3, 1));
        assert!(!o.passed);
        assert_eq!(o.shortfall, 1);
        assert_eq!(
            evidence_text(
                o.evidence
                    .last()
                    .unwrap_or(&Evidence::Sessions { count: 0 }),
                Lang::En
            ),
            "2 of 3 annual evaluations exist"
        );
        f.evaluations.push(eval(0, Period::year(2023), "A", "B"));
        assert!(judge(&c, &f, d(2026, 3, 1)).passed);
        // An older B beyond the last three does not matter; a B among them does.
        f.evaluations.push(eval(7, Period::year(2022), "B", "B"));
        assert!(judge(&c, &f, d(2026, 3, 1)).passed);
        f.evaluations[1].grade = Some("B".into());
        let o = judge(&c, &f, d(2026, 3, 1));
        assert_eq!((o.passed, o.shortfall), (false, 1));
    }

    #[test]
    fn tenure_holds_on_the_day() {
        let c = Criterion::MinTenure { months: 12 };
        let f = RepFacts {
            hire_date: Some(d(2025, 8, 15)),
            ..Default::default()
        };
        assert!(judge(&c, &f, d(2026, 8, 15)).passed);
        let o = judge(&c, &f, d(2026, 8, 14));
        assert!(!o.passed);
        assert_eq!(
            missing_text(&c, &o, Lang::En).as_deref(),
            Some("tenure 11 months, needs 12")
        );
        assert_eq!(
            missing_text(&c, &o, Lang::Zh).as_deref(),
            Some("司龄 11 个月，需要 12 个月")
        );
        // Jan 31 + 1 month is the end of February.
        assert_eq!(months_between(d(2026, 1, 31), d(2026, 2, 28)), 1);
        assert_eq!(months_between(d(2026, 1, 31), d(2026, 2, 27)), 0);
        assert!(!judge(&c, &RepFacts::default(), d(2026, 1, 1)).passed);
    }

    #[test]
    fn coaching_counts_the_twelve_months_up_to_the_day() {
        assert_eq!(
            coaching_window(d(2026, 8, 15)),
            (d(2025, 8, 16), d(2026, 8, 15))
        );
        let c = Criterion::MinCoaching { sessions: 6 };
        let f = RepFacts {
            coaching_sessions: 4,
            ..Default::default()
        };
        let o = judge(&c, &f, d(2026, 8, 15));
        assert_eq!(
            missing_text(&c, &o, Lang::En).as_deref(),
            Some("needs 2 more coaching sessions (of 6)")
        );
    }

    #[test]
    fn eligible_only_when_every_criterion_passes_and_nearly_when_one_fails() {
        let rule = Rule {
            track: Track::Management,
            level: "主管".into(),
            name_zh: "晋升主管".into(),
            name_en: "Team lead".into(),
            criteria: vec![sales_rule(), Criterion::MinTenure { months: 12 }],
        };
        let mut f = quarters([Some(1.0); 4]);
        f.hire_date = Some(d(2020, 1, 1));
        let j = evaluate(&rule, &f, d(2026, 8, 15));
        assert!(j.eligible && !j.nearly());
        f.hire_date = Some(d(2026, 1, 1));
        let j = evaluate(&rule, &f, d(2026, 8, 15));
        assert!(!j.eligible && j.nearly());
        f.figures.clear();
        assert!(!evaluate(&rule, &f, d(2026, 8, 15)).nearly());
    }

    #[test]
    fn rules_are_checked_and_the_shipped_ones_round_trip_as_json() {
        for r in default_rules() {
            assert_eq!(validate_rule(&r), Ok(()));
            let json = serde_json::to_string(&r.criteria).unwrap_or_default();
            let back: Vec<Criterion> = serde_json::from_str(&json).unwrap_or_default();
            assert_eq!(back, r.criteria, "{json}");
        }
        let mut r = default_rules().remove(0);
        r.criteria.push(Criterion::LatestGrade {
            category: None,
            min_grade: "S".into(),
        });
        assert_eq!(validate_rule(&r), Err(RuleError::Grade));
        r.criteria.clear();
        assert_eq!(validate_rule(&r), Err(RuleError::Count));
        r.criteria.push(Criterion::MinTenure { months: 601 });
        assert_eq!(validate_rule(&r), Err(RuleError::Tenure));
        r.criteria = vec![Criterion::MetricStreak {
            metric: Metric::SalesAttainment,
            min: f64::NAN,
            periods: 4,
            period_kind: PeriodKind::Quarter,
        }];
        assert_eq!(validate_rule(&r), Err(RuleError::Threshold));
        r.level = " ".into();
        assert_eq!(validate_rule(&r), Err(RuleError::Names));
    }

    #[test]
    fn every_criterion_has_words_in_both_languages() {
        for r in default_rules() {
            for c in &r.criteria {
                for lang in [Lang::Zh, Lang::En] {
                    assert!(!criterion_name(c, lang).is_empty());
                }
            }
        }
        assert_eq!(
            criterion_name(&sales_rule(), Lang::En),
            "sales attainment ≥ 100% in each of the last 4 quarters"
        );
        assert_eq!(
            criterion_name(&sales_rule(), Lang::Zh),
            "最近 4 个季度 销售达成率 ≥ 100%"
        );
    }

    #[test]
    fn a_quarter_with_a_target_and_no_sales_is_zero_percent_not_a_gap() {
        // Sales are a sum: a quarter with a target and no orders is a figure of 0%. Only a
        // quarter without a target (or, for collection, with nothing due) is a gap.
        let mut f = quarters([Some(1.0); 4]);
        f.figures[2].1.sales_cents = 0;
        let o = judge(&sales_rule(), &f, d(2026, 7, 1));
        assert_eq!((o.passed, o.shortfall), (false, 1));
        assert_eq!(evidence_text(&o.evidence[2], Lang::En), "2026 Q1: 0%");
        assert!(matches!(
            o.evidence[2],
            Evidence::Period { value: Some(v), met: false, missing: None, .. } if v == 0.0
        ));
        // A quarter the server did not send at all reads as having no target.
        f.figures.remove(2);
        let o = judge(&sales_rule(), &f, d(2026, 7, 1));
        assert_eq!(evidence_text(&o.evidence[2], Lang::Zh), "2026 Q1: 无目标");
        // Two short quarters: "needs 2 more", and both are listed.
        f.figures[0].1.sales_target_cents = None;
        let o = judge(&sales_rule(), &f, d(2026, 7, 1));
        assert_eq!(o.shortfall, 2);
        let short: Vec<String> = o
            .evidence
            .iter()
            .filter(|e| matches!(e, Evidence::Period { met: false, .. }))
            .map(|e| evidence_text(e, Lang::En))
            .collect();
        assert_eq!(short, ["2025 Q3: no target", "2026 Q1: no target"]);
        assert_eq!(
            missing_text(&sales_rule(), &o, Lang::En).as_deref(),
            Some("needs 2 more quarters ≥ 100%")
        );
    }

    #[test]
    fn a_value_short_of_the_threshold_is_never_shown_rounded_onto_it() {
        let f = quarters([Some(0.999_96), Some(1.0), Some(0.29), Some(1.000_04)]);
        let o = judge(&sales_rule(), &f, d(2026, 8, 15));
        let texts: Vec<String> = o
            .evidence
            .iter()
            .map(|e| evidence_text(e, Lang::En))
            .collect();
        assert_eq!(
            texts,
            [
                "2025 Q3: 99.99%",
                "2025 Q4: 100%",
                "2026 Q1: 29%",
                "2026 Q2: 100%"
            ]
        );
        assert_eq!(o.shortfall, 2);
    }

    #[test]
    fn tenure_from_the_end_of_a_month_and_without_a_hire_date() {
        let c = Criterion::MinTenure { months: 1 };
        let hired = |h| RepFacts {
            hire_date: Some(h),
            ..Default::default()
        };
        // Jan 31 + 1 month is Feb 28 (29 in a leap year): on that day it holds.
        assert!(judge(&c, &hired(d(2026, 1, 31)), d(2026, 2, 28)).passed);
        assert!(!judge(&c, &hired(d(2026, 1, 31)), d(2026, 2, 27)).passed);
        assert!(!judge(&c, &hired(d(2028, 1, 31)), d(2028, 2, 28)).passed);
        assert!(judge(&c, &hired(d(2028, 1, 31)), d(2028, 2, 29)).passed);
        // Hired after the day: no tenure yet.
        assert_eq!(judge(&c, &hired(d(2026, 3, 1)), d(2026, 2, 1)).shortfall, 1);

        let c = Criterion::MinTenure { months: 12 };
        let o = judge(&c, &RepFacts::default(), d(2026, 1, 1));
        assert_eq!((o.passed, o.shortfall), (false, 12));
        assert_eq!(evidence_text(&o.evidence[0], Lang::En), "no hire date");
        assert_eq!(
            missing_text(&c, &o, Lang::En).as_deref(),
            Some("no hire date, needs 12 months of tenure")
        );
        assert_eq!(
            missing_text(&c, &o, Lang::Zh).as_deref(),
            Some("无入职日期，需要司龄 12 个月")
        );
    }

    #[test]
    fn the_coaching_window_is_twelve_months_ending_on_the_day() {
        assert_eq!(
            coaching_window(d(2026, 3, 31)),
            (d(2025, 4, 1), d(2026, 3, 31))
        );
        // A leap day: 2027-02-28 is D − 12 months, so the window opens on March 1.
        assert_eq!(
            coaching_window(d(2028, 2, 29)),
            (d(2027, 3, 1), d(2028, 2, 29))
        );
        assert_eq!(
            coaching_window(d(2026, 1, 1)),
            (d(2025, 1, 2), d(2026, 1, 1))
        );
    }

    #[test]
    fn periods_needed_are_the_complete_ones_once_each_oldest_first() {
        assert_eq!(
            streak_periods(PeriodKind::Month, 3, d(2026, 2, 10)),
            [
                Period::month(2025, 11),
                Period::month(2025, 12),
                Period::month(2026, 1)
            ]
        );
        assert_eq!(
            streak_periods(PeriodKind::Year, 2, d(2026, 12, 31)),
            [Period::year(2024), Period::year(2025)]
        );
        // Both shipped quarter streaks read the same four quarters: fetched once.
        let rules = default_rules();
        assert_eq!(
            periods_needed(&rules, d(2026, 8, 15)),
            [
                Period::quarter(2025, 3),
                Period::quarter(2025, 4),
                Period::quarter(2026, 1),
                Period::quarter(2026, 2)
            ]
        );
    }

    #[test]
    fn every_bad_rule_is_refused_with_its_reason() {
        let rule = |criteria| Rule {
            track: Track::Expert,
            level: "产品专家".into(),
            name_zh: "产品专家".into(),
            name_en: "Product specialist".into(),
            criteria,
        };
        let streak = |min, periods| Criterion::MetricStreak {
            metric: Metric::CollectionRate,
            min,
            periods,
            period_kind: PeriodKind::Month,
        };
        let last = |count, g: &str| Criterion::GradeInLast {
            period_kind: PeriodKind::Year,
            count,
            min_grade: g.into(),
            category: Some(IndicatorCategory::Result),
        };
        let cases: Vec<(Vec<Criterion>, Result<(), RuleError>)> = vec![
            (vec![streak(1.0, 12), last(12, "D")], Ok(())),
            (vec![streak(0.0, 1), streak(10.0, 1)], Ok(())),
            (vec![streak(1.0, 0)], Err(RuleError::Periods)),
            (vec![streak(1.0, 13)], Err(RuleError::Periods)),
            (vec![streak(-0.01, 4)], Err(RuleError::Threshold)),
            (vec![streak(10.01, 4)], Err(RuleError::Threshold)),
            (vec![streak(f64::INFINITY, 4)], Err(RuleError::Threshold)),
            (vec![last(0, "A")], Err(RuleError::Periods)),
            (vec![last(3, "E")], Err(RuleError::Grade)),
            (vec![last(3, "a")], Err(RuleError::Grade)),
            (vec![Criterion::MinTenure { months: 600 }], Ok(())),
            (
                vec![Criterion::MinCoaching { sessions: 501 }],
                Err(RuleError::Sessions),
            ),
            (vec![Criterion::MinTenure { months: 1 }; 20], Ok(())),
            (
                vec![Criterion::MinTenure { months: 1 }; 21],
                Err(RuleError::Count),
            ),
        ];
        for (criteria, want) in cases {
            let r = rule(criteria);
            assert_eq!(validate_rule(&r), want, "{:?}", r.criteria);
        }
        let mut r = rule(vec![Criterion::MinTenure { months: 1 }]);
        r.name_en = "x".repeat(101);
        assert_eq!(validate_rule(&r), Err(RuleError::Names));
        r.name_en = String::new();
        assert_eq!(validate_rule(&r), Err(RuleError::Names));
    }

    #[test]
    fn the_stored_json_keeps_its_shape_and_codes_match_it() {
        let json = serde_json::to_string(&sales_rule()).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"kind":"METRIC_STREAK","metric":"SALES_ATTAINMENT","min":1.0,"periods":4,"period_kind":"QUARTER"}"#
        );
        let c: Result<Criterion, _> = serde_json::from_str(
            r#"{"kind":"GRADE_IN_LAST","period_kind":"YEAR","count":3,"min_grade":"A","category":null}"#,
        );
        assert!(matches!(c, Ok(Criterion::GradeInLast { count: 3, .. })));
        let bad: Result<Criterion, _> = serde_json::from_str(r#"{"kind":"MIN_AGE","years":30}"#);
        assert!(bad.is_err());
        for r in default_rules() {
            let json = serde_json::to_string(&r).unwrap_or_default();
            let back: Option<Rule> = serde_json::from_str(&json).ok();
            assert_eq!(back.as_ref(), Some(&r), "{json}");
        }
        for t in Track::ALL {
            assert_eq!(Track::from_code(t.code()), Some(*t));
            let json = serde_json::to_string(t).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", t.code()));
        }
        for m in Metric::ALL {
            assert_eq!(Metric::from_code(m.code()), Some(*m));
            let json = serde_json::to_string(m).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", m.code()));
        }
    }

    /// Every kind's name, evidence and what is missing, by hand, in both languages.
    #[test]
    fn the_words_of_every_criterion_kind() {
        let words = |c: &Criterion, f: &RepFacts, day: NaiveDate| {
            let o = judge(c, f, day);
            let mut out = Vec::new();
            for lang in [Lang::Zh, Lang::En] {
                out.push(criterion_name(c, lang));
                out.extend(o.evidence.iter().map(|e| evidence_text(e, lang)));
                out.push(missing_text(c, &o, lang).unwrap_or_default());
            }
            out
        };

        let c = Criterion::MetricStreak {
            metric: Metric::CollectionRate,
            min: 0.95,
            periods: 2,
            period_kind: PeriodKind::Month,
        };
        let f = RepFacts {
            figures: vec![(
                Period::month(2026, 6),
                PeriodFigure {
                    due_cents: 1000,
                    collected_cents: 900,
                    ..Default::default()
                },
            )],
            ..Default::default()
        };
        assert_eq!(
            words(&c, &f, d(2026, 7, 9)),
            [
                "最近 2 个月 回款率 ≥ 95%",
                "2026-05: 无数据",
                "2026-06: 90%",
                "还差 2 个月 ≥ 95%",
                "collection rate ≥ 95% in each of the last 2 months",
                "2026-05: no figure",
                "2026-06: 90%",
                "needs 2 more months ≥ 95%",
            ]
        );

        let c = Criterion::LatestGrade {
            category: Some(IndicatorCategory::Capability),
            min_grade: "A".into(),
        };
        assert_eq!(
            words(&c, &RepFacts::default(), d(2026, 7, 9)),
            [
                "最近一次评估能力等级 ≥ A",
                "没有已定稿的评估",
                "没有已定稿的评估，需要等级 A",
                "latest capability grade at least A",
                "no finalized evaluation",
                "no finalized evaluation, needs grade A",
            ]
        );
        let f = RepFacts {
            evaluations: vec![eval(4, Period::quarter(2026, 2), "A", "C")],
            ..Default::default()
        };
        let o = judge(&c, &f, d(2026, 7, 9));
        assert_eq!(o.shortfall, 2, "C is two steps from A");
        assert_eq!(
            words(&c, &f, d(2026, 7, 9)),
            [
                "最近一次评估能力等级 ≥ A",
                "2026 Q2 评估：C",
                "等级 C，需要 A",
                "latest capability grade at least A",
                "2026 Q2 evaluation: C",
                "grade C, needs A",
            ]
        );

        let c = Criterion::GradeInLast {
            period_kind: PeriodKind::Year,
            count: 3,
            min_grade: "A".into(),
            category: None,
        };
        let f = RepFacts {
            evaluations: vec![
                eval(1, Period::year(2025), "B", "A"),
                eval(2, Period::year(2024), "A", "A"),
            ],
            ..Default::default()
        };
        assert_eq!(
            words(&c, &f, d(2026, 7, 9)),
            [
                "最近 3 次年度评估总评等级均 ≥ A",
                "2025 评估：B",
                "2024 评估：A",
                "已定稿年度评估 2 次，需要 3 次",
                "还差 2 次等级 ≥ A 的评估",
                "overall grade at least A in the last 3 annual evaluations",
                "2025 evaluation: B",
                "2024 evaluation: A",
                "2 of 3 annual evaluations exist",
                "needs 2 more evaluations graded A or better",
            ]
        );

        let c = Criterion::MinTenure { months: 12 };
        let f = RepFacts {
            hire_date: Some(d(2025, 8, 15)),
            ..Default::default()
        };
        assert_eq!(
            words(&c, &f, d(2026, 8, 14)),
            [
                "司龄 ≥ 12 个月",
                "2025-08-15 入职，司龄 11 个月",
                "司龄 11 个月，需要 12 个月",
                "tenure of at least 12 months",
                "hired 2025-08-15, tenure 11 months",
                "tenure 11 months, needs 12",
            ]
        );

        let c = Criterion::MinCoaching { sessions: 6 };
        let f = RepFacts {
            coaching_sessions: 5,
            ..Default::default()
        };
        assert_eq!(
            words(&c, &f, d(2026, 8, 14)),
            [
                "近 12 个月接受辅导 ≥ 6 次",
                "近 12 个月接受辅导 5 次",
                "还需接受辅导 1 次（需要 6 次）",
                "at least 6 coaching sessions received in 12 months",
                "5 coaching sessions in 12 months",
                "needs 1 more coaching session (of 6)",
            ]
        );
        // A passed criterion misses nothing.
        let f = RepFacts {
            coaching_sessions: 6,
            ..Default::default()
        };
        assert_eq!(
            missing_text(&c, &judge(&c, &f, d(2026, 8, 14)), Lang::En),
            None
        );
    }

    #[test]
    fn the_shipped_rules_judge_a_rep_end_to_end() {
        let rules = default_rules();
        let day = d(2026, 8, 15);
        let mut f = quarters([Some(1.0), Some(1.1), Some(1.2), Some(1.0)]);
        f.hire_date = Some(d(2025, 8, 15));
        f.coaching_sessions = 6;
        f.evaluations = vec![eval(8, Period::quarter(2026, 2), "B", "A")];
        let team_lead = evaluate(&rules[0], &f, day);
        assert!(team_lead.eligible, "{team_lead:?}");
        // One session fewer: nearly eligible, short by one session.
        f.coaching_sessions = 5;
        let j = evaluate(&rules[0], &f, day);
        assert!(!j.eligible && j.nearly());
        assert_eq!(
            j.outcomes.iter().map(|o| o.shortfall).collect::<Vec<_>>(),
            [0, 0, 0, 1]
        );
        // Regional manager: no annual evaluations, 12 months of 36: two criteria fail.
        let j = evaluate(&rules[1], &f, day);
        assert!(!j.eligible && !j.nearly());
        assert_eq!(
            j.outcomes.iter().map(|o| o.shortfall).collect::<Vec<_>>(),
            [3, 24]
        );
        // Product specialist: no collection figures (nothing due) and too short a tenure.
        let j = evaluate(&rules[2], &f, day);
        assert_eq!(
            j.outcomes.iter().map(|o| o.passed).collect::<Vec<_>>(),
            [true, false, false]
        );
    }
}
