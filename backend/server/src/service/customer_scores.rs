//! Customer scores: tier (A/B/C by cumulative share of the last 12 months' sales), churn
//! warning and health score for every customer as of a day, refreshed in one
//! `INSERT … SELECT` (window functions for the tiers) by the scheduled run and
//! `dudao alerts run`. `dudao_domain::customers` is the reference (`tiers`, `health`); a
//! test checks that both agree on generated data.

use chrono::{Duration, Months, NaiveDate};
use dudao_domain::customers::{HealthInputs, Tier, TierThresholds};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::sql_date;
use crate::entity::customer_score;
use crate::error::{AppError, AppResult};

fn days_between(backend: sea_orm::DatabaseBackend, to: &str, from: &str) -> String {
    match backend {
        sea_orm::DatabaseBackend::Postgres => format!("({to} - {from})"),
        _ => format!("CAST(julianday({to}) - julianday({from}) AS INTEGER)"),
    }
}

/// The first day of the 12 months up to `as_of` (sales and surveys after it count).
pub fn year_before(as_of: NaiveDate) -> NaiveDate {
    as_of - Months::new(12)
}

/// The columns of a score after its key, in the order the refresh selects them: inserted,
/// overwritten on conflict, and compared to skip rows that have not changed.
const FIGURES: [&str; 11] = [
    "as_of",
    "sales_year",
    "tier",
    "last_order_on",
    "orders_year",
    "survey_sum",
    "survey_count",
    "open_complaints",
    "chain_changed",
    "churn_risk",
    "health",
];

/// Recomputes every customer's score as of `as_of`; returns how many rows changed (a
/// customer's first score, or different figures or day).
pub async fn refresh(db: &DatabaseConnection, as_of: NaiveDate) -> AppResult<u64> {
    let backend = db.get_database_backend();
    let t = TierThresholds::default();
    let d = sql_date(as_of);
    let y = sql_date(year_before(as_of));
    let (churn_from, churn_to) = dudao_domain::alerts::churn_window(as_of);
    let (churn_from, churn_to) = (sql_date(churn_from), sql_date(churn_to));
    let chain_from = sql_date(as_of - Duration::days(90));
    let end = as_of + Duration::days(1);
    let ts_end = super::sql_midnight(backend, end);
    let d_lit = match backend {
        sea_orm::DatabaseBackend::Postgres => format!("DATE '{d}'"),
        _ => format!("'{d}'"),
    };
    let days = days_between(backend, &d_lit, "x.last_on");
    let live = "o.customer_id = c.id AND o.status <> 'CANCELLED'";
    let sql = format!(
        "INSERT INTO customer_scores (customer_id, {columns}) \
         SELECT x.id, '{d}', x.sales, x.tier, x.last_on, x.orders, x.ssum, x.scnt, x.openc, x.chain, x.churn, \
           (CASE WHEN x.last_on IS NULL THEN 0 WHEN {days} <= 30 THEN 100 WHEN {days} >= 180 THEN 0 ELSE (180 - {days}) * 100 / 150 END * 30 \
            + CASE WHEN x.orders * 100 / (CASE x.tier WHEN 'A' THEN 12 WHEN 'B' THEN 6 ELSE 4 END) > 100 THEN 100 \
                   ELSE x.orders * 100 / (CASE x.tier WHEN 'A' THEN 12 WHEN 'B' THEN 6 ELSE 4 END) END * 25 \
            + CASE WHEN x.scnt = 0 THEN 70 ELSE x.ssum * 10 / x.scnt END * 20 \
            + CASE WHEN 100 - 50 * x.openc < 0 THEN 0 ELSE 100 - 50 * x.openc END * 15 \
            + CASE WHEN x.chain = 1 THEN 0 ELSE 100 END * 10) / 100 \
         FROM (SELECT r.id, r.sales, r.orders, r.last_on, r.ssum, r.scnt, r.openc, r.chain, r.churn, \
                 CASE WHEN r.sales <= 0 THEN 'C' \
                      WHEN CAST(COALESCE(r.before, 0) AS DOUBLE PRECISION) / CAST(NULLIF(r.total, 0) AS DOUBLE PRECISION) < {a} THEN 'A' \
                      WHEN CAST(COALESCE(r.before, 0) AS DOUBLE PRECISION) / CAST(NULLIF(r.total, 0) AS DOUBLE PRECISION) < {b} THEN 'B' \
                      ELSE 'C' END AS tier \
               FROM (SELECT b.*, \
                       SUM(b.sales) OVER (ORDER BY b.sales DESC, b.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before, \
                       SUM(b.sales) OVER () AS total \
                     FROM (SELECT c.id AS id, \
                             CAST(COALESCE((SELECT SUM(o.amount_cents) FROM orders o WHERE {live} AND o.ordered_on > '{y}' AND o.ordered_on <= '{d}'), 0) AS BIGINT) AS sales, \
                             (SELECT COUNT(*) FROM orders o WHERE {live} AND o.ordered_on > '{y}' AND o.ordered_on <= '{d}') AS orders, \
                             (SELECT MAX(o.ordered_on) FROM orders o WHERE {live} AND o.ordered_on <= '{d}') AS last_on, \
                             CAST(COALESCE((SELECT SUM(v.score) FROM surveys v WHERE v.customer_id = c.id AND v.surveyed_on > '{y}' AND v.surveyed_on <= '{d}'), 0) AS BIGINT) AS ssum, \
                             (SELECT COUNT(*) FROM surveys v WHERE v.customer_id = c.id AND v.surveyed_on > '{y}' AND v.surveyed_on <= '{d}') AS scnt, \
                             (SELECT COUNT(*) FROM complaints k WHERE k.customer_id = c.id AND k.opened_at < {ts_end} \
                                AND (k.resolved_at IS NULL OR k.resolved_at >= {ts_end})) AS openc, \
                             CASE WHEN c.decision_chain_changed_on > '{chain_from}' AND c.decision_chain_changed_on <= '{d}' THEN 1 ELSE 0 END AS chain, \
                             CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE {live} AND o.ordered_on >= '{churn_from}' AND o.ordered_on < '{churn_to}') \
                                   AND NOT EXISTS (SELECT 1 FROM orders o WHERE {live} AND o.ordered_on >= '{churn_to}' AND o.ordered_on <= '{d}') \
                                  THEN 1 ELSE 0 END AS churn \
                           FROM customers c) b) r) x \
         WHERE 1 = 1 ORDER BY x.id \
         ON CONFLICT (customer_id) DO UPDATE SET {set} WHERE {changed}",
        columns = FIGURES.join(", "),
        set = FIGURES.map(|c| format!("{c} = excluded.{c}")).join(", "),
        changed = FIGURES
            .map(|c| format!("customer_scores.{c} IS DISTINCT FROM excluded.{c}"))
            .join(" OR "),
        a = t.a,
        b = t.b,
    );
    // One upsert, rows in key order: servers refreshing at the same moment (several behind
    // a load balancer) overwrite each other's rows with the same figures instead of
    // colliding on the key, and a reader never sees the table empty. Scores of deleted
    // customers go with them (foreign key, cascade). A row whose figures are unchanged is
    // not written: the refresh runs every hour and `as_of` changes once a day, so 23 of 24
    // runs rewrote 300k identical rows (on PostgreSQL, 300k dead row versions an hour).
    let n = db
        .execute_raw(Statement::from_string(backend, sql))
        .await?
        .rows_affected();
    Ok(n)
}

pub fn tier_of(s: &customer_score::Model) -> AppResult<Tier> {
    match s.tier.as_str() {
        "A" => Ok(Tier::A),
        "B" => Ok(Tier::B),
        "C" => Ok(Tier::C),
        t => Err(AppError::Internal(anyhow::anyhow!(
            "customer {} has tier {t}",
            s.customer_id
        ))),
    }
}

/// The facts of a stored score, for the reference health function.
pub fn inputs(s: &customer_score::Model) -> AppResult<HealthInputs> {
    Ok(HealthInputs {
        days_since_order: s.last_order_on.map(|d| (s.as_of - d).num_days()),
        orders_12m: s.orders_year,
        tier: tier_of(s)?,
        survey_sum: s.survey_sum,
        survey_count: s.survey_count,
        open_complaints: s.open_complaints,
        chain_changed: s.chain_changed != 0,
    })
}

/// Whether there are customers without a score (a new database, or one migrated).
pub async fn missing<C: ConnectionTrait>(db: &C) -> AppResult<bool> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM customers c WHERE NOT EXISTS \
             (SELECT 1 FROM customer_scores s WHERE s.customer_id = c.id)) THEN 1 ELSE 0 END AS m"
                .to_owned(),
        ))
        .await?;
    Ok(row
        .and_then(|r| r.try_get_by_index::<i32>(0).ok())
        .is_some_and(|m| m == 1))
}
