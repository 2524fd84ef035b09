//! Editing in the browser under `bantin serve`: the editor's page and
//! configuration at `/admin/`, and Decap CMS's local backend protocol at
//! `POST /api/v1` (the actions of `decap-server`'s local file system
//! middleware), which reads and writes the site's `content/`.
//!
//! Saved files are written to a temporary file beside them and renamed into
//! place, so the watcher never sees half a file; the rebuild that follows is
//! the usual one, and its errors show in the editor and the pages' overlay.
//!
//! The API writes files, so every request is treated as hostile: it must come
//! from the serve address itself (`Host`, and `Origin` when the browser sends
//! one: no other page open in the browser, and no DNS rebinding); every path
//! must name a place inside `content/`, checked before anything is touched
//! (no `..` however encoded, no absolute path, no symbolic link leading out,
//! no NUL, no hidden or reserved names); bodies are bounded; media files must
//! be of an allowed type and look like one. A refused request changes nothing.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{Value, json};

use crate::build::LoadedSite;
use crate::config::{Config, read_config};
use crate::content::front_matter::editable_text;
use crate::content::text::{slugify, to_nfc};
use crate::content::week::WeekNumber;
use crate::diagnostics::printable;
use crate::render::admin::{
    self, ArticleFolder, EditorSite, SCHEDULE_FOLDER, Saving, article_folders, schedule_weeks,
    week_of_file,
};
use crate::render::stylesheet::Stylesheet;

use super::Live;

/// The API's address, as Decap's `local_backend` expects it.
pub const API_PATH: &str = "/api/v1";
/// The editor's event stream: the preview's, told first the warnings the
/// last save brought (an editor opened or reloaded after that save's rebuild
/// missed them otherwise).
pub const EDITOR_EVENTS_PATH: &str = "/admin/events";

/// The number of a save, in the answer to each action of [`CHANGES`]: the
/// notices told of the builds that follow it carry it (or a later one's).
pub const SAVE_HEADER: &str = "bantin-save";

/// The actions that change content/, each a save: what the last one brought
/// is no longer news (an article deleted takes its warnings along; a picture
/// uploaded may be the one a warning said was missing).
const CHANGES: &[&str] = &["persistEntry", "persistMedia", "deleteFile", "deleteFiles"];

/// The largest request the API reads: a scanned PDF of some tens of pages,
/// in base64.
pub const MAX_REQUEST_BYTES: usize = 48 * 1024 * 1024;

/// Media a clerk may upload: images and the attachments of documents.
const MEDIA_TYPES: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "avif", "pdf", "doc", "docx", "xls", "xlsx", "odt", "ods",
    "ppt", "pptx", "zip", "rar", "7z", "txt", "csv", "mp3", "mp4",
];

/// Entries: articles and documents, and the schedule's weeks.
const ENTRY_TYPES: &[&str] = &["md", "yaml", "yml"];

/// What the editor's page and configuration are made from: the last site that
/// built, else site.yaml alone.
#[derive(Debug, Clone)]
struct EditorSnapshot {
    config: Config,
    folders: Vec<ArticleFolder>,
    stylesheet: String,
}

/// The editing side of the preview.
pub struct Editing {
    /// The site's folder and its `content/`, with links resolved.
    root: PathBuf,
    content: PathBuf,
    addr: SocketAddr,
    snapshot: RwLock<Option<EditorSnapshot>>,
    /// The preview's state, which keeps the warnings the last save brought
    /// (see [`Live::save_begins`]).
    live: Arc<Live>,
}

impl Editing {
    /// Editing of the site at `root` (which has a `content/` folder, made if
    /// missing) served at `addr`.
    pub fn new(root: &Path, addr: SocketAddr, live: Arc<Live>) -> std::io::Result<Editing> {
        let root = root.canonicalize()?;
        std::fs::create_dir_all(root.join("content"))?;
        let content = root.join("content").canonicalize()?;
        if !content.starts_with(&root) {
            return Err(std::io::Error::other(
                "content/ is a link to a folder outside the site: editing stays off",
            ));
        }
        Ok(Editing {
            root,
            content,
            addr,
            snapshot: RwLock::new(None),
            live,
        })
    }

    /// Takes the editor's schema from a site that built.
    pub fn remember(&self, loaded: &LoadedSite) {
        let snapshot = EditorSnapshot {
            config: loaded.config.clone(),
            folders: article_folders(&loaded.site),
            stylesheet: Stylesheet::of(&loaded.theme, &loaded.config).file,
        };
        if let Ok(mut slot) = self.snapshot.write() {
            *slot = Some(snapshot);
        }
    }

    fn snapshot(&self) -> EditorSnapshot {
        if let Some(snapshot) = self.snapshot.read().ok().and_then(|s| s.clone()) {
            return snapshot;
        }
        // No build has succeeded yet: the editor still opens, so that the
        // file that breaks the build can be fixed in it.
        let config = read_config(&self.root)
            .map(|(config, _)| config)
            .unwrap_or_default();
        EditorSnapshot {
            config,
            folders: Vec::new(),
            stylesheet: String::new(),
        }
    }

    /// The schedule's weeks that have a file.
    fn existing_weeks(&self) -> Vec<WeekNumber> {
        let Ok(entries) = std::fs::read_dir(self.content.join(SCHEDULE_FOLDER)) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|e| week_of_file(&e.file_name().to_string_lossy()))
            .collect()
    }

    /// The `Host` of a request, if it is one the server answers to as itself:
    /// its own address, or `localhost` on its port when it listens on a
    /// loopback address. A name that merely resolves here (DNS rebinding) is
    /// not one.
    fn own_host<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        let host = headers.get(header::HOST)?.to_str().ok()?;
        let (name, port) = host.rsplit_once(':')?;
        if port.parse::<u16>().ok()? != self.addr.port() {
            return None;
        }
        let ip = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>();
        let listening = self.addr.ip();
        let own = match ip {
            Ok(ip) if listening.is_unspecified() => ip.is_loopback() || !ip.is_unspecified(),
            Ok(ip) => ip == listening || (listening.is_loopback() && ip.is_loopback()),
            Err(_) => {
                name.eq_ignore_ascii_case("localhost")
                    && (listening.is_loopback() || listening.is_unspecified())
            }
        };
        own.then_some(host)
    }

    /// Why a request does not come from the editor's own page, if it does not.
    fn foreign(&self, headers: &HeaderMap) -> Option<&'static str> {
        let Some(host) = self.own_host(headers) else {
            return Some("the request's Host is not this server's address");
        };
        if let Some(origin) = headers.get(header::ORIGIN)
            && origin.to_str().ok() != Some(format!("http://{host}").as_str())
        {
            return Some("the request comes from another site (Origin)");
        }
        let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        if site.is_some_and(|s| s != "same-origin" && s != "none") {
            return Some("the request comes from another site (Sec-Fetch-Site)");
        }
        None
    }
}

/// `/admin/`: the editor's page. A link to it on another site (the ward's
/// intranet, a guide) opens it: going to a page is no request of the site that
/// links to it, and the page's own requests are checked as ever. Shown inside
/// another site's frame it is not, so that no page can lay itself over the
/// editor's buttons.
pub async fn editor_page(State(editing): State<Arc<Editing>>, headers: HeaderMap) -> Response {
    let opened = headers
        .get("sec-fetch-dest")
        .is_some_and(|dest| dest == "document");
    let why = match opened {
        true => editing
            .own_host(&headers)
            .is_none()
            .then_some("the request's Host is not this server's address"),
        false => editing.foreign(&headers),
    };
    if let Some(why) = why {
        return refusal(StatusCode::FORBIDDEN, why);
    }
    let snapshot = editing.snapshot();
    let html = admin::index_html(
        &snapshot.config,
        &snapshot.folders,
        &snapshot.stylesheet,
        Some(EDITOR_EVENTS_PATH),
    );
    let mut response = typed(
        StatusCode::OK,
        "text/html; charset=utf-8",
        html.into_bytes(),
    );
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// `/admin/config.yml`: the editor's configuration, saving through this server.
pub async fn editor_config(State(editing): State<Arc<Editing>>, headers: HeaderMap) -> Response {
    if let Some(why) = editing.foreign(&headers) {
        return refusal(StatusCode::FORBIDDEN, why);
    }
    let host = editing.own_host(&headers).unwrap_or_default().to_string();
    let snapshot = editing.snapshot();
    let today = admin::build_date(&snapshot.config);
    let weeks = schedule_weeks(today, &editing.existing_weeks());
    let site = EditorSite {
        config: &snapshot.config,
        folders: &snapshot.folders,
        weeks: &weeks,
    };
    let origin = format!("http://{host}");
    let yml = admin::config_yml(
        &site,
        Saving::Local {
            origin: &origin,
            host: &host,
            cms: snapshot.config.cms.as_ref(),
        },
    );
    typed(StatusCode::OK, "text/yaml; charset=utf-8", yml.into_bytes())
}

/// `POST /api/v1`: one action of Decap's local backend protocol. Where it
/// comes from and how large it says it is are checked before its body is read.
pub async fn api(State(editing): State<Arc<Editing>>, request: Request) -> Response {
    let headers = request.headers().clone();
    if let Some(why) = editing.foreign(&headers) {
        return refusal(StatusCode::FORBIDDEN, why);
    }
    // A file is sent as base64, a third larger than it is: the clerk knows
    // her file's own size.
    let too_large = |_| {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "the request is larger than {} MB: a file of more than about {} MB cannot be uploaded in the editor. Make it smaller (a scan at 150 dpi in greys is a fraction of one in colour at 600 dpi), or copy it into the site's content/ folder by hand",
                MAX_REQUEST_BYTES / 1024 / 1024,
                MAX_REQUEST_BYTES / 1024 / 1024 * 3 / 4 - 1,
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BYTES as u64) {
        return too_large(());
    }
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json_body {
        return refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the editing API takes JSON (Content-Type: application/json)",
        );
    }
    let body: Bytes = match axum::body::to_bytes(request.into_body(), MAX_REQUEST_BYTES).await {
        Ok(body) => body,
        Err(_) => return too_large(()),
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refusal(StatusCode::BAD_REQUEST, "the request is not JSON");
    };
    let action = request["action"].as_str().unwrap_or_default().to_string();
    let params = request["params"].clone();
    // Another save (or deletion, or upload): what the last one brought is
    // no longer news. Begun
    // before its files are written, so that no build that read the files
    // before them tells its warnings as this save's.
    let save = CHANGES
        .contains(&action.as_str())
        .then(|| editing.live.save_begins());
    let outcome = tokio::task::spawn_blocking(move || editing.act(&action, &params)).await;
    let mut response = match outcome {
        Ok(Ok(answer)) => {
            let mut response = answer.to_string().into_response();
            set_json(&mut response);
            response
        }
        Ok(Err(refused)) => {
            eprintln!("editing: refused: {}", printable(&refused.message));
            refusal(refused.status, &refused.message)
        }
        Err(_) => refusal(StatusCode::INTERNAL_SERVER_ERROR, "the action failed"),
    };
    // The editor's page shows only the notices of this save's builds on.
    if let Some(save) = save {
        response
            .headers_mut()
            .insert(SAVE_HEADER, HeaderValue::from(save));
    }
    response
}

/// An action that was refused or failed, and why.
#[derive(Debug)]
struct Refused {
    status: StatusCode,
    message: String,
}

impl Refused {
    fn bad(message: impl Into<String>) -> Refused {
        Refused {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    fn forbidden(message: impl Into<String>) -> Refused {
        Refused {
            status: StatusCode::FORBIDDEN,
            message: message.into(),
        }
    }

    fn failed(what: &str, path: &str, e: std::io::Error) -> Refused {
        Refused {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("cannot {what} {path}: {e}"),
        }
    }
}

/// A file the editor saves: where, and its bytes.
struct Saved {
    rel: String,
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Editing {
    fn act(&self, action: &str, params: &Value) -> Result<Value, Refused> {
        match action {
            "info" => Ok(json!({
                "repo": self.root.file_name().map(|n| n.to_string_lossy()),
                "publish_modes": ["simple"],
                "type": "local_fs",
            })),
            "entriesByFolder" => {
                let folder = text_param(params, "folder")?;
                let extension = params["extension"].as_str().unwrap_or_default();
                let depth = params["depth"].as_u64().unwrap_or(1).min(16) as usize;
                let dir = self.inside(folder)?;
                let mut files = Vec::new();
                self.list(&dir, folder, extension, depth, &mut files);
                files.sort();
                Ok(Value::Array(
                    files.iter().map(|rel| self.entry(rel, None)).collect(),
                ))
            }
            "entriesByFiles" => {
                let files = params["files"]
                    .as_array()
                    .ok_or_else(|| Refused::bad("`files` should be a list"))?;
                let mut entries = Vec::new();
                for file in files {
                    let rel = text_param(file, "path")?;
                    self.inside(rel)?;
                    entries.push(self.entry(rel, file["label"].as_str()));
                }
                Ok(Value::Array(entries))
            }
            "getEntry" => {
                let rel = text_param(params, "path")?;
                self.inside(rel)?;
                Ok(self.entry(rel, None))
            }
            "persistEntry" => self.persist_entry(params),
            "getMedia" => {
                let folder = text_param(params, "mediaFolder")?;
                let dir = self.inside(folder)?;
                let mut files = Vec::new();
                self.list(&dir, folder, "", 1, &mut files);
                files.sort();
                files.iter().map(|rel| self.media_file(rel)).collect()
            }
            "getMediaFile" => self.media_file(text_param(params, "path")?),
            "persistMedia" => {
                let saved = self.asset(&params["asset"])?;
                self.write_all(std::slice::from_ref(&saved))?;
                self.media_file(&saved.rel)
            }
            "deleteFile" => {
                let rel = text_param(params, "path")?;
                self.delete(&[rel])?;
                Ok(json!({ "message": format!("deleted file {rel}") }))
            }
            "deleteFiles" => {
                let paths: Vec<&str> = params["paths"]
                    .as_array()
                    .ok_or_else(|| Refused::bad("`paths` should be a list"))?
                    .iter()
                    .map(|p| p.as_str().ok_or_else(|| Refused::bad("a path is not text")))
                    .collect::<Result<_, _>>()?;
                self.delete(&paths)?;
                Ok(json!({ "message": format!("deleted files {}", paths.join(", ")) }))
            }
            "getDeployPreview" => Ok(Value::Null),
            other => Err(Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: format!("Unknown action {other}"),
            }),
        }
    }

    /// `persistEntry`: the entry's files and its new media, all checked before
    /// any is written; then a move if the entry was renamed.
    fn persist_entry(&self, params: &Value) -> Result<Value, Refused> {
        let data_files: Vec<&Value> = match params["dataFiles"].as_array() {
            Some(files) => files.iter().collect(),
            None if params["entry"].is_object() => vec![&params["entry"]],
            None => return Err(Refused::bad("the entry has no files")),
        };
        let mut saved = Vec::new();
        let mut moves = Vec::new();
        for file in &data_files {
            let rel = text_param(file, "path")?;
            let raw = text_param(file, "raw")?;
            let path = self.inside(rel)?;
            if !has_extension(rel, ENTRY_TYPES) {
                return Err(Refused::forbidden(format!(
                    "{rel}: entries are .md or .yaml files"
                )));
            }
            self.refuse_twin(rel)?;
            if let Some(new_rel) = file["newPath"].as_str() {
                let to = self.inside(new_rel)?;
                self.refuse_twin(new_rel)?;
                if !has_extension(new_rel, ENTRY_TYPES) {
                    return Err(Refused::forbidden(format!(
                        "{new_rel}: entries are .md or .yaml files"
                    )));
                }
                // A move onto another file would replace it: that article lost.
                if new_rel != rel && to.symlink_metadata().is_ok() {
                    return Err(Refused {
                        status: StatusCode::CONFLICT,
                        message: format!(
                            "{new_rel} already exists: the entry cannot be moved onto it"
                        ),
                    });
                }
                moves.push((path.clone(), to, rel, new_rel));
            }
            refuse_losing_letters(rel, &path, raw)?;
            if let Some(opened) = file[OPENED_ID].as_str() {
                refuse_changed_meanwhile(rel, &path, opened)?;
            }
            saved.push(Saved {
                rel: rel.to_string(),
                path,
                bytes: raw.as_bytes().to_vec(),
            });
        }
        let mut media = Vec::new();
        if let Some(assets) = params["assets"].as_array() {
            for asset in assets {
                let file = self.asset(asset)?;
                self.refuse_replacing(&file)?;
                media.push(file);
            }
        }
        // Pictures first: an entry is never written without the pictures it
        // shows, should a write fail on the way (a full disk).
        self.write_all(&media)?;
        self.write_all(&saved)?;
        // The version of each file now, under the path it has now: what the
        // editor's page sends back as `openedId` when it is saved again.
        let mut versions = serde_json::Map::new();
        for file in &saved {
            versions.insert(file.rel.clone(), Value::from(file_id(&file.bytes)));
        }
        // Only the entry's file moves: an article's folder holds its
        // neighbours, which a move of the whole folder would take along.
        if moves.len() == data_files.len() {
            for (from, to, rel, new_rel) in moves {
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        Refused::failed("make the folder of", &to.display().to_string(), e)
                    })?;
                }
                std::fs::rename(&from, &to)
                    .map_err(|e| Refused::failed("move", &from.display().to_string(), e))?;
                if let Some(id) = versions.remove(rel) {
                    versions.insert(new_rel.to_string(), id);
                }
            }
        }
        Ok(json!({ "message": "entry persisted", "versions": versions }))
    }

    /// A media file of a request, checked: its place, its type, its bytes.
    fn asset(&self, asset: &Value) -> Result<Saved, Refused> {
        let rel = text_param(asset, "path")?;
        // In a folder it may write, a name that is only an extension.
        if let Some((folder, name)) = rel.rsplit_once('/')
            && is_nameless(name)
            && self.inside(folder).is_ok()
        {
            return Err(nameless(rel));
        }
        let path = self.inside(rel)?;
        self.refuse_twin(rel)?;
        if asset["encoding"].as_str() != Some("base64") {
            return Err(Refused::bad(format!("{rel}: media come in base64")));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text_param(asset, "content")?)
            .map_err(|_| Refused::bad(format!("{rel}: the file is not valid base64")))?;
        if bytes.is_empty() {
            return Err(Refused::bad(format!(
                "{rel}: the file is empty (0 bytes). Pick it again; a file still being downloaded or synced (OneDrive, Google Drive, iCloud) may be empty until that is done"
            )));
        }
        if !allowed_media(rel, &bytes) {
            return Err(Refused {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: format!("{}: {}", printable(rel), not_uploaded(rel, &bytes)),
            });
        }
        Ok(Saved {
            rel: rel.to_string(),
            path,
            bytes,
        })
    }

    /// Writes each file through a temporary file beside it and a rename.
    fn write_all(&self, files: &[Saved]) -> Result<(), Refused> {
        for file in files {
            let parent = file
                .path
                .parent()
                .ok_or_else(|| Refused::bad(format!("{}: not a file", file.rel)))?;
            std::fs::create_dir_all(parent)
                .map_err(|e| Refused::failed("make the folder of", &file.rel, e))?;
            // The folders just made are checked again: one may have been a
            // link made meanwhile.
            self.inside(&file.rel)?;
            let mut builder = tempfile::Builder::new();
            builder.prefix(".bantin-saving-");
            // Readable as any file a program writes (0666 less the umask):
            // tempfile's own 0600 made uploaded pictures unreadable to the web
            // server the built site is copied to.
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
            let mut temp = builder
                .tempfile_in(parent)
                .map_err(|e| Refused::failed("write", &file.rel, e))?;
            // A file saved again keeps its own permissions.
            let kept = match std::fs::metadata(&file.path) {
                Ok(old) => temp.as_file().set_permissions(old.permissions()),
                Err(_) => Ok(()),
            };
            kept.and_then(|()| temp.write_all(&file.bytes))
                .and_then(|()| temp.as_file().sync_all())
                .map_err(|e| Refused::failed("write", &file.rel, e))?;
            temp.persist(&file.path)
                .map_err(|e| Refused::failed("write", &file.rel, e.error))?;
            println!("editing: saved {}", printable(&file.rel));
        }
        Ok(())
    }

    /// Deletes files (never folders); all paths are checked first.
    fn delete(&self, rels: &[&str]) -> Result<(), Refused> {
        let paths: Vec<PathBuf> = rels
            .iter()
            .map(|rel| self.inside(rel))
            .collect::<Result<_, _>>()?;
        for (rel, path) in rels.iter().zip(&paths) {
            if path.is_dir() {
                return Err(Refused::forbidden(format!("{rel} is a folder")));
            }
        }
        for (rel, path) in rels.iter().zip(paths) {
            match std::fs::remove_file(&path) {
                Ok(()) => println!("editing: deleted {}", printable(rel)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Refused::failed("delete", rel, e)),
            }
        }
        Ok(())
    }

    /// `{data, file: {path, label, id}}` as decap-server answers; `data` is
    /// null for a file that cannot be read.
    fn entry(&self, rel: &str, label: Option<&str>) -> Value {
        let bytes = self
            .inside(rel)
            .ok()
            .filter(|p| p.is_file())
            .and_then(|p| std::fs::read(p).ok());
        match bytes {
            Some(bytes) => json!({
                "data": editable_text(&bytes),
                "file": { "path": rel, "label": label, "id": file_id(&bytes) },
            }),
            None => json!({
                "data": null,
                "file": { "path": rel, "label": label, "id": null },
            }),
        }
    }

    fn media_file(&self, rel: &str) -> Result<Value, Refused> {
        let path = self.inside(rel)?;
        let bytes = std::fs::read(&path).map_err(|e| Refused {
            status: StatusCode::NOT_FOUND,
            message: format!("cannot read {rel}: {e}"),
        })?;
        Ok(json!({
            "id": file_id(&bytes),
            "content": base64::engine::general_purpose::STANDARD.encode(&bytes),
            "encoding": "base64",
            "path": rel,
            "name": rel.rsplit('/').next().unwrap_or(rel),
        }))
    }

    /// Refuses a picture or attachment saved with an entry over another file
    /// of the same name. Decap keeps a new entry's uploads as drafts and sends
    /// them with it, never asking about a file already there (its media
    /// library lists another folder than the year's the file goes to): a
    /// clerk's `anh.png` would replace a colleague's, and her article show
    /// the other's picture. The same bytes again are no change.
    fn refuse_replacing(&self, file: &Saved) -> Result<(), Refused> {
        let Ok(old) = std::fs::read(&file.path) else {
            return Ok(());
        };
        if old == file.bytes {
            return Ok(());
        }
        let address = file.rel.strip_prefix("content").unwrap_or(&file.rel);
        let shown_by = self.entries_showing(address);
        let shown = match shown_by.is_empty() {
            true => String::new(),
            false => format!(" (shown by {})", shown_by.join(", ")),
        };
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        Err(Refused {
            status: StatusCode::CONFLICT,
            message: format!(
                "{} already exists and is another file{shown}: nothing was saved, so that it is not replaced. Remove your file from the entry, give it another name (for example `{}`) and pick it again; or, to replace that file wherever it is shown, delete it in the media library first",
                file.rel,
                another_name(name),
            ),
        })
    }

    /// The first few entries whose text names `address` (`/images/2026/anh.png`).
    fn entries_showing(&self, address: &str) -> Vec<String> {
        let mut files = Vec::new();
        self.list(&self.content, "content", "", 16, &mut files);
        files.sort();
        files
            .into_iter()
            .filter(|rel| has_extension(rel, ENTRY_TYPES))
            .filter(|rel| {
                self.inside(rel)
                    .ok()
                    .and_then(|path| std::fs::read_to_string(path).ok())
                    .is_some_and(|text| text.contains(address))
            })
            .take(3)
            .collect()
    }

    /// Refuses a new file or folder of `rel` (checked by [`Editing::inside`])
    /// whose name is that of one already beside it written another way: in
    /// the other Unicode form (a Mac types `ả` as `a` and a mark, Windows as
    /// one letter) or in other capitals. The published site would have two
    /// files at one address (the build refuses that), and on Windows and a Mac
    /// they are one file. Decap asks before replacing a file of the very same
    /// name; here it did not, so nothing is replaced: the clerk renames the
    /// upload, or deletes the old file first to replace it.
    fn refuse_twin(&self, rel: &str) -> Result<(), Refused> {
        let Ok(parts) = content_parts(rel) else {
            return Ok(());
        };
        let mut dir = self.content.clone();
        for (i, part) in parts.iter().enumerate() {
            let path = dir.join(part);
            if path.symlink_metadata().is_ok() {
                dir = path;
                continue;
            }
            // The folder itself, as the site knows it (see `resolve_folders`).
            if i + 1 < parts.len()
                && let Some(folder) = folder_in_other_form(&dir, part)
            {
                dir = folder;
                continue;
            }
            let Some(twin) = twin_in(&dir, part) else {
                return Ok(());
            };
            let existing = file_name(&twin);
            let folder = dir
                .strip_prefix(&self.root)
                .unwrap_or(&dir)
                .to_string_lossy()
                .replace('\\', "/");
            let how = match to_nfc(part.clone()) == to_nfc(existing.clone()) {
                true => format!(
                    "the same name written in another Unicode form: this one {}, that one {}, \
                     as a Mac and as Windows write accented letters",
                    unicode_form(part),
                    unicode_form(&existing),
                ),
                false => {
                    "the same name in other capitals, one file on Windows and a Mac".to_string()
                }
            };
            return Err(Refused {
                status: StatusCode::CONFLICT,
                message: format!(
                    "{rel}: {folder}/ already holds `{existing}` ({how}); both would be one \
                     address of the published site, so nothing was saved. Give the file another \
                     name (for example `{}`), or, to replace `{existing}`, delete it first",
                    another_name(part),
                ),
            });
        }
        Ok(())
    }

    /// The files under `dir` down to `depth` folders, ending with `extension`,
    /// as paths from the site's folder, `dir` named as the editor `named` it
    /// (its configuration's folder, which may be in the other Unicode form
    /// than the disk's: Decap knows an entry by what follows that name);
    /// hidden files and links leading out of `content/` are left out.
    fn list(&self, dir: &Path, named: &str, extension: &str, depth: usize, out: &mut Vec<String>) {
        if depth == 0 {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(real) = path.canonicalize() else {
                continue;
            };
            if !real.starts_with(&self.content) {
                continue;
            }
            let rel = format!("{}/{name}", named.trim_end_matches('/'));
            if real.is_dir() {
                self.list(&path, &rel, extension, depth - 1, out);
            } else if name.ends_with(extension) {
                out.push(rel);
            }
        }
    }

    /// `content/` and `parts` below it, each folder on the way that exists in
    /// the other Unicode form taken as it is on disk: the site knows a folder
    /// by its name in NFC whatever its bytes (`Thi đua` copied from a Mac is
    /// decomposed), and so does the editor's configuration, so its articles
    /// are listed, opened and saved beside their neighbours, never in a second
    /// folder of the same name. Files are taken as named (a file's name in
    /// the other form is refused by [`Self::refuse_twin`]).
    fn resolve_folders(&self, parts: &[String]) -> PathBuf {
        let mut path = self.content.clone();
        for part in parts {
            let next = path.join(part);
            path = match next.symlink_metadata().is_err() {
                true => folder_in_other_form(&path, part).unwrap_or(next),
                false => next,
            };
        }
        path
    }

    /// The place `rel` (a path from the site's folder, as the editor sends it)
    /// names inside `content/`, or why it is refused. Whatever part of it
    /// exists is resolved, links and all, and must stay inside `content/`.
    fn inside(&self, rel: &str) -> Result<PathBuf, Refused> {
        let parts = content_parts(rel)
            .map_err(|why| Refused::forbidden(format!("{}: {why}", printable(rel))))?;
        let path = self.resolve_folders(&parts);
        let mut existing = path.as_path();
        // The deepest part that exists, links resolved, must be inside.
        loop {
            if existing.symlink_metadata().is_ok() {
                let real = existing.canonicalize().map_err(|_| {
                    Refused::forbidden(format!("{rel}: a link on the way leads nowhere"))
                })?;
                if !real.starts_with(&self.content) {
                    return Err(Refused::forbidden(format!(
                        "{rel}: a link on the way leads out of content/"
                    )));
                }
                break;
            }
            match existing.parent() {
                Some(parent) => existing = parent,
                None => break,
            }
        }
        Ok(path)
    }
}

/// The folder of `dir` whose name is `name` in the other Unicode form (a
/// folder copied from a Mac, named decomposed, asked for precomposed as the
/// editor's configuration names it), if there is one.
fn folder_in_other_form(dir: &Path, name: &str) -> Option<PathBuf> {
    let wanted = to_nfc(name.to_string());
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .find(|entry| {
            entry.file_name().to_str().is_some_and(|other| {
                other != name && !other.is_ascii() && to_nfc(other.to_string()) == wanted
            }) && entry.path().is_dir()
        })
        .map(|entry| entry.path())
}

/// The parts of `rel` after `content/`, or why it is not a path to accept.
fn content_parts(rel: &str) -> Result<Vec<String>, &'static str> {
    if rel.contains('\0') {
        return Err("the path holds a NUL");
    }
    if rel.contains('\\') {
        return Err("the path holds a backslash");
    }
    if rel.starts_with('/') || rel.as_bytes().get(1) == Some(&b':') {
        return Err("the path is absolute");
    }
    // Encoded dots and slashes are refused as if they were plain: the path
    // must mean the same to every layer that may decode it.
    let decoded = percent_encoding::percent_decode_str(rel)
        .decode_utf8()
        .map_err(|_| "the path is not UTF-8")?;
    for text in [rel, decoded.as_ref()] {
        if text.split('/').any(|p| p == "." || p == "..") {
            return Err("the path climbs out with `..`");
        }
    }
    if decoded != rel {
        return Err("the path holds percent-encoded characters");
    }
    let mut parts = rel.trim_end_matches('/').split('/');
    if parts.next() != Some("content") {
        return Err("the editor may only touch files under content/");
    }
    parts
        .map(|part| checked_name(part).map(str::to_string))
        .collect()
}

/// Whether `name` is one Decap emptied: it keeps only ASCII letters,
/// digits, `-`, `_`, `.` and `~` of a file's name, so `公文.pdf` or `—.pdf`
/// reaches the server as `.pdf` (a hidden file), and it drops a name Windows
/// keeps for itself (`con.pdf`), leaving none.
fn is_nameless(name: &str) -> bool {
    match name.strip_prefix('.') {
        Some(extension) => {
            !extension.is_empty() && extension.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => name.is_empty(),
    }
}

/// The refusal of an upload whose name Decap emptied, saying what to do.
fn nameless(rel: &str) -> Refused {
    Refused::bad(format!(
        "{}: the file's name has no letter or digit the editor can keep (a name in another script or made of signs only, such as `公文.pdf` or `—.pdf`, loses them all, and so does a name Windows keeps for itself, such as `con.pdf`); nothing was saved. Rename the file on your computer with Vietnamese or Latin letters or digits (for example `quyet-dinh-25.pdf`) and pick it again",
        printable(rel)
    ))
}

/// `name` if it may name a file or folder on every system the site is edited
/// on: not empty, not hidden, not a Windows device name, no characters
/// Windows refuses, no trailing dot or space.
fn checked_name(name: &str) -> Result<&str, &'static str> {
    if name.is_empty() {
        return Err("the path has an empty part");
    }
    if name.starts_with('.') {
        return Err(
            "a name that starts with a dot is a hidden file, which the site never publishes: rename it without the dot",
        );
    }
    if name.ends_with(['.', ' ']) {
        return Err(
            "a name that ends with a dot or a space cannot be opened on Windows: rename it without them",
        );
    }
    // Linux and macOS take 255 bytes, a Vietnamese letter 2 or 3 of them.
    if name.len() > 255 {
        return Err(
            "the name is longer than a file's name may be (255 bytes, some 85 accented letters): shorten it",
        );
    }
    if name
        .chars()
        .any(|c| c.is_control() || "<>:\"|?*".contains(c))
    {
        return Err(
            "the name holds one of < > : \" | ? * or a control character, which Windows refuses in a file's name: rename it without them",
        );
    }
    // U+202E and its kin make `gpj.exe` read `exe.jpg` in every list of files.
    if printable(name) != name {
        return Err(
            "the name holds an invisible mark that reorders its letters (a program can be named to look like a picture so): rename it with letters, digits and dashes only",
        );
    }
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if device {
        return Err(
            "CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 are names Windows keeps for itself, whatever follows the dot: rename it (for example `con-2.pdf`)",
        );
    }
    Ok(name)
}

/// The entry of `dir` whose name is `name` written another way (other
/// capitals, the other Unicode form), if there is one.
fn twin_in(dir: &Path, name: &str) -> Option<PathBuf> {
    let folded = |name: &str| to_nfc(name.to_string()).to_lowercase();
    let wanted = folded(name);
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .find(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|other| other != name && folded(other) == wanted)
        })
        .map(|entry| entry.path())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `precomposed (NFC)` or `decomposed (NFD)`, for a name that is one or the
/// other.
fn unicode_form(name: &str) -> &'static str {
    match unicode_normalization::is_nfc(name) {
        true => "precomposed (NFC)",
        false => "decomposed (NFD)",
    }
}

/// A name for a file beside one named `name` that no form or capitals make
/// the same: `Ảnh hội nghị.JPG` -> `anh-hoi-nghi-2.jpg`.
fn another_name(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => {
            format!("{}-2.{}", slugify(stem), extension.to_ascii_lowercase())
        }
        _ => format!("{}-2", slugify(name)),
    }
}

/// The field of a saved entry's file that names the version of it the clerk
/// opened (the `id` the API gave when the editor read it), sent by the
/// editor's page (admin.js); Decap itself sends none.
const OPENED_ID: &str = "openedId";

/// Refuses to save over the file at `path` when it is no longer the version
/// `opened` the clerk started from: saved meanwhile in another window, by a
/// colleague on the same computer, or in a text editor. Saving would throw
/// those changes away without a word. A file deleted meanwhile is saved again.
fn refuse_changed_meanwhile(rel: &str, path: &Path, opened: &str) -> Result<(), Refused> {
    let Ok(now) = std::fs::read(path) else {
        return Ok(());
    };
    if file_id(&now) == opened {
        return Ok(());
    }
    Err(Refused {
        status: StatusCode::CONFLICT,
        message: format!(
            "{rel} was changed after you opened it (saved in another window or tab, or by another program), so your version was not saved: saving it would throw those changes away. Copy your text, reload the page to open the file as it is now, and make your changes again"
        ),
    })
}

/// Refuses to save `raw` over the file at `path` when that file is not UTF-8
/// (saved in Windows-1258, TCVN3 or VNI by an old editor) and `raw` still has
/// the replacement marks (U+FFFD) the editor showed for its accented letters:
/// saving would replace every such letter for good. Once they are retyped, or
/// the file is saved again as UTF-8 elsewhere, it saves.
fn refuse_losing_letters(rel: &str, path: &Path, raw: &str) -> Result<(), Refused> {
    if !raw.contains('\u{FFFD}') {
        return Ok(());
    }
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(());
    };
    if std::str::from_utf8(&bytes).is_ok() {
        return Ok(());
    }
    Err(Refused {
        status: StatusCode::CONFLICT,
        message: format!(
            "{rel} is saved in an old encoding (Windows-1258, TCVN3 or VNI), so the editor shows its accented letters as �; saving would lose them for good. Open the file in a text editor and save it as UTF-8, or retype every � here, then save"
        ),
    })
}

fn has_extension(rel: &str, allowed: &[&str]) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| allowed.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Whether `bytes` may be uploaded as `rel`: an allowed type by its name, and
/// for formats with a signature, the bytes start with it (a page or a script
/// renamed `.jpg` is not an image).
fn allowed_media(rel: &str, bytes: &[u8]) -> bool {
    if !has_extension(rel, MEDIA_TYPES) {
        return false;
    }
    let ext = rel
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    let zip = starts(b"PK\x03\x04");
    let ole = starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    match ext.as_str() {
        "jpg" | "jpeg" => starts(&[0xFF, 0xD8, 0xFF]),
        "png" => starts(b"\x89PNG\r\n\x1a\n"),
        "gif" => starts(b"GIF87a") || starts(b"GIF89a"),
        "webp" => starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"),
        "avif" | "mp4" => bytes.get(4..8) == Some(b"ftyp"),
        "pdf" => starts(b"%PDF-"),
        "docx" | "xlsx" | "pptx" | "odt" | "ods" | "zip" => zip,
        "doc" | "xls" | "ppt" => ole,
        "rar" => starts(b"Rar!\x1a\x07"),
        "7z" => starts(b"7z\xbc\xaf\x27\x1c"),
        // An ID3 tag, or straight into an MPEG audio frame (11 bits set).
        "mp3" => starts(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] >= 0xE0),
        // Text: anything that is not markup a browser would run.
        "txt" | "csv" => {
            std::str::from_utf8(bytes).is_ok_and(|t| !t.to_ascii_lowercase().contains("<script"))
        }
        // Every allowed type is checked above: a new one must say how.
        _ => false,
    }
}

/// Why a file may not be uploaded, and what to do: a picture under another
/// type's name (a PNG saved as `.jpg`, common with screenshots) is named by
/// what it is; an iPhone's photo (HEIC) is told how to get a JPEG.
fn not_uploaded(rel: &str, bytes: &[u8]) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let ext = ext.to_ascii_lowercase();
    let brand = bytes.get(4..12);
    let heic = matches!(ext.as_str(), "heic" | "heif")
        || brand.is_some_and(|b| {
            b.starts_with(b"ftyp") && [&b"heic"[..], b"heix", b"heif", b"mif1"].contains(&&b[4..8])
        });
    if heic {
        return "the file is an iPhone photo (HEIC), which not every browser shows: nothing was saved. Convert it to JPEG (open it in Photos on Windows and save it as .jpg, or send it to yourself through Zalo), or set the iPhone to take JPEG photos (Settings > Camera > Formats > Most Compatible), and pick it again".to_string();
    }
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    let is = if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(("a JPEG picture", "jpg"))
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(("a PNG picture", "png"))
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(("a GIF picture", "gif"))
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(("a WebP picture", "webp"))
    } else if starts(b"%PDF-") {
        Some(("a PDF document", "pdf"))
    } else {
        None
    };
    match is {
        Some((kind, real)) if has_extension(rel, MEDIA_TYPES) && real != ext => format!(
            "the file is {kind} under a .{ext} name: nothing was saved. Rename it `{stem}.{real}` on your computer and pick it again"
        ),
        _ => "only images (JPEG, PNG, GIF, WebP, AVIF) and documents (PDF, Word, Excel, …) may be uploaded, and the file must be what its name says: nothing was saved. Save it as one of those (Word and Excel can save as PDF) and pick it again".to_string(),
    }
}

/// What the editor knows a file's version by.
fn file_id(bytes: &[u8]) -> String {
    format!("{:016x}", crate::fingerprint::fingerprint(bytes))
}

fn text_param<'v>(params: &'v Value, name: &str) -> Result<&'v str, Refused> {
    params[name]
        .as_str()
        .ok_or_else(|| Refused::bad(format!("`{name}` is missing or not text")))
}

fn refusal(status: StatusCode, message: &str) -> Response {
    let mut response = (status, json!({ "error": message }).to_string()).into_response();
    set_json(&mut response);
    response
}

fn set_json(response: &mut Response) {
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn typed(status: StatusCode, kind: &'static str, bytes: Vec<u8>) -> Response {
    let mut response = (status, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_under_content_are_taken() {
        assert_eq!(
            content_parts("content/dan-van/2026/duong.md").unwrap(),
            ["dan-van", "2026", "duong.md"]
        );
        for bad in [
            "content/../site.yaml",
            "content/%2e%2e/site.yaml",
            "content/dan-van/..%2f..%2fsite.yaml",
            "/etc/passwd",
            "C:/Windows/x.md",
            "site.yaml",
            "themes/default/templates/base.html",
            "content/a\0.md",
            "content/a\\..\\b.md",
            "content/.git/config",
            "content/CON.md",
            "content/lpt1",
            "content/a./b.md",
            "content/a?.md",
            "content//a.md",
            format!("content/images/{}.png", "ả".repeat(90)).as_str(),
        ] {
            assert!(content_parts(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn media_must_be_what_their_name_says() {
        assert!(allowed_media(
            "content/images/a.png",
            b"\x89PNG\r\n\x1a\nrest"
        ));
        assert!(allowed_media("content/van-ban/a.PDF", b"%PDF-1.7"));
        assert!(!allowed_media(
            "content/images/a.png",
            b"<script>alert(1)</script>"
        ));
        assert!(!allowed_media("content/images/a.html", b"<p>"));
        assert!(!allowed_media("content/images/a.svg", b"<svg/>"));
        assert!(!allowed_media("content/images/a", b"x"));
        assert!(allowed_media(
            "content/van-ban/a.rar",
            b"Rar!\x1a\x07\x01\0"
        ));
        assert!(allowed_media(
            "content/van-ban/a.7z",
            b"7z\xbc\xaf\x27\x1c\0\x04"
        ));
        assert!(allowed_media("content/am-thanh/a.mp3", b"ID3\x04\0"));
        assert!(allowed_media("content/am-thanh/a.mp3", b"\xff\xfb\x90\x64"));
        for ext in MEDIA_TYPES {
            let rel = format!("content/tep/trang.{ext}");
            assert!(
                !allowed_media(&rel, b"<html><script>alert(1)</script>"),
                "{rel}"
            );
        }
    }
}
