//! A fast scanner of content streams for the ruling pass: operators with their numeric and name
//! operands; strings, arrays, dictionaries and inline images are skipped, not built. (lopdf's
//! full parser allocates an object per token and took a third of the PDF time.)

/// An operand the ruling pass can use.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Number(f64),
    Name(&'a [u8]),
    /// A string, array or dictionary: skipped; its length in bytes (for a shown string, an
    /// upper bound of its glyphs).
    Other(usize),
}

/// Calls `f(operator, operands)` for every operator of the stream, in order.
pub fn scan<'a>(data: &'a [u8], f: impl FnMut(&'a [u8], &[Operand<'a>])) {
    scan_all(data, f, |_| {});
}

/// The stream without its inline images (`BI … ID <data> EI`), or `None` when it has none.
/// Text and rulings do not need them, and a malformed one stops pdf-extract's content parser.
pub fn without_inline_images(data: &[u8]) -> Option<Vec<u8>> {
    let mut images = Vec::new();
    scan_all(data, |_, _| {}, |span| images.push(span));
    if images.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(data.len());
    let mut at = 0;
    for span in images {
        out.extend_from_slice(&data[at..span.start]);
        out.push(b'\n');
        at = span.end.min(data.len());
    }
    out.extend_from_slice(&data[at..]);
    Some(out)
}

/// [`scan`], also telling `images` where each inline image lies (from `BI` to the end of `EI`).
pub fn scan_all<'a>(
    data: &'a [u8],
    mut f: impl FnMut(&'a [u8], &[Operand<'a>]),
    mut images: impl FnMut(std::ops::Range<usize>),
) {
    let mut operands: Vec<Operand<'a>> = Vec::with_capacity(8);
    let mut i = 0;
    let n = data.len();
    while i < n {
        let c = data[i];
        match c {
            b' ' | b'\n' | b'\r' | b'\t' | b'\x0C' | b'\0' => i += 1,
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                let start = i;
                i = skip_string(data, i);
                operands.push(Operand::Other(i - start));
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                let start = i;
                i = skip_nested(data, i, b"<<", b">>");
                operands.push(Operand::Other(i - start));
            }
            b'<' => {
                let start = i;
                while i < n && data[i] != b'>' {
                    i += 1;
                }
                i += 1;
                operands.push(Operand::Other((i - start) / 2));
            }
            b'[' => {
                let start = i;
                i = skip_nested(data, i, b"[", b"]");
                operands.push(Operand::Other(i - start));
            }
            b'/' => {
                let start = i + 1;
                i = start;
                while i < n && !is_delimiter(data[i]) {
                    i += 1;
                }
                operands.push(Operand::Name(&data[start..i]));
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let start = i;
                i += 1;
                while i < n && matches!(data[i], b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E') {
                    i += 1;
                }
                let v = std::str::from_utf8(&data[start..i]).ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
                operands.push(Operand::Number(v));
            }
            b']' | b')' | b'>' | b'{' | b'}' => i += 1,
            _ => {
                let start = i;
                while i < n && !is_delimiter(data[i]) {
                    i += 1;
                }
                let op = &data[start..i.max(start + 1).min(n)];
                if i == start {
                    i += 1;
                }
                if op == b"BI" {
                    i = skip_inline_image(data, i);
                    images(start..i);
                    operands.clear();
                    continue;
                }
                f(op, &operands);
                operands.clear();
            }
        }
    }
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\n'
            | b'\r'
            | b'\t'
            | b'\x0C'
            | b'\0'
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

/// `( … )` with nesting and backslash escapes; returns the index after the closing parenthesis.
fn skip_string(data: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < data.len() {
        match data[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    data.len()
}

fn skip_nested(data: &[u8], mut i: usize, open: &[u8], close: &[u8]) -> usize {
    let mut depth = 0usize;
    while i < data.len() {
        if data[i] == b'(' {
            i = skip_string(data, i);
            continue;
        }
        if data[i..].starts_with(open) {
            depth += 1;
            i += open.len();
        } else if data[i..].starts_with(close) {
            depth -= 1;
            i += close.len();
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    data.len()
}

/// `BI … ID <binary> EI`: the binary data may hold anything, so the end is `EI` between
/// whitespace.
fn skip_inline_image(data: &[u8], mut i: usize) -> usize {
    while i + 1 < data.len() && !(data[i] == b'D' && data[i - 1] == b'I' && is_delimiter(data[i + 1])) {
        i += 1;
    }
    i += 2;
    while i + 2 < data.len() {
        if data[i].is_ascii_whitespace()
            && data[i + 1] == b'E'
            && data[i + 2] == b'I'
            && data.get(i + 3).is_none_or(|c| is_delimiter(*c))
        {
            return i + 3;
        }
        i += 1;
    }
    data.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(s: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut out = Vec::new();
        scan(s, |op, args| out.push((String::from_utf8_lossy(op).into_owned(), args.to_vec())));
        out
    }

    #[test]
    fn operators_with_numbers_and_names() {
        let got = ops(b"q 1 0 0 -1 0 841.85 cm\n53.64 25.32 487.2 .72 re f* /X0 Do Q");
        assert_eq!(got[0].0, "q");
        assert_eq!(
            got[1],
            ("cm".to_string(), vec![1.0, 0.0, 0.0, -1.0, 0.0, 841.85].into_iter().map(Operand::Number).collect())
        );
        assert_eq!(got[2].1[3], Operand::Number(0.72));
        assert_eq!(got[3].0, "f*");
        assert_eq!(got[4], ("Do".to_string(), vec![Operand::Name(b"X0")]));
        assert_eq!(got[5].0, "Q");
    }

    #[test]
    fn inline_images_can_be_taken_out() {
        let data = b"BT (BI) Tj ET BI /W 100000 /H 100000 ID \x00\x01 EI 10 20 m";
        let out = without_inline_images(data).unwrap();
        assert_eq!(out, b"BT (BI) Tj ET \n 10 20 m");
        assert!(without_inline_images(b"BT (BI) Tj ET").is_none());
    }

    #[test]
    fn strings_arrays_dicts_and_inline_images_are_skipped() {
        let got = ops(b"BT (a \\) re ( f* ) S) Tj [(x) -20 (y)] TJ <41 42> Tj ET /P <</MCID 0>> BDC EMC BI /W 2 /H 2 ID \x00 re S\x01 EI 10 20 m 30 20 l S");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["BT", "Tj", "TJ", "Tj", "ET", "BDC", "EMC", "m", "l", "S"]);
        assert_eq!(got[7].1, vec![Operand::Number(10.0), Operand::Number(20.0)]);
    }
}
