//! `site.yaml` -> [`Config`]: the site's settings, checked field by field.

use std::path::Path;

use jiff::tz::TimeZone;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::yaml::{self, Field};

pub const CONFIG_FILE: &str = "site.yaml";

const KNOWN_FIELDS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "theme",
    "paginate",
    "related",
    "most_read",
    "agency",
    "logo",
    "colors",
    "menu",
    "featured",
    "about",
    "search",
    "html",
    "iframe_hosts",
    "cms",
];

const CMS_FIELDS: &[&str] = &[
    "backend",
    "repo",
    "branch",
    "editorial_workflow",
    "script",
    "app_id",
    "api_root",
    "auth_url",
];

const AGENCY_FIELDS: &[&str] = &["name", "address", "phone", "email", "responsible"];
const COLOR_FIELDS: &[&str] = &["primary", "dark", "link"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Vi,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }
}

/// What becomes of HTML that editors write (or paste) in a body.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum HtmlMode {
    /// Published after an allow-list sanitiser: formatting, tables, images and
    /// links stay; scripts, handlers, forms and hidden content go.
    #[default]
    Sanitize,
    /// Published as written: only for sites whose every editor is trusted.
    Keep,
    /// Shown as text.
    Escape,
}

impl HtmlMode {
    pub const NAMES: &[&str] = &["sanitize", "keep", "escape"];

    pub fn name(self) -> &'static str {
        match self {
            HtmlMode::Sanitize => "sanitize",
            HtmlMode::Keep => "keep",
            HtmlMode::Escape => "escape",
        }
    }

    fn from_name(name: &str) -> Option<HtmlMode> {
        [HtmlMode::Sanitize, HtmlMode::Keep, HtmlMode::Escape]
            .into_iter()
            .find(|mode| mode.name() == name)
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute site address without a trailing slash, e.g. `https://quan2.gov.vn`;
    /// empty when the site has none (links then start at `/`).
    pub base_url: String,
    pub language: Language,
    pub timezone: TimeZone,
    /// How the time zone was written, for messages.
    pub timezone_name: String,
    pub theme: String,
    /// Articles per listing page.
    pub paginate: usize,
    /// Articles in each of "Tin mới hơn" and "Tin đã đưa" under an article.
    pub related: usize,
    /// Articles in the most-read list ("Xem nhiều").
    pub most_read: usize,
    /// Whether the site has a search page and index (`search: false` leaves them out).
    pub search: bool,
    /// The organisation behind the portal, shown in the header and footer.
    pub agency: Agency,
    /// The emblem or logo: a site path (`/images/logo.png`) or a full URL.
    pub logo: Option<String>,
    /// Theme colours by name (`primary`, `dark`, `link`), as `#rrggbb`.
    pub colors: Vec<(String, String)>,
    /// Categories in the menu, in order, by name; empty: all of them.
    pub menu: Vec<String>,
    /// Categories with a block of their own on the home page, by name.
    pub featured: Vec<String>,
    /// Where the menu's "Giới thiệu" (About) item leads: a site path or URL.
    pub about: Option<String>,
    /// What becomes of HTML written in articles' Markdown (`html:`).
    pub html: HtmlMode,
    /// Hosts an `<iframe>` in a body may show, besides YouTube's
    /// (`iframe_hosts:`), lower-case.
    pub iframe_hosts: Vec<String>,
    /// Editing in the browser (Decap CMS) on the published site: `/admin/` is
    /// published only when this is set.
    pub cms: Option<Cms>,
    /// A fingerprint of the text all this was read from (a build cache tells by
    /// it whether the site's settings are the ones its model was made with).
    pub text_print: crate::fingerprint::Fingerprint,
}

/// Where the published editor (`/admin/`) saves: a repository on a git host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cms {
    pub backend: CmsBackend,
    /// `owner/name` on the host.
    pub repo: String,
    pub branch: String,
    /// Each draft a pull request that a leader approves before it is published.
    pub editorial_workflow: bool,
    /// Where the page loads Decap CMS from: a site path or an address of the
    /// site's own (`/js/decap-cms.js`); `None`: the pinned version from a CDN,
    /// with its integrity hash.
    pub script: Option<String>,
    /// The OAuth application's client id (GitLab and Gitea sign in with it).
    pub app_id: Option<String>,
    /// The host's API address, for a self-hosted GitLab or Gitea
    /// (`https://git.tinh.gov.vn/api/v1`).
    pub api_root: Option<String>,
    /// The address of the OAuth server or host that signs clerks in (Decap's
    /// `base_url`): a GitHub OAuth proxy, or a self-hosted GitLab or Gitea.
    pub auth_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmsBackend {
    Github,
    Gitlab,
    Gitea,
}

impl CmsBackend {
    /// The name Decap CMS knows the backend by.
    pub fn name(self) -> &'static str {
        match self {
            CmsBackend::Github => "github",
            CmsBackend::Gitlab => "gitlab",
            CmsBackend::Gitea => "gitea",
        }
    }
}

/// Who publishes the portal; Vietnamese government portals must name them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Agency {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// The person responsible for the content ("Chịu trách nhiệm chính").
    pub responsible: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: String::new(),
            language: Language::Vi,
            timezone: TimeZone::fixed(jiff::tz::offset(7)),
            timezone_name: "+07:00".to_string(),
            theme: "default".to_string(),
            paginate: 20,
            related: 5,
            most_read: 10,
            search: true,
            agency: Agency::default(),
            logo: None,
            colors: Vec::new(),
            menu: Vec::new(),
            featured: Vec::new(),
            about: None,
            html: HtmlMode::Sanitize,
            iframe_hosts: Vec::new(),
            cms: None,
            text_print: 0,
        }
    }
}

impl Config {
    /// The path part of `base_url` (`/cong-thong-tin` for a site served below the
    /// host's root), which every link in the site starts with; empty at the root.
    pub fn base_path(&self) -> &str {
        let without_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        without_scheme
            .find('/')
            .map_or("", |i| &without_scheme[i..])
    }

    /// The link to a site path (`/dan-van/`) as pages should write it.
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path(), site_path)
    }

    /// The absolute URL of a site path, for feeds, sitemaps and canonical links.
    pub fn absolute_url(&self, site_path: &str) -> String {
        format!("{}{}", self.base_url, site_path)
    }

    /// Replaces `base_url` (the `--base-url` option of preview deployments).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = parse_base_url(url)?;
        Ok(())
    }
}

/// The config and its problems; `Err` only when there is no config to go on.
pub fn read_config(root: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        let hint = format!(
            "is {} a bantin site? It needs a site.yaml with at least `title:`",
            root.display()
        );
        vec![
            Diagnostic::error(CONFIG_FILE, format!("cannot read {}: {e}", path.display()))
                .with_hint(hint),
        ]
    })?;
    let text = crate::content::text::decode_source(&bytes).map_err(|e| {
        vec![
            Diagnostic::error(CONFIG_FILE, "the file is not UTF-8 text")
                .at(e.at.line, e.at.column)
                .with_hint("save it again as UTF-8"),
        ]
    })?;
    Ok(parse_config(&text))
}

/// Reads the text of `site.yaml`. Every problem is reported, not only the first;
/// the config comes back even then (bad fields keep their defaults), so that the
/// rest of the site can still be checked in the same run.
pub fn parse_config(text: &str) -> (Config, Vec<Diagnostic>) {
    let mut config = Config {
        text_print: crate::fingerprint::fingerprint(text.as_bytes()),
        ..Config::default()
    };
    let fields = match yaml::parse_mapping(text) {
        Ok(fields) => fields,
        Err(e) => {
            let d = Diagnostic::error(CONFIG_FILE, e.message)
                .at_location(Some(e.at))
                .with_hint("site.yaml holds one `name: value` per line, e.g. `title: \"Cổng thông tin điện tử Quận 2\"`");
            return (config, vec![d]);
        }
    };
    let mut problems = Vec::new();
    for field in &fields {
        let problem = |message: String| {
            Diagnostic::error(CONFIG_FILE, message).at_location(Some(field.value_at))
        };
        let result: Result<(), Diagnostic> = match field.key.as_str() {
            "title" => text_value(field).map(|t| config.title = t.trim().to_string()),
            "description" => text_value(field).map(|t| config.description = t),
            "base_url" => text_value(field)
                .and_then(|t| parse_base_url(&t).map_err(problem))
                .map(|u| config.base_url = u),
            "language" => text_value(field).and_then(|t| match t.as_str() {
                "vi" | "en" => {
                    config.language = if t == "vi" { Language::Vi } else { Language::En };
                    Ok(())
                }
                other => Err(problem(format!("unknown language `{other}`"))
                    .with_hint("write `language: vi` (Vietnamese) or `language: en` (English)")),
            }),
            "timezone" => text_value(field).and_then(|t| match parse_timezone(&t) {
                Some(tz) => {
                    config.timezone = tz;
                    config.timezone_name = t;
                    Ok(())
                }
                None => Err(problem(format!("unknown time zone `{t}`"))
                    .with_hint("write an offset such as \"+07:00\" or a zone name such as \"Asia/Ho_Chi_Minh\"")),
            }),
            "theme" => text_value(field).and_then(|t| {
                let plain = !t.is_empty()
                    && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if plain {
                    config.theme = t;
                    Ok(())
                } else {
                    Err(problem(format!("`{t}` is not a theme name"))
                        .with_hint("a theme is a folder under themes/, named with letters, digits, - and _"))
                }
            }),
            "paginate" => count_value(field, 1).map(|n| config.paginate = n),
            "related" => count_value(field, 0).map(|n| config.related = n),
            "most_read" => count_value(field, 0).map(|n| config.most_read = n),
            "search" => match field.value {
                Value::Bool(on) => {
                    config.search = on;
                    Ok(())
                }
                ref other => Err(problem(format!(
                    "`search` should be true or false, not {}",
                    yaml::describe(other)
                ))
                .with_hint("write `search: false` to leave the search page and index out")),
            },
            "agency" => group_value(field, AGENCY_FIELDS).map(|fields| {
                for (key, value) in fields {
                    let slot = match key.as_str() {
                        "name" => &mut config.agency.name,
                        "address" => &mut config.agency.address,
                        "phone" => &mut config.agency.phone,
                        "email" => &mut config.agency.email,
                        _ => &mut config.agency.responsible,
                    };
                    *slot = value;
                }
            }),
            "logo" => text_value(field).map(|t| config.logo = Some(t)),
            "about" => text_value(field).map(|t| config.about = Some(t)),
            "colors" => group_value(field, COLOR_FIELDS).and_then(|fields| {
                for (key, value) in fields {
                    if !is_hex_color(&value) {
                        return Err(problem(format!("`{value}` is not a colour"))
                            .with_hint("write colours as \"#a50e0e\" (a # and six hexadecimal digits)"));
                    }
                    config.colors.push((key, value));
                }
                Ok(())
            }),
            "menu" => list_value(field).map(|names| config.menu = names),
            "html" => text_value(field).and_then(|t| {
                let mode = HtmlMode::from_name(t.trim());
                mode.map(|m| config.html = m).ok_or_else(|| {
                    problem(format!("`html` should be one of {}, not `{t}`", HtmlMode::NAMES.join(", ")))
                        .with_hint("`sanitize` (the default) publishes editors' HTML without scripts and hidden content; `escape` shows it as text; `keep` publishes it as written")
                })
            }),
            "iframe_hosts" => {
                let hosts: Vec<&Value> = match &field.value {
                    Value::Array(items) => items.iter().collect(),
                    one => vec![one],
                };
                let hosts: Option<Vec<String>> = hosts
                    .into_iter()
                    .map(|v| v.as_str().map(|h| h.trim().to_ascii_lowercase()))
                    .map(|h| h.filter(|h| is_host_name(h)))
                    .collect();
                match hosts {
                    Some(hosts) => {
                        config.iframe_hosts = hosts;
                        Ok(())
                    }
                    None => Err(problem("`iframe_hosts` should be a list of host names".into())
                        .with_hint("write e.g. `iframe_hosts: [\"player.vimeo.com\"]`: host names only, without https:// or paths")),
                }
            }
            // The setting `html` replaced; refused so that no site publishes
            // unsanitised HTML by surprise.
            "unsafe_html" => Err(Diagnostic::error(
                CONFIG_FILE,
                "`unsafe_html` is no longer a setting: it is now `html`",
            )
            .at_location(Some(field.key_at))
            .with_hint("write `html: sanitize` (the default), `html: escape` for `unsafe_html: false`, or `html: keep` to publish HTML as written")),
            "featured" => list_value(field).map(|names| config.featured = names),
            "cms" => cms_value(field).map(|cms| config.cms = Some(cms)),
            _ => Err(yaml::unknown_field(CONFIG_FILE, field, KNOWN_FIELDS, 1)),
        };
        if let Err(d) = result {
            problems.push(d);
        }
    }
    match fields.iter().find(|f| f.key == "title") {
        None => problems.push(
            Diagnostic::error(CONFIG_FILE, "the site has no `title`")
                .at(1, 1)
                .with_hint("add a line such as `title: \"Cổng thông tin điện tử Quận 2\"`"),
        ),
        Some(f) if config.title.is_empty() && f.value.is_string() => problems.push(
            Diagnostic::error(CONFIG_FILE, "the site's `title` is empty")
                .at_location(Some(f.value_at))
                .with_hint(
                    "write the portal's name, e.g. `title: \"Cổng thông tin điện tử Quận 2\"`",
                ),
        ),
        Some(_) => {}
    }
    (config, problems)
}

fn text_value(field: &Field) -> Result<String, Diagnostic> {
    match &field.value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(Diagnostic::error(
            CONFIG_FILE,
            format!(
                "`{}` should be text, not {}",
                field.key,
                yaml::describe(other)
            ),
        )
        .at_location(Some(field.value_at))),
    }
}

/// A group of `name: text` lines under a field, checked against `known`.
fn group_value(field: &Field, known: &[&str]) -> Result<Vec<(String, String)>, Diagnostic> {
    let at = Some(field.value_at);
    let Value::Object(map) = &field.value else {
        return Err(Diagnostic::error(
            CONFIG_FILE,
            format!("`{}` should be a group of fields", field.key),
        )
        .at_location(at)
        .with_hint(format!(
            "indent its fields under it, one per line: {}",
            known.join(", ")
        )));
    };
    let mut values = Vec::new();
    for (key, value) in map {
        if !known.contains(&key.as_str()) {
            let hint = match yaml::nearest(key, known) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("the known fields are: {}", known.join(", ")),
            };
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("unknown field `{}` in `{}`", key, field.key),
            )
            .at_location(at)
            .with_hint(hint));
        }
        match value {
            Value::String(s) => values.push((key.clone(), s.trim().to_string())),
            Value::Number(n) => values.push((key.clone(), n.to_string())),
            _ => {
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    format!("`{}.{key}` should be text", field.key),
                )
                .at_location(at));
            }
        }
    }
    values.sort();
    Ok(values)
}

/// The `cms:` group: `backend` and `repo` required, the rest optional.
fn cms_value(field: &Field) -> Result<Cms, Diagnostic> {
    let at = Some(field.value_at);
    let error = |message: String| Diagnostic::error(CONFIG_FILE, message).at_location(at);
    let Value::Object(map) = &field.value else {
        return Err(error("`cms` should be a group of fields".to_string()).with_hint(
            "indent its fields under it, e.g. `cms:` then `  backend: github` and `  repo: ubnd/cong-thong-tin`",
        ));
    };
    let mut text = std::collections::HashMap::new();
    let mut editorial_workflow = false;
    for (key, value) in map {
        if !CMS_FIELDS.contains(&key.as_str()) {
            let hint = match yaml::nearest(key, CMS_FIELDS) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("the known fields are: {}", CMS_FIELDS.join(", ")),
            };
            return Err(error(format!("unknown field `{key}` in `cms`")).with_hint(hint));
        }
        match (key.as_str(), value) {
            ("editorial_workflow", Value::Bool(on)) => editorial_workflow = *on,
            ("editorial_workflow", other) => {
                return Err(error(format!(
                    "`cms.editorial_workflow` should be true or false, not {}",
                    yaml::describe(other)
                )));
            }
            (_, Value::String(s)) if !s.trim().is_empty() => {
                text.insert(key.as_str(), s.trim().to_string());
            }
            (_, Value::Number(n)) => {
                text.insert(key.as_str(), n.to_string());
            }
            (_, other) => {
                return Err(error(format!(
                    "`cms.{key}` should be text, not {}",
                    yaml::describe(other)
                )));
            }
        }
    }
    let backend = match text.get("backend").map(String::as_str) {
        Some("github") => CmsBackend::Github,
        Some("gitlab") => CmsBackend::Gitlab,
        Some("gitea") => CmsBackend::Gitea,
        Some(other) => {
            return Err(error(format!("unknown `cms.backend` `{other}`"))
                .with_hint("write `backend: github`, `backend: gitlab` or `backend: gitea`"));
        }
        None => {
            return Err(error("`cms` has no `backend`".to_string())
                .with_hint("write where the site's files are kept: `backend: github`, `backend: gitlab` or `backend: gitea`"));
        }
    };
    let Some(repo) = text.get("repo").cloned() else {
        return Err(error("`cms` has no `repo`".to_string()).with_hint(
            "name the repository as owner/name, e.g. `repo: ubnd-an-khanh/cong-thong-tin`",
        ));
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./".contains(c);
    if !repo.contains('/') || !repo.chars().all(plain) || repo.contains("..") {
        return Err(
            error(format!("`{repo}` is not a repository name")).with_hint(
                "name the repository as owner/name, e.g. `repo: ubnd-an-khanh/cong-thong-tin`",
            ),
        );
    }
    if editorial_workflow && backend == CmsBackend::Gitea {
        return Err(error("Decap CMS has no editorial workflow on Gitea".to_string())
            .with_hint("remove `editorial_workflow: true`, or keep the site on GitHub or GitLab for reviewed publishing"));
    }
    for key in ["api_root", "auth_url"] {
        if let Some(url) = text.get(key) {
            parse_base_url(url).map_err(error)?;
        }
    }
    let script = text.get("script").cloned();
    if let Some(script) = &script {
        let local = script.starts_with('/') && !script.starts_with("//");
        let safe = !script.contains(|c: char| c.is_whitespace() || "\"'<>".contains(c));
        if !(safe && (local || script.starts_with("https://"))) {
            return Err(error(format!(
                "`{script}` is not an address for the editor's script"
            ))
            .with_hint(
                "give a path on the site, e.g. `script: /js/decap-cms.js`, or an https:// address",
            ));
        }
    }
    Ok(Cms {
        backend,
        repo,
        branch: text
            .get("branch")
            .cloned()
            .unwrap_or_else(|| "main".to_string()),
        editorial_workflow,
        script,
        app_id: text.get("app_id").cloned(),
        api_root: text.get("api_root").cloned(),
        auth_url: text.get("auth_url").cloned(),
    })
}

fn list_value(field: &Field) -> Result<Vec<String>, Diagnostic> {
    let names = match &field.value {
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => Some(vec![s.clone()]),
        _ => None,
    };
    names.ok_or_else(|| {
        Diagnostic::error(
            CONFIG_FILE,
            format!("`{}` should be a list of category names", field.key),
        )
        .at_location(Some(field.value_at))
        .with_hint(format!(
            "write it as `{}: [\"Tin tức - Sự kiện\", \"Thông báo\"]`",
            field.key
        ))
    })
}

/// `www.youtube.com`, `player.vimeo.com`: letters, digits, `-` and dots.
fn is_host_name(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn is_hex_color(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

fn count_value(field: &Field, min: u64) -> Result<usize, Diagnostic> {
    match field.value.as_u64() {
        Some(n) if n >= min && n <= 10_000 => Ok(n as usize),
        _ => Err(Diagnostic::error(
            CONFIG_FILE,
            format!(
                "`{}` should be a whole number from {min} to 10000",
                field.key
            ),
        )
        .at_location(Some(field.value_at))),
    }
}

fn parse_base_url(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    if url.is_empty() {
        return Ok(String::new());
    }
    let shown: String = url
        .chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect();
    let example = "write it like \"https://quan2.example.gov.vn\"";
    let plain = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(|c: char| c.is_whitespace() || c.is_control() || "\"'<>\\".contains(c));
    let parsed = plain
        .then(|| url::Url::parse(url).ok())
        .flatten()
        .filter(|u| u.host_str().is_some_and(|h| !h.is_empty()));
    let Some(parsed) = parsed else {
        return Err(format!("`{shown}` is not a site address; {example}"));
    };
    // Every page, feed and sitemap writes this address out.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "`{shown}` holds a user name or password, which every page would publish; {example}"
        ));
    }
    if url.contains(['?', '#']) {
        return Err(format!(
            "`{shown}` has a `?` or `#` part, after which no page's path can go; {example}"
        ));
    }
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map_or("", |(_, path)| path);
    if path
        .split('/')
        .any(|part| part.is_empty() && !path.is_empty() || part == "." || part == "..")
    {
        return Err(format!(
            "`{shown}` has an empty, `.` or `..` part in its path; {example}"
        ));
    }
    Ok(url.to_string())
}

/// `+07:00`, `UTC` or an IANA zone name such as `Asia/Ho_Chi_Minh`.
fn parse_timezone(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    if let Some(offset) = parse_offset(name) {
        return Some(TimeZone::fixed(offset));
    }
    TimeZone::get(name).ok()
}

fn parse_offset(text: &str) -> Option<jiff::tz::Offset> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_takes_defaults() {
        let (c, problems) = parse_config("title: \"Quận 2\"\n");
        assert!(problems.is_empty());
        assert_eq!(c.title, "Quận 2");
        assert_eq!(c.paginate, 20);
        assert_eq!(c.language, Language::Vi);
        assert_eq!(c.timezone_name, "+07:00");
    }

    #[test]
    fn every_bad_field_is_reported() {
        let (_, errs) = parse_config("title: x\npaginat: 5\nlanguage: fr\npaginate: -1\n");
        let lines: Vec<_> = errs.iter().map(|d| d.line.unwrap()).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `paginate`?"));
    }

    #[test]
    fn agency_colours_and_lists() {
        let text = "title: x\nagency:\n  name: UBND Quận 2\n  phone: 028 3744 0000\ncolors:\n  primary: \"#004a8f\"\nmenu: [Dân vận, Thông báo]\nfeatured: Thông báo\n";
        let (c, problems) = parse_config(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.agency.name, "UBND Quận 2");
        assert_eq!(c.agency.phone, "028 3744 0000");
        assert_eq!(c.colors, [("primary".to_string(), "#004a8f".to_string())]);
        assert_eq!(c.menu, ["Dân vận", "Thông báo"]);
        assert_eq!(c.featured, ["Thông báo"]);
        let (_, problems) =
            parse_config("title: x\nagency:\n  nmae: UBND\ncolors:\n  primary: red\n");
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean `name`?"));
        assert!(problems[1].message.contains("not a colour"));
    }

    #[test]
    fn html_is_sanitised_unless_set_otherwise() {
        assert_eq!(parse_config("title: x\n").0.html, HtmlMode::Sanitize);
        let (c, problems) = parse_config("title: x\nhtml: escape\n");
        assert!(problems.is_empty() && c.html == HtmlMode::Escape);
        let (c, problems) = parse_config("title: x\nhtml: keep\n");
        assert!(problems.is_empty() && c.html == HtmlMode::Keep);
        let (_, problems) = parse_config("title: x\nhtml: \"không\"\n");
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].message.contains("sanitize, keep, escape"));
        let (_, problems) = parse_config("title: x\nhtlm: keep\n");
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean `html`?"));
    }

    #[test]
    fn the_old_unsafe_html_key_names_its_replacement() {
        let (c, problems) = parse_config("title: x\nunsafe_html: true\n");
        assert_eq!(c.html, HtmlMode::Sanitize, "never kept by surprise");
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].message.contains("now `html`"));
        assert!(problems[0].hint.as_deref().unwrap().contains("html: keep"));
    }

    #[test]
    fn iframe_hosts_are_host_names() {
        let (c, problems) =
            parse_config("title: x\niframe_hosts: [Player.Vimeo.com, www.facebook.com]\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.iframe_hosts, ["player.vimeo.com", "www.facebook.com"]);
        let (_, problems) = parse_config("title: x\niframe_hosts: [\"https://vimeo.com/x\"]\n");
        assert!(problems[0].message.contains("host names"), "{problems:?}");
    }

    #[test]
    fn cms_names_a_backend_and_a_repository() {
        assert!(parse_config("title: x\n").0.cms.is_none());
        let text = "title: x\ncms:\n  backend: gitlab\n  repo: ubnd/cong\n  editorial_workflow: true\n  api_root: https://git.tinh.gov.vn/api/v4\n";
        let (c, problems) = parse_config(text);
        assert!(problems.is_empty(), "{problems:?}");
        let cms = c.cms.unwrap();
        assert_eq!(cms.backend, CmsBackend::Gitlab);
        assert_eq!(
            (cms.repo.as_str(), cms.branch.as_str()),
            ("ubnd/cong", "main")
        );
        assert!(cms.editorial_workflow);
        for (bad, said) in [
            ("cms:\n  repo: a/b\n", "no `backend`"),
            (
                "cms:\n  backend: svn\n  repo: a/b\n",
                "unknown `cms.backend`",
            ),
            ("cms:\n  backend: github\n", "no `repo`"),
            (
                "cms:\n  backend: github\n  repo: \"a b\"\n",
                "not a repository",
            ),
            (
                "cms:\n  backend: github\n  repo: a/b\n  script: \"javascript:x\"\n",
                "not an address",
            ),
            (
                "cms:\n  backend: github\n  repo: a/b\n  brnch: x\n",
                "unknown field",
            ),
        ] {
            let (c, problems) = parse_config(&format!("title: x\n{bad}"));
            assert!(c.cms.is_none(), "{bad}");
            assert!(problems[0].message.contains(said), "{bad}: {problems:?}");
            assert_eq!(problems[0].line, Some(3), "{bad}");
        }
    }

    #[test]
    fn missing_title_is_an_error() {
        let (_, errs) = parse_config("paginate: 5\n");
        assert!(errs[0].message.contains("title"));
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let (mut c, _) = parse_config("title: x\nbase_url: https://a.gov.vn/portal/\n");
        assert_eq!(c.base_url, "https://a.gov.vn/portal");
        assert_eq!(c.link("/dan-van/"), "/portal/dan-van/");
        c.set_base_url("https://b.gov.vn").unwrap();
        assert_eq!(c.link("/"), "/");
        assert!(c.set_base_url("quan2").is_err());
    }

    #[test]
    fn time_zones_by_offset_or_name() {
        assert!(parse_timezone("+07:00").is_some());
        assert!(parse_timezone("Asia/Ho_Chi_Minh").is_some());
        assert!(parse_timezone("Sao Hỏa").is_none());
    }
}
