//! The theme's stylesheet as published: the site's colours from site.yaml added,
//! and a name that changes with its content (`style.3f9a0c1b2d.css`), so that
//! browsers may cache it for a year and still never show a stale one.

use crate::config::Config;
use crate::theme::Theme;

/// The stylesheet's bytes and the file name they are published under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stylesheet {
    pub file: String,
    pub bytes: Vec<u8>,
}

impl Stylesheet {
    /// The link pages make to it.
    pub fn link(&self, config: &Config) -> String {
        config.link(&format!("/{}", self.file))
    }

    /// The stylesheet of `theme` with the colours of `config`.
    pub fn of(theme: &Theme, config: &Config) -> Stylesheet {
        let theme_css = theme.stylesheet.as_ref().map_or("", |s| s.text.as_str());
        Stylesheet::new(theme_css, &config.colors)
    }

    /// `colors` are (name, `#rrggbb`) pairs; each sets the CSS variable `--name`.
    pub fn new(theme_css: &str, colors: &[(String, String)]) -> Stylesheet {
        let mut css = theme_css.to_string();
        if !colors.is_empty() {
            let vars: String = colors
                .iter()
                .map(|(name, value)| format!("--{name}:{value};"))
                .collect();
            css.push_str(&format!(
                "\n/* colours from site.yaml */\n:root{{{vars}}}\n"
            ));
        }
        Stylesheet {
            file: format!("style.{:010x}.css", fnv1a(css.as_bytes()) & 0xff_ffff_ffff),
            bytes: css.into_bytes(),
        }
    }
}

/// FNV-1a, 64 bits: small, and stable across Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_follows_content_and_colours_are_appended() {
        let plain = Stylesheet::new("body{}", &[]);
        let blue = Stylesheet::new("body{}", &[("primary".into(), "#004a8f".into())]);
        assert!(plain.file.starts_with("style.") && plain.file.ends_with(".css"));
        assert_ne!(plain.file, blue.file);
        assert_eq!(plain, Stylesheet::new("body{}", &[]));
        assert!(
            String::from_utf8(blue.bytes)
                .unwrap()
                .ends_with(":root{--primary:#004a8f;}\n")
        );
    }
}
