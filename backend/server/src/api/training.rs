//! GraphQL shape of training (培训): courses with their articles, sessions and measured
//! effect, a session's attendance and tests, and a person's own record.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::knowledge::Article;
use super::types::{ConnectionOf, Date, Region, User, connection};
use super::{db, ids, load_err, loaders, viewer};
use crate::entity::{course, training_attendance, training_session};
use crate::service::page::PageArgs;
use crate::service::training as svc;

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::training::CourseFormat")]
pub enum CourseFormat {
    Online,
    Workshop,
    Mentoring,
}

/// A course's measured effect: the skill-test gain, and the win rate of its attendees
/// over the three months after each session against the three before, beside the reps
/// who did not attend. The win rates read only the sessions whose three months after
/// have ended (`measuredSessions`); the test scores read every session.
#[derive(SimpleObject, Clone, Copy, Default)]
pub struct CourseEffect {
    pub sessions: i64,
    /// Sessions whose three months after have ended, the ones the win rates read.
    pub measured_sessions: i64,
    /// Attendances (a person at a session).
    pub attendees: i64,
    /// Attendances with both tests.
    pub tested: i64,
    /// Mean after − before test score (points of 100).
    pub score_gain: Option<f64>,
    pub attendees_win_rate_before: Option<f64>,
    pub attendees_win_rate_after: Option<f64>,
    /// After − before (0.05 = five points).
    pub attendees_change: Option<f64>,
    pub others_win_rate_before: Option<f64>,
    pub others_win_rate_after: Option<f64>,
    pub others_change: Option<f64>,
    /// The attendees' change less the others'.
    pub net_effect: Option<f64>,
}

impl From<svc::CourseEffect> for CourseEffect {
    fn from(c: svc::CourseEffect) -> Self {
        let e = c.effect;
        CourseEffect {
            sessions: c.sessions,
            measured_sessions: c.measured,
            attendees: c.attendees,
            tested: c.tested,
            score_gain: e.score_gain,
            attendees_win_rate_before: e.attendees_before,
            attendees_win_rate_after: e.attendees_after,
            attendees_change: e.attendees_change,
            others_win_rate_before: e.others_before,
            others_win_rate_after: e.others_after,
            others_change: e.others_change,
            net_effect: e.net,
        }
    }
}

pub struct Course(pub course::Model);

#[Object]
impl Course {
    pub async fn id(&self) -> ID {
        ids::encode("Course", self.0.id)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn topic(&self) -> &str {
        &self.0.topic
    }
    async fn format(&self) -> CourseFormat {
        self.0.format.0.into()
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
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
    /// The knowledge-base articles the course uses.
    async fn articles(&self, ctx: &Context<'_>) -> Result<Vec<Article>> {
        Ok(loaders(ctx)?
            .course_articles
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(Article::new)
            .collect())
    }
    /// Its sessions, newest first.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<TrainingSession>> {
        Ok(loaders(ctx)?
            .course_sessions
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(TrainingSession)
            .collect())
    }
    /// What it changed (one statement for a page of courses).
    async fn effect(&self, ctx: &Context<'_>) -> Result<CourseEffect> {
        Ok(loaders(ctx)?
            .course_effect
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .map(CourseEffect::from)
            .unwrap_or_default())
    }
}

pub struct TrainingSession(pub training_session::Model);

#[Object]
impl TrainingSession {
    pub async fn id(&self) -> ID {
        ids::encode("TrainingSession", self.0.id)
    }
    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn course(&self, ctx: &Context<'_>) -> Result<Option<Course>> {
        Ok(loaders(ctx)?
            .course
            .load_one(self.0.course_id)
            .await
            .map_err(load_err)?
            .map(Course))
    }
    /// For every region (then `region` is null), not one region's.
    async fn company_wide(&self) -> bool {
        self.0.region_id.is_none()
    }
    /// The region it is for: null for a company-wide session (`companyWide`) or a region
    /// the caller may not read.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let Some(r) = self.0.region_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .region
            .load_one(r)
            .await
            .map_err(load_err)?
            .map(Region))
    }
    async fn trainer_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let Some(t) = self.0.trainer_id else {
            return Ok(None);
        };
        loaders(ctx)?
            .author_name
            .load_one(t)
            .await
            .map_err(load_err)
    }
    /// The months its effect is read over: before from, the session's month, after to.
    async fn window_before_from(&self) -> Date {
        Date(self.0.before_from)
    }
    async fn window_after_to(&self) -> Date {
        Date(self.0.after_to)
    }
    /// The invitations the caller may read (their own; their reps'; all for a director).
    async fn attendance(&self, ctx: &Context<'_>) -> Result<Vec<Attendance>> {
        Ok(loaders(ctx)?
            .session_attendance
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(Attendance)
            .collect())
    }
}

pub struct Attendance(pub training_attendance::Model);

#[Object]
impl Attendance {
    async fn user_id(&self) -> ID {
        ids::encode("User", self.0.user_id)
    }
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(loaders(ctx)?
            .user
            .load_one(self.0.user_id)
            .await
            .map_err(load_err)?
            .map(User))
    }
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        loaders(ctx)?
            .author_name
            .load_one(self.0.user_id)
            .await
            .map_err(load_err)
    }
    async fn attended(&self) -> bool {
        self.0.attended
    }
    /// Skill test before the session, 0–100.
    async fn pre_score(&self) -> Option<f64> {
        self.0.pre_score
    }
    /// Skill test after the session, 0–100.
    async fn post_score(&self) -> Option<f64> {
        self.0.post_score
    }
}

/// One of the caller's own training sessions.
pub struct MyTraining(training_attendance::Model, training_session::Model);

#[Object]
impl MyTraining {
    async fn session(&self) -> TrainingSession {
        TrainingSession(self.1.clone())
    }
    async fn attended(&self) -> bool {
        self.0.attended
    }
    async fn pre_score(&self) -> Option<f64> {
        self.0.pre_score
    }
    async fn post_score(&self) -> Option<f64> {
        self.0.post_score
    }
}

#[derive(Default)]
pub struct TrainingQuery;

#[Object]
impl TrainingQuery {
    /// The course catalogue (everyone reads it), by title.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        format: Option<CourseFormat>,
        #[graphql(default)] include_inactive: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ConnectionOf<Course>> {
        viewer(ctx)?;
        let args = PageArgs::parse(first.map(i64::from), after.as_deref())?;
        let page = svc::courses(db(ctx)?, format.map(Into::into), include_inactive, args).await?;
        Ok(connection(page, Course))
    }

    /// Training sessions, newest first (of one course, if given).
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn training_sessions(
        &self,
        ctx: &Context<'_>,
        course_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ConnectionOf<TrainingSession>> {
        viewer(ctx)?;
        let args = PageArgs::parse(first.map(i64::from), after.as_deref())?;
        let c = ids::decode_opt(course_id.as_ref(), "Course")?;
        let page = svc::sessions(db(ctx)?, c, args).await?;
        Ok(connection(page, TrainingSession))
    }

    /// The caller's own training: sessions invited to, attended, tests.
    async fn my_training(&self, ctx: &Context<'_>) -> Result<Vec<MyTraining>> {
        let v = viewer(ctx)?;
        Ok(svc::mine(db(ctx)?, v)
            .await?
            .into_iter()
            .map(|(a, s)| MyTraining(a, s))
            .collect())
    }
}

#[derive(InputObject)]
pub struct SaveCourseInput {
    pub id: Option<ID>,
    pub version: Option<i32>,
    pub title: String,
    pub topic: String,
    pub format: CourseFormat,
    pub description: Option<String>,
    #[graphql(default)]
    pub article_ids: Vec<ID>,
    #[graphql(default = true)]
    pub active: bool,
}

#[derive(InputObject)]
pub struct ScheduleTrainingSessionInput {
    pub course_id: ID,
    pub held_on: Date,
    /// Null: a company-wide session (directors only).
    pub region_id: Option<ID>,
    pub location: Option<String>,
    #[graphql(default)]
    pub invitee_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct TrainingAttendanceInput {
    pub user_id: ID,
    pub attended: bool,
    pub pre_score: Option<f64>,
    pub post_score: Option<f64>,
}

#[derive(InputObject)]
pub struct RecordTrainingAttendanceInput {
    pub session_id: ID,
    pub version: i32,
    pub entries: Vec<TrainingAttendanceInput>,
}

#[derive(Default)]
pub struct TrainingMutation;

#[Object]
impl TrainingMutation {
    /// Creates or changes a course (DIRECTOR, ADMIN).
    async fn save_course(&self, ctx: &Context<'_>, input: SaveCourseInput) -> Result<Course> {
        let v = viewer(ctx)?;
        let article_ids = input
            .article_ids
            .iter()
            .map(|a| ids::decode(a, "Article"))
            .collect::<Result<Vec<_>, _>>()?;
        let c = svc::save_course(
            db(ctx)?,
            v,
            svc::CourseInput {
                id: ids::decode_opt(input.id.as_ref(), "Course")?,
                version: input.version,
                title: input.title,
                topic: input.topic,
                format: input.format.into(),
                description: input.description,
                article_ids,
                active: input.active,
            },
        )
        .await?;
        Ok(Course(c))
    }

    /// Schedules a session of a course and invites people (a director anywhere, a
    /// supervisor in their regions).
    async fn schedule_training_session(
        &self,
        ctx: &Context<'_>,
        input: ScheduleTrainingSessionInput,
    ) -> Result<TrainingSession> {
        let v = viewer(ctx)?;
        let invitees = input
            .invitee_ids
            .iter()
            .map(|u| ids::decode(u, "User"))
            .collect::<Result<Vec<_>, _>>()?;
        let db = db(ctx)?;
        let region = ids::decode_opt(input.region_id.as_ref(), "Region")?;
        if let Some(r) = region {
            svc::region_exists(db, r).await?;
        }
        let s = svc::schedule(
            db,
            v,
            svc::SessionInput {
                course_id: ids::decode(&input.course_id, "Course")?,
                held_on: input.held_on.0,
                region_id: region,
                location: input.location,
                invitees,
            },
        )
        .await?;
        Ok(TrainingSession(s))
    }

    /// Records who came and their tests (0–100); people not yet invited are added.
    async fn record_training_attendance(
        &self,
        ctx: &Context<'_>,
        input: RecordTrainingAttendanceInput,
    ) -> Result<TrainingSession> {
        let v = viewer(ctx)?;
        let entries = input
            .entries
            .into_iter()
            .map(|e| {
                Ok(svc::AttendanceEntry {
                    user_id: ids::decode(&e.user_id, "User")?,
                    attended: e.attended,
                    pre_score: e.pre_score,
                    post_score: e.post_score,
                })
            })
            .collect::<Result<Vec<_>, crate::error::AppError>>()?;
        let s = svc::record(
            db(ctx)?,
            v,
            ids::decode(&input.session_id, "TrainingSession")?,
            input.version,
            entries,
        )
        .await?;
        Ok(TrainingSession(s))
    }
}
