//! Customers (客户): accounts owned by one rep, with their contacts.

use chrono::Utc;
use dudao_domain::{Action, Capability, Email, Name, Resource, Viewer};
use sea_orm::IntoSimpleExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::Query,
};

use super::page::{self, Page, PageArgs};
use super::{
    Direction, audit, check_version, contains_ci, find_visible, optional_text, require,
    save_versioned, scope,
};
use crate::entity::{complaint, customer, customer_contact, customer_score, rep};
use crate::error::{AppError, AppResult};

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub search: Option<String>,
    pub owner_id: Option<i32>,
    pub region_id: Option<i32>,
    pub industry: Option<String>,
    pub city: Option<String>,
    /// "A", "B" or "C" (from the last score refresh).
    pub tier: Option<&'static str>,
    /// Only customers with a churn warning.
    pub churn_risk: bool,
    /// Only customers whose health score is below this.
    pub health_below: Option<i32>,
}

#[derive(Clone, Copy, Debug, Default)]
pub enum SortField {
    #[default]
    Name,
    Industry,
    City,
    CreatedAt,
}

pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Filter,
    sort: (SortField, Direction),
    args: PageArgs,
) -> AppResult<Page<customer::Model>> {
    let mut q = customer::Entity::find().filter(scope::customers(viewer));
    if let Some(s) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        q = q.filter(
            sea_orm::Condition::any()
                .add(contains_ci((customer::Entity, customer::Column::Name), s))
                .add(contains_ci((customer::Entity, customer::Column::City), s)),
        );
    }
    if let Some(o) = filter.owner_id {
        q = q.filter(customer::Column::OwnerRepId.eq(o));
    }
    if let Some(r) = filter.region_id {
        q = q.filter(
            customer::Column::OwnerRepId.in_subquery(
                Query::select()
                    .column(rep::Column::Id)
                    .from(rep::Entity)
                    .and_where(rep::Column::RegionId.eq(r))
                    .take(),
            ),
        );
    }
    if filter.tier.is_some() || filter.churn_risk || filter.health_below.is_some() {
        let mut scores = Query::select()
            .column(customer_score::Column::CustomerId)
            .from(customer_score::Entity)
            .take();
        if let Some(t) = filter.tier {
            scores.and_where(customer_score::Column::Tier.eq(t));
        }
        if filter.churn_risk {
            scores.and_where(customer_score::Column::ChurnRisk.eq(1));
        }
        if let Some(h) = filter.health_below {
            scores.and_where(customer_score::Column::Health.lt(h));
        }
        q = q.filter(customer::Column::Id.in_subquery(scores));
    }
    if let Some(i) = filter.industry.filter(|s| !s.is_empty()) {
        q = q.filter(customer::Column::Industry.eq(i));
    }
    if let Some(c) = filter.city.filter(|s| !s.is_empty()) {
        q = q.filter(customer::Column::City.eq(c));
    }
    let col = match sort.0 {
        SortField::Name => page::by_name(customer::Entity),
        SortField::Industry => customer::Column::Industry.into_simple_expr(),
        SortField::City => customer::Column::City.into_simple_expr(),
        SortField::CreatedAt => customer::Column::CreatedAt.into_simple_expr(),
    };
    q = q
        .order_by(col, sort.1.into())
        .order_by_asc(customer::Column::Id);
    page::fetch(db, q, args).await
}

pub async fn get(db: &DatabaseConnection, viewer: &Viewer, id: i32) -> AppResult<customer::Model> {
    find_visible::<customer::Entity, _>(db, id, scope::customers(viewer), "customer").await
}

pub struct NewContact {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub is_decision_maker: bool,
}

pub struct NewCustomer {
    pub name: String,
    pub industry: String,
    pub city: Option<String>,
    pub address: Option<String>,
    /// The ERP's customer number.
    pub external_code: Option<String>,
    /// Defaults to the viewer's own rep record for a REP.
    pub owner_id: Option<i32>,
    pub contacts: Vec<NewContact>,
}

#[derive(Default)]
pub struct CustomerChanges {
    pub name: Option<String>,
    pub industry: Option<String>,
    pub city: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub external_code: Option<Option<String>>,
    pub owner_id: Option<i32>,
    pub decision_chain_changed_on: Option<Option<chrono::NaiveDate>>,
}

/// The owner must be a rep the viewer can see; a REP may only own customers themself.
async fn resolve_owner<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    owner: Option<i32>,
) -> AppResult<i32> {
    if !viewer.can(Capability::AssignCustomers) {
        let own = rep::Entity::find()
            .filter(scope::reps(viewer))
            .one(db)
            .await?
            .ok_or_else(AppError::forbidden)?;
        return match owner {
            Some(o) if o != own.id => Err(AppError::forbidden()),
            _ => Ok(own.id),
        };
    }
    let id = owner.ok_or_else(|| AppError::BadInput("ownerId: required".into()))?;
    match find_visible::<rep::Entity, _>(db, id, scope::reps(viewer), "rep").await {
        Ok(r) => Ok(r.id),
        Err(AppError::NotFound(_)) => Err(AppError::BadInput(format!(
            "ownerId: rep {id} does not exist"
        ))),
        Err(e) => Err(e),
    }
}

pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewCustomer,
) -> AppResult<customer::Model> {
    require(viewer, Action::Create, Resource::Customer)?;
    let name = Name::parse("name", &input.name, 200)?.into_inner();
    let industry = Name::parse("industry", &input.industry, 60)?.into_inner();
    let city = optional_text("city", input.city, 60)?;
    let address = optional_text("address", input.address, 300)?;
    let external_code =
        dudao_domain::external_code("externalCode", input.external_code.as_deref(), 64)?;
    if input.contacts.len() > 20 {
        return Err(AppError::BadInput("contacts: at most 20".into()));
    }
    let mut contacts = Vec::with_capacity(input.contacts.len());
    for c in input.contacts {
        contacts.push(customer_contact::ActiveModel {
            name: Set(Name::parse("contacts.name", &c.name, 100)?.into_inner()),
            title: Set(optional_text("contacts.title", c.title, 100)?),
            phone: Set(optional_text("contacts.phone", c.phone, 40)?),
            email: Set(match c.email.filter(|e| !e.trim().is_empty()) {
                Some(e) => Some(Email::parse(&e)?.to_string()),
                None => None,
            }),
            is_decision_maker: Set(c.is_decision_maker),
            ..Default::default()
        });
    }
    let txn = crate::db::write_txn(db).await?;
    let owner = resolve_owner(&txn, viewer, input.owner_id).await?;
    let now = Utc::now();
    let row = customer::ActiveModel {
        name: Set(name),
        owner_rep_id: Set(owner),
        industry: Set(industry),
        city: Set(city),
        address: Set(address),
        external_code: Set(external_code),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for mut c in contacts {
        c.customer_id = Set(row.id);
        c.insert(&txn).await?;
    }
    audit::record(
        &txn,
        Some(viewer.user_id),
        "create",
        "customer",
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
    changes: CustomerChanges,
) -> AppResult<customer::Model> {
    require(viewer, Action::Update, Resource::Customer)?;
    let txn = crate::db::write_txn(db).await?;
    let before =
        find_visible::<customer::Entity, _>(&txn, id, scope::customers(viewer), "customer").await?;
    check_version(before.version, version, "customer")?;
    let mut am: customer::ActiveModel = before.clone().into();
    if let Some(n) = changes.name {
        am.name = Set(Name::parse("name", &n, 200)?.into_inner());
    }
    if let Some(i) = changes.industry {
        am.industry = Set(Name::parse("industry", &i, 60)?.into_inner());
    }
    if let Some(c) = changes.city {
        am.city = Set(optional_text("city", c, 60)?);
    }
    if let Some(a) = changes.address {
        am.address = Set(optional_text("address", a, 300)?);
    }
    if let Some(c) = changes.external_code {
        am.external_code = Set(dudao_domain::external_code(
            "externalCode",
            c.as_deref(),
            64,
        )?);
    }
    if let Some(d) = changes.decision_chain_changed_on {
        if d.is_some_and(|d| d > crate::clock::today()) {
            return Err(AppError::BadInput(
                "decisionChainChangedOn: 不能是将来的日期 / cannot be in the future".into(),
            ));
        }
        am.decision_chain_changed_on = Set(d);
    }
    if let Some(o) = changes.owner_id
        && o != before.owner_rep_id
    {
        // Reassigning an account is a supervisor's or director's call, not the rep's.
        if !viewer.can(Capability::AssignCustomers) {
            return Err(AppError::forbidden());
        }
        am.owner_rep_id = Set(resolve_owner(&txn, viewer, Some(o)).await?);
    }
    am.version = Set(before.version + 1);
    am.updated_at = Set(Utc::now());
    let after = save_versioned::<customer::Entity, _, _>(
        &txn,
        viewer,
        "customer",
        (customer::Column::Id, customer::Column::Version),
        &before,
        id,
        version,
        am,
    )
    .await?;
    if after.owner_rep_id != before.owner_rep_id {
        // The new owner answers the customer's open complaints (and sees them); resolved
        // ones stay with the rep who handled them, as their process figures count them.
        complaint::Entity::update_many()
            .col_expr(
                complaint::Column::RepId,
                sea_orm::sea_query::Expr::value(after.owner_rep_id),
            )
            .col_expr(
                complaint::Column::Version,
                sea_orm::sea_query::ExprTrait::add(
                    sea_orm::sea_query::Expr::col(complaint::Column::Version),
                    1,
                ),
            )
            .filter(complaint::Column::CustomerId.eq(id))
            .filter(complaint::Column::ResolvedAt.is_null())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(after)
}
