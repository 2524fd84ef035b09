//! The register of documents (văn bản): every published document newest
//! `issued` first, its attachments found among the site's files, the documents
//! it replaces or amends resolved by number (and the reverse), its status as of
//! the build's date, and the facets by form, issuing body, field and year.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use jiff::Zoned;
use jiff::civil::Date;
use serde_json::{Map, Value};

use crate::content::document::{DOCUMENTS_DIR, SourceDocument, number_slug, tidy_number};
use crate::content::front_matter::FieldLines;
use crate::content::markdown::{self, LocalTarget, SiteLinks};
use crate::content::sources::{SourceFile, display_path};
use crate::content::text::slugify;
use crate::diagnostics::{Diagnostic, Locator};
use crate::fingerprint::{Fingerprint, FingerprintWriter};

/// Documents in the home page's "Văn bản mới" block.
pub const NEWEST_DOCUMENTS: usize = 5;

/// The register: published documents and their facets.
#[derive(Debug, Default)]
pub struct Register {
    /// Newest `issued` first (then by number).
    pub documents: Vec<Document>,
    /// By form (hình thức), issuing body, field and year; each sorted by slug,
    /// years newest first.
    pub types: Vec<Facet>,
    pub issuers: Vec<Facet>,
    pub fields: Vec<Facet>,
    pub years: Vec<Facet>,
    /// The day statuses were worked out for, in the site's zone.
    pub as_of: Option<Date>,
    /// A fingerprint of what it was made from (the document files, the sizes
    /// of their attachments, the day, drafts or not): a register made from the
    /// same is the same, as a rebuild that reuses the last one must know.
    pub made_from: Fingerprint,
    /// A fingerprint of the register's shape: its documents' files, addresses,
    /// days of issue and aliases, its facets and their documents, and what links to every
    /// document file lead to (drafts too). Two registers of one shape plan the
    /// same pages, and the articles that link to documents read the same.
    pub shape: Fingerprint,
    /// The problems found making it (warnings, once the build goes on).
    pub problems: Vec<Diagnostic>,
    /// The files of content/ that documents list in `files` or link to from
    /// their text, drafts left out too (relative to content/, sorted): for
    /// `bantin check`, which warns of files nothing uses.
    pub files_used: Vec<String>,
}

/// Which facet of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FacetKind {
    Type,
    Issuer,
    Field,
    Year,
}

impl FacetKind {
    pub const ALL: [FacetKind; 4] = [
        FacetKind::Type,
        FacetKind::Issuer,
        FacetKind::Field,
        FacetKind::Year,
    ];

    /// The folder of its pages under `/van-ban/`.
    pub fn folder(self) -> &'static str {
        match self {
            FacetKind::Type => "loai",
            FacetKind::Issuer => "co-quan",
            FacetKind::Field => "linh-vuc",
            FacetKind::Year => "nam",
        }
    }
}

/// A form, issuing body, field or year, and its documents.
#[derive(Debug, Clone)]
pub struct Facet {
    pub name: String,
    pub slug: String,
    /// Site path of its first page: `/van-ban/loai/quyet-dinh/`.
    pub url: String,
    /// Indices into [`Register::documents`], newest first.
    pub documents: Vec<usize>,
}

/// Tình trạng hiệu lực, as of the build's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Status {
    /// Chưa có hiệu lực: before `effective`.
    NotYetInForce,
    /// Còn hiệu lực.
    InForce,
    /// Hết hiệu lực: from `expires` on, or replaced by a published document.
    Expired,
}

impl Status {
    /// The name used in open data and by the register's filter:
    /// `con-hieu-luc`, `het-hieu-luc`, `chua-co-hieu-luc`.
    pub fn code(self) -> &'static str {
        match self {
            Status::NotYetInForce => "chua-co-hieu-luc",
            Status::InForce => "con-hieu-luc",
            Status::Expired => "het-hieu-luc",
        }
    }
}

/// A file attached to a document: an asset under content/.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Relative to content/: `van-ban/2024/25-2024-qd-ubnd.pdf`.
    pub rel: String,
    /// Site path: `/van-ban/2024/25-2024-qd-ubnd.pdf`.
    pub path: String,
    /// The file's name: `25-2024-qd-ubnd.pdf`.
    pub name: String,
    pub bytes: u64,
    /// `application/pdf`.
    pub media_type: &'static str,
    /// What readers call the format: `PDF`, `DOCX`.
    pub format: String,
}

/// A number a document names in `replaces` or `amends`, and the document of
/// the register it resolved to, if any (it may be another body's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub number: String,
    /// Index into [`Register::documents`].
    pub document: Option<usize>,
}

/// A published document, as the register's pages show it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Relative to content/.
    pub file: String,
    pub number: String,
    /// The number folded: `25-2024-qd-ubnd`.
    pub number_key: String,
    /// Hình thức.
    pub kind: String,
    pub issuer: String,
    pub issued: Zoned,
    pub effective: Option<Zoned>,
    pub expires: Option<Zoned>,
    pub signer: Option<String>,
    pub field: Option<String>,
    pub title: String,
    pub attachments: Vec<Attachment>,
    pub replaces: Vec<Relation>,
    pub amends: Vec<Relation>,
    /// The documents that replace or amend this one, newest first.
    pub replaced_by: Vec<usize>,
    pub amended_by: Vec<usize>,
    pub status: Status,
    pub slug: String,
    /// Site path: `/van-ban/25-2024-qd-ubnd/`.
    pub url: String,
    pub body_html: String,
    /// The searchable text of its attachments (PDF text layers, DOCX), one
    /// after the other; filled by the read stage, which owns the files.
    pub attachment_text: String,
    pub aliases: Vec<String>,
    pub extra: Map<String, Value>,
    pub draft: bool,
    pub lines: FieldLines,
    /// A fingerprint of its file's bytes.
    pub source_print: Fingerprint,
    /// Indices into the register's facets.
    pub type_facet: usize,
    pub issuer_facet: usize,
    pub field_facet: Option<usize>,
    pub year_facet: usize,
}

impl Document {
    /// A fingerprint of everything a page may show of the document (all but
    /// its attachments' text, which only the search index reads): two
    /// documents of one print look the same on every page. The fields are
    /// named one by one, so that a field added later cannot be forgotten here.
    pub fn shown_print(&self) -> Fingerprint {
        let Document {
            file,
            number,
            number_key: _,
            kind,
            issuer,
            issued,
            effective,
            expires,
            signer,
            field,
            title,
            attachments,
            replaces,
            amends,
            replaced_by,
            amended_by,
            status,
            slug,
            url,
            body_html,
            attachment_text: _,
            aliases,
            extra,
            draft,
            lines: _,
            source_print: _,
            type_facet,
            issuer_facet,
            field_facet,
            year_facet,
        } = self;
        let mut print = FingerprintWriter::new();
        for text in [file, number, kind, issuer, title, slug, url, body_html] {
            print.add(text.as_bytes());
        }
        let rest = format!(
            "{issued:?}{effective:?}{expires:?}{signer:?}{field:?}{attachments:?}{replaces:?}\
             {amends:?}{replaced_by:?}{amended_by:?}{status:?}{aliases:?}{extra:?}{draft}\
             {type_facet}/{issuer_facet}/{field_facet:?}/{year_facet}"
        );
        print.add(rest.as_bytes());
        print.finish()
    }
}

impl Register {
    /// The facets of `kind`.
    pub fn facets(&self, kind: FacetKind) -> &[Facet] {
        match kind {
            FacetKind::Type => &self.types,
            FacetKind::Issuer => &self.issuers,
            FacetKind::Field => &self.fields,
            FacetKind::Year => &self.years,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

/// What the register is made from, besides the documents read.
pub struct RegisterInputs<'a> {
    /// The files under content/ that are not articles or documents, sorted by path.
    pub assets: &'a [SourceFile],
    /// The size of a file, as the disk says (the read stage asks it).
    pub size_of: &'a (dyn Fn(&SourceFile) -> Option<u64> + Sync),
    /// The build's date in the site's zone: statuses are as of it.
    pub today: Date,
    pub include_drafts: bool,
    /// What links in bodies resolve to.
    pub links: &'a (dyn SiteLinks + Sync),
    pub body_options: markdown::BodyOptions,
}

/// Makes the register of `sources`. Problems found across documents (a
/// number twice in a year, missing attachments, numbers not found) are returned
/// with it; errors among them mean the site must not be published.
pub fn build_register(
    sources: Vec<SourceDocument>,
    inputs: &RegisterInputs,
) -> (Register, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let sources_read = sources.len();
    let mut made_from = FingerprintWriter::new();
    for d in &sources {
        made_from.add(d.source.as_bytes());
        made_from.add(&d.file_print.to_le_bytes());
    }
    made_from.add(inputs.today.to_string().as_bytes());
    made_from.add(&[u8::from(inputs.include_drafts)]);
    let mut shape = FingerprintWriter::new();
    for d in &sources {
        shape.add(d.source.as_bytes());
        shape.add(document_url(&d.slug).as_bytes());
        shape.add(&[u8::from(d.front.draft)]);
    }
    // What drafts left out use is still used: `bantin check` must not call
    // a draft's PDF unused.
    let mut files_used: Vec<String> = sources
        .iter()
        .filter(|d| !inputs.include_drafts && d.front.draft)
        .flat_map(|d| {
            let dests = d
                .front
                .files
                .iter()
                .cloned()
                .chain(markdown::destinations(&d.body));
            dests
                .filter_map(|dest| content_path(&dest, d.source_dir()))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut sources: Vec<SourceDocument> = sources
        .into_iter()
        .filter(|d| inputs.include_drafts || !d.front.draft)
        .collect();
    sources.sort_by(|a, b| {
        b.front
            .issued
            .timestamp()
            .cmp(&a.front.issued.timestamp())
            .then_with(|| a.number_key.cmp(&b.number_key))
            .then_with(|| a.source.cmp(&b.source))
    });
    problems.extend(duplicate_numbers(&sources));

    let made: Vec<(Document, Vec<Diagnostic>, Vec<String>)> = sources
        .par_iter()
        .map(|source| make_document(source, inputs))
        .collect();
    let mut documents = Vec::with_capacity(made.len());
    for (document, document_problems, linked) in made {
        problems.extend(document_problems);
        files_used.extend(document.attachments.iter().map(|a| a.rel.clone()));
        files_used.extend(linked);
        documents.push(document);
    }
    files_used.sort_unstable();
    files_used.dedup();

    // Relations: a number names the latest document issued before the one naming it.
    let mut by_number: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, d) in sources.iter().enumerate() {
        by_number.entry(d.number_key.as_str()).or_default().push(i);
    }
    let resolve = |i: usize, number: &str| -> Option<usize> {
        let issued = sources[i].front.issued.timestamp();
        // Newest first: the first issued before this one is the latest such.
        by_number
            .get(slugify(&tidy_number(number)).as_str())?
            .iter()
            .copied()
            .find(|&j| j != i && sources[j].front.issued.timestamp() < issued)
    };
    for (i, source) in sources.iter().enumerate() {
        let relations = |numbers: &[String]| -> Vec<Relation> {
            numbers
                .iter()
                .map(|number| Relation {
                    number: tidy_number(number),
                    document: resolve(i, number),
                })
                .collect()
        };
        documents[i].replaces = relations(&source.front.replaces);
        documents[i].amends = relations(&source.front.amends);
        for (field, list) in [
            ("replaces", &documents[i].replaces),
            ("amends", &documents[i].amends),
        ] {
            for relation in list.iter().filter(|r| r.document.is_none()) {
                let line = source.front.lines.of(field).unwrap_or(1);
                problems.push(
                    Diagnostic::warning(
                        source.display_path(),
                        format!(
                            "`{field}` names `{}`, which is not in the register (issued before this document)",
                            relation.number
                        ),
                    )
                    .at(line, 1)
                    .with_hint("check the number as issued; a document of another body may be left as it is"),
                );
            }
        }
    }
    for i in 0..documents.len() {
        for j in documents[i]
            .replaces
            .iter()
            .filter_map(|r| r.document)
            .collect::<Vec<_>>()
        {
            if !documents[j].replaced_by.contains(&i) {
                documents[j].replaced_by.push(i);
            }
        }
        for j in documents[i]
            .amends
            .iter()
            .filter_map(|r| r.document)
            .collect::<Vec<_>>()
        {
            if !documents[j].amended_by.contains(&i) {
                documents[j].amended_by.push(i);
            }
        }
    }
    for d in &mut documents {
        d.status = status(d, inputs.today);
    }

    let types = facets(&documents, FacetKind::Type, |d| Some(d.kind.clone()));
    let issuers = facets(&documents, FacetKind::Issuer, |d| Some(d.issuer.clone()));
    let fields = facets(&documents, FacetKind::Field, |d| d.field.clone());
    let mut years = facets(&documents, FacetKind::Year, |d| {
        Some(d.issued.year().to_string())
    });
    years.reverse();
    let place = |list: &[Facet], documents: &mut [Document], set: fn(&mut Document, usize)| {
        for (f, facet) in list.iter().enumerate() {
            for &i in &facet.documents {
                set(&mut documents[i], f);
            }
        }
    };
    place(&types, &mut documents, |d, f| d.type_facet = f);
    place(&issuers, &mut documents, |d, f| d.issuer_facet = f);
    place(&fields, &mut documents, |d, f| d.field_facet = Some(f));
    place(&years, &mut documents, |d, f| d.year_facet = f);
    for attachment in documents.iter().flat_map(|d| &d.attachments) {
        made_from.add(attachment.path.as_bytes());
        made_from.add(&attachment.bytes.to_le_bytes());
    }
    for d in &documents {
        shape.add(d.file.as_bytes());
        shape.add(d.url.as_bytes());
        shape.add(d.issued.to_string().as_bytes());
        for alias in &d.aliases {
            shape.add(alias.as_bytes());
        }
    }
    for list in [&types, &issuers, &fields, &years] {
        shape.add(&(list.len() as u64).to_le_bytes());
        for facet in list {
            for text in [&facet.name, &facet.slug, &facet.url] {
                shape.add(text.as_bytes());
            }
            for &i in &facet.documents {
                shape.add(&(i as u64).to_le_bytes());
            }
        }
    }
    let register = Register {
        documents,
        types,
        issuers,
        fields,
        years,
        as_of: Some(inputs.today),
        // With no documents, the register is the same whatever the day.
        made_from: match sources_read {
            0 => 0,
            _ => made_from.finish(),
        },
        shape: shape.finish(),
        problems: problems.clone(),
        files_used,
    };
    (register, problems)
}

/// Status as of `today`: not yet in force before `effective`; expired from
/// `expires` on or once a published document replaces it; else in force.
fn status(d: &Document, today: Date) -> Status {
    if d.effective.as_ref().is_some_and(|e| today < e.date()) {
        Status::NotYetInForce
    } else if !d.replaced_by.is_empty() || d.expires.as_ref().is_some_and(|e| today >= e.date()) {
        Status::Expired
    } else {
        Status::InForce
    }
}

/// A second document with a number already issued that year: an error on each
/// later file, naming the first.
fn duplicate_numbers(sources: &[SourceDocument]) -> Vec<Diagnostic> {
    let mut first: HashMap<(&str, i16), &SourceDocument> = HashMap::default();
    let mut problems = Vec::new();
    // By file, so that which one is "the second" does not depend on dates.
    let mut by_file: Vec<&SourceDocument> = sources.iter().collect();
    by_file.sort_by(|a, b| a.source.cmp(&b.source));
    for d in by_file {
        match first.get(&(d.number_key.as_str(), d.year())) {
            Some(other) => problems.push(
                Diagnostic::error(
                    d.display_path(),
                    format!(
                        "the number `{}` of {} is also the number of {}",
                        d.front.number,
                        d.year(),
                        other.display_path()
                    ),
                )
                .at(d.front.lines.of("number").unwrap_or(1), 1)
                .with_hint("a number is unique within the year of `issued`: correct the number of one of them"),
            ),
            None => {
                first.insert((d.number_key.as_str(), d.year()), d);
            }
        }
    }
    problems
}

/// The document of `source`, its relations left to resolve, and the problems
/// with its attachments and body.
fn make_document(
    source: &SourceDocument,
    inputs: &RegisterInputs,
) -> (Document, Vec<Diagnostic>, Vec<String>) {
    let path = source.display_path();
    let mut problems = Vec::new();
    let files_line = source.front.lines.of("files").unwrap_or(1);
    let mut attachments = Vec::new();
    for written in &source.front.files {
        match attachment(written, source.source_dir(), inputs) {
            Ok(a) => {
                if a.bytes == 0 {
                    problems.push(
                        Diagnostic::warning(
                            &path,
                            format!("the attachment `{written}` is an empty file (0 bytes)"),
                        )
                        .at(files_line, 1)
                        .with_hint("readers will download nothing: put the real file in its place"),
                    );
                }
                if a.bytes > LARGE_ATTACHMENT {
                    problems.push(
                        Diagnostic::warning(
                            &path,
                            format!(
                                "the attachment `{written}` is {} MB: readers on a phone wait long for it, and some hosts refuse files this large (Cloudflare Pages over 25 MB, GitHub Pages over 100 MB)",
                                a.bytes / (1024 * 1024)
                            ),
                        )
                        .at(files_line, 1)
                        .with_hint("make it smaller: scan in grey at 150-200 dpi, or export the PDF again with \"reduce file size\"; or split it into parts"),
                    );
                }
                attachments.push(a);
            }
            Err(d) => problems.push(
                Diagnostic::error(&path, d.0)
                    .at(files_line, 1)
                    .with_hint(d.1),
            ),
        }
    }
    let f = &source.front;
    let line_of = |name: &str| f.lines.of(name).unwrap_or(1);
    let number = tidy_number(&f.number);
    let aliases = with_untidy_address(source);
    if number != f.number {
        let mut hint = format!(
            "write the số ký hiệu alone, as issued: `number: \"{number}\"` (without `Số:`, with a plain `/` and `-`)"
        );
        if let Some(old) = aliases.get(f.aliases.len()) {
            hint.push_str(&format!(
                "; the address the number as written gives, {old}, leads here: if it was published, add `aliases: [\"{old}\"]` as you correct the number"
            ));
        }
        problems.push(
            Diagnostic::warning(
                &path,
                format!("the number `{}` is shown and found as `{number}`", f.number),
            )
            .at(line_of("number"), 1)
            .with_hint(hint),
        );
    }
    if f.issued.date() > inputs.today {
        problems.push(
            Diagnostic::warning(
                &path,
                format!(
                    "`issued` ({}) is after today ({}): the register lists the document first, as the newest",
                    f.issued.date().strftime("%d/%m/%Y"),
                    inputs.today.strftime("%d/%m/%Y")
                ),
            )
            .at(line_of("issued"), 1)
            .with_hint("check the date, its year above all: a document is published once it is issued"),
        );
    }
    if let Some(effective) = &f.effective
        && effective.date() < f.issued.date()
    {
        problems.push(
            Diagnostic::warning(
                &path,
                format!(
                    "`effective` ({}) is before `issued` ({})",
                    effective.date(),
                    f.issued.date()
                ),
            )
            .at(line_of("effective"), 1)
            .with_hint(
                "a document takes effect on or after the day it is issued: check both dates",
            ),
        );
    }
    if let Some(expires) = &f.expires
        && expires.date() < f.effective.as_ref().unwrap_or(&f.issued).date()
    {
        problems.push(
            Diagnostic::warning(
                &path,
                format!(
                    "`expires` ({}) is before the document takes effect",
                    expires.date()
                ),
            )
            .at(line_of("expires"), 1)
            .with_hint("check the dates: the document would never be in force"),
        );
    }
    let rendered = markdown::render_with(
        &source.body,
        source.source_dir(),
        inputs.links,
        inputs.body_options,
    );
    let linked: Vec<String> = rendered
        .references
        .iter()
        .filter_map(|r| content_path(&r.dest, source.source_dir()))
        .collect();
    let mut locator = Locator::new(&source.body);
    for (range, problem) in &rendered.problems {
        let at = locator.locate(range.start).shifted(source.body_line);
        problems.push(super::model::link_diagnostic(&path, problem).at(at.line, at.column));
    }
    let document = Document {
        file: source.source.clone(),
        number,
        number_key: source.number_key.clone(),
        kind: f.kind.clone(),
        issuer: f.issuer.clone(),
        issued: f.issued.clone(),
        effective: f.effective.clone(),
        expires: f.expires.clone(),
        signer: f.signer.clone(),
        field: f.field.clone(),
        title: f.title.clone(),
        attachments,
        replaces: Vec::new(),
        amends: Vec::new(),
        replaced_by: Vec::new(),
        amended_by: Vec::new(),
        status: Status::InForce,
        slug: source.slug.clone(),
        url: document_url(&source.slug),
        body_html: rendered.html,
        attachment_text: String::new(),
        aliases,
        extra: f.extra.clone(),
        draft: f.draft,
        lines: f.lines.clone(),
        source_print: source.file_print,
        type_facet: 0,
        issuer_facet: 0,
        field_facet: None,
        year_facet: 0,
    };
    (document, problems, linked)
}

/// The document's aliases, and the address its number as written gave it
/// where the tidied number gives another (`Số: 25/2024/QĐ-UBND` was
/// `/van-ban/so-25-2024-qd-ubnd/`): an older bantin published it there, and
/// readers' bookmarks and search engines still lead there.
fn with_untidy_address(source: &SourceDocument) -> Vec<String> {
    let f = &source.front;
    let mut aliases = f.aliases.clone();
    let untidy = number_slug(&f.number, f.issued.year());
    if source.slug == number_slug(&tidy_number(&f.number), f.issued.year())
        && untidy != source.slug
        && !slugify(&f.number).is_empty()
    {
        let url = document_url(&untidy);
        if !aliases.contains(&url) {
            aliases.push(url);
        }
    }
    aliases
}

/// The file of content/ `dest`, written in a document in `source_dir`, leads
/// to, if any.
fn content_path(dest: &str, source_dir: &str) -> Option<String> {
    match markdown::local_target(dest, source_dir) {
        LocalTarget::Path { content_path, .. } => Some(content_path),
        _ => None,
    }
}

/// `/van-ban/<slug>/`.
pub fn document_url(slug: &str) -> String {
    format!("/{DOCUMENTS_DIR}/{slug}/")
}

/// An attachment larger than this is warned of (25 MB, the largest file
/// some static hosts take).
const LARGE_ATTACHMENT: u64 = 25 * 1024 * 1024;

/// The attachment written `written` in a document in `source_dir`, or what is
/// wrong with it (message, hint).
fn attachment(
    written: &str,
    source_dir: &str,
    inputs: &RegisterInputs,
) -> Result<Attachment, (String, String)> {
    let rel = match markdown::local_target(written, source_dir) {
        LocalTarget::Path { content_path, .. } => content_path,
        LocalTarget::OutsideContent => {
            return Err((
                format!("the attachment `{written}` is outside the content folder"),
                "put the file under content/ (e.g. content/van-ban/2024/) and write its path from there".to_string(),
            ));
        }
        LocalTarget::NotLocal => {
            return Err((
                format!("the attachment `{written}` is not a file of this site"),
                "download the file, put it under content/van-ban/ and write its path, e.g. \"/van-ban/2024/25-2024-qd-ubnd.pdf\"".to_string(),
            ));
        }
    };
    let found = inputs
        .assets
        .binary_search_by(|f| f.rel.as_str().cmp(&rel))
        .ok()
        .map(|i| &inputs.assets[i]);
    let Some(file) = found else {
        let hint = match nearest_asset(&rel, written, inputs.assets) {
            Some(near) => {
                format!("did you mean `/{near}`? (a path starting with `/` starts from content/)")
            }
            None => {
                "check the file's name and folder; a path starting with `/` starts from content/"
                    .to_string()
            }
        };
        return Err((
            format!(
                "the attachment `{written}` does not exist ({} not found)",
                display_path(&rel)
            ),
            hint,
        ));
    };
    let name = rel.rsplit('/').next().unwrap_or(&rel).to_string();
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    Ok(Attachment {
        path: format!("/{}", url_path(&rel)),
        bytes: (inputs.size_of)(file).unwrap_or(0),
        media_type: media_type(&extension),
        format: if extension.is_empty() {
            "FILE".to_string()
        } else {
            extension.to_ascii_uppercase()
        },
        name,
        rel,
    })
}

/// `rel` as it goes in a URL (links, feeds, open data): the characters an
/// address may not hold, or that would end its path (`#`, `?`), escaped;
/// letters, Vietnamese ones too, left as they are.
/// `van-ban/Quyết định 25 (bản scan).pdf` -> `van-ban/Quyết%20định%2025%20(bản%20scan).pdf`.
fn url_path(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for c in rel.chars() {
        match c {
            ' ' | '"' | '#' | '%' | '<' | '>' | '?' | '\\' | '^' | '`' | '{' | '|' | '}' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            c if c.is_control() => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The file a clerk most likely meant by a missing attachment: one whose path
/// differs only in case (`.PDF` for `.pdf`: Windows does not tell them
/// apart, the host does), the same path from content/ (`van-ban/…` written
/// without its `/`), the same name in another folder, or a name one or two
/// typos away in the same folder.
fn nearest_asset<'a>(rel: &str, written: &str, assets: &'a [SourceFile]) -> Option<&'a str> {
    let lower = rel.to_lowercase();
    let from_root = crate::content::text::to_nfc(written.trim_start_matches("./").to_string());
    let name_of = |path: &str| path.rsplit('/').next().unwrap_or(path).to_lowercase();
    let folder_of = |path: &str| path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
    let name = name_of(rel);
    let folder = folder_of(rel);
    let all = || assets.iter().map(|f| f.rel.as_str());
    all()
        .find(|a| a.to_lowercase() == lower)
        .or_else(|| all().find(|a| *a == from_root))
        .or_else(|| {
            let mut same_name = all().filter(|a| name_of(a) == name);
            // Only where one file is meant.
            match (same_name.next(), same_name.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        })
        .or_else(|| {
            all()
                .filter(|a| folder_of(a) == folder)
                .map(|a| (strsim::levenshtein(&name_of(a), &name), a))
                .filter(|(distance, _)| *distance <= 2)
                .min()
                .map(|(_, a)| a)
        })
}

/// The media type of a file by its extension (the formats portals publish).
pub fn media_type(extension: &str) -> &'static str {
    match extension {
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "rtf" => "application/rtf",
        "txt" => "text/plain",
        "zip" => "application/zip",
        "rar" => "application/vnd.rar",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        _ => "application/octet-stream",
    }
}

/// Groups documents (in order) by the slug of `key`; a group's name is its
/// most used spelling. Sorted by slug.
fn facets(
    documents: &[Document],
    kind: FacetKind,
    key: impl Fn(&Document) -> Option<String>,
) -> Vec<Facet> {
    let mut by_slug: HashMap<String, (Vec<usize>, HashMap<String, usize>)> = HashMap::default();
    for (i, d) in documents.iter().enumerate() {
        let Some(name) = key(d) else { continue };
        let slug = slugify(&name);
        if slug.is_empty() {
            continue;
        }
        let (list, names) = by_slug.entry(slug).or_default();
        list.push(i);
        *names.entry(name).or_default() += 1;
    }
    let mut facets: Vec<Facet> = by_slug
        .into_iter()
        .map(|(slug, (documents, names))| {
            let name = names
                .into_iter()
                .max_by(|(a, na), (b, nb)| na.cmp(nb).then_with(|| b.cmp(a)))
                .map(|(name, _)| name)
                .unwrap_or_default();
            Facet {
                url: format!("/{DOCUMENTS_DIR}/{}/{slug}/", kind.folder()),
                name,
                slug,
                documents,
            }
        })
        .collect();
    facets.sort_by(|a, b| a.slug.cmp(&b.slug));
    facets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::document::parse_document;

    struct NoLinks;
    impl SiteLinks for NoLinks {
        fn article(&self, _: &str) -> Option<markdown::LinkedArticle<'_>> {
            None
        }
        fn base_path(&self) -> &str {
            ""
        }
    }

    fn doc(file: &str, number: &str, issued: &str, more: &str) -> SourceDocument {
        let text = format!(
            "---\nnumber: \"{number}\"\ntype: \"Quyết định\"\nissuer: \"UBND phường An Khánh\"\nissued: {issued}\ntitle: \"Về việc {number}\"\n{more}---\n"
        );
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
        parse_document(file, text.as_bytes(), &tz).unwrap()
    }

    fn register(docs: Vec<SourceDocument>, today: &str) -> (Register, Vec<Diagnostic>) {
        let assets = vec![SourceFile {
            rel: "van-ban/a.pdf".into(),
            abs: "/nowhere/a.pdf".into(),
            stamp: None,
        }];
        let inputs = RegisterInputs {
            assets: &assets,
            size_of: &|_| Some(250_880),
            today: today.parse().unwrap(),
            include_drafts: false,
            links: &NoLinks,
            body_options: markdown::BodyOptions::default(),
        };
        build_register(docs, &inputs)
    }

    #[test]
    fn a_replaced_number_names_the_latest_issued_before() {
        let (r, problems) = register(
            vec![
                doc("van-ban/a.md", "01/QĐ-UBND", "2019-01-02", ""),
                doc("van-ban/b.md", "01/QĐ-UBND", "2020-01-02", ""),
                doc(
                    "van-ban/c.md",
                    "07/QĐ-UBND",
                    "2021-05-02",
                    "replaces: [\"01/QD-UBND\"]\n",
                ),
            ],
            "2024-01-01",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let by_file = |f: &str| r.documents.iter().position(|d| d.file == f).unwrap();
        let (a, b, c) = (
            by_file("van-ban/a.md"),
            by_file("van-ban/b.md"),
            by_file("van-ban/c.md"),
        );
        assert_eq!(r.documents[c].replaces[0].document, Some(b));
        assert_eq!(r.documents[b].replaced_by, [c]);
        assert_eq!(r.documents[b].status, Status::Expired);
        assert_eq!(r.documents[a].status, Status::InForce);
        assert_eq!(r.documents[b].slug, "01-qd-ubnd-2020");
    }

    #[test]
    fn status_follows_the_build_date() {
        let d = || {
            vec![doc(
                "van-ban/a.md",
                "05/KH-UBND",
                "2025-01-02",
                "effective: 2025-02-01\nexpires: 2025-12-31\n",
            )]
        };
        assert_eq!(
            register(d(), "2025-01-31").0.documents[0].status,
            Status::NotYetInForce
        );
        assert_eq!(
            register(d(), "2025-02-01").0.documents[0].status,
            Status::InForce
        );
        assert_eq!(
            register(d(), "2025-12-31").0.documents[0].status,
            Status::Expired
        );
    }

    #[test]
    fn a_number_twice_in_a_year_names_both_files() {
        let (_, problems) = register(
            vec![
                doc("van-ban/a.md", "05/KH-UBND", "2025-01-02", ""),
                doc("van-ban/b.md", "05/kh-ubnd", "2025-06-02", ""),
                doc("van-ban/c.md", "05/KH-UBND", "2024-06-02", ""),
            ],
            "2025-07-01",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "content/van-ban/b.md");
        assert!(problems[0].message.contains("content/van-ban/a.md"));
    }

    #[test]
    fn attachments_must_exist_inside_content() {
        let (r, problems) = register(
            vec![doc(
                "van-ban/a.md",
                "1/QĐ",
                "2025-01-02",
                "files: [\"a.pdf\", \"/van-ban/b.pdf\", \"../../etc/passwd\"]\n",
            )],
            "2025-07-01",
        );
        let a = &r.documents[0].attachments[0];
        assert_eq!(
            (a.path.as_str(), a.bytes, a.format.as_str()),
            ("/van-ban/a.pdf", 250_880, "PDF")
        );
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.contains("does not exist"));
        assert!(problems[1].message.contains("outside the content folder"));
        assert_eq!(problems[0].line, Some(7));
    }

    #[test]
    fn facets_group_by_slug() {
        let (r, _) = register(
            vec![
                doc("van-ban/a.md", "1/QĐ", "2025-01-02", "field: \"Đất đai\"\n"),
                doc("van-ban/b.md", "2/QĐ", "2024-01-02", "field: \"đất đai\"\n"),
            ],
            "2025-07-01",
        );
        assert_eq!(r.fields.len(), 1);
        assert_eq!(r.fields[0].url, "/van-ban/linh-vuc/dat-dai/");
        assert_eq!(r.years[0].name, "2025");
        assert_eq!(r.types[0].documents, [0, 1]);
    }
}
