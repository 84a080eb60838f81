//! Training (培训): the course catalogue (a director's), sessions a director or a region's
//! supervisor schedules with their invitations, attendance and skill tests, and each
//! course's effect (score gain; attendees' win-rate change against the reps who did not
//! attend) in one statement for a page of courses. Everyone reads the catalogue and the
//! sessions; a person's attendance and scores are read as their account is
//! (`scope::users`).

use chrono::{NaiveDate, Utc};
use dudao_domain::training::{self as rules, CourseFormat, EffectInput, WinCounts};
use dudao_domain::{Action, Period, Resource, Viewer};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Set, Statement,
};

use super::page::{Page, PageArgs, fetch};
use super::{audit, optional_text, require, required_text, scope};
use crate::entity::{
    Stored, article, course, course_article, supervisor_region, training_attendance,
    training_session, user,
};
use crate::error::{AppError, AppResult};

pub struct CourseInput {
    pub id: Option<i32>,
    pub version: Option<i32>,
    pub title: String,
    pub topic: String,
    pub format: CourseFormat,
    pub description: Option<String>,
    pub article_ids: Vec<i32>,
    pub active: bool,
}

pub async fn courses(
    db: &DatabaseConnection,
    format: Option<CourseFormat>,
    include_inactive: bool,
    args: PageArgs,
) -> AppResult<Page<course::Model>> {
    let mut q = course::Entity::find();
    if let Some(f) = format {
        q = q.filter(course::Column::Format.eq(Stored(f)));
    }
    if !include_inactive {
        q = q.filter(course::Column::Active.eq(true));
    }
    fetch(
        db,
        q.order_by_asc(course::Column::Title)
            .order_by_asc(course::Column::Id),
        args,
    )
    .await
}

pub async fn course<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<course::Model> {
    course::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("course {id}")))
}

/// Creates or changes a course (DIRECTOR, ADMIN); a stale version is `CONFLICT`.
pub async fn save_course(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: CourseInput,
) -> AppResult<course::Model> {
    require(viewer, Action::Create, Resource::Course)?;
    let title = required_text("title", input.title, 200)?;
    let topic = required_text("topic", input.topic, 100)?;
    let description = optional_text("description", input.description, 5_000)?;
    if input.article_ids.len() > 50 {
        return Err(AppError::BadInput(
            "articleIds: 最多 50 篇 / at most 50 articles".into(),
        ));
    }
    let mut article_ids = input.article_ids;
    article_ids.sort_unstable();
    article_ids.dedup();
    let found = article::Entity::find()
        .filter(article::Column::Id.is_in(article_ids.iter().copied()))
        .filter(article::Column::Archived.eq(false))
        .all(db)
        .await?;
    if found.len() != article_ids.len() {
        return Err(AppError::BadInput(
            "articleIds: 有文章不存在 / an article does not exist".into(),
        ));
    }
    let now = Utc::now();
    let txn = crate::db::write_txn(db).await?;
    let saved = match input.id {
        Some(id) => {
            let before = course(&txn, id).await?;
            let version = input.version.ok_or_else(|| {
                AppError::BadInput("version: 修改课程需要版本号 / needed to change a course".into())
            })?;
            super::save_versioned(
                &txn,
                viewer,
                "course",
                (course::Column::Id, course::Column::Version),
                &before,
                id,
                version,
                course::ActiveModel {
                    title: Set(title),
                    topic: Set(topic),
                    format: Set(input.format.into()),
                    description: Set(description),
                    active: Set(input.active),
                    version: Set(version + 1),
                    updated_at: Set(now),
                    ..Default::default()
                },
            )
            .await?
        }
        None => {
            let c = course::ActiveModel {
                title: Set(title),
                topic: Set(topic),
                format: Set(input.format.into()),
                description: Set(description),
                active: Set(input.active),
                version: Set(1),
                created_by: Set(Some(viewer.user_id)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                Some(viewer.user_id),
                "create",
                "course",
                c.id,
                None::<&()>,
                Some(&c),
            )
            .await?;
            c
        }
    };
    course_article::Entity::delete_many()
        .filter(course_article::Column::CourseId.eq(saved.id))
        .exec(&txn)
        .await?;
    if !article_ids.is_empty() {
        course_article::Entity::insert_many(article_ids.iter().map(|a| {
            course_article::ActiveModel {
                course_id: Set(saved.id),
                article_id: Set(*a),
            }
        }))
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// The articles of some courses: (course, article) pairs in title order.
pub async fn articles_of(
    db: &DatabaseConnection,
    courses: &[i32],
) -> AppResult<Vec<(i32, article::Model)>> {
    let links = course_article::Entity::find()
        .filter(course_article::Column::CourseId.is_in(courses.iter().copied()))
        .all(db)
        .await?;
    let arts = article::Entity::find()
        .filter(article::Column::Id.is_in(links.iter().map(|l| l.article_id)))
        .filter(article::Column::Archived.eq(false))
        .order_by_asc(article::Column::Title)
        .all(db)
        .await?;
    let mut courses_of: std::collections::HashMap<i32, Vec<i32>> = std::collections::HashMap::new();
    for l in &links {
        courses_of
            .entry(l.article_id)
            .or_default()
            .push(l.course_id);
    }
    let mut out = Vec::with_capacity(links.len());
    for a in arts {
        for c in courses_of.get(&a.id).into_iter().flatten() {
            out.push((*c, a.clone()));
        }
    }
    Ok(out)
}

/// Sessions, newest first, of one course or all.
pub async fn sessions(
    db: &DatabaseConnection,
    course_id: Option<i32>,
    args: PageArgs,
) -> AppResult<Page<training_session::Model>> {
    let mut q = training_session::Entity::find();
    if let Some(c) = course_id {
        q = q.filter(training_session::Column::CourseId.eq(c));
    }
    fetch(
        db,
        q.order_by_desc(training_session::Column::HeldOn)
            .order_by_desc(training_session::Column::Id),
        args,
    )
    .await
}

/// Sessions of some courses (for a page of courses), newest first.
pub async fn sessions_of(
    db: &DatabaseConnection,
    courses: &[i32],
) -> AppResult<Vec<training_session::Model>> {
    Ok(training_session::Entity::find()
        .filter(training_session::Column::CourseId.is_in(courses.iter().copied()))
        .order_by_desc(training_session::Column::HeldOn)
        .all(db)
        .await?)
}

pub async fn session<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<training_session::Model> {
    training_session::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("training session {id}")))
}

/// Attendance rows the viewer may read (those of the accounts they read).
fn readable_attendance(viewer: &Viewer) -> Condition {
    Condition::all().add(
        training_attendance::Column::UserId.in_subquery(
            Query::select()
                .column(user::Column::Id)
                .from(user::Entity)
                .cond_where(scope::users(viewer))
                .take(),
        ),
    )
}

/// The attendance of some sessions that the viewer may read.
pub async fn attendance_of(
    db: &DatabaseConnection,
    viewer: &Viewer,
    sessions: &[i32],
) -> AppResult<Vec<training_attendance::Model>> {
    Ok(training_attendance::Entity::find()
        .filter(training_attendance::Column::SessionId.is_in(sessions.iter().copied()))
        .filter(readable_attendance(viewer))
        .order_by_asc(training_attendance::Column::UserId)
        .all(db)
        .await?)
}

/// The viewer's own invitations, newest session first.
pub async fn mine(
    db: &DatabaseConnection,
    viewer: &Viewer,
) -> AppResult<Vec<(training_attendance::Model, training_session::Model)>> {
    let rows = training_attendance::Entity::find()
        .filter(training_attendance::Column::UserId.eq(viewer.user_id))
        .all(db)
        .await?;
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::Id.is_in(rows.iter().map(|r| r.session_id)))
        .order_by_desc(training_session::Column::HeldOn)
        .all(db)
        .await?;
    Ok(sessions
        .into_iter()
        .filter_map(|s| {
            rows.iter()
                .find(|r| r.session_id == s.id)
                .map(|r| (r.clone(), s))
        })
        .collect())
}

/// Whether the viewer may run sessions of `region` (None: the company's): a director or
/// admin any; a supervisor their own regions'.
async fn may_run<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    region: Option<i32>,
) -> AppResult<()> {
    require(viewer, Action::Create, Resource::TrainingSession)?;
    if viewer.can(dudao_domain::Capability::ReadCompanyFigures) {
        return Ok(());
    }
    let Some(r) = region else {
        return Err(AppError::forbidden());
    };
    let mine = supervisor_region::Entity::find()
        .filter(supervisor_region::Column::SupervisorId.eq(viewer.user_id))
        .filter(supervisor_region::Column::RegionId.eq(r))
        .one(db)
        .await?
        .is_some();
    if mine {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

pub struct SessionInput {
    pub course_id: i32,
    pub held_on: NaiveDate,
    pub region_id: Option<i32>,
    pub location: Option<String>,
    pub invitees: Vec<i32>,
}

/// Schedules a session and invites people (whom the viewer reads).
pub async fn schedule(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: SessionInput,
) -> AppResult<training_session::Model> {
    may_run(db, viewer, input.region_id).await?;
    let c = course(db, input.course_id).await?;
    let location = optional_text("location", input.location, 200)?;
    let mut invitees = input.invitees;
    invitees.sort_unstable();
    invitees.dedup();
    if invitees.len() > 500 {
        return Err(AppError::BadInput(
            "inviteeIds: 最多 500 人 / at most 500 people".into(),
        ));
    }
    let visible = user::Entity::find()
        .filter(user::Column::Id.is_in(invitees.iter().copied()))
        .filter(scope::users(viewer))
        .all(db)
        .await?;
    if visible.len() != invitees.len() {
        return Err(AppError::forbidden());
    }
    let w = rules::windows(input.held_on);
    let now = Utc::now();
    let txn = crate::db::write_txn(db).await?;
    let s = training_session::ActiveModel {
        course_id: Set(c.id),
        held_on: Set(input.held_on),
        region_id: Set(input.region_id),
        trainer_id: Set(Some(viewer.user_id)),
        location: Set(location),
        before_from: Set(w.before_from),
        month: Set(w.month),
        after_from: Set(w.after_from),
        after_to: Set(w.after_to),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if !invitees.is_empty() {
        training_attendance::Entity::insert_many(invitees.iter().map(|u| {
            training_attendance::ActiveModel {
                session_id: Set(s.id),
                user_id: Set(*u),
                attended: Set(false),
                pre_score: Set(None),
                post_score: Set(None),
                updated_at: Set(now),
            }
        }))
        .exec(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "training session",
        s.id,
        None::<&()>,
        Some(&s),
    )
    .await?;
    txn.commit().await?;
    Ok(s)
}

pub struct AttendanceEntry {
    pub user_id: i32,
    pub attended: bool,
    pub pre_score: Option<f64>,
    pub post_score: Option<f64>,
}

/// Records who came and their tests; people not yet invited are added. The session's
/// version guards against two people recording at once.
pub async fn record(
    db: &DatabaseConnection,
    viewer: &Viewer,
    session_id: i32,
    version: i32,
    entries: Vec<AttendanceEntry>,
) -> AppResult<training_session::Model> {
    let s = session(db, session_id).await?;
    may_run(db, viewer, s.region_id).await?;
    if entries.len() > 500 {
        return Err(AppError::BadInput(
            "entries: 最多 500 人 / at most 500 people".into(),
        ));
    }
    for e in &entries {
        for v in [e.pre_score, e.post_score].into_iter().flatten() {
            if !rules::valid_score(v) {
                return Err(AppError::BadInput(format!(
                    "score: {v} 不在 0–100 之间 / not between 0 and 100"
                )));
            }
        }
        if !e.attended && e.post_score.is_some() {
            return Err(AppError::BadInput(
                "postScore: 未出席不能有培训后成绩 / no after-test without attending".into(),
            ));
        }
    }
    let ids: Vec<i32> = entries.iter().map(|e| e.user_id).collect();
    let visible = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .filter(scope::users(viewer))
        .all(db)
        .await?;
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if visible.len() != distinct.len() || distinct.len() != ids.len() {
        return Err(AppError::BadInput(
            "entries: 每人一条，且须是你能看到的人 / one entry per person you can see".into(),
        ));
    }
    let now = Utc::now();
    let txn = crate::db::write_txn(db).await?;
    let res = training_session::Entity::update_many()
        .col_expr(training_session::Column::Version, Expr::value(version + 1))
        .filter(training_session::Column::Id.eq(s.id))
        .filter(training_session::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale("training session"));
    }
    for e in &entries {
        training_attendance::Entity::delete_many()
            .filter(training_attendance::Column::SessionId.eq(s.id))
            .filter(training_attendance::Column::UserId.eq(e.user_id))
            .exec(&txn)
            .await?;
        training_attendance::ActiveModel {
            session_id: Set(s.id),
            user_id: Set(e.user_id),
            attended: Set(e.attended),
            pre_score: Set(e.pre_score),
            post_score: Set(e.post_score),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    let after = session(&txn, s.id).await?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "record attendance",
        "training session",
        s.id,
        Some(&s),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Debug, FromQueryResult)]
struct EffectRow {
    course_id: i32,
    sessions: i64,
    measured: i64,
    attendees: i64,
    tested: i64,
    gain_sum: Option<f64>,
    a_won_before: Option<i64>,
    a_closed_before: Option<i64>,
    a_won_after: Option<i64>,
    a_closed_after: Option<i64>,
    o_won_before: Option<i64>,
    o_closed_before: Option<i64>,
    o_won_after: Option<i64>,
    o_closed_after: Option<i64>,
}

/// A course's effect with the numbers behind it.
#[derive(Debug, Clone, Copy, Default)]
pub struct CourseEffect {
    pub sessions: i64,
    /// Sessions whose months after have ended: the win rates read only these.
    pub measured: i64,
    pub attendees: i64,
    pub tested: i64,
    pub effect: rules::Effect,
}

/// The effect of each course, in one statement for all of them: per session, its
/// attendees' and the other reps' (of its region, or all) won and closed opportunities in
/// the months before and after (`rep_months`), summed over the course's sessions whose
/// months after have ended by `today` (`Windows::measured`: a window still running would
/// set one or two months against three). The test scores count every session.
pub async fn effects(
    db: &DatabaseConnection,
    courses: &[i32],
    today: NaiveDate,
) -> AppResult<Vec<(i32, CourseEffect)>> {
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let ids = courses
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let today = super::sql_date(today);
    let sums = |who: &str, col: &str, window: &str| {
        let reps = match who {
            "a" => "JOIN training_attendance a ON a.session_id = s.id AND a.attended = true \
                    JOIN reps r ON r.user_id = a.user_id"
                .to_owned(),
            _ => "JOIN reps r ON r.status = 'ACTIVE' AND (s.region_id IS NULL OR r.region_id = s.region_id) \
                  AND NOT EXISTS (SELECT 1 FROM training_attendance x WHERE x.session_id = s.id \
                    AND x.user_id = r.user_id AND x.attended = true)"
                .to_owned(),
        };
        let (from, to) = match window {
            "before" => ("s.before_from", "s.month"),
            _ => ("s.after_from", "s.after_to"),
        };
        format!(
            "(SELECT CAST(SUM(m.{col}) AS BIGINT) FROM training_sessions s {reps} \
               JOIN rep_months m ON m.rep_id = r.id AND m.month >= {from} AND m.month < {to} \
               WHERE s.course_id = c.id AND s.after_to <= '{today}')"
        )
    };
    let sql = format!(
        "SELECT c.id AS course_id, \
           CAST((SELECT COUNT(*) FROM training_sessions s WHERE s.course_id = c.id) AS BIGINT) AS sessions, \
           CAST((SELECT COUNT(*) FROM training_sessions s WHERE s.course_id = c.id AND s.after_to <= '{today}') AS BIGINT) AS measured, \
           CAST((SELECT COUNT(*) FROM training_sessions s JOIN training_attendance a ON a.session_id = s.id \
                 WHERE s.course_id = c.id AND a.attended = true) AS BIGINT) AS attendees, \
           CAST((SELECT COUNT(*) FROM training_sessions s JOIN training_attendance a ON a.session_id = s.id \
                 WHERE s.course_id = c.id AND a.attended = true AND a.pre_score IS NOT NULL AND a.post_score IS NOT NULL) AS BIGINT) AS tested, \
           CAST((SELECT SUM(a.post_score - a.pre_score) FROM training_sessions s JOIN training_attendance a ON a.session_id = s.id \
                 WHERE s.course_id = c.id AND a.attended = true AND a.pre_score IS NOT NULL AND a.post_score IS NOT NULL) AS DOUBLE PRECISION) AS gain_sum, \
           {awb} AS a_won_before, {acb} AS a_closed_before, {awa} AS a_won_after, {aca} AS a_closed_after, \
           {owb} AS o_won_before, {ocb} AS o_closed_before, {owa} AS o_won_after, {oca} AS o_closed_after \
         FROM courses c WHERE c.id IN ({ids})",
        awb = sums("a", "won", "before"),
        acb = sums("a", "closed", "before"),
        awa = sums("a", "won", "after"),
        aca = sums("a", "closed", "after"),
        owb = sums("o", "won", "before"),
        ocb = sums("o", "closed", "before"),
        owa = sums("o", "won", "after"),
        oca = sums("o", "closed", "after"),
    );
    let rows = EffectRow::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await?;
    let w = |won: Option<i64>, closed: Option<i64>| WinCounts {
        won: won.unwrap_or(0),
        closed: closed.unwrap_or(0),
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.course_id,
                CourseEffect {
                    sessions: r.sessions,
                    measured: r.measured,
                    attendees: r.attendees,
                    tested: r.tested,
                    effect: rules::effect(EffectInput {
                        tested: r.tested,
                        gain_sum: r.gain_sum.unwrap_or(0.0),
                        attendees_before: w(r.a_won_before, r.a_closed_before),
                        attendees_after: w(r.a_won_after, r.a_closed_after),
                        others_before: w(r.o_won_before, r.o_closed_before),
                        others_after: w(r.o_won_after, r.o_closed_after),
                    }),
                },
            )
        })
        .collect())
}

#[derive(Debug, Default, FromQueryResult)]
pub struct PersonTraining {
    pub invited: i64,
    pub attended: i64,
    pub tested: i64,
    pub post_sum: Option<f64>,
}

/// One person's training in a period: sessions invited to and attended, and the after-test
/// scores of those attended (the evaluation's training indicators).
pub async fn of_person<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    p: Period,
) -> AppResult<PersonTraining> {
    let (s, e) = (
        super::sql_date(p.start()),
        super::sql_date(p.end_exclusive()),
    );
    Ok(PersonTraining::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS invited, \
               CAST(COALESCE(SUM(CASE WHEN a.attended = true THEN 1 ELSE 0 END), 0) AS BIGINT) AS attended, \
               CAST(COALESCE(SUM(CASE WHEN a.attended = true AND a.post_score IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS tested, \
               CAST(SUM(CASE WHEN a.attended = true THEN a.post_score END) AS DOUBLE PRECISION) AS post_sum \
             FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id \
             WHERE a.user_id = {user_id} AND s.held_on >= '{s}' AND s.held_on < '{e}'"
        ),
    ))
    .one(db)
    .await?
    .unwrap_or_default())
}

/// Used by the access policy's callers: a region id the viewer names must exist.
pub async fn region_exists(db: &DatabaseConnection, id: i32) -> AppResult<()> {
    use crate::entity::region;
    region::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| AppError::NotFound(format!("region {id}")))
}
