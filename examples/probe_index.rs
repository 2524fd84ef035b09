fn main() {
    let root = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let (loaded, _, _) = bantin::build::load_site(&bantin::build::BuildOptions::new(root)).map_err(|_| ()).unwrap();
    eprintln!("load {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let files = bantin::search::index::build_index(&loaded.site);
    let total: usize = files.files.iter().map(|(_, b)| b.len()).sum();
    eprintln!("index {:?}: {} files, {} bytes", t.elapsed(), files.files.len(), total);
}
