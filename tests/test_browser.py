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
    # the only script element is the cohort page's own (allowed by its hash)
    n_scripts = page.locator("script").count()
    assert n_scripts == (1 if page_path.startswith("cohort") else 0)
    if page_path.startswith("cohort"):
        # typed into the filter box, markup is only a search string
        page.get_by_label("Filter samples").fill(EVIL)
        assert _column(page, 0) == ["A1"]
    page.screenshot(path=str(tmp_path / "markup.png"), full_page=True)
    p.assert_clean()
