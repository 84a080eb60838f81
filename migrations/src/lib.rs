//! Dudao's schema, as sea-orm migrations that run unchanged on SQLite and PostgreSQL.
//! A migration, once released, is never edited: add a new one.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_sales;
mod m20261123_000003_alerts;
mod m20261123_000004_receivable_order;
mod m20261123_000005_target_negotiation;
mod m20261123_000006_activity;
mod m20261123_000007_customer_scores;
mod m20261123_000008_first_orders;
mod m20261124_000009_one_pending_proposal;
mod m20261124_000010_payment_due;
mod m20261124_000011_rollups;
mod m20261128_000012_score_indexes;
mod m20261201_000013_external_keys;
mod m20261202_000014_new_customer_months;
mod m20261202_000015_alert_customer_index;
mod m20261202_000016_pinyin_names;
mod m20261203_000017_coaching;
mod m20261204_000018_evaluations;
mod m20261205_000019_reviews_handovers;
mod m20261205_000020_self_report;
mod m20261205_000021_cycle_months;
mod m20261205_000022_promotion_rules;
mod m20261206_000023_knowledge;
mod m20261206_000024_training;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_sales::Migration),
            Box::new(m20261123_000003_alerts::Migration),
            Box::new(m20261123_000004_receivable_order::Migration),
            Box::new(m20261123_000005_target_negotiation::Migration),
            Box::new(m20261123_000006_activity::Migration),
            Box::new(m20261123_000007_customer_scores::Migration),
            Box::new(m20261123_000008_first_orders::Migration),
            Box::new(m20261124_000009_one_pending_proposal::Migration),
            Box::new(m20261124_000010_payment_due::Migration),
            Box::new(m20261124_000011_rollups::Migration),
            Box::new(m20261128_000012_score_indexes::Migration),
            Box::new(m20261201_000013_external_keys::Migration),
            Box::new(m20261202_000014_new_customer_months::Migration),
            Box::new(m20261202_000015_alert_customer_index::Migration),
            Box::new(m20261202_000016_pinyin_names::Migration),
            Box::new(m20261203_000017_coaching::Migration),
            Box::new(m20261204_000018_evaluations::Migration),
            Box::new(m20261205_000019_reviews_handovers::Migration),
            Box::new(m20261205_000020_self_report::Migration),
            Box::new(m20261205_000021_cycle_months::Migration),
            Box::new(m20261205_000022_promotion_rules::Migration),
            Box::new(m20261206_000023_knowledge::Migration),
            Box::new(m20261206_000024_training::Migration),
        ]
    }
}
