//! The GraphQL client. Operations live in `frontend/queries/*.graphql` and are compiled
//! against the repository's `schema.graphql` by graphql_client, so a schema change that
//! breaks the SPA breaks its build.

#![allow(clippy::upper_case_acronyms)]

use graphql_client::{GraphQLQuery, Response};
use serde::Serialize;

use crate::session;

// Custom scalars of schema.graphql, as the SPA sees them.
pub type DateTime = String;
pub type Date = String;
pub type Decimal = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/auth.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Login;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/refresh.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Refresh;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/logout.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Logout;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/me.graphql",
    response_derives = "Clone, PartialEq",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Me;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/regions.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Regions;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/region_options.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct RegionOptions;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reps.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Reps;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/rep.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct RepDetail;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/rep_name.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct RepName;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/customers.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Customers;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/customer.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CustomerDetail;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/update_customer.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct UpdateCustomer;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/create_customer.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CreateCustomer;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/users.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Users;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/create_user.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CreateUser;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/update_user.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct UpdateUser;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/create_region.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CreateRegion;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/update_region.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct UpdateRegion;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/update_rep.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct UpdateRep;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/supervisor_options.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct SupervisorOptions;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/scorecard.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ScorecardTrend;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/orders.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Orders;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/ranking.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Ranking;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/funnel.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Funnel;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/heatmap.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Heatmap;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/alerts.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Alerts;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/alert_digest.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct AlertDigest;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/home.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Home;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/alert_move.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct AcknowledgeAlert;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/alert_move.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ResolveAlert;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/alert_move.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ReopenAlert;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/targets.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct TargetSplit;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/target_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct SetTargets;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/target_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ProposeTarget;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/target_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct AcceptTargetProposal;
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/target_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct DecideTargetProposal;
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/target_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct WithdrawTargetProposal;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/target_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct PendingTargetProposals;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/activity.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Activities;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/activity.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Complaints;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/activity.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Process;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/activity.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CustomerOptions;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/activity_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct LogActivity;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/activity_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct OpenComplaint;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/activity_write.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ResolveComplaint;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CoachingSessions;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CoachingSession;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CoachingForm;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct LogCoachingSession;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct RespondToCoaching;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct UpdateActionItem;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CoachingLoad;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct GrowthRecord;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/coaching.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct UpdateCoachingSession;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct EvaluationsList;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct EvaluationDetail;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct EvaluationPeople;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct EvaluationCustomers;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CreateEvaluation;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ScoreIndicator;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct UpdateEvaluationFeedback;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct InviteEvaluator;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct AnswerInvitation;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct SubmitEvaluation;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct FinalizeEvaluation;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ReturnEvaluation;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ReopenEvaluation;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct AddEvaluationActionItem;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct EvaluationCycles;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct OpenEvaluationCycle;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct Calibration;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CustomerSurveys;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct RecordSurvey;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CreateSurveyLink;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct PublicSurvey;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct AnswerSurvey;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluations.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct PublicRaterForm;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ReviewMeetings;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ReviewMeetingDetail;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ReviewOwners;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct CreateReviewMeeting;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct AddRootCause;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct AddReviewAction;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct TickAction;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct HandoverReps;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct HandoverList;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/reviews.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct HandOverCustomers;

/// An error as the UI shows it: the server's code and its (bilingual) message.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    fn network(e: impl std::fmt::Display) -> Self {
        ApiError {
            code: "NETWORK".into(),
            message: format!("无法连接服务器 / cannot reach the server ({e})"),
        }
    }
}

async fn send<Q: GraphQLQuery>(
    body: &impl Serialize,
    token: Option<String>,
) -> Result<Q::ResponseData, ApiError> {
    let mut req = gloo_net::http::Request::post("/graphql");
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let resp = req
        .json(body)
        .map_err(ApiError::network)?
        .send()
        .await
        .map_err(ApiError::network)?;
    let parsed: Response<Q::ResponseData> = resp.json().await.map_err(unparsable)?;
    answer(parsed)
}

fn unparsable(e: impl std::fmt::Display) -> ApiError {
    ApiError {
        code: "INTERNAL".into(),
        message: format!("无法解析服务器响应 / unexpected response from the server ({e})"),
    }
}

/// One operation's result: its data, or its first error with the server's code.
fn answer<T>(parsed: Response<T>) -> Result<T, ApiError> {
    if let Some(e) = parsed.errors.and_then(|errs| errs.into_iter().next()) {
        let code = e
            .extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .and_then(|c| c.as_str())
            .unwrap_or("INTERNAL")
            .to_owned();
        return Err(ApiError {
            code,
            message: e.message,
        });
    }
    parsed.data.ok_or_else(|| ApiError {
        code: "INTERNAL".into(),
        message: "空响应 / empty response".into(),
    })
}

/// Runs an operation without a session (sign-in, token refresh).
pub async fn anonymous<Q: GraphQLQuery>(vars: Q::Variables) -> Result<Q::ResponseData, ApiError> {
    send::<Q>(&Q::build_query(vars), None).await
}

/// Runs an operation as the signed-in user. An expired access token is refreshed once;
/// if that fails too, the session ends and the app shows the sign-in page.
pub async fn call<Q: GraphQLQuery>(vars: Q::Variables) -> Result<Q::ResponseData, ApiError>
where
    Q::Variables: Clone,
{
    let body = Q::build_query(vars);
    let token = session::access_token();
    match send::<Q>(&body, token.clone()).await {
        Err(e) if e.code == "UNAUTHENTICATED" => {
            if session::refresh(token).await {
                send::<Q>(&body, session::access_token()).await
            } else {
                session::expire();
                Err(e)
            }
        }
        other => other,
    }
}

/// Runs a request body built earlier (an entry kept on the device while offline, sent as
/// it was stored) and answers its data as JSON, refreshing an expired token as [`call`]
/// does. Not generic: the shell sends what waits without the page's generated types.
pub async fn call_raw(body: &serde_json::Value) -> Result<serde_json::Value, ApiError> {
    let token = session::access_token();
    match send_raw(body, token.clone()).await {
        Err(e) if e.code == "UNAUTHENTICATED" => {
            if session::refresh(token).await {
                send_raw(body, session::access_token()).await
            } else {
                session::expire();
                Err(e)
            }
        }
        other => other,
    }
}

async fn send_raw(
    body: &serde_json::Value,
    token: Option<String>,
) -> Result<serde_json::Value, ApiError> {
    let mut req = gloo_net::http::Request::post("/graphql");
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let resp = req
        .json(body)
        .map_err(ApiError::network)?
        .send()
        .await
        .map_err(ApiError::network)?;
    let parsed: Response<serde_json::Value> = resp.json().await.map_err(unparsable)?;
    answer(parsed)
}

/// The request body of an operation, to keep and send later ([`call_raw`]).
pub fn body_of<Q: GraphQLQuery>(vars: Q::Variables) -> serde_json::Value {
    serde_json::to_value(Q::build_query(vars)).unwrap_or_default()
}

/// Several queries in one request (`POST /graphql` with an array, answered in order):
/// the sections of a page arrive together, each with its own data or error, so one
/// failing section shows its error while the others draw.
#[derive(Default)]
pub struct Batch {
    bodies: Vec<serde_json::Value>,
}

/// Where one query's answer is in a [`Batch`]'s answers.
pub struct Part<Q>(usize, std::marker::PhantomData<Q>);

/// The answers of a sent [`Batch`].
pub struct Answers(Vec<serde_json::Value>);

impl Batch {
    pub fn add<Q: GraphQLQuery>(&mut self, vars: Q::Variables) -> Part<Q> {
        self.bodies
            .push(serde_json::to_value(Q::build_query(vars)).unwrap_or_default());
        Part(self.bodies.len() - 1, std::marker::PhantomData)
    }

    async fn post(&self, token: Option<String>) -> Result<Answers, ApiError> {
        let mut req = gloo_net::http::Request::post("/graphql");
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let resp = req
            .json(&self.bodies)
            .map_err(ApiError::network)?
            .send()
            .await
            .map_err(ApiError::network)?;
        match resp.json::<serde_json::Value>().await.map_err(unparsable)? {
            serde_json::Value::Array(answers) => Ok(Answers(answers)),
            // The batch as a whole was refused (too many, a transport error).
            other => Err(answer(
                serde_json::from_value::<Response<serde_json::Value>>(other).map_err(unparsable)?,
            )
            .err()
            .unwrap_or_else(|| unparsable("not a batch"))),
        }
    }

    /// Sends the batch as the signed-in user; an expired access token is refreshed once,
    /// as for [`call`].
    pub async fn send(self) -> Result<Answers, ApiError> {
        let token = session::access_token();
        let answers = self.post(token.clone()).await?;
        if !answers.expired() {
            return Ok(answers);
        }
        if session::refresh(token).await {
            self.post(session::access_token()).await
        } else {
            session::expire();
            Err(ApiError {
                code: "UNAUTHENTICATED".into(),
                message: "登录已过期 / the session has expired".into(),
            })
        }
    }
}

impl Answers {
    fn expired(&self) -> bool {
        self.0.iter().any(|a| {
            a.pointer("/errors/0/extensions/code")
                .and_then(|c| c.as_str())
                == Some("UNAUTHENTICATED")
        })
    }

    /// One query's data or error (once: a second take finds it gone).
    pub fn take<Q: GraphQLQuery>(&mut self, part: &Part<Q>) -> Result<Q::ResponseData, ApiError> {
        let value = self
            .0
            .get_mut(part.0)
            .map(serde_json::Value::take)
            .ok_or_else(|| unparsable("an answer is missing"))?;
        answer(serde_json::from_value::<Response<Q::ResponseData>>(value).map_err(unparsable)?)
    }
}

/// Answers a target proposal: accept, decide a figure, or withdraw (three operations, as
/// graphql_client gives each its own input type).
pub async fn answer_proposal(
    id: String,
    version: i64,
    how: Answer,
    note: Option<String>,
) -> Result<(), ApiError> {
    match how {
        Answer::Accept => call::<AcceptTargetProposal>(accept_target_proposal::Variables {
            input: accept_target_proposal::AnswerTargetProposalInput {
                id,
                version,
                value: None,
                note,
            },
        })
        .await
        .map(|_| ()),
        Answer::Decide(value) => call::<DecideTargetProposal>(decide_target_proposal::Variables {
            input: decide_target_proposal::AnswerTargetProposalInput {
                id,
                version,
                value: Some(value),
                note,
            },
        })
        .await
        .map(|_| ()),
        Answer::Withdraw => call::<WithdrawTargetProposal>(withdraw_target_proposal::Variables {
            input: withdraw_target_proposal::AnswerTargetProposalInput {
                id,
                version,
                value: None,
                note,
            },
        })
        .await
        .map(|_| ()),
    }
}

pub enum Answer {
    Accept,
    Decide(String),
    Withdraw,
}

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluation_templates.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct EvaluationTemplates;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluation_templates.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct SaveEvaluationTemplate;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/evaluation_templates.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct SetGradeScale;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/promotion.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct PromotionRules;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/promotion.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct PromotionPaths;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/promotion.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct PromotionCandidates;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/promotion.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct SavePromotionRule;

// The knowledge base (知识库): `queries/knowledge.graphql`.

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct KnowledgeSearch;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct KnowledgeList;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct KnowledgeHome;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ArticleTags;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct KnowledgeArticle;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ArticleDiff;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct RenderMarkdown;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ViewArticle;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct VoteArticle;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct SaveArticle;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct RestoreArticleVersion;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct MyContributions;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ContributionInbox;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ContributionDiff;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ProposeContribution;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct DecideContribution;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/knowledge.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct KnowledgeUsage;

// Training (培训): `queries/training.graphql`.

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct TrainingCourses;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct TrainingCourse;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct TrainingSessionDetail;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct MyTrainingList;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct TrainingArticleSearch;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct TrainingInvitees;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct SaveCourse;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct ScheduleTrainingSession;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "queries/training.graphql",
    response_derives = "Clone",
    variables_derives = "Clone, PartialEq",
    skip_serializing_none
)]
pub struct RecordTrainingAttendance;
