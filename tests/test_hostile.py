"""A campaign of broken, hostile and misleading inputs run as one cohort beside good samples (issue #13).

Each hostile sample is a real demo input (Mutect2+VEP, SnpEff, Manta, CNVkit, PURPLE, FISH) with one
thing wrong, as a new user's files arrive: a VEP run without ``--symbol``, an upper-case or unknown
consequence term, an annotation without a gene, a malformed position, a stale index, contigs spelled
otherwise than the header, a file of the wrong kind, a build mismatch, non-finite or impossible numbers,
an unparseable genotype, a duplicated column, an oversized cell, bytes that are not UTF-8, a file name
Snakemake would read as a wildcard. The whole cohort runs through the real workflow once; then:

- no sample fails with an internal error (a defect of ours), whatever its input;
- no lesion or gene is ``absent`` when its evidence could not be read: it is read correctly (present),
  or ``not_assessed`` with a warning, or the sample fails with a message naming the file;
- every good sample is reported as usual, and the cohort pages are written.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, copy_project_inputs, run_snakemake

DEMO = ROOT / "resources" / "demo"
TP53_R175H = "\t0/1:78,52:0.400:130\t"  # the tumour column of DEMO-18's TP53 p.Arg175His record


@dataclass(frozen=True)
class Case:
    """One sample of the campaign: its inputs and what must (not) come of them."""

    sample: str
    build: str
    inputs: dict[str, Path]
    lesion: str | None = None  # the lesion the input speaks to
    allowed: tuple[str, ...] = ("present", "not_assessed", "failed")  # its acceptable outcomes
    must_fail: bool = False
    tumor_column: str = ""
    mention: str = ""  # what the failure or a warning must say (the reader understood what is wrong)


def _text(name: str) -> str:
    path = DEMO / name
    if name.endswith(".gz"):
        return gzip.decompress(path.read_bytes()).decode()
    return path.read_text()


def _tp53_record(vcf: str) -> str:
    return next(line for line in vcf.splitlines() if "p.Arg175His" in line)


def _replace_in_record(vcf: str, old: str, new: str) -> str:
    rec = _tp53_record(vcf)
    assert old in rec, old
    return vcf.replace(rec, rec.replace(old, new, 1))


def _snv_cases(d: Path) -> list[Case]:
    v = _text("DEMO-18.snv.vcf")
    files: dict[str, str | bytes] = {}
    # VEP without --symbol: no SYMBOL field; the gene is only its Ensembl id
    header = next(line for line in v.splitlines() if line.startswith("##INFO=<ID=CSQ"))
    nosym = v.replace(header, header.replace("|SYMBOL|", "|"))
    nosym = "\n".join(line if line.startswith("#") else line.replace("|TP53|ENSG", "|ENSG").replace("|NRAS|", "|")
                      .replace("|PSMB5|", "|") for line in nosym.splitlines()) + "\n"
    files["nosymbol"] = nosym
    files["upper_term"] = _replace_in_record(v, "|missense_variant|", "|MISSENSE_VARIANT|")
    files["unknown_term"] = _replace_in_record(v, "|missense_variant|", "|novel_protein_variant_2031|")
    files["no_gene"] = _replace_in_record(v, "|TP53|ENSG00000141510|", "|||")
    files["comma_pos"] = _replace_in_record(v, "chr17\t7675088\t", "chr17\t7,675,088\t")
    files["alpha_pos"] = _replace_in_record(v, "chr17\t7675088\t", "chr17\tabc\t")
    # records without "chr" under a header that declares chr contigs, and the reverse
    files["nochr_records"] = "\n".join(line if line.startswith("#") else line.removeprefix("chr")
                                       for line in v.splitlines()) + "\n"
    files["nochr_header"] = v.replace("##contig=<ID=chr", "##contig=<ID=")
    files["af_nan"] = _replace_in_record(v, TP53_R175H, "\t0/1:78,52:nan:130\t")
    files["af_above_one"] = _replace_in_record(v, TP53_R175H, "\t0/1:78,52:1.5:130\t")
    files["af_negative"] = _replace_in_record(v, TP53_R175H, "\t0/1:78,52:-0.2:130\t")
    files["depth_inf"] = _replace_in_record(v, TP53_R175H, "\t0/1:78,52:0.400:inf\t")
    files["ad_huge"] = _replace_in_record(v, TP53_R175H, "\t0/1:78,1e308:0.400:130\t")
    for gt in ("-1", "NA", "0/1/"):
        files[f"gt_{gt.replace('/', 's').replace('-', 'm')}"] = _replace_in_record(v, TP53_R175H,
                                                                                TP53_R175H.replace("0/1", gt, 1))
    files["latin1"] = _replace_in_record(v, "p.Arg175His", "p.Arg175His").encode() .replace(b"NM_000546.6",
                                                                                           b"NM_000546\xe9", 1)
    files["crlf"] = v.replace("\n", "\r\n")
    files["truncated"] = v[: v.index(_tp53_record(v)) + 40]
    # an unknown consequence term on a knowledge-base gene (PSMB5 p.Ala108Thr, a proteasome-inhibitor rule)
    psmb5 = next(line for line in v.splitlines() if "|PSMB5|" in line and "p.Ala108Thr" in line)
    files["psmb5_unknown_term"] = v.replace(psmb5, psmb5.replace("|missense_variant|", "|novel_protein_variant_2031|"))
    cases = []
    for name, content in files.items():
        path = d / f"{name}.snv.vcf"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        cases.append(Case(f"SNV-{name}", "GRCh38", {"snv_vcf": path}, "TP53_mutation", tumor_column="DP17_rel_tumor"))
    # a correct result is required where the input is unusual but readable
    strict = {"SNV-nosymbol", "SNV-upper_term", "SNV-nochr_records", "SNV-nochr_header", "SNV-crlf"}
    cases = [Case(c.sample, c.build, c.inputs, c.lesion, ("present",), tumor_column=c.tumor_column)
             if c.sample in strict else c for c in cases]
    # a stale index: DEMO-12's bgzipped VCF beside the index of another file
    stale = d / "stale.snv.vcf.gz"
    shutil.copy(DEMO / "DEMO-12.snv.vcf.gz", stale)
    shutil.copy(DEMO / "DEMO-12.sv.vcf.gz.tbi", d / "stale.snv.vcf.gz.tbi")
    cases.append(Case("SNV-stale_index", "GRCh38", {"snv_vcf": stale}, "TP53_mutation", ("present",),
                      tumor_column="DP12_tumor", mention="index"))
    # files of the wrong kind
    sv_as_snv = d / "sv_as_snv.vcf"
    sv_as_snv.write_text(_text("DEMO-12.sv.vcf.gz"))
    cases.append(Case("SNV-is_sv_file", "GRCh38", {"snv_vcf": sv_as_snv}, must_fail=True, mention="sv_vcf"))
    cns_as_snv = d / "cns_as_snv.vcf"
    shutil.copy(DEMO / "DEMO-12.cnv.cns", cns_as_snv)
    cases.append(Case("SNV-is_cns_file", "GRCh38", {"snv_vcf": cns_as_snv}, must_fail=True))
    # a GRCh37 file (DEMO-13, no contig lines kept) declared GRCh38
    g37 = "\n".join(line for line in _text("DEMO-13.snv.vcf").splitlines() if not line.startswith("##contig"))
    (d / "grch37_as_38.snv.vcf").write_text(g37 + "\n")
    cases.append(Case("SNV-build_mismatch", "GRCh38", {"snv_vcf": d / "grch37_as_38.snv.vcf"}, "TP53_mutation",
                      ("not_assessed", "failed"), tumor_column="TUMOR"))
    return cases


def _sv_cases(d: Path) -> list[Case]:
    m = _text("DEMO-12.sv.vcf.gz")
    files = {
        "bnd_no_brackets": m.replace("A]chr14:105865746]", "Achr14:105865746").replace("G]chr4:1883738]",
                                                                                      "Gchr4:1883738"),
        "bnd_mixed_brackets": m.replace("A]chr14:105865746]", "A]chr14:105865746[").replace(
            "G]chr4:1883738]", "G[chr4:1883738]"),
        "bnd_unknown_contig": m.replace("]chr14:105865746]", "]chrUn_KI270742v1:105865746]").replace(
            "G]chr4:1883738]", "G]chrUn_KI270742v2:1883738]"),
        "bnd_bad_pos": m.replace("]chr14:105865746]", "]chr14:1e308]").replace("]chr4:1883738]", "]chr4:NaN]"),
        "support_inf": m.replace("PR:SR\t31,0:35,0\t17,21:22,19", "PR:SR\t31,0:35,0\t17,inf:22,nan"),
        "support_negative": m.replace("PR:SR\t31,0:35,0\t17,21:22,19", "PR:SR\t31,0:35,0\t17,-21:22,-19"),
    }
    cases = []
    for name, content in files.items():
        assert content != m, name
        path = d / f"{name}.sv.vcf"
        path.write_text(content)
        cases.append(Case(f"SV-{name}", "GRCh38", {"sv_vcf": path}, "t(4;14)", tumor_column="DP12_tumor"))
    small_as_sv = d / "small_as_sv.vcf"
    small_as_sv.write_text(_text("DEMO-18.snv.vcf"))
    cases.append(Case("SV-is_small_variant_file", "GRCh38", {"sv_vcf": small_as_sv}, must_fail=True,
                      tumor_column="DP17_rel_tumor", mention="snv_vcf"))
    return cases


def _cn_cases(d: Path) -> list[Case]:
    cns = _text("DEMO-12.cnv.cns")
    row = "chr1\t125100000\t248946422\t-\t0.48543\t3\t201.00\t309\t287.37"
    assert row in cns
    files = {
        "dup_cn_column": cns.replace("chromosome\tstart\tend\tgene\tlog2\tcn\tdepth",
                                     "chromosome\tstart\tend\tgene\tlog2\tcn\tcn"),
        "log2_inf": cns.replace(row, row.replace("0.48543", "inf")),
        "log2_nan": cns.replace(row, row.replace("0.48543", "nan")),
        "log2_huge": cns.replace(row, row.replace("0.48543", "1e308")),
        "cn_negative": cns.replace(row, row.replace("\t3\t", "\t-1\t")),
        "cn_1e7": cns.replace(row, row.replace("\t3\t", "\t10000000\t").replace("0.48543", "22.25")),
        "start_after_end": cns.replace(row, row.replace("125100000\t248946422", "248946422\t125100000")),
    }
    cases = []
    for name, content in files.items():
        assert content != cns, name
        path = d / f"{name}.cnv.cns"
        path.write_text(content)
        cases.append(Case(f"CN-{name}", "GRCh38", {"cnv": path}, "gain(1q)",
                          mention="twice" if name == "dup_cn_column" else ""))
    purple = _text("DEMO-14.cnv.tsv")
    prow = next(line for line in purple.splitlines()[1:] if line.startswith("1\t") and "\t4.0000\t" in line)
    (d / "purple_1e308.cnv.tsv").write_text(purple.replace(prow, prow.replace("\t4.0000\t", "\t1e308\t", 1)))
    cases.append(Case("CN-purple_1e308", "GRCh38", {"cnv": d / "purple_1e308.cnv.tsv"}, "gain(1q)"))
    sv_as_cn = d / "sv_as_cn.vcf"
    sv_as_cn.write_text(_text("DEMO-12.sv.vcf.gz"))
    cases.append(Case("CN-is_sv_file", "GRCh38", {"cnv": sv_as_cn}, must_fail=True, mention="sv_vcf"))
    return cases


def _fish_cases(d: Path) -> list[Case]:
    fish = _text("fish.tsv")
    header = next(line for line in fish.splitlines() if line.startswith("sample\t"))
    cols = header.split("\t")

    def row(sample: str, **kw: str) -> str:
        return "\t".join(sample if c == "sample" else kw.get(c, "") for c in cols)

    big = "x" * (200 * 1024)
    shared = [header,
              row("FISH-good", target="t(4;14)", result="positive", percent="40", cells_scored="200",
                  probe="XL IGH/FGFR3 DF", comment="<script>alert(1)</script>"),
              row("FISH-bigcomment", target="t(4;14)", result="positive", percent="40", comment=big),
              row("bad sample id!", target="t(4;14)", result="positive", percent="40"),
              row("FISH-pct_nan", target="t(4;14)", result="positive", percent="nan"),
              row("FISH-pct_inf", target="t(4;14)", result="positive", percent="inf"),
              row("FISH-cells_negative", target="t(4;14)", result="positive", percent="40", cells_scored="-5")]
    path = d / "shared.fish.tsv"
    path.write_text("\n".join(shared) + "\n")
    latin = d / "latin1.fish.tsv"
    latin.write_bytes(("\n".join([header, row("FISH-latin1", target="t(4;14)", result="positive", percent="40",
                                              comment="MARKER")]) + "\n").encode().replace(b"MARKER", b"Prob\xe9"))
    bom = d / "bom.fish.tsv"
    bom.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join([header, row("FISH-bom_crlf", target="t(4;14)",
                                                                 result="positive", percent="40")]) + "\r\n").encode())
    odd = d / "odd{name}<x>.fish.tsv"
    odd.write_text("\n".join([header, row("FISH-odd_name", target="t(4;14)", result="positive", percent="40")]) + "\n")
    cases = [Case("FISH-good", "GRCh38", {"fish": path}, "t(4;14)", ("present",)),
             Case("FISH-bigcomment", "GRCh38", {"fish": path}, "t(4;14)", ("present", "failed")),
             Case("FISH-pct_nan", "GRCh38", {"fish": path}, "t(4;14)", ("not_assessed", "failed")),
             Case("FISH-pct_inf", "GRCh38", {"fish": path}, "t(4;14)", ("not_assessed", "failed")),
             Case("FISH-cells_negative", "GRCh38", {"fish": path}, "t(4;14)", ("not_assessed", "failed")),
             Case("FISH-latin1", "GRCh38", {"fish": latin}, "t(4;14)"),
             Case("FISH-bom_crlf", "GRCh38", {"fish": bom}, "t(4;14)", ("present",)),
             Case("FISH-odd_name", "GRCh38", {"fish": odd}, "t(4;14)", ("present",))]
    return cases


#: The good samples run beside the hostile ones, each with the lesion it must show.
GOOD: tuple[tuple[str, str, dict[str, str], str, str], ...] = (
    ("GOOD-18", "GRCh38", {"snv_vcf": "DEMO-18.snv.vcf"}, "TP53_mutation", "DP17_rel_tumor"),
    ("GOOD-12", "GRCh38", {"snv_vcf": "DEMO-12.snv.vcf.gz", "sv_vcf": "DEMO-12.sv.vcf.gz", "cnv": "DEMO-12.cnv.cns"},
     "t(4;14)", "DP12_tumor"),
)


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Case], Path, subprocess.CompletedProcess[str]]:
    work = tmp_path_factory.mktemp("hostile")
    copy_project_inputs(work)
    d = work / "inputs"
    d.mkdir()
    cases = _snv_cases(d) + _sv_cases(d) + _cn_cases(d) + _fish_cases(d)
    cases += [Case(s, b, {k: DEMO / v for k, v in inp.items()}, lesion, ("present",), tumor_column=tc)
              for s, b, inp, lesion, tc in GOOD]
    cols = ("snv_vcf", "sv_vcf", "cnv", "fish")
    lines = ["sample\tbuild\ttumor_column\t" + "\t".join(cols)]
    lines += [f"{c.sample}\t{c.build}\t{c.tumor_column}\t" + "\t".join(str(c.inputs.get(k, "")) for k in cols)
              for c in cases]
    sheet = work / "samples.tsv"
    sheet.write_text("\n".join(lines) + "\n")
    proc = run_snakemake(work, "--keep-going", "--config", f"samples={sheet}", "clinical=", check=False)
    return cases, work / "results", proc


def _evaluation(out: Path, sample: str) -> dict:
    return json.loads((out / "samples" / sample / "evaluation.json").read_text())


def test_the_run_completes_and_writes_the_cohort_pages(campaign):
    cases, out, proc = campaign
    assert proc.returncode == 0, proc.stderr[-4000:]
    summary = (out / "cohort" / "summary.tsv").read_text()
    for c in cases:
        assert f"\n{c.sample}\t" in summary, c.sample
    assert (out / "cohort" / "index.html").is_file()
    assert "mmrisk: " in proc.stdout + proc.stderr and "failed" in proc.stdout + proc.stderr


def test_no_internal_error_whatever_the_input(campaign):
    cases, out, _ = campaign
    internal = {c.sample: _evaluation(out, c.sample).get("error") for c in cases
                if "internal error" in (_evaluation(out, c.sample).get("error") or "")}
    assert not internal


def test_nothing_unreadable_becomes_absent(campaign):
    cases, out, _ = campaign
    wrong = {}
    for c in cases:
        ev = _evaluation(out, c.sample)
        if c.must_fail:
            if ev["status"] != "failed":
                wrong[c.sample] = "should fail (a file of the wrong kind), got ok"
            continue
        if ev["status"] == "failed":
            if "failed" not in c.allowed:
                wrong[c.sample] = f"failed: {ev['error']}"
            continue
        if c.lesion is None:
            continue
        status = ev["result"]["lesions"][c.lesion]["status"]
        if status not in c.allowed:
            wrong[c.sample] = f"{c.lesion} {status}, expected one of {c.allowed}"
        elif status == "not_assessed" and not ev["result"]["warnings"]:
            wrong[c.sample] = f"{c.lesion} not_assessed without a warning saying why"
    assert not wrong, "\n".join(f"{k}: {v}" for k, v in sorted(wrong.items()))


def test_failures_name_the_file(campaign):
    cases, out, _ = campaign
    for c in cases:
        ev = _evaluation(out, c.sample)
        if ev["status"] == "failed":
            assert any(str(p) in ev["error"] or p.name in ev["error"] for p in c.inputs.values()), (c.sample, ev["error"])


def test_hostile_text_stays_text_on_the_page(campaign):
    _, out, _ = campaign
    page = (out / "samples" / "FISH-good" / "report.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page  # the FISH comment is reported, as given, and escaped
    assert "XL IGH/FGFR3 DF" in page  # the probe too


def test_one_bad_row_of_a_shared_fish_table_fails_no_other_sample(campaign):
    _, out, _ = campaign
    assert _evaluation(out, "FISH-good")["status"] == "ok"
    assert _evaluation(out, "FISH-bigcomment")["status"] in ("ok", "failed")


def test_the_reader_says_what_is_wrong(campaign):
    cases, out, _ = campaign
    unsaid = {}
    for c in cases:
        if not c.mention:
            continue
        ev = _evaluation(out, c.sample)
        said = ev.get("error") or " ".join(ev["result"]["warnings"])
        if c.mention not in said:
            unsaid[c.sample] = said[:300]
    assert not unsaid, unsaid


def test_a_gene_that_could_not_be_examined_is_named_in_risk_json_and_on_the_page(campaign):
    _, out, _ = campaign
    ev = _evaluation(out, "SNV-psmb5_unknown_term")
    assert ev["status"] == "ok"
    why = ev["result"]["genes_not_assessed"]["PSMB5"]
    assert "novel_protein_variant_2031" in why
    assert ev["result"]["lesions"]["TP53_mutation"]["status"] == "present"  # the rest of the file still speaks
    page = (out / "samples" / "SNV-psmb5_unknown_term" / "report.html").read_text()
    assert "Not assessed" in page and "<strong>PSMB5</strong>" in page
    assert _evaluation(out, "GOOD-18")["result"]["genes_not_assessed"] == {}


@pytest.mark.parametrize("kind, name, looks", [
    ("fish", "DEMO-12.cnv.cns", "a copy-number table: it belongs in cnv"),
    ("fish", "clinical.tsv", "a clinical table"),
    ("fish", "DEMO-18.snv.vcf", "a VCF"),
    ("cnv", "fish.tsv", "a FISH table: it belongs in fish"),
    ("cnv", "DEMO-18.snv.vcf", "small-variant VCF"),
    ("sv_vcf", "DEMO-12.cnv.cns", "a copy-number table: it belongs in cnv"),
    ("snv_vcf", "fish.tsv", "a FISH table (it belongs in fish)"),
    ("sv_vcf", "DEMO-18.snv.vcf", "snv_vcf"),
    ("snv_vcf", "DEMO-12.sv.vcf.gz", "sv_vcf"),
])
def test_a_file_given_as_another_kind_is_refused_with_what_it_looks_like(kind: str, name: str, looks: str):
    from mmrisk.entry import evaluate
    from mmrisk.sheet import Sample

    from conftest import demo_config

    outcome = evaluate(Sample(sample="WRONG", patient="WRONG", build="GRCh38", **{kind: str(DEMO / name)}),
                       demo_config(), "samples.tsv")
    assert outcome.result is None and "internal error" not in outcome.error
    assert looks in outcome.error, outcome.error
