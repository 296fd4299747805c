//! A TOML table that keeps the position of every key's value, for the drive and media sections
//! whose keys are checked after parsing (by merging them into a profile).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use toml::Spanned;

/// A TOML value with the span of every nested value.
#[derive(Clone, Debug)]
pub enum Node {
    /// Any value but a table (arrays are kept whole).
    Leaf(toml::Value),
    /// A table, key by key.
    Table(BTreeMap<String, Spanned<Node>>),
}

/// One overriding value: its key path, the value, where it was written.
#[derive(Clone, Debug)]
pub struct Leaf {
    /// Key path from the section, e.g. `["calibration", "short_track"]`.
    pub path: Vec<String>,
    /// The value written.
    pub value: toml::Value,
    /// Where it was written.
    pub span: Range<usize>,
}

impl Node {
    /// The plain TOML value.
    pub fn to_value(&self) -> toml::Value {
        match self {
            Node::Leaf(v) => v.clone(),
            Node::Table(t) => toml::Value::Table(t.iter().map(|(k, v)| (k.clone(), v.get_ref().to_value())).collect()),
        }
    }

    /// The values of `table` to merge into `base`, depth first: a table written where `base`
    /// has a table is merged key by key, anything else replaces the base value.
    pub fn leaves(table: &BTreeMap<String, Spanned<Node>>, base: &toml::Table) -> Vec<Leaf> {
        let mut out = Vec::new();
        collect(table, Some(base), &mut Vec::new(), &mut out);
        out
    }
}

fn collect(
    table: &BTreeMap<String, Spanned<Node>>,
    base: Option<&toml::Table>,
    path: &mut Vec<String>,
    out: &mut Vec<Leaf>,
) {
    // Leaves in the order written, so the first bad key is the one reported.
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(_, v)| v.span().start);
    for (k, v) in entries {
        path.push(k.clone());
        match (v.get_ref(), base.and_then(|b| b.get(k))) {
            (Node::Table(sub), Some(toml::Value::Table(b))) => collect(sub, Some(b), path, out),
            (node, _) => out.push(Leaf { path: path.clone(), value: node.to_value(), span: v.span() }),
        }
        path.pop();
    }
}

/// Sets `value` at `path` in `root`, creating tables on the way.
pub fn set_path(root: &mut toml::Table, path: &[String], value: toml::Value) {
    let (last, parents) = path.split_last().expect("a key path is never empty");
    let mut table = root;
    for key in parents {
        let entry = table.entry(key.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        table = entry.as_table_mut().expect("just made a table");
    }
    table.insert(last.clone(), value);
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a TOML value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Leaf(toml::Value::Boolean(v)))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Leaf(toml::Value::Integer(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Node, E> {
        i64::try_from(v).map(|v| Node::Leaf(toml::Value::Integer(v))).map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Leaf(toml::Value::Float(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Leaf(toml::Value::String(v.to_string())))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<toml::Value>()? {
            items.push(item);
        }
        Ok(Node::Leaf(toml::Value::Array(items)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value::<Spanned<Node>>()?;
            out.insert(k, v);
        }
        Ok(Node::Table(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_keep_positions_and_merge_tables() {
        let text = "a = 1\n[c]\nx = true\n";
        let t: BTreeMap<String, Spanned<Node>> = toml::from_str(text).unwrap();
        let base: toml::Table = toml::from_str("a = 0\n[c]\ny = 2\n").unwrap();
        let leaves = Node::leaves(&t, &base);
        assert_eq!(leaves.len(), 2);
        assert_eq!(leaves[0].path, ["a"]);
        assert_eq!(&text[leaves[1].span.clone()], "true");
        assert_eq!(leaves[1].path, ["c", "x"]);
        let mut merged = base.clone();
        for l in leaves {
            set_path(&mut merged, &l.path, l.value);
        }
        assert_eq!(merged["c"]["y"].as_integer(), Some(2));
        assert_eq!(merged["c"]["x"].as_bool(), Some(true));
    }
}
