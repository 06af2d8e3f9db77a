//! `trackplan check`: captured Mixpanel payloads checked against the plan.
//!
//! Records come from [`crate::payload`]; each is checked on its own
//! ([`record`]) in parallel, then, in input order, followed across the
//! stream for identity ([`identity`]) and added to the [`report::Report`].

pub mod compiled;
pub mod coverage;
pub mod ecmascript;
pub mod identity;
mod limits;
pub mod output;
pub mod props;
pub mod record;
pub mod report;
pub mod runtime;
pub mod value;
pub mod violation;
pub mod wording;

use std::sync::Arc;

use rayon::prelude::*;

pub use compiled::CompiledPlan;
pub use coverage::Tally;
pub use report::Report;
pub use violation::{Verdict, Violation};

use crate::payload::{Chunk, DecodeError, Item, Location};

/// Chunks checked but not yet folded, at most (a chunk is one record, or a
/// block of up to 256 KiB of NDJSON lines).
const IN_FLIGHT: usize = 16;

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
    mut each: impl FnMut(&Arc<str>, &Outcome) + Send,
) {
    // The pool's workers take chunks from the input as they become free
    // (no batch barrier) and send what they found, numbered, to a fold
    // thread that puts it back in input order for the identity check, the
    // output and the report. The channel bounds what is in flight.
    let (checked, to_fold) = std::sync::mpsc::sync_channel::<(usize, Checked)>(IN_FLIGHT);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut waiting = std::collections::BTreeMap::new();
            let mut next = 0;
            for (seq, outcomes) in to_fold {
                waiting.insert(seq, outcomes);
                while let Some(Checked {
                    file,
                    outcomes,
                    tally,
                }) = waiting.remove(&next)
                {
                    next += 1;
                    report.coverage.add(&tally);
                    for mut outcome in outcomes {
                        if let Outcome::Checked(verdict) = &mut outcome {
                            identity.follow(verdict);
                        }
                        each(&file, &outcome);
                        match &outcome {
                            Outcome::Checked(verdict) => report.add(&file, verdict),
                            Outcome::Undecodable(e) => report.add_error(e),
                        }
                    }
                }
            }
        });
        chunks
            .enumerate()
            .par_bridge()
            .for_each_with(checked, |sender, (seq, chunk)| {
                // A closed channel means the fold thread has stopped; nothing
                // more can be reported.
                let _ = sender.send((seq, check_chunk(plan, chunk)));
            });
    });
}

/// What became of the records of one chunk, all from one input file.
#[derive(Debug)]
pub struct Checked {
    /// The input file.
    pub file: Arc<str>,
    /// One outcome per record or undecodable part, in input order.
    pub outcomes: Vec<Outcome>,
    /// What its records covered.
    pub tally: Tally,
}

/// Decodes (if needed) and checks one chunk.
fn check_chunk(plan: &CompiledPlan, chunk: Chunk) -> Checked {
    let file = match &chunk {
        Chunk::Block(block) => Arc::clone(&block.file),
        Chunk::Raw(raw) => Arc::clone(&raw.source.file),
        Chunk::Item(Item::Record(record)) => Arc::clone(&record.source.file),
        Chunk::Item(Item::Error(e)) => Arc::clone(&e.source.file),
    };
    let mut tally = Tally::default();
    let outcomes = check_records(plan, chunk, &mut tally);
    Checked {
        file,
        outcomes,
        tally,
    }
}

fn check_records(plan: &CompiledPlan, chunk: Chunk, tally: &mut Tally) -> Vec<Outcome> {
    let items = match chunk {
        Chunk::Block(block) => {
            let mut outcomes = Vec::with_capacity(block.lines.len());
            for (number, range) in &block.lines {
                let text = block.data.get(range.clone()).unwrap_or_default();
                match record::check_text(plan, text, || Location::Line(*number), tally) {
                    Some(verdict) => outcomes.push(Outcome::Checked(verdict)),
                    None => outcomes.extend(
                        block
                            .raw(*number, range.clone())
                            .decode()
                            .into_iter()
                            .map(|item| outcome(plan, item, tally)),
                    ),
                }
            }
            return outcomes;
        }
        Chunk::Item(item) => vec![item],
        Chunk::Raw(raw) => {
            match record::check_text(plan, &raw.bytes, || raw.source.location.clone(), tally) {
                Some(verdict) => return vec![Outcome::Checked(verdict)],
                None => raw.decode(),
            }
        }
    };
    items
        .into_iter()
        .map(|item| outcome(plan, item, tally))
        .collect()
}

fn outcome(plan: &CompiledPlan, item: Item, tally: &mut Tally) -> Outcome {
    match item {
        Item::Record(record) => Outcome::Checked(record::check(plan, &record, tally)),
        Item::Error(e) => Outcome::Undecodable(e),
    }
}
