//! Structure-aware: the input is a program of small operations that builds a well-formed Word
//! document, workbook or PDF around lengths taken from the fuzzer — spans, grid offsets,
//! nesting depths, cell positions, merges, CMap ranges, Form XObject graphs, repeated operators —
//! the lengths hostile files use. Whatever they are, reading gives blocks or an error naming a
//! cap, in bounded memory (libFuzzer's -rss_limit_mb), never a panic.
#![no_main]
use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;

/// The documents built here stay under this many bytes of XML.
const MAX_BUILT: usize = 16 << 20;

/// The operations: a byte selecting one, and a 32-bit argument.
fn ops(data: &[u8]) -> impl Iterator<Item = (u8, u32)> + '_ {
    data.chunks_exact(5).map(|c| (c[0], u32::from_le_bytes([c[1], c[2], c[3], c[4]])))
}

fn zip(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn docx(program: &[u8]) -> Vec<u8> {
    let mut body = String::new();
    let mut open = Vec::new();
    for (op, arg) in ops(program).take(2000) {
        // The harness's own document stays small; the lengths inside it are the point.
        if body.len() > MAX_BUILT {
            break;
        }
        match op % 9 {
            0 => {
                body.push_str("<w:tbl>");
                open.push("</w:tbl>");
            }
            1 => {
                body.push_str("<w:tr>");
                open.push("</w:tr>");
            }
            2 => body.push_str(&format!("<w:tc><w:tcPr><w:gridSpan w:val=\"{arg}\"/></w:tcPr><w:p/></w:tc>")),
            3 => body.push_str(&format!("<w:trPr><w:gridBefore w:val=\"{arg}\"/></w:trPr>")),
            4 => body.push_str(&format!(
                "<w:tc><w:tcPr><w:vMerge{}/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>",
                if arg % 2 == 0 { " w:val=\"restart\"" } else { "" }
            )),
            5 => body.push_str(&format!(
                "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                "项".repeat((arg % 200_000) as usize)
            )),
            6 => {
                let n = (arg % 2000) as usize;
                body.push_str(&"<w:sdt><w:sdtContent>".repeat(n));
                body.push_str(&"</w:sdtContent></w:sdt>".repeat(n));
            }
            7 => body.push_str(&"<w:tr/>".repeat((arg % 200_000) as usize)),
            _ => {
                if let Some(close) = open.pop() {
                    body.push_str(close);
                }
            }
        }
    }
    while let Some(close) = open.pop() {
        body.push_str(close);
    }
    let xml = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zip(&[("word/document.xml", xml.into_bytes())])
}

fn col_name(mut c: u32) -> String {
    let mut s = String::new();
    c += 1;
    while c > 0 {
        s.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    s
}

fn xlsx(program: &[u8]) -> Vec<u8> {
    let mut cells = std::collections::BTreeMap::new();
    let mut merges = String::new();
    let mut unique = 0u64;
    for (op, arg) in ops(program).take(2000) {
        let (row, col) = (arg >> 14 & 0xF_FFFF, arg & 0x3FFF);
        match op % 4 {
            0 | 1 => {
                cells.insert((row.min(1_048_575), col), format!("v{arg}"));
            }
            2 => merges.push_str(&format!(
                "<mergeCell ref=\"A1:{}{}\"/>",
                col_name(col),
                row.clamp(1, 1_048_576)
            )),
            _ => unique = u64::from(arg) << 32 | u64::from(op),
        }
    }
    let mut rows = String::new();
    let mut last_row = None;
    for ((r, c), v) in &cells {
        if last_row != Some(*r) {
            if last_row.is_some() {
                rows.push_str("</row>");
            }
            rows.push_str(&format!("<row r=\"{}\">", r + 1));
            last_row = Some(*r);
        }
        rows.push_str(&format!("<c r=\"{}{}\" t=\"inlineStr\"><is><t>{v}</t></is></c>", col_name(*c), r + 1));
    }
    if last_row.is_some() {
        rows.push_str("</row>");
    }
    let merges = if merges.is_empty() { String::new() } else { format!("<mergeCells>{merges}</mergeCells>") };
    let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
    zip(&[
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_vec()),
        ("_rels/.rels", b"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_vec()),
        ("xl/workbook.xml", format!("<?xml version=\"1.0\"?><workbook {ns}><sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").into_bytes()),
        ("xl/_rels/workbook.xml.rels", b"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_vec()),
        ("xl/sharedStrings.xml", format!("<?xml version=\"1.0\"?><sst {ns} count=\"1\" uniqueCount=\"{unique}\"><si><t>s</t></si></sst>").into_bytes()),
        ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\"?><worksheet {ns}><dimension ref=\"A1:XFD1048576\"/><sheetData>{rows}</sheetData>{merges}</worksheet>").into_bytes()),
    ])
}

/// A one-page PDF whose page draws a chain or fan of Form XObjects, with a Type0 font whose
/// ToUnicode map has the fuzzer's ranges, and operators repeated; objects nested in a page entry.
fn pdf(program: &[u8]) -> Vec<u8> {
    let mut ranges = String::new();
    let mut nesting = 0u32;
    let mut forms = 0u32;
    let mut fan = 1u32;
    let mut repeat = 0u32;
    for (op, arg) in ops(program).take(200) {
        match op % 5 {
            0 => ranges.push_str(&format!("<{:04X}> <{:08X}> <0041>\n", arg & 0xFFFF, arg)),
            1 => nesting = arg % 1000,
            2 => forms = arg % 64,
            3 => fan = 1 + arg % 4,
            _ => repeat = arg % 2_000_000,
        }
    }
    let tounicode = format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange {} beginbfrange\n{ranges}endbfrange endcmap end end",
        ranges.lines().count()
    );
    let mut page_content = String::from("BT /F1 12 Tf 72 720 Td <0041> Tj ET\n");
    page_content.push_str(&"0 0 m ".repeat(repeat as usize));
    if forms > 0 {
        page_content.push_str("/X0 Do\n");
    }
    let mut objs: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Nested {}0{} /Resources << /Font << /F1 5 0 R >> /XObject << /X0 7 0 R >> >> /Contents 4 0 R >>",
            "[".repeat(nesting as usize),
            "]".repeat(nesting as usize)
        ),
        format!("<< /Length {} >>\nstream\n{page_content}\nendstream", page_content.len()),
        "<< /Type /Font /Subtype /Type0 /BaseFont /F /Encoding /Identity-H /DescendantFonts [8 0 R] /ToUnicode 6 0 R >>".into(),
        format!("<< /Length {} >>\nstream\n{tounicode}\nendstream", tounicode.len()),
    ];
    let form_base = 7 + 2; // objects 7 (first form) and 8 (the CID font) are placed below
    let form_ids: Vec<u32> = (0..forms).map(|i| if i == 0 { 7 } else { form_base + i - 1 }).collect();
    let mut form_objs = Vec::new();
    for (i, id) in form_ids.iter().enumerate() {
        let next = form_ids.get(i + 1);
        let content = match next {
            Some(_) => "q /X Do Q\n".repeat(fan as usize),
            None => "BT /F1 12 Tf 0 0 Td <0041> Tj ET".into(),
        };
        let res = match next {
            Some(n) => format!("/Resources << /XObject << /X {n} 0 R >> /Font << /F1 5 0 R >> >>"),
            None => "/Resources << /Font << /F1 5 0 R >> >>".into(),
        };
        form_objs.push((*id, format!("<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] {res} /Length {} >>\nstream\n{content}\nendstream", content.len())));
    }
    let cid_font = "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /F /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>".to_string();
    let mut all: std::collections::BTreeMap<u32, String> = objs.drain(..).enumerate().map(|(i, o)| (i as u32 + 1, o)).collect();
    all.insert(8, cid_font);
    all.entry(7).or_insert_with(|| "<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] /Length 0 >>\nstream\n\nendstream".into());
    for (id, o) in form_objs {
        all.insert(id, o);
    }
    let max = *all.keys().max().unwrap();
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![0usize; max as usize + 1];
    for (id, o) in &all {
        offsets[*id as usize] = out.len();
        out.extend_from_slice(format!("{id} 0 obj\n{o}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", max + 1).as_bytes());
    for id in 1..=max as usize {
        if all.contains_key(&(id as u32)) {
            out.extend_from_slice(format!("{:010} 00000 n \n", offsets[id]).as_bytes());
        } else {
            out.extend_from_slice(b"0000000000 65535 f \n");
        }
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", max + 1).as_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    // Panics caught on purpose by a reader stay quiet; an uncaught one aborts at the boundary.
    std::panic::set_hook(Box::new(|_| {}));
    let Some((&kind, program)) = data.split_first() else { return };
    let g = budget_extract::grammars::Grammars::builtin();
    let bytes = match kind % 3 {
        0 => docx(program),
        1 => xlsx(program),
        _ => pdf(program),
    };
    let _ = budget_extract::ingest::ingest(&bytes, g);
});
