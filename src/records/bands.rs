//! Age bands for what the records show: cut points `[c1, ..., ck]` split
//! ages into `[0, c1)`, `[c1, c2)`, ..., `[ck, exit_age)`, labelled
//! `"0-6"`, `"6-12"`, ... as the scenario's `age_bands` are, so an
//! estimate can be read against (and later written into) a scenario.

use crate::results::number;

/// Age bands: cut points and the exit age.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeBands {
    /// Bounds: 0, the cut points, the exit age.
    bounds: Vec<f64>,
}

impl AgeBands {
    /// Bands for `cuts` (strictly increasing, each in (0, `exit_age`)), or
    /// the reason they are not valid.
    pub fn new(cuts: &[f64], exit_age: f64) -> Result<Self, String> {
        let mut bounds = vec![0.0];
        for &c in cuts {
            if !(c.is_finite() && c > *bounds.last().expect("0") && c < exit_age) {
                return Err(format!(
                    "age band cut points must increase strictly and lie between 0 and the exit \
                     age {}, got {}",
                    number(exit_age),
                    cuts.iter()
                        .map(|c| number(*c))
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            }
            bounds.push(c);
        }
        bounds.push(exit_age);
        Ok(Self { bounds })
    }

    /// The cut points (as a scenario's `age_bands`; empty for one band).
    pub fn cuts(&self) -> &[f64] {
        &self.bounds[1..self.bounds.len() - 1]
    }

    /// How many bands.
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    /// Whether there are no bands (never: at least one).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The band of `age` (ages at or past the exit age: the last band).
    pub fn of(&self, age: f64) -> usize {
        self.bounds[1..self.len()]
            .iter()
            .take_while(|&&c| age >= c)
            .count()
    }

    /// The label of band `b`: `"6-12"`.
    pub fn label(&self, b: usize) -> String {
        format!("{}-{}", number(self.bounds[b]), number(self.bounds[b + 1]))
    }

    /// Years spent in each band while ageing from `from` to `to` (ages
    /// past the exit age count nowhere): `(band, years)` for each band
    /// met.
    pub fn split(&self, from: f64, to: f64) -> impl Iterator<Item = (usize, f64)> + '_ {
        (0..self.len()).filter_map(move |b| {
            let lo = from.max(self.bounds[b]);
            let hi = to.min(self.bounds[b + 1]);
            (hi > lo).then_some((b, hi - lo))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_label_and_split() {
        let b = AgeBands::new(&[6.0, 12.0, 15.0], 18.0).unwrap();
        assert_eq!(b.len(), 4);
        assert_eq!(b.label(0), "0-6");
        assert_eq!(b.label(3), "15-18");
        assert_eq!((b.of(5.9), b.of(6.0), b.of(17.9), b.of(19.0)), (0, 1, 3, 3));
        let parts: Vec<_> = b.split(5.0, 13.0).collect();
        assert_eq!(parts, [(0, 1.0), (1, 6.0), (2, 1.0)]);
        assert_eq!(b.split(17.0, 19.0).collect::<Vec<_>>(), [(3, 1.0)]);
        assert_eq!(AgeBands::new(&[], 18.0).unwrap().label(0), "0-18");
        assert!(AgeBands::new(&[6.0, 6.0], 18.0).is_err());
        assert!(AgeBands::new(&[18.0], 18.0).is_err());
    }
}
