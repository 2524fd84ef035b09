//! The page plan: every page the site will have, its path and the data it shows,
//! decided before anything is rendered, so rendering is a parallel map over it.

use std::collections::HashMap;
use std::ops::Range;

use super::model::Site;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPage {
    /// Site path: `/dan-van/tong-ket/` (a folder, written as its index.html) or
    /// `/404.html` (a file).
    pub path: String,
    pub kind: PageKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// Index into [`Site::articles`].
    Article(usize),
    /// One page of a list of articles.
    List(ListPage),
    NotFound,
}

/// Which articles a list shows, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// All articles: `/`.
    News,
    /// Index into [`Site::categories`]: `/<category-slug>/`.
    Category(usize),
    /// Index into [`Site::tags`]: `/tags/<tag-slug>/`.
    Tag(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    pub list: ListKind,
    /// 1-based page number.
    pub number: usize,
    pub total_pages: usize,
    /// The slice of the list's articles on this page.
    pub items: Range<usize>,
}

impl ListKind {
    /// Site path of the list's first page.
    pub fn first_path(self, site: &Site) -> String {
        match self {
            ListKind::News => "/".to_string(),
            ListKind::Category(i) => site.categories[i].url.clone(),
            ListKind::Tag(i) => site.tags[i].url.clone(),
        }
    }

    /// The list's articles, as indices into [`Site::articles`], newest first.
    pub fn articles(self, site: &Site) -> ListArticles<'_> {
        match self {
            ListKind::News => ListArticles::All(site.articles.len()),
            ListKind::Category(i) => ListArticles::Some(&site.categories[i].articles),
            ListKind::Tag(i) => ListArticles::Some(&site.tags[i].articles),
        }
    }
}

/// A list's articles without copying the full list (0..n for the news).
#[derive(Debug, Clone, Copy)]
pub enum ListArticles<'a> {
    All(usize),
    Some(&'a [usize]),
}

impl ListArticles<'_> {
    pub fn len(&self) -> usize {
        match self {
            ListArticles::All(n) => *n,
            ListArticles::Some(list) => list.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn slice(&self, range: Range<usize>) -> Vec<usize> {
        match self {
            ListArticles::All(_) => range.collect(),
            ListArticles::Some(list) => list[range].to_vec(),
        }
    }
}

/// Site path of page `number` of a list whose first page is `first`.
pub fn list_page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

#[derive(Debug, Default)]
pub struct PagePlan {
    pub pages: Vec<PlannedPage>,
}

/// Plans every page of `site`. Two pages (or a page and an asset) that would be
/// written to one file are an error naming both.
pub fn plan_pages(site: &Site) -> (PagePlan, Vec<Diagnostic>) {
    let mut pages = Vec::new();
    paginate(site, ListKind::News, &mut pages);
    for i in 0..site.categories.len() {
        paginate(site, ListKind::Category(i), &mut pages);
    }
    for i in 0..site.tags.len() {
        paginate(site, ListKind::Tag(i), &mut pages);
    }
    pages.extend(site.articles.iter().enumerate().map(|(i, a)| PlannedPage {
        path: a.url.clone(),
        kind: PageKind::Article(i),
    }));
    pages.push(PlannedPage {
        path: "/404.html".to_string(),
        kind: PageKind::NotFound,
    });
    let problems = collisions(site, &pages);
    (PagePlan { pages }, problems)
}

fn paginate(site: &Site, list: ListKind, pages: &mut Vec<PlannedPage>) {
    let count = list.articles(site).len();
    let per_page = site.config.paginate.max(1);
    // A list with no articles still has its first page (a new site's home page).
    let total_pages = count.div_ceil(per_page).max(1);
    let first = list.first_path(site);
    for number in 1..=total_pages {
        let start = (number - 1) * per_page;
        pages.push(PlannedPage {
            path: list_page_path(&first, number),
            kind: PageKind::List(ListPage {
                list,
                number,
                total_pages,
                items: start..(start + per_page).min(count),
            }),
        });
    }
}

/// The file a site path is written to, relative to the output folder.
pub fn output_file(path: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The file a page comes from and what it is, in an editor's words.
fn describe(site: &Site, kind: &PageKind) -> (String, String) {
    match kind {
        PageKind::Article(i) => {
            let file = crate::content::sources::display_path(&site.articles[*i].file);
            (file.clone(), file)
        }
        PageKind::List(list) => {
            let what = match list.list {
                ListKind::News => "the news list".to_string(),
                ListKind::Category(c) => {
                    format!("the list of category `{}`", site.categories[c].name)
                }
                ListKind::Tag(t) => format!("the list of tag `{}`", site.tags[t].name),
            };
            ("site.yaml".to_string(), what)
        }
        PageKind::NotFound => ("site.yaml".to_string(), "the 404 page".to_string()),
    }
}

fn collisions(site: &Site, pages: &[PlannedPage]) -> Vec<Diagnostic> {
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let file = output_file(&page.path);
        if let Some(&first) = owner.get(&file) {
            let (_, first_what) = describe(site, &pages[first].kind);
            let (path, what) = describe(site, &page.kind);
            let (what, hint) = match page.kind {
                PageKind::Article(_) => (
                    "this article".to_string(),
                    "give one of them another title, or a `slug:` line of its own",
                ),
                _ => (
                    what,
                    "rename the category or tag so that each page has its own address",
                ),
            };
            problems.push(
                Diagnostic::error(
                    path,
                    format!(
                        "{what} and {first_what} would both be published at {}",
                        page.path
                    ),
                )
                .at(1, 1)
                .with_hint(hint),
            );
        } else {
            owner.insert(file, i);
        }
    }
    for asset in &site.assets {
        if let Some(&page) = owner.get(&asset.rel) {
            let (_, what) = describe(site, &pages[page].kind);
            problems.push(
                Diagnostic::error(
                    crate::content::sources::display_path(&asset.rel),
                    format!(
                        "this file and {what} would both be published at /{}",
                        asset.rel
                    ),
                )
                .with_hint("move or rename the file"),
            );
        }
    }
    problems
}
