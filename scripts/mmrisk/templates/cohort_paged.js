(function () {
  "use strict";
  // A large cohort (mmrisk.cohortpage): the rows are data, filtered and sorted in memory; the table and
  // the lesion matrix show one page of them. Every text goes in as textContent, never as markup.
  var block = document.getElementById("cohort-data");
  var table = document.getElementById("samples-table");
  if (!block || !table) { return; }
  var data = JSON.parse(block.textContent);
  var rows = data.rows;
  var per = data.per_page;
  rows.forEach(function (r, i) { r.i = i; r.t = r.c.join(" ").toLowerCase(); });
  var opened = document.documentElement.getAttribute("data-opened-in") || "files";
  var tbody = table.tBodies[0];
  var text = document.getElementById("filter-text");
  var group = document.getElementById("filter-risk");
  var status = document.getElementById("filter-status");
  var pageInfo = document.getElementById("page-info");
  var matrixTable = document.getElementById("matrix-page");
  var symbols = { p: "\u25cf", a: "\u25cb", n: "\u2013" };
  var words = { p: "present", a: "absent", n: "not assessed" };
  var view = rows.slice();
  var page = 0;
  var sorted = { col: 0, sign: 1 };
  document.getElementById("samples-controls").hidden = false;
  document.getElementById("pager").hidden = false;

  function pages() { return Math.max(1, Math.ceil(view.length / per)); }

  function sampleLink(r) {
    var el;
    if (!r.l || opened === "embedded") {
      el = document.createElement("span");
    } else {
      el = document.createElement("a");
      el.setAttribute("href", opened === "zip" ? r.r : r.l);
    }
    el.textContent = r.c[0];
    return el;
  }

  function cell(tag, r, j) {
    var c = document.createElement(tag);
    var badge = j === 3 ? r.b[0] : (j === 4 || j === 5 ? r.b[j - 3] : null);
    if (j === 0) {
      c.setAttribute("scope", "row");
      c.appendChild(sampleLink(r));
    } else if (badge) {
      var s = document.createElement("span");
      s.className = "badge " + badge;
      s.textContent = r.c[j];
      c.appendChild(s);
    } else {
      c.textContent = r.c[j];
    }
    return c;
  }

  function drawTable(shown) {
    var frag = document.createDocumentFragment();
    shown.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-risk", r.g || "");
      for (var j = 0; j < r.c.length; j++) { tr.appendChild(cell(j === 0 ? "th" : "td", r, j)); }
      frag.appendChild(tr);
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
  }

  function drawMatrix(shown) {
    if (!matrixTable) { return; }
    var ok = shown.filter(function (r) { return r.m; });
    var head = document.createElement("tr");
    var corner = document.createElement("th");
    corner.setAttribute("scope", "col");
    corner.textContent = "Lesion";
    head.appendChild(corner);
    ok.forEach(function (r) {
      var th = document.createElement("th");
      th.setAttribute("scope", "col");
      th.className = "samp";
      th.appendChild(sampleLink(r));
      head.appendChild(th);
    });
    var body = document.createDocumentFragment();
    data.lesions.forEach(function (name, li) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.setAttribute("scope", "row");
      th.textContent = name;
      tr.appendChild(th);
      ok.forEach(function (r) {
        var code = r.m.charAt(li);
        var low = code.toLowerCase();
        var disc = code !== low;
        var td = document.createElement("td");
        td.className = "m-" + ({ p: "present", a: "absent", n: "not_assessed" })[low] + (disc ? " m-discordant" : "");
        td.title = r.c[0] + " " + name + ": " + words[low] + (disc ? ", discordant" : "");
        var sym = document.createElement("span");
        sym.setAttribute("aria-hidden", "true");
        sym.textContent = symbols[low] + (disc ? "!" : "");
        var sr = document.createElement("span");
        sr.className = "sr";
        sr.textContent = words[low] + (disc ? ", sources disagree" : "");
        td.appendChild(sym);
        td.appendChild(sr);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    matrixTable.tHead.textContent = "";
    matrixTable.tHead.appendChild(head);
    matrixTable.tBodies[0].textContent = "";
    matrixTable.tBodies[0].appendChild(body);
  }

  function draw(prefix) {
    page = Math.min(page, pages() - 1);
    var shown = view.slice(page * per, (page + 1) * per);
    drawTable(shown);
    drawMatrix(shown);
    var first = view.length ? page * per + 1 : 0;
    pageInfo.textContent = "Page " + (page + 1) + " of " + pages() + " (rows " + first + "\u2013"
      + (page * per + shown.length) + ")";
    document.getElementById("page-first").disabled = document.getElementById("page-prev").disabled = page === 0;
    document.getElementById("page-next").disabled = document.getElementById("page-last").disabled =
      page >= pages() - 1;
    status.textContent = (prefix ? prefix + " " : "") + view.length + " of " + rows.length + " samples shown.";
  }

  function compare(col, sign) {
    var num = table.tHead.rows[0].cells[col].getAttribute("data-type") === "num";
    return function (a, b) {
      var x = num ? a.k[col] : a.c[col].toLowerCase();
      var y = num ? b.k[col] : b.c[col].toLowerCase();
      if (x < y) { return -sign; }
      if (x > y) { return sign; }
      return a.i - b.i;
    };
  }

  function applyFilter() {
    var q = text.value.trim().toLowerCase();
    var g = group.value;
    view = rows.filter(function (r) { return (!q || r.t.indexOf(q) !== -1) && (!g || r.g === g); });
    view.sort(compare(sorted.col, sorted.sign));
    page = 0;
    draw("");
  }

  function sortBy(th) {
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir);
    sorted = { col: th.cellIndex, sign: dir === "ascending" ? 1 : -1 };
    view.sort(compare(sorted.col, sorted.sign));
    page = 0;
    draw("Sorted by " + th.textContent.trim() + ", " + dir + ".");
  }

  function go(to) { page = Math.max(0, Math.min(pages() - 1, to)); draw(""); }

  Array.prototype.forEach.call(table.querySelectorAll("th button.sort"), function (b) {
    b.addEventListener("click", function () { sortBy(b.parentNode); });
  });
  document.getElementById("page-first").addEventListener("click", function () { go(0); });
  document.getElementById("page-prev").addEventListener("click", function () { go(page - 1); });
  document.getElementById("page-next").addEventListener("click", function () { go(page + 1); });
  document.getElementById("page-last").addEventListener("click", function () { go(pages() - 1); });
  text.addEventListener("input", applyFilter);
  group.addEventListener("change", applyFilter);
  applyFilter();
}());
