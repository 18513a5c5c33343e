//! Topic names, filters and matching against the examples and rules of MQTT 5.0 section 4.7
//! (the same in 3.1.1) and shared subscriptions (5.0 section 4.8.2).

use mqtt_codec_wasm::topic::{
    SharedSubscription, TopicError, filter_covers, matches_filter, validate_topic_filter,
    validate_topic_name,
};
use proptest::prelude::*;

fn name_err(topic: &str) -> TopicError {
    validate_topic_name(topic).expect_err(topic)
}

fn filter_err(filter: &str) -> TopicError {
    validate_topic_filter(filter).expect_err(filter)
}

fn assert_filter_ok(filter: &str) {
    assert_eq!(validate_topic_filter(filter), Ok(()), "{filter:?}");
}

// ---- 4.7.1.2 multi-level wildcard -------------------------------------------------------

#[test]
fn multi_level_wildcard_spec_examples() {
    let f = "sport/tennis/player1/#";
    assert_filter_ok(f);
    assert!(matches_filter(f, "sport/tennis/player1"));
    assert!(matches_filter(f, "sport/tennis/player1/ranking"));
    assert!(matches_filter(f, "sport/tennis/player1/score/wimbledon"));
    assert!(!matches_filter(f, "sport/tennis/player2"));
    assert!(!matches_filter(f, "sport/tennis"));

    // "sport/#" also matches the singular "sport", since # includes the parent level.
    assert!(matches_filter("sport/#", "sport"));
    assert!(matches_filter("sport/#", "sport/"));

    for ok in ["#", "sport/tennis/#", "/#", "a//#"] {
        assert_filter_ok(ok);
    }
    for bad in [
        "sport/tennis#",
        "sport/tennis/#/ranking",
        "#/",
        "##",
        "a/#b",
        "a/b#/c",
        "#a",
    ] {
        let e = filter_err(bad);
        assert_eq!(e, TopicError::MisplacedMultiLevelWildcard, "{bad:?}");
        assert_eq!(e.spec_ref(), "MQTT-4.7.1-1");
    }
}

#[test]
fn hash_alone_matches_everything_not_dollar() {
    for topic in ["a", "/", "a/b/c", "//", "sport/tennis/player1"] {
        assert!(matches_filter("#", topic), "{topic:?}");
    }
}

// ---- 4.7.1.3 single-level wildcard ------------------------------------------------------

#[test]
fn single_level_wildcard_spec_examples() {
    assert!(matches_filter("sport/tennis/+", "sport/tennis/player1"));
    assert!(matches_filter("sport/tennis/+", "sport/tennis/player2"));
    assert!(!matches_filter(
        "sport/tennis/+",
        "sport/tennis/player1/ranking"
    ));

    // "sport/+" does not match "sport" but does match "sport/".
    assert!(!matches_filter("sport/+", "sport"));
    assert!(matches_filter("sport/+", "sport/"));

    for ok in [
        "+",
        "+/tennis/#",
        "sport/+/player1",
        "+/+",
        "/+",
        "+/",
        "a/+/+/b",
        "+//+",
    ] {
        assert_filter_ok(ok);
    }
    for bad in ["sport+", "+sport", "a/b+/c", "a/+b", "++", "a/++/b"] {
        let e = filter_err(bad);
        assert_eq!(e, TopicError::MisplacedSingleLevelWildcard, "{bad:?}");
        assert_eq!(e.spec_ref(), "MQTT-4.7.1-2");
    }

    // "/finance" has an empty first level.
    assert!(matches_filter("+/+", "/finance"));
    assert!(matches_filter("/+", "/finance"));
    assert!(!matches_filter("+", "/finance"));
}

#[test]
fn empty_levels_are_levels() {
    assert!(matches_filter("a//b", "a//b"));
    assert!(!matches_filter("a/b", "a//b"));
    assert!(matches_filter("a/+/b", "a//b"));
    assert!(matches_filter("+", ""));
    assert!(matches_filter("+/+", "/"));
    assert!(!matches_filter("+", "/"));
    assert!(matches_filter("a/+", "a/"));
    assert!(!matches_filter("a", "a/"));
    assert!(!matches_filter("a/", "a"));
}

// ---- 4.7.2 topics beginning with $ ------------------------------------------------------

#[test]
fn dollar_topics_not_matched_by_leading_wildcards() {
    assert!(!matches_filter("#", "$SYS/monitor/Clients"));
    assert!(!matches_filter("#", "$SYS"));
    assert!(!matches_filter("+/monitor/Clients", "$SYS/monitor/Clients"));
    assert!(!matches_filter("+", "$SYS"));
    assert!(!matches_filter("+/#", "$SYS/x"));
    assert!(matches_filter("$SYS/#", "$SYS/monitor/Clients"));
    assert!(matches_filter("$SYS/#", "$SYS"));
    assert!(matches_filter("$SYS/monitor/+", "$SYS/monitor/Clients"));
    assert!(matches_filter("$SYS/+/Clients", "$SYS/monitor/Clients"));
    // Only a leading `$` counts.
    assert!(matches_filter("#", "a/$SYS"));
    assert!(matches_filter("+/$x", "a/$x"));
    assert_filter_ok("$SYS/#");
    assert_eq!(validate_topic_name("$SYS/monitor/Clients"), Ok(()));
}

// ---- 4.7.3 topic semantics and usage ----------------------------------------------------

#[test]
fn names_are_case_sensitive_and_may_hold_spaces_and_slashes() {
    assert!(!matches_filter("ACCOUNTS", "Accounts"));
    assert!(matches_filter("Accounts payable", "Accounts payable"));
    for name in [
        "/",
        "//",
        "sport/",
        "/finance",
        "Accounts payable",
        " ",
        "a//b",
        "é/ü/😀",
    ] {
        assert_eq!(validate_topic_name(name), Ok(()), "{name:?}");
        assert_filter_ok(name);
        assert!(matches_filter(name, name), "{name:?}");
    }
    assert!(!matches_filter("/finance", "finance"));
}

#[test]
fn empty_is_rejected() {
    for e in [name_err(""), filter_err("")] {
        assert_eq!(e, TopicError::Empty);
        assert_eq!(e.spec_ref(), "MQTT-4.7.3-1");
    }
}

#[test]
fn null_character_is_rejected() {
    for e in [
        name_err("a\0b"),
        name_err("\0"),
        filter_err("a/\0"),
        filter_err("+/\0/#"),
        filter_err("$share/g\0/a"),
        filter_err("$share/g/a\0"),
    ] {
        assert_eq!(e, TopicError::NullCharacter);
        assert_eq!(e.spec_ref(), "MQTT-4.7.3-2");
    }
}

#[test]
fn length_limit_is_65535_bytes() {
    let max = "a".repeat(65_535);
    assert_eq!(validate_topic_name(&max), Ok(()));
    assert_filter_ok(&max);
    let over = "a".repeat(65_536);
    // Multi-byte characters count in bytes, not characters.
    let over_utf8 = "é".repeat(32_768);
    let shared_over = format!("$share/g/{}", "a".repeat(65_535 - 8));
    for e in [
        name_err(&over),
        filter_err(&over),
        name_err(&over_utf8),
        filter_err(&shared_over),
    ] {
        assert_eq!(e, TopicError::TooLong);
        assert_eq!(e.spec_ref(), "MQTT-4.7.3-3");
    }
}

#[test]
fn wildcards_are_rejected_in_names() {
    for bad in ["#", "+", "sport/+", "sport/#", "a+b", "a#", "+/x", "é#"] {
        let e = name_err(bad);
        assert_eq!(e, TopicError::WildcardInTopicName, "{bad:?}");
        assert_eq!(e.spec_ref(), "MQTT-3.3.2-2");
    }
}

#[test]
fn first_violation_wins_in_a_name() {
    assert_eq!(name_err("a\0+"), TopicError::NullCharacter);
    assert_eq!(name_err("a+\0"), TopicError::WildcardInTopicName);
}

#[test]
fn multibyte_characters_around_wildcards() {
    assert_filter_ok("é/+/ü/#");
    assert_eq!(filter_err("é+"), TopicError::MisplacedSingleLevelWildcard);
    assert_eq!(filter_err("+é"), TopicError::MisplacedSingleLevelWildcard);
    assert_eq!(filter_err("é#"), TopicError::MisplacedMultiLevelWildcard);
    assert!(matches_filter("é/+", "é/ü"));
    assert!(!matches_filter("é", "e"));
}

// ---- 4.8.2 shared subscriptions ---------------------------------------------------------

#[test]
fn shared_subscription_spec_examples() {
    let s = SharedSubscription::parse("$share/consumer1/sport/tennis/+")
        .unwrap()
        .unwrap();
    assert_eq!(s.group, "consumer1");
    assert_eq!(s.filter, "sport/tennis/+");

    let s = SharedSubscription::parse("$share/consumer1//finance")
        .unwrap()
        .unwrap();
    assert_eq!((s.group, s.filter), ("consumer1", "/finance"));

    let s = SharedSubscription::parse("$share/g/#").unwrap().unwrap();
    assert_eq!((s.group, s.filter), ("g", "#"));

    for ok in [
        "$share/consumer1/sport/tennis/+",
        "$share/consumer2/sport/tennis/+",
        "$share/consumer1//finance",
        "$share/g/#",
        "$share/g/$SYS/#",
        "$share/é/a",
        "$share/g/$share/h/x",
    ] {
        assert_filter_ok(ok);
    }
}

#[test]
fn non_shared_filters_parse_to_none() {
    for f in [
        "$share",
        "$sharex/a",
        "$SHARE/g/a",
        "share/g/a",
        "a/$share/g/a",
        "#",
        "$SYS/#",
    ] {
        assert_eq!(SharedSubscription::parse(f), Ok(None), "{f:?}");
        assert_filter_ok(f);
    }
}

#[test]
fn shared_subscription_errors() {
    use TopicError as E;
    let cases = [
        ("$share/", E::EmptyShareName, "MQTT-4.8.2-1"),
        ("$share//a", E::EmptyShareName, "MQTT-4.8.2-1"),
        ("$share//", E::EmptyShareName, "MQTT-4.8.2-1"),
        ("$share/g+/a", E::WildcardInShareName, "MQTT-4.8.2-2"),
        ("$share/+/a", E::WildcardInShareName, "MQTT-4.8.2-2"),
        ("$share/#/a", E::WildcardInShareName, "MQTT-4.8.2-2"),
        ("$share/#", E::WildcardInShareName, "MQTT-4.8.2-2"),
        ("$share/g", E::MissingSharedFilter, "MQTT-4.8.2-2"),
        ("$share/g/", E::MissingSharedFilter, "MQTT-4.8.2-2"),
        (
            "$share/g/a#",
            E::MisplacedMultiLevelWildcard,
            "MQTT-4.7.1-1",
        ),
        (
            "$share/g/a+",
            E::MisplacedSingleLevelWildcard,
            "MQTT-4.7.1-2",
        ),
    ];
    for (filter, err, spec) in cases {
        assert_eq!(SharedSubscription::parse(filter), Err(err), "{filter:?}");
        assert_eq!(filter_err(filter), err, "{filter:?}");
        assert_eq!(err.spec_ref(), spec);
    }
}

#[test]
fn shared_subscription_matches_by_inner_filter() {
    assert!(matches_filter("$share/g/sport/#", "sport/tennis"));
    assert!(matches_filter("$share/g/sport/+", "sport/tennis"));
    assert!(!matches_filter("$share/g/sport/+", "g/sport/tennis"));
    assert!(matches_filter("$share/g//finance", "/finance"));
    assert!(!matches_filter("$share/g/#", "$SYS/x"));
    assert!(!matches_filter("$share/g", "g"));
    // The group is not a level of the topic.
    assert!(!matches_filter("$share/g/#", "$share/g/a"));
}

#[test]
fn errors_display_as_sentences() {
    let all = [
        TopicError::Empty,
        TopicError::TooLong,
        TopicError::NullCharacter,
        TopicError::WildcardInTopicName,
        TopicError::MisplacedMultiLevelWildcard,
        TopicError::MisplacedSingleLevelWildcard,
        TopicError::EmptyShareName,
        TopicError::WildcardInShareName,
        TopicError::MissingSharedFilter,
    ];
    let mut seen = std::collections::HashSet::new();
    for e in all {
        let text = e.to_string();
        assert!(text.contains("must"), "{text}");
        assert!(seen.insert(text), "duplicate message for {e:?}");
        assert!(e.spec_ref().starts_with("MQTT-"));
    }
    assert_eq!(
        TopicError::Empty.to_string(),
        "a topic name or filter must be at least one character long"
    );
    let _: &dyn std::error::Error = &TopicError::Empty;
}

// ---- property: agreement with a reference matcher ----------------------------------------

/// Matching as the spec words it, by level index rather than by walking both sides.
fn reference_matches(filter: &str, topic: &str) -> bool {
    let f: Vec<&str> = filter.split('/').collect();
    let t: Vec<&str> = topic.split('/').collect();
    if t[0].starts_with('$') && (f[0] == "+" || f[0] == "#") {
        return false;
    }
    let level_ok = |i: usize| f[i] == "+" || f[i] == t[i];
    if f.last() == Some(&"#") {
        let fixed = f.len() - 1;
        t.len() >= fixed && (0..fixed).all(level_ok)
    } else {
        t.len() == f.len() && (0..f.len()).all(level_ok)
    }
}

fn name_level() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("a".to_owned()),
        Just("b".to_owned()),
        Just("ab".to_owned()),
        Just("$SYS".to_owned()),
        Just("é".to_owned()),
        "[a-c$ é]{1,3}",
    ]
}

fn topic_name() -> impl Strategy<Value = String> {
    prop::collection::vec(name_level(), 1..6)
        .prop_map(|levels| levels.join("/"))
        .prop_filter("names are non-empty", |t| !t.is_empty())
}

fn filter_level() -> impl Strategy<Value = String> {
    prop_oneof![3 => name_level(), 1 => Just("+".to_owned())]
}

/// Random filters, plus filters derived from a topic (some levels turned into `+`, a tail
/// replaced by `#`) so that a good share of pairs actually match.
fn filter_and_topic() -> impl Strategy<Value = (String, String)> {
    let random = (
        prop::collection::vec(filter_level(), 1..6),
        any::<bool>(),
        topic_name(),
    )
        .prop_map(|(mut levels, hash, topic)| {
            if hash {
                levels.push("#".to_owned());
            }
            (levels.join("/"), topic)
        })
        .prop_filter("filters are non-empty", |(f, _)| !f.is_empty());
    let derived = (
        topic_name(),
        prop::collection::vec(any::<bool>(), 6),
        0..8usize,
    )
        .prop_map(|(topic, plus, cut)| {
            let mut levels: Vec<String> = topic
                .split('/')
                .zip(plus)
                .map(|(l, p)| if p { "+".to_owned() } else { l.to_owned() })
                .collect();
            if cut < levels.len() {
                levels.truncate(cut);
                levels.push("#".to_owned());
            }
            (levels.join("/"), topic)
        });
    prop_oneof![random, derived]
}

#[test]
fn a_filter_covers_the_filters_whose_topics_it_all_matches() {
    for (wide, narrow) in [
        ("#", "a/b"),
        ("#", "+/#"),
        ("a/#", "a"),
        ("a/#", "a/+/c"),
        ("a/+", "a/b"),
        ("+/+", "a/+"),
        ("a/b", "a/b"),
    ] {
        assert!(filter_covers(wide, narrow), "{wide} covers {narrow}");
    }
    for (wide, narrow) in [
        ("a/+", "a"),
        ("a/+", "a/#"),
        ("a", "a/#"),
        ("a/b", "a/+"),
        ("#", "$SYS/x"),
        ("+/x", "$SYS/x"),
        ("$share/g/#", "a"),
        ("#", "$share/g/a"),
    ] {
        assert!(
            !filter_covers(wide, narrow),
            "{wide} does not cover {narrow}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_covering_filter_matches_every_topic_the_covered_one_does(
        (wide, topic) in filter_and_topic(),
        (narrow, _) in filter_and_topic(),
    ) {
        if filter_covers(&wide, &narrow) && matches_filter(&narrow, &topic) {
            prop_assert!(matches_filter(&wide, &topic), "{:?} ⊇ {:?} but not for {:?}", wide, narrow, topic);
        }
        prop_assert!(filter_covers(&narrow, &narrow));
    }

    #[test]
    fn matcher_agrees_with_reference((filter, topic) in filter_and_topic()) {
        prop_assert_eq!(validate_topic_name(&topic), Ok(()));
        prop_assert_eq!(validate_topic_filter(&filter), Ok(()), "{:?}", filter);
        let expected = reference_matches(&filter, &topic);
        prop_assert_eq!(matches_filter(&filter, &topic), expected, "{:?} vs {:?}", filter, topic);
        let shared = format!("$share/group/{filter}");
        prop_assert_eq!(validate_topic_filter(&shared), Ok(()));
        prop_assert_eq!(matches_filter(&shared, &topic), expected);
    }

    #[test]
    fn every_valid_name_is_a_filter_matching_itself(topic in topic_name()) {
        prop_assert_eq!(validate_topic_filter(&topic), Ok(()));
        prop_assert!(matches_filter(&topic, &topic));
    }

    #[test]
    fn name_validation_agrees_with_its_rules(topic in "([a/é]{0,20}[+#\u{0}]?){0,4}") {
        let expected = if topic.is_empty() {
            Err(TopicError::Empty)
        } else {
            match topic.bytes().find(|b| matches!(b, 0 | b'+' | b'#')) {
                Some(0) => Err(TopicError::NullCharacter),
                Some(_) => Err(TopicError::WildcardInTopicName),
                None => Ok(()),
            }
        };
        prop_assert_eq!(validate_topic_name(&topic), expected);
    }

    #[test]
    fn filter_validation_agrees_with_level_rules(filter in "[a+#/é]{1,8}") {
        let levels: Vec<&str> = filter.split('/').collect();
        let last = levels.len() - 1;
        let ok = levels.iter().enumerate().all(|(i, l)| {
            (!l.contains('#') || (*l == "#" && i == last)) && (!l.contains('+') || *l == "+")
        });
        let shared = filter.starts_with("$share/");
        prop_assume!(!shared);
        prop_assert_eq!(validate_topic_filter(&filter).is_ok(), ok, "{:?}", filter);
    }

    #[test]
    fn arbitrary_input_never_panics(filter in "\\PC{0,12}", topic in "\\PC{0,12}") {
        let _ = validate_topic_filter(&filter);
        let _ = validate_topic_name(&topic);
        let _ = matches_filter(&filter, &topic);
        let _ = SharedSubscription::parse(&filter);
    }
}
