//! An event's properties as the checker reads them: a list of names and
//! values, where a value is either still raw JSON text (records read from
//! NDJSON are never built into a `serde_json::Value` as a whole; only the
//! values a rule needs are parsed) or already parsed (records decoded from
//! HAR captures and request bodies).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// One property value.
#[derive(Debug, Clone, Copy)]
pub enum Prop<'a> {
    /// JSON text, valid by construction.
    Raw(&'a RawValue),
    /// An already parsed value.
    Parsed(&'a Value),
}

impl<'a> Prop<'a> {
    /// The value, parsed if needed.
    pub fn value(&self) -> Cow<'_, Value> {
        match self {
            Prop::Raw(raw) => Cow::Owned(serde_json::from_str(raw.get()).unwrap_or(Value::Null)),
            Prop::Parsed(v) => Cow::Borrowed(v),
        }
    }

    /// Whether the value parses: always for scalars without `\u` escapes,
    /// which the lazy reader has already scanned, and for numbers without an
    /// exponent and of a reasonable length; containers, escaped strings and
    /// numbers that could be out of range (`1e999`) are parsed to find out.
    pub fn parses(&self) -> bool {
        self.parses_in(Escapes::Maybe)
    }

    /// [`Prop::parses`], knowing whether the text it was read from has any
    /// `\u` escape at all (most records have none; then no string needs a
    /// second look).
    pub fn parses_in(&self, escapes: Escapes) -> bool {
        let Prop::Raw(raw) = self else {
            return true;
        };
        let text = raw.get();
        let risky = match text.as_bytes().first() {
            Some(b'{' | b'[') => true,
            Some(b'"') => {
                escapes == Escapes::Maybe
                    && memchr::memchr(b'\\', text.as_bytes()).is_some()
                    && text.contains("\\u")
            }
            Some(b'-' | b'0'..=b'9') => {
                text.len() > 300 || memchr::memchr2(b'e', b'E', text.as_bytes()).is_some()
            }
            _ => false,
        };
        !risky || serde_json::from_str::<Value>(text).is_ok()
    }

    /// The first byte of its JSON text: `"`, `{`, `[`, a digit, `-`, `t`,
    /// `f` or `n`.
    pub fn first_byte(&self) -> u8 {
        match self {
            Prop::Raw(raw) => raw.get().as_bytes().first().copied().unwrap_or(b'n'),
            Prop::Parsed(Value::String(_)) => b'"',
            Prop::Parsed(Value::Object(_)) => b'{',
            Prop::Parsed(Value::Array(_)) => b'[',
            Prop::Parsed(Value::Bool(true)) => b't',
            Prop::Parsed(Value::Bool(false)) => b'f',
            Prop::Parsed(Value::Null) => b'n',
            Prop::Parsed(Value::Number(_)) => b'0',
        }
    }

    /// Bytes of JSON it takes (exact for raw text, estimated otherwise).
    pub fn json_len(&self) -> usize {
        match self {
            Prop::Raw(raw) => raw.get().len(),
            Prop::Parsed(Value::String(s)) => s.len() + 2,
            Prop::Parsed(v) => v.to_string().len(),
        }
    }

    /// The value when it is a string, borrowed from the JSON text when it
    /// has no escapes.
    pub fn as_str(self) -> Option<Cow<'a, str>> {
        match self {
            Prop::Raw(raw) if raw.get().starts_with('"') => {
                let text = raw.get();
                // Valid JSON by construction: without a backslash, the
                // string is the text between its quotes.
                if memchr::memchr(b'\\', text.as_bytes()).is_none() {
                    return text.get(1..text.len() - 1).map(Cow::Borrowed);
                }
                serde_json::from_str::<Key<'a>>(text).ok().map(|k| k.0)
            }
            Prop::Raw(_) => None,
            Prop::Parsed(Value::String(s)) => Some(Cow::Borrowed(s.as_str())),
            Prop::Parsed(_) => None,
        }
    }

    /// The value when it is a number, read straight from the JSON text.
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Prop::Raw(raw)
                if raw
                    .get()
                    .starts_with(|c: char| c == '-' || c.is_ascii_digit()) =>
            {
                raw.get().parse().ok()
            }
            Prop::Raw(_) => None,
            Prop::Parsed(v) => v.as_f64(),
        }
    }

    /// The value as an id: a non-empty string, or a number as text.
    pub fn as_id(self) -> Option<Cow<'a, str>> {
        if let Some(s) = self.as_str() {
            return (!s.is_empty()).then_some(s);
        }
        match self.value().as_ref() {
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }
}

/// Whether a record's text may hold `\u` escapes, which the lazy reader
/// does not check (a lone surrogate makes a record undecodable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escapes {
    /// The text has no `\u` anywhere.
    None,
    /// It may.
    Maybe,
}

impl Escapes {
    /// Whether `text` has any `\u`.
    pub fn of(text: &[u8]) -> Self {
        if memchr::memmem::find(text, b"\\u").is_some() {
            Escapes::Maybe
        } else {
            Escapes::None
        }
    }
}

/// The properties of one event, in the order sent.
#[derive(Debug, Default)]
pub struct Props<'a>(pub Vec<(Cow<'a, str>, Prop<'a>)>);

impl<'a> Props<'a> {
    /// The properties of a parsed object.
    pub fn of_map(map: &'a serde_json::Map<String, Value>) -> Self {
        Props(
            map.iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Prop::Parsed(v)))
                .collect(),
        )
    }

    /// The properties every event is checked for, found in one pass.
    pub fn known(&self, user_id: &str, anonymous_id: &str) -> Known<'a> {
        let mut known = Known::default();
        // Later values win, as in `get`.
        for (name, value) in &self.0 {
            let name = name.as_ref();
            let value = Some(*value);
            if name == "distinct_id" {
                known.distinct_id = value;
            }
            if name == "time" {
                known.time = value;
            }
            if name == "$insert_id" {
                known.insert_id = value;
            }
            if name == user_id {
                known.user_id = value;
            }
            if name == anonymous_id {
                known.anonymous_id = value;
            }
        }
        known
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<Prop<'a>> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }
}

/// The values of the properties every event is checked for: the ids,
/// `time` and `$insert_id`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Known<'a> {
    /// `distinct_id`.
    pub distinct_id: Option<Prop<'a>>,
    /// `time`.
    pub time: Option<Prop<'a>>,
    /// `$insert_id`.
    pub insert_id: Option<Prop<'a>>,
    /// The plan's `identity.user_id`.
    pub user_id: Option<Prop<'a>>,
    /// The plan's `identity.anonymous_id`.
    pub anonymous_id: Option<Prop<'a>>,
}

/// An event record read lazily from JSON text in one pass: the event name
/// still raw, the properties as a list of raw values.
#[derive(Debug)]
pub struct LazyEvent<'a> {
    /// The `event` value.
    pub event: Option<&'a RawValue>,
    /// The `properties`: absent, an object read as a list, or another
    /// value (a malformed record).
    pub properties: Option<Result<Props<'a>, &'a RawValue>>,
    /// Whether its text may hold `\u` escapes.
    pub escapes: Escapes,
}

/// Reads `text` as a lazy event, if it is a JSON object with an `event`
/// key; `None` means "decode it the ordinary way" (which also reports any
/// syntax error).
pub fn lazy_event(text: &[u8]) -> Option<LazyEvent<'_>> {
    // One UTF-8 check up front is cheaper than serde_json's per-value ones.
    let text = std::str::from_utf8(text).ok()?;
    let escapes = Escapes::of(text.as_bytes());
    let mut de = serde_json::Deserializer::from_str(text);
    let event = de.deserialize_map(TopVisitor(escapes)).ok()?;
    de.end().ok()?;
    event.event.is_some().then_some(event)
}

/// `properties` as a list when it is an object, else the raw value.
struct PropertiesSeed;

impl<'de> serde::de::DeserializeSeed<'de> for PropertiesSeed {
    type Value = Result<Props<'de>, &'de RawValue>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        // Read as raw first only when it is not an object would need
        // look-ahead; an object is by far the common case, so try it and
        // let a non-object fall back to the ordinary decoder.
        d.deserialize_map(PropsVisitor).map(Ok)
    }
}

struct TopVisitor(Escapes);

impl<'de> Visitor<'de> for TopVisitor {
    type Value = LazyEvent<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = LazyEvent {
            event: None,
            properties: None,
            escapes: self.0,
        };
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.0.as_ref() {
                "event" => out.event = Some(map.next_value()?),
                "properties" => out.properties = Some(map.next_value_seed(PropertiesSeed)?),
                _ => {
                    // Skipped, but still JSON the ordinary decoder takes: a
                    // lone surrogate escape makes the whole line undecodable.
                    let value: &'de RawValue = map.next_value()?;
                    if !Prop::Raw(value).parses_in(self.0) {
                        return Err(de::Error::custom("an invalid escape"));
                    }
                }
            }
        }
        Ok(out)
    }
}

struct PropsVisitor;

impl<'de> Visitor<'de> for PropsVisitor {
    type Value = Props<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of properties")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(24));
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let value: &'de RawValue = map.next_value()?;
            out.push((key.0, Prop::Raw(value)));
        }
        if has_repeated_names(&out) {
            out = first_place_last_value(out)
                .ok_or_else(|| de::Error::custom("an invalid escape in a repeated property"))?;
        }
        Ok(Props(out))
    }
}

/// Whether a name is given twice. On the path of every NDJSON record, and
/// most records have no repeat: names are told apart by a fingerprint
/// (length, first and last byte) in a small table of indexes on the stack,
/// and only names with the same fingerprint are compared.
fn has_repeated_names(list: &[(Cow<'_, str>, Prop<'_>)]) -> bool {
    const SLOTS: usize = 64;
    if list.len() < 2 {
        return false;
    }
    if list.len() > SLOTS / 2 {
        let names: std::collections::HashSet<&str> = list.iter().map(|(n, _)| n.as_ref()).collect();
        return names.len() < list.len();
    }
    let fingerprint = |name: &str| {
        let bytes = name.as_bytes();
        let first = bytes.first().copied().unwrap_or(0);
        let last = bytes.last().copied().unwrap_or(0);
        ((bytes.len() as u32 & 0xff_ff) << 16) | (u32::from(first) << 8) | u32::from(last)
    };
    // Index + 1 of the name in each slot; 0 is an empty slot.
    let mut table = [0u8; SLOTS];
    for (index, (name, _)) in list.iter().enumerate() {
        let own = fingerprint(name);
        let mut slot = (own.wrapping_mul(0x9E37_79B1) >> 26) as usize % SLOTS;
        loop {
            let at = table[slot];
            if at == 0 {
                table[slot] = index as u8 + 1;
                break;
            }
            let held = &list[usize::from(at) - 1].0;
            if fingerprint(held) == own && held == name {
                return true;
            }
            slot = (slot + 1) % SLOTS;
        }
    }
    false
}

/// One entry per name, as a JSON object read whole keeps them: each name
/// at the place it was first given, with the value it was given last.
/// `None` when a value given over is not JSON the ordinary decoder takes
/// (a lone surrogate escape): it still makes the whole line undecodable.
fn first_place_last_value<'a>(
    list: Vec<(Cow<'a, str>, Prop<'a>)>,
) -> Option<Vec<(Cow<'a, str>, Prop<'a>)>> {
    let mut out: Vec<(Cow<'a, str>, Prop<'a>)> = Vec::with_capacity(list.len());
    for (name, value) in list {
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => {
                if !entry.1.parses() {
                    return None;
                }
                entry.1 = value;
            }
            None => out.push((name, value)),
        }
    }
    Some(out)
}

/// A key borrowed from the JSON text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&'static str]) -> Vec<(Cow<'static, str>, Prop<'static>)> {
        static NULL: Value = Value::Null;
        names
            .iter()
            .map(|n| (Cow::Borrowed(*n), Prop::Parsed(&NULL)))
            .collect()
    }

    #[test]
    fn repeated_names_are_found_and_look_alikes_are_not_repeats() {
        assert!(!has_repeated_names(&list(&["a", "b", "c"])));
        assert!(has_repeated_names(&list(&["a", "b", "a"])));
        // Same length, first and last byte: compared, not confused.
        assert!(!has_repeated_names(&list(&["axb", "ayb", "azb"])));
        assert!(has_repeated_names(&list(&["axb", "ayb", "axb"])));
        let many: Vec<String> = (0..200).map(|i| format!("p{i}")).collect();
        let mut names: Vec<&'static str> = many.iter().map(|s| &*s.clone().leak()).collect();
        assert!(!has_repeated_names(&list(&names)));
        names.push("p7");
        assert!(has_repeated_names(&list(&names)));
        let kept = first_place_last_value(list(&["a", "b", "a"])).unwrap();
        assert_eq!(
            kept.iter().map(|(n, _)| n.as_ref()).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}
