//! Loads the theme: templates and static files from `themes/<name>/`, with the
//! site's own `templates/` overriding the theme's by name. The default theme is
//! also built into the binary, so a site without a `themes/` folder still builds.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name templates use to refer to it: `article.html`, `partials/list.html`.
    pub name: String,
    pub text: String,
    /// Where it came from, for messages: `themes/default/templates/article.html`.
    pub origin: String,
}

#[derive(Debug, Clone)]
pub enum StaticContent {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path in the output: `style.css`.
    pub rel: String,
    pub content: StaticContent,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<TemplateSource>,
    /// Language files by code (`vi`, `en`): the theme's words and formats.
    pub languages: Vec<TemplateSource>,
    /// `static/style.css`, which the build publishes under a fingerprinted name.
    pub stylesheet: Option<TemplateSource>,
    /// The other files of `static/`, copied as they are.
    pub static_files: Vec<StaticFile>,
}

/// The theme's stylesheet, by its path in `static/`.
const STYLESHEET: &str = "style.css";

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme's files, relative to `themes/default/`.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/article.html",
    "templates/list.html",
    "templates/404.html",
    "templates/taxonomies.html",
    "templates/archive.html",
    "templates/sitemap.html",
    "templates/partials/most_read.html",
    "templates/partials/calendar.html",
    "templates/partials/date_picker.html",
    "templates/partials/list_links.html",
    "templates/partials/article_list.html",
    "templates/partials/pagination.html",
    "templates/partials/register_row.html",
    "templates/home.html",
    "templates/search.html",
    "templates/register.html",
    "templates/document.html",
    "templates/schedule.html",
    "templates/schedule_week.html",
    "templates/partials/schedule_table.html",
    "templates/partials/schedule_week.html",
    "templates/partials/schedule_weeks.html",
    "templates/partials/schedule_script.html",
    "languages/vi.yaml",
    "languages/en.yaml",
    "static/style.css",
    "static/favicon.ico",
    "static/favicon.svg",
];

/// The theme `name` of the site at `root`, with the site's template overrides.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(name);
    let mut theme = if theme_dir.is_dir() {
        let mut theme = read_dir_theme(&theme_dir, &format!("themes/{name}"))?;
        if theme.languages.is_empty() {
            // A theme without words of its own speaks like the default theme.
            theme.languages = embedded_default().languages;
        }
        theme
    } else if name == "default" {
        embedded_default()
    } else {
        return Err(vec![
            Diagnostic::error(
                "site.yaml",
                format!("the theme `{name}` is not in themes/{name}/"),
            )
            .with_hint("install the theme there, or write `theme: default`"),
        ]);
    };
    let overrides = root.join("templates");
    if overrides.is_dir() {
        let mut own = Vec::new();
        read_files(&overrides, "", &mut own)
            .map_err(|e| vec![Diagnostic::error("templates", e)])?;
        for (rel, path) in own {
            let text = read_template(&path, &format!("templates/{rel}"))?;
            theme.templates.retain(|t| t.name != rel);
            theme.templates.push(TemplateSource {
                name: rel.clone(),
                text,
                origin: format!("templates/{rel}"),
            });
        }
    }
    theme.templates.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(theme)
}

fn embedded_default() -> Theme {
    let mut theme = Theme::default();
    for (path, bytes) in DEFAULT_THEME {
        let source = |name: &str| TemplateSource {
            name: name.to_string(),
            text: String::from_utf8_lossy(bytes).into_owned(),
            origin: format!("themes/default/{path} (built in)"),
        };
        if let Some(name) = path.strip_prefix("templates/") {
            theme.templates.push(source(name));
        } else if let Some(file) = path.strip_prefix("languages/") {
            theme.languages.push(source(file.trim_end_matches(".yaml")));
        } else if *path == "static/style.css" {
            theme.stylesheet = Some(source(STYLESHEET));
        } else if let Some(rel) = path.strip_prefix("static/") {
            theme.static_files.push(StaticFile {
                rel: rel.to_string(),
                content: StaticContent::Embedded(bytes),
            });
        }
    }
    theme
}

fn read_dir_theme(dir: &Path, shown: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut templates = Vec::new();
    if dir.join("templates").is_dir() {
        read_files(&dir.join("templates"), "", &mut templates)
            .map_err(|e| vec![Diagnostic::error(format!("{shown}/templates"), e)])?;
    }
    for (rel, path) in templates {
        let origin = format!("{shown}/templates/{rel}");
        theme.templates.push(TemplateSource {
            name: rel,
            text: read_template(&path, &origin)?,
            origin,
        });
    }
    let mut languages = Vec::new();
    if dir.join("languages").is_dir() {
        read_files(&dir.join("languages"), "", &mut languages)
            .map_err(|e| vec![Diagnostic::error(format!("{shown}/languages"), e)])?;
    }
    for (rel, path) in languages {
        let origin = format!("{shown}/languages/{rel}");
        if let Some(code) = rel.strip_suffix(".yaml") {
            theme.languages.push(TemplateSource {
                name: code.to_string(),
                text: read_template(&path, &origin)?,
                origin,
            });
        }
    }
    let mut statics = Vec::new();
    if dir.join("static").is_dir() {
        read_files(&dir.join("static"), "", &mut statics)
            .map_err(|e| vec![Diagnostic::error(format!("{shown}/static"), e)])?;
    }
    for (rel, path) in statics {
        if rel == STYLESHEET {
            let origin = format!("{shown}/static/{rel}");
            theme.stylesheet = Some(TemplateSource {
                name: rel,
                text: read_template(&path, &origin)?,
                origin,
            });
        } else {
            theme.static_files.push(StaticFile {
                rel,
                content: StaticContent::Disk(path),
            });
        }
    }
    Ok(theme)
}

fn read_template(path: &Path, origin: &str) -> Result<String, Vec<Diagnostic>> {
    let bytes =
        fs::read(path).map_err(|e| vec![Diagnostic::error(origin, format!("cannot read: {e}"))])?;
    String::from_utf8(bytes).map_err(|_| {
        vec![
            Diagnostic::error(origin, "the template is not UTF-8 text")
                .with_hint("save it again as UTF-8"),
        ]
    })
}

/// Every visible file under `dir`, as (`/`-separated relative path, full path), sorted.
fn read_files(dir: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read this folder: {e}"))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let path = entry.path();
        if path.is_dir() {
            read_files(&path, &child, out)?;
        } else {
            out.push((child, path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_theme_lists_every_file_of_themes_default() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = Vec::new();
        read_files(&dir, "", &mut on_disk).unwrap();
        let mut on_disk: Vec<_> = on_disk.into_iter().map(|(rel, _)| rel).collect();
        let mut built_in: Vec<_> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        on_disk.sort();
        built_in.sort();
        assert_eq!(built_in, on_disk, "add new theme files to DEFAULT_THEME");
    }

    #[test]
    fn site_templates_override_the_theme() {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir(site.path().join("templates")).unwrap();
        fs::write(site.path().join("templates/404.html"), "riêng").unwrap();
        let theme = load_theme(site.path(), "default").unwrap();
        let not_found: Vec<_> = theme
            .templates
            .iter()
            .filter(|t| t.name == "404.html")
            .collect();
        assert_eq!(not_found.len(), 1);
        assert_eq!(not_found[0].text, "riêng");
        assert!(theme.templates.iter().any(|t| t.name == "base.html"));
    }

    #[test]
    fn unknown_theme_is_an_error() {
        let site = tempfile::tempdir().unwrap();
        let errs = load_theme(site.path(), "xanh").unwrap_err();
        assert!(errs[0].message.contains("xanh"));
    }
}
