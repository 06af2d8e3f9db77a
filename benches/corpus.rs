//! A synthetic corpus of browser-like events for `plans/accounts.yaml`:
//! Page Viewed, Login and Autologin as mixpanel-browser sends them, with
//! about 5% carrying one planted violation. Deterministic for a seed.
//! Shared by the benchmark (`benches/check.rs`) and the tests, through
//! `#[path]` includes.
#![allow(dead_code)]

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What was planted, to compare with what `check` finds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Planted {
    /// Events written.
    pub events: u64,
    /// Bytes written.
    pub bytes: u64,
    /// `Login` with `attempt` as a string.
    pub wrong_type: u64,
    /// `Login` with a `method` outside the enum.
    pub not_in_enum: u64,
    /// `Page Viewed` without `page_url`.
    pub missing_property: u64,
    /// `Page Viewed` with a `page_url` that is not a URI.
    pub invalid_format: u64,
    /// `Autologin` with a negative `session_age_days`.
    pub out_of_range: u64,
}

/// A small deterministic generator (SplitMix64).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

const PAGES: &[(&str, &str)] = &[
    ("/", "Home"),
    ("/login", "Log in"),
    ("/signup", "Create your account"),
    ("/account/settings", "Account settings"),
    ("/pricing?plan=pro", "Pricing"),
    (
        "/help/articles/42-reset-password",
        "How do I reset my password?",
    ),
];
const BROWSERS: &[(&str, &str, &str)] = &[
    ("Chrome", "126", "Windows"),
    ("Firefox", "127", "Linux"),
    ("Safari", "17.5", "Mac OS X"),
    ("Mobile Safari", "17.5", "iOS"),
];
const METHODS: &[&str] = &["password", "google", "facebook", "autologin"];

/// Writes `count` events as NDJSON, each from a device of its own.
pub fn write(out: impl Write, count: u64, seed: u64) -> io::Result<Planted> {
    write_from(out, count, seed, None)
}

/// Like [`write`], the events coming from `devices` devices when given
/// (a fixed population, as a product's traffic has), else one each.
pub fn write_from(
    mut out: impl Write,
    count: u64,
    seed: u64,
    devices: Option<u64>,
) -> io::Result<Planted> {
    let mut rng = Rng(seed);
    let mut planted = Planted::default();
    let mut line = String::with_capacity(1024);
    let base_time = 1_718_000_000u64;
    for i in 0..count {
        line.clear();
        let device = format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            rng.next_u64() as u32,
            rng.below(65536),
            rng.below(4096),
            rng.below(4096),
            rng.next_u64() & 0xFFFF_FFFF_FFFF
        );
        let device = match devices {
            Some(n) => format!("device-{}", rng.below(n)),
            None => device,
        };
        let user = rng.below(50_000);
        let (browser, version, os) = BROWSERS[rng.below(BROWSERS.len() as u64) as usize];
        let (path, title) = PAGES[rng.below(PAGES.len() as u64) as usize];
        let time = base_time + i / 10;
        let millis = rng.below(1000);
        let insert_id = format!("{:016x}{:08x}", rng.next_u64(), rng.next_u64() as u32);
        let plant = rng.below(100) < 5;
        let kind = rng.below(10);
        let common = format!(
            "\"token\":\"bench-token\",\"time\":{time}.{millis:03},\"$insert_id\":\"{insert_id}\",\"$os\":\"{os}\",\"$browser\":\"{browser}\",\"$browser_version\":{version},\"$current_url\":\"https://accounts.example.com{path}\",\"mp_lib\":\"web\",\"$lib_version\":\"2.55.1\",\"$device_id\":\"{device}\",\"client_id\":\"web-shop\""
        );
        if kind < 6 {
            let mut page_url = format!("\"page_url\":\"https://accounts.example.com{path}\",");
            if plant && rng.below(2) == 0 {
                page_url.clear();
                planted.missing_property += 1;
            } else if plant {
                page_url = format!("\"page_url\":\"accounts example com{path}\",");
                planted.invalid_format += 1;
            }
            line.push_str(&format!(
                "{{\"event\":\"Page Viewed\",\"properties\":{{{common},\"distinct_id\":\"$device:{device}\",{page_url}\"page_title\":\"{title}\"}}}}\n"
            ));
        } else if kind < 9 {
            let method = if plant && rng.below(2) == 0 {
                planted.not_in_enum += 1;
                "sms"
            } else {
                METHODS[rng.below(3) as usize]
            };
            let attempt = if plant && method != "sms" {
                planted.wrong_type += 1;
                "\"2\"".to_owned()
            } else {
                (1 + rng.below(3)).to_string()
            };
            line.push_str(&format!(
                "{{\"event\":\"Login\",\"properties\":{{{common},\"distinct_id\":\"user-{user}\",\"$user_id\":\"user-{user}\",\"method\":\"{method}\",\"remember_me\":{},\"attempt\":{attempt}}}}}\n",
                rng.below(2) == 0
            ));
        } else {
            let age = if plant {
                planted.out_of_range += 1;
                -1
            } else {
                rng.below(90) as i64
            };
            line.push_str(&format!(
                "{{\"event\":\"Autologin\",\"properties\":{{{common},\"distinct_id\":\"user-{user}\",\"$user_id\":\"user-{user}\",\"session_age_days\":{age}}}}}\n"
            ));
        }
        planted.bytes += line.len() as u64;
        planted.events += 1;
        out.write_all(line.as_bytes())?;
    }
    Ok(planted)
}

/// How many events a benchmark generates: `EVENTS`, else 1,000,000.
pub fn events_from_env() -> u64 {
    std::env::var("EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Where benchmarks write their files (`target/bench`), created.
pub fn work_dir() -> PathBuf {
    let work = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&work).expect("create target/bench");
    work
}

/// Writes the corpus (seed 42) to `path`.
pub fn write_file(path: &Path, events: u64) -> Planted {
    let file = std::fs::File::create(path).expect("create the corpus");
    write(io::BufWriter::with_capacity(1 << 20, file), events, 42).expect("write the corpus")
}
