//! GraphQL shape of the knowledge base (知识库): articles, their versions and diffs,
//! search, views and votes, contributions (金点子) and the usage report.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use dudao_domain::knowledge as rules;

use super::scorecard::PeriodInput;
use super::types::{ConnectionOf, OrderDirection, Region, User, connection};
use super::{db, ids, load_err, loaders, viewer};
use crate::entity::{article, article_version, contribution};
use crate::error::AppError;
use crate::service::knowledge as kb;
use crate::service::page::{Page, PageArgs};
use crate::service::search::{Search, SearchQuery};

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::knowledge::Category")]
pub enum ArticleCategory {
    Product,
    Customer,
    Process,
    /// Success and failure cases.
    Case,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::knowledge::Scenario")]
pub enum ObjectionScenario {
    PriceSensitive,
    ComplexDecisionChain,
    CompetitorComparison,
    NeedUnclear,
    DelayedDecision,
    TrustConcern,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::knowledge::ContributionKind")]
pub enum ContributionKind {
    NewArticle,
    Edit,
    Idea,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::knowledge::ContributionStatus")]
pub enum ContributionStatus {
    Proposed,
    Adopted,
    Declined,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::knowledge::DiffKind")]
pub enum DiffKind {
    Same,
    Added,
    Removed,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum ArticleOrderField {
    #[default]
    UpdatedAt,
    Helpful,
    Views,
    Title,
}

#[derive(InputObject, Default)]
pub struct ArticleFilter {
    pub category: Option<ArticleCategory>,
    pub scenario: Option<ObjectionScenario>,
    pub tag: Option<String>,
}

impl ArticleFilter {
    fn into_service(self) -> kb::ArticleFilter {
        kb::ArticleFilter {
            category: self.category.map(Into::into),
            scenario: self.scenario.map(Into::into),
            tag: self.tag,
        }
    }
}

#[derive(InputObject)]
pub struct ArticleOrder {
    pub field: ArticleOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// One line of a diff.
#[derive(SimpleObject)]
pub struct DiffLine {
    pub kind: DiffKind,
    pub text: String,
}

fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    rules::line_diff(old, new)
        .into_iter()
        .map(|(k, t)| DiffLine {
            kind: k.into(),
            text: t.to_owned(),
        })
        .collect()
}

/// Where a search found an article.
#[derive(Clone)]
pub struct HitInfo {
    score: f32,
    title_html: String,
    snippet_html: String,
}

/// A knowledge-base article.
pub struct Article {
    pub model: article::Model,
    pub hit: Option<HitInfo>,
}

impl Article {
    pub fn new(model: article::Model) -> Self {
        Article { model, hit: None }
    }
}

async fn name_of(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    loaders(ctx)?
        .author_name
        .load_one(id)
        .await
        .map_err(load_err)
}

async fn user_of(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<User>> {
    let Some(id) = id else { return Ok(None) };
    Ok(loaders(ctx)?
        .user
        .load_one(id)
        .await
        .map_err(load_err)?
        .map(User))
}

#[Object]
impl Article {
    pub async fn id(&self) -> ID {
        ids::encode("Article", self.model.id)
    }
    async fn title(&self) -> &str {
        &self.model.title
    }
    /// Markdown, as written.
    async fn body(&self) -> &str {
        &self.model.body
    }
    /// The body as sanitised HTML (no scripts, no event handlers, no `javascript:`
    /// links): safe to insert into a page.
    async fn body_html(&self) -> String {
        crate::service::markdown::render(&self.model.body)
    }
    async fn category(&self) -> ArticleCategory {
        self.model.category.0.into()
    }
    /// The objection an objection-handling script answers.
    async fn scenario(&self) -> Option<ObjectionScenario> {
        self.model.scenario.map(|s| s.0.into())
    }
    async fn tags(&self) -> Vec<String> {
        kb::tags_of(&self.model.tags)
    }
    /// Null when the caller may not read the author's account (`authorName` is shown
    /// to every reader).
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user_of(ctx, self.model.author_id).await
    }
    /// Who wrote it (or whose contribution it was); null for imported articles.
    async fn author_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        name_of(ctx, self.model.author_id).await
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.model.updated_at
    }
    /// Views, one per person and day.
    async fn views(&self) -> i64 {
        self.model.views
    }
    async fn helpful_votes(&self) -> i32 {
        self.model.helpful
    }
    async fn not_helpful_votes(&self) -> i32 {
        self.model.not_helpful
    }
    /// The caller's vote: true helpful, false not, null none.
    async fn my_vote(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        loaders(ctx)?
            .article_vote
            .load_one(self.model.id)
            .await
            .map_err(load_err)
    }
    /// From `searchArticles` only: the title with the matched words in `<mark>` (HTML,
    /// escaped).
    async fn title_highlight(&self) -> Option<&str> {
        self.hit.as_ref().map(|h| h.title_html.as_str())
    }
    /// From `searchArticles` only: a passage of the body with the matched words in
    /// `<mark>` (HTML, escaped).
    async fn snippet(&self) -> Option<&str> {
        self.hit.as_ref().map(|h| h.snippet_html.as_str())
    }
    /// From `searchArticles` only: the relevance.
    async fn score(&self) -> Option<f64> {
        self.hit.as_ref().map(|h| f64::from(h.score))
    }
    /// Every saved version, newest first.
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<ArticleVersion>> {
        Ok(loaders(ctx)?
            .article_versions
            .load_one(self.model.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(ArticleVersion)
            .collect())
    }
    /// The line diff of title and body from version `from` to version `to`.
    async fn diff(&self, ctx: &Context<'_>, from: i32, to: i32) -> Result<Vec<DiffLine>> {
        let id = self.model.id;
        let found = loaders(ctx)?
            .article_version
            .load_many([(id, from), (id, to)])
            .await
            .map_err(load_err)?;
        let version = |v: i32| {
            found
                .get(&(id, v))
                .ok_or_else(|| AppError::NotFound(format!("article {id} version {v}")))
        };
        let (a, b) = (version(from)?, version(to)?);
        Ok(diff(
            &format!("# {}\n\n{}", a.title, a.body),
            &format!("# {}\n\n{}", b.title, b.body),
        ))
    }
}

pub struct ArticleVersion(article_version::Model);

#[Object]
impl ArticleVersion {
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn category(&self) -> ArticleCategory {
        self.0.category.0.into()
    }
    async fn scenario(&self) -> Option<ObjectionScenario> {
        self.0.scenario.map(|s| s.0.into())
    }
    async fn tags(&self) -> Vec<String> {
        kb::tags_of(&self.0.tags)
    }
    async fn editor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user_of(ctx, self.0.editor_id).await
    }
    async fn editor_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        name_of(ctx, self.0.editor_id).await
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A contribution (金点子).
pub struct Contribution(pub contribution::Model);

#[Object]
impl Contribution {
    pub async fn id(&self) -> ID {
        ids::encode("Contribution", self.0.id)
    }
    async fn kind(&self) -> ContributionKind {
        self.0.kind.0.into()
    }
    async fn status(&self) -> ContributionStatus {
        self.0.status.0.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn category(&self) -> Option<ArticleCategory> {
        self.0.category.map(|c| c.0.into())
    }
    async fn scenario(&self) -> Option<ObjectionScenario> {
        self.0.scenario.map(|s| s.0.into())
    }
    async fn tags(&self) -> Vec<String> {
        kb::tags_of(&self.0.tags)
    }
    /// The article an edit is about, or the one an adopted new article became.
    async fn article(&self, ctx: &Context<'_>) -> Result<Option<Article>> {
        let Some(id) = self.0.article_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .article
            .load_one(id)
            .await
            .map_err(load_err)?
            .map(Article::new))
    }
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user_of(ctx, Some(self.0.author_id)).await
    }
    async fn author_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        name_of(ctx, Some(self.0.author_id)).await
    }
    async fn decided_by_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        name_of(ctx, self.0.decided_by).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user_of(ctx, self.0.decided_by).await
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// Points (积分) the adoption earned the author.
    async fn reward_points(&self) -> Option<i32> {
        self.0.reward_points
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// For an edit: the article's current text to the proposed one, line by line.
    async fn diff(&self, ctx: &Context<'_>) -> Result<Vec<DiffLine>> {
        if self.0.kind.0 != rules::ContributionKind::Edit {
            return Ok(Vec::new());
        }
        let Some(id) = self.0.article_id else {
            return Ok(Vec::new());
        };
        let Some(a) = loaders(ctx)?.article.load_one(id).await.map_err(load_err)? else {
            return Ok(Vec::new());
        };
        // An adopted edit is the article's text now: show it against the version it
        // was written on.
        let before = match (self.0.status.0, self.0.base_version) {
            (rules::ContributionStatus::Adopted, Some(v)) => loaders(ctx)?
                .article_version
                .load_one((id, v))
                .await
                .map_err(load_err)?
                .map(|m| m.body)
                .unwrap_or_default(),
            _ => a.body,
        };
        Ok(diff(&before, &self.0.body))
    }
}

/// How many articles each category and each objection scenario has (every one, zero
/// where none).
#[derive(SimpleObject)]
pub struct ArticleCounts {
    pub categories: Vec<CategoryCount>,
    pub scenarios: Vec<ScenarioCount>,
}

#[derive(SimpleObject)]
pub struct CategoryCount {
    pub category: ArticleCategory,
    pub count: i64,
}

#[derive(SimpleObject)]
pub struct ScenarioCount {
    pub scenario: ObjectionScenario,
    pub count: i64,
}

#[derive(SimpleObject)]
pub struct TagCount {
    pub tag: String,
    pub count: i64,
}

#[derive(SimpleObject)]
pub struct ContributionSummary {
    pub proposed: i64,
    pub adopted: i64,
    pub declined: i64,
    pub reward_points: i64,
}

#[derive(InputObject, Default)]
pub struct ContributionFilter {
    pub status: Option<ContributionStatus>,
    /// Only the caller's own.
    #[graphql(default)]
    pub mine: bool,
}

/// A region's reading of the knowledge base beside its results in a period.
#[derive(SimpleObject)]
pub struct KnowledgeUsageRow {
    pub region: Region,
    /// The region's reps in the period: hired before it ended and not gone, or gone but
    /// selling or reading in it (so `activeReaders` never exceeds it).
    pub reps: i64,
    /// Reps who read at least one article in the period.
    pub active_readers: i64,
    /// Views by the region's reps (one per person, article and day).
    pub views: i64,
    pub views_per_rep: f64,
    /// Helpful votes the region's reps gave in the period.
    pub helpful_votes: i64,
    /// Won of the opportunities closed in the period; null when none closed.
    pub win_rate: Option<f64>,
    /// Sales against the region's target; null without a target.
    pub attainment: Option<f64>,
}

fn search_of<'a>(ctx: &'a Context<'_>) -> Result<&'a Arc<Search>, AppError> {
    ctx.data_opt::<Arc<Search>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no search index in the schema")))
}

/// Brings this server's index up to its own write (the others follow the table).
async fn reindex(ctx: &Context<'_>) {
    if let (Ok(s), Ok(db)) = (search_of(ctx), db(ctx))
        && let Err(e) = s.sync(db).await
    {
        tracing::warn!(error = %e.message(), "search index sync after a write failed");
    }
}

#[derive(Default)]
pub struct KnowledgeQuery;

#[Object]
impl KnowledgeQuery {
    /// Knowledge-base articles (everyone signed in reads them), filtered and sorted.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn articles(
        &self,
        ctx: &Context<'_>,
        filter: Option<ArticleFilter>,
        order_by: Option<ArticleOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ConnectionOf<Article>> {
        viewer(ctx)?;
        let args = PageArgs::parse(first.map(i64::from), after.as_deref())?;
        let (field, dir) = order_by
            .map_or((ArticleOrderField::UpdatedAt, OrderDirection::Desc), |o| {
                (o.field, o.direction)
            });
        let order = match field {
            ArticleOrderField::UpdatedAt => kb::ArticleOrder::UpdatedAt,
            ArticleOrderField::Helpful => kb::ArticleOrder::Helpful,
            ArticleOrderField::Views => kb::ArticleOrder::Views,
            ArticleOrderField::Title => kb::ArticleOrder::Title,
        };
        let page = kb::list(
            db(ctx)?,
            &filter.unwrap_or_default().into_service(),
            order,
            dir.into(),
            args,
        )
        .await?;
        Ok(connection(page, Article::new))
    }

    /// Articles ranked by relevance to `query`, in Chinese (segmented into words) and
    /// English (one typo forgiven in longer words), with the matched words highlighted
    /// (`titleHighlight`, `snippet`).
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn search_articles(
        &self,
        ctx: &Context<'_>,
        query: String,
        filter: Option<ArticleFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ConnectionOf<Article>> {
        viewer(ctx)?;
        let args = PageArgs::parse(first.map(i64::from), after.as_deref())?;
        if query.trim().is_empty() {
            return Err(AppError::BadInput("query: 不能为空 / must not be empty".into()).into());
        }
        if query.chars().count() > 200 {
            return Err(
                AppError::BadInput("query: 最多 200 字 / at most 200 characters".into()).into(),
            );
        }
        let f = filter.unwrap_or_default();
        let q = SearchQuery {
            text: query,
            category: f.category.map(Into::into),
            scenario: f.scenario.map(Into::into),
            tag: f.tag,
            offset: usize::try_from(args.offset).unwrap_or(usize::MAX),
            limit: usize::try_from(args.limit).unwrap_or(0),
        };
        let found = search_of(ctx)?.search(&q)?;
        let ids: Vec<i32> = found.hits.iter().map(|h| h.id).collect();
        let mut models: std::collections::HashMap<i32, article::Model> = kb::by_ids(db(ctx)?, &ids)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let rows: Vec<Article> = found
            .hits
            .into_iter()
            .filter_map(|h| {
                models.remove(&h.id).map(|model| Article {
                    model,
                    hit: Some(HitInfo {
                        score: h.score,
                        title_html: h.title_html,
                        snippet_html: h.snippet_html,
                    }),
                })
            })
            .collect();
        Ok(connection(
            Page {
                rows,
                offset: args.offset,
                total: found.total as u64,
            },
            |a| a,
        ))
    }

    /// Articles per category and per objection scenario, in one statement (the home
    /// page's counts).
    async fn article_counts(&self, ctx: &Context<'_>) -> Result<ArticleCounts> {
        viewer(ctx)?;
        let (categories, scenarios) = kb::counts(db(ctx)?).await?;
        Ok(ArticleCounts {
            categories: categories
                .into_iter()
                .map(|(c, count)| CategoryCount {
                    category: c.into(),
                    count,
                })
                .collect(),
            scenarios: scenarios
                .into_iter()
                .map(|(s, count)| ScenarioCount {
                    scenario: s.into(),
                    count,
                })
                .collect(),
        })
    }

    /// Tags in use, most used first.
    async fn article_tags(&self, ctx: &Context<'_>) -> Result<Vec<TagCount>> {
        viewer(ctx)?;
        Ok(kb::tags(db(ctx)?)
            .await?
            .into_iter()
            .map(|t| TagCount {
                tag: t.tag,
                count: t.n,
            })
            .collect())
    }

    /// Markdown rendered as an article's body is: the editor's live preview.
    async fn render_markdown(&self, ctx: &Context<'_>, body: String) -> Result<String> {
        viewer(ctx)?;
        if body.chars().count() > rules::MAX_BODY_CHARS {
            return Err(AppError::BadInput(format!(
                "body: 最多 {} 字 / at most {} characters",
                rules::MAX_BODY_CHARS,
                rules::MAX_BODY_CHARS
            ))
            .into());
        }
        Ok(crate::service::markdown::render(&body))
    }

    /// Contributions (金点子) the caller may read: their own; a supervisor's reps'; all
    /// for a director. Newest first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn contributions(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContributionFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ConnectionOf<Contribution>> {
        let v = viewer(ctx)?;
        let args = PageArgs::parse(first.map(i64::from), after.as_deref())?;
        let f = filter.unwrap_or_default();
        let page = kb::contributions(
            db(ctx)?,
            v,
            kb::ContributionFilter {
                status: f.status.map(Into::into),
                mine: f.mine,
            },
            args,
        )
        .await?;
        Ok(connection(page, Contribution))
    }

    /// The caller's own contributions counted, and the reward points they earned.
    async fn contribution_summary(&self, ctx: &Context<'_>) -> Result<ContributionSummary> {
        let s = kb::summary(db(ctx)?, viewer(ctx)?).await?;
        Ok(ContributionSummary {
            proposed: s.proposed,
            adopted: s.adopted,
            declined: s.declined,
            reward_points: s.points,
        })
    }

    /// Per region the caller reads figures of: knowledge-base reading beside win rate
    /// and attainment in a period (do the regions that read more convert better?).
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn knowledge_usage(
        &self,
        ctx: &Context<'_>,
        period: PeriodInput,
    ) -> Result<Vec<KnowledgeUsageRow>> {
        let v = viewer(ctx)?;
        let p = period.parse()?;
        let rows = kb::usage(db(ctx)?, v, p).await?;
        let l = loaders(ctx)?;
        let regions = l
            .region
            .load_many(rows.iter().map(|r| r.region_id))
            .await
            .map_err(load_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let region = regions.get(&r.region_id)?.clone();
                Some(KnowledgeUsageRow {
                    region: Region(region),
                    reps: r.reps,
                    active_readers: r.readers,
                    views: r.views,
                    views_per_rep: if r.reps > 0 {
                        r.views as f64 / r.reps as f64
                    } else {
                        0.0
                    },
                    helpful_votes: r.votes,
                    win_rate: (r.closed > 0).then(|| r.won as f64 / r.closed as f64),
                    attainment: r
                        .target_cents
                        .filter(|t| *t > 0)
                        .map(|t| r.sales_cents as f64 / t as f64),
                })
            })
            .collect())
    }
}

#[derive(InputObject)]
pub struct SaveArticleInput {
    /// Absent to create one.
    pub id: Option<ID>,
    /// The version edited (needed to change one).
    pub version: Option<i32>,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub category: ArticleCategory,
    pub scenario: Option<ObjectionScenario>,
    #[graphql(default)]
    pub tags: Vec<String>,
    /// Why it changed (kept with the version).
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct ProposeContributionInput {
    pub kind: ContributionKind,
    /// The article an edit is about (optional for an idea).
    pub article_id: Option<ID>,
    pub title: String,
    pub body: String,
    pub category: Option<ArticleCategory>,
    pub scenario: Option<ObjectionScenario>,
    #[graphql(default)]
    pub tags: Vec<String>,
}

#[derive(InputObject)]
pub struct DecideContributionInput {
    pub id: ID,
    pub version: i32,
    pub adopt: bool,
    /// Why, shown to the author (required either way).
    pub reason: String,
    /// Points for the author when adopted; default 50 for a new article, 20 for an edit,
    /// 10 for an idea.
    pub reward_points: Option<i32>,
}

#[derive(Default)]
pub struct KnowledgeMutation;

#[Object]
impl KnowledgeMutation {
    /// Creates or changes an article (SUPERVISOR, DIRECTOR, ADMIN); each save is a
    /// version. A stale `version` is `CONFLICT`.
    async fn save_article(&self, ctx: &Context<'_>, input: SaveArticleInput) -> Result<Article> {
        let v = viewer(ctx)?;
        let a = kb::save(
            db(ctx)?,
            v,
            kb::ArticleInput {
                id: ids::decode_opt(input.id.as_ref(), "Article")?,
                version: input.version,
                title: input.title,
                body: input.body,
                category: input.category.into(),
                scenario: input.scenario.map(Into::into),
                tags: input.tags,
                note: input.note,
            },
        )
        .await?;
        reindex(ctx).await;
        Ok(Article::new(a))
    }

    /// Makes version `version` the current text again, as a new version;
    /// `currentVersion` is the version the caller saw.
    async fn restore_article_version(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        current_version: i32,
    ) -> Result<Article> {
        let v = viewer(ctx)?;
        let a = kb::restore(
            db(ctx)?,
            v,
            ids::decode(&id, "Article")?,
            version,
            current_version,
        )
        .await?;
        reindex(ctx).await;
        Ok(Article::new(a))
    }

    /// Counts the caller's view of an article (once per person and day).
    async fn view_article(&self, ctx: &Context<'_>, id: ID) -> Result<Article> {
        let v = viewer(ctx)?;
        Ok(Article::new(
            kb::view(db(ctx)?, v, ids::decode(&id, "Article")?).await?,
        ))
    }

    /// The caller's vote on an article: helpful (true), not (false), or none (null).
    async fn vote_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        helpful: Option<bool>,
    ) -> Result<Article> {
        let v = viewer(ctx)?;
        Ok(Article::new(
            kb::vote(db(ctx)?, v, ids::decode(&id, "Article")?, helpful).await?,
        ))
    }

    /// Proposes a new article, an edit or an idea (金点子); anyone signed in.
    async fn propose_contribution(
        &self,
        ctx: &Context<'_>,
        input: ProposeContributionInput,
    ) -> Result<Contribution> {
        let v = viewer(ctx)?;
        let c = kb::propose(
            db(ctx)?,
            v,
            kb::ProposeInput {
                kind: input.kind.into(),
                article_id: ids::decode_opt(input.article_id.as_ref(), "Article")?,
                title: input.title,
                body: input.body,
                category: input.category.map(Into::into),
                scenario: input.scenario.map(Into::into),
                tags: input.tags,
            },
        )
        .await?;
        Ok(Contribution(c))
    }

    /// Adopts or declines a contribution with a reason (a supervisor for their reps', a
    /// director any); adoption publishes the article or the edit and records the reward.
    async fn decide_contribution(
        &self,
        ctx: &Context<'_>,
        input: DecideContributionInput,
    ) -> Result<Contribution> {
        let v = viewer(ctx)?;
        let (c, written) = kb::decide(
            db(ctx)?,
            v,
            kb::DecideInput {
                id: ids::decode(&input.id, "Contribution")?,
                version: input.version,
                adopt: input.adopt,
                reason: input.reason,
                reward: input.reward_points,
            },
        )
        .await?;
        if written.is_some() {
            reindex(ctx).await;
        }
        Ok(Contribution(c))
    }
}
