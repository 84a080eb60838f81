//! An index on `receivables.order_id`: payments are imported against an order's
//! receivable, exports show each order's due date, and deleting or checking an order's
//! foreign keys looks receivables up by order. Found by the benchmark at 3M orders, where
//! each of these scanned the whole table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_receivables_order")
                .table(Alias::new("receivables"))
                .col(Alias::new("order_id"))
                .if_not_exists()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_receivables_order")
                .table(Alias::new("receivables"))
                .to_owned(),
        )
        .await
    }
}
