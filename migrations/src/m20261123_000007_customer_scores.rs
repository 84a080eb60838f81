//! Customer scores (客户分层与健康度): each customer's tier, churn warning and health score
//! with the facts behind them, as of the last refresh (the scheduled run and
//! `dudao alerts run`), so that lists can filter 300,000 customers by them cheaply; and the
//! day a customer's decision chain last changed, which the health score reads.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CustomerScores {
    Table,
    CustomerId,
    AsOf,
    SalesYear,
    Tier,
    LastOrderOn,
    OrdersYear,
    SurveySum,
    SurveyCount,
    OpenComplaints,
    ChainChanged,
    ChurnRisk,
    Health,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    DecisionChainChangedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Customers::Table)
                .add_column(date_null(Customers::DecisionChainChangedOn))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CustomerScores::Table)
                .if_not_exists()
                .col(integer(CustomerScores::CustomerId).primary_key())
                .col(date(CustomerScores::AsOf))
                .col(big_integer(CustomerScores::SalesYear))
                .col(string_len(CustomerScores::Tier, 1))
                .col(date_null(CustomerScores::LastOrderOn))
                .col(big_integer(CustomerScores::OrdersYear))
                .col(big_integer(CustomerScores::SurveySum))
                .col(big_integer(CustomerScores::SurveyCount))
                .col(big_integer(CustomerScores::OpenComplaints))
                .col(integer(CustomerScores::ChainChanged))
                .col(integer(CustomerScores::ChurnRisk))
                .col(integer(CustomerScores::Health))
                .foreign_key(
                    ForeignKey::create()
                        .from(CustomerScores::Table, CustomerScores::CustomerId)
                        .to(Customers::Table, Customers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        for (name, col) in [
            ("idx_customer_scores_tier", CustomerScores::Tier),
            ("idx_customer_scores_health", CustomerScores::Health),
            ("idx_customer_scores_churn", CustomerScores::ChurnRisk),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(CustomerScores::Table)
                    .col(col)
                    .if_not_exists()
                    .take(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CustomerScores::Table).take())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Customers::Table)
                .drop_column(Customers::DecisionChainChangedOn)
                .take(),
        )
        .await
    }
}
