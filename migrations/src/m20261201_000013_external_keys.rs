//! Keys that other systems know, and alerts a person can work through.
//!
//! Keys:  An ERP or a spreadsheet has the customer number and the
//! employee number, never Dudao's internal ids (which the API does not show): customers
//! get an optional `external_code` and reps an optional `employee_no`, each unique when
//! set (several rows may have none). Imports accept them in place of ids; exports write
//! them.
//!
//! Alerts: overdue payments were one alert per receivable (817k of 913k alerts on the
//! benchmark set). Now there is at most one open overdue-payment alert per customer,
//! holding the total outstanding and, in `items`, how many receivables are overdue; runs
//! update it and resolve it once everything is paid. Receivables get an index by customer
//! for that rule. The open per-receivable alerts are resolved here ("merged"); the next
//! run raises one per customer in their place.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    ExternalCode,
}

#[derive(DeriveIden)]
enum Reps {
    Table,
    EmployeeNo,
}

#[derive(DeriveIden)]
enum Alerts {
    Table,
    Items,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Customers::Table)
                .add_column(
                    ColumnDef::new(Customers::ExternalCode)
                        .string_len(64)
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Reps::Table)
                .add_column(ColumnDef::new(Reps::EmployeeNo).string_len(32).null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_customers_external_code")
                .table(Customers::Table)
                .col(Customers::ExternalCode)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_reps_employee_no")
                .table(Reps::Table)
                .col(Reps::EmployeeNo)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alerts::Table)
                .add_column(ColumnDef::new(Alerts::Items).integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_receivables_customer_due")
                .table(Alias::new("receivables"))
                .col(Alias::new("customer_id"))
                .col(Alias::new("due_on"))
                .col(Alias::new("amount_cents"))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE alerts SET status = 'RESOLVED', \
                 note = '已合并为每个客户一条预警 / merged into one alert per customer', \
                 version = version + 1 \
                 WHERE rule = 'OVERDUE_PAYMENT' AND status IN ('OPEN', 'ACKNOWLEDGED')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alerts::Table)
                .drop_column(Alerts::Items)
                .to_owned(),
        )
        .await?;
        for (index, table) in [
            ("ux_customers_external_code", "customers"),
            ("ux_reps_employee_no", "reps"),
            ("idx_receivables_customer_due", "receivables"),
        ] {
            m.drop_index(
                Index::drop()
                    .name(index)
                    .table(Alias::new(table))
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Customers::Table)
                .drop_column(Customers::ExternalCode)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Reps::Table)
                .drop_column(Reps::EmployeeNo)
                .to_owned(),
        )
        .await
    }
}
