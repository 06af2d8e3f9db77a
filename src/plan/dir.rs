//! A directory as a plan: every `*.yaml` (and `*.yml`) file under it.
//!
//! A file with a top-level `name` is a root plan; a file without one is a
//! fragment, as included files are. A directory with one root is that plan,
//! with every fragment it does not include merged into it as if its
//! `include` listed them (in path order), so a team can split a plan into
//! files without keeping an include list. A directory with several roots
//! holds several plans: `lint` lints each, and a command that needs one
//! plan says which there are (docs/plan-format.md, "Directories").

use std::path::{Path, PathBuf};

use super::Loaded;
use crate::source::{MAX_PLAN_BYTES, SourceFile};
use crate::yaml::Document;

/// How deep subdirectories are searched.
const MAX_DEPTH: usize = 8;

/// The plan files of a directory, each list in path order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directory {
    /// Files with a top-level `name`.
    pub roots: Vec<PathBuf>,
    /// Files without one.
    pub fragments: Vec<PathBuf>,
}

/// Why a directory is not one plan.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum DirError {
    /// The directory (or a subdirectory) cannot be listed.
    #[error("cannot read `{}`: {source}", dir.display())]
    Read {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No `*.yaml` file in it.
    #[error("`{}` holds no *.yaml plan file", dir.display())]
    #[diagnostic(help("`trackplan init` writes a starter plan"))]
    Empty {
        /// The directory.
        dir: PathBuf,
    },
    /// No file in it is a root plan.
    #[error("no file in `{}` is a root plan (none has a `name`)", dir.display())]
    #[diagnostic(help("give one file `name` and `version`; the others are merged into it"))]
    NoRoot {
        /// The directory.
        dir: PathBuf,
    },
    /// More than one file in it is a root plan.
    #[error("`{}` holds {} plans ({}); pass one of them", dir.display(), roots.len(), list(roots))]
    #[diagnostic(help("a directory is one plan when exactly one of its files has a `name`"))]
    SeveralRoots {
        /// The directory.
        dir: PathBuf,
        /// The root plans in it.
        roots: Vec<PathBuf>,
    },
}

fn list(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}

impl Directory {
    /// The plan files under `dir`.
    pub fn scan(dir: &Path) -> Result<Directory, DirError> {
        let mut files = Vec::new();
        collect(dir, 0, &mut files)?;
        files.sort();
        if files.is_empty() {
            return Err(DirError::Empty {
                dir: dir.to_owned(),
            });
        }
        let mut found = Directory::default();
        for file in files {
            if is_root(&file) {
                found.roots.push(file);
            } else {
                found.fragments.push(file);
            }
        }
        Ok(found)
    }

    /// The one root, or why there is not exactly one.
    pub fn root(&self, dir: &Path) -> Result<&Path, DirError> {
        match self.roots.as_slice() {
            [root] => Ok(root),
            [] => Err(DirError::NoRoot {
                dir: dir.to_owned(),
            }),
            roots => Err(DirError::SeveralRoots {
                dir: dir.to_owned(),
                roots: roots.to_vec(),
            }),
        }
    }
}

/// Loads the one plan of `dir`: its root with every fragment merged in.
pub fn load_dir(dir: &Path) -> Result<Loaded, DirError> {
    let found = Directory::scan(dir)?;
    let root = found.root(dir)?;
    Ok(load_with(root, &found.fragments))
}

/// Loads the plan at `root` and merges `fragments` into it, each unless
/// the plan already includes it. A root that cannot be opened is an
/// `unreadable-file` finding, as a fragment that cannot be.
pub fn load_with(root: &Path, fragments: &[PathBuf]) -> Loaded {
    match SourceFile::read(root, MAX_PLAN_BYTES) {
        Ok(file) => super::load::load_source(file, root.parent().map(Path::to_path_buf), fragments),
        Err(err) => Loaded {
            plan: None,
            diagnostics: vec![super::load::unreadable(&err)],
        },
    }
}

fn collect(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), DirError> {
    let entries = std::fs::read_dir(dir).map_err(|source| DirError::Read {
        dir: dir.to_owned(),
        source,
    })?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < MAX_DEPTH {
            collect(&path, depth + 1, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether the file's top-level mapping has a `name`; a file that cannot be
/// read or parsed counts as a fragment (loading it reports why).
fn is_root(path: &Path) -> bool {
    let Ok(file) = SourceFile::read(path, MAX_PLAN_BYTES) else {
        return false;
    };
    Document::parse(&file).is_ok_and(|d| d.root.get("name").is_some())
}
