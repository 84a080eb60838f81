//! The audit trail: every write records who, what, when, and the row before and after,
//! in the same transaction as the write itself.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;

use crate::entity::audit_log;
use crate::error::AppResult;

pub async fn record<C: ConnectionTrait, B: Serialize, A: Serialize>(
    db: &C,
    actor: Option<i32>,
    action: &str,
    entity: &str,
    entity_id: i32,
    before: Option<&B>,
    after: Option<&A>,
) -> AppResult<()> {
    audit_log::ActiveModel {
        actor_user_id: Set(actor),
        action: Set(action.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        before: Set(before.and_then(|v| serde_json::to_string(v).ok())),
        after: Set(after.and_then(|v| serde_json::to_string(v).ok())),
        at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
