//! The benchmark data set (`dudao seed --scale large`): 30 regions, 3,000 reps, 300,000
//! customers, 3,000,000 orders with their receivables, 2,000,000 payments, 500,000
//! opportunities with stage history, surveys, targets and 20,000 knowledge-base articles. Deterministic (fixed seed,
//! dates relative to a fixed day), written with multi-row inserts in one transaction,
//! with progress on stderr. The demo accounts (admin, director, supervisor.east/south,
//! rep.east1) exist here too, so the benchmark signs in the same way.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use dudao_domain::{Period, PeriodKind};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::service::auth;

pub const REGIONS: usize = 30;
pub const REPS: usize = 3_000;
pub const CUSTOMERS: usize = 300_000;
pub const ORDERS: usize = 3_000_000;
pub const PAYMENTS: usize = 2_000_000;
pub const OPPORTUNITIES: usize = 500_000;
/// Knowledge-base articles (Chinese and English), for the search benchmark.
pub const ARTICLES: usize = 20_000;
const CHUNK: usize = 1_000;

/// The last day of the generated history: fixed, so that the data set is the same on
/// every run (the benchmark's periods are taken relative to it).
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()
}

/// Buffers rows of one table and writes them a thousand at a time.
struct Batch<'a, C: ConnectionTrait> {
    db: &'a C,
    head: String,
    rows: Vec<String>,
    written: usize,
    what: &'static str,
    total: usize,
    started: Instant,
}

impl<'a, C: ConnectionTrait> Batch<'a, C> {
    fn new(db: &'a C, what: &'static str, head: &str, total: usize, started: Instant) -> Self {
        Batch {
            db,
            head: head.to_owned(),
            rows: Vec::with_capacity(CHUNK),
            written: 0,
            what,
            total,
            started,
        }
    }
    async fn push(&mut self, row: String) -> anyhow::Result<()> {
        self.rows.push(row);
        if self.rows.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }
    /// Buffers a row without writing: for tables whose rows reference another buffer,
    /// flushed by the caller in dependency order.
    fn add(&mut self, row: String) {
        self.rows.push(row);
    }
    fn full(&self) -> bool {
        self.rows.len() >= CHUNK
    }
    async fn flush(&mut self) -> anyhow::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!("{} VALUES {}", self.head, self.rows.join(","));
        self.db.execute_unprepared(&sql).await?;
        let before = self.written / 250_000;
        self.written += self.rows.len();
        self.rows.clear();
        if self.written / 250_000 > before {
            eprintln!(
                "  {:<14} {:>9} / ~{} ({:.0} s)",
                self.what,
                self.written,
                self.total,
                self.started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    }
    async fn finish(mut self) -> anyhow::Result<usize> {
        self.flush().await?;
        eprintln!(
            "  {:<14} {:>9} done ({:.0} s)",
            self.what,
            self.written,
            self.started.elapsed().as_secs_f64()
        );
        Ok(self.written)
    }
}

fn day(d: NaiveDate) -> String {
    format!("'{}'", crate::service::sql_date(d))
}

pub async fn seed(db: &DatabaseConnection) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(3_000_000);
    let hash = auth::hash_password_blocking(super::DEMO_PASSWORD.to_owned())
        .await
        .map_err(crate::error::AppError::into_anyhow)?;
    let today = as_of();
    let first = today - Duration::days(729);
    let now = format!("'{}'", chrono::Utc::now().to_rfc3339());
    let txn = crate::db::write_txn(db).await?;

    // Accounts: admin, director, a supervisor per region, an account per rep.
    let mut users = Batch::new(
        &txn,
        "users",
        "INSERT INTO users (id, email, name, role, password_hash, active, version, created_at, updated_at)",
        2 + REGIONS + REPS,
        started,
    );
    let user = |id: usize, email: String, name: String, role: &str| {
        format!("({id}, '{email}', '{name}', '{role}', '{hash}', TRUE, 1, {now}, {now})")
    };
    users
        .push(user(1, "admin@dudao.demo".into(), "王建华".into(), "ADMIN"))
        .await?;
    users
        .push(user(
            2,
            "director@dudao.demo".into(),
            "周总监".into(),
            "DIRECTOR",
        ))
        .await?;
    let slug = |r: usize| match r {
        0 => "east".to_owned(),
        1 => "south".to_owned(),
        r => format!("r{:02}", r + 1),
    };
    for r in 0..REGIONS {
        let id = 3 + r;
        users
            .push(user(
                id,
                format!("supervisor.{}@dudao.demo", slug(r)),
                format!("督导{:02}", r + 1),
                "SUPERVISOR",
            ))
            .await?;
    }
    let reps_per_region = REPS / REGIONS;
    for k in 0..REPS {
        let id = 3 + REGIONS + k;
        let (r, n) = (k / reps_per_region, k % reps_per_region + 1);
        users
            .push(user(
                id,
                format!("rep.{}{n}@dudao.demo", slug(r)),
                format!("代表{:04}", k + 1),
                "REP",
            ))
            .await?;
    }
    users.finish().await?;

    let mut regions = Batch::new(
        &txn,
        "regions",
        "INSERT INTO regions (id, name, code, parent_id, version, created_at, updated_at)",
        REGIONS,
        started,
    );
    let mut links = Batch::new(
        &txn,
        "supervisors",
        "INSERT INTO supervisor_regions (supervisor_id, region_id)",
        REGIONS,
        started,
    );
    const NAMES: [(&str, &str); 6] = [
        ("华东", "EAST"),
        ("华南", "SOUTH"),
        ("华北", "NORTH"),
        ("西南", "SOUTHWEST"),
        ("华中", "CENTRAL"),
        ("西北", "NORTHWEST"),
    ];
    for r in 0..REGIONS {
        let (name, code) = NAMES.get(r).map_or_else(
            || (format!("区域{:02}", r + 1), format!("R{:02}", r + 1)),
            |(n, c)| ((*n).to_owned(), (*c).to_owned()),
        );
        regions
            .push(format!(
                "({}, '{name}', '{code}', NULL, 1, {now}, {now})",
                r + 1
            ))
            .await?;
        links.push(format!("({}, {})", 3 + r, r + 1)).await?;
    }
    regions.finish().await?;
    links.finish().await?;

    let mut reps = Batch::new(
        &txn,
        "reps",
        "INSERT INTO reps (id, user_id, name, phone, level, hire_date, region_id, supervisor_id, status, version, created_at, updated_at)",
        REPS,
        started,
    );
    let mut rep_region = Vec::with_capacity(REPS);
    for k in 0..REPS {
        let region = k / reps_per_region + 1;
        rep_region.push(region);
        let hire = NaiveDate::from_ymd_opt(
            2015 + rng.random_range(0..10),
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        )
        .unwrap_or(first);
        reps.push(format!(
            "({}, {}, '代表{:04}', '13{:09}', {}, {}, {region}, {}, 'ACTIVE', 1, {now}, {now})",
            k + 1,
            3 + REGIONS + k,
            k + 1,
            rng.random_range(0..1_000_000_000u32),
            rng.random_range(1..=5),
            day(hire),
            2 + region,
        ))
        .await?;
    }
    reps.finish().await?;

    let mut customers = Batch::new(
        &txn,
        "customers",
        "INSERT INTO customers (id, name, owner_rep_id, industry, city, address, version, created_at, updated_at)",
        CUSTOMERS,
        started,
    );
    const INDUSTRIES: [&str; 6] = ["制造业", "零售", "医疗", "教育", "物流", "金融"];
    let per_rep = CUSTOMERS / REPS;
    for c in 0..CUSTOMERS {
        let rep = c / per_rep + 1;
        customers
            .push(format!(
                "({}, '客户{:06}', {rep}, '{}', NULL, NULL, 1, {now}, {now})",
                c + 1,
                c + 1,
                INDUSTRIES[c % INDUSTRIES.len()]
            ))
            .await?;
    }
    customers.finish().await?;

    // Orders spread over two years, ten per customer on average; receivables for the
    // confirmed ones; payments for about two thirds of those.
    let span = (today - first).num_days() + 1;
    let mut orders = Batch::new(
        &txn,
        "orders",
        "INSERT INTO orders (id, customer_id, rep_id, ordered_on, amount_cents, status, created_at)",
        ORDERS,
        started,
    );
    let mut receivables = Batch::new(
        &txn,
        "receivables",
        "INSERT INTO receivables (id, order_id, customer_id, rep_id, due_on, amount_cents)",
        ORDERS,
        started,
    );
    let mut payments = Batch::new(
        &txn,
        "payments",
        "INSERT INTO payments (id, receivable_id, paid_on, amount_cents)",
        PAYMENTS,
        started,
    );
    let mut sold: HashMap<(usize, Period), i64> = HashMap::new();
    let (mut receivable_id, mut payment_id) = (0usize, 0usize);
    let pay_share = PAYMENTS as f64 / (ORDERS as f64 * 0.97);
    for o in 0..ORDERS {
        let customer = rng.random_range(0..CUSTOMERS);
        let rep = customer / per_rep + 1;
        let on = first + Duration::days(rng.random_range(0..span));
        let amount = (rng.random_range(20..3_000i64)) * 10_000;
        let cancelled = rng.random_bool(0.03);
        if orders.full() || receivables.full() || payments.full() {
            orders.flush().await?;
            receivables.flush().await?;
            payments.flush().await?;
        }
        orders.add(format!(
            "({}, {}, {rep}, {}, {amount}, '{}', {now})",
            o + 1,
            customer + 1,
            day(on),
            if cancelled { "CANCELLED" } else { "CONFIRMED" }
        ));
        if cancelled {
            continue;
        }
        *sold
            .entry((rep, Period::containing(PeriodKind::Quarter, on)))
            .or_default() += amount;
        receivable_id += 1;
        let due = on + Duration::days([30, 45, 60][rng.random_range(0..3)]);
        receivables.add(format!(
            "({receivable_id}, {}, {}, {rep}, {}, {amount})",
            o + 1,
            customer + 1,
            day(due)
        ));
        if payment_id < PAYMENTS && rng.random_bool(pay_share.min(1.0)) {
            let paid = (due + Duration::days(rng.random_range(-20..40))).min(today);
            payment_id += 1;
            payments.add(format!(
                "({payment_id}, {receivable_id}, {}, {amount})",
                day(paid.max(on))
            ));
        }
    }
    orders.finish().await?;
    receivables.finish().await?;
    payments.finish().await?;

    let mut opps = Batch::new(
        &txn,
        "opportunities",
        "INSERT INTO opportunities (id, customer_id, rep_id, name, amount_cents, stage, created_on, closed_on, lost_reason)",
        OPPORTUNITIES,
        started,
    );
    let mut stages = Batch::new(
        &txn,
        "stage history",
        "INSERT INTO opportunity_stages (opportunity_id, stage, moved_on)",
        OPPORTUNITIES * 3,
        started,
    );
    const STEPS: [&str; 5] = [
        "LEAD",
        "CONTACTED",
        "NEEDS_ANALYSIS",
        "PROPOSAL",
        "NEGOTIATION",
    ];
    for id in 1..=OPPORTUNITIES {
        if opps.full() || stages.full() {
            opps.flush().await?;
            stages.flush().await?;
        }
        let customer = rng.random_range(0..CUSTOMERS);
        let rep = customer / per_rep + 1;
        let created = first + Duration::days(rng.random_range(0..span));
        let reached = rng.random_range(0..STEPS.len());
        let mut on = created;
        for s in STEPS.iter().take(reached + 1) {
            stages.add(format!("({id}, '{s}', {})", day(on.min(today))));
            on += Duration::days(rng.random_range(3..15));
        }
        let closed = on <= today && rng.random_bool(0.7);
        let (stage, closed_on, reason) = if closed {
            let won = reached >= 3 && rng.random_bool(0.6);
            let stage = if won { "WON" } else { "LOST" };
            stages.add(format!("({id}, '{stage}', {})", day(on)));
            (
                stage,
                day(on),
                if won {
                    "NULL".to_owned()
                } else {
                    "'价格'".to_owned()
                },
            )
        } else {
            (STEPS[reached], "NULL".to_owned(), "NULL".to_owned())
        };
        opps.add(format!(
            "({id}, {}, {rep}, '商机{id}', {}, '{stage}', {}, {closed_on}, {reason})",
            customer + 1,
            rng.random_range(10..5_000i64) * 10_000,
            day(created)
        ));
    }
    opps.finish().await?;
    stages.finish().await?;

    let mut surveys = Batch::new(
        &txn,
        "surveys",
        "INSERT INTO surveys (customer_id, rep_id, score, surveyed_on)",
        CUSTOMERS,
        started,
    );
    for c in 0..CUSTOMERS {
        let on = first + Duration::days(rng.random_range(0..span));
        surveys
            .push(format!(
                "({}, {}, {}, {})",
                c + 1,
                c / per_rep + 1,
                [10, 9, 9, 8, 8, 7, 6, 4][rng.random_range(0..8)],
                day(on)
            ))
            .await?;
    }
    surveys.finish().await?;

    // Sales targets near what each rep sold per quarter, summed into months, years,
    // regions and the company.
    let mut sums: HashMap<(&str, usize, Period), i64> = HashMap::new();
    let mut keys: Vec<_> = sold.keys().copied().collect();
    keys.sort_by_key(|(r, p)| (*r, p.year, p.index));
    for (rep, q) in keys {
        let v = sold.get(&(rep, q)).copied().unwrap_or(0);
        let value = ((v as f64 * rng.random_range(0.9..1.2)) as i64 / 100_000) * 100_000;
        let m = (q.index - 1) * 3 + 1;
        let region = rep_region.get(rep - 1).copied().unwrap_or(1);
        for (p, x) in [
            (q, value),
            (Period::year(q.year), value),
            (Period::month(q.year, m), value / 3),
            (Period::month(q.year, m + 1), value / 3),
            (Period::month(q.year, m + 2), value - 2 * (value / 3)),
        ] {
            *sums.entry(("REP", rep, p)).or_default() += x;
            *sums.entry(("REGION", region, p)).or_default() += x;
            *sums.entry(("COMPANY", 0, p)).or_default() += x;
        }
    }
    let mut all: Vec<_> = sums.into_iter().collect();
    all.sort_by_key(|((k, id, p), _)| (*k, *id, p.kind.as_str(), p.year, p.index));
    let mut targets = Batch::new(
        &txn,
        "targets",
        "INSERT INTO targets (metric, scope_kind, scope_id, period_kind, year, idx, value, version, updated_at)",
        all.len(),
        started,
    );
    for ((kind, id, p), v) in all {
        targets
            .push(format!(
                "('SALES', '{kind}', {id}, '{}', {}, {}, {v}, 1, {now})",
                p.kind.as_str(),
                p.year,
                p.index
            ))
            .await?;
    }
    targets.finish().await?;

    crate::service::rollups::refresh_all(&txn)
        .await
        .map_err(crate::error::AppError::into_anyhow)?;
    for t in [
        "users",
        "regions",
        "reps",
        "customers",
        "orders",
        "receivables",
        "payments",
        "opportunities",
    ] {
        crate::db::fix_sequence(&txn, t).await?;
    }
    eprintln!("  committing… ({:.0} s)", started.elapsed().as_secs_f64());
    txn.commit().await?;
    super::knowledge::generate(db, ARTICLES, 20_000, &super::Progress::stderr()).await?;
    // Fresh statistics, so that both planners pick the indexes the scorecards rely on.
    db.execute_unprepared("ANALYZE").await?;
    eprintln!(
        "large data set ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
