use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{
    CreateRegion, RegionOptions, Regions, UpdateRegion, call, create_region, region_options,
    regions, update_region,
};
use crate::components::{
    Field, FormActions, ListView, Paging, SearchBox, SortHeader, connection, submit,
};
use crate::i18n::t;
use crate::{Role, viewer_role};

type RegionNode = regions::RegionsRegionsEdgesNode;

#[derive(Clone)]
enum Editing {
    None,
    New,
    Region(Box<RegionNode>),
}

use regions::RegionOrderField as F;

#[component]
pub fn RegionsPage() -> impl IntoView {
    let paging = Paging::new(25);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new((F::NAME, false));
    let editing = RwSignal::new(Editing::None);
    let is_admin = viewer_role() == Role::ADMIN;
    let data = LocalResource::new(move || {
        let (field, desc) = sort.get();
        call::<Regions>(regions::Variables {
            first: Some(paging.size),
            after: paging.after.get(),
            filter: Some(regions::RegionFilter {
                search: Some(search.get()).filter(|s| !s.trim().is_empty()),
                parent_id: None,
                top_level_only: None,
            }),
            order_by: Some(regions::RegionOrderBy {
                field,
                direction: if desc {
                    regions::OrderDirection::DESC
                } else {
                    regions::OrderDirection::ASC
                },
            }),
        })
    });
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{move || t("nav.regions")}</h1>
                {is_admin.then(|| view! {
                    <button class="btn primary" on:click=move |_| editing.set(Editing::New)>"+ "{move || t("region.new")}</button>
                })}
            </div>
            {move || {
                let done = Callback::new(move |_| { editing.set(Editing::None); data.refetch(); });
                match editing.get() {
                    Editing::None => ().into_any(),
                    Editing::New => view! { <RegionForm region=None done=done/> }.into_any(),
                    Editing::Region(r) => view! { <RegionForm region=Some(*r) done=done/> }.into_any(),
                }
            }}
            <div class="toolbar"><SearchBox value=search paging=paging/></div>
            <ListView data=data paging=paging page=|d: regions::ResponseData| connection!(d.regions)
                head=move || view! {
                                <SortHeader label="col.name" field=F::NAME sort=sort paging=paging/>
                                <SortHeader label="col.code" field=F::CODE sort=sort paging=paging/>
                                <th>{move || t("col.parent")}</th>
                                <th></th>
                }
                row=Callback::new(move |n: RegionNode| {
                                    let reps = format!("/reps?region={}", n.id);
                                    let customers = format!("/customers?region={}", n.id);
                                    let edit = n.clone();
                                    view! { <tr>
                                        <td data-label=move || t("col.name")><strong>{n.name}</strong></td>
                                        <td data-label=move || t("col.code")><code>{n.code}</code></td>
                                        <td data-label=move || t("col.parent")>{n.parent.map(|p| p.name).unwrap_or_else(|| "—".into())}</td>
                                        <td class="links"><A href=reps>{move || t("nav.reps")}</A>" · "<A href=customers>{move || t("nav.customers")}</A>
                                            {is_admin.then(|| view! { " · "<button class="linkish" on:click=move |_| editing.set(Editing::Region(Box::new(edit.clone())))>{move || t("customer.edit")}</button> })}
                                        </td>
                                    </tr> }.into_any()
                })/>
        </section>
    }
}

/// Creates a region (`region` is None) or edits one: name, code, parent.
#[component]
fn RegionForm(region: Option<RegionNode>, done: Callback<()>) -> impl IntoView {
    let editing = region.is_some();
    let own_id = region.as_ref().map(|r| r.id.clone()).unwrap_or_default();
    let name = RwSignal::new(region.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let code = RwSignal::new(region.as_ref().map(|r| r.code.clone()).unwrap_or_default());
    let parent = RwSignal::new(
        region
            .as_ref()
            .and_then(|r| r.parent.as_ref().map(|p| p.id.clone()))
            .unwrap_or_default(),
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    let options = LocalResource::new(|| call::<RegionOptions>(region_options::Variables {}));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = parent.get_untracked();
        match &region {
            None => {
                let input = create_region::CreateRegionInput {
                    name: name.get_untracked(),
                    code: code.get_untracked(),
                    parent_id: (!p.is_empty()).then_some(p),
                };
                submit(
                    busy,
                    error,
                    call::<CreateRegion>(create_region::Variables { input }),
                    done,
                );
            }
            Some(r) => {
                let input = update_region::UpdateRegionInput {
                    id: r.id.clone(),
                    version: r.version,
                    name: Some(name.get_untracked()),
                    code: Some(code.get_untracked()),
                    parent_id: (!p.is_empty()).then_some(p),
                };
                submit(
                    busy,
                    error,
                    call::<UpdateRegion>(update_region::Variables { input }),
                    done,
                );
            }
        }
    };
    view! {
        <form class="card form" on:submit=on_submit>
            <h2>{move || if editing { t("region.edit") } else { t("region.new") }}</h2>
            <Field label="col.name" value=name name="name" required=true/>
            <Field label="col.code" value=code name="code" required=true/>
            <label>{move || t("col.parent")}
                <select name="parent" on:change=move |ev| parent.set(event_target_value(&ev))>
                    <option value="">{move || t("none")}</option>
                    {move || options.get().and_then(Result::ok).map(|d| d.regions.edges.into_iter()
                        .filter(|e| e.node.id != own_id)
                        .map(|e| {
                            let selected = parent.get_untracked() == e.node.id;
                            view! { <option value=e.node.id selected=selected>{e.node.name}</option> }
                        }).collect_view())}
                </select>
            </label>
            <FormActions busy=busy error=error cancel=done/>
        </form>
    }
}
