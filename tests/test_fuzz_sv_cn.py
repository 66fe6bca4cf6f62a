"""Property-based tests (hypothesis) for the SV and copy-number readers and the plots (issue #13).

The property: mutations of real caller files of the corpus (byte flips, truncated lines, cells replaced by
hostile values, non-UTF-8 bytes, BOM, CRLF) raise nothing but :class:`~mmrisk.errors.InputError`, and where
a reader returns results they obey their ranges. The plots stay bounded whatever the values.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmrisk.copynumber import CnvThresholds, GeneState, read_copy_number
from mmrisk.errors import InputError
from mmrisk.formats.sv.base import alt_count, first_int
from mmrisk.formats.sv.vcf import SvHeader, _alt_end
from mmrisk.plots import MAX_TICKS, copy_plot, copy_profile, vaf_plot
from mmrisk.result import CopyProfile
from mmrisk.sv import read_structural_variants

FUZZ = settings(max_examples=100, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HOSTILE = ["nan", "NaN", "inf", "-inf", "1e308", "-1e308", "1e7", "-1", "-0.5", "0", "", ".", "x" * 5000,
           "\xff\xfe", "1,2,3", "[", "]", ":", "<DEL>", "N[chr1:1[", "1e-308", "00012", "1_000", "-", "∞"]

SV_FILES = {  # corpus file, declared build, tumour column
    "manta": ("manta/somaticSV.vcf.gz", "GRCh38", "colo829-dna-illumina"),
    "delly": ("delly/test_delly.vcf", "GRCh37", "TUMOR"),
    "gridss": ("gridss/gridss294.colo829.somatic.vcf", "GRCh37", "COLO829T_dedup.realigned.bam"),
    "lumpy": ("lumpy/colo829-dna-illumina-realigned_lumpy.chr1.vcf", "GRCh37", "colo829-dna-illumina"),
    "svaba": ("svaba/am.svaba.germline.sv.vcf", "GRCh38", None),
    "sniffles": ("sniffles/expected_output.vcf", "GRCh37", None),
    "purple_sv": ("purple/tumor_sample.purple.sv.vcf", "GRCh37", None),
    "severus": ("severus/severus_somatic.vcf", "GRCh38", None),
}
CN_FILES = {  # corpus file (or a SEG / CN VCF made from one), declared build, sample id
    "purple": ("purple/tumor_sample.purple.cnv.somatic.tsv", "GRCh37", None),
    "cnvkit_cns": ("cnvkit/p2-9_2.call.cns", "GRCh37", None),
    "cnvkit_segmetrics": ("cnvkit/tr95t.segmetrics.cns", "GRCh37", None),
    "cnvkit_cnr": ("cnvkit/amplicon.cnr", "GRCh37", None),
    "gatk_called": ("gatk_cnv/SM-74NF5.called.seg", "GRCh37", None),
    "gatk_model": ("gatk_cnv/single-sample-cr-ac-nac.modelFinal.seg", "GRCh37", None),
    "ascat": ("ascat/A32.fast.segments.txt", "GRCh37", "A32C-0019_CRUK_PC_0019_T1"),
}


def _source(rel: str) -> bytes:
    p = CORPUS / rel
    if not p.exists():
        pytest.skip(f"corpus file {rel} is absent (shared corpus not mounted at {CORPUS})")
    data = p.read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


def _head(data: bytes, limit: int = 400) -> bytes:
    """The header and the first data lines: big enough to hold every kind of record, small enough to fuzz fast."""
    lines = data.splitlines(keepends=True)
    header = [ln for ln in lines if ln.startswith(b"#") or ln.startswith(b"@")]
    body = [ln for ln in lines if not (ln.startswith(b"#") or ln.startswith(b"@"))]
    return b"".join(header + body[:limit])


def _seg_from_cns(data: bytes) -> bytes:
    """A generic SEG file with the real values of a CNVkit segment file (no SEG file is in the corpus)."""
    rows = [ln.split(b"\t") for ln in data.splitlines()]
    out = [b"ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean"]
    out += [b"\t".join([b"S1", r[0], r[1], r[2], r[7], r[4]]) for r in rows[1:]]
    return b"\n".join(out) + b"\n"


def _cn_vcf_from_cns(data: bytes) -> bytes:
    """A copy-number VCF (<CNV> records with FORMAT/CN) carrying the real segments of a CNVkit call file."""
    head = (b"##fileformat=VCFv4.2\n##FORMAT=<ID=CN,Number=1,Type=Integer,Description=\"copies\">\n"
            b"##INFO=<ID=END,Number=1,Type=Integer,Description=\"end\">\n"
            b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n")
    rows = [ln.split(b"\t") for ln in data.splitlines()[1:]]
    recs = [b"\t".join([r[0], r[1], b".", b"N", b"<CNV>", b".", b"PASS", b"END=" + r[2], b"CN", r[5]]) for r in rows]
    return head + b"\n".join(recs) + b"\n"


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """A real file after 1-4 hostile edits."""
    lines = data.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        kind = draw(st.sampled_from(["cell", "cell", "cell", "flip", "truncate", "drop", "dup", "bom", "crlf"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "cell":
            cells = lines[i].rstrip(b"\r\n").split(b"\t")
            k = draw(st.integers(0, len(cells) - 1))
            sub = draw(st.sampled_from(HOSTILE)).encode("utf-8", "surrogateescape") if draw(st.booleans()) else \
                draw(st.sampled_from(HOSTILE)).encode("latin-1", "replace")
            if b";" in cells[k] and draw(st.booleans()):  # an INFO value or a FORMAT cell: one item only
                items = cells[k].split(b";")
                j = draw(st.integers(0, len(items) - 1))
                key = items[j].partition(b"=")[0]
                items[j] = key + b"=" + sub
                cells[k] = b";".join(items)
            elif b":" in cells[k] and draw(st.booleans()):
                items = cells[k].split(b":")
                items[draw(st.integers(0, len(items) - 1))] = sub
                cells[k] = b":".join(items)
            else:
                cells[k] = sub
            lines[i] = b"\t".join(cells) + b"\n"
        elif kind == "flip" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:j] + bytes([lines[i][j] ^ (1 << draw(st.integers(0, 7)))]) + lines[i][j + 1:]
        elif kind == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
            lines = lines[: i + 1]
        elif kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "bom" and lines:
            lines[0] = b"\xef\xbb\xbf" + lines[0]
        elif kind == "crlf":
            lines = [ln.rstrip(b"\n") + b"\r\n" for ln in lines]
    return b"".join(lines)


# ------------------------------------------------------------------ BND ALT parsing

HEADER37 = SvHeader("t.vcf", "t.vcf", "generic", None, None, None, "GRCh37", frozenset({"1", "4", "14"}))


@FUZZ
@given(alt=st.one_of(
    st.text(alphabet="ACGTN[]:.<>chr0123456789-e+", max_size=30),
    st.builds(lambda a, b1, c, p, b2, z: f"{a}{b1}{c}:{p}{b2}{z}",
              st.sampled_from(["", "A", "NN"]), st.sampled_from("[]"), st.sampled_from(["4", "chr14", "ZZ", "", "1:2"]),
              st.sampled_from(["123", "-5", "1e5", "", "nan", "99999999999999", "0"]), st.sampled_from("[]"),
              st.sampled_from(["", "T"]))))
def test_bnd_alt_parsing_is_an_end_or_a_value_error(alt: str) -> None:
    try:
        end = _alt_end(alt, "4", 1000, "N", {"SVTYPE": "BND"}, HEADER37)
    except ValueError:
        return
    if end.form == "bracket":
        assert end.chrom2 in HEADER37.contigs and end.pos2 is not None and 0 <= end.pos2
        assert ("[" in alt) != ("]" in alt)  # one pair of the same bracket
    elif end.form == "single":
        assert end.chrom2 is None
    else:
        assert "[" not in alt and "]" not in alt and end.pos2 is not None


@FUZZ
@given(value=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12), st.integers(-10, 10**12).map(str),
                       st.floats(allow_nan=True, allow_infinity=True).map(repr)))
def test_read_counts_are_non_negative_whole_numbers_or_a_value_error(value: str) -> None:
    for parse in (first_int, alt_count):
        try:
            n = parse(value)
        except ValueError:
            continue
        assert n is None or (isinstance(n, int) and n >= 0)


# ------------------------------------------------------------------ SV readers on mutated real files


def _check_sv(path: Path, build: str, tumor: str | None) -> None:
    try:
        r = read_structural_variants(path, build=build, tumor_column=tumor)
    except InputError:
        return
    for j in r.junctions:
        assert j.pos1 >= 0 and (j.pos2 is None or j.pos2 >= 0)
        for v in (j.support.split_reads, j.support.paired_reads, *(x for _, x in j.support.other)):
            assert v is None or (0 <= v <= 1_000_000_000 and float(v).is_integer())
    assert all(e.status in ("present", "absent", "not_assessed") for e in r.evidence)


@pytest.mark.parametrize("kind", sorted(SV_FILES))
def test_sv_readers_on_mutated_real_files_raise_only_input_errors(tmp_path: Path, kind: str) -> None:
    rel, build, tumor = SV_FILES[kind]
    data = _head(_source(rel))

    @FUZZ
    @given(blob=mutations(data))
    def prop(blob: bytes) -> None:
        p = tmp_path / Path(rel).name.removesuffix(".gz")
        p.write_bytes(blob)
        _check_sv(p, build, tumor)

    p = _write(tmp_path, "unmutated.vcf", data)
    read_structural_variants(p, build=build, tumor_column=tumor)  # the unmutated file is read
    prop()


# ------------------------------------------------------------------ copy-number readers on mutated real files


def _check_cn(path: Path, build: str, sample: str | None) -> None:
    try:
        r = read_copy_number(path, build=build, sample_id=sample)
    except InputError:
        return
    th = CnvThresholds()
    for s in r.segments + r.homozygous_deletions:
        assert 1 <= s.start <= s.end
        assert s.copies is None or (math.isfinite(s.copies) and 0 <= s.copies)
        assert s.log2 is None or th.min_log2 <= s.log2 <= th.max_log2
        assert s.probes is None or s.probes >= 0
    for g in r.gene_states.values():
        assert g.copies is None or math.isfinite(g.copies)
    json.dumps([e.detail for e in r.evidence])


def _cn_source(kind: str) -> tuple[bytes, str, str, str | None]:
    if kind == "seg":
        return _seg_from_cns(_source("cnvkit/p2-9_2.call.cns")), "s.seg", "GRCh37", "S1"
    if kind == "vcf":
        return _cn_vcf_from_cns(_source("cnvkit/p2-9_2.call.cns")), "cn.vcf", "GRCh37", "S1"
    rel, build, sample = CN_FILES[kind]
    return _head(_source(rel)), Path(rel).name, build, sample


@pytest.mark.parametrize("kind", sorted([*CN_FILES, "seg", "vcf"]))
def test_cn_readers_on_mutated_real_files_raise_only_input_errors(tmp_path: Path, kind: str) -> None:
    data, name, build, sample = _cn_source(kind)
    assert read_copy_number(_write(tmp_path, name, data), build=build, sample_id=sample).n_segments > 0

    @FUZZ
    @given(blob=mutations(data))
    def prop(blob: bytes) -> None:
        _check_cn(_write(tmp_path, name, blob), build, sample)

    prop()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ------------------------------------------------------------------ plots bounded whatever the values

EXTREME = [0.0, -5.0, 1e7, 1e308, float("inf"), float("-inf"), float("nan"), 2.0]


@pytest.mark.parametrize("value", EXTREME)
def test_plots_are_bounded_whatever_the_values(value: float) -> None:
    th = CnvThresholds()
    states = {g: GeneState(g, "amplification", value, value, value, chrom=c)
              for g, c in (("TP53", "17"), ("CKS1B", "1"), ("RB1", "13"), ("MYC", "8"))}
    states["CDKN2C"] = GeneState("CDKN2C", "neutral", 2.0, -1e308, value, chrom="1")
    plot = copy_plot(states, th, 2.0)
    assert plot is not None
    assert len(plot["ticks"]) <= MAX_TICKS and len(json.dumps(plot, default=str)) < 20_000
    for bar in plot["bars"]:
        assert bar["x1"] is None or plot["label_w"] <= bar["x1"] <= plot["right"]
    prof = CopyProfile("GRCh38", (("1", 1, 10_000_000, value), ("17", -5, 10**12, value), ("17", 1, 2, 2.0)), False,
                       (("TP53", "17", 7_668_402),))
    for chroms in (None, ["17"]):
        p = copy_profile(prof, th, 2.0, chroms)
        assert p is not None and len(json.dumps(p, default=str)) < 50_000
        assert len(p["yticks"]) <= MAX_TICKS and len(p["xticks"]) <= MAX_TICKS
        for line in p["lines"]:
            assert p["top"] <= line["y"] <= p["bottom"] and p["left"] <= line["x0"] <= p["right"]
            assert math.isfinite(line["x1"])


def test_vaf_plot_bounded_with_non_finite_vaf() -> None:
    from mmrisk.snv import SmallVariant
    fields = SmallVariant.__dataclass_fields__
    if "vaf" not in fields:
        pytest.skip("SmallVariant has no vaf field")
    v = object.__new__(SmallVariant)
    for name in fields:
        object.__setattr__(v, name, None)
    object.__setattr__(v, "flags", ())
    for vaf in (float("nan"), float("inf"), -1.0, 1e308):
        object.__setattr__(v, "vaf", vaf)
        plot = vaf_plot([v], 0.05)
        assert plot is not None and len(plot["ticks"]) <= MAX_TICKS
        assert all(plot["label_w"] <= b["x1"] <= plot["right"] for b in plot["bars"])
