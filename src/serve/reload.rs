//! The live-reload script that `bantin serve` adds to every HTML page it sends.
//! It is added when the page is sent, never written to the preview files, so what
//! `serve` builds stays byte for byte what `bantin build` writes.

/// Listens to the server's events (`/__bantin/events`): `reload` reloads the page;
/// `css` swaps the stylesheets for the new ones without a reload; `broken` shows the
/// build's errors over the page (as text, never as HTML); `ok` removes them.
/// The stream starts with the current state, so a page opened while the site is
/// broken shows the errors at once; one that reconnects after losing the server
/// reloads. `window.bantinLive` tells tests it is listening.
pub const SCRIPT: &str = r#"<script>
(() => {
  const id = "bantin-errors";
  const show = (text) => {
    let box = document.getElementById(id);
    if (!box) {
      box = document.createElement("pre");
      box.id = id;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;margin:0;padding:1.5rem;overflow:auto;" +
        "background:#2b0a0a;color:#fff;font:15px/1.5 monospace;white-space:pre-wrap;opacity:.96";
      document.documentElement.appendChild(box);
    }
    box.textContent = "bantin serve: the last edit broke the site; these are the last good pages.\n\n" + text;
  };
  const hide = () => { const box = document.getElementById(id); if (box) box.remove(); };
  const swapStylesheets = async () => {
    const response = await fetch(location.href, { cache: "no-store" });
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const hrefs = [...fresh.querySelectorAll('link[rel="stylesheet"]')].map((l) => l.getAttribute("href"));
    const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
    if (hrefs.length !== links.length) return location.reload();
    links.forEach((link, i) => { if (link.getAttribute("href") !== hrefs[i]) link.setAttribute("href", hrefs[i]); });
  };
  const source = new EventSource("/__bantin/events");
  // Connected again after losing the server (restarted?): the page may be stale.
  let opened = 0;
  source.addEventListener("open", () => { if (opened++ > 0) location.reload(); });
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("css", () => { hide(); swapStylesheets().catch(() => location.reload()); });
  source.addEventListener("broken", (e) => { window.bantinLive = "broken"; show(JSON.parse(e.data)); });
  source.addEventListener("ok", () => { window.bantinLive = "ok"; hide(); });
})();
</script>
"#;

/// `html` with [`SCRIPT`] added before its last `</body>` (or at its end).
pub fn with_script(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_closing_body() {
        let page = b"<html><body><p>Tin</p></BODY></html>";
        let out = String::from_utf8(with_script(page)).unwrap();
        assert!(out.starts_with("<html><body><p>Tin</p><script>"));
        assert!(out.ends_with("</script>\n</BODY></html>"));
    }

    #[test]
    fn a_page_without_body_gets_the_script_at_its_end() {
        let out = String::from_utf8(with_script(b"<p>x</p>")).unwrap();
        assert!(out.starts_with("<p>x</p><script>"));
    }

    #[test]
    fn errors_are_shown_as_text_never_as_html() {
        assert!(SCRIPT.contains("textContent"));
        assert!(!SCRIPT.contains("innerHTML"));
    }
}
