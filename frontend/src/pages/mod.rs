pub mod customers;
pub mod home;
pub mod login;
pub mod regions;
pub mod reps;
pub mod scorecard;
pub mod users;
