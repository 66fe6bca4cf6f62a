"""Hypothesis properties for the #14 readers: MAF, allele-specific (total/minor) copy number and IgCaller tables.

Mutations of real corpus files (byte flips, truncated lines, hostile cell values, non-UTF-8 bytes, BOM, CRLF)
raise nothing but InputError, and what is read obeys its ranges.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from mmrisk.copynumber import read_copy_number
from mmrisk.errors import InputError
from mmrisk.snv import load_gene_regions, read_small_variants
from mmrisk.sv import read_structural_variants

MM = CORPUS / "myeloma"
MAF = MM / "oncokb_annotator" / "example_maf.txt"
CN = MM / "commpass_gcp_mm" / "commpass_cnv_test.txt"
IGC = MM / "igcaller" / "v2_nadeulab" / "1344-01-03TD_output_oncogenic_rearrangements.tsv"
IGC1 = MM / "igcaller" / "v1_ferrannadeu" / "1344-01-03TD_output_oncogenic_IG_rearrangements.tsv"
pytestmark = pytest.mark.skipif(not MM.is_dir(), reason=f"corpus folder {MM} is absent")
SETTINGS = settings(max_examples=60, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HOSTILE = ["nan", "inf", "-inf", "1e308", "-1", "", "NA", ".", "x" * 5000, "\u00e9\u00e8", "0", "2.5", "\t"]


def _head(path: Path, n: int) -> bytes:
    """The header and the first n data lines of a real file (CN has 30 patients; one is enough to mutate)."""
    lines = path.read_bytes().splitlines(keepends=True)
    return b"".join(lines[: n + 1])


@st.composite
def mutated(draw, raw: bytes) -> bytes:
    lines = raw.splitlines(keepends=True)
    kind = draw(st.sampled_from(["cell", "flip", "truncate", "bom", "crlf", "latin1", "drop"]))
    if kind == "cell":
        i = draw(st.integers(0, len(lines) - 1))
        cells = lines[i].rstrip(b"\r\n").split(b"\t")
        j = draw(st.integers(0, len(cells) - 1))
        cells[j] = draw(st.sampled_from(HOSTILE)).encode()
        lines[i] = b"\t".join(cells) + b"\n"
    elif kind == "flip":
        data = bytearray(b"".join(lines))
        for _ in range(draw(st.integers(1, 4))):
            k = draw(st.integers(0, len(data) - 1))
            data[k] = draw(st.integers(0, 255))
        return bytes(data)
    elif kind == "truncate":
        data = b"".join(lines)
        return data[: draw(st.integers(0, len(data)))]
    elif kind == "bom":
        return b"\xef\xbb\xbf" + b"".join(lines)
    elif kind == "crlf":
        return b"".join(ln.rstrip(b"\r\n") + b"\r\n" for ln in lines)
    elif kind == "latin1":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i].rstrip(b"\n") + b"\xe9\xff\n"
    else:
        del lines[draw(st.integers(0, len(lines) - 1))]
    return b"".join(lines)


@SETTINGS
@given(data=st.data())
def test_mutated_maf_raises_only_input_error(tmp_path: Path, data) -> None:
    p = tmp_path / "x.maf"
    p.write_bytes(data.draw(mutated(MAF.read_bytes())))
    try:
        r = read_small_variants(p, build="GRCh37", genes=load_gene_regions(build="GRCh37"),
                                tumor_column="TCGA-02-0033-01")
    except InputError:
        return
    for v in r.variants:
        assert v.vaf is None or 0.0 <= v.vaf <= 1.0
        assert v.depth is None or v.depth >= 0


@SETTINGS
@given(data=st.data())
def test_mutated_total_minor_segments_raise_only_input_error(tmp_path: Path, data) -> None:
    p = tmp_path / "cn.txt"
    p.write_bytes(data.draw(mutated(_head(CN, 120))))
    try:
        r = read_copy_number(p, build="GRCh37", sample_id="MMRF_1016")
    except InputError:
        return
    for e in r.evidence:
        assert e.status in ("present", "absent", "not_assessed")
        assert e.fraction is None or 0.0 <= e.fraction <= 1.0
    for s in r.gene_states.values():
        assert s.minor_copies is None or s.minor_copies >= 0


@SETTINGS
@given(data=st.data(), src=st.sampled_from([IGC, IGC1]))
def test_mutated_igcaller_tables_raise_only_input_error(tmp_path: Path, data, src: Path) -> None:
    p = tmp_path / src.name  # alone: IgCaller's verdict is not beside it, so rows are judged one by one
    p.write_bytes(data.draw(mutated(src.read_bytes())))
    try:
        r = read_structural_variants(p, build="GRCh37")
    except InputError:
        return
    assert r.counts["junctions_passing"] <= r.counts["junctions"]
    assert all(e.status in ("present", "absent", "not_assessed") for e in r.evidence)
