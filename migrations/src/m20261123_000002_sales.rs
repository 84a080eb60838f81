//! Sales performance facts: orders, receivables and payments, opportunities with their
//! stage history, satisfaction surveys, and targets. Money is integer cents (BIGINT).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    CustomerId,
    RepId,
    OrderedOn,
    AmountCents,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Receivables {
    Table,
    Id,
    OrderId,
    CustomerId,
    RepId,
    DueOn,
    AmountCents,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    ReceivableId,
    PaidOn,
    AmountCents,
}

#[derive(DeriveIden)]
enum Opportunities {
    Table,
    Id,
    CustomerId,
    RepId,
    Name,
    AmountCents,
    Stage,
    CreatedOn,
    ClosedOn,
    LostReason,
}

#[derive(DeriveIden)]
enum OpportunityStages {
    Table,
    Id,
    OpportunityId,
    Stage,
    MovedOn,
}

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    CustomerId,
    RepId,
    Score,
    SurveyedOn,
}

#[derive(DeriveIden)]
enum Targets {
    Table,
    Id,
    Metric,
    ScopeKind,
    ScopeId,
    PeriodKind,
    Year,
    Idx,
    Value,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Reps {
    Table,
    Id,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table).if_not_exists();
    for c in cols {
        stmt.col(Alias::new(*c));
    }
    stmt.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Orders::Table)
                .if_not_exists()
                .col(pk_auto(Orders::Id))
                .col(integer(Orders::CustomerId))
                .col(integer(Orders::RepId))
                .col(date(Orders::OrderedOn))
                .col(big_integer(Orders::AmountCents))
                .col(string_len(Orders::Status, 20).default("CONFIRMED"))
                .col(timestamp_with_time_zone(Orders::CreatedAt))
                .foreign_key(&mut fk(
                    (Orders::Table, Orders::CustomerId),
                    (Customers::Table, Customers::Id),
                ))
                .foreign_key(&mut fk(
                    (Orders::Table, Orders::RepId),
                    (Reps::Table, Reps::Id),
                ))
                .take(),
        )
        .await?;
        // Scorecards aggregate by rep and date; first orders by customer.
        m.create_index(index(
            "idx_orders_rep_date",
            Orders::Table,
            &["rep_id", "ordered_on"],
        ))
        .await?;
        m.create_index(index("idx_orders_date", Orders::Table, &["ordered_on"]))
            .await?;
        m.create_index(index(
            "idx_orders_customer",
            Orders::Table,
            &["customer_id", "ordered_on"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Receivables::Table)
                .if_not_exists()
                .col(pk_auto(Receivables::Id))
                .col(integer(Receivables::OrderId))
                .col(integer(Receivables::CustomerId))
                .col(integer(Receivables::RepId))
                .col(date(Receivables::DueOn))
                .col(big_integer(Receivables::AmountCents))
                .foreign_key(&mut fk(
                    (Receivables::Table, Receivables::OrderId),
                    (Orders::Table, Orders::Id),
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_receivables_rep_due",
            Receivables::Table,
            &["rep_id", "due_on"],
        ))
        .await?;
        m.create_index(index(
            "idx_receivables_due",
            Receivables::Table,
            &["due_on"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Payments::Table)
                .if_not_exists()
                .col(pk_auto(Payments::Id))
                .col(integer(Payments::ReceivableId))
                .col(date(Payments::PaidOn))
                .col(big_integer(Payments::AmountCents))
                .foreign_key(&mut fk(
                    (Payments::Table, Payments::ReceivableId),
                    (Receivables::Table, Receivables::Id),
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_payments_receivable",
            Payments::Table,
            &["receivable_id", "paid_on"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Opportunities::Table)
                .if_not_exists()
                .col(pk_auto(Opportunities::Id))
                .col(integer(Opportunities::CustomerId))
                .col(integer(Opportunities::RepId))
                .col(string_len(Opportunities::Name, 200))
                .col(big_integer(Opportunities::AmountCents))
                .col(string_len(Opportunities::Stage, 20))
                .col(date(Opportunities::CreatedOn))
                .col(date_null(Opportunities::ClosedOn))
                .col(string_len_null(Opportunities::LostReason, 200))
                .foreign_key(&mut fk(
                    (Opportunities::Table, Opportunities::CustomerId),
                    (Customers::Table, Customers::Id),
                ))
                .foreign_key(&mut fk(
                    (Opportunities::Table, Opportunities::RepId),
                    (Reps::Table, Reps::Id),
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_opportunities_rep_closed",
            Opportunities::Table,
            &["rep_id", "closed_on"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(OpportunityStages::Table)
                .if_not_exists()
                .col(pk_auto(OpportunityStages::Id))
                .col(integer(OpportunityStages::OpportunityId))
                .col(string_len(OpportunityStages::Stage, 20))
                .col(date(OpportunityStages::MovedOn))
                .foreign_key(&mut fk(
                    (OpportunityStages::Table, OpportunityStages::OpportunityId),
                    (Opportunities::Table, Opportunities::Id),
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_opportunity_stages_opp",
            OpportunityStages::Table,
            &["opportunity_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Surveys::Table)
                .if_not_exists()
                .col(pk_auto(Surveys::Id))
                .col(integer(Surveys::CustomerId))
                .col(integer(Surveys::RepId))
                .col(integer(Surveys::Score))
                .col(date(Surveys::SurveyedOn))
                .foreign_key(&mut fk(
                    (Surveys::Table, Surveys::CustomerId),
                    (Customers::Table, Customers::Id),
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "idx_surveys_rep_date",
            Surveys::Table,
            &["rep_id", "surveyed_on"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Targets::Table)
                .if_not_exists()
                .col(pk_auto(Targets::Id))
                .col(string_len(Targets::Metric, 20))
                .col(string_len(Targets::ScopeKind, 10))
                // 0 for the company, so that the unique index also holds for it.
                .col(integer(Targets::ScopeId))
                .col(string_len(Targets::PeriodKind, 10))
                .col(integer(Targets::Year))
                .col(integer(Targets::Idx))
                .col(big_integer(Targets::Value))
                .col(integer(Targets::Version).default(1))
                .col(timestamp_with_time_zone(Targets::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "idx_targets_unique",
                Targets::Table,
                &[
                    "metric",
                    "scope_kind",
                    "scope_id",
                    "period_kind",
                    "year",
                    "idx",
                ],
            )
            .unique()
            .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Targets::Table.into_iden(),
            Surveys::Table.into_iden(),
            OpportunityStages::Table.into_iden(),
            Opportunities::Table.into_iden(),
            Payments::Table.into_iden(),
            Receivables::Table.into_iden(),
            Orders::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
