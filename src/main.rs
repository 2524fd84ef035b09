//! The `bantin` command line: parses arguments, calls one function per command,
//! prints what happened.

use std::io::ErrorKind;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bantin::build::{BuildError, BuildOptions, build, build_with_cache};
use bantin::diagnostics::Diagnostics;
use bantin::import::ImportOptions;
use bantin::search::query::{Scope, SiteFolder, search_in};
use bantin::serve::{ServeError, ServeOptions, serve};
use bantin::verify::{VerifyError, VerifyOptions, verify};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "bantin",
    version,
    about = "Static site generator for Vietnamese local government portals"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds)
    Build {
        /// The site folder (holding site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder [default: <root>/public]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also publish articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// The site's address, replacing base_url from site.yaml (for previews)
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each stage of the build took
        #[arg(long)]
        timings: bool,
        /// Keep what the build learnt in DIR, and reuse it: the next build into the
        /// same output folder parses, renders and writes only what changed
        #[arg(long, value_name = "DIR")]
        cache: Option<PathBuf>,
        /// Show each stage as it ends, on standard error, even when it is not a
        /// terminal (on a terminal this is the default)
        #[arg(long)]
        progress: bool,
    },
    /// Check the site without building it: every build error, and what an editor
    /// should fix before publishing (broken links, missing files, images without
    /// alt text, empty summaries, future dates, duplicate titles, unused files)
    /// and links planted by attackers (hidden links, betting sites, look-alike
    /// names). Exit status 0: passed; 1: errors (a planted link is one); 2:
    /// nothing could be checked (no site.yaml, or one that cannot be read)
    Check {
        /// The site folder (holding site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail on warnings too, not only on errors
        #[arg(long)]
        strict: bool,
        /// Also check articles marked `draft: true`, as `build --drafts` publishes them
        #[arg(long)]
        drafts: bool,
        /// `text` (path:line:column: message) or `json` (one object a line:
        /// path, line, column, severity, message, hint, and the kind and host
        /// of a planted link)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Preview the site: build it, serve it on this machine, rebuild and reload
    /// the browser on every change (never writes public/)
    Serve {
        /// The site folder (holding site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// The port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Also show articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage of every rebuild took
        #[arg(long)]
        timings: bool,
        /// Let the editor at /admin/ save (write content/) even when --bind is an
        /// address other machines can reach; off unless asked for
        #[arg(long)]
        remote_editing: bool,
    },
    /// Write a new article file, dated now (or with --document a new document
    /// of the register, issued today), and print its path
    New {
        /// The site folder (holding site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The article's category, e.g. "Dân vận"
        #[arg(long, required_unless_present_any = ["document", "week"])]
        category: Option<String>,
        /// Write a document (văn bản) under content/van-ban/ instead of an article
        #[arg(long, conflicts_with_all = ["category", "week"], requires_all = ["number", "kind", "title"])]
        document: bool,
        /// The document's number as issued, e.g. "25/2024/QĐ-UBND"
        #[arg(long, requires = "document")]
        number: Option<String>,
        /// The document's form, e.g. "Quyết định"
        #[arg(long = "type", value_name = "TYPE", requires = "document")]
        kind: Option<String>,
        /// The issuing body (default: the agency of site.yaml)
        #[arg(long, requires = "document")]
        issuer: Option<String>,
        /// The article's title, or the document's abstract (trích yếu)
        #[arg(required_unless_present = "week")]
        title: Option<String>,
        /// Write a week of the work schedule instead: the given ISO week
        /// (2025-W27), or next week, with its five working days ready to fill
        #[arg(long, value_name = "YYYY-Www", num_args = 0..=1, default_missing_value = "",
              conflicts_with_all = ["category", "title"])]
        week: Option<String>,
    },
    /// Search a built site's index, ranked as its search page ranks
    Search {
        /// The built site (the output folder of `bantin build`), or the site's
        /// folder (holding site.yaml), whose `public/` is then read
        #[arg(long, default_value = "public")]
        site: PathBuf,
        /// Print one JSON object a hit, a line each (url, title, date, score, kind,
        /// category, summary), best first; with --explain, one more line with the
        /// files read, their bytes and how many articles match
        #[arg(long)]
        json: bool,
        /// Show at most this many hits
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Also list the files the query read, with their sizes: what a browser
        /// downloads for it
        #[arg(long)]
        explain: bool,
        /// Look through documents (văn bản) only, not articles
        #[arg(long)]
        documents: bool,
        /// What to look for, e.g. dan van
        #[arg(required = true)]
        query: Vec<String>,
    },
    /// Bring a legacy portal's saved pages (HTML or text) over as articles
    Import {
        /// The site folder (holding site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The category for pages that show none
        #[arg(long, value_name = "NAME")]
        category: Option<String>,
        /// The issuing body of documents (văn bản) whose pages show none
        #[arg(long, value_name = "NAME")]
        issuer: Option<String>,
        /// Report what would be imported; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Saved pages (.html, .aspx, .txt…), and folders of them
        #[arg(required = true, value_name = "FILE_OR_FOLDER")]
        inputs: Vec<PathBuf>,
    },
    /// Start a new site in DIR (new or empty): site.yaml with every setting
    /// explained, the menu, an about page and a first article
    Init {
        /// The folder of the new site
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Compare the live site with the build: fetch every published file from
    /// BASE_URL and report each that differs, is missing, or links to a host the
    /// build never links to (exit status 1 on any; 2 when the site could not
    /// be checked: no build, a bad address, a home page that does not answer,
    /// or a host that stopped answering part way, with nothing planted found)
    Verify {
        /// The built site (the output folder of `bantin build`), or the site's
        /// folder (holding site.yaml), whose `public/` is then read
        #[arg(long, default_value = "public")]
        site: PathBuf,
        /// Files fetched at the same time
        #[arg(long, default_value_t = 8)]
        jobs: usize,
        /// Seconds one file may take, connecting included
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// `text` (one finding a line) or `json` (one object a line: url,
        /// line, kind, host, severity, message)
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Where the site is served, e.g. https://phuongmau.gov.vn
        base_url: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    return_freed_memory_soon();
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. } | Command::Verify { .. }) {
        end_quietly_when_the_reader_stops();
    }
    match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            base_url,
            timings,
            cache,
            progress,
        } => {
            let shown = show_progress(progress);
            let options = BuildOptions {
                root,
                out,
                drafts,
                base_url,
                build_time: BuildOptions::build_time_from_env(),
            };
            run_build(&options, cache.as_deref(), timings, shown)
        }
        Command::Check {
            root,
            strict,
            drafts,
            format,
        } => {
            let options = BuildOptions {
                drafts,
                build_time: BuildOptions::build_time_from_env(),
                ..BuildOptions::new(root)
            };
            run_check(&options, strict, format)
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            timings,
            remote_editing,
        } => {
            keep_freed_memory_between_rebuilds();
            run_serve(&ServeOptions {
                root,
                bind,
                port,
                drafts,
                timings,
                remote_editing,
            })
        }
        Command::New {
            root,
            document: true,
            number,
            kind,
            issuer,
            title,
            ..
        } => run_new_document(
            &root,
            number.as_deref().unwrap_or_default(),
            kind.as_deref().unwrap_or_default(),
            issuer.as_deref(),
            title.as_deref().unwrap_or_default(),
        ),
        Command::New {
            root,
            category,
            title,
            week,
            ..
        } => match (week, category, title) {
            (Some(week), _, _) => run_new_week(&root, &week),
            (None, Some(category), Some(title)) => run_new(&root, &category, &title),
            // clap asks for both unless --week or --document is given.
            _ => ExitCode::FAILURE,
        },
        Command::Search {
            site,
            json,
            limit,
            explain,
            documents,
            query,
        } => {
            let scope = match documents {
                true => Scope::Documents,
                false => Scope::All,
            };
            run_search(&site, &query.join(" "), limit, json, explain, scope)
        }
        Command::Import {
            root,
            category,
            issuer,
            dry_run,
            inputs,
        } => run_import(&ImportOptions {
            root,
            category,
            issuer,
            dry_run,
            inputs,
        }),
        Command::Init { dir } => run_init(&dir),
        Command::Verify {
            site,
            jobs,
            timeout,
            format,
            base_url,
        } => run_verify(
            &VerifyOptions {
                site,
                base_url,
                jobs,
                timeout: std::time::Duration::from_secs(timeout.max(1)),
            },
            format,
        ),
    }
}

fn run_init(dir: &Path) -> ExitCode {
    match bantin::init::init(dir, &jiff::Zoned::now()) {
        Ok(written) => {
            for path in &written {
                println!("wrote {}", path.display());
            }
            let root = match dir == Path::new(".") {
                true => String::new(),
                false => format!(" --root {}", shell_word(dir)),
            };
            println!("\nNext: fill in site.yaml (title, base_url, agency), then");
            println!("  bantin serve{root}    # preview it at http://127.0.0.1:1111/, live");
            println!(
                "  bantin build{root}    # publish it into {}",
                dir.join("public").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            if matches!(e, bantin::init::InitError::NotEmpty { .. }) {
                eprintln!(
                    "  hint: name a new folder, e.g. `bantin init phuong-moi`; nothing was written"
                );
            }
            ExitCode::FAILURE
        }
    }
}

/// `dir` as a shell word: quoted when it holds anything but plain characters.
fn shell_word(dir: &Path) -> String {
    let text = dir.display().to_string();
    let plain = text
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'));
    match plain {
        true => text,
        false => format!("'{}'", text.replace('\'', "'\\''")),
    }
}

fn run_verify(options: &VerifyOptions, format: Format) -> ExitCode {
    let report = match verify(options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                VerifyError::NoSite(_) => eprintln!(
                    "  hint: run `bantin build` first, and point --site at its output folder"
                ),
                VerifyError::HomeRedirected { to, .. } => {
                    eprintln!("  hint: verify the address the site is served at: {to}")
                }
                VerifyError::BaseUrl(_) => {
                    eprintln!("  hint: give the address readers use, e.g. https://phuongmau.gov.vn")
                }
                _ => {}
            }
            // Nothing was compared: not the same as a site found changed (1),
            // for a script going through many sites.
            return ExitCode::from(2);
        }
    };
    for finding in &report.findings {
        match format {
            Format::Text => println!("{finding}"),
            Format::Json => println!("{}", finding.to_json()),
        }
    }
    // 0: the build's; 1: found changed; 2: could not be checked.
    eprintln!("{}", report.conclusion());
    ExitCode::from(report.exit_status())
}

fn run_serve(options: &ServeOptions) -> ExitCode {
    // A site.yaml with mistakes is served (the pages show them until fixed); a
    // folder without one is no site: nothing is made in it (the editor would
    // have made `content/` in whatever folder `serve` was started from).
    if !options.root.join("site.yaml").is_file()
        && let Err(problems) = bantin::config::read_config(&options.root)
    {
        print_diagnostics(&problems.into());
        return ExitCode::FAILURE;
    }
    match serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(ServeError::Bind { addr, source }) if source.kind() == ErrorKind::AddrInUse => {
            eprintln!(
                "error: port {} on {} is taken (another `bantin serve`, or another server?)",
                addr.port(),
                addr.ip()
            );
            eprintln!(
                "  hint: choose another port with --port, e.g. --port {}, or --port 0 for any free one",
                addr.port().wrapping_add(1).max(1)
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_import(options: &ImportOptions) -> ExitCode {
    if let Some(category) = &options.category
        && bantin::content::text::slugify(category).is_empty()
    {
        eprintln!(
            "error: the category `{category}` has no letters or digits to make a folder name from"
        );
        return ExitCode::FAILURE;
    }
    if let Err(problems) = bantin::config::read_config(&options.root) {
        print_diagnostics(&problems.into());
        return ExitCode::FAILURE;
    }
    match bantin::import::run_import(options) {
        Ok(report) => {
            print!("{report}");
            if report.failed() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_search(
    site: &Path,
    query: &str,
    limit: usize,
    json: bool,
    explain: bool,
    scope: Scope,
) -> ExitCode {
    // `--site .` in the site's folder means what `bantin build` there wrote.
    let built = site.join("public");
    let site = match site.join(bantin::config::CONFIG_FILE).is_file() && built.is_dir() {
        true => built.as_path(),
        false => site,
    };
    let answer = match search_in(&SiteFolder(site.to_path_buf()), query, limit, scope) {
        Ok(answer) => answer,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!(
                "  hint: run `bantin build` first (a site with `search: false` has no index), and point --site at its output folder (now {})",
                site.display()
            );
            return ExitCode::FAILURE;
        }
    };
    // The search page loads its script too; count it as the browser would.
    let script = bantin::search::script_path();
    let mut files: Vec<(String, usize)> = std::fs::metadata(site.join(&script))
        .map(|m| vec![(script, m.len() as usize)])
        .unwrap_or_default();
    files.extend(answer.files.iter().map(|(path, bytes)| {
        (
            format!("{}/{path}", bantin::search::index::INDEX_DIR),
            *bytes,
        )
    }));
    let total: usize = files.iter().map(|(_, bytes)| bytes).sum();
    if json {
        // JSON lines, as `rg --json` and `jq` users expect: one hit a line, best
        // first; what --explain adds is one last line of its own.
        // Each hit: url, title, date, score, kind ("article" or "document"),
        // category, summary, in_attachment.
        for hit in &answer.hits {
            match serde_json::to_string(hit) {
                Ok(line) => println!("{line}"),
                Err(e) => {
                    eprintln!("error: cannot write a hit as JSON: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        if explain {
            let files: Vec<_> = files
                .iter()
                .map(|(path, bytes)| serde_json::json!({ "path": path, "bytes": bytes }))
                .collect();
            let line = serde_json::json!({
                "query": query, "total": answer.total, "files": files, "bytes": total
            });
            println!("{line}");
        }
        return ExitCode::SUCCESS;
    }
    let what = match scope {
        Scope::All => "articles and documents",
        Scope::Documents => "documents",
    };
    if answer.hits.is_empty() {
        println!("none of the {what} matches \"{query}\"");
    }
    if answer.total > answer.hits.len() {
        println!(
            "the best {} of {} matching {what}:",
            answer.hits.len(),
            answer.total
        );
    }
    for (n, hit) in answer.hits.iter().enumerate() {
        println!("{:>2}. {}", n + 1, hit.title);
        println!("    {} · {} · {}", hit.date, hit.category, hit.url);
    }
    if explain {
        println!("\nfiles read:");
        for (path, bytes) in &files {
            println!("{bytes:>9}  {path}");
        }
        println!("{total:>9}  bytes in {} files", files.len());
    }
    ExitCode::SUCCESS
}

fn run_check(options: &BuildOptions, strict: bool, format: Format) -> ExitCode {
    // The build's date where one is set, so that a check agrees with the build.
    let now = options.build_time.unwrap_or_else(jiff::Timestamp::now);
    let problems = match bantin::check::check(options, now) {
        Ok(problems) => problems,
        Err(problems) => {
            // Nothing was read: not the same as a site found at fault (1),
            // for a script going through many sites (as `verify` says it).
            for d in problems.sorted() {
                match format {
                    Format::Text => println!("{d}"),
                    Format::Json => println!("{}", bantin::check::to_json(d)),
                }
            }
            eprintln!("check could not be done: the site's settings cannot be read");
            return ExitCode::from(2);
        }
    };
    for d in problems.sorted() {
        match format {
            Format::Text => println!("{d}"),
            Format::Json => println!("{}", bantin::check::to_json(d)),
        }
    }
    let failed = bantin::check::fails(&problems, strict);
    if format == Format::Text {
        eprintln!(
            "{}: {} error(s), {} warning(s){}",
            if failed {
                "check failed"
            } else {
                "check passed"
            },
            problems.error_count(),
            problems.warning_count(),
            if strict {
                " (--strict: warnings fail)"
            } else {
                ""
            }
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `bantin new --week [2025-W27]`: the week's file, its working days ready to
/// fill; next week (as of `SOURCE_DATE_EPOCH` where set) when none is given.
fn run_new_week(root: &std::path::Path, asked: &str) -> ExitCode {
    use bantin::content::week::{SCHEDULE_DIR, WeekNumber, blank_week};
    let config = match bantin::config::read_config(root) {
        Ok((config, _)) => config,
        Err(problems) => {
            print_diagnostics(&problems.into());
            return ExitCode::FAILURE;
        }
    };
    let week = if asked.is_empty() {
        let now = BuildOptions::build_time_from_env().unwrap_or_else(jiff::Timestamp::now);
        WeekNumber::of(now.to_zoned(config.timezone.clone()).date()).next()
    } else {
        match WeekNumber::parse(asked.trim()) {
            Some(week) => week,
            None => {
                eprintln!("error: `{asked}` is not an ISO week");
                eprintln!(
                    "  hint: write the year, -W and the week's number in two digits: 2025-W27"
                );
                return ExitCode::FAILURE;
            }
        }
    };
    write_new(
        root,
        &format!("{SCHEDULE_DIR}/{}.yaml", week.name()),
        &blank_week(week),
        (
            "a week",
            "edit the existing file, or give another week: bantin new --week 2025-W28",
        ),
    )
}

fn run_new(root: &std::path::Path, category: &str, title: &str) -> ExitCode {
    let config = match bantin::config::read_config(root) {
        Ok((config, _)) => config,
        Err(problems) => {
            print_diagnostics(&problems.into());
            return ExitCode::FAILURE;
        }
    };
    let now = jiff::Zoned::now().with_time_zone(config.timezone.clone());
    let new = match bantin::content::new_article::new_article(title, category, &now) {
        Ok(new) => new,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    write_new(
        root,
        &new.rel,
        &new.text,
        (
            "an article",
            "give the new article another title, or edit the existing file",
        ),
    )
}

/// `bantin new --document`: a document file with every field, issued today.
fn run_new_document(
    root: &std::path::Path,
    number: &str,
    kind: &str,
    issuer: Option<&str>,
    title: &str,
) -> ExitCode {
    let config = match bantin::config::read_config(root) {
        Ok((config, _)) => config,
        Err(problems) => {
            print_diagnostics(&problems.into());
            return ExitCode::FAILURE;
        }
    };
    let Some(issuer) = issuer.or(Some(config.agency.name.as_str()).filter(|n| !n.is_empty()))
    else {
        eprintln!("error: the document needs its issuing body");
        eprintln!(
            "  hint: add --issuer \"Ủy ban nhân dân phường …\", or `agency: name:` to site.yaml"
        );
        return ExitCode::FAILURE;
    };
    let today = jiff::Zoned::now().with_time_zone(config.timezone.clone());
    let new = match bantin::content::document::new_document(number, kind, issuer, title, &today) {
        Ok(new) => new,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    write_new(
        root,
        &new.0,
        &new.1,
        (
            "a document",
            "give the new document another number, or edit the existing file",
        ),
    )
}

/// Writes the new file `rel` (under content/) holding `text`, never over an
/// existing one, and prints its path; `(what, hint)` name the file for an error.
fn write_new(
    root: &std::path::Path,
    rel: &str,
    text: &str,
    (what, hint): (&str, &str),
) -> ExitCode {
    let path = root.join("content").join(rel);
    if let Some(parent) = path.parent()
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        eprintln!("error: cannot create {}: {e}", parent.display());
        return ExitCode::FAILURE;
    }
    // create_new: an existing file is never overwritten.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
    match written {
        Ok(()) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; bantin new never overwrites {what}",
                path.display()
            );
            eprintln!("  hint: {hint}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn run_build(
    options: &BuildOptions,
    cache_dir: Option<&Path>,
    timings: bool,
    progress: Option<indicatif::ProgressBar>,
) -> ExitCode {
    // With a cache that was used: how many files changed is the news.
    let mut report_changes = false;
    // The spinner goes before anything is said about the build.
    let done = || {
        if let Some(bar) = &progress {
            bar.finish_and_clear();
        }
    };
    let result = match cache_dir {
        None => {
            let result = build(options);
            done();
            result
        }
        Some(dir) => {
            let cached = build_with_cache(options, dir, |holder| {
                let process = match holder {
                    "" => String::new(),
                    pid => format!(" (process {pid})"),
                };
                let say = || {
                    eprintln!(
                        "waiting for another build that uses the cache in {}{process} to end",
                        dir.display()
                    )
                };
                match &progress {
                    Some(bar) => bar.suspend(say),
                    None => say(),
                }
            });
            done();
            match &cached.not_used {
                Some(why) => println!("cache not used ({why}): building everything"),
                None => report_changes = true,
            }
            if let (Some(why), true) = (&cached.not_patched, timings) {
                println!("made the model again: {why}");
            }
            if let Some(e) = &cached.not_saved {
                eprintln!(
                    "warning: the cache could not be saved in {}: {e}; the next build will build everything",
                    dir.display()
                );
            }
            cached.result
        }
    };
    match result {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            if timings {
                report.print_stages();
            }
            let rewritten = match report_changes {
                true => format!(
                    " (made {} pages again, wrote {} changed files)",
                    report.pages_rendered, report.files_written
                ),
                false => String::new(),
            };
            println!(
                "built {} articles into {} pages{rewritten} and copied {} files to {} in {} ms",
                report.articles,
                report.pages,
                report.files_copied,
                report.out.display(),
                report.elapsed.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Site(problems)) => {
            print_diagnostics(&problems);
            eprintln!(
                "build failed: {} error(s), {} warning(s); {} was left as it was",
                problems.error_count(),
                problems.warning_count(),
                options.out_dir().display()
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!(
                "build failed; {} was left as it was",
                options.out_dir().display()
            );
            ExitCode::FAILURE
        }
    }
}

/// Progress of a long build, by stage: a spinner naming the last stage done on a
/// terminal, nothing in a pipe or a CI log; `--progress` asks for it anywhere (a
/// line a stage where there is no terminal to redraw).
fn show_progress(asked: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    let terminal = std::io::stderr().is_terminal();
    if !terminal && !asked {
        return None;
    }
    if !terminal {
        bantin::build::watch_stages(Box::new(|stage, took| {
            eprintln!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0);
        }));
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} building {elapsed}: {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_message("find the files");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let shown = bar.clone();
    bantin::build::watch_stages(Box::new(move |stage, _| {
        shown.set_message(format!("{stage} ✓"));
    }));
    Some(bar)
}

fn print_diagnostics(problems: &Diagnostics) {
    for d in problems.sorted() {
        eprintln!("{d}");
    }
}

// glibc's allocator spent about a sixth of a build's CPU time on the millions of
// small strings and maps a build makes and frees; mimalloc spends far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// An option of mimalloc 3 by its place in `mi_option_e` (mimalloc.h), which
/// libmimalloc-sys does not name: milliseconds before freed memory is returned.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// `serve` rebuilds every few seconds while a page is edited: the memory one
/// rebuild frees is kept for the next (returned after 10 s), rather than given
/// back and faulted in again, page by page, a fifth of a rebuild's time.
fn keep_freed_memory_between_rebuilds() {
    // SAFETY: as in `return_freed_memory_soon`.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 10_000);
    }
}

/// `bantin search … | head`: when the reader of the output stops reading, the
/// command ends as any Unix tool does, instead of `println!` panicking on the
/// broken pipe (Rust ignores SIGPIPE). Not for the commands that talk to the
/// network, where a closed connection is an error to handle.
fn end_quietly_when_the_reader_stops() {
    #[cfg(unix)]
    // SAFETY: done first thing in `main`, before any thread starts; it sets
    // SIGPIPE back to its default action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Keeps mimalloc's footprint near glibc's: with its defaults (huge pages among
/// them) the peak of a 100,000-article build rose from 1.12 to 1.20–1.30 GB.
fn return_freed_memory_soon() {
    // Returned after 100 ms: at once (0) kept the peak lowest but cost a 100,000-
    // article build ~3 s of system time in `madvise` and page faults; 100 ms keeps
    // the peak within 2% of that (1.13 GB) for ~0.3 s more than 1 s would save.
    // SAFETY: setting an option is allowed at any time; it only tunes when freed
    // memory is returned.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
    }
    // mimalloc's own switch for huge pages is read before `main`.
    #[cfg(target_os = "linux")]
    // SAFETY: the flag only keeps the kernel from backing this process with huge pages.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
