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
