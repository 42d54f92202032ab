//! Prints the blocks (paragraphs, tables of cells) that ingest makes of a file: what the
//! recognizer sees. For debugging a new layout:
//!
//!     cargo run --release --example blocks -- samples/000_5439077655b7c2d3.pdf

use budget_extract::blocks::{Block, Cell};
use budget_extract::grammars::Grammars;
use budget_extract::ingest;

fn main() {
    let path = std::env::args().nth(1).expect("usage: blocks FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    match ingest::ingest(&bytes, Grammars::builtin()) {
        Err((format, e)) => println!("{format}: {e}"),
        Ok(i) => {
            println!("format {}, lost {:?}", i.format, i.lost);
            for b in &i.document.blocks {
                match b {
                    Block::Paragraph(p) => println!("P [{}] {}", p.location, p.text),
                    Block::Table(t) => {
                        println!("T [{}]", t.location);
                        for r in &t.rows {
                            let cells: Vec<String> = r
                                .cells
                                .iter()
                                .map(|c| {
                                    let mark = if c.continued { "^" } else { "" };
                                    let span = if c.col_span > 1 { format!("<{}>", c.col_span) } else { String::new() };
                                    format!("{mark}{span}{}", Cell::text(c).replace('\n', "⏎"))
                                })
                                .collect();
                            println!("  R [{}] {}", r.location, cells.join(" | "));
                        }
                    }
                }
            }
        }
    }
}
