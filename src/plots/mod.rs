//! Plots of results (PNG and SVG) with plotters, rendered with an embedded
//! font so they work on machines without any installed fonts.

pub mod font;
