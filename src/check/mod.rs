//! `trackplan check`: captured Mixpanel payloads checked against the plan.
//!
//! Records come from [`crate::payload`]; each is checked on its own
//! ([`record`]) in parallel, then, in input order, followed across the
//! stream for identity ([`identity`]) and added to the [`report::Report`].

pub mod compiled;
pub mod identity;
mod limits;
pub mod output;
pub mod record;
pub mod report;
pub mod rules;
pub mod value;
pub mod violation;

use std::sync::Arc;

use rayon::prelude::*;

pub use compiled::CompiledPlan;
pub use report::Report;
pub use violation::{Verdict, Violation};

use crate::payload::Item;

/// Records checked per parallel batch.
const BATCH: usize = 4096;

/// Checks a stream of items: per record in parallel, then identity and the
/// report in input order. `on_verdict` sees each verdict (for streaming
/// output) before it is folded into the report.
pub fn run(
    plan: &Arc<CompiledPlan>,
    items: impl Iterator<Item = Item>,
    report: &mut Report,
    identity: &mut identity::Identity,
    mut on_item: impl FnMut(&Item, Option<&Verdict>),
) {
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    let mut items = items.peekable();
    while items.peek().is_some() {
        batch.clear();
        batch.extend(items.by_ref().take(BATCH));
        let verdicts: Vec<Option<Verdict>> = batch
            .par_iter()
            .map(|item| match item {
                Item::Record(record) => Some(record::check(plan, record)),
                Item::Error(_) => None,
            })
            .collect();
        for (item, verdict) in batch.iter().zip(verdicts) {
            match (item, verdict) {
                (_, Some(mut verdict)) => {
                    identity.follow(&mut verdict);
                    on_item(item, Some(&verdict));
                    report.add(&verdict);
                }
                (Item::Error(error), None) => {
                    on_item(item, None);
                    report.add_error(error);
                }
                (Item::Record(_), None) => {}
            }
        }
    }
}
