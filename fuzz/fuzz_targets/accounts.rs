//! The bundled accounts plan, compiled once, for the targets that check
//! records against it.

use std::sync::{Arc, OnceLock};

use trackplan::check::CompiledPlan;

/// The compiled plan.
pub fn plan() -> &'static Arc<CompiledPlan> {
    static PLAN: OnceLock<Arc<CompiledPlan>> = OnceLock::new();
    PLAN.get_or_init(|| {
        let text = include_str!("../../plans/accounts.yaml");
        let plan = trackplan::plan::load_text("accounts.yaml", text).plan.expect("the bundled plan loads");
        CompiledPlan::new(&plan)
    })
}
