//! sea-orm entities, one per table, written once and kept free of business rules.

pub mod action_item;
pub mod activity;
pub mod alert;
pub mod article;
pub mod article_tag;
pub mod article_version;
pub mod article_vote;
pub mod audit_log;
pub mod coaching_dimension;
pub mod coaching_score;
pub mod coaching_session;
pub mod complaint;
pub mod contribution;
pub mod course;
pub mod course_article;
pub mod customer;
pub mod customer_contact;
pub mod customer_handover;
pub mod customer_score;
pub mod evaluation;
pub mod evaluation_cycle;
pub mod evaluation_event;
pub mod evaluation_indicator;
pub mod evaluation_invitation;
pub mod evaluation_template;
pub mod login_attempt;
pub mod opportunity;
pub mod opportunity_stage;
pub mod order;
pub mod payment;
pub mod promotion_rule;
pub mod promotion_rule_version;
pub mod receivable;
pub mod refresh_token;
pub mod region;
pub mod rep;
pub mod review_meeting;
pub mod root_cause;
pub mod setting;
pub mod supervisor_region;
pub mod survey;
pub mod survey_link;
pub mod target;
pub mod target_change;
pub mod target_proposal;
pub mod training_attendance;
pub mod training_session;
pub mod user;

/// A column holding one of a closed set of names (`dudao_domain::Code`): a status, kind,
/// metric or role. Stored as its text code, read back as the enum (an unknown code in
/// the database is a type error, never a silent default), compared as variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stored<T>(pub T);

impl<T: dudao_domain::Code> From<T> for Stored<T> {
    fn from(v: T) -> Self {
        Stored(v)
    }
}

impl<T: dudao_domain::Code> PartialEq<T> for Stored<T> {
    fn eq(&self, other: &T) -> bool {
        self.0 == *other
    }
}

impl<T: dudao_domain::Code> From<Stored<T>> for sea_orm::Value {
    fn from(v: Stored<T>) -> Self {
        sea_orm::Value::String(Some(v.0.code().to_owned()))
    }
}

impl<T: dudao_domain::Code> sea_orm::TryGetable for Stored<T> {
    fn try_get_by<I: sea_orm::ColIdx>(
        res: &sea_orm::QueryResult,
        index: I,
    ) -> Result<Self, sea_orm::TryGetError> {
        let s = String::try_get_by(res, index)?;
        T::from_code(&s).map(Stored).ok_or_else(|| {
            sea_orm::TryGetError::DbErr(sea_orm::DbErr::Type(format!(
                "unknown {} {s:?} in the database",
                T::WHAT
            )))
        })
    }
}

impl<T: dudao_domain::Code> sea_orm::sea_query::ValueType for Stored<T> {
    fn try_from(v: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
        match v {
            sea_orm::Value::String(Some(s)) => T::from_code(&s)
                .map(Stored)
                .ok_or(sea_orm::sea_query::ValueTypeErr),
            _ => Err(sea_orm::sea_query::ValueTypeErr),
        }
    }
    fn type_name() -> String {
        T::WHAT.to_owned()
    }
    fn array_type() -> sea_orm::sea_query::ArrayType {
        sea_orm::sea_query::ArrayType::String
    }
    fn column_type() -> sea_orm::sea_query::ColumnType {
        sea_orm::sea_query::ColumnType::String(sea_orm::sea_query::StringLen::None)
    }
}

impl<T: dudao_domain::Code> sea_orm::sea_query::Nullable for Stored<T> {
    fn null() -> sea_orm::Value {
        sea_orm::Value::String(None)
    }
}

impl<T: dudao_domain::Code> serde::Serialize for Stored<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.code())
    }
}
