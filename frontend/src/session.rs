//! The signed-in session: tokens in localStorage, refreshed when the access token expires.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use crate::api::{self, Refresh, refresh};

const ACCESS: &str = "dudao.access";
const REFRESH: &str = "dudao.refresh";

pub fn access_token() -> Option<String> {
    LocalStorage::get(ACCESS).ok()
}

pub fn refresh_token() -> Option<String> {
    LocalStorage::get(REFRESH).ok()
}

pub fn store(access: &str, refresh: &str) {
    let _ = LocalStorage::set(ACCESS, access);
    let _ = LocalStorage::set(REFRESH, refresh);
    bump();
}

pub fn clear() {
    LocalStorage::delete(ACCESS);
    LocalStorage::delete(REFRESH);
}

thread_local! {
    static VERSION: std::cell::Cell<Option<RwSignal<u32>>> = const { std::cell::Cell::new(None) };
}

/// Registers the signal that session changes bump (called once by the app shell).
pub fn install(version: RwSignal<u32>) {
    VERSION.with(|v| v.set(Some(version)));
}

fn bump() {
    if let Some(v) = VERSION.with(|v| v.get()) {
        v.update(|n| *n += 1);
    }
}

/// The refresh token was refused: forget the session; the shell shows the sign-in page.
pub fn expire() {
    clear();
    bump();
}

thread_local! {
    /// The refresh in flight, shared: when the access token expires, a page's parallel
    /// requests all fail at once, and each would send the same refresh token. The server
    /// would take the second use as theft. The first starts the refresh; the others wait
    /// for its answer.
    static IN_FLIGHT: std::cell::RefCell<Option<futures::future::Shared<futures::future::LocalBoxFuture<'static, bool>>>> =
        const { std::cell::RefCell::new(None) };
}

/// Trades the refresh token for new tokens, once however many callers ask at the same
/// time. Answers whether that worked. `failed_with` is the access token the caller's
/// request was refused with: when another refresh has already replaced it, there is
/// nothing to refresh, only to retry.
pub async fn refresh(failed_with: Option<String>) -> bool {
    use futures::FutureExt;
    if access_token().is_some() && access_token() != failed_with {
        return true;
    }
    let mut started = false;
    let shared = IN_FLIGHT.with(|f| {
        f.borrow_mut()
            .get_or_insert_with(|| {
                started = true;
                refresh_once().boxed_local().shared()
            })
            .clone()
    });
    let ok = shared.await;
    if started {
        IN_FLIGHT.with(|f| f.borrow_mut().take());
    }
    ok
}

async fn refresh_once() -> bool {
    let Some(token) = refresh_token() else {
        return false;
    };
    match api::anonymous::<Refresh>(refresh::Variables { token }).await {
        Ok(data) => {
            let p = data.refresh_token;
            let _ = LocalStorage::set(ACCESS, &p.access_token);
            let _ = LocalStorage::set(REFRESH, &p.refresh_token);
            true
        }
        Err(_) => false,
    }
}
