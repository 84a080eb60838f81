//! The GraphQL API: types, resolvers, loaders and error codes. The only module that knows
//! async-graphql; it calls `service` for everything and never builds SQL itself.

pub mod activity;
pub mod alerts;
pub mod coaching;
pub mod evaluations;
pub mod ids;
pub mod knowledge;
pub mod loaders;
pub mod mutation;
pub mod promotion;
pub mod query;
pub mod reviews;
pub mod scorecard;
pub mod targets;
pub mod training;
pub mod types;

use async_graphql::{Context, EmptySubscription, ErrorExtensions, Schema};
use dudao_domain::Viewer;
use sea_orm::DatabaseConnection;

use crate::error::AppError;
use crate::service::auth::TokenKeys;

pub type DudaoSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 5_000;
/// The cost of a field that runs an aggregate statement (a scorecard, a ranking, counts):
/// at most 50 of them in one request, however few fields each selects. A page of the SPA
/// asks for a handful.
pub const AGGREGATE_COST: usize = 100;
/// The extra cost of each period of a trend or heatmap.
pub const PERIOD_COST: usize = 10;

/// Per-request facts the HTTP layer puts into the GraphQL context.
pub struct RequestInfo {
    pub viewer: Option<Viewer>,
    pub client_address: String,
}

pub fn build_schema(
    db: Option<DatabaseConnection>,
    keys: Option<TokenKeys>,
    search: Option<std::sync::Arc<crate::service::search::Search>>,
) -> DudaoSchema {
    let mut b = Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32);
    if let Some(db) = db {
        b = b.data(db);
    }
    if let Some(k) = keys {
        b = b.data(k);
    }
    if let Some(s) = search {
        b = b.data(s);
    }
    b.finish()
}

/// The schema as SDL, exactly as `schema.graphql` must contain it.
pub fn sdl() -> String {
    build_schema(None, None, None).sdl()
}

impl From<AppError> for async_graphql::Error {
    fn from(e: AppError) -> Self {
        let code = e.code();
        if let AppError::Internal(cause) = &e {
            tracing::error!(error = ?cause, "internal error");
        }
        async_graphql::Error::new(e.message()).extend_with(|_, ext| ext.set("code", code))
    }
}

pub(crate) fn load_err(e: loaders::LoadError) -> async_graphql::Error {
    AppError::Internal(anyhow::Error::msg(e)).into()
}

pub(crate) fn viewer<'a>(ctx: &'a Context<'_>) -> Result<&'a Viewer, AppError> {
    ctx.data_opt::<RequestInfo>()
        .and_then(|r| r.viewer.as_ref())
        .ok_or_else(AppError::unauthenticated)
}

/// The request's DataLoaders; present for every signed-in request.
pub(crate) fn loaders<'a>(ctx: &'a Context<'_>) -> Result<&'a loaders::Loaders, AppError> {
    ctx.data_opt::<loaders::Loaders>()
        .ok_or_else(AppError::unauthenticated)
}

pub(crate) fn db<'a>(ctx: &'a Context<'_>) -> Result<&'a DatabaseConnection, AppError> {
    ctx.data_opt::<DatabaseConnection>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no database in the schema")))
}

pub(crate) fn keys<'a>(ctx: &'a Context<'_>) -> Result<&'a TokenKeys, AppError> {
    ctx.data_opt::<TokenKeys>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no token keys in the schema")))
}

pub(crate) fn client_address(ctx: &Context<'_>) -> String {
    ctx.data_opt::<RequestInfo>()
        .map(|r| r.client_address.clone())
        .unwrap_or_default()
}

/// Whether the request was refused for its depth or cost.
pub fn too_complex(resp: &async_graphql::Response) -> bool {
    resp.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|c| *c == async_graphql::Value::from("QUERY_TOO_COMPLEX"))
    })
}

/// Gives every error a code: errors raised before execution (parse, validation, limits)
/// come from async-graphql without one.
pub fn assign_codes(resp: &mut async_graphql::Response) {
    for err in &mut resp.errors {
        let has_code = err
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let msg = err.message.to_lowercase();
        let code = if msg.contains("too deep")
            || msg.contains("too complex")
            || msg.contains("recursive depth")
        {
            "QUERY_TOO_COMPLEX"
        } else {
            "BAD_USER_INPUT"
        };
        err.extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}

/// The schema for introspection-only requests (see `http::execute`): the standard
/// introspection query nests `ofType` seven deep under fragments, past [`MAX_DEPTH`]. Such
/// requests also run with `only_introspection`, so no data field resolves on it.
pub fn build_introspection_schema() -> DudaoSchema {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .limit_depth(32)
    .limit_complexity(20_000)
    .limit_recursive_depth(64)
    .finish()
}

/// What the HTTP layer needs to know of a request before running it.
pub struct Shape {
    /// The operation to run is a mutation.
    pub mutation: bool,
    /// Every top-level field (through fragments) is `__schema`, `__type` or `__typename`.
    pub introspection_only: bool,
    /// Some top-level field describes the schema (`__schema`, `__type`).
    pub describes_schema: bool,
    /// No text in the document or the variables holds a control character.
    pub text: Result<(), AppError>,
}

/// Parses the request (async-graphql keeps the parsed document for execution) and reads
/// its shape. A document that does not parse has no shape; execution reports the error.
pub fn inspect(request: &mut async_graphql::Request) -> Shape {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let text = variables_text(&request.variables);
    let name = request.operation_name.clone();
    let Ok(doc) = request.parsed_query() else {
        return Shape {
            mutation: false,
            introspection_only: false,
            describes_schema: false,
            text,
        };
    };
    let op = match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(n)) => ops.get(n.as_str()),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    };
    let text = text.and_then(|()| document_text(doc));
    let Some(op) = op else {
        return Shape {
            mutation: false,
            introspection_only: false,
            describes_schema: false,
            text,
        };
    };
    let set = &op.node.selection_set.node;
    Shape {
        mutation: op.node.ty == OperationType::Mutation,
        introspection_only: op.node.ty == OperationType::Query
            && only_meta_fields(doc, set, &mut Vec::new()),
        describes_schema: set.items.iter().any(|s| {
            matches!(&s.node, async_graphql::parser::types::Selection::Field(f)
                if matches!(f.node.name.node.as_str(), "__schema" | "__type"))
        }),
        text,
    }
}

fn only_meta_fields<'a>(
    doc: &'a async_graphql::parser::types::ExecutableDocument,
    set: &'a async_graphql::parser::types::SelectionSet,
    seen: &mut Vec<&'a str>,
) -> bool {
    use async_graphql::parser::types::Selection;
    !set.items.is_empty()
        && set.items.iter().all(|s| match &s.node {
            Selection::Field(f) => f.node.name.node.starts_with("__"),
            Selection::InlineFragment(f) => only_meta_fields(doc, &f.node.selection_set.node, seen),
            Selection::FragmentSpread(f) => {
                let name = f.node.fragment_name.node.as_str();
                // A fragment cycle is refused by validation; here it just is not "only meta".
                if seen.contains(&name) {
                    return false;
                }
                seen.push(name);
                doc.fragments
                    .get(name)
                    .is_some_and(|d| only_meta_fields(doc, &d.node.selection_set.node, seen))
            }
        })
}

fn bad_text(c: char) -> AppError {
    AppError::BadInput(format!(
        "文本含控制字符 U+{:04X} / text contains the control character U+{:04X}",
        u32::from(c),
        u32::from(c)
    ))
}

fn const_text(v: &async_graphql::Value) -> Result<(), AppError> {
    use async_graphql::Value as V;
    match v {
        V::String(s) => dudao_domain::forbidden_char(s).map_or(Ok(()), |c| Err(bad_text(c))),
        V::List(items) => items.iter().try_for_each(const_text),
        V::Object(m) => m.values().try_for_each(const_text),
        _ => Ok(()),
    }
}

fn variables_text(vars: &async_graphql::Variables) -> Result<(), AppError> {
    vars.values().try_for_each(const_text)
}

/// Every string literal of a document (arguments, directive arguments, variable defaults).
fn document_text(doc: &async_graphql::parser::types::ExecutableDocument) -> Result<(), AppError> {
    use async_graphql::parser::types::{Directive, Selection, SelectionSet};
    // A literal with its variables taken as null (their values are checked on their own).
    // A macro, as the parser's value type is not exported by name.
    macro_rules! value {
        ($v:expr) => {
            match $v
                .node
                .clone()
                .into_const_with(|_| Ok::<_, std::convert::Infallible>(async_graphql::Value::Null))
            {
                Ok(c) => const_text(&c),
                Err(never) => match never {},
            }
        };
    }
    fn directives(ds: &[async_graphql::Positioned<Directive>]) -> Result<(), AppError> {
        ds.iter()
            .flat_map(|d| d.node.arguments.iter())
            .try_for_each(|(_, v)| value!(v))
    }
    fn set(s: &SelectionSet) -> Result<(), AppError> {
        s.items.iter().try_for_each(|item| match &item.node {
            Selection::Field(f) => {
                f.node.arguments.iter().try_for_each(|(_, v)| value!(v))?;
                directives(&f.node.directives)?;
                set(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => {
                directives(&f.node.directives)?;
                set(&f.node.selection_set.node)
            }
            Selection::FragmentSpread(f) => directives(&f.node.directives),
        })
    }
    for (_, op) in doc.operations.iter() {
        for var in &op.node.variable_definitions {
            if let Some(d) = &var.node.default_value {
                const_text(&d.node)?;
            }
        }
        directives(&op.node.directives)?;
        set(&op.node.selection_set.node)?;
    }
    for frag in doc.fragments.values() {
        directives(&frag.node.directives)?;
        set(&frag.node.selection_set.node)?;
    }
    Ok(())
}
