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

/// Trades the refresh token for new tokens. Answers whether that worked.
pub async fn refresh() -> bool {
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
