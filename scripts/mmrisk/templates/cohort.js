(function () {
  "use strict";
  var table = document.getElementById("samples-table");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
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
    var ordered = rows.slice().sort(function (a, b) {
      var ka = key(a, col, type), kb = key(b, col, type);
      if (ka < kb) { return -sign; }
      if (ka > kb) { return sign; }
      return rows.indexOf(a) - rows.indexOf(b);
    });
    ordered.forEach(function (r) { tbody.appendChild(r); });
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
      var okText = !q || r.textContent.toLowerCase().indexOf(q) !== -1;
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
