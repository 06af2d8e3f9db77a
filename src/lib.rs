//! trackplan keeps a Mixpanel tracking plan as code.
//!
//! A plan is YAML ([`format`]); [`plan::load`] reads it, with every mistake
//! reported as a [`diagnostic::Diagnostic`] pointing at its text, into a
//! resolved [`plan::Plan`] that every command works on. Start with
//! `docs/architecture.md`.

pub mod check;
pub mod cli;
pub mod codegen;
pub mod coverage;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod format;
pub mod lint;
pub mod mixpanel;
pub mod naming;
pub mod payload;
pub mod plan;
pub mod project;
pub mod rules;
pub mod scan;
pub mod serve;
pub mod source;
pub mod sql;
pub mod suggest;
pub mod yaml;
