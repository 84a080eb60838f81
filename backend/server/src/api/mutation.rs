//! Mutations: sign-in and the writes of the foundation. Every write checks the policy,
//! the row filter and the version in the service layer, and is audited there.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, MergedObject, Object, Result};

use super::types::*;
use super::{client_address, db, ids, keys, viewer};
use crate::error::AppError;
use crate::service::{self, auth};

/// `Undefined` leaves a nullable field alone, `null` clears it, a value sets it.
fn tri<T, U>(
    m: MaybeUndefined<T>,
    f: impl FnOnce(T) -> Result<U, AppError>,
) -> Result<Option<Option<U>>, AppError> {
    Ok(match m {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(f(v)?)),
    })
}

fn payload(i: auth::Issued) -> AuthPayload {
    AuthPayload {
        access_token: i.access_token,
        refresh_token: i.refresh_token,
        expires_at: i.expires_at,
        user: User(i.user),
    }
}

#[derive(InputObject)]
pub struct CreateRegionInput {
    pub name: String,
    /// Short code, letters/digits/-/_ (stored upper-case), e.g. `EAST`.
    pub code: String,
    pub parent_id: Option<ID>,
}

#[derive(InputObject)]
pub struct UpdateRegionInput {
    pub id: ID,
    /// The version you last read; a different current version is `CONFLICT`.
    pub version: i32,
    pub name: Option<String>,
    pub code: Option<String>,
    pub parent_id: MaybeUndefined<ID>,
}

#[derive(InputObject)]
pub struct CreateRepInput {
    pub name: String,
    pub phone: Option<String>,
    /// The HR employee number (unique); imports may name the rep by it.
    pub employee_no: Option<String>,
    pub level: i32,
    pub hire_date: Date,
    pub region_id: ID,
    pub supervisor_id: Option<ID>,
    /// A REP account to link, so the rep can sign in.
    pub user_id: Option<ID>,
}

#[derive(InputObject)]
pub struct UpdateRepInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub phone: MaybeUndefined<String>,
    pub employee_no: MaybeUndefined<String>,
    pub level: Option<i32>,
    pub hire_date: Option<Date>,
    pub region_id: Option<ID>,
    pub supervisor_id: MaybeUndefined<ID>,
    pub status: Option<RepStatus>,
}

#[derive(InputObject)]
pub struct ContactInput {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[graphql(default)]
    pub is_decision_maker: bool,
}

#[derive(InputObject)]
pub struct CreateCustomerInput {
    pub name: String,
    pub industry: String,
    pub city: Option<String>,
    pub address: Option<String>,
    /// The ERP's customer number (unique); imports may name the customer by it.
    pub external_code: Option<String>,
    /// Required unless the caller is a REP (who owns what they create).
    pub owner_id: Option<ID>,
    #[graphql(default)]
    pub contacts: Vec<ContactInput>,
}

#[derive(InputObject)]
pub struct UpdateCustomerInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub industry: Option<String>,
    pub city: MaybeUndefined<String>,
    pub address: MaybeUndefined<String>,
    pub external_code: MaybeUndefined<String>,
    pub owner_id: Option<ID>,
    /// The day the decision chain changed (a new decision maker); null clears it.
    pub decision_chain_changed_on: MaybeUndefined<Date>,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// At least 8 characters.
    pub password: String,
    /// Regions to assign (SUPERVISOR only).
    #[graphql(default)]
    pub region_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct UpdateUserInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password: Option<String>,
    pub region_ids: Option<Vec<ID>>,
}

fn region_ids(v: &[ID]) -> Result<Vec<i32>, AppError> {
    v.iter().map(|i| ids::decode(i, "Region")).collect()
}

/// Every mutation: the foundation's here, the alerts' in their own module.
#[derive(MergedObject, Default)]
pub struct Mutation(
    CoreMutation,
    super::alerts::AlertMutation,
    super::targets::TargetMutation,
    super::activity::ActivityMutation,
    super::coaching::CoachingMutation,
    super::evaluations::EvaluationMutation,
    super::reviews::ReviewMutation,
    super::promotion::PromotionMutation,
    super::knowledge::KnowledgeMutation,
    super::training::TrainingMutation,
);

#[derive(Default)]
pub struct CoreMutation;

#[Object]
impl CoreMutation {
    /// Signs in. A wrong password and an unknown email get the same `UNAUTHENTICATED`.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<AuthPayload> {
        let issued = auth::login(
            db(ctx)?,
            keys(ctx)?,
            &email,
            &password,
            &client_address(ctx),
        )
        .await?;
        Ok(payload(issued))
    }

    /// Trades a refresh token for a new pair; the old one stops working.
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> Result<AuthPayload> {
        Ok(payload(
            auth::refresh(db(ctx)?, keys(ctx)?, &refresh_token).await?,
        ))
    }

    /// Revokes that refresh token.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> Result<bool> {
        Ok(auth::logout(db(ctx)?, &refresh_token).await?)
    }

    async fn create_region(&self, ctx: &Context<'_>, input: CreateRegionInput) -> Result<Region> {
        let v = viewer(ctx)?;
        let row = service::regions::create(
            db(ctx)?,
            v,
            service::regions::NewRegion {
                name: input.name,
                code: input.code,
                parent_id: ids::decode_opt(input.parent_id.as_ref(), "Region")?,
            },
        )
        .await?;
        Ok(Region(row))
    }

    async fn update_region(&self, ctx: &Context<'_>, input: UpdateRegionInput) -> Result<Region> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "Region")?;
        let changes = service::regions::RegionChanges {
            name: input.name,
            code: input.code,
            parent_id: tri(input.parent_id, |p| ids::decode(&p, "Region"))?,
        };
        Ok(Region(
            service::regions::update(db(ctx)?, v, id, input.version, changes).await?,
        ))
    }

    async fn create_rep(&self, ctx: &Context<'_>, input: CreateRepInput) -> Result<Rep> {
        let v = viewer(ctx)?;
        let row = service::reps::create(
            db(ctx)?,
            v,
            service::reps::NewRep {
                name: input.name,
                phone: input.phone,
                employee_no: input.employee_no,
                level: input.level,
                hire_date: input.hire_date.0,
                region_id: ids::decode(&input.region_id, "Region")?,
                supervisor_id: ids::decode_opt(input.supervisor_id.as_ref(), "User")?,
                user_id: ids::decode_opt(input.user_id.as_ref(), "User")?,
            },
        )
        .await?;
        Ok(Rep(row))
    }

    async fn update_rep(&self, ctx: &Context<'_>, input: UpdateRepInput) -> Result<Rep> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "Rep")?;
        let changes = service::reps::RepChanges {
            name: input.name,
            phone: tri(input.phone, Ok)?,
            employee_no: tri(input.employee_no, Ok)?,
            level: input.level,
            hire_date: input.hire_date.map(|d| d.0),
            region_id: ids::decode_opt(input.region_id.as_ref(), "Region")?,
            supervisor_id: tri(input.supervisor_id, |s| ids::decode(&s, "User"))?,
            status: input.status.map(Into::into),
        };
        Ok(Rep(service::reps::update(
            db(ctx)?,
            v,
            id,
            input.version,
            changes,
        )
        .await?))
    }

    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerInput,
    ) -> Result<Customer> {
        let v = viewer(ctx)?;
        let row = service::customers::create(
            db(ctx)?,
            v,
            service::customers::NewCustomer {
                name: input.name,
                industry: input.industry,
                city: input.city,
                address: input.address,
                external_code: input.external_code,
                owner_id: ids::decode_opt(input.owner_id.as_ref(), "Rep")?,
                contacts: input
                    .contacts
                    .into_iter()
                    .map(|c| service::customers::NewContact {
                        name: c.name,
                        title: c.title,
                        phone: c.phone,
                        email: c.email,
                        is_decision_maker: c.is_decision_maker,
                    })
                    .collect(),
            },
        )
        .await?;
        Ok(Customer(row))
    }

    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        input: UpdateCustomerInput,
    ) -> Result<Customer> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "Customer")?;
        let changes = service::customers::CustomerChanges {
            name: input.name,
            industry: input.industry,
            city: tri(input.city, Ok)?,
            address: tri(input.address, Ok)?,
            external_code: tri(input.external_code, Ok)?,
            owner_id: ids::decode_opt(input.owner_id.as_ref(), "Rep")?,
            decision_chain_changed_on: tri(input.decision_chain_changed_on, |d| Ok(d.0))?,
        };
        Ok(Customer(
            service::customers::update(db(ctx)?, v, id, input.version, changes).await?,
        ))
    }

    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let v = viewer(ctx)?;
        let row = service::users::create(
            db(ctx)?,
            Some(v),
            service::users::NewUser {
                email: input.email,
                name: input.name,
                role: input.role.into(),
                password: input.password,
                region_ids: region_ids(&input.region_ids)?,
            },
        )
        .await?;
        Ok(User(row))
    }

    async fn update_user(&self, ctx: &Context<'_>, input: UpdateUserInput) -> Result<User> {
        let v = viewer(ctx)?;
        let id = ids::decode(&input.id, "User")?;
        let changes = service::users::UserChanges {
            name: input.name,
            role: input.role.map(Into::into),
            active: input.active,
            password: input.password,
            region_ids: input.region_ids.as_deref().map(region_ids).transpose()?,
        };
        Ok(User(
            service::users::update(db(ctx)?, v, id, input.version, changes).await?,
        ))
    }
}
