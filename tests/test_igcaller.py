"""IgCaller oncogenic-rearrangement tables as SV input (#14 point 4) and light-chain junctions (point 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS
from mmrisk.errors import InputError
from mmrisk.lesions import merge
from mmrisk.sv import SV_LESIONS, read_structural_variants

IG = CORPUS / "myeloma" / "igcaller"
V1 = IG / "v1_ferrannadeu" / "1344-01-03TD_output_oncogenic_IG_rearrangements.tsv"
V2 = IG / "v2_nadeulab" / "1344-01-03TD_output_oncogenic_rearrangements.tsv"
pytestmark = pytest.mark.skipif(not IG.is_dir(), reason=f"corpus folder {IG} is absent")


@pytest.mark.parametrize("path", [V1, V2], ids=["v1", "v2"])
def test_corpus_example_yields_no_myeloma_translocation(path: Path) -> None:
    r = read_structural_variants(path, build="GRCh37")
    assert r.dialect == "igcaller" and r.counts["records"] > 10 and r.counts["junctions_passing"] == 0
    calls, _ = merge(r.evidence)
    assert all(calls[lid].status == "absent" for lid in SV_LESIONS)
    assert any("verdict read from" in w and "no oncogenic rearrangement" in w for w in r.warnings)


def _alone(tmp_path: Path, src: Path, edit) -> Path:
    """The table copied without its filtered file (IgCaller's verdict unknown), one row edited."""
    lines = src.read_text().splitlines()
    head = lines[0].split("\t")
    rows = [dict(zip(head, ln.split("\t"))) for ln in lines[1:]]
    edit(rows)
    out = tmp_path / src.name
    out.write_text("\n".join(["\t".join(head)] + ["\t".join(r[h] for h in head) for r in rows]) + "\n")
    return out


@pytest.mark.parametrize("src,cols", [(V1, ("ChrB", "PositionB", "Reads in normal")),
                                      (V2, ("Chr_B", "Position_B", "Reads_in_normal"))], ids=["v1", "v2"])
def test_without_verdict_reads_in_normal_filter_and_partners_map_through_windows(tmp_path: Path, src: Path,
                                                                                   cols) -> None:
    chrom, pos, normal = cols

    def edit(rows):
        for r in rows:
            if r["Rearrangement"] == "t(14;15)":  # IGH end on 14: move the partner into CCND1, no normal reads
                r[chrom], r[pos], r[normal] = "11", "69400000", "0"
                break
    r = read_structural_variants(_alone(tmp_path, src, edit), build="GRCh37")
    calls, _ = merge(r.evidence)
    assert calls["t(11;14)"].status == "present" and calls["IGH_rearrangement"].status == "present"
    assert calls["t(4;14)"].status == "absent"
    assert any("verdict is not available" in w for w in r.warnings)
    # unedited: every candidate has reads in the normal, none counts
    r = read_structural_variants(_alone(tmp_path, src, lambda rows: None), build="GRCh37")
    assert r.counts["junctions_passing"] == 0


def test_light_chain_junction_is_not_the_igh_translocation(tmp_path: Path) -> None:
    def edit(rows):
        for r in rows:
            if r["Rearrangement"] == "t(15;22)":  # IGL end on 22: move the other end into the MAF window
                r["Chr_A"], r["Position_A"], r["Reads_in_normal"] = "16", "79500000", "0"
                break
    r = read_structural_variants(_alone(tmp_path, V2, edit), build="GRCh37")
    calls, _ = merge(r.evidence)
    assert calls["t(14;16)"].status == "absent"  # no IGH::MAF junction
    assert any("t(16;22) IGL::MAF" in n and "not t(14;16)" in n for n in calls["t(14;16)"].notes)


@pytest.mark.parametrize("column,value", [("Score", "nan"), ("Score", "-1"), ("Position_A", "1e308"),
                                          ("Chr_A", "chrZ"), ("Position_B", "abc")])
def test_hostile_values_are_input_errors(tmp_path: Path, column: str, value: str) -> None:
    def edit(rows):
        rows[0][column] = value
    with pytest.raises(InputError) as e:
        read_structural_variants(_alone(tmp_path, V2, edit), build="GRCh37")
    assert "line 2" in str(e.value)
