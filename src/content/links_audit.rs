//! Links planted in bodies: hidden links to other hosts, and visible links to
//! betting sites.
//!
//! Hundreds of `.gov.vn` portals were found in 2022 carrying links to betting
//! sites, mostly hidden from readers (`display:none`, a zero-sized box, text
//! pushed off the screen) and aimed at search engines. A hidden link to another
//! host has no honest use in an article, so the build refuses it; a visible link
//! whose host or text matches the patterns of `betting_patterns.txt` is a warning
//! (an error under `bantin check --strict`).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Node};

use super::text::slugify;

/// The patterns of `betting_patterns.txt`, read once.
static PATTERNS: LazyLock<BettingPatterns> =
    LazyLock::new(|| BettingPatterns::parse(include_str!("betting_patterns.txt")));

/// What marks a link as a betting link; see `betting_patterns.txt`.
#[derive(Debug, Default)]
pub struct BettingPatterns {
    /// Looked for inside host names (separators removed): (as written, folded).
    in_hosts: Vec<(String, String)>,
    /// Looked for as whole words of a link's text: (as written, `-slug-`).
    in_text: Vec<(String, String)>,
    /// Host suffixes whose links are not flagged for their text alone.
    trusted: Vec<String>,
    /// The brands (`both`) as words: (as written, `-slug-`).
    brands: Vec<(String, String)>,
}

impl BettingPatterns {
    /// The compiled-in patterns.
    pub fn get() -> &'static BettingPatterns {
        &PATTERNS
    }

    fn parse(text: &str) -> BettingPatterns {
        let mut patterns = BettingPatterns::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((place, pattern)) = line.split_once(char::is_whitespace) else {
                continue;
            };
            let pattern = pattern.trim().to_string();
            let folded = slugify(&pattern);
            let host_form = folded.replace('-', "");
            match place {
                "both" => {
                    patterns
                        .brands
                        .push((pattern.clone(), format!("-{folded}-")));
                    patterns.in_hosts.push((pattern.clone(), host_form));
                    patterns.in_text.push((pattern, format!("-{folded}-")));
                }
                "text" => patterns.in_text.push((pattern, format!("-{folded}-"))),
                "host" => patterns.in_hosts.push((pattern, host_form)),
                "trust" => patterns.trusted.push(pattern.to_ascii_lowercase()),
                // A typo in the file would silently drop patterns: fail the tests.
                other => debug_assert!(false, "betting_patterns.txt: unknown place `{other}`"),
            }
        }
        patterns
    }

    /// The pattern (as written in the file) that a link to `host` reading `text`
    /// matches, if any. `host` is lower-case, as [`link_host`] gives it.
    pub fn matching(&self, host: &str, text: &str) -> Option<&str> {
        let joined: String = host.chars().filter(|c| *c != '.' && *c != '-').collect();
        let skeleton = host_skeleton(host);
        if let Some((pattern, _)) = self
            .in_hosts
            .iter()
            .find(|(_, p)| joined.contains(p) || skeleton.contains(p))
        {
            return Some(pattern);
        }
        if self.is_trusted(host) {
            return None;
        }
        let words = format!("-{}-", slugify(text));
        self.in_text
            .iter()
            .find(|(_, p)| words.contains(p.as_str()))
            .map(|(pattern, _)| pattern.as_str())
    }

    /// The betting brand (as written in the file) that `host` is named after,
    /// if any, look-alike letters read as the letters they copy: a link there
    /// leads to a betting site whatever its text, which no portal links to.
    /// (The trade's words in a host, `nhacai`, `taixiu`, may be a chance
    /// part of another name, and are only [`matching`](Self::matching).)
    pub fn betting_host(&self, host: &str) -> Option<&str> {
        let joined: String = host.chars().filter(|c| *c != '.' && *c != '-').collect();
        let skeleton = host_skeleton(host);
        self.brands
            .iter()
            .find(|(_, slug)| {
                let name = slug.trim_matches('-').replace('-', "");
                joined.contains(&name) || skeleton.contains(&name)
            })
            .map(|(pattern, _)| pattern.as_str())
    }

    /// The brand (as written in the file) named as a word of `text`, if any:
    /// unlike the trade's words (an article on fighting `cá độ` uses them),
    /// a brand has no use in a portal's text.
    pub fn brand_in(&self, text: &str) -> Option<&str> {
        let words = format!("-{}-", slugify(text));
        self.brands
            .iter()
            .find(|(_, p)| words.contains(p.as_str()))
            .map(|(pattern, _)| pattern.as_str())
    }

    fn is_trusted(&self, host: &str) -> bool {
        self.trusted.iter().any(|suffix| {
            host == suffix
                || host
                    .strip_suffix(suffix.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

/// The lower-case host of an address that leaves the site, as [`host_of`]
/// reads it, without `www.`: `HTTPS://WWW.OkVip.com:443/x` -> `okvip.com`,
/// `https://%6Fkvip.com` -> `okvip.com`.
pub fn link_host(href: &str) -> Option<String> {
    let host = host_of(href)?;
    match host.strip_prefix("www.") {
        Some(rest) if !rest.is_empty() => Some(rest.to_string()),
        _ => Some(host),
    }
}

/// The host a link leads to, read as a browser reads it, or `None` for a link
/// that stays on the page's host (relative paths, `#notes`) or leads to no
/// host (`mailto:`, `tel:`). Browsers drop tabs and newlines anywhere in a URL,
/// read `\` as `/` and `%6F` in a host as `o`, so `ht\ttps:\\%6Fkvip.com`
/// leads to `okvip.com`; the host is given as [`canonical_host`] writes it.
pub fn host_of(link: &str) -> Option<String> {
    let cleaned: String = link
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let after_scheme = ["http:", "https:", "ftp:", "ws:", "wss:"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    let authority_and_rest = match after_scheme {
        Some(rest) => rest.trim_start_matches('/'),
        None => lower.strip_prefix("//")?.trim_start_matches('/'),
    };
    let authority = authority_and_rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        // [::1]:8080
        Some(v6) => format!("[{}]", v6.split(']').next().unwrap_or_default()),
        None => host_port.split(':').next().unwrap_or_default().to_string(),
    };
    let host = percent_encoding::percent_decode_str(&host)
        .decode_utf8_lossy()
        .to_lowercase();
    let host = host.trim_end_matches('.');
    (!host.is_empty()).then(|| canonical_host(host))
}

/// `host` as a browser asks DNS for it: an international name in its ASCII
/// (punycode) form, full-width letters and dots folded, an IPv4 address
/// written in hex or as one number made plain; so that one host is one
/// name, and a look-alike (`mоj.gov.vn` with a Cyrillic `о`) shows as the
/// other host it is (`xn--mj-dmc.gov.vn`). A name a browser would refuse is
/// kept as written.
pub fn canonical_host(host: &str) -> String {
    if host.starts_with('[') {
        return host.to_string();
    }
    url::Url::parse(&format!("http://{host}/"))
        .ok()
        .and_then(|url| url.host_str().map(|h| h.trim_end_matches('.').to_string()))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| host.to_string())
}

/// The letters a reader sees in `host` (punycode read back), with tones and
/// the Cyrillic and Greek letters drawn like Latin ones taken for those, and
/// without dots and hyphens: `xn--kvip-2ve.com` (`оkvip.com`, a Cyrillic `о`)
/// and `okvíp.com` are both `okvipcom`. A brand is looked for in it, so that a
/// look-alike of a betting site's name is still that name.
fn host_skeleton(host: &str) -> String {
    let letters = match host.split('.').any(|label| label.starts_with("xn--")) {
        true => url::quirks::domain_to_unicode(host),
        false => host.to_string(),
    };
    let mut skeleton = String::with_capacity(letters.len());
    for c in letters.chars().flat_map(char::to_lowercase) {
        if let Some(latin) = drawn_like_latin(c) {
            skeleton.push(latin);
            continue;
        }
        skeleton.extend(
            super::text::fold_char(c)
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase()),
        );
    }
    skeleton
}

/// The Latin letter a lower-case Cyrillic or Greek (or other) letter is drawn
/// like, where a reader cannot tell them apart in an address bar.
fn drawn_like_latin(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ε' => 'e',
        'ɡ' => 'g',
        'һ' | 'н' => 'h',
        'і' | 'ı' | 'ι' | 'ӏ' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'п' | 'η' => 'n',
        'о' | 'ο' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' => 'u',
        'ν' | 'ѵ' => 'v',
        'ԝ' | 'ω' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' => 'y',
        _ => return None,
    })
}

/// Why `host` (as [`link_host`] gives it) only looks like a government
/// site's, if it does: `dichvucong.gov.vn.com` and `chinhphu-gov-vn.top` are
/// anyone's (a government site's name ends in `.gov.vn`, which only agencies
/// are given), and so is `mоj.gov.vn` written with a Cyrillic `о`. Such names
/// are bought to pass for a ministry's site, in planted links and in phishing.
pub fn government_look_alike(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    let is_government = host == "gov.vn" || host.ends_with(".gov.vn");
    if is_government {
        return labels
            .iter()
            .any(|label| label.starts_with("xn--"))
            .then(|| {
                let letters = url::quirks::domain_to_unicode(host);
                format!(
                    "{letters} is written with letters of another alphabet, drawn like Latin ones"
                )
            });
    }
    let ends = labels.last().copied().unwrap_or_default();
    let dressed = match ends {
        // Under .vn, `egov.vn` or `mygov.vn` may be anyone's honest name;
        // `gov` as a word of its own is the disguise: `dichvucong-gov.vn`,
        // `gov.com.vn`, `chinhphu.govvn.vn`.
        "vn" => labels[..labels.len() - 1].iter().any(|label| {
            let skeleton = host_skeleton(label);
            *label == "gov"
                || label.ends_with("-gov")
                || skeleton.contains("govvn")
                || label.contains("gov-vn")
        }),
        _ => host_skeleton(host).contains("govvn"),
    };
    dressed.then(|| format!("its name ends in .{ends}, not .gov.vn"))
}

/// `host` for a person to read: an international name (`xn--…`) with the
/// letters a reader sees beside it, so that a look-alike shows as one:
/// `xn--vetcombank-h7i.vn (vіetcombank.vn)`, the `і` a Cyrillic letter.
pub fn shown_host(host: &str) -> String {
    if !host.split('.').any(|label| label.starts_with("xn--")) {
        return host.to_string();
    }
    let letters = url::quirks::domain_to_unicode(host);
    match letters.is_empty() || letters == host {
        true => host.to_string(),
        false => format!("{host} ({letters})"),
    }
}

/// Where `source` (an article's text) writes the host `host` (as [`link_host`]
/// gives it) the `nth` time (from 0); see [`Mentions`].
pub fn mention_of(source: &str, host: &str, nth: usize) -> Option<std::ops::Range<usize>> {
    Mentions::of(source).nth(host, nth)
}

/// Where `source` (an article's text) first writes the address `address`
/// (as an HTML attribute's value is read, character references read),
/// however it is written (see [`Mentions`]): `&#x6a;un88.example/a.gif` and
/// `%6Aun88.example/a.gif` both write `https://jun88.example/a.gif`.
pub fn address_written(source: &str, address: &str) -> Option<std::ops::Range<usize>> {
    let wanted: Vec<char> = read_as_browser(address).iter().map(|r| r.0).collect();
    let (&first, _) = wanted.split_first()?;
    let read = read_as_browser(source);
    (0..read.len())
        .filter(|&i| read[i].0 == first)
        .find(|&i| {
            read.len() - i >= wanted.len()
                && read[i..i + wanted.len()]
                    .iter()
                    .map(|r| r.0)
                    .eq(wanted.iter().copied())
        })
        .map(|i| read[i].1 as usize..read[i + wanted.len() - 1].2 as usize)
}

/// The places a text writes each name, read once, so that a body's planted
/// links are each found where they are written (a body of 2,000 links was
/// read again for each, and took minutes).
///
/// A host is found however the link writes it, as a browser reads it: with
/// character references (`&#111;kvip.com`), percent escapes (`%6Fkvip.com`),
/// script escapes (`\x6Fkvip.com`), capitals, full-width letters
/// (`ＯＫＶＩＰ．com`), in the letters of its international form
/// (`vіetcombank.vn` for `xn--vetcombank-x2i.vn`), or inside a script's base64
/// or character numbers (`atob("aHR0cHM6…")`, the whole text named).
pub struct Mentions {
    /// Each name of up to [`MOST_LABELS`] labels, in lower case, with the
    /// byte ranges of the text that write it, in order.
    names: HashMap<String, Vec<std::ops::Range<usize>>>,
    /// What scripts write in base64 or character numbers, in lower case.
    encoded: Vec<(std::ops::Range<usize>, String)>,
}

/// The most labels of a name looked for (`a.b.c.d.e.f`): a run of dots in a
/// hostile text would otherwise make a number of names its length squared.
const MOST_LABELS: usize = 6;

impl Mentions {
    pub fn of(source: &str) -> Mentions {
        let read = read_as_browser(source);
        let in_name = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
        let mut names: HashMap<String, Vec<std::ops::Range<usize>>> = HashMap::new();
        let mut i = 0;
        while i < read.len() {
            if !in_name(read[i].0) {
                i += 1;
                continue;
            }
            let start = i;
            while i < read.len() && in_name(read[i].0) {
                i += 1;
            }
            let run = &read[start..i];
            // A name starts a run or follows a dot, and ends one or precedes one.
            let starts =
                (0..run.len()).filter(|&k| run[k].0 != '.' && (k == 0 || run[k - 1].0 == '.'));
            for first in starts {
                let mut labels = 0;
                for end in first + 1..=run.len() {
                    if end < run.len() && run[end].0 != '.' {
                        continue;
                    }
                    if run[end - 1].0 == '.' {
                        break;
                    }
                    labels += 1;
                    if labels > MOST_LABELS {
                        break;
                    }
                    let name: String = run[first..end].iter().map(|(c, _, _)| *c).collect();
                    let bytes = run[first].1 as usize..run[end - 1].2 as usize;
                    names.entry(name).or_default().push(bytes);
                }
            }
        }
        let encoded = encoded_in_script(source)
            .into_iter()
            .map(|(range, text)| (range, text.to_lowercase()))
            .collect();
        Mentions { names, encoded }
    }

    /// Where the text writes `host` the `nth` time (from 0), as a byte range;
    /// the last place written when it is written fewer times, `None` when
    /// nowhere.
    pub fn nth(&self, host: &str, nth: usize) -> Option<std::ops::Range<usize>> {
        let letters = url::quirks::domain_to_unicode(host).to_lowercase();
        let mut forms = vec![host.to_string()];
        if !letters.is_empty() && letters != host {
            forms.push(letters);
        }
        let mut places: Vec<std::ops::Range<usize>> = (forms.iter())
            .filter_map(|form| self.names.get(form))
            .flatten()
            .cloned()
            .collect();
        places.extend(
            (self.encoded.iter())
                .filter(|(_, text)| forms.iter().any(|form| text.contains(form.as_str())))
                .map(|(range, _)| range.clone()),
        );
        places.sort_by_key(|range| range.start);
        places.get(nth).or(places.last()).cloned()
    }
}

/// The characters of `source` as a browser reads them in an address, each
/// with the bytes of `source` it is written with: character references and
/// percent escapes read, letters in lower case, full-width letters and dots
/// (and the ideographic full stop) as their plain forms.
fn read_as_browser(source: &str) -> Vec<(char, u32, u32)> {
    use unicode_normalization::UnicodeNormalization;
    if u32::try_from(source.len()).is_err() {
        return Vec::new();
    }
    let mut read = Vec::with_capacity(source.len());
    let mut at = 0;
    while at < source.len() {
        let rest = &source[at..];
        let (c, len) = character_reference(rest)
            .or_else(|| percent_escape(rest))
            .or_else(|| script_escape(rest))
            .unwrap_or_else(|| {
                let c = rest.chars().next().unwrap_or_default();
                (c, c.len_utf8().max(1))
            });
        let c = match c {
            '。' | '．' | '｡' => '.',
            c => c,
        };
        // Below 4 GB, as seen above.
        let (start, end) = (at as u32, (at + len) as u32);
        match c.is_ascii() {
            true => read.push((c.to_ascii_lowercase(), start, end)),
            false => {
                for plain in std::iter::once(c).nfkc().flat_map(char::to_lowercase) {
                    read.push((plain, start, end));
                }
            }
        }
        at += len;
    }
    read
}

/// The character an HTML character reference at the start of `text` stands
/// for (`&#111;`, `&#x6F;`, `&period;`), and its length in bytes.
fn character_reference(text: &str) -> Option<(char, usize)> {
    let body = text.strip_prefix('&')?;
    let end = body.get(..body.len().min(12))?.find(';')?;
    let name = &body[..end];
    let c = match name.strip_prefix('#') {
        Some(number) => {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
        None => match name {
            "period" => '.',
            "sol" => '/',
            "colon" => ':',
            "amp" => '&',
            "hyphen" | "dash" => '-',
            "commat" => '@',
            _ => return None,
        },
    };
    Some((c, end + 2))
}

/// The character a script's escape at the start of `text` stands for
/// (`\x6F`, `\u006F`, `\u{6F}`), and its length in bytes.
fn script_escape(text: &str) -> Option<(char, usize)> {
    let after = text.strip_prefix('\\')?;
    let (hex, len) = if let Some(h) = after.strip_prefix('x') {
        (h.get(..2)?, 4)
    } else if let Some(h) = after.strip_prefix("u{") {
        let end = h.get(..h.len().min(8))?.find('}')?;
        (&h[..end], end + 4)
    } else {
        (after.strip_prefix('u')?.get(..4)?, 6)
    };
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((c, len))
}

/// The character the percent escapes at the start of `text` stand for
/// (`%6F`, or `%D0%BE` for a Cyrillic `о`), and their length in bytes.
fn percent_escape(text: &str) -> Option<(char, usize)> {
    let byte_at = |i: usize| {
        let hex = text.get(i * 3..i * 3 + 3)?.strip_prefix('%')?;
        u8::from_str_radix(hex, 16).ok()
    };
    let first = byte_at(0)?;
    let count = match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return None,
    };
    let bytes: Vec<u8> = (0..count).map(byte_at).collect::<Option<_>>()?;
    let c = std::str::from_utf8(&bytes).ok()?.chars().next()?;
    Some((c, count * 3))
}

/// The letters a reader sees in `host`, when one of its names mixes Latin
/// letters with letters of another alphabet drawn like Latin ones:
/// `xn--vetcombank-h7i.vn` is `vіetcombank.vn`, its `і` Cyrillic. No one
/// names a site so but to pass for another's (a bank's, a ministry's);
/// a name wholly in another alphabet, or in Vietnamese letters, is not one.
pub fn mixed_alphabets(host: &str) -> Option<String> {
    if !host.split('.').any(|label| label.starts_with("xn--")) {
        return None;
    }
    let letters = url::quirks::domain_to_unicode(host);
    letters
        .split('.')
        .any(|label| {
            let lower = label.to_lowercase();
            lower.chars().any(|c| c.is_ascii_alphabetic())
                && lower
                    .chars()
                    .any(|c| !c.is_ascii() && drawn_like_latin(c).is_some())
        })
        .then_some(letters)
}

/// Whether `host` is the site's own (`site_host` as [`link_host`] gives it).
pub fn is_own_host(host: &str, site_host: Option<&str>) -> bool {
    site_host.is_some_and(|own| own == host)
}

/// A link to another host found in a body's HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    pub host: String,
    /// The text a reader would see, spaces collapsed.
    pub text: String,
    /// Why a reader cannot see it (`display:none`), if they cannot.
    pub hidden_by: Option<&'static str>,
}

/// Every link of `html` (a body, or a part of a page) that leads to a host other
/// than `site_host`, in document order: links (`<a>`, `<area>`), and what sends
/// a reader or a crawler elsewhere without one: frames, objects and scripts
/// from another host, a `<meta http-equiv="refresh">`, the addresses a script
/// goes to or writes (however it encodes them), the links of a `<noscript>`.
pub fn links_to_other_hosts(html: &str, site_host: Option<&str>) -> Vec<FoundLink> {
    let fragment = Html::parse_fragment(html);
    let rules = HidingRules::of(&fragment);
    let mut found = Vec::new();
    for node in fragment.tree.root().descendants() {
        let Some(element) = ElementRef::wrap(node) else {
            continue;
        };
        for (address, text, hidden) in outward_addresses(element, &rules) {
            let Some(host) = link_host(&address) else {
                continue;
            };
            if is_own_host(&host, site_host) {
                continue;
            }
            found.push(FoundLink {
                host,
                text,
                hidden_by: hidden,
            });
        }
    }
    found
}

/// What a `<noscript>` holds: never shown in a browser with scripts on (the
/// only kind readers have), read by crawlers as the page's own HTML.
const IN_NOSCRIPT: &str = "a <noscript>, read by search engines and never shown";
/// A `<meta http-equiv="refresh">` moves the reader on without a link to see.
const BY_REFRESH: &str = "a <meta http-equiv=\"refresh\"> that sends the reader there";
/// A script that sends the reader away, opens a page or writes a link.
const BY_SCRIPT: &str = "a script that sends the reader there or writes the link";
/// A frame or object of no size shows nothing, but is loaded (and crawled).
const NO_SIZE: &str = "a frame of no size";
/// A link with no text and no picture a reader could see, and no class,
/// title or label by which a stylesheet or a screen reader would show it (a
/// banner drawn by the old portal's stylesheet, `<a class="banner-cp">`).
const NOTHING_TO_SEE: &str = "a link with nothing to see or click";

/// The addresses `element` itself sends a reader or a crawler to, each with
/// the text a reader sees and why they cannot see it, if they cannot.
fn outward_addresses(
    element: ElementRef,
    rules: &HidingRules,
) -> Vec<(String, String, Option<&'static str>)> {
    let e = element.value();
    let attribute = |name: &str| e.attr(name).map(str::to_string);
    match e.name() {
        "a" | "area" => {
            let Some(href) = attribute("href") else {
                return Vec::new();
            };
            let text = element.text().collect::<Vec<_>>().join(" ");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            // `javascript:location=atob("aHR0cHM6…")`: a script, in a link.
            let cleaned: String = href.chars().filter(|c| !c.is_whitespace()).collect();
            if cleaned
                .get(..11)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("javascript:"))
            {
                return addresses_in_script(&href)
                    .into_iter()
                    .map(|address| (address, text.clone(), Some(BY_SCRIPT)))
                    .collect();
            }
            let hidden = hidden_by(element, rules).or_else(|| {
                let named = ["class", "title", "aria-label"]
                    .iter()
                    .any(|name| e.attr(name).is_some_and(|v| !v.trim().is_empty()));
                (e.name() == "a" && text.is_empty() && !named && !shows_a_picture(element))
                    .then_some(NOTHING_TO_SEE)
            });
            vec![(href, text, hidden)]
        }
        "iframe" | "frame" | "embed" | "object" => {
            let address = attribute(if e.name() == "object" { "data" } else { "src" });
            let hidden =
                hidden_by(element, rules).or_else(|| has_no_size(element).then_some(NO_SIZE));
            address
                .map(|a| (a, String::new(), hidden))
                .into_iter()
                .collect()
        }
        "meta" => {
            let refresh = e
                .attr("http-equiv")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
            let content = e.attr("content").unwrap_or("");
            match (refresh, content.to_ascii_lowercase().find("url=")) {
                (true, Some(at)) => {
                    let to = content[at + 4..]
                        .trim_matches(|c: char| c == '\'' || c == '"' || c.is_whitespace());
                    vec![(to.to_string(), String::new(), Some(BY_REFRESH))]
                }
                _ => Vec::new(),
            }
        }
        "script" => {
            let mut found: Vec<_> = attribute("src")
                .map(|src| (src, String::new(), hidden_by(element, rules)))
                .into_iter()
                .collect();
            let code: String = element.text().collect();
            let how = match script_goes_or_writes(&code) {
                true => Some(BY_SCRIPT),
                false => hidden_by(element, rules),
            };
            found.extend(
                addresses_in_script(&code)
                    .into_iter()
                    .map(|address| (address, String::new(), how)),
            );
            found
        }
        "noscript" => {
            // With scripts on, as browsers and html5ever parse, what a
            // `<noscript>` holds is text: read it as the HTML crawlers see.
            let inner: String = element
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            if inner.trim().is_empty() {
                return Vec::new();
            }
            let inner = Html::parse_fragment(&inner);
            let inner_rules = HidingRules::of(&inner);
            inner
                .tree
                .root()
                .descendants()
                .filter_map(ElementRef::wrap)
                .flat_map(|e| outward_addresses(e, &inner_rules))
                .map(|(address, text, _)| (address, text, Some(IN_NOSCRIPT)))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Whether a link without text may still show something: a picture not of 1
/// pixel, or any other element (an icon font's `<i class="fa fa-facebook">`,
/// whose look the stylesheet gives).
fn shows_a_picture(link: ElementRef) -> bool {
    link.descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .any(|e| e.value().name() != "img" || !has_no_size(e))
}

/// Whether `element`'s `width` or `height` attribute makes it 1 pixel or less.
fn has_no_size(element: ElementRef) -> bool {
    ["width", "height"].iter().any(|name| {
        element
            .value()
            .attr(name)
            .and_then(|v| length(v.trim()))
            .is_some_and(|(n, unit)| n <= 1.0 && matches!(unit, "" | "px"))
    })
}

/// Whether a script sends the reader elsewhere, opens a page, or writes HTML
/// into the page: what turns an address in its text into a link.
fn script_goes_or_writes(code: &str) -> bool {
    let code = code.to_ascii_lowercase();
    [
        "location",
        "window.open",
        "document.write",
        "innerhtml",
        "outerhtml",
        "insertadjacenthtml",
        ".href",
        "eval(",
        "atob(",
        "fromcharcode",
        "unescape(",
    ]
    .iter()
    .any(|word| code.contains(word))
}

/// The absolute addresses written in a script, however it writes them: `\/`
/// for `/`, `\x68` and `\u0068` escapes, `%68` escapes, a list of character
/// codes (`String.fromCharCode(104,116,…)`), base64 (`atob("aHR0cHM6…")`).
pub fn addresses_in_script(code: &str) -> Vec<String> {
    static ADDRESS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r#"(?i)\b(?:https?|ftp)://[^\s"'`<>()\\]+"#).expect("a valid pattern")
    });
    let mut readings = vec![unescape_script(code)];
    let percent = percent_encoding::percent_decode_str(&readings[0])
        .decode_utf8_lossy()
        .into_owned();
    readings.push(percent);
    readings.extend(encoded_in_script(code).into_iter().map(|(_, text)| text));
    let mut found: Vec<String> = Vec::new();
    for reading in &readings {
        for address in ADDRESS.find_iter(reading) {
            if !found.iter().any(|f| f == address.as_str()) {
                found.push(address.as_str().to_string());
            }
        }
    }
    found
}

/// A quoted base64 text in a script (`atob("aHR0cHM6…")`).
static BASE64: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"["'`]([A-Za-z0-9+/_-]{12,}={0,2})["'`]"#).expect("a valid pattern")
});
/// Characters given by their numbers (`String.fromCharCode(104,116,…)`).
static CHAR_CODES: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)fromcharcode\s*\(([\d\s,]+)\)").expect("a valid pattern")
});

/// The texts `code` writes as base64 or as character numbers, each with the
/// bytes of `code` that write it.
fn encoded_in_script(code: &str) -> Vec<(std::ops::Range<usize>, String)> {
    use base64::Engine;
    let mut found = Vec::new();
    for quoted in BASE64.captures_iter(code) {
        let Some(written) = quoted.get(1) else {
            continue;
        };
        let text = written.as_str().trim_end_matches('=');
        let engines = [
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ];
        if let Some(bytes) = engines.iter().find_map(|e| e.decode(text).ok()) {
            found.push((
                written.range(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    for codes in CHAR_CODES.captures_iter(code) {
        let text: String = codes[1]
            .split(',')
            .filter_map(|n| n.trim().parse::<u32>().ok().and_then(char::from_u32))
            .collect();
        let whole = codes.get(0).map_or(0..0, |m| m.range());
        found.push((whole, text));
    }
    found
}

/// A script's text with its string escapes read: `\/`, `\xHH`, `\uHHHH`,
/// `\u{H…}`.
fn unescape_script(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (hex, skip) = if let Some(h) = after.strip_prefix('x') {
            (h.get(..2), 3)
        } else if let Some(h) = after.strip_prefix("u{") {
            let end = h.find('}').unwrap_or(usize::MAX);
            (h.get(..end), end.saturating_add(3))
        } else if let Some(h) = after.strip_prefix('u') {
            (h.get(..4), 5)
        } else {
            (None, 0)
        };
        match hex
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
        {
            Some(c) => {
                out.push(c);
                rest = &after[skip..];
            }
            None => {
                // `\/` and any other escape: the character itself.
                match after.chars().next() {
                    Some(c) => {
                        out.push(c);
                        rest = &after[c.len_utf8()..];
                    }
                    None => rest = after,
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Why `element` or one of its ancestors is hidden from readers, if it is.
pub fn hidden_by(element: ElementRef, rules: &HidingRules) -> Option<&'static str> {
    std::iter::successors(Some(element), |e| e.parent().and_then(ElementRef::wrap))
        .find_map(|e| hidden_itself(e, rules))
}

/// Why `element` itself (not counting its ancestors) is hidden, if it is.
pub fn hidden_itself(element: ElementRef, rules: &HidingRules) -> Option<&'static str> {
    let e = element.value();
    if e.attr("hidden").is_some() {
        return Some("the `hidden` attribute");
    }
    if matches!(e.name(), "template" | "noscript") {
        return Some("a <template> or <noscript>, never shown");
    }
    if let Some(reason) = e.attr("style").and_then(style_hides) {
        return Some(reason);
    }
    let by_class = e.classes().any(|c| rules.classes.contains(c));
    let by_id = e.id().is_some_and(|id| rules.ids.contains(id));
    (by_class || by_id).then_some("a <style> rule that hides it")
}

/// Classes and ids that a `<style>` element in the same HTML hides.
#[derive(Debug, Default, Clone)]
pub struct HidingRules {
    classes: HashSet<String>,
    ids: HashSet<String>,
}

impl HidingRules {
    /// The hiding rules of the `<style>` elements of `html`.
    pub fn of(html: &Html) -> HidingRules {
        let mut rules = HidingRules::default();
        for node in html.tree.root().descendants() {
            let Some(style) = ElementRef::wrap(node) else {
                continue;
            };
            if style.value().name() != "style" {
                continue;
            }
            let css: String = style
                .children()
                .filter_map(|c| match c.value() {
                    Node::Text(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            rules.add_css(&css);
        }
        rules
    }

    /// Takes the `.class` and `#id` selectors of rules whose declarations hide.
    fn add_css(&mut self, css: &str) {
        for rule in css.split('}') {
            let Some((selectors, declarations)) = rule.split_once('{') else {
                continue;
            };
            if style_hides(declarations).is_none() {
                continue;
            }
            for selector in selectors.split(',') {
                // The last simple selector is the element the rule hides.
                let last = selector.split_whitespace().last().unwrap_or("");
                for (mark, set) in [('.', &mut self.classes), ('#', &mut self.ids)] {
                    if let Some((_, name)) = last.split_once(mark) {
                        let name = name.split(['.', '#', ':', '[']).next().unwrap_or("");
                        if !name.is_empty() {
                            set.insert(name.to_string());
                        }
                    }
                }
            }
        }
    }
}

/// Why an inline `style` hides its element, if it does.
pub fn style_hides(style: &str) -> Option<&'static str> {
    let declarations: Vec<(String, String)> = declarations(style).collect();
    let value_of = |name: &str| {
        declarations
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(reason) = declarations
        .iter()
        .find_map(|(name, value)| declaration_hides(name, value))
    {
        return Some(reason);
    }
    // A box too small to show anything hides what overflows it only when the
    // overflow is cut.
    let tiny = |name: &str| {
        value_of(name)
            .and_then(in_pixels)
            .is_some_and(|px| px <= 1.0)
    };
    let cut = value_of("overflow").is_some_and(|v| v.contains("hidden") || v.contains("clip"));
    let small = ["width", "height", "max-width", "max-height"]
        .iter()
        .any(|n| tiny(n));
    if (small && cut) || (tiny("width") && tiny("height")) {
        return Some("a zero-sized box");
    }
    None
}

/// Why one CSS declaration alone hides its element, if it does.
pub fn declaration_hides(name: &str, value: &str) -> Option<&'static str> {
    let number = || length(value).map(|(n, _)| n);
    match name {
        "display" if value == "none" => Some("display:none"),
        "visibility" if value == "hidden" || value == "collapse" => Some("visibility:hidden"),
        // No one reads text of 3 pixels (`1pt`, `0.1em`); `1em` is ordinary text.
        "font-size" if in_pixels(value).is_some_and(|px| px <= 3.0) => Some("font-size:0"),
        "opacity" if number().is_some_and(|n| n <= 0.05) => Some("opacity:0"),
        "left" | "top" | "right" | "bottom" | "margin-left" | "margin-top" | "text-indent"
            if is_far_off(value) =>
        {
            Some("off-screen positioning")
        }
        "transform" if value.contains("translate") && value.contains("-9") => {
            Some("off-screen positioning")
        }
        "clip" if value.starts_with("rect(") && value[5..].starts_with(['0', '1']) => {
            Some("a clipped-away box")
        }
        "clip-path" if value.contains("inset(50%") || value.contains("inset(100%") => {
            Some("a clipped-away box")
        }
        _ => None,
    }
}

/// The declarations of a `style` attribute, as [`declaration`] reads them.
pub fn declarations(style: &str) -> impl Iterator<Item = (String, String)> + '_ {
    style.split(';').filter_map(declaration)
}

/// One CSS declaration, lower-case and without spaces or `!important`:
/// `Display : NONE !important` -> (`display`, `none`).
pub fn declaration(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once(':')?;
    let name = name.trim().to_ascii_lowercase();
    let value: String = value
        .to_ascii_lowercase()
        .replace("!important", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (!name.is_empty()).then_some((name, value))
}

/// A CSS length's number and unit: `-9999px` -> (-9999, "px"), `0` -> (0, "").
fn length(value: &str) -> Option<(f64, &str)> {
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(value.len());
    let number = value[..end].parse::<f64>().ok()?;
    Some((number, &value[end..]))
}

/// About how many pixels a CSS length is on a reader's screen, a font's
/// `em` taken as 16 pixels: `1em` is ordinary text (Word writes it), `0.05em`
/// or `1px` is a line no one can read.
fn in_pixels(value: &str) -> Option<f64> {
    let (n, unit) = length(value)?;
    let per_unit = match unit {
        "" | "px" => 1.0,
        "pt" => 4.0 / 3.0,
        "pc" => 16.0,
        "mm" => 3.78,
        "q" => 0.945,
        "cm" => 37.8,
        "in" => 96.0,
        "em" | "rem" => 16.0,
        "ex" | "ch" => 8.0,
        // Of a parent's 16 pixels for a font; about as much for a box.
        "%" => 0.16,
        "vw" | "vh" | "vmin" | "vmax" => 4.0,
        _ => return None,
    };
    Some(n * per_unit)
}

/// A position far off the screen: `-9999px`, `-100em`.
fn is_far_off(value: &str) -> bool {
    match length(value) {
        Some((n, "px" | "")) => n <= -500.0,
        Some((n, _)) => n <= -50.0,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(html: &str) -> Vec<(String, Option<&'static str>)> {
        links_to_other_hosts(html, Some("phuong1.gov.vn"))
            .into_iter()
            .map(|l| (l.host, l.hidden_by))
            .collect()
    }

    #[test]
    fn every_hiding_style_is_seen() {
        for (style, reason) in [
            ("display:none", "display:none"),
            ("DISPLAY : None !important", "display:none"),
            ("visibility: hidden", "visibility:hidden"),
            ("font-size:0px", "font-size:0"),
            ("position:absolute;left:-9999px", "off-screen positioning"),
            ("text-indent:-10000px", "off-screen positioning"),
            ("height:0;overflow:hidden", "a zero-sized box"),
            ("width:1px;height:1px", "a zero-sized box"),
            ("opacity:0", "opacity:0"),
        ] {
            let html = format!("<div style=\"{style}\"><a href=\"https://okvip.com\">x</a></div>");
            assert_eq!(
                hidden(&html),
                [("okvip.com".to_string(), Some(reason))],
                "{style}"
            );
        }
    }

    #[test]
    fn hidden_by_an_ancestor_or_attribute_or_style_rule() {
        let by_ancestor =
            "<div style=\"display:none\"><p><span><a href=\"//mu88.bet/\">a</a></span></p></div>";
        assert_eq!(hidden(by_ancestor)[0].1, Some("display:none"));
        let by_attribute = "<section hidden><a href=\"http://x.com\">a</a></section>";
        assert_eq!(hidden(by_attribute)[0].1, Some("the `hidden` attribute"));
        let by_rule = "<style>p.seo, .k { display: none }</style><p class=\"k\"><a href=\"https://x.com\">a</a></p>";
        assert_eq!(hidden(by_rule)[0].1, Some("a <style> rule that hides it"));
    }

    #[test]
    fn visible_links_and_own_links_are_not_hidden() {
        let html = "<p style=\"color:red;font-size:14px;height:20px\"><a href=\"https://chinhphu.vn\">a</a></p>\
                    <div style=\"display:none\"><a href=\"/tin/\">b</a><a href=\"https://www.phuong1.gov.vn/x\">c</a></div>";
        assert_eq!(hidden(html), [("chinhphu.vn".to_string(), None)]);
    }

    #[test]
    fn hosts_are_read_as_browsers_read_them() {
        assert_eq!(
            link_host("HTTPS://WWW.OkVip.com:443/x").as_deref(),
            Some("okvip.com")
        );
        assert_eq!(link_host(" //user@mu88.bet/").as_deref(), Some("mu88.bet"));
        assert_eq!(
            link_host("ht\ttps://jun88.net").as_deref(),
            Some("jun88.net")
        );
        assert_eq!(link_host("/tin/a/"), None);
        assert_eq!(link_host("mailto:a@b.vn"), None);
    }

    #[test]
    fn addresses_in_scripts_are_read_however_they_are_encoded() {
        for code in [
            r#"location = "https:\/\/okvip.example\/""#,
            r#"location = "\x68ttps://okvip.example/""#,
            r#"location = "\u0068ttps://okvip.example/""#,
            r#"document.write(unescape("%68ttps%3A%2F%2Fokvip.example"))"#,
            r#"eval(atob("aHR0cHM6Ly9va3ZpcC5leGFtcGxlLw=="))"#,
            "location = String.fromCharCode(104, 116,116,112,115,58,47,47,111,107,118,105,112,46,101,120,97,109,112,108,101)",
        ] {
            let hosts: Vec<String> = addresses_in_script(code)
                .iter()
                .filter_map(|a| link_host(a))
                .collect();
            assert!(
                hosts.contains(&"okvip.example".to_string()),
                "{code}: {hosts:?}"
            );
        }
        // A broken escape at the end is read as itself, not a panic.
        assert!(addresses_in_script("a = '\\x6").is_empty());
        assert!(addresses_in_script("a = '\\u{110000}' + '\\").is_empty());
    }

    #[test]
    fn look_alike_names_are_read_as_the_names_they_copy() {
        let p = BettingPatterns::get();
        for host in [
            "xn--okvp-xpa.example",
            "xn--kvip-45d.example",
            "okvip.example",
        ] {
            assert_eq!(p.matching(host, "Xem"), Some("okvip"), "{host}");
        }
        assert_eq!(
            link_host("https://%6Fkvip.example/").as_deref(),
            Some("okvip.example")
        );
        assert_eq!(
            link_host("https:\\\\ＯＫＶＩＰ．example").as_deref(),
            Some("okvip.example")
        );
        assert!(government_look_alike("dichvucong.gov.vn.example.com").is_some());
        assert!(government_look_alike("chinhphu-gov-vn.top").is_some());
        assert!(government_look_alike("xn--mj-fmc.gov.vn").is_some());
        assert!(government_look_alike("dichvucong-gov.vn").is_some());
        assert!(government_look_alike("hanoi.gov.com.vn").is_some());
        for real in [
            "moj.gov.vn",
            "gov.vn",
            "chinhphu.vn",
            "hanoi.gov.vn",
            "egov.vn",
            "egov.chinhphu.vn",
        ] {
            assert_eq!(government_look_alike(real), None, "{real}");
        }
    }

    #[test]
    fn a_host_is_found_where_it_is_written_however_it_is_encoded() {
        let at = |source: &str, host: &str, nth: usize| {
            mention_of(source, host, nth).map(|range| source[range].to_string())
        };
        let found = |s: &str| Some(s.to_string());
        assert_eq!(
            at("x https://%6Fkvip.com/", "okvip.com", 0),
            found("%6Fkvip.com")
        );
        assert_eq!(
            at("&#111;kvip.com", "okvip.com", 0),
            found("&#111;kvip.com")
        );
        assert_eq!(
            at("&#x4F;KVIP&period;com", "okvip.com", 0),
            found("&#x4F;KVIP&period;com")
        );
        assert_eq!(
            at("ＯＫＶＩＰ．com/", "okvip.com", 0),
            found("ＯＫＶＩＰ．com")
        );
        assert_eq!(
            at("//\u{43e}kvip.com", "xn--kvip-45d.com", 0),
            found("\u{43e}kvip.com")
        );
        assert_eq!(
            at("//%D0%BEkvip.com", "xn--kvip-45d.com", 0),
            found("%D0%BEkvip.com")
        );
        assert_eq!(
            at(r#"location = "\x6F\u006Bvip.com""#, "okvip.com", 0),
            found(r"\x6F\u006Bvip.com")
        );
        // In a script's base64 or character numbers: the text that writes it,
        // so that each script is named at its own line.
        let scripts = "atob(\"aHR0cHM6Ly9va3ZpcC5jb20v\")\nString.fromCharCode(111,107,118,105,112,46,99,111,109)";
        assert_eq!(
            at(scripts, "okvip.com", 0),
            found("aHR0cHM6Ly9va3ZpcC5jb20v")
        );
        assert_eq!(
            at(scripts, "okvip.com", 1),
            found("fromCharCode(111,107,118,105,112,46,99,111,109)")
        );
        // The nth, however each is written; a longer name is another host.
        let two = "a xokvip.com b &#111;kvip.com c okvip.com";
        assert_eq!(mention_of(two, "okvip.com", 0), Some(15..29));
        assert_eq!(mention_of(two, "okvip.com", 1), Some(32..41));
        assert_eq!(mention_of(two, "okvip.com", 5), Some(32..41));
        assert_eq!(mention_of("nothing", "okvip.com", 0), None);
        // Broken escapes are read as themselves, not a panic.
        assert_eq!(mention_of("&#xFFFFFFFF; %F0%9F %", "okvip.com", 0), None);
    }

    #[test]
    fn an_address_is_found_where_it_is_written_however_it_is_encoded() {
        let source = "<img src=\"https://jun88.example/a.gif\">\n<img src=\"https://&#x6a;un88.example/b.gif\">\n<img src=\"https://%6Aun88.example/c.gif\">";
        for (address, written) in [
            (
                "https://jun88.example/b.gif",
                "https://&#x6a;un88.example/b.gif",
            ),
            (
                "https://%6Aun88.example/c.gif",
                "https://%6Aun88.example/c.gif",
            ),
            (
                "https://JUN88.example/c.gif",
                "https://%6Aun88.example/c.gif",
            ),
        ] {
            let at = source.find(written).unwrap();
            assert_eq!(
                address_written(source, address),
                Some(at..at + written.len()),
                "{address}"
            );
        }
        assert_eq!(address_written(source, "https://jun88.example/d.gif"), None);
        assert_eq!(address_written(source, ""), None);
    }

    #[test]
    fn international_names_are_shown_with_their_letters_and_mixtures_named() {
        assert_eq!(
            shown_host("xn--vetcombank-x2i.vn"),
            "xn--vetcombank-x2i.vn (v\u{456}etcombank.vn)"
        );
        assert_eq!(shown_host("okvip.com"), "okvip.com");
        assert_eq!(
            mixed_alphabets("xn--vetcombank-x2i.vn").as_deref(),
            Some("v\u{456}etcombank.vn")
        );
        // Vietnamese letters, or a name wholly in Cyrillic, are no mixture.
        for honest in ["xn--hu-07s.vn", "xn--d1acufc.xn--p1ai", "chinhphu.vn"] {
            assert_eq!(mixed_alphabets(honest), None, "{honest}");
        }
    }

    #[test]
    fn a_betting_brands_host_is_told_from_the_trades_words() {
        let p = BettingPatterns::get();
        assert_eq!(p.betting_host("jun88-vip.net"), Some("jun88"));
        assert_eq!(p.betting_host("xn--kvip-45d.example"), Some("okvip"));
        assert_eq!(p.betting_host("taixiu-online.club"), None);
        assert_eq!(p.betting_host("example.com"), None);
    }

    #[test]
    fn betting_hosts_and_words_match_with_or_without_tones() {
        let p = BettingPatterns::get();
        assert_eq!(p.matching("jun88-vip.net", "Trang chủ"), Some("jun88"));
        assert_eq!(p.matching("example.com", "Nhà Cái uy tín"), Some("nhà cái"));
        assert_eq!(p.matching("example.com", "nha cai uy tin"), Some("nhà cái"));
        assert_eq!(p.matching("example.com", "TÀI XỈU online"), Some("tài xỉu"));
        assert_eq!(p.matching("taixiu-online.club", "Xem"), Some("taixiu"));
        assert_eq!(p.matching("example.com", "MU88 chính thức"), Some("mu88"));
    }

    #[test]
    fn ordinary_and_government_links_do_not_match() {
        let p = BettingPatterns::get();
        assert_eq!(p.matching("chinhphu.vn", "Cổng thông tin Chính phủ"), None);
        assert_eq!(p.matching("example.com", "cái nhà văn hoá"), None);
        assert_eq!(
            p.matching("bocongan.gov.vn", "Triệt phá đường dây cá cược bóng đá"),
            None
        );
        assert_eq!(p.matching("vnexpress.net", "Tàu cá cập cảng"), None);
    }
}
