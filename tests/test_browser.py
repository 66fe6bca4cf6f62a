"""The HTML reports in a real browser (Debian's chromium driven by Python Playwright).

Pages are opened from file:// URLs of a real workflow run: they must load with
no console error and no network request, the cohort table must sort and filter,
and markup put into an input stays text.

Needs ``/usr/bin/chromium`` (tests/setup_system.sh chromium) and the
``playwright`` Python package (no ``playwright install``: the system chromium is
used). Skipped with the reason when either is missing, unless ``CI`` is set:
then a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import copy_project_inputs, run_snakemake

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
EVIL = "<script>alert(1)</script>"
# every sample of the demo sheet (the cohort table lists failed samples too)
N_DEMO = sum(1 for line in (Path(__file__).resolve().parents[1] / "config" / "samples.tsv").read_text().splitlines()
             if line and not line.startswith(("#", "sample\t")))

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None


def _missing() -> str | None:
    if sync_playwright is None:
        return "the playwright Python package is not installed (pip install playwright==1.65.2)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (run: bash tests/setup_system.sh chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page with everything it did recorded: requests, console messages, errors, dialogs."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)
        self.page.goto(self.url, wait_until="load")

    def assert_clean(self) -> None:
        self.page.wait_for_timeout(200)  # let late events (CSP reports, dialogs) arrive
        assert self.errors == []
        assert [m for m in self.console if m[0] in ("error", "warning")] == []
        assert self.dialogs == []
        assert set(self.requests) <= {self.url}, f"network requests besides the page itself: {self.requests}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def opened(browser: Any) -> Iterator[Any]:
    pages: list[Page] = []

    def open_(path: Path) -> Page:
        assert path.exists(), path
        p = Page(browser, path)
        pages.append(p)
        return p

    yield open_
    for p in pages:
        p.close()


# --------------------------------------------------------------------------- sample report

def test_sample_report_loads_clean_with_plots(demo_run: Path, opened: Any, tmp_path: Path):
    p = opened(demo_run / "samples" / "DEMO-12" / "report.html")
    page = p.page
    assert page.locator("h1").inner_text().startswith("Myeloma genomic risk report: DEMO-12")
    svgs = page.locator("svg[role=img]")
    # VAF, junctions, gene copy bars, the genome-wide profile and the chromosome 1, 13 and 17 panels
    assert svgs.count() == 7
    for i in range(7):
        svg = svgs.nth(i)
        assert svg.is_visible()
        box = svg.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 40
        assert svg.locator(":scope > title").text_content().strip()  # the SVG's own accessible name
    assert page.locator("svg text", has_text="VAF floor 5%").count() == 1
    page.screenshot(path=str(tmp_path / "DEMO-12.png"), full_page=True)
    page.emulate_media(media="print")
    assert svgs.first.is_visible()  # plots stay in the printed page
    page.screenshot(path=str(tmp_path / "DEMO-12-print.png"), full_page=True)
    assert (tmp_path / "DEMO-12.png").stat().st_size > 10_000
    p.assert_clean()


def test_fish_only_report_says_not_assessed(demo_run: Path, opened: Any):
    p = opened(demo_run / "samples" / "DEMO-01" / "report.html")
    assert p.page.locator("svg").count() == 0
    assert p.page.get_by_text("no SV calls were given", exact=False).is_visible()
    p.assert_clean()


# --------------------------------------------------------------------------- cohort page

def _column(page: Any, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "#samples-table tbody tr",
        f"rows => rows.filter(r => !r.hidden).map(r => r.cells[{index}].textContent.trim())")


def _header(page: Any, name: str) -> Any:
    return page.locator("#samples-table thead th", has=page.get_by_role("button", name=name, exact=True))


def test_cohort_sorts_by_click_and_keyboard(demo_run: Path, opened: Any, tmp_path: Path):
    p = opened(demo_run / "cohort" / "index.html")
    page = p.page
    samples = _column(page, 0)
    assert samples == sorted(samples) and len(samples) == N_DEMO

    # click: IMS/IMWG 2025 ascending puts high risk first, then standard, not evaluable, failed last
    rank = {"high risk": 0, "standard risk": 1, "not evaluable": 2, "failed": 9}
    page.get_by_role("button", name="IMS/IMWG 2025", exact=True).click()
    th = _header(page, "IMS/IMWG 2025")
    assert th.get_attribute("aria-sort") == "ascending"
    calls = _column(page, 4)
    assert [rank[c] for c in calls] == sorted(rank[c] for c in calls)
    assert calls[0] == "high risk" and calls[-1] == "failed"
    assert _column(page, 0) != samples
    # ties keep the sample order (stable sort)
    highs = [s for s, c in zip(_column(page, 0), calls) if c == "high risk"]
    assert highs == sorted(highs)

    # keyboard: focus the Sample header button and press Enter twice -> descending
    sample_btn = page.get_by_role("button", name="Sample", exact=True)
    sample_btn.focus()
    page.keyboard.press("Enter")
    assert _header(page, "Sample").get_attribute("aria-sort") == "ascending"
    assert th.get_attribute("aria-sort") == "none"
    page.keyboard.press("Enter")
    assert _header(page, "Sample").get_attribute("aria-sort") == "descending"
    assert _column(page, 0) == sorted(samples, reverse=True)

    # a stage column sorts by stage, not alphabetically (IV after III), unknown stages last
    page.get_by_role("button", name="R2-ISS", exact=True).press("Space")
    stages = _column(page, 6)
    order = {"I": 1, "II": 2, "III": 3, "IV": 4, "—": 9}
    assert [order[s] for s in stages] == sorted(order[s] for s in stages)
    assert "IV" in stages
    page.screenshot(path=str(tmp_path / "cohort-sorted.png"), full_page=True)
    p.assert_clean()


def test_cohort_filters_by_text_and_risk_group(demo_run: Path, opened: Any, tmp_path: Path):
    p = opened(demo_run / "cohort" / "index.html")
    page = p.page
    rows = page.locator("#samples-table tbody tr")
    assert rows.count() == N_DEMO

    page.get_by_label("Filter samples").fill("relapse")
    visible = _column(page, 2)
    assert visible and all("relapse" in t for t in visible)
    assert len(visible) < N_DEMO
    for i in range(rows.count()):
        r = rows.nth(i)
        assert r.is_visible() == ("relapse" in r.inner_text())
    assert f"{len(visible)} of {N_DEMO} samples shown" in page.locator("#filter-status").inner_text()

    page.get_by_label("Filter samples").fill("")
    page.get_by_label("IMS/IMWG 2025 risk group").select_option("standard")
    assert set(_column(page, 4)) == {"standard risk"}
    page.get_by_label("IMS/IMWG 2025 risk group").select_option("failed")
    assert _column(page, 0) == ["DEMO-11"]

    # both together: text and group
    page.get_by_label("IMS/IMWG 2025 risk group").select_option("high")
    page.get_by_label("Filter samples").fill("t(4;14)")
    visible = _column(page, 0)
    assert visible and all(c == "high risk" for c in _column(page, 4))
    assert all("t(4;14)" in t for t in _column(page, 9))
    page.screenshot(path=str(tmp_path / "cohort-filtered.png"), full_page=True)
    p.assert_clean()


def test_cohort_matrix_and_links(demo_run: Path, opened: Any):
    p = opened(demo_run / "cohort" / "index.html")
    page = p.page
    matrix = page.locator("table.matrix")
    assert matrix.is_visible()
    heads = [t.strip() for t in matrix.locator("thead th").all_inner_texts()]
    col = heads.index("DEMO-12") - 1  # the first header is the lesion column
    row = matrix.locator("tbody tr", has=page.locator("th", has_text="t(4;14)"))
    cell = row.locator("td").nth(col)
    # a symbol and the status in words (for screen readers), never colour alone
    assert cell.locator("span[aria-hidden=true]").inner_text() == "●"
    assert cell.locator(".sr").text_content() == "present"
    absent = row.locator("td").nth(heads.index("DEMO-13") - 1)
    assert absent.locator("span[aria-hidden=true]").inner_text() == "○"
    assert absent.locator(".sr").text_content() == "absent"
    assert row.locator("td").last.inner_text().startswith("3/")
    link = page.locator("#samples-table a", has_text="DEMO-12")
    href = link.get_attribute("href")
    target = (demo_run / "cohort" / href).resolve()
    assert target.exists() and target.name == "report.html"
    p.assert_clean()


# --------------------------------------------------------------------------- markup in inputs

@pytest.fixture(scope="module")
def markup_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-sample cohort whose timepoint and FISH comment are markup."""
    work = tmp_path_factory.mktemp("markup")
    copy_project_inputs(work)
    (work / "in").mkdir()
    (work / "in" / "fish.tsv").write_text(
        "sample\ttarget\tresult\tpercent\tcopies\tcomment\n"
        "A1\tdel(17p)\tpositive\t55\t1\t<img src=x onerror=alert(2)><script>alert(3)</script>\n",
        encoding="utf-8")
    (work / "in" / "samples.tsv").write_text(
        f"sample\tpatient\ttimepoint\tfish\nA1\tPA\t{EVIL}\tfish.tsv\n", encoding="utf-8")
    run_snakemake(work, "--config", f"samples={work / 'in' / 'samples.tsv'}", "clinical=", "outdir=out")
    return work / "out"


@pytest.mark.parametrize("page_path", ["samples/A1/report.html", "cohort/index.html"])
def test_markup_in_inputs_stays_text(markup_run: Path, opened: Any, page_path: str, tmp_path: Path):
    p = opened(markup_run / page_path)
    page = p.page
    shown = page.get_by_text(EVIL, exact=False)
    assert shown.count() >= 1 and shown.first.is_visible()
    assert page.locator("img").count() == 0
    # the only script elements are ours (allowed by their hashes): the links' on every page, the table's
    n_scripts = page.locator("script").count()
    assert n_scripts == (2 if page_path.startswith("cohort") else 1)
    if page_path.startswith("cohort"):
        # typed into the filter box, markup is only a search string
        page.get_by_label("Filter samples").fill(EVIL)
        assert _column(page, 0) == ["A1"]
    page.screenshot(path=str(tmp_path / "markup.png"), full_page=True)
    p.assert_clean()


# --------------------------------------------------------------------------- every page kind, both widths

#: Where the screenshots go (CI keeps the folder as an artefact): $MMRISK_SCREENSHOTS or tests/artifacts/screenshots.
ARTIFACTS = Path(os.environ.get("MMRISK_SCREENSHOTS") or Path(__file__).resolve().parent / "artifacts" / "screenshots")
PAGE_KINDS = {
    "sample": "samples/DEMO-12/report.html",          # every plot
    "sample-copynumber": "samples/DEMO-14/report.html",  # the genome-wide profile with all four probe loci
    "sample-fish-only": "samples/DEMO-01/report.html",
    "cohort": "cohort/index.html",
    "evolution": "patients/DP17/evolution.html",
}
WIDTHS = (390, 1280)

# pairs of <text> boxes (in CSS px) that intersect, per SVG plot
_OVERLAPS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg[role=img]')) {
    const boxes = Array.from(svg.querySelectorAll('text')).map(t => [t, t.getBoundingClientRect()])
      .filter(([t, r]) => r.width > 0 && r.height > 0 && t.textContent.trim());
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i][1], b = boxes[j][1];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 2) out.push(svg.id + ' ' + boxes[i][0].textContent.trim() + ' / ' + boxes[j][0].textContent.trim());
    }
  }
  return out;
}"""


def _open_at(browser: Any, path: Path, width: int) -> Any:
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load")
    return ctx, page


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_kind_fits_reads_and_is_photographed(demo_run: Path, browser: Any, width: int):
    """At 390 and 1280 px: the page is exactly as wide as the viewport (wide tables and plots scroll in their
    own box), no raw identifier is shown, no two texts of a plot overprint; a screenshot of each is kept."""
    from test_report import raw_identifiers

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind, rel in PAGE_KINDS.items():
        ctx, page = _open_at(browser, demo_run / rel, width)
        try:
            assert page.evaluate("document.documentElement.scrollWidth") == width, (kind, width)
            assert raw_identifiers(page.content()) == [], kind
            assert page.evaluate(_OVERLAPS) == [], (kind, width)
            # plot text keeps a readable size: never drawn below 8 px on screen
            sizes = page.eval_on_selector_all(
                "svg[role=img] text", "ts => ts.map(t => t.getBoundingClientRect().height).filter(h => h > 0)")
            assert not sizes or min(sizes) >= 8, (kind, width, min(sizes))
            page.screenshot(path=str(ARTIFACTS / f"{kind}-{width}.png"), full_page=True)
        finally:
            ctx.close()
        assert (ARTIFACTS / f"{kind}-{width}.png").stat().st_size > 5_000


# --------------------------------------------------------------------------- a cohort with long names

#: A LIMS-style sample id of the longest kind the sheet allows (64 characters), patients and timepoints alike.
LONG_SAMPLE = "LIMS_2026_11_30_BONE_MARROW_ASPIRATE_CD138_SORTED_PLASMA_CELL_{}"  # no break opportunity
LONG_PATIENT = "PATIENT-RECORD-UNIVERSITY-HOSPITAL-HAEMATOLOGY-DEPARTMENT-{}"
LONG_TIMEPOINTS = {"diagnosis": "diagnosis before induction, bone marrow aspirate (iliac crest)",
                   "relapse1": "first relapse after lenalidomide maintenance, marrow aspirate",
                   "relapse2": "second relapse on daratumumab-pomalidomide-dexamethasone therapy",
                   "relapse3": "third relapse, extramedullary plasmacytoma biopsy, left rib"}


@pytest.fixture(scope="module")
def long_names_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cohort with 64-character sample and patient ids and long timepoints (sheet, FISH, clinical
    and lines-of-therapy tables rewritten; the callers' files and their tumour columns unchanged)."""
    import re

    work = tmp_path_factory.mktemp("longnames")
    copy_project_inputs(work)
    sample = re.compile(r"(?<![/\w.-])DEMO-(\d\d)(?![.\w-])")
    patient = re.compile(r"(?<![/\w.-])DP(\d\d)(?![.\w-])")
    for rel in ("config/samples.tsv", "resources/demo/fish.tsv", "resources/demo/clinical.tsv",
                "resources/demo/treatment_lines.tsv"):
        path = work / rel
        text = sample.sub(lambda m: LONG_SAMPLE.format(m.group(1)), path.read_text(encoding="utf-8"))
        text = patient.sub(lambda m: LONG_PATIENT.format(m.group(1)), text)
        if rel == "config/samples.tsv":
            text = re.sub(r"\t(diagnosis|relapse\d)\t", lambda m: f"\t{LONG_TIMEPOINTS[m.group(1)]}\t", text)
        path.write_text(text, encoding="utf-8")
    assert all(len(LONG_SAMPLE.format("00")) == 64 and len(t) <= 64 for t in LONG_TIMEPOINTS.values())
    run_snakemake(work, "--keep-going")
    return work / "results"


@pytest.mark.parametrize("width", WIDTHS)
def test_long_names_fit_every_page_kind(long_names_run: Path, browser: Any, width: int):
    """Ids of 64 characters and long timepoints wrap: every page kind is exactly as wide as the viewport, shows
    no raw identifier and no overprinted plot text (screenshots kept beside the demo's)."""
    from test_report import raw_identifiers

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = {kind: rel.replace("DEMO-", LONG_SAMPLE.format("")).replace("DP17", LONG_PATIENT.format("17"))
             for kind, rel in PAGE_KINDS.items()}
    for kind, rel in pages.items():
        ctx, page = _open_at(browser, long_names_run / rel, width)
        try:
            assert LONG_SAMPLE.format("") in page.content(), kind
            assert page.evaluate("document.documentElement.scrollWidth") == width, (kind, width)
            assert raw_identifiers(page.content()) == [], kind
            assert page.evaluate(_OVERLAPS) == [], (kind, width)
            page.screenshot(path=str(ARTIFACTS / f"long-names-{kind}-{width}.png"), full_page=True)
        finally:
            ctx.close()


def test_wide_tables_scroll_in_their_own_box_with_sticky_first_column(demo_run: Path, browser: Any):
    ctx, page = _open_at(browser, demo_run / "cohort" / "index.html", 390)
    try:
        sticky = page.eval_on_selector_all(
            "table.matrix tbody th[scope=row], .tw > table > tbody > tr > :first-child",
            "cells => cells.map(c => getComputedStyle(c).position)")
        assert sticky and set(sticky) == {"sticky"}
        wrap = page.locator(".matrix-wrap")
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the matrix scrolls inside its box
        wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        first = page.locator("table.matrix tbody th[scope=row]").first
        box, frame = first.bounding_box(), wrap.bounding_box()
        assert box["x"] == pytest.approx(frame["x"], abs=2)  # the lesion names stay in view
        assert page.evaluate("document.documentElement.scrollWidth") == 390
    finally:
        ctx.close()


# --------------------------------------------------------------------------- print

def _pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a chromium (Skia) PDF, decoded through each font's ToUnicode map."""
    import re
    import zlib

    objs = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S)}

    def stream(body: bytes) -> bytes:
        m = re.search(rb"stream\r?\n(.*)endstream", body, re.S)
        raw = m.group(1) if m else b""
        return zlib.decompress(raw) if b"FlateDecode" in body[:200] else raw

    def cmap(text: bytes) -> dict[int, str]:
        out: dict[int, str] = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
            for a, b in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                out[int(a, 16)] = bytes.fromhex(b.decode()).decode("utf-16-be", "replace")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
            for a, z, b in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                for i, code in enumerate(range(int(a, 16), int(z, 16) + 1)):
                    out[code] = chr(int(b, 16) + i)
        return out

    pages = []
    for _, body in sorted(objs.items()):
        if not re.search(rb"/Type\s*/Page\b", body):
            continue
        res = objs[int(m.group(1))] if (m := re.search(rb"/Resources\s+(\d+) 0 R", body)) else body
        fonts: dict[bytes, dict[int, str]] = {}
        if fm := re.search(rb"/Font\s*<<(.*?)>>", res, re.S):
            for name, ref in re.findall(rb"/(\w+)\s+(\d+) 0 R", fm.group(1)):
                tu = re.search(rb"/ToUnicode\s+(\d+) 0 R", objs[int(ref)])
                fonts[name] = cmap(stream(objs[int(tu.group(1))])) if tu else {}
        content = b"".join(stream(objs[int(r)]) for r in re.findall(rb"(\d+) 0 R", re.search(
            rb"/Contents\s+(\[[^\]]*\]|\d+ 0 R)", body).group(1)))
        out, cur = [], {}
        for tok in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|(ET)", content, re.S):
            if tok.group(1):
                cur = fonts.get(tok.group(1), {})
            elif tok.group(4):
                out.append("\n")
            else:
                s = tok.group(2) if tok.group(2) is not None else b"<" + tok.group(3) + b">"
                for h in re.findall(rb"<([0-9A-Fa-f]*)>", s):
                    out += [cur.get(int(h[i:i + 4], 16), "?") for i in range(0, len(h), 4)]
        pages.append("".join(out))
    return pages


@pytest.mark.parametrize("kind,names", [("sample", "DEMO-12"), ("cohort", "cohort of"), ("evolution", "DP17")])
def test_every_printed_page_names_the_report_its_date_and_number(demo_run: Path, browser: Any, kind: str,
                                                                names: str):
    """Printed from chromium (the page's own @page margin boxes, as a user printing gets them): every page
    carries the sample (cohort, patient), the report date and "page i of n"; the sample report prints its
    effective configuration expanded."""
    ctx, page = _open_at(browser, demo_run / PAGE_KINDS[kind], 1280)
    try:
        date = page.locator("time").first.get_attribute("datetime")
        pdf = page.pdf(prefer_css_page_size=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{kind}.pdf").write_bytes(pdf)
    finally:
        ctx.close()
    pages = [" ".join(t.split()) for t in _pdf_pages(pdf)]
    assert len(pages) >= 2, kind
    for i, text in enumerate(pages, start=1):
        assert names in text and f"report date {date}" in text, (kind, i)
        assert f"page {i} of {len(pages)}" in text, (kind, i, text[:200])
    if kind == "sample":
        assert "Effective configuration" in pages[-1] or any("vaf_floor" in t for t in pages)
        assert any("vaf_floor" in t for t in pages)  # the configuration itself, not a collapsed summary


def test_print_css_repeats_readable_table_headers(demo_run: Path, browser: Any):
    ctx, page = _open_at(browser, demo_run / "cohort" / "index.html", 1280)
    try:
        page.emulate_media(media="print")
        heads = page.eval_on_selector_all("thead", "hs => hs.map(h => getComputedStyle(h).display)")
        assert heads and set(heads) == {"table-header-group"}
        # every repeated header cell has words (the sort buttons print as their text, no arrow glyph)
        texts = page.eval_on_selector_all("#samples-table thead th", "ths => ths.map(t => t.innerText.trim())")
        assert all(texts) and not any("\u2195" in t for t in texts)
        style = page.evaluate("Array.from(document.querySelectorAll('style')).map(s => s.textContent).join('')")
        assert "&#34;" not in style and "&quot;" not in style
    finally:
        ctx.close()


# --------------------------------------------------------------------------- a large cohort

@pytest.mark.parametrize("n", [1000, 10000])
def test_large_cohort_stays_usable(demo_run: Path, browser: Any, tmp_path: Path, n: int):
    """1 000 and 10 000 synthetic samples (copies of the demo's real evaluations, written by
    mmrisk.entry.run_cohort): the page loads (a generous timeout, no timed assertion), fits a phone, pages,
    sorts and filters over every sample; its load, sort and filter times are recorded for the benchmark
    (tests/benchmarks/cohort_page.py), never asserted."""
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))
    from cohort_page import measure, synthetic_cohort

    index = synthetic_cohort(demo_run, tmp_path / "big", n)
    figures = {**measure(browser, index), "samples": n}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"cohort_{n}_load.json").write_text(json.dumps(figures) + "\n", encoding="utf-8")
    print(f"cohort page, {n} samples:", json.dumps(figures))
    assert figures["sorted"] and figures["filtered"]
    assert figures["scroll_width"] == figures["viewport"]
    ctx = browser.new_context(viewport={"width": 390, "height": 900})
    page = ctx.new_page()
    try:
        page.goto(index.resolve().as_uri(), wait_until="load", timeout=300_000)
        assert page.evaluate("document.documentElement.scrollWidth") == 390  # no screen-reader span escapes
        assert page.locator("#samples-table tbody tr").count() == 100  # one page of rows, not n
        assert page.locator("#page-info").inner_text().startswith(f"Page 1 of {n // 100}")
        # the matrix shows the page's reported samples, with words for screen readers
        heads = page.locator("#matrix-page thead th.samp").all_inner_texts()
        assert heads and set(heads) <= set(_column(page, 0))
        assert page.locator("#matrix-page td .sr").first.text_content() in ("present", "absent", "not assessed")
        page.get_by_role("button", name="Last").click()
        assert _column(page, 0)[-1] == f"SYN-{n - 1:05d}"
        page.get_by_role("button", name="Sample", exact=True).click()
        page.get_by_role("button", name="Sample", exact=True).click()  # descending: back on page 1
        assert _column(page, 0)[0] == f"SYN-{n - 1:05d}"
        assert page.locator("#page-info").inner_text().startswith("Page 1 of")
        page.locator("#filter-text").fill("SYN-00042")
        assert _column(page, 0) == ["SYN-00042"]
        assert "1 of " + str(n) + " samples shown" in page.locator("#filter-status").inner_text()
        page.get_by_label("Filter samples").fill("")
        page.get_by_label("IMS/IMWG 2025 risk group").select_option("failed")
        assert set(page.locator("#samples-table tbody tr").evaluate_all(
            "rs => rs.map(r => r.getAttribute('data-risk'))")) == {"failed"}
        href = page.locator("#samples-table tbody a").first.get_attribute("href") if \
            page.locator("#samples-table tbody a").count() else None
        assert href is None  # a failed sample has no report to link
        page.get_by_label("IMS/IMWG 2025 risk group").select_option("")
        href = page.locator("#samples-table tbody a").first.get_attribute("href")
        first = _column(page, 0)[0]
        assert href == f"../samples/{first}/report.html"  # its report in results/ (synthetic: not written)
        assert (index.parent / href).resolve().parent == (index.parent.parent / "samples" / first)
        page.screenshot(path=str(ARTIFACTS / f"cohort-{n}-390.png"))
    finally:
        ctx.close()


@pytest.mark.parametrize("kind", ["sample", "evolution"])
def test_long_names_print_on_every_page(long_names_run: Path, browser: Any, kind: str):
    """Printed, every page of a report with a 64-character sample id (60-character patient id) names it whole."""
    rel = PAGE_KINDS[kind].replace("DEMO-", LONG_SAMPLE.format("")).replace("DP17", LONG_PATIENT.format("17"))
    name = LONG_SAMPLE.format("12") if kind == "sample" else LONG_PATIENT.format("17")
    ctx, page = _open_at(browser, long_names_run / rel, 1280)
    try:
        pdf = page.pdf(prefer_css_page_size=True)
        (ARTIFACTS / f"long-names-{kind}.pdf").write_bytes(pdf)
    finally:
        ctx.close()
    pages = [" ".join(t.split()) for t in _pdf_pages(pdf)]
    assert len(pages) >= 2
    for i, text in enumerate(pages, start=1):
        assert name in text.replace(" ", ""), (kind, i, text[:300])
        assert f"page {i} of {len(pages)}" in text, (kind, i)
