use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{Login, anonymous, login};
use crate::i18n::{pick, t};
use crate::{LangSwitch, session};

#[component]
pub fn LoginPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    Effect::new(move |_| crate::set_document_title(&crate::page_title("/login", None)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        let vars = login::Variables {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match anonymous::<Login>(vars).await {
                Ok(data) => {
                    session::store(&data.login.access_token, &data.login.refresh_token);
                    navigate("/", Default::default());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <main class="login">
            <form class="card login-card" on:submit=submit>
                <div class="login-head">
                    <span class="logo big">"督"</span>
                    <div><h1>{move || t("app")}</h1><p class="muted">{move || t("tagline")}</p></div>
                    <span class="spacer"></span>
                    <LangSwitch/>
                </div>
                <label>{move || t("login.email")}
                    <input type="email" name="email" autocomplete="username" required
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                </label>
                <label>{move || t("login.password")}
                    <input type="password" name="password" autocomplete="current-password" required
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                {move || error.get().map(|m| view! { <p class="form-error" role="alert">{pick(&m)}</p> })}
                <button class="btn primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { t("login.busy") } else { t("login.submit") }}
                </button>
                <p class="muted small">{move || t("login.demo")}</p>
            </form>
        </main>
    }
}
