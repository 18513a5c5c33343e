//! Pages and the shell around them.

pub mod dashboard;
pub mod shell;
