//! Satisfaction surveys (满意度调查): entered by whoever reads the customer, imported, or
//! answered by the customer through a one-time link (no account; the link works once,
//! expires, and its refusal never says whether it was forged, used or expired). Every
//! write adds to the monthly copies the scorecard reads (`rollups::add_surveys`) and runs
//! the low-satisfaction rule on the new row, in the same transaction.

use chrono::{Duration, NaiveDate, Utc};
use dudao_domain::{Action, Resource, Viewer};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::page::{self, Page, PageArgs};
use super::{audit, optional_text, require, scope};
use crate::entity::{customer, survey, survey_link};
use crate::error::{AppError, AppResult};

/// How long a survey link is valid unless said otherwise, and at most.
pub const LINK_DAYS: i64 = 14;
pub const LINK_DAYS_MAX: i64 = 60;

fn check(score: i32, on: NaiveDate) -> AppResult<()> {
    if !(0..=10).contains(&score) {
        return Err(AppError::BadInput(
            "score: 应在 0 到 10 之间 / must be between 0 and 10".into(),
        ));
    }
    dudao_domain::sane_date(on).map_err(|e| AppError::BadInput(format!("date: {e}")))?;
    if on > crate::clock::today() {
        return Err(AppError::BadInput(
            "date: 不能是将来的日期 / cannot be in the future".into(),
        ));
    }
    Ok(())
}

/// Stores a survey and brings the copies and the alert along (in `db`'s transaction).
async fn write<C: ConnectionTrait>(
    db: &C,
    c: &customer::Model,
    on: NaiveDate,
    score: i32,
    comment: Option<String>,
    source: &str,
    by: Option<i32>,
) -> AppResult<survey::Model> {
    let s = survey::ActiveModel {
        customer_id: Set(c.id),
        rep_id: Set(c.owner_rep_id),
        score: Set(score),
        surveyed_on: Set(on),
        comment: Set(comment),
        source: Set(source.into()),
        created_by: Set(by),
        ..Default::default()
    }
    .insert(db)
    .await?;
    super::rollups::add_surveys(db, i64::from(s.id)).await?;
    super::alerts::survey_written(db, s.id, crate::clock::today()).await?;
    Ok(s)
}

/// Records a survey of a customer the viewer reads: a score 0–10 on a day, with an
/// optional comment. It belongs to the customer's owner rep.
pub async fn record(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer_id: i32,
    on: NaiveDate,
    score: i32,
    comment: Option<String>,
) -> AppResult<survey::Model> {
    require(viewer, Action::Create, Resource::Survey)?;
    let c = super::customers::get(db, viewer, customer_id).await?;
    check(score, on)?;
    let comment = optional_text("comment", comment, 2000)?;
    let txn = crate::db::write_txn(db).await?;
    let s = write(&txn, &c, on, score, comment, "MANUAL", Some(viewer.user_id)).await?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "survey",
        s.id,
        None::<&()>,
        Some(&s),
    )
    .await?;
    txn.commit().await?;
    Ok(s)
}

#[derive(Clone, Debug, Default)]
pub struct SurveyFilter {
    pub customer_id: Option<i32>,
    pub rep_id: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Scores below this (e.g. 7 for "unhappy").
    pub below: Option<i32>,
}

/// Surveys the viewer may read, newest first.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: SurveyFilter,
    args: PageArgs,
) -> AppResult<Page<survey::Model>> {
    let mut q = survey::Entity::find().filter(scope::surveys(viewer));
    if let Some(c) = f.customer_id {
        q = q.filter(survey::Column::CustomerId.eq(c));
    }
    if let Some(r) = f.rep_id {
        q = q.filter(survey::Column::RepId.eq(r));
    }
    if let Some(d) = f.from {
        q = q.filter(survey::Column::SurveyedOn.gte(d));
    }
    if let Some(d) = f.to {
        q = q.filter(survey::Column::SurveyedOn.lte(d));
    }
    if let Some(b) = f.below {
        q = q.filter(survey::Column::Score.lt(b));
    }
    let q = q
        .order_by_desc(survey::Column::SurveyedOn)
        .order_by_desc(survey::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<survey::Model> {
    super::find_visible::<survey::Entity, _>(db, id, scope::surveys(viewer), "survey").await
}

/// Makes a one-time link for a customer the viewer reads, valid `days` (1–60, default
/// 14). Answers the link's row and its token, which is shown once and stored only as a
/// hash.
pub async fn create_link(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer_id: i32,
    days: Option<i64>,
) -> AppResult<(survey_link::Model, String)> {
    require(viewer, Action::Create, Resource::Survey)?;
    let c = super::customers::get(db, viewer, customer_id).await?;
    let days = days.unwrap_or(LINK_DAYS);
    if !(1..=LINK_DAYS_MAX).contains(&days) {
        return Err(AppError::BadInput(format!(
            "days: 应在 1 到 {LINK_DAYS_MAX} 之间 / must be between 1 and {LINK_DAYS_MAX}"
        )));
    }
    let token = super::auth::random_token();
    let now = Utc::now();
    let link = survey_link::ActiveModel {
        token_hash: Set(super::auth::sha256_hex(&token)),
        customer_id: Set(c.id),
        rep_id: Set(c.owner_rep_id),
        created_by: Set(viewer.user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(days)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        Some(viewer.user_id),
        "create",
        "survey_link",
        link.id,
        None::<&()>,
        Some(&link),
    )
    .await?;
    Ok((link, token))
}

/// The links made for a customer the viewer reads, newest first (never their tokens).
pub async fn links(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer_id: i32,
) -> AppResult<Vec<survey_link::Model>> {
    let c = super::customers::get(db, viewer, customer_id).await?;
    Ok(sea_orm::QuerySelect::limit(
        survey_link::Entity::find()
            .filter(survey_link::Column::CustomerId.eq(c.id))
            .order_by_desc(survey_link::Column::Id),
        50,
    )
    .all(db)
    .await?)
}

/// The refusal of every bad link (forged, used or expired alike).
pub fn bad_link() -> AppError {
    super::evaluations::bad_link()
}

/// Whether a token opens a form now; answers when it expires.
pub async fn form(db: &DatabaseConnection, token: &str) -> AppResult<chrono::DateTime<Utc>> {
    let l = survey_link::Entity::find()
        .filter(survey_link::Column::TokenHash.eq(super::auth::sha256_hex(token.trim())))
        .one(db)
        .await?
        .filter(|l| l.used_at.is_none() && l.expires_at > Utc::now())
        .ok_or_else(bad_link)?;
    Ok(l.expires_at)
}

/// A customer answers a link: marked used and the survey stored in one transaction, the
/// mark first and conditional, so two answers racing on one link store one survey.
pub async fn answer(
    db: &DatabaseConnection,
    token: &str,
    score: i32,
    comment: Option<String>,
) -> AppResult<()> {
    let today = crate::clock::today();
    check(score, today)?;
    let comment = optional_text("comment", comment, 2000)?;
    let hash = super::auth::sha256_hex(token.trim());
    let now = Utc::now();
    let txn = crate::db::write_txn(db).await?;
    let used = survey_link::Entity::update_many()
        .col_expr(survey_link::Column::UsedAt, Expr::value(Some(now)))
        .filter(survey_link::Column::TokenHash.eq(hash.clone()))
        .filter(survey_link::Column::UsedAt.is_null())
        .filter(survey_link::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(bad_link());
    }
    let link = survey_link::Entity::find()
        .filter(survey_link::Column::TokenHash.eq(hash))
        .one(&txn)
        .await?
        .ok_or_else(bad_link)?;
    let c = customer::Entity::find_by_id(link.customer_id)
        .one(&txn)
        .await?
        .ok_or_else(bad_link)?;
    let s = write(&txn, &c, today, score, comment, "LINK", None).await?;
    survey_link::Entity::update_many()
        .col_expr(survey_link::Column::SurveyId, Expr::value(Some(s.id)))
        .filter(survey_link::Column::Id.eq(link.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
