//! Danish: every phrase of [`Words`] in Danish, with the terms Danish
//! child-welfare practice uses (årsbørn, anbringelse, opfølgning,
//! sagsbehandler, indsatstrappen, Barnets lov).

use super::capitalise;
use super::words::*;

/// The Danish words.
pub const WORDS: Words = Words {
    calendar: CalendarWords {
        year: "år",
        quarter: "kvartal",
        month: "måned",
        per: "pr.",
        months_short: [
            "jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.",
            "dec.",
        ],
        months_long: [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
        period_axis: |period| format!("{} (startdato)", capitalise(period)),
    },
    headline: HeadlineWords {
        percentage_points: "pct.-point",
        total_cost: "Samlede udgifter",
        placed_child_years: "Anbragte årsbørn",
        top_share: |rung| format!("Andel af anbragte årsbørn: {rung}"),
        breakdowns: "Sammenbrud i anbringelser",
        replications: "gentagelser",
        mean_ci: "gennemsnit [95 % KI]",
        period: "periode",
        compare_lead: |replications, seed| {
            format!(
                "{replications} gentagelser pr. scenarie, frø {seed}, fælles tilfældige tal; forskel = alternativ − basis, gennemsnit [95 % KI] af de parrede forskelle"
            )
        },
        base_role: "Basis",
        alternative_role: "Alternativ",
        base: "basis",
        alternative: "alternativ",
        difference_ci: "forskel [95 % KI]",
        paired_answers: "Parrede svar",
        results_in: "Resultater i",
        report_at: "Rapport",
        records_in: |dir, extract| {
            format!("Sagsforløb fra gentagelse 0 i {dir} (udtræksdato {extract})")
        },
    },
    totals: TotalsWords {
        run_heading: "Totaler pr. kalenderår og for hele perioden: gennemsnit [95 % KI] af hver gentagelses sum",
        compare_heading: "Totaler pr. kalenderår og for hele perioden: forskel = alternativ − basis, gennemsnit [95 % KI] af de parrede summer pr. gentagelse",
        whole_run: "Hele perioden",
        span: "år",
        period: "periode",
        probability_of_savings: "Sandsynlighed for, at alternativet koster mindre over hele perioden",
        break_even: "Balancepunkt (den akkumulerede forskel i samlede udgifter er ≤ 0 derefter)",
        no_break_even: "ikke inden for perioden",
        from_the_start: "fra første periode",
        run_glance: "Totaler pr. kalenderår og for hele perioden: gennemsnittet over gentagelser af hver gentagelses sum med dets 95 %-konfidensinterval. Andele er af periodens anbragte årsbørn.",
        compare_glance: "minus basis, lagt sammen pr. kalenderår og over hele perioden: gennemsnittet af de parrede forskelle pr. gentagelse med dets 95 %-konfidensinterval.",
        savings_fact: "Sandsynlighed for lavere samlede udgifter over hele perioden",
        break_even_fact: "Balancepunkt",
        break_even_note: "den akkumulerede forskel i samlede udgifter er ≤ 0 derefter",
        probability_note: "andel af gentagelser med negativ parret forskel, Wilson-95 %-interval",
    },
    welfare: WelfareWords {
        unmet_need: "Udækket behov, alle trin",
        child_years: "årsbørn",
        saves_money: "sparer alternativet penge",
        reduces_unmet_need: "mindsker udækket behov",
        reduces_breakdowns: "mindsker sammenbrud",
        reduces_crises: "mindsker kriser (udækket behov, der bliver akut)",
        reduces_placed: "mindsker anbragte årsbørn",
        cost_and_need: "Udgifter og udækket behov samlet, hele perioden",
        cheaper_less_need: "billigere med mindre udækket behov",
        cheaper_more_need: "billigere, udækket behov ikke mindsket",
        dearer_less_need: "ikke billigere, udækket behov mindsket",
        dearer_more_need: "bedre på ingen af delene",
        in_: "i",
    },
    report: ReportWords {
        run_kicker: "Simuleringsrapport",
        run_lead: |replications| {
            format!(
                "Forventede udgifter og anbringelser i ét scenarie, {replications} gentagelser."
            )
        },
        run_page_title: |name| format!("{name} — trappe-rapport"),
        compare_kicker: "Sammenligning af scenarier",
        compare_lead: |base, replications| {
            format!(
                "Sammenlignet med basis: {base}. {replications} gentagelser pr. scenarie med fælles tilfældige tal: hver forskel måles gentagelse for gentagelse."
            )
        },
        scenarios_compared: |n| format!("{n} scenarier sammenlignet"),
        compare_page_title: |title, base| format!("{title} mod {base} — trappe-rapport"),
        toc: [
            "Overblik",
            "Scenarier",
            "Hovedresultater",
            "Figurer",
            "Metode",
        ],
        at_a_glance: "Overblik",
        scenario_in_words: "Scenariet i ord",
        scenarios_in_words: "Scenarierne i ord",
        headline_results: "Hovedresultater",
        figures: "Figurer",
        methods: "Metode",
        run_headline_lead: "Pr. periode: gennemsnit over gentagelser med 95 %-konfidensintervallet for gennemsnittet nedenunder.",
        compare_headline_lead: "Pr. periode: hvert scenaries gennemsnit over gentagelser og den gennemsnitlige parrede forskel (alternativ − basis) med dens 95 %-konfidensinterval. Forskelle, hvis interval omfatter nul, vises i gråt.",
        period: "Periode",
        base: "Basis",
        alternative: "Alternativ",
        difference: "Forskel",
        ci: "KI",
        paired_answers: "<strong>Parrede svar</strong> (gentagelse for gentagelse, med de samme tilfældige tal og trukne parametre):",
        histogram_label: "Forskel i udgifter over hele perioden i forhold til basis",
        what_differs: |name| format!("Hvad er anderledes: {name} i forhold til basis"),
        nothing_differs: "Ingen parameter er forskellig: de to scenarier er den samme model, så alle forskelle nedenfor er præcis nul.",
        parameter_at_end: "Parameter (gældende ved periodens slutning)",
        last_period_lead: |replications, period, range| {
            format!(
                "Gennemsnit over {replications} gentagelser i sidste opgjorte {period} ({range}) med 95 %-konfidensintervaller."
            )
        },
        last_period_difference_lead: |period, range| {
            format!(
                "minus basis i sidste opgjorte {period} ({range}): gennemsnitlig forskel med dens 95 %-konfidensinterval."
            )
        },
        methods_warmup: |years| {
            format!(
                ", hver efter en indsvingningsperiode på {years} år, som ikke indgår i resultaterne"
            )
        },
        methods_model: |replications, seed, warmup| {
            format!(
                "trappe er en stokastisk simulering af indsatstrappen, hændelse for hændelse: hvert barn har et skjult behov, der ændrer sig tilfældigt; sagsbehandlernes opfølgninger opdager det og flytter barnet ned eller op ad trappen; overbebyrdede sagsbehandlere følger for sent op. Én <em>gentagelse</em> er én mulig fremtid. Hvert scenarie er simuleret <strong>{replications}</strong> gange med rodfrø <strong>{seed}</strong>{warmup}. Udgifter og årsbørn måles pr. periode; ét årsbarn er ét barn i en indsats i et helt år."
            )
        },
        methods_uncertainty: "<strong>Usikkerhed.</strong> Tabellerne viser gennemsnittet over gentagelser med et 95 %-konfidensinterval for gennemsnittet (Students t: gennemsnit ± t<sub>0,975; n−1</sub> · sd / √n). Skraverede bånd og streger mærket 90 % viser, hvor 90 % af gentagelserne ligger (5. til 95. percentil, lineær interpolation): spredningen af mulige fremtider, ikke usikkerheden på gennemsnittet.",
        methods_common_random_numbers: "<strong>Fælles tilfældige tal.</strong> Alle scenarier bruger samme frø og gentagelser, og gentagelse <em>i</em> i hvert scenarie trækker fra de samme tilfældige talstrømme, én strøm for hver slags tilfældig trækning (henvendelsernes ankomst; hvert barns behovsforløb; hvert barns alder, første trin og opdagelse ved opfølgning). De samme børn kommer derfor på de samme tidspunkter med det samme held, og ens parametre giver ens forløb. Forskelle beregnes gentagelse for gentagelse (alternativ − basis) og opsummeres som ethvert andet mål: den gennemsnitlige forskel med et parret Students t-95 %-konfidensinterval.",
        methods_ratio: |paired, independent, ratio| {
            format!(
                " Her er det parrede interval for samlede udgifter i sidste periode ±{paired}; uafhængige kørsler med samme spredning ville give omkring ±{independent}, {ratio} gange bredere."
            )
        },
        methods_caveats: "<strong>Forbehold.</strong> Resultaterne er kun så gode som scenariets parametre; overgangsraterne for det skjulte behov er antagelser, der skal kalibreres. Sammenlign ændringer og andele frem for absolutte niveauer, medmindre enhedspriserne svarer til kommunens eget regnskab. Sagsgangen følger Barnets lov.",
        footer: |version| {
            format!(
                "Lavet af trappe {version} ud fra resultaterne i denne mappe (<code>summary.csv</code> og <code>scenario.toml</code>; <code>compare.csv</code> ved sammenligninger). Tegn igen med <code>trappe report MAPPE</code>."
            )
        },
    },
    scenario: ScenarioWords {
        warmup: |years| {
            format!(
                " efter en indsvingningsperiode på {years} år, som simuleres, men ikke indgår i resultaterne (så starttilstanden er realistisk)"
            )
        },
        discounted: |percent| format!(", diskonteret med {percent} % om året"),
        undiscounted: ", ikke diskonteret",
        simulated_from: |start, years, warmup, per, currency, discount| {
            format!(
                "Simuleret fra <strong>{start}</strong> i {years} år{warmup}, opgjort {per}. Beløb i {currency}{discount}."
            )
        },
        cases_when_warmup_begins: "Sager ved indsvingningens begyndelse ([initial])",
        cases_at_start: "Sager ved start",
        cases_at_start_simulated: "Sager ved start som simuleret (efter indsvingningen, gennemsnit)",
        under_assessment_simulated: |count| {
            format!(
                "Ved start, som simuleret efter indsvingningen: {count} sager under undersøgelse (gennemsnit)."
            )
        },
        ladder_columns: [
            "Trin (mindst indgribende først)",
            "Anbringelse",
            "Udgift pr. årsbarn ({cur})",
            "Sagstyngde (point)",
            "Første opfølgning (uger)",
            "Derefter hver (uge)",
            "Tidsgrænse",
        ],
        none: "ingen",
        years: |years, _| format!("{years} år"),
        yes: "ja",
        no: "nej",
        changes_note: "Værdier vist som <span class=\"was\">før</span> → <strong>efter</strong> ændres undervejs (se Ændringer nedenfor). ",
        under_assessment: |count, warmup| {
            if warmup {
                format!(
                    "Under børnefaglig undersøgelse ved indsvingningens begyndelse: {count} sager."
                )
            } else {
                format!("Under børnefaglig undersøgelse ved start: {count} sager.")
            }
        },
        follow_up_policy: |detection, on_time, hours| {
            format!(
                "<strong>Opfølgning.</strong> En opfølgning efter Barnets lov ser barnets reelle behov med sandsynlighed {detection}: et barn, der er klar til mindre, flytter ét trin ned (eller sagen lukkes), et barn, der har brug for mere, flytter ét trin op. En opfølgning inden for {on_time} uger efter fristen tæller som rettidig. Opfølgninger tager {hours}."
            )
        },
        no_measure: "ingen indsats",
        intake: |referrals, hours, weeks, entry| {
            format!(
                "<strong>Tilgang.</strong> {referrals} henvendelser om året bliver til sager; en børnefaglig undersøgelse tager {hours} sagsbehandlertimer og mindst {weeks} uger. {entry}"
            )
        },
        after_assessment: "Efter undersøgelsen:",
        no_workforce: "<strong>Sagsbehandlere.</strong> Ikke modelleret: kapaciteten er ubegrænset, så hver opfølgning sker til tiden.",
        workforce: |caseworkers, hours, share, case_hours, salary, currency| {
            format!(
                "<strong>Sagsbehandlere.</strong> {caseworkers} sagsbehandlere, {hours} timer om ugen med {share} % til sagsarbejde ({case_hours} timer hver); løn {salary} {currency} om året."
            )
        },
        implied_caseload: |cases, points, hours| {
            format!(
                "Sagstal med sagerne ved start: <strong>{cases} sager</strong> ({points} point) pr. sagsbehandler, hvilket giver {hours} timer om ugen til opfølgninger og undersøgelser."
            )
        },
        other_costs: |fixed, breakdown, currency| {
            format!(
                "<strong>Andre udgifter.</strong> Faste programudgifter {fixed} {currency} om året; {breakdown} {currency} pr. sammenbrud i en anbringelse."
            )
        },
        changes_heading: "Ændringer undervejs.",
        change_from: |date, years, sets| format!("Fra {date} ({years} år efter start): {sets}."),
        hours_on: |hours, rung| format!("{hours} t på {rung}"),
        no_follow_up_time: "ingen sagsbehandlertid (intet trin følges op)",
        initial_cases: "sager ved start",
        share_entering: |rung| format!("andel til {rung} efter undersøgelsen"),
        parameters: &[
            ("cost_per_year", "udgift pr. årsbarn"),
            ("points", "sagstyngde (point)"),
            ("workload_hours_per_month", "arbejdsbyrde (timer/måned)"),
            ("max_years", "tidsgrænse (år)"),
            ("placement", "anbringelse"),
            ("label", "betegnelse"),
            ("follow_up.first_weeks", "første opfølgning efter (uger)"),
            ("follow_up.every_weeks", "opfølgning hver (uge)"),
            ("follow_up.hours", "timer pr. opfølgning"),
            ("latent.improve", "rate for bedring (pr. år)"),
            ("latent.worsen", "rate for forværring (pr. år)"),
            ("latent.relapse", "rate for tilbagefald (pr. år)"),
            ("latent.crisis", "rate for krise (pr. år)"),
            ("exit.close", "rate for lukning (pr. år)"),
            ("workforce.caseworkers", "sagsbehandlere"),
            ("workforce.hours_per_week", "sagsbehandlertimer pr. uge"),
            (
                "workforce.case_work_share",
                "andel af timer til sagsarbejde",
            ),
            ("workforce.min_task_share", "mindste andel til opgaver"),
            ("workforce.salary_per_year", "løn pr. sagsbehandler pr. år"),
            ("costs.fixed_per_year", "faste programudgifter pr. år"),
            ("costs.per_breakdown", "udgift pr. sammenbrud"),
            ("costs.discount_rate", "diskonteringsrente"),
            (
                "follow_up.detection",
                "sandsynlighed for at opdage behov ved opfølgning",
            ),
            ("follow_up.on_time_weeks", "rettidighedsvindue (uger)"),
            ("intake.referrals_per_year", "henvendelser pr. år"),
            ("intake.assessment_hours", "timer pr. undersøgelse"),
            (
                "intake.assessment_min_weeks",
                "mindste undersøgelsestid (uger)",
            ),
            (
                "intake.assessment_points",
                "sagstyngde under undersøgelse (point)",
            ),
            ("intake.age_min", "yngste alder ved henvendelse"),
            ("intake.age_max", "ældste alder ved henvendelse"),
            ("scenario.replications", "gentagelser"),
            ("scenario.seed", "frø"),
            ("scenario.horizon_years", "tidshorisont (år)"),
            ("scenario.warmup_years", "indsvingningsperiode (år)"),
            ("scenario.period", "opgørelsesperiode"),
            ("down_to", "hvor flytninger ned fører hen"),
            ("up_to", "hvor flytninger op fører hen"),
            ("crisis_to", "hvor kriser fører hen"),
            ("capacity", "pladser"),
            ("intake.age_weights", "aldersvægte ved henvendelse"),
        ],
    },
    figures: FigureWords {
        budget_title: |period| format!("Forventet budget pr. {period}"),
        budget_subtitle: |name, replications| {
            format!("{name} · gennemsnit af {replications} gentagelser")
        },
        run_subtitle: |name, replications| format!("{name} · {replications} gentagelser"),
        workforce_cost: "Sagsbehandlere (løn)",
        fixed_cost: "Faste programudgifter",
        breakdown_cost: "Sammenbrud i anbringelser",
        no_costs: "Ingen udgifter: alle udgiftsparametre i scenariet er 0",
        money_per_period: |currency, per| format!("{currency} {per}"),
        total_band: "I alt: gennemsnit og 90 %-bånd (5.–95. percentil)",
        placement_mix_title: "Anbringelsesmiks: andel af anbragte årsbørn pr. trin",
        no_placements: "Denne trappe har ingen anbringelsestrin.",
        placement_share_axis: "Andel af anbragte årsbørn (%)",
        unmet_need_title: "Udækket behov: årsbørn med behov for mere, pr. trin",
        under_assessment: "Under undersøgelse",
        children_axis: |_| "Børn (gennemsnit over perioden)".into(),
        cases_by_rung_title: "Sager pr. trin: gennemsnitligt antal børn",
        all_rungs: "Alle trin",
        child_years_axis: |per| format!("Årsbørn {per}"),
        follow_up_title: "Forsinkede opfølgninger og sagstal",
        delay_panel: "Forsinkelse af opfølgning efter fristen",
        delay_axis: "Uger (gennemsnit over opfølgninger)",
        caseload_panel: "Sagstal",
        caseload_axis: "Åbne sager pr. sagsbehandler",
        no_caseload: "Ingen [workforce]: ubegrænset kapacitet, intet sagstal",
        mean_band: "Gennemsnit; skraveret: 90 % af gentagelserne",
        run_captions: [
            "Søjler: gennemsnitlig udgift pr. periode over alle gentagelser, stablet efter trin, sagsbehandlere, faste programudgifter og sammenbrud. Streger: det interval, de samlede udgifter ligger i for 90 % af gentagelserne (5. til 95. percentil).",
            "Årsbørn, som sager har tilbragt i modellens skjulte tilstand 'behov for mere' (et behov, indsatsen endnu ikke dækker), på hvert trin og på alle trin samlet. Linjer: gennemsnit; skraveret: 90 % af gentagelserne.",
            "Hvert anbringelsestrins gennemsnitlige andel af anbragte årsbørn i hver periode.",
            "Årsbørn på hvert trin divideret med periodens længde: det gennemsnitlige antal børn på trinnet. Linjer: gennemsnit; skraveret: 90 % af gentagelserne.",
            "Venstre: gennemsnitlig forsinkelse af gennemførte opfølgninger efter fristen. Højre: åbne sager (undersøgelser medregnet) pr. sagsbehandler, tidsvægtet gennemsnit. Linjer: gennemsnit; skraveret: 90 % af gentagelserne.",
        ],
        levels_title: |top| format!("Samlede udgifter og andel {top} pr. scenarie"),
        levels_subtitle: |period, replications| {
            format!(
                "Gennemsnit pr. {period} over {replications} gentagelser; skraveret: 90 % af gentagelserne"
            )
        },
        cost_difference_title: |period| {
            format!("Forskel i samlede udgifter i forhold til basis, pr. {period}")
        },
        cumulative_title: "Akkumuleret forskel i samlede udgifter i forhold til basis",
        share_difference_title: |top| {
            format!("Forskel i andel af anbragte årsbørn ({top}) i forhold til basis")
        },
        unmet_need_difference_title: |period| {
            format!(
                "Forskel i udækket behov i forhold til basis, pr. {period} (årsbørn, alle trin)"
            )
        },
        base_legend: |name| format!("Basis: {name}"),
        total_cost: "Samlede udgifter",
        top_share: |top| format!("Andel af anbragte årsbørn: {top}"),
        share_axis: "Andel (%)",
        differences_subtitle: |replications| {
            format!(
                "Alternativ minus basis, parret over {replications} gentagelser med fælles tilfældige tal; streger: 95 % KI"
            )
        },
        minus_base: |alt, base| format!("{alt} minus basis ({base})"),
        child_years: "Årsbørn",
        percentage_points: "Procentpoint",
        break_even_at: |period| format!("balancepunkt {period}"),
        no_break_even: "intet balancepunkt inden for perioden",
        cumulative_subtitle: |period, replications| {
            format!(
                "Alternativ minus basis, lagt sammen fra første periode til slutningen af hvert {period}, parret over {replications} gentagelser; skraveret: 95 % KI"
            )
        },
        cumulative_axis: |currency| format!("{currency}, akkumuleret"),
        compare_captions: [
            "Hvert scenaries gennemsnit; skraveret: det interval, 90 % af dets gentagelser ligger i.",
            "Linje: gennemsnit over gentagelser af den parrede forskel i samlede udgifter, lagt sammen fra starten til slutningen af hver periode; skraveret: dens 95 %-konfidensinterval. Hvor linjen bliver under nul, har alternativet samlet kostet mindre indtil da (balancepunktet).",
            "Punkter: gennemsnit af de parrede forskelle fra basis pr. gentagelse; streger: 95 %-konfidensinterval for gennemsnittet. En streg, der ikke krydser nul, er en forskel, simuleringen kan skelne.",
        ],
        histogram_title: "Forskel i udgifter over hele perioden i forhold til basis",
        histogram_axis: |currency| {
            format!("{currency}, alternativ − basis, hele perioden (venstre for 0: sparer penge)")
        },
        replications_axis: "Gentagelser",
    },
    paired: PairedWords {
        plausible_futures: "mulige fremtider",
        chance_alone: "gentagelser (kun tilfældighed: ingen [uncertainty])",
        whole_run: |name, better, share, replications, futures, mean, currency, half_width| {
            format!(
                "{name}: over hele perioden {better} i {share} af {replications} {futures} (gennemsnitlig forskel {mean} {currency} ± {half_width})"
            )
        },
        other_outcome: |better, share, mean| format!(", {better} i {share} (gennemsnit {mean})"),
        period_share: |period, share| format!("periode {period}: {share}"),
        by_period: "Sparer penge, pr. periode",
        histogram_summary: |share, replications| {
            format!("sparer penge i {share} af {replications}")
        },
        histogram_subtitle: |drawn| {
            format!(
                "Gentagelser efter forskel i udgifter over hele perioden (parret: samme tilfældige tal{})",
                if drawn { " og trukne parametre" } else { "" }
            )
        },
    },
    check: CheckWords {
        scenario: "Scenarie",
        settings: |start, horizon, period, warmup, replications, seed| {
            format!(
                "  start {start} · tidshorisont {horizon} år opgjort pr. {period} · indsvingning {warmup} år · {replications} gentagelser · frø {seed}"
            )
        },
        ladder: "Indsatstrappen (mindst indgribende først):",
        columns: [
            "trin",
            "anbringelse",
            "{cur}/år",
            "point",
            "t/måned",
            "opfølgning (uger, t)",
            "grænse",
            "rater/år (bedring forværring tilbagefald krise | lukning)",
        ],
        follow_up: |first, every, hours| format!("{first}, derefter hver {every}, {hours} t"),
        limit: |years| format!("{years} år"),
        detection: |probability, weeks| {
            format!(
                "  sandsynlighed for at opdage behov ved opfølgning {probability}, rettidig inden for {weeks} uger"
            )
        },
        intake: |referrals, hours, weeks, youngest, oldest| {
            format!(
                "Tilgang: {referrals} henvendelser/år, børnefaglig undersøgelse {hours} t og mindst {weeks} uger, alder {youngest}–{oldest}"
            )
        },
        entry: "  fordeling efter undersøgelsen:",
        initial: "Sager ved start ([initial]):",
        no_workforce: "Sagsbehandlere: ingen (ubegrænset kapacitet: opfølgninger sker til tiden)",
        workforce: |caseworkers, hours, share, each, salary, currency| {
            format!(
                "Sagsbehandlere: {caseworkers} sagsbehandlere × {hours} t/uge × {share} sagsarbejde = {each} t/uge hver; løn {salary} {currency}/år"
            )
        },
        initial_caseload: |cases, points, hours| {
            format!(
                "  sagstal ved start: {cases} sager og {points} point pr. sagsbehandler, {hours} opgavetimer/uge tilbage til hver"
            )
        },
        costs: |fixed, breakdown, currency, rate| {
            format!(
                "Udgifter: faste {fixed} {currency}/år, {breakdown} {currency} pr. sammenbrud, diskonteringsrente {rate}"
            )
        },
        changes: "Ændringer:",
        after_changes: |cases, points, hours| {
            format!(
                "  efter alle ændringer ville sagerne ved start give {cases} sager og {points} point pr. sagsbehandler, {hours} opgavetimer/uge"
            )
        },
        resolved_from: |chain, resolved| {
            format!(
                "Sammensat af {chain} (værdierne ovenfor er det samlede resultat{}).",
                if resolved {
                    ""
                } else {
                    "; --resolved skriver det som TOML"
                }
            )
        },
        which_extends: ", som bygger på ",
        resolved_heading: "# Samlet scenarie (extends fulgt, --set anvendt, standardværdier udfyldt)",
        valid: |file| format!("OK: {file} er gyldig."),
        by_age_band: "pr. aldersgruppe",
        age_bands: |bands| {
            format!(
                "Aldersgrupper (år): {bands}. Et barns risici skifter på den fødselsdag, der \
                 begynder en ny gruppe; indsatsen efter udredning følger gruppen ved dens afslutning. \
                 En værdi i [klammer] er én pr. gruppe, yngste først."
            )
        },
        age_weights: |shares| {
            format!(
                "  alder ved henvendelse pr. gruppe (age_weights): {shares}, jævnt fordelt i hver gruppe"
            )
        },
        case_list: |file, cases, span| {
            format!(" (sagsliste {file}: {cases} sager{span}, tid på stedet som angivet)")
        },
    },
    moves: MovesWords {
        heading: "Flytninger mellem indsatser",
        caption: |years| {
            format!(
                "Flytninger mellem indsatser: gennemsnit pr. år (hele perioden på {years} år nedenunder)"
            )
        },
        from_to: "Fra \\ til",
        under_assessment: "Under udredning",
        closed: "Afsluttet",
        aged_out: "Udskrevet pga. alder",
        note: "Alle flytninger tæller: udredningens udfald, planlagte flytninger ved opfølgning, tidsgrænser, akutte skift (et akut skift til samme trin, en ny anbringelse dér, står på diagonalen), afslutninger og udskrivning pga. alder. Tallene pr. slags flytning og periode, med konfidensintervaller, står i <code>transitions.csv</code>.",
        where_moves_go: "Hvor flytninger fører hen (down_to, up_to, crisis_to; alle andre flytninger går ét trin, et akut skift på øverste trin bliver dér):",
        closed_destination: "afsluttet (sagen slutter)",
        kinds: [
            "en flytning ned",
            "et opdaget behov for mere",
            "et akut skift",
        ],
        stays: |rung, share| format!("bliver på {rung} (en ny anbringelse dér) {share}"),
        goes_to: |to| format!("går til {to}"),
    },
    capacity: CapacityWords {
        waiting_for: |rung| format!("Årsbørn på venteliste til {rung}"),
        diverted: |rung| format!("Omdirigerede anbringelser, {rung} fuld"),
        waiting_cost: "Udgift til venten: brugt på børn anbragt over det trin, de venter på",
        waiting_title: "Ventelister: børn, der venter på en plads ved periodens slutning",
        children_waiting: "Børn på venteliste",
        waiting_caption: "Børn, der venter på en plads på hvert trin med pladser, lige før hver periode slutter: de blev sendt til et trin over det (eller blev, hvor de var), fordi det var fuldt, og optages efter først til mølle. Linjer: gennemsnit; skygge: 90 % af gentagelserne.",
        diverted_title: "Omdirigerede anbringelser: beslutninger, der mødte et fuldt trin",
        diverted_axis: |per| format!("Omdirigeret {per}"),
        diverted_caption: "Beslutninger (indsatser efter udredning, planlagte flytninger, akutte skift), der skulle til et trin med pladser og fandt det fuldt, pr. periode, efter ønsket trin. Linjer: gennemsnit; skygge: 90 % af gentagelserne.",
        waiting_cost_difference_title: |period, currency| {
            format!("Forskel i udgift til venten i forhold til basis, pr. {period} ({currency})")
        },
    },
    fit: FitWords {
        kicker: "Tilpasning til sagsdata",
        page_title: |name| format!("{name} — trappe-tilpasningsrapport"),
        lead: |compared, fitted, set| {
            format!(
                "{compared} størrelser, som sagsdata viser, sammenlignet med simuleringen af det tilpassede scenarie; {fitted} værdier tilpasset ved simulering, {set} sat direkte fra sagsdata."
            )
        },
        toc: ["Konklusion", "Figurer", "Parametre", "Metode"],
        all_fit: |n| {
            format!(
                "Alle {n} tilpassede størrelser ligger inden for 2 standardfejl af det, sagsdata viser."
            )
        },
        some_fit: |fit, n| {
            format!(
                "{fit} af {n} tilpassede størrelser ligger inden for 2 standardfejl af det, sagsdata viser."
            )
        },
        none_fitted: "Ingen størrelse blev tilpasset ved simulering: sammenligningerne nedenfor er kun kontroller.",
        checks: |n, within| {
            format!(
                "{n} andre blev sammenlignet, men ikke tilpasset (kontroller); {within} af dem ligger inden for 2 standardfejl."
            )
        },
        worst_misses: |shown, n| {
            if shown == n {
                format!("De {n}, der ikke passer:")
            } else {
                format!("De {shown} værste af de {n}, der ikke passer:")
            }
        },
        miss: |what, observed, fitted, distance| {
            format!("{what}: observeret {observed}, tilpasset {fitted}, {distance} SE")
        },
        not_identified: |name, policy, fitted, kept| {
            if kept {
                format!(
                    "Sagsdata kan ikke fastlægge {name}: andre værdier passer lige så godt. Det tilpassede scenarie beholder politikkens værdi ({policy}); en politikændring, der virker på den, er en antagelse, ikke noget sagsdata viser."
                )
            } else {
                format!(
                    "Sagsdata kan ikke fastlægge {name}: andre værdier passer lige så godt. Det tilpassede scenarie har {fitted} (politikken: {policy}), én af de værdier, der passer lige godt; en politikændring, der virker på den, er en antagelse, ikke noget sagsdata viser."
                )
            }
        },
        all_identified: "Alle værdier tilpasset ved simulering fastlægges af sagsdata (hver har en standardfejl nedenfor).",
        kept: |names| format!("Beholdt fra politikken, ikke tilpasset: {names}."),
        assessment: "udredning",
        closed: "afsluttet",
        aged_out: "udskrevet pga. alder",
        no_place: "ingen indsats",
        all_ages: "alle aldre",
        ages: |from, to| format!("{from}–{to} år"),
        referrals: "underretninger",
        age_weight: |band| format!("andel af underretninger i alderen {band}"),
        entry_share: |place, band| format!("start på {place}, {band}"),
        follow_up_weeks: |place| format!("uger mellem opfølgninger på {place}"),
        first_follow_up_weeks: |place| format!("uger til første opfølgning på {place}"),
        per_year: "pr. år",
        weeks: "uger",
        parameter_columns: ["Parameter", "Politik", "Tilpasset", "SE", "Kilde"],
        not_identified_cell: "ikke fastlagt",
        kept_cell: "beholdt",
        intensity_title: "Flytninger pr. år i risiko: sagsdata mod det tilpassede scenarie",
        intensity_subtitle: "Grupperet efter, hvor flytningen førte hen; én farve pr. sted, der flyttes fra",
        intensity_axis: "Pr. år i risiko",
        panel: |band| format!("Alder {band}"),
        observed_legend: "sagsdata: værdi og 95 %-interval",
        fitted_legend: "tilpasset scenarie (simuleret gennemsnit)",
        from_legend: |place| format!("fra {place}"),
        intensity_caption: "Hvert interval er det, sagsdata viser (den observerede intensitet og dens eksakte 95 %-interval); den hvide prik på det er det tilpassede scenaries simulerede gennemsnit. En prik uden for sit interval er en størrelse, tilpasningen ikke genskaber.",
        distance_title: "Hvor langt det tilpassede scenarie er fra sagsdata",
        distance_subtitle: "Tilpasset − observeret, i standardfejl; én prik pr. størrelse",
        distance_axis: "Tilpasset − observeret (SE)",
        fits_legend: "tilpasset, inden for 2 SE",
        misses_legend: "tilpasset, mere end 2 SE fra",
        check_legend: "sammenlignet, ikke tilpasset",
        band_legend: "inden for ±2 SE",
        distance_caption: "Hver prik er én størrelse, sagsdata viser, ved dens afstand fra det tilpassede scenarie i samlede standardfejl. Omkring 95 % af prikkerne ville ligge i det skraverede bånd, hvis det tilpassede scenarie var den proces, der skrev sagsdata.",
        methods_values: |set, fitted, kept| {
            format!(
                "<p><strong>Sat direkte fra sagsdata</strong> (det, de viser uden en model, med stikprøvefejl): {set}.</p><p><strong>Tilpasset ved simulering</strong> (skjulte behovsforløb og opdagelse, som sagsdata ikke viser): {fitted}. Det tilpassede scenarie blev simuleret under den opfølgningspraksis, sagsdata viser; hver gentagelses sagsdata blev estimeret præcis som de rigtige, og værdierne blev søgt, så de simulerede overgangsintensiteter svarer til de observerede. En standardfejl kommer fra afstandens krumning i minimum; hvor afstanden er flad, er værdien <em>ikke fastlagt</em>.</p><p><strong>Beholdt fra politikken</strong>: {kept}.</p>"
            )
        },
        methods_distance: "<p>Hver afstand er (tilpasset − observeret) ÷ √(observeret SE² + tilpasset SE²): den observerede SE er sagsdatas stikprøvefejl (et antal på 0 tæller som 1, så et nul ikke vejer uendeligt), den tilpassede SE Monte Carlo-fejlen på det simulerede gennemsnit. En størrelse <em>passer</em> inden for 2 SE. Kun overgangsintensiteterne ud af hvert trin tilpasses; resten er kontroller.</p>",
        methods_caveat: "<p>En god tilpasning siger, at det tilpassede scenarie kunne have skrevet disse sagsdata; den siger ikke, at de tilpassede værdier er de sande, hvor andre værdier passer lige så godt, og heller ikke, at en ny politik virker, som scenariet antager.</p>",
        nothing: "ingen",
        footer: |version| {
            format!(
                "Lavet af trappe {version} ud fra tilpasningen i denne mappe (<code>fit.csv</code>, <code>parameters.csv</code>, <code>observed.csv</code> og <code>scenario.toml</code>). Tegn igen med <code>trappe report MAPPE</code>."
            )
        },
    },
};
