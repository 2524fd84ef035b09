//! Dates as Vietnamese editors write them, day first (`08/04/2021 11:22`), in
//! articles' front matter: read as the contract's forms are, and impossible ones
//! refused at their file and line.

mod common;

use common::*;

#[test]
fn day_first_dates_publish_as_the_same_moment() {
    let site = TestSite::new(&[
        (
            "content/a.md",
            &article("Họp giao ban", "08/04/2021 11:22", "Tin", "Nội dung.\n"),
        ),
        (
            "content/b.md",
            &article("Tiếp công dân", "8/4/2021", "Tin", "Nội dung.\n"),
        ),
        (
            "content/c.md",
            &article("Ra quân", "\"09/04/2021 7h30\"", "Tin", "Nội dung.\n"),
        ),
    ]);
    site.build_ok();
    let home = site.page("/");
    for time in [
        "<time datetime=\"2021-04-08T11:22:00+07:00\">",
        "<time datetime=\"2021-04-08\">",
        "<time datetime=\"2021-04-09T07:30:00+07:00\">",
    ] {
        assert!(home.contains(time), "{time} not in:\n{home}");
    }
    // Newest first, by the day-first dates.
    let order: Vec<usize> = ["Ra quân", "Họp giao ban", "Tiếp công dân"]
        .iter()
        .map(|title| home.find(title).unwrap())
        .collect();
    assert!(order.is_sorted(), "{order:?}");
}

#[test]
fn impossible_day_first_date_names_the_file_line_and_part() {
    let site = TestSite::new(&[(
        "content/a.md",
        &article("Họp giao ban", "31/02/2021", "Tin", "Nội dung.\n"),
    )]);
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:3:7: error: `date`: `31/02/2021` is not a real date: read day first, it is day 31 of month 2, and month 2 of 2021 has 28 days"),
        "{err}"
    );
    assert!(err.contains("day first as 17/01/2014 14:05"), "{err}");
    assert!(!site.public().exists());
}

#[test]
fn a_date_without_a_time_is_shown_as_the_day_alone() {
    let site = TestSite::new(&[
        (
            "content/a.md",
            &article("Họp giao ban", "2014-01-17", "Tin", "Nội dung.\n"),
        ),
        (
            "content/b.md",
            &article("Tiếp công dân", "2014-01-18 14:05", "Tin", "Nội dung.\n"),
        ),
    ]);
    site.build_ok();
    let dated = site.page("/tin/a/");
    assert!(
        dated.contains("<time datetime=\"2014-01-17\">Thứ Sáu, 17/01/2014</time>"),
        "{dated}"
    );
    assert!(!dated.contains(" 00:00"), "{dated}");
    let timed = site.page("/tin/b/");
    assert!(
        timed.contains(
            "<time datetime=\"2014-01-18T14:05:00+07:00\">Thứ Bảy, 18/01/2014 - 14:05</time>"
        ),
        "{timed}"
    );
    // Its neighbour's card on the other page, and the lists.
    assert!(
        timed.contains("<time datetime=\"2014-01-17\">(17/01/2014)</time>"),
        "{timed}"
    );
    for list in ["/", "/tin/", "/archive/2014/01/"] {
        let page = site.page(list);
        assert!(
            page.contains("<time datetime=\"2014-01-17\">17/01/2014</time>"),
            "{list}:\n{page}"
        );
        assert!(!page.contains("T00:00:00"), "{list}:\n{page}");
    }
    // In English too, from the same theme's patterns.
    site.write(
        "site.yaml",
        &SITE_YAML.replace("language: vi", "language: en"),
    );
    site.build_ok();
    let english = site.page("/tin/a/");
    assert!(
        english.contains("<time datetime=\"2014-01-17\">Friday, 17 January 2014</time>"),
        "{english}"
    );
    assert!(site.page("/tin/b/").contains(
        "<time datetime=\"2014-01-18T14:05:00+07:00\">Saturday, 18 January 2014, 14:05</time>"
    ));
    // Atom asks for a full timestamp: the feed keeps one.
    let feed = std::fs::read_to_string(site.public().join("feed.xml")).unwrap();
    assert!(
        feed.contains("<published>2014-01-17T00:00:00+07:00</published>"),
        "{feed}"
    );
}

#[test]
fn impossible_iso_date_is_read_as_written_year_first() {
    let site = TestSite::new(&[
        (
            "content/a.md",
            &article("Họp giao ban", "2024-04-31", "Tin", "Nội dung.\n"),
        ),
        (
            "content/b.md",
            &article("Tiếp công dân", "2024-13-01", "Tin", "Nội dung.\n"),
        ),
        (
            "content/c.md",
            &article("Ra quân", "31/04/2024", "Tin", "Nội dung.\n"),
        ),
        (
            "content/d.md",
            &article("Trực tết", "29/02/2023", "Tin", "Nội dung.\n"),
        ),
        (
            "content/e.md",
            &article("Họp báo", "2024-04-31T10:00:00+07:00", "Tin", "Nội dung.\n"),
        ),
        (
            "content/f.md",
            &article("Tổng kết", "2024/04/17", "Tin", "Nội dung.\n"),
        ),
    ]);
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for said in [
        "content/a.md:3:7: error: `date`: `2024-04-31` is not a real date: day 31 does not exist in April 2024, which has 30 days; check the day (the last day of that month is 2024-04-30)",
        "content/b.md:3:7: error: `date`: `2024-13-01` is not a real date: it is written year-month-day, and there is no month 13; if 13 is the day, write 2024-01-13",
        "content/c.md:3:7: error: `date`: `31/04/2024` is not a real date: read day first, it is day 31 of month 4, and month 4 of 2024 has 30 days; check the day (the last day of that month is 30/04/2024)",
        "content/d.md:3:7: error: `date`: `29/02/2023` is not a real date: read day first, it is day 29 of month 2, and month 2 of 2023 has 28 days",
        "content/f.md:3:7: error: `date`: `2024/04/17` is not a date in a form bantin reads: year first, write it with dashes, as 2024-04-17",
        "content/e.md:3:7: error: `date`: `2024-04-31T10:00:00+07:00` is not a real date: day 31 does not exist in April 2024, which has 30 days; check the day (the last day of that month is 2024-04-30)",
    ] {
        assert!(err.contains(said), "{said}\nnot in:\n{err}");
    }
    // An ISO date's message says nothing of reading it day first.
    for line in err.lines().filter(|l| l.contains("`2024-")) {
        assert!(!line.contains("day first"), "{line}");
    }
    assert!(!site.public().exists());
}
