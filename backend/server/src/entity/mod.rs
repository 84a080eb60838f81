//! sea-orm entities, one per table, written once and kept free of business rules.

pub mod activity;
pub mod alert;
pub mod audit_log;
pub mod complaint;
pub mod customer;
pub mod customer_contact;
pub mod customer_score;
pub mod login_attempt;
pub mod opportunity;
pub mod opportunity_stage;
pub mod order;
pub mod payment;
pub mod receivable;
pub mod refresh_token;
pub mod region;
pub mod rep;
pub mod setting;
pub mod supervisor_region;
pub mod survey;
pub mod target;
pub mod target_change;
pub mod target_proposal;
pub mod user;
