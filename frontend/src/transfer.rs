//! Downloads (exports) and uploads (imports) of CSV/XLSX files through the server's
//! `/api/export` and `/api/import` endpoints, with the session's token.

use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::i18n::{pick, t};
use crate::session;

fn network(e: impl std::fmt::Display) -> ApiError {
    ApiError {
        code: "NETWORK".into(),
        message: format!("无法连接服务器 / cannot reach the server ({e})"),
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
}

async fn error_of(resp: gloo_net::http::Response) -> ApiError {
    match resp.json::<ErrorBody>().await {
        Ok(b) => ApiError {
            code: b.code,
            message: b.message,
        },
        Err(e) => network(e),
    }
}

/// Sends a request built by `build` with the access token, refreshing it once.
async fn authorized(
    build: impl Fn(Option<String>) -> Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<gloo_net::http::Response, ApiError> {
    let token = session::access_token();
    let resp = build(token.clone())
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    if resp.status() == 401 && session::refresh(token).await {
        return build(session::access_token())
            .map_err(network)?
            .send()
            .await
            .map_err(network);
    }
    Ok(resp)
}

/// Fetches `path` and saves it as `filename`.
pub async fn download(path: String, filename: String) -> Result<(), ApiError> {
    let resp = authorized(|token| {
        let mut r = gloo_net::http::Request::get(&path);
        if let Some(t) = token {
            r = r.header("Authorization", &format!("Bearer {t}"));
        }
        r.build()
    })
    .await?;
    if !resp.ok() {
        return Err(error_of(resp).await);
    }
    let bytes = resp.binary().await.map_err(network)?;
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| network("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| network("url"))?;
    let a = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| network("document"))?;
    a.set_href(&url);
    a.set_download(&filename);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct RowError {
    pub line: usize,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub rows: usize,
    pub imported: usize,
    pub errors: Vec<RowError>,
    pub error_count: usize,
}

/// Uploads `file` as an import of `kind`; the report lists every bad row.
pub async fn upload(kind: String, file: web_sys::File) -> Result<Report, ApiError> {
    let format = if file.name().to_lowercase().ends_with(".xlsx") {
        "xlsx"
    } else {
        "csv"
    };
    let path = format!("/api/import/{kind}?format={format}");
    let resp = authorized(|token| {
        let mut r = gloo_net::http::Request::post(&path);
        if let Some(t) = token {
            r = r.header("Authorization", &format!("Bearer {t}"));
        }
        r.body(file.clone())
    })
    .await?;
    match resp.status() {
        200 | 422 => resp.json::<Report>().await.map_err(network),
        _ => Err(error_of(resp).await),
    }
}

/// A download's file name: `督导-订单-2026-12-02.xlsx`, `dudao-orders-2026-12-02.xlsx`.
pub fn file_name(kind: &str, lang: crate::i18n::Lang, ext: &str) -> String {
    let day = crate::format::today();
    if lang == crate::i18n::Lang::En {
        return format!("dudao-{kind}-{day}.{ext}");
    }
    let what = match kind {
        "customers" => "客户",
        "orders" => "订单",
        "payments" => "回款",
        "opportunities" => "商机",
        "targets" => "目标",
        "alerts" => "预警",
        "promotion-candidates" => "晋升候选人",
        other => other,
    };
    format!("督导-{what}-{day}.{ext}")
}

/// Downloads the empty file of `kind` to fill in (headers in the current language, a sheet
/// of notes in XLSX).
#[component]
pub fn TemplateButtons(kind: Signal<String>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let go = move |format: &'static str| {
        busy.set(true);
        error.set(None);
        let k = kind.get_untracked();
        let lang = crate::i18n::lang().get_untracked();
        let code = if lang == crate::i18n::Lang::En {
            "en"
        } else {
            "zh"
        };
        let path = format!("/api/import/{k}/template?format={format}&lang={code}");
        let name = if lang == crate::i18n::Lang::En {
            format!("dudao-{k}-template.{format}")
        } else {
            file_name(&k, lang, format).replacen(
                &format!("-{}", crate::format::today()),
                "-模板",
                1,
            )
        };
        leptos::task::spawn_local(async move {
            if let Err(e) = download(path, name).await {
                error.set(Some(e));
            }
            busy.set(false);
        });
    };
    view! {
        <span class="export template">
            <button type="button" class="btn ghost" disabled=move || busy.get() on:click=move |_| go("xlsx")>{move || t("import.templateXlsx")}</button>
            <button type="button" class="btn ghost" disabled=move || busy.get() on:click=move |_| go("csv")>{move || t("import.templateCsv")}</button>
            {move || error.get().map(|e| view! { <span class="form-error" role="alert">{pick(&e.message)}</span> })}
        </span>
    }
}

/// "Export CSV / XLSX" buttons for a list; `query` gives the list's current filters.
#[component]
pub fn ExportButtons(kind: &'static str, query: Signal<String>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let go = move |format: &'static str| {
        busy.set(true);
        error.set(None);
        let q = query.get_untracked();
        let lang = crate::i18n::lang().get_untracked();
        let code = if lang == crate::i18n::Lang::En {
            "en"
        } else {
            "zh"
        };
        // Headers and words in the reader's language; the file named as they would name it.
        let path = format!("/api/export/{kind}?format={format}&lang={code}{q}");
        let name = file_name(kind, lang, format);
        leptos::task::spawn_local(async move {
            if let Err(e) = download(path, name).await {
                error.set(Some(e));
            }
            busy.set(false);
        });
    };
    view! {
        <span class="export">
            <button class="btn ghost" disabled=move || busy.get() on:click=move |_| go("csv")>{move || t("export.csv")}</button>
            <button class="btn ghost" disabled=move || busy.get() on:click=move |_| go("xlsx")>{move || t("export.xlsx")}</button>
            {move || error.get().map(|e| view! { <span class="form-error" role="alert">{pick(&e.message)}</span> })}
        </span>
    }
}
