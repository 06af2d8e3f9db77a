//! The rules of `trackplan scan`: what source code can do against the
//! plan. Each finding is at the call in the code (file, line, column),
//! except `never-called`, which is at the event's definition in the plan.

use super::{Family, Rule, registry};
use crate::diagnostic::Severity::{self, Error, Warning};

const fn scan(
    id: &'static str,
    severity: Severity,
    what: &'static str,
    why: &'static str,
    example: &'static str,
) -> Rule {
    Rule::new(id, Family::Scan, severity, what, why, example)
}

registry! {
    NEVER_CALLED = scan(
        "never-called",
        Warning,
        "An active event of the plan that no scanned code sends: no call of its generated helper, no raw SDK call with its name. Reported at the event's definition in the plan. Planned and deprecated events are not reported.",
        "The plan promises data that nobody sends: dashboards built on the event stay empty, and the plan drifts from the product. Either the instrumentation is missing, or the event should be marked `planned` or removed.",
        "events:\n  Two Factor Enabled: {}\n# no code calls twoFactorEnabled(...) or mixpanel.track(\"Two Factor Enabled\", ...)",
    );
    UNPLANNED_CALL = scan(
        "unplanned-call",
        Error,
        "Code sends an event name the plan does not define (a raw SDK call with a literal name, or the generated generic `track`); the finding names the nearest planned name, or the new name of a renamed event.",
        "The event reaches Mixpanel unplanned: it has no definition, description or owner, and a misspelled name splits one action into two events in every report. `check` would flag it in traffic; `scan` flags it before it ships.",
        "// src/login.ts\nmixpanel.track(\"Log In\", { method: \"password\" });",
    );
    RAW_CALL = scan(
        "raw-call",
        Warning,
        "A raw SDK call (`mixpanel.track(\"Login\", ...)`) of an event the generated helpers cover; the finding names the helper to call instead.",
        "A raw call is not typed: a wrong property name, type or enum value compiles and ships. The generated helper makes each of those a compile error.",
        "// src/login.ts\nmixpanel.track(\"Login\", { method: \"password\" });  // use login({ method: \"password\", ... })",
    );
    UNDECLARED_PROPERTY = scan(
        "undeclared-property",
        Warning,
        "A property key written in a raw call's object literal that the plan does not declare: for `track`, a property of the event or a super property; for `register`, a super property; for `people.set` and the other profile operations, a user property. The SDKs' own `$` and `mp_` properties are not reported.",
        "Mixpanel accepts the property, but nobody planned it: it is typed by nobody, often a misspelling of a planned one (`login_method` for `method`), and `check` will report it in traffic as `unexpected-property`.",
        "events:\n  Login:\n    properties:\n      method: {type: string}\n// src/login.ts\nmixpanel.track(\"Login\", { login_method: \"password\" });",
    );
    DYNAMIC_EVENT_NAME = scan(
        "dynamic-event-name",
        Warning,
        "A raw SDK call whose event name is not a string literal (a variable, a concatenation, a template with expressions), so nobody can tell which event it sends.",
        "Mixpanel advises never to build event names dynamically: names made from data (`Viewed ${page}`) multiply into hundreds of events no plan describes, and no tool can check them before they ship.",
        "// src/pages.ts\nmixpanel.track(`Viewed ${page}`);",
    );
    DEPRECATED_CALL = scan(
        "deprecated-call",
        Warning,
        "Code sends an event the plan marks `deprecated` (through its helper or a raw call); the finding names its `replaced_by`.",
        "Reports are moving to the replacement: data still sent under the deprecated event is split from it and will stop being looked at.",
        "events:\n  Signup: {status: deprecated, replaced_by: Account Created}\n// src/signup.ts\nsignup({ method: \"password\" });",
    );
    UNPARSABLE_SOURCE = scan(
        "unparsable-source",
        Warning,
        "A source file the parser could not read (a syntax error, a file that is not UTF-8, one over 16 MiB). The other files are still scanned; calls in this one may be missed.",
        "A file that cannot be parsed cannot be scanned: its calls count as never made, which could report events as `never-called` that the file does send.",
        "// src/broken.ts\nmixpanel.track(\"Login\", {",
    );
}
