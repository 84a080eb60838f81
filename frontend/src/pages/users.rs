use leptos::prelude::*;

use crate::api::{
    CreateUser, RegionOptions, UpdateUser, Users, call, create_user, region_options, update_user,
    users,
};
use crate::components::{
    Field, FormActions, ListView, Paging, SearchBox, SortHeader, connection, role_label, submit,
};
use crate::i18n::t;
use crate::{Role, viewer_role};

use users::UserOrderField as F;

type UserNode = users::UsersUsersEdgesNode;

fn role_str(r: &users::Role) -> &'static str {
    match r {
        users::Role::ADMIN => "ADMIN",
        users::Role::DIRECTOR => "DIRECTOR",
        users::Role::SUPERVISOR => "SUPERVISOR",
        users::Role::REP => "REP",
        users::Role::Other(_) => "",
    }
}

/// What the form is doing: nothing, creating, or editing one user.
#[derive(Clone)]
enum Editing {
    None,
    New,
    User(Box<UserNode>),
}

/// The orders the list offers, by their name in the URL (`sort=-created`); the first is
/// the default.
const SORTS: &[(&str, F)] = &[
    ("name", F::NAME),
    ("email", F::EMAIL),
    ("created", F::CREATED_AT),
];

fn sort_key(order: &(F, bool)) -> String {
    crate::components::sort_param(SORTS, order)
}

fn sort_of(key: &str) -> (F, bool) {
    crate::components::parse_sort_param(SORTS, key).unwrap_or((F::NAME, false))
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let is_admin = viewer_role() == Role::ADMIN;
    let paging = Paging::new(25);
    let query = leptos_router::hooks::use_query_map();
    let from_url = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let search = RwSignal::new(from_url("q"));
    let role = RwSignal::new(from_url("role"));
    let sort = RwSignal::new(sort_of(&from_url("sort")));
    // Search, role, order and page live in the URL.
    crate::components::list_url_state(
        paging,
        vec![("q", search), ("role", role)],
        move || sort_key(&sort.get()),
        move |s| sort.set(sort_of(s)),
    );
    let editing = RwSignal::new(Editing::None);
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
    let done = Callback::new(move |_| {
        editing.set(Editing::None);
        data.refetch();
    });
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{move || t("nav.users")}</h1>
                {is_admin.then(|| view! {
                    <button class="btn primary" on:click=move |_| editing.set(Editing::New)>"+ "{move || t("user.new")}</button>
                })}
            </div>
            {move || match editing.get() {
                Editing::None => ().into_any(),
                Editing::New => view! { <UserForm user=None done=done/> }.into_any(),
                Editing::User(u) => view! { <UserForm user=Some(*u) done=done/> }.into_any(),
            }}
            <div class="toolbar">
                <SearchBox value=search paging=paging/>
                <select class="filter" aria-label=move || t("col.role") prop:value=move || role.get() on:change=move |ev| { role.set(event_target_value(&ev)); paging.reset(); }>
                    <option value="">{move || t("filter.allRoles")}</option>
                    {["ADMIN", "DIRECTOR", "SUPERVISOR", "REP"].map(|r| view! { <option value=r>{move || role_label(r)}</option> }).collect_view()}
                </select>
            </div>
            <ListView data=data paging=paging page=|d: users::ResponseData| connection!(d.users)
                head=move || view! {
                                <SortHeader label="col.person" field=F::NAME sort=sort paging=paging/>
                                <SortHeader label="col.email" field=F::EMAIL sort=sort paging=paging/>
                                <th>{move || t("col.role")}</th>
                                <th>{move || t("col.regions")}</th>
                                <th>{move || t("col.active")}</th>
                                {is_admin.then(|| view! { <th></th> })}
                }
                row=Callback::new(move |n: UserNode| {
                                    let r = role_str(&n.role);
                                    let regions = n.regions.iter().map(|r| r.name.clone()).collect::<Vec<_>>().join("、");
                                    let active = n.active;
                                    let edit = n.clone();
                                    view! { <tr>
                                        <td data-label=move || t("col.person")><strong>{n.name}</strong></td>
                                        <td data-label=move || t("col.email")>{n.email}</td>
                                        <td data-label=move || t("col.role")>{move || role_label(r)}</td>
                                        <td data-label=move || t("col.regions")>{regions}</td>
                                        <td data-label=move || t("col.active")>
                                            <span class=if active { "badge active" } else { "badge left" }>{move || if active { t("yes") } else { t("no") }}</span>
                                        </td>
                                        {is_admin.then(|| view! {
                                            <td class="links"><button class="btn small-btn" on:click=move |_| editing.set(Editing::User(Box::new(edit.clone())))>{move || t("customer.edit")}</button></td>
                                        })}
                                    </tr> }.into_any()
                })/>
        </section>
    }
}

fn to_create_role(r: &str) -> create_user::Role {
    match r {
        "ADMIN" => create_user::Role::ADMIN,
        "DIRECTOR" => create_user::Role::DIRECTOR,
        "SUPERVISOR" => create_user::Role::SUPERVISOR,
        _ => create_user::Role::REP,
    }
}

fn to_update_role(r: &str) -> update_user::Role {
    match r {
        "ADMIN" => update_user::Role::ADMIN,
        "DIRECTOR" => update_user::Role::DIRECTOR,
        "SUPERVISOR" => update_user::Role::SUPERVISOR,
        _ => update_user::Role::REP,
    }
}

/// Creates a user (`user` is None) or edits one: name, role, active, password, regions.
#[component]
fn UserForm(user: Option<UserNode>, done: Callback<()>) -> impl IntoView {
    let editing = user.is_some();
    let email = RwSignal::new(user.as_ref().map(|u| u.email.clone()).unwrap_or_default());
    let name = RwSignal::new(user.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let role = RwSignal::new(
        user.as_ref()
            .map(|u| role_str(&u.role))
            .unwrap_or("REP")
            .to_owned(),
    );
    let active = RwSignal::new(user.as_ref().is_none_or(|u| u.active));
    let password = RwSignal::new(String::new());
    let regions = RwSignal::new(
        user.as_ref()
            .map(|u| u.regions.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    let options = LocalResource::new(|| call::<RegionOptions>(region_options::Variables {}));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let supervisor = role.get_untracked() == "SUPERVISOR";
        let region_ids = if supervisor {
            regions.get_untracked()
        } else {
            vec![]
        };
        match &user {
            None => {
                let input = create_user::CreateUserInput {
                    email: email.get_untracked(),
                    name: name.get_untracked(),
                    role: to_create_role(&role.get_untracked()),
                    password: password.get_untracked(),
                    region_ids,
                };
                submit(
                    busy,
                    error,
                    call::<CreateUser>(create_user::Variables { input }),
                    done,
                );
            }
            Some(u) => {
                let pw = password.get_untracked();
                let input = update_user::UpdateUserInput {
                    id: u.id.clone(),
                    version: u.version,
                    name: Some(name.get_untracked()),
                    role: Some(to_update_role(&role.get_untracked())),
                    active: Some(active.get_untracked()),
                    password: (!pw.is_empty()).then_some(pw),
                    region_ids: Some(region_ids),
                };
                submit(
                    busy,
                    error,
                    call::<UpdateUser>(update_user::Variables { input }),
                    done,
                );
            }
        }
    };
    view! {
        <form class="card form" on:submit=on_submit>
            <h2>{move || if editing { t("user.edit") } else { t("user.new") }}</h2>
            {(!editing).then(|| view! { <Field label="col.email" value=email name="email" kind="email" required=true/> })}
            <Field label="col.person" value=name name="name" required=true/>
            <label>{move || t("col.role")}
                <select name="role" on:change=move |ev| role.set(event_target_value(&ev)) prop:value=move || role.get()>
                    {["ADMIN", "DIRECTOR", "SUPERVISOR", "REP"].map(|r| view! {
                        <option value=r selected=move || role.get() == r>{move || role_label(r)}</option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || role.get() == "SUPERVISOR">
                <fieldset class="checks">
                    <legend>{move || t("home.assigned")}</legend>
                    {move || options.get().and_then(Result::ok).map(|d| d.regions.edges.into_iter().map(|e| {
                        let id = e.node.id.clone();
                        let checked = regions.get_untracked().contains(&id);
                        view! {
                            <label class="check"><input type="checkbox" checked=checked on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let id = id.clone();
                                regions.update(|v| { v.retain(|x| *x != id); if on { v.push(id); } });
                            }/>{e.node.name}</label>
                        }
                    }).collect_view())}
                </fieldset>
            </Show>
            {editing.then(|| view! {
                <label class="check"><input type="checkbox" prop:checked=move || active.get()
                    on:change=move |ev| active.set(event_target_checked(&ev))/>{move || t("col.active")}</label>
            })}
            <label>{move || if editing { t("user.newPassword") } else { t("login.password") }}
                <input name="password" type="password" autocomplete="new-password" required=!editing minlength="8"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <FormActions busy=busy error=error cancel=done/>
        </form>
    }
}
