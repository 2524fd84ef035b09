use bantin::build::{BuildOptions, load_site};
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let (loaded, _, _) = load_site(&BuildOptions::new(root)).unwrap();
    let mut times = Vec::new();
    let runs: usize = std::env::args().nth(2).map_or(7, |n| n.parse().unwrap());
    for _ in 0..runs {
        let t = std::time::Instant::now();
        let files = bantin::search::index::build_index(&loaded.site);
        times.push(t.elapsed().as_millis());
        std::hint::black_box(files);
    }
    times.sort();
    println!(
        "index: median {} ms, all {:?}",
        times[times.len() / 2],
        times
    );
}
