//! Offset paging behind opaque cursors, shared by every list.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dudao_domain::paging::page_size;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, EntityName, EntityTrait, PaginatorTrait, QuerySelect, Select};

use crate::error::{AppError, AppResult};

#[derive(Clone, Copy, Debug)]
pub struct PageArgs {
    pub offset: u64,
    pub limit: u64,
}

impl PageArgs {
    pub fn parse(first: Option<i64>, after: Option<&str>) -> AppResult<Self> {
        let limit = page_size(first)?;
        let offset = match after {
            None => 0,
            Some(c) => decode_cursor(c)? + 1,
        };
        Ok(PageArgs { offset, limit })
    }
}

pub struct Page<T> {
    pub rows: Vec<T>,
    pub offset: u64,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn has_next(&self) -> bool {
        self.offset + (self.rows.len() as u64) < self.total
    }
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            rows: self.rows.into_iter().map(f).collect(),
            offset: self.offset,
            total: self.total,
        }
    }
}

const MAX_OFFSET: u64 = 1_000_000_000;

pub fn encode_cursor(offset: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

fn decode_cursor(cursor: &str) -> AppResult<u64> {
    let bad = || AppError::BadInput(format!("after: {cursor:?} is not a cursor of this list"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    // The offset after the cursor's row; no list is a billion rows long, and a bigger
    // number would overflow the +1 or the SQL OFFSET.
    text.strip_prefix("o:")
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| *n < MAX_OFFSET)
        .ok_or_else(bad)
}

/// Runs a filtered, ordered select as one page: a `COUNT` and a `LIMIT/OFFSET` query.
pub async fn fetch<E, C>(db: &C, select: Select<E>, args: PageArgs) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let total = select.clone().count(db).await?;
    let rows = if args.limit == 0 || args.offset >= total {
        Vec::new()
    } else {
        select.offset(args.offset).limit(args.limit).all(db).await?
    };
    Ok(Page {
        rows,
        offset: args.offset,
        total,
    })
}

/// A table's `name` in pinyin order (`dudao_domain::collate`; migration 16 gives each
/// list an index in it): what a list sorted by name orders by.
pub fn by_name<E: EntityName>(entity: E) -> SimpleExpr {
    Expr::cust(format!(
        "\"{}\".\"name\" COLLATE pinyin",
        entity.table_name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = encode_cursor(41);
        assert_eq!(decode_cursor(&c).ok(), Some(41));
        assert!(decode_cursor("nope").is_err());
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("x:1")).is_err());
        let p = PageArgs::parse(Some(10), Some(&c)).ok();
        assert_eq!(p.map(|p| (p.offset, p.limit)), Some((42, 10)));
        assert!(PageArgs::parse(Some(101), None).is_err());
        // The largest u64 would wrap at +1; a billion is past any list.
        for huge in [u64::MAX, 1_000_000_000] {
            let c = URL_SAFE_NO_PAD.encode(format!("o:{huge}"));
            assert!(PageArgs::parse(None, Some(&c)).is_err(), "{huge}");
        }
    }
}
