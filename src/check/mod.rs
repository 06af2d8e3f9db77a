//! `trackplan check`: captured Mixpanel payloads checked against the plan.
//!
//! Records come from [`crate::payload`]; each is checked on its own
//! ([`record`]) in parallel, then, in input order, followed across the
//! stream for identity ([`identity`]) and added to the [`report::Report`].

pub mod compiled;
pub mod identity;
mod limits;
pub mod output;
pub mod props;
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

use crate::payload::{Chunk, DecodeError, Item};

/// Chunks decoded and checked per parallel batch.
const BATCH: usize = 8192;

/// What became of one record or undecodable part of the input.
#[derive(Debug)]
pub enum Outcome {
    /// A record was checked.
    Checked(Verdict),
    /// Something could not be decoded.
    Undecodable(DecodeError),
}

/// Checks a stream of chunks: decoded and checked in parallel batches, then
/// followed for identity and added to the report in input order. `each`
/// sees every outcome (for streaming output) before it is folded in.
pub fn run(
    plan: &Arc<CompiledPlan>,
    chunks: impl Iterator<Item = Chunk> + Send,
    report: &mut Report,
    identity: &mut identity::Identity,
    mut each: impl FnMut(&Outcome),
) {
    // Reading and splitting the input runs on its own thread, a couple of
    // batches ahead, while the pool decodes and checks the current batch.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Chunk>>(2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut chunks = chunks.peekable();
            while chunks.peek().is_some() {
                let batch: Vec<Chunk> = chunks.by_ref().take(BATCH).collect();
                if sender.send(batch).is_err() {
                    return;
                }
            }
        });
        for batch in receiver {
            let outcomes: Vec<Vec<Outcome>> = batch
                .into_par_iter()
                .map(|chunk| check_chunk(plan, chunk))
                .collect();
            for mut outcome in outcomes.into_iter().flatten() {
                if let Outcome::Checked(verdict) = &mut outcome {
                    identity.follow(verdict);
                }
                each(&outcome);
                match &outcome {
                    Outcome::Checked(verdict) => report.add(verdict),
                    Outcome::Undecodable(e) => report.add_error(e),
                }
            }
        }
    });
}

/// Decodes (if needed) and checks one chunk.
fn check_chunk(plan: &CompiledPlan, chunk: Chunk) -> Vec<Outcome> {
    let items = match chunk {
        Chunk::Item(item) => vec![item],
        Chunk::Raw(raw) => match record::check_raw(plan, &raw) {
            Some(verdict) => return vec![Outcome::Checked(verdict)],
            None => raw.decode(),
        },
    };
    items
        .into_iter()
        .map(|item| match item {
            Item::Record(record) => Outcome::Checked(record::check(plan, &record)),
            Item::Error(e) => Outcome::Undecodable(e),
        })
        .collect()
}
