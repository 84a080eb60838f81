//! Sign-in, refresh-token rotation, logout and rate limiting, against the real server.

use dudao_tests::*;
use serde_json::json;

const REFRESH: &str =
    "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";

db_test!(login_me_and_wrong_credentials, |app: TestApp| async move {
    let v = app.login_payload(REP_EAST1, DEMO_PASSWORD).await;
    let login = &data(&v)["login"];
    assert_eq!(login["user"]["role"], json!("REP"));
    assert!(login["expiresAt"].as_str().is_some_and(|s| s.contains('T')));
    let token = login["accessToken"].as_str().unwrap_or_default();
    let me = app
        .gql(
            Some(token),
            "{ me { email role rep { name region { name } supervisor { email } } } }",
            json!({}),
        )
        .await;
    let me = &data(&me)["me"];
    assert_eq!(me["email"], json!(REP_EAST1));
    assert_eq!(me["rep"]["region"]["name"], json!("华东"));
    assert_eq!(me["rep"]["supervisor"]["email"], json!(SUPERVISOR_EAST));

    // A wrong password and an unknown email answer exactly alike.
    let wrong = app.login_payload(REP_EAST1, "not-the-password").await;
    let unknown = app
        .login_payload("nobody@dudao.demo", "not-the-password")
        .await;
    assert_eq!(error_code(&wrong), Some("UNAUTHENTICATED"));
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    assert_eq!(error_code(&unknown), Some("UNAUTHENTICATED"));

    // Garbage and tampered tokens are not accepted.
    let bad = app
        .gql(Some("abc.def.ghi"), "{ me { id } }", json!({}))
        .await;
    assert_eq!(error_code(&bad), Some("UNAUTHENTICATED"));
    let mut tampered = token.to_owned();
    tampered.push('x');
    assert_eq!(
        error_code(&app.gql(Some(&tampered), "{ me { id } }", json!({})).await),
        Some("UNAUTHENTICATED")
    );
});

db_test!(
    refresh_tokens_rotate_and_reuse_revokes_the_family,
    |app: TestApp| async move {
        let v = app.login_payload(DIRECTOR, DEMO_PASSWORD).await;
        let first = data(&v)["login"]["refreshToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();

        let v = app.gql(None, REFRESH, json!({ "t": first })).await;
        let second = data(&v)["refreshToken"]["refreshToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_ne!(first, second);
        let access = data(&v)["refreshToken"]["accessToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            data(&app.gql(Some(&access), "{ me { email } }", json!({})).await)["me"]["email"]
                == json!(DIRECTOR)
        );

        // Within the grace window (a page's parallel requests) the used token yields the
        // same successor again.
        let again = app.gql(None, REFRESH, json!({ "t": first })).await;
        assert_eq!(data(&again)["refreshToken"]["refreshToken"], json!(second));
        // After it, replaying the used token fails and revokes the newer one too
        // (stolen-token defence).
        let aged = if app.backend == Backend::Postgres {
            "NOW() - INTERVAL '1 minute'"
        } else {
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-1 minute')"
        };
        exec(
            &app,
            &format!("UPDATE refresh_tokens SET revoked_at = {aged} WHERE revoked_at IS NOT NULL"),
        )
        .await;
        let replay = app.gql(None, REFRESH, json!({ "t": first })).await;
        assert_eq!(error_code(&replay), Some("UNAUTHENTICATED"));
        let after = app.gql(None, REFRESH, json!({ "t": second })).await;
        assert_eq!(error_code(&after), Some("UNAUTHENTICATED"));
    }
);

db_test!(
    logout_revokes_the_refresh_token,
    |app: TestApp| async move {
        let v = app.login_payload(ADMIN, DEMO_PASSWORD).await;
        let refresh = data(&v)["login"]["refreshToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let out = app
            .gql(
                None,
                "mutation($t: String!) { logout(refreshToken: $t) }",
                json!({ "t": refresh }),
            )
            .await;
        assert_eq!(data(&out)["logout"], json!(true));
        let again = app
            .gql(
                None,
                "mutation($t: String!) { logout(refreshToken: $t) }",
                json!({ "t": refresh }),
            )
            .await;
        assert_eq!(data(&again)["logout"], json!(false));
        assert_eq!(
            error_code(&app.gql(None, REFRESH, json!({ "t": refresh })).await),
            Some("UNAUTHENTICATED")
        );
    }
);

db_test!(
    logins_are_rate_limited_per_account,
    |app: TestApp| async move {
        for _ in 0..5 {
            let v = app.login_payload(SUPERVISOR_SOUTH, "wrong-password").await;
            assert_eq!(error_code(&v), Some("UNAUTHENTICATED"));
        }
        // Even the right password is refused while the account is cooling down.
        let v = app.login_payload(SUPERVISOR_SOUTH, DEMO_PASSWORD).await;
        assert_eq!(error_code(&v), Some("RATE_LIMITED"), "{v}");
        // Other accounts are unaffected.
        app.login(SUPERVISOR_EAST).await;
    }
);

db_test!(
    deactivated_users_cannot_sign_in_or_refresh,
    |app: TestApp| async move {
        let admin = app.login(ADMIN).await;
        let v = app.login_payload(REP_EAST1, DEMO_PASSWORD).await;
        let refresh = data(&v)["login"]["refreshToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let user = data(&v)["login"]["user"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let u = app
            .gql(
                Some(&admin),
                "query($id: ID!) { user(id: $id) { version } }",
                json!({ "id": user }),
            )
            .await;
        let version = data(&u)["user"]["version"].clone();
        let off = app
            .gql(
                Some(&admin),
                "mutation($i: UpdateUserInput!) { updateUser(input: $i) { active } }",
                json!({ "i": { "id": user, "version": version, "active": false } }),
            )
            .await;
        assert_eq!(data(&off)["updateUser"]["active"], json!(false));
        assert_eq!(
            error_code(&app.login_payload(REP_EAST1, DEMO_PASSWORD).await),
            Some("UNAUTHENTICATED")
        );
        assert_eq!(
            error_code(&app.gql(None, REFRESH, json!({ "t": refresh })).await),
            Some("UNAUTHENTICATED")
        );
    }
);
