//! Importing customers: name, industry and owner, with an optional ERP number that no
//! other customer (in the file or the database) may have.

use std::collections::{HashMap, HashSet};

use sea_orm::DatabaseTransaction;

use super::keys::{self, KeyColumn};
use super::sheet::Row;
use super::write::{Cell, existing, insert_rows, taken_codes};
use super::{Batch, ImportKind, Kind};
use crate::error::AppResult;

pub(super) struct Customers;

pub(super) struct Customer {
    name: String,
    industry: String,
    owner: i32,
    city: Option<String>,
    address: Option<String>,
    code: Option<String>,
}

pub(super) struct Found {
    /// Codes of the file that other customers already have.
    taken: HashSet<String>,
    reps: HashMap<i32, i32>,
}

impl ImportKind for Customers {
    const KIND: Kind = Kind::Customers;
    const COLUMNS: &'static [&'static str] = &[
        "name*",
        "industry*",
        "owner_rep_id*",
        "city",
        "address",
        "external_code",
    ];
    const KEYS: &'static [KeyColumn] = &[keys::OWNER];
    type Record = Customer;
    type Key = String;
    type Found = Found;

    fn parse(&self, r: &Row<'_>) -> Result<Customer, String> {
        let name = r.required_text("name", 200)?;
        let industry = r.required_text("industry", 100)?;
        let owner = r.id("owner_rep_id")?;
        let code = dudao_domain::external_code("external_code", r.get("external_code"), 64)
            .map_err(|e| e.to_string())?;
        let city = r.text("city", 100)?;
        let address = r.text("address", 300)?;
        Ok(Customer {
            name,
            industry,
            owner,
            city,
            address,
            code,
        })
    }

    fn unique_key(&self, c: &Customer) -> Option<String> {
        c.code.clone()
    }

    fn duplicate(&self, c: &Customer) -> String {
        format!(
            "external_code: 文件中重复 / appears twice in the file: {}",
            c.code.as_deref().unwrap_or_default()
        )
    }

    async fn look_up(
        &self,
        txn: &DatabaseTransaction,
        records: &[(usize, Customer)],
    ) -> AppResult<Found> {
        let codes: HashSet<String> = records.iter().filter_map(|(_, c)| c.code.clone()).collect();
        let taken = taken_codes(txn, "customers", "external_code", &codes).await?;
        let reps: HashSet<i32> = records.iter().map(|(_, c)| c.owner).collect();
        let reps = existing(txn, "reps", "id", &reps).await?;
        Ok(Found { taken, reps })
    }

    fn check(&self, records: &[(usize, Customer)], found: &Found) -> Vec<(usize, String)> {
        let mut errors = Vec::new();
        for (line, c) in records {
            if let Some(code) = c.code.as_ref().filter(|c| found.taken.contains(*c)) {
                errors.push((
                    *line,
                    format!("external_code: 已被其他客户使用 / already another customer's: {code}"),
                ));
            }
        }
        for (line, c) in records {
            if !found.reps.contains_key(&c.owner) {
                errors.push((
                    *line,
                    format!(
                        "owner_rep_id: 销售代表 {} 不存在 / no rep {}",
                        c.owner, c.owner
                    ),
                ));
            }
        }
        errors
    }

    async fn write(
        &self,
        txn: &DatabaseTransaction,
        batch: &mut Batch<'_>,
        records: Vec<(usize, Customer)>,
        _found: Found,
    ) -> AppResult<()> {
        let values: Vec<Vec<Cell>> = records
            .into_iter()
            .map(|(_, c)| {
                vec![
                    Cell::Text(c.name),
                    Cell::Int(i64::from(c.owner)),
                    Cell::Text(c.industry),
                    Cell::OptText(c.city),
                    Cell::OptText(c.address),
                    Cell::OptText(c.code),
                    Cell::Int(1),
                    Cell::Time(batch.created),
                    Cell::Time(batch.created),
                ]
            })
            .collect();
        insert_rows(
            txn,
            "INSERT INTO customers (name, owner_rep_id, industry, city, address, external_code, version, created_at, updated_at)",
            &values,
            batch.progress,
            "customers",
            &mut batch.done,
            batch.total,
        )
        .await
    }
}
