"""Real callers' files through the real workflow (needs ../shared/corpus, as in CI)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import CORPUS, copy_project_inputs, run_snakemake

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside this clone")


def _summary(path: Path) -> dict[str, dict[str, str]]:
    with path.open() as fh:
        return {r["sample"]: r for r in csv.DictReader(fh, delimiter="\t")}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("seq")
    copy_project_inputs(work)
    # a truncated bgzip file, as a lab's interrupted copy would leave it
    data = (CORPUS / "manta" / "somaticSV.vcf.gz").read_bytes()
    (work / "truncated.sv.vcf.gz").write_bytes(data[: len(data) // 2])
    rows = [
        ("MUTECT2", "GRCh37", f"snv_vcf\t{CORPUS / 'mutect2' / 'cfdna-unfiltered.vcf'}", ""),
        ("MANTA", "GRCh38", f"sv_vcf\t{CORPUS / 'manta' / 'somaticSV.vcf.gz'}", "colo829-dna-illumina"),
        ("DELLY", "GRCh37", f"sv_vcf\t{CORPUS / 'delly' / 'test_delly.vcf'}", ""),
        ("CNVKIT", "GRCh37", f"cnv\t{CORPUS / 'cnvkit' / 'p2-9_2.call.cns'}", ""),
        ("GATKSEG", "GRCh37", f"cnv\t{CORPUS / 'gatk_cnv' / 'SM-74NF5.called.seg'}", ""),
        ("WRONGBUILD", "GRCh38", f"cnv\t{CORPUS / 'gatk_cnv' / 'SM-74NF5.called.seg'}", ""),
        ("TRUNCATED", "GRCh38", f"sv_vcf\t{work / 'truncated.sv.vcf.gz'}", "colo829-dna-illumina"),
        ("SNPEFF", "GRCh37", f"snv_vcf\t{CORPUS / 'snpeff' / 'test.ann.vcf'}", ""),
    ]
    lines = ["sample\tbuild\tsnv_vcf\tsv_vcf\tcnv\ttumor_column"]
    for sid, build, kind_path, tumor in rows:
        kind, path = kind_path.split("\t")
        cells = {"snv_vcf": "", "sv_vcf": "", "cnv": ""}
        cells[kind] = path
        lines.append("\t".join([sid, build, cells["snv_vcf"], cells["sv_vcf"], cells["cnv"], tumor]))
    (work / "seq.tsv").write_text("\n".join(lines) + "\n")
    run_snakemake(work, "--config", "samples=seq.tsv", "clinical=", "outdir=out")
    return work / "out"


def _risk(out: Path, sample: str) -> dict:
    return json.loads((out / "samples" / sample / "risk.json").read_text())


def test_each_sample_read_or_refused_alone(corpus_run: Path):
    s = _summary(corpus_run / "cohort" / "summary.tsv")
    ok = {k for k, v in s.items() if v["status"] == "ok"}
    assert ok == {"MUTECT2", "MANTA", "DELLY", "CNVKIT", "GATKSEG"}
    assert "GRCh37" in s["WRONGBUILD"]["status"] and "GRCh38" in s["WRONGBUILD"]["status"]
    assert "truncated" in s["TRUNCATED"]["status"].lower() or "gzip" in s["TRUNCATED"]["status"].lower()
    assert "##fileformat" in s["SNPEFF"]["status"]


def test_mutect2_tp53_polymorphism_is_no_mutation(corpus_run: Path):
    doc = _risk(corpus_run, "MUTECT2")
    assert doc["lesions"]["TP53_mutation"]["status"] in ("absent", "not_assessed")
    assert doc["lesions"]["TP53_mutation"]["status"] != "present"
    tsv = (corpus_run / "samples" / "MUTECT2" / "variants.tsv").read_text()
    assert "7579472" in tsv and "benign_list" in tsv


def test_sv_files_read_no_myeloma_translocation(corpus_run: Path):
    for sample in ("MANTA", "DELLY"):
        doc = _risk(corpus_run, sample)
        assert doc["lesions"]["t(4;14)"]["status"] in ("absent", "not_assessed")
        assert "SV" in doc["assessed_by"]


def test_cnv_segments_reach_the_lesions(corpus_run: Path):
    doc = _risk(corpus_run, "GATKSEG")
    assert doc["lesions"]["del(13q)"]["status"] == "present"
    assert doc["lesions"]["del(13q)"]["sources"] == ["CNV"]
