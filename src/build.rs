//! `bantin build`: the whole pipeline, from the site folder to the output folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, CONFIG_FILE, Config};
use crate::content::article::{SourceArticle, parse_article};
use crate::content::sources::find_sources;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{OutputError, Staging};
use crate::render::Renderer;
use crate::search::index::build_index;
use crate::site::model::{Site, build_site};
use crate::site::plan::{PagePlan, output_file, plan_pages};
use crate::theme::{StaticContent, Theme, load_theme};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/public`.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            base_url: None,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub articles: usize,
    pub pages: usize,
    pub files_copied: usize,
    /// Warnings: the build succeeded, but an editor should look.
    pub warnings: Diagnostics,
    pub elapsed: Duration,
    /// How long each stage took, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the site's files; nothing was published.
    #[error("the site has {} error(s)", .0.error_count())]
    Site(Diagnostics),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Everything read from the site folder, before any page is made.
pub struct LoadedSite {
    pub config: Config,
    pub theme: Theme,
    pub site: Site,
}

/// Reads and checks the whole site: config, theme, articles, links, URLs.
/// Returns the model and its warnings, or every problem found.
pub fn load_site(
    options: &BuildOptions,
) -> Result<(LoadedSite, PagePlan, Diagnostics), Diagnostics> {
    let (loaded, plan, problems) = read_site(options)?;
    if problems.has_errors() {
        return Err(problems);
    }
    Ok((loaded, plan, problems))
}

/// Reads the whole site and everything wrong with it, errors included: the model
/// holds the articles that could be read, so `bantin check` can look further.
/// `Err` only when there is no config to go on.
pub fn read_site(
    options: &BuildOptions,
) -> Result<(LoadedSite, PagePlan, Diagnostics), Diagnostics> {
    let root = &options.root;
    let mut problems = Diagnostics::new();
    let (mut config, config_problems) = read_config(root).map_err(Diagnostics::from)?;
    problems.extend(config_problems);
    if let Some(url) = &options.base_url
        && let Err(e) = config.set_base_url(url)
    {
        problems.push(Diagnostic::error("--base-url", e));
    }
    if config.base_url.is_empty() {
        problems.push(
            Diagnostic::warning(CONFIG_FILE, "the site has no `base_url`: feeds, sitemaps and canonical links need the site's full address")
                .with_hint("add a line such as `base_url: \"https://quan2.example.gov.vn\"`"),
        );
    }
    let theme = load_theme(root, &config.theme);
    let (sources, source_problems) = find_sources(root, &root.join("content"));
    problems.extend(source_problems);

    let parsed: Vec<Result<SourceArticle, Vec<Diagnostic>>> = sources
        .articles
        .par_iter()
        .map(|file| match std::fs::read(&file.abs) {
            Ok(bytes) => parse_article(&file.rel, &bytes, &config.timezone),
            Err(e) => Err(vec![Diagnostic::error(
                crate::content::sources::display_path(&file.rel),
                format!("cannot read the file: {e}"),
            )]),
        })
        .collect();
    let mut articles = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(article) => articles.push(article),
            Err(errs) => problems.extend(errs),
        }
    }
    let theme = match theme {
        Ok(theme) => theme,
        Err(errs) => {
            problems.extend(errs);
            Theme::default()
        }
    };
    let (site, model_problems) =
        build_site(config.clone(), articles, sources.assets, options.drafts);
    problems.extend(model_problems);
    let (plan, plan_problems) = plan_pages(&site);
    problems.extend(plan_problems);
    Ok((
        LoadedSite {
            config,
            theme,
            site,
        },
        plan,
        problems,
    ))
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
    Ok(config::parse_config(&text))
}

/// Builds the site into the output folder, atomically: on any error the previous
/// output is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut stages = Stages::new();
    let out = options.out_dir();
    check_output_dir(&options.root, &out).map_err(|d| BuildError::Site(vec![d].into()))?;
    let (loaded, plan, warnings) = load_site(options).map_err(BuildError::Site)?;
    stages.done("read and check the site");
    let renderer =
        Renderer::new(&loaded.theme, &loaded.site).map_err(|e| BuildError::Site(e.into()))?;

    let staging = Staging::create(&out)?;
    // The search index is built beside the pages: it needs only the model.
    let (render_problems, index) = rayon::join(
        || render_pages(&loaded, &plan, &renderer, &staging),
        || loaded.site.config.search.then(|| build_index(&loaded.site)),
    );
    if !render_problems.is_empty() {
        return Err(BuildError::Site(render_problems.into()));
    }
    stages.done("render pages, build the search index");
    let index_files = index.map(|i| i.files).unwrap_or_default();
    let index_errors: Vec<OutputError> = index_files
        .par_iter()
        .filter_map(|(path, bytes)| staging.write(path, bytes).err())
        .collect();
    if let Some(e) = index_errors.into_iter().next() {
        return Err(e.into());
    }
    stages.done("write the search index");
    let stylesheet = renderer.stylesheet();
    let mut copies = copy_files(&loaded, &staging);
    copies.extend(staging.write(&stylesheet.file, &stylesheet.bytes).err());
    if let Some(e) = copies.into_iter().next() {
        return Err(e.into());
    }
    stages.done("copy files");
    staging.commit()?;
    stages.done("swap in the new output");
    Ok(BuildReport {
        out,
        articles: loaded.site.articles.len(),
        pages: plan.pages.len(),
        files_copied: loaded.site.assets.len() + loaded.theme.static_files.len() + 1,
        warnings,
        elapsed: started.elapsed(),
        stages: stages.list,
    })
}

/// Renders every page of the plan into the staging folder; returns the problems.
fn render_pages(
    loaded: &LoadedSite,
    plan: &PagePlan,
    renderer: &Renderer,
    staging: &Staging,
) -> Vec<Diagnostic> {
    plan.pages
        .par_iter()
        .filter_map(|page| {
            let bytes = match renderer.render(&loaded.site, plan, page) {
                Ok(bytes) => bytes,
                Err(d) => return Some(Err(d)),
            };
            staging
                .write(&output_file(&page.path), &bytes)
                .err()
                .map(Ok)
        })
        .collect::<Result<Vec<OutputError>, Diagnostic>>()
        .map_or_else(
            |d| vec![d],
            |io_errors| io_errors.into_iter().map(output_diagnostic).collect(),
        )
}

/// Durations of the stages of a build, each measured from the end of the last.
struct Stages {
    last: Instant,
    list: Vec<(&'static str, Duration)>,
}

impl Stages {
    fn new() -> Self {
        Stages {
            last: Instant::now(),
            list: Vec::new(),
        }
    }

    fn done(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.list.push((stage, now - self.last));
        self.last = now;
    }
}

fn output_diagnostic(e: OutputError) -> Diagnostic {
    Diagnostic::error("public", e.to_string())
}

/// Copies the content's assets and the theme's static files; returns the failures.
fn copy_files(loaded: &LoadedSite, staging: &Staging) -> Vec<OutputError> {
    let assets = loaded
        .site
        .assets
        .par_iter()
        .filter_map(|a| staging.copy(&a.rel, &a.abs).err());
    let statics = loaded
        .theme
        .static_files
        .par_iter()
        .filter_map(|f| match &f.content {
            StaticContent::Disk(path) => staging.copy(&f.rel, path).err(),
            StaticContent::Embedded(bytes) => staging.write(&f.rel, bytes).err(),
        });
    assets.chain(statics).collect()
}

/// The output folder is replaced whole by each build, so it must not be the site
/// itself, hold it, or lie in its content.
fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let out_abs = absolute(out);
    let refuse = |why: &str| {
        Diagnostic::error(
            "--out",
            format!("refusing to build into {}: {why}", out.display()),
        )
        .with_hint("choose an output folder of its own, such as the default <site>/public")
    };
    if out_abs.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if root.starts_with(&out_abs) {
        return Err(refuse(
            "it holds the site itself, which the build would replace",
        ));
    }
    if out_abs.starts_with(root.join("content")) {
        return Err(refuse("it lies inside content/"));
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return Err(refuse("it is a file, not a folder"));
    }
    if !crate::output::may_replace(&out_abs) {
        return Err(refuse(
            "it holds files that bantin did not make, which the build would delete",
        )
        .with_hint(format!(
            "choose an empty or new folder; if it is the output of an older bantin, delete it once (bantin marks its own output folders with a file {})",
            crate::output::OUTPUT_MARK
        )));
    }
    Ok(())
}

/// `path` made absolute and free of `.`/`..`, even if it does not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    match clean.canonicalize() {
        Ok(real) => real,
        Err(_) => clean,
    }
}
