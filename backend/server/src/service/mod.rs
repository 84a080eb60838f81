//! The service layer: every read and write of the foundation, with the access rules
//! applied inside the SQL. Resolvers call these functions and never touch entities directly
//! for anything a role could be denied.

pub mod activity;
pub mod alerts;
pub mod audit;
pub mod auth;
pub mod coaching;
pub mod customer_scores;
pub mod customers;
pub mod evaluations;
pub mod handovers;
pub mod knowledge;
pub mod markdown;
pub mod orders;
pub mod page;
pub mod promotion;
pub mod promotion_facts;
pub mod regions;
pub mod reps;
pub mod reviews;
pub mod rollups;
pub mod scope;
pub mod scorecard;
pub mod search;
pub mod settings;
pub mod surveys;
pub mod targets;
pub mod training;
pub mod transfer;
pub mod users;

use dudao_domain::{Action, Resource, Viewer};
use sea_orm::{
    Condition, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr},
};

use crate::error::{AppError, AppResult};

/// Fetches row `id` through a row filter. A row that exists but is filtered out is
/// `FORBIDDEN`; one that does not exist is `NOT_FOUND`.
pub(crate) async fn find_visible<E, C>(
    db: &C,
    id: i32,
    visible: Condition,
    what: &str,
) -> AppResult<E::Model>
where
    E: EntityTrait,
    E::PrimaryKey: PrimaryKeyTrait<ValueType = i32>,
    C: ConnectionTrait,
{
    if let Some(row) = E::find_by_id(id).filter(visible).one(db).await? {
        return Ok(row);
    }
    if E::find_by_id(id).one(db).await?.is_some() {
        Err(AppError::forbidden())
    } else {
        Err(AppError::NotFound(format!(
            "{what} {id} 不存在 / does not exist"
        )))
    }
}

/// The type and number of an API id (`base64url("Type:123")`), the one codec of them
/// (`api::ids` and the imports use it).
pub fn global_id(id: &str) -> Option<(String, i32)> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (kind, num) = text.split_once(':')?;
    Some((kind.to_owned(), num.parse().ok()?))
}

/// Coarse write check, before any row is read.
pub(crate) fn require(viewer: &Viewer, action: Action, resource: Resource) -> AppResult<()> {
    if viewer.may(action, resource) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Case-insensitive substring match that treats `%` and `_` in the search text literally.
pub(crate) fn contains_ci(col: impl sea_orm::sea_query::IntoColumnRef, needle: &str) -> SimpleExpr {
    let escaped = needle
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Expr::expr(Func::lower(Expr::col(col))).like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// A sort direction, shared by every list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

impl From<Direction> for sea_orm::Order {
    fn from(d: Direction) -> Self {
        match d {
            Direction::Asc => sea_orm::Order::Asc,
            Direction::Desc => sea_orm::Order::Desc,
        }
    }
}

/// Writes a changed row under its optimistic-lock version and audits it: the update
/// filters on `version`, so an edit that raced ours is a `CONFLICT`, not a lost update.
/// Returns the row as stored.
pub(crate) async fn save_versioned<E, A, C>(
    db: &C,
    viewer: &Viewer,
    what: &str,
    cols: (E::Column, E::Column),
    before: &E::Model,
    id: i32,
    version: i32,
    changes: A,
) -> AppResult<E::Model>
where
    E: EntityTrait,
    E::PrimaryKey: PrimaryKeyTrait<ValueType = i32>,
    E::Model: serde::Serialize + Sync,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
    C: ConnectionTrait,
{
    use sea_orm::ColumnTrait;
    let (id_col, version_col) = cols;
    let res = E::update_many()
        .set(changes)
        .filter(id_col.eq(id))
        .filter(version_col.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale(what));
    }
    let after = E::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::stale(what))?;
    audit::record(
        db,
        Some(viewer.user_id),
        "update",
        what,
        id,
        Some(before),
        Some(&after),
    )
    .await?;
    Ok(after)
}

/// Checks an optimistic-lock version. Writes then also filter on it, so a race between
/// the check and the write is caught as well.
pub(crate) fn check_version(current: i32, given: i32, what: &str) -> AppResult<()> {
    if current == given {
        Ok(())
    } else {
        Err(AppError::stale(what))
    }
}

/// A date as a SQL literal's text, `2026-11-23`: the one format every statement uses
/// (dates are computed here, never user text).
pub(crate) fn sql_date(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The start of business day `d` ([`crate::clock::day_start`]) as a SQL timestamp
/// literal, quoted, in the form each backend stores timestamps: RFC 3339 text in UTC on
/// SQLite (compared as text), `timestamptz` on PostgreSQL.
pub(crate) fn sql_midnight(backend: sea_orm::DatabaseBackend, d: chrono::NaiveDate) -> String {
    let t = crate::clock::day_start(d);
    match backend {
        sea_orm::DatabaseBackend::Postgres => format!("'{}+00'", t.format("%Y-%m-%d %H:%M:%S")),
        _ => format!("'{}'", t.format("%Y-%m-%dT%H:%M:%S")),
    }
}

/// Trimmed optional text: blank is none; longer than `max` characters is bad input.
pub(crate) fn optional_text(
    field: &'static str,
    v: Option<String>,
    max: usize,
) -> AppResult<Option<String>> {
    match v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(AppError::BadInput(format!(
            "{field}: 最多 {max} 字 / at most {max} characters"
        ))),
        other => Ok(other),
    }
}

/// Trimmed text that must be there: blank is bad input, as is more than `max` characters.
pub(crate) fn required_text(field: &'static str, v: String, max: usize) -> AppResult<String> {
    optional_text(field, Some(v), max)?
        .ok_or_else(|| AppError::BadInput(format!("{field}: 不能为空 / must not be empty")))
}

/// Whether a database error is a unique-key violation (a racing duplicate).
pub(crate) fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
