//! A supervisor's 述职 report (seed 000: "自我评估由督导提交述职报告，总结工作亮点与改进计划"):
//! the SELF input of an evaluation carries, beside its score and comment, the work's
//! highlights and the plan for improvement. Stored on the invitation the SELF input
//! answers (`evaluation_invitations`), null for every other group.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EvaluationInvitations {
    Table,
    Highlights,
    ImprovementPlan,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for col in [
            EvaluationInvitations::Highlights,
            EvaluationInvitations::ImprovementPlan,
        ] {
            m.alter_table(
                Table::alter()
                    .table(EvaluationInvitations::Table)
                    .add_column(text_null(col))
                    .take(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            EvaluationInvitations::Highlights,
            EvaluationInvitations::ImprovementPlan,
        ] {
            m.alter_table(
                Table::alter()
                    .table(EvaluationInvitations::Table)
                    .drop_column(col)
                    .take(),
            )
            .await?;
        }
        Ok(())
    }
}
