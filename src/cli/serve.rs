//! `trackplan serve`: a local Mixpanel-compatible collector that checks
//! events as real SDKs send them.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::plan_arg::{PlanArg, current_project};
use crate::check::CompiledPlan;
use crate::serve::{Collector, Options, parse_addr, serve};

/// Arguments of `trackplan serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The plan to check against.
    #[command(flatten)]
    pub plan: PlanArg,
    /// Address to listen on (`127.0.0.1:0` picks a free port; default:
    /// `[serve] addr` of `trackplan.toml`, else 127.0.0.1:8000).
    #[arg(long)]
    pub addr: Option<String>,
    /// Append every record, with its verdict, to this NDJSON file
    /// (default: `[serve] out` of `trackplan.toml`).
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
    #[arg(long)]
    pub fsync: bool,
}

/// Runs the collector until Ctrl-C or `SIGTERM`.
pub fn command(args: ServeArgs) -> Result<u8, CliError> {
    let project = current_project()?;
    let plan = args.plan.load(project.as_ref())?;
    let defaults = project.map(|p| p.serve).unwrap_or_default();
    let addr = args
        .addr
        .clone()
        .or(defaults.addr)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    let addr = parse_addr(&addr).map_err(CliError::usage)?;
    let out_path = args.out.clone().or(defaults.out);
    if args.fsync && out_path.is_none() {
        return Err(CliError::usage(
            "--fsync syncs the --out file: give --out FILE (or `[serve] out`)".to_owned(),
        ));
    }
    let out = match &out_path {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| CliError::write(path, e))?,
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
            .map_err(|e| CliError::Io(format!("cannot read the address listened on: {e}")))?;
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
