//! What differs between the SQL engines: quoting, reading JSON values,
//! arrays, lambdas, regexes. Every other part of the generator speaks
//! through these methods, so a rule is written once for all four engines.
//!
//! A "JSON value" below is an expression of the engine's semi-structured
//! type: DuckDB's `JSON`, Spark's `VARIANT`, BigQuery's `JSON`, Snowflake's
//! `VARIANT`. A missing key reads as SQL `NULL`; a JSON `null` reads as a
//! non-`NULL` value whose type is null.

use clap::ValueEnum;

use super::rules::PROPERTIES;

/// A SQL engine the plan can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Dialect {
    /// DuckDB 1.3 or later (what `check --engine duckdb` runs).
    Duckdb,
    /// Spark SQL 4.0 or later (uses the `VARIANT` type).
    Spark,
    /// Google BigQuery (GoogleSQL, `JSON` type).
    Bigquery,
    /// Snowflake (`VARIANT` type).
    Snowflake,
}

/// The element type of the per-record violation arrays.
const SPARK_ELEMENT: &str = "STRUCT<c: INT, p: STRING, n: INT>";

impl Dialect {
    /// The engine's name, as in messages and file headers.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "DuckDB",
            Dialect::Spark => "Spark SQL",
            Dialect::Bigquery => "BigQuery",
            Dialect::Snowflake => "Snowflake",
        }
    }

    /// A string literal holding exactly `text`, whatever it contains.
    pub fn string(self, text: &str) -> String {
        if self == Dialect::Duckdb && text.chars().any(char::is_control) {
            return duckdb_with_controls(text);
        }
        let mut out = String::with_capacity(text.len() + 2);
        out.push('\'');
        for c in text.chars() {
            match (self, c) {
                // DuckDB: standard SQL, only the quote is special.
                (Dialect::Duckdb, '\'') => out.push_str("''"),
                (Dialect::Duckdb, c) => out.push(c),
                // The others read backslash escapes inside literals.
                (_, '\'') => out.push_str("\\'"),
                // Spark substitutes `${name}` in the SQL text before
                // parsing it; an escaped `$` is out of its reach.
                (Dialect::Spark, '$') => out.push_str("\\u0024"),
                (_, '\\') => out.push_str("\\\\"),
                (_, '\n') => out.push_str("\\n"),
                (_, '\r') => out.push_str("\\r"),
                (_, '\t') => out.push_str("\\t"),
                // Other control characters (all below U+10000) as \uXXXX.
                (_, c) if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                (_, c) => out.push(c),
            }
        }
        out.push('\'');
        out
    }

    /// A quoted identifier (table or column name), whatever it contains.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark | Dialect::Bigquery => format!("`{}`", name.replace('`', "``")),
            Dialect::Duckdb | Dialect::Snowflake => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A table reference: `a.b.c` is split on dots and each part quoted.
    pub fn table(self, name: &str) -> String {
        name.split('.')
            .map(|part| self.ident(part))
            .collect::<Vec<_>>()
            .join(".")
    }

    /// Whether the JSON value `v` is absent (SQL `NULL`); for DuckDB's
    /// once-read properties, by their type, so that the values themselves
    /// are only read when a rule needs them.
    pub fn missing(self, v: &str) -> String {
        match (self, slot(v)) {
            (Dialect::Duckdb, Some(i)) => format!("top_types[{i}] IS NULL"),
            _ => format!("{v} IS NULL"),
        }
    }

    /// Whether the JSON value `v` is present (`null` included).
    pub fn present(self, v: &str) -> String {
        match (self, slot(v)) {
            (Dialect::Duckdb, Some(i)) => format!("top_types[{i}] IS NOT NULL"),
            _ => format!("{v} IS NOT NULL"),
        }
    }

    /// The JSON value at `key` of the object `v` (SQL `NULL` when absent
    /// or when `v` is not an object).
    pub fn field(self, v: &str, key: &str) -> String {
        match self {
            Dialect::Duckdb => {
                let pointer = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
                format!("json_extract({v}, {})", self.string(&pointer))
            }
            Dialect::Spark => format!(
                "try_element_at(try_cast({v} AS MAP<STRING, VARIANT>), {})",
                self.string(key)
            ),
            Dialect::Bigquery => format!("{v}[{}]", self.string(key)),
            // The event's properties are an object or NULL already.
            Dialect::Snowflake if v == PROPERTIES => format!("GET({v}, {})", self.string(key)),
            // GET wants an object for a text key; anything else reads as
            // absent (AND does not promise to test the guard first).
            Dialect::Snowflake => {
                format!("GET(IFF(IS_OBJECT({v}), {v}, NULL), {})", self.string(key))
            }
        }
    }

    /// The engine's name for the JSON type of `v`, compared by the
    /// predicates below.
    fn type_of(self, v: &str) -> String {
        match self {
            Dialect::Duckdb => match slot(v) {
                Some(i) => format!("top_types[{i}]"),
                None => format!("json_type({v})"),
            },
            Dialect::Spark => format!("schema_of_variant({v})"),
            Dialect::Bigquery => format!("JSON_TYPE({v})"),
            Dialect::Snowflake => format!("TYPEOF({v})"),
        }
    }

    /// Whether `v` (present) is of the JSON kind `kind`.
    pub fn is(self, kind: Kind, v: &str) -> String {
        let t = self.type_of(v);
        match (self, kind) {
            (Dialect::Duckdb, Kind::Null) => format!("{t} = 'NULL'"),
            (Dialect::Duckdb, Kind::String) => format!("{t} = 'VARCHAR'"),
            (Dialect::Duckdb, Kind::Number) => {
                format!(
                    "(list_position(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT', 'DOUBLE'], {t}) IS NOT NULL)"
                )
            }
            (Dialect::Duckdb, Kind::Boolean) => format!("{t} = 'BOOLEAN'"),
            (Dialect::Duckdb, Kind::Array) => format!("{t} = 'ARRAY'"),
            (Dialect::Duckdb, Kind::Object) => format!("{t} = 'OBJECT'"),
            (Dialect::Spark, Kind::Null) => format!("{t} = 'VOID'"),
            (Dialect::Spark, Kind::String) => format!("{t} = 'STRING'"),
            (Dialect::Spark, Kind::Number) => format!(
                "({t} IN ('TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE') OR {t} LIKE 'DECIMAL%')"
            ),
            (Dialect::Spark, Kind::Boolean) => format!("{t} = 'BOOLEAN'"),
            (Dialect::Spark, Kind::Array) => format!("{t} LIKE 'ARRAY%'"),
            (Dialect::Spark, Kind::Object) => format!("{t} LIKE 'OBJECT%'"),
            (Dialect::Bigquery, kind) => format!("{t} = '{}'", kind.json_name()),
            (Dialect::Snowflake, Kind::Null) => format!("{t} = 'NULL_VALUE'"),
            (Dialect::Snowflake, Kind::String) => format!("{t} = 'VARCHAR'"),
            (Dialect::Snowflake, Kind::Number) => {
                format!("{t} IN ('INTEGER', 'DECIMAL', 'DOUBLE')")
            }
            (Dialect::Snowflake, Kind::Boolean) => format!("{t} = 'BOOLEAN'"),
            (Dialect::Snowflake, Kind::Array) => format!("{t} = 'ARRAY'"),
            (Dialect::Snowflake, Kind::Object) => format!("{t} = 'OBJECT'"),
        }
    }

    /// The text of a JSON string (or of any scalar) `v`.
    pub fn text(self, v: &str) -> String {
        match self {
            Dialect::Duckdb => match slot(v) {
                Some(i) => format!("top_texts[{i}]"),
                None => format!("json_extract_string({v}, '$')"),
            },
            Dialect::Spark => format!("try_variant_get({v}, '$', 'string')"),
            Dialect::Bigquery => format!("JSON_VALUE({v})"),
            Dialect::Snowflake => format!("{v}::VARCHAR"),
        }
    }

    /// The value of a JSON number `v` as a double.
    pub fn number(self, v: &str) -> String {
        match self {
            Dialect::Duckdb => match slot(v) {
                Some(i) => format!("TRY_CAST(top_texts[{i}] AS DOUBLE)"),
                None => format!("TRY_CAST({v} AS DOUBLE)"),
            },
            Dialect::Spark => format!("try_variant_get({v}, '$', 'double')"),
            Dialect::Bigquery => format!("SAFE.FLOAT64({v})"),
            Dialect::Snowflake => format!("TRY_TO_DOUBLE({v}::VARCHAR)"),
        }
    }

    /// The number of items of a JSON array `v`.
    pub fn array_len(self, v: &str) -> String {
        match self {
            Dialect::Duckdb => format!("json_array_length({v})"),
            Dialect::Spark => format!("size(try_cast({v} AS ARRAY<VARIANT>))"),
            Dialect::Bigquery => format!("ARRAY_LENGTH(JSON_QUERY_ARRAY({v}))"),
            Dialect::Snowflake => format!("ARRAY_SIZE({v})"),
        }
    }

    /// The keys of the JSON object `v` as an array (DuckDB and Spark;
    /// the event's properties were read once per record).
    fn keys(self, v: &str) -> String {
        match (self, v == PROPERTIES) {
            (Dialect::Duckdb, true) => "top_keys".to_owned(),
            (Dialect::Duckdb, false) => format!("json_keys({v})"),
            (_, true) => "map_keys(properties_map)".to_owned(),
            (_, false) => format!("map_keys(try_cast({v} AS MAP<STRING, VARIANT>))"),
        }
    }

    /// The number of keys of a JSON object `v`.
    pub fn key_count(self, v: &str) -> String {
        match self {
            Dialect::Duckdb => format!("len({})", self.keys(v)),
            Dialect::Spark => format!("size({})", self.keys(v)),
            Dialect::Bigquery => format!("ARRAY_LENGTH(JSON_KEYS({v}, 1))"),
            Dialect::Snowflake => format!("ARRAY_SIZE(OBJECT_KEYS({v}))"),
        }
    }

    /// The length of the string `s` in characters (code points).
    pub fn char_len(self, s: &str) -> String {
        match self {
            Dialect::Duckdb => format!("length({s})"),
            Dialect::Spark | Dialect::Bigquery => format!("char_length({s})"),
            Dialect::Snowflake => format!("LENGTH({s})"),
        }
    }

    /// The length of the JSON text of `v` in bytes.
    pub fn json_bytes(self, v: &str) -> String {
        match self {
            Dialect::Duckdb => format!("strlen(CAST({v} AS VARCHAR))"),
            Dialect::Spark => format!("octet_length(to_json({v}))"),
            Dialect::Bigquery => format!("BYTE_LENGTH(TO_JSON_STRING({v}))"),
            Dialect::Snowflake => format!("OCTET_LENGTH(TO_JSON({v}))"),
        }
    }

    /// Whether `pattern` is found in the string `s` (anywhere, as Rust's
    /// `is_match`; anchors in the pattern anchor it).
    pub fn matches(self, s: &str, pattern: &str) -> String {
        let p = self.string(pattern);
        match self {
            Dialect::Duckdb => format!("regexp_matches({s}, {p})"),
            Dialect::Spark => format!("({s} RLIKE {p})"),
            Dialect::Bigquery => format!("REGEXP_CONTAINS({s}, {p})"),
            Dialect::Snowflake => format!("(REGEXP_INSTR({s}, {p}) > 0)"),
        }
    }

    /// A cheap test that the JSON text of `v` may hold a string of over
    /// `chars` characters: an opening quote followed by that many string
    /// characters or escapes (DuckDB, which parses JSON text at every
    /// use; `TRUE` elsewhere).
    pub fn may_hold_long_string(self, v: &str, chars: usize) -> String {
        match self {
            Dialect::Duckdb => {
                format!("regexp_matches(CAST({v} AS VARCHAR), '\"(?:[^\"\\\\]|\\\\.){{{chars},}}')")
            }
            _ => "TRUE".to_owned(),
        }
    }

    /// A cheap test that the JSON text of `v` may hold a list of over
    /// `items` items: it is long enough for their commas.
    pub fn may_hold_long_list(self, v: &str, items: usize) -> String {
        match self {
            Dialect::Duckdb => format!("strlen(CAST({v} AS VARCHAR)) > {}", items * 2),
            _ => "TRUE".to_owned(),
        }
    }

    /// Whether the string `s` starts with `prefix`.
    pub fn starts_with(self, s: &str, prefix: &str) -> String {
        let p = self.string(prefix);
        match self {
            Dialect::Duckdb => format!("starts_with({s}, {p})"),
            Dialect::Spark => format!("startswith({s}, {p})"),
            Dialect::Bigquery => format!("STARTS_WITH({s}, {p})"),
            Dialect::Snowflake => format!("STARTSWITH({s}, {p})"),
        }
    }

    /// A double literal.
    pub fn double(self, x: f64) -> String {
        let text = format!("{x:?}");
        match self {
            Dialect::Duckdb | Dialect::Spark | Dialect::Snowflake => {
                format!("CAST({text} AS DOUBLE)")
            }
            Dialect::Bigquery => format!("CAST({text} AS FLOAT64)"),
        }
    }

    /// The sum over the items `x` of the JSON array `v` of the integer
    /// expression `body` (written with the variable `var`); 0 when `v` is
    /// empty.
    pub fn sum_over_items(self, v: &str, var: &str, body: &str) -> String {
        match self {
            Dialect::Duckdb => format!(
                "coalesce(list_sum(list_transform(CAST({v} AS JSON[]), lambda {var}: {body})), 0)"
            ),
            Dialect::Spark => format!(
                "aggregate(transform(try_cast({v} AS ARRAY<VARIANT>), {var} -> {body}), 0, (acc, y) -> acc + y)"
            ),
            Dialect::Bigquery => format!(
                "(SELECT IFNULL(SUM({body}), 0) FROM UNNEST(JSON_QUERY_ARRAY({v})) AS {var})"
            ),
            Dialect::Snowflake => {
                format!("REDUCE(TRANSFORM({v}, {var} -> {body}), 0, (acc, y) -> acc + y)")
            }
        }
    }

    /// One element of a record's violation array: check `id`, property
    /// path `path` (a text expression, or `NULL` for the check's own) and
    /// count `n`.
    pub fn element(self, id: usize, path: &str, n: &str) -> String {
        match self {
            Dialect::Duckdb => format!("{{'c': {id}, 'p': {path}, 'n': {n}}}"),
            Dialect::Spark => format!(
                "named_struct('c', {id}, 'p', CAST({path} AS STRING), 'n', CAST({n} AS INT))"
            ),
            Dialect::Bigquery => {
                format!("STRUCT({id} AS c, CAST({path} AS STRING) AS p, CAST({n} AS INT64) AS n)")
            }
            Dialect::Snowflake => {
                format!("OBJECT_CONSTRUCT_KEEP_NULL('c', {id}, 'p', {path}, 'n', {n})")
            }
        }
    }

    /// An array of `elements`, keeping those with a count over zero.
    pub fn nonzero(self, elements: &[String], indent: &str) -> String {
        if elements.is_empty() {
            return self.empty();
        }
        let list = elements.join(&format!(",\n{indent}  "));
        match self {
            Dialect::Duckdb => {
                format!("list_filter([\n{indent}  {list}\n{indent}], lambda x: x.n > 0)")
            }
            Dialect::Spark => {
                format!("filter(array(\n{indent}  {list}\n{indent}), x -> x.n > 0)")
            }
            Dialect::Bigquery => format!(
                "ARRAY(SELECT x FROM UNNEST([\n{indent}  {list}\n{indent}]) AS x WHERE x.n > 0)"
            ),
            Dialect::Snowflake => {
                format!("FILTER(ARRAY_CONSTRUCT(\n{indent}  {list}\n{indent}), x -> x:n > 0)")
            }
        }
    }

    /// An empty violation array.
    pub fn empty(self) -> String {
        match self {
            Dialect::Duckdb => "[]::STRUCT(c INTEGER, p VARCHAR, n INTEGER)[]".to_owned(),
            Dialect::Spark => format!("CAST(array() AS ARRAY<{SPARK_ELEMENT}>)"),
            Dialect::Bigquery => "ARRAY<STRUCT<c INT64, p STRING, n INT64>>[]".to_owned(),
            Dialect::Snowflake => "ARRAY_CONSTRUCT()".to_owned(),
        }
    }

    /// One element per key of the object `v` that `keep` (written with
    /// the variable `k`) accepts, with check `id` and path `prefix || k`.
    pub fn per_key(self, v: &str, keep: &str, id: usize, prefix: &str) -> String {
        let path = format!("{} || k", self.string(prefix));
        let element = self.element(id, &path, "1");
        match self {
            Dialect::Duckdb => format!(
                "list_transform(list_filter({}, lambda k: {keep}), lambda k: {element})",
                self.keys(v)
            ),
            Dialect::Spark => format!(
                "transform(filter({}, k -> {keep}), k -> {element})",
                self.keys(v)
            ),
            Dialect::Bigquery => {
                format!("ARRAY(SELECT {element} FROM UNNEST(JSON_KEYS({v}, 1)) AS k WHERE {keep})")
            }
            Dialect::Snowflake => {
                format!("TRANSFORM(FILTER(OBJECT_KEYS({v}), k -> {keep}), k -> {element})")
            }
        }
    }

    /// The number of keys of the object `v` that `keep` accepts.
    pub fn count_keys(self, v: &str, keep: &str) -> String {
        match self {
            Dialect::Duckdb => format!("len(list_filter({}, lambda k: {keep}))", self.keys(v)),
            Dialect::Spark => format!("size(filter({}, k -> {keep}))", self.keys(v)),
            Dialect::Bigquery => {
                format!("(SELECT COUNT(*) FROM UNNEST(JSON_KEYS({v}, 1)) AS k WHERE {keep})")
            }
            Dialect::Snowflake => format!("ARRAY_SIZE(FILTER(OBJECT_KEYS({v}), k -> {keep}))"),
        }
    }

    /// The number of top-level values of the object `v` for which `test`
    /// (written with the variable `x`, a JSON value) holds.
    pub fn count_values(self, v: &str, test: &str) -> String {
        match self {
            // Every value by a wildcard (a map cast would refuse objects
            // with a key twice).
            Dialect::Duckdb => {
                format!("len(list_filter(json_extract({v}, '$.*'), lambda x: {test}))")
            }
            Dialect::Spark => format!(
                "size(filter(map_values({}), x -> {test}))",
                if v == PROPERTIES {
                    "properties_map".to_owned()
                } else {
                    format!("try_cast({v} AS MAP<STRING, VARIANT>)")
                }
            ),
            Dialect::Bigquery => format!(
                "(SELECT COUNT(*) FROM UNNEST(JSON_KEYS({v}, 1)) AS k, UNNEST([{v}[k]]) AS x WHERE {test})"
            ),
            Dialect::Snowflake => format!(
                "ARRAY_SIZE(FILTER(TRANSFORM(OBJECT_KEYS({v}), k -> GET({v}, k)), x -> {test}))"
            ),
        }
    }

    /// Whether the key `k`, a lambda's variable, is one of `names`. Inside
    /// a lambda DuckDB keeps an `IN` list as it is, and it is three times
    /// faster there than a list position.
    pub fn key_in(self, k: &str, names: &[String]) -> String {
        if names.is_empty() {
            return "FALSE".to_owned();
        }
        let list: Vec<String> = names.iter().map(|n| self.string(n)).collect();
        format!("({k} IN ({}))", list.join(", "))
    }

    /// Whether the text `k` is one of `names`.
    pub fn one_of(self, k: &str, names: &[String]) -> String {
        if names.is_empty() {
            return "FALSE".to_owned();
        }
        let list: Vec<String> = names.iter().map(|n| self.string(n)).collect();
        self.in_list(k, &list)
    }

    /// Whether `expr` (not `NULL`) equals one of the SQL `literals`.
    /// DuckDB gets a list position: its optimizer turns `IN` lists (and
    /// `list_contains` of a constant list) into joins, which made the
    /// whole query six times slower.
    pub fn in_list(self, expr: &str, literals: &[String]) -> String {
        if literals.is_empty() {
            return "FALSE".to_owned();
        }
        match self {
            Dialect::Duckdb => format!(
                "(list_position([{}], {expr}) IS NOT NULL)",
                literals.join(", ")
            ),
            _ => format!("({expr} IN ({}))", literals.join(", ")),
        }
    }

    /// Concatenation of two violation arrays.
    pub fn concat(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Duckdb => format!("list_concat({a}, {b})"),
            Dialect::Spark => format!("concat({a}, {b})"),
            Dialect::Bigquery => format!("ARRAY_CONCAT({a}, {b})"),
            Dialect::Snowflake => format!("ARRAY_CAT({a}, {b})"),
        }
    }

    /// Up to three example values of `expr` in a group, as an array.
    pub fn examples(self, expr: &str) -> String {
        match self {
            Dialect::Duckdb => format!("min({expr}, 3)"),
            Dialect::Spark => format!("slice(array_sort(collect_set({expr})), 1, 3)"),
            Dialect::Bigquery => {
                format!("ARRAY_AGG(DISTINCT {expr} IGNORE NULLS ORDER BY {expr} LIMIT 3)")
            }
            Dialect::Snowflake => {
                format!(
                    "ARRAY_SLICE(ARRAY_AGG(DISTINCT {expr}) WITHIN GROUP (ORDER BY {expr}), 0, 3)"
                )
            }
        }
    }

    /// The rows of a record's violation array, joined to the record
    /// (`FROM` clause tail) and the expressions reading one element.
    pub fn unnest(self, table: &str, array: &str) -> (String, [String; 3]) {
        match self {
            Dialect::Duckdb => (
                format!("{table}, unnest({array}) AS u(v)"),
                ["v.c".into(), "v.p".into(), "v.n".into()],
            ),
            Dialect::Spark => (
                format!("{table} LATERAL VIEW explode({array}) u AS v"),
                ["v.c".into(), "v.p".into(), "v.n".into()],
            ),
            Dialect::Bigquery => (
                format!("{table} CROSS JOIN UNNEST({array}) AS v"),
                ["v.c".into(), "v.p".into(), "v.n".into()],
            ),
            Dialect::Snowflake => (
                format!("{table}, LATERAL FLATTEN(input => {array}) AS u"),
                [
                    "u.value:c::INTEGER".into(),
                    "u.value:p::VARCHAR".into(),
                    "u.value:n::INTEGER".into(),
                ],
            ),
        }
    }

    /// The type of an integer column in a `VALUES` list cast.
    pub fn int_type(self) -> &'static str {
        match self {
            Dialect::Bigquery => "INT64",
            Dialect::Spark => "INT",
            _ => "INTEGER",
        }
    }

    /// The type of text.
    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::Spark | Dialect::Bigquery => "STRING",
            _ => "VARCHAR",
        }
    }

    /// A JSON value from a column holding JSON (or JSON text, parsed;
    /// `NULL` when it does not parse).
    pub fn parse_json(self, column: &str) -> String {
        match self {
            Dialect::Duckdb => format!("TRY_CAST({column} AS JSON)"),
            Dialect::Spark => format!("try_parse_json({column})"),
            Dialect::Bigquery | Dialect::Snowflake => column.to_owned(),
        }
    }

    /// Seconds since 1970 of a timestamp column.
    pub fn epoch_seconds(self, column: &str) -> String {
        match self {
            Dialect::Duckdb => format!("epoch({column})"),
            Dialect::Spark | Dialect::Bigquery => format!("unix_micros({column}) / 1e6"),
            Dialect::Snowflake => format!("DATE_PART(EPOCH_MICROSECOND, {column}) / 1e6"),
        }
    }

    /// A JSON number, or a string holding one, as a double (`NULL` for
    /// anything else).
    pub fn lenient_double(self, v: &str) -> String {
        match self {
            Dialect::Duckdb => format!("TRY_CAST({} AS DOUBLE)", self.text(v)),
            Dialect::Spark => format!("try_variant_get({v}, '$', 'double')"),
            Dialect::Bigquery => format!("SAFE_CAST(JSON_VALUE({v}) AS FLOAT64)"),
            Dialect::Snowflake => format!("TRY_TO_DOUBLE({v}::VARCHAR)"),
        }
    }

    /// The current time in seconds since 1970.
    pub fn now_seconds(self) -> &'static str {
        match self {
            Dialect::Duckdb => "epoch(current_timestamp)",
            Dialect::Spark => "unix_timestamp()",
            Dialect::Bigquery => "UNIX_SECONDS(CURRENT_TIMESTAMP())",
            Dialect::Snowflake => "DATE_PART(EPOCH_SECOND, CURRENT_TIMESTAMP())",
        }
    }

    /// Whether the violation array `found` holds one of the checks `ids`.
    pub fn has_any(self, found: &str, ids: &[String]) -> String {
        if ids.is_empty() {
            return "FALSE".to_owned();
        }
        let ids = ids.join(", ");
        match self {
            Dialect::Duckdb => format!("len(list_filter({found}, lambda x: x.c IN ({ids}))) > 0"),
            Dialect::Spark => format!("exists({found}, x -> x.c IN ({ids}))"),
            Dialect::Bigquery => {
                format!("EXISTS(SELECT 1 FROM UNNEST({found}) AS x WHERE x.c IN ({ids}))")
            }
            Dialect::Snowflake => {
                format!("ARRAY_SIZE(FILTER({found}, x -> x:c::INTEGER IN ({ids}))) > 0")
            }
        }
    }

    /// A table of literal `rows` with `columns` (name, type).
    pub fn values_table(self, columns: &[(&str, &str)], rows: &[String]) -> String {
        let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
        let body = rows.join(",\n    ");
        match self {
            Dialect::Bigquery => {
                let fields: Vec<String> = columns.iter().map(|(n, t)| format!("{n} {t}")).collect();
                format!(
                    "SELECT * FROM UNNEST(ARRAY<STRUCT<{}>>[\n    {body}\n  ])",
                    fields.join(", ")
                )
            }
            _ => format!(
                "SELECT * FROM (VALUES\n    {body}\n  ) AS t({})",
                names.join(", ")
            ),
        }
    }

    /// A SQL comment of one line holding `text` (control characters and
    /// anything that could end the comment are replaced).
    pub fn comment(self, text: &str) -> String {
        let mut clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if self == Dialect::Spark {
            clean = clean.replace("${", "$ {");
        }
        format!("-- {clean}")
    }
}

/// A DuckDB string holding control characters, written as literals
/// joined by `chr(n)`, so that the SQL text holds none (DuckDB's literals
/// have no escapes).
fn duckdb_with_controls(text: &str) -> String {
    let mut parts = Vec::new();
    let mut plain = String::new();
    for c in text.chars() {
        if c.is_control() {
            if !plain.is_empty() {
                parts.push(Dialect::Duckdb.string(&plain));
                plain.clear();
            }
            parts.push(format!("chr({})", c as u32));
        } else {
            plain.push(c);
        }
    }
    if !plain.is_empty() {
        parts.push(Dialect::Duckdb.string(&plain));
    }
    format!("({})", parts.join(" || "))
}

/// The slot of an event property that DuckDB's `prepared` step read
/// (`top_fields[3]` → `3`): its type and text were read in the same pass.
fn slot(v: &str) -> Option<&str> {
    v.strip_prefix("top_fields[")?.strip_suffix(']')
}

/// The kinds of JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// A string.
    String,
    /// A number (integer or not).
    Number,
    /// `true` or `false`.
    Boolean,
    /// A list.
    Array,
    /// An object.
    Object,
}

impl Kind {
    /// The name JSON and BigQuery's `JSON_TYPE` give it.
    fn json_name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }
}
