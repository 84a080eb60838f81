//! Demo visits, calls and complaints: ten weeks of visits per rep (some below the
//! standard, some records without outcome or next step) and half a year of complaints,
//! most resolved within hours or days.

use chrono::{Duration, NaiveDate, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::{DatabaseTransaction, EntityTrait, Set};

use crate::entity::{Stored, activity, complaint};
use dudao_domain::activity::ActivityKind;

const OUTCOMES: &[&str] = &[
    "介绍新品，客户有兴趣",
    "报价已发，等待采购审批",
    "处理交付问题，客户满意",
    "关键人出差，改约下周",
    "签订年度框架协议",
    "了解竞品价格，客户犹豫",
];
const NEXT_STEPS: &[&str] = &[
    "下周三回访",
    "发送样品",
    "安排技术交流会",
    "提交修订报价",
    "邀请参观工厂",
    "月底前确认订单",
];
const COMPLAINTS: &[&str] = &[
    "交货延迟三天",
    "发票信息错误",
    "产品包装破损",
    "售后响应太慢",
    "价格与合同不符",
];

fn pick<'a>(rng: &mut StdRng, items: &'a [&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// `customers` are (customer id, owner rep id).
pub async fn demo(
    txn: &DatabaseTransaction,
    rng: &mut StdRng,
    customers: &[(i32, i32)],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let mut by_rep: std::collections::BTreeMap<i32, Vec<i32>> = Default::default();
    for (c, r) in customers {
        by_rep.entry(*r).or_default().push(*c);
    }
    let mut acts = Vec::new();
    let mut complaints = Vec::new();
    for (rep, custs) in &by_rep {
        // Each rep has a pace: some meet the standard of 10 a week, some do not.
        let pace = rng.random_range(6..=13);
        let careful = rng.random_range(0.6..1.0);
        for day in 0..70 {
            let on = today - Duration::days(day);
            if matches!(on.format("%u").to_string().as_str(), "6" | "7") {
                continue;
            }
            let visits = (pace + rng.random_range(0..3)) / 5;
            let calls = rng.random_range(0..3);
            for k in 0..visits + calls {
                let complete = rng.random_bool(careful);
                acts.push(activity::ActiveModel {
                    rep_id: Set(*rep),
                    customer_id: Set(custs[rng.random_range(0..custs.len())]),
                    kind: Set(Stored(if k < visits {
                        ActivityKind::Visit
                    } else {
                        ActivityKind::Call
                    })),
                    occurred_on: Set(on),
                    outcome: Set(Some(pick(rng, OUTCOMES).into())),
                    next_step: Set(complete.then(|| pick(rng, NEXT_STEPS).into())),
                    created_by: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                });
            }
        }
        for _ in 0..rng.random_range(0..3) {
            let opened = now - Duration::hours(rng.random_range(2..24 * 180));
            let resolved = rng
                .random_bool(0.75)
                .then(|| opened + Duration::hours(rng.random_range(1..96)));
            let resolved = resolved.filter(|r| *r < now);
            complaints.push(complaint::ActiveModel {
                customer_id: Set(custs[rng.random_range(0..custs.len())]),
                rep_id: Set(*rep),
                subject: Set(pick(rng, COMPLAINTS).into()),
                opened_at: Set(opened),
                resolution: Set(resolved.map(|_| "已致歉并补发 / apologised and re-shipped".into())),
                resolved_at: Set(resolved),
                created_by: Set(None),
                version: Set(if resolved.is_some() { 2 } else { 1 }),
                ..Default::default()
            });
        }
    }
    for chunk in acts.chunks(500) {
        activity::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    for chunk in complaints.chunks(500) {
        complaint::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(())
}
