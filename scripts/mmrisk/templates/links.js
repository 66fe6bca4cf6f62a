(function () {
  "use strict";
  // Where this page was opened (mmrisk.reportlinks): "files" (results/ or any copy of it), "zip" (its own
  // place data/raw/<id>/<name> in a snakemake --report x.zip) or "embedded" (a data: URL inside a
  // self-contained snakemake --report x.html, where no page can address another).
  var root = document.documentElement;
  var self = root.getAttribute("data-report-self") || "";
  var path = window.location.pathname || "";
  var where = "files";
  if (window.location.protocol === "data:") {
    where = "embedded";
  } else if (self && path.slice(-(self.length + 10)) === "/data/raw/" + self) {
    where = "zip";
  }
  root.setAttribute("data-opened-in", where);
  var note = "This page is embedded in Snakemake's self-contained report, where pages cannot open each other: "
    + "choose the page in the report's Cohort, Samples or Patients list, or open the zip report "
    + "(snakemake --report report.zip) or the results folder, where these links work.";
  Array.prototype.forEach.call(document.querySelectorAll("a[data-report-href]"), function (a) {
    if (where === "zip") {
      a.setAttribute("href", a.getAttribute("data-report-href"));
    } else if (where === "embedded") {
      a.removeAttribute("href");
      a.setAttribute("title", "not a link inside the self-contained report");
    }
  });
  if (where === "embedded") {
    var p = document.createElement("p");
    p.className = "report-note";
    p.setAttribute("role", "note");
    p.textContent = note;
    var header = document.querySelector("header");
    if (header) { header.appendChild(p); } else { document.body.insertBefore(p, document.body.firstChild); }
  }
}());
