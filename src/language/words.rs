//! The phrases of one language, one field per phrase, grouped by where they
//! are shown. A phrase with values in it is a function of those values
//! (already written as numbers and dates of the language), so word order
//! can differ between languages. Adding a phrase means adding a field here
//! and a value in `english.rs` and `danish.rs`; the compiler then refuses a
//! language that lacks it.

/// Every phrase of one language.
#[derive(Debug)]
pub struct Words {
    /// Periods, months, "per".
    pub calendar: CalendarWords,
    /// Headline metrics and the terminal tables.
    pub headline: HeadlineWords,
    /// Totals per calendar year and whole run, break-even, savings.
    pub totals: TotalsWords,
    /// Unmet need beside cost, and the paired answers' outcomes.
    pub welfare: WelfareWords,
    /// The report's frame: sections, leads, facts, methods.
    pub report: ReportWords,
    /// A scenario in words (report), and parameter names.
    pub scenario: ScenarioWords,
    /// Plot titles, axes, legends and captions.
    pub figures: FigureWords,
    /// The paired answers in sentences and their histogram.
    pub paired: PairedWords,
    /// `trappe check`: a scenario described for its author.
    pub check: CheckWords,
    /// The report's table of moves between places.
    pub moves: MovesWords,
    /// Placement capacity: waiting lists, diverted placements, the cost of
    /// waiting.
    pub capacity: CapacityWords,
    /// The fit report.
    pub fit: FitWords,
}

/// Placement capacity in headlines and figures.
#[derive(Debug)]
pub struct CapacityWords {
    /// Headline: (rung) → child-years waiting for it.
    pub waiting_for: fn(&str) -> String,
    /// Headline: (rung) → decisions diverted because it was full.
    pub diverted: fn(&str) -> String,
    /// Headline: the cost of waiting, before its unit.
    pub waiting_cost: &'static str,
    /// Title of the waiting-list figure.
    pub waiting_title: &'static str,
    /// Its y axis.
    pub children_waiting: &'static str,
    /// Caption of the waiting-list figure.
    pub waiting_caption: &'static str,
    /// Title of the diverted-placements figure.
    pub diverted_title: &'static str,
    /// Its y axis: (per period).
    pub diverted_axis: fn(&str) -> String,
    /// Caption of the diverted-placements figure.
    pub diverted_caption: &'static str,
    /// Title of the cost-of-waiting difference: (period name, currency).
    pub waiting_cost_difference_title: fn(&str, &str) -> String,
}

/// The report's table of moves between places (from → to).
#[derive(Debug)]
pub struct MovesWords {
    /// Heading of the table (a comparison adds the scenario's name).
    pub heading: &'static str,
    /// Caption: (years of the whole run).
    pub caption: fn(&str) -> String,
    /// The corner cell: rows are where moves start, columns where they lead.
    pub from_to: &'static str,
    /// The row of moves out of assessment.
    pub under_assessment: &'static str,
    /// The column of closures.
    pub closed: &'static str,
    /// The column of ageing out.
    pub aged_out: &'static str,
    /// The note below the table.
    pub note: &'static str,
    /// Before the destination tables of a scenario.
    pub where_moves_go: &'static str,
    /// `closed` as a destination.
    pub closed_destination: &'static str,
    /// The three tables' subjects: a move down, a detected need for more,
    /// a crisis.
    pub kinds: [&'static str; 3],
    /// A crisis to the own rung: (rung, share).
    pub stays: fn(&str, &str) -> String,
    /// Before the other destinations: (destinations joined).
    pub goes_to: fn(&str) -> String,
}

/// `trappe check`: a scenario described for its author.
#[derive(Debug)]
pub struct CheckWords {
    /// "Scenario" before the name.
    pub scenario: &'static str,
    /// The settings line: (start, horizon years, period name, warm-up
    /// years, replications, seed).
    pub settings: fn(&str, &str, &str, &str, u64, u64) -> String,
    /// Heading of the ladder.
    pub ladder: &'static str,
    /// Column headers: rung, placement, cost a year (`{cur}`), points,
    /// hours a month, follow-up, limit, hazards.
    pub columns: [&'static str; 8],
    /// A follow-up schedule: (first weeks, every weeks, hours).
    pub follow_up: fn(&str, &str, &str) -> String,
    /// A time limit: (years).
    pub limit: fn(&str) -> String,
    /// Detection and on-time window: (probability, weeks).
    pub detection: fn(&str, &str) -> String,
    /// The intake line: (referrals, hours, weeks, youngest, oldest).
    pub intake: fn(&str, &str, &str, &str, &str) -> String,
    /// Before the entry shares.
    pub entry: &'static str,
    /// Before the `[initial]` counts.
    pub initial: &'static str,
    /// No workforce.
    pub no_workforce: &'static str,
    /// The workforce line: (caseworkers, hours a week, share, hours each,
    /// salary, currency).
    pub workforce: fn(&str, &str, &str, &str, &str, &str) -> String,
    /// The caseload of `[initial]`: (cases, points, hours).
    pub initial_caseload: fn(&str, &str, &str) -> String,
    /// The costs line: (fixed, per breakdown, currency, discount rate).
    pub costs: fn(&str, &str, &str, &str) -> String,
    /// Heading of the changes.
    pub changes: &'static str,
    /// The caseload after all changes: (cases, points, hours).
    pub after_changes: fn(&str, &str, &str) -> String,
    /// The files a scenario was resolved from: (chain joined, whether
    /// `--resolved` was given).
    pub resolved_from: fn(&str, bool) -> String,
    /// Between the files of the chain.
    pub which_extends: &'static str,
    /// Heading of `--resolved`.
    pub resolved_heading: &'static str,
    /// The last line: (file).
    pub valid: fn(&str) -> String,
    /// After entry shares given one per age band.
    pub by_age_band: &'static str,
    /// The age bands line: (band labels joined).
    pub age_bands: fn(&str) -> String,
    /// Referral ages by band: (shares joined).
    pub age_weights: fn(&str) -> String,
    /// A case-list start state: (file, cases, age span).
    pub case_list: fn(&str, usize, &str) -> String,
}

/// Periods, months, "per".
#[derive(Debug)]
pub struct CalendarWords {
    /// A year as a reporting period.
    pub year: &'static str,
    /// A quarter as a reporting period.
    pub quarter: &'static str,
    /// A month as a reporting period.
    pub month: &'static str,
    /// "per" before a period ("per quarter").
    pub per: &'static str,
    /// Months abbreviated, January first.
    pub months_short: [&'static str; 12],
    /// Months in full, January first.
    pub months_long: [&'static str; 12],
    /// The period axis of a chart, from the period's name ("quarter").
    pub period_axis: fn(&str) -> String,
}

/// Headline metrics and the terminal tables.
#[derive(Debug)]
pub struct HeadlineWords {
    /// Percentage points, after a difference of shares.
    pub percentage_points: &'static str,
    /// Total cost, before its unit.
    pub total_cost: &'static str,
    /// Placed child-years, before its unit.
    pub placed_child_years: &'static str,
    /// The top placement rung's share, from the rung's name.
    pub top_share: fn(&str) -> String,
    /// Placement breakdowns, before its unit.
    pub breakdowns: &'static str,
    /// "replications" after a count.
    pub replications: &'static str,
    /// "mean [95 % CI]" as a column header.
    pub mean_ci: &'static str,
    /// The period column.
    pub period: &'static str,
    /// The first line of a comparison table: (replications, seed).
    pub compare_lead: fn(usize, u64) -> String,
    /// "Base" before the base scenario's name.
    pub base_role: &'static str,
    /// "Alternative" before an alternative's name.
    pub alternative_role: &'static str,
    /// The base column.
    pub base: &'static str,
    /// The alternative column.
    pub alternative: &'static str,
    /// The difference column.
    pub difference_ci: &'static str,
    /// Heading of the paired answers.
    pub paired_answers: &'static str,
    /// Before the results folder.
    pub results_in: &'static str,
    /// Before the report's path.
    pub report_at: &'static str,
    /// Where replication 0's case records went (`--records`): (folder,
    /// extract date).
    pub records_in: fn(&str, &str) -> String,
}

/// Totals per calendar year and whole run.
#[derive(Debug)]
pub struct TotalsWords {
    /// Heading of the totals of a run.
    pub run_heading: &'static str,
    /// Heading of the totals of a comparison.
    pub compare_heading: &'static str,
    /// The whole run, as a row label.
    pub whole_run: &'static str,
    /// Column header of spans.
    pub span: &'static str,
    /// "period" before a period number.
    pub period: &'static str,
    /// The probability of savings, before its value.
    pub probability_of_savings: &'static str,
    /// Break-even, before the period.
    pub break_even: &'static str,
    /// No break-even within the run.
    pub no_break_even: &'static str,
    /// The break-even is the first period.
    pub from_the_start: &'static str,
    /// The report's "At a glance" lead for a run.
    pub run_glance: &'static str,
    /// The report's "At a glance" lead for an alternative (after its name).
    pub compare_glance: &'static str,
    /// Label of the probability-of-savings fact.
    pub savings_fact: &'static str,
    /// Label of the break-even fact.
    pub break_even_fact: &'static str,
    /// Under the break-even fact.
    pub break_even_note: &'static str,
    /// Note on the share and the interval of a probability.
    pub probability_note: &'static str,
}

/// Unmet need beside cost, and the paired answers' outcomes.
#[derive(Debug)]
pub struct WelfareWords {
    /// Unmet need (all rungs), before its unit.
    pub unmet_need: &'static str,
    /// The unit of child-years.
    pub child_years: &'static str,
    /// Paired answer: the alternative costs less.
    pub saves_money: &'static str,
    /// Paired answer: less time in `needs_more`.
    pub reduces_unmet_need: &'static str,
    /// Paired answer: fewer breakdowns.
    pub reduces_breakdowns: &'static str,
    /// Paired answer: fewer crises.
    pub reduces_crises: &'static str,
    /// Paired answer: fewer placed child-years.
    pub reduces_placed: &'static str,
    /// The cost-versus-unmet-need view, before its four shares.
    pub cost_and_need: &'static str,
    /// Quadrant: cheaper and less unmet need.
    pub cheaper_less_need: &'static str,
    /// Quadrant: cheaper, unmet need not reduced.
    pub cheaper_more_need: &'static str,
    /// Quadrant: not cheaper, unmet need reduced.
    pub dearer_less_need: &'static str,
    /// Quadrant: better on neither.
    pub dearer_more_need: &'static str,
    /// "in" before a share.
    pub in_: &'static str,
}

/// The report's frame.
#[derive(Debug)]
pub struct ReportWords {
    /// Kicker of a run's report.
    pub run_kicker: &'static str,
    /// Lead of a run's report: (replications).
    pub run_lead: fn(usize) -> String,
    /// Page title of a run's report: (scenario name).
    pub run_page_title: fn(&str) -> String,
    /// Kicker of a comparison's report.
    pub compare_kicker: &'static str,
    /// Lead of a comparison's report: (base name, replications).
    pub compare_lead: fn(&str, usize) -> String,
    /// Title for several alternatives: (count).
    pub scenarios_compared: fn(usize) -> String,
    /// Page title of a comparison: (title, base name).
    pub compare_page_title: fn(&str, &str) -> String,
    /// The table of contents, in [`crate::report::SECTIONS`] order.
    pub toc: [&'static str; 5],
    /// Section "At a glance".
    pub at_a_glance: &'static str,
    /// Section "The scenario in words".
    pub scenario_in_words: &'static str,
    /// Section "The scenarios in words".
    pub scenarios_in_words: &'static str,
    /// Section "Headline results".
    pub headline_results: &'static str,
    /// Section "Figures".
    pub figures: &'static str,
    /// Section "Methods".
    pub methods: &'static str,
    /// Lead of a run's headline table.
    pub run_headline_lead: &'static str,
    /// Lead of a comparison's headline tables.
    pub compare_headline_lead: &'static str,
    /// The period column.
    pub period: &'static str,
    /// The base scenario.
    pub base: &'static str,
    /// An alternative scenario.
    pub alternative: &'static str,
    /// A difference column.
    pub difference: &'static str,
    /// "CI" after "95 %".
    pub ci: &'static str,
    /// The paired answers' heading (HTML).
    pub paired_answers: &'static str,
    /// The histogram's accessible label.
    pub histogram_label: &'static str,
    /// Heading of the differing parameters: (alternative's name).
    pub what_differs: fn(&str) -> String,
    /// No parameter differs.
    pub nothing_differs: &'static str,
    /// The parameter column of the differences.
    pub parameter_at_end: &'static str,
    /// "At a glance" of a run without totals: (replications, period name,
    /// period range).
    pub last_period_lead: fn(usize, &str, &str) -> String,
    /// "At a glance" of an alternative without totals, after its name:
    /// (period name, period range).
    pub last_period_difference_lead: fn(&str, &str) -> String,
    /// The warm-up in the methods: (years).
    pub methods_warmup: fn(&str) -> String,
    /// The model paragraph (HTML): (replications, seed, warm-up words).
    pub methods_model: fn(usize, u64, &str) -> String,
    /// The uncertainty paragraph (HTML).
    pub methods_uncertainty: &'static str,
    /// The common-random-numbers paragraph (HTML).
    pub methods_common_random_numbers: &'static str,
    /// The paired against independent interval: (paired half-width,
    /// independent half-width, ratio).
    pub methods_ratio: fn(&str, &str, &str) -> String,
    /// The caveats paragraph (HTML).
    pub methods_caveats: &'static str,
    /// The footer (HTML): (trappe's version).
    pub footer: fn(&str) -> String,
}

/// A scenario in words, and parameter names.
#[derive(Debug)]
pub struct ScenarioWords {
    /// The warm-up clause: (years).
    pub warmup: fn(&str) -> String,
    /// The discount clause: (percent a year).
    pub discounted: fn(&str) -> String,
    /// No discounting.
    pub undiscounted: &'static str,
    /// The first sentence: (start date, horizon years, warm-up clause,
    /// "per quarter", currency, discount clause).
    pub simulated_from: fn(&str, &str, &str, &str, &str, &str) -> String,
    /// Header of the `[initial]` column with a warm-up.
    pub cases_when_warmup_begins: &'static str,
    /// Header of the `[initial]` column without a warm-up.
    pub cases_at_start: &'static str,
    /// Header of the simulated cases at `start` (after a warm-up).
    pub cases_at_start_simulated: &'static str,
    /// Cases under assessment at `start` as simulated: (mean count).
    pub under_assessment_simulated: fn(&str) -> String,
    /// The ladder table's other column headers (`{cur}` is the currency).
    pub ladder_columns: [&'static str; 7],
    /// No value (no follow-up, no limit).
    pub none: &'static str,
    /// A number of years: (years, whether exactly one).
    pub years: fn(&str, bool) -> String,
    /// Yes.
    pub yes: &'static str,
    /// No.
    pub no: &'static str,
    /// Note on values that change during the run (HTML).
    pub changes_note: &'static str,
    /// Cases under assessment in `[initial]`: (count, with a warm-up).
    pub under_assessment: fn(u32, bool) -> String,
    /// The follow-up paragraph (HTML): (detection, on-time weeks, hours).
    pub follow_up_policy: fn(&str, &str, &str) -> String,
    /// Entry to no measure after assessment.
    pub no_measure: &'static str,
    /// The intake paragraph (HTML): (referrals a year, assessment hours,
    /// minimum weeks, entry sentence).
    pub intake: fn(&str, &str, &str, &str) -> String,
    /// Before the entry shares.
    pub after_assessment: &'static str,
    /// No workforce (HTML).
    pub no_workforce: &'static str,
    /// The workforce sentence (HTML): (caseworkers, hours a week, percent
    /// on case work, case-work hours, salary, currency).
    pub workforce: fn(&str, &str, &str, &str, &str, &str) -> String,
    /// The implied caseload (HTML): (cases, points, hours a week).
    pub implied_caseload: fn(&str, &str, &str) -> String,
    /// Other costs (HTML): (fixed a year, per breakdown, currency).
    pub other_costs: fn(&str, &str, &str) -> String,
    /// Heading of the changes.
    pub changes_heading: &'static str,
    /// One change: (date, years after start, what is set).
    pub change_from: fn(&str, &str, &str) -> String,
    /// Follow-up hours on a rung: (hours, rung).
    pub hours_on: fn(&str, &str) -> String,
    /// No rung is followed up.
    pub no_follow_up_time: &'static str,
    /// `[initial]` counts in the differences table.
    pub initial_cases: &'static str,
    /// `intake.entry.RUNG` in words: (rung).
    pub share_entering: fn(&str) -> String,
    /// Parameter keys (after `steps.RUNG.`) in words.
    pub parameters: &'static [(&'static str, &'static str)],
}

/// Plot titles, axes, legends and captions.
#[derive(Debug)]
pub struct FigureWords {
    /// Budget title: (period name).
    pub budget_title: fn(&str) -> String,
    /// Subtitle of the budget: (scenario, replications).
    pub budget_subtitle: fn(&str, usize) -> String,
    /// Subtitle of a run's figures: (scenario, replications).
    pub run_subtitle: fn(&str, usize) -> String,
    /// Caseworker salaries in the budget.
    pub workforce_cost: &'static str,
    /// Fixed costs in the budget.
    pub fixed_cost: &'static str,
    /// Breakdown costs in the budget.
    pub breakdown_cost: &'static str,
    /// No costs at all.
    pub no_costs: &'static str,
    /// An amount per period on an axis: (currency, "per quarter").
    pub money_per_period: fn(&str, &str) -> String,
    /// The total's whisker in the legend.
    pub total_band: &'static str,
    /// Placement-mix title.
    pub placement_mix_title: &'static str,
    /// No placement rungs.
    pub no_placements: &'static str,
    /// Placement-mix axis.
    pub placement_share_axis: &'static str,
    /// Unmet-need title.
    pub unmet_need_title: &'static str,
    /// Cases under assessment.
    pub under_assessment: &'static str,
    /// Cases-by-rung axis: (period name).
    pub children_axis: fn(&str) -> String,
    /// Cases-by-rung title.
    pub cases_by_rung_title: &'static str,
    /// All rungs together.
    pub all_rungs: &'static str,
    /// Child-years per period axis: ("per quarter").
    pub child_years_axis: fn(&str) -> String,
    /// Follow-up title.
    pub follow_up_title: &'static str,
    /// Follow-up delay panel.
    pub delay_panel: &'static str,
    /// Follow-up delay axis.
    pub delay_axis: &'static str,
    /// Caseload panel.
    pub caseload_panel: &'static str,
    /// Caseload axis.
    pub caseload_axis: &'static str,
    /// No workforce.
    pub no_caseload: &'static str,
    /// A line with its band.
    pub mean_band: &'static str,
    /// Captions of the run figures: budget, unmet need, placement mix,
    /// cases by rung, follow-up.
    pub run_captions: [&'static str; 5],
    /// Levels title: (top rung).
    pub levels_title: fn(&str) -> String,
    /// Levels subtitle: (period name, replications).
    pub levels_subtitle: fn(&str, usize) -> String,
    /// Cost difference title: (period name).
    pub cost_difference_title: fn(&str) -> String,
    /// Cumulative cost difference title.
    pub cumulative_title: &'static str,
    /// Share difference title: (top rung).
    pub share_difference_title: fn(&str) -> String,
    /// Unmet-need difference title: (period name).
    pub unmet_need_difference_title: fn(&str) -> String,
    /// The base in a legend: (name).
    pub base_legend: fn(&str) -> String,
    /// Total cost panel.
    pub total_cost: &'static str,
    /// Top-rung share panel: (top rung).
    pub top_share: fn(&str) -> String,
    /// Share axis.
    pub share_axis: &'static str,
    /// Differences subtitle: (replications).
    pub differences_subtitle: fn(usize) -> String,
    /// An alternative in a legend: (alternative, base).
    pub minus_base: fn(&str, &str) -> String,
    /// Child-years axis.
    pub child_years: &'static str,
    /// Percentage-points axis.
    pub percentage_points: &'static str,
    /// Break-even in a legend: (period label).
    pub break_even_at: fn(&str) -> String,
    /// No break-even in a legend.
    pub no_break_even: &'static str,
    /// Cumulative subtitle: (period name, replications).
    pub cumulative_subtitle: fn(&str, usize) -> String,
    /// Cumulative axis: (currency).
    pub cumulative_axis: fn(&str) -> String,
    /// Captions: levels, cumulative, differences.
    pub compare_captions: [&'static str; 3],
    /// Histogram title.
    pub histogram_title: &'static str,
    /// Histogram x axis: (currency).
    pub histogram_axis: fn(&str) -> String,
    /// Histogram y axis.
    pub replications_axis: &'static str,
}

/// The paired answers in sentences.
#[derive(Debug)]
pub struct PairedWords {
    /// Futures with drawn parameters.
    pub plausible_futures: &'static str,
    /// Futures by chance alone.
    pub chance_alone: &'static str,
    /// The whole-run sentence: (name, better, share, replications, futures,
    /// mean difference, currency, half-width).
    pub whole_run: fn(&str, &str, &str, usize, &str, &str, &str, &str) -> String,
    /// Another outcome: (better, share, mean).
    pub other_outcome: fn(&str, &str, &str) -> String,
    /// "period K: share".
    pub period_share: fn(usize, &str) -> String,
    /// Before the shares by period.
    pub by_period: &'static str,
    /// The histogram's legend: (share, replications).
    pub histogram_summary: fn(&str, usize) -> String,
    /// The histogram's subtitle: (with drawn parameters).
    pub histogram_subtitle: fn(bool) -> String,
}

/// The fit report (`report.html` of `trappe fit`): the verdict in plain
/// words, the figures, the parameter table and the methods.
#[derive(Debug)]
pub struct FitWords {
    /// Above the title.
    pub kicker: &'static str,
    /// The page title (the title is the fitted scenario's name).
    pub page_title: fn(&str) -> String,
    /// Under the title: (quantities compared, parameters fitted by
    /// simulation, values set from the records).
    pub lead: fn(usize, usize, usize) -> String,
    /// Section headings: verdict, figures, parameters, methods.
    pub toc: [&'static str; 4],
    /// Every fitted quantity fits: (how many).
    pub all_fit: fn(usize) -> String,
    /// Some fit: (how many fit, how many fitted).
    pub some_fit: fn(usize, usize) -> String,
    /// No quantity was fitted by simulation.
    pub none_fitted: &'static str,
    /// The checks: (compared, within 2 SE).
    pub checks: fn(usize, usize) -> String,
    /// Before the list of the worst misses: (how many shown, how many miss).
    pub worst_misses: fn(usize, usize) -> String,
    /// One miss: (what, observed with unit, fitted, distance in SE).
    pub miss: fn(&str, &str, &str, &str) -> String,
    /// A parameter the records cannot pin down: (its name, policy value,
    /// fitted value, whether the fitted scenario keeps the policy's).
    pub not_identified: fn(&str, &str, &str, bool) -> String,
    /// Everything the records pin down.
    pub all_identified: &'static str,
    /// Values kept from the policy: (their names).
    pub kept: fn(&str) -> String,
    /// A case under assessment, as a place.
    pub assessment: &'static str,
    /// The case closed, as a destination.
    pub closed: &'static str,
    /// The child aged out, as a destination.
    pub aged_out: &'static str,
    /// No place after assessment, as an entry destination.
    pub no_place: &'static str,
    /// The band `all`.
    pub all_ages: &'static str,
    /// An age band: (from, to years).
    pub ages: fn(&str, &str) -> String,
    /// `referrals_per_year`.
    pub referrals: &'static str,
    /// `age_weight`: (band).
    pub age_weight: fn(&str) -> String,
    /// `entry_share`: (place entered, band).
    pub entry_share: fn(&str, &str) -> String,
    /// `follow_up_weeks`: (place).
    pub follow_up_weeks: fn(&str) -> String,
    /// `first_follow_up_weeks`: (place).
    pub first_follow_up_weeks: fn(&str) -> String,
    /// The unit of a rate.
    pub per_year: &'static str,
    /// The unit of a cadence.
    pub weeks: &'static str,
    /// The parameter table's columns.
    pub parameter_columns: [&'static str; 5],
    /// The SE cell of a value the records do not pin down.
    pub not_identified_cell: &'static str,
    /// The SE cell of a value kept from the policy.
    pub kept_cell: &'static str,
    /// Intensity figure: title.
    pub intensity_title: &'static str,
    /// Intensity figure: subtitle.
    pub intensity_subtitle: &'static str,
    /// Intensity figure: y axis.
    pub intensity_axis: &'static str,
    /// Intensity figure: a panel's heading (the band in words).
    pub panel: fn(&str) -> String,
    /// Legend: the observed value and its 95 % interval.
    pub observed_legend: &'static str,
    /// Legend: the fitted value.
    pub fitted_legend: &'static str,
    /// Legend: moves from a place, (place).
    pub from_legend: fn(&str) -> String,
    /// Intensity figure: caption.
    pub intensity_caption: &'static str,
    /// Distance figure: title.
    pub distance_title: &'static str,
    /// Distance figure: subtitle.
    pub distance_subtitle: &'static str,
    /// Distance figure: y axis.
    pub distance_axis: &'static str,
    /// Legend: fits.
    pub fits_legend: &'static str,
    /// Legend: misses.
    pub misses_legend: &'static str,
    /// Legend: compared, not fitted.
    pub check_legend: &'static str,
    /// Legend: the ±2 SE band.
    pub band_legend: &'static str,
    /// Distance figure: caption.
    pub distance_caption: &'static str,
    /// Methods: what was set directly, fitted by simulation and kept
    /// (HTML): (set, fitted, kept; each a list or the word for none).
    pub methods_values: fn(&str, &str, &str) -> String,
    /// Methods: how distances are computed (HTML).
    pub methods_distance: &'static str,
    /// Methods: what the fit does not show (HTML).
    pub methods_caveat: &'static str,
    /// An empty list.
    pub nothing: &'static str,
    /// The footer (HTML): (trappe's version).
    pub footer: fn(&str) -> String,
}
