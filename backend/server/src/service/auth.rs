//! Sign-in: argon2id password hashes, short-lived HS256 access tokens, rotating refresh
//! tokens stored as SHA-256 hashes, and per-account / per-address rate limits kept in the
//! database (so that several servers share them).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use dudao_domain::{Role, Viewer};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set, sea_query::Expr, sea_query::ExprTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::entity::{login_attempt, refresh_token, user};
use crate::error::{AppError, AppResult};

pub const ACCESS_TTL_MINUTES: i64 = 15;
pub const REFRESH_TTL_DAYS: i64 = 30;
/// Failed sign-ins allowed per account, and per address, inside [`RATE_WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u64 = 30;
pub const RATE_WINDOW_MINUTES: i64 = 15;
/// How long a just-rotated refresh token still yields its successor: a page that fires
/// several requests when the access token expires sends the same refresh token several
/// times at once. Presenting it after this window is theft, and revokes the family.
pub const REFRESH_GRACE_SECONDS: i64 = 20;

const WRONG_CREDENTIALS: &str = "邮箱或密码错误 / wrong email or password";

/// Keys for signing and checking access tokens (the algorithm is pinned to HS256), and
/// for deriving a refresh token's successor.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    rotation: std::sync::Arc<[u8]>,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            rotation: secret.into(),
        }
    }

    /// The refresh token that replaces `token`: HMAC-SHA256 under the server secret, so
    /// the same token rotated twice (inside the grace window) yields the same successor
    /// without the server keeping any token in clear.
    fn successor(&self, token: &str) -> AppResult<String> {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.rotation)
            .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
        mac.update(b"dudao refresh rotation\0");
        mac.update(token.as_bytes());
        Ok(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    role: Role,
    iat: i64,
    exp: i64,
    iss: String,
    /// The refresh-token family (the sign-in) this access token belongs to: when no live
    /// refresh token of it is left (logout, password change, deactivation), the access
    /// token stops working too.
    fam: String,
}

const ISSUER: &str = "dudao";

pub struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: user::Model,
}

pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashes off the async runtime: argon2 is built to be slow.
pub async fn hash_password_blocking(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
}

async fn verify_blocking(password: String, hash: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// A well-formed hash of a password nobody has, so an unknown email costs the same time
/// as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not-a-real-password-ever").unwrap_or_default());

pub(crate) fn sha256_hex(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn issue_access_token(
    keys: &TokenKeys,
    user: &user::Model,
    family_id: &str,
) -> AppResult<(String, DateTime<Utc>)> {
    let role: Role = user.role.0;
    let now = Utc::now();
    let exp = now + Duration::minutes(ACCESS_TTL_MINUTES);
    let claims = Claims {
        sub: user.id.to_string(),
        role,
        iat: now.timestamp(),
        exp: exp.timestamp(),
        iss: ISSUER.into(),
        fam: family_id.to_owned(),
    };
    let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok((token, exp))
}

/// What a valid access token says: whose it is, which sign-in it belongs to and the role
/// it was issued with. That role is not trusted: [`authenticate`] reads the account's
/// current one, and a query run ahead with the claimed role is answered only when the
/// two agree (see `http::execute`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSubject {
    pub user_id: i32,
    pub family_id: String,
    pub claimed_role: Role,
}

fn session_expired() -> AppError {
    AppError::Unauthenticated("登录已失效，请重新登录 / session expired, sign in again".into())
}

/// Checks an access token: signature, algorithm (HS256 only), issuer and expiry.
pub fn verify_access_token(keys: &TokenKeys, token: &str) -> AppResult<TokenSubject> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.set_required_spec_claims(&["exp", "sub", "iss"]);
    validation.leeway = 5;
    let data = jsonwebtoken::decode::<Claims>(token, &keys.decoding, &validation)
        .map_err(|_| session_expired())?;
    let user_id = data
        .claims
        .sub
        .parse()
        .map_err(|_| AppError::unauthenticated())?;
    Ok(TokenSubject {
        user_id,
        family_id: data.claims.fam,
        claimed_role: data.claims.role,
    })
}

/// The caller of one request: the token is checked, then the account is read as it is
/// now (one statement): an account that was deactivated, whose password changed or whose
/// sign-in was ended (no live refresh token left in its family) is `UNAUTHENTICATED`, and
/// the role is the account's current one, not the one the token was issued with.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    keys: &TokenKeys,
    token: &str,
) -> AppResult<Viewer> {
    account(db, &verify_access_token(keys, token)?).await
}

/// The caller behind a verified token as the account is now: active, its current role, and
/// a live refresh token left in the token's sign-in. One statement.
pub async fn account<C: ConnectionTrait>(db: &C, subject: &TokenSubject) -> AppResult<Viewer> {
    let live_session = Expr::exists(
        sea_orm::sea_query::Query::select()
            .expr(Expr::val(1))
            .from(refresh_token::Entity)
            .and_where(Expr::col(refresh_token::Column::FamilyId).eq(subject.family_id.as_str()))
            .and_where(Expr::col(refresh_token::Column::UserId).eq(subject.user_id))
            .and_where(Expr::col(refresh_token::Column::RevokedAt).is_null())
            .and_where(Expr::col(refresh_token::Column::ExpiresAt).gt(Utc::now()))
            .to_owned(),
    );
    let role: Option<String> = user::Entity::find_by_id(subject.user_id)
        .select_only()
        .column(user::Column::Role)
        .filter(user::Column::Active.eq(true))
        .filter(live_session)
        .into_tuple()
        .one(db)
        .await?;
    let role = role.ok_or_else(session_expired)?;
    let role: Role = role
        .parse()
        .map_err(|e: dudao_domain::access::UnknownRole| AppError::Internal(e.into()))?;
    Ok(Viewer {
        user_id: subject.user_id,
        role,
    })
}

async fn issue<C: ConnectionTrait>(
    db: &C,
    keys: &TokenKeys,
    user: user::Model,
    family_id: String,
    refresh: String,
) -> AppResult<Issued> {
    let (access_token, expires_at) = issue_access_token(keys, &user, &family_id)?;
    let now = Utc::now();
    refresh_token::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(sha256_hex(&refresh)),
        family_id: Set(family_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(REFRESH_TTL_DAYS)),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Issued {
        access_token,
        refresh_token: refresh,
        expires_at,
        user,
    })
}

async fn recent_failures<C: ConnectionTrait>(
    db: &C,
    column: login_attempt::Column,
    value: &str,
) -> AppResult<u64> {
    let since = Utc::now() - Duration::minutes(RATE_WINDOW_MINUTES);
    Ok(login_attempt::Entity::find()
        .filter(column.eq(value))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::At.gte(since))
        .count(db)
        .await?)
}

/// Signs in. A wrong password and an unknown email answer alike, in about the same time.
///
/// The attempt is written as a failure *before* the password is checked, and only then
/// are failures counted: of any number of parallel attempts, the k-th to be written sees
/// at least k, so no more than the limit are ever checked. A correct password clears the
/// account's failures (this one included); a refused attempt takes its own row back, so
/// being refused does not extend the lock-out.
pub async fn login(
    db: &DatabaseConnection,
    keys: &TokenKeys,
    email: &str,
    password: &str,
    address: &str,
) -> AppResult<Issued> {
    let email = email.trim().to_lowercase();
    let attempt = login_attempt::ActiveModel {
        email: Set(email.clone()),
        address: Set(address.to_owned()),
        succeeded: Set(false),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if recent_failures(db, login_attempt::Column::Email, &email).await? > MAX_FAILURES_PER_ACCOUNT
        || recent_failures(db, login_attempt::Column::Address, address).await?
            > MAX_FAILURES_PER_ADDRESS
    {
        login_attempt::Entity::delete_by_id(attempt.id)
            .exec(db)
            .await?;
        return Err(AppError::RateLimited(format!(
            "尝试次数过多，请 {RATE_WINDOW_MINUTES} 分钟后再试 / too many attempts, try again in {RATE_WINDOW_MINUTES} minutes"
        )));
    }
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let hash = found
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let password_ok = verify_blocking(password.to_owned(), hash).await?;
    let user = match found {
        Some(u) if password_ok && u.active => u,
        _ => return Err(AppError::Unauthenticated(WRONG_CREDENTIALS.into())),
    };
    // A successful sign-in clears the account's failure count (its own row included).
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Email.eq(&email))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .exec(db)
        .await?;
    issue(db, keys, user, random_token(), random_token()).await
}

fn invalid_refresh() -> AppError {
    AppError::Unauthenticated("登录已失效，请重新登录 / session expired, sign in again".into())
}

/// Trades a refresh token for a new pair. The old one is revoked and its successor is
/// derived from it ([`TokenKeys::successor`]): presented again within
/// [`REFRESH_GRACE_SECONDS`] (parallel requests of one page), it yields the same successor
/// and a fresh access token. Presented after that, or after a logout, someone replayed a
/// stolen token: the whole family is revoked.
pub async fn refresh(db: &DatabaseConnection, keys: &TokenKeys, token: &str) -> AppResult<Issued> {
    let txn = crate::db::write_txn(db).await?;
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(&txn)
        .await?
    else {
        return Err(invalid_refresh());
    };
    let now = Utc::now();
    if row.expires_at < now {
        return Err(invalid_refresh());
    }
    let successor = keys.successor(token)?;
    let rotated = if row.revoked_at.is_none() {
        refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
            .filter(refresh_token::Column::Id.eq(row.id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1
    } else {
        false
    };
    let user = user::Entity::find_by_id(row.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.active);
    let Some(user) = user else {
        return Err(invalid_refresh());
    };
    if rotated {
        let issued = issue(&txn, keys, user, row.family_id, successor).await?;
        txn.commit().await?;
        return Ok(issued);
    }
    // Already rotated (by a request of the same page, or by a parallel one that won the
    // row on PostgreSQL): inside the grace window its live successor is the answer.
    let revoked_at = refresh_token::Entity::find_by_id(row.id)
        .one(&txn)
        .await?
        .and_then(|r| r.revoked_at);
    let in_grace =
        revoked_at.is_some_and(|at| now - at <= Duration::seconds(REFRESH_GRACE_SECONDS));
    let next = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(&successor)))
        .filter(refresh_token::Column::FamilyId.eq(&row.family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .one(&txn)
        .await?;
    if in_grace && next.is_some() {
        let (access_token, expires_at) = issue_access_token(keys, &user, &row.family_id)?;
        txn.commit().await?;
        return Ok(Issued {
            access_token,
            refresh_token: successor,
            expires_at,
            user,
        });
    }
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(&row.family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Err(invalid_refresh())
}

/// Revokes one refresh token. Answers whether a live token was revoked.
pub async fn logout(db: &DatabaseConnection, token: &str) -> AppResult<bool> {
    let res = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(token)))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Revokes every refresh token of a user (on deactivation or password change).
pub async fn revoke_all<C: ConnectionTrait>(db: &C, user_id: i32) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> user::Model {
        user::Model {
            id: 42,
            email: "a@b.cn".into(),
            name: "甲".into(),
            role: role.into(),
            password_hash: String::new(),
            active: true,
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn access_tokens_round_trip() {
        let keys = TokenKeys::new(b"secret-one");
        let (token, _) =
            issue_access_token(&keys, &user(Role::Supervisor), "f1").unwrap_or_default();
        let subject = verify_access_token(&keys, &token).ok();
        assert_eq!(
            subject,
            Some(TokenSubject {
                user_id: 42,
                family_id: "f1".into(),
                claimed_role: Role::Supervisor,
            })
        );
    }

    #[test]
    fn tokens_signed_with_another_key_or_algorithm_are_refused() {
        let keys = TokenKeys::new(b"secret-one");
        let (token, _) = issue_access_token(&TokenKeys::new(b"other"), &user(Role::Admin), "f")
            .unwrap_or_default();
        assert!(verify_access_token(&keys, &token).is_err());
        // alg=none: header {"alg":"none"} with the same claims and no signature.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let exp = Utc::now().timestamp() + 600;
        let body = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"1","role":"ADMIN","iat":0,"exp":{exp},"iss":"dudao"}}"#
        ));
        assert!(verify_access_token(&keys, &format!("{header}.{body}.")).is_err());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = TokenKeys::new(b"k");
        let claims = Claims {
            sub: "1".into(),
            role: Role::Admin,
            iat: 0,
            exp: Utc::now().timestamp() - 60,
            iss: ISSUER.into(),
            fam: "f".into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding)
            .unwrap_or_default();
        assert!(verify_access_token(&keys, &token).is_err());
    }

    #[test]
    fn a_token_has_one_successor_per_secret() {
        let a = TokenKeys::new(b"secret-one");
        let b = TokenKeys::new(b"secret-two");
        let s = a.successor("tok").unwrap_or_default();
        assert_eq!(s, a.successor("tok").unwrap_or_default());
        assert_ne!(s, a.successor("tok2").unwrap_or_default());
        assert_ne!(s, b.successor("tok").unwrap_or_default());
        assert_eq!(s.len(), 43);
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("dudao-demo").unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("dudao-demo", &hash));
        assert!(!verify_password("dudao-demO", &hash));
        assert!(!verify_password("dudao-demo", "not a hash"));
    }
}
