//! How plan work grows with the plan: loading (parse, structure, resolve,
//! validate), lint (style rules and the naming authority's collisions), and
//! lint's human report (miette snippets), each at four sizes that double.
//! Linear work doubles with the size; the bound the project keeps:
//! 20,000 events load in well under a second.
//!
//!     cargo bench --bench scaling
//!
//! Prints a table (median of three, seconds) with the ratio from one size to
//! the next, and exits 1 when the bound does not hold.

use std::time::Instant;

/// A plan of `events` events, each with two properties; with
/// `descriptions` off, every event and property is a lint warning.
fn plan_text(events: usize, descriptions: bool) -> String {
    let d = if descriptions { ", description: d" } else { "" };
    let mut text =
        String::from("trackplan: 1\nname: Big\nversion: 1.0.0\ndescription: d\nevents:\n");
    for i in 0..events {
        text.push_str(&format!(
            "  Event Number {i}:\n{}    properties:\n      first_{i}: {{type: string{d}}}\n      second_{i}: {{type: integer, minimum: 0{d}}}\n",
            if descriptions { "    description: d\n" } else { "" },
        ));
    }
    text
}

fn median(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[1]
}

fn main() {
    let sizes = [5_000, 10_000, 20_000, 40_000];
    println!(
        "{:>8} {:>10} {:>7} {:>10} {:>7} {:>13} {:>7}",
        "events", "load s", "×", "lint s", "×", "human lint s", "×"
    );
    let mut previous: Option<(f64, f64, f64)> = None;
    let mut load_20k = f64::INFINITY;
    for &n in &sizes {
        let clean = plan_text(n, true);
        let load = median(|| {
            let loaded = trackplan::plan::load_text("big.yaml", &clean);
            assert!(loaded.plan.is_some());
        });
        let lint = median(|| {
            let diagnostics = trackplan::lint::lint(trackplan::plan::load_text("big.yaml", &clean));
            assert!(diagnostics.is_empty(), "{}", diagnostics[0].message);
        });
        // Without descriptions: three warnings per event, rendered.
        let noisy = plan_text(n, false);
        let diagnostics = trackplan::lint::lint(trackplan::plan::load_text("big.yaml", &noisy));
        let human = median(|| {
            let mut bytes = 0;
            for d in &diagnostics {
                bytes += trackplan::diagnostic::render::human(
                    d,
                    trackplan::diagnostic::render::Style::Plain,
                )
                .len();
            }
            assert!(bytes > 0);
        });
        let ratio = |now: f64, before: Option<f64>| {
            before.map_or_else(|| "".to_owned(), |b| format!("{:.2}", now / b))
        };
        println!(
            "{n:>8} {load:>10.3} {:>7} {lint:>10.3} {:>7} {human:>13.3} {:>7}   ({} findings rendered)",
            ratio(load, previous.map(|p| p.0)),
            ratio(lint, previous.map(|p| p.1)),
            ratio(human, previous.map(|p| p.2)),
            diagnostics.len()
        );
        previous = Some((load, lint, human));
        if n == 20_000 {
            load_20k = load;
        }
    }
    let bound = load_20k < 1.0;
    println!(
        "bound: 20,000 events load in under a second: {} ({load_20k:.3} s)",
        if bound { "yes" } else { "NO" }
    );
    if !bound {
        std::process::exit(1);
    }
}
