"""The HTML rendering functions: plots drawn only from data, escaping, the MultiQC table."""

from __future__ import annotations

import copy
import csv
import html.parser
import re
from pathlib import Path

import pytest

from conftest import evaluate_demo
from mmrisk import plots
from mmrisk.cnv import GeneState
from mmrisk.settings import Settings
from mmrisk.snv import SmallVariant
from mmrisk.lesions import LESION_IDS
from mmrisk.report import lesion_matrix, multiqc_table, render_cohort, render_sample, sample_plots

EVIL = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def demo12() -> tuple:
    """DEMO-12 evaluated in this process: (typed result, risk.json object)."""
    return evaluate_demo("DEMO-12")


@pytest.fixture(scope="module")
def demo01() -> tuple:
    """FISH only: no variants, no SV, no copy-number segments."""
    return evaluate_demo("DEMO-01")


CNV = Settings.defaults().cnv


class _Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    return p

def assert_only_our_scripts(page: str) -> list[str]:
    """Every executable script of ``page`` is one of ours (templates/*.js, byte for byte) and allowed by its
    hash in the page's CSP, which allows nothing else (no inline handlers); returns the scripts."""
    import base64
    import hashlib

    from mmrisk.resources import TEMPLATE_DIR

    tags = parse(page)
    ours = {p.read_text(encoding="utf-8") for p in TEMPLATE_DIR.glob("*.js")}
    scripts = [s for s in tags.scripts if s.strip() and not s.lstrip().startswith("{")]  # JSON data blocks
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline'" not in csp.split("script-src")[1]
    for s in scripts:
        assert s in ours
        digest = base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.split("script-src")[1]
    assert not any(k.startswith("on") for _, a in tags.tags for k in a)
    return scripts



def svg_titles(page: str) -> list[str]:
    return re.findall(r"<svg[^>]*>\s*<title[^>]*>([^<]*)</title>", page)


# --------------------------------------------------------------------------- plots from data

def test_sequenced_sample_draws_every_plot(demo12):
    page = render_sample(demo12[0], date="2025-01-01")
    titles = svg_titles(page)
    # VAF, junctions, gene copy bars, the genome-wide profile and the chromosome 1, 13 and 17 panels
    assert len(titles) == 7, titles
    assert any("Variant allele fraction" in t for t in titles)
    assert any("IGH and MYC junctions" in t for t in titles)
    assert any("Copy number" in t for t in titles)
    assert any("profile of the genome" in t for t in titles)
    assert sum("profile of the chromosome" in t for t in titles) == 3
    # every svg is labelled for assistive technology
    for tag, attrs in parse(page).tags:
        if tag == "svg":
            assert attrs.get("role") == "img" and attrs.get("aria-labelledby")
    # the VAF floor, the junction partner and the CN thresholds are drawn with words, not colour only
    assert "VAF floor 5%" in page
    assert "FGFR3-NSD2" in page and "chr14:105,865,746" in page
    for label in ("loss 1.5", "gain 2.5", "amp 3.5"):
        assert label in page
    assert "3.00 copies, gain" in page


def test_fish_only_sample_says_what_is_not_assessed(demo01):
    page = render_sample(demo01[0], date="2025-01-01")
    assert "<svg" not in page
    assert "no SV calls were given" in page
    assert "no small-variant (SNV/indel) calls were given" in page
    assert "no copy-number (CNV) segments were given" in page


def test_sample_plots_none_without_data(demo12):
    result = copy.deepcopy(demo12[0])
    result.variants = []
    result.gene_states = {}
    result.profile = None
    for le in result.lesions.values():
        le.evidence = [e for e in le.evidence if e.source != "SV"]
    p = sample_plots(result)
    assert p == {"vaf": None, "breakends": None, "copies": None, "profile": None, "profile_chroms": []}
    page = render_sample(result, date="2025-01-01")
    assert "<svg" not in page
    assert "no IGH or MYC junction supports a present lesion" in page
    assert "No variant in the panel genes passed the filters" in page


def test_vaf_plot_floor_and_flags():
    def v(gene, hgvsp, vaf, depth, ref="A", alt="T"):
        return SmallVariant(gene, "1", 1, ref, alt, ["missense_variant"], hgvsp, vaf, depth, "PASS")

    vs = [v("KRAS", "p.G12D", 0.2, 100), v("NRAS", "p.Q61K", 0.03, 80), v("TP53", None, None, 5, "C", "T")]
    p = plots.vaf_plot(vs, 0.05)
    assert [b["label"] for b in p["bars"]] == ["KRAS p.G12D", "NRAS p.Q61K"]  # no VAF, no bar
    assert p["bars"][1]["kind"] == "flagged" and "below VAF floor" in p["bars"][1]["flags"]
    assert p["bars"][0]["kind"] == "somatic"
    assert p["bars"][0]["x0"] < p["floor"]["x"] < p["bars"][0]["x1"]
    assert plots.vaf_plot([], 0.05) is None
    assert plots.vaf_plot(vs[2:], 0.05) is None


def test_breakends_one_row_per_junction(demo12):
    p = plots.breakends(demo12[0].lesions)
    assert len(p["rows"]) == 1  # t(4;14), IGH_rearrangement and its "implied by" copy: one junction
    assert p["rows"][0]["lesions"] == ["t(4;14)", "IGH_rearrangement"]


def test_copy_plot_selects_lesion_chromosomes():
    st = {
        "TP53": GeneState("TP53", "deletion", 1.0, 1.0, 1.0, chrom="17"),
        "BRAF": GeneState("BRAF", "neutral", 2.0, chrom="7"),
        "MYC": GeneState("MYC", "gain", 3.0, low_confidence=True, chrom="8"),
        "CKS1B": GeneState("CKS1B", "gain", 3.0, 2.5, 3.4, chrom="1"),
    }
    p = plots.copy_plot(st, CNV.thresholds, CNV.ploidy)
    assert [b["gene"] for b in p["bars"]] == ["CKS1B", "TP53", "MYC"]  # chr1, chr17, then other changed genes
    assert p["bars"][0]["range"] is not None and p["bars"][1]["range"] is None
    assert "low confidence" in p["bars"][2]["value"]
    assert [t["label"] for t in p["thresholds"]] == ["no copy 0.5", "loss 1.5", "gain 2.5", "amp 3.5"]
    assert plots.copy_plot({"BRAF": st["BRAF"]}, CNV.thresholds, CNV.ploidy) is None
    assert plots.copy_plot({}, CNV.thresholds, CNV.ploidy) is None


# --------------------------------------------------------------------------- escaping

def test_input_strings_are_escaped_in_sample_page(demo12):
    from dataclasses import replace

    result = copy.deepcopy(demo12[0])
    result.sample = replace(result.sample, timepoint=EVIL)
    result.variants[0] = replace(result.variants[0], gene=EVIL, flags=[EVIL])
    result.gene_states["TP53"].state = "loss"
    le = result.lesions["t(4;14)"]
    le.evidence[0] = replace(le.evidence[0], detail=le.evidence[0].detail.replace("FGFR3-NSD2", EVIL))
    page = render_sample(result, date="2025-01-01")
    assert EVIL not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert_only_our_scripts(page)  # the link script of ours (mmrisk.reportlinks), allowed by its hash only


def _rows(*docs: dict, failed: str | None = None) -> list[dict]:
    from mmrisk.outputs import summary_row

    rows = []
    for d in docs:
        r = summary_row(d, d, None)
        r["link"] = f"../samples/{d['sample']}/report.html"
        rows.append(r)
    if failed:
        r = summary_row({"sample": failed, "patient": "PX", "timepoint": None}, None, "bad input: line 3")
        r["link"] = ""
        rows.append(r)
    return rows


def test_cohort_page_escapes_and_keeps_script_hash(demo12, demo01):
    a = copy.deepcopy(demo12[1])
    a["timepoint"] = EVIL
    page = render_cohort(_rows(a, demo01[1], failed="BAD-1"), date="2025-01-01")
    assert EVIL not in page
    assert "&lt;script&gt;" in page
    assert len(assert_only_our_scripts(page)) == 2  # the link script and the table's


def test_cohort_table_is_sortable_and_filterable_markup(demo12, demo01):
    page = render_cohort(_rows(demo12[1], demo01[1], failed="BAD-1"), date="2025-01-01")
    tags = parse(page).tags
    ths = [a for t, a in tags if t == "th" and "aria-sort" in a]
    assert len(ths) == 11 and all(a["aria-sort"] == "none" for a in ths)
    assert sum(1 for t, a in tags if t == "button" and a.get("class") == "sort") == 11
    assert any(t == "input" and a.get("id") == "filter-text" for t, a in tags)
    assert any(t == "select" and a.get("id") == "filter-risk" for t, a in tags)
    risks = [a["data-risk"] for t, a in tags if t == "tr" and "data-risk" in a]
    assert risks == ["high", "high", "failed"]  # DEMO-12, DEMO-01 (del(17p)), BAD-1
    assert 'href="../samples/DEMO-12/report.html"' in page


def test_lesion_matrix(demo12, demo01):
    rows = _rows(demo12[1], demo01[1], failed="BAD-1")
    rows[0]["lesions_discordant"] = ["del(17p)"]
    m = lesion_matrix(rows)
    assert [s["sample"] for s in m["samples"]] == ["DEMO-12", "DEMO-01"]  # failed samples are not columns
    assert m["lesions"] == list(LESION_IDS)
    c = {lid: [x["status"] for x in cells] for lid, cells in m["cells"].items()}
    assert c["t(4;14)"] == ["present", "absent"]
    assert c["TP53_mutation"][0] == "present"
    assert m["cells"]["del(17p)"][0]["discordant"] is True and m["has_discordance_data"]
    page = render_cohort(rows, date="2025-01-01")
    sec = page[page.index('id="matrix"'):]
    assert "present</span>" in sec and "absent</span>" in sec and "sources disagree" in sec
    assert "m-discordant" in sec


# --------------------------------------------------------------------------- MultiQC

def test_multiqc_table_format(demo12, demo01):
    rows = _rows(demo12[1], demo01[1], failed="BAD-1")
    rows[0]["timepoint"] = "x\ty"
    rows[1]["refractory"] = "tab\there\nnewline"
    text = multiqc_table(rows)
    assert text.endswith("\n")
    lines = text.splitlines()
    head = [ln for ln in lines if ln.startswith("#")]
    assert head[:4] == ["# id: 'mmrisk_risk'", "# section_name: 'Myeloma genomic risk'", head[2],
                        "# plot_type: 'table'"]
    assert head[2].startswith("# description: '") and head[2].endswith("'") and "research use" in head[2].lower()
    body = list(csv.reader([ln for ln in lines if not ln.startswith("#")], delimiter="\t"))
    assert body[0][0] == "Sample" and len(set(body[0])) == len(body[0])
    assert all(len(r) == len(body[0]) for r in body)
    by = {r[0]: dict(zip(body[0], r)) for r in body[1:]}
    assert list(by) == ["BAD-1", "DEMO-01", "DEMO-12"]
    assert by["DEMO-12"]["IMS/IMWG 2025"] == "high risk"
    assert by["DEMO-12"]["Status"] == "ok"
    assert "t(4;14)" in by["DEMO-12"]["Lesions present"]
    assert by["DEMO-01"]["Refractory"] == "tab here newline"
    assert by["BAD-1"]["Status"] == "failed" and by["BAD-1"]["IMS/IMWG 2025"] == "NA"
    # a failed sample says why; "none" where a reported sample has nothing (not NA)
    assert by["BAD-1"]["Failure reason"] == "bad input: line 3" and by["DEMO-12"]["Failure reason"] == "none"
    assert by["DEMO-12"]["IMWG 2025 criteria met"] != "NA"
    assert by["DEMO-01"]["Lesions present"] != "NA"
    assert "TP53 mutation" in by["DEMO-12"]["Lesions present"] and "_" not in by["DEMO-12"]["Lesions present"]
    # the MultiQC file name convention: the caller writes it as mmrisk_risk_mqc.tsv
    yaml = pytest.importorskip("yaml")
    conf = yaml.safe_load("\n".join(ln[2:] for ln in head))
    assert conf["plot_type"] == "table" and conf["id"] == "mmrisk_risk"
    # the status and the risk calls are coloured (MultiQC table header bgcols), every column has a header entry
    assert set(conf["headers"]) == set(body[0][1:])
    assert set(conf["headers"]["Status"]["bgcols"]) == {"ok", "failed"}
    assert {"high risk", "standard risk", "not evaluable"} <= set(conf["headers"]["IMS/IMWG 2025"]["bgcols"])


def test_multiqc_none_where_nothing_was_found(demo01):
    """A reported sample with no lesion present and no criterion met reads "none", never NA."""
    import copy as _copy

    doc = _copy.deepcopy(demo01[1])
    for le in doc["lesions"].values():
        le["status"] = "absent"
    body = [ln.split("\t") for ln in multiqc_table(_rows(doc)).splitlines() if not ln.startswith("#")]
    row = dict(zip(body[0], body[1]))
    assert row["Lesions present"] == "none" and row["Status"] == "ok"


def test_citations_are_linked_and_escaped():
    from mmrisk.report import cite

    html = str(cite("Mulligan et al., Blood 2014; PMID 24335104; DOI 10.1182/blood-2013-05-504340"))
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/24335104/"' in html
    assert 'href="https://doi.org/10.1182/blood-2013-05-504340"' in html
    evil = str(cite('<script>alert(1)</script> et al., J 2020; PMID 1"><b>'))
    assert "<script>" not in evil and "&lt;script&gt;" in evil
    assert 'pubmed.ncbi.nlm.nih.gov/1/"' in evil and "<b>" not in evil
    assert "href" not in str(cite("Someone et al., Journal 2020"))


def test_copy_number_profile_with_probe_loci(demo_run):
    """DEMO-14 (PURPLE): a genome-wide profile and chromosome 1, 13, 17 panels, probe loci marked;
    a FISH-only sample gets none and the page says so."""

    from mmrisk.report import sample_plots

    plots = sample_plots(evaluate_demo("DEMO-14")[0])
    prof = plots["profile"]
    assert prof is not None and {m["label"] for m in prof["loci"]} == {"TP53", "CKS1B", "CDKN2C", "RB1"}
    assert len(prof["bands"]) == 23  # 1-22 and X
    states = {(ln["text"].split(":")[0], ln["state"]) for ln in prof["lines"]}
    assert ("chr1", "loss") in states and ("chr13", "loss") in states and ("chr3", "gain") in states
    assert all(ln["x1"] - ln["x0"] >= 3.0 for ln in prof["lines"])  # the focal CDKN2C deletion stays visible
    assert [p["bands"][0]["label"] for p in plots["profile_chroms"]] == ["1", "13", "17"]
    html = (demo_run / "samples" / "DEMO-14" / "report.html").read_text(encoding="utf-8")
    assert "Genome-wide profile" in html and "Copy-number profile of the genome in DEMO-14" in html
    fish_only = (demo_run / "samples" / "DEMO-01" / "report.html").read_text(encoding="utf-8")
    assert "Genome-wide profile" not in fish_only


# --------------------------------------------------------------------------- names for people

def _identifiers() -> set[str]:
    """Every identifier of ours that must not reach a person on a page: ids with an underscore (lesions,
    drug classes, clinical fields, flags, input kinds, refractoriness, R2-ISS points, states) and the
    drug-class ids with their underscores made spaces ("imid celmod") where that differs from the label."""
    from mmrisk import labels
    from mmrisk.lesions import LESIONS

    out = {lid for lid in LESIONS if "_" in lid}
    for kind, table in labels.table().items():
        out |= {i for i in table if "_" in i}
        if kind == "drug_class":
            out |= {i.replace("_", " ") for i, lab in table.items() if "_" in i and i.replace("_", " ") != lab}
    return out


_LEGIT = re.compile(r"<(style|script|pre|code)\b.*?</\1>|<(\w+)\b[^>]*\bclass=\"[^\"]*\bmono\b[^\"]*\"[^>]*>.*?</\2>",
                    re.S)


def raw_identifiers(page: str) -> list[str]:
    """The raw identifiers a person reads on ``page``: in its text and its ``title``/``aria-label`` attributes,
    outside ``<code>``, ``<pre>`` (the effective configuration), ``.mono`` elements (paths, caller records,
    hashes), ``<style>`` and ``<script>``; other attributes (classes, data-*) are not read."""
    text = _LEGIT.sub(" ", page)
    shown = re.sub(r"<[^>]*>", " ", text)
    shown += " ".join(re.findall(r'\b(?:title|aria-label)="([^"]*)"', text))
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(i) for i in sorted(_identifiers(), key=len, reverse=True))
                         + r")(?![\w-])")
    return pattern.findall(shown)


def test_every_identifier_has_a_label():
    from mmrisk import labels
    from mmrisk.clinical import DRUG_CLASSES, OTHER_CLASS, REFRACTORY_CLASSES
    from mmrisk.risk import VARIABLES
    from mmrisk.sheet import INPUT_KINDS

    t = labels.table()
    assert set(DRUG_CLASSES) | {OTHER_CLASS} == set(t["drug_class"])
    assert set(REFRACTORY_CLASSES) == set(t["refractory"])
    assert set(INPUT_KINDS) <= set(t["input"])
    assert {k for k, _ in Settings.defaults().risk.r2_points} <= set(t["r2_point"])
    for v in VARIABLES:
        assert "_" not in labels.variable(v), v
    assert {"low_vaf", "polymorphism", "benign_list", "unannotated"} <= set(t["flag"])
    assert labels.label("drug_class", "imid_celmod") == "IMiD / CELMoD"
    assert labels.variable("b2m_mg_l") == "β2-microglobulin" and labels.variable("TP53_mutation") == "TP53 mutation"
    # a sentence of ours names lesions by their label; an input's file name keeps its spelling
    assert labels.sentence("IGH_rearrangement negative; DEMO_snv_vcf.vcf") == \
        "IGH rearrangement (any partner) negative; DEMO_snv_vcf.vcf"


def test_no_raw_identifier_on_any_demo_page(demo_run):
    """Sample reports, the cohort page and the patient evolution page of the demo: zero raw identifiers."""
    pages = sorted(demo_run.rglob("*.html"))
    kinds = {p.name for p in pages}
    assert {"report.html", "index.html", "evolution.html"} <= kinds
    found = {str(p.relative_to(demo_run)): ids for p in pages if (ids := raw_identifiers(p.read_text(encoding="utf-8")))}
    assert found == {}
    # the scanner does find them where they would be shown
    assert raw_identifiers("<td>TP53_mutation, imid celmod</td><td title='x'>b2m_mg_l</td>") == \
        ["TP53_mutation", "imid celmod", "b2m_mg_l"]
    assert raw_identifiers('<td class="mono">DEMO.snv_vcf</td><code>snv_vcf</code>') == []


def test_style_is_not_escaped_and_print_header_is_safe(demo12):
    from dataclasses import replace

    result = copy.deepcopy(demo12[0])
    result.sample = replace(result.sample, sample='A"};</style><script>x()</script>')
    page = render_sample(result, date="2025-01-01")
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1
    assert "&#34;" not in styles[0] and "&quot;" not in styles[0] and "&#39;" not in styles[0]
    assert 'content: " \\2195" / ""' in styles[0]  # the sort arrow's quote survives
    # every printed page: the sample id (its quote and angle brackets CSS-escaped) and the report date
    assert "@top-left" in styles[0] and 'content: "report date 2025-01-01"' in styles[0]
    assert 'A"}' not in styles[0] and "A\\000022\\00007d;\\00003c/style\\00003e" in styles[0]
    assert page.count("<script>") == 1 and assert_only_our_scripts(page)  # the link script only: no input became one
    # the configuration is expanded for print (a print-only copy beside the collapsed one)
    assert '<div class="printonly"><h3>Effective configuration</h3>' in page


def test_plot_labels_are_placed_apart():
    assert plots.spread([10, 12, 11, 50], 13, 0) == [10.0, 36.0, 23.0, 50.0]
    assert plots.spread([100, 100], 13, 0, 100) == [87.0, 100.0]
    assert plots.rows_for([(0, 20), (10, 30), (40, 60), (36, 50)]) == [0, 1, 0, 1]
    prof = plots.copy_profile(evaluate_demo("DEMO-14")[0].profile, CNV.thresholds, CNV.ploidy)
    boxes = [(m["x"] - plots.text_width(m["label"], 10) / 2, m["x"] + plots.text_width(m["label"], 10) / 2,
              m["label_y"]) for m in prof["loci"]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] != b[2] or a[1] <= b[0] or b[1] <= a[0], (a, b)  # CDKN2C and CKS1B on different rows
    ys = sorted(m["label_y"] for m in prof["thresholds"] + [prof["ploidy_label"]])
    assert all(b - a >= plots.LABEL_GAP - 1.01 for a, b in zip(ys, ys[1:]))


# --------------------------------------------------------------------------- a large cohort, links in reports

def test_large_cohort_page_holds_rows_as_escaped_data_not_dom(demo12, demo01):
    """Above cohortpage.INLINE_MAX samples the page draws one page of rows and carries the rest as a JSON data
    block, which no input text can end; the per-lesion counts are the whole cohort's."""
    import json

    from mmrisk import cohortpage

    base = _rows(demo12[1], demo01[1], failed="BAD-1")
    rows = []
    for i in range(cohortpage.INLINE_MAX + 1):
        r = copy.deepcopy(base[i % 3])
        r["sample"] = f"S{i:05d}"
        r["timepoint"] = EVIL + "</script><!--"
        rows.append(r)
    page = render_cohort(rows, date="2025-01-01")
    assert "</script><!--" not in page.replace("</script>\n", "")  # no input ends an element
    tags = parse(page).tags
    assert sum(1 for t, a in tags if t == "tr" and "data-risk" in a) == cohortpage.PAGE_ROWS
    assert any(t == "nav" and a.get("id") == "pager" for t, a in tags)
    block = page[page.index('id="cohort-data">') + len('id="cohort-data">'):]
    data = json.loads(block[:block.index("</script>")])
    assert len(data["rows"]) == len(rows) and data["per_page"] == cohortpage.PAGE_ROWS
    assert data["rows"][0]["c"][2] == EVIL + "</script><!--"  # the text itself, for textContent
    assert {r["g"] for r in data["rows"]} == {"high", "failed"}
    # the per-lesion counts the page prints are the whole cohort's, not the drawn page's
    counts_table = page[page.index('id="lesion-counts"'):]
    counts_table = counts_table[:counts_table.index("</table>")]
    from markupsafe import escape

    from mmrisk import labels

    label = re.escape(str(escape(labels.lesion("t(4;14)"))))
    present, absent, not_assessed = (int(v) for v in re.search(
        rf'<th scope="row">{label}</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>', counts_table).groups())
    n_ok = sum(r["status"] == "ok" for r in rows)
    assert present == (len(rows) + 2) // 3 and present + absent + not_assessed == n_ok
    assert len(assert_only_our_scripts(page)) == 2


def test_report_links_follow_snakemakes_zip_layout():
    """Snakemake 9 stores a report() file at data/raw/<sha256(declared path)[:16]>/<name> (a folder with
    patterns: the folder's path; checked against a real zip report in tests/test_snakemake_report.py)."""
    import hashlib

    from mmrisk import reportlinks

    sid = hashlib.sha256(b"results/samples/DEMO-01").hexdigest()[:16]
    link = reportlinks.link_to_sample("results/cohort", "results/samples/DEMO-01")
    assert link == ("../samples/DEMO-01/report.html", f"../{sid}/report.html")
    assert reportlinks.report_place("./results/cohort/index.html") == \
        hashlib.sha256(b"results/cohort/index.html").hexdigest()[:16] + "/index.html"


def test_wrap_keeps_every_line_within_its_width_and_marks_a_cut():
    from mmrisk.plots import CHAR_EM, wrap

    text = "second relapse on daratumumab-pomalidomide-dexamethasone therapy"
    lines = wrap(text, 160, 11)
    per_line = int(160 / (11 * CHAR_EM))
    assert all(len(line) <= per_line for line in lines) and len(lines) > 1
    assert lines[1] == "daratumumab-"  # a hyphenated word breaks after a hyphen
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost when it fits in four lines
    long_id = "LIMS_2026_11_30_BONE_MARROW_ASPIRATE_CD138_SORTED_PLASMA_CELL_12"
    cut = wrap(long_id, 60, 11, max_lines=2)
    assert len(cut) == 2 and cut[-1].endswith("\u2026") and all(len(line) <= int(60 / (11 * CHAR_EM)) for line in cut)
    assert wrap("diagnosis", 200, 11) == ["diagnosis"]


def test_cohort_page_names_the_knowledge_base_its_samples_were_read_with(demo12, demo01):
    from mmrisk.kb import load_knowledge_base

    kb = load_knowledge_base()
    page = render_cohort(_rows(demo12[1], demo01[1], failed="BAD-1"), date="2025-01-01")
    assert f"Knowledge base: {kb.version} ({kb.date})" in page
    old = copy.deepcopy(demo01[1])
    old["provenance"]["knowledge_base_version"] = "0.9.0 (2020-01-01)"  # a sample left from an older run
    page = render_cohort(_rows(demo12[1], old), date="2025-01-01")
    assert f"Knowledge base: 0.9.0 (2020-01-01), {kb.version} ({kb.date})" in page


def test_the_cohort_job_streams_the_page_render_cohort_draws(tmp_path, demo12, demo01):
    """The cohort job (entry.run_cohort) reads one evaluation at a time and writes the page as a stream: for a
    paged cohort given in shuffled order, the tables are in sample order, the page is the one render_cohort
    draws from the same rows, every patient with several samples gets its row, and no partial file is left."""
    import json
    import random

    from mmrisk import cohortpage, entry, reportlinks
    from mmrisk.outputs import summary_row

    n = cohortpage.INLINE_MAX + 100
    folders, docs = [], [demo12[1], demo01[1]]
    for i in range(n):
        sid, patient = f"S{i:05d}", f"P{i // 2:05d}"
        status = {"sample": sid, "patient": patient, "timepoint": f"t{i % 2}"}
        if i % 7 == 3:
            status.update(status="failed", error=f"bad input: line {i}")
        else:
            doc = copy.deepcopy(docs[i % 2])
            doc["sample"], doc["patient"], doc["timepoint"] = sid, patient, f"t{i % 2}"
            status.update(status="ok", result=doc)
        folder = tmp_path / "results" / "samples" / sid
        folder.mkdir(parents=True)
        (folder / "evaluation.json").write_text(json.dumps(status), encoding="utf-8")
        folders.append(str(folder))
    patients = {f"P{p:05d}": [{"sample": f"S{2 * p + k:05d}", "timepoint": f"t{k}", "collection_date": None,
                               "inputs": []} for k in (0, 1)] for p in range(3)}
    random.Random(1).shuffle(folders)
    cohort = tmp_path / "results" / "cohort"
    entry.run_cohort(folders, str(cohort / "summary.tsv"), str(cohort / "index.html"), str(cohort / "mqc.tsv"),
                     patients=patients)

    assert sorted(p.name for p in cohort.iterdir()) == ["index.html", "mqc.tsv", "summary.tsv"]  # no .part left
    table = list(csv.DictReader((cohort / "summary.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert [r["sample"] for r in table] == [f"S{i:05d}" for i in range(n)]
    mqc = [ln.split("\t")[0] for ln in (cohort / "mqc.tsv").read_text(encoding="utf-8").splitlines()
           if not ln.startswith("#")]
    assert mqc[1:] == [r["sample"] for r in table]
    page = (cohort / "index.html").read_text(encoding="utf-8")
    block = page[page.index('id="cohort-data">') + len('id="cohort-data">'):]
    data = json.loads(block[:block.index("</script>")])
    assert [r["c"][0] for r in data["rows"]] == [r["sample"] for r in table]
    assert sum(r["g"] == "failed" for r in data["rows"]) == len([i for i in range(n) if i % 7 == 3])
    for patient in patients:
        assert f'href="../patients/{patient}/evolution.html"' in page

    by_sample = {Path(f).name: f for f in folders}
    rows = []
    for sid in sorted(by_sample):
        st = json.loads(Path(by_sample[sid], "evaluation.json").read_text(encoding="utf-8"))
        row = summary_row(st, st.get("result"), st.get("error"))
        row["link"], row["report_link"] = reportlinks.link_to_sample(str(cohort), by_sample[sid])
        rows.append(row)
    drawn = render_cohort(rows, patients=entry._patient_rows(patients, by_sample, str(cohort)),
                          report_self=reportlinks.report_place(str(cohort / "index.html")))
    assert page == drawn
