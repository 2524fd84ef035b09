//! The editor in the browser (Decap CMS): `/admin/index.html`, which loads it,
//! and `/admin/config.yml`, its configuration, written from the site's own
//! schema: one collection per category folder of `content/`, the register of
//! documents, the weeks of the work schedule, with the contract's fields and
//! widgets that fit them.
//!
//! The same two files serve `bantin serve` (saving through its local editing
//! API) and a published site with `cms:` in site.yaml (saving to the git host).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::{Cms, CmsBackend, Config};
use crate::content::text::{d_for_eth, slugify};
use crate::content::week::WeekNumber;
use crate::site::model::Site;

/// The Decap CMS release the editor page loads by default, and the
/// subresource-integrity hash of its `dist/decap-cms.js` (the npm tarball's
/// file, `openssl dgst -sha384 -binary | base64`).
pub const DECAP_VERSION: &str = "3.16.3";
pub const DECAP_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where documents and the work schedule live under `content/`.
pub const DOCUMENTS_FOLDER: &str = "van-ban";
pub const SCHEDULE_FOLDER: &str = "lich-cong-tac";
/// Documents' attachments uploaded in the editor: `content/van-ban/tep/`.
pub const ATTACHMENTS_FOLDER: &str = "tep";
/// Uploaded images: `content/images/<year>/`.
pub const IMAGES_FOLDER: &str = "images";

/// A folder of `content/` whose articles are one category's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ArticleFolder {
    /// The category's name, preset in every new article (`Dân vận`).
    pub name: String,
    /// The folder under `content/` (`dan-van`).
    pub folder: String,
    /// Whether its articles sit in year folders (`dan-van/2014/x.md`), as
    /// `bantin new` makes them, or right in it (`gioi-thieu/x.md`).
    pub by_year: bool,
}

/// Every category's folder: where its articles are, else (a category of the
/// menu without articles yet) its slug. A folder that holds two categories'
/// articles goes to the one with more of them.
pub fn article_folders(site: &Site) -> Vec<ArticleFolder> {
    // folder -> category -> (articles, in year folders)
    let mut seen: BTreeMap<&str, BTreeMap<usize, (usize, usize)>> = BTreeMap::new();
    for article in &site.articles {
        let mut parts = article.file.split('/');
        let (Some(folder), Some(_)) = (parts.next(), parts.next()) else {
            continue; // right in content/: not a category's folder
        };
        if [DOCUMENTS_FOLDER, SCHEDULE_FOLDER, IMAGES_FOLDER].contains(&folder) {
            continue;
        }
        let counts = seen
            .entry(folder)
            .or_default()
            .entry(article.category)
            .or_default();
        counts.0 += 1;
        if article.file.matches('/').count() >= 2 {
            counts.1 += 1;
        }
    }
    let mut folders: Vec<ArticleFolder> = seen
        .into_iter()
        .filter_map(|(folder, categories)| {
            let (&category, &(count, in_years)) =
                categories.iter().max_by_key(|(_, (count, _))| *count)?;
            Some(ArticleFolder {
                name: site.categories[category].name.clone(),
                folder: folder.to_string(),
                by_year: in_years * 2 >= count,
            })
        })
        .collect();
    for name in &site.config.menu {
        let folder = slugify(name);
        let known = folders
            .iter()
            .any(|f| f.folder == folder || slugify(&f.name) == folder);
        if !known && !folder.is_empty() {
            folders.push(ArticleFolder {
                name: name.clone(),
                folder,
                by_year: true,
            });
        }
    }
    folders.sort_by(|a, b| a.name.cmp(&b.name));
    folders
}

/// `Tuần 27/2025 (30/06 – 06/07)`: a week as the editor lists it.
fn week_label(week: WeekNumber) -> String {
    format!(
        "Tuần {}/{} ({} – {})",
        week.week,
        week.year,
        week.monday().strftime("%d/%m"),
        week.sunday().strftime("%d/%m")
    )
}

/// The week a schedule file's name (`2025-W27.yaml`) names, if it names one.
pub fn week_of_file(name: &str) -> Option<WeekNumber> {
    name.strip_suffix(".yaml").and_then(WeekNumber::parse)
}

/// The weeks offered in the editor: the one before `today`'s, its own, the
/// next two, and every week that has a file (`existing`), newest first.
pub fn schedule_weeks(today: jiff::civil::Date, existing: &[WeekNumber]) -> Vec<WeekNumber> {
    let week_before = today
        .checked_sub(jiff::Span::new().days(7))
        .unwrap_or(today);
    let this = WeekNumber::of(today);
    let mut weeks = vec![
        WeekNumber::of(week_before),
        this,
        this.next(),
        this.next().next(),
    ];
    weeks.extend_from_slice(existing);
    weeks.sort_by(|a, b| b.cmp(a));
    weeks.dedup();
    weeks
}

/// The published `/admin/config.yml` of a site with `cms:` (empty without).
/// The schedule's weeks are those around the build's date and those the site
/// has.
pub fn published_config(site: &Site) -> String {
    let Some(cms) = &site.config.cms else {
        return String::new();
    };
    let folders = article_folders(site);
    let existing: Vec<WeekNumber> = site.schedule.weeks.iter().map(|w| w.number).collect();
    let weeks = schedule_weeks(build_date(&site.config), &existing);
    let editor = EditorSite {
        config: &site.config,
        folders: &folders,
        weeks: &weeks,
    };
    config_yml(&editor, Saving::Published(cms))
}

/// The build's date in the site's zone: `SOURCE_DATE_EPOCH` where set (as
/// reproducible builds ask), else today.
pub fn build_date(config: &Config) -> jiff::civil::Date {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(config.timezone.clone()).date()
}

/// Where the editor saves.
#[derive(Debug, Clone, Copy)]
pub enum Saving<'a> {
    /// `bantin serve`'s editing API at this address (`http://127.0.0.1:1111`),
    /// with the site's `cms:` if it has one.
    Local {
        origin: &'a str,
        host: &'a str,
        cms: Option<&'a Cms>,
    },
    /// The git host named in site.yaml.
    Published(&'a Cms),
}

/// What the editor is made from.
#[derive(Debug, Clone)]
pub struct EditorSite<'a> {
    pub config: &'a Config,
    pub folders: &'a [ArticleFolder],
    pub weeks: &'a [WeekNumber],
}

/// `/admin/config.yml`.
pub fn config_yml(site: &EditorSite, saving: Saving) -> String {
    let config = site.config;
    let mut top = vec![("backend", backend(saving))];
    let published_cms = match saving {
        Saving::Published(cms) => Some(cms),
        Saving::Local { cms, .. } => cms,
    };
    if let Some(cms) = published_cms
        && cms.editorial_workflow
    {
        top.push(("publish_mode", text("editorial_workflow")));
    }
    if let Saving::Local { origin, host, .. } = saving {
        // As the browser's `location.hostname` says it (`[::1]` keeps its brackets).
        let hostname = host.rsplit_once(':').map_or(host, |(name, _)| name);
        top.push((
            "local_backend",
            Yaml::Map(vec![
                ("url", text(&format!("{origin}/api/v1"))),
                ("allowed_hosts", Yaml::List(vec![text(hostname)])),
            ]),
        ));
    }
    top.push(("locale", text(config.language.code())));
    if !config.base_url.is_empty() {
        top.push(("site_url", text(&config.base_url)));
        top.push(("display_url", text(&config.base_url)));
    }
    if let Some(logo) = &config.logo {
        let logo = if logo.contains("://") {
            logo.clone()
        } else {
            config.link(logo)
        };
        top.push(("logo_url", text(&logo)));
    }
    top.push(("media_folder", text(&format!("content/{IMAGES_FOLDER}"))));
    // Paths in files start from content/ (`/images/x.png`), never with the
    // site's base path: the build adds that to every link.
    top.push(("public_folder", text(&format!("/{IMAGES_FOLDER}"))));
    top.push((
        "slug",
        Yaml::Map(vec![
            ("encoding", text("ascii")),
            ("clean_accents", Yaml::Bool(true)),
            ("sanitize_replacement", text("-")),
        ]),
    ));
    // Optional fields left empty are left out, not written as `author: ""`:
    // Sveltia CMS reads this; Decap does it in the editor page's `preSave`.
    top.push(("omit_empty_optional_fields", Yaml::Bool(true)));
    let mut collections: Vec<Yaml> = site
        .folders
        .iter()
        .map(|f| article_collection(config, f))
        .collect();
    collections.push(documents_collection());
    if !site.weeks.is_empty() {
        collections.push(schedule_collection(site.weeks));
    }
    top.push(("collections", Yaml::List(collections)));
    let mut out = String::from(
        "# Written by bantin from the site's content schema; changes here are lost.\n",
    );
    Yaml::Map(top).write(&mut out, 0);
    out
}

fn backend(saving: Saving) -> Yaml {
    let cms = match saving {
        Saving::Published(cms) | Saving::Local { cms: Some(cms), .. } => cms,
        // No git host: the local editing API is the only backend.
        Saving::Local {
            origin, cms: None, ..
        } => {
            return Yaml::Map(vec![
                ("name", text("proxy")),
                ("proxy_url", text(&format!("{origin}/api/v1"))),
                ("branch", text("main")),
            ]);
        }
    };
    let mut map = vec![
        ("name", text(cms.backend.name())),
        ("repo", text(&cms.repo)),
        ("branch", text(&cms.branch)),
    ];
    if let Some(url) = &cms.auth_url {
        map.push(("base_url", text(url)));
    }
    if let Some(api) = &cms.api_root {
        map.push(("api_root", text(api)));
    }
    if let Some(id) = &cms.app_id {
        map.push(("app_id", text(id)));
        if cms.backend != CmsBackend::Github {
            // GitLab and Gitea sign in from the page itself, with no OAuth server.
            map.push(("auth_type", text("pkce")));
        }
    }
    map.push(("commit_messages", commit_messages()));
    Yaml::Map(map)
}

/// Commit messages in the portal's language, so the history reads as a log.
fn commit_messages() -> Yaml {
    Yaml::Map(vec![
        ("create", text("Thêm {{collection}} “{{slug}}”")),
        ("update", text("Sửa {{collection}} “{{slug}}”")),
        ("delete", text("Xóa {{collection}} “{{slug}}”")),
        ("uploadMedia", text("Tải lên “{{path}}”")),
        ("deleteMedia", text("Xóa “{{path}}”")),
    ])
}

fn article_collection(config: &Config, folder: &ArticleFolder) -> Yaml {
    let category_slug = slugify(&folder.name);
    let mut map = vec![
        ("name", text(&collection_name(&folder.folder))),
        ("label", text(&folder.name)),
        ("label_singular", text("tin bài")),
        ("folder", text(&format!("content/{}", folder.folder))),
        ("create", Yaml::Bool(true)),
        ("extension", text("md")),
        ("format", text("frontmatter")),
        ("identifier_field", text("title")),
        ("slug", text("{{slug}}")),
    ];
    if folder.by_year {
        map.push(("path", text("{{year}}/{{slug}}")));
    }
    // Images of the year the article is dated: content/images/<year>/.
    map.push((
        "media_folder",
        text(&format!("/content/{IMAGES_FOLDER}/{{{{year}}}}")),
    ));
    map.push((
        "public_folder",
        text(&format!("/{IMAGES_FOLDER}/{{{{year}}}}")),
    ));
    map.extend([
        ("summary", text("{{title}} ({{day}}/{{month}}/{{year}})")),
        (
            "sortable_fields",
            Yaml::List(vec![text("date"), text("title"), text("views")]),
        ),
        (
            "preview_path",
            text(&config.link(&format!("/{category_slug}/{{{{slug}}}}/"))),
        ),
        ("fields", Yaml::List(article_fields(&folder.name))),
    ]);
    Yaml::Map(map)
}

/// A collection's name for Decap: the folder's, in the characters it allows.
fn collection_name(folder: &str) -> String {
    let name = slugify(folder);
    if name.is_empty() {
        "tin".to_string()
    } else {
        name
    }
}

/// The contract's article fields, in the order a clerk fills them.
fn article_fields(category: &str) -> Vec<Yaml> {
    vec![
        field("title", "Tiêu đề", "string", true, vec![]),
        datetime("date", "Ngày đăng", true, true),
        field(
            "category",
            "Chuyên mục",
            "hidden",
            true,
            vec![("default", text(category))],
        ),
        field(
            "views",
            "Lượt xem",
            "number",
            false,
            vec![
                ("value_type", text("int")),
                ("min", Yaml::Int(0)),
                ("step", Yaml::Int(1)),
                ("default", Yaml::Int(0)),
                (
                    "hint",
                    text("Số lượt xem chuyển từ cổng cũ (số nguyên, từ 0)"),
                ),
            ],
        ),
        field(
            "summary",
            "Tóm tắt",
            "text",
            false,
            vec![("hint", text("Để trống: lấy đoạn đầu của bài"))],
        ),
        field("image", "Ảnh đại diện", "image", false, vec![]),
        field(
            "tags",
            "Từ khóa",
            "list",
            false,
            vec![("hint", text("Cách nhau bằng dấu phẩy"))],
        ),
        field("author", "Tác giả", "string", false, vec![]),
        field("source", "Nguồn", "string", false, vec![]),
        datetime("updated", "Ngày cập nhật", false, true),
        aliases("bài"),
        slug("Để trống: lấy từ tên tệp"),
        extra(),
        draft(),
        field("body", "Nội dung", "markdown", true, vec![]),
    ]
}

fn documents_collection() -> Yaml {
    let date = |name, label, required| datetime(name, label, required, false);
    let numbers = |name, label, hint| field(name, label, "list", false, vec![("hint", text(hint))]);
    Yaml::Map(vec![
        ("name", text(DOCUMENTS_FOLDER)),
        ("label", text("Văn bản")),
        ("label_singular", text("văn bản")),
        ("folder", text(&format!("content/{DOCUMENTS_FOLDER}"))),
        ("create", Yaml::Bool(true)),
        ("extension", text("md")),
        ("format", text("frontmatter")),
        ("identifier_field", text("number")),
        ("slug", text("{{slug}}")),
        ("path", text("{{year}}/{{slug}}")),
        ("summary", text("{{number}} – {{title}}")),
        // Attachments in one folder: Decap names a folder by the year only
        // from a field called `date`, which documents do not have.
        (
            "media_folder",
            text(&format!("/content/{DOCUMENTS_FOLDER}/{ATTACHMENTS_FOLDER}")),
        ),
        (
            "public_folder",
            text(&format!("/{DOCUMENTS_FOLDER}/{ATTACHMENTS_FOLDER}")),
        ),
        (
            "fields",
            Yaml::List(vec![
                field(
                    "number",
                    "Số ký hiệu",
                    "string",
                    true,
                    vec![("hint", text("Như trên văn bản, ví dụ 25/2024/QĐ-UBND"))],
                ),
                field(
                    "type",
                    "Hình thức",
                    "string",
                    true,
                    vec![(
                        "hint",
                        text("Quyết định, Nghị quyết, Kế hoạch, Công văn, Thông báo, Báo cáo…"),
                    )],
                ),
                field("issuer", "Cơ quan ban hành", "string", true, vec![]),
                date("issued", "Ngày ban hành", true),
                field("title", "Trích yếu", "string", true, vec![]),
                date("effective", "Ngày có hiệu lực", false),
                date("expires", "Ngày hết hiệu lực", false),
                field("signer", "Người ký", "string", false, vec![]),
                field("field", "Lĩnh vực", "string", false, vec![]),
                field(
                    "files",
                    "Tệp đính kèm",
                    "list",
                    false,
                    vec![
                        ("label_singular", text("tệp")),
                        ("field", field("file", "Tệp", "file", true, vec![])),
                    ],
                ),
                numbers(
                    "replaces",
                    "Thay thế văn bản số",
                    "Số ký hiệu, cách nhau bằng dấu phẩy",
                ),
                numbers(
                    "amends",
                    "Sửa đổi, bổ sung văn bản số",
                    "Số ký hiệu, cách nhau bằng dấu phẩy",
                ),
                slug("Để trống: lấy từ số ký hiệu (và năm ban hành)"),
                aliases("văn bản"),
                extra(),
                draft(),
                field("body", "Tóm tắt hoặc toàn văn", "markdown", false, vec![]),
            ]),
        ),
    ])
}

/// The schedule: one file a week, each offered by name (a week's file is
/// named by the week, which no title could make).
fn schedule_collection(weeks: &[WeekNumber]) -> Yaml {
    let time = |name, label, required| datetime(name, label, required, true);
    let optional = |name, label| field(name, label, "string", false, vec![]);
    let item_fields = Yaml::List(vec![
        time("start", "Bắt đầu", true),
        time("end", "Kết thúc", false),
        field(
            "who",
            "Chủ trì",
            "list",
            true,
            vec![(
                "hint",
                text("Một hoặc nhiều người, cách nhau bằng dấu phẩy"),
            )],
        ),
        field("what", "Nội dung", "string", true, vec![]),
        optional("where", "Địa điểm"),
        optional("with", "Thành phần"),
        optional("prepares", "Đơn vị chuẩn bị"),
        field("changed", "Điều chỉnh", "boolean", false, vec![]),
        // The item's lasting identity in calendars: kept as written.
        field("id", "Mã", "hidden", false, vec![]),
    ]);
    let fields = Yaml::List(vec![
        field("note", "Ghi chú", "string", false, vec![]),
        field(
            "items",
            "Lịch",
            "list",
            true,
            vec![
                ("label_singular", text("việc")),
                ("summary", text("{{fields.start}} – {{fields.what}}")),
                ("fields", item_fields),
            ],
        ),
    ]);
    let files = weeks
        .iter()
        .map(|week| {
            Yaml::Map(vec![
                ("name", text(&week.name())),
                ("label", text(&week_label(*week))),
                (
                    "file",
                    text(&format!("content/{SCHEDULE_FOLDER}/{}.yaml", week.name())),
                ),
                ("fields", fields.clone()),
            ])
        })
        .collect();
    Yaml::Map(vec![
        ("name", text(SCHEDULE_FOLDER)),
        ("label", text("Lịch công tác")),
        ("extension", text("yaml")),
        ("format", text("yaml")),
        ("files", Yaml::List(files)),
    ])
}

/// `aliases`: old addresses of an article or a document (`of`: "bài").
fn aliases(of: &str) -> Yaml {
    let hint = format!("Địa chỉ của {of} trên cổng cũ, để chuyển hướng");
    field(
        "aliases",
        "Địa chỉ cũ",
        "list",
        false,
        vec![("hint", text(&hint))],
    )
}

/// `slug`: the page's address, when it should not be the default (`hint`).
fn slug(hint: &str) -> Yaml {
    field(
        "slug",
        "Đường dẫn",
        "string",
        false,
        vec![("hint", text(hint))],
    )
}

/// `draft`: a switch, off for a new entry.
fn draft() -> Yaml {
    let off = vec![("default", Yaml::Bool(false))];
    field("draft", "Bản nháp (chưa đăng)", "boolean", false, off)
}

/// `extra`: a map for the site's own templates, kept as the file has it (no
/// form can know its keys).
fn extra() -> Yaml {
    field("extra", "Dữ liệu thêm", "hidden", false, vec![])
}

fn field(
    name: &'static str,
    label: &str,
    widget: &str,
    required: bool,
    more: Vec<(&'static str, Yaml)>,
) -> Yaml {
    let mut map = vec![
        ("name", text(name)),
        ("label", text(label)),
        ("widget", text(widget)),
        ("required", Yaml::Bool(required)),
    ];
    map.extend(more);
    Yaml::Map(map)
}

/// A date (with its time, or not) written as the contract reads it without an
/// offset: `2014-01-17 14:05` is read in the site's time zone, whatever the
/// zone of the clerk's computer.
fn datetime(name: &'static str, label: &str, required: bool, with_time: bool) -> Yaml {
    let (format, time_format) = if with_time {
        ("YYYY-MM-DD HH:mm", text("HH:mm"))
    } else {
        ("YYYY-MM-DD", Yaml::Bool(false))
    };
    field(
        name,
        label,
        "datetime",
        required,
        vec![
            ("format", text(format)),
            ("date_format", text("DD/MM/YYYY")),
            ("time_format", time_format),
        ],
    )
}

fn text(s: &str) -> Yaml {
    Yaml::Text(s.to_string())
}

/// The little YAML the configuration needs: maps keep their order, and text is
/// always double-quoted (JSON's escapes are YAML's), so that nothing in a name
/// (`: `, `#`, `yes`) is read as anything but text.
#[derive(Debug, Clone)]
enum Yaml {
    Map(Vec<(&'static str, Yaml)>),
    List(Vec<Yaml>),
    Text(String),
    Bool(bool),
    Int(i64),
}

impl Yaml {
    fn scalar(&self) -> Option<String> {
        match self {
            Yaml::Text(s) => Some(serde_json::Value::from(s.as_str()).to_string()),
            Yaml::Bool(b) => Some(b.to_string()),
            Yaml::Int(n) => Some(n.to_string()),
            Yaml::Map(m) if m.is_empty() => Some("{}".to_string()),
            Yaml::List(l) if l.is_empty() => Some("[]".to_string()),
            _ => None,
        }
    }

    /// Writes a map's or list's lines at `indent`.
    fn write(&self, out: &mut String, indent: usize) {
        let pad = " ".repeat(indent);
        match self {
            Yaml::Map(fields) => {
                for (key, value) in fields {
                    match value.scalar() {
                        Some(s) => {
                            let _ = writeln!(out, "{pad}{key}: {s}");
                        }
                        None => {
                            let _ = writeln!(out, "{pad}{key}:");
                            value.write(out, indent + 2);
                        }
                    }
                }
            }
            Yaml::List(items) => {
                for item in items {
                    match item.scalar() {
                        Some(s) => {
                            let _ = writeln!(out, "{pad}- {s}");
                        }
                        None => {
                            // The item's first line goes after the dash.
                            let mut inner = String::new();
                            item.write(&mut inner, indent + 2);
                            let _ = write!(out, "{pad}- {}", &inner[indent + 2..]);
                        }
                    }
                }
            }
            scalar => {
                let _ = writeln!(out, "{pad}{}", scalar.scalar().unwrap_or_default());
            }
        }
    }
}

/// Where the editor page loads Decap CMS from.
pub fn script_tag(config: &Config) -> String {
    match config.cms.as_ref().and_then(|cms| cms.script.as_ref()) {
        Some(script) if script.starts_with('/') => {
            format!("<script src=\"{}\"></script>", escape(&config.link(script)))
        }
        Some(script) => format!("<script src=\"{}\"></script>", escape(script)),
        None => format!(
            "<script src=\"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js\" \
             integrity=\"{DECAP_INTEGRITY}\" crossorigin=\"anonymous\"></script>"
        ),
    }
}

/// `/admin/index.html`. `stylesheet`: the site's stylesheet, for the preview;
/// `events`: the live preview's event stream, whose build errors are shown
/// over the editor (`bantin serve` only).
pub fn index_html(
    config: &Config,
    folders: &[ArticleFolder],
    stylesheet: &str,
    events: Option<&str>,
) -> String {
    let title = format!("Soạn tin – {}", config.title);
    let articles: Vec<String> = folders.iter().map(|f| collection_name(&f.folder)).collect();
    let settings = serde_json::json!({
        // None before the site has built once under `serve`.
        "stylesheet": (!stylesheet.is_empty()).then(|| config.link(&format!("/{stylesheet}"))),
        "articles": articles,
        "events": events,
        "sameLetters": same_letters(),
    });
    // `</` never appears inside the script's JSON.
    let settings = settings.to_string().replace("</", "<\\/");
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n<title>{title}</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n</head>\n<body>\n\
         {script}\n<script>\nconst BANTIN = {settings};\n{EDITOR_SCRIPT}</script>\n</body>\n</html>\n",
        lang = config.language.code(),
        title = escape(&title),
        script = script_tag(config),
    )
}

/// The letters written for others that look the same (`Ð` for `Đ`), and
/// those they stand for, as `bantin new` reads them ([`d_for_eth`]): the
/// editor writes titles and the names of uploaded files with the letters
/// meant, so that a file named `ÐẢNG ỦY.pdf` is `dang-uy.pdf` as `ĐẢNG
/// ỦY.pdf` is, not `dhang-uy.pdf`.
fn same_letters() -> serde_json::Map<String, serde_json::Value> {
    ('\u{00C0}'..='\u{024F}')
        .filter(|&c| d_for_eth(c) != c)
        .map(|c| (c.to_string(), d_for_eth(c).to_string().into()))
        .collect()
}

/// Registered once Decap CMS is loaded: the preview in the site's own
/// stylesheet and markup, and (under `bantin serve`) the build's errors.
const EDITOR_SCRIPT: &str = include_str!("admin.js");

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders() -> Vec<ArticleFolder> {
        vec![
            ArticleFolder {
                name: "Dân vận".to_string(),
                folder: "dan-van".to_string(),
                by_year: true,
            },
            ArticleFolder {
                name: "Giới thiệu".to_string(),
                folder: "gioi-thieu".to_string(),
                by_year: false,
            },
        ]
    }

    /// The configuration `bantin serve` at `host` gives a site of `site_yaml`
    /// on 2 July 2025, read back as YAML.
    fn served_configuration(site_yaml: &str, host: &str) -> serde_json::Value {
        let (config, _) = crate::config::parse_config(site_yaml);
        let weeks = schedule_weeks(jiff::civil::date(2025, 7, 2), &[]);
        let folders = folders();
        let site = EditorSite {
            config: &config,
            folders: &folders,
            weeks: &weeks,
        };
        let yml = config_yml(
            &site,
            Saving::Local {
                origin: &format!("http://{host}"),
                host,
                cms: None,
            },
        );
        serde_saphyr::from_str(&yml).expect(&yml)
    }

    #[test]
    fn the_configuration_is_yaml_with_every_contract_field() {
        let site_yaml = "title: \"Quận 2: \\\"mẫu\\\"\"\n";
        let value = served_configuration(site_yaml, "127.0.0.1:1111");
        assert_eq!(value["locale"], "vi");
        assert_eq!(
            value["local_backend"]["url"],
            "http://127.0.0.1:1111/api/v1"
        );
        assert_eq!(value["local_backend"]["allowed_hosts"][0], "127.0.0.1");
        let collections = value["collections"].as_array().unwrap();
        let dan_van = &collections[0];
        assert_eq!(dan_van["folder"], "content/dan-van");
        assert_eq!(dan_van["path"], "{{year}}/{{slug}}");
        assert!(collections[1].get("path").is_none(), "gioi-thieu is flat");
        let fields = dan_van["fields"].as_array().unwrap();
        let by_name = |name: &str| fields.iter().find(|f| f["name"] == name).unwrap();
        for name in [
            "title", "date", "category", "views", "tags", "summary", "author", "source", "image",
            "aliases", "updated", "draft", "body",
        ] {
            by_name(name);
        }
        assert_eq!(by_name("category")["widget"], "hidden");
        assert_eq!(by_name("category")["default"], "Dân vận");
        assert_eq!(by_name("views")["value_type"], "int");
        assert_eq!(by_name("views")["min"], 0);
        assert_eq!(by_name("date")["required"], true);
        assert_eq!(by_name("draft")["widget"], "boolean");
        let documents = &collections[2];
        let fields = documents["fields"].as_array().unwrap();
        let names: Vec<_> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        for name in [
            "number",
            "type",
            "issuer",
            "issued",
            "title",
            "effective",
            "expires",
            "signer",
            "field",
            "files",
            "replaces",
            "amends",
            "draft",
            "body",
        ] {
            assert!(names.contains(&name), "{name}");
        }
        let on_ipv6 = served_configuration(site_yaml, "[::1]:1111");
        assert_eq!(on_ipv6["local_backend"]["allowed_hosts"][0], "[::1]");
        let schedule = &collections[3];
        let files = schedule["files"].as_array().unwrap();
        assert_eq!(files[0]["file"], "content/lich-cong-tac/2025-W29.yaml");
        assert_eq!(files[3]["file"], "content/lich-cong-tac/2025-W26.yaml");
        assert_eq!(files[2]["label"], "Tuần 27/2025 (30/06 – 06/07)");
    }

    /// The configuration of a site published at `https://a.vn/cong`.
    fn configuration() -> serde_json::Value {
        served_configuration(
            "title: x\nbase_url: \"https://a.vn/cong\"\n",
            "127.0.0.1:1111",
        )
    }

    /// The widget a field of the contract is edited with, and whether the
    /// contract requires it.
    fn contract_widget(name: &str) -> (&'static str, bool) {
        match name {
            "title" | "number" | "type" | "issuer" | "what" => ("string", true),
            "author" | "source" | "slug" | "signer" | "field" | "where" | "with" | "prepares"
            | "note" => ("string", false),
            "summary" => ("text", false),
            "date" | "issued" | "start" => ("datetime", true),
            "updated" | "effective" | "expires" | "end" => ("datetime", false),
            "category" => ("hidden", true),
            "extra" | "id" => ("hidden", false),
            "views" => ("number", false),
            "who" | "items" => ("list", true),
            "tags" | "aliases" | "files" | "replaces" | "amends" => ("list", false),
            "image" => ("image", false),
            "draft" | "changed" => ("boolean", false),
            "body" => ("markdown", false),
            other => panic!(
                "the build knows a field `{other}` this test does not: give it a widget in \
                 the editor's configuration and here"
            ),
        }
    }

    /// Checks that `fields` has one field for each of `known` (the build's own
    /// list of the fields it reads), with the widget of its kind.
    fn assert_fields(what: &str, fields: &serde_json::Value, known: &[&str]) {
        let fields = fields.as_array().expect(what);
        for name in known {
            let field = fields
                .iter()
                .find(|f| f["name"] == *name)
                .unwrap_or_else(|| panic!("{what}: no widget for `{name}`"));
            let (widget, required) = contract_widget(name);
            assert_eq!(field["widget"], widget, "{what}: `{name}`");
            if name != &"body" {
                assert_eq!(field["required"], required, "{what}: `{name}` required");
            }
            if widget == "datetime" {
                // What the widget writes is a date the build reads.
                let format = field["format"].as_str().unwrap();
                let written = format
                    .replace("YYYY", "2026")
                    .replace("MM", "11")
                    .replace("DD", "25")
                    .replace("HH", "09")
                    .replace("mm", "45");
                let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
                let read = crate::content::dates::parse_date(&written, &tz)
                    .unwrap_or_else(|e| panic!("{what}: `{name}` writes {written}: {e}"));
                let with_time = format.contains("HH");
                assert_eq!(
                    read.time().hour(),
                    if with_time { 9 } else { 0 },
                    "{what}: `{name}`"
                );
            }
        }
        let names: Vec<&str> = fields.iter().filter_map(|f| f["name"].as_str()).collect();
        for name in &names {
            assert!(
                *name == "body" || known.contains(name),
                "{what}: `{name}` is not a field the build reads"
            );
        }
    }

    #[test]
    fn every_field_the_build_reads_has_a_widget_of_its_kind() {
        use crate::content::{document, front_matter, week};
        let value = configuration();
        let collections = value["collections"].as_array().unwrap();
        let named = |name: &str| {
            collections
                .iter()
                .find(|c| c["name"] == name)
                .unwrap_or_else(|| panic!("no collection {name}"))
        };
        let with_body = |known: &[&'static str]| [known, &["body"]].concat();
        assert_fields(
            "an article",
            &named("dan-van")["fields"],
            &with_body(front_matter::KNOWN_FIELDS),
        );
        assert_fields(
            "a document",
            &named(DOCUMENTS_FOLDER)["fields"],
            &with_body(document::KNOWN_FIELDS),
        );
        let this_week = &named(SCHEDULE_FOLDER)["files"][0]["fields"];
        assert_fields("a week", this_week, week::WEEK_FIELDS);
        let items = this_week
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "items")
            .unwrap();
        assert_fields("a week's item", &items["fields"], week::ITEM_FIELDS);
        // Attachments are a list of files; the schedule's week files are
        // named as the build reads them.
        let files = named(DOCUMENTS_FOLDER)["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "files")
            .unwrap()
            .clone();
        assert_eq!(files["field"]["widget"], "file");
        for file in named(SCHEDULE_FOLDER)["files"].as_array().unwrap() {
            let path = file["file"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap();
            assert!(
                week::WeekNumber::parse(name.trim_end_matches(".yaml")).is_some(),
                "{path}"
            );
        }
    }

    #[test]
    fn uploaded_files_are_linked_from_content_not_from_the_base_path() {
        // The build adds the base path to every link: a path written with it
        // would name content/cong/images/... and break.
        let value = configuration();
        assert_eq!(value["public_folder"], "/images");
        let collections = value["collections"].as_array().unwrap();
        assert_eq!(collections[0]["public_folder"], "/images/{{year}}");
        let documents = collections
            .iter()
            .find(|c| c["name"] == DOCUMENTS_FOLDER)
            .unwrap();
        assert_eq!(documents["public_folder"], "/van-ban/tep");
        assert_eq!(documents["media_folder"], "/content/van-ban/tep");
        // Preview links are the site's addresses, base path and all.
        assert_eq!(collections[0]["preview_path"], "/cong/dan-van/{{slug}}/");
    }

    #[test]
    fn weeks_are_read_from_file_names() {
        assert_eq!(
            week_of_file("2025-W27.yaml"),
            Some(WeekNumber {
                year: 2025,
                week: 27
            })
        );
        for not_a_week in [
            "2025-W54.yaml",
            "2025-w27.yaml",
            "2025-W27.yml",
            "../2025-W27.yaml",
        ] {
            assert_eq!(week_of_file(not_a_week), None, "{not_a_week}");
        }
    }

    #[test]
    fn the_editor_offers_the_weeks_around_today_and_those_with_a_file() {
        let names = |weeks: Vec<WeekNumber>| -> Vec<String> {
            weeks.into_iter().map(WeekNumber::name).collect()
        };
        // Thursday 1 January 2026 is in week 1 of 2026.
        assert_eq!(
            names(schedule_weeks(jiff::civil::date(2026, 1, 1), &[])),
            ["2026-W03", "2026-W02", "2026-W01", "2025-W52"]
        );
        let old = WeekNumber {
            year: 2024,
            week: 10,
        };
        let this = WeekNumber {
            year: 2026,
            week: 1,
        };
        assert_eq!(
            names(schedule_weeks(jiff::civil::date(2026, 1, 1), &[old, this])),
            ["2026-W03", "2026-W02", "2026-W01", "2025-W52", "2024-W10"]
        );
    }

    #[test]
    fn the_published_page_pins_its_script_unless_the_site_gives_one() {
        let (config, problems) =
            crate::config::parse_config("title: x\ncms:\n  backend: github\n  repo: a/b\n");
        assert!(problems.is_empty());
        let html = index_html(&config, &folders(), "style.1.css", None);
        assert!(html.contains(&format!("integrity=\"{DECAP_INTEGRITY}\"")));
        assert!(html.contains("decap-cms@3.16.3/dist/decap-cms.js"));
        let (config, _) = crate::config::parse_config(
            "title: x\nbase_url: https://a.vn/cong\ncms:\n  backend: github\n  repo: a/b\n  script: /js/decap-cms.js\n",
        );
        let html = index_html(&config, &folders(), "style.1.css", None);
        assert!(html.contains("<script src=\"/cong/js/decap-cms.js\"></script>"));
        assert!(!html.contains("integrity"));
    }

    /// The page names the letters to write for their look-alikes as
    /// `bantin new` does: a file `ÐU.pdf` is named as `ĐU.pdf` is.
    #[test]
    fn the_page_tells_the_script_which_letters_stand_for_others() {
        let (config, _) = crate::config::parse_config("title: x\n");
        let html = index_html(&config, &folders(), "style.1.css", None);
        assert!(
            html.contains(r#""sameLetters":{"Ð":"Đ","ð":"đ"}"#),
            "{html}"
        );
    }
}
