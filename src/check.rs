//! `bantin check`: everything `build` checks, and what an editor should fix before
//! publishing, found without writing anything.
//!
//! The site is read by the build's own stages ([`read_site`]); each editor check is
//! a small pure function over the loaded model, returning warnings located at the
//! file and line an editor has to change.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::build::{BuildOptions, LoadedSite, read_site};
use crate::content::document::DOCUMENTS_DIR;
use crate::content::links_audit::{
    BettingPatterns, address_written, addresses_in_script, government_look_alike, is_own_host,
    link_host, links_to_other_hosts, mention_of, mixed_alphabets, shown_host,
};
use crate::content::markdown::{self, LocalTarget, ReferenceKind, local_target};
use crate::content::sources::display_path;
use crate::diagnostics::{Diagnostic, Diagnostics, Planted, Severity};
use crate::render::Renderer;
use crate::site::missing::{NamesLike, Published, Shown, missing_targets, strip_base};
use crate::site::model::{Article, Site};
use crate::site::plan::{PagePlan, output_file};

/// Everything wrong with the site at `options.root`, errors and warnings; `now`
/// is the moment after which a date is in the future. `Err` when the site
/// could not be read at all (no `site.yaml`, or one that cannot be read):
/// then no content was checked, which is not the same as a clean site.
pub fn check(options: &BuildOptions, now: Timestamp) -> Result<Diagnostics, Diagnostics> {
    let (loaded, plan, mut problems) = read_site(options)?;
    problems.extend(render_problems(&loaded, &plan));
    problems.extend(editor_checks(&loaded, &plan, now, &options.root));
    Ok(problems)
}

/// Where the article `file` (relative to content/) first writes one of
/// `needles` (capitals ignored), from `from_line` on: the line and column of
/// a finding in the body's HTML, which the published HTML cannot place, as
/// an editor's search would find it.
fn written_at(root: &Path, file: &str, needles: &[&str], from_line: u32) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string(root.join(display_path(file))).ok()?;
    let lines: Vec<String> = text.lines().map(str::to_lowercase).collect();
    needles.iter().filter(|n| !n.is_empty()).find_map(|needle| {
        let needle = needle.to_lowercase();
        (lines.iter().enumerate())
            .skip(from_line.saturating_sub(1) as usize)
            .find_map(|(i, line)| {
                let at = line.find(&needle)?;
                Some((i as u32 + 1, line[..at].chars().count() as u32 + 1))
            })
    })
}

/// Where the body of `article` first writes `host`, however it is written
/// (see [`mention_of`]): the line and column in the article's file.
fn host_written_at(root: &Path, article: &Article, host: &str) -> Option<(u32, u32)> {
    body_written_at(root, article, |body| mention_of(body, host, 0))
}

/// Where the body of `article` first writes the address `address`, however
/// it is written (see [`address_written`]).
fn address_written_at(root: &Path, article: &Article, address: &str) -> Option<(u32, u32)> {
    body_written_at(root, article, |body| address_written(body, address))
}

/// The line and column in the article's file of what `find` finds in its body.
fn body_written_at(
    root: &Path,
    article: &Article,
    find: impl Fn(&str) -> Option<std::ops::Range<usize>>,
) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string(root.join(display_path(&article.file))).ok()?;
    // The body: what follows the front matter's lines.
    let body_start: usize = (text.split_inclusive('\n'))
        .take(article.body_line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let at = body_start + find(&text[body_start..])?.start;
    let before = &text[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    Some((line, before[line_start..].chars().count() as u32 + 1))
}

/// What the render stage of a build would refuse: templates that do not compile,
/// pages a template fails on. Every page is rendered and the bytes dropped.
fn render_problems(loaded: &LoadedSite, plan: &PagePlan) -> Vec<Diagnostic> {
    if loaded.theme.templates.is_empty() {
        return Vec::new(); // the theme could not be read: reported already
    }
    let renderer = match Renderer::new(&loaded.theme, &loaded.site) {
        Ok(renderer) => renderer,
        Err(problems) => return problems,
    };
    let failures: Vec<Diagnostic> = plan
        .pages
        .par_iter()
        .filter_map(|page| renderer.render(&loaded.site, plan, page).err())
        .collect();
    // One broken template fails every page made with it: say it once, with the
    // first page it failed on.
    let mut first_of: Vec<(Diagnostic, usize)> = Vec::new();
    for d in failures {
        match first_of.iter_mut().find(|(first, _)| first.path == d.path) {
            Some((_, more)) => *more += 1,
            None => first_of.push((d, 0)),
        }
    }
    first_of
        .into_iter()
        .map(|(mut d, more)| {
            if more > 0 {
                d.message.push_str(&format!(" (and {more} other page(s))"));
            }
            d
        })
        .collect()
}

/// The checks `build` does not make, over a site it has read.
pub fn editor_checks(
    loaded: &LoadedSite,
    plan: &PagePlan,
    now: Timestamp,
    root: &Path,
) -> Vec<Diagnostic> {
    let site = &loaded.site;
    let files = SiteFiles::new(loaded, plan);
    let mut found = Vec::new();
    found.extend(missing_files(site, &files));
    found.extend(images_without_alt(site));
    found.extend(empty_summaries(site));
    found.extend(future_dates(site, now));
    found.extend(duplicate_titles(site));
    found.extend(unused_assets(site));
    found.extend(facet_spellings(site));
    found.extend(schedule_gaps(site, now));
    found.extend(betting_links_in_front_matter(site));
    found.extend(government_look_alikes(site, root));
    found.extend(planted_pictures(site, root));
    found
}

/// Pictures that advertise a betting site (one from its host, or from any
/// host with the trade's words for alt text: a banner), and alt texts that
/// hold an address: readers never see an alt text, search engines and screen
/// readers read it, and planted keywords went there too.
pub fn planted_pictures(site: &Site, root: &Path) -> Vec<Diagnostic> {
    let patterns = BettingPatterns::get();
    let own = link_host(&site.config.base_url);
    let mut found = Vec::new();
    for article in &site.articles {
        // The body's pictures as published (Markdown's and HTML's), each at
        // its Markdown line where it has one.
        let document = scraper::Html::parse_fragment(&article.body_html);
        let mut seen: Vec<(String, String)> = Vec::new();
        for img in document
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            if img.value().name() != "img" {
                continue;
            }
            let src = img.value().attr("src").unwrap_or("").to_string();
            let alt = img.value().attr("alt").unwrap_or("").to_string();
            if seen.contains(&(src.clone(), alt.clone())) {
                continue;
            }
            seen.push((src.clone(), alt.clone()));
            // Where the picture is written, found when there is something
            // to say about it.
            let at = || {
                let markdown_at = |same: &dyn Fn(&str) -> bool| {
                    (article.references.iter())
                        .find(|(_, r)| {
                            r.kind == ReferenceKind::Image && r.alt == alt && same(&r.dest)
                        })
                        .map(|(at, _)| (at.line, at.column))
                };
                // A Markdown picture of this address; an HTML one, found in
                // the file by its address, however the file writes it
                // (`&#x6a;un88`, `%6A`); a Markdown one whose address the
                // page writes otherwise (`../anh.jpg`), by its alt text alone:
                // an HTML banner without one is not another picture's.
                markdown_at(&|dest| dest == src)
                    .or_else(|| written_at(root, &article.file, &[&src], article.body_line))
                    .or_else(|| address_written_at(root, article, &src))
                    .or_else(|| markdown_at(&|_| true))
                    .unwrap_or((article.body_line, 1))
            };
            let shown = crate::content::text::shorten(&src, 60);
            if let Some(host) = link_host(&src).filter(|h| !is_own_host(h, own.as_deref()))
                && let Some(pattern) = patterns.matching(&host, &alt)
            {
                let message = format!(
                    "the picture `{shown}` from {} looks like a betting banner (it matches `{pattern}`)",
                    shown_host(&host)
                );
                // A picture from a betting brand's host advertises it.
                let diagnostic = match patterns.betting_host(&host) {
                    Some(_) => Diagnostic::error(display_path(&article.file), message),
                    None => Diagnostic::warning(display_path(&article.file), message),
                };
                let (line, column) = at();
                found.push(
                    diagnostic
                    .at(line, column)
                    .planted(Planted::BettingPicture, Some(&host))
                    .with_hint("delete it; if nobody here put it there, the account was misused: check the other articles too"),
                );
            }
            // What the alt text holds, and the host it names (a brand's
            // name is no host).
            let in_alt: Vec<(String, Option<String>)> = addresses_in_script(&alt)
                .iter()
                .filter_map(|a| link_host(a))
                .filter(|h| !is_own_host(h, own.as_deref()))
                .map(|host| (format!("an address at {host}"), Some(host)))
                .chain(
                    patterns
                        .brand_in(&alt)
                        .map(|brand| (format!("the betting brand `{brand}`"), None)),
                )
                .collect();
            if let Some((what, host)) = in_alt.first() {
                let (line, column) = at();
                found.push(
                    Diagnostic::warning(
                        display_path(&article.file),
                        format!("the alt text of the picture `{shown}` holds {what}: readers never see it, search engines read it"),
                    )
                    .at(line, column)
                    .planted(Planted::PlantedAltText, host.as_deref())
                    .with_hint("say what the photo shows, in words; if nobody here wrote the address, the text was planted"),
                );
            }
        }
    }
    found
}

/// The addresses a front matter text holds, each with the text around it:
/// the links of HTML written in it, the addresses written in it (`\/`, `%`
/// and other escapes read), the field itself when it is one.
fn addresses_in_field(value: &str, own: Option<&str>) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut add = |host: String, text: &str| {
        if !is_own_host(&host, own) && !found.iter().any(|(h, _)| *h == host) {
            found.push((host, text.to_string()));
        }
    };
    if value.contains('<') {
        for link in links_to_other_hosts(value, own) {
            add(link.host, &link.text);
        }
    }
    for address in addresses_in_script(value) {
        if let Some(host) = link_host(&address) {
            add(host, value);
        }
    }
    if let Some(host) = link_host(value) {
        add(host, "");
    }
    found
}

/// The text fields of an article's front matter, by field name; `extra`'s
/// texts at any depth under `extra`.
fn front_matter_texts(article: &Article) -> Vec<(&'static str, &str)> {
    let mut fields = vec![("title", article.title.as_str())];
    if article.summary_given {
        fields.push(("summary", &article.summary));
    }
    for (name, value) in [
        ("author", &article.author),
        ("source", &article.source),
        ("image", &article.image),
    ] {
        fields.extend(value.as_deref().map(|v| (name, v)));
    }
    extra_texts(&article.extra, &mut fields);
    fields
}

/// The texts of an `extra:` map, at any depth, as the field `extra`.
fn extra_texts<'a>(
    extra: &'a serde_json::Map<String, serde_json::Value>,
    out: &mut Vec<(&'static str, &'a str)>,
) {
    fn texts<'a>(value: &'a serde_json::Value, out: &mut Vec<(&'static str, &'a str)>) {
        match value {
            serde_json::Value::String(text) => out.push(("extra", text)),
            serde_json::Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| texts(v, out)),
            _ => {}
        }
    }
    extra.values().for_each(|value| texts(value, out));
}

/// Front matter fields that lead to a betting site or advertise one: they are
/// shown on the article's page, in every list and feed, and in the preview a
/// share shows (`image:` becomes the page's picture for Facebook and Zalo),
/// and no other check reads them.
pub fn betting_links_in_front_matter(site: &Site) -> Vec<Diagnostic> {
    let articles = (site.articles.iter())
        .map(|article| (&article.file, &article.lines, front_matter_texts(article)));
    // A document's fields are shown on its page and in the register's lists
    // and open data (`index.json`) alike.
    let documents = site.documents.documents.iter().map(|document| {
        let mut fields = vec![
            ("number", document.number.as_str()),
            ("type", &document.kind),
            ("issuer", &document.issuer),
            ("title", &document.title),
        ];
        for (name, value) in [("signer", &document.signer), ("field", &document.field)] {
            fields.extend(value.as_deref().map(|v| (name, v)));
        }
        extra_texts(&document.extra, &mut fields);
        (&document.file, &document.lines, fields)
    });
    let patterns = BettingPatterns::get();
    let own = link_host(&site.config.base_url);
    let mut found = Vec::new();
    for (file, lines, fields) in articles.chain(documents) {
        for (field, value) in fields {
            for (host, text) in addresses_in_field(value, own.as_deref()) {
                let Some(pattern) = patterns.matching(&host, &text) else {
                    continue;
                };
                let message = format!(
                    "the `{field}:` field leads to {}, which looks like a betting site (it matches `{pattern}`)",
                    shown_host(&host)
                );
                // A betting brand's host: refused, as in a body.
                let diagnostic = match patterns.betting_host(&host) {
                    Some(_) => Diagnostic::error(display_path(file), message),
                    None => Diagnostic::warning(display_path(file), message),
                };
                found.push(
                    diagnostic
                    .at(lines.of(field).unwrap_or(1), 1)
                    .planted(Planted::BettingLink, Some(&host))
                    .with_hint("delete it: front matter is shown on the page, in lists, feeds and shares; if nobody here wrote it, the account was misused: check the other articles too"),
                );
            }
        }
    }
    found
}

/// Links (in the body or the front matter) to a host dressed as a government
/// site's (`dichvucong.gov.vn.com`): a reader trusts it as the ministry's; and
/// to a name mixing alphabets (`vіetcombank.vn`, a Cyrillic `і`), an error.
pub fn government_look_alikes(site: &Site, root: &Path) -> Vec<Diagnostic> {
    let own = link_host(&site.config.base_url);
    let mut found = Vec::new();
    for article in &site.articles {
        // Each host once an article, at the first place it is written.
        let mut hosts: Vec<(String, u32, u32)> = Vec::new();
        let mut add = |host: String, line: u32, column: u32| {
            if !hosts.iter().any(|(h, _, _)| *h == host) {
                hosts.push((host, line, column));
            }
        };
        for (at, reference) in article.references.iter() {
            if let Some(host) = link_host(&reference.dest) {
                add(host, at.line, at.column);
            }
        }
        for link in links_to_other_hosts(&article.body_html, own.as_deref()) {
            add(link.host, 0, 0);
        }
        for (field, value) in front_matter_texts(article) {
            for (host, _) in addresses_in_field(value, own.as_deref()) {
                add(host, article.lines.of(field).unwrap_or(1), 1);
            }
        }
        for (host, line, column) in hosts {
            let at = |line: u32, column: u32| match line {
                // A link of the body's HTML: found in the file by its host.
                0 => host_written_at(root, article, &host).unwrap_or((article.body_line, 1)),
                _ => (line, column),
            };
            let Some(why) = government_look_alike(&host) else {
                if let Some(letters) = mixed_alphabets(&host) {
                    let (line, column) = at(line, column);
                    found.push(
                        Diagnostic::error(
                            display_path(&article.file),
                            format!("a link to {host} ({letters}), a look-alike name: it mixes Latin letters with letters of another alphabet drawn like them"),
                        )
                        .at(line, column)
                        .planted(Planted::LookAlikeHost, Some(&host))
                        .with_hint("no one names a site so but to pass for another's: delete the link, or link to the real site's address typed anew; if nobody here wrote it, the text was pasted from a hacked page"),
                    );
                }
                continue;
            };
            let message = format!(
                "a link to {}, which only looks like a government site: {why}",
                shown_host(&host)
            );
            let (line, column) = at(line, column);
            found.push(
                Diagnostic::warning(display_path(&article.file), message)
                .at(line, column)
                .planted(Planted::LookAlikeHost, Some(&host))
                .with_hint("link to the agency's real address (a government site's name ends in .gov.vn); if nobody here wrote it, the text was pasted from a hacked page"),
            );
        }
    }
    found
}

/// A site that keeps its leaders' schedule should have this week's and, from
/// Friday on, next week's: a citizen checks it before coming.
fn schedule_gaps(site: &Site, now: Timestamp) -> Vec<Diagnostic> {
    use crate::content::week::{SCHEDULE_DIR, WeekNumber};
    let schedule = &site.schedule;
    if schedule.is_empty() {
        return Vec::new();
    }
    let today = now.to_zoned(site.config.timezone.clone()).date();
    let this_week = WeekNumber::of(today);
    // A schedule not kept for two months (an archived portal) is not nagged about.
    let kept_until = schedule.weeks.last().map(|w| w.number.sunday());
    let active_since = today.checked_sub(jiff::ToSpan::weeks(8)).unwrap_or(today);
    if kept_until.is_none_or(|last| last < active_since) {
        return Vec::new();
    }
    let mut wanted = vec![this_week];
    if today.weekday().to_monday_zero_offset() >= 4 {
        wanted.push(this_week.next());
    }
    wanted
        .into_iter()
        .filter(|w| !schedule.weeks.iter().any(|known| known.number == *w))
        .map(|w| {
            Diagnostic::warning(
                display_path(SCHEDULE_DIR),
                format!(
                    "the work schedule has no week {} ({} to {})",
                    w.name(),
                    w.monday().strftime("%d/%m/%Y"),
                    w.sunday().strftime("%d/%m/%Y")
                ),
            )
            .with_hint(format!("write it: bantin new --week {}", w.name()))
        })
        .collect()
}

/// The files the published site will have, by path relative to the output folder.
pub struct SiteFiles {
    files: HashSet<String>,
    like: NamesLike,
}

impl SiteFiles {
    pub fn new(loaded: &LoadedSite, plan: &PagePlan) -> Self {
        let pages = plan.pages.iter().map(|p| output_file(&p.path));
        let assets = loaded.site.assets.iter().map(|a| a.rel.clone());
        let statics = loaded.theme.static_files.iter().map(|f| f.rel.clone());
        SiteFiles {
            files: pages.chain(assets).chain(statics).collect(),
            like: NamesLike::default(),
        }
    }
}

impl Published for SiteFiles {
    /// Whether a link to `path` (a site path without its leading `/`) leads
    /// to a file or a page of the site.
    fn has(&self, path: &str) -> bool {
        if path.is_empty() {
            return true;
        }
        if let Some(dir) = path.strip_suffix('/') {
            return self.files.contains(&format!("{dir}/index.html"));
        }
        self.files.contains(path) || self.files.contains(&format!("{path}/index.html"))
    }

    fn named_like(&self, path: &str) -> Option<&str> {
        self.like.find(path.trim_end_matches('/'), || {
            let mut files: Vec<&str> = (self.files.iter())
                .map(|file| file.strip_suffix("/index.html").unwrap_or(file))
                .collect();
            files.sort_unstable();
            files
        })
    }
}

/// Links that lead to no file or page of the site (links to missing articles
/// are errors of the build, and missing pictures its warnings).
pub fn missing_files(site: &Site, files: &SiteFiles) -> Vec<Diagnostic> {
    let base = site.config.base_path();
    site.articles
        .iter()
        .flat_map(|article| missing_targets(article, base, Shown::Links, files))
        .collect()
}

/// Images whose alt text is empty: screen readers then say nothing of the photo.
pub fn images_without_alt(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for article in &site.articles {
        for (at, reference) in article.references.iter() {
            if reference.kind == ReferenceKind::Image && reference.alt.trim().is_empty() {
                found.push(
                    Diagnostic::warning(
                        display_path(&article.file),
                        format!("the image `{}` has no alt text", reference.dest),
                    )
                    .at(at.line, at.column)
                    .with_hint("say what the photo shows between the brackets: ![Đồng chí Châu phát biểu tại hội nghị](…)"),
                );
            }
        }
    }
    found
}

/// Articles without a `summary:` whose first paragraph has no words either: their
/// entry in every list would be a bare title.
pub fn empty_summaries(site: &Site) -> Vec<Diagnostic> {
    site.articles
        .iter()
        .filter(|a| !a.summary_given && a.summary.is_empty())
        .map(|a| {
            Diagnostic::warning(
                display_path(&a.file),
                "the article has no summary: it has no `summary:` and its first paragraph is empty",
            )
            .at(a.body_line, 1)
            .with_hint(
                "add a `summary:` line to the front matter, or begin the text with a paragraph",
            )
        })
        .collect()
}

/// Published articles dated after `now`: they would head every list until then.
pub fn future_dates(site: &Site, now: Timestamp) -> Vec<Diagnostic> {
    site.articles
        .iter()
        .filter(|a| !a.draft && a.date.timestamp() > now)
        .map(|a| {
            Diagnostic::warning(
                display_path(&a.file),
                format!(
                    "the article is dated in the future ({})",
                    a.date.strftime("%Y-%m-%d %H:%M %:z")
                ),
            )
            .at(a.lines.of("date").unwrap_or(1), 1)
            .with_hint("correct the date, or add `draft: true` until the day it may appear")
        })
        .collect()
}

/// Two articles with the same title in the same category on the same day: most
/// likely one article published twice.
pub fn duplicate_titles(site: &Site) -> Vec<Diagnostic> {
    let mut first_of: HashMap<(usize, jiff::civil::Date, String), &str> = HashMap::new();
    let mut found = Vec::new();
    // Oldest first and by file, so the earlier article is the one named.
    let mut order: Vec<usize> = (0..site.articles.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&site.articles[a], &site.articles[b]);
        a.date
            .timestamp()
            .cmp(&b.date.timestamp())
            .then_with(|| a.file.cmp(&b.file))
    });
    for i in order {
        let article = &site.articles[i];
        let key = (
            article.category,
            article.date.date(),
            article.title.to_lowercase(),
        );
        match first_of.get(&key) {
            Some(first) => found.push(
                Diagnostic::warning(
                    display_path(&article.file),
                    format!(
                        "{} has the same title, in the same category, on the same day",
                        display_path(first)
                    ),
                )
                .at(article.lines.of("title").unwrap_or(1), 1)
                .with_hint("if it is the same news, delete one of the files; if not, tell the titles apart"),
            ),
            None => {
                first_of.insert(key, &article.file);
            }
        }
    }
    found
}

/// The short forms of forms and issuing bodies clerks write, folded, with
/// the words they stand for: `UBND phường An Khánh` is `Ủy ban nhân dân
/// phường An Khánh`, `QĐ` is `Quyết định`.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("ubnd", "uy-ban-nhan-dan"),
    ("hdnd", "hoi-dong-nhan-dan"),
    ("ub", "uy-ban"),
    ("mttq", "mat-tran-to-quoc"),
    ("tp", "thanh-pho"),
    ("qd", "quyet-dinh"),
    ("kh", "ke-hoach"),
    ("tb", "thong-bao"),
    ("cv", "cong-van"),
    ("nq", "nghi-quyet"),
    ("ct", "chi-thi"),
    ("bc", "bao-cao"),
    ("hd", "huong-dan"),
];

/// A warning on each document whose form or issuing body is a second
/// spelling of another's (`UBND phường An Khánh` beside `Ủy ban nhân dân
/// phường An Khánh`, `QĐ` beside `Quyết định`): the register lists them
/// apart, on two pages, and a reader on one misses the other. The spelling
/// most documents use is the one to keep.
pub fn facet_spellings(site: &Site) -> Vec<Diagnostic> {
    let register = &site.documents;
    let long = |slug: &str| -> String {
        slug.split('-')
            .map(|word| {
                SHORT_FORMS
                    .iter()
                    .find(|(short, _)| *short == word)
                    .map_or(word, |(_, long)| long)
            })
            .collect::<Vec<_>>()
            .join("-")
    };
    let mut found = Vec::new();
    for (field, facets) in [("type", &register.types), ("issuer", &register.issuers)] {
        let mut by_long: HashMap<String, Vec<&crate::site::documents::Facet>> = HashMap::new();
        for facet in facets {
            by_long.entry(long(&facet.slug)).or_default().push(facet);
        }
        for spellings in by_long.values().filter(|s| s.len() > 1) {
            let Some(kept) = spellings
                .iter()
                .max_by_key(|f| (f.documents.len(), std::cmp::Reverse(&f.slug)))
            else {
                continue;
            };
            for other in spellings.iter().filter(|f| f.slug != kept.slug) {
                for &i in &other.documents {
                    let document = &register.documents[i];
                    found.push(
                        Diagnostic::warning(
                            display_path(&document.file),
                            format!(
                                "`{}` is written `{}` in {} other document(s): the register lists them apart ({} and {})",
                                other.name,
                                kept.name,
                                kept.documents.len(),
                                other.url,
                                kept.url
                            ),
                        )
                        .at(document.lines.of(field).unwrap_or(1), 1)
                        .with_hint(format!(
                            "write `{field}: \"{}\"` as they do, so that one page lists them all",
                            kept.name
                        )),
                    );
                }
            }
        }
    }
    found.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    found
}

/// Files in content/ that no article (drafts included) links to or shows, nor
/// site.yaml names.
pub fn unused_assets(site: &Site) -> Vec<Diagnostic> {
    let mut used: HashSet<String> = HashSet::new();
    let mut note = |dest: &str, dir: &str| {
        if let LocalTarget::Path { content_path, .. } = local_target(dest, dir) {
            used.insert(content_path);
        }
    };
    let base = site.config.base_path();
    for article in &site.articles {
        for (_, reference) in article.references.iter() {
            note(&reference.dest, source_dir(&article.file));
        }
        if let Some(image) = &article.image {
            note(strip_base(image, base), "");
        }
    }
    for draft in &site.drafts_left_out {
        for dest in markdown::destinations(&draft.body) {
            note(&dest, draft.source_dir());
        }
        if let Some(image) = &draft.front.image {
            note(image, draft.source_dir());
        }
    }
    for path in site.config.logo.iter().chain(&site.config.about) {
        note(path, "");
    }
    used.extend(site.documents.files_used.iter().cloned());
    site.assets
        .iter()
        .filter(|asset| !used.contains(&asset.rel))
        .map(|asset| match asset.rel.starts_with(&format!("{DOCUMENTS_DIR}/")) {
            // A document's file, most likely, whose `files:` line was forgotten.
            true => Diagnostic::warning(
                display_path(&asset.rel),
                "no document lists this file in `files:`, and no article links to it",
            )
            .with_hint(format!(
                "add it to its document's `files:` line (`files: [\"/{}\"]`), or delete it if it is no longer needed",
                asset.rel
            )),
            false => Diagnostic::warning(
                display_path(&asset.rel),
                "no article links to or shows this file",
            )
            .with_hint("link to it from an article, or delete it if it is no longer needed"),
        })
        .collect()
}

fn source_dir(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `true` when the run should fail: any error, or any warning when `strict`.
pub fn fails(problems: &Diagnostics, strict: bool) -> bool {
    problems.has_errors() || (strict && problems.warning_count() > 0)
}

/// One diagnostic as a JSON object, for CI annotations and for an audit's
/// record: `kind` and `host` name a planted link's kind and the host it
/// leads to (as DNS is asked for it, `xn--…` for an international name), as
/// set where the link was found ([`Diagnostic::planted`]), never read back
/// from the message's words; `null` on any other problem.
pub fn to_json(d: &Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": d.message,
        "hint": d.hint,
        "kind": d.kind.map(Planted::name),
        "host": d.host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::article::parse_article;
    use crate::content::sources::SourceFile;
    use crate::site::model::{ArticleIndex, NoBodiesKnown, build_site};

    fn site(files: &[(&str, &str)], assets: &[&str]) -> Site {
        let config = Config::default();
        let articles: Vec<_> = files
            .iter()
            .map(|(path, text)| {
                std::sync::Arc::new(parse_article(path, text.as_bytes(), &config.timezone).unwrap())
            })
            .collect();
        let assets = assets
            .iter()
            .map(|rel| SourceFile {
                rel: rel.to_string(),
                abs: rel.into(),
                stamp: None,
            })
            .collect();
        let links = ArticleIndex::new(&articles, &config);
        build_site(
            config.clone(),
            articles.clone(),
            assets,
            false,
            &mut NoBodiesKnown,
            &links,
        )
        .0
    }

    fn article(title: &str, date: &str, body: &str) -> String {
        format!("---\ntitle: \"{title}\"\ndate: {date}\ncategory: Tin\n---\n{body}")
    }

    fn lines(found: &[Diagnostic]) -> Vec<(&str, Option<u32>)> {
        found.iter().map(|d| (d.path.as_str(), d.line)).collect()
    }

    #[test]
    fn future_is_after_the_moment_given() {
        let s = site(
            &[
                ("a.md", &article("A", "2014-01-17 08:00", "x")),
                ("b.md", &article("B", "2014-01-17 09:00", "x")),
            ],
            &[],
        );
        let at = |text: &str| text.parse::<Timestamp>().unwrap();
        // 08:30 in +07:00 is 01:30 UTC: B is still to come.
        assert_eq!(
            lines(&future_dates(&s, at("2014-01-17T01:30:00Z"))),
            [("content/b.md", Some(3))]
        );
        assert!(future_dates(&s, at("2014-01-17T02:00:00Z")).is_empty());
    }

    #[test]
    fn the_later_of_two_same_titles_is_named() {
        let s = site(
            &[
                ("z.md", &article("Họp dân", "2014-01-17 08:00", "x")),
                (
                    "a.md",
                    &article("họp dân", "2014-01-17 20:00", "x")
                        .replace("---\nx", "slug: b\n---\nx"),
                ),
                (
                    "c.md",
                    &article("Họp dân", "2014-01-18 08:00", "x")
                        .replace("---\nx", "slug: c\n---\nx"),
                ),
            ],
            &[],
        );
        let found = duplicate_titles(&s);
        assert_eq!(lines(&found), [("content/a.md", Some(2))]);
        assert!(found[0].message.contains("content/z.md"));
    }

    #[test]
    fn alt_text_summaries_and_unused_files() {
        let draft = "---\ntitle: Nháp\ndate: 2014-01-18\ncategory: Tin\ndraft: true\nimage: bia.jpg\n---\n![Nháp](nhap.jpg)\n";
        let s = site(
            &[
                (
                    "tin/a.md",
                    &article(
                        "A",
                        "2014-01-17",
                        "![](../anh.jpg)\n\n![Ảnh](/anh%20hai.jpg)\n",
                    ),
                ),
                // The files a draft uses are not unused: it will be published.
                ("n.md", draft),
            ],
            &["anh.jpg", "anh hai.jpg", "thua.pdf", "nhap.jpg", "bia.jpg"],
        );
        assert_eq!(
            lines(&images_without_alt(&s)),
            [("content/tin/a.md", Some(6))]
        );
        assert_eq!(lines(&empty_summaries(&s)), [("content/tin/a.md", Some(6))]);
        assert_eq!(lines(&unused_assets(&s)), [("content/thua.pdf", None)]);
    }

    /// An audit's record of every kind of planted link, with each message
    /// reworded: the kind and host are where the link was found, not read
    /// back from the message's words.
    #[test]
    fn an_audits_kinds_and_hosts_survive_a_reworded_message() {
        let date = "2014-01-17";
        let files = [
            (
                "hidden.md",
                article(
                    "A",
                    date,
                    "<div style=\"display:none\"><a href=\"https://okvip.example/\">x</a></div>",
                ),
            ),
            (
                "brand.md",
                article("B", date, "[Xem](https://jun88.example/)"),
            ),
            (
                "words.md",
                article("C", date, "[Nhà cái uy tín](https://example.com/)"),
            ),
            (
                "gov.md",
                article("D", date, "[Dịch vụ công](https://dichvucong.gov.vn.com/)"),
            ),
            (
                "mixed.md",
                article("E", date, "[Ngân hàng](https://v\u{456}etcombank.vn/)"),
            ),
            (
                "banner.md",
                article(
                    "F",
                    date,
                    "![Nhà cái uy tín](https://cdn.okvip.example/b.gif)",
                ),
            ),
            (
                "alt-host.md",
                article("G", date, "![Ảnh https://mu88.example/](/a.jpg)"),
            ),
            (
                "alt-brand.md",
                article("H", date, "![Hội nghị OKVIP](/a.jpg)"),
            ),
            (
                "field.md",
                article("I", date, "x").replace(
                    "category: Tin\n",
                    "category: Tin\nsource: \"https://jun88.example/\"\n",
                ),
            ),
        ];
        let config = Config::default();
        let articles: Vec<_> = (files.iter())
            .map(|(path, text)| {
                std::sync::Arc::new(parse_article(path, text.as_bytes(), &config.timezone).unwrap())
            })
            .collect();
        let links = ArticleIndex::new(&articles, &config);
        let (s, mut found) = build_site(
            config.clone(),
            articles.clone(),
            Vec::new(),
            false,
            &mut NoBodiesKnown,
            &links,
        );
        let nowhere = Path::new("/nonexistent-site");
        found.extend(planted_pictures(&s, nowhere));
        found.extend(government_look_alikes(&s, nowhere));
        found.extend(betting_links_in_front_matter(&s));
        let mut records: Vec<(String, String, serde_json::Value)> = Vec::new();
        for mut d in found {
            let before = to_json(&d);
            d.message = "một lời khác".to_string();
            let after = to_json(&d);
            assert_eq!(
                (&before["kind"], &before["host"]),
                (&after["kind"], &after["host"]),
                "{before}"
            );
            if !after["kind"].is_null() {
                let kind = after["kind"].as_str().unwrap().to_string();
                records.push((d.path, kind, after["host"].clone()));
            }
        }
        records.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let expected = [
            ("alt-brand.md", "planted-alt-text", serde_json::Value::Null),
            ("alt-host.md", "planted-alt-text", "mu88.example".into()),
            ("banner.md", "betting-picture", "cdn.okvip.example".into()),
            ("brand.md", "betting-link", "jun88.example".into()),
            ("field.md", "betting-link", "jun88.example".into()),
            ("gov.md", "look-alike-host", "dichvucong.gov.vn.com".into()),
            ("hidden.md", "hidden-link", "okvip.example".into()),
            (
                "mixed.md",
                "look-alike-host",
                "xn--vetcombank-x2i.vn".into(),
            ),
            ("words.md", "betting-link", "example.com".into()),
        ]
        .map(|(file, kind, host)| (format!("content/{file}"), kind.to_string(), host));
        assert_eq!(records, expected);
    }

    #[test]
    fn site_files_know_pages_and_files() {
        let files = SiteFiles {
            files: ["index.html", "tin/index.html", "Ảnh.jpg", "ve-trang.html"]
                .map(String::from)
                .into(),
            like: NamesLike::default(),
        };
        for there in ["", "tin", "tin/", "Ảnh.jpg"] {
            assert!(files.has(there), "{there}");
        }
        for missing in ["khong/", "khong", "anh.png"] {
            assert!(!files.has(missing), "{missing}");
        }
        // A path but for capitals and accents names the file meant.
        for (missing, meant) in [
            ("anh.JPG", "Ảnh.jpg"),
            ("TIN/", "tin"),
            ("Về-trang.html", "ve-trang.html"),
        ] {
            assert_eq!(files.named_like(missing), Some(meant), "{missing}");
        }
    }
}
