//! GraphQL shape of scorecards (api.md "Figures").

use async_graphql::{Enum, ID, InputObject, Scalar, ScalarType, SimpleObject, Value};
use dudao_domain::metrics::Figures;
use dudao_domain::{Money, Period, PeriodKind as DomainPeriodKind};

use super::ids;
use super::types::Date;
use crate::error::AppError;
use crate::service::scorecard::{Parts, Scope};

/// The parts of a scorecard the request's selection needs (look-ahead over the fields
/// asked for, fragments included): a field missing here would come back empty, which
/// `tests/tests/e2e/metrics.rs` checks for every field of `Scorecard`.
pub fn parts_selected(ctx: &async_graphql::Context<'_>) -> Parts {
    let selection = ctx.look_ahead();
    let any = |names: &[&str]| names.iter().any(|n| selection.field(n).exists());
    Parts {
        sums: any(&[
            "salesAmount",
            "attainment",
            "pace",
            "orderCount",
            "averageOrderValue",
            "collectionRate",
            "winRate",
            "satisfaction",
            "nps",
        ]),
        paid: any(&["collectionRate", "collected", "collectionAttainment"]),
        firsts: any(&[
            "newCustomers",
            "customerGrowthRate",
            "newCustomersAttainment",
        ]),
        cycle: any(&["salesCycleDays"]),
        targets: any(&[
            "salesTarget",
            "attainment",
            "pace",
            "collectionTarget",
            "collectionAttainment",
            "newCustomersTarget",
            "newCustomersAttainment",
        ]),
    }
}

/// Money, sent as a string with two decimals: `"1234.50"`.
#[derive(Clone, Copy, Debug)]
pub struct Decimal(pub Money);

#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> async_graphql::InputValueResult<Self> {
        match &value {
            Value::String(s) => Money::parse(s)
                .map(Decimal)
                .map_err(|e| async_graphql::InputValueError::custom(e.to_string())),
            _ => Err(async_graphql::InputValueError::expected_type(value)),
        }
    }
    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScopeKind {
    Rep,
    Region,
    Company,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "dudao_domain::PeriodKind")]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

#[derive(InputObject, Clone, Debug)]
pub struct ScopeInput {
    pub kind: ScopeKind,
    /// A Rep or Region id; null for COMPANY.
    pub id: Option<ID>,
}

impl ScopeInput {
    pub fn parse(&self) -> Result<Scope, AppError> {
        match (self.kind, &self.id) {
            (ScopeKind::Company, None) => Ok(Scope::Company),
            (ScopeKind::Rep, Some(id)) => Ok(Scope::Rep(ids::decode(id, "Rep")?)),
            (ScopeKind::Region, Some(id)) => Ok(Scope::Region(ids::decode(id, "Region")?)),
            (ScopeKind::Company, Some(_)) => {
                Err(AppError::BadInput("scope: COMPANY takes no id".into()))
            }
            (_, None) => Err(AppError::BadInput(
                "scope: REP and REGION need an id".into(),
            )),
        }
    }
}

#[derive(InputObject, Clone, Copy, Debug)]
pub struct PeriodInput {
    pub kind: PeriodKind,
    pub year: i32,
    /// Month 1–12 or quarter 1–4; omitted for YEAR.
    pub index: Option<i32>,
}

impl PeriodInput {
    pub fn parse(&self) -> Result<Period, AppError> {
        Period::new(DomainPeriodKind::from(self.kind), self.year, self.index)
            .map_err(|e| AppError::BadInput(e.to_string()))
    }
}

#[derive(SimpleObject)]
pub struct PeriodInfo {
    pub kind: PeriodKind,
    pub year: i32,
    pub index: i32,
    pub start: Date,
    pub end: Date,
    /// Time progress (时间进度): the share of the period's days passed by the end of
    /// today, 0–1 (0 before it starts, 1 once it is over).
    pub elapsed: f64,
}

/// A scope's KPIs for a period against its targets. Rates are fractions (1.05 = 105%);
/// null where a figure is undefined (no target, no orders, nothing due).
#[derive(SimpleObject)]
pub struct Scorecard {
    pub period: PeriodInfo,
    pub sales_amount: Decimal,
    pub sales_target: Option<Decimal>,
    pub attainment: Option<f64>,
    pub order_count: i64,
    pub average_order_value: Option<Decimal>,
    pub collection_rate: Option<f64>,
    pub new_customers: i64,
    pub customer_growth_rate: Option<f64>,
    pub win_rate: Option<f64>,
    /// Mean survey score, 0–10.
    pub satisfaction: Option<f64>,
    /// Net promoter score in points: % of scores 9–10 − % of scores 0–6.
    pub nps: Option<f64>,
    /// Median days from creation to WON of the opportunities won in the period.
    pub sales_cycle_days: Option<f64>,
    /// Payments by the end of the period on receivables due in it (collection rate's numerator).
    pub collected: Decimal,
    pub collection_target: Option<Decimal>,
    /// collected / collection target.
    pub collection_attainment: Option<f64>,
    pub new_customers_target: Option<i64>,
    /// new customers / new-customer target.
    pub new_customers_attainment: Option<f64>,
    /// Sales attainment against time progress (`period.elapsed`): 1.0 = on course to
    /// meet the target; a finished period's is its attainment.
    pub pace: Option<f64>,
}

impl Scorecard {
    pub fn new(p: Period, f: &Figures) -> Self {
        let period = PeriodInfo::new(p);
        Scorecard {
            pace: dudao_domain::metrics::pace(f.attainment, period.elapsed),
            period,
            sales_amount: Decimal(Money(f.sales_cents)),
            sales_target: f.target_cents.map(|t| Decimal(Money(t))),
            attainment: f.attainment,
            order_count: f.order_count,
            average_order_value: f
                .average_order_cents
                .map(|c| Decimal(Money(c.round() as i64))),
            collection_rate: f.collection_rate,
            new_customers: f.new_customers,
            customer_growth_rate: f.customer_growth_rate,
            win_rate: f.win_rate,
            satisfaction: f.satisfaction,
            nps: f.nps,
            sales_cycle_days: f.sales_cycle_days,
            collected: Decimal(Money(f.collected_cents)),
            collection_target: f.collection_target_cents.map(|t| Decimal(Money(t))),
            collection_attainment: f.collection_attainment,
            new_customers_target: f.new_customers_target,
            new_customers_attainment: f.new_customers_attainment,
        }
    }
}

/// A rep or region in a ranking by attainment.
#[derive(SimpleObject)]
pub struct RankingEntry {
    pub rank: i32,
    /// The Rep or Region id.
    pub id: ID,
    pub name: String,
    pub sales_amount: Decimal,
    pub sales_target: Option<Decimal>,
    pub attainment: Option<f64>,
}

impl RankingEntry {
    pub fn new(rank: usize, r: crate::service::scorecard::Ranked) -> Self {
        let id = match r.scope {
            Scope::Rep(id) => ids::encode("Rep", id),
            Scope::Region(id) => ids::encode("Region", id),
            Scope::Company => ID::from(""),
        };
        RankingEntry {
            rank: rank as i32,
            id,
            name: r.name,
            sales_amount: Decimal(Money(r.sales_cents)),
            sales_target: r.target_cents.map(|t| Decimal(Money(t))),
            attainment: r.attainment,
        }
    }
}

/// A step of the sales pipeline, in order (a lost opportunity leaves it).
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum PipelineStage {
    Lead,
    Contacted,
    NeedsAnalysis,
    Proposal,
    Negotiation,
    Won,
}

const STAGES: [PipelineStage; 6] = [
    PipelineStage::Lead,
    PipelineStage::Contacted,
    PipelineStage::NeedsAnalysis,
    PipelineStage::Proposal,
    PipelineStage::Negotiation,
    PipelineStage::Won,
];

/// One step of the pipeline funnel.
#[derive(SimpleObject)]
pub struct FunnelStage {
    pub stage: PipelineStage,
    /// Opportunities created in the period that got this far.
    pub reached: i64,
    /// Share of them that reached the next step; null for WON or when none reached this one.
    pub conversion: Option<f64>,
}

impl FunnelStage {
    pub fn new((step, reached, conversion): (usize, i64, Option<f64>)) -> Self {
        FunnelStage {
            stage: STAGES
                .get(step.saturating_sub(1))
                .copied()
                .unwrap_or(PipelineStage::Lead),
            reached,
            conversion,
        }
    }
}

/// One region's line of the attainment heatmap.
#[derive(SimpleObject)]
pub struct HeatmapRow {
    pub region_id: ID,
    pub region_name: String,
    pub cells: Vec<HeatmapCell>,
}

/// A region in one period: sales, target and attainment (null without a target).
#[derive(SimpleObject)]
pub struct HeatmapCell {
    pub period: PeriodInfo,
    pub sales_amount: Decimal,
    pub sales_target: Option<Decimal>,
    pub attainment: Option<f64>,
    /// Attainment against time progress (1.0 = on course to meet the target).
    pub pace: Option<f64>,
}

impl PeriodInfo {
    pub fn new(p: Period) -> Self {
        PeriodInfo {
            kind: p.kind.into(),
            year: p.year,
            index: p.index as i32,
            start: Date(p.start()),
            end: Date(p.end()),
            elapsed: p.elapsed_share(crate::clock::today()),
        }
    }
}

impl HeatmapRow {
    pub fn new(r: crate::service::scorecard::HeatRow) -> Self {
        HeatmapRow {
            region_id: ids::encode("Region", r.region_id),
            region_name: r.name,
            cells: r
                .cells
                .into_iter()
                .map(|(p, sales, target)| {
                    let attainment = dudao_domain::metrics::attainment(sales, target);
                    let period = PeriodInfo::new(p);
                    HeatmapCell {
                        pace: dudao_domain::metrics::pace(attainment, period.elapsed),
                        period,
                        sales_amount: Decimal(Money(sales)),
                        sales_target: target.map(|t| Decimal(Money(t))),
                        attainment,
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::STAGES;

    /// The API's stages are the domain's funnel, step for step.
    #[test]
    fn stages_follow_the_funnel() {
        let names: Vec<String> = STAGES
            .iter()
            .map(|s| {
                format!("{s:?}").chars().fold(String::new(), |mut out, c| {
                    if c.is_uppercase() && !out.is_empty() {
                        out.push('_');
                    }
                    out.push(c.to_ascii_uppercase());
                    out
                })
            })
            .collect();
        assert_eq!(names, dudao_domain::metrics::FUNNEL);
    }
}
