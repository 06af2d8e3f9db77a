//! Loading: a plan file and everything it includes, read, parsed, checked
//! for structure, merged and resolved into a [`Plan`], with every mistake
//! found on the way.

use crate::rules::lint as rule;
use std::collections::HashSet;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;

use super::{Origin, Plan, resolve, structure, validate};
use crate::diagnostic::{self, Diagnostic};
use crate::format::{EventSpec, GroupSpec, PlanFile, PropertySpec};
use crate::source::{MAX_PLAN_BYTES, ReadError, SourceFile};
use crate::yaml::{Document, Path, Segment};

/// The result of loading a plan: the plan (when its root file could be
/// read as a plan at all) and every diagnostic, sorted by place.
#[derive(Debug)]
pub struct Loaded {
    /// The resolved plan. Present even when some parts were invalid (they
    /// are left out), so lint can report everything in one run; commands
    /// that need a correct plan check [`Loaded::has_errors`] first.
    pub plan: Option<Plan>,
    /// Every mistake found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == diagnostic::Severity::Error)
    }
}

/// A named item of a plan with the place it was written.
#[derive(Debug, Clone)]
pub(super) struct Item<T> {
    pub name: String,
    pub spec: T,
    pub origin: Origin,
}

/// All files of a plan merged: the root's fields, and every file's items.
#[derive(Debug, Default)]
pub(super) struct Merged {
    pub root: PlanFile,
    pub definitions: Vec<Item<PropertySpec>>,
    pub super_properties: Vec<Item<PropertySpec>>,
    pub events: Vec<Item<EventSpec>>,
    pub user_properties: Vec<Item<PropertySpec>>,
    pub groups: Vec<Item<GroupSpec>>,
    pub documents: Vec<Arc<Document>>,
}

/// Loads the plan at `path`. Only a root file that cannot be opened at all
/// is an `Err` (an I/O error); everything else is a diagnostic.
pub fn load(path: &FsPath) -> Result<Loaded, ReadError> {
    match SourceFile::read(path, MAX_PLAN_BYTES) {
        Ok(file) => Ok(load_source(
            file,
            path.parent().map(FsPath::to_path_buf),
            &[],
        )),
        Err(err @ ReadError::Io { .. }) => Err(err),
        Err(err) => Ok(Loaded {
            plan: None,
            diagnostics: vec![unreadable(&err)],
        }),
    }
}

/// Loads a plan from text in memory; includes are resolved from the
/// current directory.
pub fn load_text(name: &str, text: &str) -> Loaded {
    load_source(SourceFile::new(name, text), None, &[])
}

/// The finding for a plan file that cannot be read.
pub(super) fn unreadable(err: &ReadError) -> Diagnostic {
    let help = match err {
        ReadError::NotUtf8 { .. } => "plan files are YAML text in UTF-8",
        ReadError::TooLarge { .. } => "is this the right file? split a huge plan with `include`",
        ReadError::NotAFile { .. } => {
            "give the path of a plan file; to lint a plan made by a command, write it to a file first"
        }
        ReadError::Io { .. } => "check the path",
    };
    Diagnostic::error(rule::UNREADABLE_FILE, err.to_string()).with_help(help)
}

struct Loader {
    merged: Merged,
    diagnostics: Vec<Diagnostic>,
    seen: HashSet<PathBuf>,
    stack: Vec<PathBuf>,
    names: IndexMap<(&'static str, String), Origin>,
}

/// Loads the root `file` (its includes relative to `dir`), then merges each
/// of `extras` that it does not already include.
pub(super) fn load_source(
    file: Arc<SourceFile>,
    dir: Option<PathBuf>,
    extras: &[PathBuf],
) -> Loaded {
    let mut loader = Loader {
        merged: Merged::default(),
        diagnostics: Vec::new(),
        seen: HashSet::new(),
        stack: Vec::new(),
        names: IndexMap::new(),
    };
    let identity = std::fs::canonicalize(file.name())
        .or_else(|_| std::path::absolute(file.name()))
        .unwrap_or_else(|_| PathBuf::from(file.name()));
    let root_parsed = loader.add_file(file, dir.unwrap_or_default(), identity, true);
    if root_parsed {
        for extra in extras {
            loader.add_extra(extra);
        }
    }
    let plan = if root_parsed {
        let merged = std::mem::take(&mut loader.merged);
        let (plan, diagnostics) = resolve::resolve(merged);
        loader.diagnostics.extend(diagnostics);
        loader.diagnostics.extend(validate::validate(&plan));
        Some(plan)
    } else {
        None
    };
    let mut diagnostics = loader.diagnostics;
    diagnostic::sort(&mut diagnostics);
    Loaded { plan, diagnostics }
}

impl Loader {
    /// Parses one file and, depth first, the files it includes. Returns
    /// whether the file was read as a plan.
    fn add_file(
        &mut self,
        file: Arc<SourceFile>,
        dir: PathBuf,
        identity: PathBuf,
        is_root: bool,
    ) -> bool {
        self.seen.insert(identity.clone());
        let document = match Document::parse(&file) {
            Ok(d) => Arc::new(d),
            Err(d) => {
                self.diagnostics.push(*d);
                return false;
            }
        };
        let index = self.merged.documents.len();
        self.merged.documents.push(Arc::clone(&document));
        for dup in &document.duplicates {
            self.diagnostics.push(duplicate_key(&document, dup));
        }
        let structure = structure::check(&document);
        self.diagnostics.extend(structure.diagnostics);
        let Some(spec) = structure.file else {
            return false;
        };
        if is_root {
            self.check_root_fields(&document, &spec);
        }
        // A file's own items come before those of the files it includes,
        // so a name defined in both is reported in the included file.
        let includes = spec.include.clone();
        self.merge(index, spec, is_root);
        self.stack.push(identity);
        for (i, include) in includes.iter().enumerate() {
            let at = Path::keys(["include"]).join(Segment::Index(i));
            self.include(&document, &dir, include, &at);
        }
        self.stack.pop();
        true
    }

    /// Merges a file of the plan's directory that no `include` names.
    fn add_extra(&mut self, path: &FsPath) {
        let identity = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.seen.contains(&identity) {
            return;
        }
        match SourceFile::read(path, MAX_PLAN_BYTES) {
            Ok(source) => {
                let dir = path.parent().map(FsPath::to_path_buf).unwrap_or_default();
                self.add_file(source, dir, identity, false);
            }
            Err(err) => self.diagnostics.push(unreadable(&err)),
        }
    }

    fn check_root_fields(&mut self, document: &Document, spec: &PlanFile) {
        for (field, present) in [
            ("name", spec.name.is_some()),
            ("version", spec.version.is_some()),
        ] {
            // A field that is there but invalid is already reported.
            if !present && document.root.get(field).is_none() {
                let start = document.root.span.start;
                self.diagnostics.push(
                    Diagnostic::error(rule::MISSING_FIELD, format!("missing field `{field}`"))
                        .at(
                            &document.file,
                            start..start,
                            format!("the plan needs a `{field}`"),
                        )
                        .with_help("only included files may leave out `name` and `version`"),
                );
            }
        }
    }

    fn include(&mut self, document: &Document, dir: &FsPath, include: &str, at: &Path) {
        let file = &document.file;
        let span = document.span_of(at);
        let path = dir.join(include);
        let identity = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.stack.contains(&identity) {
            let chain: Vec<String> = self
                .stack
                .iter()
                .chain(std::iter::once(&identity))
                .map(|p| {
                    p.file_name().map_or_else(
                        || p.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    )
                })
                .collect();
            self.diagnostics.push(
                Diagnostic::error(
                    rule::INCLUDE_CYCLE,
                    format!(
                        "`{include}` is already being included: {}",
                        chain.join(" -> ")
                    ),
                )
                .at(file, span, "this include closes a cycle")
                .with_help(
                    "remove one of the includes; a file may only be included once along a chain",
                ),
            );
            return;
        }
        if self.seen.contains(&identity) {
            return;
        }
        match SourceFile::read(&path, MAX_PLAN_BYTES) {
            Ok(source) => {
                let next_dir = path.parent().map(FsPath::to_path_buf).unwrap_or_default();
                self.add_file(source, next_dir, identity, false);
            }
            Err(err) => {
                let (message, label) = match &err {
                    ReadError::Io { .. } => (
                        format!("included file `{include}` cannot be read"),
                        "no such file".to_owned(),
                    ),
                    other => (other.to_string(), "this file".to_owned()),
                };
                let mut d = Diagnostic::error(rule::INCLUDE_MISSING, message).at(file, span, label);
                if let ReadError::Io { source, .. } = &err {
                    d = d.with_help(format!(
                        "{} ({source}); paths are relative to the including file",
                        path.display()
                    ));
                }
                self.diagnostics.push(d);
            }
        }
    }

    fn merge(&mut self, document: usize, spec: PlanFile, is_root: bool) {
        let PlanFile {
            properties,
            super_properties,
            events,
            user_properties,
            groups,
            ..
        } = &spec;
        let take = |section: &'static str,
                    map: &IndexMap<String, PropertySpec>,
                    this: &mut Self| { this.items(document, section, map) };
        let definitions = take("properties", properties, self);
        let supers = take("super_properties", super_properties, self);
        let users = take("user_properties", user_properties, self);
        let events = self.items(document, "events", events);
        let groups = self.items(document, "groups", groups);
        self.merged.definitions.extend(definitions);
        self.merged.super_properties.extend(supers);
        self.merged.user_properties.extend(users);
        self.merged.events.extend(events);
        self.merged.groups.extend(groups);
        if is_root {
            self.merged.root = spec;
        }
    }

    /// The items of one section, skipping (and reporting) names already
    /// defined in another file.
    fn items<T: Clone>(
        &mut self,
        document: usize,
        section: &'static str,
        map: &IndexMap<String, T>,
    ) -> Vec<Item<T>> {
        let mut items = Vec::new();
        for (name, spec) in map {
            let origin = Origin {
                document,
                path: Path::keys([section, name.as_str()]),
            };
            if let Some(first) = self.names.get(&(section, name.clone())) {
                let first_doc = &self.merged.documents[first.document];
                let this_doc = &self.merged.documents[document];
                self.diagnostics.push(
                    Diagnostic::error(
                        rule::DUPLICATE_NAME,
                        format!("{} `{name}` is defined twice", noun(section)),
                    )
                    .at(
                        &this_doc.file,
                        this_doc.key_span(&origin.path),
                        "defined again here",
                    )
                    .with_related(
                        &first_doc.file,
                        first_doc.key_span(&first.path),
                        "first defined here",
                    )
                    .with_help("names must be unique across a plan and the files it includes"),
                );
                continue;
            }
            self.names.insert((section, name.clone()), origin.clone());
            items.push(Item {
                name: name.clone(),
                spec: spec.clone(),
                origin,
            });
        }
        items
    }
}

fn noun(section: &str) -> &'static str {
    match section {
        "events" => "event",
        "properties" => "shared definition",
        "super_properties" => "super property",
        "user_properties" => "user property",
        "groups" => "group",
        _ => "property",
    }
}

fn duplicate_key(document: &Document, dup: &crate::yaml::DuplicateKey) -> Diagnostic {
    let what = match dup.mapping.segments() {
        [Segment::Key(section)] => noun(section).to_owned(),
        [.., Segment::Key(k)] if k == "properties" => "property".to_owned(),
        _ => "key".to_owned(),
    };
    Diagnostic::error(
        rule::DUPLICATE_NAME,
        format!("{what} `{}` is defined twice", dup.key),
    )
    .at(&document.file, dup.again.clone(), "defined again here")
    .with_related(&document.file, dup.first.clone(), "first defined here")
    .with_help("YAML keeps only one of them; remove or rename the other")
}
