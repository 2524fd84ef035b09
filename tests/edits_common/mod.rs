//! A small portal on disk and the edits an editor makes to it, chosen by a seeded
//! random generator so that a failing sequence can be replayed exactly.
//!
//! [`EditedSite`] keeps a model of the site (its articles, assets, `site.yaml`
//! settings and whether a file is broken) so that every edit is one an editor could
//! make to a site that builds: an existing article is picked, links follow the
//! files they point at, only unused assets are removed. Each edit writes the files
//! it changes and says whether the site should still build afterwards.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

/// A deterministic generator (SplitMix64): one seed, one sequence of edits.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "nothing to choose from");
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u32, high: u32) -> u32 {
        low + self.below((high - low + 1) as usize) as u32
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What an editor does, one kind a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EditKind {
    Body,
    Title,
    Date,
    Category,
    Views,
    Tags,
    Draft,
    NewArticle,
    DeletedArticle,
    MovedFile,
    Alias,
    AssetAdded,
    AssetRemoved,
    Link,
    OtherFrontMatter,
    SiteSettings,
    ThemeTemplate,
    ThemeStatic,
    LanguageFile,
    SiteTemplate,
    /// A document of the register (văn bản) added, removed or changed: its
    /// number, its dates (and so its status), what it replaces, its attachments.
    Document,
    /// A file made invalid: the build must fail and name it.
    Broken,
    /// The broken file mended.
    Fix,
    /// An item added to a week of the work schedule.
    ScheduleItemAdded,
    /// An item of the schedule moved to another day of its week.
    ScheduleItemMoved,
    /// A week of the schedule added (its file written).
    ScheduleWeekAdded,
    /// A week of the schedule removed (its file deleted).
    ScheduleWeekRemoved,
    /// An hour or a day passes before the next build: calendars, the home
    /// page's block of the week, the current week and documents' statuses
    /// follow the build's time. Not in `serve`'s deck (its clock is its own).
    TimePasses,
}

impl EditKind {
    /// Whether it edits the work schedule.
    fn is_schedule(self) -> bool {
        matches!(
            self,
            EditKind::ScheduleItemAdded
                | EditKind::ScheduleItemMoved
                | EditKind::ScheduleWeekAdded
                | EditKind::ScheduleWeekRemoved
        )
    }

    /// Every kind a sequence draws, each as often as its weight.
    pub const DECK: &'static [(EditKind, usize)] = &[
        (EditKind::Body, 4),
        (EditKind::Title, 2),
        (EditKind::Date, 2),
        (EditKind::Category, 2),
        (EditKind::Views, 2),
        (EditKind::Tags, 2),
        (EditKind::Draft, 1),
        (EditKind::NewArticle, 2),
        (EditKind::DeletedArticle, 1),
        (EditKind::MovedFile, 2),
        (EditKind::Alias, 1),
        (EditKind::AssetAdded, 1),
        (EditKind::AssetRemoved, 1),
        (EditKind::Link, 2),
        (EditKind::OtherFrontMatter, 2),
        (EditKind::SiteSettings, 3),
        (EditKind::ThemeTemplate, 1),
        (EditKind::ThemeStatic, 1),
        (EditKind::LanguageFile, 1),
        (EditKind::SiteTemplate, 1),
        (EditKind::Document, 3),
        (EditKind::Broken, 2),
        (EditKind::ScheduleItemAdded, 1),
        (EditKind::ScheduleItemMoved, 1),
        (EditKind::ScheduleWeekAdded, 1),
        (EditKind::ScheduleWeekRemoved, 1),
        (EditKind::TimePasses, 1),
    ];

    /// Edits made while a file is broken (to other files than the broken one).
    const WHILE_BROKEN: &'static [EditKind] = &[
        EditKind::Body,
        EditKind::Title,
        EditKind::Views,
        EditKind::Tags,
        EditKind::Date,
        EditKind::NewArticle,
        EditKind::AssetAdded,
    ];

    /// Every kind, for reports of what a run covered.
    pub fn all() -> Vec<EditKind> {
        let mut kinds: Vec<EditKind> = EditKind::DECK.iter().map(|(k, _)| *k).collect();
        kinds.push(EditKind::Fix);
        kinds
    }
}

/// Kinds drawn without replacement, so that every kind comes once in each
/// round of the deck (36 draws) whatever the seed.
pub struct Deck {
    left: Vec<EditKind>,
    /// Whether it holds the work schedule's edits.
    schedule: bool,
    /// Whether time may pass between builds.
    clock: bool,
}

impl Deck {
    pub fn new() -> Deck {
        Deck {
            left: Vec::new(),
            schedule: true,
            clock: false,
        }
    }

    /// The deck of a sequence: every other seed's leaves the work schedule
    /// alone, so that more of its builds take the patched model (an edit to a
    /// week takes the full pipeline), which must be tried with every other
    /// edit, documents' included.
    pub fn for_seed(seed: u64) -> Deck {
        Deck {
            left: Vec::new(),
            schedule: seed.is_multiple_of(2),
            clock: true,
        }
    }

    pub fn draw(&mut self, rng: &mut Rng) -> EditKind {
        if self.left.is_empty() {
            for (kind, weight) in EditKind::DECK {
                if (self.schedule || !kind.is_schedule())
                    && (self.clock || *kind != EditKind::TimePasses)
                {
                    self.left.extend(std::iter::repeat_n(*kind, *weight));
                }
            }
        }
        let at = rng.below(self.left.len());
        self.left.swap_remove(at)
    }
}

impl Default for Deck {
    fn default() -> Self {
        Deck::new()
    }
}

/// What the build should do after an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Builds,
    /// The build fails with an error naming this file (relative to the site).
    FailsNaming(String),
}

/// One edit made to the files.
#[derive(Debug, Clone)]
pub struct Edit {
    pub kind: EditKind,
    /// What was done, to which file: enough to understand a failure.
    pub description: String,
    pub outcome: Outcome,
}

/// The build's date of a sequence's first build (2015-03-11, a Wednesday),
/// and of every build of `serve`'s; a cached build and the full build it is
/// compared with are made at the same time.
pub const BUILD_DATE: &str = "1426060800";

/// The weeks of 2015 a sequence's schedule may have.
const WEEKS: (u8, u8) = (8, 14);

const LEADERS: &[&str] = &[
    "Chủ tịch UBND phường",
    "Phó Chủ tịch UBND phường",
    "Chủ Tịch UBND Phường",
];

/// One item of a week: its day (0 = Monday), hour, leader and text.
#[derive(Debug, Clone)]
struct WeekItem {
    day: u8,
    hour: u8,
    who: usize,
    what: String,
    changed: bool,
}

/// `content/lich-cong-tac/2015-W09.yaml`.
fn week_file(week: u8) -> String {
    format!("content/lich-cong-tac/2015-W{week:02}.yaml")
}

/// The categories articles are in. `Tin mới` has none at first; the last one is
/// another spelling of `Văn hóa - Thể thao` (the same slug, one category).
const CATEGORIES: &[(&str, &str)] = &[
    ("Dân vận", "dan-van"),
    ("Thông báo", "thong-bao"),
    ("Văn hóa - Thể thao", "van-hoa"),
    ("Cải cách hành chính", "cai-cach"),
    ("Tin mới", "tin-moi"),
    ("Văn Hóa - Thể Thao", "van-hoa"),
];

/// Tag names; two spellings of one tag among them.
const TAGS: &[&str] = &[
    "quy chế dân chủ",
    "chuyển đổi số",
    "Chuyển Đổi Số",
    "an sinh xã hội",
    "lễ hội",
    "tiếp công dân",
    "môi trường",
    "thủ tục hành chính",
];

const WORDS: &[&str] = &[
    "hội nghị",
    "dân vận",
    "công tác",
    "phường",
    "tổ chức",
    "người dân",
    "cán bộ",
    "triển khai",
    "kế hoạch",
    "thực hiện",
    "đánh giá",
    "kết quả",
    "chương trình",
    "an sinh",
    "văn hóa",
    "thể thao",
    "lễ hội",
    "mùa xuân",
    "giải bóng đá",
    "cải cách",
    "hành chính",
    "thủ tục",
    "một cửa",
    "tiếp công dân",
    "khu phố",
    "thanh niên",
    "phụ nữ",
    "hội viên",
    "tập huấn",
    "tuyên truyền",
    "pháp luật",
    "đạo đức",
    "nghị quyết",
    "sơ kết",
    "tổng kết",
    "khen thưởng",
    "chuyển đổi số",
    "môi trường",
    "vệ sinh",
    "Đảng bộ",
];

/// ASCII stems for file names (a number is added to each, so names never clash).
const STEMS: &[&str] = &[
    "hoi-nghi",
    "tong-ket",
    "thong-bao",
    "lich-tiep",
    "le-hoi",
    "tap-huan",
    "so-ket",
    "khen-thuong",
    "ke-hoach",
    "giai-bong-da",
];

const AUTHORS: &[&str] = &[
    "Ban Dân vận",
    "Văn phòng UBND",
    "Phòng Văn hóa",
    "Tổ biên tập",
];

/// A date as written in front matter, in one of the three forms the format allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    /// 0: RFC 3339 with an offset; 1: `yyyy-mm-dd hh:mm`; 2: the day alone.
    form: u32,
}

impl Date {
    fn random(rng: &mut Rng) -> Date {
        Date {
            year: rng.between(2013, 2015),
            month: rng.between(1, 12),
            day: rng.between(1, 28),
            hour: rng.between(7, 17),
            minute: *rng.pick(&[0, 15, 30, 45]),
            form: rng.between(0, 2),
        }
    }

    fn text(&self) -> String {
        let Date {
            year,
            month,
            day,
            hour,
            minute,
            form,
        } = *self;
        match form {
            0 => format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00+07:00"),
            1 => format!("{year}-{month:02}-{day:02} {hour:02}:{minute:02}"),
            _ => format!("{year}-{month:02}-{day:02}"),
        }
    }
}

/// A paragraph of an article's body.
#[derive(Debug, Clone)]
enum Block {
    Text(String),
    /// A link to another article's file, written as a path relative to this one.
    Link {
        to: u32,
        words: String,
    },
    /// An image of `content/` (by its name on disk, which may be decomposed),
    /// by a site path or a path relative to the article, typed precomposed.
    Image {
        asset: String,
        alt: String,
        relative: bool,
    },
    /// HTML written by the editor (sanitised, kept or escaped as `html:` says).
    Html(String),
}

/// The values of `html:` in site.yaml.
const HTML_MODES: &[&str] = &["sanitize", "keep", "escape"];

#[derive(Debug, Clone)]
struct Article {
    /// Relative to the site: `content/dan-van/2014/hoi-nghi-12.md`.
    file: String,
    title: String,
    date: Date,
    category: String,
    views: u32,
    tags: Vec<String>,
    aliases: Vec<String>,
    summary: Option<String>,
    slug: Option<String>,
    image: Option<String>,
    author: Option<String>,
    updated: Option<Date>,
    draft: bool,
    /// Saved with CRLF line endings (by an editor on Windows).
    crlf: bool,
    body: Vec<Block>,
}

/// A document of the register, as fields an edit changes one at a time.
#[derive(Debug, Clone)]
struct Document {
    /// Relative to the site: `content/van-ban/2024/quyet-dinh-7.md`.
    file: String,
    /// `7/2024/QĐ-UBND` or, without a year, `7/KH-UBND`.
    number: String,
    kind: &'static str,
    issued: (u32, u32, u32),
    effective: Option<(u32, u32, u32)>,
    expires: Option<(u32, u32, u32)>,
    /// Numbers of documents it replaces (perhaps none in the register).
    replaces: Vec<String>,
    /// Site paths of its attachments: `/van-ban/tep-9.pdf`.
    files: Vec<String>,
    /// What its abstract (trích yếu) is about, and its body.
    subject: String,
    body: String,
}

impl Document {
    fn text(&self) -> String {
        let day = |(y, m, d): (u32, u32, u32)| format!("{y}-{m:02}-{d:02}");
        let list = |items: &[String]| {
            items
                .iter()
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = format!(
            "---\nnumber: \"{}\"\ntype: \"{}\"\nissuer: \"Ủy ban nhân dân Phường Mẫu\"\nissued: {}\ntitle: \"{} số {} về {}\"\n",
            self.number,
            self.kind,
            day(self.issued),
            self.kind,
            self.number,
            self.subject
        );
        if let Some(effective) = self.effective {
            let _ = writeln!(text, "effective: {}", day(effective));
        }
        if let Some(expires) = self.expires {
            let _ = writeln!(text, "expires: {}", day(expires));
        }
        if !self.files.is_empty() {
            let _ = writeln!(text, "files: [{}]", list(&self.files));
        }
        if !self.replaces.is_empty() {
            let _ = writeln!(text, "replaces: [{}]", list(&self.replaces));
        }
        let _ = write!(text, "---\n\n{}\n", self.body);
        text
    }
}

/// Dates around today, so that statuses differ: long past, or (with a chance
/// of `ahead_percent`) years ahead.
fn document_day(rng: &mut Rng, ahead_percent: usize) -> (u32, u32, u32) {
    let year = if rng.chance(ahead_percent) {
        rng.between(2090, 2095)
    } else {
        rng.between(2016, 2024)
    };
    (year, rng.between(1, 12), rng.between(1, 28))
}

/// `site.yaml`, as fields an edit changes one at a time.
#[derive(Debug, Clone)]
struct Settings {
    title: String,
    description: String,
    base_url: String,
    language: &'static str,
    timezone: &'static str,
    paginate: u32,
    related: u32,
    most_read: u32,
    search: bool,
    /// The `html:` setting, an index into [`HTML_MODES`].
    html: usize,
    menu: Vec<String>,
    featured: Vec<String>,
    primary_color: Option<&'static str>,
    about: Option<String>,
    phone: String,
}

impl Settings {
    fn text(&self) -> String {
        let mut yaml = String::new();
        let list = |names: &[String]| {
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(yaml, "title: \"{}\"", self.title);
        let _ = writeln!(yaml, "description: \"{}\"", self.description);
        let _ = writeln!(yaml, "base_url: \"{}\"", self.base_url);
        let _ = writeln!(yaml, "language: {}", self.language);
        let _ = writeln!(yaml, "timezone: \"{}\"", self.timezone);
        let _ = writeln!(yaml, "theme: {THEME}");
        let _ = writeln!(yaml, "paginate: {}", self.paginate);
        let _ = writeln!(yaml, "related: {}", self.related);
        let _ = writeln!(yaml, "most_read: {}", self.most_read);
        let _ = writeln!(yaml, "search: {}", self.search);
        let _ = writeln!(yaml, "html: {}", HTML_MODES[self.html]);
        let _ = writeln!(yaml, "logo: \"/images/logo.png\"");
        if let Some(about) = &self.about {
            let _ = writeln!(yaml, "about: \"{about}\"");
        }
        let _ = writeln!(
            yaml,
            "agency:\n  name: \"Ủy ban nhân dân Phường Mẫu\"\n  phone: \"{}\"",
            self.phone
        );
        if !self.menu.is_empty() {
            let _ = writeln!(yaml, "menu: [{}]", list(&self.menu));
        }
        if !self.featured.is_empty() {
            let _ = writeln!(yaml, "featured: [{}]", list(&self.featured));
        }
        if let Some(primary) = self.primary_color {
            let _ = writeln!(yaml, "colors:\n  primary: \"{primary}\"");
        }
        yaml
    }
}

/// The site's own theme, a copy of the default one in `themes/phuong/`.
pub const THEME: &str = "phuong";

/// Templates of the theme an edit changes, with the text an addition goes after.
const THEME_TEMPLATES: &[(&str, &str)] = &[
    ("article.html", "<article class=\"article\">"),
    ("list.html", "{% block content %}"),
    ("home.html", "{% block content %}"),
    ("404.html", "{% block content %}"),
    ("base.html", "<footer class=\"site-footer\">"),
    ("partials/article_list.html", "<article>"),
];

/// The site's own override of a theme partial; it shows a word the site added to
/// the theme's language files.
const MOST_READ_OVERRIDE: &str = "templates/partials/most_read.html";
const MOST_READ_TEXT: &str = "<section class=\"most-read\">\n  <h2>{{ words.most_read }}</h2>\n  <p class=\"ghi-chu\">{{ words.ghi_chu }}</p>\n  <ol id=\"xem-nhieu\">{% for item in most_read %}<li><a href=\"{{ item.url }}\">{{ item.title }}</a> <span class=\"views\">({{ item.views_text }})</span></li>{% endfor %}</ol>\n</section>\n";
const CATEGORY_OVERRIDE: &str = "templates/category.html";

/// A file made invalid, with the text that mends it.
#[derive(Debug, Clone)]
struct Broken {
    file: String,
    /// The article whose file it is, if it is one.
    article: Option<u32>,
    good_text: String,
    /// Edits made to other files since it broke.
    edits_since: usize,
}

/// A portal on disk and the model of it the edits keep.
pub struct EditedSite {
    root: PathBuf,
    articles: BTreeMap<u32, Article>,
    /// The weeks of the work schedule by ISO week number (of 2015), each with
    /// its items.
    weeks: BTreeMap<u8, Vec<WeekItem>>,
    /// Files of `content/` that are not articles, relative to the site.
    assets: BTreeSet<String>,
    settings: Settings,
    /// The register's documents, by number of file; none at first (a site
    /// without documents is the one whose cached rebuilds patch the last model).
    documents: BTreeMap<u32, Document>,
    /// Numbers for names no file has had yet.
    next_number: u32,
    broken: Option<Broken>,
    /// The time the next build is made at (`SOURCE_DATE_EPOCH`).
    build_time: u64,
}

impl EditedSite {
    /// A new portal in `root` made from `rng`: 30–60 articles in four categories,
    /// with tags, a draft, aliases, images, a PDF, links between articles, raw
    /// HTML, its own theme with a template override and an added word.
    pub fn create(root: &Path, rng: &mut Rng) -> EditedSite {
        let mut site = EditedSite {
            root: root.to_path_buf(),
            articles: BTreeMap::new(),
            weeks: BTreeMap::new(),
            assets: BTreeSet::new(),
            settings: Settings {
                title: "Cổng thông tin điện tử Phường Mẫu".to_string(),
                description: "Tin tức và thông báo của Phường Mẫu".to_string(),
                base_url: "https://phuongmau.example.gov.vn".to_string(),
                language: "vi",
                timezone: "+07:00",
                paginate: rng.between(3, 6),
                related: 3,
                most_read: 5,
                search: true,
                html: 0,
                menu: vec![
                    "Dân vận".to_string(),
                    "Thông báo".to_string(),
                    "Tin mới".to_string(),
                ],
                featured: vec!["Thông báo".to_string()],
                primary_color: None,
                about: None,
                phone: "(028) 3740 2312".to_string(),
            },
            next_number: 1,
            broken: None,
            build_time: BUILD_DATE.parse().expect("a number of seconds"),
            documents: BTreeMap::new(),
        };
        site.copy_default_theme();
        site.write(MOST_READ_OVERRIDE, MOST_READ_TEXT.as_bytes(), rng);
        site.write("site.yaml", site.settings.text().as_bytes(), rng);
        for asset in [
            "content/images/logo.png",
            "content/images/hoi-nghi.jpg",
            "content/images/le-hoi.jpg",
            "content/tai-lieu/ke-hoach.pdf",
        ] {
            let bytes = asset_bytes(rng);
            site.write(asset, &bytes, rng);
            site.assets.insert(asset.to_string());
        }
        // A picture from a Mac, its name decomposed (NFD), in a folder of
        // either form; the "asset added" edits may rename it to the other form.
        let from_a_mac = site.name_with_tone_marks(rng, "khai-mạc");
        let bytes = asset_bytes(rng);
        site.write(&from_a_mac, &bytes, rng);
        site.assets.insert(from_a_mac.clone());
        let count = rng.between(30, 60);
        for _ in 0..count {
            let category = CATEGORIES[rng.below(4)].0;
            let id = site.new_article(rng, category);
            site.save_article(id, rng);
        }
        let ids: Vec<u32> = site.articles.keys().copied().collect();
        // A draft, aliases, links, images, HTML, a summary and a slug of its own.
        site.articles.get_mut(&ids[0]).unwrap().draft = true;
        for n in 0..6 {
            let id = *rng.pick(&ids);
            let alias = site.new_alias();
            site.articles.get_mut(&id).unwrap().aliases.push(alias);
            let from = *rng.pick(&ids);
            let to = *rng.pick(&ids);
            if from != to {
                let words = site.words(rng, 3);
                site.article(from).body.push(Block::Link { to, words });
            }
            if n < 2 {
                let asset = ["content/images/hoi-nghi.jpg", "content/images/le-hoi.jpg"][n];
                let at = 1.min(site.articles[&id].body.len());
                site.article(id).body.insert(
                    at,
                    Block::Image {
                        asset: asset.to_string(),
                        alt: "Quang cảnh".to_string(),
                        relative: n == 1,
                    },
                );
            }
        }
        site.article(ids[1]).body.push(Block::Html(
            "<div class=\"hop-thong-tin\">Giờ tiếp dân: <b>7 giờ 30</b></div>".to_string(),
        ));
        site.article(ids[2]).summary = Some("Tóm tắt do biên tập viên viết.".to_string());
        site.article(ids[3]).slug = Some("bai-co-duong-dan-rieng".to_string());
        site.article(ids[4]).image = Some("/images/hoi-nghi.jpg".to_string());
        site.article(ids[5]).body.push(Block::Image {
            asset: from_a_mac,
            alt: "Khai mạc lễ hội".to_string(),
            relative: false,
        });
        for id in ids {
            site.save_article(id, rng);
        }
        site
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The time the next build is made at, for `SOURCE_DATE_EPOCH`.
    pub fn build_time(&self) -> String {
        self.build_time.to_string()
    }

    /// Makes one edit, drawn from `deck` (or, while a file is broken, one of the
    /// edits that leave it broken, or its fix).
    pub fn random_edit(&mut self, rng: &mut Rng, deck: &mut Deck) -> Edit {
        if let Some(broken) = &self.broken {
            if broken.edits_since >= 2 || rng.chance(50) {
                return self.fix(rng);
            }
            let file = broken.file.clone();
            loop {
                let kind = *rng.pick(EditKind::WHILE_BROKEN);
                if let Some(mut edit) = self.apply(kind, rng) {
                    edit.outcome = Outcome::FailsNaming(file);
                    edit.description.push_str(" (while the site is broken)");
                    if let Some(broken) = &mut self.broken {
                        broken.edits_since += 1;
                    }
                    return edit;
                }
            }
        }
        loop {
            let kind = deck.draw(rng);
            if let Some(edit) = self.apply(kind, rng) {
                return edit;
            }
        }
    }

    /// Whether a file is broken now (a sequence should not end so).
    pub fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    /// Makes an edit of `kind`, or none if the site has nothing it applies to.
    fn apply(&mut self, kind: EditKind, rng: &mut Rng) -> Option<Edit> {
        let description = match kind {
            EditKind::Body => self.edit_body(rng),
            EditKind::Title => self.edit_title(rng),
            EditKind::Date => self.edit_date(rng),
            EditKind::Category => self.edit_category(rng),
            EditKind::Views => self.edit_views(rng),
            EditKind::Tags => self.edit_tags(rng),
            EditKind::Draft => self.toggle_draft(rng),
            EditKind::NewArticle => self.add_article(rng),
            EditKind::DeletedArticle => self.delete_article(rng),
            EditKind::MovedFile => self.move_article(rng),
            EditKind::Alias => self.edit_aliases(rng),
            EditKind::AssetAdded => self.add_asset(rng),
            EditKind::AssetRemoved => self.remove_asset(rng),
            EditKind::Link => self.edit_links(rng),
            EditKind::OtherFrontMatter => self.edit_other_field(rng),
            EditKind::SiteSettings => self.edit_settings(rng),
            EditKind::ThemeTemplate => self.edit_theme_template(rng),
            EditKind::ThemeStatic => self.edit_theme_static(rng),
            EditKind::LanguageFile => self.edit_language_file(rng),
            EditKind::SiteTemplate => self.edit_site_template(rng),
            EditKind::Document => self.edit_documents(rng),
            EditKind::ScheduleItemAdded => self.add_schedule_item(rng),
            EditKind::ScheduleItemMoved => self.move_schedule_item(rng),
            EditKind::ScheduleWeekAdded => self.add_week(rng),
            EditKind::ScheduleWeekRemoved => self.remove_week(rng),
            EditKind::TimePasses => {
                let (seconds, what) = match rng.chance(50) {
                    true => (3600, "an hour passes"),
                    false => (86400, "a day passes"),
                };
                self.build_time += seconds;
                Some(what.to_string())
            }
            EditKind::Broken => return Some(self.break_a_file(rng)),
            EditKind::Fix => return Some(self.fix(rng)),
        }?;
        Some(Edit {
            kind,
            description,
            outcome: Outcome::Builds,
        })
    }

    // ---- articles ----

    fn edit_body(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let sentence = self.sentence(rng);
        let html = format!(
            "<p class=\"ghi-chu\">Cập nhật lúc {} giờ</p>",
            rng.between(7, 17)
        );
        let article = self.article(id);
        let texts: Vec<usize> = (0..article.body.len())
            .filter(|i| matches!(article.body[*i], Block::Text(_)))
            .collect();
        let what = match rng.below(6) {
            // The first paragraph is the summary of cards when there is no `summary:`.
            0 => {
                if let Some(Block::Text(text)) = article.body.first_mut() {
                    text.push(' ');
                    text.push_str(&sentence);
                } else {
                    article.body.insert(0, Block::Text(sentence));
                }
                "a sentence added to the first paragraph"
            }
            1 if texts.len() > 1 => {
                let at = texts[1 + rng.below(texts.len() - 1)];
                article.body.remove(at);
                "a paragraph removed"
            }
            2 => {
                article.crlf = !article.crlf;
                if article.crlf {
                    "saved again with CRLF line endings"
                } else {
                    "saved again with LF line endings"
                }
            }
            3 => {
                article.body.push(Block::Html(html));
                "a paragraph of HTML added"
            }
            4 if texts.len() > 1 => {
                let at = texts[1 + rng.below(texts.len() - 1)];
                if let Block::Text(text) = &mut article.body[at] {
                    *text = format!("{sentence} {text}");
                }
                "a later paragraph edited"
            }
            _ => {
                article.body.push(Block::Text(sentence));
                "a paragraph added at the end"
            }
        };
        Some(self.saved(id, rng, &format!("body: {what}")))
    }

    fn edit_title(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let title = self.title(rng);
        self.article(id).title = title.clone();
        Some(self.saved(id, rng, &format!("title set to {title:?}")))
    }

    fn edit_date(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let old = self.articles[&id].date;
        let ids: Vec<u32> = self.articles.keys().copied().collect();
        let new = match rng.below(4) {
            // The same moment as another article (order by date ties).
            0 => self.articles[rng.pick(&ids)].date,
            // The same day, another hour.
            1 => Date {
                hour: (old.hour + 1) % 24,
                form: 0,
                ..old
            },
            // The newest of all: the home page and the feeds change.
            2 => Date {
                year: 2016,
                ..Date::random(rng)
            },
            _ => Date::random(rng),
        };
        if new == old {
            return None;
        }
        self.article(id).date = new;
        Some(self.saved(id, rng, &format!("date set to {}", new.text())))
    }

    fn edit_category(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let category = rng.pick(CATEGORIES).0.to_string();
        if self.articles[&id].category == category {
            return None;
        }
        self.article(id).category = category.clone();
        Some(self.saved(id, rng, &format!("category set to {category:?}")))
    }

    fn edit_views(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let views = if rng.chance(30) {
            rng.between(100_000, 2_000_000)
        } else {
            rng.between(0, 5000)
        };
        if self.articles[&id].views == views {
            return None;
        }
        self.article(id).views = views;
        Some(self.saved(id, rng, &format!("views set to {views}")))
    }

    fn edit_tags(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let tag = rng.pick(TAGS).to_string();
        let article = self.article(id);
        let what = if article.tags.contains(&tag) {
            article.tags.retain(|t| *t != tag);
            format!("tag {tag:?} removed")
        } else if !article.tags.is_empty() && rng.chance(30) {
            article.tags = vec![tag.clone()];
            format!("tags replaced by {tag:?}")
        } else {
            article.tags.push(tag.clone());
            format!("tag {tag:?} added")
        };
        Some(self.saved(id, rng, &what))
    }

    fn toggle_draft(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let article = self.article(id);
        article.draft = !article.draft;
        let what = if article.draft {
            "made a draft"
        } else {
            "published (draft: false)"
        };
        Some(self.saved(id, rng, what))
    }

    fn add_article(&mut self, rng: &mut Rng) -> Option<String> {
        let category = rng.pick(CATEGORIES).0;
        let id = self.new_article(rng, category);
        if rng.chance(40) {
            let ids: Vec<u32> = self.linkable(id);
            if !ids.is_empty() {
                let to = *rng.pick(&ids);
                let words = self.words(rng, 3);
                self.article(id).body.push(Block::Link { to, words });
            }
        }
        if rng.chance(30) {
            let alias = self.new_alias();
            self.article(id).aliases.push(alias);
        }
        if rng.chance(20) {
            self.article(id).date.year = 2016;
        }
        if rng.chance(10) {
            self.article(id).draft = true;
        }
        Some(self.saved(id, rng, "new article"))
    }

    fn delete_article(&mut self, rng: &mut Rng) -> Option<String> {
        if self.articles.len() <= 20 {
            return None;
        }
        let id = self.pick_article(rng)?;
        let article = self.articles.remove(&id).expect("a picked article exists");
        self.remove(&article.file);
        // The editor also takes out the links that led to it.
        let linking = self.linking_to(id);
        for from in &linking {
            self.article(*from)
                .body
                .retain(|b| !matches!(b, Block::Link { to, .. } if *to == id));
            self.save_article(*from, rng);
        }
        Some(format!(
            "{} deleted ({} articles linking to it edited)",
            article.file,
            linking.len()
        ))
    }

    fn move_article(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let old = self.articles[&id].file.clone();
        let number = self.number();
        let new = match rng.below(3) {
            // Renamed in its folder: a new slug unless `slug:` is set.
            0 => {
                let folder = old.rsplit_once('/').expect("a folder").0;
                format!("{folder}/{}-{number}.md", rng.pick(STEMS))
            }
            // Into another category's folder, under the same name.
            1 => {
                let name = old.rsplit_once('/').expect("a folder").1;
                let (_, folder) = rng.pick(CATEGORIES);
                format!("content/{folder}/{}/{name}", rng.between(2013, 2016))
            }
            // Into a folder of its own that did not exist.
            _ => {
                let name = old.rsplit_once('/').expect("a folder").1;
                format!("content/luu-tru/dot-{number}/{name}")
            }
        };
        if new == old || self.articles.values().any(|a| a.file == new) {
            return None;
        }
        let to = self.root.join(&new);
        fs::create_dir_all(to.parent().expect("a folder")).expect("a folder is made");
        fs::rename(self.root.join(&old), &to).expect("the article is moved");
        self.article(id).file = new.clone();
        // Links to it, and its own relative links, are mended by the editor.
        let mut mended = self.linking_to(id);
        if self.articles[&id].body.iter().any(Block::is_relative) {
            mended.push(id);
        }
        for other in &mended {
            self.save_article(*other, rng);
        }
        Some(format!(
            "{old} moved to {new} ({} files with links mended)",
            mended.len()
        ))
    }

    fn edit_aliases(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let alias = self.new_alias();
        let article = self.article(id);
        let what = if !article.aliases.is_empty() && rng.chance(50) {
            let at = rng.below(article.aliases.len());
            let old = article.aliases.remove(at);
            if rng.chance(50) {
                article.aliases.insert(at, alias.clone());
                format!("alias {old} changed to {alias}")
            } else {
                format!("alias {old} removed")
            }
        } else {
            article.aliases.push(alias.clone());
            format!("alias {alias} added")
        };
        Some(self.saved(id, rng, &what))
    }

    fn edit_links(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let has_link = self.articles[&id]
            .body
            .iter()
            .any(|b| matches!(b, Block::Link { .. }));
        let what = if has_link && rng.chance(35) {
            self.article(id)
                .body
                .retain(|b| !matches!(b, Block::Link { .. }));
            "its links to other articles removed".to_string()
        } else {
            let targets = self.linkable(id);
            let to = *rng.pick(&targets);
            let words = self.words(rng, 3);
            let target = self.articles[&to].file.clone();
            let at = rng.below(self.articles[&id].body.len() + 1);
            self.article(id).body.insert(at, Block::Link { to, words });
            format!("a link to {target} added")
        };
        Some(self.saved(id, rng, &what))
    }

    fn edit_other_field(&mut self, rng: &mut Rng) -> Option<String> {
        let id = self.pick_article(rng)?;
        let number = self.number();
        let images: Vec<String> = self
            .assets
            .iter()
            .filter(|a| a.ends_with(".jpg"))
            .map(|a| a.trim_start_matches("content").to_string())
            .collect();
        let summary = self.sentence(rng);
        let article = self.article(id);
        let what = match rng.below(5) {
            0 => {
                article.summary = match article.summary {
                    Some(_) if rng.chance(50) => None,
                    _ => Some(summary),
                };
                "summary"
            }
            1 => {
                article.slug = match article.slug {
                    Some(_) if rng.chance(50) => None,
                    _ => Some(format!("Bài Viết Số {number}")),
                };
                "slug"
            }
            2 => {
                article.author = match article.author {
                    Some(_) if rng.chance(50) => None,
                    _ => Some(rng.pick(AUTHORS).to_string()),
                };
                "author"
            }
            3 => {
                article.image = match article.image {
                    Some(_) if rng.chance(50) => None,
                    _ if images.is_empty() => None,
                    _ => Some(rng.pick(&images).clone()),
                };
                "lead image"
            }
            _ => {
                article.updated = match article.updated {
                    Some(_) if rng.chance(50) => None,
                    _ => Some(Date {
                        year: article.date.year + 1,
                        form: 0,
                        ..article.date
                    }),
                };
                "updated"
            }
        };
        let value = match what {
            "summary" => format!("{:?}", article.summary),
            "slug" => format!("{:?}", article.slug),
            "author" => format!("{:?}", article.author),
            "lead image" => format!("{:?}", article.image),
            _ => format!("{:?}", article.updated.map(|d| d.text())),
        };
        Some(self.saved(id, rng, &format!("{what} set to {value}")))
    }

    // ---- documents ----

    /// Adds the first documents to a site without; else changes one: its
    /// number, dates, `replaces` or attachments, or adds or removes documents.
    fn edit_documents(&mut self, rng: &mut Rng) -> Option<String> {
        if self.documents.is_empty() {
            let mut added = Vec::new();
            for _ in 0..rng.between(2, 4) {
                added.push(self.add_document(rng));
            }
            return Some(format!("documents added: {}", added.join(", ")));
        }
        let ids: Vec<u32> = self.documents.keys().copied().collect();
        let id = *rng.pick(&ids);
        let what = match rng.below(11) {
            0 => {
                // Every document removed: the site is back to one without.
                for id in ids {
                    let file = self.documents.remove(&id).expect("a document").file;
                    self.remove(&file);
                }
                return Some("every document removed".to_string());
            }
            1 => {
                let file = self.documents.remove(&id).expect("a document").file;
                self.remove(&file);
                return Some(format!("{file} removed"));
            }
            2 => return Some(format!("{} added", self.add_document(rng))),
            3 => {
                let number = self.number();
                let document = self.documents.get_mut(&id).expect("a document");
                document.number = if rng.chance(50) {
                    format!("{number}/{}/QĐ-UBND", document.issued.0)
                } else {
                    format!("{number}/KH-UBND")
                };
                format!("number now {}", document.number)
            }
            4 => {
                let effective = rng.chance(60).then(|| document_day(rng, 50));
                let expires = rng.chance(40).then(|| document_day(rng, 50));
                let document = self.documents.get_mut(&id).expect("a document");
                document.effective = effective.filter(|e| *e >= document.issued);
                document.expires =
                    expires.filter(|e| Some(*e) >= document.effective && *e >= document.issued);
                format!(
                    "dates now effective {:?}, expires {:?}",
                    document.effective, document.expires
                )
            }
            5 => {
                let numbers: Vec<String> =
                    self.documents.values().map(|d| d.number.clone()).collect();
                let number = if rng.chance(80) {
                    rng.pick(&numbers).clone()
                } else {
                    "99/2010/QĐ-UBND".to_string() // another body's
                };
                let document = self.documents.get_mut(&id).expect("a document");
                if document.replaces.is_empty() {
                    document.replaces.push(number);
                } else {
                    document.replaces.clear();
                }
                format!("replaces now {:?}", document.replaces)
            }
            6 => {
                let number = self.number();
                let asset = format!("content/van-ban/tep-{number}.pdf");
                let bytes = asset_bytes(rng);
                self.write(&asset, &bytes, rng);
                self.assets.insert(asset.clone());
                let document = self.documents.get_mut(&id).expect("a document");
                document
                    .files
                    .push(asset.trim_start_matches("content").to_string());
                format!("attachment {asset} added")
            }
            7 => {
                let document = &self.documents[&id];
                let file = document.files.first().cloned()?;
                let asset = format!("content{file}");
                // Half the time another real PDF, whose words the search index
                // takes in; else bytes of no format, which have none.
                let bytes = if rng.chance(50) {
                    let pdf = rng.pick(&REAL_PDFS);
                    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(pdf))
                        .expect("the demo site's PDFs")
                } else {
                    let mut bytes = asset_bytes(rng);
                    bytes.extend(asset_bytes(rng));
                    bytes
                };
                self.write(&asset, &bytes, rng);
                return Some(format!(
                    "attachment {asset} changed ({} bytes)",
                    bytes.len()
                ));
            }
            8 => {
                // The abstract corrected: the document keeps its place.
                const SUBJECTS: [&str; 4] = [
                    "công tác của phường",
                    "kiện toàn Ban Chỉ đạo phòng, chống thiên tai",
                    "ban hành Quy chế tiếp công dân",
                    "tổ chức Ngày hội Đại đoàn kết toàn dân tộc",
                ];
                let subject = rng.pick(&SUBJECTS).to_string();
                self.documents.get_mut(&id).expect("a document").subject = subject.clone();
                format!("abstract now about {subject}")
            }
            9 => {
                let words = rng.between(3, 40);
                let body = (0..words)
                    .map(|n| ["điều", "khoản", "thi hành", "phường", "dân cư"][n as usize % 5])
                    .collect::<Vec<_>>()
                    .join(" ");
                self.documents.get_mut(&id).expect("a document").body = body;
                format!("body now {words} words")
            }
            _ => {
                let document = self.documents.get_mut(&id).expect("a document");
                let file = document.files.pop()?;
                let asset = format!("content{file}");
                if rng.chance(50) {
                    self.remove(&asset);
                    self.assets.remove(&asset);
                }
                format!("attachment {asset} detached")
            }
        };
        let document = &self.documents[&id];
        let (file, text) = (document.file.clone(), document.text());
        self.write(&file, text.as_bytes(), rng);
        Some(format!("{file}: {what}"))
    }

    /// A new document with a number of its own; its file's path.
    fn add_document(&mut self, rng: &mut Rng) -> String {
        let number = self.number();
        let issued = document_day(rng, 0);
        let (kind, number_text) = if rng.chance(50) {
            ("Quyết định", format!("{number}/{}/QĐ-UBND", issued.0))
        } else {
            ("Kế hoạch", format!("{number}/KH-UBND"))
        };
        let document = Document {
            file: format!("content/van-ban/{}/van-ban-{number}.md", issued.0),
            number: number_text,
            kind,
            issued,
            effective: rng.chance(50).then(|| document_day(rng, 30)),
            expires: None,
            replaces: Vec::new(),
            files: Vec::new(),
            subject: "công tác của phường".to_string(),
            body: "Nội dung văn bản.".to_string(),
        };
        let (file, text) = (document.file.clone(), document.text());
        self.documents.insert(number, document);
        self.write(&file, text.as_bytes(), rng);
        file
    }

    // ---- assets ----

    fn add_asset(&mut self, rng: &mut Rng) -> Option<String> {
        let number = self.number();
        let bytes = asset_bytes(rng);
        if rng.chance(25) {
            // Replaced by a new version under the same name.
            let assets: Vec<String> = self.assets.iter().cloned().collect();
            let asset = rng.pick(&assets).clone();
            if self.broken.is_some() {
                // Published assets are hard links to their sources
                // (docs/publishing.md): one rewritten in place changes the
                // output at once, before any build. While the site is broken the
                // output must stay the last good build's, so the new version is
                // saved as a new file, as most editors save.
                self.write_atomically(&asset, &bytes);
            } else {
                self.write(&asset, &bytes, rng);
            }
            return Some(format!("{asset} replaced by other bytes"));
        }
        if rng.chance(30)
            && let Some(renamed) = self.rename_to_other_form(rng)
        {
            return Some(renamed);
        }
        let asset = if rng.chance(40) {
            self.name_with_tone_marks(rng, &number.to_string())
        } else if rng.chance(70) {
            format!("content/images/anh-{number}.jpg")
        } else {
            format!("content/tai-lieu/van-ban-{number}.pdf")
        };
        self.write(&asset, &bytes, rng);
        self.assets.insert(asset.clone());
        // Often shown in an article at once.
        if asset.ends_with(".jpg")
            && rng.chance(60)
            && let Some(id) = self.pick_article(rng)
        {
            let relative = rng.chance(50);
            let at = rng.below(self.articles[&id].body.len() + 1);
            self.article(id).body.insert(
                at,
                Block::Image {
                    asset: asset.clone(),
                    alt: "Ảnh mới".to_string(),
                    relative,
                },
            );
            let file = self.articles[&id].file.clone();
            self.save_article(id, rng);
            return Some(format!("{asset} added and shown in {file}"));
        }
        Some(format!("{asset} added"))
    }

    /// A new picture's path, named with tone marks as a Mac (an iPhone, a zip
    /// made on a Mac) writes them, decomposed (NFD), or as typed, in a folder
    /// of either form: published under the precomposed (NFC) name.
    fn name_with_tone_marks(&self, rng: &mut Rng, tail: &str) -> String {
        let form = |text: &str, decomposed: bool| match decomposed {
            true => text.nfd().collect::<String>(),
            false => text.to_string(),
        };
        let folder = form("ảnh-lễ-hội", rng.chance(50));
        let name = form(&format!("Lễ-hội-{tail}.jpg"), rng.chance(70));
        format!("content/{folder}/{name}")
    }

    /// An asset named with tone marks renamed to the same name in the other
    /// Unicode form (decomposed to precomposed or back): the same file at the
    /// same address; the articles that show it are not touched.
    fn rename_to_other_form(&mut self, rng: &mut Rng) -> Option<String> {
        let named: Vec<String> = self
            .assets
            .iter()
            .filter(|a| !a.is_ascii())
            .cloned()
            .collect();
        if named.is_empty() {
            return None;
        }
        let asset = rng.pick(&named).clone();
        let (folder, name) = asset.rsplit_once('/').expect("a file in a folder");
        let other_form: String = match unicode_normalization::is_nfc(name) {
            true => name.nfd().collect(),
            false => name.nfc().collect(),
        };
        let renamed = format!("{folder}/{other_form}");
        fs::rename(self.root.join(&asset), self.root.join(&renamed))
            .unwrap_or_else(|e| panic!("renaming {asset}: {e}"));
        self.assets.remove(&asset);
        self.assets.insert(renamed.clone());
        let (old_path, new_path) = (
            asset.trim_start_matches("content"),
            renamed.trim_start_matches("content"),
        );
        for article in self.articles.values_mut() {
            // Its text names it as before: only the model follows the file.
            if article.image.as_deref() == Some(old_path) {
                article.image = Some(new_path.to_string());
            }
            for block in &mut article.body {
                if let Block::Image { asset: shown, .. } = block
                    && *shown == asset
                {
                    shown.clone_from(&renamed);
                }
            }
        }
        let form = match unicode_normalization::is_nfc(&other_form) {
            true => "precomposed (NFC)",
            false => "decomposed (NFD)",
        };
        Some(format!("{asset} renamed to its {form} name"))
    }

    fn remove_asset(&mut self, rng: &mut Rng) -> Option<String> {
        let unused: Vec<String> = self
            .assets
            .iter()
            .filter(|a| !a.ends_with("logo.png") && !self.uses(a))
            .cloned()
            .collect();
        if unused.is_empty() {
            return None;
        }
        let asset = rng.pick(&unused).clone();
        self.remove(&asset);
        self.assets.remove(&asset);
        Some(format!("{asset} removed"))
    }

    // ---- the work schedule ----

    fn add_week(&mut self, rng: &mut Rng) -> Option<String> {
        let week = rng.between(WEEKS.0 as u32, WEEKS.1 as u32) as u8;
        if self.weeks.contains_key(&week) {
            return None;
        }
        let items = (0..rng.between(1, 4))
            .map(|_| self.week_item(rng))
            .collect();
        self.weeks.insert(week, items);
        self.save_week(week, rng);
        Some(format!("{} added", week_file(week)))
    }

    fn remove_week(&mut self, rng: &mut Rng) -> Option<String> {
        let weeks: Vec<u8> = self.weeks.keys().copied().collect();
        if weeks.is_empty() {
            return None;
        }
        let week = *rng.pick(&weeks);
        self.weeks.remove(&week);
        let file = week_file(week);
        self.remove(&file);
        Some(format!("{file} removed"))
    }

    fn add_schedule_item(&mut self, rng: &mut Rng) -> Option<String> {
        let weeks: Vec<u8> = self.weeks.keys().copied().collect();
        if weeks.is_empty() {
            return self.add_week(rng);
        }
        let week = *rng.pick(&weeks);
        let item = self.week_item(rng);
        self.weeks.get_mut(&week)?.push(item);
        self.save_week(week, rng);
        Some(format!("{}: an item added", week_file(week)))
    }

    fn move_schedule_item(&mut self, rng: &mut Rng) -> Option<String> {
        let weeks: Vec<u8> = self.weeks.keys().copied().collect();
        if weeks.is_empty() {
            return None;
        }
        let week = *rng.pick(&weeks);
        let items = self.weeks.get_mut(&week)?;
        let at = rng.below(items.len());
        let day = (items[at].day + 1 + rng.below(4) as u8) % 5;
        items[at].day = day;
        self.save_week(week, rng);
        Some(format!("{}: item {at} moved to day {day}", week_file(week)))
    }

    fn week_item(&mut self, rng: &mut Rng) -> WeekItem {
        WeekItem {
            day: rng.below(5) as u8,
            hour: rng.between(7, 16) as u8,
            who: rng.below(LEADERS.len()),
            what: self.sentence(rng),
            changed: rng.chance(20),
        }
    }

    fn save_week(&mut self, week: u8, rng: &mut Rng) {
        let mut text = String::from("items:\n");
        for item in &self.weeks[&week] {
            // 2015-W01 starts on Monday 29/12/2014.
            let days = (week as i64 - 1) * 7 + item.day as i64;
            let date = jiff::civil::date(2014, 12, 29)
                .checked_add(jiff::Span::new().days(days))
                .unwrap();
            text.push_str(&format!(
                "  - start: {date} {:02}:00\n    who: \"{}\"\n    what: \"{}\"\n    changed: {}\n",
                item.hour,
                LEADERS[item.who],
                item.what.replace('"', ""),
                item.changed
            ));
        }
        let file = week_file(week);
        self.write(&file, text.as_bytes(), rng);
    }

    // ---- site.yaml and the theme ----

    fn edit_settings(&mut self, rng: &mut Rng) -> Option<String> {
        let number = self.number();
        let s = &mut self.settings;
        let categories: Vec<String> = CATEGORIES[..5].iter().map(|c| c.0.to_string()).collect();
        let what = match rng.below(15) {
            0 => {
                s.title = format!("Cổng thông tin Phường Mẫu số {number}");
                "title"
            }
            1 => {
                s.description = format!("Tin tức của phường, bản {number}");
                "description"
            }
            2 => {
                s.paginate = if s.paginate == 3 { 5 } else { 3 };
                "paginate"
            }
            3 => {
                s.related = rng.between(1, 5);
                "related"
            }
            4 => {
                s.most_read = rng.between(2, 8);
                "most_read"
            }
            5 => {
                s.search = !s.search;
                "search"
            }
            6 => {
                s.html = (s.html + 1) % HTML_MODES.len();
                "html"
            }
            7 => {
                let mut menu = categories.clone();
                menu.retain(|_| rng.chance(70));
                if rng.chance(50) {
                    menu.reverse();
                }
                s.menu = menu;
                "menu"
            }
            8 => {
                let mut featured = categories.clone();
                featured.retain(|_| rng.chance(40));
                s.featured = featured;
                "featured"
            }
            9 => {
                s.primary_color = match s.primary_color {
                    None => Some("#004a8f"),
                    Some("#004a8f") => Some("#8f1d00"),
                    Some(_) => None,
                };
                "colors"
            }
            10 => {
                s.timezone = match s.timezone {
                    "+07:00" => "Asia/Ho_Chi_Minh",
                    "Asia/Ho_Chi_Minh" => "-10:00",
                    _ => "+07:00",
                };
                "timezone"
            }
            11 => {
                s.language = if s.language == "vi" { "en" } else { "vi" };
                "language"
            }
            12 => {
                s.about = match s.about {
                    None => Some("/gioi-thieu/".to_string()),
                    Some(_) => None,
                };
                "about"
            }
            13 => {
                s.phone = format!("(028) 3740 {number:04}");
                "agency phone"
            }
            _ => {
                s.base_url = format!("https://phuong-{number}.example.gov.vn/cong");
                "base_url"
            }
        };
        let text = self.settings.text();
        if fs::read_to_string(self.root.join("site.yaml")).ok() == Some(text.clone()) {
            return None;
        }
        self.write("site.yaml", text.as_bytes(), rng);
        Some(format!("site.yaml: {what} changed"))
    }

    fn edit_theme_template(&mut self, rng: &mut Rng) -> Option<String> {
        let number = self.number();
        let tag_template = format!("themes/{THEME}/templates/tag.html");
        if rng.chance(20) {
            // A template the theme did not have (tag pages use it instead of list.html).
            if self.root.join(&tag_template).exists() {
                self.remove(&tag_template);
                return Some(format!("{tag_template} removed"));
            }
            let list = self.read(&format!("themes/{THEME}/templates/list.html"));
            let text = list.replacen(
                "{% block content %}",
                &format!("{{% block content %}}<p class=\"the\">Trang từ khóa {number}</p>"),
                1,
            );
            self.write(&tag_template, text.as_bytes(), rng);
            return Some(format!("{tag_template} added"));
        }
        let (name, anchor) = *rng.pick(THEME_TEMPLATES);
        let file = format!("themes/{THEME}/templates/{name}");
        let text = self.read(&file);
        assert!(text.contains(anchor), "{file} has no {anchor:?}");
        let text = text.replacen(
            anchor,
            &format!("{anchor}<span class=\"mau\">Mẫu {number}</span>"),
            1,
        );
        self.write(&file, text.as_bytes(), rng);
        Some(format!("{file}: text added after {anchor}"))
    }

    fn edit_theme_static(&mut self, rng: &mut Rng) -> Option<String> {
        let number = self.number();
        let script = format!("themes/{THEME}/static/js/in-bai.js");
        if rng.chance(30) {
            if self.root.join(&script).exists() {
                self.remove(&script);
                return Some(format!("{script} removed"));
            }
            self.write(
                &script,
                format!("console.log(\"in bài {number}\");\n").as_bytes(),
                rng,
            );
            return Some(format!("{script} added"));
        }
        let file = format!("themes/{THEME}/static/style.css");
        let mut css = self.read(&file);
        let _ = writeln!(
            css,
            ".mau-{number} {{ color: #{:06x}; }}",
            rng.below(0xFFFFFF)
        );
        self.write(&file, css.as_bytes(), rng);
        Some(format!(
            "{file}: a rule added (the stylesheet's name changes)"
        ))
    }

    fn edit_language_file(&mut self, rng: &mut Rng) -> Option<String> {
        let number = self.number();
        let language = if rng.chance(70) {
            self.settings.language
        } else if self.settings.language == "vi" {
            "en"
        } else {
            "vi"
        };
        let file = format!("themes/{THEME}/languages/{language}.yaml");
        let text = self.read(&file);
        let (key, value) = match rng.below(4) {
            0 => ("ghi_chu", format!("\"Ghi chú số {number}\"")),
            1 => ("most_read", format!("\"Xem nhiều {number}\"")),
            2 => {
                let short = [
                    ("vi", "\"%d/%m/%Y\"", "\"%d-%m-%Y\""),
                    ("en", "\"%-d {month} %Y\"", "\"{month} %-d, %Y\""),
                ];
                let (_, one, other) = short.iter().find(|s| s.0 == language)?;
                let now = line_value(&text, "date_short")?;
                (
                    "date_short",
                    (if now == *one { other } else { one }).to_string(),
                )
            }
            _ => {
                let now = line_value(&text, "thousands_separator")?;
                let next = if now == "\" \"" { "\".\"" } else { "\" \"" };
                ("thousands_separator", next.to_string())
            }
        };
        let changed = set_line_value(&text, key, &value)?;
        self.write(&file, changed.as_bytes(), rng);
        Some(format!("{file}: {key} set to {value}"))
    }

    fn edit_site_template(&mut self, rng: &mut Rng) -> Option<String> {
        let number = self.number();
        match rng.below(4) {
            0 => {
                // The override removed (the theme's own is used again), or put back.
                if self.root.join(MOST_READ_OVERRIDE).exists() {
                    self.remove(MOST_READ_OVERRIDE);
                    Some(format!("{MOST_READ_OVERRIDE} removed"))
                } else {
                    self.write(MOST_READ_OVERRIDE, MOST_READ_TEXT.as_bytes(), rng);
                    Some(format!("{MOST_READ_OVERRIDE} added"))
                }
            }
            1 => {
                if self.root.join(CATEGORY_OVERRIDE).exists() {
                    self.remove(CATEGORY_OVERRIDE);
                    return Some(format!("{CATEGORY_OVERRIDE} removed"));
                }
                let list = self.read(&format!("themes/{THEME}/templates/list.html"));
                let text = list.replacen(
                    "{% block content %}",
                    &format!("{{% block content %}}<p class=\"muc\">Chuyên mục {number}</p>"),
                    1,
                );
                self.write(CATEGORY_OVERRIDE, text.as_bytes(), rng);
                Some(format!("{CATEGORY_OVERRIDE} added"))
            }
            _ => {
                let text = if self.root.join(MOST_READ_OVERRIDE).exists() {
                    self.read(MOST_READ_OVERRIDE)
                } else {
                    MOST_READ_TEXT.to_string()
                };
                let anchor = "<h2>{{ words.most_read }}</h2>";
                let text = text.replacen(
                    anchor,
                    &format!("{anchor}<span class=\"rieng\">Riêng {number}</span>"),
                    1,
                );
                self.write(MOST_READ_OVERRIDE, text.as_bytes(), rng);
                Some(format!("{MOST_READ_OVERRIDE}: text added"))
            }
        }
    }

    // ---- broken files ----

    /// Makes one file invalid in one of the ways editors do; the build must fail
    /// and name it.
    fn break_a_file(&mut self, rng: &mut Rng) -> Edit {
        let (file, article, bad, what) = match rng.below(10) {
            kind @ 0..=5 => {
                let id = self.pick_article(rng).expect("a site always has articles");
                // (Broken in LF text, whatever the file's line endings were.)
                let good = self.article_text(id).replace("\r\n", "\n");
                let (bad, what) = match kind {
                    0 => (
                        good.replacen("title: \"", "title: [\"", 1),
                        "an unclosed list in its front matter",
                    ),
                    1 => (
                        replace_line(&good, "date:", "date: 2014-13-45"),
                        "a date that does not exist",
                    ),
                    2 => (
                        good.replacen("category:", "catgory:", 1),
                        "a misspelt field",
                    ),
                    3 => (
                        replace_line(&good, "views:", "views: 4.351"),
                        "views written with a thousands dot",
                    ),
                    4 => (
                        good.replacen("\n---\n", "\n", 1),
                        "its front matter not closed",
                    ),
                    _ => (
                        format!("{good}\nXem [bài cũ](khong-co-bai-nay.md).\n"),
                        "a link to a file that does not exist",
                    ),
                };
                let file = self.articles[&id].file.clone();
                (file, Some(id), bad, what)
            }
            6 => {
                let good = self.read("site.yaml");
                let bad = replace_line(&good, "paginate:", "paginate: nhiều");
                (
                    "site.yaml".to_string(),
                    None,
                    bad,
                    "paginate is not a number",
                )
            }
            7 => {
                let file = format!("themes/{THEME}/templates/article.html");
                let good = self.read(&file);
                let bad = good.replacen(
                    "{% block content %}",
                    "{% block content %}{% if article.title %}",
                    1,
                );
                (file, None, bad, "an {% if %} without {% endif %}")
            }
            8 => {
                let file = format!("themes/{THEME}/languages/{}.yaml", self.settings.language);
                let good = self.read(&file);
                let bad = good.replacen("  home: \"", "  home: \"\"", 1);
                (file, None, bad, "a word quoted twice (invalid YAML)")
            }
            _ => {
                // The site's own template (written back if it had been removed).
                let file = MOST_READ_OVERRIDE.to_string();
                if !self.root.join(&file).exists() {
                    self.write(&file, MOST_READ_TEXT.as_bytes(), rng);
                }
                let good = self.read(&file);
                let bad = good.replacen(
                    "{{ words.most_read }}",
                    "{{ words.most_read | khong_co_bo_loc }}",
                    1,
                );
                (file, None, bad, "a filter that does not exist")
            }
        };
        assert_ne!(
            bad,
            self.read(&file).replace("\r\n", "\n"),
            "breaking {file} ({what}) changed nothing"
        );
        let good_text = match article {
            Some(id) => self.article_text(id),
            None => self.read(&file),
        };
        // Saved the way editors' programs save (a temporary file renamed over), so
        // that `serve` never reads a half-written file that happens to be valid.
        self.write_atomically(&file, bad.as_bytes());
        self.broken = Some(Broken {
            file: file.clone(),
            article,
            good_text,
            edits_since: 0,
        });
        Edit {
            kind: EditKind::Broken,
            description: format!("{file} broken: {what}"),
            outcome: Outcome::FailsNaming(file),
        }
    }

    /// Mends the broken file: as it was, or as it was with another change.
    fn fix(&mut self, rng: &mut Rng) -> Edit {
        let broken = self.broken.take().expect("a broken file to fix");
        let description = match broken.article {
            Some(id) if rng.chance(50) => {
                let title = self.title(rng);
                self.article(id).title = title.clone();
                self.save_article(id, rng);
                format!("{} mended, with the title {title:?}", broken.file)
            }
            _ => {
                self.write(&broken.file, broken.good_text.as_bytes(), rng);
                format!("{} mended: as it was before", broken.file)
            }
        };
        Edit {
            kind: EditKind::Fix,
            description,
            outcome: Outcome::Builds,
        }
    }

    // ---- the model ----

    /// A new article (not yet written) in `category`'s folder, under a new name.
    fn new_article(&mut self, rng: &mut Rng, category: &str) -> u32 {
        let number = self.number();
        let folder = CATEGORIES
            .iter()
            .find(|c| c.0 == category)
            .expect("a known category")
            .1;
        let date = Date::random(rng);
        let file = format!(
            "content/{folder}/{}/{}-{number}.md",
            date.year,
            rng.pick(STEMS)
        );
        let mut tags = Vec::new();
        for _ in 0..rng.below(4) {
            let tag = rng.pick(TAGS).to_string();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let mut body = Vec::new();
        for _ in 0..rng.between(1, 3) {
            body.push(Block::Text(self.sentence(rng)));
        }
        let article = Article {
            file,
            title: self.title(rng),
            date,
            category: category.to_string(),
            views: rng.between(0, 5000),
            tags,
            aliases: Vec::new(),
            summary: None,
            slug: None,
            image: None,
            author: None,
            updated: None,
            draft: false,
            crlf: false,
            body,
        };
        self.articles.insert(number, article);
        number
    }

    /// An article to edit: any but the broken one.
    fn pick_article(&self, rng: &mut Rng) -> Option<u32> {
        let broken = self.broken.as_ref().and_then(|b| b.article);
        let ids: Vec<u32> = self
            .articles
            .keys()
            .copied()
            .filter(|id| Some(*id) != broken)
            .collect();
        (!ids.is_empty()).then(|| *rng.pick(&ids))
    }

    /// Articles `id` may link to.
    fn linkable(&self, id: u32) -> Vec<u32> {
        self.articles.keys().copied().filter(|o| *o != id).collect()
    }

    /// Articles with a link to `id`.
    fn linking_to(&self, id: u32) -> Vec<u32> {
        self.articles
            .iter()
            .filter(|(_, a)| {
                a.body
                    .iter()
                    .any(|b| matches!(b, Block::Link { to, .. } if *to == id))
            })
            .map(|(from, _)| *from)
            .collect()
    }

    /// Whether an article shows the asset (`content/…`), or a document has it
    /// as an attachment.
    fn uses(&self, asset: &str) -> bool {
        let site_path = asset.trim_start_matches("content");
        if self
            .documents
            .values()
            .any(|d| d.files.iter().any(|f| f == site_path))
        {
            return true;
        }
        self.articles.values().any(|a| {
            a.image.as_deref() == Some(site_path)
                || a.body
                    .iter()
                    .any(|b| matches!(b, Block::Image { asset: used, .. } if used == asset))
        })
    }

    fn article(&mut self, id: u32) -> &mut Article {
        self.articles.get_mut(&id).expect("the article exists")
    }

    fn number(&mut self) -> u32 {
        self.next_number += 1;
        self.next_number
    }

    fn new_alias(&mut self) -> String {
        let number = self.number();
        match number % 3 {
            0 => format!("/Pages/tin-{number}.aspx"),
            1 => format!("/tin-cu/{number}.html"),
            _ => format!("/old/{number}/"),
        }
    }

    fn words(&self, rng: &mut Rng, count: usize) -> String {
        (0..count)
            .map(|_| *rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn title(&self, rng: &mut Rng) -> String {
        let count = rng.between(3, 7) as usize;
        capitalized(&self.words(rng, count))
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let count = rng.between(5, 12) as usize;
        format!("{}.", capitalized(&self.words(rng, count)))
    }

    /// The text of an article's file.
    fn article_text(&self, id: u32) -> String {
        let a = &self.articles[&id];
        let mut text = String::from("---\n");
        let quoted = |items: &[String]| {
            items
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(text, "title: \"{}\"", a.title);
        let _ = writeln!(text, "date: {}", a.date.text());
        let _ = writeln!(text, "category: \"{}\"", a.category);
        let _ = writeln!(text, "views: {}", a.views);
        match a.tags.as_slice() {
            [] => {}
            // A single tag may be written as a text.
            [one] if id % 2 == 1 => {
                let _ = writeln!(text, "tags: \"{one}\"");
            }
            tags => {
                let _ = writeln!(text, "tags: [{}]", quoted(tags));
            }
        }
        if !a.aliases.is_empty() {
            let _ = writeln!(text, "aliases: [{}]", quoted(&a.aliases));
        }
        let optional = [
            ("summary", a.summary.clone()),
            ("slug", a.slug.clone()),
            ("image", a.image.clone()),
            ("author", a.author.clone()),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                let _ = writeln!(text, "{field}: \"{value}\"");
            }
        }
        if let Some(updated) = a.updated {
            let _ = writeln!(text, "updated: {}", updated.text());
        }
        if a.draft {
            text.push_str("draft: true\n");
        }
        text.push_str("---\n");
        for block in &a.body {
            text.push('\n');
            match block {
                Block::Text(t) | Block::Html(t) => text.push_str(t),
                Block::Link { to, words } => {
                    let target = &self.articles[to].file;
                    let _ = write!(
                        text,
                        "Xem thêm: [{words}]({}).",
                        relative_path(&a.file, target)
                    );
                }
                Block::Image {
                    asset,
                    alt,
                    relative,
                } => {
                    let path = if *relative {
                        relative_path(&a.file, asset)
                    } else {
                        asset.trim_start_matches("content").to_string()
                    };
                    // Typed by a clerk: precomposed, whatever the file's name.
                    let path: String = path.nfc().collect();
                    let _ = write!(text, "![{alt}]({path})");
                }
            }
            text.push('\n');
        }
        if a.crlf {
            text = text.replace('\n', "\r\n");
        }
        text
    }

    fn save_article(&self, id: u32, rng: &mut Rng) {
        let text = self.article_text(id);
        self.write(&self.articles[&id].file, text.as_bytes(), rng);
    }

    /// Saves the article and describes the edit made to it.
    fn saved(&self, id: u32, rng: &mut Rng, what: &str) -> String {
        self.save_article(id, rng);
        format!("{}: {what}", self.articles[&id].file)
    }

    // ---- files ----

    fn copy_default_theme(&self) {
        let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for (rel, bytes) in crate::common::tree(&default) {
            let mut bytes = bytes;
            if rel.starts_with("languages/") {
                // A word of the site's own, shown by its template override.
                let text = String::from_utf8(bytes).expect("a language file is text");
                bytes = text
                    .replacen("words:\n", "words:\n  ghi_chu: \"Ghi chú của phường\"\n", 1)
                    .into_bytes();
            }
            let to = self.root.join("themes").join(THEME).join(rel);
            fs::create_dir_all(to.parent().expect("a folder")).expect("a folder is made");
            fs::write(to, bytes).expect("the theme is copied");
        }
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Writes a file in place, or as most editors save (a temporary file renamed
    /// over it).
    fn write(&self, rel: &str, bytes: &[u8], rng: &mut Rng) {
        if rng.chance(50) {
            self.write_atomically(rel, bytes);
        } else {
            let path = self.root.join(rel);
            fs::create_dir_all(path.parent().expect("a folder")).expect("a folder is made");
            fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {rel}: {e}"));
        }
    }

    /// Removes a file of the site, noting it for the edit's report.
    fn remove(&mut self, rel: &str) {
        fs::remove_file(self.root.join(rel)).unwrap_or_else(|e| panic!("removing {rel}: {e}"));
    }

    fn write_atomically(&self, rel: &str, bytes: &[u8]) {
        let path = self.root.join(rel);
        let folder = path.parent().expect("a folder");
        fs::create_dir_all(folder).expect("a folder is made");
        let name = path.file_name().expect("a name").to_string_lossy();
        // Hidden: neither the build nor serve's watcher looks at it.
        let temporary = folder.join(format!(".{name}.tmp"));
        fs::write(&temporary, bytes).unwrap_or_else(|e| panic!("writing {rel}: {e}"));
        fs::rename(&temporary, &path).unwrap_or_else(|e| panic!("saving {rel}: {e}"));
    }
}

impl Block {
    /// Whether its text depends on where the article's file is.
    fn is_relative(&self) -> bool {
        matches!(
            self,
            Block::Link { .. } | Block::Image { relative: true, .. }
        )
    }
}

/// Bytes of a new image or PDF (their content does not matter to the build).
/// PDFs of the demo site, each with words of its own.
const REAL_PDFS: [&str; 3] = [
    "content/van-ban/2021/08-2021-qd-ubnd.pdf",
    "content/van-ban/2024/25-2024-qd-ubnd.pdf",
    "content/van-ban/2020/45-kh-ubnd-2020.pdf",
];

fn asset_bytes(rng: &mut Rng) -> Vec<u8> {
    let mut bytes = b"\xFF\xD8\xFF\xE0 not really an image ".to_vec();
    bytes.extend((0..rng.between(8, 64)).map(|_| rng.below(256) as u8));
    bytes
}

/// `to` as a path relative to the folder of `from` (both relative to the site).
fn relative_path(from: &str, to: &str) -> String {
    let from_folder: Vec<&str> = from.split('/').collect();
    let from_folder = &from_folder[..from_folder.len() - 1];
    let to: Vec<&str> = to.split('/').collect();
    let common = from_folder
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts = vec![".."; from_folder.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text` with the line starting with `start` replaced by `line`.
fn replace_line(text: &str, start: &str, line: &str) -> String {
    let mut found = false;
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| {
            if !found && l.starts_with(start) {
                found = true;
                line
            } else {
                l
            }
        })
        .collect();
    assert!(found, "no line starts with {start:?} in:\n{text}");
    lines.join("\n")
}

/// The value of `  key: value` in a language file.
fn line_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("  {key}: ")))
}

fn set_line_value(text: &str, key: &str, value: &str) -> Option<String> {
    line_value(text, key)?;
    let changed = replace_line(text, &format!("  {key}: "), &format!("  {key}: {value}"));
    (changed != text).then_some(changed)
}
