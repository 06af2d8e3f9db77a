//! What a scan knows of the code trackplan generates for the plan: the
//! names of the TypeScript helpers and Rust types (from the naming
//! authority, as `generate` gives them out), the fixed runtime names of
//! the TypeScript module, and where the generated files are, so an import
//! of them can be told from any other.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::codegen::{ItemId, Names, Target};
use crate::plan::Plan;

/// What an export of the generated TypeScript module is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Export {
    /// The helper of one event (`pageViewed`).
    Event(String),
    /// The typed generic `track(name, properties)`.
    Track,
    /// `createTracker` or `createServerTracker`: an object with the same
    /// helpers as methods.
    CreateTracker,
    /// `register` (super properties).
    Register,
    /// `people` (typed profile operations).
    People,
    /// Anything else (`init`, types, constants).
    Other,
}

/// The runtime names of the generated TypeScript module that `scan`
/// recognises (`templates/typescript/target.toml` lists them among the
/// module's defined names; `tests/scan.rs` checks they are there).
pub const TS_RUNTIME: &[(&str, Export)] = &[
    ("track", Export::Track),
    ("createTracker", Export::CreateTracker),
    ("createServerTracker", Export::CreateTracker),
    ("register", Export::Register),
    ("people", Export::People),
];

/// The generated code's names, and where its files are.
#[derive(Debug, Default)]
pub struct Generated {
    /// TypeScript: each event helper's name, with its event.
    pub ts_helpers: HashMap<String, String>,
    /// Rust: each event type's and case type's name, with its event.
    pub rust_types: HashMap<String, String>,
    /// Rust: the generated crate's name (`accounts_tracking`) and the
    /// module names generated files have in the scanned code.
    pub rust_paths: Vec<String>,
    /// Generated TypeScript files, without their extension (and their
    /// directory, for an `index` file).
    pub ts_modules: Vec<PathBuf>,
    /// Import specifiers given as the generated module.
    pub specifiers: Vec<String>,
    /// Files looked at as import targets (a generated directory left out
    /// of the scan by `.gitignore` is still found through its imports),
    /// with whether trackplan generated them.
    sniffed: std::sync::Mutex<HashMap<PathBuf, bool>>,
}

impl Generated {
    /// What `plan`'s generated code is called, with the generated `files`
    /// found and the import `specifiers` given for it.
    pub fn new(plan: &Plan, files: &[PathBuf], specifiers: &[String]) -> Self {
        let mut out = Generated {
            specifiers: specifiers.to_vec(),
            ..Generated::default()
        };
        for target in Target::builtins() {
            let names = Names::allocate(plan, &target);
            for event in &plan.events {
                let id = ItemId::event(&event.name);
                let of = names.of(&id);
                match target.spec.name.as_str() {
                    "typescript" => {
                        if let Some(function) = of.get("function") {
                            out.ts_helpers.insert(function.clone(), event.name.clone());
                        }
                    }
                    "rust" => {
                        if let Some(ty) = of.get("type") {
                            out.rust_types.insert(ty.clone(), event.name.clone());
                        }
                        for case in event.variants.iter().flat_map(|v| v.all()) {
                            let case_id = id.case(case.key.as_deref());
                            if let Some(ty) = names.of(&case_id).get("type") {
                                out.rust_types.insert(ty.clone(), event.name.clone());
                            }
                        }
                    }
                    _ => {}
                }
            }
            if target.spec.name == "rust"
                && let Some(package) = names.of(&ItemId::plan()).get("package")
            {
                out.rust_paths.push(package.replace('-', "_"));
            }
        }
        for file in files {
            let normal = normalize(file);
            match normal.extension().and_then(|e| e.to_str()) {
                Some("rs") => {
                    // A generated lib.rs included as a module takes its
                    // directory's name; another file, its own.
                    let stem = normal.file_stem().and_then(|s| s.to_str());
                    let module = match stem {
                        Some("lib" | "mod") => normal
                            .parent()
                            .and_then(|p| p.file_name())
                            .and_then(|n| n.to_str())
                            .filter(|n| *n != "src"),
                        other => other,
                    };
                    if let Some(module) = module {
                        out.rust_paths.push(module.replace('-', "_"));
                    }
                }
                Some(_) => {
                    let base = normal.with_extension("");
                    if base.file_name().is_some_and(|n| n == "index")
                        && let Some(dir) = base.parent()
                    {
                        out.ts_modules.push(dir.to_path_buf());
                    }
                    out.ts_modules.push(base);
                }
                None => {}
            }
        }
        // A dependency renamed in Cargo.toml is named with `--module`.
        out.rust_paths.extend(specifiers.iter().cloned());
        out.rust_paths.sort();
        out.rust_paths.dedup();
        out
    }

    /// The export `name` of the generated TypeScript module.
    pub fn ts_export(&self, name: &str) -> Export {
        if let Some(event) = self.ts_helpers.get(name) {
            return Export::Event(event.clone());
        }
        TS_RUNTIME
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Export::Other, |(_, e)| e.clone())
    }

    /// Whether `specifier`, imported by the file at `from`, is the
    /// generated TypeScript module: a relative import of a generated file
    /// (with or without its extension, or its directory for an index
    /// file), a specifier given with `--module`, or an alias (`@/tracking`,
    /// `~/lib/tracking`) whose path ends a generated file's.
    pub fn is_ts_module(&self, specifier: &str, from: &Path) -> bool {
        if self.specifiers.iter().any(|s| s == specifier) {
            return true;
        }
        let stripped = strip_extension(specifier);
        if specifier.starts_with('.') {
            let dir = from.parent().unwrap_or(Path::new(""));
            let target = normalize(&dir.join(stripped));
            return self.ts_modules.contains(&target) || self.generated_on_disk(&target);
        }
        let Some(rest) = ["@/", "~/", "#/", "#", "@"]
            .iter()
            .find_map(|prefix| stripped.strip_prefix(prefix))
        else {
            return false;
        };
        let rest = Path::new(rest);
        if rest.as_os_str().is_empty() {
            return false;
        }
        if self.ts_modules.iter().any(|m| m.ends_with(rest)) {
            return true;
        }
        // An alias maps to the project's root or its `src` (`@/*` to
        // `src/*`, `~/*` to `./*`, as Vite and Next.js set them up): look
        // for the module from the importing file's directory up.
        from.ancestors().skip(1).any(|dir| {
            [dir.join(rest), dir.join("src").join(rest)]
                .iter()
                .any(|c| self.generated_on_disk(c))
        })
    }

    /// Whether a module `base` (a path without extension) is a file
    /// trackplan generated, looking at the disk: `base.ts` and the other
    /// script extensions, or `base/index.ts`.
    fn generated_on_disk(&self, base: &Path) -> bool {
        let Ok(mut sniffed) = self.sniffed.lock() else {
            return false;
        };
        if let Some(known) = sniffed.get(base) {
            return *known;
        }
        let extensions = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];
        let mut candidates: Vec<PathBuf> = extensions
            .iter()
            .map(|e| {
                let mut name = base.as_os_str().to_owned();
                name.push(".");
                name.push(e);
                PathBuf::from(name)
            })
            .collect();
        candidates.extend(extensions.iter().map(|e| base.join(format!("index.{e}"))));
        let generated = candidates
            .iter()
            .any(|c| c.is_file() && super::walk::is_generated(c));
        sniffed.insert(base.to_path_buf(), generated);
        generated
    }
}

/// `specifier` without a script extension (`./tracking.js` imports
/// `tracking.ts` under NodeNext).
fn strip_extension(specifier: &str) -> &str {
    for ext in [".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts"] {
        if let Some(stem) = specifier.strip_suffix(ext) {
            return stem;
        }
    }
    specifier
}

/// `path` with `.` and `..` resolved by text (no file system).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(files: &[&str]) -> Generated {
        Generated {
            ts_modules: files
                .iter()
                .flat_map(|f| {
                    let base = normalize(Path::new(f)).with_extension("");
                    let mut out = vec![base.clone()];
                    if base.file_name().is_some_and(|n| n == "index") {
                        out.push(base.parent().unwrap().to_path_buf());
                    }
                    out
                })
                .collect(),
            ..Generated::default()
        }
    }

    #[test]
    fn relative_alias_and_given_imports_name_the_generated_module() {
        let g = generated(&["app/src/tracking/index.ts", "app/src/tracking/tracking.ts"]);
        let from = Path::new("app/src/components/Save.tsx");
        for yes in [
            "../tracking",
            "../tracking/index.js",
            "../tracking/tracking",
            "./../tracking/tracking.js",
            "@/tracking",
            "~/src/tracking",
        ] {
            assert!(g.is_ts_module(yes, from), "{yes}");
        }
        for no in [
            "./tracking",
            "../tracking/validation",
            "tracking",
            "@/other",
        ] {
            assert!(!g.is_ts_module(no, from), "{no}");
        }
        let given = Generated {
            specifiers: vec!["@acme/tracking".into()],
            ..generated(&[])
        };
        assert!(given.is_ts_module("@acme/tracking", from));
    }
}
