//! The TypeScript side of the tests: the real compilers (TypeScript 5.9
//! and 7, installed in `tests/ts` by `.ci/setup`), the project setups in
//! `tests/ts/projects/` copied into a work directory, generated code put
//! in them, and Node to run what they emit.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use super::root;

/// The TypeScript compilers every generated module must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tsc {
    /// TypeScript 5.9 (`typescript` in tests/ts).
    V5,
    /// TypeScript 7, the native compiler (`typescript7`).
    V7,
}

/// Both compilers.
pub const COMPILERS: [Tsc; 2] = [Tsc::V5, Tsc::V7];

impl Tsc {
    fn package(self) -> &'static str {
        match self {
            Tsc::V5 => "typescript",
            Tsc::V7 => "typescript7",
        }
    }

    /// The compiler's `bin/tsc`.
    pub fn bin(self) -> PathBuf {
        let bin = ts_dir()
            .join("node_modules")
            .join(self.package())
            .join("bin/tsc");
        assert!(
            bin.exists(),
            "{} is not installed: run `bash .ci/setup` (npm ci in tests/ts)",
            self.package()
        );
        bin
    }

    /// Runs the compiler in `dir` with `args`; its output when it fails.
    pub fn run(self, dir: &Path, args: &[&str]) -> Result<(), String> {
        let out = Command::new("node")
            .arg(self.bin())
            .args(args)
            .current_dir(dir)
            .output()
            .expect("node runs");
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{:?} in {}: {}{}",
                self,
                dir.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

/// `tests/ts`.
pub fn ts_dir() -> PathBuf {
    root().join("tests/ts")
}

/// A fresh copy of the project setup `project` (a directory of
/// `tests/ts/projects`) under `tests/ts/work/<name>`, where Node finds the
/// packages of `tests/ts/node_modules`.
pub fn project(project: &str, name: &str) -> PathBuf {
    let dir = ts_dir().join("work").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&ts_dir().join("projects").join(project), &dir);
    dir
}

/// Copies the directory `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Generates the TypeScript of `plan` into `dir` with the built binary.
pub fn generate(plan: &Path, dir: &Path) {
    let out = super::trackplan(&[
        "generate",
        "typescript",
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "generate failed for {}: {}",
        plan.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `node file` in `dir`; its standard output, or a panic with its
/// standard error.
pub fn node(dir: &Path, file: &str, stdin: Option<&[u8]>) -> String {
    use std::io::Write;
    let mut child = Command::new("node")
        .arg(file)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    let input = stdin.map(<[u8]>::to_vec);
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        if let Some(input) = input {
            let _ = pipe.write_all(&input);
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "node {file} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The bundled plans and the fixtures of hostile names, formats and
/// variants, by name.
pub fn plans() -> Vec<(String, PathBuf)> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(root().join("plans"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    plans.sort();
    plans.push(super::fixture("plans/hostile.yaml"));
    plans.push(super::fixture("plans/formats.yaml"));
    plans.push(super::fixture("plans/variants.yaml"));
    plans
        .into_iter()
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect()
}

/// The fixture app of `tests/fixtures/app`, copied to `tests/ts/work/<name>`
/// with the accounts plan beside it (`accounts.yaml`) and its generated
/// module in `src/tracking`.
pub fn fixture_app(name: &str) -> PathBuf {
    let dir = ts_dir().join("work").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&super::fixture("app"), &dir);
    std::fs::copy(
        root().join("plans/accounts.yaml"),
        dir.join("accounts.yaml"),
    )
    .unwrap();
    generate(&dir.join("accounts.yaml"), &dir.join("src/tracking"));
    dir
}
