//! Problems found in a site, reported to editors as `path:line:column: message`.
//!
//! Every stage collects its problems instead of stopping at the first, so one run
//! shows an editor everything there is to fix.

use std::borrow::Cow;
use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file of the site (path relative to the site root).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    /// 1-based; `None` when the problem concerns the whole file.
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    /// What to do about it, in the editor's terms.
    pub hint: Option<String>,
    /// The kind of planted link this problem reports, if it reports one: set
    /// where the link is found, so that an audit's record never depends on
    /// how the message is worded.
    pub kind: Option<Planted>,
    /// The host the planted link leads to, as DNS is asked for it (`xn--…`
    /// for an international name); `None` when it names no host (a betting
    /// brand's name in an alt text) or reports no planted link.
    pub host: Option<String>,
}

/// The kinds of planted link (what hacked portals carry) a [`Diagnostic`]
/// may report, as an audit's JSON records name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Planted {
    /// A link to another host that readers cannot see.
    HiddenLink,
    /// A link (in a body or a field) to a betting site, by its host or words.
    BettingLink,
    /// A link to a host dressed as a government site's, or mixing alphabets.
    LookAlikeHost,
    /// A picture that advertises a betting site.
    BettingPicture,
    /// An alt text holding an address or a betting brand.
    PlantedAltText,
}

impl Planted {
    /// The kind's name in an audit's JSON: `hidden-link`, `betting-link`,
    /// `look-alike-host`, `betting-picture`, `planted-alt-text`.
    pub fn name(self) -> &'static str {
        match self {
            Planted::HiddenLink => "hidden-link",
            Planted::BettingLink => "betting-link",
            Planted::LookAlikeHost => "look-alike-host",
            Planted::BettingPicture => "betting-picture",
            Planted::PlantedAltText => "planted-alt-text",
        }
    }
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            kind: None,
            host: None,
        }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_location(self, location: Option<Location>) -> Self {
        match location {
            Some(l) => self.at(l.line, l.column),
            None => self,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// This problem as a planted link of `kind` leading to `host`.
    pub fn planted(mut self, kind: Planted, host: Option<&str>) -> Self {
        self.kind = Some(kind);
        self.host = host.map(str::to_string);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Order for printing: by file, then by position, so output is stable.
    fn sort_key(&self) -> (&str, u32, u32, Severity, &str) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", printable(&self.path))?;
        if let Some(line) = self.line {
            write!(f, ":{line}:{}", self.column.unwrap_or(1))?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {label}: {}", printable_lines(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", printable_lines(hint))?;
        }
        Ok(())
    }
}

/// Text from outside the program (a file's name, a page, a server's answer) as
/// it may be printed on a terminal. Control characters can move the cursor,
/// clear the screen or erase a line (`ESC [2K`), and the marks that reorder a
/// line (U+202E) can make it read otherwise: each is shown escaped (`\u{1b}`),
/// newlines and tabs too; everything else is left as it is.
pub fn printable(text: &str) -> Cow<'_, str> {
    escaped(text, &[])
}

/// [`printable`] for a message of several lines: its newlines and tabs stay.
fn printable_lines(text: &str) -> Cow<'_, str> {
    escaped(text, &['\n', '\t'])
}

fn escaped<'t>(text: &'t str, kept: &[char]) -> Cow<'t, str> {
    let unprintable = |c: char| {
        !kept.contains(&c)
            && (c.is_control()
                || matches!(
                    c,
                    '\u{61c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                ))
    };
    if !text.chars().any(unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unprintable(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A line and column in a file, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

impl Location {
    /// The location of byte `offset` in `text`; the column counts characters.
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() as u32 + 1;
        Location { line, column }
    }

    /// This location seen from a file in which the text it was found in starts at
    /// line `first_line` (front matter and bodies are parsed apart from their file).
    pub fn shifted(self, first_line: u32) -> Location {
        Location {
            line: self.line + first_line - 1,
            column: self.column,
        }
    }
}

/// Locates many byte offsets of one text without rescanning it for each: line
/// starts are found once, and columns are counted on from the last offset asked
/// for when it lies on the same line (offsets usually come in order).
pub struct Locator<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    /// The last offset located, and its location.
    last: Option<(usize, Location)>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator {
            text,
            line_starts,
            last: None,
        }
    }

    /// The same as [`Location::of_offset`], in time proportional to the distance
    /// from the last offset on the same line.
    pub fn locate(&mut self, offset: usize) -> Location {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line_index = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.line_starts[line_index];
        let (from, column) = match self.last {
            Some((last, at)) if last >= line_start && last <= offset => (last, at.column),
            _ => (line_start, 1),
        };
        let location = Location {
            line: line_index as u32 + 1,
            column: column + self.text[from..offset].chars().count() as u32,
        };
        self.last = Some((offset, location));
        location
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// All problems of a run, errors and warnings together.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems in print order: by file, line and column.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(items: Vec<Diagnostic>) -> Self {
        Diagnostics { items }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_terminal_would_obey_is_printed_escaped() {
        assert_eq!(printable("content/dân-vận/a.md"), "content/dân-vận/a.md");
        assert_eq!(
            printable("okvip\u{1b}[2K.example\u{7}\n"),
            "okvip\\u{1b}[2K.example\\u{7}\\u{a}"
        );
        assert_eq!(printable("a\u{202e}b\u{9b}"), "a\\u{202e}b\\u{9b}");
        let d = Diagnostic::error("content/b\u{1b}[31m.md", "unknown field `x\u{1b}[2J`")
            .with_hint("one\ntwo");
        assert_eq!(
            d.to_string(),
            "content/b\\u{1b}[31m.md: error: unknown field `x\\u{1b}[2J`\n  hint: one\ntwo"
        );
    }

    #[test]
    fn prints_path_line_column_and_hint() {
        let d = Diagnostic::error("content/a.md", "unknown field `catgory`")
            .at(3, 1)
            .with_hint("did you mean `category`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:1: error: unknown field `catgory`\n  hint: did you mean `category`?"
        );
    }

    #[test]
    fn location_counts_characters_not_bytes() {
        let text = "tiêu đề\nđây là lỗi";
        let offset = text.find("lỗi").unwrap();
        assert_eq!(
            Location::of_offset(text, offset),
            Location { line: 2, column: 8 }
        );
    }

    #[test]
    fn locator_agrees_with_of_offset() {
        let text = "tiêu đề\nđây là lỗi\n\nx";
        let mut locator = Locator::new(text);
        for offset in [0, 3, 9, 12, 30, 15, 2, text.len(), text.len() + 5] {
            assert_eq!(
                locator.locate(offset),
                Location::of_offset(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn sorted_orders_by_file_then_line() {
        let ds = Diagnostics::from(vec![
            Diagnostic::error("b.md", "x").at(1, 1),
            Diagnostic::error("a.md", "y").at(9, 1),
            Diagnostic::error("a.md", "z").at(2, 1),
        ]);
        let order: Vec<_> = ds.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(order, ["z", "y", "x"]);
    }
}
