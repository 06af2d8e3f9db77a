//! A plan's pattern as an ECMAScript regular expression with exactly the
//! matches `check` finds. Plan patterns are Rust regexes, whose `\d`, `\w`,
//! `\b` and `.` differ from JavaScript's; so the pattern is parsed by the
//! regex crate's own parser and written back from its meaning (classes as
//! explicit code point ranges, word boundaries as lookarounds), to be
//! compiled with the `u` flag. The generated runtime validation uses it.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// The ECMAScript source (for `new RegExp(source, "u")`) matching where
/// the Rust regex `pattern` matches; an error when `pattern` is not a
/// valid regex.
pub fn translate(pattern: &str) -> Result<String, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    let mut out = String::with_capacity(pattern.len() * 2);
    write(&hir, &mut out)?;
    Ok(out)
}

fn write(hir: &Hir, out: &mut String) -> Result<(), String> {
    match hir.kind() {
        HirKind::Empty => out.push_str("(?:)"),
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0)
                .map_err(|_| "a literal that is not UTF-8".to_owned())?;
            for c in text.chars() {
                char_escape(c, out);
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect();
            class_of(&ranges, out);
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut ranges = Vec::new();
            for r in class.ranges() {
                if r.end() > 0x7F {
                    return Err("a byte class beyond ASCII".to_owned());
                }
                ranges.push((char::from(r.start()), char::from(r.end())));
            }
            class_of(&ranges, out);
        }
        HirKind::Look(look) => out.push_str(&look_of(*look)),
        HirKind::Repetition(rep) => {
            out.push_str("(?:");
            write(&rep.sub, out)?;
            out.push(')');
            match (rep.min, rep.max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (min, None) => out.push_str(&format!("{{{min},}}")),
                (min, Some(max)) if min == max => out.push_str(&format!("{{{min}}}")),
                (min, Some(max)) => out.push_str(&format!("{{{min},{max}}}")),
            }
            if !rep.greedy {
                out.push('?');
            }
        }
        HirKind::Capture(capture) => {
            out.push_str("(?:");
            write(&capture.sub, out)?;
            out.push(')');
        }
        HirKind::Concat(parts) => {
            for part in parts {
                write(part, out)?;
            }
        }
        HirKind::Alternation(parts) => {
            out.push_str("(?:");
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                write(part, out)?;
            }
            out.push(')');
        }
    }
    Ok(())
}

/// One code point: itself when it is an ASCII letter or digit, else a
/// `\u{...}` escape, which needs no knowledge of what is special where.
fn char_escape(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\u{{{:X}}}", c as u32));
    }
}

fn class_of(ranges: &[(char, char)], out: &mut String) {
    out.push('[');
    for &(start, end) in ranges {
        char_escape(start, out);
        if end != start {
            out.push('-');
            char_escape(end, out);
        }
    }
    out.push(']');
}

/// Rust's `\w`: a Unicode word character.
fn unicode_word() -> String {
    let mut out = String::new();
    if let Ok(hir) = regex_syntax::parse(r"\w") {
        let _ = write(&hir, &mut out);
    }
    out
}

const ASCII_WORD: &str = "[A-Za-z0-9_]";

fn look_of(look: Look) -> String {
    let boundary = |w: &str| format!("(?:(?<={w})(?!{w})|(?<!{w})(?={w}))");
    let inside = |w: &str| format!("(?:(?<={w})(?={w})|(?<!{w})(?!{w}))");
    match look {
        Look::Start => "^".to_owned(),
        Look::End => "$".to_owned(),
        Look::StartLF => r"(?<![^\n])".to_owned(),
        Look::EndLF => r"(?![^\n])".to_owned(),
        Look::StartCRLF => r"(?:(?<![^\n\r])(?!(?<=\r)\n))".to_owned(),
        Look::EndCRLF => r"(?:(?![^\n\r])(?!(?<=\r)\n))".to_owned(),
        Look::WordAscii => r"\b".to_owned(),
        Look::WordAsciiNegate => r"\B".to_owned(),
        Look::WordUnicode => boundary(&unicode_word()),
        Look::WordUnicodeNegate => inside(&unicode_word()),
        Look::WordStartAscii => format!("(?<!{ASCII_WORD})(?={ASCII_WORD})"),
        Look::WordEndAscii => format!("(?<={ASCII_WORD})(?!{ASCII_WORD})"),
        Look::WordStartUnicode => {
            let w = unicode_word();
            format!("(?<!{w})(?={w})")
        }
        Look::WordEndUnicode => {
            let w = unicode_word();
            format!("(?<={w})(?!{w})")
        }
        Look::WordStartHalfAscii => format!("(?<!{ASCII_WORD})"),
        Look::WordEndHalfAscii => format!("(?!{ASCII_WORD})"),
        Look::WordStartHalfUnicode => format!("(?<!{})", unicode_word()),
        Look::WordEndHalfUnicode => format!("(?!{})", unicode_word()),
    }
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn simple_patterns_stay_readable() {
        assert_eq!(
            translate("^[a-z]{2,3}$").unwrap(),
            "^[a-z](?:[a-z]){2,3}$".replace("[a-z](?:[a-z]){2,3}", "(?:[a-z]){2,3}")
        );
        assert_eq!(
            translate("^st-[0-9]{4}$").unwrap(),
            "^st\\u{2D}(?:[0-9]){4}$"
        );
        assert_eq!(translate("a|b").unwrap(), "[a-b]");
        assert!(translate("(").is_err());
    }

    #[test]
    fn unicode_classes_are_spelled_out() {
        // Rust's \d is every decimal digit, not only ASCII.
        let digits = translate(r"^\d$").unwrap();
        assert!(digits.starts_with("^[0-9\\u{660}-\\u{669}"), "{digits}");
        // `.` is everything but \n (JavaScript's also leaves out \r, U+2028, U+2029).
        assert_eq!(
            translate("^.$").unwrap(),
            "^[\\u{0}-\\u{9}\\u{B}-\\u{10FFFF}]$"
        );
    }
}
