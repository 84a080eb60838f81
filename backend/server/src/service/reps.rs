//! Sales reps (销售代表): level, hire date, region, supervisor, status.

use chrono::{NaiveDate, Utc};
use dudao_domain::{Action, Name, RepLevel, RepStatus, Resource, Role, Viewer};
use sea_orm::IntoSimpleExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::page::{self, Page, PageArgs};
use super::{
    Direction, audit, check_version, contains_ci, find_visible, require, save_versioned, scope,
};
use crate::entity::{Stored, region, rep, user};
use crate::error::{AppError, AppResult};

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub search: Option<String>,
    pub region_id: Option<i32>,
    pub supervisor_id: Option<i32>,
    pub status: Option<RepStatus>,
    pub level: Option<i32>,
}

#[derive(Clone, Copy, Debug, Default)]
pub enum SortField {
    #[default]
    Name,
    HireDate,
    Level,
    CreatedAt,
}

pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Filter,
    sort: (SortField, Direction),
    args: PageArgs,
) -> AppResult<Page<rep::Model>> {
    let mut q = rep::Entity::find().filter(scope::reps(viewer));
    if let Some(s) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        q = q.filter(
            sea_orm::Condition::any()
                .add(contains_ci((rep::Entity, rep::Column::Name), s))
                .add(contains_ci((rep::Entity, rep::Column::Phone), s)),
        );
    }
    if let Some(r) = filter.region_id {
        q = q.filter(rep::Column::RegionId.eq(r));
    }
    if let Some(s) = filter.supervisor_id {
        q = q.filter(rep::Column::SupervisorId.eq(s));
    }
    if let Some(s) = filter.status {
        q = q.filter(rep::Column::Status.eq(Stored(s)));
    }
    if let Some(l) = filter.level {
        q = q.filter(rep::Column::Level.eq(l));
    }
    let col = match sort.0 {
        SortField::Name => page::by_name(rep::Entity),
        SortField::HireDate => rep::Column::HireDate.into_simple_expr(),
        SortField::Level => rep::Column::Level.into_simple_expr(),
        SortField::CreatedAt => rep::Column::CreatedAt.into_simple_expr(),
    };
    q = q.order_by(col, sort.1.into()).order_by_asc(rep::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<rep::Model> {
    find_visible::<rep::Entity, _>(db, id, scope::reps(viewer), "rep").await
}

pub struct NewRep {
    pub name: String,
    pub phone: Option<String>,
    /// The HR employee number.
    pub employee_no: Option<String>,
    pub level: i32,
    pub hire_date: NaiveDate,
    pub region_id: i32,
    pub supervisor_id: Option<i32>,
    pub user_id: Option<i32>,
}

#[derive(Default)]
pub struct RepChanges {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub employee_no: Option<Option<String>>,
    pub level: Option<i32>,
    pub hire_date: Option<NaiveDate>,
    pub region_id: Option<i32>,
    pub supervisor_id: Option<Option<i32>>,
    pub status: Option<RepStatus>,
}

async fn check_region<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<()> {
    if region::Entity::find_by_id(id).one(db).await?.is_none() {
        return Err(AppError::BadInput(format!(
            "regionId: region {id} does not exist"
        )));
    }
    Ok(())
}

async fn check_user_role<C: ConnectionTrait>(
    db: &C,
    id: i32,
    role: Role,
    field: &str,
) -> AppResult<()> {
    match user::Entity::find_by_id(id).one(db).await? {
        Some(u) if u.role == role => Ok(()),
        Some(_) => Err(AppError::BadInput(format!(
            "{field}: user {id} is not a {role}"
        ))),
        None => Err(AppError::BadInput(format!(
            "{field}: user {id} does not exist"
        ))),
    }
}

fn check_hire_date(d: NaiveDate) -> AppResult<NaiveDate> {
    if d > crate::clock::today() + chrono::Duration::days(366) {
        return Err(AppError::BadInput(
            "hireDate: more than a year ahead".into(),
        ));
    }
    Ok(d)
}

fn clean_phone(p: Option<String>) -> AppResult<Option<String>> {
    match p.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()) {
        Some(p) if p.chars().count() > 40 => {
            Err(AppError::BadInput("phone: at most 40 characters".into()))
        }
        other => Ok(other),
    }
}

pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewRep,
) -> AppResult<rep::Model> {
    require(viewer, Action::Create, Resource::Rep)?;
    let name = Name::parse("name", &input.name, 100)?.into_inner();
    let level = RepLevel::parse(input.level)?.get();
    let hire_date = check_hire_date(input.hire_date)?;
    let phone = clean_phone(input.phone)?;
    let employee_no = dudao_domain::external_code("employeeNo", input.employee_no.as_deref(), 32)?;
    let txn = crate::db::write_txn(db).await?;
    check_region(&txn, input.region_id).await?;
    if let Some(s) = input.supervisor_id {
        check_user_role(&txn, s, Role::Supervisor, "supervisorId").await?;
    }
    if let Some(u) = input.user_id {
        check_user_role(&txn, u, Role::Rep, "userId").await?;
    }
    let now = Utc::now();
    let row = rep::ActiveModel {
        user_id: Set(input.user_id),
        name: Set(name),
        phone: Set(phone),
        employee_no: Set(employee_no),
        level: Set(level),
        hire_date: Set(hire_date),
        region_id: Set(input.region_id),
        supervisor_id: Set(input.supervisor_id),
        status: Set(Stored(RepStatus::Active)),
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
        "rep",
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
    changes: RepChanges,
) -> AppResult<rep::Model> {
    require(viewer, Action::Update, Resource::Rep)?;
    let txn = crate::db::write_txn(db).await?;
    let before = find_visible::<rep::Entity, _>(&txn, id, scope::reps(viewer), "rep").await?;
    check_version(before.version, version, "rep")?;
    let mut am: rep::ActiveModel = before.clone().into();
    if let Some(n) = changes.name {
        am.name = Set(Name::parse("name", &n, 100)?.into_inner());
    }
    if let Some(p) = changes.phone {
        am.phone = Set(clean_phone(p)?);
    }
    if let Some(e) = changes.employee_no {
        am.employee_no = Set(dudao_domain::external_code("employeeNo", e.as_deref(), 32)?);
    }
    if let Some(l) = changes.level {
        am.level = Set(RepLevel::parse(l)?.get());
    }
    if let Some(d) = changes.hire_date {
        am.hire_date = Set(check_hire_date(d)?);
    }
    if let Some(r) = changes.region_id {
        check_region(&txn, r).await?;
        am.region_id = Set(r);
    }
    if let Some(s) = changes.supervisor_id {
        if let Some(s) = s {
            check_user_role(&txn, s, Role::Supervisor, "supervisorId").await?;
        }
        am.supervisor_id = Set(s);
    }
    if let Some(s) = changes.status {
        am.status = Set(Stored(s));
    }
    am.version = Set(before.version + 1);
    am.updated_at = Set(Utc::now());
    let after = save_versioned::<rep::Entity, _, _>(
        &txn,
        viewer,
        "rep",
        (rep::Column::Id, rep::Column::Version),
        &before,
        id,
        version,
        am,
    )
    .await?;
    if after.region_id != before.region_id {
        super::rollups::rep_moved(&txn, before.region_id, after.region_id).await?;
    }
    txn.commit().await?;
    Ok(after)
}
