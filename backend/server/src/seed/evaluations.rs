//! Demo evaluations: cycles opened through the service, then filled in one transaction per
//! cycle with the service's own recompute (the totals, grades and notes are the API's):
//! last year's annual cycle of reps and of supervisors with 360° input, all FINALIZED;
//! last quarter's cycle in every status (rep.east1's FINALIZED); this month's cycle, due on
//! the 5th, in DRAFT; a used and an open survey link.

use chrono::{Datelike, Utc};
use dudao_domain::evaluation::{EvaluationStatus, EvaluatorGroup, Source, Step, SubjectKind};
use dudao_domain::{Period, PeriodKind, Role, Viewer};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::entity::{
    Stored, customer, evaluation, evaluation_indicator, evaluation_invitation, rep, user,
};
use crate::error::AppError;
use crate::service::evaluations as svc;

fn viewer(u: &user::Model) -> Viewer {
    Viewer {
        user_id: u.id,
        role: u.role.0,
    }
}

/// Scores every hand-scored indicator of `e` (around `level`), adds answered 360°
/// invitations when the template has a capability indicator, feedback, and moves it to
/// `to` with its steps recorded: in the seed's transaction, through the service's own
/// recompute (one transaction for all of them; the service's writers take one each).
#[allow(clippy::too_many_arguments)]
async fn fill(
    txn: &DatabaseTransaction,
    rng: &mut StdRng,
    e: &evaluation::Model,
    writer: Viewer,
    director: Viewer,
    peers: &[Viewer],
    level: f64,
    to: EvaluationStatus,
) -> anyhow::Result<()> {
    let inds = evaluation_indicator::Entity::find()
        .filter(evaluation_indicator::Column::EvaluationId.eq(e.id))
        .all(txn)
        .await?;
    let jitter = |rng: &mut StdRng| {
        (level + rng.random_range(-8.0..8.0_f64))
            .clamp(40.0, 100.0)
            .round()
    };
    let now = Utc::now();
    for i in &inds {
        match i.source.0 {
            Source::Manual => {
                let s = jitter(rng);
                evaluation_indicator::Entity::update_many()
                    .col_expr(evaluation_indicator::Column::Score, Expr::value(Some(s)))
                    .filter(evaluation_indicator::Column::EvaluationId.eq(e.id))
                    .filter(evaluation_indicator::Column::Key.eq(i.key.clone()))
                    .exec(txn)
                    .await?;
            }
            Source::ThreeSixty => {
                let superior = if e.rep_id.is_some() { writer } else { director };
                let mut raters = vec![(EvaluatorGroup::Superior, superior.user_id)];
                for p in peers.iter().filter(|p| p.user_id != e.subject_id).take(2) {
                    raters.push((EvaluatorGroup::Peer, p.user_id));
                }
                raters.push((EvaluatorGroup::SelfReview, e.subject_id));
                for (g, who) in raters {
                    let s = if g == EvaluatorGroup::SelfReview {
                        (level + 8.0).min(100.0)
                    } else {
                        jitter(rng)
                    };
                    evaluation_invitation::ActiveModel {
                        evaluation_id: Set(e.id),
                        rater_group: Set(Stored(g)),
                        rater_id: Set(Some(who)),
                        invited_by: Set(director.user_id),
                        invited_at: Set(now),
                        score: Set(Some(s)),
                        answered_at: Set(Some(now)),
                        // A supervisor's SELF input is their 述职 report.
                        highlights: Set((g == EvaluatorGroup::SelfReview && e.rep_id.is_none())
                            .then(|| "区域季度回款率稳定在 95% 以上；每位代表每月至少陪访一次；复盘会的行动项按期关闭".to_owned())),
                        improvement_plan: Set((g == EvaluatorGroup::SelfReview && e.rep_id.is_none())
                            .then(|| "新客户开发偏慢：下季度每周与两位代表一起梳理潜在客户名单，并把价格异议话术纳入每月角色扮演".to_owned())),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                }
            }
            _ => {}
        }
    }
    let mut steps = Vec::new();
    if to != EvaluationStatus::Draft {
        steps.push((
            writer,
            Step::Submit,
            EvaluationStatus::Draft,
            EvaluationStatus::Submitted,
        ));
    }
    if to == EvaluationStatus::Finalized {
        steps.push((
            director,
            Step::Finalize,
            EvaluationStatus::Submitted,
            EvaluationStatus::Finalized,
        ));
    }
    let mut m = evaluation::ActiveModel {
        id: Set(e.id),
        status: Set(Stored(to)),
        version: Set(e.version + 1 + steps.len() as i32),
        ..Default::default()
    };
    if to != EvaluationStatus::Draft {
        m.fact = Set(Some("本期拜访 42 次，新签 3 家客户".into()));
        m.impact = Set(Some("区域季度目标完成率因此提升约 5 个百分点".into()));
        m.expectation = Set(Some(
            "下季度把大客户的决策链梳理完整，每月至少一次高层拜访".into(),
        ));
        m.strengths = Set(Some("需求挖掘扎实，客户信任度高".into()));
        m.improvements = Set(Some("价格异议处理还可以更有准备".into()));
        m.submitted_at = Set(Some(now));
    }
    if to == EvaluationStatus::Finalized {
        m.finalized_at = Set(Some(now));
    }
    m.update(txn).await?;
    for (who, step, from, to) in steps {
        svc::event(
            txn,
            e.id,
            Some(who.user_id),
            step.as_str(),
            Some(from),
            to,
            None,
        )
        .await
        .map_err(AppError::into_anyhow)?;
    }
    svc::recompute(txn, e, false)
        .await
        .map_err(AppError::into_anyhow)?;
    Ok(())
}

pub async fn demo(db: &DatabaseConnection, rng: &mut StdRng) -> anyhow::Result<()> {
    let today = crate::clock::today();
    let users = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    let Some(director) = users
        .iter()
        .find(|u| u.role.0 == Role::Director)
        .map(viewer)
    else {
        return Ok(());
    };
    let by_id = |id: i32| users.iter().find(|u| u.id == id).map(viewer);
    let supervisors: Vec<Viewer> = users
        .iter()
        .filter(|u| u.role.0 == Role::Supervisor)
        .map(viewer)
        .collect();
    let reps = rep::Entity::find().all(db).await?;
    let east1 = users
        .iter()
        .find(|u| u.email == "rep.east1@dudao.demo")
        .map(|u| u.id);
    let last_year = Period::year(today.year() - 1);
    let quarter = Period::containing(PeriodKind::Quarter, today).previous();
    let month = Period::containing(PeriodKind::Month, today).previous();
    let cycles = [
        (last_year, SubjectKind::Rep),
        (last_year, SubjectKind::Supervisor),
        (quarter, SubjectKind::Rep),
        (month, SubjectKind::Rep),
    ];
    for (n, (p, kind)) in cycles.into_iter().enumerate() {
        let (c, _, _) = svc::open_cycle(db, &director, p, kind, None, Vec::new())
            .await
            .map_err(AppError::into_anyhow)?;
        let txn = crate::db::write_txn(db).await?;
        let list = evaluation::Entity::find()
            .filter(evaluation::Column::CycleId.eq(c.id))
            .order_by_asc(evaluation::Column::Id)
            .all(&txn)
            .await?;
        for (k, e) in list.iter().enumerate() {
            let writer = by_id(e.evaluator_id).unwrap_or(director);
            let peers: Vec<Viewer> = match e.rep_id {
                Some(r) => {
                    let region = reps.iter().find(|x| x.id == r).map(|x| x.region_id);
                    reps.iter()
                        .filter(|x| Some(x.region_id) == region && x.id != r)
                        .filter_map(|x| x.user_id.and_then(by_id))
                        .collect()
                }
                None => supervisors.clone(),
            };
            let to = match n {
                0 | 1 => EvaluationStatus::Finalized,
                2 if Some(e.subject_id) == east1 => EvaluationStatus::Finalized,
                2 => match k % 3 {
                    0 => EvaluationStatus::Finalized,
                    1 => EvaluationStatus::Submitted,
                    _ => EvaluationStatus::Draft,
                },
                _ => EvaluationStatus::Draft,
            };
            // Reps differ; the same rep is about as good every period.
            let level = 62.0 + f64::from((e.subject_id * 37) % 33);
            // This month's drafts are mostly untouched; a third are started.
            if n == 3 && k % 3 != 0 {
                continue;
            }
            fill(&txn, rng, e, writer, director, &peers, level, to).await?;
        }
        txn.commit().await?;
    }
    // One answered survey link; an open one is made in the SPA by whoever sends it.
    if let Some(u) = east1
        && let Some(r) = reps.iter().find(|r| r.user_id == Some(u))
        && let Some(c) = customer::Entity::find()
            .filter(customer::Column::OwnerRepId.eq(r.id))
            .order_by_asc(customer::Column::Id)
            .one(db)
            .await?
    {
        let rep_viewer = Viewer {
            user_id: u,
            role: Role::Rep,
        };
        let (_, token) = crate::service::surveys::create_link(db, &rep_viewer, c.id, None)
            .await
            .map_err(AppError::into_anyhow)?;
        crate::service::surveys::answer(db, &token, 9, Some("交付很及时，培训也到位".into()))
            .await
            .map_err(AppError::into_anyhow)?;
    }
    Ok(())
}
