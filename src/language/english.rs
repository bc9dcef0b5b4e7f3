//! English: every phrase of [`Words`] as trappe has always written it.

use super::capitalise;
use super::words::*;

/// The English words.
pub const WORDS: Words = Words {
    calendar: CalendarWords {
        year: "year",
        quarter: "quarter",
        month: "month",
        per: "per",
        months_short: [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ],
        months_long: [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        period_axis: |period| format!("{} starting", capitalise(period)),
    },
    headline: HeadlineWords {
        percentage_points: "pp",
        total_cost: "Total cost",
        placed_child_years: "Placed child-years",
        top_share: |rung| format!("{} share of placed child-years", capitalise(rung)),
        breakdowns: "Placement breakdowns",
        replications: "replications",
        mean_ci: "mean [95 % CI]",
        period: "period",
        compare_lead: |replications, seed| {
            format!(
                "{replications} replications per scenario, seed {seed}, common random numbers; difference = alternative − base, mean [95 % CI] of the paired differences"
            )
        },
        base_role: "Base",
        alternative_role: "Alternative",
        base: "base",
        alternative: "alternative",
        difference_ci: "difference [95 % CI]",
        paired_answers: "Paired answers",
        results_in: "Results in",
        report_at: "Report",
        records_in: |dir, extract| {
            format!("Case records of replication 0 in {dir} (extract date {extract})")
        },
    },
    totals: TotalsWords {
        run_heading: "Totals per calendar year and for the whole run: mean [95 % CI] of each replication's sum",
        compare_heading: "Totals per calendar year and for the whole run: difference = alternative − base, mean [95 % CI] of the paired per-replication sums",
        whole_run: "Whole run",
        span: "year",
        period: "period",
        probability_of_savings: "Probability the alternative costs less over the whole run",
        break_even: "Break-even (cumulative total cost difference ≤ 0 from then on)",
        no_break_even: "not within the run",
        from_the_start: "from the first period",
        run_glance: "Totals per calendar year and for the whole run: the mean over replications of each replication's sum, with its 95 % confidence interval. Shares are over the span's placed child-years.",
        compare_glance: "minus the base, totalled per calendar year and over the whole run: the mean of the paired per-replication differences with its 95 % confidence interval.",
        savings_fact: "Probability of lower total cost over the whole run",
        break_even_fact: "Break-even period",
        break_even_note: "cumulative total cost difference ≤ 0 from then on",
        probability_note: "share of replications with a negative paired difference, Wilson 95 % interval",
    },
    welfare: WelfareWords {
        unmet_need: "Unmet need, all rungs",
        child_years: "child-years",
        saves_money: "saves money",
        reduces_unmet_need: "reduces unmet need",
        reduces_breakdowns: "reduces breakdowns",
        reduces_crises: "reduces crises (unmet need turning acute)",
        reduces_placed: "reduces placed child-years",
        cost_and_need: "Cost and unmet need together, whole run",
        cheaper_less_need: "cheaper with less unmet need",
        cheaper_more_need: "cheaper, unmet need not reduced",
        dearer_less_need: "not cheaper, unmet need reduced",
        dearer_more_need: "better on neither",
        in_: "in",
    },
    report: ReportWords {
        run_kicker: "Simulation report",
        run_lead: |replications| {
            format!("Projected costs and placements of one scenario, {replications} replications.")
        },
        run_page_title: |name| format!("{name} — trappe report"),
        compare_kicker: "Scenario comparison",
        compare_lead: |base, replications| {
            format!(
                "Compared with the base: {base}. {replications} replications per scenario on common random numbers: every difference is measured replication by replication."
            )
        },
        scenarios_compared: |n| format!("{n} scenarios compared"),
        compare_page_title: |title, base| format!("{title} vs {base} — trappe report"),
        toc: [
            "At a glance",
            "Scenarios",
            "Headline results",
            "Figures",
            "Methods",
        ],
        at_a_glance: "At a glance",
        scenario_in_words: "The scenario in words",
        scenarios_in_words: "The scenarios in words",
        headline_results: "Headline results",
        figures: "Figures",
        methods: "Methods",
        run_headline_lead: "Per period: mean over replications, with the 95 % confidence interval of the mean below it.",
        compare_headline_lead: "Per period: each scenario's mean over replications and the mean paired difference (alternative − base) with its 95 % confidence interval. Differences whose interval includes zero are shown in grey.",
        period: "Period",
        base: "Base",
        alternative: "Alternative",
        difference: "Difference",
        ci: "CI",
        paired_answers: "<strong>Paired answers</strong> (replication by replication, on the same random numbers and drawn parameters):",
        histogram_label: "Whole-run cost difference from the base",
        what_differs: |name| format!("What differs: {name} vs the base"),
        nothing_differs: "No parameter differs: the two scenarios are the same model, so every difference below is exactly zero.",
        parameter_at_end: "Parameter (in force at the end of the run)",
        last_period_lead: |replications, period, range| {
            format!(
                "Means over {replications} replications in the last reported {period} ({range}), with 95 % confidence intervals."
            )
        },
        last_period_difference_lead: |period, range| {
            format!(
                "minus the base, in the last reported {period} ({range}): mean difference with its 95 % confidence interval."
            )
        },
        methods_warmup: |years| format!(", each after a {years}-year warm-up that is not reported"),
        methods_model: |replications, seed, warmup| {
            format!(
                "trappe is a stochastic discrete-event simulation of the intervention ladder: each child has a hidden need state that changes at random; follow-ups by caseworkers detect it and move the child down or up the ladder; overloaded caseworkers follow up late. One <em>replication</em> is one possible future. Each scenario was simulated <strong>{replications}</strong> times with root seed <strong>{seed}</strong>{warmup}. Costs and child-years are measured per period; a child-year is one child on a measure for a whole year."
            )
        },
        methods_uncertainty: "<strong>Uncertainty.</strong> Tables give the mean over replications with a 95 % confidence interval for the mean (Student t: mean ± t<sub>0.975, n−1</sub> · sd / √n). Shaded bands and whiskers labelled 90 % show where 90 % of replications fall (5th to 95th percentile, linear interpolation): the spread of possible futures, not the uncertainty of the mean.",
        methods_common_random_numbers: "<strong>Common random numbers.</strong> All scenarios use the same seed and replications, and replication <em>i</em> of every scenario draws from the same random streams, stream by stream for each kind of random draw (referral arrivals; each child's need dynamics; each child's age, entry rung and detection at follow-ups). The same children therefore arrive at the same times with the same luck, and identical parameters give identical paths. Differences are computed replication by replication (alternative − base) and summarised like any metric: the mean difference with a paired Student-t 95 % confidence interval.",
        methods_ratio: |paired, independent, ratio| {
            format!(
                " Here, for total cost in the last period, the paired interval is ±{paired}; independent runs with the same spread would give about ±{independent}, {ratio} times wider."
            )
        },
        methods_caveats: "<strong>Caveats.</strong> Results are only as good as the scenario's parameters; hazards of the hidden need state are assumptions to be calibrated. Compare changes and shares rather than absolute levels unless unit costs match the municipality's own accounts.",
        footer: |version| {
            format!(
                "Generated by trappe {version} from the results in this folder (<code>summary.csv</code> and <code>scenario.toml</code>; <code>compare.csv</code> for comparisons). Redraw with <code>trappe report DIR</code>."
            )
        },
    },
    scenario: ScenarioWords {
        warmup: |years| {
            format!(
                ", after a {years}-year warm-up that is simulated but not reported (so the start state is realistic)"
            )
        },
        discounted: |percent| format!(", discounted at {percent} % a year"),
        undiscounted: ", undiscounted",
        simulated_from: |start, years, warmup, per, currency, discount| {
            format!(
                "Simulated from <strong>{start}</strong> for {years} years{warmup}, reported {per}. Amounts in {currency}{discount}."
            )
        },
        cases_when_warmup_begins: "Cases when the warm-up begins ([initial])",
        cases_at_start: "Cases at start",
        cases_at_start_simulated: "Cases at start as simulated (after the warm-up, mean)",
        under_assessment_simulated: |count| {
            format!(
                "At start, as simulated after the warm-up: {count} cases under assessment (mean)."
            )
        },
        ladder_columns: [
            "Rung (least intrusive first)",
            "Placement",
            "Cost per child-year ({cur})",
            "Caseload points",
            "First follow-up (weeks)",
            "Then every (weeks)",
            "Time limit",
        ],
        none: "none",
        years: |years, one| format!("{years} year{}", if one { "" } else { "s" }),
        yes: "yes",
        no: "no",
        changes_note: "Values shown as <span class=\"was\">before</span> → <strong>after</strong> change during the run (see Changes below). ",
        under_assessment: |count, warmup| {
            if warmup {
                format!("Under assessment when the warm-up begins: {count} cases.")
            } else {
                format!("Under assessment at start: {count} cases.")
            }
        },
        follow_up_policy: |detection, on_time, hours| {
            format!(
                "<strong>Follow-up policy.</strong> A follow-up sees the child's true need with probability {detection}: a child ready for less moves one rung down (or the case closes), a child needing more moves one rung up. A follow-up done within {on_time} weeks of its due date counts as on time. Follow-ups take {hours}."
            )
        },
        no_measure: "no measure",
        intake: |referrals, hours, weeks, entry| {
            format!(
                "<strong>Intake.</strong> {referrals} referrals a year become cases; an assessment takes {hours} caseworker hours and at least {weeks} weeks. {entry}"
            )
        },
        after_assessment: "After assessment:",
        no_workforce: "<strong>Workforce.</strong> Not modelled: capacity is unlimited, so every follow-up happens when due.",
        workforce: |caseworkers, hours, share, case_hours, salary, currency| {
            format!(
                "<strong>Workforce.</strong> {caseworkers} caseworkers, {hours} hours a week with {share} % on case work ({case_hours} hours each); salary {salary} {currency} a year."
            )
        },
        implied_caseload: |cases, points, hours| {
            format!(
                "Implied caseload with the cases at start: <strong>{cases} cases</strong> ({points} points) per caseworker, leaving {hours} hours a week for follow-ups and assessments."
            )
        },
        other_costs: |fixed, breakdown, currency| {
            format!(
                "<strong>Other costs.</strong> Fixed programme costs {fixed} {currency} a year; {breakdown} {currency} per placement breakdown."
            )
        },
        changes_heading: "Changes during the run.",
        change_from: |date, years, sets| {
            format!("From {date} ({years} years after start): {sets}.")
        },
        hours_on: |hours, rung| format!("{hours} h on {rung}"),
        no_follow_up_time: "no caseworker time (no rung is followed up)",
        initial_cases: "cases at start",
        share_entering: |rung| format!("share entering {rung} after assessment"),
        parameters: &[
            ("cost_per_year", "cost per child-year"),
            ("points", "caseload points"),
            ("workload_hours_per_month", "workload (hours/month)"),
            ("max_years", "time limit (years)"),
            ("placement", "placement"),
            ("label", "label"),
            ("follow_up.first_weeks", "first follow-up after (weeks)"),
            ("follow_up.every_weeks", "follow-up every (weeks)"),
            ("follow_up.hours", "hours per follow-up"),
            ("latent.improve", "hazard improve (per year)"),
            ("latent.worsen", "hazard worsen (per year)"),
            ("latent.relapse", "hazard relapse (per year)"),
            ("latent.crisis", "hazard crisis (per year)"),
            ("exit.close", "hazard close (per year)"),
            ("workforce.caseworkers", "caseworkers"),
            ("workforce.hours_per_week", "caseworker hours per week"),
            ("workforce.case_work_share", "share of hours on case work"),
            ("workforce.min_task_share", "minimum task share"),
            (
                "workforce.salary_per_year",
                "salary per caseworker per year",
            ),
            ("costs.fixed_per_year", "fixed programme cost per year"),
            ("costs.per_breakdown", "cost per breakdown"),
            ("costs.discount_rate", "discount rate"),
            ("follow_up.detection", "follow-up detection probability"),
            ("follow_up.on_time_weeks", "on-time window (weeks)"),
            ("intake.referrals_per_year", "referrals per year"),
            ("intake.assessment_hours", "hours per assessment"),
            ("intake.assessment_min_weeks", "minimum assessment (weeks)"),
            (
                "intake.assessment_points",
                "caseload points under assessment",
            ),
            ("intake.age_min", "youngest age at referral"),
            ("intake.age_max", "oldest age at referral"),
            ("scenario.replications", "replications"),
            ("scenario.seed", "seed"),
            ("scenario.horizon_years", "horizon (years)"),
            ("scenario.warmup_years", "warm-up (years)"),
            ("scenario.period", "reporting period"),
            ("down_to", "where moves down lead"),
            ("up_to", "where moves up lead"),
            ("crisis_to", "where crises lead"),
            ("capacity", "places"),
            ("intake.age_weights", "referral age weights"),
        ],
    },
    figures: FigureWords {
        budget_title: |period| format!("Projected budget per {period}"),
        budget_subtitle: |name, replications| {
            format!("{name} · mean of {replications} replications")
        },
        run_subtitle: |name, replications| format!("{name} · {replications} replications"),
        workforce_cost: "Caseworkers (salaries)",
        fixed_cost: "Fixed programme costs",
        breakdown_cost: "Placement breakdowns",
        no_costs: "No costs: every cost parameter of this scenario is 0",
        money_per_period: |currency, per| format!("{currency} {per}"),
        total_band: "Total: mean and 90 % band (5th–95th percentile)",
        placement_mix_title: "Placement mix: share of placed child-years by rung",
        no_placements: "This ladder has no placement rungs.",
        placement_share_axis: "Share of placed child-years (%)",
        unmet_need_title: "Unmet need: child-years in 'needs more' by rung",
        under_assessment: "Under assessment",
        children_axis: |period| format!("Children (average over the {period})"),
        cases_by_rung_title: "Cases by rung: average number of children",
        all_rungs: "All rungs",
        child_years_axis: |per| format!("Child-years {per}"),
        follow_up_title: "Follow-up delay and caseload",
        delay_panel: "Follow-up delay past due date",
        delay_axis: "Weeks (mean over follow-ups)",
        caseload_panel: "Caseload",
        caseload_axis: "Open cases per caseworker",
        no_caseload: "No [workforce]: unlimited capacity, no caseload",
        mean_band: "Mean, with the range of 90 % of replications shaded",
        run_captions: [
            "Bars: mean cost per period over all replications, stacked by rung, caseworkers (workforce), fixed programme costs and breakdowns. Whiskers: the range within which the total falls in 90 % of replications (5th to 95th percentile).",
            "Child-years cases spent in the model's hidden state 'needs more' (a need the measure does not meet yet) on each rung and on all rungs together. Lines: mean; shaded: 90 % of replications.",
            "Each placement rung's mean share of placed child-years in each period.",
            "Child-years on each rung divided by the period's length: the average number of children on the rung. Lines: mean; shaded: 90 % of replications.",
            "Left: mean delay of completed follow-ups past their due date. Right: open cases (assessments included) per caseworker, time-averaged. Lines: mean; shaded: 90 % of replications.",
        ],
        levels_title: |top| format!("Total cost and {top} share by scenario"),
        levels_subtitle: |period, replications| {
            format!(
                "Mean per {period} over {replications} replications; shaded: 90 % of replications"
            )
        },
        cost_difference_title: |period| {
            format!("Difference in total cost from the base, per {period}")
        },
        cumulative_title: "Cumulative difference in total cost from the base",
        share_difference_title: |top| {
            format!("Difference in {top} share of placed child-years from the base")
        },
        unmet_need_difference_title: |period| {
            format!("Difference in unmet need from the base, per {period} (child-years, all rungs)")
        },
        base_legend: |name| format!("Base: {name}"),
        total_cost: "Total cost",
        top_share: |top| format!("{top} share of placed child-years"),
        share_axis: "Share (%)",
        differences_subtitle: |replications| {
            format!(
                "Alternative minus base, paired over {replications} replications on common random numbers; whiskers: 95 % CI"
            )
        },
        minus_base: |alt, base| format!("{alt} minus base ({base})"),
        child_years: "Child-years",
        percentage_points: "Percentage points",
        break_even_at: |period| format!("break-even {period}"),
        no_break_even: "no break-even within the run",
        cumulative_subtitle: |period, replications| {
            format!(
                "Alternative minus base, summed from the first period to the end of each {period}, paired over {replications} replications; shaded: 95 % CI"
            )
        },
        cumulative_axis: |currency| format!("{currency}, cumulative"),
        compare_captions: [
            "Each scenario's mean, with the range of 90 % of its replications shaded.",
            "Line: mean over replications of the paired difference in total cost, summed from the start of the run to the end of each period; shaded: its 95 % confidence interval. Where the line stays below zero the alternative has cost less in total so far (the break-even period).",
            "Dots: mean of the paired per-replication differences from the base; whiskers: 95 % confidence interval of that mean. A whisker that does not cross zero is a difference the simulation resolves.",
        ],
        histogram_title: "Whole-run cost difference from the base",
        histogram_axis: |currency| {
            format!("{currency}, alternative − base, whole run (left of 0: saves money)")
        },
        replications_axis: "Replications",
    },
    paired: PairedWords {
        plausible_futures: "plausible futures",
        chance_alone: "replications (chance alone: no [uncertainty])",
        whole_run: |name, better, share, replications, futures, mean, currency, half_width| {
            format!(
                "{name}: over the whole run it {better} in {share} of {replications} {futures} (mean difference {mean} {currency} ± {half_width})"
            )
        },
        other_outcome: |better, share, mean| format!(", {better} in {share} (mean {mean})"),
        period_share: |period, share| format!("period {period}: {share}"),
        by_period: "Saves money, by period",
        histogram_summary: |share, replications| {
            format!("saves money in {share} of {replications}")
        },
        histogram_subtitle: |drawn| {
            format!(
                "Replications by whole-run cost difference (paired: same random numbers{})",
                if drawn { " and drawn parameters" } else { "" }
            )
        },
    },
    check: CheckWords {
        scenario: "Scenario",
        settings: |start, horizon, period, warmup, replications, seed| {
            format!(
                "  start {start} · horizon {horizon} years by {period} · warm-up {warmup} years · {replications} replications · seed {seed}"
            )
        },
        ladder: "Ladder (least intrusive first):",
        columns: [
            "rung",
            "placement",
            "{cur}/year",
            "points",
            "h/month",
            "follow-up (wks, h)",
            "limit",
            "hazards/yr (improve worsen relapse crisis | close)",
        ],
        follow_up: |first, every, hours| format!("{first} then every {every}, {hours} h"),
        limit: |years| format!("{years} yr"),
        detection: |probability, weeks| {
            format!("  follow-up detection probability {probability}, on time within {weeks} weeks")
        },
        intake: |referrals, hours, weeks, youngest, oldest| {
            format!(
                "Intake: {referrals} referrals/year, assessment {hours} h and at least {weeks} weeks, ages {youngest}–{oldest}"
            )
        },
        entry: "  entry after assessment:",
        initial: "Initial cases:",
        no_workforce: "Workforce: none (unlimited capacity: follow-ups happen when due)",
        workforce: |caseworkers, hours, share, each, salary, currency| {
            format!(
                "Workforce: {caseworkers} caseworkers × {hours} h/week × {share} case work = {each} h/week each; salary {salary} {currency}/year"
            )
        },
        initial_caseload: |cases, points, hours| {
            format!(
                "  initial caseload: {cases} cases and {points} points per caseworker, {hours} task hours/week left each"
            )
        },
        costs: |fixed, breakdown, currency, rate| {
            format!(
                "Costs: fixed {fixed} {currency}/year, {breakdown} {currency} per breakdown, discount rate {rate}"
            )
        },
        changes: "Changes:",
        after_changes: |cases, points, hours| {
            format!(
                "  after all changes, the initial cases would mean {cases} cases and {points} points per caseworker, {hours} task hours/week"
            )
        },
        resolved_from: |chain, resolved| {
            format!(
                "Resolved from {chain} (values above are the merged result{}).",
                if resolved {
                    ""
                } else {
                    ", --resolved prints it as TOML"
                }
            )
        },
        which_extends: ", which extends ",
        resolved_heading: "# Resolved scenario (extends followed, --set applied, defaults filled in)",
        valid: |file| format!("OK: {file} is valid."),
        by_age_band: "by age band",
        age_bands: |bands| {
            format!(
                "Age bands (years): {bands}. A child's hazards switch at the birthday that starts a \
                 new band; entry after assessment uses the band at its end. A value in [brackets] \
                 is one per band, youngest first."
            )
        },
        age_weights: |shares| {
            format!("  referral ages by band (age_weights): {shares}, uniform within each band")
        },
        case_list: |file, cases, span| {
            format!(" (case list {file}: {cases} cases{span}, time on place as listed)")
        },
    },
    moves: MovesWords {
        heading: "Moves between places",
        caption: |years| {
            format!("Moves between places: mean per year (whole run of {years} years below)")
        },
        from_to: "From \\ to",
        under_assessment: "Under assessment",
        closed: "Closed",
        aged_out: "Aged out",
        note: "Every move counts: the assessment's outcome, planned moves at follow-ups, time limits, crises (a crisis to the own rung, a new placement there, is on the diagonal), closures and ageing out. The numbers by kind of move and period, with confidence intervals, are in <code>transitions.csv</code>.",
        where_moves_go: "Where moves go (down_to, up_to, crisis_to; any other move goes one rung, a crisis on the top rung stays there):",
        closed_destination: "closed (the case ends)",
        kinds: ["a move down", "a detected need for more", "a crisis"],
        stays: |rung, share| format!("stays on {rung} (a new placement there) {share}"),
        goes_to: |to| format!("goes to {to}"),
    },
    capacity: CapacityWords {
        waiting_for: |rung| format!("Child-years waiting for {rung}"),
        diverted: |rung| format!("Diverted placements, {rung} full"),
        waiting_cost: "Cost of waiting: spent on children placed above the rung they wait for",
        waiting_title: "Waiting lists: children waiting for a place at period end",
        children_waiting: "Children waiting",
        waiting_caption: "Children waiting for a place on each rung that has places, just before each period ends: they were diverted to a rung above it (or stayed on one) because it was full, and are admitted first come, first served. Lines: mean; shaded: 90 % of replications.",
        diverted_title: "Diverted placements: decisions that found the rung full",
        diverted_axis: |per| format!("Diverted {per}"),
        diverted_caption: "Decisions (entries, planned moves, crises) that wanted a rung with places and found it full, per period, by the rung wanted. Lines: mean; shaded: 90 % of replications.",
        waiting_cost_difference_title: |period, currency| {
            format!("Difference in the cost of waiting from the base, per {period} ({currency})")
        },
    },
    fit: FitWords {
        kicker: "Fit to case records",
        page_title: |name| format!("{name} — trappe fit report"),
        lead: |compared, fitted, set| {
            format!(
                "{compared} quantities the records show, compared with the fitted scenario's simulation; {fitted} values fitted by simulation, {set} set directly from the records."
            )
        },
        toc: ["Verdict", "Figures", "Parameters", "Methods"],
        all_fit: |n| {
            format!(
                "All {n} fitted quantities lie within 2 standard errors of what the records show."
            )
        },
        some_fit: |fit, n| {
            format!(
                "{fit} of {n} fitted quantities lie within 2 standard errors of what the records show."
            )
        },
        none_fitted: "No quantity was fitted by simulation: the comparisons below are checks only.",
        checks: |n, within| {
            format!(
                "{n} more were compared but not fitted (checks); {within} of them lie within 2 standard errors."
            )
        },
        worst_misses: |shown, n| {
            if shown == n {
                format!("The {n} that miss:")
            } else {
                format!("The worst {shown} of the {n} that miss:")
            }
        },
        miss: |what, observed, fitted, distance| {
            format!("{what}: observed {observed}, fitted {fitted}, {distance} SE")
        },
        not_identified: |name, policy, fitted, kept| {
            if kept {
                format!(
                    "The records cannot pin down {name}: other values fit them as well. The fitted scenario keeps the policy's value ({policy}); a policy change acting on it is an assumption, not something the records show."
                )
            } else {
                format!(
                    "The records cannot pin down {name}: other values fit them as well. The fitted scenario holds {fitted} (the policy: {policy}), one of the values that fit equally well; a policy change acting on it is an assumption, not something the records show."
                )
            }
        },
        all_identified: "Every value fitted by simulation is pinned down by the records (each has a standard error below).",
        kept: |names| format!("Kept from the policy, not fitted: {names}."),
        assessment: "assessment",
        closed: "closed",
        aged_out: "aged out",
        no_place: "no place",
        all_ages: "all ages",
        ages: |from, to| format!("{from}–{to}"),
        referrals: "referrals",
        age_weight: |band| format!("share of referrals aged {band}"),
        entry_share: |place, band| format!("entry to {place}, {band}"),
        follow_up_weeks: |place| format!("weeks between follow-ups on {place}"),
        first_follow_up_weeks: |place| format!("weeks to the first follow-up on {place}"),
        per_year: "per year",
        weeks: "weeks",
        parameter_columns: ["Parameter", "Policy", "Fitted", "SE", "Source"],
        not_identified_cell: "not identified",
        kept_cell: "kept",
        intensity_title: "Moves per year at risk: records against the fitted scenario",
        intensity_subtitle: "Grouped by where the move led; one colour per place moved from",
        intensity_axis: "Per year at risk",
        panel: |band| format!("Ages {band}"),
        observed_legend: "records: value and 95 % interval",
        fitted_legend: "fitted scenario (simulated mean)",
        from_legend: |place| format!("from {place}"),
        intensity_caption: "Each whisker is what the records show (the observed intensity and its exact 95 % interval); the white dot on it is the fitted scenario's simulated mean. A dot outside its whisker is a quantity the fit does not reproduce.",
        distance_title: "How far the fitted scenario is from the records",
        distance_subtitle: "Fitted − observed, in standard errors; one dot per quantity",
        distance_axis: "Fitted − observed (SE)",
        fits_legend: "fitted, within 2 SE",
        misses_legend: "fitted, more than 2 SE off",
        check_legend: "compared, not fitted",
        band_legend: "within ±2 SE",
        distance_caption: "Each dot is one quantity the records show, at its distance from the fitted scenario in combined standard errors. About 95 % of the dots would lie in the shaded band if the fitted scenario were the process that wrote the records.",
        methods_values: |set, fitted, kept| {
            format!(
                "<p><strong>Set directly from the records</strong> (what they show without a model, with its sampling error): {set}.</p><p><strong>Fitted by simulation</strong> (hidden need dynamics and detection, which the records do not show): {fitted}. The fitted scenario was simulated under the follow-up practice the records show, each replication's case records were estimated exactly as the real ones, and the values were searched so that the simulated transition intensities match the observed ones. A standard error comes from the curvature of the distance at its minimum; where the distance is flat the value is <em>not identified</em>.</p><p><strong>Kept from the policy</strong>: {kept}.</p>"
            )
        },
        methods_distance: "<p>Each distance is (fitted − observed) ÷ √(observed SE² + fitted SE²): the observed SE is the sampling error of the records (a count of 0 counts as 1, so a zero does not weigh infinitely), the fitted SE the Monte Carlo error of the simulated mean. A quantity <em>fits</em> within 2 SE. Only the transition intensities out of each rung are fitted; the rest are checks.</p>",
        methods_caveat: "<p>A good fit says the fitted scenario could have written these records; it does not say the fitted values are the true ones where other values fit as well, nor that a new policy acts as the scenario assumes.</p>",
        nothing: "none",
        footer: |version| {
            format!(
                "Generated by trappe {version} from the fit in this folder (<code>fit.csv</code>, <code>parameters.csv</code>, <code>observed.csv</code> and <code>scenario.toml</code>). Redraw with <code>trappe report DIR</code>."
            )
        },
    },
};
