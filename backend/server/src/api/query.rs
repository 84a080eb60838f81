//! Queries: thin resolvers that parse arguments, call the service layer and wrap rows.

use async_graphql::{Context, Enum, ID, InputObject, MergedObject, Object, Result};

use super::types::*;
use super::{db, ids, viewer};
use crate::error::AppError;
use crate::service::{self, page::PageArgs};

macro_rules! order_input {
    ($input:ident, $field:ident, $svc:path, { $($variant:ident => $target:ident),* $(,)? }) => {
        #[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $field { $($variant),* }

        #[derive(InputObject, Clone, Copy, Debug)]
        pub struct $input {
            pub field: $field,
            #[graphql(default)]
            pub direction: OrderDirection,
        }

        impl $input {
            fn sort(o: Option<Self>) -> ($svc, service::Direction) {
                use $svc as S;
                match o {
                    None => (S::default(), service::Direction::Asc),
                    Some(o) => (match o.field { $($field::$variant => S::$target),* }, o.direction.into()),
                }
            }
        }
    };
}

order_input!(RegionOrderBy, RegionOrderField, service::regions::SortField,
    { Name => Name, Code => Code, CreatedAt => CreatedAt });
order_input!(RepOrderBy, RepOrderField, service::reps::SortField,
    { Name => Name, HireDate => HireDate, Level => Level, CreatedAt => CreatedAt });
order_input!(CustomerOrderBy, CustomerOrderField, service::customers::SortField,
    { Name => Name, Industry => Industry, City => City, CreatedAt => CreatedAt });
order_input!(OrderOrderBy, OrderOrderField, service::orders::SortField,
    { OrderedOn => OrderedOn, Amount => Amount });
order_input!(UserOrderBy, UserOrderField, service::users::SortField,
    { Name => Name, Email => Email, CreatedAt => CreatedAt });

#[derive(InputObject, Default)]
pub struct RegionFilter {
    /// Matches name or code, case-insensitively.
    pub search: Option<String>,
    pub parent_id: Option<ID>,
    /// Only regions without a parent.
    pub top_level_only: Option<bool>,
}

#[derive(InputObject, Default)]
pub struct RepFilter {
    /// Matches name or phone.
    pub search: Option<String>,
    pub region_id: Option<ID>,
    pub supervisor_id: Option<ID>,
    pub status: Option<RepStatus>,
    pub level: Option<i32>,
}

#[derive(InputObject, Default)]
pub struct CustomerFilter {
    /// Matches name or city.
    pub search: Option<String>,
    pub owner_id: Option<ID>,
    pub region_id: Option<ID>,
    pub industry: Option<String>,
    pub city: Option<String>,
    /// Tier A, B or C as of the last score refresh.
    pub tier: Option<super::types::CustomerTier>,
    /// Only customers with a churn warning (an order in the past year, none in 90 days).
    pub churn_risk: Option<bool>,
    /// Only customers whose health score is below this.
    pub health_below: Option<i32>,
}

#[derive(InputObject, Default)]
pub struct OrderFilter {
    pub rep_id: Option<ID>,
    pub region_id: Option<ID>,
    pub customer_id: Option<ID>,
    /// First day, inclusive.
    pub from: Option<Date>,
    /// Last day, inclusive.
    pub to: Option<Date>,
    /// Also list cancelled orders.
    pub include_cancelled: Option<bool>,
}

#[derive(InputObject, Default)]
pub struct UserFilter {
    /// Matches name or email.
    pub search: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

fn page(first: Option<i32>, after: Option<&str>) -> Result<PageArgs, AppError> {
    PageArgs::parse(first.map(i64::from), after)
}

/// Every query: the foundation's and sales' here, the alerts' in their own module.
#[derive(MergedObject, Default)]
pub struct Query(
    CoreQuery,
    super::alerts::AlertQuery,
    super::targets::TargetQuery,
    super::activity::ActivityQuery,
    super::coaching::CoachingQuery,
    super::evaluations::EvaluationQuery,
    super::reviews::ReviewQuery,
    super::promotion::PromotionQuery,
    super::knowledge::KnowledgeQuery,
    super::training::TrainingQuery,
);

#[derive(Default)]
pub struct CoreQuery;

#[Object]
impl CoreQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        let v = viewer(ctx)?;
        Ok(User(service::users::me(db(ctx)?, v).await?))
    }

    /// Any object by its global id. Something the caller may not read is `FORBIDDEN`.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Node> {
        let v = viewer(ctx)?;
        let db = db(ctx)?;
        let (kind, n) = ids::parse(&id)?;
        Ok(match kind.as_str() {
            "User" => Node::User(User(service::users::get(db, v, n).await?)),
            "Region" => Node::Region(Region(service::regions::get(db, v, n).await?)),
            "Rep" => Node::Rep(Rep(service::reps::get(db, v, n).await?)),
            "Customer" => Node::Customer(Customer(service::customers::get(db, v, n).await?)),
            "Order" => Node::Order(Order(service::orders::get(db, v, n).await?)),
            "Alert" => Node::Alert(super::alerts::Alert::new(
                service::alerts::get(db, v, n).await?,
            )),
            "Activity" => Node::Activity(super::activity::Activity(
                service::activity::get(db, v, n).await?,
            )),
            "Complaint" => Node::Complaint(super::activity::Complaint(
                service::activity::get_complaint(db, v, n).await?,
            )),
            "Target" => Node::Target(super::targets::Target(
                service::targets::get(db, v, n).await?,
            )),
            "CoachingSession" => Node::CoachingSession(super::coaching::CoachingSession(
                service::coaching::get(db, v, n).await?,
            )),
            "ActionItem" => Node::ActionItem(super::coaching::ActionItem(
                service::coaching::action_item(db, v, n).await?,
            )),
            "Evaluation" => Node::Evaluation(super::evaluations::Evaluation(
                service::evaluations::get(db, v, n).await?,
            )),
            "ReviewMeeting" => Node::ReviewMeeting(super::reviews::ReviewMeeting(
                service::reviews::get(db, v, n).await?,
            )),
            "Survey" => Node::Survey(super::evaluations::Survey(
                service::surveys::get(db, v, n).await?,
            )),
            "Article" => Node::Article(super::knowledge::Article::new(
                service::knowledge::get(db, n).await?,
            )),
            "Contribution" => Node::Contribution(super::knowledge::Contribution(
                service::knowledge::contribution(db, v, n).await?,
            )),
            "Course" => Node::Course(super::training::Course(
                service::training::course(db, n).await?,
            )),
            "TrainingSession" => Node::TrainingSession(super::training::TrainingSession(
                service::training::session(db, n).await?,
            )),
            _ => {
                return Err(
                    AppError::NotFound(format!("no object with id {}", id.as_str())).into(),
                );
            }
        })
    }

    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn regions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<RegionFilter>,
        order_by: Option<RegionOrderBy>,
    ) -> Result<ConnectionOf<Region>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::regions::Filter {
            search: f.search,
            parent_id: ids::decode_opt(f.parent_id.as_ref(), "Region")?,
            top_level_only: f.top_level_only.unwrap_or(false),
        };
        let p = service::regions::list(
            db(ctx)?,
            v,
            filter,
            RegionOrderBy::sort(order_by),
            page(first, after.as_deref())?,
        )
        .await?;
        Ok(connection(p, Region))
    }

    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn reps(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<RepFilter>,
        order_by: Option<RepOrderBy>,
    ) -> Result<ConnectionOf<Rep>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::reps::Filter {
            search: f.search,
            region_id: ids::decode_opt(f.region_id.as_ref(), "Region")?,
            supervisor_id: ids::decode_opt(f.supervisor_id.as_ref(), "User")?,
            status: f.status.map(Into::into),
            level: f.level,
        };
        let p = service::reps::list(
            db(ctx)?,
            v,
            filter,
            RepOrderBy::sort(order_by),
            page(first, after.as_deref())?,
        )
        .await?;
        Ok(connection(p, Rep))
    }

    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<CustomerFilter>,
        order_by: Option<CustomerOrderBy>,
    ) -> Result<ConnectionOf<Customer>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::customers::Filter {
            search: f.search,
            owner_id: ids::decode_opt(f.owner_id.as_ref(), "Rep")?,
            region_id: ids::decode_opt(f.region_id.as_ref(), "Region")?,
            industry: f.industry,
            city: f.city,
            tier: f.tier.map(|t| match t {
                super::types::CustomerTier::A => "A",
                super::types::CustomerTier::B => "B",
                super::types::CustomerTier::C => "C",
            }),
            churn_risk: f.churn_risk.unwrap_or(false),
            health_below: f.health_below,
        };
        let p = service::customers::list(
            db(ctx)?,
            v,
            filter,
            CustomerOrderBy::sort(order_by),
            page(first, after.as_deref())?,
        )
        .await?;
        Ok(connection(p, Customer))
    }

    /// Orders the caller may read; with a scope's filter and a period's dates, exactly the
    /// orders behind that scorecard's sales figure.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<OrderFilter>,
        order_by: Option<OrderOrderBy>,
    ) -> Result<ConnectionOf<Order>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::orders::Filter {
            rep_id: ids::decode_opt(f.rep_id.as_ref(), "Rep")?,
            region_id: ids::decode_opt(f.region_id.as_ref(), "Region")?,
            customer_id: ids::decode_opt(f.customer_id.as_ref(), "Customer")?,
            from: f.from.map(|d| d.0),
            to: f.to.map(|d| d.0),
            include_cancelled: f.include_cancelled.unwrap_or(false),
        };
        let sort = match order_by {
            None => (
                service::orders::SortField::OrderedOn,
                service::Direction::Desc,
            ),
            some => OrderOrderBy::sort(some),
        };
        let p = service::orders::list(db(ctx)?, v, filter, sort, page(first, after.as_deref())?)
            .await?;
        Ok(connection(p, Order))
    }

    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity + 1")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<UserFilter>,
        order_by: Option<UserOrderBy>,
    ) -> Result<ConnectionOf<User>> {
        let v = viewer(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = service::users::Filter {
            search: f.search,
            role: f.role.map(Into::into),
            active: f.active,
        };
        let p = service::users::list(
            db(ctx)?,
            v,
            filter,
            UserOrderBy::sort(order_by),
            page(first, after.as_deref())?,
        )
        .await?;
        Ok(connection(p, User))
    }

    /// KPIs of a rep, a region or the company for a month, quarter or year.
    #[graphql(complexity = "super::AGGREGATE_COST + child_complexity")]
    async fn scorecard(
        &self,
        ctx: &Context<'_>,
        scope: super::scorecard::ScopeInput,
        period: super::scorecard::PeriodInput,
    ) -> Result<super::scorecard::Scorecard> {
        let v = viewer(ctx)?;
        let (scope, period) = (scope.parse()?, period.parse()?);
        let parts = super::scorecard::parts_selected(ctx);
        let figures = service::scorecard::scorecard(db(ctx)?, v, scope, period, parts).await?;
        Ok(super::scorecard::Scorecard::new(period, &figures))
    }

    /// The scorecards of the `last` periods (at most 12) ending with `period`, oldest first:
    /// the trend of a scope.
    #[graphql(
        complexity = "super::AGGREGATE_COST + last.clamp(1, 24) as usize * (super::PERIOD_COST + child_complexity)"
    )]
    async fn scorecard_trend(
        &self,
        ctx: &Context<'_>,
        scope: super::scorecard::ScopeInput,
        period: super::scorecard::PeriodInput,
        #[graphql(default = 8)] last: i32,
    ) -> Result<Vec<super::scorecard::Scorecard>> {
        let v = viewer(ctx)?;
        let (scope, period) = (scope.parse()?, period.parse()?);
        if !(1..=12).contains(&last) {
            return Err(AppError::BadInput("last: between 1 and 12".into()).into());
        }
        let parts = super::scorecard::parts_selected(ctx);
        let trend =
            service::scorecard::trend(db(ctx)?, v, scope, period, last as usize, parts).await?;
        Ok(trend
            .iter()
            .map(|(p, f)| super::scorecard::Scorecard::new(*p, f))
            .collect())
    }

    /// Attainment of every region the caller may read over the `last` periods (at most 24)
    /// ending with `period`: the rows and columns of a region × period heatmap.
    #[graphql(
        complexity = "super::AGGREGATE_COST + last.unwrap_or(12).clamp(1, 24) as usize * (super::PERIOD_COST + child_complexity)"
    )]
    async fn attainment_heatmap(
        &self,
        ctx: &Context<'_>,
        period: super::scorecard::PeriodInput,
        #[graphql(desc = "How many periods (default 12).")] last: Option<i32>,
    ) -> Result<Vec<super::scorecard::HeatmapRow>> {
        let v = viewer(ctx)?;
        let period = period.parse()?;
        let last = last.unwrap_or(12);
        if !(1..=24).contains(&last) {
            return Err(AppError::BadInput("last: between 1 and 24".into()).into());
        }
        let rows = service::scorecard::heatmap(db(ctx)?, v, period, last as usize).await?;
        Ok(rows
            .into_iter()
            .map(super::scorecard::HeatmapRow::new)
            .collect())
    }

    /// The regions of the company (scope COMPANY) or the reps of a region (scope REGION),
    /// ranked by attainment in the period.
    #[graphql(complexity = "super::AGGREGATE_COST + 20 * child_complexity")]
    async fn ranking(
        &self,
        ctx: &Context<'_>,
        scope: super::scorecard::ScopeInput,
        period: super::scorecard::PeriodInput,
    ) -> Result<Vec<super::scorecard::RankingEntry>> {
        let v = viewer(ctx)?;
        let (scope, period) = (scope.parse()?, period.parse()?);
        let rows = service::scorecard::ranking(db(ctx)?, v, scope, period).await?;
        Ok(rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| super::scorecard::RankingEntry::new(i + 1, r))
            .collect())
    }

    /// The pipeline funnel of the opportunities created in the period.
    #[graphql(complexity = "super::AGGREGATE_COST + 6 * child_complexity")]
    async fn funnel(
        &self,
        ctx: &Context<'_>,
        scope: super::scorecard::ScopeInput,
        period: super::scorecard::PeriodInput,
    ) -> Result<Vec<super::scorecard::FunnelStage>> {
        let v = viewer(ctx)?;
        let (scope, period) = (scope.parse()?, period.parse()?);
        let steps = service::scorecard::funnel(db(ctx)?, v, scope, period).await?;
        Ok(steps
            .into_iter()
            .map(super::scorecard::FunnelStage::new)
            .collect())
    }

    async fn region(&self, ctx: &Context<'_>, id: ID) -> Result<Region> {
        let n = ids::decode(&id, "Region")?;
        Ok(Region(
            service::regions::get(db(ctx)?, viewer(ctx)?, n).await?,
        ))
    }

    async fn rep(&self, ctx: &Context<'_>, id: ID) -> Result<Rep> {
        let n = ids::decode(&id, "Rep")?;
        Ok(Rep(service::reps::get(db(ctx)?, viewer(ctx)?, n).await?))
    }

    async fn customer(&self, ctx: &Context<'_>, id: ID) -> Result<Customer> {
        let n = ids::decode(&id, "Customer")?;
        Ok(Customer(
            service::customers::get(db(ctx)?, viewer(ctx)?, n).await?,
        ))
    }

    async fn user(&self, ctx: &Context<'_>, id: ID) -> Result<User> {
        let n = ids::decode(&id, "User")?;
        Ok(User(service::users::get(db(ctx)?, viewer(ctx)?, n).await?))
    }
}
