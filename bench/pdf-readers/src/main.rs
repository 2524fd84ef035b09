//! Three PDF text readers side by side: pdf-extract (on lopdf 0.42), lopdf 0.47
//! directly, and pdf_oxide, each on the first 50 pages (pdf-extract: all, its
//! text-from-memory call has no page limit).

use std::time::Instant;

fn oxide(bytes: &[u8]) -> Result<String, String> {
    let doc = pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| e.to_string())?;
    let n = doc.page_count().map_err(|e| e.to_string())?;
    let mut out = String::new();
    for p in 0..n.min(50) {
        out.push_str(&doc.extract_text(p).map_err(|e| e.to_string())?);
        out.push('\n');
    }
    Ok(out)
}

fn lo(bytes: &[u8]) -> Result<String, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().take(50).collect();
    doc.extract_text(&pages).map_err(|e| e.to_string())
}

fn pe(bytes: &[u8]) -> Result<String, String> {
    pdf_extract::extract_text_from_mem(bytes).map_err(|e| e.to_string())
}

/// Each reader on each file given: time, characters, and the text beside the
/// file (`<file>.<reader>.txt`) for comparison; a panic is caught and reported.
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        for (name, f) in [("pdf-extract", pe as fn(&[u8]) -> Result<String, String>), ("lopdf", lo), ("pdf_oxide", oxide)] {
            let t = Instant::now();
            let r = std::panic::catch_unwind(|| f(&bytes));
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            match r {
                Ok(Ok(text)) => {
                    let out = format!("{path}.{name}.txt");
                    std::fs::write(&out, &text).unwrap();
                    println!("{path}\t{name}\t{ms:.1} ms\t{} chars", text.chars().count());
                }
                Ok(Err(e)) => println!("{path}\t{name}\t{ms:.1} ms\terror: {}", e.chars().take(100).collect::<String>()),
                Err(_) => println!("{path}\t{name}\t{ms:.1} ms\tPANIC"),
            }
        }
    }
}
