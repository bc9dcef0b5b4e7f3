//! Age bands (model version 2, docs/model.md "Age"): need, entry and exits
//! depend strongly on age, so a hazard or an entry share may be one number
//! for every age or one number per band.
//!
//! * [`ByBand`]: a value as written in the file, a number or an array.
//! * [`AgeBands`]: the cut points, which band an age is in, band labels.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// A number for every age band, or one number per band (`[0.3, 0.2]`).
/// Without `scenario.age_bands` there is one band, so only a number (or a
/// one-element array) fits.
#[derive(Debug, Clone, PartialEq)]
pub enum ByBand {
    /// The same value in every band.
    All(f64),
    /// One value per band, youngest first.
    Each(Vec<f64>),
}

impl Default for ByBand {
    fn default() -> Self {
        ByBand::All(0.0)
    }
}

impl From<f64> for ByBand {
    fn from(value: f64) -> Self {
        ByBand::All(value)
    }
}

impl ByBand {
    /// The value in band `band` (0-based). Only valid for a checked
    /// scenario, where an array has one value per band.
    pub fn get(&self, band: usize) -> f64 {
        match self {
            ByBand::All(v) => *v,
            ByBand::Each(values) => values[band],
        }
    }

    /// The values as written: one for a number, the array otherwise.
    pub fn values(&self) -> &[f64] {
        match self {
            ByBand::All(v) => std::slice::from_ref(v),
            ByBand::Each(values) => values,
        }
    }

    /// The largest value over the bands (work estimates, summaries).
    pub fn max(&self) -> f64 {
        self.values()
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// A number as `{}` writes it, an array as `[a, b, c]`.
impl fmt::Display for ByBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ByBand::All(v) => write!(f, "{v}"),
            ByBand::Each(values) => {
                let parts: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

impl Serialize for ByBand {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ByBand::All(v) => serializer.serialize_f64(*v),
            ByBand::Each(values) => {
                let mut seq = serializer.serialize_seq(Some(values.len()))?;
                for v in values {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for ByBand {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ByBandVisitor;
        impl<'de> Visitor<'de> for ByBandVisitor {
            type Value = ByBand;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or an array of numbers, one per age band")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ByBand, E> {
                Ok(ByBand::All(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ByBand, E> {
                Ok(ByBand::All(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ByBand, E> {
                Ok(ByBand::All(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ByBand, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element::<f64>()? {
                    values.push(v);
                }
                Ok(ByBand::Each(values))
            }
        }
        deserializer.deserialize_any(ByBandVisitor)
    }
}

/// The age bands of a scenario: cut points `c1 < … < ck` between 0 and
/// `exit_age`; band *b* covers ages `[c(b−1), c(b))` with `c0 = 0` and
/// `c(k+1) = exit_age`. Without cut points there is one band.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeBands {
    /// Band edges: 0, the cut points, `exit_age`.
    edges: Vec<f64>,
}

impl AgeBands {
    /// Bands from the cut points of `scenario.age_bands` (none: one band).
    pub fn new(cuts: Option<&[f64]>, exit_age: f64) -> Self {
        let mut edges = vec![0.0];
        edges.extend_from_slice(cuts.unwrap_or(&[]));
        edges.push(exit_age);
        Self { edges }
    }

    /// Number of bands.
    pub fn count(&self) -> usize {
        self.edges.len() - 1
    }

    /// The band an age is in (ages at a cut point belong to the band above).
    pub fn band_of(&self, age: f64) -> usize {
        let inner = &self.edges[1..self.edges.len() - 1];
        inner.partition_point(|&c| c <= age)
    }

    /// Lowest age of band `b`.
    pub fn lower(&self, b: usize) -> f64 {
        self.edges[b]
    }

    /// Age at which band `b` ends (the next cut point, or `exit_age`).
    pub fn upper(&self, b: usize) -> f64 {
        self.edges[b + 1]
    }

    /// Label of band `b`, e.g. `"6-12"` (numbers in shortest form).
    pub fn label(&self, b: usize) -> String {
        format!("{}-{}", self.edges[b], self.edges[b + 1])
    }

    /// Every band's label, youngest first.
    pub fn labels(&self) -> Vec<String> {
        (0..self.count()).map(|b| self.label(b)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_ages_from_zero_to_exit_age() {
        let bands = AgeBands::new(Some(&[6.0, 12.0, 15.0]), 18.0);
        assert_eq!(bands.count(), 4);
        assert_eq!(bands.labels(), ["0-6", "6-12", "12-15", "15-18"]);
        assert_eq!(bands.band_of(0.0), 0);
        assert_eq!(bands.band_of(5.99), 0);
        assert_eq!(
            bands.band_of(6.0),
            1,
            "a cut point belongs to the band above"
        );
        assert_eq!(bands.band_of(17.9), 3);
        assert_eq!(AgeBands::new(Some(&[2.5]), 18.0).label(0), "0-2.5");
        let one = AgeBands::new(None, 18.0);
        assert_eq!((one.count(), one.band_of(17.0)), (1, 0));
        assert_eq!(one.labels(), ["0-18"]);
    }

    #[test]
    fn a_value_is_a_number_or_one_per_band() {
        #[derive(Deserialize, Serialize)]
        struct T {
            a: ByBand,
            b: ByBand,
            c: ByBand,
        }
        let t: T = toml::from_str("a = 1\nb = 0.5\nc = [0.1, 2]").unwrap();
        assert_eq!(t.a, ByBand::All(1.0));
        assert_eq!(t.c, ByBand::Each(vec![0.1, 2.0]));
        assert_eq!((t.c.get(1), t.b.get(3), t.c.max()), (2.0, 0.5, 2.0));
        assert_eq!(t.c.to_string(), "[0.1, 2]");
        let back = toml::to_string(&t).unwrap();
        assert!(
            back.contains("b = 0.5") && back.contains("c = [0.1, 2.0]"),
            "{back}"
        );
        assert!(toml::from_str::<T>("a = \"x\"\nb = 1\nc = 1").is_err());
    }
}
