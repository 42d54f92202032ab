//! Prints the page model our interpreter makes of a PDF: every glyph (origin, advance, size,
//! angle, font) and ruling segment of the pages asked for. For comparing against
//! `pdftotext -bbox-layout` or pdfplumber when a layout reads wrong:
//!
//!     cargo run --release --example glyphs -- FILE.pdf [FIRST_PAGE [LAST_PAGE]]

use budget_extract::ingest::pdf;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: glyphs FILE.pdf [FIRST [LAST]]");
    let first: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let last: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(first);
    let bytes = std::fs::read(&path).expect("readable file");
    let (pages, unmapped, lost) = match pdf::read_pages(&bytes) {
        Ok(r) => r,
        Err(e) => {
            println!("error: {e}");
            return;
        }
    };
    println!("{} page(s), {unmapped} unmapped glyph(s), lost {lost:?}", pages.len());
    for p in pages.iter().filter(|p| (first..=last).contains(&p.number)) {
        println!(
            "page {} {:.2}×{:.2}: {} glyphs, {} segments",
            p.number,
            p.width,
            p.height,
            p.glyphs.len(),
            p.segments.len()
        );
        for g in &p.glyphs {
            println!(
                "G {:8.2} {:8.2} w{:6.2} s{:5.2} a{:5.1} {:?} {} {}",
                g.x,
                p.height - g.y,
                g.width,
                g.size,
                g.angle,
                g.text,
                g.font,
                if g.clipped { "clipped" } else { "" }
            );
        }
        for s in &p.segments {
            println!("S {:8.2} {:8.2} {:8.2} {:8.2} t{:.2}", s.x1, p.height - s.y2, s.x2, p.height - s.y1, s.thickness);
        }
    }
}
