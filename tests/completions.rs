//! Shell completions and the man page, as a user installs them: bash
//! sources the script and completes `trackplan gen<TAB>`; `man -l` renders
//! the page.

mod common;

use std::process::Command;

#[test]
fn bash_completes_subcommands_and_flags() {
    let out = common::trackplan(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("trackplan.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    // What bash sets before calling a completion function on `trackplan gen<TAB>`.
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let program = format!(
            "source {}\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{line}'\nCOMP_POINT={}\n_trackplan trackplan '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" "),
            words.len() - 1,
            line.len(),
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = Command::new("bash")
            .args(["-c", &program])
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(complete("trackplan gen"), ["generate"]);
    let check = complete("trackplan check --eng");
    assert_eq!(check, ["--engine"]);
    let engines = complete("trackplan check --engine ");
    assert_eq!(engines, ["streaming", "duckdb"]);
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = common::trackplan(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("generate"), "{shell}: {text}");
    }
}

/// What `man -l` shows of `page`, its whitespace runs as one space (man
/// justifies lines).
fn rendered(page: &std::path::Path) -> String {
    let out = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man runs (bash .ci/setup installs man-db)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_man_pages_render() {
    let out = common::trackplan(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("trackplan.1");
    std::fs::write(&page, &out.stdout).unwrap();
    let text = rendered(&page);
    assert!(
        text.contains("NAME trackplan - Keep your Mixpanel tracking plan as code"),
        "{text}"
    );
    for command in [
        "init",
        "lint",
        "check",
        "generate",
        "serve",
        "completions",
        "man",
    ] {
        assert!(
            text.contains(&format!("trackplan-{command}(1)")),
            "{command}: {text}"
        );
    }
    // Every page the main one refers to, written by --out-dir.
    let pages = dir.path().join("man1");
    let out = common::trackplan(&["man", "--out-dir", pages.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let check = rendered(&pages.join("trackplan-check.1"));
    assert!(check.contains("--engine"), "{check}");
    assert!(check.contains("--plan"), "{check}");
    assert!(pages.join("trackplan-generate.1").is_file());
    assert!(pages.join("trackplan.1").is_file());
}
