//! `trackplan serve`: a local Mixpanel-compatible collector that checks
//! events as real SDKs send them.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::plan_arg::load_plan;
use crate::check::CompiledPlan;
use crate::serve::{Collector, Options, parse_addr, serve};

/// Arguments of `trackplan serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The plan to check against.
    #[arg(long, short, default_value = "plans/accounts.yaml")]
    pub plan: PathBuf,
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    #[arg(long, default_value = "127.0.0.1:8000")]
    pub addr: String,
    /// Append every record, with its verdict, to this NDJSON file.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Do not print violations as they arrive.
    #[arg(long)]
    pub quiet: bool,
    /// Also pass every ingestion request on, unchanged, to this base URL
    /// (plain HTTP; a real endpoint behind TLS needs a local proxy).
    #[arg(long, value_name = "URL")]
    pub forward: Option<String>,
    /// Sync `--out` to the disk before answering each request, for
    /// machines that may lose power (each request then waits for the disk).
    #[arg(long, requires = "out")]
    pub fsync: bool,
}

/// Runs the collector until Ctrl-C or `SIGTERM`.
pub fn command(args: ServeArgs) -> Result<u8, CliError> {
    let plan = load_plan(&args.plan)?;
    let addr = parse_addr(&args.addr).map_err(CliError::Usage)?;
    let out = match &args.out {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| CliError::Io(format!("cannot open `{}`: {e}", path.display())))?,
        ),
        None => None,
    };
    let collector = Collector::with_options(
        CompiledPlan::new(&plan),
        &plan.identity.user_id,
        out,
        Options {
            quiet: args.quiet,
            forward: args.forward.clone(),
            fsync: args.fsync,
        },
    );
    crate::serve::raise_open_files_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Io(format!("cannot start the server: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| CliError::Io(format!("cannot listen on {addr}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| CliError::Io(e.to_string()))?;
        let reach = if bound.ip().is_loopback() {
            "this machine only"
        } else {
            "any machine that reaches this one: it can send events and read or reset the report"
        };
        crate::serve::say(&format!(
            "trackplan serve: listening on http://{bound} (plan {} {}; {reach})",
            plan.name, plan.version
        ));
        serve(listener, collector)
            .await
            .map_err(|e| CliError::Io(format!("server stopped: {e}")))
    })?;
    Ok(0)
}
