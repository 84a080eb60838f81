//! Opaque global ids: `base64url("Type:123")`. Clients must not parse them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{AppError, AppResult};

pub fn encode(kind: &str, id: i32) -> async_graphql::ID {
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// Splits an id into its type name and number.
pub fn parse(id: &str) -> AppResult<(String, i32)> {
    crate::service::global_id(id)
        .ok_or_else(|| AppError::BadInput(format!("{id:?} is not a Dudao id")))
}

/// Decodes an id that must be of type `kind`.
pub fn decode(id: &async_graphql::ID, kind: &str) -> AppResult<i32> {
    let (k, n) = parse(id)?;
    if k != kind {
        return Err(AppError::BadInput(format!(
            "{:?} is not a {kind} id",
            id.as_str()
        )));
    }
    Ok(n)
}

pub fn decode_opt(id: Option<&async_graphql::ID>, kind: &str) -> AppResult<Option<i32>> {
    id.map(|i| decode(i, kind)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_check_their_type() {
        let id = encode("Rep", 12);
        assert_eq!(decode(&id, "Rep").ok(), Some(12));
        assert!(decode(&id, "Customer").is_err());
        assert!(decode(&async_graphql::ID("garbage!".into()), "Rep").is_err());
    }
}
