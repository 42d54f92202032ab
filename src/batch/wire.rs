//! What the batch and its worker processes say to each other over the workers' stdin and stdout:
//! length-prefixed frames. The batch sends a [`Request`] per document; the worker answers with a
//! [`Frame::Note`] as soon as it knows the file's format and hash (so a document it never
//! finishes still gets a complete row), then a [`Frame::Result`]: the outcome, its rows as Arrow
//! IPC, and the worker's memory use. Rows cross the pipe as the Arrow batches the writer encodes,
//! re-attached to the table's one shared schema: the output is byte-identical to an in-process
//! run.

use std::io::{self, Cursor, Read, Write};
use std::path::PathBuf;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use serde::{Deserialize, Serialize};

use super::document::{DocSummary, Noted, Outcome, Prepared};
use super::manifest::Entry;
use crate::records::{CellRecord, DepartmentGoalRecord, DocumentRecord, IndicatorRecord, ProjectRecord};
use crate::sink::parquet::arrow_schema;

/// A frame may not be larger than this (a document's rows are far smaller; a larger length is a
/// broken pipe's garbage, not a result).
pub const MAX_FRAME_BYTES: u64 = 4 << 30;

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub path: PathBuf,
    pub source: String,
    /// The folder `source` is relative to.
    pub root: String,
    /// The content hash the manifest recorded, if any.
    pub old_sha: Option<String>,
}

/// What a worker sends back.
#[derive(Debug)]
pub enum Frame {
    /// Started, grammars loaded, limits set: ready for requests (a document's time budget
    /// does not pay for a worker's start).
    Ready,
    Note(Noted),
    Result(Box<Reply>),
}

/// A worker's answer to one request.
#[derive(Debug)]
pub struct Reply {
    pub outcome: Outcome,
    /// The worker's address space and peak resident memory after the document, in bytes.
    pub vm_bytes: u64,
    pub peak_rss_bytes: u64,
}

#[derive(Serialize, Deserialize)]
struct NoteHeader {
    format: String,
    bytes: u64,
    entry: Option<Entry>,
}

#[derive(Serialize, Deserialize)]
struct ReplyHeader {
    /// Same content as recorded: no rows.
    same: bool,
    entry: Entry,
    summary: Option<DocSummary>,
    counts: [usize; 4],
    vm_bytes: u64,
    peak_rss_bytes: u64,
}

const READY: u8 = b'H';
const NOTE: u8 = b'N';
const RESULT: u8 = b'R';

pub fn encode_ready() -> Vec<Vec<u8>> {
    vec![vec![READY]]
}

/// Writes one frame: its length (u64, little-endian), then its fields, each length-prefixed.
pub fn write_frame(w: &mut impl Write, fields: &[&[u8]]) -> io::Result<()> {
    let len: usize = fields.iter().map(|f| 8 + f.len()).sum();
    let mut buf = Vec::with_capacity(8 + len);
    buf.extend_from_slice(&(len as u64).to_le_bytes());
    for f in fields {
        buf.extend_from_slice(&(f.len() as u64).to_le_bytes());
        buf.extend_from_slice(f);
    }
    w.write_all(&buf)?;
    w.flush()
}

/// Reads one frame's fields; `Ok(None)` at the end of the stream.
pub fn read_frame(r: &mut impl Read) -> io::Result<Option<Vec<Vec<u8>>>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    if len > MAX_FRAME_BYTES {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("a frame of {len} bytes")));
    }
    let mut body = vec![0u8; len as usize];
    r.read_exact(&mut body)?;
    split_fields(&body).map(Some)
}

/// The length a frame announces in its first 8 bytes, once they have arrived.
pub fn frame_len(buf: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(buf.get(..8)?.try_into().ok()?))
}

/// A frame's body (after its length) cut into its fields.
pub fn split_fields(mut body: &[u8]) -> io::Result<Vec<Vec<u8>>> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "a frame's fields do not add up");
    let mut fields = Vec::new();
    while !body.is_empty() {
        let len = u64::from_le_bytes(body.get(..8).ok_or_else(bad)?.try_into().map_err(|_| bad())?) as usize;
        let field = body.get(8..8usize.checked_add(len).ok_or_else(bad)?).ok_or_else(bad)?;
        fields.push(field.to_vec());
        body = &body[8 + len..];
    }
    Ok(fields)
}

impl Request {
    pub fn encode(&self) -> Vec<Vec<u8>> {
        vec![
            path_bytes(&self.path),
            self.source.as_bytes().to_vec(),
            self.root.as_bytes().to_vec(),
            self.old_sha.clone().unwrap_or_default().into(),
        ]
    }

    pub fn decode(fields: &[Vec<u8>]) -> io::Result<Request> {
        let [path, source, root, old] = fields else { return Err(invalid("a request has four fields")) };
        let utf8 = |b: &Vec<u8>| String::from_utf8(b.clone()).map_err(|_| invalid("a name is not UTF-8"));
        Ok(Request {
            path: bytes_path(path),
            source: utf8(source)?,
            root: utf8(root)?,
            old_sha: (!old.is_empty()).then(|| String::from_utf8_lossy(old).into_owned()),
        })
    }
}

pub fn encode_note(n: &Noted) -> io::Result<Vec<Vec<u8>>> {
    let header = NoteHeader { format: n.format.clone(), bytes: n.bytes, entry: n.entry.clone() };
    Ok(vec![vec![NOTE], serde_json::to_vec(&header).map_err(io::Error::other)?])
}

pub fn encode_reply(reply: &Reply) -> io::Result<Vec<Vec<u8>>> {
    let (header, batches) = match &reply.outcome {
        Outcome::SameContent(entry) => (
            ReplyHeader {
                same: true,
                entry: entry.clone(),
                summary: None,
                counts: [0; 4],
                vm_bytes: reply.vm_bytes,
                peak_rss_bytes: reply.peak_rss_bytes,
            },
            None,
        ),
        Outcome::Extracted(p, entry) => (
            ReplyHeader {
                same: false,
                entry: entry.clone(),
                summary: Some(p.summary.clone()),
                counts: p.counts,
                vm_bytes: reply.vm_bytes,
                peak_rss_bytes: reply.peak_rss_bytes,
            },
            Some(&p.batches),
        ),
    };
    let mut fields = vec![vec![RESULT], serde_json::to_vec(&header).map_err(io::Error::other)?];
    for b in batches.into_iter().flatten() {
        fields.push(match b {
            Some(b) => ipc(b)?,
            None => Vec::new(),
        });
    }
    Ok(fields)
}

pub fn decode(fields: &[Vec<u8>]) -> io::Result<Frame> {
    match fields.first().map(Vec::as_slice) {
        Some([READY]) => Ok(Frame::Ready),
        Some([NOTE]) => {
            let h: NoteHeader =
                serde_json::from_slice(fields.get(1).ok_or_else(|| invalid("a note without its header"))?)
                    .map_err(|e| invalid(&e.to_string()))?;
            Ok(Frame::Note(Noted { format: h.format, bytes: h.bytes, entry: h.entry }))
        }
        Some([RESULT]) => {
            let h: ReplyHeader =
                serde_json::from_slice(fields.get(1).ok_or_else(|| invalid("a result without its header"))?)
                    .map_err(|e| invalid(&e.to_string()))?;
            let outcome = match h.summary {
                None => Outcome::SameContent(h.entry),
                Some(summary) => {
                    let schemas = [
                        arrow_schema::<DocumentRecord>(),
                        arrow_schema::<ProjectRecord>(),
                        arrow_schema::<IndicatorRecord>(),
                        arrow_schema::<DepartmentGoalRecord>(),
                        arrow_schema::<CellRecord>(),
                    ];
                    let blobs = fields.get(2..7).ok_or_else(|| invalid("a result without its five tables"))?;
                    let mut batches: [Option<RecordBatch>; 5] = Default::default();
                    for ((slot, blob), schema) in batches.iter_mut().zip(blobs).zip(schemas) {
                        if !blob.is_empty() {
                            *slot = Some(from_ipc(blob, schema)?);
                        }
                    }
                    Outcome::Extracted(Box::new(Prepared { summary, batches, counts: h.counts }), h.entry)
                }
            };
            Ok(Frame::Result(Box::new(Reply { outcome, vm_bytes: h.vm_bytes, peak_rss_bytes: h.peak_rss_bytes })))
        }
        _ => Err(invalid("a frame of an unknown kind")),
    }
}

fn ipc(b: &RecordBatch) -> io::Result<Vec<u8>> {
    let mut w = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &b.schema()).map_err(io::Error::other)?;
    w.write(b).map_err(io::Error::other)?;
    w.finish().map_err(io::Error::other)?;
    w.into_inner().map_err(io::Error::other)
}

/// One batch of an IPC stream, on the table's shared schema (the writer joins batches of one
/// schema).
fn from_ipc(blob: &[u8], schema: SchemaRef) -> io::Result<RecordBatch> {
    let mut r = arrow_ipc::reader::StreamReader::try_new(Cursor::new(blob), None).map_err(io::Error::other)?;
    let b = r.next().ok_or_else(|| invalid("an empty table"))?.map_err(io::Error::other)?;
    RecordBatch::try_new(schema, b.columns().to_vec()).map_err(io::Error::other)
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

#[cfg(unix)]
fn path_bytes(p: &std::path::Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn bytes_path(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_bytes(p: &std::path::Path) -> Vec<u8> {
    p.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn bytes_path(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammars::Grammars;

    #[test]
    fn a_result_crosses_the_pipe_unchanged() {
        let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/000_5439077655b7c2d3.txt")).unwrap();
        let e = crate::pipeline::extract("s.txt", &text, Grammars::builtin());
        let entry = Entry { sha256: e.document.sha256.clone(), bytes: text.len() as u64, mtime_ns: 7 };
        let p = Prepared::new(e).unwrap();
        let reply = Reply { outcome: Outcome::Extracted(Box::new(p), entry.clone()), vm_bytes: 1, peak_rss_bytes: 2 };
        let fields = encode_reply(&reply).unwrap();
        let mut pipe = Vec::new();
        write_frame(&mut pipe, &fields.iter().map(Vec::as_slice).collect::<Vec<_>>()).unwrap();
        let back = read_frame(&mut pipe.as_slice()).unwrap().unwrap();
        let Frame::Result(r) = decode(&back).unwrap() else { panic!("not a result") };
        let (Outcome::Extracted(a, ea), Outcome::Extracted(b, eb)) = (&reply.outcome, &r.outcome) else {
            panic!("not extracted")
        };
        assert_eq!((ea, eb), (&entry, &entry));
        assert_eq!(a.summary, b.summary);
        assert_eq!(a.counts, b.counts);
        assert!(a.counts[1] > 0, "the sample has indicators");
        for (x, y) in a.batches.iter().zip(&b.batches) {
            assert_eq!(x, y);
            if let Some(y) = y {
                assert!(std::sync::Arc::ptr_eq(&y.schema(), &x.as_ref().unwrap().schema()), "one shared schema");
            }
        }
        assert_eq!((r.vm_bytes, r.peak_rss_bytes), (1, 2));
    }

    #[test]
    fn requests_keep_paths_that_are_not_utf8() {
        #[cfg(unix)]
        let path = {
            use std::os::unix::ffi::OsStrExt;
            PathBuf::from(std::ffi::OsStr::from_bytes(b"in/\xCF\xEE\xC4\xBF.docx"))
        };
        #[cfg(not(unix))]
        let path = PathBuf::from("in/x.docx");
        let r = Request { path, source: "in/\\xCF\\xEE\\xC4\\xBF.docx".into(), root: "/data".into(), old_sha: None };
        assert_eq!(Request::decode(&r.encode()).unwrap(), r);
    }

    #[test]
    fn broken_frames_are_errors_not_panics() {
        assert!(split_fields(&[9, 0, 0, 0, 0, 0, 0, 0, 1]).is_err());
        assert!(split_fields(&u64::MAX.to_le_bytes()).is_err());
        assert!(decode(&[vec![b'?']]).is_err());
        assert!(decode(&[vec![RESULT], b"{}".to_vec()]).is_err());
        let mut huge = (MAX_FRAME_BYTES + 1).to_le_bytes().to_vec();
        huge.extend_from_slice(&[0; 16]);
        assert!(read_frame(&mut huge.as_slice()).is_err());
        assert!(read_frame(&mut [].as_slice()).unwrap().is_none());
    }
}
