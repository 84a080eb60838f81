//! One error type for the whole server. Each variant is a stable code of api.md; the GraphQL
//! layer turns it into `extensions.code`. `Internal` never carries its cause to the client.

///
/// It deliberately does not implement `Display`: the only way to show one is
/// [`AppError::message`], which never reveals an internal cause.
#[derive(Debug)]
pub enum AppError {
    Unauthenticated(String),
    Forbidden(String),
    NotFound(String),
    BadInput(String),
    Conflict(String),
    RateLimited(String),
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::BadInput(_) => "BAD_USER_INPUT",
            AppError::Conflict(_) => "CONFLICT",
            AppError::RateLimited(_) => "RATE_LIMITED",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// What the caller is told.
    pub fn message(&self) -> String {
        match self {
            AppError::Unauthenticated(m)
            | AppError::Forbidden(m)
            | AppError::NotFound(m)
            | AppError::BadInput(m)
            | AppError::Conflict(m)
            | AppError::RateLimited(m) => m.clone(),
            AppError::Internal(_) => "内部错误 / internal error".into(),
        }
    }

    /// For the command line and start-up, where the cause may be shown.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            AppError::Internal(e) => e,
            other => anyhow::anyhow!("{} ({})", other.message(), other.code()),
        }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("无权访问 / not allowed".into())
    }

    pub fn unauthenticated() -> Self {
        AppError::Unauthenticated("请先登录 / sign-in required".into())
    }

    pub fn stale(entity: &str) -> Self {
        AppError::Conflict(format!(
            "{entity} 已被他人修改，请刷新后重试 / {entity} was changed by someone else; reload and try again"
        ))
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict("该值已存在 / this value is already taken".into())
            }
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => AppError::BadInput(
                "引用的记录不存在或仍被使用 / a referenced record is missing or still in use"
                    .into(),
            ),
            _ => AppError::Internal(err.into()),
        }
    }
}

impl From<dudao_domain::ValueError> for AppError {
    fn from(err: dudao_domain::ValueError) -> Self {
        AppError::BadInput(err.to_string())
    }
}

impl From<dudao_domain::paging::PageError> for AppError {
    fn from(err: dudao_domain::paging::PageError) -> Self {
        AppError::BadInput(err.to_string())
    }
}
