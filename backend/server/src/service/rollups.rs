//! Copies of the facts that the figures read instead of the raw rows (migrations 8 and 11):
//!
//! - `customer_firsts`: each customer's first (non-cancelled) order per rep — the new and
//!   base customers of a rep or region;
//! - `new_customer_months`: per scope (rep, region, company) and month, how many customers
//!   had their first order with the scope then — the new and base customers of a period
//!   are sums over a few dozen of its rows (migration 14);
//! - `rep_months`: per rep and month, sales and order count, amounts due, won and closed
//!   opportunities, surveys with their score sum, promoters and detractors;
//! - `rep_paid_months`: per rep, payments by the month their amount was due and the month
//!   it was paid;
//! - `rep_cycle_months`: per rep, month won and cycle length in days, how many
//!   opportunities were won — the histogram the sales-cycle median is read from
//!   (migration 21).
//!
//! Periods are whole months, so a scope's figures for any period are sums over these
//! (a company quarter reads ≈9,000 `rep_months` rows instead of ≈250,000 orders).
//!
//! Orders, receivables, payments, opportunities and surveys are only ever added — by the
//! seeds, which rebuild every copy ([`refresh_all`]), and by the imports, which add the sums
//! of the rows they wrote ([`add_orders`], [`add_payments`], [`add_opportunities`]) in the
//! same transaction, under the table lock that keeps their ids contiguous. A write path
//! that changes or removes facts must bring these along; a test compares the copies with
//! the facts after every kind of import.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction};

use crate::error::AppResult;

/// The first day of `col`'s month, as a date in each database's dialect.
pub(crate) fn month_of(backend: DatabaseBackend, col: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST(date_trunc('month', {col}) AS DATE)"),
        _ => format!("substr({col}, 1, 7) || '-01'"),
    }
}

/// Whole days from `from` to `to` (dates), in each database's dialect.
pub(crate) fn days_between(backend: DatabaseBackend, to: &str, from: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("({to} - {from})"),
        _ => format!("CAST(julianday({to}) - julianday({from}) AS INTEGER)"),
    }
}

/// Monthly sums of one fact table into `rep_months`.
struct Sums {
    table: &'static str,
    /// The date that places a row in a month.
    date: &'static str,
    /// Which rows count.
    filter: &'static str,
    /// `rep_months` column and the aggregate that adds to it.
    cols: Vec<(&'static str, String)>,
}

fn orders() -> Sums {
    Sums {
        table: "orders",
        date: "ordered_on",
        filter: "status <> 'CANCELLED'",
        cols: vec![
            ("sales_cents", "SUM(amount_cents)".into()),
            ("order_count", "COUNT(*)".into()),
        ],
    }
}

fn receivables() -> Sums {
    Sums {
        table: "receivables",
        date: "due_on",
        filter: "1 = 1",
        cols: vec![("due_cents", "SUM(amount_cents)".into())],
    }
}

fn opportunities() -> Sums {
    Sums {
        table: "opportunities",
        date: "closed_on",
        filter: "stage IN ('WON', 'LOST') AND closed_on IS NOT NULL",
        cols: vec![
            (
                "won",
                "SUM(CASE WHEN stage = 'WON' THEN 1 ELSE 0 END)".into(),
            ),
            ("closed", "COUNT(*)".into()),
        ],
    }
}

fn surveys() -> Sums {
    use dudao_domain::customers::{DETRACTOR_MAX, PROMOTER_MIN};
    Sums {
        table: "surveys",
        date: "surveyed_on",
        filter: "1 = 1",
        cols: vec![
            ("surveys", "COUNT(*)".into()),
            ("score_sum", "SUM(score)".into()),
            (
                "promoters",
                format!("SUM(CASE WHEN score >= {PROMOTER_MIN} THEN 1 ELSE 0 END)"),
            ),
            (
                "detractors",
                format!("SUM(CASE WHEN score <= {DETRACTOR_MAX} THEN 1 ELSE 0 END)"),
            ),
        ],
    }
}

/// Adds the monthly sums of `s`'s rows matching `rows` to `rep_months`.
async fn add_sums<C: ConnectionTrait>(db: &C, s: &Sums, rows: &str) -> AppResult<()> {
    let month = month_of(db.get_database_backend(), s.date);
    let names: Vec<&str> = s.cols.iter().map(|c| c.0).collect();
    let aggs: Vec<String> = s
        .cols
        .iter()
        .map(|c| format!("CAST({} AS BIGINT)", c.1))
        .collect();
    let adds: Vec<String> = names
        .iter()
        .map(|n| format!("{n} = rep_months.{n} + excluded.{n}"))
        .collect();
    db.execute_unprepared(&format!(
        "INSERT INTO rep_months (month, rep_id, {names}) \
         SELECT {month}, rep_id, {aggs} FROM {table} WHERE {filter} AND {rows} GROUP BY 1, 2 \
         ON CONFLICT (month, rep_id) DO UPDATE SET {adds}",
        names = names.join(", "),
        aggs = aggs.join(", "),
        table = s.table,
        filter = s.filter,
        adds = adds.join(", "),
    ))
    .await?;
    Ok(())
}

/// Adds the payments matching `rows` to `rep_paid_months`. A payment's due date and rep
/// are its receivable's (kept by triggers, migration 10).
async fn add_paid<C: ConnectionTrait>(db: &C, rows: &str) -> AppResult<()> {
    let b = db.get_database_backend();
    db.execute_unprepared(&format!(
        "INSERT INTO rep_paid_months (due_month, rep_id, paid_month, cents) \
         SELECT {due}, rep_id, {paid}, CAST(SUM(amount_cents) AS BIGINT) FROM payments \
         WHERE due_on IS NOT NULL AND rep_id IS NOT NULL AND {rows} GROUP BY 1, 2, 3 \
         ON CONFLICT (due_month, rep_id, paid_month) DO UPDATE SET cents = rep_paid_months.cents + excluded.cents",
        due = month_of(b, "due_on"),
        paid = month_of(b, "paid_on"),
    ))
    .await?;
    Ok(())
}

/// Adds the won opportunities matching `rows` to `rep_cycle_months`: per rep, month won
/// and days from creation to WON, how many.
async fn add_cycles<C: ConnectionTrait>(db: &C, rows: &str) -> AppResult<()> {
    let b = db.get_database_backend();
    db.execute_unprepared(&format!(
        "INSERT INTO rep_cycle_months (rep_id, month, days, won) \
         SELECT rep_id, {month}, {days}, CAST(COUNT(*) AS BIGINT) FROM opportunities \
         WHERE stage = 'WON' AND closed_on IS NOT NULL AND {rows} GROUP BY 1, 2, 3 \
         ON CONFLICT (rep_id, month, days) DO UPDATE SET won = rep_cycle_months.won + excluded.won",
        month = month_of(b, "closed_on"),
        days = days_between(b, "closed_on", "created_on"),
    ))
    .await?;
    Ok(())
}

const FIRSTS: &str = "SELECT customer_id, rep_id, MIN(ordered_on) FROM orders \
                      WHERE status <> 'CANCELLED'";

fn earlier(backend: DatabaseBackend, table: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("LEAST({table}.first_on, excluded.first_on)"),
        _ => format!("MIN({table}.first_on, excluded.first_on)"),
    }
}

/// Rebuilds every copy from the facts in a transaction of its own (`dudao rollups`, after
/// edits made outside Dudao's writers).
pub async fn rebuild(db: &DatabaseConnection) -> AppResult<()> {
    let txn = crate::db::write_txn(db).await?;
    refresh_all(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Rebuilds every copy from the facts (the seeds, after writing them). Takes a transaction:
/// the copies are deleted and rebuilt, and no reader may see them half way.
pub async fn refresh_all(db: &DatabaseTransaction) -> AppResult<()> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // No import may add its sums between the rebuild's reads and its commit (imports
        // hold EXCLUSIVE locks on the tables they write).
        db.execute_unprepared(
            "LOCK TABLE orders, receivables, payments, opportunities, surveys IN SHARE MODE",
        )
        .await?;
    }
    for t in [
        "customer_firsts",
        "new_customer_months",
        "rep_months",
        "rep_paid_months",
        "rep_cycle_months",
    ] {
        db.execute_unprepared(&format!("DELETE FROM {t}")).await?;
    }
    db.execute_unprepared(&format!(
        "INSERT INTO customer_firsts (customer_id, rep_id, first_on) {FIRSTS} GROUP BY customer_id, rep_id"
    ))
    .await?;
    count_firsts(db, "1 = 1", 1).await?;
    for s in [orders(), receivables(), opportunities(), surveys()] {
        add_sums(db, &s, "1 = 1").await?;
    }
    add_cycles(db, "1 = 1").await?;
    add_paid(db, "1 = 1").await
}

/// Takes in the orders with ids from `first_order` on and the receivables from
/// `first_receivable` on (an import's). Added orders can only add a customer-and-rep pair
/// or move its first day earlier, so the first-order tables read the new orders alone and
/// keep the earlier day (regrouping the touched customers' whole history took 3.9 s of a
/// 6.2 s import of 100k orders at 3M).
pub async fn add_orders<C: ConnectionTrait>(
    db: &C,
    first_order: i64,
    first_receivable: i64,
) -> AppResult<()> {
    let b = db.get_database_backend();
    // The customers whose first order with a rep moves (a new pair, or an earlier day):
    // their counts per scope and month come out before and go back in after.
    db.execute_unprepared("DROP TABLE IF EXISTS first_touched")
        .await?;
    db.execute_unprepared(&format!(
        "CREATE TEMPORARY TABLE first_touched AS SELECT DISTINCT o.customer_id AS customer_id \
         FROM orders o LEFT JOIN customer_firsts cf ON cf.customer_id = o.customer_id AND cf.rep_id = o.rep_id \
         WHERE o.id >= {first_order} AND o.status <> 'CANCELLED' AND (cf.first_on IS NULL OR o.ordered_on < cf.first_on)"
    ))
    .await?;
    let touched = "cf.customer_id IN (SELECT customer_id FROM first_touched)";
    count_firsts(db, touched, -1).await?;
    db.execute_unprepared(&format!(
        "INSERT INTO customer_firsts (customer_id, rep_id, first_on) {FIRSTS} \
         AND id >= {first_order} GROUP BY customer_id, rep_id \
         ON CONFLICT (customer_id, rep_id) DO UPDATE SET first_on = {e} \
         WHERE excluded.first_on < customer_firsts.first_on",
        e = earlier(b, "customer_firsts"),
    ))
    .await?;
    count_firsts(db, touched, 1).await?;
    db.execute_unprepared("DROP TABLE first_touched").await?;
    db.execute_unprepared("DELETE FROM new_customer_months WHERE customers = 0")
        .await?;
    add_sums(db, &orders(), &format!("id >= {first_order}")).await?;
    add_sums(db, &receivables(), &format!("id >= {first_receivable}")).await
}

/// Takes in the payments with ids from `first` on.
pub async fn add_payments<C: ConnectionTrait>(db: &C, first: i64) -> AppResult<()> {
    add_paid(db, &format!("id >= {first}")).await
}

/// Takes in the opportunities with ids from `first` on: their won and closed counts, and
/// the cycles of those won.
pub async fn add_opportunities<C: ConnectionTrait>(db: &C, first: i64) -> AppResult<()> {
    add_sums(db, &opportunities(), &format!("id >= {first}")).await?;
    add_cycles(db, &format!("id >= {first}")).await
}

/// Takes in the surveys with ids from `first` on.
pub async fn add_surveys<C: ConnectionTrait>(db: &C, first: i64) -> AppResult<()> {
    add_sums(db, &surveys(), &format!("id >= {first}")).await
}

/// Each customer's first order with each scope — its rep (`REP`), the region of those reps
/// (`REGION`, the earliest over them) and the company (`COMPANY`, id 0) — for the
/// customers matching `customers` (a condition on `cf.customer_id`), added to
/// `new_customer_months` `sign` times per month (1 to add them, -1 to take them out).
async fn count_firsts<C: ConnectionTrait>(db: &C, customers: &str, sign: i64) -> AppResult<()> {
    let b = db.get_database_backend();
    db.execute_unprepared(&format!(
        "INSERT INTO new_customer_months (scope_kind, scope_id, month, customers) \
         SELECT s.k, s.i, s.mo, CAST({sign} * COUNT(*) AS BIGINT) FROM ( \
           SELECT 'REP' AS k, cf.rep_id AS i, {m_rep} AS mo FROM customer_firsts cf WHERE {customers} \
           UNION ALL SELECT 'REGION', g.region_id, {m_g} FROM \
             (SELECT r.region_id AS region_id, MIN(cf.first_on) AS first_on \
              FROM customer_firsts cf JOIN reps r ON r.id = cf.rep_id WHERE {customers} \
              GROUP BY r.region_id, cf.customer_id) g \
           UNION ALL SELECT 'COMPANY', 0, {m_g} FROM \
             (SELECT MIN(cf.first_on) AS first_on FROM customer_firsts cf WHERE {customers} \
              GROUP BY cf.customer_id) g \
         ) s GROUP BY 1, 2, 3 \
         ON CONFLICT (scope_kind, scope_id, month) \
         DO UPDATE SET customers = new_customer_months.customers + excluded.customers",
        m_rep = month_of(b, "cf.first_on"),
        m_g = month_of(b, "g.first_on"),
    ))
    .await?;
    Ok(())
}

/// A rep moved from one region to another: both regions' first orders are counted again
/// (a customer's first order with a region is the earliest over its reps, so the move
/// can change either's months). Call after updating the rep, in the same transaction.
pub async fn rep_moved<C: ConnectionTrait>(db: &C, from: i32, to: i32) -> AppResult<()> {
    let b = db.get_database_backend();
    db.execute_unprepared(&format!(
        "DELETE FROM new_customer_months WHERE scope_kind = 'REGION' AND scope_id IN ({from}, {to})"
    ))
    .await?;
    db.execute_unprepared(&format!(
        "INSERT INTO new_customer_months (scope_kind, scope_id, month, customers) \
         SELECT 'REGION', g.region_id, {m}, CAST(COUNT(*) AS BIGINT) FROM \
           (SELECT r.region_id AS region_id, MIN(cf.first_on) AS first_on \
            FROM customer_firsts cf JOIN reps r ON r.id = cf.rep_id \
            WHERE r.region_id IN ({from}, {to}) GROUP BY r.region_id, cf.customer_id) g \
         GROUP BY 2, 3",
        m = month_of(b, "g.first_on"),
    ))
    .await?;
    Ok(())
}
