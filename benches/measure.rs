//! Measuring a whole child process: wall time, CPU time (user + system)
//! and its own peak resident memory, read with `wait4`, so one child's
//! figures never mix with another's. Shared by the benchmarks through
//! `#[path]` includes.
#![allow(dead_code)]

use std::process::Command;
use std::time::Instant;

/// What one process took.
#[derive(Debug, Clone, Copy, Default)]
pub struct Measured {
    /// Wall-clock seconds from spawn to exit.
    pub seconds: f64,
    /// CPU seconds, user and system, of all its threads.
    pub cpu_seconds: f64,
    /// Its peak resident memory, in MB.
    pub peak_rss_mb: f64,
    /// Its exit code (`None` when killed by a signal).
    pub code: Option<i32>,
}

/// Runs `command` to its end and measures it.
pub fn run(command: &mut Command) -> Measured {
    let started = Instant::now();
    // Reaped by `wait4` below, which also reads the child's own usage.
    #[allow(clippy::zombie_processes)]
    let child = command.spawn().expect("the measured command starts");
    let (code, usage) = wait(child.id());
    Measured {
        seconds: started.elapsed().as_secs_f64(),
        cpu_seconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        peak_rss_mb: usage.ru_maxrss as f64 / 1024.0,
        code,
    }
}

/// The median by wall time of `runs` measurements (at least one).
pub fn median(runs: usize, mut measure: impl FnMut() -> Measured) -> Measured {
    let mut all: Vec<Measured> = (0..runs.max(1)).map(|_| measure()).collect();
    all.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    all[all.len() / 2]
}

/// How many times each measurement is taken: `RUNS`, else 3.
pub fn runs_from_env() -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

fn seconds(t: libc::timeval) -> f64 {
    t.tv_sec as f64 + t.tv_usec as f64 / 1e6
}

fn wait(pid: u32) -> (Option<i32>, libc::rusage) {
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 writes the exit status and a rusage struct into the
    // pointers it is given; the pid is our own child, not waited for yet.
    let usage = unsafe {
        libc::wait4(pid as i32, &mut status, 0, usage.as_mut_ptr());
        usage.assume_init()
    };
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage)
}
