//! The keys a file may give a reference by (`resolve_keys`): an internal id, the API's
//! opaque id, or another system's code (a customer's ERP number, a rep's employee number),
//! and the look-up of the ids the rows then use.

use std::collections::{HashMap, HashSet};

use sea_orm::ConnectionTrait;

use super::sheet::Sheet;
use super::write::{Cell, existing, values_statement};
use crate::error::AppResult;

/// Another system's key for a reference: the file's column, and where it is looked up
/// (`table.column`).
pub(super) struct Code {
    column: &'static str,
    table: &'static str,
    table_column: &'static str,
}

/// A reference column of an import and the keys it may be given by: the internal id or
/// the API's opaque id in `id`, or another system's key in `code`.
pub(super) struct KeyColumn {
    id: &'static str,
    code: Option<Code>,
    /// The API id types the column accepts.
    api_kinds: &'static [&'static str],
    what: (&'static str, &'static str),
}

/// The other system's key column that may stand in for the reference column `id`.
pub(super) fn code_column(keys: &[KeyColumn], id: &str) -> Option<&'static str> {
    keys.iter()
        .find(|k| k.id == id)
        .and_then(|k| k.code.as_ref())
        .map(|c| c.column)
}

/// The owner of a customer, by id or employee number.
pub(super) const OWNER: KeyColumn = KeyColumn {
    id: "owner_rep_id",
    code: Some(Code {
        column: "owner_employee_no",
        table: "reps",
        table_column: "employee_no",
    }),
    api_kinds: &["Rep"],
    what: ("销售代表", "rep"),
};
/// The customer of an order or opportunity, by id or ERP number.
pub(super) const CUSTOMER: KeyColumn = KeyColumn {
    id: "customer_id",
    code: Some(Code {
        column: "customer_code",
        table: "customers",
        table_column: "external_code",
    }),
    api_kinds: &["Customer"],
    what: ("客户", "customer"),
};
/// The rep of an order or opportunity, by id or employee number.
pub(super) const REP: KeyColumn = KeyColumn {
    id: "rep_id",
    code: Some(Code {
        column: "rep_employee_no",
        table: "reps",
        table_column: "employee_no",
    }),
    api_kinds: &["Rep"],
    what: ("销售代表", "rep"),
};
/// The order a payment is for, by id.
pub(super) const ORDER: KeyColumn = KeyColumn {
    id: "order_id",
    code: None,
    api_kinds: &["Order"],
    what: ("订单", "order"),
};
/// The region or rep a target is for, by id.
pub(super) const SCOPE: KeyColumn = KeyColumn {
    id: "scope_id",
    code: None,
    api_kinds: &["Region", "Rep"],
    what: ("范围", "scope"),
};

/// Turns every reference of `sheet` into an internal id, in place: an API id is decoded,
/// a code (when the id cell is empty) looked up in one bound query per 500 codes. A code
/// column alone gets its id column added. Answers the lines whose key is unknown, with why.
pub(super) async fn resolve_keys<C: ConnectionTrait>(
    db: &C,
    keys: &[KeyColumn],
    sheet: &mut Sheet,
) -> AppResult<Vec<(usize, String)>> {
    let mut errors = Vec::new();
    let col_of = |header: &[String], name: &str| {
        header.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    for key in keys {
        let code_name = key.code.as_ref().map_or(key.id, |c| c.column);
        let code_at = key
            .code
            .as_ref()
            .and_then(|c| col_of(&sheet.header, c.column));
        let id_at = match (col_of(&sheet.header, key.id), code_at) {
            (Some(i), _) => i,
            (None, Some(_)) => {
                sheet.header.push(key.id.to_owned());
                sheet.header.len() - 1
            }
            (None, None) => continue,
        };
        let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
        for (n, (line, cells)) in sheet.rows.iter_mut().enumerate() {
            if cells.len() <= id_at {
                cells.resize(id_at + 1, String::new());
            }
            let id = cells[id_at].trim().to_owned();
            if !id.is_empty() {
                if id.parse::<i32>().is_err()
                    && let Some((k, n)) = crate::service::global_id(&id)
                    && key.api_kinds.contains(&k.as_str())
                {
                    cells[id_at] = n.to_string();
                }
                continue;
            }
            let Some(code) = code_at
                .and_then(|c| cells.get(c))
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            match dudao_domain::external_code("code", Some(&code), 64) {
                Ok(_) => wanted.entry(code).or_default().push(n),
                Err(_) => errors.push((
                    *line,
                    format!("{}: 不是有效的编码 / not a valid code: {code}", code_name),
                )),
            }
        }
        let Some(code) = key.code.as_ref().filter(|_| !wanted.is_empty()) else {
            continue;
        };
        let codes: Vec<String> = wanted.keys().cloned().collect();
        let mut found: HashMap<String, i32> = HashMap::new();
        for chunk in codes.chunks(500) {
            let rows: Vec<Vec<Cell>> = chunk.iter().map(|c| vec![Cell::Text(c.clone())]).collect();
            let sql = format!(
                "SELECT {code}, id FROM {table} WHERE {code} IN (VALUES",
                code = code.table_column,
                table = code.table
            );
            let stmt = values_statement(db.get_database_backend(), &sql, &rows, ")");
            for r in db.query_all_raw(stmt).await? {
                found.insert(
                    r.try_get_by_index::<String>(0)?,
                    r.try_get_by_index::<i32>(1)?,
                );
            }
        }
        for (code, at) in wanted {
            match found.get(&code) {
                Some(id) => {
                    for n in at {
                        if let Some((_, cells)) = sheet.rows.get_mut(n) {
                            cells[id_at] = id.to_string();
                        }
                    }
                }
                None => {
                    for n in at {
                        if let Some((line, _)) = sheet.rows.get(n) {
                            errors.push((
                                *line,
                                format!(
                                    "{col}: {zh} {code} 不存在 / no {en} with {col} {code}",
                                    col = code_name,
                                    zh = key.what.0,
                                    en = key.what.1
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(errors)
}
/// The customers and reps that the rows of an order or opportunity file name and that
/// exist, looked up in one statement per table.
pub(super) struct CustomersAndReps {
    customers: HashMap<i32, i32>,
    reps: HashMap<i32, i32>,
}

impl CustomersAndReps {
    pub(super) async fn look_up<C: ConnectionTrait>(
        db: &C,
        pairs: impl Iterator<Item = (i32, i32)>,
    ) -> AppResult<CustomersAndReps> {
        let (mut customers, mut reps) = (HashSet::new(), HashSet::new());
        for (customer, rep) in pairs {
            customers.insert(customer);
            reps.insert(rep);
        }
        let reps = existing(db, "reps", "id", &reps).await?;
        let customers = existing(db, "customers", "id", &customers).await?;
        Ok(CustomersAndReps { customers, reps })
    }

    /// Why a row naming `customer` and `rep` refers to nothing (its customer first).
    pub(super) fn missing(&self, customer: i32, rep: i32) -> Option<String> {
        if !self.customers.contains_key(&customer) {
            Some(format!(
                "customer_id: 客户 {customer} 不存在 / no customer {customer}"
            ))
        } else if !self.reps.contains_key(&rep) {
            Some(format!("rep_id: 销售代表 {rep} 不存在 / no rep {rep}"))
        } else {
            None
        }
    }
}
