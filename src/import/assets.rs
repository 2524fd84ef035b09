//! The images and attachments an old page links, found where they were saved with it
//! (a mirror's `images/` and `Uploads/` folders, a browser's `Trang_files/` folder),
//! copied into content/ and linked there, so that the archive does not depend on
//! the closed portal's host.
//!
//! A file is looked for only inside the folder that was imported: a hacked page's
//! `../../../etc/passwd.pdf` finds nothing.

use std::path::{Component, Path, PathBuf};

use super::html::{Reference, markdown_url};

/// File endings copied: pictures and the attachments portals offered for download.
/// (No `.svg`: a picture that can carry a script.)
#[rustfmt::skip]
const COPIED: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "pdf", "doc", "docx", "xls", "xlsx",
    "ppt", "pptx", "odt", "ods", "odp", "rtf", "zip", "rar", "7z", "mp3", "mp4",
];

/// Where a page was saved: what its links may be found against.
#[derive(Debug, Clone)]
pub struct SavedPlace {
    /// The folder the page sits in.
    pub page_dir: PathBuf,
    /// The folder that was imported (or the page's own folder for a page named on
    /// the command line): no file outside it is read.
    pub input_root: PathBuf,
    /// A mirror's host folder (`quan3.example.gov.vn/`) and its host, when the
    /// page sits in one: `/images/a.jpg` and `http://host/images/a.jpg` are there.
    pub mirror: Option<(String, PathBuf)>,
    /// The host of the page's old address: its files that were not saved are
    /// reported, another host's are not the page's.
    pub own_host: Option<String>,
    /// The files saved inside a web archive (`.mhtml`) with the page: (address, bytes).
    pub embedded: Vec<(String, Vec<u8>)>,
}

/// An image or attachment of the page found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFile {
    /// The address as the article's Markdown writes it now.
    pub markdown: String,
    pub image: bool,
    pub path: PathBuf,
    /// Its place under content/, as the old portal had it when known
    /// (`Uploads/files/kh.pdf`, so its old address still works), else `None`:
    /// beside the article.
    pub old_path: Option<String>,
    /// Its bytes, when it was saved inside a web archive rather than on disk.
    pub bytes: Option<Vec<u8>>,
    /// Its name, with its ending (`bao-cao.pdf`), for a copy beside the article.
    pub name: String,
}

/// What became of the page's images and attachments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageFiles {
    /// Content-relative paths of the files copied (or that would be).
    pub copied: Vec<String>,
    /// Files the page links that were not saved with it: (address as the page
    /// wrote it, whether it is an image).
    pub missing: Vec<(String, bool)>,
}

/// The page's images and attachments found on disk, and those that look like
/// files of the old portal but were not saved.
pub fn find_saved_files(
    references: &[Reference],
    place: &SavedPlace,
) -> (Vec<SavedFile>, Vec<(String, bool)>) {
    let mut found: Vec<SavedFile> = Vec::new();
    let mut missing = Vec::new();
    let root = place.input_root.canonicalize().ok();
    for reference in references {
        if !is_copied(&reference.written) {
            if let Some(file) = handler_download(reference, place, root.as_deref())
                && !found.iter().any(|f| f.markdown == reference.markdown)
            {
                found.push(file);
            }
            continue;
        }
        if let Some((address, bytes)) = place
            .embedded
            .iter()
            .find(|(address, _)| markdown_url(address) == reference.markdown)
        {
            if !found.iter().any(|f| f.markdown == reference.markdown) {
                found.push(SavedFile {
                    markdown: reference.markdown.clone(),
                    image: reference.image,
                    path: PathBuf::from(file_name_of(address)),
                    old_path: None,
                    bytes: Some(bytes.clone()),
                    name: file_name_of(copied_name(address).unwrap_or(address)),
                });
            }
            continue;
        }
        let Some(candidates) = candidates(&reference.written, place) else {
            if is_own_file(&reference.written, place)
                && !missing.iter().any(|(w, _)| *w == reference.written)
            {
                missing.push((reference.written.clone(), reference.image));
            }
            continue; // another host's file, or not a file
        };
        let path = candidates.into_iter().find_map(|c| {
            let real = c.canonicalize().ok()?;
            (real.is_file() && root.as_ref().is_some_and(|r| real.starts_with(r))).then_some(real)
        });
        match path {
            Some(path) => {
                if found.iter().any(|f| f.markdown == reference.markdown) {
                    continue;
                }
                let old_path = place.mirror.as_ref().and_then(|(_, mirror)| {
                    let mirror = mirror.canonicalize().ok()?;
                    let rel = path.strip_prefix(&mirror).ok()?;
                    let mut parts: Vec<String> = rel
                        .components()
                        .map(|c| match c {
                            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                            _ => None,
                        })
                        .collect::<Option<_>>()?;
                    // `6c1b?version=1.0` (or `6c1b@version=1.0`) as wget saved it: the
                    // address without its query.
                    if reference.written.contains('?')
                        && let Some(last) = parts.last_mut()
                        && let Some(at) = last.find(['?', '@'])
                    {
                        last.truncate(at);
                    }
                    // A browser's `Trang_files/` folder names no address of the portal.
                    let browser_folder = parts[..parts.len().saturating_sub(1)]
                        .iter()
                        .any(|p| p.ends_with("_files"));
                    (!browser_folder && !parts.is_empty()).then(|| parts.join("/"))
                });
                let on_disk = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = if is_copied(&on_disk) {
                    on_disk
                } else {
                    file_name_of(copied_name(&reference.written).unwrap_or(&on_disk))
                };
                found.push(SavedFile {
                    markdown: reference.markdown.clone(),
                    image: reference.image,
                    path,
                    old_path,
                    bytes: None,
                    name,
                });
            }
            None => {
                if !missing.iter().any(|(w, _)| *w == reference.written) {
                    missing.push((reference.written.clone(), reference.image));
                }
            }
        }
    }
    (found, missing)
}

/// An attachment the old portal served from a script (`LinkClick.aspx?fileticket=…`
/// of DotNetNuke, `DownloadFile.aspx?FileID=5`), when the crawler saved its answer
/// under the script's name with the query (`LinkClick.aspx?fileticket=…`, or `@`
/// for `?` on Windows) and that answer is a document or picture, not a page: copied
/// beside the article, named after the script and query with the ending its bytes
/// show (`LinkClick-fileticket-x7m-tabid-55.pdf`).
fn handler_download(
    reference: &Reference,
    place: &SavedPlace,
    root: Option<&Path>,
) -> Option<SavedFile> {
    let written = reference.written.trim();
    let without_fragment = written.split('#').next()?;
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let script = path.rsplit('/').next()?;
    let (stem, ending) = script.rsplit_once('.')?;
    if !["aspx", "ashx", "asp", "php", "jsp"].contains(&ending.to_ascii_lowercase().as_str()) {
        return None;
    }
    let root = root?;
    let path = candidates(written, place)?.into_iter().find_map(|c| {
        let real = c.canonicalize().ok()?;
        (real.is_file() && real.starts_with(root)).then_some(real)
    })?;
    let ending = document_ending(&path)?;
    let query = percent_encoding::percent_decode_str(query).decode_utf8_lossy();
    let words: Vec<&str> = std::iter::once(stem)
        .chain(query.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let mut name = words.join("-");
    name.truncate(80);
    Some(SavedFile {
        markdown: reference.markdown.clone(),
        image: reference.image,
        path,
        old_path: None,
        bytes: None,
        name: format!("{}.{ending}", name.trim_end_matches('-')),
    })
}

/// The ending the first bytes of the file at `path` show, when it is a document or
/// a picture rather than a page.
pub fn document_ending(path: &Path) -> Option<&'static str> {
    saved_ending(&file_head(path))
}

/// The first 4 KiB of the file at `path` (all of a shorter one; nothing if it
/// cannot be read): enough to tell what it holds.
pub fn file_head(path: &Path) -> Vec<u8> {
    let mut head = Vec::with_capacity(4096);
    if let Ok(file) = std::fs::File::open(path)
        && std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head).is_err()
    {
        head.clear();
    }
    head
}

/// The ending a saved answer's first bytes show: a document or a picture; `None`
/// for anything else (an HTML page, an error page).
pub fn saved_ending(head: &[u8]) -> Option<&'static str> {
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    Some(match head {
        [b'%', b'P', b'D', b'F', ..] => "pdf",
        [0xD0, 0xCF, 0x11, 0xE0, ..] => "doc",
        [b'P', b'K', 3, 4, ..] if contains(b"word/") => "docx",
        [b'P', b'K', 3, 4, ..] if contains(b"xl/") => "xlsx",
        [b'P', b'K', 3, 4, ..] if contains(b"ppt/") => "pptx",
        [b'P', b'K', 3, 4, ..] => "zip",
        [b'R', b'a', b'r', b'!', ..] => "rar",
        [b'{', b'\\', b'r', b't', b'f', ..] => "rtf",
        [0xFF, 0xD8, 0xFF, ..] => "jpg",
        [0x89, b'P', b'N', b'G', ..] => "png",
        [b'G', b'I', b'F', b'8', ..] => "gif",
        _ => return None,
    })
}

/// `http://q.vn/anh/H%E1%BB%99i%20ngh%E1%BB%8B.jpg?v=2` -> `Hội nghị.jpg`: a file
/// name of the address, without anything that could name a folder.
fn file_name_of(address: &str) -> String {
    let path = address.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    let name = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let name: String = name
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ':') && !c.is_control())
        .collect();
    let name = name.trim_start_matches('.');
    if name.is_empty() {
        "tep".to_string()
    } else {
        name.to_string()
    }
}

/// Whether the address names a picture or an attachment by its ending.
/// Also `/documents/10180/0/bao-cao.pdf/6c1b-…`, as Liferay portals (VNPT's)
/// name their files: the name with its ending, then an identifier.
pub fn is_copied(address: &str) -> bool {
    copied_name(address).is_some()
}

/// The file name of a picture or attachment address: its last part, or the one
/// before a Liferay identifier (`bao-cao.pdf` of `…/bao-cao.pdf/6c1b-…`).
fn copied_name(address: &str) -> Option<&str> {
    let path = address.split(['?', '#']).next().unwrap_or_default();
    let mut parts = path.rsplit('/');
    let has_ending = |name: &str| {
        name.rsplit_once('.')
            .is_some_and(|(_, ext)| COPIED.contains(&ext.to_ascii_lowercase().as_str()))
    };
    let last = parts.next()?;
    if has_ending(last) {
        return Some(last);
    }
    let before = parts.next()?;
    let identifier = !last.is_empty() && last.len() >= 8 && !last.contains('.');
    (identifier && has_ending(before)).then_some(before)
}

/// The places on disk `written` may have been saved at; `None` for an address
/// of another host (or a `mailto:`), which is no file of the page.
fn candidates(written: &str, place: &SavedPlace) -> Option<Vec<PathBuf>> {
    let written = written.trim();
    let lower = written.to_ascii_lowercase();
    let path = written.split(['?', '#']).next().unwrap_or_default();
    let (base, rel): (&Path, &str) = if let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .or_else(|| lower.strip_prefix("//"))
    {
        let (mirror_host, mirror) = place.mirror.as_ref()?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if !same_host(host, mirror_host) {
            return None;
        }
        let start = written.len() - rest.len() + host.len();
        let from_host = written[start..]
            .split(['?', '#'])
            .next()
            .unwrap_or_default();
        (mirror.as_path(), from_host.trim_start_matches('/'))
    } else if has_scheme(&lower) {
        return None; // `mailto:`, `tel:`, `ftp:`: not a saved file
    } else if let Some(from_root) = path.strip_prefix('/') {
        let root = place
            .mirror
            .as_ref()
            .map_or(place.input_root.as_path(), |(_, m)| m.as_path());
        (root, from_root)
    } else {
        (place.page_dir.as_path(), path)
    };
    let mut out = Vec::new();
    // Saved names are the decoded ones (`Hội nghị.jpg` for `H%E1%BB%99i...`), but a
    // crawler may have kept the escapes.
    if let Ok(decoded) = percent_encoding::percent_decode_str(rel).decode_utf8() {
        out.push(base.join(decoded.as_ref()));
    }
    out.push(base.join(rel));
    // wget keeps a query in the file's name: `6c1b?version=1.0`, or `6c1b@version=1.0`
    // on Windows.
    if let Some(query) = written
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))
        && !query.is_empty()
        && !query.contains(['/', '\\'])
    {
        out.push(base.join(format!("{rel}?{query}")));
        out.push(base.join(format!("{rel}@{query}")));
    }
    Some(out)
}

/// An absolute address on the page's own host (a file of the closed portal).
fn is_own_file(written: &str, place: &SavedPlace) -> bool {
    let lower = written.trim().to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .or_else(|| lower.strip_prefix("//"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    place
        .own_host
        .as_deref()
        .is_some_and(|own| same_host(host, own))
}

fn has_scheme(address: &str) -> bool {
    address.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    })
}

fn same_host(a: &str, b: &str) -> bool {
    let strip = |h: &str| {
        let h = h.to_ascii_lowercase();
        h.strip_prefix("www.").map(str::to_string).unwrap_or(h)
    };
    strip(a) == strip(b)
}

/// The endings of the hosts portals had. Only these: a user's folder named
/// `anh.nguyen` (as Windows names them) is no host.
const HOST_ENDINGS: &[&str] = &[
    "vn", "com", "net", "org", "gov", "edu", "info", "biz", "int", "asia", "site", "online",
];

/// `quan3.example.gov.vn`, `www.ubnd-q2.hochiminhcity.gov.vn`: a folder a crawler
/// (`wget --mirror`, HTTrack) named after the host it saved.
pub fn is_host_name(name: &str) -> bool {
    let name = name.split(':').next().unwrap_or_default();
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| HOST_ENDINGS.contains(&tld.to_ascii_lowercase().as_str()))
}

/// The body with each address of a copied file replaced by its new one.
pub fn relink(body: &str, moves: &[(String, String)]) -> String {
    let mut body = body.to_string();
    for (old, new) in moves {
        let new = markdown_url(new);
        for end in [")", " \""] {
            body = body.replace(&format!("]({old}{end}"), &format!("]({new}{end}"));
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_folders_are_told_from_other_folders() {
        assert!(is_host_name("quan3.hochiminhcity.gov.vn"));
        assert!(is_host_name("www.phuong5.example.vn:8080"));
        assert!(!is_host_name("tin-tuc"));
        assert!(!is_host_name("Tiếp xúc cử tri_files"));
        assert!(!is_host_name("2022.10"));
        assert!(!is_host_name("trang.html"));
        assert!(!is_host_name("anh.nguyen"));
        assert!(is_host_name("ubndquan3.com"));
    }

    #[test]
    fn links_are_moved_with_and_without_captions() {
        let body = "![a](http://q.vn/a%20b.jpg \"Hội nghị\")\n[tệp](http://q.vn/k.pdf), [k](http://q.vn/k.pdf)";
        let moves = vec![
            (
                "http://q.vn/a%20b.jpg".to_string(),
                "/images/a b.jpg".to_string(),
            ),
            (
                "http://q.vn/k.pdf".to_string(),
                "/Uploads/k.pdf".to_string(),
            ),
        ];
        assert_eq!(
            relink(body, &moves),
            "![a](/images/a%20b.jpg \"Hội nghị\")\n[tệp](/Uploads/k.pdf), [k](/Uploads/k.pdf)"
        );
    }

    #[test]
    fn only_files_of_the_page_are_candidates() {
        let place = SavedPlace {
            page_dir: PathBuf::from("/m/q.vn/tin"),
            input_root: PathBuf::from("/m"),
            mirror: Some(("q.vn".into(), PathBuf::from("/m/q.vn"))),
            own_host: None,
            embedded: Vec::new(),
        };
        assert_eq!(
            candidates("http://www.q.vn/images/a.jpg", &place).unwrap()[0],
            PathBuf::from("/m/q.vn/images/a.jpg")
        );
        assert_eq!(
            candidates("/Uploads/k%20h.pdf?v=2", &place).unwrap()[0],
            PathBuf::from("/m/q.vn/Uploads/k h.pdf")
        );
        assert_eq!(
            candidates("../images/a.jpg", &place).unwrap()[0],
            PathBuf::from("/m/q.vn/tin/../images/a.jpg")
        );
        assert!(candidates("https://other.vn/a.jpg", &place).is_none());
        assert!(is_copied(
            "/documents/10180/0/bao-cao.pdf/6c1b2f3e-aa?version=1.0"
        ));
        assert!(!is_copied("/tin-tuc/hoi-nghi/6c1b2f3e-aa"));
        assert!(!is_copied("/tin-tuc/hoi-nghi.html"));
        assert!(candidates("mailto:a@q.vn", &place).is_none());
    }
}
