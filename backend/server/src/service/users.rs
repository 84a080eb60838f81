//! User accounts and, for supervisors, their region assignments.

use chrono::Utc;
use dudao_domain::{Action, Email, Name, Password, Resource, Role, Viewer};
use sea_orm::IntoSimpleExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::page::{self, Page, PageArgs};
use super::{
    Direction, audit, auth, check_version, contains_ci, find_visible, require, save_versioned,
    scope,
};
use crate::entity::{Stored, region, supervisor_region, user};
use crate::error::{AppError, AppResult};

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub search: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

#[derive(Clone, Copy, Debug, Default)]
pub enum SortField {
    #[default]
    Name,
    Email,
    CreatedAt,
}

pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Filter,
    sort: (SortField, Direction),
    args: PageArgs,
) -> AppResult<Page<user::Model>> {
    let mut q = user::Entity::find().filter(scope::users(viewer));
    if let Some(s) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        q = q.filter(
            sea_orm::Condition::any()
                .add(contains_ci((user::Entity, user::Column::Name), s))
                .add(contains_ci((user::Entity, user::Column::Email), s)),
        );
    }
    if let Some(r) = filter.role {
        q = q.filter(user::Column::Role.eq(Stored(r)));
    }
    if let Some(a) = filter.active {
        q = q.filter(user::Column::Active.eq(a));
    }
    let col = match sort.0 {
        SortField::Name => page::by_name(user::Entity),
        SortField::Email => user::Column::Email.into_simple_expr(),
        SortField::CreatedAt => user::Column::CreatedAt.into_simple_expr(),
    };
    q = q
        .order_by(col, sort.1.into())
        .order_by_asc(user::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<user::Model> {
    find_visible::<user::Entity, _>(db, id, scope::users(viewer), "user").await
}

/// The signed-in user's own record. A deactivated account is signed out.
pub async fn me(db: &DatabaseConnection, viewer: &Viewer) -> AppResult<user::Model> {
    user::Entity::find_by_id(viewer.user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(AppError::unauthenticated)
}

pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: String,
    pub region_ids: Vec<i32>,
}

#[derive(Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password: Option<String>,
    pub region_ids: Option<Vec<i32>>,
}

async fn set_regions<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    role: Role,
    region_ids: &[i32],
) -> AppResult<()> {
    if role != Role::Supervisor && !region_ids.is_empty() {
        return Err(AppError::BadInput(
            "regionIds: only supervisors are assigned regions".into(),
        ));
    }
    let found = region::Entity::find()
        .filter(region::Column::Id.is_in(region_ids.iter().copied()))
        .all(db)
        .await?;
    if let Some(missing) = region_ids
        .iter()
        .find(|id| !found.iter().any(|r| r.id == **id))
    {
        return Err(AppError::BadInput(format!(
            "regionIds: region {missing} does not exist"
        )));
    }
    supervisor_region::Entity::delete_many()
        .filter(supervisor_region::Column::SupervisorId.eq(user_id))
        .exec(db)
        .await?;
    let mut ids = region_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for region_id in ids {
        supervisor_region::ActiveModel {
            supervisor_id: Set(user_id),
            region_id: Set(region_id),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Creates an account. `actor` is `None` when the command line creates the first admin.
pub async fn create(
    db: &DatabaseConnection,
    actor: Option<&Viewer>,
    input: NewUser,
) -> AppResult<user::Model> {
    if let Some(v) = actor {
        require(v, Action::Create, Resource::User)?;
    }
    let email = Email::parse(&input.email)?;
    let name = Name::parse("name", &input.name, 100)?.into_inner();
    let password = Password::parse(&input.password)?;
    let hash = auth::hash_password_blocking(password.expose().to_owned()).await?;
    let txn = crate::db::write_txn(db).await?;
    if user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "email: {email} is already registered / 邮箱已被使用"
        )));
    }
    let now = Utc::now();
    let row = user::ActiveModel {
        email: Set(email.to_string()),
        name: Set(name),
        role: Set(Stored(input.role)),
        password_hash: Set(hash),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_regions(&txn, row.id, input.role, &input.region_ids).await?;
    audit::record(
        &txn,
        actor.map(|v| v.user_id),
        "create",
        "user",
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
    changes: UserChanges,
) -> AppResult<user::Model> {
    require(viewer, Action::Update, Resource::User)?;
    let hash = match &changes.password {
        Some(p) => {
            Some(auth::hash_password_blocking(Password::parse(p)?.expose().to_owned()).await?)
        }
        None => None,
    };
    let txn = crate::db::write_txn(db).await?;
    let before = find_visible::<user::Entity, _>(&txn, id, scope::users(viewer), "user").await?;
    check_version(before.version, version, "user")?;
    if id == viewer.user_id
        && (changes.active == Some(false) || changes.role.is_some_and(|r| r != Role::Admin))
    {
        return Err(AppError::BadInput(
            "an admin cannot deactivate or demote themself / 不能停用或降级自己的账号".into(),
        ));
    }
    let mut am: user::ActiveModel = before.clone().into();
    if let Some(n) = changes.name {
        am.name = Set(Name::parse("name", &n, 100)?.into_inner());
    }
    let role = changes.role.unwrap_or(before.role.0);
    am.role = Set(Stored(role));
    if let Some(a) = changes.active {
        am.active = Set(a);
    }
    let revoke = hash.is_some() || changes.active == Some(false) || changes.role.is_some();
    if let Some(h) = hash {
        am.password_hash = Set(h);
    }
    am.version = Set(before.version + 1);
    am.updated_at = Set(Utc::now());
    let after = save_versioned::<user::Entity, _, _>(
        &txn,
        viewer,
        "user",
        (user::Column::Id, user::Column::Version),
        &before,
        id,
        version,
        am,
    )
    .await?;
    match changes.region_ids {
        Some(ids) => set_regions(&txn, id, role, &ids).await?,
        None if role != Role::Supervisor => set_regions(&txn, id, role, &[]).await?,
        None => {}
    }
    if revoke {
        auth::revoke_all(&txn, id).await?;
    }
    txn.commit().await?;
    Ok(after)
}

/// Regions assigned to each of `supervisor_ids`, for the DataLoader.
pub async fn assigned_regions<C: ConnectionTrait>(
    db: &C,
    supervisor_ids: &[i32],
) -> AppResult<Vec<supervisor_region::Model>> {
    Ok(supervisor_region::Entity::find()
        .filter(supervisor_region::Column::SupervisorId.is_in(supervisor_ids.iter().copied()))
        .all(db)
        .await?)
}
