//! Per-request DataLoaders: nested fields are fetched in one `IN (...)` query per type and
//! level, whatever the page size. Each loader applies the viewer's row filter too, so a
//! reference to something the viewer may not read resolves to nothing.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use dudao_domain::Viewer;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entity::{
    action_item, article, article_version, article_vote, coaching_dimension, coaching_score,
    customer, customer_contact, customer_score, evaluation_event, evaluation_indicator,
    evaluation_invitation, region, rep, root_cause, supervisor_region, target_change,
    target_proposal, user,
};
use crate::service::{alerts, scope};
use dudao_domain::alerts::AlertStatus;

pub type LoadError = Arc<sea_orm::DbErr>;

#[derive(Clone)]
pub struct Ctx {
    db: DatabaseConnection,
    viewer: Viewer,
}

pub struct RegionById(Ctx);
pub struct UserById(Ctx);
pub struct RepById(Ctx);
pub struct RepByUser(Ctx);
pub struct ContactsByCustomer(Ctx);
pub struct CustomerCountByRep(Ctx);
pub struct RegionsBySupervisor(Ctx);
pub struct CustomerById(Ctx);
pub struct ScoreByCustomer(Ctx);
pub struct ChangesByTarget(Ctx);
pub struct ProposalsByTarget(Ctx);
pub struct AlertCountsByFilter(Ctx);
pub struct ScoresBySession(Ctx);
pub struct ActionsBySession(Ctx);
pub struct DimensionById(Ctx);
pub struct IndicatorsByEvaluation(Ctx);
pub struct InvitationsByEvaluation(Ctx);
pub struct EventsByEvaluation(Ctx);
pub struct ActionsByEvaluation(Ctx);
pub struct RootCausesByMeeting(Ctx);
pub struct ActionsByMeeting(Ctx);
pub struct CarriedOverByMeeting(Ctx);
pub struct ArticleById(Ctx);
pub struct NameOfUser(Ctx);
pub struct CourseById(Ctx);
pub struct ArticlesByCourse(Ctx);
pub struct VersionsByArticle(Ctx);
pub struct VersionByKey(Ctx);
pub struct SessionsByCourse(Ctx);
pub struct EffectByCourse(Ctx);
pub struct AttendanceBySession(Ctx);
pub struct VoteByArticle(Ctx);

pub struct Loaders {
    pub region: DataLoader<RegionById>,
    pub user: DataLoader<UserById>,
    pub rep: DataLoader<RepById>,
    pub rep_by_user: DataLoader<RepByUser>,
    pub contacts: DataLoader<ContactsByCustomer>,
    pub customer_count: DataLoader<CustomerCountByRep>,
    pub supervisor_regions: DataLoader<RegionsBySupervisor>,
    pub customer: DataLoader<CustomerById>,
    pub customer_score: DataLoader<ScoreByCustomer>,
    pub target_changes: DataLoader<ChangesByTarget>,
    pub target_proposals: DataLoader<ProposalsByTarget>,
    pub alert_counts: DataLoader<AlertCountsByFilter>,
    pub session_scores: DataLoader<ScoresBySession>,
    pub session_actions: DataLoader<ActionsBySession>,
    pub dimension: DataLoader<DimensionById>,
    pub evaluation_indicators: DataLoader<IndicatorsByEvaluation>,
    pub evaluation_invitations: DataLoader<InvitationsByEvaluation>,
    pub evaluation_events: DataLoader<EventsByEvaluation>,
    pub evaluation_actions: DataLoader<ActionsByEvaluation>,
    pub meeting_root_causes: DataLoader<RootCausesByMeeting>,
    pub meeting_actions: DataLoader<ActionsByMeeting>,
    /// Keyed by a meeting's (region, period start).
    pub meeting_carried_over: DataLoader<CarriedOverByMeeting>,
    pub article: DataLoader<ArticleById>,
    /// The names of the people who wrote the knowledge base: shown to every reader with
    /// what they wrote (a name, nothing else of the account).
    pub author_name: DataLoader<NameOfUser>,
    pub course: DataLoader<CourseById>,
    pub course_articles: DataLoader<ArticlesByCourse>,
    /// An article's versions, newest first.
    pub article_versions: DataLoader<VersionsByArticle>,
    /// One version of an article: (article, version).
    pub article_version: DataLoader<VersionByKey>,
    pub course_sessions: DataLoader<SessionsByCourse>,
    /// One statement for the effects of every course asked for.
    pub course_effect: DataLoader<EffectByCourse>,
    /// The invitations of a session the viewer may read.
    pub session_attendance: DataLoader<AttendanceBySession>,
    /// The viewer's own vote per article.
    pub article_vote: DataLoader<VoteByArticle>,
    /// Grade and anonymity thresholds, read once per request.
    pub grade_scale: tokio::sync::OnceCell<(dudao_domain::evaluation::GradeScale, usize)>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection, viewer: Viewer) -> Self {
        let c = || Ctx {
            db: db.clone(),
            viewer,
        };
        Loaders {
            region: DataLoader::new(RegionById(c()), tokio::spawn),
            user: DataLoader::new(UserById(c()), tokio::spawn),
            rep: DataLoader::new(RepById(c()), tokio::spawn),
            rep_by_user: DataLoader::new(RepByUser(c()), tokio::spawn),
            contacts: DataLoader::new(ContactsByCustomer(c()), tokio::spawn),
            customer_count: DataLoader::new(CustomerCountByRep(c()), tokio::spawn),
            supervisor_regions: DataLoader::new(RegionsBySupervisor(c()), tokio::spawn),
            customer: DataLoader::new(CustomerById(c()), tokio::spawn),
            customer_score: DataLoader::new(ScoreByCustomer(c()), tokio::spawn),
            target_changes: DataLoader::new(ChangesByTarget(c()), tokio::spawn),
            target_proposals: DataLoader::new(ProposalsByTarget(c()), tokio::spawn),
            alert_counts: DataLoader::new(AlertCountsByFilter(c()), tokio::spawn),
            session_scores: DataLoader::new(ScoresBySession(c()), tokio::spawn),
            session_actions: DataLoader::new(ActionsBySession(c()), tokio::spawn),
            dimension: DataLoader::new(DimensionById(c()), tokio::spawn),
            evaluation_indicators: DataLoader::new(IndicatorsByEvaluation(c()), tokio::spawn),
            evaluation_invitations: DataLoader::new(InvitationsByEvaluation(c()), tokio::spawn),
            evaluation_events: DataLoader::new(EventsByEvaluation(c()), tokio::spawn),
            evaluation_actions: DataLoader::new(ActionsByEvaluation(c()), tokio::spawn),
            meeting_root_causes: DataLoader::new(RootCausesByMeeting(c()), tokio::spawn),
            meeting_actions: DataLoader::new(ActionsByMeeting(c()), tokio::spawn),
            meeting_carried_over: DataLoader::new(CarriedOverByMeeting(c()), tokio::spawn),
            article: DataLoader::new(ArticleById(c()), tokio::spawn),
            author_name: DataLoader::new(NameOfUser(c()), tokio::spawn),
            course: DataLoader::new(CourseById(c()), tokio::spawn),
            course_articles: DataLoader::new(ArticlesByCourse(c()), tokio::spawn),
            article_versions: DataLoader::new(VersionsByArticle(c()), tokio::spawn),
            article_version: DataLoader::new(VersionByKey(c()), tokio::spawn),
            course_sessions: DataLoader::new(SessionsByCourse(c()), tokio::spawn),
            course_effect: DataLoader::new(EffectByCourse(c()), tokio::spawn),
            session_attendance: DataLoader::new(AttendanceBySession(c()), tokio::spawn),
            article_vote: DataLoader::new(VoteByArticle(c()), tokio::spawn),
            grade_scale: tokio::sync::OnceCell::new(),
        }
    }
}

/// Rows grouped by the key they were loaded for, in the order they came.
fn grouped<T>(rows: Vec<T>, key: impl Fn(&T) -> i32) -> HashMap<i32, Vec<T>> {
    let mut map: HashMap<i32, Vec<T>> = HashMap::new();
    for r in rows {
        map.entry(key(&r)).or_default().push(r);
    }
    map
}

fn ids(keys: &[i32]) -> impl Iterator<Item = i32> + '_ {
    keys.iter().copied()
}

impl Loader<i32> for RegionById {
    type Value = region::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = region::Entity::find()
            .filter(region::Column::Id.is_in(ids(keys)))
            .filter(scope::regions(&self.0.viewer))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

impl Loader<i32> for UserById {
    type Value = user::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = user::Entity::find()
            .filter(user::Column::Id.is_in(ids(keys)))
            .filter(scope::users(&self.0.viewer))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

impl Loader<i32> for RepById {
    type Value = rep::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = rep::Entity::find()
            .filter(rep::Column::Id.is_in(ids(keys)))
            .filter(scope::reps(&self.0.viewer))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

impl Loader<i32> for RepByUser {
    type Value = rep::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = rep::Entity::find()
            .filter(rep::Column::UserId.is_in(ids(keys)))
            .filter(scope::reps(&self.0.viewer))
            .all(&self.0.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| r.user_id.map(|u| (u, r)))
            .collect())
    }
}

impl Loader<i32> for ContactsByCustomer {
    type Value = Vec<customer_contact::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let visible = sea_orm::sea_query::Query::select()
            .column(customer::Column::Id)
            .from(customer::Entity)
            .cond_where(scope::customers(&self.0.viewer))
            .take();
        let rows = customer_contact::Entity::find()
            .filter(customer_contact::Column::CustomerId.is_in(ids(keys)))
            .filter(customer_contact::Column::CustomerId.in_subquery(visible))
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.customer_id))
    }
}

#[derive(FromQueryResult)]
struct OwnerCount {
    owner_rep_id: i32,
    n: i64,
}

impl Loader<i32> for CustomerCountByRep {
    type Value = i64;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = customer::Entity::find()
            .select_only()
            .column(customer::Column::OwnerRepId)
            .column_as(customer::Column::Id.count(), "n")
            .filter(customer::Column::OwnerRepId.is_in(ids(keys)))
            .filter(scope::customers(&self.0.viewer))
            .group_by(customer::Column::OwnerRepId)
            .into_model::<OwnerCount>()
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.owner_rep_id, r.n)).collect())
    }
}

impl Loader<i32> for RegionsBySupervisor {
    type Value = Vec<region::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = region::Entity::find()
            .find_also_related(supervisor_region::Entity)
            .filter(supervisor_region::Column::SupervisorId.is_in(ids(keys)))
            .filter(scope::regions(&self.0.viewer))
            .all(&self.0.db)
            .await?;
        let mut map: HashMap<i32, Vec<_>> = HashMap::new();
        for (region, link) in rows {
            if let Some(link) = link {
                map.entry(link.supervisor_id).or_default().push(region);
            }
        }
        Ok(map)
    }
}

impl Loader<i32> for CustomerById {
    type Value = customer::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = customer::Entity::find()
            .filter(customer::Column::Id.is_in(ids(keys)))
            .filter(scope::customers(&self.0.viewer))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// Scores of customers already resolved through the row filter (the parent `Customer`).
impl Loader<i32> for ScoreByCustomer {
    type Value = customer_score::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let visible = sea_orm::sea_query::Query::select()
            .column(customer::Column::Id)
            .from(customer::Entity)
            .cond_where(scope::customers(&self.0.viewer))
            .take();
        let rows = customer_score::Entity::find()
            .filter(customer_score::Column::CustomerId.is_in(ids(keys)))
            .filter(customer_score::Column::CustomerId.in_subquery(visible))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.customer_id, r)).collect())
    }
}

// The keys of the two target loaders come from `Target` objects, which are only made once
// the viewer may read that target (service::targets::authorize_read): no row filter here.

impl Loader<i32> for ChangesByTarget {
    /// Newest first.
    type Value = Vec<target_change::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = target_change::Entity::find()
            .filter(target_change::Column::TargetId.is_in(ids(keys)))
            .order_by_desc(target_change::Column::ChangedAt)
            .order_by_desc(target_change::Column::Id)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.target_id))
    }
}

impl Loader<i32> for ProposalsByTarget {
    /// Newest first.
    type Value = Vec<target_proposal::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = target_proposal::Entity::find()
            .filter(target_proposal::Column::TargetId.is_in(ids(keys)))
            .order_by_desc(target_proposal::Column::CreatedAt)
            .order_by_desc(target_proposal::Column::Id)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.target_id))
    }
}

/// Alert counts per status, per filter (statuses cleared by the caller). Requests in the
/// same batch with the same filter share one statement.
impl Loader<alerts::Filter> for AlertCountsByFilter {
    type Value = Vec<(AlertStatus, i64)>;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[alerts::Filter],
    ) -> Result<HashMap<alerts::Filter, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for k in keys {
            out.insert(
                k.clone(),
                alerts::counts(&self.0.db, &self.0.viewer, k).await?,
            );
        }
        Ok(out)
    }
}

/// The scores of coaching sessions the caller already read (the sessions' own filter
/// decided that).
impl Loader<i32> for ScoresBySession {
    type Value = Vec<coaching_score::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = coaching_score::Entity::find()
            .filter(coaching_score::Column::SessionId.is_in(ids(keys)))
            .order_by_asc(coaching_score::Column::DimensionId)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.session_id))
    }
}

/// The action items of coaching sessions, through the action items' own row filter.
impl Loader<i32> for ActionsBySession {
    type Value = Vec<action_item::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = action_item::Entity::find()
            .filter(action_item::Column::SessionId.is_in(ids(keys)))
            .filter(scope::action_items(&self.0.viewer))
            .order_by_asc(action_item::Column::Id)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.session_id.unwrap_or_default()))
    }
}

/// Coaching dimensions: the same list for every role.
impl Loader<i32> for DimensionById {
    type Value = coaching_dimension::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = coaching_dimension::Entity::find()
            .filter(coaching_dimension::Column::Id.is_in(ids(keys)))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// The indicators of evaluations (read through the evaluations' row filter first: only
/// evaluations the viewer read are asked for).
impl Loader<i32> for IndicatorsByEvaluation {
    type Value = Vec<evaluation_indicator::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = evaluation_indicator::Entity::find()
            .filter(evaluation_indicator::Column::EvaluationId.is_in(ids(keys)))
            .order_by_asc(evaluation_indicator::Column::EvaluationId)
            .order_by_asc(evaluation_indicator::Column::Position)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.evaluation_id))
    }
}

/// The 360° invitations of evaluations (the type decides what the viewer sees of them).
impl Loader<i32> for InvitationsByEvaluation {
    type Value = Vec<evaluation_invitation::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = evaluation_invitation::Entity::find()
            .filter(evaluation_invitation::Column::EvaluationId.is_in(ids(keys)))
            .order_by_asc(evaluation_invitation::Column::Id)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.evaluation_id))
    }
}

/// The steps of evaluations, oldest first.
impl Loader<i32> for EventsByEvaluation {
    type Value = Vec<evaluation_event::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = evaluation_event::Entity::find()
            .filter(evaluation_event::Column::EvaluationId.is_in(ids(keys)))
            .order_by_asc(evaluation_event::Column::Id)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.evaluation_id))
    }
}

/// The action items of evaluations, through the action items' own row filter.
impl Loader<i32> for ActionsByEvaluation {
    type Value = Vec<action_item::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = action_item::Entity::find()
            .filter(action_item::Column::EvaluationId.is_in(ids(keys)))
            .filter(scope::action_items(&self.0.viewer))
            .order_by_asc(action_item::Column::Id)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.evaluation_id.unwrap_or_default()))
    }
}

/// The 5-Why chains of review meetings (the meetings themselves were read through their
/// row filter; their chains go with them).
impl Loader<i32> for RootCausesByMeeting {
    type Value = Vec<root_cause::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = root_cause::Entity::find()
            .filter(root_cause::Column::MeetingId.is_in(ids(keys)))
            .order_by_asc(root_cause::Column::Id)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.meeting_id))
    }
}

/// The SMART actions agreed in review meetings.
impl Loader<i32> for ActionsByMeeting {
    type Value = Vec<action_item::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = action_item::Entity::find()
            .filter(action_item::Column::ReviewMeetingId.is_in(ids(keys)))
            .order_by_asc(action_item::Column::Id)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.review_meeting_id.unwrap_or_default()))
    }
}

/// What meetings follow up: the open actions of their regions' earlier meetings.
impl Loader<(i32, chrono::NaiveDate)> for CarriedOverByMeeting {
    type Value = Vec<action_item::Model>;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[(i32, chrono::NaiveDate)],
    ) -> Result<HashMap<(i32, chrono::NaiveDate), Self::Value>, Self::Error> {
        Ok(crate::service::reviews::carried_over(&self.0.db, keys).await?)
    }
}

/// Articles are read by everyone signed in; archived ones resolve to nothing.
impl Loader<i32> for ArticleById {
    type Value = article::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = article::Entity::find()
            .filter(article::Column::Id.is_in(ids(keys)))
            .filter(article::Column::Archived.eq(false))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

impl Loader<i32> for VoteByArticle {
    type Value = bool;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = article_vote::Entity::find()
            .filter(article_vote::Column::ArticleId.is_in(ids(keys)))
            .filter(article_vote::Column::UserId.eq(self.0.viewer.user_id))
            .all(&self.0.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.article_id, r.helpful))
            .collect())
    }
}

impl Loader<i32> for NameOfUser {
    type Value = String;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = user::Entity::find()
            .filter(user::Column::Id.is_in(ids(keys)))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|u| (u.id, u.name)).collect())
    }
}

#[allow(clippy::needless_pass_by_value)] // used as `.map_err(app_err)`
fn app_err(e: crate::error::AppError) -> LoadError {
    Arc::new(sea_orm::DbErr::Custom(e.message()))
}

impl Loader<i32> for CourseById {
    type Value = crate::entity::course::Model;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        use crate::entity::course;
        let rows = course::Entity::find()
            .filter(course::Column::Id.is_in(ids(keys)))
            .all(&self.0.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// Versions are read with their article (the article's own loader decides whether it
/// shows).
impl Loader<i32> for VersionsByArticle {
    type Value = Vec<article_version::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = article_version::Entity::find()
            .filter(article_version::Column::ArticleId.is_in(ids(keys)))
            .order_by_asc(article_version::Column::ArticleId)
            .order_by_desc(article_version::Column::Version)
            .all(&self.0.db)
            .await?;
        Ok(grouped(rows, |r| r.article_id))
    }
}

/// The versions asked for: the articles' rows with those version numbers, then only the
/// pairs asked (a few extra rows at most, one statement).
impl Loader<(i32, i32)> for VersionByKey {
    type Value = article_version::Model;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[(i32, i32)],
    ) -> Result<HashMap<(i32, i32), Self::Value>, Self::Error> {
        let rows = article_version::Entity::find()
            .filter(article_version::Column::ArticleId.is_in(keys.iter().map(|k| k.0)))
            .filter(article_version::Column::Version.is_in(keys.iter().map(|k| k.1)))
            .all(&self.0.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| ((r.article_id, r.version), r))
            .filter(|(k, _)| keys.contains(k))
            .collect())
    }
}

impl Loader<i32> for ArticlesByCourse {
    type Value = Vec<article::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = crate::service::training::articles_of(&self.0.db, keys)
            .await
            .map_err(app_err)?;
        let mut out: HashMap<i32, Vec<article::Model>> = HashMap::new();
        for (c, a) in rows {
            out.entry(c).or_default().push(a);
        }
        Ok(out)
    }
}

impl Loader<i32> for SessionsByCourse {
    type Value = Vec<crate::entity::training_session::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = crate::service::training::sessions_of(&self.0.db, keys)
            .await
            .map_err(app_err)?;
        Ok(grouped(rows, |s| s.course_id))
    }
}

impl Loader<i32> for EffectByCourse {
    type Value = crate::service::training::CourseEffect;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        Ok(
            crate::service::training::effects(&self.0.db, keys, crate::clock::today())
                .await
                .map_err(app_err)?
                .into_iter()
                .collect(),
        )
    }
}

impl Loader<i32> for AttendanceBySession {
    type Value = Vec<crate::entity::training_attendance::Model>;
    type Error = LoadError;
    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = crate::service::training::attendance_of(&self.0.db, &self.0.viewer, keys)
            .await
            .map_err(app_err)?;
        Ok(grouped(rows, |a| a.session_id))
    }
}
