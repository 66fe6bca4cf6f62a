(function () {
  "use strict";
  var table = document.getElementById("samples-table");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  // computed once: a 10 000-sample table sorts and filters without re-reading the DOM per comparison
  var order = new Map(rows.map(function (r, i) { return [r, i]; }));
  var texts = new Map(rows.map(function (r) { return [r, r.textContent.toLowerCase()]; }));
  var text = document.getElementById("filter-text");
  var group = document.getElementById("filter-risk");
  var status = document.getElementById("filter-status");
  var controls = document.getElementById("samples-controls");
  controls.hidden = false;

  function key(row, col, type) {
    var cell = row.cells[col];
    var v = cell.getAttribute("data-sort");
    if (v === null) { v = cell.textContent.trim(); }
    if (type === "num") { var n = parseFloat(v); return isNaN(n) ? Infinity : n; }
    return v.toLowerCase();
  }

  function sortBy(th) {
    var col = th.cellIndex;
    var type = th.getAttribute("data-type") || "text";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      if (h.hasAttribute("aria-sort")) { h.setAttribute("aria-sort", "none"); }
    });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    var keyed = rows.map(function (r) { return [key(r, col, type), order.get(r), r]; });
    keyed.sort(function (a, b) {
      if (a[0] < b[0]) { return -sign; }
      if (a[0] > b[0]) { return sign; }
      return a[1] - b[1];
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k[2]); });
    tbody.appendChild(frag);
    announce("Sorted by " + th.textContent.trim() + ", " + dir + ".");
  }

  function announce(prefix) {
    var shown = rows.filter(function (r) { return !r.hidden; }).length;
    status.textContent = (prefix ? prefix + " " : "") + shown + " of " + rows.length + " samples shown.";
  }

  function applyFilter() {
    var q = text.value.trim().toLowerCase();
    var g = group.value;
    rows.forEach(function (r) {
      var okText = !q || texts.get(r).indexOf(q) !== -1;
      var okGroup = !g || r.getAttribute("data-risk") === g;
      r.hidden = !(okText && okGroup);
    });
    announce("");
  }

  Array.prototype.forEach.call(table.querySelectorAll("th button.sort"), function (b) {
    b.addEventListener("click", function () { sortBy(b.parentNode); });
  });
  text.addEventListener("input", applyFilter);
  group.addEventListener("change", applyFilter);
  applyFilter();
}());
