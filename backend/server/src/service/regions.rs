//! Regions (区域): territories, optionally nested under a parent.

use chrono::Utc;
use dudao_domain::{Action, Name, Resource, Viewer};
use sea_orm::IntoSimpleExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::page::{self, Page, PageArgs};
use super::{
    Direction, audit, check_version, contains_ci, find_visible, require, save_versioned, scope,
};
use crate::entity::region;
use crate::error::{AppError, AppResult};

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub search: Option<String>,
    pub parent_id: Option<i32>,
    pub top_level_only: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub enum SortField {
    #[default]
    Name,
    Code,
    CreatedAt,
}

pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Filter,
    sort: (SortField, Direction),
    args: PageArgs,
) -> AppResult<Page<region::Model>> {
    let mut q = region::Entity::find().filter(scope::regions(viewer));
    if let Some(s) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        q = q.filter(
            sea_orm::Condition::any()
                .add(contains_ci((region::Entity, region::Column::Name), s))
                .add(contains_ci((region::Entity, region::Column::Code), s)),
        );
    }
    if let Some(p) = filter.parent_id {
        q = q.filter(region::Column::ParentId.eq(p));
    }
    if filter.top_level_only {
        q = q.filter(region::Column::ParentId.is_null());
    }
    let col = match sort.0 {
        SortField::Name => page::by_name(region::Entity),
        SortField::Code => region::Column::Code.into_simple_expr(),
        SortField::CreatedAt => region::Column::CreatedAt.into_simple_expr(),
    };
    q = q
        .order_by(col, sort.1.into())
        .order_by_asc(region::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<region::Model> {
    find_visible::<region::Entity, _>(db, id, scope::regions(viewer), "region").await
}

pub struct NewRegion {
    pub name: String,
    pub code: String,
    pub parent_id: Option<i32>,
}

pub struct RegionChanges {
    pub name: Option<String>,
    pub code: Option<String>,
    pub parent_id: Option<Option<i32>>,
}

fn parse_code(raw: &str) -> AppResult<String> {
    let code = raw.trim().to_uppercase();
    if code.is_empty()
        || code.len() > 40
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::BadInput(
            "code: 1–40 letters, digits, '-' or '_' / 编码只能包含字母、数字、- 和 _".into(),
        ));
    }
    Ok(code)
}

async fn check_parent<C: ConnectionTrait>(
    db: &C,
    id: Option<i32>,
    parent: Option<i32>,
) -> AppResult<()> {
    let Some(mut cursor) = parent else {
        return Ok(());
    };
    // Walk up from the new parent: it must exist and must not lead back to this region.
    for _ in 0..32 {
        if Some(cursor) == id {
            return Err(AppError::BadInput(
                "parentId: a region cannot sit under itself / 上级区域不能是自己或下级".into(),
            ));
        }
        let Some(row) = region::Entity::find_by_id(cursor).one(db).await? else {
            return Err(AppError::BadInput(format!(
                "parentId: region {cursor} does not exist"
            )));
        };
        match row.parent_id {
            Some(p) => cursor = p,
            None => return Ok(()),
        }
    }
    Err(AppError::BadInput("parentId: regions nest too deep".into()))
}

pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewRegion,
) -> AppResult<region::Model> {
    require(viewer, Action::Create, Resource::Region)?;
    let name = Name::parse("name", &input.name, 100)?.into_inner();
    let code = parse_code(&input.code)?;
    let txn = crate::db::write_txn(db).await?;
    check_parent(&txn, None, input.parent_id).await?;
    let now = Utc::now();
    let row = region::ActiveModel {
        name: Set(name),
        code: Set(code),
        parent_id: Set(input.parent_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "region",
        row.id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    changes: RegionChanges,
) -> AppResult<region::Model> {
    require(viewer, Action::Update, Resource::Region)?;
    let txn = crate::db::write_txn(db).await?;
    let before =
        find_visible::<region::Entity, _>(&txn, id, scope::regions(viewer), "region").await?;
    check_version(before.version, version, "region")?;
    let mut am: region::ActiveModel = before.clone().into();
    if let Some(n) = changes.name {
        am.name = Set(Name::parse("name", &n, 100)?.into_inner());
    }
    if let Some(c) = changes.code {
        am.code = Set(parse_code(&c)?);
    }
    if let Some(p) = changes.parent_id {
        check_parent(&txn, Some(id), p).await?;
        am.parent_id = Set(p);
    }
    am.version = Set(before.version + 1);
    am.updated_at = Set(Utc::now());
    let after = save_versioned::<region::Entity, _, _>(
        &txn,
        viewer,
        "region",
        (region::Column::Id, region::Column::Version),
        &before,
        id,
        version,
        am,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}
