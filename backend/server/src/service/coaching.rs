//! Coaching (辅导 / 陪访): sessions, their scores on the coaching dimensions, the rep's
//! answer, action items, a supervisor's coaching load and a rep's growth record. Rules are
//! `dudao_domain::coaching`; reads go through `scope::coaching_sessions` and
//! `scope::action_items`.

use chrono::{Datelike, NaiveDate, Utc};
use dudao_domain::coaching::{self as rules, ActionStatus, CoachingType};
use dudao_domain::{Action, Resource, Role, Viewer};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, Set, Statement,
};

use super::page::{self, Page, PageArgs};
use super::{audit, find_visible, optional_text, require, required_text, scope, sql_date};
use crate::entity::{
    Stored, action_item, coaching_dimension, coaching_score, coaching_session, rep,
};
use crate::error::{AppError, AppResult};

/// The dimensions, in their order; retired ones only when asked for.
pub async fn dimensions<C: ConnectionTrait>(
    db: &C,
    include_retired: bool,
) -> AppResult<Vec<coaching_dimension::Model>> {
    let mut q = coaching_dimension::Entity::find();
    if !include_retired {
        q = q.filter(coaching_dimension::Column::Active.eq(true));
    }
    Ok(q.order_by_asc(coaching_dimension::Column::Position)
        .order_by_asc(coaching_dimension::Column::Id)
        .all(db)
        .await?)
}

pub struct DimensionInput {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub position: Option<i32>,
    pub active: Option<bool>,
}

/// Adds a dimension or changes one (by key): its names, place and whether it is still
/// scored. A retired dimension keeps its scores and trend. ADMIN and DIRECTOR; audited.
pub async fn set_dimension(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: DimensionInput,
) -> AppResult<coaching_dimension::Model> {
    require(viewer, Action::Update, Resource::CoachingDimensions)?;
    let key = input.key.trim().to_owned();
    if !rules::valid_dimension_key(&key) {
        return Err(AppError::BadInput(format!(
            "key: {key:?} 应为小写字母开头的字母、数字或下划线（最多 40 个）/ must be lower-case letters, digits or _, starting with a letter, at most 40"
        )));
    }
    let name =
        |field: &'static str, v: String| -> AppResult<String> { required_text(field, v, 60) };
    let name_zh = name("nameZh", input.name_zh)?;
    let name_en = name("nameEn", input.name_en)?;
    if let Some(p) = input.position
        && !(0..=1000).contains(&p)
    {
        return Err(AppError::BadInput(
            "position: 应在 0 到 1000 之间 / must be between 0 and 1000".into(),
        ));
    }
    let txn = crate::db::write_txn(db).await?;
    let before = coaching_dimension::Entity::find()
        .filter(coaching_dimension::Column::Key.eq(key.clone()))
        .one(&txn)
        .await?;
    let after = match &before {
        Some(b) => {
            let mut m: coaching_dimension::ActiveModel = b.clone().into();
            m.name_zh = Set(name_zh);
            m.name_en = Set(name_en);
            if let Some(p) = input.position {
                m.position = Set(p);
            }
            if let Some(a) = input.active {
                m.active = Set(a);
            }
            m.version = Set(b.version + 1);
            m.update(&txn).await?
        }
        None => {
            let last = dimensions(&txn, true)
                .await?
                .iter()
                .map(|d| d.position)
                .max()
                .unwrap_or(0);
            coaching_dimension::ActiveModel {
                key: Set(key),
                name_zh: Set(name_zh),
                name_en: Set(name_en),
                position: Set(input.position.unwrap_or(last + 1)),
                active: Set(input.active.unwrap_or(true)),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        Some(viewer.user_id),
        if before.is_some() { "update" } else { "create" },
        "coaching_dimension",
        after.id,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Default)]
pub struct SessionFilter {
    pub rep_id: Option<i32>,
    pub region_id: Option<i32>,
    pub supervisor_id: Option<i32>,
    pub kind: Option<CoachingType>,
    /// Inclusive range on the day it was held.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only sessions whose next step the rep has not confirmed yet.
    pub awaiting_rep: bool,
}

/// Sessions the viewer may read, newest first.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: SessionFilter,
    args: PageArgs,
) -> AppResult<Page<coaching_session::Model>> {
    let mut q = coaching_session::Entity::find().filter(scope::coaching_sessions(viewer));
    if let Some(r) = f.rep_id {
        q = q.filter(coaching_session::Column::RepId.eq(r));
    }
    if let Some(r) = f.region_id {
        q = q.filter(
            coaching_session::Column::RepId.in_subquery(
                Query::select()
                    .column(rep::Column::Id)
                    .from(rep::Entity)
                    .and_where(rep::Column::RegionId.eq(r))
                    .take(),
            ),
        );
    }
    if let Some(s) = f.supervisor_id {
        q = q.filter(coaching_session::Column::SupervisorId.eq(s));
    }
    if let Some(k) = f.kind {
        q = q.filter(coaching_session::Column::Kind.eq(Stored(k)));
    }
    if let Some(d) = f.from {
        q = q.filter(coaching_session::Column::HeldOn.gte(d));
    }
    if let Some(d) = f.to {
        q = q.filter(coaching_session::Column::HeldOn.lte(d));
    }
    if f.awaiting_rep {
        q = q
            .filter(coaching_session::Column::NextStep.is_not_null())
            .filter(coaching_session::Column::RepConfirmedAt.is_null());
    }
    let q = q
        .order_by_desc(coaching_session::Column::HeldOn)
        .order_by_desc(coaching_session::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i32,
) -> AppResult<coaching_session::Model> {
    find_visible::<coaching_session::Entity, _>(
        db,
        id,
        scope::coaching_sessions(viewer),
        "coaching session",
    )
    .await
}

/// One score as entered: a dimension key and 1–5.
#[derive(Clone, Debug)]
pub struct ScoreInput {
    pub key: String,
    pub score: i32,
}

#[derive(Clone, Debug)]
pub struct ActionInput {
    pub title: String,
    /// The account that owns it; the rep's own account when not given.
    pub owner_id: Option<i32>,
    pub due_on: Option<NaiveDate>,
}

/// A session as logged. Quick entry needs only the rep, the type and the day (and sends
/// scores and the next step when it has them); the rest can follow in an update.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub rep_id: i32,
    pub kind: CoachingType,
    pub held_on: NaiveDate,
    pub customer_id: Option<i32>,
    pub activity_id: Option<i32>,
    pub observation: Option<String>,
    pub feedback: Option<String>,
    pub next_step: Option<String>,
    pub links: Vec<String>,
    pub scores: Vec<ScoreInput>,
    pub action_items: Vec<ActionInput>,
    /// The idempotency key of an entry made offline (8–64 of `A-Za-z0-9_-`).
    pub client_key: Option<String>,
}

const TEXT_MAX: usize = 4000;
const MAX_LINKS: usize = 10;
const MAX_ACTIONS: usize = 20;

fn check_day(field: &str, d: NaiveDate) -> AppResult<NaiveDate> {
    if d > crate::clock::today() {
        return Err(AppError::BadInput(format!(
            "{field}: 不能是将来的日期 / cannot be in the future"
        )));
    }
    Ok(d)
}

/// Links: http(s) addresses, at most ten, each at most 500 characters; blank lines dropped.
fn links_text(links: Vec<String>) -> AppResult<Option<String>> {
    let links: Vec<String> = links
        .into_iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    if links.len() > MAX_LINKS {
        return Err(AppError::BadInput(format!(
            "links: 最多 {MAX_LINKS} 个 / at most {MAX_LINKS}"
        )));
    }
    for l in &links {
        let lower = l.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://"))
            || l.chars().count() > 500
            || l.chars().any(char::is_whitespace)
        {
            return Err(AppError::BadInput(format!(
                "links: {l:?} 不是 http(s) 链接 / is not an http(s) address"
            )));
        }
    }
    Ok((!links.is_empty()).then(|| links.join("\n")))
}

fn client_key(k: Option<String>) -> AppResult<Option<String>> {
    match k.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()) {
        Some(k)
            if !(8..=64).contains(&k.len())
                || !k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Err(AppError::BadInput(
                "clientKey: 应为 8 到 64 个字母、数字、- 或 _ / must be 8 to 64 letters, digits, - or _"
                    .into(),
            ))
        }
        k => Ok(k),
    }
}

/// The scores as (dimension id, score), every key an active dimension, each once, 1–5.
async fn resolve_scores<C: ConnectionTrait>(
    db: &C,
    scores: &[ScoreInput],
) -> AppResult<Vec<(i32, i32)>> {
    if scores.is_empty() {
        return Ok(Vec::new());
    }
    let dims = dimensions(db, false).await?;
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(scores.len());
    for s in scores {
        let Some(d) = dims.iter().find(|d| d.key == s.key.trim()) else {
            return Err(AppError::BadInput(format!(
                "scores: 没有维度 {:?} / there is no dimension {:?}",
                s.key, s.key
            )));
        };
        if !rules::SCORE_RANGE.contains(&s.score) {
            return Err(AppError::BadInput(format!(
                "scores.{}: 应为 1 到 5 分 / must be 1 to 5",
                d.key
            )));
        }
        if out.iter().any(|(id, _)| *id == d.id) {
            return Err(AppError::BadInput(format!(
                "scores.{}: 重复 / given twice",
                d.key
            )));
        }
        out.push((d.id, s.score));
    }
    Ok(out)
}

/// Who may own an action item of a session with `rep`: the rep's account, the session's
/// supervisor, or the viewer.
fn check_owner(owner: i32, rep: &rep::Model, supervisor_id: i32, viewer: &Viewer) -> AppResult<()> {
    if Some(owner) == rep.user_id || owner == supervisor_id || owner == viewer.user_id {
        Ok(())
    } else {
        Err(AppError::BadInput(
            "ownerId: 负责人应为该代表、督导或你自己 / the owner must be the rep, the supervisor or you".into(),
        ))
    }
}

fn action_title(t: String) -> AppResult<String> {
    required_text("title", t, 500)
}

/// Logs a session held by the viewer with a rep they may read. Sent again with the same
/// `client_key` (an offline entry retried), it answers the session already stored and
/// stores nothing.
pub async fn log(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewSession,
) -> AppResult<coaching_session::Model> {
    require(viewer, Action::Create, Resource::Coaching)?;
    let key = client_key(input.client_key)?;
    if let Some(k) = &key
        && let Some(done) = by_client_key(db, viewer.user_id, k).await?
    {
        return Ok(done);
    }
    let held_on = check_day("date", input.held_on)?;
    let observation = optional_text("observation", input.observation, TEXT_MAX)?;
    let feedback = optional_text("feedback", input.feedback, TEXT_MAX)?;
    let next_step = optional_text("nextStep", input.next_step, TEXT_MAX)?;
    let links = links_text(input.links)?;
    if input.action_items.len() > MAX_ACTIONS {
        return Err(AppError::BadInput(format!(
            "actionItems: 最多 {MAX_ACTIONS} 项 / at most {MAX_ACTIONS}"
        )));
    }
    let rep = super::reps::get(db, viewer, input.rep_id).await?;
    let customer_id = match input.customer_id {
        Some(c) => {
            let c = super::customers::get(db, viewer, c).await?;
            if c.owner_rep_id != rep.id {
                return Err(AppError::BadInput(
                    "customerId: 该客户不属于这位代表 / the customer is not this rep's".into(),
                ));
            }
            Some(c.id)
        }
        None => None,
    };
    let activity_id = match input.activity_id {
        Some(a) => {
            let a = super::activity::get(db, viewer, a).await?;
            if a.rep_id != rep.id {
                return Err(AppError::BadInput(
                    "activityId: 该拜访不属于这位代表 / the visit is not this rep's".into(),
                ));
            }
            Some(a.id)
        }
        None => None,
    };
    let mut actions = Vec::with_capacity(input.action_items.len());
    for a in input.action_items {
        let owner = a.owner_id.or(rep.user_id).unwrap_or(viewer.user_id);
        check_owner(owner, &rep, viewer.user_id, viewer)?;
        let due_on = a
            .due_on
            .map(dudao_domain::sane_date)
            .transpose()
            .map_err(|e| AppError::BadInput(format!("actionItems.dueOn: {e}")))?;
        actions.push((action_title(a.title)?, owner, due_on));
    }
    let txn = crate::db::write_txn(db).await?;
    let scores = resolve_scores(&txn, &input.scores).await?;
    let now = Utc::now();
    let inserted = coaching_session::ActiveModel {
        supervisor_id: Set(viewer.user_id),
        rep_id: Set(rep.id),
        kind: Set(Stored(input.kind)),
        held_on: Set(held_on),
        customer_id: Set(customer_id),
        activity_id: Set(activity_id),
        observation: Set(observation),
        feedback: Set(feedback),
        next_step: Set(next_step),
        links: Set(links),
        rep_confirmed_at: Set(None),
        rep_comment: Set(None),
        client_key: Set(key.clone()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        // The same offline entry, sent twice at once: the other request stored it.
        Err(e) if key.is_some() && super::is_unique_violation(&e) => {
            drop(txn);
            let k = key.as_deref().unwrap_or_default();
            return by_client_key(db, viewer.user_id, k)
                .await?
                .ok_or_else(|| AppError::from(e));
        }
        Err(e) => return Err(e.into()),
    };
    write_scores(&txn, row.id, &scores).await?;
    for (title, owner, due_on) in actions {
        action_item::ActiveModel {
            session_id: Set(Some(row.id)),
            rep_id: Set(Some(rep.id)),
            owner_id: Set(owner),
            title: Set(title),
            due_on: Set(due_on),
            status: Set(Stored(ActionStatus::Open)),
            done_at: Set(None),
            created_by: Set(Some(viewer.user_id)),
            created_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "coaching_session",
        row.id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

async fn by_client_key<C: ConnectionTrait>(
    db: &C,
    supervisor: i32,
    key: &str,
) -> AppResult<Option<coaching_session::Model>> {
    Ok(coaching_session::Entity::find()
        .filter(coaching_session::Column::SupervisorId.eq(supervisor))
        .filter(coaching_session::Column::ClientKey.eq(key))
        .one(db)
        .await?)
}

async fn write_scores<C: ConnectionTrait>(
    db: &C,
    session: i32,
    scores: &[(i32, i32)],
) -> AppResult<()> {
    if scores.is_empty() {
        return Ok(());
    }
    coaching_score::Entity::insert_many(scores.iter().map(|&(dimension_id, score)| {
        coaching_score::ActiveModel {
            session_id: Set(session),
            dimension_id: Set(dimension_id),
            score: Set(score),
        }
    }))
    .on_conflict(
        OnConflict::columns([
            coaching_score::Column::SessionId,
            coaching_score::Column::DimensionId,
        ])
        .update_column(coaching_score::Column::Score)
        .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Who may change a session: the supervisor who held it, a director or an admin (who
/// read it).
fn may_edit(viewer: &Viewer, s: &coaching_session::Model) -> bool {
    viewer.may(Action::Update, Resource::Coaching)
        && (s.supervisor_id == viewer.user_id
            || matches!(viewer.role, Role::Admin | Role::Director))
}

/// Everything a session's author may change later. `None` leaves a field as it is;
/// `Some(None)` (or blank text) clears it. Scores given replace the session's scores.
#[derive(Clone, Debug, Default)]
pub struct SessionChanges {
    pub kind: Option<CoachingType>,
    pub held_on: Option<NaiveDate>,
    pub customer_id: Option<Option<i32>>,
    pub observation: Option<Option<String>>,
    pub feedback: Option<Option<String>>,
    pub next_step: Option<Option<String>>,
    pub links: Option<Vec<String>>,
    pub scores: Option<Vec<ScoreInput>>,
}

/// Changes a session under its version (`CONFLICT` when someone else saved first). A
/// changed next step asks the rep to confirm it again.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    c: SessionChanges,
) -> AppResult<coaching_session::Model> {
    require(viewer, Action::Update, Resource::Coaching)?;
    let before = get(db, viewer, id).await?;
    if !may_edit(viewer, &before) {
        return Err(AppError::forbidden());
    }
    super::check_version(before.version, version, "coaching session")?;
    let mut m = coaching_session::ActiveModel {
        version: Set(version + 1),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if let Some(k) = c.kind {
        m.kind = Set(Stored(k));
    }
    if let Some(d) = c.held_on {
        m.held_on = Set(check_day("date", d)?);
    }
    if let Some(cust) = c.customer_id {
        if let Some(cid) = cust {
            let cu = super::customers::get(db, viewer, cid).await?;
            if cu.owner_rep_id != before.rep_id {
                return Err(AppError::BadInput(
                    "customerId: 该客户不属于这位代表 / the customer is not this rep's".into(),
                ));
            }
        }
        m.customer_id = Set(cust);
    }
    if let Some(o) = c.observation {
        m.observation = Set(optional_text("observation", o, TEXT_MAX)?);
    }
    if let Some(f) = c.feedback {
        m.feedback = Set(optional_text("feedback", f, TEXT_MAX)?);
    }
    if let Some(n) = c.next_step {
        let n = optional_text("nextStep", n, TEXT_MAX)?;
        if n != before.next_step {
            m.rep_confirmed_at = Set(None);
        }
        m.next_step = Set(n);
    }
    if let Some(l) = c.links {
        m.links = Set(links_text(l)?);
    }
    let txn = crate::db::write_txn(db).await?;
    if let Some(scores) = &c.scores {
        let scores = resolve_scores(&txn, scores).await?;
        coaching_score::Entity::delete_many()
            .filter(coaching_score::Column::SessionId.eq(id))
            .exec(&txn)
            .await?;
        write_scores(&txn, id, &scores).await?;
    }
    let after = super::save_versioned(
        &txn,
        viewer,
        "coaching session",
        (
            coaching_session::Column::Id,
            coaching_session::Column::Version,
        ),
        &before,
        id,
        version,
        m,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The rep's answer to a session: confirming the agreed next step and/or a comment.
/// Only the rep coached (their own account) answers.
pub async fn respond(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    confirm: bool,
    comment: Option<String>,
) -> AppResult<coaching_session::Model> {
    require(viewer, Action::Update, Resource::CoachingResponse)?;
    let before = get(db, viewer, id).await?;
    let own = rep::Entity::find_by_id(before.rep_id)
        .one(db)
        .await?
        .is_some_and(|r| r.user_id == Some(viewer.user_id));
    if !own {
        return Err(AppError::forbidden());
    }
    let comment = optional_text("comment", comment, TEXT_MAX)?;
    if confirm && before.next_step.is_none() {
        return Err(AppError::BadInput(
            "confirm: 这次辅导没有约定下一步 / the session has no next step to confirm".into(),
        ));
    }
    let mut m = coaching_session::ActiveModel {
        version: Set(before.version + 1),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if confirm {
        m.rep_confirmed_at = Set(Some(before.rep_confirmed_at.unwrap_or_else(Utc::now)));
    }
    if comment.is_some() {
        m.rep_comment = Set(comment);
    }
    let txn = crate::db::write_txn(db).await?;
    let after = super::save_versioned(
        &txn,
        viewer,
        "coaching session",
        (
            coaching_session::Column::Id,
            coaching_session::Column::Version,
        ),
        &before,
        id,
        before.version,
        m,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Default)]
pub struct ActionFilter {
    pub owner_id: Option<i32>,
    pub rep_id: Option<i32>,
    pub status: Option<ActionStatus>,
    /// Only open items past their due day.
    pub overdue: bool,
}

/// Action items the viewer may read: open ones first by due day, then the rest newest
/// first.
pub async fn action_items(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: ActionFilter,
    args: PageArgs,
) -> AppResult<Page<action_item::Model>> {
    let mut q = action_item::Entity::find().filter(scope::action_items(viewer));
    if let Some(o) = f.owner_id {
        q = q.filter(action_item::Column::OwnerId.eq(o));
    }
    if let Some(r) = f.rep_id {
        q = q.filter(action_item::Column::RepId.eq(r));
    }
    if let Some(s) = f.status {
        q = q.filter(action_item::Column::Status.eq(Stored(s)));
    }
    if f.overdue {
        q = q
            .filter(action_item::Column::Status.eq(Stored(ActionStatus::Open)))
            .filter(action_item::Column::DueOn.lt(crate::clock::today()));
    }
    let open_first = Expr::cust(format!(
        "CASE WHEN {} = 'OPEN' THEN 0 ELSE 1 END",
        "action_items.status"
    ));
    let q = q
        .order_by_asc(open_first)
        .order_by_asc(Expr::cust(
            "CASE WHEN action_items.due_on IS NULL THEN 1 ELSE 0 END",
        ))
        .order_by_asc(action_item::Column::DueOn)
        .order_by_desc(action_item::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn action_item<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i32,
) -> AppResult<action_item::Model> {
    find_visible::<action_item::Entity, _>(db, id, scope::action_items(viewer), "action item").await
}

/// Adds an action item to a session (its author, a director or an admin).
pub async fn add_action(
    db: &DatabaseConnection,
    viewer: &Viewer,
    session_id: i32,
    input: ActionInput,
) -> AppResult<action_item::Model> {
    require(viewer, Action::Create, Resource::ActionItem)?;
    let session = get(db, viewer, session_id).await?;
    if !may_edit(viewer, &session) {
        return Err(AppError::forbidden());
    }
    let rep = rep::Entity::find_by_id(session.rep_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("rep".into()))?;
    let owner = input.owner_id.or(rep.user_id).unwrap_or(viewer.user_id);
    check_owner(owner, &rep, session.supervisor_id, viewer)?;
    let title = action_title(input.title)?;
    let due_on = input
        .due_on
        .map(dudao_domain::sane_date)
        .transpose()
        .map_err(|e| AppError::BadInput(format!("dueOn: {e}")))?;
    let count = action_item::Entity::find()
        .filter(action_item::Column::SessionId.eq(session_id))
        .count(db)
        .await?;
    if count >= MAX_ACTIONS as u64 {
        return Err(AppError::BadInput(format!(
            "actionItems: 每次辅导最多 {MAX_ACTIONS} 项 / at most {MAX_ACTIONS} per session"
        )));
    }
    let txn = crate::db::write_txn(db).await?;
    let row = action_item::ActiveModel {
        session_id: Set(Some(session_id)),
        rep_id: Set(Some(rep.id)),
        owner_id: Set(owner),
        title: Set(title),
        due_on: Set(due_on),
        status: Set(Stored(ActionStatus::Open)),
        done_at: Set(None),
        created_by: Set(Some(viewer.user_id)),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "action_item",
        row.id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

#[derive(Clone, Debug, Default)]
pub struct ActionChanges {
    pub status: Option<ActionStatus>,
    pub title: Option<String>,
    pub due_on: Option<Option<NaiveDate>>,
}

/// Moves or edits an action item under its version. Its owner may mark it done or
/// reopen it; the author of its session (or a director) may also retitle, reschedule or
/// drop it.
pub async fn update_action(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    c: ActionChanges,
) -> AppResult<action_item::Model> {
    require(viewer, Action::Update, Resource::ActionItem)?;
    let before = action_item(db, viewer, id).await?;
    super::check_version(before.version, version, "action item")?;
    let author = match before.session_id {
        Some(s) => {
            let s = coaching_session::Entity::find_by_id(s).one(db).await?;
            s.is_some_and(|s| may_edit(viewer, &s))
        }
        None => matches!(viewer.role, Role::Admin | Role::Director),
    };
    let owner = before.owner_id == viewer.user_id;
    let edits = c.title.is_some() || c.due_on.is_some() || c.status == Some(ActionStatus::Dropped);
    if !(author || (owner && !edits)) {
        return Err(AppError::forbidden());
    }
    let mut m = action_item::ActiveModel {
        version: Set(version + 1),
        ..Default::default()
    };
    if let Some(s) = c.status {
        m.status = Set(Stored(s));
        m.done_at = Set((s == ActionStatus::Done).then(Utc::now));
    }
    if let Some(t) = c.title {
        m.title = Set(action_title(t)?);
    }
    if let Some(d) = c.due_on {
        m.due_on = Set(d
            .map(dudao_domain::sane_date)
            .transpose()
            .map_err(|e| AppError::BadInput(format!("dueOn: {e}")))?);
    }
    let txn = crate::db::write_txn(db).await?;
    let after = super::save_versioned(
        &txn,
        viewer,
        "action item",
        (action_item::Column::Id, action_item::Column::Version),
        &before,
        id,
        version,
        m,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// One rep's line of a coaching load: sessions this month and last, the last one, and
/// open action items.
#[derive(Clone, Debug, FromQueryResult)]
pub struct LoadRow {
    pub rep_id: i32,
    pub this_month: i64,
    pub last_month: i64,
    pub last_held_on: Option<NaiveDate>,
    pub open_actions: i64,
    pub overdue_actions: i64,
}

/// The coaching load of the reps the viewer may read (of one region, if given), as of a
/// day: one statement, least-coached first (never coached, then longest ago).
pub async fn load(
    db: &DatabaseConnection,
    viewer: &Viewer,
    region_id: Option<i32>,
    as_of: NaiveDate,
) -> AppResult<Vec<LoadRow>> {
    let backend = db.get_database_backend();
    let month = NaiveDate::from_ymd_opt(as_of.year(), as_of.month(), 1)
        .ok_or_else(|| AppError::BadInput("asOf".into()))?;
    let prev = month
        .checked_sub_months(chrono::Months::new(1))
        .ok_or_else(|| AppError::BadInput("asOf".into()))?;
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| AppError::BadInput("asOf".into()))?;
    let (m, p, n, d) = (
        sql_date(month),
        sql_date(prev),
        sql_date(next),
        sql_date(as_of),
    );
    let region = region_id.map_or(String::new(), |r| format!(" AND r.region_id = {r}"));
    let visible = scope::rep_ids_sql(viewer, backend);
    let sql = format!(
        "SELECT * FROM (SELECT r.id AS rep_id, \
           (SELECT COUNT(*) FROM coaching_sessions s WHERE s.rep_id = r.id AND s.held_on >= '{m}' AND s.held_on < '{n}' AND s.held_on <= '{d}') AS this_month, \
           (SELECT COUNT(*) FROM coaching_sessions s WHERE s.rep_id = r.id AND s.held_on >= '{p}' AND s.held_on < '{m}') AS last_month, \
           (SELECT MAX(s.held_on) FROM coaching_sessions s WHERE s.rep_id = r.id AND s.held_on <= '{d}') AS last_held_on, \
           (SELECT COUNT(*) FROM action_items a WHERE a.rep_id = r.id AND a.status = 'OPEN') AS open_actions, \
           (SELECT COUNT(*) FROM action_items a WHERE a.rep_id = r.id AND a.status = 'OPEN' AND a.due_on < '{d}') AS overdue_actions \
         FROM reps r WHERE r.status <> 'LEFT' AND r.id IN ({visible}){region}) l \
         ORDER BY CASE WHEN l.last_held_on IS NULL THEN 0 ELSE 1 END, l.last_held_on, l.rep_id"
    );
    // Dates come back as text on SQLite and as dates on PostgreSQL; both decode.
    Ok(
        LoadRow::find_by_statement(Statement::from_string(backend, sql))
            .all(db)
            .await?,
    )
}

/// One scored point of a rep's growth record.
#[derive(Clone, Debug, FromQueryResult)]
pub struct GrowthPoint {
    pub session_id: i32,
    pub held_on: NaiveDate,
    pub dimension_id: i32,
    pub score: i32,
}

/// Every score a rep received, oldest first (one statement).
pub async fn growth_points(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rep_id: i32,
) -> AppResult<Vec<GrowthPoint>> {
    super::reps::get(db, viewer, rep_id).await?;
    let sql = format!(
        "SELECT s.id AS session_id, s.held_on AS held_on, c.dimension_id AS dimension_id, c.score AS score \
           FROM coaching_sessions s JOIN coaching_scores c ON c.session_id = s.id \
          WHERE s.rep_id = {rep_id} ORDER BY s.held_on, s.id, c.dimension_id"
    );
    Ok(
        GrowthPoint::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .all(db)
            .await?,
    )
}

/// A milestone of a rep's record: what, and the day.
#[derive(Clone, Debug, FromQueryResult)]
pub struct MilestoneRow {
    pub kind: String,
    pub day: Option<NaiveDate>,
    pub cents: Option<i64>,
}

/// Threshold of the "big order" milestone: ¥1,000,000.
pub const BIG_ORDER_CENTS: i64 = 100_000_000;

/// A rep's milestones in one statement: first order, first order of ¥1,000,000 or more,
/// first coaching session, first ride-along.
pub async fn milestones(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rep_id: i32,
) -> AppResult<Vec<MilestoneRow>> {
    super::reps::get(db, viewer, rep_id).await?;
    let sql = format!(
        "SELECT 'FIRST_ORDER' AS kind, MIN(o.ordered_on) AS day, CAST(NULL AS BIGINT) AS cents FROM orders o \
           WHERE o.rep_id = {rep_id} AND o.status = 'CONFIRMED' \
         UNION ALL SELECT 'BIG_ORDER', MIN(o.ordered_on), CAST({BIG_ORDER_CENTS} AS BIGINT) FROM orders o \
           WHERE o.rep_id = {rep_id} AND o.status = 'CONFIRMED' AND o.amount_cents >= {BIG_ORDER_CENTS} \
         UNION ALL SELECT 'FIRST_SESSION', MIN(s.held_on), CAST(NULL AS BIGINT) FROM coaching_sessions s WHERE s.rep_id = {rep_id} \
         UNION ALL SELECT 'FIRST_RIDE_ALONG', MIN(s.held_on), CAST(NULL AS BIGINT) FROM coaching_sessions s \
           WHERE s.rep_id = {rep_id} AND s.kind = 'RIDE_ALONG'"
    );
    let rows =
        MilestoneRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .all(db)
            .await?;
    let mut rows: Vec<MilestoneRow> = rows.into_iter().filter(|r| r.day.is_some()).collect();
    rows.sort_by_key(|r| r.day);
    Ok(rows)
}
