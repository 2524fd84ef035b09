//! `bantin build --cache DIR`: a build that reuses what the last one learnt writes
//! exactly what a full build writes, and a cache that cannot be trusted is not used.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// A generated portal (categories, tags, drafts, links between articles) and
/// the folder for its output and cache.
fn portal(articles: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus(articles, &dir.path().join("site"));
    (dir, root)
}

/// `bantin build --cache` of `root` into `<dir>/public`; its standard output.
fn cached_build(root: &Path, dir: &Path, extra: &[&str]) -> String {
    stdout(&cached_build_output(root, dir, extra))
}

/// [`cached_build`]'s whole output.
fn cached_build_output(root: &Path, dir: &Path, extra: &[&str]) -> std::process::Output {
    let out = dir.join("public");
    let cache = dir.join("cache");
    let mut args = vec![
        "--out",
        out.to_str().unwrap(),
        "--cache",
        cache.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    build_root(root, &args)
}

/// `bantin build --cache` of `root` into `<dir>/public`, which is to fail.
fn cached_build_that_fails(root: &Path, dir: &Path) -> std::process::Output {
    let out = dir.join("public");
    let cache = dir.join("cache");
    let args = [
        "--out",
        out.to_str().unwrap(),
        "--cache",
        cache.to_str().unwrap(),
    ];
    let output = bantin()
        .args(["build", "--root"])
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    assert!(!output.status.success(), "{}", stdout(&output));
    output
}

/// Panics unless `<dir>/public` holds what a full build of `root` writes.
fn assert_same_as_full_build(root: &Path, dir: &Path, after: &str) {
    let full = dir.join("full");
    build_root(root, &["--out", full.to_str().unwrap()]);
    let expected = tree(&full);
    let cached = tree(&dir.join("public"));
    let differ: Vec<&String> = expected
        .keys()
        .chain(cached.keys())
        .filter(|k| expected.get(*k) != cached.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "after {after}: {} files differ, among them {:?}",
        differ.len(),
        &differ[..differ.len().min(10)]
    );
    fs::remove_dir_all(full).unwrap();
}

/// Files written, as the build reports them: `(made P pages again, wrote N changed files)`.
fn files_written(stdout: &str) -> usize {
    stdout
        .split(", wrote ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of written files in {stdout:?}"))
}

/// Pages made again, as the build reports them: `(made P pages again, …)`.
fn pages_made(stdout: &str) -> usize {
    stdout
        .split("(made ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of pages made in {stdout:?}"))
}

fn articles(root: &Path) -> Vec<PathBuf> {
    markdown_files(&root.join("content"))
}

/// An article that is not a draft and that nothing else links to by its title.
fn published(root: &Path, skip: usize) -> PathBuf {
    articles(root)
        .into_iter()
        .filter(|p| !fs::read_to_string(p).unwrap().contains("draft: true"))
        .nth(skip)
        .unwrap()
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn body_line(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    body.lines()
        .find(|l| l.len() > 20 && !l.starts_with(['#', '!', '|', '-', '>']))
        .unwrap()
        .to_string()
}

#[test]
fn after_each_edit_a_cached_build_writes_what_a_full_build_writes() {
    let (dir, root) = portal(120);
    let dir = dir.path();
    let first = cached_build(&root, dir, &[]);
    assert!(first.contains("cache not used"), "{first}");
    let pages = tree(&dir.join("public")).len();

    let again = cached_build(&root, dir, &[]);
    assert!(!again.contains("cache not used"), "{again}");
    assert_eq!(files_written(&again), 0, "nothing changed: {again}");
    assert_same_as_full_build(&root, dir, "no change");

    let edited = published(&root, 3);
    let line = body_line(&edited);
    replace_in(
        &edited,
        &line,
        &format!("{line} Thêm một câu mới về dân vận."),
    );
    let after_body = cached_build(&root, dir, &[]);
    let written = files_written(&after_body);
    assert!(
        written > 0 && written < pages / 4,
        "a body edit rewrote {written} of {pages} files"
    );
    assert_same_as_full_build(&root, dir, "a body edit");

    replace_in(&edited, "title: \"", "title: \"Mới - ");
    cached_build(&root, dir, &[]);
    assert_same_as_full_build(&root, dir, "a title edit");

    let other = published(&root, 10);
    replace_in(&other, "views: ", "views: 9");
    cached_build(&root, dir, &[]);
    assert_same_as_full_build(&root, dir, "a views edit");

    let new = root.join("content/dan-van/bai-moi-cache.md");
    fs::create_dir_all(new.parent().unwrap()).unwrap();
    fs::write(
        &new,
        article(
            "Bài mới thêm vào",
            "2030-01-02T08:00:00+07:00",
            "Dân vận",
            "Nội dung bài mới.\n",
        ),
    )
    .unwrap();
    fs::remove_file(published(&root, 20)).unwrap();
    cached_build(&root, dir, &[]);
    assert_same_as_full_build(&root, dir, "an article added and one removed");

    // A body whose link now leads elsewhere is rendered again, from its file (the
    // cache keeps rendered bodies, not Markdown).
    let target = published(&root, 30);
    let target_rel = target.strip_prefix(root.join("content")).unwrap();
    let linking = root.join("content/dan-van/bai-co-lien-ket.md");
    fs::write(
        &linking,
        article(
            "Bài có liên kết",
            "2010-05-06T08:00:00+07:00",
            "Dân vận",
            &format!("Xem [bài liên quan](../{}).\n", target_rel.display()),
        ),
    )
    .unwrap();
    cached_build(&root, dir, &[]);
    replace_in(&target, "title: ", "slug: \"bai-da-doi-ten\"\ntitle: ");
    cached_build(&root, dir, &[]);
    let page = fs::read_to_string(dir.join("public/dan-van/bai-co-lien-ket/index.html")).unwrap();
    assert!(
        page.contains("/bai-da-doi-ten/"),
        "the link was not updated"
    );
    assert_same_as_full_build(&root, dir, "a linked article renamed");

    let config = root.join("site.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replacen("title: ", "title: Cổng mới ", 1)).unwrap();
    let after_config = cached_build(&root, dir, &[]);
    assert!(!after_config.contains("cache not used"), "{after_config}");
    assert_same_as_full_build(&root, dir, "a site.yaml edit");

    // Dates are read into the site's time zone: another zone, other dates.
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}\ntimezone: \"-10:00\"\n")).unwrap();
    cached_build(&root, dir, &[]);
    assert_same_as_full_build(&root, dir, "a time zone change");
}

/// Whether a cached build (its `--timings` output) patched the last model
/// instead of making it again.
fn patched_the_model(stdout: &str) -> bool {
    stdout.contains("patch the model")
}

/// The published article with the earliest date: in no feed.
fn oldest_published(root: &Path) -> PathBuf {
    articles(root)
        .into_iter()
        .filter_map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            let date = text
                .lines()
                .find_map(|l| l.strip_prefix("date: "))?
                .to_string();
            (!text.contains("draft: true")).then_some((date, p))
        })
        .min()
        .unwrap()
        .1
}

fn append(path: &Path, text: &str) {
    let mut body = fs::read_to_string(path).unwrap();
    body.push_str(text);
    fs::write(path, body).unwrap();
}

#[test]
fn an_edit_that_keeps_the_sites_shape_patches_the_last_model_and_any_other_makes_it_again() {
    // Enough articles that a category's feed does not hold all of it (and so
    // not every article a patch reads is in a feed it makes again).
    let (dir, root) = portal(400);
    let dir = dir.path();
    // The newest article: on the home page and in the feeds.
    let newest = root.join("content/dan-van/tin-moi-nhat.md");
    fs::write(
        &newest,
        article(
            "Tin mới nhất",
            "2031-01-02T08:00:00+07:00",
            "Dân vận",
            "Đoạn đầu của tin mới nhất.\n\nĐoạn thứ hai.\n",
        ),
    )
    .unwrap();
    fs::write(
        root.join("content/dan-van/ban-nhap.md"),
        article_with(
            "Bản nháp",
            "2031-01-01T08:00:00+07:00",
            "Dân vận",
            "draft: true\n",
            "Chưa đăng.\n",
        ),
    )
    .unwrap();
    cached_build(&root, dir, &["--timings"]);

    // An old article's body: its page changes, nothing it shows elsewhere.
    let old = oldest_published(&root);
    append(&old, "\nMột đoạn cuối viết thêm.\n");
    let after = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    // The page and the search index's files its words are in.
    assert!(files_written(&after) < 20, "{after}");
    assert_same_as_full_build(&root, dir, "an old article's body edited");

    // The newest one's: the feeds that show its body change too.
    append(&newest, "\nĐoạn ba, viết thêm.\n");
    let after = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    let feed = fs::read_to_string(dir.join("public/feed.xml")).unwrap();
    assert!(feed.contains("Đoạn ba, viết thêm."), "{feed}");
    assert_same_as_full_build(&root, dir, "the newest article's body edited");

    // A link to a draft: a warning, as a full build gives it.
    append(&newest, "\nXem [bản nháp](ban-nhap.md).\n");
    let after = cached_build_output(&root, dir, &["--timings"]);
    assert!(patched_the_model(&stdout(&after)), "{}", stdout(&after));
    let warnings = stderr(&after);
    assert!(warnings.contains("tin-moi-nhat.md:"), "{warnings}");
    assert!(warnings.contains("which is a draft"), "{warnings}");
    assert_same_as_full_build(&root, dir, "a link to a draft added");

    // A broken link fails the build and changes nothing; fixed, it is patched again.
    let before = tree(&dir.join("public"));
    append(&newest, "\nXem [bài không có](khong-co.md).\n");
    let failed = bantin()
        .args(["build", "--root", root.to_str().unwrap(), "--out"])
        .arg(dir.join("public"))
        .arg("--cache")
        .arg(dir.join("cache"))
        .output()
        .unwrap();
    assert!(!failed.status.success());
    assert!(
        stderr(&failed).contains("khong-co.md"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(tree(&dir.join("public")), before);
    replace_in(&newest, "\nXem [bài không có](khong-co.md).\n", "\n");
    // (A failed build keeps no model: the next one makes it again.)
    cached_build(&root, dir, &["--timings"]);
    assert_same_as_full_build(&root, dir, "a broken link mended");

    // The first paragraph is the summary its cards show: patched, and every page
    // that shows its card is made again (the home page among them).
    replace_in(&newest, "Đoạn đầu của tin", "Đoạn mở đầu mới của tin");
    let after_summary = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after_summary), "{after_summary}");
    let home = fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(
        home.contains("Đoạn mở đầu mới của tin"),
        "the home page shows the new summary"
    );
    assert_same_as_full_build(&root, dir, "a summary edited");

    // A title with a slug of its own keeps its address: patched too.
    replace_in(
        &newest,
        "title: \"Tin mới nhất\"",
        "title: \"Tin mới nhất, đã sửa\"\nslug: tin-moi-nhat",
    );
    cached_build(&root, dir, &["--timings"]);
    replace_in(&newest, "Tin mới nhất, đã sửa", "Tin mới nhất, sửa lần hai");
    let after_title = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after_title), "{after_title}");
    assert_same_as_full_build(&root, dir, "a title with its own slug edited");

    // A new slug moves the page, when nothing links to it: patched, the page
    // written at its new address and removed from the old.
    replace_in(
        &newest,
        "slug: tin-moi-nhat\n",
        "slug: tin-moi-nhat-sua-lan-hai\n",
    );
    let after_move = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after_move), "{after_move}");
    let public = dir.join("public");
    assert!(
        public
            .join("dan-van/tin-moi-nhat-sua-lan-hai/index.html")
            .is_file()
    );
    assert!(!public.join("dan-van/tin-moi-nhat").exists());
    assert_same_as_full_build(&root, dir, "a title edited, the page moved");

    // An article another links to: moving it changes that body, so the model
    // is made again. (The link is added by a patched body edit: the cache must
    // learn of it then.)
    let target = root.join("content/dan-van/bai-duoc-dan.md");
    fs::write(
        &target,
        article(
            "Bài được dẫn",
            "2030-06-01T08:00:00+07:00",
            "Dân vận",
            "Nội dung.\n",
        ),
    )
    .unwrap();
    cached_build(&root, dir, &["--timings"]);
    append(&newest, "\nXem thêm [bài được dẫn](bai-duoc-dan.md).\n");
    let after_link = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after_link), "{after_link}");
    replace_in(&target, "title: \"", "slug: bai-da-doi-ten\ntitle: \"");
    let after_slug = cached_build(&root, dir, &["--timings"]);
    assert!(!patched_the_model(&after_slug), "{after_slug}");
    assert!(
        after_slug.contains("it moves, and other articles link to it"),
        "{after_slug}"
    );
    assert_same_as_full_build(&root, dir, "a linked article's slug edited");

    replace_in(&old, "title: \"", "title: \"Sửa - ");
    cached_build(&root, dir, &["--timings"]);
    assert_same_as_full_build(&root, dir, "an old article's title edited");

    // So does a change of views (the most read lists).
    replace_in(&old, "views: ", "views: 1");
    let after_views = cached_build(&root, dir, &["--timings"]);
    assert!(after_views.contains("its views changed"), "{after_views}");
    assert_same_as_full_build(&root, dir, "views edited");

    // And the model made again is patched by the next body edit.
    append(&old, "\nThêm nữa.\n");
    let after = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    assert_same_as_full_build(&root, dir, "a body edited after a title");

    // A template of the site's own changes every page that uses it: made again too.
    let templates = root.join("templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("article.html"),
        "{% extends \"base.html\" %}{% block content %}<article class=\"moi\">{{ article.body | safe }}</article>{% endblock %}",
    )
    .unwrap();
    append(&old, "\nVà thêm nữa.\n");
    let after_theme = cached_build(&root, dir, &["--timings"]);
    assert!(
        after_theme.contains("made the model again: site.yaml or the theme changed"),
        "{after_theme}"
    );
    assert_same_as_full_build(&root, dir, "a template and a body edited");
}

#[test]
fn after_a_fresh_checkout_only_the_edited_body_is_made_again() {
    let (dir, root) = portal(120);
    let dir = dir.path();
    cached_build(&root, dir, &["--timings"]);
    // A checkout writes every file anew: new times, the same bytes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    for file in articles(&root) {
        let bytes = fs::read(&file).unwrap();
        fs::remove_file(&file).unwrap();
        fs::write(&file, bytes).unwrap();
    }
    append(
        &oldest_published(&root),
        "\nMột đoạn viết thêm sau khi lấy mã mới.\n",
    );
    let after = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    assert!(files_written(&after) < 20, "{after}");
    assert_same_as_full_build(&root, dir, "a fresh checkout with one body edited");
    // The new stamps are kept: the next build finds nothing changed at all, and
    // leaves the folder and the cache as they are.
    let cache_file = dir.join("cache/bantin-build.cache");
    let saved = fs::metadata(&cache_file).unwrap().modified().unwrap();
    let again = cached_build(&root, dir, &["--timings"]);
    assert!(again.contains("compare the copied files"), "{again}");
    assert!(!patched_the_model(&again), "{again}");
    assert!(!again.contains("made the model again"), "{again}");
    assert_eq!(files_written(&again), 0, "{again}");
    assert_eq!(
        fs::metadata(&cache_file).unwrap().modified().unwrap(),
        saved
    );
    assert_same_as_full_build(&root, dir, "nothing changed");
}

#[test]
fn a_cache_is_not_used_for_an_output_folder_that_changed_or_other_options() {
    let (dir, root) = portal(40);
    let dir = dir.path();
    cached_build(&root, dir, &[]);

    // A file removed by hand: the cache no longer describes the folder.
    fs::remove_file(dir.join("public/robots.txt")).unwrap();
    let after_hand_edit = cached_build(&root, dir, &[]);
    assert!(
        after_hand_edit.contains("cache not used (the output folder was changed since"),
        "{after_hand_edit}"
    );
    assert!(dir.join("public/robots.txt").is_file());
    assert_same_as_full_build(&root, dir, "a file removed by hand");

    // A build without the cache replaces the folder.
    build_root(&root, &["--out", dir.join("public").to_str().unwrap()]);
    let after_plain_build = cached_build(&root, dir, &[]);
    assert!(
        after_plain_build.contains("cache not used"),
        "{after_plain_build}"
    );

    let with_drafts = cached_build(&root, dir, &["--drafts"]);
    assert!(
        with_drafts.contains("cache not used (it was made with other options"),
        "{with_drafts}"
    );
    let back = cached_build(&root, dir, &[]);
    assert!(back.contains("cache not used"), "{back}");
    assert_same_as_full_build(&root, dir, "builds with other options");
}

/// Copies `from` to `to` keeping each file's modification time, as a CI cache
/// restores a folder.
fn restore_copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            restore_copy(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
            let modified = entry.metadata().unwrap().modified().unwrap();
            fs::File::options()
                .write(true)
                .open(&target)
                .unwrap()
                .set_modified(modified)
                .unwrap();
        }
    }
}

#[test]
fn a_cache_serves_an_output_folder_restored_with_it() {
    let (dir, root) = portal(40);
    let dir = dir.path();
    cached_build(&root, dir, &[]);
    let public = dir.join("public");
    let kept = dir.join("kept");
    fs::rename(&public, &kept).unwrap();
    restore_copy(&kept, &public);
    let edited = published(&root, 2);
    replace_in(&edited, "title: \"", "title: \"Sau khi khôi phục - ");
    let after_restore = cached_build(&root, dir, &[]);
    assert!(!after_restore.contains("cache not used"), "{after_restore}");
    assert_same_as_full_build(&root, dir, "an edit after the folder was restored");

    // The cache a rebuild saves describes the files it changed as well.
    let rebuilt = dir.join("rebuilt");
    fs::rename(&public, &rebuilt).unwrap();
    restore_copy(&rebuilt, &public);
    fs::remove_dir_all(&rebuilt).unwrap();
    let again = cached_build(&root, dir, &[]);
    assert!(!again.contains("cache not used"), "{again}");

    // A restored folder that is not the one the cache describes is not trusted.
    fs::remove_dir_all(&public).unwrap();
    restore_copy(&kept, &public);
    let stale = cached_build(&root, dir, &[]);
    assert!(
        stale.contains("cache not used (the output folder was changed since"),
        "{stale}"
    );
    assert_same_as_full_build(&root, dir, "an older folder restored");
}

#[test]
fn a_damaged_cache_file_means_a_full_build() {
    let (dir, root) = portal(30);
    let dir = dir.path();
    cached_build(&root, dir, &[]);
    let file = dir.join("cache/bantin-build.cache");
    let mut bytes = fs::read(&file).unwrap();
    bytes.truncate(bytes.len() / 2);
    fs::write(&file, &bytes).unwrap();
    let after = cached_build(&root, dir, &[]);
    assert!(after.contains("is unreadable"), "{after}");
    assert_same_as_full_build(&root, dir, "a truncated cache");
    let next = cached_build(&root, dir, &[]);
    assert!(!next.contains("cache not used"), "{next}");

    // Articles and bodies are kept in part files beside it.
    let parts: Vec<PathBuf> = fs::read_dir(dir.join("cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("part.")
        })
        .collect();
    assert!(parts.len() > 1, "{parts:?}");
    for part in &parts {
        let bytes = fs::read(part).unwrap();
        fs::write(part, &bytes[..bytes.len() / 2]).unwrap();
    }
    // A body edit reads the edited article's part.
    append(&published(&root, 2), "\nMột đoạn thêm.\n");
    let after = cached_build(&root, dir, &[]);
    assert!(after.contains("is unreadable"), "{after}");
    assert_same_as_full_build(&root, dir, "a truncated part of the cache");
    // The damaged parts were written anew: the next build that reads them all
    // (a front matter edit) uses the cache.
    replace_in(&published(&root, 7), "title: \"", "title: \"Sửa - ");
    let next = cached_build(&root, dir, &[]);
    assert!(!next.contains("unreadable"), "{next}");
    assert!(!next.contains("cache not used"), "{next}");

    // The model's chunks too: one that cannot be read makes the model again,
    // and is written anew.
    for entry in fs::read_dir(dir.join("cache")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("model.")
        {
            let bytes = fs::read(&path).unwrap();
            fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        }
    }
    append(&published(&root, 2), "\nVà một đoạn nữa.\n");
    let after = cached_build(&root, dir, &["--timings"]);
    assert!(after.contains("made the model again"), "{after}");
    assert!(after.contains("is unreadable"), "{after}");
    assert_same_as_full_build(&root, dir, "a truncated chunk of the model");
    append(&published(&root, 2), "\nThêm đoạn cuối.\n");
    let next = cached_build(&root, dir, &["--timings"]);
    assert!(next.contains("patch the model"), "{next}");
    assert_same_as_full_build(&root, dir, "a body edited after the model was made again");
    // Each save leaves the parts it names and no others.
    let parts_now = fs::read_dir(dir.join("cache"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_str()
                .unwrap()
                .starts_with("part.")
        })
        .count();
    assert_eq!(parts_now, parts.len());
}

#[test]
fn a_failed_cached_build_changes_nothing_and_the_fix_patches_the_last_good_model() {
    let (dir, root) = portal(40);
    let dir = dir.path();
    cached_build(&root, dir, &[]);
    let before = tree(&dir.join("public"));

    let broken = published(&root, 5);
    let good = fs::read_to_string(&broken).unwrap();
    replace_in(&broken, "date: ", "date: hôm qua ");
    let out = cached_build_that_fails(&root, dir);
    assert!(stderr(&out).contains(&*broken.file_name().unwrap().to_string_lossy()));
    assert!(
        tree(&dir.join("public")) == before,
        "a failed build changed the output"
    );

    // The failed build left the memo as it was: the fix patches the last good
    // model, as an editor's next save in `serve` does.
    fs::write(&broken, good.replacen("title: \"", "title: \"Sửa lại ", 1)).unwrap();
    let fixed = cached_build(&root, dir, &["--timings"]);
    assert!(!fixed.contains("cache not used"), "{fixed}");
    assert!(patched_the_model(&fixed), "{fixed}");
    assert_same_as_full_build(&root, dir, "a fix after a failed build");
}

/// A link out of the site put in content/ after a cached build fails the next
/// cached build, as it fails a full build, whatever else is unchanged; taken
/// away, the site builds again.
#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_fails_a_cached_build_as_it_fails_a_full_one() {
    let (dir, root) = portal(20);
    let dir = dir.path();
    cached_build(&root, dir, &[]);
    let before = tree(&dir.join("public"));
    let secret = dir.join("secret.txt");
    fs::write(&secret, "not for publishing").unwrap();
    let link = root.join("content/bi-mat.txt");
    std::os::unix::fs::symlink(&secret, &link).unwrap();

    let out = cached_build_that_fails(&root, dir);
    assert!(
        stderr(&out).contains("content/bi-mat.txt"),
        "{}",
        stderr(&out)
    );
    assert!(
        tree(&dir.join("public")) == before,
        "a failed build changed the output"
    );

    fs::remove_file(&link).unwrap();
    let fixed = cached_build(&root, dir, &[]);
    assert!(!fixed.contains("cache not used"), "{fixed}");
    assert_same_as_full_build(&root, dir, "the link taken away");
}

#[test]
fn a_cache_folder_inside_content_or_the_output_or_on_a_file_is_refused() {
    let (dir, root) = portal(10);
    let file = root.join("notes.txt");
    fs::write(&file, "ghi chú").unwrap();
    for (inside, why) in [
        (root.join("content/.cache"), "inside content/"),
        (root.join("public/cache"), "inside the output folder"),
        (file.clone(), "it is a file, not a folder"),
    ] {
        let out = bantin()
            .args(["build", "--root"])
            .arg(&root)
            .arg("--cache")
            .arg(&inside)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("refusing to keep the cache") && err.contains(why),
            "{err}"
        );
        assert!(
            inside == file || !inside.exists(),
            "{} was made",
            inside.display()
        );
        assert!(
            !root.join("public").exists(),
            "a refused build wrote its output"
        );
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "ghi chú");
    drop(dir);
}

#[test]
fn a_document_edit_patches_the_last_model_and_makes_again_only_the_pages_that_show_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus_with(200, &["--documents", "80"], &dir.path().join("site"));
    let dir = dir.path();
    // Statuses are as of the build's day: the same day for every build.
    let day = [("SOURCE_DATE_EPOCH", "1780000000")];
    let build = |extra: &[&str]| {
        let out = dir.join("public");
        let cache = dir.join("cache");
        let mut args = vec!["build", "--root", root.to_str().unwrap()];
        args.extend([
            "--out",
            out.to_str().unwrap(),
            "--cache",
            cache.to_str().unwrap(),
        ]);
        args.extend(extra);
        let output = bantin().args(&args).envs(day).output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let same_as_full_build = |after: &str| {
        let full = dir.join("full");
        let output = bantin()
            .args([
                "build",
                "--root",
                root.to_str().unwrap(),
                "--out",
                full.to_str().unwrap(),
            ])
            .envs(day)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let (expected, cached) = (tree(&full), tree(&dir.join("public")));
        let differ: Vec<&String> = expected
            .keys()
            .chain(cached.keys())
            .filter(|k| expected.get(*k) != cached.get(*k))
            .collect();
        assert!(differ.is_empty(), "after {after}: {differ:?} differ");
        fs::remove_dir_all(full).unwrap();
    };
    build(&[]);
    // The search index keeps what hits show in files of a few entries each,
    // articles' then documents': the newest document's shares its file with
    // the last articles' unless their number is a multiple of the file's.
    let manifest = fs::read_to_string(dir.join("public/search/manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let (articles, per_file) = (
        manifest["articles"].as_u64().unwrap(),
        manifest["meta_chunk"].as_u64().unwrap(),
    );
    if articles % per_file == 0 {
        let one_more = article(
            "Tin thêm",
            "2015-03-02T08:00:00+07:00",
            "Dân vận",
            "Một tin.\n",
        );
        fs::write(root.join("content/dan-van/tin-them.md"), one_more).unwrap();
        build(&[]);
    }
    let mut documents = markdown_files(&root.join("content/van-ban"));
    documents.sort();

    // An abstract corrected: the document's page, its rows in the register
    // and its facets, the open data, its words in the search index. The
    // newest is also among the home page's documents, and its entry in the
    // search index shares a file of what hits show with the oldest articles'.
    let open_data = fs::read_to_string(dir.join("public/van-ban/index.json")).unwrap();
    let open_data: serde_json::Value = serde_json::from_str(&open_data).unwrap();
    let number = format!(
        "number: \"{}\"",
        open_data["documents"][0]["number"].as_str().unwrap()
    );
    let newest = documents
        .iter()
        .find(|d| fs::read_to_string(d).unwrap().contains(&number))
        .unwrap();
    // A document's abstract (its `title:`) set to `abstract`.
    let set_abstract = |document: &Path, abstract_: &str| {
        let text = fs::read_to_string(document).unwrap();
        let title = text.lines().find(|l| l.starts_with("title: ")).unwrap();
        replace_in(document, title, &format!("title: \"{abstract_}\""));
    };
    set_abstract(newest, "Về việc ban hành Quy chế tiếp công dân");
    let after = build(&["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    same_as_full_build("the newest document's abstract corrected");

    let first = &documents[0];
    set_abstract(
        first,
        "Về việc sửa đổi trích yếu đền bù giải phóng mặt bằng",
    );
    let after = build(&["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    // Of 723 pages and the search index: the pages above, the dictionary
    // shards of the words that came and went.
    assert!(files_written(&after) < 100, "{after}");
    same_as_full_build("a document's abstract corrected");
    let hits = search_cli(&dir.join("public"), "giai phong mat bang sua doi", 3);
    assert!(hits[0].0.contains("sửa đổi trích yếu"), "{hits:?}");

    // Its body, then a date that changes its status.
    append(first, "\nĐiều 3. Văn bản có hiệu lực kể từ ngày ký.\n");
    let after = build(&["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    same_as_full_build("a document's body edited");
    let second = &documents[1];
    let text = fs::read_to_string(second).unwrap();
    let expired: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("expires: "))
        .map(|l| match l.starts_with("issued: ") {
            true => format!("{l}\nexpires: 2020-01-01"),
            false => l.to_string(),
        })
        .collect();
    fs::write(second, expired.join("\n") + "\n").unwrap();
    let after = build(&["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    same_as_full_build("a document's date of expiry changed");

    // An attachment replaced by another PDF, the document's own file as it
    // was: the search index holds the new file's words, not the old one's.
    let van_ban = root.join("content/van-ban");
    let pdfs: Vec<PathBuf> = tree(&van_ban)
        .into_keys()
        .filter(|f| f.ends_with(".pdf"))
        .map(|f| van_ban.join(f))
        .collect();
    fs::copy(&pdfs[1], &pdfs[0]).unwrap();
    build(&[]);
    same_as_full_build("a document's attachment replaced by another PDF");

    // A number changed moves the document's page: the model is made again.
    let text = fs::read_to_string(second).unwrap();
    let number = text.lines().find(|l| l.starts_with("number: ")).unwrap();
    replace_in(second, number, "number: \"999/2019/QĐ-UBND\"");
    let after = build(&["--timings"]);
    assert!(!patched_the_model(&after), "{after}");
    same_as_full_build("a document's number changed");
}

#[test]
fn on_a_new_day_the_patched_model_makes_again_the_pages_that_show_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let root = generate_corpus_with(120, &["--documents", "30"], &dir.path().join("site"));
    let dir = dir.path();
    let build = |epoch: &str, out: &Path, cache: bool| {
        let mut args = vec!["build", "--root", root.to_str().unwrap()];
        args.extend(["--out", out.to_str().unwrap(), "--timings"]);
        let cache_dir = dir.join("cache");
        if cache {
            args.extend(["--cache", cache_dir.to_str().unwrap()]);
        }
        let output = bantin()
            .args(&args)
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let (public, full) = (dir.join("public"), dir.join("full"));
    let as_of = || {
        let data = fs::read_to_string(public.join("van-ban/index.json")).unwrap();
        let data: serde_json::Value = serde_json::from_str(&data).unwrap();
        data["as_of"].as_str().unwrap().to_string()
    };
    build("1780000000", &public, true);
    let before = as_of();

    // Two days later, one body edited: the model is patched, and the open
    // data says the new day, as a full build of that day does.
    let later = "1780172800";
    append(&oldest_published(&root), "\nMột câu thêm.\n");
    let after = build(later, &public, true);
    assert!(patched_the_model(&after), "{after}");
    assert_ne!(as_of(), before);
    build(later, &full, false);
    assert!(
        tree(&full) == tree(&public),
        "the cached build differs from a full build of that day"
    );

    // The next day, nothing edited: not "nothing to do".
    let next = "1780259200";
    let after = build(next, &public, true);
    assert!(patched_the_model(&after), "{after}");
    build(next, &full, false);
    assert!(
        tree(&full) == tree(&public),
        "the cached build differs from a full build of the next day"
    );
}

#[test]
fn files_renamed_between_unicode_forms_keep_their_addresses_and_cached_builds_match_full_ones() {
    let pdf = demo_pdf();
    // From a Mac: a picture, an article and a document, and its attachment.
    let site = TestSite::good()
        .with_bytes(
            &format!("content/images/{}", nfd("Lễ-hội.jpg")),
            b"\xFF\xD8 le hoi",
        )
        .with_bytes(
            &format!("content/van-ban/2024/{}", nfd("quyết-định-7.pdf")),
            &pdf,
        );
    let article_file = |form: &dyn Fn(&str) -> String| format!("content/tin/{}", form("lễ-hội.md"));
    site.write(
        &article_file(&nfd),
        &article(
            "Lễ hội",
            "2014-01-20",
            "Tin",
            "![Lễ hội](/images/Lễ-hội.jpg)\n",
        ),
    );
    let document_file =
        |form: &dyn Fn(&str) -> String| format!("content/van-ban/2024/{}", form("quyết-định-7.md"));
    site.write(
        &document_file(&nfd),
        "---\nnumber: \"7/2024/QĐ-UBND\"\ntype: \"Quyết định\"\nissuer: \"UBND phường\"\nissued: 2024-03-12\ntitle: \"Quy chế tiếp công dân\"\nfiles: [\"quyết-định-7.pdf\"]\n---\n",
    );
    let root = site.root();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    cached_build(&root, dir, &[]);
    assert_same_as_full_build(&root, dir, "the first build");
    // The model was kept, the document's file read where it is: an edit patches it.
    let edited = root.join(document_file(&nfd));
    replace_in(
        &edited,
        "Quy chế tiếp công dân",
        "Quy chế tiếp công dân (sửa đổi)",
    );
    let after = cached_build(&root, dir, &["--timings"]);
    assert!(patched_the_model(&after), "{after}");
    assert_same_as_full_build(&root, dir, "a document named in NFD edited");

    let nfc = |text: &str| text.to_string();
    let files = [
        ("content/images/", "Lễ-hội.jpg"),
        ("content/tin/", "lễ-hội.md"),
        ("content/van-ban/2024/", "quyết-định-7.md"),
        ("content/van-ban/2024/", "quyết-định-7.pdf"),
    ];
    let rename = |(folder, name): (&str, &str),
                  from: &dyn Fn(&str) -> String,
                  to: &dyn Fn(&str) -> String| {
        let folder = root.join(folder);
        fs::rename(folder.join(from(name)), folder.join(to(name))).unwrap();
    };
    for (from, to, form) in [
        (
            &nfd as &dyn Fn(&str) -> String,
            &nfc as &dyn Fn(&str) -> String,
            "NFC",
        ),
        (&nfc, &nfd, "NFD"),
    ] {
        // One at a time, then all at once.
        for file in files {
            rename(file, from, to);
            cached_build(&root, dir, &[]);
            assert_same_as_full_build(&root, dir, &format!("{} renamed to {form}", file.1));
            rename(file, to, from);
        }
        for file in files {
            rename(file, from, to);
        }
        cached_build(&root, dir, &[]);
        assert_same_as_full_build(&root, dir, &format!("all renamed to {form}"));
        let images = dir.join("public/images");
        assert!(images.join("Lễ-hội.jpg").is_file());
        assert!(!images.join(nfd("Lễ-hội.jpg")).exists());
    }
    // Renamed with new bytes: the new ones are published.
    fs::remove_file(root.join(format!("content/images/{}", nfd("Lễ-hội.jpg")))).unwrap();
    fs::write(
        root.join("content/images/Lễ-hội.jpg"),
        b"\xFF\xD8 le hoi moi",
    )
    .unwrap();
    cached_build(&root, dir, &[]);
    assert_same_as_full_build(&root, dir, "the picture renamed to NFC with new bytes");
    assert_eq!(
        fs::read(dir.join("public/images/Lễ-hội.jpg")).unwrap(),
        b"\xFF\xD8 le hoi moi"
    );
}

#[test]
fn a_picture_the_site_lacks_is_warned_by_full_and_patched_builds_alike() {
    // A picture forgotten in a commit, or written with other capitals than
    // its file's: a broken image once published, on a host that tells them
    // apart. Every build says so, at the line, naming the file meant.
    let (dir, root) = portal(30);
    let dir = dir.path();
    let images = root.join("content/images/2031");
    fs::create_dir_all(&images).unwrap();
    fs::write(images.join("Hoi-nghi-Phuong.JPG"), demo_pdf()).unwrap();
    let newest = root.join("content/dan-van/tin-moi-nhat.md");
    let text = article(
        "Tin mới nhất",
        "2031-01-02T08:00:00+07:00",
        "Dân vận",
        "Đoạn đầu.\n",
    );
    fs::write(&newest, &text).unwrap();
    let built = cached_build_output(&root, dir, &["--timings"]);
    assert!(!stderr(&built).contains("picture"), "{}", stderr(&built));

    let shown = "![Hội nghị](/images/2031/hoi-nghi-phuong.jpg)";
    fs::write(&newest, format!("{text}\n{shown}\n")).unwrap();
    let line = fs::read_to_string(&newest)
        .unwrap()
        .lines()
        .position(|l| l == shown)
        .unwrap()
        + 1;
    let warning = format!(
        "content/dan-van/tin-moi-nhat.md:{line}:1: warning: shows the picture \
         `/images/2031/hoi-nghi-phuong.jpg`, but the site has no content/images/2031/hoi-nghi-phuong.jpg"
    );
    let hint = "hint: the site has content/images/2031/Hoi-nghi-Phuong.JPG";
    let after = cached_build_output(&root, dir, &["--timings"]);
    assert!(after.status.success());
    assert!(patched_the_model(&stdout(&after)), "{}", stdout(&after));
    let patched = stderr(&after);
    assert!(patched.contains(&warning), "{patched}");
    assert!(patched.contains(hint), "{patched}");
    let full = build_root(&root, &["--out", dir.join("full").to_str().unwrap()]);
    assert!(stderr(&full).contains(&warning), "{}", stderr(&full));
    assert_eq!(stderr(&full).matches("picture").count(), 1);

    // A lead image that does not exist either.
    let lead = text.replacen("---\n", "---\nimage: /images/2031/khong-co.jpg\n", 1);
    fs::write(&newest, format!("{lead}\n{shown}\n")).unwrap();
    let after = stderr(&cached_build_output(&root, dir, &[]));
    assert!(
        after.contains("tin-moi-nhat.md:2:1: warning: the lead image `/images/2031/khong-co.jpg` does not exist"),
        "{after}"
    );

    // Both fixed: no warning left, the model patched again.
    let fixed = text.replacen("---\n", "---\nimage: /images/2031/Hoi-nghi-Phuong.JPG\n", 1);
    fs::write(
        &newest,
        format!("{fixed}\n![Hội nghị](/images/2031/Hoi-nghi-Phuong.JPG)\n"),
    )
    .unwrap();
    let after = cached_build_output(&root, dir, &["--timings"]);
    assert!(patched_the_model(&stdout(&after)), "{}", stdout(&after));
    assert!(!stderr(&after).contains("picture"), "{}", stderr(&after));
    assert!(!stderr(&after).contains("lead image"), "{}", stderr(&after));
    assert_same_as_full_build(&root, dir, "a missing picture fixed");
}

#[test]
fn a_new_article_rewrites_only_the_files_whose_bytes_change() {
    // Only the pages that show the new article, or counts of articles, are
    // made again (every page's fingerprint held every category's count, so
    // every page was), and of those only the files whose bytes differ are
    // written, so a host synchronised by size and time gets only what changed.
    let (dir, root) = portal(200);
    let dir = dir.path();
    cached_build(&root, dir, &[]);
    let public = dir.join("public");
    let pages: Vec<PathBuf> = tree(&public)
        .into_keys()
        .filter(|p| p.ends_with("index.html") && !p.starts_with("search/"))
        .map(|p| public.join(p))
        .collect();
    let time = |p: &Path| fs::metadata(p).unwrap().modified().unwrap();
    let before: Vec<_> = pages.iter().map(|p| (p.clone(), time(p))).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // An unread article of the oldest one's day, category and tags: its
    // page, its neighbours', the lists it is in and the pages that show
    // counts change, the other articles' pages do not.
    let oldest = oldest_published(&root);
    let text = fs::read_to_string(&oldest).unwrap();
    let copy: String = text
        .lines()
        .filter(|l| !l.starts_with("slug:") && !l.starts_with("aliases:"))
        .map(|l| match l.split_once(':') {
            Some(("title", _)) => "title: \"Một bài cũ đăng lại\"".to_string(),
            Some(("views", _)) => "views: 0".to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(oldest.with_file_name("mot-bai-cu-dang-lai.md"), copy + "\n").unwrap();
    let after = cached_build(&root, dir, &[]);
    let rewritten: Vec<&PathBuf> = before
        .iter()
        .filter(|(p, t)| p.exists() && time(p) != *t)
        .map(|(p, _)| p)
        .collect();
    assert!(
        rewritten.len() * 4 < pages.len(),
        "{} of {} pages rewritten: {after}",
        rewritten.len(),
        pages.len()
    );
    // Nor are they made again: of the archive (more than half the pages
    // here), only its pages that show the article's year, month and day,
    // and their neighbours, whose links and calendars change.
    let archive = public.join("archive");
    let archive_pages = pages.iter().filter(|p| p.starts_with(&archive)).count();
    assert!(archive_pages * 2 > pages.len());
    assert!(pages_made(&after) * 10 < pages.len(), "{after}");
    assert_same_as_full_build(&root, dir, "an old article added");
}

#[test]
fn a_build_waits_while_another_uses_its_cache_then_builds_as_a_full_build_would() {
    // Two cached builds at once (a scheduled build overlapping one started
    // by hand) would each patch the folder and save a cache, and the cache
    // saved last could describe pages the other wrote, leaving them stale.
    let (dir, root) = portal(30);
    let dir = dir.path();
    cached_build(&root, dir, &[]);
    let edited = oldest_published(&root);
    append(
        &edited,
        "\nMột câu viết trong lúc bản dựng khác đang chạy.\n",
    );
    // This test stands for the other build: it holds the lock, as a build
    // does, with its process number in the file.
    let lock_path = dir.join("cache/bantin-build.lock");
    let mut held = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    held.lock().unwrap();
    held.set_len(0).unwrap();
    use std::io::{BufRead, Write};
    write!(held, "{}", std::process::id()).unwrap();

    let out = dir.join("public");
    let mut waiting = std::process::Command::new(assert_cmd::cargo::cargo_bin("bantin"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .arg("--cache")
        .arg(dir.join("cache"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (said, heard) = std::sync::mpsc::channel();
    let stderr = waiting.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let _ = said.send(line.unwrap_or_default());
        }
    });
    let message = loop {
        let line = heard
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the second build said nothing of the first");
        if line.contains("waiting") {
            break line;
        }
    };
    assert!(
        message.contains(&format!("(process {})", std::process::id())) && message.contains("cache"),
        "{message}"
    );
    // While it waits, it has touched nothing: the edit is not published yet.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(waiting.try_wait().unwrap().is_none(), "it did not wait");
    let published = tree(&out);
    assert!(
        !published
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains("trong lúc bản dựng khác")),
        "the waiting build wrote into the folder"
    );

    held.unlock().unwrap();
    let output = waiting.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        !stdout(&output).contains("cache not used"),
        "{}",
        stdout(&output)
    );
    assert_same_as_full_build(&root, dir, "a build that waited for another");
}
