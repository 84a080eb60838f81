//! Each customer's first (non-cancelled) order per rep, kept in `customer_firsts` so that
//! new customers and customer growth read a few hundred thousand index entries instead
//! of grouping every order. Whatever writes orders keeps it current: the seeds refresh it
//! whole, imports for the customers they touch.

use sea_orm::ConnectionTrait;

use crate::error::AppResult;

const SELECT: &str = "SELECT customer_id, rep_id, MIN(ordered_on) FROM orders \
                      WHERE status <> 'CANCELLED'";

/// Rebuilds the table from the orders.
pub async fn refresh_all<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    db.execute_unprepared("DELETE FROM customer_firsts").await?;
    db.execute_unprepared(&format!(
        "INSERT INTO customer_firsts (customer_id, rep_id, first_on) {SELECT} GROUP BY customer_id, rep_id"
    ))
    .await?;
    Ok(())
}

/// Recomputes the customers of the orders with ids from `first_id` on (an import's).
pub async fn refresh_from_order<C: ConnectionTrait>(db: &C, first_id: i64) -> AppResult<()> {
    let touched = format!("SELECT customer_id FROM orders WHERE id >= {first_id}");
    db.execute_unprepared(&format!(
        "DELETE FROM customer_firsts WHERE customer_id IN ({touched})"
    ))
    .await?;
    db.execute_unprepared(&format!(
        "INSERT INTO customer_firsts (customer_id, rep_id, first_on) {SELECT} \
         AND customer_id IN ({touched}) GROUP BY customer_id, rep_id"
    ))
    .await?;
    Ok(())
}
