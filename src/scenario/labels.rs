//! Parameter paths in words: `steps.institution.follow_up.every_weeks` is
//! how a file, `--set`, `[[changes]]` and sweeps address a parameter;
//! "institution: follow-up every (weeks)" is how a chart axis or a report
//! names it. Kept beside the paths themselves, so the plots and the report
//! (which both import the scenario, and must not import each other) use
//! one wording.

use crate::language::Language;

/// A parameter path (`steps.institution.follow_up.every_weeks`) in words
/// (`institution: follow-up every (weeks)`), in English.
pub fn parameter_label(path: &str) -> String {
    parameter_label_in(path, Language::English)
}

/// A parameter path in words in `lang` (the words are the language's
/// `scenario.parameters` table).
pub fn parameter_label_in(path: &str, lang: Language) -> String {
    let w = &lang.words().scenario;
    let (prefix, key) = match path.strip_prefix("steps.") {
        Some(rest) => match rest.split_once('.') {
            Some((id, key)) => (format!("{id}: "), key),
            None => (String::new(), path),
        },
        None => (String::new(), path),
    };
    if let Some(rung) = key.strip_prefix("intake.entry.") {
        return (w.share_entering)(rung);
    }
    match w.parameters.iter().find(|(k, _)| *k == key) {
        Some((_, words)) => format!("{prefix}{words}"),
        None => format!("{prefix}{}", key.replace('_', " ")),
    }
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
        // The version-2 keys read as words too (the fit report lists them).
        assert_eq!(
            parameter_label("steps.foster.crisis_to"),
            "foster: where crises lead"
        );
        assert_eq!(
            parameter_label_in("steps.foster.up_to", Language::Danish),
            "foster: hvor flytninger op fører hen"
        );
    }
}
