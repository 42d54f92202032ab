//! The one reader of content streams: operators with their operands, for the interpreter
//! ([`super::interpret`]) and for the budget's count ([`super::budget`]). Nothing is allocated
//! per token: strings and arrays are handed over as the bytes they span and decoded only when an
//! operator needs them ([`string_bytes`], [`array_items`]); inline images are skipped.

use std::borrow::Cow;

/// An operand as written in the stream.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand<'a> {
    Number(f64),
    Name(&'a [u8]),
    /// A literal string, between its parentheses, escapes not yet resolved ([`string_bytes`]).
    Literal(&'a [u8]),
    /// A hexadecimal string, between its angle brackets ([`string_bytes`]).
    Hex(&'a [u8]),
    /// An array, between its brackets; its items are read with [`array_items`].
    Array(&'a [u8]),
    /// A dictionary (marked content's properties) or a keyword operand (`true`, `null`): not read.
    Other(usize),
}

impl Operand<'_> {
    pub fn number(&self) -> Option<f64> {
        match self {
            Operand::Number(v) => Some(*v),
            _ => None,
        }
    }

    /// An upper bound of the bytes of text this operand shows (strings, arrays of strings).
    pub fn shown_bytes(&self) -> usize {
        match self {
            Operand::Literal(s) | Operand::Array(s) => s.len(),
            Operand::Hex(s) => s.len().div_ceil(2),
            _ => 0,
        }
    }
}

/// Calls `f(operator, operands)` for every operator of the stream, in order.
pub fn scan<'a>(data: &'a [u8], f: impl FnMut(&'a [u8], &[Operand<'a>])) {
    scan_all(data, f, |_| {});
}

/// The stream without its inline images (`BI … ID <data> EI`), or `None` when it has none.
/// Text and rulings do not need them, and their binary data could be read as operators.
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
    let mut lexer = Lexer { data, at: 0 };
    while let Some(token) = lexer.next_token() {
        match token {
            Token::Operand(o) => {
                // A stream of operands without operators cannot grow this without bound.
                if operands.len() < MAX_OPERANDS {
                    operands.push(o);
                }
            }
            Token::Operator(b"BI") => {
                let start = lexer.at - 2;
                lexer.at = skip_inline_image(data, lexer.at);
                images(start..lexer.at);
                operands.clear();
            }
            Token::Operator(op) => {
                f(op, &operands);
                operands.clear();
            }
        }
    }
}

/// More operands than any operator takes (`SCN` with a many-component colour space is the most).
const MAX_OPERANDS: usize = 64;

/// The items of an array operand (nested arrays come as [`Operand::Array`]).
pub fn array_items(inner: &[u8]) -> impl Iterator<Item = Operand<'_>> {
    let mut lexer = Lexer { data: inner, at: 0 };
    std::iter::from_fn(move || loop {
        match lexer.next_token()? {
            Token::Operand(o) => return Some(o),
            Token::Operator(_) => continue,
        }
    })
}

/// The bytes of a string operand, escapes resolved; `None` for other operands.
pub fn string_bytes<'a>(operand: &Operand<'a>) -> Option<Cow<'a, [u8]>> {
    match operand {
        Operand::Literal(raw) => Some(if raw.contains(&b'\\') || raw.contains(&b'\r') {
            Cow::Owned(unescape(raw))
        } else {
            Cow::Borrowed(raw)
        }),
        Operand::Hex(raw) => Some(Cow::Owned(hex_bytes(raw))),
        _ => None,
    }
}

/// Hex digits to bytes; whitespace ignored, an odd last digit padded with 0 (as the standard
/// says).
pub fn hex_bytes(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() / 2);
    let mut high: Option<u8> = None;
    for &c in raw {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => continue,
        };
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}

fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        i += 1;
        match c {
            b'\\' => {
                let Some(&e) = raw.get(i) else { break };
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        for _ in 0..2 {
                            match raw.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    // A backslash before an end of line continues the string on the next line.
                    b'\r' => {
                        if raw.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                    }
                    b'\n' => {}
                    other => out.push(other),
                }
            }
            // An end of line inside a string is a line feed, however it is written.
            b'\r' => {
                if raw.get(i) == Some(&b'\n') {
                    i += 1;
                }
                out.push(b'\n');
            }
            other => out.push(other),
        }
    }
    out
}

enum Token<'a> {
    Operand(Operand<'a>),
    Operator(&'a [u8]),
}

struct Lexer<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    fn next_token(&mut self) -> Option<Token<'a>> {
        let data = self.data;
        let n = data.len();
        loop {
            let i = self.at;
            let &c = data.get(i)?;
            match c {
                b' ' | b'\n' | b'\r' | b'\t' | b'\x0C' | b'\0' => self.at += 1,
                b'%' => {
                    let mut j = i;
                    while j < n && data[j] != b'\n' && data[j] != b'\r' {
                        j += 1;
                    }
                    self.at = j;
                }
                b'(' => {
                    let end = skip_string(data, i);
                    self.at = end;
                    let inner_end = if data.get(end.wrapping_sub(1)) == Some(&b')') { end - 1 } else { end };
                    return Some(Token::Operand(Operand::Literal(&data[(i + 1).min(inner_end)..inner_end])));
                }
                b'<' if data.get(i + 1) == Some(&b'<') => {
                    let end = skip_nested(data, i, b"<<", b">>");
                    self.at = end;
                    return Some(Token::Operand(Operand::Other(end - i)));
                }
                b'<' => {
                    let mut j = i + 1;
                    while j < n && data[j] != b'>' {
                        j += 1;
                    }
                    self.at = (j + 1).min(n);
                    return Some(Token::Operand(Operand::Hex(&data[i + 1..j])));
                }
                b'[' => {
                    let end = skip_nested(data, i, b"[", b"]");
                    self.at = end;
                    let inner_end = if data.get(end.wrapping_sub(1)) == Some(&b']') { end - 1 } else { end };
                    return Some(Token::Operand(Operand::Array(&data[(i + 1).min(inner_end)..inner_end])));
                }
                b'/' => {
                    let start = i + 1;
                    let mut j = start;
                    while j < n && !is_delimiter(data[j]) {
                        j += 1;
                    }
                    self.at = j;
                    return Some(Token::Operand(Operand::Name(&data[start..j])));
                }
                b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    let mut j = i + 1;
                    while j < n && matches!(data[j], b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E') {
                        j += 1;
                    }
                    self.at = j;
                    return Some(Token::Operand(Operand::Number(parse_number(&data[i..j]))));
                }
                b']' | b')' | b'>' | b'{' | b'}' => self.at += 1,
                _ => {
                    let mut j = i;
                    while j < n && !is_delimiter(data[j]) {
                        j += 1;
                    }
                    let j = j.max(i + 1).min(n);
                    self.at = j;
                    let word = &data[i..j];
                    return Some(match word {
                        b"true" | b"false" | b"null" => Token::Operand(Operand::Other(word.len())),
                        _ => Token::Operator(word),
                    });
                }
            }
        }
    }
}

/// A number as PDF writers spell it, leniently (`--5`, `5.`, `.5`, `1e3` read as well as they can
/// be; garbage reads as 0).
fn parse_number(s: &[u8]) -> f64 {
    let text = std::str::from_utf8(s).unwrap_or("0");
    if let Ok(v) = text.parse::<f64>() {
        return if v.is_finite() { v } else { 0.0 };
    }
    // Doubled signs and stray signs inside, as some writers produce: keep the first sign and the
    // digits and point that follow.
    let negative = text.starts_with('-');
    let digits: String =
        text.chars().skip_while(|c| matches!(c, '+' | '-')).take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let v = digits.parse::<f64>().unwrap_or(0.0);
    if negative {
        -v
    } else {
        v
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
pub(crate) fn skip_string(data: &[u8], mut i: usize) -> usize {
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

    #[test]
    fn strings_are_decoded_on_demand() {
        let got = ops(b"(a\\(b\\)\\101\\n\\\nc) Tj <4E2D 6> Tj [(x) -250.5 <0041>] TJ");
        assert_eq!(string_bytes(&got[0].1[0]).unwrap().as_ref(), b"a(b)A\nc");
        assert_eq!(string_bytes(&got[1].1[0]).unwrap().as_ref(), &[0x4E, 0x2D, 0x60]);
        let Operand::Array(inner) = got[2].1[0] else { panic!("an array") };
        let items: Vec<Operand<'_>> = array_items(inner).collect();
        assert_eq!(items, vec![Operand::Literal(b"x"), Operand::Number(-250.5), Operand::Hex(b"0041")]);
    }

    #[test]
    fn odd_numbers_read_leniently() {
        assert_eq!(parse_number(b"--5"), -5.0);
        assert_eq!(parse_number(b"5."), 5.0);
        assert_eq!(parse_number(b"-.5"), -0.5);
        assert_eq!(parse_number(b"1-2"), 1.0);
    }
}
