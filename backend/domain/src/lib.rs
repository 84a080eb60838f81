//! Dudao's domain: the rules of the sales-supervision loop as plain types and pure
//! functions. This crate never touches a database, HTTP or GraphQL (a tidy test in
//! `dudao-tests` keeps it that way), so every rule here is unit-tested by hand.

pub mod access;
pub mod activity;
pub mod alerts;
pub mod coaching;
pub mod code;
pub mod collate;
pub mod columns;
pub mod customers;
pub mod evaluation;
pub mod knowledge;
pub mod metrics;
pub mod money;
pub mod paging;
pub mod period;
pub mod promotion;
pub mod reviews;
pub mod targets;
pub mod training;
pub mod transfer;
pub mod values;

pub use access::{Action, Capability, Resource, Role, Viewer};
pub use code::Code;
pub use money::Money;
pub use period::{Period, PeriodKind};
pub use values::{
    DateOutOfRange, Email, Name, Password, RepLevel, RepStatus, ValueError, external_code,
    forbidden_char, sane_date,
};
