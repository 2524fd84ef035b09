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
        "<time datetime=\"2021-04-08T00:00:00+07:00\">",
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
