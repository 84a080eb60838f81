//! Demo training (培训): four courses linked to knowledge-base articles, sessions in every
//! region half a year ago (so their three months after have passed), a recent product
//! course, and a mentoring course for the supervisors with their tests, all written
//! through the service like the API does.

use chrono::{Duration, Months};
use dudao_domain::training::CourseFormat;
use dudao_domain::{Role, Viewer};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{Stored, article, region, rep, user};
use crate::service::training as svc;

struct DemoCourse {
    title: &'static str,
    topic: &'static str,
    format: CourseFormat,
    description: &'static str,
    /// Words of the titles of the articles it uses.
    articles: &'static [&'static str],
}

const COURSES: [DemoCourse; 4] = [
    DemoCourse {
        title: "价格谈判与异议处理",
        topic: "异议处理",
        format: CourseFormat::Workshop,
        description: "角色扮演：客户说“太贵了”“再考虑考虑”时怎么应对。Role play on the price objection and \"let me think about it\".",
        articles: &["价格异议", "再考虑考虑", "过早降价"],
    },
    DemoCourse {
        title: "新产品上市培训",
        topic: "产品知识",
        format: CourseFormat::Online,
        description: "新产品的三句话介绍、版本区别与常见问题。The new product in three sentences, its editions and FAQ.",
        articles: &["新产品", "标准版与专业版"],
    },
    DemoCourse {
        title: "督导陪访辅导技巧",
        topic: "辅导",
        format: CourseFormat::Mentoring,
        description: "观察—反馈—确认：陪访后如何给出具体、可执行的反馈。Observe, give feedback, confirm the next step.",
        articles: &["拜访记录"],
    },
    DemoCourse {
        title: "大客户决策链管理",
        topic: "大客户",
        format: CourseFormat::Workshop,
        description: "画决策地图，组织联合演示。Map the buying committee and run a joint demo.",
        articles: &["决策链"],
    },
];

pub async fn demo(db: &DatabaseConnection) -> anyhow::Result<()> {
    let Some(director) = user::Entity::find()
        .filter(user::Column::Role.eq(Stored(Role::Director)))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let dv = Viewer {
        user_id: director.id,
        role: Role::Director,
    };
    let e = crate::error::AppError::into_anyhow;
    let mut rng = StdRng::seed_from_u64(20_261_207);
    let today = crate::clock::today();
    let arts = article::Entity::find().all(db).await?;
    let mut courses = Vec::new();
    for c in &COURSES {
        let article_ids: Vec<i32> = arts
            .iter()
            .filter(|a| c.articles.iter().any(|w| a.title.contains(w)))
            .map(|a| a.id)
            .collect();
        courses.push(
            svc::save_course(
                db,
                &dv,
                svc::CourseInput {
                    id: None,
                    version: None,
                    title: c.title.into(),
                    topic: c.topic.into(),
                    format: c.format,
                    description: Some(c.description.into()),
                    article_ids,
                    active: true,
                },
            )
            .await
            .map_err(e)?,
        );
    }
    let regions = region::Entity::find()
        .order_by_asc(region::Column::Id)
        .all(db)
        .await?;
    let half_year = today.checked_sub_months(Months::new(6)).unwrap_or(today);
    let recent = today - Duration::days(40);
    for (k, r) in regions.iter().enumerate() {
        let users: Vec<i32> = rep::Entity::find()
            .filter(rep::Column::RegionId.eq(r.id))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|p| p.user_id)
            .collect();
        if users.is_empty() {
            continue;
        }
        // The negotiation workshop half a year ago (the second course in some regions),
        // and the product course online lately.
        let held = [
            (
                &courses[if k % 3 == 2 { 3 } else { 0 }],
                half_year + Duration::days(k as i64),
            ),
            (&courses[1], recent + Duration::days(k as i64)),
        ];
        for (course, on) in held {
            let s = svc::schedule(
                db,
                &dv,
                svc::SessionInput {
                    course_id: course.id,
                    held_on: on,
                    region_id: Some(r.id),
                    location: Some(format!("{}培训室 / {} training room", r.name, r.name)),
                    invitees: users.clone(),
                },
            )
            .await
            .map_err(e)?;
            let entries = users
                .iter()
                .map(|u| {
                    let attended = rng.random_bool(0.6);
                    let pre = f64::from(rng.random_range(45..75));
                    svc::AttendanceEntry {
                        user_id: *u,
                        attended,
                        pre_score: attended.then_some(pre),
                        post_score: attended
                            .then(|| (pre + f64::from(rng.random_range(2..25))).min(100.0)),
                    }
                })
                .collect();
            svc::record(db, &dv, s.id, s.version, entries)
                .await
                .map_err(e)?;
        }
    }
    // The supervisors' mentoring course, company-wide, this quarter.
    let supervisors: Vec<i32> = user::Entity::find()
        .filter(user::Column::Role.eq(Stored(Role::Supervisor)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let s = svc::schedule(
        db,
        &dv,
        svc::SessionInput {
            course_id: courses[2].id,
            held_on: today - Duration::days(20),
            region_id: None,
            location: Some("总部 / Head office".into()),
            invitees: supervisors.clone(),
        },
    )
    .await
    .map_err(e)?;
    let entries = supervisors
        .iter()
        .enumerate()
        .map(|(i, u)| svc::AttendanceEntry {
            user_id: *u,
            attended: i % 5 != 4,
            pre_score: (i % 5 != 4).then_some(60.0 + (i % 4) as f64 * 5.0),
            post_score: (i % 5 != 4).then_some(75.0 + (i % 4) as f64 * 5.0),
        })
        .collect();
    svc::record(db, &dv, s.id, s.version, entries)
        .await
        .map_err(e)?;
    Ok(())
}
