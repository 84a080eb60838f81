//! Paging rules shared by every list: at most [`MAX_PAGE`] rows, default [`DEFAULT_PAGE`].

pub const DEFAULT_PAGE: u64 = 20;
pub const MAX_PAGE: u64 = 100;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("first must be between 0 and {MAX_PAGE}, got {0}")]
    TooLarge(i64),
}

/// Validates the requested page size.
pub fn page_size(first: Option<i64>) -> Result<u64, PageError> {
    match first {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (0..=MAX_PAGE as i64).contains(&n) => Ok(n as u64),
        Some(n) => Err(PageError::TooLarge(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_defaults_and_bounds() {
        assert_eq!(page_size(None), Ok(20));
        assert_eq!(page_size(Some(0)), Ok(0));
        assert_eq!(page_size(Some(100)), Ok(100));
        assert_eq!(page_size(Some(101)), Err(PageError::TooLarge(101)));
        assert_eq!(page_size(Some(-1)), Err(PageError::TooLarge(-1)));
    }
}
