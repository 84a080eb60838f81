//! Coaching entries made offline: the request bodies of `logCoachingSession`, kept on the
//! device (localStorage) before they are sent, each with the `clientKey` that makes the
//! server store it once. The shell sends what waits when the network returns, whichever
//! page is open, through `pages::lazy::send_outbox` (this code comes with the daily-work
//! module, not the first load).

use gloo_storage::Storage;

use crate::api::ApiError;

/// Where entries made offline wait: the request bodies, each with its idempotency key.
const OUTBOX: &str = crate::COACHING_OUTBOX;

/// One waiting entry, stored as plain JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The entry's `clientKey`: the server stores it once, however often it is sent.
    pub key: String,
    pub body: serde_json::Value,
    /// What the list shows while it waits.
    pub rep: String,
    pub date: String,
    /// The last answer that was not "no network" (it then waits for the user).
    pub error: Option<String>,
}

impl Pending {
    fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("key".into(), self.key.clone().into());
        m.insert("body".into(), self.body.clone());
        m.insert("rep".into(), self.rep.clone().into());
        m.insert("date".into(), self.date.clone().into());
        if let Some(e) = &self.error {
            m.insert("error".into(), e.clone().into());
        }
        serde_json::Value::Object(m)
    }

    fn from_json(v: &serde_json::Value) -> Option<Pending> {
        let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        Some(Pending {
            key: text("key")?,
            body: v.get("body")?.clone(),
            rep: text("rep").unwrap_or_default(),
            date: text("date").unwrap_or_default(),
            error: text("error"),
        })
    }
}

pub fn outbox() -> Vec<Pending> {
    gloo_storage::LocalStorage::raw()
        .get_item(OUTBOX)
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| {
            v.as_array()
                .map(|a| a.iter().filter_map(Pending::from_json).collect())
        })
        .unwrap_or_default()
}

fn save_outbox(items: &[Pending]) {
    let store = gloo_storage::LocalStorage::raw();
    if items.is_empty() {
        let _ = store.remove_item(OUTBOX);
    } else {
        let all = serde_json::Value::Array(items.iter().map(Pending::to_json).collect());
        let _ = store.set_item(OUTBOX, &all.to_string());
    }
    crate::outbox_changed();
}

pub fn update_outbox(f: impl FnOnce(&mut Vec<Pending>)) {
    let mut items = outbox();
    f(&mut items);
    save_outbox(&items);
}

/// How one attempt to send an entry ended.
pub enum Sent {
    Stored(String),
    Offline,
    Refused(ApiError),
}

/// Sends one waiting entry. Stored: it leaves the outbox. No network: it stays. Refused
/// (bad input, no longer allowed): it stays with the error until the user discards it.
pub async fn send(p: &Pending) -> Sent {
    match crate::api::call_raw(&p.body).await {
        Ok(d) => {
            update_outbox(|items| items.retain(|i| i.key != p.key));
            let id = d
                .pointer("/logCoachingSession/id")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            Sent::Stored(id)
        }
        Err(e) if e.code == "NETWORK" => Sent::Offline,
        Err(e) => {
            let message = e.message.clone();
            update_outbox(|items| {
                for i in items.iter_mut().filter(|i| i.key == p.key) {
                    i.error = Some(message.clone());
                }
            });
            Sent::Refused(e)
        }
    }
}

/// Sends every waiting entry that has not been refused (the shell calls this when the
/// browser is back online and when the app starts).
pub async fn flush() {
    for p in outbox().into_iter().filter(|p| p.error.is_none()) {
        if let Sent::Offline = send(&p).await {
            break;
        }
    }
}
