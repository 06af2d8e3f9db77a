//! Exports of a plan to the formats other tools speak.

pub mod jsonschema;
pub mod lexicon;
