//! The well-formedness floor: the least any checker must do with an
//! NDJSON file, reading it and parsing every line as JSON without keeping
//! anything (serde_json into `IgnoredAny`), split into blocks of lines
//! across the same number of threads `check` uses. `check`'s time is
//! reported as a multiple of this. Shared by the benchmarks through
//! `#[path]` includes.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

/// What the floor run found and took.
#[derive(Debug, Clone, Copy)]
pub struct Floor {
    /// Wall-clock seconds, reading included.
    pub seconds: f64,
    /// Lines that parsed.
    pub lines: u64,
    /// Lines that did not.
    pub malformed: u64,
}

/// Reads `path` in 1 MiB reads on this thread, hands blocks of whole lines
/// to `threads` workers, and parses each line.
pub fn measure(path: &Path, threads: usize) -> Floor {
    let started = Instant::now();
    let (blocks, inbox) = mpsc::sync_channel::<Vec<u8>>(threads * 4);
    let inbox = std::sync::Arc::new(std::sync::Mutex::new(inbox));
    let workers: Vec<_> = (0..threads.max(1))
        .map(|_| {
            let inbox = std::sync::Arc::clone(&inbox);
            std::thread::spawn(move || {
                let (mut lines, mut malformed) = (0u64, 0u64);
                loop {
                    let block = match inbox.lock().map(|rx| rx.recv()) {
                        Ok(Ok(block)) => block,
                        _ => break,
                    };
                    for line in block.split(|b| *b == b'\n') {
                        if line.is_empty() {
                            continue;
                        }
                        match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
                            Ok(_) => lines += 1,
                            Err(_) => malformed += 1,
                        }
                    }
                }
                (lines, malformed)
            })
        })
        .collect();
    let mut file = std::fs::File::open(path).expect("open the corpus");
    let mut carry = Vec::new();
    let mut buf = vec![0; 1 << 20];
    loop {
        let n = file.read(&mut buf).expect("read the corpus");
        if n == 0 {
            break;
        }
        let read = &buf[..n];
        let cut = read.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let mut block = std::mem::take(&mut carry);
        block.extend_from_slice(&read[..cut]);
        carry.extend_from_slice(&read[cut..]);
        blocks.send(block).expect("a worker takes the block");
    }
    if !carry.is_empty() {
        blocks.send(carry).expect("a worker takes the block");
    }
    drop(blocks);
    let (mut lines, mut malformed) = (0, 0);
    for worker in workers {
        let (l, m) = worker.join().expect("a floor worker finishes");
        lines += l;
        malformed += m;
    }
    Floor {
        seconds: started.elapsed().as_secs_f64(),
        lines,
        malformed,
    }
}
