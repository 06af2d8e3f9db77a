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

/// Chunks decoded and checked per parallel batch (a chunk is one record,
/// or a block of up to 256 KiB of NDJSON lines).
const BATCH: usize = 8;

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
    mut each: impl FnMut(&Outcome) + Send,
) {
    // Three stages run at once: a thread reads and splits the input a
    // couple of batches ahead; the pool decodes and checks a batch; a
    // thread folds the previous batch, in input order, into the identity
    // check, the output and the report.
    let (batches, to_check) = std::sync::mpsc::sync_channel::<Vec<Chunk>>(2);
    let (checked, to_fold) = std::sync::mpsc::sync_channel::<Vec<Vec<Outcome>>>(2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut chunks = chunks.peekable();
            while chunks.peek().is_some() {
                let batch: Vec<Chunk> = chunks.by_ref().take(BATCH).collect();
                if batches.send(batch).is_err() {
                    return;
                }
            }
        });
        scope.spawn(move || {
            for outcomes in to_fold {
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
        for batch in to_check {
            let outcomes = batch
                .into_par_iter()
                .map(|chunk| check_chunk(plan, chunk))
                .collect();
            if checked.send(outcomes).is_err() {
                return;
            }
        }
        drop(checked);
    });
}

/// Decodes (if needed) and checks one chunk.
fn check_chunk(plan: &CompiledPlan, chunk: Chunk) -> Vec<Outcome> {
    let items = match chunk {
        Chunk::Block(block) => {
            let mut outcomes = Vec::with_capacity(block.lines.len());
            for (number, range) in &block.lines {
                let text = block.data.get(range.clone()).unwrap_or_default();
                match record::check_text(plan, text, || block.source(*number)) {
                    Some(verdict) => outcomes.push(Outcome::Checked(verdict)),
                    None => outcomes.extend(
                        block
                            .raw(*number, range.clone())
                            .decode()
                            .into_iter()
                            .map(|item| outcome(plan, item)),
                    ),
                }
            }
            return outcomes;
        }
        Chunk::Item(item) => vec![item],
        Chunk::Raw(raw) => match record::check_text(plan, &raw.bytes, || raw.source.clone()) {
            Some(verdict) => return vec![Outcome::Checked(verdict)],
            None => raw.decode(),
        },
    };
    items.into_iter().map(|item| outcome(plan, item)).collect()
}

fn outcome(plan: &CompiledPlan, item: Item) -> Outcome {
    match item {
        Item::Record(record) => Outcome::Checked(record::check(plan, &record)),
        Item::Error(e) => Outcome::Undecodable(e),
    }
}
