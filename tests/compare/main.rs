//! Tests of comparing scenarios and showing results: `trappe compare`
//! (common random numbers, paired differences), plots, the HTML report
//! (also in a real headless browser) and scenario variants (`extends`).
//!
//! One module per behaviour; shared helpers live here.

mod browser;
mod crn;
mod extends;
mod language;
mod paired;
mod plots;
mod report;
mod transitions;

#[path = "../common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

pub use common::{Csv, run_ok, shipped as scenario, trappe};

/// Replications for command-line runs: enough for every statistic to be
/// defined, few enough for a debug build.
pub const REPS: &str = "30";

/// `trappe compare BASE ALT --out DIR -q --lang en` with [`REPS`]
/// replications and extra arguments. In English: these tests read the
/// English wording, and the shipped Herning scenarios write Danish.
pub fn compare(base: &Path, alt: &Path, out: &Path, extra: &[&str]) -> Output {
    run_ok(
        trappe()
            .arg("compare")
            .arg(base)
            .arg(alt)
            .arg("--out")
            .arg(out)
            .args(["--replications", REPS, "-q", "--lang", "en"])
            .args(extra),
    )
}

/// A scenario file written into `dir`: `base` with `edit` applied to its
/// text. `extends` in the copy is made absolute so it still resolves.
pub fn edited_copy(dir: &Path, name: &str, base: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(scenario(base)).expect("shipped scenario");
    let text = text.replace(
        "extends = \"",
        &format!("extends = \"{}/", scenario("").display()),
    );
    let path = dir.join(name);
    std::fs::write(&path, edit(text)).expect("write scenario copy");
    path
}

/// A decoded PNG: width, height and RGBA pixels.
pub struct Image {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA, row-major.
    pub rgba: Vec<u8>,
}

impl Image {
    /// Decode a PNG file completely (fails on anything that is not a valid
    /// PNG).
    pub fn read(path: &Path) -> Self {
        let file = std::fs::File::open(path)
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder
            .read_info()
            .unwrap_or_else(|e| panic!("{} is not a PNG: {e}", path.display()));
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader
            .next_frame(&mut buf)
            .unwrap_or_else(|e| panic!("{} does not decode: {e}", path.display()));
        buf.truncate(info.buffer_size());
        let channels = info.color_type.samples();
        let rgba = buf
            .chunks_exact(channels)
            .flat_map(|p| match channels {
                1 => [p[0], p[0], p[0], 255],
                2 => [p[0], p[0], p[0], p[1]],
                3 => [p[0], p[1], p[2], 255],
                _ => [p[0], p[1], p[2], p[3]],
            })
            .collect();
        Self {
            width: info.width,
            height: info.height,
            rgba,
        }
    }

    /// Share of pixels in the rectangle that are clearly not white.
    pub fn ink_share(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> f64 {
        let mut ink = 0usize;
        let mut all = 0usize;
        for y in y0..y1.min(self.height) {
            for x in x0..x1.min(self.width) {
                let i = ((y * self.width + x) * 4) as usize;
                let p = &self.rgba[i..i + 3];
                all += 1;
                if p.iter().any(|&c| c < 200) {
                    ink += 1;
                }
            }
        }
        ink as f64 / all.max(1) as f64
    }

    /// Number of distinct colours (a blank image has one).
    pub fn colours(&self) -> usize {
        let mut set = std::collections::HashSet::new();
        for p in self.rgba.chunks_exact(4) {
            set.insert([p[0], p[1], p[2]]);
        }
        set.len()
    }
}
