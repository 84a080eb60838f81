use leptos::prelude::*;

use crate::api::{Users, call, users};
use crate::components::{
    Empty, ErrorBox, Loading, Pager, Paging, SearchBox, SortHeader, role_label,
};
use crate::i18n::t;

use users::UserOrderField as F;

fn role_str(r: &users::Role) -> &'static str {
    match r {
        users::Role::ADMIN => "ADMIN",
        users::Role::DIRECTOR => "DIRECTOR",
        users::Role::SUPERVISOR => "SUPERVISOR",
        users::Role::REP => "REP",
        users::Role::Other(_) => "",
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let paging = Paging::new(25);
    let search = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let sort = RwSignal::new((F::NAME, false));
    let data = LocalResource::new(move || {
        let (field, desc) = sort.get();
        call::<Users>(users::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(users::UserFilter {
                search: Some(search.get()).filter(|s| !s.trim().is_empty()),
                role: match role.get().as_str() {
                    "ADMIN" => Some(users::Role::ADMIN),
                    "DIRECTOR" => Some(users::Role::DIRECTOR),
                    "SUPERVISOR" => Some(users::Role::SUPERVISOR),
                    "REP" => Some(users::Role::REP),
                    _ => None,
                },
                active: None,
            }),
            order_by: Some(users::UserOrderBy {
                field,
                direction: if desc {
                    users::OrderDirection::DESC
                } else {
                    users::OrderDirection::ASC
                },
            }),
        })
    });
    view! {
        <section class="page">
            <h1>{move || t("nav.users")}</h1>
            <div class="toolbar">
                <SearchBox value=search paging=paging/>
                <select class="filter" aria-label=move || t("col.role") on:change=move |ev| { role.set(event_target_value(&ev)); paging.reset(); }>
                    <option value="">{move || t("filter.allRoles")}</option>
                    {["ADMIN", "DIRECTOR", "SUPERVISOR", "REP"].map(|r| view! { <option value=r>{move || role_label(r)}</option> }).collect_view()}
                </select>
            </div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) if d.users.edges.is_empty() => view! { <Empty/> }.into_any(),
                Some(Ok(d)) => {
                    let c = d.users;
                    let rows = c.edges.len();
                    view! {
                        <table class="list">
                            <thead><tr>
                                <SortHeader label="col.person" field=F::NAME sort=sort paging=paging/>
                                <SortHeader label="col.email" field=F::EMAIL sort=sort paging=paging/>
                                <th>{move || t("col.role")}</th>
                                <th>{move || t("col.regions")}</th>
                                <th>{move || t("col.active")}</th>
                            </tr></thead>
                            <tbody>
                                {c.edges.into_iter().map(|e| {
                                    let n = e.node;
                                    let r = role_str(&n.role);
                                    let regions = n.regions.into_iter().map(|r| r.name).collect::<Vec<_>>().join("、");
                                    view! { <tr>
                                        <td data-label=move || t("col.person")><strong>{n.name}</strong></td>
                                        <td data-label=move || t("col.email")>{n.email}</td>
                                        <td data-label=move || t("col.role")>{move || role_label(r)}</td>
                                        <td data-label=move || t("col.regions")>{regions}</td>
                                        <td data-label=move || t("col.active")>{move || if n.active { t("yes") } else { t("no") }}</td>
                                    </tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pager paging=paging total=c.total_count rows=rows has_next=c.page_info.has_next_page end_cursor=c.page_info.end_cursor/>
                    }.into_any()
                }
            }}
        </section>
    }
}
