use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{Regions, call, regions};
use crate::components::{Empty, ErrorBox, Loading, Pager, Paging, SearchBox, SortHeader};
use crate::i18n::t;

use regions::RegionOrderField as F;

#[component]
pub fn RegionsPage() -> impl IntoView {
    let paging = Paging::new(25);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new((F::NAME, false));
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
            <h1>{move || t("nav.regions")}</h1>
            <div class="toolbar"><SearchBox value=search paging=paging/></div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) if d.regions.edges.is_empty() => view! { <Empty/> }.into_any(),
                Some(Ok(d)) => {
                    let c = d.regions;
                    let rows = c.edges.len();
                    view! {
                        <table class="list">
                            <thead><tr>
                                <SortHeader label="col.name" field=F::NAME sort=sort paging=paging/>
                                <SortHeader label="col.code" field=F::CODE sort=sort paging=paging/>
                                <th>{move || t("col.parent")}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {c.edges.into_iter().map(|e| {
                                    let n = e.node;
                                    let reps = format!("/reps?region={}", n.id);
                                    let customers = format!("/customers?region={}", n.id);
                                    view! { <tr>
                                        <td data-label=move || t("col.name")><strong>{n.name}</strong></td>
                                        <td data-label=move || t("col.code")><code>{n.code}</code></td>
                                        <td data-label=move || t("col.parent")>{n.parent.map(|p| p.name).unwrap_or_else(|| "—".into())}</td>
                                        <td class="links"><A href=reps>{move || t("nav.reps")}</A>" · "<A href=customers>{move || t("nav.customers")}</A></td>
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
