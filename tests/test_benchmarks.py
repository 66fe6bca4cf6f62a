"""The benchmark suite's input generators (tests/benchmarks/generate.py), at small sizes.

The benchmark itself is not a test (no timing is asserted anywhere); these tests keep its inputs
deterministic and readable by the workflow's real readers, so that the figures measure real work.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))

import generate as gen  # noqa: E402
from mmrisk.cnv import read_copy_number  # noqa: E402
from mmrisk.sheet import read_sample_sheet  # noqa: E402
from mmrisk.snv import load_gene_regions, read_small_variants  # noqa: E402
from mmrisk.sv import read_structural_variants  # noqa: E402


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_wgs_vcf_is_deterministic_and_read_alike_indexed_or_not(tmp_path):
    a = gen.wgs_vcf(tmp_path / "a.vcf.gz", 30_000)
    b = gen.wgs_vcf(tmp_path / "b.vcf.gz", 30_000, index=False)
    assert _sha(a) == _sha(b) and (tmp_path / "a.vcf.gz.tbi").exists()
    genes = load_gene_regions(build="GRCh38")
    indexed = read_small_variants(a, build="GRCh38", genes=genes)
    streamed = read_small_variants(b, build="GRCh38", genes=genes)
    assert (indexed.mode, streamed.mode) == ("region", "stream")
    assert streamed.records_read == 30_000 + len(gen.PLANTED)
    found = {(v.gene, v.hgvsp) for v in streamed.variants}
    assert found == {("TP53", "p.Arg248Gln"), ("NRAS", "p.Gln61Arg"), ("KRAS", "p.Gly12Asp")}
    assert sorted((v.gene, v.hgvsp, v.vaf) for v in indexed.variants) == sorted((v.gene, v.hgvsp, v.vaf) for v in streamed.variants)
    assert [e.status for e in streamed.evidence if e.lesion == "TP53_mutation"] == ["present"]


def test_sv_vcf_holds_the_planted_translocation(tmp_path):
    p = gen.sv_vcf(tmp_path / "sv.vcf.gz", 400)
    res = read_structural_variants(p, build="GRCh38")
    status = {e.lesion: e.status for e in res.evidence}
    assert status["t(4;14)"] == "present"
    assert _sha(p) == _sha(gen.sv_vcf(tmp_path / "sv2.vcf.gz", 400))


def test_cnv_segments_and_1q_gain(tmp_path):
    p = gen.cnv_cns(tmp_path / "x.cns", 300)
    assert 290 <= sum(1 for _ in p.open()) - 1 <= 330
    res = read_copy_number(p, build="GRCh38", purity=0.8)
    status = {e.lesion: e.status for e in res.evidence}
    assert status["gain(1q)"] == "present"


@pytest.mark.parametrize("n", [25])
def test_cohort_sheet_is_valid_with_patients(tmp_path, n):
    sheet = gen.cohort(tmp_path / "c", n)
    cohort = read_sample_sheet(str(sheet), "GRCh38")
    assert len(cohort.samples) == n
    by_patient: dict[str, int] = {}
    for s in cohort.samples.values():
        by_patient[s.patient] = by_patient.get(s.patient, 0) + 1
    assert sorted(v for v in by_patient.values() if v > 1) == [2] * (n // 10 + (1 if n % 10 >= 2 else 0))
    assert sum(1 for s in cohort.samples.values() if s.snv_vcf) == (n + 4) // 5
