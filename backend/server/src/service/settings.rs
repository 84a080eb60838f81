//! Server-wide settings kept in the database, so that several stateless servers on one
//! database agree (for example the token-signing secret).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::entity::setting;
use crate::error::{AppError, AppResult};

/// Returns the value of `key`, first storing `init()` if it has none. Safe under races:
/// the first writer wins and everyone reads the stored value back.
pub async fn get_or_init<C: ConnectionTrait>(
    db: &C,
    key: &str,
    init: impl FnOnce() -> String,
) -> AppResult<String> {
    if let Some(row) = setting::Entity::find_by_id(key.to_owned()).one(db).await? {
        return Ok(row.value);
    }
    let _ = setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(init()),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(db)
    .await?;
    setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|r| r.value)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("setting {key} vanished")))
}

pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Every setting whose key starts with `prefix`, as (key, value).
pub async fn with_prefix<C: ConnectionTrait>(
    db: &C,
    prefix: &str,
) -> AppResult<Vec<(String, String)>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(setting::Entity::find()
        .filter(setting::Column::Key.starts_with(prefix))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.key, r.value))
        .collect())
}

/// Stores settings (insert or replace) in one transaction, audited with the values
/// before and after.
pub async fn put(
    db: &sea_orm::DatabaseConnection,
    viewer: &dudao_domain::Viewer,
    pairs: &[(&str, String)],
) -> AppResult<()> {
    let txn = crate::db::write_txn(db).await?;
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    for (key, value) in pairs {
        if let Some(r) = setting::Entity::find_by_id((*key).to_owned())
            .one(&txn)
            .await?
        {
            before.insert((*key).to_owned(), r.value.into());
        }
        after.insert((*key).to_owned(), value.clone().into());
        setting::Entity::insert(setting::ActiveModel {
            key: Set((*key).to_owned()),
            value: Set(value.clone()),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    }
    super::audit::record(
        &txn,
        Some(viewer.user_id),
        "update",
        "settings",
        0,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
