//! Variants of the resolved plan: properties that depend on the value of
//! one of them, and which of them a record of a given value is checked
//! against (docs/plan-format.md, "Variants").

use serde_json::Value;

use super::{Origin, Property};

/// Properties that depend on the value of one of them, the discriminator.
#[derive(Debug, Clone, PartialEq)]
pub struct Variants {
    /// The discriminator: a property of the same event or object.
    pub by: String,
    /// The cases of the values that have one, in plan order.
    pub cases: Vec<Case>,
    /// The case of the values without their own.
    pub default: Option<Case>,
    /// Where `variants` is written.
    pub origin: Origin,
}

/// One case: what a value of the discriminator adds or takes away.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The value as written as the case's key (`drink`, `2`, `true`);
    /// `None` for the default case.
    pub key: Option<String>,
    /// That value as the discriminator's type reads it; `None` for the
    /// default case and for a key that is no value of the discriminator
    /// (the loader reports it).
    pub value: Option<Value>,
    /// What this kind of event is.
    pub description: Option<String>,
    /// Properties the case adds, or gives again for itself.
    pub properties: Vec<Property>,
    /// Base properties the case must not carry.
    pub absent: Vec<String>,
    /// Where the case is written.
    pub origin: Origin,
}

impl Variants {
    /// Every case, the default last.
    pub fn all(&self) -> impl Iterator<Item = &Case> {
        self.cases.iter().chain(self.default.as_ref())
    }

    /// The discriminator's values (its `enum`, from `base`) that have no
    /// case of their own: those of the default case, or of the base
    /// properties alone.
    pub fn others(&self, base: &[Property]) -> Vec<Value> {
        let values = base
            .iter()
            .find(|p| p.name == self.by)
            .and_then(|p| p.schema.allowed.clone())
            .unwrap_or_default();
        values
            .into_iter()
            .filter(|v| {
                !self
                    .cases
                    .iter()
                    .any(|c| c.value.as_ref().is_some_and(|own| same(own, v)))
            })
            .collect()
    }
}

/// One member of the union typed code declares for an event with
/// variants: a case, or the values without a case of their own.
#[derive(Debug, Clone)]
pub struct Member<'p> {
    /// The case's key; `None` for the values without their own case.
    pub key: Option<&'p str>,
    /// The case (the default case for the other values, if there is one).
    pub case: Option<&'p Case>,
    /// The discriminator's values it covers.
    pub values: Vec<Value>,
    /// The discriminator, its `enum` cut to `values`, when it covers more
    /// than one (a member of one value writes it as a constant).
    pub discriminator: Option<Property>,
    /// Its other properties, complete: the base ones as the case has them,
    /// then the case's own.
    pub properties: Vec<Property>,
}

impl Variants {
    /// The members of the union over `base`: each case with a value, then
    /// the values without a case of their own, if any.
    pub fn members<'p>(&'p self, base: &'p [Property]) -> Vec<Member<'p>> {
        let member = |key: Option<&'p str>, case: Option<&'p Case>, values: Vec<Value>| {
            let effective = case.map_or_else(|| base.iter().collect(), |c| c.effective(base));
            let discriminator = (values.len() > 1)
                .then(|| base.iter().find(|p| p.name == self.by))
                .flatten()
                .map(|p| {
                    let mut p = p.clone();
                    p.schema.allowed = Some(values.clone());
                    p
                });
            Member {
                key,
                case,
                properties: effective
                    .into_iter()
                    .filter(|p| p.name != self.by)
                    .cloned()
                    .collect(),
                discriminator,
                values,
            }
        };
        let mut members: Vec<Member<'p>> = self
            .cases
            .iter()
            .filter_map(|c| Some(member(c.key.as_deref(), Some(c), vec![c.value.clone()?])))
            .collect();
        let others = self.others(base);
        if !others.is_empty() {
            members.push(member(None, self.default.as_ref(), others));
        }
        members
    }
}

impl Case {
    /// How reports name the case: `item_type=drink`, `item_type=*` for the
    /// default case.
    pub fn label(&self, by: &str) -> String {
        format!("{by}={}", self.key.as_deref().unwrap_or("*"))
    }

    /// The properties a record of this case is checked against: `base` in
    /// its order, each replaced by the case's own of the same name, without
    /// those the case lists as absent; then the case's other properties.
    pub fn effective<'p>(&'p self, base: &'p [Property]) -> Vec<&'p Property> {
        let own = |name: &str| self.properties.iter().find(|p| p.name == name);
        let mut out: Vec<&Property> = base
            .iter()
            .filter(|p| !self.absent.contains(&p.name))
            .map(|p| own(&p.name).unwrap_or(p))
            .collect();
        out.extend(
            self.properties
                .iter()
                .filter(|p| !base.iter().any(|b| b.name == p.name)),
        );
        out
    }
}

/// Whether a sent value is the case's value: equal strings and booleans,
/// numerically equal numbers (`2` and `2.0` are the same integer, as
/// `check` reads integers).
pub fn same(case: &Value, sent: &Value) -> bool {
    match (case, sent) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::load_text;

    #[test]
    fn each_case_is_a_member_and_the_other_values_take_the_default() {
        let loaded = load_text(
            "p.yaml",
            "trackplan: 1\nname: Cafe\nversion: 1.0.0\nevents:\n  Purchased Item:\n    properties:\n      item_type: {type: string, enum: [drink, food, merch]}\n      size: {type: string, required: false}\n      price: {type: number}\n    variants:\n      by: item_type\n      cases:\n        drink:\n          properties:\n            size: {type: string}\n            milk: {type: string, required: false}\n        food:\n          absent: [size]\n      default:\n        absent: [size]\n",
        );
        let plan = loaded.plan.unwrap();
        let event = &plan.events[0];
        let variants = event.variants.as_ref().unwrap();
        let names = |case: &Case| -> Vec<(String, bool)> {
            case.effective(&event.properties)
                .iter()
                .map(|p| (p.name.clone(), p.required))
                .collect()
        };
        // The members of the union: each case, then the other values with
        // the default case.
        let members = variants.members(&event.properties);
        let covered: Vec<(Option<&str>, Vec<Value>)> =
            members.iter().map(|m| (m.key, m.values.clone())).collect();
        assert_eq!(
            covered,
            [
                (Some("drink"), vec![Value::from("drink")]),
                (Some("food"), vec![Value::from("food")]),
                (None, vec![Value::from("merch")]),
            ]
        );
        let drink = members[0].case.unwrap();
        assert_eq!(drink.label("item_type"), "item_type=drink");
        assert_eq!(
            names(drink),
            [
                ("item_type".to_owned(), true),
                ("size".to_owned(), true),
                ("price".to_owned(), true),
                ("milk".to_owned(), false)
            ]
        );
        let food = members[1].case.unwrap();
        assert_eq!(
            names(food),
            [("item_type".to_owned(), true), ("price".to_owned(), true)]
        );
        let merch = members[2].case.unwrap();
        assert_eq!(merch.label("item_type"), "item_type=*");
        assert_eq!(merch.absent, ["size"]);
        // The discriminator and the other properties apart.
        let names: Vec<&str> = members[0]
            .properties
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["size", "price", "milk"]);
        assert!(same(&Value::from(2), &serde_json::json!(2.0)));
    }
}
