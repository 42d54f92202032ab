//! `report OUT --html DIR` and `inspect FILE`: the site built from a dataset of the seeds (in
//! every format), the HTML samples, a crafted page of known spans and hostile text, and the real
//! files of ../shared/real — checked against the seeds' hand-checked truth, across dataset
//! layouts, for byte-identical output, for escaping, and in Chromium (the DOM, a screenshot,
//! and a log of every request it made).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    let o = Command::new(common::bin()).args(args).current_dir(common::repo()).output().unwrap();
    assert!(
        o.status.success(),
        "budget-extract {}: {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    o
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A page of known spans (A over two rows, B over two columns) and cell text that would be
/// markup if it were not escaped.
const CRAFTED: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<table>
<tr><td rowspan="2">Arow</td><td colspan="2">Bcol</td></tr>
<tr><td>&lt;img src=x onerror=alert(1)&gt;</td><td>&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;</td></tr>
</table></body></html>
"#;
/// A file name with markup in it.
const CRAFTED_NAME: &str = "evil\"<b>.html";

struct Built {
    root: PathBuf,
    /// The inputs, as passed to `extract` (relative to the repository).
    inputs: Vec<String>,
    files: usize,
    out: PathBuf,
    site: PathBuf,
}

/// The dataset and its site, built once for the tests of this file.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-tests");
        let _ = std::fs::remove_dir_all(&root);
        let crafted = root.join("crafted");
        std::fs::create_dir_all(&crafted).unwrap();
        std::fs::write(crafted.join(CRAFTED_NAME), CRAFTED).unwrap();
        let mut inputs: Vec<String> = ["txt", "docx", "pdf"]
            .iter()
            .flat_map(|ext| {
                ["000_5439077655b7c2d3", "001_5c85cbf3a97b1726"].map(|seed| format!("samples/{seed}.{ext}"))
            })
            .collect();
        inputs.push("samples/html".into());
        inputs.push(s(&crafted).to_string());
        if let Some(real) = common::shared("real") {
            inputs.push(s(&real).to_string());
        }
        let files = inputs
            .iter()
            .map(|i| {
                let p = common::repo().join(i);
                if p.is_dir() {
                    std::fs::read_dir(&p)
                        .unwrap()
                        .filter(|e| !e.as_ref().unwrap().file_name().to_string_lossy().starts_with('.'))
                        .count()
                } else {
                    1
                }
            })
            .sum();
        let out = root.join("out");
        let site = root.join("site");
        let mut args = vec!["extract"];
        args.extend(inputs.iter().map(String::as_str));
        args.extend(["--out", s(&out), "-q"]);
        run(&args);
        run(&["report", s(&out), "--html", s(&site), "-q"]);
        Built { root, inputs, files, out, site }
    })
}

fn read(p: &Path) -> String {
    String::from_utf8(common::read(p)).unwrap()
}

/// Every file of a site: path from its root → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_string_lossy().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// HTML escaping as the report does it, for expected text.
fn esc(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The page of document `source_file`, found from the documents list.
fn page_of(site: &Path, source_file: &str) -> PathBuf {
    let anchor = format!("\">{}</a>", esc(source_file));
    for (name, bytes) in tree(&site.join("documents")) {
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        if let Some(at) = html.find(&anchor) {
            let start = html[..at].rfind("href=\"../").unwrap() + "href=\"../".len();
            return site.join(&html[start..at]);
        }
    }
    panic!("{source_file} is not in the documents list");
}

#[test]
fn the_overview_counts_every_file_and_charts_the_provinces() {
    let b = built();
    let index = read(&b.site.join("index.html"));
    // Every input file is a document, counted in the "all" cell of the table by format and status.
    let all = format!("<a href=\"documents/page-1.html\">{}</a></td></tr>", b.files);
    assert!(index.contains(&all), "{} files not counted in {}", b.files, b.site.display());
    // The seeds are published by a court in 天津市 (000) and one in 河北省 (001): their projects
    // are bars of the chart.
    assert!(index.contains("<svg class=\"chart\""));
    for province in ["天津市", "河北省"] {
        assert!(index.contains(&format!("<title>{province} · ")), "{province} has no bar");
    }
    assert!(index.contains("id=\"placed-share\""));
    assert!(index.contains("id=\"top-warnings\"") || index.contains("No warnings."));
    assert!(index.contains("no timing column"), "the slowest documents are not invented");
}

#[test]
fn a_document_page_shows_its_records_as_the_truth_has_them() {
    let b = built();
    let Some(truth_dir) = common::shared("eval/truth/seeds") else { return };
    for entry in std::fs::read_dir(&truth_dir).unwrap() {
        let truth: Value = serde_json::from_slice(&common::read(&entry.unwrap().path())).unwrap();
        let stem = truth["file"].as_str().unwrap().trim_end_matches(".txt");
        for ext in ["txt", "docx", "pdf"] {
            let page = read(&page_of(&b.site, &format!("samples/{stem}.{ext}")));
            assert!(page.contains("<table class=\"cells\">"), "{stem}.{ext}: no table drawn");
            let projects = truth["projects"].as_array().unwrap();
            assert_eq!(page.matches("<div class=\"card\"").count(), projects.len(), "{stem}.{ext}: project cards");
            for p in projects {
                if let Some(name) = p["project_name"].as_str() {
                    assert!(page.contains(&esc(name)), "{stem}.{ext}: {name} missing");
                }
                for i in p["indicators"].as_array().unwrap() {
                    let Some(value) = i["value_raw"].as_str() else { continue };
                    // Once in the table as read (a cell that fed value_raw), once in the records.
                    assert!(page.contains("title=\"indicators.value_raw · "));
                    let shown = format!(">{}<", esc(value).replace('\n', "<br>"));
                    assert!(
                        page.matches(&shown).count() >= 2,
                        "{stem}.{ext}: {value} not shown as a cell and a record"
                    );
                }
            }
        }
    }
}

#[test]
fn spans_are_drawn_and_untrusted_text_is_escaped() {
    let b = built();
    let crafted = b.inputs.iter().find(|i| i.ends_with("crafted")).unwrap();
    let name = format!("crafted/{CRAFTED_NAME}");
    assert!(Path::new(crafted).ends_with("crafted"));
    let page = read(&page_of(&b.site, &name));
    let cell = |re: &str| regex::Regex::new(re).unwrap().is_match(&page);
    assert!(cell(r#"<td class="o" rowspan="2" [^>]*>Arow</td>"#), "A covers two rows");
    assert!(cell(r#"<td class="o" colspan="2" [^>]*>Bcol</td>"#), "B covers two columns");
    // Row 2: the lower part of A is not drawn, its two cells are.
    let row2 = &page[page.find("<tr id=\"t1r2\">").unwrap()..];
    let row2 = &row2[..row2.find("</tr>").unwrap()];
    assert_eq!(row2.matches("<td class=\"o\"").count(), 2, "{row2}");
    assert!(page.contains(&esc("<img src=x onerror=alert(1)>")));
    for (path, bytes) in tree(&b.site) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<img"), "{path}: cell text became markup");
        assert!(!text.contains("<script>alert"), "{path}: cell text became a script");
        assert!(!text.contains("evil\"<b>"), "{path}: a file name became markup");
    }
}

/// No page refers to anything outside the site: no address in `src`, `href` or CSS, and every
/// page forbids requests (Content-Security-Policy).
#[test]
fn the_site_refers_to_nothing_outside_it() {
    let b = built();
    let attr = regex::Regex::new(r#"(?i)(src|href)\s*=\s*["']?\s*([a-z][a-z0-9+.-]*:|//)"#).unwrap();
    let css = regex::Regex::new(r"(?i)(@import|url\()").unwrap();
    let mut pages = 0;
    for (path, bytes) in tree(&b.site) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("http://") && !text.contains("https://"), "{path} names an address");
        if let Some(m) = attr.find(&text) {
            panic!("{path}: {} refers outside the site", m.as_str());
        }
        assert!(!css.is_match(&text), "{path}: CSS that loads something");
        if path.ends_with(".html") {
            pages += 1;
            assert!(text.contains("Content-Security-Policy\" content=\"default-src 'none'"), "{path}: no policy");
        }
    }
    assert!(pages > b.files, "a page per document, the list and the overview");
}

#[test]
fn the_same_dataset_gives_the_same_bytes_whatever_the_threads() {
    let b = built();
    let one = b.root.join("site-j1");
    run(&["report", s(&b.out), "--html", s(&one), "-q", "-j", "1"]);
    let two = b.root.join("site-j2");
    run(&["report", s(&b.out), "--html", s(&two), "-q", "-j", "2"]);
    let (one, two, first) = (tree(&one), tree(&two), tree(&b.site));
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    assert!(one == two, "pages differ between -j 1 and -j 2");
    assert!(one == first, "pages differ from the first report");
}

/// The same inputs written partitioned by year and province in three shards give the same
/// site as the single-file dataset, but for the note on the files read.
#[test]
fn partitioned_and_sharded_datasets_give_the_same_site() {
    let b = built();
    let out = b.root.join("out-parts");
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let mut args = vec!["extract"];
        args.extend(b.inputs.iter().map(String::as_str));
        args.extend(["--out", s(&out), "-q", "--partition-by", "fiscal_year,province", "--shard", &shard]);
        run(&args);
    }
    assert!(out.join("indicators.parquet").is_dir() && out.join("documents.parquet").is_dir());
    let site = b.root.join("site-parts");
    run(&["report", s(&out), "--html", s(&site), "-q"]);
    let (parts, single) = (tree(&site), tree(&b.site));
    assert_eq!(parts.keys().collect::<Vec<_>>(), single.keys().collect::<Vec<_>>());
    let without_read_note = |html: &[u8]| {
        let t = String::from_utf8(html.to_vec()).unwrap();
        t[..t.find("<h2 id=\"read\">").unwrap()].to_string()
    };
    for (path, bytes) in &single {
        if path == "index.html" {
            assert_eq!(without_read_note(bytes), without_read_note(&parts[path]));
        } else {
            assert!(bytes == &parts[path], "{path} differs between the layouts");
        }
    }
}

#[test]
fn an_earlier_report_is_replaced_and_anything_else_is_refused() {
    let b = built();
    let site = b.root.join("site-again");
    run(&["report", s(&b.out), "--html", s(&site), "-q"]);
    std::fs::write(site.join("doc/stale.html"), "old").unwrap();
    run(&["report", s(&b.out), "--html", s(&site), "-q"]);
    assert!(!site.join("doc/stale.html").exists(), "the earlier report is replaced whole");

    let other = b.root.join("not-a-report");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let o = Command::new(common::bin()).args(["report", s(&b.out), "--html", s(&other)]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not empty"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(other.join("notes.txt")).unwrap(), "mine");

    let empty = b.root.join("no-dataset");
    std::fs::create_dir_all(&empty).unwrap();
    let o = Command::new(common::bin())
        .args(["report", s(&empty), "--html", s(&b.root.join("site-none"))])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("documents.parquet"));
}

#[test]
fn inspect_prints_every_cell_with_what_it_fed_then_the_records() {
    let o = run(&["inspect", "samples/000_5439077655b7c2d3.docx"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with("samples/000_5439077655b7c2d3.docx  [docx]  ok"), "{}", &text[..200]);
    // The seed's first indicator: 产出指标 merged over four rows, its target ≥217件.
    assert!(text.contains("[1 rows×4] «产出指标» → indicators.level1"), "{text}");
    assert!(text.contains("«≥217件» → indicators.value_raw"), "{text}");
    assert!(text.contains("\nproject 1 (table 1, row 1)\n    title: 办案业务费绩效目标表"), "{text}");
    assert!(text.contains("    value_raw: ≥217件"));
    let with = run(&["inspect", "samples/001_5c85cbf3a97b1726.txt", "--paragraphs"]);
    let with = String::from_utf8(with.stdout).unwrap();
    assert!(with.contains("paragraphs outside the tables") && with.contains("] 6. 刑场建设项目绩效目标表"));
}

/// `inspect --html` writes the page `report` writes for the same document, without the links
/// to the rest of a site and the dataset's folder.
#[test]
fn inspect_writes_the_same_page_as_the_report() {
    let b = built();
    let page = b.root.join("inspect/000.html");
    run(&["inspect", "samples/000_5439077655b7c2d3.docx", "--html", s(&page)]);
    let inspected = read(&page);
    let reported = read(&page_of(&b.site, "samples/000_5439077655b7c2d3.docx"));
    let nav = regex::Regex::new(r#"<nav class="top">.*</nav>\n"#).unwrap();
    let root = regex::Regex::new(r#"<div><dt>source_root</dt><dd>[^<]*</dd></div>"#).unwrap();
    let reported = root.replace(&nav.replace(&reported, ""), "").to_string();
    assert_eq!(inspected, reported);
}

/// Chromium on `url`, every host unresolvable, its requests logged: (stdout, the URLs the
/// page requested outside `file:`).
fn browse(chromium: &Path, url: &str, extra: &[&str]) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let netlog = profile.path().join("net.json");
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().join("p").display()))
        .arg(format!("--log-net-log={}", netlog.display()))
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (String::from_utf8(o.stdout).unwrap(), page_requests(&netlog))
}

/// The requests a page made (the network-isolation key of a page opened from disk is
/// `file://`; the browser's own background requests have none), other than for files.
fn page_requests(netlog: &Path) -> Vec<String> {
    let log: Value = serde_json::from_slice(&common::read(netlog)).unwrap();
    let start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_i64().unwrap();
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_i64() == Some(start))
        .filter(|e| e["params"]["network_isolation_key"].as_str().unwrap_or("").starts_with("file://"))
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .filter(|u| !u.starts_with("file:"))
        .collect()
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

#[test]
fn chromium_renders_the_pages_and_requests_nothing() {
    let Some(chromium) = common::chromium() else { return };
    let b = built();
    let profile = b.root.join("browser");
    std::fs::create_dir_all(&profile).unwrap();

    // The check can fail: a page that loads an image from an address is caught.
    let control = profile.join("control.html");
    std::fs::write(&control, "<!DOCTYPE html><p>x</p><img src=\"http://example.invalid/x.png\">").unwrap();
    let (_, requested) = browse(&chromium, &file_url(&control), &["--dump-dom"]);
    assert_eq!(requested, ["http://example.invalid/x.png"], "the request log misses requests");

    let (index, requested) = browse(&chromium, &file_url(&b.site.join("index.html")), &["--dump-dom"]);
    assert!(requested.is_empty(), "the overview requested {requested:?}");
    assert!(index.contains("<svg class=\"chart\""), "no chart");
    assert!(index.matches("<rect ").count() >= 4, "bars");
    assert!(index.contains("id=\"by-format\""));

    let page = page_of(&b.site, "samples/000_5439077655b7c2d3.docx");
    let (dom, requested) = browse(&chromium, &file_url(&page), &["--dump-dom"]);
    assert!(requested.is_empty(), "a document page requested {requested:?}");
    assert!(dom.contains("<table class=\"cells\"><tbody>"), "tables as read");
    assert!(dom.matches("<div class=\"card\"").count() == 4, "the seed's four projects");
    assert!(dom.contains("<table class=\"grid ind\">"), "indicator records");
    assert!(dom.contains("≥217件"));

    // The list, filtered in the address: the script loads the whole list (its page-*.js files)
    // and shows the matching documents only.
    let list = format!("{}?status=no_tables", file_url(&b.site.join("documents/page-1.html")));
    let (dom, requested) = browse(&chromium, &list, &["--dump-dom"]);
    assert!(requested.is_empty(), "the list requested {requested:?}");
    let count = regex::Regex::new(r#"<p id="count">Documents 1–(\d+) of (\d+) matching"#).unwrap();
    let c = count.captures(&dom).unwrap_or_else(|| panic!("the filter did not run: {}", &dom[..2000.min(dom.len())]));
    let matching: usize = c[2].parse().unwrap();
    // As many as the overview counts (its table is written by the program, this list by the
    // script in the browser): at least the landing page and the crafted page.
    let overview = read(&b.site.join("index.html"));
    let tally = regex::Regex::new(r#"<a href="documents/page-1.html\?status=no_tables">(\d+)</a>"#).unwrap();
    let counted: usize = tally.captures(&overview).unwrap()[1].parse().unwrap();
    assert_eq!(matching, counted);
    assert!(matching >= 2);
    let rows = dom.matches("<tr><td class=\"file\">").count();
    assert_eq!(rows, matching);
    assert_eq!(dom.matches("class=\"st st-no_tables\"").count(), rows, "every row shown is no_tables");

    let png = profile.join("document.png");
    let (_, requested) =
        browse(&chromium, &file_url(&page), &["--window-size=1280,900", &format!("--screenshot={}", png.display())]);
    assert!(requested.is_empty());
    let bytes = common::read(&png);
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 20_000, "a screenshot of the page");
}
