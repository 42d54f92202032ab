//! A small arena DOM that html5ever's tree builder fills ([`TreeSink`]): nodes in one vector,
//! children by index, so that walking it needs no recursion and no reference counting.
//!
//! Every element and text node keeps the source line it started on (html5ever reports the
//! tokenizer's line before each token), so that records can point back into the page. Elements
//! and text are held to [`MAX_NODES`] and [`limits::MAX_TEXT_BYTES`]: past either, nothing more
//! is stored and [`Dom::overflow`] says which cap was passed.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, ns, parse_document, Attribute, QualName};

use crate::ingest::limits;

/// Elements, text runs and comments one page may make (the tree builder adds a few of its own
/// per tag, so a page's tags are a fraction of this). Real pages have a few thousand.
pub const MAX_NODES: u64 = 4_000_000;

/// The document node.
pub const DOCUMENT: usize = 0;
/// Where nodes past a cap go: never linked into the tree.
const DISCARDED: usize = 1;

#[derive(Debug)]
pub enum Data {
    Document,
    Element {
        attrs: Vec<(String, String)>,
        template: Option<usize>,
    },
    Text(String),
    /// Comments, doctypes, processing instructions: not content.
    Other,
}

#[derive(Debug)]
pub struct Node {
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// The element's name; empty for other nodes.
    pub name: QualName,
    pub data: Data,
    /// 1-based source line where the node started.
    pub line: u32,
    /// Elements above it.
    depth: u32,
}

impl Node {
    /// The element's local name in the HTML namespace ("" for anything else).
    pub fn tag(&self) -> &str {
        if matches!(self.data, Data::Element { .. }) && self.name.ns == ns!(html) {
            &self.name.local
        } else {
            ""
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        match &self.data {
            Data::Element { attrs, .. } => attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match &self.data {
            Data::Text(t) => Some(t),
            _ => None,
        }
    }
}

pub struct Dom {
    pub nodes: Vec<Node>,
    /// The cap that was passed while building, if one was.
    pub overflow: Option<crate::error::Error>,
}

impl Dom {
    /// Parses a decoded page as a browser does (HTML5 tree construction: implied and misnested
    /// tags, `<15万元` kept as text).
    ///
    /// The text is fed in pieces, and parsing stops at the first cap passed: a tree builder
    /// scans its stack of open elements for many tags, so a page nesting elements ever deeper
    /// costs the square of its depth, and is refused past [`limits::MAX_XML_DEPTH`] (browsers
    /// stop nesting at 512 too).
    pub fn parse(text: &str) -> Dom {
        const PIECE: usize = 64 << 10;
        let sink = Sink::default();
        let stopped = Rc::clone(&sink.stopped);
        let mut parser = parse_document(sink, Default::default());
        let mut at = 0;
        while at < text.len() && !stopped.get() {
            let mut end = (at + PIECE).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            parser.process(StrTendril::from_slice(&text[at..end]));
            at = end;
        }
        parser.finish()
    }

    pub fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }

    /// Descendants of `root` in document order (root excluded), without recursion.
    pub fn descendants(&self, root: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.nodes[root].children.iter().rev().copied().collect();
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.nodes[id].children.iter().rev());
        }
        out
    }

    /// The first element named `tag` in document order.
    pub fn find(&self, tag: &str) -> Option<usize> {
        self.descendants(DOCUMENT).into_iter().find(|&id| self.nodes[id].tag() == tag)
    }
}

struct Sink {
    /// Set when a cap is passed: the caller stops feeding text.
    stopped: Rc<Cell<bool>>,
    nodes: RefCell<Vec<Node>>,
    line: Cell<u32>,
    text_bytes: Cell<u64>,
    overflow: RefCell<Option<crate::error::Error>>,
}

impl Default for Sink {
    fn default() -> Self {
        let node = |data| Node { parent: None, children: Vec::new(), name: empty_name(), data, line: 1, depth: 0 };
        Sink {
            stopped: Rc::new(Cell::new(false)),
            nodes: RefCell::new(vec![node(Data::Document), node(Data::Other)]),
            line: Cell::new(1),
            text_bytes: Cell::new(0),
            overflow: RefCell::new(None),
        }
    }
}

fn empty_name() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

impl Sink {
    fn add(&self, name: QualName, data: Data) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        let n = nodes.len() as u64 + 1;
        if n > MAX_NODES {
            self.overflowed(limits::check(|n| format!("the page makes {n} nodes"), n, MAX_NODES, "MAX_NODES"));
            return DISCARDED;
        }
        nodes.push(Node { parent: None, children: Vec::new(), name, data, line: self.line.get(), depth: 0 });
        nodes.len() - 1
    }

    fn overflowed(&self, r: Result<(), crate::error::Error>) {
        if let Err(e) = r {
            self.stopped.set(true);
            self.overflow.borrow_mut().get_or_insert(e);
        }
    }

    /// Text for a node: counted against the page's text cap.
    fn counted(&self, text: &str) -> bool {
        let total = self.text_bytes.get() + text.len() as u64;
        self.text_bytes.set(total);
        let what = |n| format!("the page holds {n} bytes of text");
        let r = limits::check(what, total, limits::MAX_TEXT_BYTES, "MAX_TEXT_BYTES");
        let ok = r.is_ok();
        self.overflowed(r);
        ok
    }

    fn detach(&self, id: usize) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(parent) = nodes[id].parent.take() {
            nodes[parent].children.retain(|&c| c != id);
        }
    }

    /// Inserts `child` into `parent` at `index` (None: at the end), merging text into a text
    /// node beside it as the DOM does.
    fn insert(&self, parent: usize, index: Option<usize>, child: NodeOrText<usize>) {
        if parent == DISCARDED {
            return;
        }
        match child {
            NodeOrText::AppendNode(id) => {
                if id == DISCARDED {
                    return;
                }
                self.detach(id);
                let mut nodes = self.nodes.borrow_mut();
                nodes[id].parent = Some(parent);
                let depth = nodes[parent].depth + 1;
                nodes[id].depth = depth;
                if depth as u64 > limits::MAX_XML_DEPTH {
                    drop(nodes);
                    let what = |n| format!("the page nests elements {n} deep");
                    self.overflowed(limits::check(what, depth as u64, limits::MAX_XML_DEPTH, "MAX_XML_DEPTH"));
                    return;
                }
                let children = &mut nodes[parent].children;
                let at = index.unwrap_or(children.len()).min(children.len());
                children.insert(at, id);
            }
            NodeOrText::AppendText(text) => {
                if !self.counted(&text) {
                    return;
                }
                {
                    let mut nodes = self.nodes.borrow_mut();
                    let at = index.unwrap_or(nodes[parent].children.len());
                    let before = at.checked_sub(1).and_then(|i| nodes[parent].children.get(i).copied());
                    if let Some(prev) = before {
                        if let Data::Text(t) = &mut nodes[prev].data {
                            t.push_str(&text);
                            return;
                        }
                    }
                }
                let id = self.add(empty_name(), Data::Text(text.to_string()));
                if id != DISCARDED {
                    // The tree builder hands text over at its end: its first line is above.
                    let newlines = text.matches('\n').count() as u32;
                    let mut nodes = self.nodes.borrow_mut();
                    nodes[id].line = nodes[id].line.saturating_sub(newlines).max(1);
                    drop(nodes);
                    self.insert(parent, index, NodeOrText::AppendNode(id));
                }
            }
        }
    }
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        Dom { nodes: self.nodes.into_inner(), overflow: self.overflow.into_inner() }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn set_current_line(&self, line: u64) {
        self.line.set(line.min(u32::MAX as u64) as u32);
    }

    fn get_document(&self) -> usize {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |nodes| &nodes[*target].name)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let attrs = attrs.into_iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
        let template = flags.template.then(|| self.add(empty_name(), Data::Document));
        self.add(name, Data::Element { attrs, template })
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.add(empty_name(), Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.add(empty_name(), Data::Other)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        self.insert(*parent, None, child);
    }

    fn append_based_on_parent_node(&self, element: &usize, prev_element: &usize, child: NodeOrText<usize>) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        match &self.nodes.borrow()[*target].data {
            Data::Element { template: Some(contents), .. } => *contents,
            // Only asked of template elements; anything else gets a node outside the tree.
            _ => DISCARDED,
        }
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        let (parent, index) = {
            let nodes = self.nodes.borrow();
            let Some(parent) = nodes[*sibling].parent else { return };
            let index = nodes[parent].children.iter().position(|c| c == sibling);
            (parent, index)
        };
        self.insert(parent, index, new_node);
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Data::Element { attrs: existing, .. } = &mut nodes[*target].data {
            for a in attrs {
                let name = a.name.local.to_string();
                if !existing.iter().any(|(k, _)| *k == name) {
                    existing.push((name, a.value.to_string()));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        let depth = nodes[*new_parent].depth + 1;
        for &c in &children {
            nodes[c].parent = Some(*new_parent);
            nodes[c].depth = depth;
        }
        nodes[*new_parent].children.extend(children);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(dom: &Dom) -> Vec<String> {
        dom.descendants(DOCUMENT).into_iter().filter_map(|id| dom.node(id).text().map(str::to_string)).collect()
    }

    #[test]
    fn implied_tags_and_text_with_a_bare_less_than_sign() {
        let dom = Dom::parse("<table><tr><td>预算<td><15万元</table>");
        assert!(dom.find("tbody").is_some(), "the tree builder adds tbody");
        assert_eq!(texts(&dom), ["预算", "<15万元"]);
        let td = dom.descendants(DOCUMENT).into_iter().filter(|&id| dom.node(id).tag() == "td").count();
        assert_eq!(td, 2);
    }

    #[test]
    fn misnested_formatting_is_repaired_and_lines_are_kept() {
        let dom = Dom::parse("<p>a<b>b\n<p>c</b>d");
        assert_eq!(texts(&dom).concat(), "ab\ncd");
        let p2 = dom.descendants(DOCUMENT).into_iter().filter(|&id| dom.node(id).tag() == "p").nth(1).unwrap();
        assert_eq!(dom.node(p2).line, 2);
    }
}
