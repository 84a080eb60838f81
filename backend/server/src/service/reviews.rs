//! Review meetings (复盘会): one per region and period, the figures shown from the
//! scorecard, root causes found with 5-Why, and SMART action items (owner, measurable
//! target, due day) followed to closure — the next meeting of the region shows those still
//! open. Readable with the region (`scope::regions`); written by the region's supervisor
//! or a director. Rules are `dudao_domain::reviews`.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use dudao_domain::{Action, Period, Resource, Viewer};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::page::{self, Page, PageArgs};
use super::{audit, find_visible, optional_text, require, required_text, scope};
use crate::entity::{Stored, action_item, region, rep, review_meeting, root_cause, user};
use crate::error::{AppError, AppResult};

const TEXT_MAX: usize = 4000;

fn visible(viewer: &Viewer) -> sea_orm::Condition {
    sea_orm::Condition::all().add(
        review_meeting::Column::RegionId.in_subquery(
            Query::select()
                .column(region::Column::Id)
                .from(region::Entity)
                .cond_where(scope::regions(viewer))
                .take(),
        ),
    )
}

/// Meetings the viewer may read (of one region, if given), newest period first.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    region_id: Option<i32>,
    args: PageArgs,
) -> AppResult<Page<review_meeting::Model>> {
    let mut q = review_meeting::Entity::find().filter(visible(viewer));
    if let Some(r) = region_id {
        q = q.filter(review_meeting::Column::RegionId.eq(r));
    }
    let q = q
        .order_by_desc(review_meeting::Column::PeriodStart)
        .order_by_desc(review_meeting::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i32,
) -> AppResult<review_meeting::Model> {
    find_visible::<review_meeting::Entity, _>(db, id, visible(viewer), "review meeting").await
}

/// The meeting, if the viewer may change it: a director, or a supervisor of its region.
async fn editable<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i32,
) -> AppResult<review_meeting::Model> {
    require(viewer, Action::Update, Resource::ReviewMeeting)?;
    get(db, viewer, id).await
}

fn check_day(field: &str, d: NaiveDate) -> AppResult<NaiveDate> {
    dudao_domain::sane_date(d).map_err(|e| AppError::BadInput(format!("{field}: {e}")))
}

/// Holds a meeting for a region the viewer may write to and a month or quarter.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    region_id: i32,
    period: Period,
    held_on: NaiveDate,
    summary: Option<String>,
) -> AppResult<review_meeting::Model> {
    require(viewer, Action::Create, Resource::ReviewMeeting)?;
    super::regions::get(db, viewer, region_id).await?;
    if !dudao_domain::reviews::reviewable(period.kind) {
        return Err(AppError::BadInput(
            "period: 复盘会按月或按季度 / a review meeting covers a month or a quarter".into(),
        ));
    }
    let held_on = check_day("heldOn", held_on)?;
    let summary = optional_text("summary", summary, TEXT_MAX)?;
    let now = Utc::now();
    let txn = crate::db::write_txn(db).await?;
    let inserted = review_meeting::ActiveModel {
        region_id: Set(region_id),
        period_kind: Set(Stored(period.kind)),
        period_start: Set(period.start()),
        held_on: Set(held_on),
        summary: Set(summary),
        created_by: Set(viewer.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let m = match inserted {
        Ok(m) => m,
        Err(e) if super::is_unique_violation(&e) => {
            return Err(AppError::Conflict(
                "这个区域这一期已有复盘会 / this region already has a review meeting for the period"
                    .into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "review_meeting",
        m.id,
        None::<&()>,
        Some(&m),
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// Changes a meeting's day or summary under its version.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    held_on: Option<NaiveDate>,
    summary: Option<Option<String>>,
) -> AppResult<review_meeting::Model> {
    let before = editable(db, viewer, id).await?;
    super::check_version(before.version, version, "review meeting")?;
    let mut m = review_meeting::ActiveModel {
        version: Set(version + 1),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if let Some(d) = held_on {
        m.held_on = Set(check_day("heldOn", d)?);
    }
    if let Some(s) = summary {
        m.summary = Set(optional_text("summary", s, TEXT_MAX)?);
    }
    let txn = crate::db::write_txn(db).await?;
    let after = super::save_versioned(
        &txn,
        viewer,
        "review meeting",
        (review_meeting::Column::Id, review_meeting::Column::Version),
        &before,
        id,
        version,
        m,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// A problem found, with its 5-Why chain (one to five answers) and the root cause.
pub async fn add_root_cause(
    db: &DatabaseConnection,
    viewer: &Viewer,
    meeting_id: i32,
    problem: String,
    whys: Vec<String>,
    cause: Option<String>,
) -> AppResult<root_cause::Model> {
    let m = editable(db, viewer, meeting_id).await?;
    let problem = required_text("problem", problem, 1000)?;
    let whys: Vec<String> = whys.into_iter().map(|w| w.trim().to_owned()).collect();
    dudao_domain::reviews::check_whys(&whys).map_err(AppError::BadInput)?;
    for w in &whys {
        if let Some(c) = dudao_domain::forbidden_char(w) {
            return Err(AppError::BadInput(format!(
                "whys: 含有不允许的字符 U+{:04X} / contains a control character",
                u32::from(c)
            )));
        }
    }
    let cause = optional_text("rootCause", cause, 1000)?;
    let row = root_cause::ActiveModel {
        meeting_id: Set(m.id),
        problem: Set(problem),
        whys: Set(serde_json::to_string(&whys).unwrap_or_else(|_| "[]".into())),
        root_cause: Set(cause),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        Some(viewer.user_id),
        "create",
        "root_cause",
        row.id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    Ok(row)
}

/// A SMART action: what, its owner, a measurable target and a due day (not past).
pub async fn add_action(
    db: &DatabaseConnection,
    viewer: &Viewer,
    meeting_id: i32,
    title: String,
    owner_id: Option<i32>,
    measure: Option<String>,
    due_on: Option<NaiveDate>,
) -> AppResult<action_item::Model> {
    let m = editable(db, viewer, meeting_id).await?;
    let title = required_text("title", title, 500)?;
    let measure = optional_text("measure", measure, 500)?;
    let due_on = due_on.map(|d| check_day("dueOn", d)).transpose()?;
    let missing = dudao_domain::reviews::smart_missing(
        owner_id,
        measure.as_deref(),
        due_on,
        crate::clock::today(),
    );
    if !missing.is_empty() {
        return Err(AppError::BadInput(format!(
            "SMART 行动项还缺：{} / a SMART action still needs: {} (owner, measurable target, a due day not past)",
            missing.join("、"),
            missing.join(", ")
        )));
    }
    let owner = owner_id.unwrap_or(viewer.user_id);
    if user::Entity::find_by_id(owner)
        .one(db)
        .await?
        .is_none_or(|u| !u.active)
    {
        return Err(AppError::BadInput(format!(
            "ownerId: 没有在职用户 {owner} / no active user {owner}"
        )));
    }
    // The rep it concerns, when the owner is a rep of the meeting's region.
    let rep_id = rep::Entity::find()
        .filter(rep::Column::UserId.eq(owner))
        .filter(rep::Column::RegionId.eq(m.region_id))
        .one(db)
        .await?
        .map(|r| r.id);
    let row = action_item::ActiveModel {
        review_meeting_id: Set(Some(m.id)),
        rep_id: Set(rep_id),
        owner_id: Set(owner),
        title: Set(title),
        measure: Set(measure),
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
        row.id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    Ok(row)
}

/// Items of a region's earlier meetings still open: what a meeting of `(region, period
/// start)` follows up, for many meetings in two statements (the earlier meetings of their
/// regions, then their open items).
pub async fn carried_over<C: ConnectionTrait>(
    db: &C,
    keys: &[(i32, NaiveDate)],
) -> Result<HashMap<(i32, NaiveDate), Vec<action_item::Model>>, sea_orm::DbErr> {
    let mut out: HashMap<(i32, NaiveDate), Vec<action_item::Model>> = HashMap::new();
    let Some(latest) = keys.iter().map(|k| k.1).max() else {
        return Ok(out);
    };
    let meetings: HashMap<i32, (i32, NaiveDate)> = review_meeting::Entity::find()
        .filter(review_meeting::Column::RegionId.is_in(keys.iter().map(|k| k.0)))
        .filter(review_meeting::Column::PeriodStart.lt(latest))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, (m.region_id, m.period_start)))
        .collect();
    if meetings.is_empty() {
        return Ok(out);
    }
    let open = action_item::Entity::find()
        .filter(action_item::Column::ReviewMeetingId.is_in(meetings.keys().copied()))
        .filter(action_item::Column::Status.eq(Stored(dudao_domain::coaching::ActionStatus::Open)))
        .order_by_asc(action_item::Column::DueOn)
        .order_by_asc(action_item::Column::Id)
        .all(db)
        .await?;
    for key in keys {
        let items = open
            .iter()
            .filter(|a| {
                a.review_meeting_id
                    .and_then(|m| meetings.get(&m))
                    .is_some_and(|(region, start)| *region == key.0 && *start < key.1)
            })
            .cloned()
            .collect();
        out.insert(*key, items);
    }
    Ok(out)
}
