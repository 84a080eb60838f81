//! GraphQL object types. Each wraps an entity row; nested fields go through DataLoaders.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{
    Context, Enum, ID, Interface, Object, Result, Scalar, ScalarType, SimpleObject, Value,
};
use chrono::{DateTime, NaiveDate, Utc};

use super::{ids, load_err};
use crate::entity::{customer, customer_contact, order, region, rep, user};
use crate::service::page::{Page, encode_cursor};

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> async_graphql::InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| {
                    async_graphql::InputValueError::custom("expected a date as YYYY-MM-DD")
                })
                .and_then(|d| {
                    dudao_domain::sane_date(d)
                        .map(Date)
                        .map_err(|e| async_graphql::InputValueError::custom(e.to_string()))
                }),
            _ => Err(async_graphql::InputValueError::expected_type(value)),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::Role")]
pub enum Role {
    Admin,
    Director,
    Supervisor,
    Rep,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::RepStatus")]
pub enum RepStatus {
    Active,
    OnLeave,
    Left,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

impl From<OrderDirection> for crate::service::Direction {
    fn from(d: OrderDirection) -> Self {
        match d {
            OrderDirection::Asc => crate::service::Direction::Asc,
            OrderDirection::Desc => crate::service::Direction::Desc,
        }
    }
}

#[derive(SimpleObject)]
pub struct ListInfo {
    /// Rows matching the filter that the caller may read, across all pages.
    pub total_count: u64,
}

pub type ConnectionOf<T> = Connection<String, T, ListInfo>;

/// Turns a service page into a Relay connection.
pub fn connection<M, T: async_graphql::OutputType>(
    page: Page<M>,
    wrap: impl Fn(M) -> T,
) -> ConnectionOf<T> {
    let has_next = page.has_next();
    let offset = page.offset;
    let mut conn = Connection::with_additional_fields(
        offset > 0,
        has_next,
        ListInfo {
            total_count: page.total,
        },
    );
    conn.edges.extend(
        page.rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| Edge::new(encode_cursor(offset + i as u64), wrap(row))),
    );
    conn
}

pub struct User(pub user::Model);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ids::encode("User", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn role(&self) -> Role {
        self.0.role.0.into()
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The rep record of a REP account; null for other roles.
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        let l = super::loaders(ctx)?;
        Ok(l.rep_by_user
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .map(Rep))
    }
    /// Regions a SUPERVISOR is assigned to; empty for other roles.
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let l = super::loaders(ctx)?;
        let mut v = l
            .supervisor_regions
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(v.into_iter().map(Region).collect())
    }
}

pub struct Region(pub region::Model);

#[Object]
impl Region {
    async fn id(&self) -> ID {
        ids::encode("Region", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The enclosing region, when there is one the caller may read.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let Some(p) = self.0.parent_id else {
            return Ok(None);
        };
        let l = super::loaders(ctx)?;
        Ok(l.region.load_one(p).await.map_err(load_err)?.map(Region))
    }
}

pub struct Rep(pub rep::Model);

#[Object]
impl Rep {
    async fn id(&self) -> ID {
        ids::encode("Rep", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// The HR employee number, if recorded (imports may name the rep by it).
    async fn employee_no(&self) -> Option<&str> {
        self.0.employee_no.as_deref()
    }
    /// Career level, 1 (junior) to 6.
    async fn level(&self) -> i32 {
        self.0.level
    }
    async fn hire_date(&self) -> Date {
        Date(self.0.hire_date)
    }
    async fn status(&self) -> RepStatus {
        self.0.status.0.into()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        let l = super::loaders(ctx)?;
        l.region
            .load_one(self.0.region_id)
            .await
            .map_err(load_err)?
            .map(Region)
            .ok_or_else(|| crate::error::AppError::forbidden().into())
    }
    async fn supervisor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(s) = self.0.supervisor_id else {
            return Ok(None);
        };
        let l = super::loaders(ctx)?;
        Ok(l.user.load_one(s).await.map_err(load_err)?.map(User))
    }
    /// The sign-in account linked to this rep, if any.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(u) = self.0.user_id else {
            return Ok(None);
        };
        let l = super::loaders(ctx)?;
        Ok(l.user.load_one(u).await.map_err(load_err)?.map(User))
    }
    /// Customers this rep owns that the caller may read.
    async fn customer_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let l = super::loaders(ctx)?;
        Ok(l.customer_count
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or(0))
    }
}

pub struct Customer(pub customer::Model);

#[Object]
impl Customer {
    async fn id(&self) -> ID {
        ids::encode("Customer", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn industry(&self) -> &str {
        &self.0.industry
    }
    async fn city(&self) -> Option<&str> {
        self.0.city.as_deref()
    }
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    /// The ERP's customer number, if recorded (imports may name the customer by it).
    async fn external_code(&self) -> Option<&str> {
        self.0.external_code.as_deref()
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn owner(&self, ctx: &Context<'_>) -> Result<Rep> {
        let l = super::loaders(ctx)?;
        l.rep
            .load_one(self.0.owner_rep_id)
            .await
            .map_err(load_err)?
            .map(Rep)
            .ok_or_else(|| crate::error::AppError::forbidden().into())
    }
    /// Tier, churn warning and health score as of the last refresh; null before the first.
    async fn score(&self, ctx: &Context<'_>) -> Result<Option<CustomerScore>> {
        let l = super::loaders(ctx)?;
        Ok(l.customer_score
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .map(CustomerScore))
    }
    /// The day the customer's decision chain last changed.
    async fn decision_chain_changed_on(&self) -> Option<Date> {
        self.0.decision_chain_changed_on.map(Date)
    }
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let l = super::loaders(ctx)?;
        Ok(l.contacts
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(Contact)
            .collect())
    }
}

pub struct Contact(pub customer_contact::Model);

/// A person at a customer. Decision makers matter for the decision-chain signal.
#[Object]
impl Contact {
    async fn id(&self) -> ID {
        ids::encode("Contact", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    async fn is_decision_maker(&self) -> bool {
        self.0.is_decision_maker
    }
}

/// Whether an order counts: a cancelled order keeps its row but leaves every figure.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::transfer::OrderStatus")]
pub enum OrderStatus {
    Confirmed,
    Cancelled,
}

pub struct Order(pub order::Model);

/// A closed sale. Cancelled orders are kept but count in no figure.
#[Object]
impl Order {
    async fn id(&self) -> ID {
        ids::encode("Order", self.0.id)
    }
    async fn ordered_on(&self) -> Date {
        Date(self.0.ordered_on)
    }
    async fn amount(&self) -> super::scorecard::Decimal {
        super::scorecard::Decimal(dudao_domain::Money(self.0.amount_cents))
    }
    async fn status(&self) -> OrderStatus {
        self.0.status.0.into()
    }
    /// The rep who earned it (figures stay with them after a handover).
    async fn rep(&self, ctx: &Context<'_>) -> Result<Option<Rep>> {
        let l = super::loaders(ctx)?;
        Ok(l.rep
            .load_one(self.0.rep_id)
            .await
            .map_err(load_err)?
            .map(Rep))
    }
    /// The customer, when the caller may read it (null after a handover to another rep).
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>> {
        let l = super::loaders(ctx)?;
        Ok(l.customer
            .load_one(self.0.customer_id)
            .await
            .map_err(load_err)?
            .map(Customer))
    }
}

/// Anything with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    User(User),
    Region(Region),
    Rep(Rep),
    Customer(Customer),
    Order(Order),
    Alert(super::alerts::Alert),
    Target(super::targets::Target),
    Activity(super::activity::Activity),
    Complaint(super::activity::Complaint),
    CoachingSession(super::coaching::CoachingSession),
    ActionItem(super::coaching::ActionItem),
    Evaluation(super::evaluations::Evaluation),
    Survey(super::evaluations::Survey),
    ReviewMeeting(super::reviews::ReviewMeeting),
    Article(super::knowledge::Article),
    Contribution(super::knowledge::Contribution),
    Course(super::training::Course),
    TrainingSession(super::training::TrainingSession),
}

#[derive(SimpleObject)]
pub struct AuthPayload {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

/// 客户分层: A while the customers before it hold under 80% of the last 12 months' sales,
/// B under 95%, else C.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum CustomerTier {
    A,
    B,
    C,
}

#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum HealthPart {
    Recency,
    Frequency,
    Satisfaction,
    Complaints,
    DecisionChain,
}

/// One component of a health score: its score (0–100) and weight (percent).
#[derive(async_graphql::SimpleObject)]
pub struct HealthComponent {
    pub part: HealthPart,
    pub score: i32,
    pub weight: i32,
}

pub struct CustomerScore(pub crate::entity::customer_score::Model);

/// A customer's tier, churn warning and health score, with the facts behind them.
#[Object]
impl CustomerScore {
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }
    async fn tier(&self) -> Result<CustomerTier> {
        use dudao_domain::customers::Tier;
        Ok(match crate::service::customer_scores::tier_of(&self.0)? {
            Tier::A => CustomerTier::A,
            Tier::B => CustomerTier::B,
            Tier::C => CustomerTier::C,
        })
    }
    /// Sales in the 12 months up to `asOf`.
    async fn sales_last_year(&self) -> super::scorecard::Decimal {
        super::scorecard::Decimal(dudao_domain::Money(self.0.sales_year))
    }
    async fn orders_last_year(&self) -> i64 {
        self.0.orders_year
    }
    async fn last_order_on(&self) -> Option<Date> {
        self.0.last_order_on.map(Date)
    }
    /// An order in [asOf − 365, asOf − 90) and none since.
    async fn churn_risk(&self) -> bool {
        self.0.churn_risk != 0
    }
    async fn open_complaints(&self) -> i64 {
        self.0.open_complaints
    }
    /// 0–100.
    async fn health(&self) -> i32 {
        self.0.health
    }
    /// What the health score is made of.
    async fn components(&self) -> Result<Vec<HealthComponent>> {
        use dudao_domain::customers::{HealthPart as P, health_parts};
        let inputs = crate::service::customer_scores::inputs(&self.0)?;
        Ok(health_parts(&inputs)
            .into_iter()
            .map(|(p, score)| HealthComponent {
                part: match p {
                    P::Recency => HealthPart::Recency,
                    P::Frequency => HealthPart::Frequency,
                    P::Satisfaction => HealthPart::Satisfaction,
                    P::Complaints => HealthPart::Complaints,
                    P::DecisionChain => HealthPart::DecisionChain,
                },
                score: i32::try_from(score).unwrap_or(0),
                weight: i32::try_from(p.weight()).unwrap_or(0),
            })
            .collect())
    }
}
