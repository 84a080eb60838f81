//! The end-to-end suite, one test binary: every module links the whole server, so one
//! binary instead of one per file saves a link per module and over a gigabyte of disk
//! on a fresh CI machine. Run one part with `cargo test -p dudao-tests --test e2e metrics::`.

mod access;
mod activity;
mod alerts;
mod api;
mod auth;
mod coaching;
mod customer_scores;
mod evaluations;
mod hardening;
mod knowledge;
mod metrics;
mod promotion;
mod reviews;
mod schema;
mod targets;
mod tidy;
mod training;
mod transfer;
