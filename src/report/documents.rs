//! The documents list: pages of [`LIST_ROWS`] documents in file order (plain HTML, readable
//! without scripts), each with a small script file of the same rows (`page-K.js`). Sorting or
//! filtering (status, format, province, year, form, file name) loads those files — every page's
//! — and shows the matching documents of the whole list, a page of them at a time; the filters
//! live in the address (`?status=partial&format=pdf`), so the overview links to filtered lists.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::html::{esc, int, page, percent, status_badge, Scripts};
use super::model::Doc;
use super::overview::STATUSES;

/// Documents per list page.
pub const LIST_ROWS: usize = 500;

/// The documents list page holding document `i`, from the site's root.
pub fn list_page(i: usize) -> String {
    format!("documents/page-{}.html", i / LIST_ROWS + 1)
}

/// The documents list, filtered by `query` (`status=partial&format=pdf`), from the site's root.
pub fn list_href(query: &str) -> String {
    if query.is_empty() {
        "documents/page-1.html".to_string()
    } else {
        format!("documents/page-1.html?{query}")
    }
}

/// One document of the list.
pub struct Entry<'a> {
    pub doc: &'a Doc,
    /// Its page, from the site's root.
    pub href: &'a str,
    pub provinces: &'a [String],
}

/// The values a filter offers.
struct Facets {
    statuses: Vec<String>,
    formats: Vec<String>,
    provinces: Vec<String>,
    years: Vec<String>,
    forms: Vec<String>,
}

const NONE: &str = "(none)";

fn facets(entries: &[Entry]) -> Facets {
    let mut statuses: Vec<String> = STATUSES.iter().map(|s| s.to_string()).collect();
    let mut formats = BTreeSet::new();
    let mut provinces = BTreeSet::new();
    let mut years = BTreeSet::new();
    let mut forms = BTreeSet::new();
    let (mut no_province, mut no_year, mut no_form) = (false, false, false);
    for e in entries {
        if !statuses.contains(&e.doc.status) {
            statuses.push(e.doc.status.clone());
        }
        formats.insert(e.doc.format.clone());
        provinces.extend(e.provinces.iter().cloned());
        no_province |= e.provinces.is_empty();
        match e.doc.fiscal_year {
            Some(y) => {
                years.insert(std::cmp::Reverse(y));
            }
            None => no_year = true,
        }
        forms.extend(e.doc.form_ids().into_iter().map(str::to_string));
        no_form |= e.doc.forms.is_empty();
    }
    let with_none = |mut v: Vec<String>, none: bool| {
        if none {
            v.push(NONE.to_string());
        }
        v
    };
    Facets {
        statuses,
        formats: formats.into_iter().collect(),
        provinces: with_none(provinces.into_iter().collect(), no_province),
        years: with_none(years.into_iter().map(|y| y.0.to_string()).collect(), no_year),
        forms: with_none(forms.into_iter().collect(), no_form),
    }
}

/// Characters of a reason kept in the list (the document's page has all of it).
const REASON_CHARS: usize = 160;

fn short_reason(d: &Doc) -> String {
    let r = d.reason.as_deref().unwrap_or("");
    if r.chars().count() > REASON_CHARS {
        format!("{}…", r.chars().take(REASON_CHARS).collect::<String>())
    } else {
        r.to_string()
    }
}

/// The placed share in tenths of a percent (sorts as a number), None without table text.
fn placed_permille(d: &Doc) -> Option<i64> {
    (d.table_chars > 0).then(|| d.placed_chars * 1000 / d.table_chars)
}

/// The list's columns: heading, and the index of the value in a row of the script files.
const COLUMNS: &[(&str, usize)] = &[
    ("file", 1),
    ("status", 2),
    ("format", 3),
    ("province", 4),
    ("year", 5),
    ("forms", 6),
    ("projects", 7),
    ("indicators", 8),
    ("placed", 9),
    ("warnings", 10),
    ("reason", 11),
];

/// One document as a row of a script file: [href, file, status, format, [provinces], year,
/// [forms], projects, indicators, placed ‰, warnings, reason].
fn json_row(e: &Entry) -> serde_json::Value {
    let d = e.doc;
    serde_json::json!([
        format!("../{}", e.href),
        d.source_file,
        d.status,
        d.format,
        e.provinces,
        d.fiscal_year,
        d.form_ids(),
        d.projects,
        d.indicators,
        placed_permille(d),
        d.warnings.len(),
        short_reason(d),
    ])
}

fn html_row(e: &Entry, out: &mut String) {
    let d = e.doc;
    let forms = d.form_ids().join(", ");
    let placed = percent(d.placed_chars, d.table_chars).unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr><td class=\"file\"><a href=\"../{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
         <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"why\">{}</td></tr>",
        esc(e.href),
        esc(&d.source_file),
        status_badge(&d.status),
        esc(&d.format),
        esc(&e.provinces.join(", ")),
        d.fiscal_year.map(|y| y.to_string()).unwrap_or_default(),
        esc(&forms),
        d.projects,
        d.indicators,
        placed,
        d.warnings.len(),
        esc(&short_reason(d))
    );
}

fn select(name: &str, label: &str, values: &[String], out: &mut String) {
    let _ = write!(out, "<label>{label}<select name=\"{name}\"><option value=\"\">all</option>");
    for v in values {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", esc(v));
    }
    out.push_str("</select></label>");
}

fn pager(page: usize, pages: usize, out: &mut String) {
    out.push_str("<p class=\"pager\" id=\"static-pager\">Pages: ");
    let mut last = 0;
    for k in 1..=pages {
        // The first, the last, and those near this one.
        if k != 1 && k != pages && k.abs_diff(page) > 3 {
            continue;
        }
        if k > last + 1 {
            out.push_str("<span>…</span>");
        }
        last = k;
        if k == page {
            let _ = write!(out, "<span>{k}</span>");
        } else {
            let _ = write!(out, "<a href=\"page-{k}.html\">{k}</a>");
        }
    }
    out.push_str("</p>\n");
}

/// The list's pages and script files: (path from the site's root, content).
pub fn render(entries: &[Entry]) -> Vec<(String, String)> {
    let facets = facets(entries);
    let pages = entries.len().div_ceil(LIST_ROWS).max(1);
    let mut filters = String::from("<form class=\"filters\" id=\"filters\" onsubmit=\"return false\">");
    select("status", "status", &facets.statuses, &mut filters);
    select("format", "format", &facets.formats, &mut filters);
    select("province", "province", &facets.provinces, &mut filters);
    select("year", "year", &facets.years, &mut filters);
    select("form", "form", &facets.forms, &mut filters);
    filters.push_str(
        "<label>file name contains<input name=\"q\" type=\"search\" size=\"24\"></label>\
         <button type=\"button\" id=\"reset\">all documents</button></form>\n",
    );
    let mut head = String::from("<thead><tr>");
    for (name, k) in COLUMNS {
        let _ = write!(head, "<th data-k=\"{k}\">{name}</th>");
    }
    head.push_str("</tr></thead>");

    let mut out = Vec::with_capacity(pages * 2);
    for p in 1..=pages {
        let chunk = &entries[((p - 1) * LIST_ROWS).min(entries.len())..(p * LIST_ROWS).min(entries.len())];
        let mut b = String::with_capacity(256 * 1024);
        b.push_str("<nav class=\"top\"><a href=\"../index.html\">Overview</a><a href=\"page-1.html\">Documents</a></nav>\n<main>\n");
        let _ = write!(b, "<h1>Documents</h1>\n{filters}");
        let first = (p - 1) * LIST_ROWS;
        let _ = writeln!(
            b,
            "<p id=\"count\">Documents {}–{} of {}, in file order. Sort by a column or filter to search the whole list.</p>",
            int((first + 1).min(entries.len()) as i64),
            int((first + chunk.len()) as i64),
            int(entries.len() as i64)
        );
        pager(p, pages, &mut b);
        let _ = writeln!(
            b,
            "<p class=\"pager\" id=\"result-pager\" hidden><button type=\"button\" id=\"prev\">previous</button><button type=\"button\" id=\"next\">next</button></p>\n\
             <table class=\"grid docs\" id=\"docs\" data-pages=\"{pages}\" data-page=\"{p}\" data-rows=\"{LIST_ROWS}\">{head}<tbody>"
        );
        for e in chunk {
            html_row(e, &mut b);
        }
        b.push_str("</tbody></table>\n</main>\n");
        out.push((format!("documents/page-{p}.html"), page("Documents", &b, Some(LIST_SCRIPT), Scripts::Site)));

        let rows: Vec<serde_json::Value> = chunk.iter().map(json_row).collect();
        let json = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into());
        out.push((format!("documents/page-{p}.js"), format!("BE_LIST({p},{json});\n")));
    }
    out
}

/// Sorting and filtering over the whole list. Rows are built with text nodes only: nothing in
/// the data becomes markup.
const LIST_SCRIPT: &str = r#"
(function () {
  "use strict";
  var table = document.getElementById("docs"), body = table.tBodies[0];
  var pages = +table.dataset.pages, rowsPerPage = +table.dataset.rows;
  var form = document.getElementById("filters"), count = document.getElementById("count");
  var chunks = {}, got = 0, all = null, waiting = null;
  var state = { sort: 1, desc: false, at: 0 };
  window.BE_LIST = function (k, rows) {
    if (!chunks[k]) { chunks[k] = rows; got++; }
    if (got === pages && !all) {
      all = [];
      for (var i = 1; i <= pages; i++) all = all.concat(chunks[i]);
      if (waiting) { var w = waiting; waiting = null; w(); }
    }
  };
  function loadAll(then) {
    if (all) { then(); return; }
    waiting = then;
    count.textContent = "Loading the list…";
    for (var i = 1; i <= pages; i++) {
      if (chunks[i]) continue;
      var s = document.createElement("script");
      s.src = "page-" + i + ".js";
      document.head.appendChild(s);
    }
  }
  function value(name) { return form.elements[name].value; }
  function has(list, v) { return v === "(none)" ? list.length === 0 : list.indexOf(v) >= 0; }
  function matches(r) {
    var s = value("status"), f = value("format"), p = value("province"), y = value("year"), m = value("form");
    var q = value("q").toLowerCase();
    if (s && r[2] !== s) return false;
    if (f && r[3] !== f) return false;
    if (p && !has(r[4], p)) return false;
    if (y && (r[5] === null ? "(none)" : String(r[5])) !== y) return false;
    if (m && !has(r[6], m)) return false;
    if (q && r[1].toLowerCase().indexOf(q) < 0) return false;
    return true;
  }
  function key(r) { var v = r[state.sort]; if (Array.isArray(v)) v = v.join(", "); return v === null ? "" : v; }
  function compare(a, b) {
    var x = key(a), y = key(b), c;
    if (typeof x === "number" && typeof y === "number") c = x - y;
    else { x = String(x); y = String(y); c = x < y ? -1 : x > y ? 1 : 0; }
    if (c === 0) c = a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
    return state.desc ? -c : c;
  }
  function td(text, cls) {
    var c = document.createElement("td");
    if (cls) c.className = cls;
    c.textContent = text;
    return c;
  }
  function row(r) {
    var tr = document.createElement("tr"), file = td("", "file"), a = document.createElement("a");
    a.setAttribute("href", r[0]); a.textContent = r[1]; file.appendChild(a); tr.appendChild(file);
    var st = td(""), badge = document.createElement("span");
    badge.className = "st st-" + r[2].replace(/[^a-z_]/g, ""); badge.textContent = r[2];
    st.appendChild(badge); tr.appendChild(st);
    tr.appendChild(td(r[3]));
    tr.appendChild(td(r[4].join(", ")));
    tr.appendChild(td(r[5] === null ? "" : String(r[5])));
    tr.appendChild(td(r[6].join(", ")));
    tr.appendChild(td(String(r[7]), "n"));
    tr.appendChild(td(String(r[8]), "n"));
    tr.appendChild(td(r[9] === null ? "" : (r[9] / 10).toFixed(1) + "%", "n"));
    tr.appendChild(td(String(r[10]), "n"));
    tr.appendChild(td(r[11], "why"));
    return tr;
  }
  function render() {
    var found = all.filter(matches).sort(compare);
    if (state.at >= found.length) state.at = Math.max(0, found.length - (found.length % rowsPerPage || rowsPerPage));
    var shown = found.slice(state.at, state.at + rowsPerPage), frag = document.createDocumentFragment();
    shown.forEach(function (r) { frag.appendChild(row(r)); });
    body.replaceChildren(frag);
    count.textContent = found.length === 0 ? "No document matches." :
      "Documents " + (state.at + 1) + "–" + (state.at + shown.length) + " of " + found.length + " matching, of " + all.length + ".";
    document.getElementById("static-pager").hidden = true;
    var pager = document.getElementById("result-pager");
    pager.hidden = found.length <= rowsPerPage;
    document.getElementById("prev").disabled = state.at === 0;
    document.getElementById("next").disabled = state.at + rowsPerPage >= found.length;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var on = +th.dataset.k === state.sort;
      th.classList.toggle("sorted", on);
      th.classList.toggle("asc", on && !state.desc);
    });
    var q = [];
    ["status", "format", "province", "year", "form", "q"].forEach(function (n) {
      if (value(n)) q.push(n + "=" + encodeURIComponent(value(n)));
    });
    if (state.sort !== 1 || state.desc) q.push("sort=" + state.sort + (state.desc ? "&desc=1" : ""));
    try { history.replaceState(null, "", q.length ? "?" + q.join("&") : location.pathname); } catch (e) { /* file: URLs may refuse */ }
  }
  function update() { state.at = 0; loadAll(render); }
  form.addEventListener("change", update);
  form.elements.q.addEventListener("input", update);
  document.getElementById("reset").addEventListener("click", function () { form.reset(); state.sort = 1; state.desc = false; update(); });
  document.getElementById("prev").addEventListener("click", function () { state.at = Math.max(0, state.at - rowsPerPage); render(); });
  document.getElementById("next").addEventListener("click", function () { state.at += rowsPerPage; render(); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("click", function () {
      var k = +th.dataset.k;
      state.desc = state.sort === k ? !state.desc : false;
      state.sort = k;
      update();
    });
  });
  var params = new URLSearchParams(location.search), any = false;
  ["status", "format", "province", "year", "form", "q"].forEach(function (n) {
    var v = params.get(n);
    if (v !== null && form.elements[n]) { form.elements[n].value = v; any = true; }
  });
  if (params.get("sort")) { state.sort = +params.get("sort") || 1; state.desc = params.get("desc") === "1"; any = true; }
  if (any) loadAll(render);
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, status: &str) -> Doc {
        Doc { source_file: name.into(), status: status.into(), format: "pdf".into(), ..Default::default() }
    }

    #[test]
    fn lists_are_paged_and_each_page_has_its_rows_as_data() {
        let docs: Vec<Doc> = (0..LIST_ROWS + 3).map(|i| doc(&format!("f{i:04}"), "ok")).collect();
        let hrefs: Vec<String> = (0..docs.len()).map(|i| format!("doc/{i}.html")).collect();
        let entries: Vec<Entry> =
            docs.iter().zip(&hrefs).map(|(d, h)| Entry { doc: d, href: h, provinces: &[] }).collect();
        let files = render(&entries);
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            ["documents/page-1.html", "documents/page-1.js", "documents/page-2.html", "documents/page-2.js"]
        );
        assert_eq!(files[0].1.matches("<tr><td class=\"file\">").count(), LIST_ROWS);
        assert_eq!(files[2].1.matches("<tr><td class=\"file\">").count(), 3);
        assert!(files[3].1.starts_with("BE_LIST(2,[[\"../doc/500.html\",\"f0500\""), "{}", &files[3].1[..80]);
        assert_eq!(list_page(LIST_ROWS), "documents/page-2.html");
    }

    #[test]
    fn untrusted_names_are_escaped_in_rows_and_options() {
        let d = Doc { fiscal_year: Some(2023), forms: vec!["x<y@1".into()], ..doc("<b>x</b>.pdf", "ok") };
        let provinces = vec!["<i>p</i>".to_string()];
        let entries = vec![Entry { doc: &d, href: "doc/a.html", provinces: &provinces }];
        let html = &render(&entries)[0].1;
        assert!(!html.contains("<b>x</b>") && !html.contains("<i>p</i>") && !html.contains("x<y"));
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;.pdf"));
        assert!(html.contains("<option value=\"&lt;i&gt;p&lt;/i&gt;\">"));
    }
}
