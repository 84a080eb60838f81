//! Demo data (api.md "Demo data"): deterministic, realistic Chinese names, six regions,
//! one supervisor each, dozens of reps and hundreds of customers with contacts.

use chrono::{NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use crate::entity::{Stored, customer, customer_contact, region, rep, supervisor_region, user};
use crate::service::auth;
use dudao_domain::{RepStatus, Role};

mod activity;
mod coaching;
mod evaluations;
pub mod knowledge;
pub mod large;
mod reviews;
mod sales;
mod training;

pub const DEMO_PASSWORD: &str = "dudao-demo";
pub const REPS_PER_REGION: usize = 8;

/// Reports progress of long work on stderr (or nowhere, in tests).
pub struct Progress {
    quiet: bool,
}

impl Progress {
    pub fn quiet() -> Self {
        Progress { quiet: true }
    }
    pub fn stderr() -> Self {
        Progress { quiet: false }
    }
    pub fn step(&self, what: &str, done: usize, total: usize) {
        if !self.quiet {
            eprintln!("  seeding {what:<10} {done:>5}/{total}");
        }
    }
}

/// (name, code, email slug, cities)
const REGIONS: [(&str, &str, &str, &[&str]); 6] = [
    (
        "华东",
        "EAST",
        "east",
        &["上海", "杭州", "南京", "苏州", "宁波", "合肥"],
    ),
    (
        "华南",
        "SOUTH",
        "south",
        &["广州", "深圳", "东莞", "佛山", "厦门", "南宁"],
    ),
    (
        "华北",
        "NORTH",
        "north",
        &["北京", "天津", "石家庄", "太原", "济南", "青岛"],
    ),
    (
        "西南",
        "SOUTHWEST",
        "southwest",
        &["成都", "重庆", "昆明", "贵阳"],
    ),
    (
        "华中",
        "CENTRAL",
        "central",
        &["武汉", "长沙", "郑州", "南昌"],
    ),
    (
        "西北",
        "NORTHWEST",
        "northwest",
        &["西安", "兰州", "银川", "乌鲁木齐"],
    ),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "霞", "平", "刚", "桂英", "文", "华", "建国", "晓东", "海燕", "志强", "雪", "婷",
    "俊杰", "思远", "嘉怡", "子涵", "宇航", "欣然", "浩然",
];
const BRANDS: &[&str] = &[
    "恒瑞", "华信", "宏达", "金辉", "德润", "永盛", "博远", "鼎新", "瑞丰", "安泰", "天成", "汇通",
    "佳禾", "明远", "中联", "新锐", "盛世", "嘉和", "东方", "卓越", "万通", "锦程", "远航", "正泰",
    "华星",
];
/// (industry, company-name suffixes)
const INDUSTRIES: &[(&str, &[&str])] = &[
    (
        "制造业",
        &["精密机械有限公司", "电子科技有限公司", "汽车零部件有限公司"],
    ),
    (
        "零售",
        &["商贸有限公司", "连锁超市有限公司", "百货有限公司"],
    ),
    (
        "医疗",
        &["医疗器械有限公司", "医药有限公司", "健康管理有限公司"],
    ),
    ("教育", &["教育科技有限公司", "培训学校"]),
    ("金融", &["投资管理有限公司", "融资租赁有限公司"]),
    ("物流", &["物流有限公司", "供应链管理有限公司"]),
    ("互联网", &["网络科技有限公司", "信息技术有限公司"]),
    ("能源", &["新能源有限公司", "电力设备有限公司"]),
    ("建筑", &["建设工程有限公司", "建材有限公司"]),
    ("食品", &["食品有限公司", "饮料有限公司"]),
];
const TITLES: &[&str] = &[
    "采购经理",
    "总经理",
    "技术总监",
    "财务总监",
    "行政主管",
    "采购专员",
    "运营总监",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn person(rng: &mut StdRng) -> String {
    format!("{}{}", pick(rng, SURNAMES), pick(rng, GIVEN))
}

fn phone(rng: &mut StdRng) -> String {
    let prefix = pick(rng, &["138", "139", "186", "136", "158", "177", "189"]);
    format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
}

/// Loads the demo data into an empty database, in one transaction.
pub async fn demo(db: &DatabaseConnection, progress: &Progress) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(20_261_123);
    let hash = auth::hash_password_blocking(DEMO_PASSWORD.to_owned())
        .await
        .map_err(crate::error::AppError::into_anyhow)?;
    let now = Utc::now();
    let txn = crate::db::write_txn(db).await?;

    let mk_user = |email: String, name: String, role: Role| user::ActiveModel {
        email: Set(email),
        name: Set(name),
        role: Set(Stored(role)),
        password_hash: Set(hash.clone()),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    mk_user("admin@dudao.demo".into(), "王建华".into(), Role::Admin)
        .insert(&txn)
        .await?;
    mk_user(
        "director@dudao.demo".into(),
        "周总监".into(),
        Role::Director,
    )
    .insert(&txn)
    .await?;

    let mut customers_done = 0usize;
    let mut reps_done = 0usize;
    let mut all_reps: Vec<(i32, i32)> = Vec::new();
    let mut all_customers: Vec<(i32, i32)> = Vec::new();
    for (ri, (name, code, slug, cities)) in REGIONS.iter().enumerate() {
        let region = region::ActiveModel {
            name: Set((*name).into()),
            code: Set((*code).into()),
            parent_id: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let supervisor = mk_user(
            format!("supervisor.{slug}@dudao.demo"),
            person(&mut rng),
            Role::Supervisor,
        )
        .insert(&txn)
        .await?;
        supervisor_region::ActiveModel {
            supervisor_id: Set(supervisor.id),
            region_id: Set(region.id),
        }
        .insert(&txn)
        .await?;

        for n in 1..=REPS_PER_REGION {
            let rep_name = person(&mut rng);
            let account = mk_user(
                format!("rep.{slug}{n}@dudao.demo"),
                rep_name.clone(),
                Role::Rep,
            )
            .insert(&txn)
            .await?;
            let status = match (ri + n) % 11 {
                0 => RepStatus::OnLeave,
                5 if n == REPS_PER_REGION => RepStatus::Left,
                _ => RepStatus::Active,
            };
            let hire = NaiveDate::from_ymd_opt(
                2017 + rng.random_range(0..8),
                rng.random_range(1..=12),
                rng.random_range(1..=28),
            )
            .unwrap_or_default();
            let rep_row = rep::ActiveModel {
                user_id: Set(Some(account.id)),
                employee_no: Set(Some(format!("E{:04}", reps_done + 1))),
                name: Set(rep_name),
                phone: Set(Some(phone(&mut rng))),
                level: Set(rng.random_range(1..=5)),
                hire_date: Set(hire),
                region_id: Set(region.id),
                supervisor_id: Set(Some(supervisor.id)),
                status: Set(status.into()),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            reps_done += 1;
            all_reps.push((rep_row.id, region.id));

            let count = rng.random_range(6..=12);
            let mut batch = Vec::with_capacity(count);
            for _ in 0..count {
                let (industry, suffixes) = pick(&mut rng, INDUSTRIES);
                let city = *pick(&mut rng, cities);
                let name = format!(
                    "{city}{}{}",
                    pick(&mut rng, BRANDS),
                    pick(&mut rng, suffixes)
                );
                batch.push(customer::ActiveModel {
                    external_code: Set(Some(format!(
                        "C{:06}",
                        all_customers.len() + batch.len() + 1
                    ))),
                    name: Set(name),
                    owner_rep_id: Set(rep_row.id),
                    industry: Set((*industry).into()),
                    city: Set(Some(city.into())),
                    address: Set(Some(format!(
                        "{city}市{}路{}号",
                        pick(&mut rng, BRANDS),
                        rng.random_range(1..999)
                    ))),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
            for c in batch {
                let row = c.insert(&txn).await?;
                all_customers.push((row.id, row.owner_rep_id));
                let contacts = rng.random_range(1..=3);
                let mut rows = Vec::with_capacity(contacts);
                for k in 0..contacts {
                    rows.push(customer_contact::ActiveModel {
                        customer_id: Set(row.id),
                        name: Set(person(&mut rng)),
                        title: Set(Some((*pick(&mut rng, TITLES)).into())),
                        phone: Set(Some(phone(&mut rng))),
                        email: Set(None),
                        is_decision_maker: Set(k == 0),
                        ..Default::default()
                    });
                }
                customer_contact::Entity::insert_many(rows)
                    .exec(&txn)
                    .await?;
                customers_done += 1;
            }
        }
        progress.step("reps", reps_done, REGIONS.len() * REPS_PER_REGION);
    }
    progress.step("customers", customers_done, customers_done);
    sales::demo(
        &txn,
        &mut rng,
        &all_reps,
        &all_customers,
        now.date_naive(),
        progress,
    )
    .await?;
    activity::demo(&txn, &mut rng, &all_customers, now.date_naive()).await?;
    progress.step("activity", 1, 1);
    coaching::demo(&txn, &mut rng, now.date_naive()).await?;
    progress.step("coaching", 1, 1);
    txn.commit().await?;
    demo_negotiation(db).await?;
    let started = std::time::Instant::now();
    evaluations::demo(db, &mut rng).await?;
    tracing::info!(elapsed = ?started.elapsed(), "demo evaluations written");
    progress.step("evaluations", 1, 1);
    reviews::demo(db).await?;
    progress.step("reviews", 1, 1);
    knowledge::demo(db).await?;
    progress.step("knowledge", 1, 1);
    training::demo(db).await?;
    progress.step("training", 1, 1);
    // Last, so that the inbox also holds the reminders of the evaluations and action items
    // written above (they were missing from a fresh demo until the first hourly run).
    demo_alerts(db, now).await?;
    progress.step("alerts", 1, 1);
    Ok(())
}

/// A target negotiation under way: rep.east1 has proposed a lower figure for this
/// quarter, waiting for supervisor.east.
async fn demo_negotiation(db: &DatabaseConnection) -> anyhow::Result<()> {
    use crate::entity::{rep, target, target_proposal, user};
    use sea_orm::{ColumnTrait, QueryFilter};
    let today = crate::clock::today();
    let q = dudao_domain::Period::containing(dudao_domain::PeriodKind::Quarter, today);
    let Some(u) = user::Entity::find()
        .filter(user::Column::Email.eq("rep.east1@dudao.demo"))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(r) = rep::Entity::find()
        .filter(rep::Column::UserId.eq(u.id))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(t) = target::Entity::find()
        .filter(target::Column::Metric.eq(Stored(dudao_domain::targets::TargetMetric::Sales)))
        .filter(target::Column::ScopeKind.eq(Stored(dudao_domain::transfer::ScopeKind::Rep)))
        .filter(target::Column::ScopeId.eq(r.id))
        .filter(target::Column::PeriodKind.eq(Stored(dudao_domain::PeriodKind::Quarter)))
        .filter(target::Column::Year.eq(q.year))
        .filter(target::Column::Idx.eq(q.index as i32))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    target_proposal::ActiveModel {
        target_id: Set(t.id),
        proposed_by: Set(u.id),
        proposed_value: Set(t.value * 85 / 100 / 100 * 100),
        reason: Set("重点客户项目推迟到下季度，本季度难以完成".into()),
        status: Set(Stored(dudao_domain::targets::ProposalStatus::Pending)),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The alert rules as they would have run on the last six Mondays, with what is older
/// than two weeks already handled by the supervisor it went to, so that the inbox shows
/// both history and work to do.
async fn demo_alerts(db: &DatabaseConnection, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    use crate::entity::alert;
    use crate::service::alerts;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};
    // The sales team's day, as the hourly run takes it.
    let today = crate::clock::today();
    let monday = dudao_domain::alerts::monday_of(today);
    for weeks in (1..=5).rev() {
        alerts::run(db, monday - chrono::Duration::days(7 * weeks))
            .await
            .map_err(crate::error::AppError::into_anyhow)?;
    }
    alerts::run(db, today)
        .await
        .map_err(crate::error::AppError::into_anyhow)?;
    // Some decision makers changed lately: the health score shows it.
    customer::Entity::update_many()
        .col_expr(
            customer::Column::DecisionChainChangedOn,
            Expr::value(today - chrono::Duration::days(20)),
        )
        .filter(Expr::cust("id % 23 = 0"))
        .exec(db)
        .await?;
    crate::service::customer_scores::refresh(db, today)
        .await
        .map_err(crate::error::AppError::into_anyhow)?;
    let handled = today - chrono::Duration::days(14);
    alert::Entity::update_many()
        .col_expr(
            alert::Column::Status,
            Expr::value(Stored(dudao_domain::alerts::AlertStatus::Resolved)),
        )
        .col_expr(
            alert::Column::AcknowledgedBy,
            Expr::col(alert::Column::AssigneeId),
        )
        .col_expr(alert::Column::AcknowledgedAt, Expr::value(now))
        .col_expr(
            alert::Column::ResolvedBy,
            Expr::col(alert::Column::AssigneeId),
        )
        .col_expr(alert::Column::ResolvedAt, Expr::value(now))
        .col_expr(alert::Column::Note, Expr::value("已跟进"))
        .col_expr(alert::Column::Version, Expr::value(2))
        .filter(alert::Column::RaisedOn.lt(handled))
        .filter(alert::Column::AssigneeId.is_not_null())
        .exec(db)
        .await?;
    Ok(())
}
