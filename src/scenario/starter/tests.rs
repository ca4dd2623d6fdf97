//! Unit tests of the starter: flag parsing and the Erlang C sizing.

use super::*;

#[test]
fn flags_parse_and_refuse() {
    assert_eq!(parse_days("mon-fri").unwrap().len(), 5);
    assert_eq!(parse_days("mon,wed,sat-sun").unwrap().len(), 4);
    assert!(
        parse_days("fri-mon")
            .unwrap_err()
            .problem
            .contains("backwards")
    );
    assert!(parse_days("mon,mon").unwrap_err().problem.contains("twice"));
    assert!(parse_days("funday").is_err());
    assert_eq!(parse_hours("08:00-18:00").unwrap(), (480, 1080));
    assert_eq!(parse_hours("00:00-24:00").unwrap(), (0, 1440));
    assert!(parse_hours("18:00-08:00").is_err());
    assert!(parse_hours("08:10-18:00").is_err());
    assert!(parse_hours("8-18").is_err());
    assert_eq!(parse_tiers("1..3").unwrap(), 3);
    assert_eq!(parse_tiers("2").unwrap(), 2);
    assert!(parse_tiers("4").is_err());
    assert!(parse_tiers("0..2").is_err());
    let names = |s: &str| -> Vec<String> {
        parse_channels(s)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    // Today's names come back in file order; named channels keep the order given.
    assert_eq!(names("phone,email"), ["email", "phone"]);
    assert_eq!(names("phone,portal:async"), ["phone", "portal"]);
    let kinds: Vec<ChannelKind> = parse_channels("portal:asynchronous,web:Chat,line:voice,chat")
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            ChannelKind::Asynchronous,
            ChannelKind::Chat,
            ChannelKind::Voice,
            ChannelKind::Chat
        ]
    );
    for (bad, says) in [
        ("email,fax", "unknown channel \"fax\""),
        ("fax:telex", "unknown kind \"telex\""),
        ("email,EMAIL:chat", "email is listed twice"),
        ("default:chat", "\"default\" is reserved"),
        ("web chat:chat", "may use only letters"),
        ("p1:chat", "clashes with the starter's priority"),
        (
            "a:chat,b:chat,c:chat,d:chat,e:chat,f:chat,g:chat,h:chat,i:chat",
            "at most 8",
        ),
        ("", "unknown channel \"\""),
    ] {
        let e = parse_channels(bad).unwrap_err();
        assert!(e.problem.contains(says), "{bad}: {}", e.problem);
    }
    assert!(parse_timezone("Europe/Berlin").is_ok());
    assert!(parse_timezone("Mars/Olympus").is_err());
    assert!(parse_volume("--tickets-per-week", "-3").is_err());
    assert!(parse_volume("--tickets-per-week", "lots").is_err());
    assert!(StarterModel::parse("hybrid").is_err());
}

/// Erlang C sizing: every pool is stable and at most 85% busy, and one agent fewer on duty
/// misses the service-level target or the occupancy cap (the minimum, not a guess).
#[test]
fn pools_are_sized_by_erlang_c() {
    for (volume, tiers) in [(200.0, 1), (1000.0, 2), (6000.0, 3), (60000.0, 3)] {
        let spec = StarterSpec {
            volume: Volume::PerWeek(volume),
            tiers,
            ..StarterSpec::default()
        };
        for p in size_pools(&spec).unwrap() {
            assert!(p.utilisation <= MAX_OCCUPANCY, "{p:?}");
            let a = p.tickets_per_open_hour * p.work_min / 60.0;
            assert!(f64::from(p.on_duty) > a, "{p:?}");
            if p.on_duty > 1 {
                let target = if p.level == 1 { 1.0 } else { 60.0 };
                let lambda = p.tickets_per_open_hour / 60.0;
                let fewer = crate::stats::erlang::QueueInput {
                    arrival_rate_per_min: lambda,
                    mean_service_min: p.work_min,
                    agents: p.on_duty - 1,
                    mean_patience_min: None,
                };
                let sl = crate::stats::erlang::metrics(&fewer, Some(target))
                    .ok()
                    .and_then(|m| m.service_level);
                let over_cap = a / f64::from(p.on_duty - 1) > MAX_OCCUPANCY;
                assert!(over_cap || sl.is_none_or(|s| s < 0.8), "{p:?}: {sl:?}");
            }
        }
    }
}
