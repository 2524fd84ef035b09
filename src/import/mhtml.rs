//! Pages saved as one file: "Save page as… Webpage, Single File" in Chrome and
//! Edge writes `.mhtml` (Internet Explorer `.mht`), a MIME message (RFC 2557)
//! whose parts are the page and its pictures, each named by its address
//! (`Content-Location`). The page part is read as any saved page, its address as
//! the page's old address, and the pictures it shows are copied from the parts.

use base64::Engine as _;

/// A web archive's page and the files saved with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebArchive {
    /// The page's HTML, as saved (its bytes, in its charset).
    pub html: Vec<u8>,
    /// The page's address (`Content-Location` of the page part).
    pub location: Option<String>,
    /// The other parts: (address, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

/// Reads a web archive; `None` if the bytes are not a MIME message with an HTML part.
pub fn read_web_archive(bytes: &[u8]) -> Option<WebArchive> {
    let text = String::from_utf8_lossy(bytes);
    let (head, _) = split_headers(&text)?;
    let boundary = header_param(&header(head, "content-type")?, "boundary")?;
    let delimiter = format!("--{boundary}");
    let mut archive = WebArchive::default();
    let mut has_html = false;
    // The first piece is the preamble; the one after the closing `--boundary--`, too.
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.trim_start_matches(['\r', '\n']);
        let Some((headers, body)) = split_headers(part) else {
            continue;
        };
        let body = body
            .strip_suffix("\r\n")
            .or_else(|| body.strip_suffix('\n'))
            .unwrap_or(body);
        let kind = header(headers, "content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let location = header(headers, "content-location");
        let data = match header(headers, "content-transfer-encoding")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "base64" => {
                let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
                base64::engine::general_purpose::STANDARD
                    .decode(clean)
                    .unwrap_or_default()
            }
            "quoted-printable" => quoted_printable(body),
            _ => body.as_bytes().to_vec(),
        };
        if !has_html && kind.starts_with("text/html") {
            has_html = true;
            archive.html = data;
            archive.location = location;
        } else if let Some(location) = location {
            archive.files.push((location, data));
        }
    }
    has_html.then_some(archive)
}

/// Headers and body of a message or part: split at the first empty line.
fn split_headers(text: &str) -> Option<(&str, &str)> {
    let crlf = text.find("\r\n\r\n").map(|i| (i, 4));
    let lf = text.find("\n\n").map(|i| (i, 2));
    let (at, len) = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some((&text[..at], &text[at + len..]))
}

/// A header's value, its folded lines joined.
fn header(headers: &str, name: &str) -> Option<String> {
    let mut value: Option<String> = None;
    let mut in_it = false;
    for line in headers.lines() {
        if line.starts_with([' ', '\t']) {
            if in_it && let Some(v) = value.as_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        in_it = false;
        if value.is_none()
            && let Some((key, rest)) = line.split_once(':')
            && key.trim().eq_ignore_ascii_case(name)
        {
            value = Some(rest.trim().to_string());
            in_it = true;
        }
    }
    value
}

/// `boundary` of `multipart/related; boundary="----MultipartBoundary--abc"`.
fn header_param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|param| {
        let (key, v) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
    })
}

/// Quoted-printable (`=C3=A1`, `=` at a line's end joins it to the next).
fn quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'=' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let rest = &bytes[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3;
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if rest.len() >= 2
            && let Ok(byte) = u8::from_str_radix(&String::from_utf8_lossy(&rest[..2]), 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARCHIVE: &str = "From: <Saved by Blink>\r\nSnapshot-Content-Location: http://q3.example.gov.vn/tin/a.html\r\nSubject: Tin\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--xyz----\"\r\n\r\n\r\n------MultipartBoundary--xyz----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: http://q3.example.gov.vn/tin/a.html\r\n\r\n<html><body><h1>H=E1=BB=99i ngh=E1=BB=8B</h1><img src=3D\"http://q3.example.gov.vn/i=\r\nmages/a.jpg\"></body></html>\r\n------MultipartBoundary--xyz----\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\nContent-Location: http://q3.example.gov.vn/images/a.jpg\r\n\r\n/9j/4A==\r\n------MultipartBoundary--xyz------\r\n";

    #[test]
    fn the_page_and_its_pictures_are_read() {
        let archive = read_web_archive(ARCHIVE.as_bytes()).unwrap();
        let html = String::from_utf8(archive.html).unwrap();
        assert_eq!(
            html,
            "<html><body><h1>Hội nghị</h1><img src=\"http://q3.example.gov.vn/images/a.jpg\"></body></html>"
        );
        assert_eq!(
            archive.location.as_deref(),
            Some("http://q3.example.gov.vn/tin/a.html")
        );
        assert_eq!(
            archive.files,
            [(
                "http://q3.example.gov.vn/images/a.jpg".to_string(),
                vec![0xFF, 0xD8, 0xFF, 0xE0]
            )]
        );
    }

    proptest::proptest! {
        /// Whatever follows a web archive's headers, it is read or refused, never a panic.
        #[test]
        fn any_parts_are_read_or_refused(tail in proptest::collection::vec(proptest::sample::select(vec![
            "\r\n", "\n", "--b", "--b--", "Content-Type: text/html", "Content-Transfer-Encoding: base64",
            "Content-Transfer-Encoding: quoted-printable", "=", "=C3", "=A", "ộ", "Content-Location: x", ":", " ", "\t",
        ]), 0..60)) {
            let text = format!("Content-Type: multipart/related; boundary=\"b\"\r\n\r\n{}", tail.concat());
            let _ = read_web_archive(text.as_bytes());
        }
    }

    #[test]
    fn other_bytes_are_no_archive() {
        assert!(read_web_archive(b"<html><body>x</body></html>").is_none());
        assert!(read_web_archive(b"").is_none());
    }
}
