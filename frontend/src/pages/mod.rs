pub mod customers;
pub mod home;
pub mod login;
pub mod orders;
pub mod regions;
pub mod reps;
pub mod scorecard;
pub mod users;
