//! Parameter paths in words: `steps.institution.follow_up.every_weeks` is
//! how a file, `--set`, `[[changes]]` and sweeps address a parameter;
//! "institution: follow-up every (weeks)" is how a chart axis or a report
//! names it. Kept beside the paths themselves, so the plots and the report
//! (which both import the scenario, and must not import each other) use
//! one wording.

/// A parameter path (`steps.institution.follow_up.every_weeks`) in words
/// (`institution: follow-up every (weeks)`).
pub fn parameter_label(path: &str) -> String {
    let (prefix, key) = match path.strip_prefix("steps.") {
        Some(rest) => match rest.split_once('.') {
            Some((id, key)) => (format!("{id}: "), key),
            None => (String::new(), path),
        },
        None => (String::new(), path),
    };
    if let Some(rung) = key.strip_prefix("intake.entry.") {
        return format!("share entering {rung} after assessment");
    }
    let words = match key {
        "cost_per_year" => "cost per child-year",
        "points" => "caseload points",
        "workload_hours_per_month" => "workload (hours/month)",
        "max_years" => "time limit (years)",
        "placement" => "placement",
        "label" => "label",
        "follow_up.first_weeks" => "first follow-up after (weeks)",
        "follow_up.every_weeks" => "follow-up every (weeks)",
        "follow_up.hours" => "hours per follow-up",
        "latent.improve" => "hazard improve (per year)",
        "latent.worsen" => "hazard worsen (per year)",
        "latent.relapse" => "hazard relapse (per year)",
        "latent.crisis" => "hazard crisis (per year)",
        "exit.close" => "hazard close (per year)",
        "workforce.caseworkers" => "caseworkers",
        "workforce.hours_per_week" => "caseworker hours per week",
        "workforce.case_work_share" => "share of hours on case work",
        "workforce.min_task_share" => "minimum task share",
        "workforce.salary_per_year" => "salary per caseworker per year",
        "costs.fixed_per_year" => "fixed programme cost per year",
        "costs.per_breakdown" => "cost per breakdown",
        "costs.discount_rate" => "discount rate",
        "follow_up.detection" => "follow-up detection probability",
        "follow_up.on_time_weeks" => "on-time window (weeks)",
        "intake.referrals_per_year" => "referrals per year",
        "intake.assessment_hours" => "hours per assessment",
        "intake.assessment_min_weeks" => "minimum assessment (weeks)",
        "intake.assessment_points" => "caseload points under assessment",
        "intake.age_min" => "youngest age at referral",
        "intake.age_max" => "oldest age at referral",
        "scenario.replications" => "replications",
        "scenario.seed" => "seed",
        "scenario.horizon_years" => "horizon (years)",
        "scenario.warmup_years" => "warm-up (years)",
        "scenario.period" => "reporting period",
        other => return format!("{prefix}{}", other.replace('_', " ")),
    };
    format!("{prefix}{words}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_words() {
        assert_eq!(parameter_label("workforce.caseworkers"), "caseworkers");
        assert_eq!(
            parameter_label("steps.institution.follow_up.every_weeks"),
            "institution: follow-up every (weeks)"
        );
        assert_eq!(
            parameter_label("intake.entry.foster"),
            "share entering foster after assessment"
        );
        assert_eq!(parameter_label("steps.foster.new_key"), "foster: new key");
    }
}
