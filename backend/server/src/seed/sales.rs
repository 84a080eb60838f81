//! Two years of demo sales up to today: orders (a few cancelled), receivables and
//! payments (most on time, some late or partial), opportunities with their stage history,
//! satisfaction surveys, and sales targets for the company, regions and reps.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use dudao_domain::{Period, PeriodKind};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::{DatabaseTransaction, EntityTrait, Set};

use super::Progress;
use crate::entity::{
    Stored, opportunity, opportunity_stage, order, payment, receivable, survey, target,
};
use dudao_domain::Code;
use dudao_domain::targets::TargetMetric;
use dudao_domain::transfer::{OrderStatus, ScopeKind};

const STAGES: [&str; 5] = [
    "LEAD",
    "CONTACTED",
    "NEEDS_ANALYSIS",
    "PROPOSAL",
    "NEGOTIATION",
];
const LOST_REASONS: [&str; 5] = [
    "价格过高",
    "选择了竞争对手",
    "预算取消",
    "决策链变化",
    "需求不匹配",
];
const DEALS: [&str; 6] = [
    "年度采购",
    "设备升级",
    "系统集成",
    "续约",
    "新品试用",
    "扩容",
];
const BATCH: usize = 500;

async fn insert_all<E, A>(txn: &DatabaseTransaction, rows: Vec<A>) -> anyhow::Result<()>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(BATCH).collect();
        E::insert_many(chunk).exec(txn).await?;
    }
    Ok(())
}

fn yuan(rng: &mut StdRng, low: i64, high: i64) -> i64 {
    // Order sizes spread over two orders of magnitude, rounded to 10 yuan.
    let x: f64 = rng.random_range(0.0..1.0);
    let v = (low as f64) * ((high as f64) / (low as f64)).powf(x * x);
    (v as i64 / 10) * 10 * 100
}

pub async fn demo(
    txn: &DatabaseTransaction,
    rng: &mut StdRng,
    reps: &[(i32, i32)],
    customers: &[(i32, i32)],
    today: NaiveDate,
    progress: &Progress,
) -> anyhow::Result<()> {
    let start = NaiveDate::from_ymd_opt(today.year() - 2, today.month(), 1).unwrap_or(today);
    let now = Utc::now();
    let mut orders = Vec::new();
    let mut receivables = Vec::new();
    let mut payments = Vec::new();
    let mut rep_quarter_sales: HashMap<(i32, Period), i64> = HashMap::new();
    let (mut order_id, mut receivable_id) = (0, 0);
    for &(customer, rep) in customers {
        let appetite: f64 = rng.random_range(0.05..0.45);
        let mut month = start;
        while month <= today {
            if rng.random_bool(appetite) {
                let day = rng.random_range(0..28);
                let on = month + Duration::days(day);
                if on <= today {
                    order_id += 1;
                    let amount = yuan(rng, 2_000, 300_000);
                    let cancelled = rng.random_bool(0.04);
                    orders.push(order::ActiveModel {
                        id: Set(order_id),
                        customer_id: Set(customer),
                        rep_id: Set(rep),
                        ordered_on: Set(on),
                        amount_cents: Set(amount),
                        status: Set(Stored(if cancelled {
                            OrderStatus::Cancelled
                        } else {
                            OrderStatus::Confirmed
                        })),
                        created_at: Set(now),
                    });
                    if !cancelled {
                        *rep_quarter_sales
                            .entry((rep, Period::containing(PeriodKind::Quarter, on)))
                            .or_default() += amount;
                        receivable_id += 1;
                        let due = on
                            + Duration::days(
                                *[30, 45, 60].get(rng.random_range(0..3)).unwrap_or(&30),
                            );
                        receivables.push(receivable::ActiveModel {
                            id: Set(receivable_id),
                            order_id: Set(order_id),
                            customer_id: Set(customer),
                            rep_id: Set(rep),
                            due_on: Set(due),
                            amount_cents: Set(amount),
                        });
                        let roll: f64 = rng.random_range(0.0..1.0);
                        let mut pay = |on: NaiveDate, cents: i64| {
                            if on <= today {
                                payments.push(payment::ActiveModel {
                                    receivable_id: Set(receivable_id),
                                    paid_on: Set(on),
                                    amount_cents: Set(cents),
                                    ..Default::default()
                                });
                            }
                        };
                        if roll < 0.78 {
                            pay(due - Duration::days(rng.random_range(0..15)), amount);
                        } else if roll < 0.90 {
                            pay(due + Duration::days(rng.random_range(5..60)), amount);
                        } else if roll < 0.96 {
                            let half = amount / 2;
                            pay(due - Duration::days(rng.random_range(0..10)), half);
                            pay(
                                due + Duration::days(rng.random_range(20..120)),
                                amount - half,
                            );
                        }
                    }
                }
            }
            month = NaiveDate::from_ymd_opt(
                month.year() + i32::from(month.month() == 12),
                month.month() % 12 + 1,
                1,
            )
            .unwrap_or(today);
        }
    }
    let counts = (orders.len(), receivables.len(), payments.len());
    insert_all(txn, orders).await?;
    insert_all(txn, receivables).await?;
    insert_all(txn, payments).await?;
    crate::db::fix_sequence(txn, "orders").await?;
    crate::db::fix_sequence(txn, "receivables").await?;
    progress.step("orders", counts.0, counts.0);
    progress.step("payments", counts.2, counts.2);

    // Opportunities: a few a month per rep, through the stages.
    let by_rep: HashMap<i32, Vec<i32>> = customers.iter().fold(HashMap::new(), |mut m, (c, r)| {
        m.entry(*r).or_default().push(*c);
        m
    });
    let mut opportunities = Vec::new();
    let mut stages = Vec::new();
    let mut opp_id = 0;
    let days = (today - start).num_days();
    for &(rep, _) in reps {
        let Some(own) = by_rep.get(&rep) else {
            continue;
        };
        for _ in 0..(days / 10) {
            opp_id += 1;
            let created = start + Duration::days(rng.random_range(0..days));
            let customer = own[rng.random_range(0..own.len())];
            let reached = rng.random_range(0..STAGES.len());
            let mut on = created;
            for stage in STAGES.iter().take(reached + 1) {
                stages.push(opportunity_stage::ActiveModel {
                    opportunity_id: Set(opp_id),
                    stage: Set((*stage).into()),
                    moved_on: Set(on),
                    ..Default::default()
                });
                on += Duration::days(rng.random_range(3..20));
            }
            let age = (today - created).num_days();
            let (stage, closed_on, reason) = if age > 45 && rng.random_bool(0.8) {
                let won = reached >= 3 && rng.random_bool(0.6) || reached == 4;
                let closed = on.min(today);
                stages.push(opportunity_stage::ActiveModel {
                    opportunity_id: Set(opp_id),
                    stage: Set(if won { "WON" } else { "LOST" }.into()),
                    moved_on: Set(closed),
                    ..Default::default()
                });
                if won {
                    ("WON".to_owned(), Some(closed), None)
                } else {
                    let r = LOST_REASONS[rng.random_range(0..LOST_REASONS.len())];
                    ("LOST".to_owned(), Some(closed), Some(r.to_owned()))
                }
            } else {
                (STAGES[reached].to_owned(), None, None)
            };
            opportunities.push(opportunity::ActiveModel {
                id: Set(opp_id),
                customer_id: Set(customer),
                rep_id: Set(rep),
                name: Set(DEALS[rng.random_range(0..DEALS.len())].to_owned()),
                amount_cents: Set(yuan(rng, 10_000, 500_000)),
                stage: Set(stage),
                created_on: Set(created),
                closed_on: Set(closed_on),
                lost_reason: Set(reason),
            });
        }
    }
    let n_opp = opportunities.len();
    insert_all(txn, opportunities).await?;
    insert_all(txn, stages).await?;
    crate::db::fix_sequence(txn, "opportunities").await?;
    progress.step("pipeline", n_opp, n_opp);

    // Satisfaction surveys: most customers about once a quarter.
    let mut surveys = Vec::new();
    for &(customer, rep) in customers {
        let mut q = Period::containing(PeriodKind::Quarter, start);
        while q.start() <= today {
            if rng.random_bool(0.6) {
                let on = q.start() + Duration::days(rng.random_range(0..q.days()));
                if on <= today {
                    let score = *[10, 10, 9, 9, 9, 8, 8, 8, 7, 6, 5, 3]
                        .get(rng.random_range(0..12))
                        .unwrap_or(&8);
                    surveys.push(survey::ActiveModel {
                        customer_id: Set(customer),
                        rep_id: Set(rep),
                        score: Set(score),
                        surveyed_on: Set(on),
                        ..Default::default()
                    });
                }
            }
            q = Period::quarter(
                q.end_exclusive().year(),
                (q.end_exclusive().month() - 1) / 3 + 1,
            );
        }
    }
    insert_all(txn, surveys).await?;
    // Every fact is written: the copies the figures read (service::rollups).
    crate::service::rollups::refresh_all(txn)
        .await
        .map_err(crate::error::AppError::into_anyhow)?;

    // Sales targets: per rep and quarter near what they sold; months split the quarter,
    // and every region and the company get the sums, per month, quarter and year.
    let mut sums: HashMap<(TargetMetric, ScopeKind, i32, Period), i64> = HashMap::new();
    let region_of: HashMap<i32, i32> = reps.iter().copied().collect();
    let mut keys: Vec<_> = rep_quarter_sales.keys().copied().collect();
    keys.sort_by_key(|(r, p)| (*r, p.year, p.index));
    for (rep, q) in keys {
        let mut sold = rep_quarter_sales.get(&(rep, q)).copied().unwrap_or(0);
        // The running quarter (and the first, partial one) have only some of their days:
        // set the target from the full-quarter pace, not from what was sold so far.
        let covered = (today.min(q.end()) - start.max(q.start())).num_days() + 1;
        if covered > 0 && covered < q.days() {
            sold = (sold as f64 * q.days() as f64 / covered as f64) as i64;
        }
        let value = ((sold as f64 * rng.random_range(0.85..1.25)) as i64 / 300_000) * 300_000;
        let region = region_of.get(&rep).copied().unwrap_or(0);
        let first_month = (q.index - 1) * 3 + 1;
        let periods = [
            (q, value),
            (Period::year(q.year), value),
            (Period::month(q.year, first_month), value / 3),
            (Period::month(q.year, first_month + 1), value / 3),
            (
                Period::month(q.year, first_month + 2),
                value - 2 * (value / 3),
            ),
        ];
        // Collection: nine tenths of sales, in whole hundreds of yuan; new customers:
        // none to two a quarter per rep, spread over its months.
        let new_per_quarter = rng.random_range(0..=2i64);
        for (i, (p, v)) in periods.into_iter().enumerate() {
            let collect = v * 9 / 10 / 10_000 * 10_000;
            let new = match i {
                0 | 1 => new_per_quarter,
                m => new_per_quarter / 3 + i64::from(((m - 2) as i64) < new_per_quarter % 3),
            };
            for (metric, value) in [
                (TargetMetric::Sales, v),
                (TargetMetric::Collection, collect),
                (TargetMetric::NewCustomers, new),
            ] {
                *sums.entry((metric, ScopeKind::Rep, rep, p)).or_default() += value;
                *sums
                    .entry((metric, ScopeKind::Region, region, p))
                    .or_default() += value;
                *sums.entry((metric, ScopeKind::Company, 0, p)).or_default() += value;
            }
        }
    }
    let mut all: Vec<_> = sums.into_iter().collect();
    all.sort_by_key(|((m, k, id, p), _)| (m.code(), k.code(), *id, p.kind.code(), p.year, p.index));
    let targets: Vec<_> = all
        .into_iter()
        .map(|((metric, kind, id, p), value)| target::ActiveModel {
            metric: Set(Stored(metric)),
            scope_kind: Set(Stored(kind)),
            scope_id: Set(id),
            period_kind: Set(Stored(p.kind)),
            year: Set(p.year),
            idx: Set(p.index as i32),
            value: Set(value),
            version: Set(1),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    insert_all(txn, targets).await?;
    Ok(())
}
