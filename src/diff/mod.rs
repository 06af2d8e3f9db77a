//! `trackplan diff`: what changed between two versions of a plan, each
//! change classified with a stable rule id, as `buf breaking` does for
//! protobuf: breaking for reports and dashboards, breaking for the code
//! that sends events, compatible, or a deprecation; and the version bump
//! the changes need.

mod compare;

use serde::Serialize;

pub use compare::diff;

use crate::diagnostic::Label;

/// How a change affects the plan's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Breaks reports and dashboards built on the old plan.
    BreakingReports,
    /// Breaks code that sends events (generated helpers stop compiling).
    BreakingCode,
    /// An event or property is on its way out.
    Deprecation,
    /// Safe for everyone.
    Compatible,
}

impl Category {
    /// Whether it is a breaking change.
    pub fn is_breaking(self) -> bool {
        matches!(self, Category::BreakingReports | Category::BreakingCode)
    }

    /// The name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::BreakingReports => "breaking-reports",
            Category::BreakingCode => "breaking-code",
            Category::Deprecation => "deprecation",
            Category::Compatible => "compatible",
        }
    }
}

/// A version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// No change needs one.
    None,
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

impl Bump {
    /// Its name: `none`, `patch`, `minor`, `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// One change between the two plans.
#[derive(Debug, Clone)]
pub struct Change {
    /// Stable rule id (see `docs/diff-rules.md`).
    pub rule: &'static crate::rules::Rule,
    /// How it affects users.
    pub category: Category,
    /// The bump it needs.
    pub bump: Bump,
    /// What changed.
    pub message: String,
    /// Where: in the new plan, or in the old one for removals.
    pub at: Option<Label>,
}

/// The bump `changes` need together.
pub fn required_bump(changes: &[Change]) -> Bump {
    changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None)
}

/// Whether going from `old` to `new` (semver strings) is at least `bump`.
pub fn bumped_enough(old: &str, new: &str, bump: Bump) -> bool {
    let (Ok(old), Ok(new)) = (semver::Version::parse(old), semver::Version::parse(new)) else {
        return bump == Bump::None;
    };
    match bump {
        Bump::None => new >= old,
        Bump::Patch => new > old,
        Bump::Minor => new.major > old.major || (new.major == old.major && new.minor > old.minor),
        Bump::Major => new.major > old.major,
    }
}
