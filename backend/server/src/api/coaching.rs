//! GraphQL shape of coaching (辅导 / 陪访): sessions and their scores, action items, the
//! coaching dimensions, a supervisor's coaching load and a rep's growth record.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use dudao_domain::coaching as rules;

use super::scorecard::Decimal;
use super::types::{ConnectionOf, Customer, Date, Rep, User, connection};
use super::{db, ids, load_err, viewer};
use crate::entity::{action_item, coaching_dimension, coaching_session};
use crate::error::AppError;
use crate::service::{self, page::PageArgs};

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::coaching::CoachingType")]
pub enum CoachingType {
    /// 陪访: riding along on a customer visit.
    RideAlong,
    OneOnOne,
    /// 录音复盘: reviewing a recorded call.
    CallReview,
    RolePlay,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::coaching::ActionStatus")]
pub enum ActionItemStatus {
    Open,
    Done,
    Dropped,
}

async fn rep(ctx: &Context<'_>, id: i32) -> Result<Option<Rep>> {
    let l = super::loaders(ctx)?;
    Ok(l.rep.load_one(id).await.map_err(load_err)?.map(Rep))
}

async fn user(ctx: &Context<'_>, id: i32) -> Result<Option<User>> {
    let l = super::loaders(ctx)?;
    Ok(l.user.load_one(id).await.map_err(load_err)?.map(User))
}

pub struct CoachingDimension(pub coaching_dimension::Model);

/// Something sessions are scored on (1–5), e.g. objection handling.
#[Object]
impl CoachingDimension {
    async fn id(&self) -> ID {
        ids::encode("CoachingDimension", self.0.id)
    }
    /// Stable key (`objection_handling`).
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn name_zh(&self) -> &str {
        &self.0.name_zh
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// Still scored; a retired dimension keeps its history.
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One dimension's score in a session.
#[derive(SimpleObject)]
pub struct DimensionScore {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    /// 1–5.
    pub score: i32,
}

pub struct CoachingSession(pub coaching_session::Model);

/// A coaching session a supervisor held with a rep: what they saw, what they said, the
/// next step they agreed (观察-反馈-确认), scores and action items.
#[Object]
impl CoachingSession {
    pub async fn id(&self) -> ID {
        ids::encode("CoachingSession", self.0.id)
    }
    async fn rep(&self, ctx: &Context<'_>) -> Result<Rep> {
        rep(ctx, self.0.rep_id)
            .await?
            .ok_or_else(|| AppError::forbidden().into())
    }
    /// Who held it.
    async fn supervisor(&self, ctx: &Context<'_>) -> Result<User> {
        user(ctx, self.0.supervisor_id)
            .await?
            .ok_or_else(|| AppError::forbidden().into())
    }
    #[graphql(name = "type")]
    async fn kind(&self) -> CoachingType {
        self.0.kind.0.into()
    }
    async fn date(&self) -> Date {
        Date(self.0.held_on)
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>> {
        let Some(c) = self.0.customer_id else {
            return Ok(None);
        };
        let l = super::loaders(ctx)?;
        Ok(l.customer
            .load_one(c)
            .await
            .map_err(load_err)?
            .map(Customer))
    }
    /// The visit it rode along on, when one was named.
    async fn activity_id(&self) -> Option<ID> {
        self.0.activity_id.map(|a| ids::encode("Activity", a))
    }
    /// 观察: what the supervisor saw.
    async fn observation(&self) -> Option<&str> {
        self.0.observation.as_deref()
    }
    /// 反馈: what they told the rep.
    async fn feedback(&self) -> Option<&str> {
        self.0.feedback.as_deref()
    }
    /// 确认: the next step agreed.
    async fn next_step(&self) -> Option<&str> {
        self.0.next_step.as_deref()
    }
    /// Recordings or files (http(s) addresses).
    async fn links(&self) -> Vec<&str> {
        self.0
            .links
            .as_deref()
            .map(|l| l.lines().collect())
            .unwrap_or_default()
    }
    /// When the rep confirmed the next step; null until they do (and again after the
    /// next step changes).
    async fn rep_confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.0.rep_confirmed_at
    }
    async fn rep_comment(&self) -> Option<&str> {
        self.0.rep_comment.as_deref()
    }
    async fn scores(&self, ctx: &Context<'_>) -> Result<Vec<DimensionScore>> {
        let l = super::loaders(ctx)?;
        let scores = l
            .session_scores
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        let dims = l
            .dimension
            .load_many(scores.iter().map(|s| s.dimension_id))
            .await
            .map_err(load_err)?;
        let mut out: Vec<(i32, DimensionScore)> = scores
            .into_iter()
            .filter_map(|s| {
                let d = dims.get(&s.dimension_id)?;
                Some((
                    d.position,
                    DimensionScore {
                        key: d.key.clone(),
                        name_zh: d.name_zh.clone(),
                        name_en: d.name_en.clone(),
                        score: s.score,
                    },
                ))
            })
            .collect();
        out.sort_by_key(|(p, _)| *p);
        Ok(out.into_iter().map(|(_, s)| s).collect())
    }
    /// The mean of its scores; null without any.
    async fn mean_score(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        let l = super::loaders(ctx)?;
        let scores: Vec<i32> = l
            .session_scores
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .iter()
            .map(|s| s.score)
            .collect();
        Ok(rules::mean_score(&scores))
    }
    async fn action_items(&self, ctx: &Context<'_>) -> Result<Vec<ActionItem>> {
        let l = super::loaders(ctx)?;
        Ok(l.session_actions
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(ActionItem)
            .collect())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct ActionItem(pub action_item::Model);

/// Something to do by a day, agreed in a coaching session.
#[Object]
impl ActionItem {
    pub async fn id(&self) -> ID {
        ids::encode("ActionItem", self.0.id)
    }
    /// A review meeting's measurable target ("逾期 60 天以上为 0").
    async fn measure(&self) -> Option<&str> {
        self.0.measure.as_deref()
    }
    /// The evaluation or review meeting it was agreed in.
    async fn evaluation_id(&self) -> Option<ID> {
        self.0.evaluation_id.map(|e| ids::encode("Evaluation", e))
    }
    async fn review_meeting_id(&self) -> Option<ID> {
        self.0
            .review_meeting_id
            .map(|e| ids::encode("ReviewMeeting", e))
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }
    async fn status(&self) -> ActionItemStatus {
        self.0.status.0.into()
    }
    /// Open after its due day.
    async fn overdue(&self) -> bool {
        rules::is_overdue(self.0.status.0, self.0.due_on, crate::clock::today())
    }
    async fn done_at(&self) -> Option<DateTime<Utc>> {
        self.0.done_at
    }
    /// The session it was agreed in.
    async fn session_id(&self) -> Option<ID> {
        self.0.session_id.map(|s| ids::encode("CoachingSession", s))
    }
    /// The rep it concerns.
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        match self.0.rep_id {
            Some(r) => rep(ctx, r).await,
            None => Ok(None),
        }
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One rep's line of a coaching load.
pub struct CoachingLoadEntry {
    row: service::coaching::LoadRow,
    as_of: chrono::NaiveDate,
}

#[Object]
impl CoachingLoadEntry {
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        rep(ctx, self.row.rep_id).await
    }
    /// Sessions this month, up to the as-of day.
    async fn sessions_this_month(&self) -> i64 {
        self.row.this_month
    }
    async fn sessions_last_month(&self) -> i64 {
        self.row.last_month
    }
    async fn last_session_on(&self) -> Option<Date> {
        self.row.last_held_on.map(Date)
    }
    /// Days since the last session; null if never coached.
    async fn days_since_last_session(&self) -> Option<i64> {
        self.row.last_held_on.map(|d| (self.as_of - d).num_days())
    }
    /// No session in the last 30 days (or never).
    async fn not_coached(&self) -> bool {
        rules::needs_coaching(self.row.last_held_on, self.as_of, rules::NOT_COACHED_DAYS)
    }
    async fn open_action_items(&self) -> i64 {
        self.row.open_actions
    }
    async fn overdue_action_items(&self) -> i64 {
        self.row.overdue_actions
    }
}

/// One score of a dimension in a rep's growth record.
#[derive(SimpleObject)]
pub struct ScorePoint {
    pub date: Date,
    pub score: i32,
    pub session_id: ID,
}

/// One dimension across a rep's sessions.
#[derive(SimpleObject)]
pub struct DimensionTrend {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
    pub points: Vec<ScorePoint>,
    pub mean: Option<f64>,
    /// The later half's mean minus the earlier half's; null with fewer than two scores.
    pub trend: Option<f64>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum MilestoneKind {
    FirstOrder,
    /// First order of ¥1,000,000 or more.
    BigOrder,
    FirstSession,
    FirstRideAlong,
}

#[derive(SimpleObject)]
pub struct Milestone {
    pub kind: MilestoneKind,
    pub date: Date,
    /// The amount the milestone is about (the big-order threshold).
    pub amount: Option<Decimal>,
}

/// A rep's growth record (成长档案).
pub struct GrowthRecord {
    rep_id: i32,
    points: Vec<service::coaching::GrowthPoint>,
    milestones: Vec<service::coaching::MilestoneRow>,
}

#[Object]
impl GrowthRecord {
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        rep(ctx, self.rep_id).await
    }
    /// Scored sessions.
    async fn sessions(&self) -> usize {
        let mut ids: Vec<i32> = self.points.iter().map(|p| p.session_id).collect();
        ids.dedup();
        ids.len()
    }
    /// Every dimension the rep was scored on, in the dimensions' order, oldest score first.
    async fn dimensions(&self, ctx: &Context<'_>) -> Result<Vec<DimensionTrend>> {
        let dims = service::coaching::dimensions(db(ctx)?, true).await?;
        Ok(dims
            .into_iter()
            .filter_map(|d| {
                let pts: Vec<&service::coaching::GrowthPoint> = self
                    .points
                    .iter()
                    .filter(|p| p.dimension_id == d.id)
                    .collect();
                if pts.is_empty() {
                    return None;
                }
                let scores: Vec<i32> = pts.iter().map(|p| p.score).collect();
                Some(DimensionTrend {
                    key: d.key,
                    name_zh: d.name_zh,
                    name_en: d.name_en,
                    active: d.active,
                    mean: rules::mean_score(&scores),
                    trend: rules::trend(&scores),
                    points: pts
                        .into_iter()
                        .map(|p| ScorePoint {
                            date: Date(p.held_on),
                            score: p.score,
                            session_id: ids::encode("CoachingSession", p.session_id),
                        })
                        .collect(),
                })
            })
            .collect())
    }
    async fn milestones(&self) -> Vec<Milestone> {
        self.milestones
            .iter()
            .filter_map(|m| {
                let kind = match m.kind.as_str() {
                    "FIRST_ORDER" => MilestoneKind::FirstOrder,
                    "BIG_ORDER" => MilestoneKind::BigOrder,
                    "FIRST_SESSION" => MilestoneKind::FirstSession,
                    "FIRST_RIDE_ALONG" => MilestoneKind::FirstRideAlong,
                    _ => return None,
                };
                Some(Milestone {
                    kind,
                    date: Date(m.day?),
                    amount: m.cents.map(|c| Decimal(dudao_domain::Money(c))),
                })
            })
            .collect()
    }
    /// Open action items about the rep, soonest due first.
    async fn open_action_items(&self, ctx: &Context<'_>) -> Result<Vec<ActionItem>> {
        let p = service::coaching::action_items(
            db(ctx)?,
            viewer(ctx)?,
            service::coaching::ActionFilter {
                rep_id: Some(self.rep_id),
                status: Some(rules::ActionStatus::Open),
                ..Default::default()
            },
            PageArgs {
                offset: 0,
                limit: 50,
            },
        )
        .await?;
        Ok(p.rows.into_iter().map(ActionItem).collect())
    }
}

#[derive(InputObject, Default)]
pub struct CoachingSessionFilter {
    pub rep_id: Option<ID>,
    pub region_id: Option<ID>,
    /// Who held them.
    pub supervisor_id: Option<ID>,
    #[graphql(name = "type")]
    pub kind: Option<CoachingType>,
    /// First day, inclusive.
    pub from: Option<Date>,
    /// Last day, inclusive.
    pub to: Option<Date>,
    /// Only sessions whose next step the rep has not confirmed.
    pub awaiting_rep: Option<bool>,
}

#[derive(InputObject, Default)]
pub struct ActionItemFilter {
    pub owner_id: Option<ID>,
    pub rep_id: Option<ID>,
    pub status: Option<ActionItemStatus>,
    /// Only open items past their due day.
    pub overdue: Option<bool>,
}

fn page(first: Option<i32>, after: Option<&str>) -> Result<PageArgs, AppError> {
    PageArgs::parse(first.map(i64::from), after)
}

#[derive(Default)]
pub struct CoachingQuery;

#[Object]
impl CoachingQuery {
    /// Coaching sessions the caller may read, newest first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn coaching_sessions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<CoachingSessionFilter>,
    ) -> Result<ConnectionOf<CoachingSession>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::coaching::SessionFilter {
            rep_id: ids::decode_opt(f.rep_id.as_ref(), "Rep")?,
            region_id: ids::decode_opt(f.region_id.as_ref(), "Region")?,
            supervisor_id: ids::decode_opt(f.supervisor_id.as_ref(), "User")?,
            kind: f.kind.map(Into::into),
            from: f.from.map(|d| d.0),
            to: f.to.map(|d| d.0),
            awaiting_rep: f.awaiting_rep.unwrap_or(false),
        };
        let p =
            service::coaching::list(db(ctx)?, v, filter, page(first, after.as_deref())?).await?;
        Ok(connection(p, CoachingSession))
    }

    /// The dimensions sessions are scored on, in order (retired ones when asked).
    async fn coaching_dimensions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_retired: bool,
    ) -> Result<Vec<CoachingDimension>> {
        viewer(ctx)?;
        Ok(service::coaching::dimensions(db(ctx)?, include_retired)
            .await?
            .into_iter()
            .map(CoachingDimension)
            .collect())
    }

    /// Action items the caller may read: open ones first, soonest due first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn action_items(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ActionItemFilter>,
    ) -> Result<ConnectionOf<ActionItem>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::coaching::ActionFilter {
            owner_id: ids::decode_opt(f.owner_id.as_ref(), "User")?,
            rep_id: ids::decode_opt(f.rep_id.as_ref(), "Rep")?,
            status: f.status.map(Into::into),
            overdue: f.overdue.unwrap_or(false),
        };
        let p =
            service::coaching::action_items(db(ctx)?, v, filter, page(first, after.as_deref())?)
                .await?;
        Ok(connection(p, ActionItem))
    }

    /// Per rep the caller may read (of one region, if given): sessions this month and
    /// last, the last one, open action items; least recently coached first.
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn coaching_load(
        &self,
        ctx: &Context<'_>,
        region_id: Option<ID>,
        as_of: Option<Date>,
    ) -> Result<Vec<CoachingLoadEntry>> {
        let v = viewer(ctx)?;
        let as_of = as_of.map_or_else(crate::clock::today, |d| d.0);
        let region = ids::decode_opt(region_id.as_ref(), "Region")?;
        if let Some(r) = region {
            service::regions::get(db(ctx)?, v, r).await?;
        }
        Ok(service::coaching::load(db(ctx)?, v, region, as_of)
            .await?
            .into_iter()
            .map(|row| CoachingLoadEntry { row, as_of })
            .collect())
    }

    /// A rep's growth record: each dimension's scores over time, milestones, open
    /// action items.
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn growth_record(&self, ctx: &Context<'_>, rep_id: ID) -> Result<GrowthRecord> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let id = ids::decode(&rep_id, "Rep")?;
        let points = service::coaching::growth_points(db, v, id).await?;
        let milestones = service::coaching::milestones(db, v, id).await?;
        Ok(GrowthRecord {
            rep_id: id,
            points,
            milestones,
        })
    }
}

#[derive(InputObject)]
pub struct DimensionScoreInput {
    /// A dimension key (`objection_handling`).
    pub key: String,
    /// 1–5.
    pub score: i32,
}

#[derive(InputObject)]
pub struct ActionItemInput {
    pub title: String,
    /// The rep's account when not given; else the rep, the session's supervisor or you.
    pub owner_id: Option<ID>,
    pub due_on: Option<Date>,
}

/// A session as logged. Quick entry needs `repId`, `type` and `date`; scores and the next
/// step when there are; the rest can follow with `updateCoachingSession`.
#[derive(InputObject)]
pub struct LogCoachingSessionInput {
    pub rep_id: ID,
    #[graphql(name = "type")]
    pub kind: CoachingType,
    /// Not in the future.
    pub date: Date,
    pub customer_id: Option<ID>,
    /// The visit ridden along on.
    pub activity_id: Option<ID>,
    pub observation: Option<String>,
    pub feedback: Option<String>,
    pub next_step: Option<String>,
    #[graphql(default)]
    pub links: Vec<String>,
    #[graphql(default)]
    pub scores: Vec<DimensionScoreInput>,
    #[graphql(default)]
    pub action_items: Vec<ActionItemInput>,
    /// An idempotency key (8–64 of A–Z a–z 0–9 - _): an entry sent again with the same key
    /// answers the session stored the first time and stores nothing.
    pub client_key: Option<String>,
}

/// Changes to a session: a field left out stays, `null` clears it; `scores` replaces all.
#[derive(InputObject)]
pub struct UpdateCoachingSessionInput {
    pub id: ID,
    pub version: i32,
    #[graphql(name = "type")]
    pub kind: Option<CoachingType>,
    pub date: Option<Date>,
    pub customer_id: MaybeUndefined<ID>,
    pub observation: MaybeUndefined<String>,
    pub feedback: MaybeUndefined<String>,
    pub next_step: MaybeUndefined<String>,
    pub links: Option<Vec<String>>,
    pub scores: Option<Vec<DimensionScoreInput>>,
}

#[derive(InputObject)]
pub struct RespondToCoachingInput {
    pub id: ID,
    /// Confirms the agreed next step.
    #[graphql(default)]
    pub confirm: bool,
    pub comment: Option<String>,
}

#[derive(InputObject)]
pub struct AddActionItemInput {
    pub session_id: ID,
    pub title: String,
    pub owner_id: Option<ID>,
    pub due_on: Option<Date>,
}

#[derive(InputObject)]
pub struct UpdateActionItemInput {
    pub id: ID,
    pub version: i32,
    pub status: Option<ActionItemStatus>,
    pub title: Option<String>,
    pub due_on: MaybeUndefined<Date>,
}

#[derive(InputObject)]
pub struct SetCoachingDimensionInput {
    /// An existing key changes that dimension; a new one adds it.
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub position: Option<i32>,
    pub active: Option<bool>,
}

fn scores(s: Vec<DimensionScoreInput>) -> Vec<service::coaching::ScoreInput> {
    s.into_iter()
        .map(|s| service::coaching::ScoreInput {
            key: s.key,
            score: s.score,
        })
        .collect()
}

fn maybe<T, U>(
    m: MaybeUndefined<T>,
    f: impl FnOnce(T) -> Result<U, AppError>,
) -> Result<Option<Option<U>>, AppError> {
    Ok(match m {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(f(v)?)),
    })
}

#[derive(Default)]
pub struct CoachingMutation;

#[Object]
impl CoachingMutation {
    /// Logs a session the caller held with a rep they may read (quick entry: rep, type,
    /// date; idempotent by `clientKey`).
    async fn log_coaching_session(
        &self,
        ctx: &Context<'_>,
        input: LogCoachingSessionInput,
    ) -> Result<CoachingSession> {
        let v = viewer(ctx)?;
        let mut actions = Vec::with_capacity(input.action_items.len());
        for a in input.action_items {
            actions.push(service::coaching::ActionInput {
                title: a.title,
                owner_id: ids::decode_opt(a.owner_id.as_ref(), "User")?,
                due_on: a.due_on.map(|d| d.0),
            });
        }
        let row = service::coaching::log(
            db(ctx)?,
            v,
            service::coaching::NewSession {
                rep_id: ids::decode(&input.rep_id, "Rep")?,
                kind: input.kind.into(),
                held_on: input.date.0,
                customer_id: ids::decode_opt(input.customer_id.as_ref(), "Customer")?,
                activity_id: ids::decode_opt(input.activity_id.as_ref(), "Activity")?,
                observation: input.observation,
                feedback: input.feedback,
                next_step: input.next_step,
                links: input.links,
                scores: scores(input.scores),
                action_items: actions,
                client_key: input.client_key,
            },
        )
        .await?;
        Ok(CoachingSession(row))
    }

    /// Changes a session (who held it, a director, an admin) under its version.
    async fn update_coaching_session(
        &self,
        ctx: &Context<'_>,
        input: UpdateCoachingSessionInput,
    ) -> Result<CoachingSession> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "CoachingSession")?;
        let changes = service::coaching::SessionChanges {
            kind: input.kind.map(Into::into),
            held_on: input.date.map(|d| d.0),
            customer_id: maybe(input.customer_id, |c| ids::decode(&c, "Customer"))?,
            observation: maybe(input.observation, Ok)?,
            feedback: maybe(input.feedback, Ok)?,
            next_step: maybe(input.next_step, Ok)?,
            links: input.links,
            scores: input.scores.map(scores),
        };
        Ok(CoachingSession(
            service::coaching::update(db(ctx)?, v, id, input.version, changes).await?,
        ))
    }

    /// The rep's answer to a session about them: confirm the next step, comment.
    async fn respond_to_coaching_session(
        &self,
        ctx: &Context<'_>,
        input: RespondToCoachingInput,
    ) -> Result<CoachingSession> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "CoachingSession")?;
        Ok(CoachingSession(
            service::coaching::respond(db(ctx)?, v, id, input.confirm, input.comment).await?,
        ))
    }

    /// Adds an action item to a session.
    async fn add_action_item(
        &self,
        ctx: &Context<'_>,
        input: AddActionItemInput,
    ) -> Result<ActionItem> {
        let v = viewer(ctx)?;
        let session = ids::decode(&input.session_id, "CoachingSession")?;
        Ok(ActionItem(
            service::coaching::add_action(
                db(ctx)?,
                v,
                session,
                service::coaching::ActionInput {
                    title: input.title,
                    owner_id: ids::decode_opt(input.owner_id.as_ref(), "User")?,
                    due_on: input.due_on.map(|d| d.0),
                },
            )
            .await?,
        ))
    }

    /// Marks an action item done or open again (its owner), or edits or drops it (the
    /// session's author, a director).
    async fn update_action_item(
        &self,
        ctx: &Context<'_>,
        input: UpdateActionItemInput,
    ) -> Result<ActionItem> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "ActionItem")?;
        let changes = service::coaching::ActionChanges {
            status: input.status.map(Into::into),
            title: input.title,
            due_on: maybe(input.due_on, |d| Ok(d.0))?,
        };
        Ok(ActionItem(
            service::coaching::update_action(db(ctx)?, v, id, input.version, changes).await?,
        ))
    }

    /// Adds or changes a coaching dimension (ADMIN, DIRECTOR).
    async fn set_coaching_dimension(
        &self,
        ctx: &Context<'_>,
        input: SetCoachingDimensionInput,
    ) -> Result<CoachingDimension> {
        let v = viewer(ctx)?;
        Ok(CoachingDimension(
            service::coaching::set_dimension(
                db(ctx)?,
                v,
                service::coaching::DimensionInput {
                    key: input.key,
                    name_zh: input.name_zh,
                    name_en: input.name_en,
                    position: input.position,
                    active: input.active,
                },
            )
            .await?,
        ))
    }
}
