//! `bantin init [DIR]`: a new portal that builds at once, as `hugo new site` and
//! `zola init` start theirs. A ward's clerk gets a `site.yaml` with every setting
//! named and explained (the agency's fields commented out, to fill in), the menu,
//! an about page and a first article; the folder must be new or empty, so that no
//! one's files are ever overwritten.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::Zoned;

use crate::config::CONFIG_FILE;
use crate::content::new_article::new_article;

/// The files of a new site, by path relative to its folder.
pub fn new_site_files(now: &Zoned) -> Vec<(String, String)> {
    let first = new_article(FIRST_TITLE, NEWS, now).expect("a title and category with letters");
    let first_text = format!("{}\n{FIRST_BODY}", first.text.trim_end());
    vec![
        (CONFIG_FILE.to_string(), SITE_YAML.to_string()),
        (
            "content/gioi-thieu/gioi-thieu-chung.md".to_string(),
            ABOUT.replace("{date}", &now.strftime("%Y-%m-%d").to_string()),
        ),
        (format!("content/{}", first.rel), first_text),
    ]
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{} is not empty (it holds `{first}`); bantin init starts a site only in a new or empty folder", .dir.display())]
    NotEmpty { dir: PathBuf, first: String },
    #[error("{} is a file, not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot write {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Writes a new site into `dir` (made if it does not exist) and returns the paths
/// written. A folder that holds anything is refused before anything is written.
pub fn init(dir: &Path, now: &Zoned) -> Result<Vec<PathBuf>, InitError> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if let Some(entry) = entries.next() {
                let first = entry
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .unwrap_or_else(|_| "files".to_string());
                return Err(InitError::NotEmpty {
                    dir: dir.to_path_buf(),
                    first,
                });
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(_) if dir.is_file() => return Err(InitError::NotAFolder(dir.to_path_buf())),
        Err(source) => {
            return Err(InitError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    }
    let mut written = Vec::new();
    for (rel, text) in new_site_files(now) {
        let path = dir.join(&rel);
        let io_error = |source| InitError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_error)?;
        }
        // create_new: nothing is overwritten, even a file made meanwhile.
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| io::Write::write_all(&mut file, text.as_bytes()))
            .map_err(io_error)?;
        written.push(path);
    }
    Ok(written)
}

const NEWS: &str = "Tin tức";
const FIRST_TITLE: &str = "Khai trương cổng thông tin điện tử";

const FIRST_BODY: &str = "\
Cổng thông tin điện tử chính thức đi vào hoạt động, đăng tải tin tức, thông báo và \
văn bản của cơ quan.

Mỗi bài viết là một tệp Markdown trong thư mục `content/`: phần đầu (giữa hai dòng \
`---`) ghi tiêu đề, ngày đăng và chuyên mục, phần sau là nội dung. Viết bài mới bằng \
lệnh `bantin new --category \"Tin tức\" \"Tiêu đề bài viết\"`.
";

const ABOUT: &str = "\
---
title: \"Giới thiệu chung\"
date: {date}
category: \"Giới thiệu\"
slug: \"gioi-thieu-chung\"
summary: \"Chức năng, nhiệm vụ và cơ cấu tổ chức của cơ quan.\"
---

Giới thiệu cơ quan: vị trí, chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức; \
địa chỉ, điện thoại và thư điện tử liên hệ.

(Thay nội dung này bằng giới thiệu của cơ quan; site.yaml cho menu \"Giới thiệu\" dẫn \
tới trang này qua dòng `about:`.)
";

const SITE_YAML: &str = r##"# Cài đặt của cổng thông tin (site settings). Only `title` is required; every
# other line has a default. Lines starting with # are notes: remove the # to use one.

title: "Cổng thông tin điện tử"
# description: "Tin tức, thông báo và văn bản của Ủy ban nhân dân phường ..."

# The address readers use: feeds, the sitemap and share links need it.
# base_url: "https://tenphuong.tinh.gov.vn"

language: vi          # vi | en: the theme's words and date formats
timezone: "+07:00"    # dates written without an offset are read in it
# theme: default      # a folder under themes/
# paginate: 20        # articles per listing page
# related: 5          # articles in "Tin mới hơn" and in "Tin đã đưa"
# most_read: 10       # articles in the most-read list

# The agency that publishes the portal (cơ quan chủ quản), shown in the header and
# footer; Decree 42/2022/NĐ-CP asks a portal to name it.
# agency:
#   name: "Ủy ban nhân dân phường ..."
#   address: "Số ..., đường ..., phường ..., tỉnh ..."
#   phone: "(0xxx) xxx xxxx"
#   email: "ubnd@tenphuong.tinh.gov.vn"
#   responsible: "Chủ tịch Ủy ban nhân dân phường ..."   # chịu trách nhiệm chính

# The emblem: an image under content/ (content/images/logo.png -> "/images/logo.png")
# or a full URL. It is also the browser tab's icon.
# logo: "/images/logo.png"

# The theme's colours, as #rrggbb.
# colors:
#   primary: "#a50e0e"
#   dark: "#6e0909"
#   link: "#a50e0e"

# The menu's categories, in order (default: every category).
menu: ["Tin tức"]
# featured: ["Thông báo"]      # categories with a block of their own on the home page

# Where the menu's "Giới thiệu" leads: a page of the site or a full URL.
about: "/gioi-thieu/gioi-thieu-chung/"

# search: false                # leaves out the search page and box
"##;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_site_has_settings_an_about_page_and_a_first_article() {
        let now: Zoned = "2026-12-06T09:45:00+07:00[+07:00]".parse().unwrap();
        let files = new_site_files(&now);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "site.yaml",
                "content/gioi-thieu/gioi-thieu-chung.md",
                "content/tin-tuc/2026/khai-truong-cong-thong-tin-dien-tu.md"
            ]
        );
        let yaml = &files[0].1;
        for field in ["name", "address", "phone", "email", "responsible"] {
            assert!(yaml.contains(&format!("#   {field}: ")), "{field}");
        }
        assert!(files[1].1.contains("date: 2026-12-06\n"));
    }
}
