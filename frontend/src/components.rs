//! Small building blocks shared by the pages: states, paging, sortable headers.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{pick, t};

#[component]
pub fn Loading() -> impl IntoView {
    view! { <div class="state loading" role="status"><span class="spinner"></span>{move || t("loading")}</div> }
}

#[component]
pub fn ErrorBox(error: ApiError, #[prop(optional)] retry: Option<Callback<()>>) -> impl IntoView {
    let ApiError { code, message } = error;
    let forbidden = code == "FORBIDDEN";
    view! {
        <div class="state error" role="alert">
            <strong>{move || if forbidden { t("forbidden") } else { t("error") }}</strong>
            <p>{move || pick(&message)}</p>
            <code class="code">{code}</code>
            {retry.map(|r| view! { <button class="btn" on:click=move |_| r.run(())>{move || t("retry")}</button> })}
        </div>
    }
}

#[component]
pub fn Empty() -> impl IntoView {
    view! {
        <div class="state empty">
            <div class="empty-icon">"∅"</div>
            <strong>{move || t("empty")}</strong>
            <p>{move || t("empty.hint")}</p>
        </div>
    }
}

/// Cursor paging: the cursors of the pages before this one, and the current `after`.
/// A page opened from a URL (`page=3&after=…`) has no cursors before it: `base` says
/// which page it is, and Previous from there returns to the first page.
#[derive(Clone, Copy)]
pub struct Paging {
    pub after: RwSignal<Option<String>>,
    stack: RwSignal<Vec<Option<String>>>,
    base: RwSignal<usize>,
    pub size: i64,
}

impl Paging {
    pub fn new(size: i64) -> Self {
        Paging {
            after: RwSignal::new(None),
            stack: RwSignal::new(Vec::new()),
            base: RwSignal::new(0),
            size,
        }
    }
    /// Back to the first page (after a filter or sort change).
    pub fn reset(&self) {
        self.stack.set(Vec::new());
        self.base.set(0);
        self.after.set(None);
    }
    pub fn next(&self, cursor: Option<String>) {
        let current = self.after.get_untracked();
        self.stack.update(|s| s.push(current));
        self.after.set(cursor);
    }
    pub fn prev(&self) {
        if self.stack.with_untracked(Vec::is_empty) {
            self.reset();
            return;
        }
        let mut prev = None;
        self.stack.update(|s| prev = s.pop());
        self.after.set(prev.flatten());
    }
    /// The page shown, from 0 (reactive).
    pub fn page(&self) -> usize {
        self.base.get() + self.stack.with(Vec::len)
    }
    /// The page as URL parameters: `page` (from 1) and its cursor; none on the first page.
    pub fn url(&self) -> Vec<(&'static str, String)> {
        let page = self.page();
        let after = self.after.get().unwrap_or_default();
        if page == 0 || after.is_empty() {
            vec![("page", String::new()), ("after", String::new())]
        } else {
            vec![("page", (page + 1).to_string()), ("after", after)]
        }
    }
    /// Opens the page a URL names (Back, Forward, a shared link); the first page without one.
    pub fn open_url(&self, q: &leptos_router::params::ParamsMap) {
        let after = q.get("after").filter(|a| !a.is_empty());
        let page = q
            .get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|_| after.is_some())
            .map_or(0, |p| p.saturating_sub(1));
        if after != self.after.get_untracked() || page != self.page_untracked() {
            self.stack.set(Vec::new());
            self.base.set(page);
            self.after.set(after);
        }
    }
    fn page_untracked(&self) -> usize {
        self.base.get_untracked() + self.stack.with_untracked(Vec::len)
    }
}

/// A list's view in its URL: its filters (text signals, "" for none and "1" for a ticked
/// box), its order (`sort_get` / `sort_set`, "" for the default) and its page. Back returns
/// to the previous filters and page, a reload or a shared link shows the same rows.
pub fn list_url_state(
    paging: Paging,
    fields: Vec<(&'static str, RwSignal<String>)>,
    sort_get: impl Fn() -> String + Send + Sync + 'static,
    sort_set: impl Fn(&str) + Send + Sync + 'static,
) {
    let read_fields = fields.clone();
    let sort_now = std::sync::Arc::new(sort_get);
    let sort_read = sort_now.clone();
    url_state(
        move || {
            let mut v: Vec<(&'static str, String)> =
                fields.iter().map(|(k, s)| (*k, s.get())).collect();
            v.push(("sort", sort_now()));
            v.extend(paging.url());
            v
        },
        move |q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            let changed = read_fields.iter().any(|(k, s)| get(k) != s.get_untracked())
                || get("sort") != sort_read();
            if changed {
                for (k, s) in &read_fields {
                    s.set(get(k));
                }
                sort_set(&get("sort"));
            }
            paging.open_url(q);
        },
    );
}

/// One page of a connection, as a list shows it ([`connection!`] fills it in).
pub struct ListPage<R> {
    pub rows: Vec<R>,
    pub total: i64,
    pub has_next: bool,
    pub end_cursor: Option<String>,
}

/// A generated connection (`edges { node }`, `totalCount`, `pageInfo`) as a [`ListPage`].
macro_rules! connection {
    ($c:expr) => {{
        let c = $c;
        $crate::components::ListPage {
            rows: c.edges.into_iter().map(|e| e.node).collect(),
            total: c.total_count,
            has_next: c.page_info.has_next_page,
            end_cursor: c.page_info.end_cursor,
        }
    }};
}
pub(crate) use connection;

/// What every list repeats: loading, an error with a retry, the empty state, the table
/// (its header cells and one row per record; at phone width each row is a compact card,
/// `data-label` naming its cells), and the pager. The lists of the pages are built from
/// it, and so are the pages to come.
#[component]
pub fn ListView<T, R>(
    data: LocalResource<Result<T, ApiError>>,
    /// The page of rows inside the answer.
    page: fn(T) -> ListPage<R>,
    paging: Paging,
    /// The header cells.
    #[prop(into)]
    head: ViewFn,
    /// One row (`<tr>`) per record.
    row: Callback<R, AnyView>,
    /// Extra classes of the table (`list` always).
    #[prop(optional)]
    class: &'static str,
    /// What an empty list says (the generic empty state otherwise).
    #[prop(optional, into)]
    empty: Option<ViewFn>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
{
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any()
        }
        Some(Ok(d)) => {
            let p = page(d);
            if p.rows.is_empty() {
                return match &empty {
                    Some(e) => e.run(),
                    None => view! { <Empty/> }.into_any(),
                };
            }
            let rows = p.rows.len();
            let head = head.clone();
            view! {
                <table class=format!("list {class}")>
                    <thead><tr>{head.run()}</tr></thead>
                    <tbody>{p.rows.into_iter().map(|r| row.run(r)).collect_view()}</tbody>
                </table>
                <Pager paging=paging total=p.total rows=rows has_next=p.has_next end_cursor=p.end_cursor/>
            }
            .into_any()
        }
    }
}

#[component]
pub fn Pager(
    paging: Paging,
    total: i64,
    rows: usize,
    has_next: bool,
    end_cursor: Option<String>,
) -> impl IntoView {
    let page = paging.page() as i64;
    let from = page * paging.size + if rows > 0 { 1 } else { 0 };
    let to = page * paging.size + rows as i64;
    let first = page == 0;
    view! {
        <nav class="pager" aria-label="pagination">
            <span class="count">{format!("{from}–{to} ")}{move || t("page.of")}{format!(" {total} ")}{move || t("page.rows")}</span>
            <button class="btn" disabled=first on:click=move |_| paging.prev()>{move || t("page.prev")}</button>
            <button class="btn" disabled=!has_next on:click=move |_| paging.next(end_cursor.clone())>{move || t("page.next")}</button>
        </nav>
    }
}

/// A sortable column header. `sort` holds (field, descending).
#[component]
pub fn SortHeader<F: Clone + PartialEq + Send + Sync + 'static>(
    label: &'static str,
    field: F,
    sort: RwSignal<(F, bool)>,
    paging: Paging,
) -> impl IntoView {
    let state = {
        let field = field.clone();
        move || {
            sort.with(|(f, desc)| {
                if *f != field {
                    0
                } else if *desc {
                    2
                } else {
                    1
                }
            })
        }
    };
    let arrow = {
        let state = state.clone();
        move || ["↕", "↑", "↓"][state()]
    };
    let aria = move || ["none", "ascending", "descending"][state()];
    view! {
        <th aria-sort=aria>
            <button class="sort" on:click=move |_| {
                let field = field.clone();
                sort.update(move |(f, desc)| {
                    if *f == field { *desc = !*desc } else { *f = field; *desc = false }
                });
                paging.reset();
            }>{move || t(label)}" "<span class="arrow">{arrow}</span></button>
        </th>
    }
}

/// A search input: updates `value` once typing pauses (300 ms) and resets paging.
#[component]
pub fn SearchBox(value: RwSignal<String>, paging: Paging) -> impl IntoView {
    // What is typed shows at once; the list follows 300 ms after the last key, so a word
    // is one request (and one history entry), not one per letter.
    let draft = RwSignal::new(value.get_untracked());
    Effect::new(move |_| {
        let v = value.get();
        if v != draft.get_untracked() {
            draft.set(v);
        }
    });
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    view! {
        <input class="search" type="search" placeholder=move || t("filter.search")
            prop:value=move || draft.get()
            on:input=move |ev| {
                let v = event_target_value(&ev);
                draft.set(v.clone());
                if let Some(h) = pending.get_value() {
                    h.clear();
                }
                let h = leptos::prelude::set_timeout_with_handle(
                    move || {
                        value.set(v);
                        paging.reset();
                    },
                    std::time::Duration::from_millis(300),
                )
                .ok();
                pending.set_value(h);
            } />
    }
}

pub fn status_label(s: &str) -> &'static str {
    match s {
        "ACTIVE" => t("status.ACTIVE"),
        "ON_LEAVE" => t("status.ON_LEAVE"),
        "LEFT" => t("status.LEFT"),
        _ => "",
    }
}

pub fn role_label(s: &str) -> &'static str {
    match s {
        "ADMIN" => t("role.ADMIN"),
        "DIRECTOR" => t("role.DIRECTOR"),
        "SUPERVISOR" => t("role.SUPERVISOR"),
        "REP" => t("role.REP"),
        _ => "",
    }
}

/// A region `<select>` filled from the regions the viewer may see.
#[component]
pub fn RegionSelect(value: RwSignal<String>, paging: Paging) -> impl IntoView {
    use crate::api::{RegionOptions, call, region_options};
    let options = LocalResource::new(|| call::<RegionOptions>(region_options::Variables {}));
    view! {
        <select class="filter" aria-label=move || t("col.region")
            on:change=move |ev| { value.set(event_target_value(&ev)); paging.reset(); }
            prop:value=move || value.get()>
            <option value="">{move || t("filter.allRegions")}</option>
            {move || options.get().and_then(Result::ok).map(|d| d.regions.edges.into_iter().map(|e| {
                let id = e.node.id.clone();
                let selected = value.get_untracked() == id;
                view! { <option value=id selected=selected>{e.node.name}</option> }
            }).collect_view())}
        </select>
    }
}

/// A bound text field of a form.
#[component]
pub fn Field(
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] name: &'static str,
    #[prop(optional)] kind: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <label>{move || t(label)}
            <input name=name type=if kind.is_empty() { "text" } else { kind } required=required
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}

/// Save / cancel buttons and the error of the last attempt.
#[component]
pub fn FormActions(
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    cancel: Callback<()>,
) -> impl IntoView {
    view! {
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
        <div class="actions">
            <button class="btn primary" type="submit" disabled=move || busy.get()>
                {move || if busy.get() { t("saving") } else { t("save") }}
            </button>
            <button class="btn" type="button" on:click=move |_| cancel.run(())>{move || t("cancel")}</button>
        </div>
    }
}

/// Runs a mutation from a form: shows progress, keeps the form open with the error on
/// failure, and calls `done` on success.
pub fn submit<F, T>(
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    fut: F,
    done: Callback<()>,
) where
    F: std::future::Future<Output = Result<T, ApiError>> + 'static,
    T: 'static,
{
    busy.set(true);
    error.set(None);
    leptos::task::spawn_local(async move {
        match fut.await {
            Ok(_) => done.run(()),
            Err(e) => error.set(Some(e)),
        }
        busy.set(false);
    });
}

/// An RFC 3339 timestamp from the server (UTC) as the browser's local time,
/// `YYYY-MM-DD HH:MM`.
pub fn local_time(iso: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.chars().take(16).collect::<String>().replace('T', " ");
    }
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Keeps a page's view in its URL. `write` names the query parameters the view has now
/// (empty values are left out); every change becomes a history entry (the first view
/// replaces the one it came in on), so Back returns to the previous filters and a reload
/// or a shared link shows the same list. `read` is called when the URL changes under the
/// page (Back, Forward) and sets the view's signals from it.
pub fn url_state(
    write: impl Fn() -> Vec<(&'static str, String)> + Send + Sync + 'static,
    read: impl Fn(&leptos_router::params::ParamsMap) + Send + Sync + 'static,
) {
    let navigate = leptos_router::hooks::use_navigate();
    let location = leptos_router::hooks::use_location();
    let query = leptos_router::hooks::use_query_map();
    // The page's own path. While the next page's module loads, this page is still mounted
    // and the address is already the next page's: reading that address into this page's
    // view would write this page's address back and undo the navigation (a drill-down
    // from the scorecard to its orders came back to the scorecard).
    let own = location.pathname.get_untracked();
    let here = move || location.pathname.get_untracked() == own;
    let here_too = here.clone();
    Effect::new(move |first: Option<()>| {
        let q: Vec<String> = write()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(&v)))
            .collect();
        let q = q.join("&");
        if here_too() && location.search.get_untracked().trim_start_matches('?') != q {
            let path = location.pathname.get_untracked();
            let to = if q.is_empty() {
                path
            } else {
                format!("{path}?{q}")
            };
            navigate(
                &to,
                leptos_router::NavigateOptions {
                    replace: first.is_none(),
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    // Only the URL is tracked here: what `read` looks at (the view's own signals) must not
    // re-run it, or a change of the view would be undone by the URL it has not yet written.
    Effect::new(move |_| {
        let q = query.get();
        if here() {
            untrack(|| read(&q));
        }
    });
}

/// The filters a drill-down came with (a rep, by name; a date range), each a chip that
/// removes it. Nothing shows when none is set.
#[component]
pub fn DrillChips(
    rep: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    paging: Paging,
) -> impl IntoView {
    let rep_name = LocalResource::new(move || {
        let id = rep.get();
        async move {
            if id.is_empty() {
                return None;
            }
            crate::api::call::<crate::api::RepName>(crate::api::rep_name::Variables { id })
                .await
                .ok()
                .map(|d| d.rep.name)
        }
    });
    view! {
        <div class="chips" aria-label=move || t("filter.active")>
            {move || (!rep.get().is_empty()).then(|| {
                let name = rep_name.get().flatten().unwrap_or_else(|| "…".into());
                view! { <button type="button" class="chip removable" on:click=move |_| { rep.set(String::new()); paging.reset(); }>
                    {move || t("col.rep")}"："{name}<span class="x" aria-hidden="true">"×"</span><span class="sr">{move || t("filter.remove")}</span></button> }
            })}
            {move || (!from.get().is_empty() || !to.get().is_empty()).then(|| view! {
                <button type="button" class="chip removable" on:click=move |_| { from.set(String::new()); to.set(String::new()); paging.reset(); }>
                    {move || t("col.date")}"："{from.get()}" – "{to.get()}<span class="x" aria-hidden="true">"×"</span><span class="sr">{move || t("filter.remove")}</span></button>
            })}
        </div>
    }
}

/// A scope as the pages keep it — `COMPANY`, `REGION:<id>`, `REP:<id>` — as its kind and id.
pub fn scope_parts(scope: &str) -> (&str, Option<String>) {
    scope
        .split_once(':')
        .map_or((scope, None), |(k, id)| (k, Some(id.to_owned())))
}

/// A list's order as a URL parameter: the field's name from `fields` (the first is the
/// list's default, ascending, and leaves the parameter out), `-` before it when descending.
pub fn sort_param<F: PartialEq>(fields: &[(&'static str, F)], (field, desc): &(F, bool)) -> String {
    let name = fields
        .iter()
        .find(|(_, f)| f == field)
        .map_or("", |(n, _)| *n);
    let default = fields.first().map_or("", |(n, _)| *n);
    match (name == default, desc) {
        (true, false) => String::new(),
        (_, true) => format!("-{name}"),
        (_, false) => name.to_owned(),
    }
}

/// The order a [`sort_param`] names (the default, ascending, for anything else).
pub fn parse_sort_param<F: Clone>(fields: &[(&'static str, F)], key: &str) -> Option<(F, bool)> {
    let (name, desc) = key.strip_prefix('-').map_or((key, false), |k| (k, true));
    fields
        .iter()
        .find(|(n, _)| *n == name)
        .or_else(|| fields.first().filter(|_| name.is_empty()))
        .map(|(_, f)| (f.clone(), desc))
}

#[cfg(test)]
mod tests {
    use super::{parse_sort_param, sort_param};

    #[test]
    fn scopes_split_into_kind_and_id() {
        assert_eq!(super::scope_parts("COMPANY"), ("COMPANY", None));
        assert_eq!(
            super::scope_parts("REP:UmVwOjE"),
            ("REP", Some("UmVwOjE".to_owned()))
        );
    }

    const FIELDS: &[(&str, u8)] = &[("name", 0), ("city", 1), ("created", 2)];

    #[test]
    fn sort_params_round_trip_and_leave_the_default_out() {
        assert_eq!(sort_param(FIELDS, &(0, false)), "");
        assert_eq!(sort_param(FIELDS, &(0, true)), "-name");
        assert_eq!(sort_param(FIELDS, &(1, false)), "city");
        for order in [(0, true), (1, false), (2, true), (0, false)] {
            assert_eq!(
                parse_sort_param(FIELDS, &sort_param(FIELDS, &order)),
                Some(order)
            );
        }
        assert_eq!(parse_sort_param(FIELDS, "nonsense"), None);
    }
}
