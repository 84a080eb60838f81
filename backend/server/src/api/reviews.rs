//! GraphQL shape of review meetings (复盘会) and customer handovers (客户交接).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use dudao_domain::Money;

use super::coaching::ActionItem;
use super::scorecard::{Decimal, PeriodInfo, PeriodInput, Scorecard};
use super::types::{ConnectionOf, Customer, Date, Region, Rep, User, connection};
use super::{db, ids, load_err, viewer};
use crate::entity::{customer_handover, review_meeting, root_cause};
use crate::error::AppError;
use crate::service::{self, page::PageArgs};

/// A problem found in a review meeting, its 5-Why chain and root cause.
pub struct RootCause(root_cause::Model);

#[Object]
impl RootCause {
    async fn id(&self) -> ID {
        ids::encode("RootCause", self.0.id)
    }
    async fn problem(&self) -> &str {
        &self.0.problem
    }
    /// The answers to "why?", in order (one to five).
    async fn whys(&self) -> Vec<String> {
        serde_json::from_str(&self.0.whys).unwrap_or_default()
    }
    async fn root_cause(&self) -> Option<&str> {
        self.0.root_cause.as_deref()
    }
}

pub struct ReviewMeeting(pub review_meeting::Model);

impl ReviewMeeting {
    fn period_of(&self) -> dudao_domain::Period {
        dudao_domain::Period::containing(self.0.period_kind.0, self.0.period_start)
    }
}

/// A review meeting (复盘会) of a region for a month or quarter.
#[Object]
impl ReviewMeeting {
    pub async fn id(&self) -> ID {
        ids::encode("ReviewMeeting", self.0.id)
    }
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let l = super::loaders(ctx)?;
        Ok(l.region
            .load_one(self.0.region_id)
            .await
            .map_err(load_err)?
            .map(Region))
    }
    async fn period(&self) -> PeriodInfo {
        PeriodInfo::new(self.period_of())
    }
    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The region's figures for the period, as the scorecard shows them; null for a
    /// caller who may not read region figures (a rep).
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn scorecard(&self, ctx: &Context<'_>) -> Result<Option<Scorecard>> {
        let v = viewer(ctx)?;
        let p = self.period_of();
        match service::scorecard::scorecard(
            db(ctx)?,
            v,
            service::scorecard::Scope::Region(self.0.region_id),
            p,
            service::scorecard::Parts::ALL,
        )
        .await
        {
            Ok(f) => Ok(Some(Scorecard::new(p, &f))),
            Err(AppError::Forbidden(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    async fn root_causes(&self, ctx: &Context<'_>) -> Result<Vec<RootCause>> {
        Ok(super::loaders(ctx)?
            .meeting_root_causes
            .load_one(self.0.id)
            .await
            .map_err(super::load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(RootCause)
            .collect())
    }
    /// The SMART actions agreed in it.
    async fn action_items(&self, ctx: &Context<'_>) -> Result<Vec<ActionItem>> {
        Ok(super::loaders(ctx)?
            .meeting_actions
            .load_one(self.0.id)
            .await
            .map_err(super::load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(ActionItem)
            .collect())
    }
    /// Actions of the region's earlier meetings still open: what this one follows up.
    async fn carried_over(&self, ctx: &Context<'_>) -> Result<Vec<ActionItem>> {
        Ok(super::loaders(ctx)?
            .meeting_carried_over
            .load_one((self.0.region_id, self.0.period_start))
            .await
            .map_err(super::load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(ActionItem)
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One customer on a departing rep's handover list, as it stands.
#[derive(SimpleObject)]
pub struct HandoverListEntry {
    pub customer_id: ID,
    pub name: String,
    pub contacts: i64,
    pub open_opportunities: i64,
    pub open_pipeline: Decimal,
    pub outstanding: Decimal,
    pub last_visit_on: Option<Date>,
    pub last_note: Option<String>,
}

/// A customer handed from one rep to another: the ownership history.
pub struct CustomerHandover(customer_handover::Model);

#[Object]
impl CustomerHandover {
    async fn id(&self) -> ID {
        ids::encode("CustomerHandover", self.0.id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>> {
        let l = super::loaders(ctx)?;
        Ok(l.customer
            .load_one(self.0.customer_id)
            .await
            .map_err(load_err)?
            .map(Customer))
    }
    /// The rep who handed the customer over.
    #[graphql(name = "fromRep")]
    async fn departing_rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        let l = super::loaders(ctx)?;
        Ok(l.rep
            .load_one(self.0.from_rep_id)
            .await
            .map_err(load_err)?
            .map(Rep))
    }
    async fn to_rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        let l = super::loaders(ctx)?;
        Ok(l.rep
            .load_one(self.0.to_rep_id)
            .await
            .map_err(load_err)?
            .map(Rep))
    }
    async fn handed_on(&self) -> Date {
        Date(self.0.handed_on)
    }
    async fn contacts(&self) -> i32 {
        self.0.contacts
    }
    async fn open_opportunities(&self) -> i32 {
        self.0.open_opportunities
    }
    async fn open_pipeline(&self) -> Decimal {
        Decimal(Money(self.0.open_pipeline_cents))
    }
    async fn outstanding(&self) -> Decimal {
        Decimal(Money(self.0.outstanding_cents))
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// The handover ride-along to do, when one was asked for.
    async fn ride_along_id(&self) -> Option<ID> {
        self.0.action_item_id.map(|a| ids::encode("ActionItem", a))
    }
    async fn by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let l = super::loaders(ctx)?;
        Ok(l.user
            .load_one(self.0.created_by)
            .await
            .map_err(load_err)?
            .map(User))
    }
}

#[derive(Default)]
pub struct ReviewQuery;

#[Object]
impl ReviewQuery {
    /// Review meetings of the regions the caller reads, newest period first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn review_meetings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        region_id: Option<ID>,
    ) -> Result<ConnectionOf<ReviewMeeting>> {
        let v = viewer(ctx)?;
        let region = ids::decode_opt(region_id.as_ref(), "Region")?;
        let p = service::reviews::list(
            db(ctx)?,
            v,
            region,
            PageArgs::parse(first.map(i64::from), after.as_deref())?,
        )
        .await?;
        Ok(connection(p, ReviewMeeting))
    }

    /// A rep's handover list (客户交接清单): every customer with contacts, open
    /// opportunities, outstanding receivables and the last visit (supervisor, director).
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn handover_list(&self, ctx: &Context<'_>, rep_id: ID) -> Result<Vec<HandoverListEntry>> {
        let v = viewer(ctx)?;
        let id = ids::decode(&rep_id, "Rep")?;
        Ok(service::handovers::checklist(db(ctx)?, v, id)
            .await?
            .into_iter()
            .map(|r| HandoverListEntry {
                customer_id: ids::encode("Customer", r.customer_id),
                name: r.name,
                contacts: r.contacts,
                open_opportunities: r.open_opportunities,
                open_pipeline: Decimal(Money(r.pipeline_cents)),
                outstanding: Decimal(Money(r.outstanding_cents)),
                last_visit_on: r.last_visit_on.map(Date),
                last_note: r.last_note,
            })
            .collect())
    }

    /// Ownership history: of a customer, or the handovers from and to a rep.
    async fn handovers(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<ID>,
        rep_id: Option<ID>,
    ) -> Result<Vec<CustomerHandover>> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let rows = match (
            ids::decode_opt(customer_id.as_ref(), "Customer")?,
            ids::decode_opt(rep_id.as_ref(), "Rep")?,
        ) {
            (Some(c), None) => service::handovers::history(db, v, c).await?,
            (None, Some(r)) => service::handovers::of_rep(db, v, r).await?,
            _ => {
                return Err(AppError::BadInput(
                    "需要 customerId 或 repId 之一 / give one of customerId and repId".into(),
                )
                .into());
            }
        };
        Ok(rows.into_iter().map(CustomerHandover).collect())
    }
}

#[derive(InputObject)]
pub struct CreateReviewMeetingInput {
    pub region_id: ID,
    pub period: PeriodInput,
    pub held_on: Date,
    pub summary: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateReviewMeetingInput {
    pub id: ID,
    pub version: i32,
    pub held_on: Option<Date>,
    #[graphql(default)]
    pub summary: MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct AddRootCauseInput {
    pub meeting_id: ID,
    pub problem: String,
    /// One to five answers to "why?".
    pub whys: Vec<String>,
    pub root_cause: Option<String>,
}

#[derive(InputObject)]
pub struct AddReviewActionInput {
    pub meeting_id: ID,
    pub title: String,
    /// SMART: who, a measurable target, by when (not past).
    pub owner_id: Option<ID>,
    pub measure: Option<String>,
    pub due_on: Option<Date>,
}

#[derive(InputObject)]
pub struct HandOverCustomersInput {
    pub from_rep_id: ID,
    pub to_rep_id: ID,
    /// Empty: every customer the departing rep owns.
    #[graphql(default)]
    pub customer_ids: Vec<ID>,
    pub handed_on: Date,
    pub notes: Option<String>,
    /// An action item to ride along on a first visit with the new owner.
    #[graphql(default = true)]
    pub ride_along: bool,
}

#[derive(Default)]
pub struct ReviewMutation;

#[Object]
impl ReviewMutation {
    /// Holds a review meeting of a region for a month or quarter (its supervisor, a director).
    async fn create_review_meeting(
        &self,
        ctx: &Context<'_>,
        input: CreateReviewMeetingInput,
    ) -> Result<ReviewMeeting> {
        let v = viewer(ctx)?;
        Ok(ReviewMeeting(
            service::reviews::create(
                db(ctx)?,
                v,
                ids::decode(&input.region_id, "Region")?,
                input.period.parse()?,
                input.held_on.0,
                input.summary,
            )
            .await?,
        ))
    }

    async fn update_review_meeting(
        &self,
        ctx: &Context<'_>,
        input: UpdateReviewMeetingInput,
    ) -> Result<ReviewMeeting> {
        let v = viewer(ctx)?;
        let summary = match input.summary {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(s) => Some(Some(s)),
        };
        Ok(ReviewMeeting(
            service::reviews::update(
                db(ctx)?,
                v,
                ids::decode(&input.id, "ReviewMeeting")?,
                input.version,
                input.held_on.map(|d| d.0),
                summary,
            )
            .await?,
        ))
    }

    /// A problem with its 5-Why chain and root cause.
    async fn add_root_cause(
        &self,
        ctx: &Context<'_>,
        input: AddRootCauseInput,
    ) -> Result<RootCause> {
        let v = viewer(ctx)?;
        Ok(RootCause(
            service::reviews::add_root_cause(
                db(ctx)?,
                v,
                ids::decode(&input.meeting_id, "ReviewMeeting")?,
                input.problem,
                input.whys,
                input.root_cause,
            )
            .await?,
        ))
    }

    /// A SMART action (owner, measurable target, due day) followed to closure.
    async fn add_review_action(
        &self,
        ctx: &Context<'_>,
        input: AddReviewActionInput,
    ) -> Result<ActionItem> {
        let v = viewer(ctx)?;
        Ok(ActionItem(
            service::reviews::add_action(
                db(ctx)?,
                v,
                ids::decode(&input.meeting_id, "ReviewMeeting")?,
                input.title,
                ids::decode_opt(input.owner_id.as_ref(), "User")?,
                input.measure,
                input.due_on.map(|d| d.0),
            )
            .await?,
        ))
    }

    /// Hands a departing rep's customers (all, or those named) to a new owner.
    async fn hand_over_customers(
        &self,
        ctx: &Context<'_>,
        input: HandOverCustomersInput,
    ) -> Result<Vec<CustomerHandover>> {
        let v = viewer(ctx)?;
        let customers = input
            .customer_ids
            .iter()
            .map(|c| ids::decode(c, "Customer"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(service::handovers::hand_over(
            db(ctx)?,
            v,
            service::handovers::Handover {
                from_rep: ids::decode(&input.from_rep_id, "Rep")?,
                to_rep: ids::decode(&input.to_rep_id, "Rep")?,
                customers,
                handed_on: input.handed_on.0,
                notes: input.notes,
                ride_along: input.ride_along,
            },
        )
        .await?
        .into_iter()
        .map(CustomerHandover)
        .collect())
    }
}
