//! The one font every plot uses, embedded in the binary.
//!
//! Plots must render on a headless machine with no fonts installed (a CI
//! runner, a locked-down council laptop), so DejaVu Sans ships inside the
//! binary (`assets/DejaVuSans.ttf`, licence beside it) and is registered
//! with plotters' ab_glyph backend under the family name [`FAMILY`]. All
//! registration lives here because upstream plans to replace
//! `register_font`.

use std::sync::Once;

use plotters::style::FontStyle;

/// Family name to use in every `TextStyle`/`("sans-serif", size)`.
pub const FAMILY: &str = "sans-serif";

static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Register the embedded font (idempotent, thread-safe). Call before drawing.
pub fn ensure_registered() {
    REGISTER.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            plotters::style::register_font(FAMILY, style, FONT)
                .unwrap_or_else(|_| panic!("the embedded DejaVu Sans is a valid font"));
        }
    });
}

#[cfg(test)]
mod tests {
    use plotters::prelude::*;

    #[test]
    fn renders_text_without_system_fonts() {
        super::ensure_registered();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (200, 50)).into_drawing_area();
            root.fill(&WHITE).unwrap();
            root.draw_text(
                "Plejefamilie 470.000",
                &(super::FAMILY, 14).into_font().color(&BLACK),
                (5, 5),
            )
            .unwrap();
            root.present().unwrap();
        }
        assert!(svg.contains("Plejefamilie"));
    }
}
