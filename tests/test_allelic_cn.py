"""Allele-specific copy number (total + minor copies): the CoMMpass segments, the same segments as FACETS,
Sequenza and Battenberg would write them, subclonal (fractional) states and copy-neutral LOH."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS
from mmrisk.copynumber import read_copy_number
from mmrisk.errors import InputError
from mmrisk.formats.cn import detect_format

CNV = CORPUS / "myeloma" / "commpass_gcp_mm" / "commpass_cnv_test.txt"
needs_corpus = pytest.mark.skipif(not CNV.is_file(), reason="the real myeloma corpus (../shared/corpus/myeloma) "
                                                              "is absent")


def _rows(sample: str) -> list[list[str]]:
    return [line.split("\t") for line in CNV.read_text().splitlines()[1:] if line.split("\t")[0] == sample]


def _calls(path: Path, sample: str | None = None) -> dict[str, tuple]:
    r = read_copy_number(path, build="GRCh37", sample_id=sample)
    return {e.lesion: (e.status, e.fraction, e.copies) for e in r.evidence}


def _patients() -> list[str]:
    return sorted({line.split("\t")[0] for line in CNV.read_text().splitlines()[1:]})


@needs_corpus
def test_every_commpass_patient_is_read_as_total_minor_segments() -> None:
    assert detect_format(CNV) == "totmin"
    patients = _patients()
    assert len(patients) == 30
    for p in patients:
        short = p.split("_1_BM")[0]  # the sheet names MMRF_1016, the file MMRF_1016_1_BM
        r = read_copy_number(CNV, build="GRCh37", sample_id=short)
        assert r.sample == p
        assert {e.lesion for e in r.evidence} >= {"del(17p)", "gain(1q)", "del(13q)", "del(1p32)"}
        assert all(e.status in ("present", "absent", "not_assessed") for e in r.evidence)
        for st in r.gene_states.values():
            assert st.minor_copies is None or 0 <= st.minor_copies <= (st.copies or 0)


@needs_corpus
def test_fractional_copies_are_subclonal_states_with_their_fraction() -> None:
    r = read_copy_number(CNV, build="GRCh37", sample_id="MMRF_1016")
    cdkn2c = r.gene_states["CDKN2C"]
    assert (cdkn2c.state, cdkn2c.copies, cdkn2c.subclonal, cdkn2c.fraction) == ("deletion", 1.5, True, 0.5)
    assert "subclonal" in cdkn2c.detail and "50%" in cdkn2c.detail
    ev = next(e for e in r.evidence if e.lesion == "del(1p32)")
    assert (ev.status, ev.fraction, ev.allelic) == ("present", 0.5, "mono")
    r = read_copy_number(CNV, build="GRCh37", sample_id="MMRF_1077")
    ev = next(e for e in r.evidence if e.lesion == "del(13q)")
    assert (ev.status, ev.fraction) == ("present", 0.5)
    # an integer (clonal) call of the same table claims no fraction it does not have
    r = read_copy_number(CNV, build="GRCh37", sample_id="MMRF_1086")
    ev = next(e for e in r.evidence if e.lesion == "del(17p)")
    assert ev.status == "present" and ev.fraction is None and not r.gene_states["TP53"].subclonal


@needs_corpus
def test_copy_neutral_loh_is_visible_in_the_gene_state() -> None:
    r = read_copy_number(CNV, build="GRCh37", sample_id="MMRF_1092")
    rb1 = r.gene_states["RB1"]
    assert (rb1.state, rb1.copies, rb1.minor_copies, rb1.loh) == ("neutral", 2.0, 0.0, True)
    assert "copy-neutral loss of heterozygosity" in rb1.detail
    assert next(e for e in r.evidence if e.lesion == "del(13q)").status == "absent"  # LOH is not a deletion
    # a loss leaves no minor allele by definition, and chrX in male cells is hemizygous: neither is flagged
    r = read_copy_number(CNV, build="GRCh37", sample_id="MMRF_1021")
    assert r.gene_states["RB1"].state == "deletion" and not r.gene_states["RB1"].loh
    assert not r.gene_states["CUL4B"].loh


def _as_facets(rows: list[list[str]]) -> str:
    head = "ID\tchrom\tloc.start\tloc.end\tnum.mark\tcnlr.median\ttcn\tlcn\ttcn.em\tlcn.em\n"
    return head + "".join(f"T\t{c}\t{s}\t{e}\t500\t0\t{t}\t{m}\t{t}\t{m}\n" for _sm, c, s, e, t, m in rows)


def _as_sequenza(rows: list[list[str]]) -> str:
    head = '"chromosome"\t"start.pos"\t"end.pos"\t"Bf"\t"depth.ratio"\t"CNt"\t"A"\t"B"\n'
    return head + "".join(f'"{c}"\t{s}\t{e}\t0.5\t1\t{t}\t{float(t) - float(m):g}\t{m}\n'
                          for _sm, c, s, e, t, m in rows)


def _as_battenberg(rows: list[list[str]]) -> str:
    """Integer states clonal; a fractional total x.5 as two states of half the cells each."""
    head = "chr\tstartpos\tendpos\tBAF\tLogR\tnMaj1_A\tnMin1_A\tfrac1_A\tnMaj2_A\tnMin2_A\tfrac2_A\n"
    out = []
    for _sm, c, s, e, t, m in rows:
        tot, mn = float(t), float(m)
        if tot.is_integer() and mn.is_integer():
            out.append(f"{c}\t{s}\t{e}\t0.5\t0\t{int(tot - mn)}\t{int(mn)}\t1\tNA\tNA\tNA\n")
        else:
            lo_t, lo_m = int(tot - 0.5), int(mn) if mn.is_integer() else int(mn - 0.5)
            hi_t, hi_m = lo_t + 1, (lo_m if mn.is_integer() else lo_m + 1)
            out.append(f"{c}\t{s}\t{e}\t0.5\t0\t{lo_t - lo_m}\t{lo_m}\t0.5\t{hi_t - hi_m}\t{hi_m}\t0.5\n")
    return head + "".join(out)


@needs_corpus
@pytest.mark.parametrize("patient", ["MMRF_1016_1_BM", "MMRF_1077_1_BM", "MMRF_1092_1_BM", "MMRF_1107_1_BM"])
@pytest.mark.parametrize("fmt,writer,name", [("facets", _as_facets, "t.cncf.txt"),
                                              ("sequenza", _as_sequenza, "t_segments.txt"),
                                              ("battenberg", _as_battenberg, "t_subclones.txt")])
def test_the_same_real_segments_in_each_allele_specific_format_give_the_same_calls(
        tmp_path: Path, patient: str, fmt: str, writer, name: str) -> None:
    rows = _rows(patient)
    p = tmp_path / name
    p.write_text(writer(rows))
    assert detect_format(p) == fmt
    ref = read_copy_number(CNV, build="GRCh37", sample_id=patient)
    got = read_copy_number(p, build="GRCh37")
    assert _calls(p) == {e.lesion: (e.status, e.fraction, e.copies) for e in ref.evidence}
    assert {g: (s.state, s.loh) for g, s in got.gene_states.items()} == \
        {g: (s.state, s.loh) for g, s in ref.gene_states.items()}


@needs_corpus
@pytest.mark.parametrize("column,value,message", [
    ("min", "3", "minor copies exceed the total"), ("tot", "nan", "not a finite number"),
    ("tot", "-7", "out of range"), ("min", "1e308", "out of range"), ("start", "x", "not a number"),
])
def test_hostile_total_minor_cells_name_line_and_column(tmp_path: Path, column: str, value: str, message: str) -> None:
    lines = CNV.read_text().splitlines()
    head = lines[0].split("\t")
    i = head.index(column)
    cells = lines[5].split("\t")
    cells[i] = value
    lines[5] = "\t".join(cells)
    p = tmp_path / "cnv.txt"
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as e:
        read_copy_number(p, build="GRCh37", sample_id=cells[0])
    prob = next(x for x in e.value.problems if message in x.message)
    assert prob.line == 6 and prob.column == column
