//! What the register's templates receive (views of documents, ready to print in
//! the site's language), and the register's files made in Rust: its Atom feed,
//! its open data (`/van-ban/index.json`) and redirects from documents' old URLs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use jiff::Zoned;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::generated::escape;
use super::locale::Locale;
use crate::content::document::DOCUMENTS_DIR;
use crate::fingerprint::{Fingerprint, FingerprintWriter};
use crate::site::documents::{Attachment, Document, Facet, FacetKind, Relation, Status};
use crate::site::model::Site;
use crate::site::plan::{self, RegisterList, RegisterPage, list_page_path};

/// A document for a template, as a row of the register shows it (its own
/// page adds [`PageOnly`]).
#[derive(Serialize)]
pub struct DocumentView<'a> {
    pub number: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    /// Hình thức, cơ quan ban hành, lĩnh vực and năm, each with its facet's page.
    pub kind: FacetLink<'a>,
    pub issuer: FacetLink<'a>,
    pub field: Option<FacetLink<'a>>,
    pub year: FacetLink<'a>,
    /// `2024-03-12`, for `<time datetime>`.
    pub issued_iso: String,
    /// `12/03/2024`.
    pub issued_text: String,
    pub effective_iso: Option<String>,
    pub effective_text: Option<String>,
    pub expires_iso: Option<String>,
    pub expires_text: Option<String>,
    pub signer: Option<&'a str>,
    pub status: StatusView,
    pub attachments: Vec<AttachmentView<'a>>,
    pub extra: &'a Map<String, Value>,
}

/// What only a document's own page shows of it, besides its row's view: its
/// relations both ways, its body and its schema.org JSON-LD.
#[derive(Serialize)]
struct PageOnly<'a> {
    replaces: Vec<RelationView<'a>>,
    amends: Vec<RelationView<'a>>,
    replaced_by: Vec<RelationView<'a>>,
    amended_by: Vec<RelationView<'a>>,
    body: Option<&'a str>,
    json_ld: Option<String>,
}

#[derive(Serialize)]
pub struct FacetLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct StatusView {
    /// `con-hieu-luc`, `het-hieu-luc` or `chua-co-hieu-luc`.
    pub code: &'static str,
    /// "Còn hiệu lực", as the language file says.
    pub text: String,
}

#[derive(Serialize)]
pub struct AttachmentView<'a> {
    pub name: &'a str,
    pub url: String,
    /// The file's whole address, which a printed page shows.
    pub permalink: String,
    /// `PDF`.
    pub format: &'a str,
    pub media_type: &'a str,
    pub bytes: u64,
    /// `245 KB`.
    pub size_text: String,
}

/// A related document: its number, and its page when it is in the register.
#[derive(Serialize)]
pub struct RelationView<'a> {
    pub number: &'a str,
    pub title: Option<&'a str>,
    pub url: Option<String>,
}

/// A page of the register or of a facet.
#[derive(Serialize)]
pub struct RegisterView {
    /// `all`, `type`, `issuer`, `field` or `year`.
    pub kind: &'static str,
    pub name: String,
    pub number: usize,
    pub total_pages: usize,
    /// Their rows: [`DocumentView`]s, made once a build.
    pub documents: Vec<tera::Value>,
    /// Their rows' HTML, each made once a build from the theme's
    /// [`ROW_TEMPLATE`] (none when the theme has no such template).
    pub rows: Vec<String>,
    /// The choices of the form that narrows this page's rows.
    pub filter: RegisterFilter,
    /// The documents listed, by their place in the register.
    #[serde(skip)]
    pub listed: Vec<usize>,
    pub first: String,
    pub last: String,
    /// The newer page (`rel="prev"`), if any.
    pub newer: Option<String>,
    /// The older page (`rel="next"`), if any.
    pub older: Option<String>,
    pub feed_url: String,
    pub data_url: String,
    /// The register's first page.
    pub register_url: String,
    /// Every facet, for the links beside the table: [`FacetGroup`]s, made
    /// once a build.
    pub facets: tera::Value,
}

/// What the rows of one register page are: the choices of its filter, each
/// once, in the order they are offered.
#[derive(Serialize, Default)]
pub struct RegisterFilter {
    /// Forms (hình thức), in alphabetical order.
    pub types: Vec<String>,
    /// Years, newest first.
    pub years: Vec<String>,
    /// Statuses, by their code.
    pub statuses: Vec<StatusView>,
}

#[derive(Serialize)]
pub struct FacetGroup<'a> {
    /// `type`, `issuer`, `field` or `year`.
    pub kind: &'static str,
    pub name: String,
    pub facets: Vec<FacetLink<'a>>,
}

/// The theme's template of one row of the register's tables, rendered once a
/// build for each document it lists (a document is listed on five pages: the
/// register's and its four facets').
pub const ROW_TEMPLATE: &str = "partials/register_row.html";

/// A document's row in the register's tables, made once a build.
pub struct RegisterRow {
    /// Its [`DocumentView`].
    pub view: tera::Value,
    /// Its HTML from [`ROW_TEMPLATE`], or why the template failed; `None` when
    /// the theme has no such template.
    pub html: Option<Result<String, String>>,
    /// The fingerprint of its view, made when a page's is first asked for
    /// (`None` if it could not be taken).
    print: OnceLock<Option<Fingerprint>>,
}

/// Builds template views of the register in the site's language.
#[derive(Clone, Copy)]
pub struct DocumentViews<'a> {
    pub site: &'a Site,
    pub locale: &'a Locale,
    /// The renderer's rows of the register's tables, by document, and links
    /// to every facet, each made once (see [`DocumentViews::register`]).
    pub rows: &'a [OnceLock<RegisterRow>],
    pub facets: &'a OnceLock<tera::Value>,
    /// The fingerprint of the links to every facet (see
    /// [`DocumentViews::register_print`]).
    pub facets_print: &'a OnceLock<Option<Fingerprint>>,
    /// The templates, when they have [`ROW_TEMPLATE`].
    pub row_template: Option<&'a tera::Tera>,
}

fn facet_key(kind: FacetKind) -> &'static str {
    match kind {
        FacetKind::Type => "type",
        FacetKind::Issuer => "issuer",
        FacetKind::Field => "field",
        FacetKind::Year => "year",
    }
}

impl<'a> DocumentViews<'a> {
    fn link(&self, path: &str) -> String {
        self.site.config.link(path)
    }

    fn facet(&self, facet: &'a Facet) -> FacetLink<'a> {
        FacetLink {
            name: &facet.name,
            slug: &facet.slug,
            url: self.link(&facet.url),
            count: facet.documents.len(),
        }
    }

    fn date(&self, date: &Zoned) -> String {
        self.locale.short_date(date)
    }

    pub fn status(&self, status: Status) -> StatusView {
        StatusView {
            code: status.code(),
            text: self.locale.word(status_word(status)).to_string(),
        }
    }

    /// The document at `index`, as a row of the register shows it (its own
    /// page adds what [`DocumentViews::page`] does).
    pub fn document(&self, index: usize) -> DocumentView<'a> {
        let register = &self.site.documents;
        let d = &register.documents[index];
        DocumentView {
            number: &d.number,
            title: &d.title,
            url: self.link(&d.url),
            permalink: self.site.config.absolute_url(&d.url),
            kind: self.facet(&register.types[d.type_facet]),
            issuer: self.facet(&register.issuers[d.issuer_facet]),
            field: d.field_facet.map(|f| self.facet(&register.fields[f])),
            year: self.facet(&register.years[d.year_facet]),
            issued_iso: d.issued.date().to_string(),
            issued_text: self.date(&d.issued),
            effective_iso: d.effective.as_ref().map(|e| e.date().to_string()),
            effective_text: d.effective.as_ref().map(|e| self.date(e)),
            expires_iso: d.expires.as_ref().map(|e| e.date().to_string()),
            expires_text: d.expires.as_ref().map(|e| self.date(e)),
            signer: d.signer.as_deref(),
            status: self.status(d.status),
            attachments: d.attachments.iter().map(|a| self.attachment(a)).collect(),
            extra: &d.extra,
        }
    }

    /// What only the own page of the document at `index` shows.
    fn page_only(&self, index: usize) -> PageOnly<'a> {
        let register = &self.site.documents;
        let d = &register.documents[index];
        let relations = |list: &'a [Relation]| -> Vec<RelationView<'a>> {
            list.iter()
                .map(|r| match r.document {
                    Some(j) => self.related(j, &r.number),
                    None => RelationView {
                        number: &r.number,
                        title: None,
                        url: None,
                    },
                })
                .collect()
        };
        let reverse = |list: &[usize]| -> Vec<RelationView<'a>> {
            list.iter()
                .map(|&j| self.related(j, &register.documents[j].number))
                .collect()
        };
        PageOnly {
            replaces: relations(&d.replaces),
            amends: relations(&d.amends),
            replaced_by: reverse(&d.replaced_by),
            amended_by: reverse(&d.amended_by),
            body: (!d.body_html.trim().is_empty()).then_some(d.body_html.as_str()),
            json_ld: Some(self.json_ld(d)),
        }
    }

    /// The view of the document at `index` for its own page: its row's view
    /// (made once for both) with what only its page shows; and, when `print`,
    /// its fingerprint (`None` if it could not be taken).
    pub fn page(&self, index: usize, print: bool) -> (tera::Value, Option<Fingerprint>) {
        let row = self.rows[index].get_or_init(|| self.row(index));
        let only = self.page_only(index);
        let fingerprint = print
            .then(|| {
                let mut writer = FingerprintWriter::new();
                writer.add(&self.row_print(index)?.to_le_bytes());
                writer.add_value(&only).ok()?;
                Some(writer.finish())
            })
            .flatten();
        let mut view = row.view.as_map().cloned().unwrap_or_default();
        if let Some(only) = tera::Value::from_serializable(&only).into_map() {
            view.extend(only);
        }
        (tera::Value::from(view), fingerprint)
    }

    fn related(&self, j: usize, number: &'a str) -> RelationView<'a> {
        let other = &self.site.documents.documents[j];
        RelationView {
            number,
            title: Some(&other.title),
            url: Some(self.link(&other.url)),
        }
    }

    fn attachment(&self, a: &'a Attachment) -> AttachmentView<'a> {
        AttachmentView {
            name: &a.name,
            url: self.link(&a.path),
            permalink: self.site.config.absolute_url(&a.path),
            format: &a.format,
            media_type: a.media_type,
            bytes: a.bytes,
            size_text: size_text(a.bytes, &self.locale.formats.thousands_separator),
        }
    }

    /// schema.org `Legislation`, as search engines read it.
    fn json_ld(&self, d: &Document) -> String {
        let config = &self.site.config;
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "Legislation",
            "name": d.title,
            "legislationIdentifier": d.number,
            "legislationType": d.kind,
            "legislationDate": d.issued.date().to_string(),
            "datePublished": d.issued.date().to_string(),
            "legislationLegalForce": match d.status {
                Status::InForce => "InForce",
                Status::NotYetInForce | Status::Expired => "NotInForce",
            },
            "legislationPassedBy": {"@type": "GovernmentOrganization", "name": d.issuer},
            "inLanguage": config.language.code(),
            "url": config.absolute_url(&d.url),
        });
        if let Some(map) = ld.as_object_mut() {
            if let Some(e) = &d.effective {
                map.insert(
                    "legislationDateOfApplicability".into(),
                    e.date().to_string().into(),
                );
            }
            if let Some(e) = &d.expires {
                map.insert("expires".into(), e.date().to_string().into());
            }
            if let Some(field) = &d.field {
                map.insert("about".into(), field.clone().into());
            }
            if let Some(signer) = &d.signer {
                map.insert(
                    "legislationResponsible".into(),
                    json!({"@type": "Person", "name": signer}),
                );
            }
            if !d.attachments.is_empty() {
                let encodings: Vec<Value> = d
                    .attachments
                    .iter()
                    .map(|a| {
                        json!({
                            "@type": "LegislationObject",
                            "contentUrl": config.absolute_url(&a.path),
                            "encodingFormat": a.media_type,
                            "contentSize": a.bytes.to_string(),
                        })
                    })
                    .collect();
                map.insert("encoding".into(), encodings.into());
            }
        }
        // In a <script>: `</` would end it.
        ld.to_string().replace("</", "<\\/")
    }

    /// A page of the register or of one of its facets; `Err` with the row
    /// template's error if a row could not be made.
    pub fn register(&self, page: &RegisterPage) -> Result<RegisterView, String> {
        let site = self.site;
        let register = &site.documents;
        let (kind, name) = match page.list {
            RegisterList::All => ("all", self.locale.word("documents").to_string()),
            RegisterList::Facet(kind, i) => {
                let facet = &register.facets(kind)[i];
                (
                    facet_key(kind),
                    format!("{}: {}", self.locale.word(facet_word(kind)), facet.name),
                )
            }
        };
        let first = page.list.first_path(site);
        let link = |n: usize| self.link(&list_page_path(&first, n));
        let listed = page.list.documents(site).slice(page.items.clone());
        let rows: Vec<&RegisterRow> = listed
            .iter()
            .map(|&i| self.rows[i].get_or_init(|| self.row(i)))
            .collect();
        let html = rows
            .iter()
            .filter_map(|row| row.html.clone())
            .collect::<Result<_, _>>()?;
        Ok(RegisterView {
            kind,
            name,
            number: page.number,
            total_pages: page.total_pages,
            documents: rows.iter().map(|row| row.view.clone()).collect(),
            rows: html,
            filter: self.filter(&listed),
            listed,
            first: link(1),
            last: link(page.total_pages),
            newer: (page.number > 1).then(|| link(page.number - 1)),
            older: (page.number < page.total_pages).then(|| link(page.number + 1)),
            feed_url: self.link(&format!("/{DOCUMENTS_DIR}/feed.xml")),
            data_url: self.link(&format!("/{DOCUMENTS_DIR}/index.json")),
            register_url: self.link(&format!("/{DOCUMENTS_DIR}/")),
            facets: self
                .facets
                .get_or_init(|| tera::Value::from_serializable(&self.facet_groups()))
                .clone(),
        })
    }

    /// The row of document `index`: its view, and its HTML when the theme
    /// has a template for it (made here in Rust, the row would not be the
    /// theme's to change).
    fn row(&self, index: usize) -> RegisterRow {
        let view = tera::Value::from_serializable(&self.document(index));
        let html = self.row_template.map(|tera| {
            let mut context = tera::Context::new();
            context.insert_value("document", view.clone());
            // Shrunk: made in a buffer sized for a whole page, and kept for
            // the whole build.
            tera.render(ROW_TEMPLATE, &context)
                .map(|mut html| {
                    html.shrink_to_fit();
                    html
                })
                .map_err(|e| super::error_chain(&e))
        });
        RegisterRow {
            view,
            html,
            print: OnceLock::new(),
        }
    }

    /// The fingerprint of a register page's `view`, made of its documents'
    /// and facets' views (`None` if it could not be taken). Not the Tera
    /// values the page receives: their maps' order changes from run to run,
    /// and so would the fingerprint.
    pub fn register_print(&self, view: &RegisterView) -> Option<Fingerprint> {
        let mut print = FingerprintWriter::new();
        let own = (
            view.kind,
            &view.name,
            view.number,
            view.total_pages,
            &view.rows,
            &view.filter,
            (&view.first, &view.last, &view.newer, &view.older),
            (&view.feed_url, &view.data_url, &view.register_url),
        );
        print.add_value(&own).ok()?;
        for &i in &view.listed {
            print.add(&self.row_print(i)?.to_le_bytes());
        }
        let facets = self.facets_print.get_or_init(|| {
            let mut print = FingerprintWriter::new();
            let made = print.add_value(&self.facet_groups());
            made.ok().map(|_| print.finish())
        });
        print.add(&(*facets)?.to_le_bytes());
        Some(print.finish())
    }

    /// The fingerprint of the row view of the document at `index`.
    fn row_print(&self, index: usize) -> Option<Fingerprint> {
        let row = self.rows[index].get_or_init(|| self.row(index));
        *row.print.get_or_init(|| {
            let mut print = FingerprintWriter::new();
            let made = print.add_value(&self.document(index));
            made.ok().map(|_| print.finish())
        })
    }

    /// The choices of the filter of a page listing `documents`.
    fn filter(&self, documents: &[usize]) -> RegisterFilter {
        let register = &self.site.documents;
        let mut types = BTreeSet::new();
        let mut years = BTreeSet::new();
        let mut statuses = BTreeMap::new();
        for &i in documents {
            let d = &register.documents[i];
            types.insert(register.types[d.type_facet].name.as_str());
            years.insert(register.years[d.year_facet].name.as_str());
            statuses.insert(d.status.code(), d.status);
        }
        RegisterFilter {
            types: types.into_iter().map(str::to_string).collect(),
            years: years.into_iter().rev().map(str::to_string).collect(),
            statuses: statuses.into_values().map(|s| self.status(s)).collect(),
        }
    }

    fn facet_groups(&self) -> Vec<FacetGroup<'a>> {
        let register = &self.site.documents;
        FacetKind::ALL
            .into_iter()
            .filter(|&kind| !register.facets(kind).is_empty())
            .map(|kind| FacetGroup {
                kind: facet_key(kind),
                name: self.locale.word(facet_word(kind)).to_string(),
                facets: register
                    .facets(kind)
                    .iter()
                    .map(|f| self.facet(f))
                    .collect(),
            })
            .collect()
    }

    /// The home page's "Văn bản mới".
    pub fn newest(&self) -> Vec<DocumentView<'a>> {
        plan::newest_documents(self.site)
            .map(|i| self.document(i))
            .collect()
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::NotYetInForce => "status_not_yet_in_force",
        Status::InForce => "status_in_force",
        Status::Expired => "status_expired",
    }
}

fn facet_word(kind: FacetKind) -> &'static str {
    match kind {
        FacetKind::Type => "document_type",
        FacetKind::Issuer => "document_issuer",
        FacetKind::Field => "document_field",
        FacetKind::Year => "document_year",
    }
}

/// A file's size as readers read it: `812 B`, `245 KB`, `1,2 MB` (the decimal
/// mark is the one that is not the thousands separator).
pub fn size_text(bytes: u64, thousands_separator: &str) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    let decimal = if thousands_separator == "." { "," } else { "." };
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{} KB", (bytes + KB / 2) / KB)
    } else {
        let tenths = (bytes * 10 + MB / 2) / MB;
        format!("{}{decimal}{} MB", tenths / 10, tenths % 10)
    }
}

/// `/van-ban/feed.xml`: the newest documents as Atom entries.
pub fn document_feed(site: &Site, locale: &Locale) -> String {
    let config = &site.config;
    let register = &site.documents;
    let page_path = format!("/{DOCUMENTS_DIR}/");
    let entries = plan::document_feed_entries(site);
    let updated = entries.clone().map(|i| &register.documents[i].issued).max();
    let title = format!("{} - {}", locale.word("documents"), config.title);
    let mut xml = String::with_capacity(2048 + entries.len() * 1024);
    super::generated::atom_head(&mut xml, site, (&title, None), &page_path, updated);
    for i in entries {
        let d = &register.documents[i];
        let url = config.absolute_url(&d.url);
        let issued = super::format::iso(&d.issued);
        xml.push_str("  <entry>\n");
        let _ = writeln!(
            xml,
            "    <title>{}</title>",
            escape(&format!("{} {}: {}", d.kind, d.number, d.title))
        );
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&url)
        );
        for a in &d.attachments {
            let _ = writeln!(
                xml,
                "    <link rel=\"enclosure\" type=\"{}\" length=\"{}\" href=\"{}\"/>",
                a.media_type,
                a.bytes,
                escape(&config.absolute_url(&a.path))
            );
        }
        let _ = writeln!(xml, "    <id>{}</id>", escape(&url));
        let _ = writeln!(xml, "    <published>{issued}</published>");
        let _ = writeln!(xml, "    <updated>{issued}</updated>");
        let _ = writeln!(
            xml,
            "    <author><name>{}</name></author>",
            escape(&d.issuer)
        );
        let _ = writeln!(
            xml,
            "    <category term=\"{}\" label=\"{}\"/>",
            escape(&register.types[d.type_facet].slug),
            escape(&d.kind)
        );
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(&d.title));
        if !d.body_html.trim().is_empty() {
            let _ = writeln!(
                xml,
                "    <content type=\"html\">{}</content>",
                escape(&d.body_html)
            );
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// `/van-ban/index.json`: every published document's fields, address, status
/// and attachments, as open data.
pub fn document_index(site: &Site, locale: &Locale) -> String {
    let config = &site.config;
    let register = &site.documents;
    let url_of = |j: usize| config.absolute_url(&register.documents[j].url);
    let numbers = |list| open_relations(list, &url_of);
    let day = |d: &Zoned| d.date().to_string();
    let documents: Vec<OpenDocument> = register
        .documents
        .par_iter()
        .map(|d| OpenDocument {
            amended_by: d.amended_by.iter().map(|&j| url_of(j)).collect(),
            amends: numbers(&d.amends),
            attachments: d
                .attachments
                .iter()
                .map(|a| OpenAttachment {
                    bytes: a.bytes,
                    media_type: a.media_type,
                    name: &a.name,
                    url: config.absolute_url(&a.path),
                })
                .collect(),
            effective: d.effective.as_ref().map(day),
            expires: d.expires.as_ref().map(day),
            field: d.field.as_deref(),
            issued: day(&d.issued),
            issuer: &d.issuer,
            number: &d.number,
            replaced_by: d.replaced_by.iter().map(|&j| url_of(j)).collect(),
            replaces: numbers(&d.replaces),
            signer: d.signer.as_deref(),
            status: d.status.code(),
            status_text: locale.word(status_word(d.status)),
            title: &d.title,
            kind: &d.kind,
            url: config.absolute_url(&d.url),
        })
        .collect();
    let index = OpenRegister {
        as_of: register.as_of.map(|d| d.to_string()),
        count: documents.len(),
        documents,
        title: format!("{} - {}", locale.word("documents"), config.title),
        url: config.absolute_url(&format!("/{DOCUMENTS_DIR}/")),
    };
    let mut text = serde_json::to_string_pretty(&index).unwrap_or_default();
    text.push('\n');
    text
}

/// The register as open data (fields in the order of their names, as readers
/// of the first version of the file saw them).
#[derive(Serialize)]
struct OpenRegister<'a> {
    as_of: Option<String>,
    count: usize,
    documents: Vec<OpenDocument<'a>>,
    title: String,
    url: String,
}

#[derive(Serialize)]
struct OpenDocument<'a> {
    amended_by: Vec<String>,
    amends: Vec<OpenRelation<'a>>,
    attachments: Vec<OpenAttachment<'a>>,
    effective: Option<String>,
    expires: Option<String>,
    field: Option<&'a str>,
    issued: String,
    issuer: &'a str,
    number: &'a str,
    replaced_by: Vec<String>,
    replaces: Vec<OpenRelation<'a>>,
    signer: Option<&'a str>,
    status: &'static str,
    status_text: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    url: String,
}

fn open_relations<'a>(
    list: &'a [Relation],
    url_of: &dyn Fn(usize) -> String,
) -> Vec<OpenRelation<'a>> {
    list.iter()
        .map(|r| OpenRelation {
            number: &r.number,
            url: r.document.map(url_of),
        })
        .collect()
}

#[derive(Serialize)]
struct OpenRelation<'a> {
    number: &'a str,
    url: Option<String>,
}

#[derive(Serialize)]
struct OpenAttachment<'a> {
    bytes: u64,
    media_type: &'static str,
    name: &'a str,
    url: String,
}

/// A page at a document's old address that sends readers to its page.
pub fn document_redirect(site: &Site, index: usize) -> String {
    let d = &site.documents.documents[index];
    let target = escape(&site.config.absolute_url(&d.url));
    let title = escape(&format!("{} {}", d.number, d.title));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
         <p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        lang = site.config.language.code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_readers_expect() {
        assert_eq!(size_text(812, "."), "812 B");
        assert_eq!(size_text(250_880, "."), "245 KB");
        assert_eq!(size_text(1_258_291, "."), "1,2 MB");
        assert_eq!(size_text(1_258_291, ","), "1.2 MB");
    }
}
