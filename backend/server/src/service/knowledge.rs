//! The knowledge base (知识库): articles with their versions, views and votes, the
//! contributions (金点子) that propose them, and the usage report that sets reading beside
//! results by region. Every signed-in person reads articles; writing them is for
//! supervisors and directors ([`Resource::Article`]); everyone proposes.
//!
//! Writes here never touch the search index: callers run [`super::search::Search::sync`]
//! after the commit (the index follows the table, see `service::search`).

use chrono::Utc;
use dudao_domain::Code;
use dudao_domain::access::ReadScope;
use dudao_domain::knowledge::{
    self as rules, Category, ContributionKind, ContributionStatus, MAX_BODY_CHARS, MAX_TITLE_CHARS,
    Scenario,
};
use dudao_domain::{Action, Period, Resource, Viewer};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use super::page::{Page, PageArgs, fetch};
use super::{Direction, audit, optional_text, require, required_text};
use crate::entity::{
    article, article_tag, article_version, article_vote, contribution, rep, supervisor_region,
};
use crate::error::{AppError, AppResult};

/// Filters of the article list and of a search.
#[derive(Clone, Debug, Default)]
pub struct ArticleFilter {
    pub category: Option<Category>,
    pub scenario: Option<Scenario>,
    pub tag: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ArticleOrder {
    #[default]
    UpdatedAt,
    Helpful,
    Views,
    Title,
}

/// An article as written in the editor.
pub struct ArticleInput {
    pub id: Option<i32>,
    pub version: Option<i32>,
    pub title: String,
    pub body: String,
    pub category: Category,
    pub scenario: Option<Scenario>,
    pub tags: Vec<String>,
    pub note: Option<String>,
}

fn body_text(v: String) -> AppResult<String> {
    if v.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::BadInput(format!(
            "body: 最多 {MAX_BODY_CHARS} 字 / at most {MAX_BODY_CHARS} characters"
        )));
    }
    if v.trim().is_empty() {
        return Err(AppError::BadInput(
            "body: 不能为空 / must not be empty".into(),
        ));
    }
    Ok(v)
}

fn tags_json(tags: &[String]) -> AppResult<String> {
    serde_json::to_string(tags).map_err(|e| AppError::Internal(e.into()))
}

pub fn tags_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

#[allow(clippy::needless_pass_by_value)] // used as `.map_err(bad)`
fn bad(e: rules::KnowledgeError) -> AppError {
    AppError::BadInput(e.to_string())
}

/// One article (not archived).
pub async fn get<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<article::Model> {
    article::Entity::find_by_id(id)
        .filter(article::Column::Archived.eq(false))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("article {id}")))
}

/// Articles by id, in the order given (the search's order); missing ones are skipped.
pub async fn by_ids(db: &DatabaseConnection, ids: &[i32]) -> AppResult<Vec<article::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = article::Entity::find()
        .filter(article::Column::Id.is_in(ids.iter().copied()))
        .filter(article::Column::Archived.eq(false))
        .all(db)
        .await?;
    let mut by: std::collections::HashMap<i32, article::Model> =
        rows.into_iter().map(|a| (a.id, a)).collect();
    Ok(ids.iter().filter_map(|i| by.remove(i)).collect())
}

fn filtered(f: &ArticleFilter) -> Condition {
    let mut c = Condition::all().add(article::Column::Archived.eq(false));
    if let Some(cat) = f.category {
        c = c.add(article::Column::Category.eq(crate::entity::Stored(cat)));
    }
    if let Some(s) = f.scenario {
        c = c.add(article::Column::Scenario.eq(crate::entity::Stored(s)));
    }
    if let Some(t) = f.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        c = c.add(
            article::Column::Id.in_subquery(
                Query::select()
                    .column(article_tag::Column::ArticleId)
                    .from(article_tag::Entity)
                    .and_where(
                        Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(
                            article_tag::Column::Tag,
                        )))
                        .eq(t.to_lowercase()),
                    )
                    .take(),
            ),
        );
    }
    c
}

/// The article list: filtered, sorted, one page.
pub async fn list(
    db: &DatabaseConnection,
    filter: &ArticleFilter,
    order: ArticleOrder,
    dir: Direction,
    args: PageArgs,
) -> AppResult<Page<article::Model>> {
    let o: sea_orm::Order = dir.into();
    let q = article::Entity::find().filter(filtered(filter));
    let q = match order {
        ArticleOrder::UpdatedAt => q.order_by(article::Column::UpdatedAt, o.clone()),
        ArticleOrder::Helpful => q
            .order_by(article::Column::Helpful, o.clone())
            .order_by(article::Column::Views, o.clone()),
        ArticleOrder::Views => q.order_by(article::Column::Views, o.clone()),
        ArticleOrder::Title => q.order_by(article::Column::Title, o.clone()),
    };
    fetch(db, q.order_by(article::Column::Id, o), args).await
}

#[derive(Debug, FromQueryResult)]
pub struct TagCount {
    pub tag: String,
    pub n: i64,
}

/// Tags in use, most used first.
pub async fn tags(db: &DatabaseConnection) -> AppResult<Vec<TagCount>> {
    Ok(TagCount::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT t.tag AS tag, CAST(COUNT(*) AS BIGINT) AS n FROM article_tags t \
         JOIN articles a ON a.id = t.article_id WHERE a.archived = false \
         GROUP BY t.tag ORDER BY 2 DESC, 1 LIMIT 100",
    ))
    .all(db)
    .await?)
}

#[derive(Debug, FromQueryResult)]
struct FacetRow {
    k: String,
    v: String,
    n: i64,
}

/// How many articles (not archived) each category and each objection scenario has, every
/// one listed (zero where none), in one statement: the knowledge base home's counts.
pub async fn counts(
    db: &DatabaseConnection,
) -> AppResult<(Vec<(Category, i64)>, Vec<(Scenario, i64)>)> {
    let rows = FacetRow::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT 'c' AS k, a.category AS v, CAST(COUNT(*) AS BIGINT) AS n FROM articles a \
           WHERE a.archived = false GROUP BY a.category \
         UNION ALL \
         SELECT 's' AS k, a.scenario AS v, CAST(COUNT(*) AS BIGINT) AS n FROM articles a \
           WHERE a.archived = false AND a.scenario IS NOT NULL GROUP BY a.scenario",
    ))
    .all(db)
    .await?;
    let n = |k: &str, code: &str| {
        rows.iter()
            .find(|r| r.k == k && r.v == code)
            .map_or(0, |r| r.n)
    };
    Ok((
        Category::ALL
            .iter()
            .map(|c| (*c, n("c", c.code())))
            .collect(),
        Scenario::ALL
            .iter()
            .map(|s| (*s, n("s", s.code())))
            .collect(),
    ))
}

async fn write_tags<C: ConnectionTrait>(db: &C, id: i32, tags: &[String]) -> AppResult<()> {
    article_tag::Entity::delete_many()
        .filter(article_tag::Column::ArticleId.eq(id))
        .exec(db)
        .await?;
    // Tags differing only in case are one tag (normalize_tags); the key is exact.
    if !tags.is_empty() {
        article_tag::Entity::insert_many(tags.iter().map(|t| article_tag::ActiveModel {
            article_id: Set(id),
            tag: Set(t.clone()),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

fn version_row(
    a: &article::Model,
    editor: Option<i32>,
    note: Option<String>,
) -> article_version::ActiveModel {
    article_version::ActiveModel {
        article_id: Set(a.id),
        version: Set(a.version),
        title: Set(a.title.clone()),
        body: Set(a.body.clone()),
        category: Set(a.category),
        scenario: Set(a.scenario),
        tags: Set(a.tags.clone()),
        editor_id: Set(editor),
        note: Set(note),
        created_at: Set(a.updated_at),
    }
}

/// Creates or changes an article (a new version each time), by someone who may write
/// them, or on behalf of an adopted contribution's author (`author`).
pub async fn save(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ArticleInput,
) -> AppResult<article::Model> {
    require(
        viewer,
        if input.id.is_some() {
            Action::Update
        } else {
            Action::Create
        },
        Resource::Article,
    )?;
    let txn = crate::db::write_txn(db).await?;
    let a = save_in(&txn, viewer.user_id, Some(viewer.user_id), input).await?;
    txn.commit().await?;
    Ok(a)
}

async fn save_in<C: ConnectionTrait>(
    txn: &C,
    actor: i32,
    author: Option<i32>,
    input: ArticleInput,
) -> AppResult<article::Model> {
    let title = required_text("title", input.title, MAX_TITLE_CHARS)?;
    let body = body_text(input.body)?;
    let tags = rules::normalize_tags(&input.tags).map_err(bad)?;
    let note = optional_text("note", input.note, 500)?;
    let now = Utc::now();
    let saved = match input.id {
        Some(id) => {
            let before = get(txn, id).await?;
            let version = input.version.ok_or_else(|| {
                AppError::BadInput(
                    "version: 修改文章需要版本号 / needed to change an article".into(),
                )
            })?;
            super::check_version(before.version, version, "article")?;
            let res = article::Entity::update_many()
                .col_expr(article::Column::Title, Expr::value(title))
                .col_expr(article::Column::Body, Expr::value(body))
                .col_expr(
                    article::Column::Category,
                    Expr::value(crate::entity::Stored(input.category)),
                )
                .col_expr(
                    article::Column::Scenario,
                    Expr::value(input.scenario.map(crate::entity::Stored)),
                )
                .col_expr(article::Column::Tags, Expr::value(tags_json(&tags)?))
                .col_expr(article::Column::Version, Expr::value(version + 1))
                .col_expr(article::Column::UpdatedAt, Expr::value(now))
                .filter(article::Column::Id.eq(id))
                .filter(article::Column::Version.eq(version))
                .exec(txn)
                .await?;
            if res.rows_affected != 1 {
                return Err(AppError::stale("article"));
            }
            let after = get(txn, id).await?;
            audit::record(
                txn,
                Some(actor),
                "update",
                "article",
                id,
                Some(&before),
                Some(&after),
            )
            .await?;
            after
        }
        None => {
            let a = article::ActiveModel {
                title: Set(title),
                body: Set(body),
                category: Set(input.category.into()),
                scenario: Set(input.scenario.map(Into::into)),
                tags: Set(tags_json(&tags)?),
                author_id: Set(author),
                version: Set(1),
                archived: Set(false),
                views: Set(0),
                helpful: Set(0),
                not_helpful: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            audit::record(
                txn,
                Some(actor),
                "create",
                "article",
                a.id,
                None::<&()>,
                Some(&a),
            )
            .await?;
            a
        }
    };
    write_tags(txn, saved.id, &tags).await?;
    version_row(&saved, Some(actor), note).insert(txn).await?;
    Ok(saved)
}

/// Every version of an article, newest first.
pub async fn version<C: ConnectionTrait>(
    db: &C,
    article_id: i32,
    v: i32,
) -> AppResult<article_version::Model> {
    article_version::Entity::find_by_id((article_id, v))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("article {article_id} version {v}")))
}

/// Makes an old version the current text again, as a new version.
pub async fn restore(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    v: i32,
    current: i32,
) -> AppResult<article::Model> {
    require(viewer, Action::Update, Resource::Article)?;
    let txn = crate::db::write_txn(db).await?;
    let old = version(&txn, id, v).await?;
    let a = save_in(
        &txn,
        viewer.user_id,
        None,
        ArticleInput {
            id: Some(id),
            version: Some(current),
            title: old.title,
            body: old.body,
            category: old.category.0,
            scenario: old.scenario.map(|s| s.0),
            tags: tags_of(&old.tags),
            note: Some(format!("恢复第 {v} 版 / restored version {v}")),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// Counts a view: once per person and day (a refresh is not another view).
pub async fn view(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<article::Model> {
    require(viewer, Action::Create, Resource::ArticleFeedback)?;
    get(db, id).await?;
    let txn = crate::db::write_txn(db).await?;
    let today = crate::clock::today();
    let inserted = txn
        .execute_raw(Statement::from_sql_and_values(
            txn.get_database_backend(),
            match txn.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "INSERT INTO article_views (article_id, user_id, day) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                }
                _ => "INSERT INTO article_views (article_id, user_id, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            },
            [id.into(), viewer.user_id.into(), today.into()],
        ))
        .await?
        .rows_affected();
    if inserted == 1 {
        // The counter only: `updated_at` is the text's, which the search index follows.
        article::Entity::update_many()
            .col_expr(
                article::Column::Views,
                Expr::col(article::Column::Views).add(1),
            )
            .filter(article::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    get(db, id).await
}

/// Sets (or with `None` clears) the viewer's vote, and recounts the article's votes.
pub async fn vote(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    helpful: Option<bool>,
) -> AppResult<article::Model> {
    require(viewer, Action::Create, Resource::ArticleFeedback)?;
    let txn = crate::db::write_txn(db).await?;
    // Voters on one article take turns (the row's lock on PostgreSQL; SQLite's write
    // transaction is already alone): the recount below then starts after the previous
    // voter committed and sees every vote. Without it a recount could read a vote another
    // voter was replacing and leave the counter one off (found by the parallel test).
    article::Entity::find_by_id(id)
        .filter(article::Column::Archived.eq(false))
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("article {id}")))?;
    article_vote::Entity::delete_many()
        .filter(article_vote::Column::ArticleId.eq(id))
        .filter(article_vote::Column::UserId.eq(viewer.user_id))
        .exec(&txn)
        .await?;
    if let Some(h) = helpful {
        article_vote::Entity::insert(article_vote::ActiveModel {
            article_id: Set(id),
            user_id: Set(viewer.user_id),
            helpful: Set(h),
            voted_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([
                article_vote::Column::ArticleId,
                article_vote::Column::UserId,
            ])
            .update_columns([article_vote::Column::Helpful, article_vote::Column::VotedAt])
            .to_owned(),
        )
        .exec(&txn)
        .await?;
    }
    let count = |h: bool| {
        Expr::cust(format!(
            "(SELECT COUNT(*) FROM article_votes v WHERE v.article_id = {id} AND v.helpful = {h})"
        ))
    };
    article::Entity::update_many()
        .col_expr(article::Column::Helpful, count(true))
        .col_expr(article::Column::NotHelpful, count(false))
        .filter(article::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    get(db, id).await
}

/// The viewer's votes on some articles.
pub async fn votes_of(
    db: &DatabaseConnection,
    user_id: i32,
    articles: &[i32],
) -> AppResult<Vec<article_vote::Model>> {
    Ok(article_vote::Entity::find()
        .filter(article_vote::Column::UserId.eq(user_id))
        .filter(article_vote::Column::ArticleId.is_in(articles.iter().copied()))
        .all(db)
        .await?)
}

// ---------------------------------------------------------------------------------------
// Contributions (金点子)

/// Contributions a viewer may read: their own; a supervisor also those of the reps of
/// their regions; directors and admins all.
pub fn visible_contributions(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => Condition::any()
            .add(contribution::Column::AuthorId.eq(supervisor_id))
            .add(contribution::Column::AuthorId.in_subquery(reps_of_supervisor(supervisor_id))),
        ReadScope::OwnRep { user_id } => {
            Condition::all().add(contribution::Column::AuthorId.eq(user_id))
        }
    }
}

/// The user accounts of the reps in a supervisor's regions.
fn reps_of_supervisor(supervisor_id: i32) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(rep::Column::UserId)
        .from(rep::Entity)
        .and_where(
            rep::Column::RegionId.in_subquery(
                Query::select()
                    .column(supervisor_region::Column::RegionId)
                    .from(supervisor_region::Entity)
                    .and_where(supervisor_region::Column::SupervisorId.eq(supervisor_id))
                    .take(),
            ),
        )
        .and_where(rep::Column::UserId.is_not_null())
        .take()
}

/// Contributions a viewer may decide: a supervisor those of their regions' reps, a
/// director or admin any (never their own: see `rules::decide`).
fn decidable(viewer: &Viewer) -> Condition {
    match viewer.read_scope() {
        ReadScope::Everything => Condition::all(),
        ReadScope::AssignedRegions { supervisor_id } => Condition::all()
            .add(contribution::Column::AuthorId.in_subquery(reps_of_supervisor(supervisor_id))),
        ReadScope::OwnRep { .. } => Condition::all().add(Expr::val(1).eq(0)),
    }
}

pub async fn contribution(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
) -> AppResult<contribution::Model> {
    super::find_visible::<contribution::Entity, _>(
        db,
        id,
        visible_contributions(viewer),
        "contribution",
    )
    .await
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ContributionFilter {
    pub status: Option<ContributionStatus>,
    pub mine: bool,
}

pub async fn contributions(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: ContributionFilter,
    args: PageArgs,
) -> AppResult<Page<contribution::Model>> {
    let mut q = contribution::Entity::find().filter(visible_contributions(viewer));
    if let Some(s) = f.status {
        q = q.filter(contribution::Column::Status.eq(crate::entity::Stored(s)));
    }
    if f.mine {
        q = q.filter(contribution::Column::AuthorId.eq(viewer.user_id));
    }
    fetch(db, q.order_by_desc(contribution::Column::Id), args).await
}

pub struct ProposeInput {
    pub kind: ContributionKind,
    pub article_id: Option<i32>,
    pub title: String,
    pub body: String,
    pub category: Option<Category>,
    pub scenario: Option<Scenario>,
    pub tags: Vec<String>,
}

/// A proposal by anyone signed in.
pub async fn propose(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ProposeInput,
) -> AppResult<contribution::Model> {
    require(viewer, Action::Create, Resource::Contribution)?;
    let title = required_text("title", input.title, MAX_TITLE_CHARS)?;
    let body = body_text(input.body)?;
    let tags = rules::normalize_tags(&input.tags).map_err(bad)?;
    let (article_id, base_version) = match (input.kind, input.article_id) {
        (ContributionKind::Edit, None) => return Err(bad(rules::KnowledgeError::EditNeedsArticle)),
        (_, Some(id)) => {
            let a = get(db, id).await?;
            (Some(a.id), Some(a.version))
        }
        (_, None) => (None, None),
    };
    if input.kind == ContributionKind::NewArticle && input.category.is_none() {
        return Err(AppError::BadInput(
            "category: 新文章需要分类 / a new article needs a category".into(),
        ));
    }
    let txn = crate::db::write_txn(db).await?;
    let c = contribution::ActiveModel {
        kind: Set(input.kind.into()),
        status: Set(ContributionStatus::Proposed.into()),
        title: Set(title),
        body: Set(body),
        category: Set(input.category.map(Into::into)),
        scenario: Set(input.scenario.map(Into::into)),
        tags: Set(tags_json(&tags)?),
        article_id: Set(article_id),
        base_version: Set(base_version),
        author_id: Set(viewer.user_id),
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
        "contribution",
        c.id,
        None::<&()>,
        Some(&c),
    )
    .await?;
    txn.commit().await?;
    Ok(c)
}

pub struct DecideInput {
    pub id: i32,
    pub version: i32,
    pub adopt: bool,
    pub reason: String,
    pub reward: Option<i32>,
}

/// Adopts or declines a contribution with a reason. Adopting a new article publishes it
/// (its author is the contributor), adopting an edit makes it the article's next version;
/// either way the reward is recorded for the author. Returns the contribution and the
/// article written, if any.
pub async fn decide(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: DecideInput,
) -> AppResult<(contribution::Model, Option<article::Model>)> {
    require(viewer, Action::Update, Resource::Contribution)?;
    let txn = crate::db::write_txn(db).await?;
    let c = contribution::Entity::find_by_id(input.id)
        .filter(visible_contributions(viewer))
        .one(&txn)
        .await?;
    let Some(c) = c else {
        return Err(
            if contribution::Entity::find_by_id(input.id)
                .one(&txn)
                .await?
                .is_some()
            {
                AppError::forbidden()
            } else {
                AppError::NotFound(format!("contribution {}", input.id))
            },
        );
    };
    let may = contribution::Entity::find_by_id(c.id)
        .filter(decidable(viewer))
        .one(&txn)
        .await?
        .is_some();
    if !may && c.author_id != viewer.user_id {
        return Err(AppError::forbidden());
    }
    super::check_version(c.version, input.version, "contribution")?;
    let reason = input.reason.trim().to_owned();
    if reason.chars().count() > 1000 {
        return Err(AppError::BadInput(
            "reason: 最多 1000 字 / at most 1000 characters".into(),
        ));
    }
    let points = rules::decide(
        c.status.0,
        c.kind.0,
        c.author_id == viewer.user_id,
        input.adopt,
        &reason,
        input.reward,
    )
    .map_err(bad)?;
    let written = if input.adopt {
        match c.kind.0 {
            ContributionKind::Idea => None,
            ContributionKind::NewArticle => Some(
                save_in(
                    &txn,
                    viewer.user_id,
                    Some(c.author_id),
                    ArticleInput {
                        id: None,
                        version: None,
                        title: c.title.clone(),
                        body: c.body.clone(),
                        category: c.category.map_or(Category::Process, |x| x.0),
                        scenario: c.scenario.map(|s| s.0),
                        tags: tags_of(&c.tags),
                        note: Some(format!(
                            "采纳金点子 #{} / adopted contribution #{}",
                            c.id, c.id
                        )),
                    },
                )
                .await?,
            ),
            ContributionKind::Edit => {
                let id = c
                    .article_id
                    .ok_or_else(|| bad(rules::KnowledgeError::EditNeedsArticle))?;
                let current = get(&txn, id).await?;
                Some(
                    save_in(
                        &txn,
                        viewer.user_id,
                        None,
                        ArticleInput {
                            id: Some(id),
                            version: Some(current.version),
                            title: c.title.clone(),
                            body: c.body.clone(),
                            category: c.category.map_or(current.category.0, |x| x.0),
                            scenario: c.scenario.map(|s| s.0).or(current.scenario.map(|s| s.0)),
                            tags: if tags_of(&c.tags).is_empty() {
                                tags_of(&current.tags)
                            } else {
                                tags_of(&c.tags)
                            },
                            note: Some(format!(
                                "采纳金点子 #{} / adopted contribution #{}",
                                c.id, c.id
                            )),
                        },
                    )
                    .await?,
                )
            }
        }
    } else {
        None
    };
    let status = if input.adopt {
        ContributionStatus::Adopted
    } else {
        ContributionStatus::Declined
    };
    let res = contribution::Entity::update_many()
        .col_expr(
            contribution::Column::Status,
            Expr::value(crate::entity::Stored(status)),
        )
        .col_expr(contribution::Column::Reason, Expr::value(reason))
        .col_expr(contribution::Column::RewardPoints, Expr::value(points))
        .col_expr(contribution::Column::DecidedBy, Expr::value(viewer.user_id))
        .col_expr(contribution::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(
            contribution::Column::ArticleId,
            Expr::value(written.as_ref().map(|a| a.id).or(c.article_id)),
        )
        .col_expr(contribution::Column::Version, Expr::value(c.version + 1))
        .filter(contribution::Column::Id.eq(c.id))
        .filter(contribution::Column::Version.eq(c.version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale("contribution"));
    }
    let after = contribution::Entity::find_by_id(c.id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::stale("contribution"))?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "decide",
        "contribution",
        c.id,
        Some(&c),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok((after, written))
}

#[derive(Debug, Default, FromQueryResult)]
pub struct Summary {
    pub proposed: i64,
    pub adopted: i64,
    pub declined: i64,
    pub points: i64,
}

/// The viewer's own contributions counted, and the points they earned.
pub async fn summary(db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Summary> {
    Ok(Summary::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS proposed, \
               CAST(COALESCE(SUM(CASE WHEN status = 'ADOPTED' THEN 1 ELSE 0 END), 0) AS BIGINT) AS adopted, \
               CAST(COALESCE(SUM(CASE WHEN status = 'DECLINED' THEN 1 ELSE 0 END), 0) AS BIGINT) AS declined, \
               CAST(COALESCE(SUM(reward_points), 0) AS BIGINT) AS points \
             FROM contributions WHERE author_id = {}",
            viewer.user_id
        ),
    ))
    .one(db)
    .await?
    .unwrap_or_default())
}

// ---------------------------------------------------------------------------------------
// Usage beside results

/// One region's reading of the knowledge base in a period, beside its results.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Usage {
    pub region_id: i32,
    pub reps: i64,
    pub readers: i64,
    pub views: i64,
    pub votes: i64,
    pub won: i64,
    pub closed: i64,
    pub sales_cents: i64,
    pub target_cents: Option<i64>,
}

/// Every region the viewer reads figures of, in one statement: its reps in the period, how
/// many of them read an article in it, their views and helpful votes, and the period's won
/// and closed opportunities and sales against the region's target (from the monthly copies
/// the scorecard reads). "Its reps in the period" are those hired before the period ended
/// and either not gone or with sales or reading in it, so a rep who read and then left
/// counts among the reps as among the readers (readers ≤ reps); membership is the rep's
/// region today (moves between regions are not kept).
pub async fn usage(db: &DatabaseConnection, viewer: &Viewer, p: Period) -> AppResult<Vec<Usage>> {
    if !viewer.can(dudao_domain::Capability::ReadRegionFigures) {
        return Err(AppError::forbidden());
    }
    let b = db.get_database_backend();
    let regions = super::scope::region_ids_sql(viewer, b);
    let (start, end) = (p.start(), p.end_exclusive());
    let (s, e) = (super::sql_date(start), super::sql_date(end));
    let (ts, te) = (super::sql_midnight(b, start), super::sql_midnight(b, end));
    let target = format!(
        "(SELECT CAST(SUM(t.value) AS BIGINT) FROM targets t WHERE t.metric = 'SALES' \
           AND t.scope_kind = 'REGION' AND t.scope_id = g.id AND t.period_kind = '{kind}' \
           AND t.year = {year} AND t.idx = {idx})",
        kind = p.kind.as_str(),
        year = p.year,
        idx = p.index,
    );
    let sql = format!(
        "SELECT g.id AS region_id, \
           CAST((SELECT COUNT(*) FROM reps r WHERE r.region_id = g.id AND r.hire_date < '{e}' \
                 AND (r.status <> 'LEFT' \
                   OR EXISTS (SELECT 1 FROM rep_months m WHERE m.rep_id = r.id AND m.month >= '{s}' AND m.month < '{e}') \
                   OR EXISTS (SELECT 1 FROM article_views v WHERE v.user_id = r.user_id AND v.day >= '{s}' AND v.day < '{e}'))) AS BIGINT) AS reps, \
           CAST((SELECT COUNT(DISTINCT v.user_id) FROM article_views v JOIN reps r ON r.user_id = v.user_id \
                 WHERE r.region_id = g.id AND v.day >= '{s}' AND v.day < '{e}') AS BIGINT) AS readers, \
           CAST((SELECT COUNT(*) FROM article_views v JOIN reps r ON r.user_id = v.user_id \
                 WHERE r.region_id = g.id AND v.day >= '{s}' AND v.day < '{e}') AS BIGINT) AS views, \
           CAST((SELECT COUNT(*) FROM article_votes o JOIN reps r ON r.user_id = o.user_id \
                 WHERE r.region_id = g.id AND o.helpful = true AND o.voted_at >= {ts} AND o.voted_at < {te}) AS BIGINT) AS votes, \
           CAST(COALESCE((SELECT SUM(m.won) FROM rep_months m JOIN reps r ON r.id = m.rep_id \
                 WHERE r.region_id = g.id AND m.month >= '{s}' AND m.month < '{e}'), 0) AS BIGINT) AS won, \
           CAST(COALESCE((SELECT SUM(m.closed) FROM rep_months m JOIN reps r ON r.id = m.rep_id \
                 WHERE r.region_id = g.id AND m.month >= '{s}' AND m.month < '{e}'), 0) AS BIGINT) AS closed, \
           CAST(COALESCE((SELECT SUM(m.sales_cents) FROM rep_months m JOIN reps r ON r.id = m.rep_id \
                 WHERE r.region_id = g.id AND m.month >= '{s}' AND m.month < '{e}'), 0) AS BIGINT) AS sales_cents, \
           {target} AS target_cents \
         FROM regions g WHERE g.id IN ({regions}) ORDER BY g.id"
    );
    Ok(Usage::find_by_statement(Statement::from_string(b, sql))
        .all(db)
        .await?)
}
