//! Connecting, migrating and counting statements.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use dudao_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// Counts SQL statements executed through a connection, for tests and diagnostics.
#[derive(Clone, Default, Debug)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Opens the database at `url` (SQLite or PostgreSQL). SQLite files and their directory
/// are created on first use.
pub async fn connect(url: &str) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let mut url = url.to_owned();
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or_default();
        if let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the database directory {}", dir.display()))?;
        }
        if !url.contains('?') {
            url.push_str("?mode=rwc");
        }
    }
    let is_sqlite = url.starts_with("sqlite:");
    let mut opts = ConnectOptions::new(url);
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // SQLite: one writer at a time anyway, and each pooled connection is a thread with
        // its own page cache and malloc arena; four readers keep two cores busy.
        .max_connections(pool_size(is_sqlite))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                // With WAL, NORMAL is durable across application crashes and much faster.
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                // The bundled SQLite keeps temporary b-trees (GROUP BY, DISTINCT, sorts of
                // company-wide aggregates) in memory, unbounded: each pooled connection
                // grew by tens of MB under the cockpit. On disk they are bounded by the page
                // cache and the OS keeps hot ones cached anyway.
                .pragma("temp_store", "FILE")
                // A process-wide ceiling on SQLite's heap (page caches, sorters): past it
                // SQLite recycles cache pages instead of growing (docs/benchmarks.md, memory).
                .pragma("soft_heap_limit", "33554432")
                // Names sort by pinyin (`ORDER BY name COLLATE pinyin`); PostgreSQL has the
                // collation from ICU (migration 16), SQLite from here.
                .collation("pinyin", dudao_domain::collate::pinyin_cmp)
        });
    let mut db = Database::connect(opts)
        .await
        .context("connecting to the database")?;
    let counter = StatementCounter::default();
    let inner = counter.0.clone();
    db.set_metric_callback(move |m| {
        // The search index's background statements are no request's (`service::search`).
        if !m.statement.sql.starts_with(crate::service::search::MARK) {
            inner.fetch_add(1, Ordering::Relaxed);
        }
    });
    Ok((db, counter))
}

/// Connections per server: `DUDAO_DB_CONNECTIONS` (1–200), else 4 on SQLite and 16 on
/// PostgreSQL. Several servers on one PostgreSQL share its `max_connections`, so each
/// server's pool must be set to its share.
fn pool_size(is_sqlite: bool) -> u32 {
    std::env::var("DUDAO_DB_CONNECTIONS")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| (1..=200).contains(n))
        .unwrap_or(if is_sqlite { 4 } else { 16 })
}

/// Begins a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`), waiting up to the busy timeout for it: a deferred transaction that
/// reads first and writes later cannot wait for the lock when another writer got in
/// meanwhile (`SQLITE_BUSY_SNAPSHOT`, "database is locked" at once, whatever the timeout),
/// which answered ordinary parallel edits of different rows with errors. PostgreSQL takes
/// row locks as it goes and ignores the mode. Every service transaction that writes
/// starts here *(tidy)*.
pub async fn write_txn<C: sea_orm::TransactionTrait>(
    db: &C,
) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("running database migrations")?;
    // Rows that ship with the product and are built from the domain's rules.
    crate::service::evaluations::ensure_templates(db)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))
        .context("putting the shipped evaluation templates in place")?;
    crate::service::promotion::ensure_rules(db)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))
        .context("putting the shipped promotion rules in place")
}

/// Rows inserted with explicit ids leave PostgreSQL's sequence of `table` behind: move it
/// past the largest id (nothing to do on SQLite). `table` is one of ours, never user text.
pub async fn fix_sequence<C: sea_orm::ConnectionTrait>(
    db: &C,
    table: &str,
) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
        ))
        .await?;
    }
    Ok(())
}
