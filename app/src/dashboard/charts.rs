//! Charts drawn on the server as SVG (charts-rs): visible without JavaScript and in print, and
//! scaled to the screen by CSS. Every chart sits beside a table with the same numbers.
use charts_rs::{HorizontalBarChart, LineChart, PieChart, Series};

const WIDTH: f32 = 360.0;
const FONT: &str = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif";
/// Slice and series colours, in order (tables show the same swatches).
pub const COLOURS: [&str; 8] = [
    "#b71c1c", "#e57373", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f", "#757575",
];

/// Charts drawn before, by what they show. Drawing is a pure function of the figures, and
/// takes longer than the rest of a dashboard page (README); the same figures are asked for again
/// by everyone who opens the same dashboard until something below it changes.
fn drawn(what: String, draw: impl FnOnce() -> String) -> String {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};
    /// Past this many charts the memory starts again (a chart is a few KB).
    const KEPT: usize = 512;
    static DRAWN: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Mutex::default);
    let lock = || DRAWN.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(svg) = lock().get(&what) {
        return svg.clone();
    }
    let svg = draw();
    let mut drawn = lock();
    if drawn.len() >= KEPT {
        drawn.clear();
    }
    drawn.insert(what, svg.clone());
    svg
}

fn colours() -> Vec<charts_rs::Color> {
    COLOURS.iter().map(|c| (*c).into()).collect()
}

/// A donut of parts of a whole (no labels on the ring: the table beside names each colour).
pub fn donut(parts: &[(String, f64)]) -> String {
    drawn(format!("donut {parts:?}"), || draw_donut(parts))
}

fn draw_donut(parts: &[(String, f64)]) -> String {
    let series = parts
        .iter()
        .map(|(name, n)| Series::new(name.clone(), vec![*n as f32]))
        .collect();
    let mut chart = PieChart::new(series);
    chart.width = WIDTH;
    chart.height = 300.0;
    chart.inner_radius = 50.0;
    chart.radius = 90.0;
    chart.min_show_label_angle = 361.0;
    chart.font_family = FONT.into();
    chart.series.colors = colours();
    chart.svg().unwrap_or_default()
}

/// One line over the months (the heading names it: the embedded font cannot measure CJK text,
/// so charts carry no legend).
pub fn trend(name: &str, months: &[String], values: &[f64]) -> String {
    drawn(format!("trend {name:?} {months:?} {values:?}"), || {
        draw_trend(name, months, values)
    })
}

fn draw_trend(name: &str, months: &[String], values: &[f64]) -> String {
    let series = vec![Series::new(
        name.to_owned(),
        values.iter().map(|v| *v as f32).collect(),
    )];
    let mut chart = LineChart::new(series, months.to_vec());
    chart.width = WIDTH;
    chart.height = 220.0;
    chart.font_family = FONT.into();
    chart.legend.show = Some(false);
    chart.series.colors = colours();
    chart.svg().unwrap_or_default()
}

/// A bar label: short names whole, long ones cut (the table beside has them in full).
fn short(name: &str) -> String {
    const MAX: usize = 7;
    match name.chars().count() {
        n if n <= MAX => name.to_owned(),
        _ => name.chars().take(MAX - 1).chain(['…']).collect(),
    }
}

/// One bar per name, longest first as given.
pub fn bars(name: &str, names: &[String], values: &[f64]) -> String {
    drawn(format!("bars {name:?} {names:?} {values:?}"), || {
        draw_bars(name, names, values)
    })
}

fn draw_bars(name: &str, names: &[String], values: &[f64]) -> String {
    let series = vec![Series::new(
        name.to_owned(),
        values.iter().map(|v| *v as f32).collect(),
    )];
    let labels: Vec<String> = names.iter().map(|n| short(n)).collect();
    // Room for the labels: CJK characters are about one em wide.
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f32;
    let mut chart = HorizontalBarChart::new(series, labels);
    chart.width = WIDTH;
    chart.height = 40.0 + 28.0 * names.len().max(1) as f32;
    chart.font_family = FONT.into();
    chart.legend.show = Some(false);
    chart.series.colors = colours();
    if let Some(axis) = chart.y_axis_configs.first_mut() {
        axis.font.size = 12.0;
        axis.width = Some(longest * 13.0 + 12.0);
    }
    chart.svg().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_a_chart_is_escaped() {
        let svg = bars("活动", &["<i>社区".to_owned()], &[3.0]);
        assert!(svg.starts_with("<svg") && !svg.contains("<i>"));
        assert!(svg.contains("&lt;i&gt;社区"));
    }

    #[test]
    fn a_chart_drawn_again_is_the_same_and_other_figures_draw_another() {
        let months = ["2026-10".to_owned(), "2026-11".to_owned()];
        let first = trend("活动", &months, &[1.0, 2.0]);
        assert_eq!(first, draw_trend("活动", &months, &[1.0, 2.0]));
        assert_eq!(trend("活动", &months, &[1.0, 2.0]), first);
        let other = trend("活动", &months, &[1.0, 3.0]);
        assert_ne!(other, first);
        assert_eq!(other, draw_trend("活动", &months, &[1.0, 3.0]));
    }

    #[test]
    fn long_names_are_cut_for_the_axis() {
        assert_eq!(short("长江路社区"), "长江路社区");
        assert_eq!(short("长江路省级电脑科技商品经营开发区"), "长江路省级电…");
    }
}
