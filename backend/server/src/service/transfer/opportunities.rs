//! Importing opportunities, with the stage history the funnel reads (every step up to
//! the current one, and the closing step), ids assigned under a table lock, and the
//! monthly sums of the new rows added.

use chrono::NaiveDate;
use dudao_domain::transfer::{check_opportunity, stages_reached};
use sea_orm::DatabaseTransaction;

use super::keys::{self, CustomersAndReps, KeyColumn};
use super::sheet::Row;
use super::write::{Cell, insert_rows, lock, next_id};
use super::{Batch, ImportKind, Kind};
use crate::error::AppResult;

pub(super) struct Opportunities;

pub(super) struct Opportunity {
    customer: i32,
    rep: i32,
    name: String,
    amount: i64,
    /// Upper-cased, and a stage of the funnel or `WON` / `LOST`.
    stage: String,
    created_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    lost_reason: Option<String>,
}

impl ImportKind for Opportunities {
    const KIND: Kind = Kind::Opportunities;
    const COLUMNS: &'static [&'static str] = &[
        "customer_id*",
        "rep_id*",
        "name*",
        "amount*",
        "stage*",
        "created_on*",
        "closed_on",
        "lost_reason",
    ];
    const KEYS: &'static [KeyColumn] = &[keys::CUSTOMER, keys::REP];
    type Record = Opportunity;
    type Key = ();
    type Found = CustomersAndReps;

    fn parse(&self, r: &Row<'_>) -> Result<Opportunity, String> {
        let customer = r.id("customer_id")?;
        let rep = r.id("rep_id")?;
        let name = r.required_text("name", 200)?;
        let amount = r.money("amount")?;
        let stage = r.required("stage")?.to_uppercase();
        let created_on = r.date("created_on")?;
        let closed_on = r.date_opt("closed_on")?;
        let lost_reason = r.text("lost_reason", 200)?;
        check_opportunity(&stage, created_on, closed_on, lost_reason.as_deref())?;
        Ok(Opportunity {
            customer,
            rep,
            name,
            amount,
            stage,
            created_on,
            closed_on,
            lost_reason,
        })
    }

    async fn look_up(
        &self,
        txn: &DatabaseTransaction,
        records: &[(usize, Opportunity)],
    ) -> AppResult<CustomersAndReps> {
        CustomersAndReps::look_up(txn, records.iter().map(|(_, o)| (o.customer, o.rep))).await
    }

    fn check(
        &self,
        records: &[(usize, Opportunity)],
        found: &CustomersAndReps,
    ) -> Vec<(usize, String)> {
        records
            .iter()
            .filter_map(|(line, o)| Some((*line, found.missing(o.customer, o.rep)?)))
            .collect()
    }

    async fn write(
        &self,
        txn: &DatabaseTransaction,
        batch: &mut Batch<'_>,
        records: Vec<(usize, Opportunity)>,
        _found: CustomersAndReps,
    ) -> AppResult<()> {
        lock(txn, &["opportunities"]).await?;
        let first = next_id(txn, "opportunities").await?;
        let mut opps = Vec::with_capacity(records.len());
        let mut stages = Vec::new();
        for (id, (_, o)) in (first..).zip(records) {
            // The stage history the funnel reads: every step up to the current one.
            for f in stages_reached(&o.stage) {
                stages.push(vec![
                    Cell::Int(i64::from(id)),
                    Cell::Text((*f).to_owned()),
                    Cell::Date(o.created_on),
                ]);
            }
            if let Some(c) = o.closed_on {
                stages.push(vec![
                    Cell::Int(i64::from(id)),
                    Cell::Text(o.stage.clone()),
                    Cell::Date(c),
                ]);
            }
            opps.push(vec![
                Cell::Int(i64::from(id)),
                Cell::Int(i64::from(o.customer)),
                Cell::Int(i64::from(o.rep)),
                Cell::Text(o.name),
                Cell::Int(o.amount),
                Cell::Text(o.stage),
                Cell::Date(o.created_on),
                Cell::OptDate(o.closed_on),
                Cell::OptText(o.lost_reason),
            ]);
        }
        insert_rows(
            txn,
            "INSERT INTO opportunities (id, customer_id, rep_id, name, amount_cents, stage, created_on, closed_on, lost_reason)",
            &opps,
            batch.progress,
            "opportunities",
            &mut batch.done,
            batch.total,
        )
        .await?;
        let mut s_done = 0;
        insert_rows(
            txn,
            "INSERT INTO opportunity_stages (opportunity_id, stage, moved_on)",
            &stages,
            &|_, _, _| {},
            "stages",
            &mut s_done,
            stages.len(),
        )
        .await?;
        crate::db::fix_sequence(txn, "opportunities").await?;
        crate::service::rollups::add_opportunities(txn, i64::from(first)).await
    }
}
