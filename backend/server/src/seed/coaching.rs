//! Demo coaching: half a year of sessions per rep by their supervisor (ride-alongs most
//! often), scored on the five dimensions with each rep slowly improving, next steps the
//! rep has mostly confirmed, and action items — done, open, and some overdue. A few reps
//! have not been coached for over a month, so the coaching load has someone to flag.

use chrono::{Duration, NaiveDate, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::{
    Stored, action_item, coaching_dimension, coaching_score, coaching_session, customer, rep,
};
use dudao_domain::RepStatus;
use dudao_domain::coaching::{ActionStatus, CoachingType};

const OBSERVATIONS: &[&str] = &[
    "开场直接谈价格，客户有些防备",
    "需求挖掘问得细，客户主动说出预算",
    "演示方案时没有对应客户的痛点",
    "客户提出竞品更便宜，回应略显被动",
    "结尾没有明确下一步，客户说再考虑",
    "和采购、技术两方都建立了联系",
];
const FEEDBACK: &[&str] = &[
    "先确认客户现状再报价，用提问代替陈述",
    "很好，把预算和决策时间记进客户档案",
    "方案按客户的三个痛点重新组织，每点配一个案例",
    "用总拥有成本对比回应价格异议，准备一页纸",
    "每次拜访结束前约定具体的下一步和日期",
    "继续保持，下次把决策链画出来",
];
const NEXT_STEPS: &[&str] = &[
    "周五前把竞品对比表发给客户",
    "下周二带技术同事二访",
    "整理客户决策链并和督导过一遍",
    "本月内完成三次异议处理演练",
    "月底前拿到试用订单",
];
const ACTIONS: &[&str] = &[
    "准备总拥有成本对比一页纸",
    "重听上次通话录音，列出三个异议",
    "和督导演练一次价格谈判",
    "补全客户档案中的决策人信息",
    "阅读知识库中的同行业成功案例",
];

fn pick<'a>(rng: &mut StdRng, items: &'a [&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

pub async fn demo(
    txn: &DatabaseTransaction,
    rng: &mut StdRng,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let dims = coaching_dimension::Entity::find()
        .order_by_asc(coaching_dimension::Column::Position)
        .all(txn)
        .await?;
    let reps = rep::Entity::find()
        .filter(rep::Column::Status.ne(Stored(RepStatus::Left)))
        .order_by_asc(rep::Column::Id)
        .all(txn)
        .await?;
    let mut regions_seen = std::collections::HashSet::new();
    for (i, r) in reps.iter().enumerate() {
        let Some(supervisor) = r.supervisor_id else {
            continue;
        };
        let customers: Vec<i32> = customer::Entity::find()
            .filter(customer::Column::OwnerRepId.eq(r.id))
            .order_by_asc(customer::Column::Id)
            .all(txn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        // The first rep of each region (rep.east1 among them) is coached often; every
        // seventh rep not in the last 40 days.
        let first_of_region = regions_seen.insert(r.region_id);
        let n = if first_of_region {
            7
        } else {
            rng.random_range(2..=5)
        };
        let recent_gap = if i % 7 == 3 && !first_of_region {
            40
        } else {
            0
        };
        let mut days: Vec<i64> = (0..n)
            .map(|_| rng.random_range(recent_gap + 1..recent_gap + 170))
            .collect();
        if first_of_region {
            days[0] = 2; // a ride-along this week
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        let base: Vec<f64> = dims.iter().map(|_| rng.random_range(1.6..3.4)).collect();
        let steps = days.len().max(1) as f64;
        for (k, ago) in days.iter().enumerate() {
            let held_on = today - Duration::days(*ago);
            let kind = match rng.random_range(0..10) {
                0..=4 => CoachingType::RideAlong,
                5 | 6 => CoachingType::OneOnOne,
                7 | 8 => CoachingType::CallReview,
                _ => CoachingType::RolePlay,
            };
            let customer_id = (kind == CoachingType::RideAlong && !customers.is_empty())
                .then(|| customers[rng.random_range(0..customers.len())]);
            let recent = *ago <= 7;
            let session = coaching_session::ActiveModel {
                supervisor_id: Set(supervisor),
                rep_id: Set(r.id),
                kind: Set(Stored(kind)),
                held_on: Set(held_on),
                customer_id: Set(customer_id),
                activity_id: Set(None),
                observation: Set(Some(pick(rng, OBSERVATIONS).to_owned())),
                feedback: Set(Some(pick(rng, FEEDBACK).to_owned())),
                next_step: Set(Some(pick(rng, NEXT_STEPS).to_owned())),
                links: Set((kind == CoachingType::CallReview)
                    .then(|| format!("https://recordings.example.com/call/{}-{k}", r.id))),
                rep_confirmed_at: Set((!recent && rng.random_bool(0.85)).then_some(now)),
                rep_comment: Set(
                    (!recent && rng.random_bool(0.3)).then(|| "收到，按计划执行".to_owned())
                ),
                client_key: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            let inserted = coaching_session::Entity::insert(session).exec(txn).await?;
            let sid = inserted.last_insert_id;
            // Scores drift up across the sessions, with a day's noise.
            let growth = k as f64 / steps * 1.6;
            let scores = dims
                .iter()
                .zip(&base)
                .filter(|(d, _)| d.active)
                .map(|(d, b)| {
                    let s = (b + growth + rng.random_range(-0.7..0.7)).round() as i32;
                    coaching_score::ActiveModel {
                        session_id: Set(sid),
                        dimension_id: Set(d.id),
                        score: Set(s.clamp(1, 5)),
                    }
                });
            coaching_score::Entity::insert_many(scores)
                .exec(txn)
                .await?;
            let actions =
                rng.random_range(0..=2) + usize::from(first_of_region && k + 1 == days.len());
            for a in 0..actions {
                let due_on = held_on + Duration::days(rng.random_range(5..21));
                let status = if due_on < today && rng.random_bool(0.75) {
                    ActionStatus::Done
                } else {
                    ActionStatus::Open
                };
                let owner = if a == 0 {
                    r.user_id.unwrap_or(supervisor)
                } else {
                    supervisor
                };
                action_item::Entity::insert(action_item::ActiveModel {
                    session_id: Set(Some(sid)),
                    rep_id: Set(Some(r.id)),
                    owner_id: Set(owner),
                    title: Set(pick(rng, ACTIONS).to_owned()),
                    due_on: Set(Some(due_on)),
                    status: Set(Stored(status)),
                    done_at: Set((status == ActionStatus::Done).then_some(now)),
                    created_by: Set(Some(supervisor)),
                    created_at: Set(now),
                    version: Set(1),
                    ..Default::default()
                })
                .exec(txn)
                .await?;
            }
        }
    }
    Ok(())
}
