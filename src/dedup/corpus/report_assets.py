"""The report's style sheet and script, written as ``report/report.css`` and ``report/report.js``.

They hold no document data, so the script can be a static file that every
page loads with ``<script src>`` (the pages' Content-Security-Policy allows
scripts from the report's own folder only, and no inline script or event
handler). The script only adds conveniences: the id search on the entry page
(it loads the id index shard ``ids-NNN.js`` that holds the id, by the same
FNV-1a hash as :func:`dedup.corpus.report_pages.id_shard`), filters on each
list page, and opening the ``<details>`` a link points at. Every page still
works without it: every document and cluster is reachable through links.
Text from documents reaches the page only through ``textContent``.
"""

from __future__ import annotations

__all__ = ["REPORT_CSS", "REPORT_JS"]

REPORT_CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --accent:#2563eb; --bg:#f8fafc;
        --del:#fde2e1; --del-ink:#9b1c1c; --add:#dcfce7; --add-ink:#166534; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
       color:var(--ink); background:var(--bg); }
header { background:#111827; color:#f9fafb; padding:18px 32px; }
header h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header h1 a { color:inherit; text-decoration:none; }
header p { margin:0; color:#cbd5e1; }
nav.pages { max-width:1200px; margin:0 auto; padding:10px 32px 0; font-size:14px; }
nav.pages a { margin-right:14px; }
main { max-width:1200px; margin:0 auto; padding:16px 32px 64px; }
h2 { font-size:18px; margin:28px 0 12px; border-bottom:1px solid var(--line); padding-bottom:6px; }
a { color:var(--accent); }
.cards { display:flex; flex-wrap:wrap; gap:12px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px;
        min-width:140px; }
.card b { display:block; font-size:24px; }
.card span { color:var(--muted); font-size:13px; }
.chart { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
.bar { display:grid; grid-template-columns:260px 1fr 110px; align-items:center; gap:12px;
       margin:4px 0; font-size:13px; }
.bar code { overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.bar .track { background:#eef2ff; border-radius:4px; height:14px; }
.bar .fill { background:var(--accent); border-radius:4px; height:14px; min-width:2px; }
.bar .num { text-align:right; color:var(--muted); font-variant-numeric:tabular-nums; }
table { border-collapse:collapse; background:#fff; width:100%; font-size:13.5px; }
th, td { border:1px solid var(--line); padding:5px 8px; text-align:left; vertical-align:top; }
th { background:#f1f5f9; font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td q, li q { white-space:pre-wrap; overflow-wrap:anywhere; }
details.doc, details.cluster, details.box { background:#fff; border:1px solid var(--line);
        border-radius:8px; margin:8px 0; }
details > summary { cursor:pointer; padding:8px 14px; }
details.doc summary .id, details.cluster summary .id { font-weight:600; overflow-wrap:anywhere; }
summary small, .note { color:var(--muted); font-size:13px; }
.box > :not(summary) { margin:0 14px 12px; }
.text { white-space:pre-wrap; overflow-wrap:anywhere; padding:4px 14px 14px; margin:0;
        font:14px/1.6 ui-serif,Georgia,serif; }
.gap { color:var(--muted); font-style:italic; }
del.rm { background:var(--del); color:var(--del-ink); text-decoration-thickness:1px;
         border-radius:3px; }
ul.reasons { margin:0 14px 6px; padding-left:18px; font-size:13px; }
code.rule, .kind { background:#f1f5f9; padding:1px 6px; border-radius:4px; margin-right:4px;
        font-size:12px; white-space:nowrap; }
.kind-exact { background:#fee2e2; color:#991b1b; }
.kind-near { background:#fef3c7; color:#92400e; }
.kind-containment { background:#e0e7ff; color:#3730a3; }
.pair { display:grid; grid-template-columns:1fr 1fr; gap:16px; margin:0 14px 14px; }
.pair h3 { font-size:14px; margin:8px 0 4px; overflow-wrap:anywhere; }
.pair h3 small { color:var(--muted); font-weight:400; }
.pair .text { padding:8px; border:1px solid var(--line); border-radius:6px; max-height:420px;
              overflow:auto; font-size:13px; }
.cluster table { margin:0 14px 10px; width:calc(100% - 28px); }
mark.only-left { background:var(--del); color:var(--del-ink); }
mark.only-right { background:var(--add); color:var(--add-ink); }
.filters { display:flex; gap:10px; align-items:center; margin:8px 0 12px; flex-wrap:wrap; }
.filters input, .filters select, .search input { font:inherit; padding:4px 8px; }
.search input { width:min(480px, 100%); }
ul.results { padding-left:18px; }
.pagelist a { display:inline-block; margin:2px 8px 2px 0; }
code { font-family:ui-monospace,SFMono-Regular,Menlo,monospace; font-size:12.5px; }
"""

REPORT_JS = r"""
"use strict";
(function () {
  var body = document.body;
  var base = body.getAttribute("data-base") || "";

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Filters on a list page: the id substring, the rule and the duplicate kind.
  var list = document.querySelector("[data-list]");
  var filters = document.querySelector(".filters");
  if (list && filters) {
    filters.hidden = false;
    var text = filters.querySelector("input");
    var selects = filters.querySelectorAll("select");
    var shown = filters.querySelector(".shown");
    var apply = function () {
      var needle = text ? text.value.trim().toLowerCase() : "";
      var items = list.children;
      var count = 0;
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        var ids = item.getAttribute("data-ids") || item.getAttribute("data-id") || "";
        var ok = !needle || ids.toLowerCase().indexOf(needle) >= 0;
        for (var j = 0; ok && j < selects.length; j++) {
          var wanted = selects[j].value;
          var attribute = selects[j].getAttribute("data-attribute");
          var have = (item.getAttribute(attribute) || "").split(" ");
          ok = !wanted || have.indexOf(wanted) >= 0;
        }
        item.hidden = !ok;
        if (ok) { count++; }
      }
      if (shown) { shown.textContent = count + " of " + items.length + " shown"; }
    };
    if (text) { text.addEventListener("input", apply); }
    for (var k = 0; k < selects.length; k++) { selects[k].addEventListener("change", apply); }
    apply();
  }

  // The id search on the entry page: FNV-1a over UTF-16 code units picks the shard.
  var search = document.getElementById("search");
  if (!search) { return; }
  search.hidden = false;
  var input = search.querySelector("input");
  var results = search.querySelector(".results");
  var shards = parseInt(body.getAttribute("data-shards") || "0", 10);
  var loaded = {};
  var pending = null;
  function shardOf(id) {
    var h = 2166136261;
    for (var i = 0; i < id.length; i++) {
      h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
    }
    return h % shards;
  }
  function line(textValue, href) {
    var li = document.createElement("li");
    if (href) {
      var a = document.createElement("a");
      a.href = base + href;
      a.textContent = textValue;
      li.appendChild(a);
    } else {
      li.textContent = textValue;
    }
    results.appendChild(li);
  }
  function show(id) {
    results.textContent = "";
    var found = loaded[shardOf(id)] || {};
    var entries = Object.prototype.hasOwnProperty.call(found, id) ? found[id] : null;
    if (!entries) { line("No record has the id " + JSON.stringify(id) + "."); return; }
    for (var i = 0; i < entries.length; i++) {
      line(entries[i][0]);
      for (var j = 1; j < entries[i].length; j++) { line(entries[i][j][0], entries[i][j][1]); }
    }
  }
  window.dedupReport = {
    shardOf: function (id, count) {  // for tests: the shard of an id among count shards
      var saved = shards;
      shards = count;
      var shard = shardOf(id);
      shards = saved;
      return shard;
    },
    ids: function (shard, data) {
      loaded[shard] = data;
      if (pending !== null && shardOf(pending) === shard) { show(pending); }
    }
  };
  function find() {
    var id = input.value;
    if (!id || !shards) { return; }
    var shard = shardOf(id);
    if (loaded[shard]) { show(id); return; }
    pending = id;
    var script = document.createElement("script");
    script.src = base + "ids-" + ("00" + shard).slice(-3) + ".js";
    script.onerror = function () { results.textContent = "The id index could not be loaded."; };
    document.head.appendChild(script);
  }
  input.addEventListener("keydown", function (event) { if (event.key === "Enter") { find(); } });
  search.querySelector("button").addEventListener("click", find);
})();
"""
