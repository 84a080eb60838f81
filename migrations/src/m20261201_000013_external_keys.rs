//! Keys that other systems know. An ERP or a spreadsheet has the customer number and the
//! employee number, never Dudao's internal ids (which the API does not show): customers
//! get an optional `external_code` and reps an optional `employee_no`, each unique when
//! set (several rows may have none). Imports accept them in place of ids; exports write
//! them.

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
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (index, table) in [
            ("ux_customers_external_code", "customers"),
            ("ux_reps_employee_no", "reps"),
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
