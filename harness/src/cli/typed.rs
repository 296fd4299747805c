//! Failures in the JSON report as typed data. A transcript keeps a failure's expected and actual
//! as text in the scenario's own spelling (`value 359845`, `[{ start = 0, sectors = 2250 }]`,
//! `one of S_OK, E_FAIL`); JSON readers get the values themselves: numbers as numbers, lists as
//! lists, tables as objects, with what was checked in `check` and the text kept beside them.

use serde_json::{json, Map, Value as Json};

/// Rewrites each failure of a transcript serialised as JSON: `check` (what was compared:
/// `hresult`, `value`, `event.<field>`, `expect_disc.<key>`, `fault`), `expected` and `actual`
/// as typed values, and the original text in `expected_text` and `actual_text`.
pub fn type_failures(transcript: &mut Json) {
    let Some(failures) = transcript.get_mut("failures").and_then(Json::as_array_mut) else { return };
    for f in failures.iter_mut().filter_map(Json::as_object_mut) {
        let what = f.get("what").and_then(Json::as_str).unwrap_or_default().to_string();
        let expected = f.get("expected").and_then(Json::as_str).unwrap_or_default().to_string();
        let actual = f.get("actual").and_then(Json::as_str).unwrap_or_default().to_string();
        let (check, want, got) = classify(&what, &expected, &actual);
        f.insert("check".into(), Json::String(check));
        f.insert("expected".into(), want);
        f.insert("actual".into(), got);
        f.insert("expected_text".into(), Json::String(expected));
        f.insert("actual_text".into(), Json::String(actual));
    }
}

/// (what was checked, expected, actual), typed.
fn classify(what: &str, expected: &str, actual: &str) -> (String, Json, Json) {
    if let Some(key) = what.strip_prefix("expect_disc.") {
        return (format!("expect_disc.{key}"), typed(expected), typed(actual));
    }
    if what.starts_with("fault ") {
        return ("fault".into(), Json::String(expected.into()), Json::String(actual.into()));
    }
    if let Some(want) = expected.strip_prefix("value ") {
        let got = actual.strip_prefix("value ").map_or_else(|| Json::String(actual.into()), typed);
        return ("value".into(), typed(want), got);
    }
    if let Some(rest) = expected.strip_prefix("event ") {
        if let Some((field, want)) = rest.split_once(" = ") {
            let got = actual.split_once(" = ").map_or(actual, |(_, g)| g);
            return (format!("event.{field}"), typed(want), typed(got));
        }
    }
    let allowed = match expected.strip_prefix("one of ") {
        Some(list) => Json::Array(list.split(", ").map(|h| Json::String(h.into())).collect()),
        None => Json::Array(vec![Json::String(expected.into())]),
    };
    ("hresult".into(), allowed, Json::String(actual.into()))
}

/// A value in the scenario's TOML spelling as JSON (`22502` a number, `[4, 8]` a list,
/// `{ start = 0 }` an object, `"x"` a string); anything that is not a TOML value (`complete`,
/// `no disc in the tray`) stays a string.
pub fn typed(text: &str) -> Json {
    match toml::from_str::<toml::Table>(&format!("v = {text}")) {
        Ok(mut t) => t.remove("v").map_or(Json::Null, to_json),
        Err(_) => Json::String(text.to_string()),
    }
}

fn to_json(v: toml::Value) -> Json {
    match v {
        toml::Value::String(s) => Json::String(s),
        toml::Value::Integer(n) => json!(n),
        toml::Value::Float(x) => json!(x),
        toml::Value::Boolean(b) => Json::Bool(b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(items) => Json::Array(items.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => Json::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect::<Map<_, _>>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_numbers_lists_and_objects() {
        assert_eq!(typed("359845"), json!(359845));
        assert_eq!(typed("[4, 8]"), json!([4, 8]));
        assert_eq!(typed("[{ start = 0, sectors = 2250 }]"), json!([{ "start": 0, "sectors": 2250 }]));
        assert_eq!(typed("complete"), json!("complete"));
        assert_eq!(typed("\"IMAPI_MEDIA_TYPE_CDR\""), json!("IMAPI_MEDIA_TYPE_CDR"));
        let (check, want, got) = classify("get_FreeSectorsOnMedia", "value 359845", "value 356093");
        assert_eq!((check.as_str(), want, got), ("value", json!(359845), json!(356093)));
        let (check, want, got) = classify("PrepareMedia", "one of S_OK, E_FAIL", "E_IMAPI_RECORDER_MEDIA_BUSY");
        assert_eq!(
            (check.as_str(), want, got),
            ("hresult", json!(["S_OK", "E_FAIL"]), json!("E_IMAPI_RECORDER_MEDIA_BUSY"))
        );
        let (check, want, got) = classify("get_FreeSectorsOnMedia", "event track = 2", "event track = 1");
        assert_eq!((check.as_str(), want, got), ("event.track", json!(2), json!(1)));
    }
}
