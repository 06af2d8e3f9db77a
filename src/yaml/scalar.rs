//! Resolution of plain scalars to JSON with YAML 1.2's core schema, the same
//! rules serde_yaml applies: `null`/`~`/empty, `true`/`false`, integers
//! (decimal, `0x`, `0o`), floats (`1.5`, `1e3`, `.inf`, `.nan`).

use serde_json::{Number, Value};

use super::Scalar;

/// The JSON value of a scalar.
pub fn resolve(scalar: &Scalar) -> Value {
    if !scalar.plain {
        return Value::String(scalar.text.clone());
    }
    let text = scalar.text.as_str();
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = integer(text) {
        return Value::Number(n);
    }
    if let Some(n) = float(text) {
        return Value::Number(n);
    }
    Value::String(text.to_owned())
}

fn integer(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        let value = i64::try_from(magnitude).ok()?;
        Some(Number::from(-value))
    } else {
        Some(Number::from(magnitude))
    }
}

fn float(text: &str) -> Option<Number> {
    let body = text.trim_start_matches(['-', '+']);
    let looks_numeric = body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if !looks_numeric {
        // `.inf` and `.nan` have no JSON form; they stay strings, which the
        // schema then rejects wherever a number is expected.
        return None;
    }
    let value: f64 = text.parse().ok()?;
    Number::from_f64(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plain(text: &str) -> Value {
        resolve(&Scalar {
            text: text.into(),
            plain: true,
        })
    }

    #[test]
    fn core_schema() {
        assert_eq!(plain("~"), Value::Null);
        assert_eq!(plain("True"), json!(true));
        assert_eq!(plain("12"), json!(12));
        assert_eq!(plain("-12"), json!(-12));
        assert_eq!(plain("0x1F"), json!(31));
        assert_eq!(plain("1.5"), json!(1.5));
        assert_eq!(plain("1e3"), json!(1000.0));
        assert_eq!(plain("1.2.0"), json!("1.2.0"));
        assert_eq!(plain("yes"), json!("yes"));
        assert_eq!(plain("$device_id"), json!("$device_id"));
        let quoted = Scalar {
            text: "12".into(),
            plain: false,
        };
        assert_eq!(resolve(&quoted), json!("12"));
    }
}
