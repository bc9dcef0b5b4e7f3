//! The design of a sweep: which parameters vary, over which values, and the
//! list of points that results.
//!
//! A parameter is a `--set` path with either a *range* `LO..HI` /
//! `LO..HI:STEP` (both ends included) or a *list* `[a, b, c]`. A full
//! factorial grid crosses every parameter's levels, the first parameter
//! varying slowest. With `--lhs N`, every range without a step is a
//! continuous dimension of an N-point Latin hypercube (see [`super::lhs`]),
//! and lists and stepped ranges are discrete factors crossed with that same
//! sample.

use std::fmt;
use std::str::FromStr;

use toml::Value;

use super::SweepError;
use super::lhs;
use crate::format::significant;
use crate::scenario::Override;

/// Largest number of points a design may have: beyond this a sweep is
/// almost certainly a typo (`0..100000`), and its files would be huge.
pub const MAX_POINTS: usize = 100_000;

/// One value a parameter takes at a point.
#[derive(Debug, Clone, PartialEq)]
pub enum Level {
    /// A TOML integer.
    Int(i64),
    /// A TOML float.
    Float(f64),
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
}

impl Level {
    /// From a TOML value; sweeps vary numbers, strings and booleans only.
    pub fn from_toml(value: &Value) -> Result<Self, String> {
        match value {
            Value::Integer(i) => Ok(Level::Int(*i)),
            Value::Float(f) if f.is_finite() => Ok(Level::Float(*f)),
            Value::Float(f) => Err(format!("{f} is not a finite number")),
            Value::String(s) => Ok(Level::Text(s.clone())),
            Value::Boolean(b) => Ok(Level::Bool(*b)),
            other => Err(format!(
                "a sweep varies numbers, strings or booleans, not a {}",
                other.type_str()
            )),
        }
    }

    /// As a TOML value (what the point's override sets).
    pub fn to_toml(&self) -> Value {
        match self {
            Level::Int(i) => Value::Integer(*i),
            Level::Float(f) => Value::Float(*f),
            Level::Text(s) => Value::String(s.clone()),
            Level::Bool(b) => Value::Boolean(*b),
        }
    }

    /// As a number, for plots (`None` for strings and booleans).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Level::Int(i) => Some(*i as f64),
            Level::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// As JSON, for `sweep.json`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Level::Int(i) => (*i).into(),
            Level::Float(f) => (*f).into(),
            Level::Text(s) => s.clone().into(),
            Level::Bool(b) => (*b).into(),
        }
    }

    /// TOML syntax (`6`, `6.0`, `"quarter"`), which parses back to the same
    /// level: used in the canonical text of a parameter.
    pub fn toml_text(&self) -> String {
        self.to_toml().to_string()
    }
}

/// CSV text: integers as is, floats as the shortest round-trip decimal
/// (the formatting of `summary.csv`), strings unquoted.
impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Level::Int(i) => write!(f, "{i}"),
            Level::Float(x) => f.write_str(&crate::results::number(*x)),
            Level::Text(s) => f.write_str(s),
            Level::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// A number in a range: integer or decimal, as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// Written without a decimal point.
    Int(i64),
    /// Written with a decimal point or exponent.
    Float(f64),
}

impl Number {
    fn value(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match format!("v = {text}").parse::<toml::Table>() {
            Ok(t) => match t.get("v") {
                Some(Value::Integer(i)) => Ok(Number::Int(*i)),
                Some(Value::Float(f)) if f.is_finite() => Ok(Number::Float(*f)),
                _ => Err(format!("'{text}' is not a number")),
            },
            Err(_) => Err(format!("'{text}' is not a number")),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{}", Value::Float(*x)),
        }
    }
}

/// `LO..HI` or `LO..HI:STEP`, both ends included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Lowest value.
    pub low: Number,
    /// Highest value (included when a step lands on it).
    pub high: Number,
    /// Grid step; `None`: step 1 for integers, continuous for decimals.
    pub step: Option<Number>,
}

impl Range {
    /// Whether every value is an integer (integer ends and step).
    pub fn is_integer(&self) -> bool {
        matches!(self.low, Number::Int(_))
            && matches!(self.high, Number::Int(_))
            && matches!(self.step, None | Some(Number::Int(_)))
    }

    /// Whether `--lhs` samples this range (it has no step).
    pub fn is_sampled(&self) -> bool {
        self.step.is_none()
    }

    /// The level at Latin hypercube position `position` in `[0, n)`
    /// ([`super::lhs::positions`]): `LO + (HI − LO) × position / n`.
    /// Decimals are rounded to 6 significant digits (readable tables; far
    /// finer than any stratum). An integer range `LO..HI` is sampled on
    /// `[LO, HI + 1)` and rounded down, so every integer is equally likely
    /// and the strata still spread over the whole range.
    pub fn sampled_level(&self, position: f64, n: usize) -> Level {
        let integer = self.is_integer();
        let (lo, hi) = (self.low.value(), self.high.value());
        let width = if integer { hi + 1.0 - lo } else { hi - lo };
        let x = lo + width * position / n as f64;
        if integer {
            Level::Int((x.floor() as i64).clamp(lo as i64, hi as i64))
        } else {
            Level::Float(significant(x, 6).clamp(lo, hi))
        }
    }

    /// The grid levels: `LO, LO+STEP, …` up to `HI`. Decimal levels are
    /// rounded to 12 significant digits, so `0.1..0.3:0.1` gives 0.3, not
    /// 0.30000000000000004.
    pub fn levels(&self) -> Result<Vec<Level>, String> {
        if self.is_integer() {
            let (Number::Int(lo), Number::Int(hi)) = (self.low, self.high) else {
                unreachable!("is_integer checked the ends")
            };
            let step = match self.step {
                Some(Number::Int(s)) => s,
                _ => 1,
            };
            let count = (hi - lo) / step + 1;
            if count as usize > MAX_POINTS {
                return Err(format!("{self} has {count} values (at most {MAX_POINTS})"));
            }
            return Ok((0..count).map(|i| Level::Int(lo + i * step)).collect());
        }
        let Some(step) = self.step else {
            return Err(format!(
                "{self} is a continuous range: give a step for a grid \
                 ({self}:STEP), or sample it with --lhs N"
            ));
        };
        let (lo, hi, step) = (self.low.value(), self.high.value(), step.value());
        let count = ((hi - lo) / step + 1e-9).floor() + 1.0;
        if count > MAX_POINTS as f64 {
            return Err(format!("{self} has {count} values (at most {MAX_POINTS})"));
        }
        Ok((0..count as usize)
            .map(|i| Level::Float(significant(lo + i as f64 * step, 12)))
            .collect())
    }

    fn parse(text: &str) -> Result<Self, String> {
        let (low, rest) = text
            .split_once("..")
            .ok_or_else(|| format!("'{text}' is not a range LO..HI"))?;
        let (high, step) = match rest.split_once(':') {
            Some((h, s)) => (h, Some(Number::parse(s)?)),
            None => (rest, None),
        };
        let range = Range {
            low: Number::parse(low)?,
            high: Number::parse(high)?,
            step,
        };
        if range.high.value() < range.low.value() {
            return Err(format!("in {range}, HI is below LO"));
        }
        if let Some(s) = range.step
            && s.value() <= 0.0
        {
            return Err(format!("in {range}, the step must be positive"));
        }
        Ok(range)
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.low, self.high)?;
        if let Some(s) = self.step {
            write!(f, ":{s}")?;
        }
        Ok(())
    }
}

/// What values a parameter takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// A range.
    Range(Range),
    /// An explicit list of levels.
    List(Vec<Level>),
}

/// One varied parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The `--set` path, e.g. `workforce.caseworkers`.
    pub path: String,
    /// Its values.
    pub values: Values,
}

/// Paths a sweep may not vary, and why.
fn refused(path: &str) -> Option<&'static str> {
    match path {
        "scenario.seed" => Some(
            "every point uses the same seed (common random numbers across points); \
             use --seed to change it for the whole sweep",
        ),
        "scenario.replications" => {
            Some("every point has the same replications; use --replications")
        }
        p if p == "changes" || p.starts_with("changes.") => {
            Some("a sweep cannot vary [[changes]] entries; vary the parameter they set")
        }
        _ => None,
    }
}

impl Parameter {
    /// A parameter from a path and the text of its values: `LO..HI`,
    /// `LO..HI:STEP`, `[a, b, c]`, `a,b,c` or a single value.
    pub fn new(path: &str, spec: &str) -> Result<Self, String> {
        let path = path.trim();
        let spec = spec.trim();
        // Check the path's syntax the way --set does.
        Override::from_str(&format!("{path}=0"))?;
        if let Some(why) = refused(path) {
            return Err(format!("'{path}' cannot be varied: {why}"));
        }
        if spec.is_empty() {
            return Err(format!("no values given for '{path}'"));
        }
        let values = if !spec.starts_with('[') && !spec.starts_with('"') && spec.contains("..") {
            Values::Range(Range::parse(spec).map_err(|e| format!("{path}: {e}"))?)
        } else {
            Values::List(parse_list(path, spec)?)
        };
        Ok(Self {
            path: path.into(),
            values,
        })
    }

    /// A parameter from a `[sweep.vary]` entry: a string (range or list
    /// text), an array, or a single value.
    pub fn from_toml(path: &str, value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Self::new(path, s),
            Value::Array(items) => {
                Self::new(path, "[0]")?; // path checks
                let levels = items
                    .iter()
                    .map(Level::from_toml)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("{path}: {e}"))?;
                if levels.is_empty() {
                    return Err(format!("no values given for '{path}'"));
                }
                Ok(Self {
                    path: path.into(),
                    values: Values::List(levels),
                })
            }
            other => {
                let level = Level::from_toml(other).map_err(|e| format!("{path}: {e}"))?;
                Self::new(path, &level.toml_text())
            }
        }
    }

    /// Whether `--lhs` samples this parameter (a range without a step).
    pub fn is_sampled(&self) -> bool {
        matches!(&self.values, Values::Range(r) if r.is_sampled())
    }

    /// Whether the parameter is numeric and continuous in the researcher's
    /// sense: a range (stepped or not).
    pub fn is_range(&self) -> bool {
        matches!(self.values, Values::Range(_))
    }

    /// The levels of a discrete parameter (a list, or a range's grid).
    pub fn levels(&self) -> Result<Vec<Level>, String> {
        match &self.values {
            Values::Range(r) => r.levels().map_err(|e| format!("{}: {e}", self.path)),
            Values::List(l) => Ok(l.clone()),
        }
    }

    /// The values in canonical text (parses back to the same parameter).
    pub fn spec(&self) -> String {
        match &self.values {
            Values::Range(r) => r.to_string(),
            Values::List(l) => {
                let items: Vec<String> = l.iter().map(Level::toml_text).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

/// `--vary PATH=VALUES`.
impl FromStr for Parameter {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (path, spec) = text
            .split_once('=')
            .ok_or_else(|| format!("'{text}' is not of the form PATH=VALUES"))?;
        Self::new(path, spec)
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.path, self.spec())
    }
}

/// A list: TOML array syntax, or comma-separated values where bare words are
/// strings (as in `--set`).
fn parse_list(path: &str, spec: &str) -> Result<Vec<Level>, String> {
    let as_array = format!("v = {spec}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"));
    let values: Vec<Value> = match as_array {
        Some(Value::Array(items)) => items,
        _ => {
            let inner = spec
                .strip_prefix('[')
                .and_then(|s| s.strip_suffix(']'))
                .unwrap_or(spec);
            inner
                .split(',')
                .map(|token| {
                    let token = token.trim();
                    if token.is_empty() {
                        return Err(format!("an empty value in the list of '{path}'"));
                    }
                    Override::from_str(&format!("{path}={token}")).map(|o| o.value)
                })
                .collect::<Result<_, _>>()?
        }
    };
    if values.is_empty() {
        return Err(format!("no values given for '{path}'"));
    }
    values
        .iter()
        .map(|v| Level::from_toml(v).map_err(|e| format!("{path}: {e}")))
        .collect()
}

/// How points are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Full factorial grid.
    Grid,
    /// Latin hypercube with this many samples (crossed with discrete
    /// factors).
    Lhs(usize),
    /// Saltelli's design for Sobol indices with this many base samples N:
    /// the N rows of matrix A, the N rows of B, then for every parameter
    /// *i* in order the N rows of A_B^i (A with column *i* taken from B),
    /// N·(k+2) points in all. A and B are the two halves of one Latin
    /// hypercube over 2k dimensions (see [`Design::new`]).
    Saltelli(usize),
}

impl Method {
    /// Whether the points are sampled (Latin hypercube or Saltelli), so
    /// they do not line up on a grid.
    pub fn is_sampled(self) -> bool {
        matches!(self, Method::Lhs(_) | Method::Saltelli(_))
    }
}

/// Mixed into the scenario seed for a Saltelli design, so its hypercube
/// differs from the `--lhs` one of the same seed.
const SALTELLI_TAG: u64 = 0x5341_4C54_454C_4C49;

/// The parameters and the points of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Varied parameters, in the order given.
    pub parameters: Vec<Parameter>,
    /// Grid or Latin hypercube.
    pub method: Method,
    /// The seed the Latin hypercube was drawn with (the scenario's seed).
    pub seed: u64,
    /// Points in order; each holds one level per parameter.
    pub points: Vec<Vec<Level>>,
}

impl Design {
    /// Expand parameters into points. `seed` drives the Latin hypercube.
    pub fn new(parameters: Vec<Parameter>, method: Method, seed: u64) -> Result<Self, SweepError> {
        if parameters.is_empty() {
            return Err(SweepError::Design(
                "nothing to sweep: give --vary PATH=VALUES, or a [sweep.vary] table in the \
                 scenario file"
                    .into(),
            ));
        }
        for (i, p) in parameters.iter().enumerate() {
            if parameters[..i].iter().any(|q| q.path == p.path) {
                return Err(SweepError::Design(format!("'{}' is varied twice", p.path)));
            }
        }
        if let Method::Saltelli(n) = method {
            return Self::saltelli(parameters, n, seed);
        }
        let sampled: Vec<usize> = match method {
            Method::Grid | Method::Saltelli(_) => Vec::new(),
            Method::Lhs(n) => {
                if n == 0 {
                    return Err(SweepError::Design("--lhs needs at least 1 sample".into()));
                }
                let s: Vec<usize> = (0..parameters.len())
                    .filter(|&i| parameters[i].is_sampled())
                    .collect();
                if s.is_empty() {
                    return Err(SweepError::Design(
                        "--lhs samples ranges without a step (LO..HI), and none is varied".into(),
                    ));
                }
                s
            }
        };
        // Discrete factors: every parameter not sampled.
        let mut factors: Vec<(usize, Vec<Level>)> = Vec::new();
        for (i, p) in parameters.iter().enumerate() {
            if !sampled.contains(&i) {
                factors.push((i, p.levels().map_err(SweepError::Design)?));
            }
        }
        let combos = factors
            .iter()
            .try_fold(1usize, |n, (_, l)| n.checked_mul(l.len()))
            .unwrap_or(usize::MAX);
        let samples = match method {
            Method::Grid | Method::Saltelli(_) => 1,
            Method::Lhs(n) => n,
        };
        let total = combos.saturating_mul(samples);
        if total > MAX_POINTS {
            return Err(SweepError::Design(format!(
                "the design has {total} points (at most {MAX_POINTS}); use fewer levels or --lhs"
            )));
        }
        let sample = match method {
            Method::Grid | Method::Saltelli(_) => vec![Vec::new()],
            Method::Lhs(n) => {
                let ranges: Vec<Range> = sampled
                    .iter()
                    .map(|&i| match &parameters[i].values {
                        Values::Range(r) => *r,
                        Values::List(_) => unreachable!("sampled parameters are ranges"),
                    })
                    .collect();
                lhs::positions(ranges.len(), n, seed)
                    .into_iter()
                    .map(|p| {
                        p.iter()
                            .zip(&ranges)
                            .map(|(&x, r)| r.sampled_level(x, n))
                            .collect()
                    })
                    .collect()
            }
        };
        let mut points = Vec::with_capacity(total);
        for combo in 0..combos {
            // Decode the combination: the first factor varies slowest.
            let mut rest = combo;
            let mut chosen = vec![0usize; factors.len()];
            for (f, (_, levels)) in factors.iter().enumerate().rev() {
                chosen[f] = rest % levels.len();
                rest /= levels.len();
            }
            for draw in &sample {
                let mut point = Vec::with_capacity(parameters.len());
                let (mut f, mut s) = (0, 0);
                for i in 0..parameters.len() {
                    if sampled.contains(&i) {
                        point.push(draw[s].clone());
                        s += 1;
                    } else {
                        point.push(factors[f].1[chosen[f]].clone());
                        f += 1;
                    }
                }
                points.push(point);
            }
        }
        Ok(Self {
            parameters,
            method,
            seed,
            points,
        })
    }

    /// Saltelli's design with `n` base samples: a Latin hypercube of `n`
    /// samples over 2k dimensions drawn from `seed ^ SALTELLI_TAG` (see
    /// [`super::lhs`]); its first k positions are row *j* of A, the last k
    /// row *j* of B. Every parameter must be a range without a step.
    fn saltelli(parameters: Vec<Parameter>, n: usize, seed: u64) -> Result<Self, SweepError> {
        if n < 2 {
            return Err(SweepError::Design(
                "--samples needs at least 2 base samples".into(),
            ));
        }
        let mut ranges = Vec::with_capacity(parameters.len());
        for p in &parameters {
            match &p.values {
                Values::Range(r) if r.is_sampled() => ranges.push(*r),
                _ => {
                    return Err(SweepError::Design(format!(
                        "--method sobol samples ranges LO..HI; '{p}' is a list or has a step"
                    )));
                }
            }
        }
        let k = ranges.len();
        let total = n.saturating_mul(k + 2);
        if total > MAX_POINTS {
            return Err(SweepError::Design(format!(
                "the Saltelli design has {total} points, N × (parameters + 2) (at most \
                 {MAX_POINTS}); use fewer --samples"
            )));
        }
        let draws = lhs::positions(2 * k, n, seed ^ SALTELLI_TAG);
        let level = |x: f64, i: usize| ranges[i].sampled_level(x, n);
        let a: Vec<Vec<Level>> = draws
            .iter()
            .map(|d| (0..k).map(|i| level(d[i], i)).collect())
            .collect();
        let b: Vec<Vec<Level>> = draws
            .iter()
            .map(|d| (0..k).map(|i| level(d[k + i], i)).collect())
            .collect();
        let mut points = Vec::with_capacity(total);
        points.extend(a.iter().cloned());
        points.extend(b.iter().cloned());
        for i in 0..k {
            for (row_a, row_b) in a.iter().zip(&b) {
                let mut row = row_a.clone();
                row[i] = row_b[i].clone();
                points.push(row);
            }
        }
        Ok(Self {
            parameters,
            method: Method::Saltelli(n),
            seed,
            points,
        })
    }

    /// `path=value, …` of one point, for messages.
    pub fn describe_point(&self, point: usize) -> String {
        self.parameters
            .iter()
            .zip(&self.points[point])
            .map(|(p, l)| format!("{}={l}", p.path))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The overrides that make point `point` from the base scenario.
    pub fn overrides(&self, point: usize) -> Vec<Override> {
        self.parameters
            .iter()
            .zip(&self.points[point])
            .map(|(p, l)| Override {
                path: p.path.clone(),
                value: l.to_toml(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_round_trips() {
        for text in [
            "a.b=2..12",
            "a.b=0.5..1.0:0.1",
            "a.b=[6, 13, 26]",
            "a.b=[6.0, 13.5]",
            "a.b=[\"year\", \"quarter\"]",
            "a.b=-3..3:2",
        ] {
            let p: Parameter = text.parse().unwrap();
            let again: Parameter = p.to_string().parse().unwrap();
            assert_eq!(p, again, "{text} → {p}");
        }
    }

    fn range(text: &str) -> Range {
        match format!("x.y={text}").parse::<Parameter>().unwrap().values {
            Values::Range(r) => r,
            Values::List(_) => panic!("not a range"),
        }
    }

    #[test]
    fn sampled_integer_ranges_stay_integers_within_bounds() {
        let r = range("2..12");
        let mut values: Vec<i64> = lhs::positions(1, 11, 1)
            .iter()
            .map(|p| match r.sampled_level(p[0], 11) {
                Level::Int(i) => i,
                _ => panic!("not an integer"),
            })
            .collect();
        values.sort();
        // 11 samples over 11 integers: each stratum is one integer.
        assert_eq!(values, (2..=12).collect::<Vec<_>>());
    }

    #[test]
    fn sampled_decimals_keep_their_stratum() {
        let r = range("10.0..30.0");
        let n = 40;
        for p in lhs::positions(1, n, 7) {
            let x = r.sampled_level(p[0], n).as_f64().unwrap();
            let stratum = ((x - 10.0) / 20.0 * n as f64).floor() as usize;
            assert_eq!(stratum.min(n - 1), p[0].floor() as usize);
        }
    }

    #[test]
    fn significant_digits_remove_float_noise() {
        assert_eq!(significant(0.1 + 0.2, 12), 0.3);
        assert_eq!(significant(123_456.789, 4), 123_500.0);
    }
}
