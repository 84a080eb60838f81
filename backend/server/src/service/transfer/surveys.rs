//! Importing satisfaction surveys: each belongs to its customer's owner rep at the time
//! of the import; the monthly sums of the new rows are added, and the low-satisfaction
//! rule runs on them at its next run.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseTransaction, Statement};

use super::keys::{self, KeyColumn};
use super::sheet::Row;
use super::write::{Cell, insert_rows, lock, next_id};
use super::{Batch, ImportKind, Kind};
use crate::error::AppResult;

pub(super) struct Surveys;

pub(super) struct Survey {
    customer: i32,
    surveyed_on: NaiveDate,
    score: i64,
    comment: Option<String>,
}

impl ImportKind for Surveys {
    const KIND: Kind = Kind::Surveys;
    const COLUMNS: &'static [&'static str] = &["customer_id*", "surveyed_on*", "score*", "comment"];
    const KEYS: &'static [KeyColumn] = &[keys::CUSTOMER];
    type Record = Survey;
    type Key = ();
    /// Each customer's owner rep.
    type Found = HashMap<i32, i32>;

    fn parse(&self, r: &Row<'_>) -> Result<Survey, String> {
        let surveyed_on = r.date("surveyed_on")?;
        if surveyed_on > crate::clock::today() {
            return Err("surveyed_on: 不能是将来的日期 / cannot be in the future".into());
        }
        let raw = r.required("score")?;
        let score = raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (0..=10).contains(s))
            .ok_or_else(|| {
                format!("score: {raw:?} 应为 0 到 10 的整数 / must be a whole number from 0 to 10")
            })?;
        Ok(Survey {
            customer: r.id("customer_id")?,
            surveyed_on,
            score,
            comment: r.text("comment", 2000)?,
        })
    }

    async fn look_up(
        &self,
        txn: &DatabaseTransaction,
        records: &[(usize, Survey)],
    ) -> AppResult<HashMap<i32, i32>> {
        let ids: HashSet<i32> = records.iter().map(|(_, s)| s.customer).collect();
        let all: Vec<i32> = ids.into_iter().collect();
        let mut out = HashMap::new();
        for chunk in all.chunks(5000) {
            let list: Vec<String> = chunk.iter().map(i32::to_string).collect();
            let sql = format!(
                "SELECT id, owner_rep_id FROM customers WHERE id IN ({})",
                list.join(",")
            );
            for r in txn
                .query_all_raw(Statement::from_string(txn.get_database_backend(), sql))
                .await?
            {
                out.insert(r.try_get_by_index::<i32>(0)?, r.try_get_by_index::<i32>(1)?);
            }
        }
        Ok(out)
    }

    fn check(
        &self,
        records: &[(usize, Survey)],
        owner: &HashMap<i32, i32>,
    ) -> Vec<(usize, String)> {
        records
            .iter()
            .filter(|(_, s)| !owner.contains_key(&s.customer))
            .map(|(line, s)| {
                let c = s.customer;
                (
                    *line,
                    format!("customer_id: 客户 {c} 不存在 / no customer {c}"),
                )
            })
            .collect()
    }

    async fn write(
        &self,
        txn: &DatabaseTransaction,
        batch: &mut Batch<'_>,
        records: Vec<(usize, Survey)>,
        owner: HashMap<i32, i32>,
    ) -> AppResult<()> {
        let by = i64::from(batch.viewer.user_id);
        let values: Vec<Vec<Cell>> = records
            .into_iter()
            .filter_map(|(_, s)| {
                let rep = owner.get(&s.customer)?;
                Some(vec![
                    Cell::Int(i64::from(s.customer)),
                    Cell::Int(i64::from(*rep)),
                    Cell::Int(s.score),
                    Cell::Date(s.surveyed_on),
                    Cell::OptText(s.comment),
                    Cell::Text("IMPORT".into()),
                    Cell::Int(by),
                ])
            })
            .collect();
        // Locked, so the ids from `first` on are this import's alone.
        lock(txn, &["surveys"]).await?;
        let first = next_id(txn, "surveys").await?;
        insert_rows(
            txn,
            "INSERT INTO surveys (customer_id, rep_id, score, surveyed_on, comment, source, created_by)",
            &values,
            batch.progress,
            "surveys",
            &mut batch.done,
            batch.total,
        )
        .await?;
        crate::service::rollups::add_surveys(txn, i64::from(first)).await
    }
}
