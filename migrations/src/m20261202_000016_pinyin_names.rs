//! Names sort by pinyin (`ORDER BY name COLLATE pinyin`, see `dudao_domain::collate`).
//! PostgreSQL gets the collation from ICU; SQLite has it from the server, which registers
//! it on every connection. Each list sorted by name gets an index in that order, so the
//! first page of 300,000 customers by name reads 25 index entries, not a sort of all.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 4] = ["customers", "reps", "users", "regions"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "CREATE COLLATION IF NOT EXISTS pinyin (provider = icu, locale = 'zh-u-co-pinyin')",
            )
            .await?;
        }
        db.execute_unprepared("DROP INDEX IF EXISTS idx_customers_name")
            .await?;
        for t in TABLES {
            db.execute_unprepared(&format!(
                "CREATE INDEX IF NOT EXISTS idx_{t}_name_pinyin ON {t} (name COLLATE pinyin, id)"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for t in TABLES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS idx_{t}_name_pinyin"))
                .await?;
        }
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS idx_customers_name ON customers (name)")
            .await?;
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("DROP COLLATION IF EXISTS pinyin")
                .await?;
        }
        Ok(())
    }
}
