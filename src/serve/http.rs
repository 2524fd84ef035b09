//! The preview's HTTP side: the built pages from the private folder, with the
//! live-reload script added to HTML; the event stream; the build's status.
//!
//! Request paths are decoded once and refused (400) if any part is `.` or `..`,
//! so `/../`, `/%2e%2e/` and `/..%2f` never climb; files are then resolved with
//! symbolic links followed and must still lie inside the private folder.
//!
//! On a loopback address, only requests that name this computer (`127.0.0.1`,
//! `localhost`) are answered: a page of another site whose name is made to
//! resolve here (DNS rebinding) must not read the preview, drafts included.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};
use tokio_util::io::ReaderStream;

use super::editing::{self, API_PATH, EDITOR_EVENTS_PATH, Editing};
use super::reload::with_script;
use super::{Change, Live};
use crate::content::sources::on_disk;

pub const EVENTS_PATH: &str = "/__bantin/events";
pub const STATUS_PATH: &str = "/__bantin/status";

#[derive(Clone)]
pub struct Preview {
    /// The private folder the site is built into (the same path across builds).
    pub dir: Arc<PathBuf>,
    pub live: Arc<Live>,
    /// The server listens on a loopback address: requests must name this
    /// computer (see [`names_this_computer`]).
    pub loopback: bool,
    /// The site's `content/`, whose files the build copies as they are.
    pub content: Arc<PathBuf>,
}

/// The preview's routes; with `editing`, the editor at `/admin/` and its API.
pub fn router(preview: Preview, editing: Option<Arc<Editing>>) -> Router {
    let loopback = preview.loopback;
    let app = routes(preview, editing);
    if loopback {
        app.layer(axum::middleware::from_fn(local_requests_only))
    } else {
        app
    }
}

fn routes(preview: Preview, editing: Option<Arc<Editing>>) -> Router {
    let preview_live = Arc::clone(&preview.live);
    let pages = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(STATUS_PATH, get(status))
        .fallback(site_file)
        .with_state(preview);
    let Some(editing) = editing else {
        return pages;
    };
    let editor_events = move || editor_events(Arc::clone(&preview_live));
    let editor = Router::new()
        .route(EDITOR_EVENTS_PATH, get(editor_events))
        .route("/admin", get(|| async { to_editor() }))
        .route("/admin/", get(editing::editor_page))
        .route("/admin/index.html", get(editing::editor_page))
        .route("/admin/config.yml", get(editing::editor_config))
        .route(API_PATH, post(editing::api))
        .with_state(editing);
    pages.merge(editor)
}

/// Refuses a request whose `Host` is a name other than this computer's. A
/// request without one (HTTP/1.0) comes from no browser, and passes.
async fn local_requests_only(request: Request, next: Next) -> Response {
    match request.headers().get(header::HOST) {
        Some(host) if !names_this_computer(host) => plain(
            StatusCode::FORBIDDEN,
            "bantin serve answers only to this computer's addresses (127.0.0.1, localhost): \
             a page of another site must not read the preview through a name of its own",
        ),
        _ => next.run(request).await,
    }
}

/// Whether a `Host` header names this computer whatever DNS says: a loopback
/// address (`127.0.0.1:1111`, `[::1]:1111`), `localhost` or a name under
/// `.localhost` (which browsers never ask DNS for).
pub fn names_this_computer(host: &HeaderValue) -> bool {
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    if let Ok(ip) = name.parse::<std::net::IpAddr>() {
        return ip.is_loopback();
    }
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

fn to_editor() -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/admin/"));
    response
}

/// The event stream of the live-reload script: first the current state
/// (`ok` or `broken`), then each change as it happens.
async fn events(
    State(preview): State<Preview>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changes = BroadcastStream::new(preview.live.subscribe()).filter_map(Result::ok);
    let stream = tokio_stream::once(preview.live.current())
        .chain(changes)
        .map(|change| Ok(sse_event(&change)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The editor's event stream: the preview's, with the warnings of the last
/// save told first if it has not been saved over since, so that an editor
/// opened or reloaded after that save's rebuild shows them too.
async fn editor_events(live: Arc<Live>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let (first, changes) = live.editor_start();
    let changes = BroadcastStream::new(changes).filter_map(Result::ok);
    let stream = tokio_stream::iter(first)
        .chain(changes)
        .map(|change| Ok(sse_event(&change)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn sse_event(change: &Change) -> Event {
    match change {
        Change::Reload => Event::default().event("reload").data("reload"),
        Change::Stylesheet => Event::default().event("css").data("css"),
        Change::Fixed => Event::default().event("ok").data("ok"),
        // JSON keeps the text on one `data:` line, newlines and all.
        Change::Broken(text) => Event::default()
            .event("broken")
            .data(serde_json::Value::from(text.as_str()).to_string()),
        // The save it follows, for the editor to tell a late one.
        Change::Warned(notice) => Event::default()
            .event("warned")
            .data(serde_json::json!({ "text": notice.text, "save": notice.save }).to_string()),
    }
}

/// `{"ok": true}`, or `{"ok": false, "errors": "<the errors as printed>"}`.
async fn status(State(preview): State<Preview>) -> Response {
    let body = match preview.live.errors() {
        None => serde_json::json!({ "ok": true }),
        Some(text) => serde_json::json!({ "ok": false, "errors": text }),
    };
    let mut response = body.to_string().into_response();
    set_type(&mut response, "application/json");
    no_store(&mut response);
    response
}

/// A file of the built site; `index.html` for a folder; the site's 404 page.
async fn site_file(
    State(preview): State<Preview>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let Some(parts) = request_parts(uri.path()) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "the path leaves the site or is not UTF-8",
        );
    };
    let found = resolve(&preview.dir, &parts, uri.path().ends_with('/'));
    let mut response = match &found {
        // Pages get the live-reload script, so they are read whole (they are small).
        Found::File(path) if content_type(path).starts_with("text/html") => {
            match tokio::fs::read(path).await {
                Ok(bytes) => file_response(StatusCode::OK, path, bytes),
                Err(_) => not_found(&preview.dir).await,
            }
        }
        Found::File(path) => match streamed(path, headers.get(header::RANGE)).await {
            Ok(response) => response,
            Err(_) => not_found(&preview.dir).await,
        },
        Found::Folder => {
            // `/dan-van` -> `/dan-van/`, so the page's relative links work. Made
            // of the parts, not of the path as sent: `//dan-van/` would be an
            // address on another host (`http://dan-van/`).
            let mut to = folder_path(&parts);
            if let Some(query) = uri.query() {
                to = format!("{to}?{query}");
            }
            let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Found::Nothing => not_found(&preview.dir).await,
    };
    if let Found::File(path) = &found
        && runs_scripts(path)
        && is_copied_from_content(&preview, &parts)
    {
        // An SVG or a page copied into content/ (from an old portal, from the
        // web) would run its scripts at this server's address, the editor's:
        // they could write content/ through the editing API. Shown without them.
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox"),
        );
    }
    response
}

/// Whether a browser runs the scripts of a file of this type opened by itself.
fn runs_scripts(path: &Path) -> bool {
    let kind = content_type(path);
    [
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "application/xml",
        "text/xml",
    ]
    .iter()
    .any(|scripted| kind.starts_with(scripted))
}

/// Whether the file the request names is one the build copied from
/// `content/` as it is (not a page the build made).
fn is_copied_from_content(preview: &Preview, parts: &[String]) -> bool {
    // Published under its NFC name, it may be decomposed (NFD) in content/.
    let source = on_disk(&preview.content, &parts.join("/"));
    // `/old/` is `content/old/index.html` when the build copied that.
    source.is_file() || source.join("index.html").is_file()
}

/// The decoded parts of a request path, or `None` if one is `.` or `..` (plain or
/// percent-encoded, `%2f` included), holds `\` or NUL, or the path is not UTF-8.
pub fn request_parts(path: &str) -> Option<Vec<String>> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        if part == "." || part == ".." || part.contains(['\\', '\0']) {
            return None;
        }
        if !part.is_empty() {
            parts.push(part.to_string());
        }
    }
    Some(parts)
}

/// What a path's part keeps unencoded in a redirect: everything but what would
/// end the part, the path or the header.
const PART: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// `/dan-van/2014/` for the parts `dan-van`, `2014`.
fn folder_path(parts: &[String]) -> String {
    let mut path = String::from("/");
    for part in parts {
        path.extend(utf8_percent_encode(part, PART));
        path.push('/');
    }
    path
}

#[derive(Debug, PartialEq)]
enum Found {
    File(PathBuf),
    /// A folder asked for without its closing `/`.
    Folder,
    Nothing,
}

/// The file `parts` names in `dir`, following symbolic links only if they stay
/// inside `dir`; `slash`: the request path ended with `/`.
fn resolve(dir: &Path, parts: &[String], slash: bool) -> Found {
    let Ok(base) = dir.canonicalize() else {
        return Found::Nothing;
    };
    let mut path = base.clone();
    path.extend(parts);
    let Ok(real) = path.canonicalize() else {
        return Found::Nothing;
    };
    if !real.starts_with(&base) {
        return Found::Nothing;
    }
    if real.is_dir() {
        let index = real.join("index.html");
        return if !slash {
            Found::Folder
        } else if index.is_file() {
            Found::File(index)
        } else {
            Found::Nothing
        };
    }
    if real.is_file() {
        Found::File(real)
    } else {
        Found::Nothing
    }
}

async fn not_found(dir: &Path) -> Response {
    let page = dir.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => file_response(StatusCode::NOT_FOUND, &page, bytes),
        // No page built yet (the first build failed): the script still shows why.
        Err(_) => file_response(
            StatusCode::NOT_FOUND,
            Path::new("404.html"),
            b"<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>bantin serve</title>\
              <body><p>Kh\xc3\xb4ng c\xc3\xb3 trang n\xc3\xa0y.</p></body></html>"
                .to_vec(),
        ),
    }
}

/// A file other than a page, sent as it is read, so that a film of some
/// hundreds of megabytes is never held whole in memory (once for every
/// request); in part when a `Range` asks for one, as a browser seeking in a
/// video does.
async fn streamed(path: &Path, range: Option<&HeaderValue>) -> std::io::Result<Response> {
    let mut file = tokio::fs::File::open(path).await?;
    let len = file.metadata().await?.len();
    let (status, start, end) = match byte_range(range, len) {
        Some(Ok((first, last))) => (StatusCode::PARTIAL_CONTENT, first, last + 1),
        None => (StatusCode::OK, 0, len),
        Some(Err(Unsatisfiable)) => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{len}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return Ok(response);
        }
    };
    file.seek(std::io::SeekFrom::Start(start)).await?;
    let body = Body::from_stream(ReaderStream::with_capacity(
        file.take(end - start),
        64 * 1024,
    ));
    let mut response = (status, body).into_response();
    set_type(&mut response, &content_type(path));
    no_store(&mut response);
    let headers = response.headers_mut();
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start));
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{}/{len}", end - 1))
    {
        headers.insert(header::CONTENT_RANGE, value);
    }
    Ok(response)
}

/// A `Range` that lies wholly past the end of the file.
#[derive(Debug, PartialEq)]
struct Unsatisfiable;

/// The one byte range (first and last byte) a `Range` header asks of a file of
/// `len` bytes; `None` for the whole file: no header, or one this server
/// answers whole, as HTTP allows (several ranges, another unit, nonsense).
fn byte_range(header: Option<&HeaderValue>, len: u64) -> Option<Result<(u64, u64), Unsatisfiable>> {
    let spec = header?.to_str().ok()?.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    let (first, last) = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(first), Ok(last)) if first <= last => (first, last.min(len.saturating_sub(1))),
        (Ok(first), Err(_)) if last.is_empty() => (first, len.saturating_sub(1)),
        // The last `n` bytes.
        (Err(_), Ok(n)) if first.is_empty() => {
            if n == 0 {
                return Some(Err(Unsatisfiable));
            }
            (len.saturating_sub(n), len.saturating_sub(1))
        }
        _ => return None,
    };
    if first >= len {
        return Some(Err(Unsatisfiable));
    }
    Some(Ok((first, last)))
}

fn file_response(status: StatusCode, path: &Path, bytes: Vec<u8>) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        with_script(&bytes)
    } else {
        bytes
    };
    let mut response = (status, Body::from(body)).into_response();
    set_type(&mut response, &kind);
    no_store(&mut response);
    response
}

/// The content type of a built file, with `charset=utf-8` for text.
pub fn content_type(path: &Path) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let known = match ext.as_str() {
        "html" | "htm" => Some("text/html"),
        "css" => Some("text/css"),
        "js" | "mjs" => Some("text/javascript"),
        "json" => Some("application/json"),
        "xml" => Some("application/xml"),
        "txt" => Some("text/plain"),
        "svg" => Some("image/svg+xml"),
        _ => None,
    };
    let kind = known.map_or_else(
        || {
            mime_guess::from_ext(&ext)
                .first_or_octet_stream()
                .to_string()
        },
        str::to_string,
    );
    let textual =
        kind.starts_with("text/") || kind == "application/json" || kind == "application/xml";
    if textual {
        format!("{kind}; charset=utf-8")
    } else {
        kind
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    set_type(&mut response, "text/plain; charset=utf-8");
    response
}

fn set_type(response: &mut Response, kind: &str) {
    if let Ok(value) = HeaderValue::from_str(kind) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
}

/// The preview changes under the browser: never let it keep a stale copy.
fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbing_paths_are_refused_however_encoded() {
        for bad in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/%2E%2E/site.yaml",
            "/..%2fsite.yaml",
            "/a/..%2f..%2fsite.yaml",
            "/.%2e/site.yaml",
            "/a/%2e/b",
            "/..%5csite.yaml",
            "/a%00.html",
            "/%ff",
        ] {
            assert_eq!(request_parts(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_names_of_this_computer_are_answered_on_loopback() {
        for own in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LOCALHOST",
            "localhost.:1111",
            "ban-tin.localhost:1111",
            "[::1]:1111",
            "127.8.9.10:80",
        ] {
            assert!(names_this_computer(&HeaderValue::from_static(own)), "{own}");
        }
        for foreign in [
            "attacker.example:1111",
            "attacker.example",
            "localhost.attacker.example:1111",
            "0.0.0.0:1111",
            "192.168.1.5:1111",
            "[::ffff:127.0.0.1]:1111",
            "127.0.0.1.nip.io:1111",
            "",
        ] {
            assert!(
                !names_this_computer(&HeaderValue::from_static(foreign)),
                "{foreign}"
            );
        }
    }

    #[test]
    fn folder_redirects_stay_on_this_host() {
        let parts = request_parts("//dan-van").unwrap();
        assert_eq!(folder_path(&parts), "/dan-van/");
        let parts = request_parts("/d%C3%A2n%20v%E1%BA%ADn/50%25%3F").unwrap();
        assert_eq!(folder_path(&parts), "/d%C3%A2n%20v%E1%BA%ADn/50%25%3F/");
    }

    #[test]
    fn one_byte_range_is_read_as_http_says() {
        let range =
            |text: &'static str, len| byte_range(Some(&HeaderValue::from_static(text)), len);
        assert_eq!(range("bytes=0-99", 1000), Some(Ok((0, 99))));
        assert_eq!(range("bytes=500-", 1000), Some(Ok((500, 999))));
        assert_eq!(range("bytes=-100", 1000), Some(Ok((900, 999))));
        assert_eq!(range("bytes=-5000", 1000), Some(Ok((0, 999))));
        assert_eq!(range("bytes=990-5000", 1000), Some(Ok((990, 999))));
        assert_eq!(range("bytes=1000-", 1000), Some(Err(Unsatisfiable)));
        assert_eq!(range("bytes=0-", 0), Some(Err(Unsatisfiable)));
        assert_eq!(range("bytes=-0", 1000), Some(Err(Unsatisfiable)));
        // Answered whole: several ranges, nonsense, another unit.
        for whole in [
            "bytes=0-1,5-9",
            "bytes=9-5",
            "bytes=a-b",
            "bytes=-",
            "items=0-1",
            "bytes=18446744073709551616-",
        ] {
            assert_eq!(range(whole, 1000), None, "{whole}");
        }
        assert_eq!(byte_range(None, 1000), None);
    }

    #[test]
    fn vietnamese_paths_are_decoded() {
        assert_eq!(
            request_parts("/d%C3%A2n-v%E1%BA%ADn//index.html"),
            Some(vec!["dân-vận".to_string(), "index.html".to_string()])
        );
        assert_eq!(request_parts("/"), Some(vec![]));
    }

    #[test]
    fn content_types_name_utf8_for_text() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.1a.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("anh.JPG")), "image/jpeg");
        assert_eq!(
            content_type(Path::new("sitemap.xml")),
            "application/xml; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("index.bin")),
            "application/octet-stream"
        );
    }

    #[test]
    fn links_out_of_the_folder_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("a")).unwrap();
        std::fs::write(site.join("a/index.html"), "tin").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("link.txt")).unwrap();
        let parts = |p: &str| request_parts(p).unwrap();
        assert_eq!(resolve(&site, &parts("/link.txt"), false), Found::Nothing);
        assert_eq!(resolve(&site, &parts("/a"), false), Found::Folder);
        assert_eq!(
            resolve(&site, &parts("/a/index.html"), false),
            Found::File(site.canonicalize().unwrap().join("a/index.html"))
        );
    }
}
