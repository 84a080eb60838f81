//! `schema.graphql` is generated: it must equal what the server serves. On a difference
//! the file is rewritten and the test fails, so `cargo xtask schema` (or rerunning the test)
//! fixes it and the diff shows in review.

#[test]
fn schema_graphql_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let expected = dudao::api::sdl();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != expected {
        std::fs::write(&path, &expected)
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        panic!(
            "schema.graphql was out of date and has been rewritten; review and commit it \
             (`cargo xtask schema` does the same)"
        );
    }
}
