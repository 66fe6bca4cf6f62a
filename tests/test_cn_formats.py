"""The copy-number format registry (each format detected from a small real-looking file and read into
segments), the lesion → gene-loci table (each row reaches a lesion call; malformed rows are refused
naming file and line), and the shape of the restructured modules."""

from __future__ import annotations

import ast
import gzip
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from mmrisk.cellfraction import log2_to_copies  # noqa: E402
from mmrisk.copynumber import CNV_LOCI_TSV, CnvLocus, load_cnv_loci, read_copy_number  # noqa: E402
from mmrisk.errors import InputError  # noqa: E402
from mmrisk.formats.cn import REGISTRY, Reading, Segment, detect_format, read_segments  # noqa: E402
from mmrisk.regions import Region  # noqa: E402

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts" / "mmrisk"

GENES = {
    "GRCh37": {
        "TP53": Region("17", 7565097, 7590856, "TP53"),
        "CKS1B": Region("1", 154947000, 154952000, "CKS1B"),
        "MCL1": Region("1", 150547000, 150552000, "MCL1"),
        "CDKN2C": Region("1", 51426000, 51441000, "CDKN2C"),
        "FAF1": Region("1", 50906000, 51426000, "FAF1"),
        "RB1": Region("13", 48877887, 49056122, "RB1"),
    },
    "GRCh38": {},
}

# ----------------------------------------------------------------------------- one small file per format

VCF = (
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=chr1,length=248956422>\n##contig=<ID=chr13,length=114364328>\n"
    "##contig=<ID=chr17,length=83257441>\n"
    "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##FORMAT=<ID=CN,Number=1,Type=Integer,Description=\"Copy number\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n"
    "chr17\t7000000\t.\tN\t<DEL>\t.\tPASS\tEND=8000000\tGT:CN\t0/0:2\t0/1:1\n"
    "chr17\t9000000\t.\tA\tG\t.\tPASS\t.\tGT:CN\t0/0:2\t0/1:2\n"  # an SNV record: not an interval
    "chrUn_gl000220\t100\t.\tN\t<DUP>\t.\tPASS\tEND=5000\tGT:CN\t0/0:2\t0/1:3\n"
)
CNS = ("chromosome\tstart\tend\tgene\tlog2\tcn\tdepth\tprobes\tweight\n"
       "chr17\t0\t22000000\tTP53\t-0.9\t1\t30\t50\t1\n"
       "chr13\t19000000\t115000000\tRB1\t-1.0\t1\t30\t400\t1\n")
CNR = ("chromosome\tstart\tend\tgene\tlog2\tdepth\tweight\n"
       + "".join(f"chr17\t{7570000 + i * 500}\t{7570200 + i * 500}\tTP53\t-1.0\t30\t1\n" for i in range(12))
       + "chr17\t7600000\t7600200\tAntitarget\t0.0\t30\t1\n")
GATK = ("@HD\tVN:1.6\n"
        "@SQ\tSN:1\tLN:249250621\tAS:GRCh37\n@SQ\tSN:2\tLN:243199373\tAS:GRCh37\n"
        "@SQ\tSN:13\tLN:115169878\tAS:GRCh37\n@SQ\tSN:17\tLN:81195210\tAS:GRCh37\n"
        "@RG\tID:GATKCopyNumber\tSM:tumour-1\n"
        "CONTIG\tSTART\tEND\tNUM_POINTS_COPY_RATIO\tMEAN_LOG2_COPY_RATIO\tCALL\n"
        "17\t1\t20000000\t500\t-1.0\t-\n"
        "13\t19000000\t115000000\t800\t0.0\t0\n")
SEG = ("ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean\n"
       "P1-D\tchr17\t1000\t20000000\t300\t-1.0\n"
       "P2-D\tchr17\t1000\t20000000\t300\t0.0\n"
       "P1-D\tchr13\t19000000\t110000000\t300\tNA\n")
PURPLE = ("chromosome\tstart\tend\tcopyNumber\tbafCount\tobservedBAF\tbaf\tsegmentStartSupport\t"
          "segmentEndSupport\tmethod\tdepthWindowCount\tgcContent\tminStart\tmaxStart\t"
          "minorAlleleCopyNumber\tmajorAlleleCopyNumber\n"
          "17\t1\t7000000\t2.0\t0\t0\t0\tTELOMERE\tDEL\tBAF_WEIGHTED\t5000\t0.4\t1\t1\t1.0\t1.0\n"
          "17\t7000001\t8000000\t-0.02\t0\t0\t1\tDEL\tDEL\tBAF_WEIGHTED\t900\t0.4\t1\t1\t-0.01\t-0.01\n")
ASCAT = ("sample\tchr\tstartpos\tendpos\tnMajor\tnMinor\n"
         "PT1_tumour\t17\t100\t20000000\t1\t0\n"
         "PT1_normal\t17\t100\t20000000\t1\t1\n"
         "PT1_tumour\t3\t1\t198022430\t2\t1\n")

FACETS = ("ID\tchrom\tloc.start\tloc.end\tseg\tnum.mark\tnhet\tcnlr.median\tmafR\tsegclust\tcnlr.median.clust\t"
          "mafR.clust\tcf\ttcn\tlcn\tcf.em\ttcn.em\tlcn.em\n"
          "T1\t17\t100\t20000000\t1\t900\t80\t-0.5\t1.2\t1\t-0.5\t1.2\t0.8\t1\t0\t0.8\t1\t0\n"
          "T1\t13\t19000000\t110000000\t2\t900\t80\t0\t0\t2\t0\t0\t1\t2\t1\t1\t2\tNA\n")
SEQUENZA = ('"chromosome"\t"start.pos"\t"end.pos"\t"Bf"\t"N.BAF"\t"sd.BAF"\t"depth.ratio"\t"N.ratio"\t"sd.ratio"\t'
            '"CNt"\t"A"\t"B"\t"LPP"\n'
            '"17"\t100\t20000000\t0.0\t500\t0.1\t0.6\t900\t0.1\t1\t1\t0\t-10\n'
            '"1"\t150000000\t160000000\t0.33\t500\t0.1\t1.3\t900\t0.1\t3\t2\t1\t-10\n')
BATTENBERG = ("chr\tstartpos\tendpos\tBAF\tpval\tLogR\tntot\tnMaj1_A\tnMin1_A\tfrac1_A\tnMaj2_A\tnMin2_A\tfrac2_A\n"
              "17\t100\t20000000\t0.3\t0\t-0.3\t1.5\t1\t1\t0.5\t1\t0\t0.5\n"
              "13\t19000000\t110000000\t0.5\t1\t0\t2\t1\t1\t1\tNA\tNA\tNA\n")
TOTMIN = ("sample\tchr\tstart\tend\ttot\tmin\n"
          "MMRF_1_1_BM\t17\t100\t20000000\t1.5\t0\n"
          "MMRF_2_1_BM\t17\t100\t20000000\t2\t1\n"
          "MMRF_1_1_BM\t13\t19000000\t110000000\t2\t0\n")

#: format name -> (file name, text, build, sample id, the expected segments, what the reader learnt)
CASES: dict[str, tuple[str, str, str, str | None, list[Segment], dict[str, object]]] = {
    "vcf": ("s.cnv.vcf.gz", VCF, "GRCh38", "TUMOR",
            [Segment("17", 7000001, 8000000, 1.0, source="<f>:9")],
            {"sample": "TUMOR", "log2_copies": False, "skipped_contigs": {"chrUn_gl000220"}}),
    "cnvkit_cns": ("s.call.cns", CNS, "GRCh37", None,
                   [Segment("17", 1, 22000000, 1.0, -0.9, None, 50, "<f>:2"),
                    Segment("13", 19000001, 115000000, 1.0, -1.0, None, 400, "<f>:3")],
                   {"sample": None, "log2_copies": False, "continuous_copies": False}),
    "cnvkit_cnr": ("s.cnr", CNR, "GRCh37", None,
                   [Segment("17", 7570001, 7575700, log2_to_copies(-1.0), -1.0, None, 12, "<f>:2"),
                    Segment("17", 7600001, 7600200, 2.0, 0.0, None, 1, "<f>:14", "1 probes < 10")],
                   {"log2_copies": True, "continuous_copies": True}),
    "gatk_seg": ("t.called.seg", GATK, "GRCh37", None,
                 [Segment("17", 1, 20000000, 1.0, -1.0, None, 500, "<f>:8"),
                  Segment("13", 19000000, 115000000, 2.0, 0.0, None, 800, "<f>:9")],
                 {"sample": "tumour-1", "log2_copies": True}),
    "seg": ("cohort.seg", SEG, "GRCh37", "P1-D",
            [Segment("17", 1000, 20000000, 1.0, -1.0, None, 300, "<f>:2"),
             Segment("13", 19000000, 110000000, None, None, None, 300, "<f>:4")],
            {"sample": "P1-D", "log2_copies": True}),
    "purple": ("t.purple.cnv.somatic.tsv", PURPLE, "GRCh37", None,
               [Segment("17", 1, 7000000, 2.0, None, 1.0, 5000, "<f>:2"),
                Segment("17", 7000001, 8000000, 0.0, None, 0.0, 900, "<f>:3")],
               {"continuous_copies": True, "log2_copies": False}),
    "ascat": ("ascat.segments.txt", ASCAT, "GRCh37", "PT1_tumour",
              [Segment("17", 100, 20000000, 1.0, None, 0.0, None, "<f>:2"),
               Segment("3", 1, 198022430, 3.0, None, 1.0, None, "<f>:4")],
              {"sample": "PT1_tumour", "log2_copies": False}),
    "facets": ("t.cncf.txt", FACETS, "GRCh37", None,
               [Segment("17", 100, 20000000, 1.0, None, 0.0, None, "<f>:2"),
                Segment("13", 19000000, 110000000, 2.0, None, None, None, "<f>:3")],
               {"log2_copies": False}),
    "sequenza": ("t_segments.txt", SEQUENZA, "GRCh37", None,
                 [Segment("17", 100, 20000000, 1.0, None, 0.0, None, "<f>:2"),
                  Segment("1", 150000000, 160000000, 3.0, None, 1.0, None, "<f>:3")],
                 {"log2_copies": False}),
    "battenberg": ("t_subclones.txt", BATTENBERG, "GRCh37", None,
                   [Segment("17", 100, 20000000, 1.5, None, 0.5, None, "<f>:2"),
                    Segment("13", 19000000, 110000000, 2.0, None, 1.0, None, "<f>:3")],
                   {"log2_copies": False}),
    "totmin": ("cohort_cnv.txt", TOTMIN, "GRCh37", "MMRF_1",
               [Segment("17", 100, 20000000, 1.5, None, 0.0, None, "<f>:2"),
                Segment("13", 19000000, 110000000, 2.0, None, 0.0, None, "<f>:4")],
               {"sample": "MMRF_1_1_BM", "log2_copies": False}),
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    if name.endswith(".gz"):
        p.write_bytes(gzip.compress(text.encode()))
    else:
        p.write_text(text)
    return p


def test_every_registered_format_has_a_case():
    assert set(CASES) == set(REGISTRY)


@pytest.mark.parametrize("fmt", list(CASES))
def test_registered_format_detected_and_read(tmp_path, fmt):
    name, text, build, sample_id, expected, learnt = CASES[fmt]
    p = _write(tmp_path, name, text)
    assert detect_format(p) == fmt
    rd = Reading(p, build, sample_id)
    segs = list(read_segments(rd, fmt, purity=None, ploidy=2.0, min_probes=10, min_segment_bp=1000))
    assert rd.problems == []
    assert segs == [Segment(s.chrom, s.start, s.end, s.copies, s.log2, s.minor_copies, s.probes,
                            s.source.replace("<f>", str(p)), s.low_confidence) for s in expected]
    for attr, value in learnt.items():
        assert getattr(rd, attr) == value, attr


def test_readers_report_what_they_learn(tmp_path):
    rd = Reading(_write(tmp_path, "t.purple.cnv.somatic.tsv", PURPLE), "GRCh37")
    list(read_segments(rd, "purple", purity=None, ploidy=2.0, min_probes=10, min_segment_bp=1000))
    assert any("1 segment(s) with a negative copy number" in w for w in rd.warnings)
    rd = Reading(_write(tmp_path, "s.cnr", CNR), "GRCh37")
    list(read_segments(rd, "cnvkit_cnr", purity=None, ploidy=2.0, min_probes=10, min_segment_bp=1000))
    assert any("grouped naively by gene" in w for w in rd.warnings)


def test_shared_step_converts_log2_with_purity_and_ploidy(tmp_path):
    p = _write(tmp_path, "t.called.seg", GATK)
    rd = Reading(p, "GRCh37")
    segs = list(read_segments(rd, "gatk_seg", purity=0.5, ploidy=3.0, min_probes=10, min_segment_bp=1000))
    assert segs[0].copies == log2_to_copies(-1.0, 0.5, 3.0)


def test_detection_refusals_keep_their_messages(tmp_path):
    with pytest.raises(InputError) as exc:
        detect_format(_write(tmp_path, "g.seg", "@HD\tVN:1.6\nCONTIG\tSTART\tEND\tVALUE\n"))
    assert "g.seg, line 2: GATK-style file (@ header) without the expected columns" in str(exc.value)
    assert "MEAN_LOG2_COPY_RATIO or LOG2_COPY_RATIO_POSTERIOR_50" in str(exc.value)
    with pytest.raises(InputError) as exc:
        detect_format(_write(tmp_path, "w.tsv", "# comment\nchrom\tpos\tvalue\n"))
    assert "w.tsv, line 2: not a recognised copy-number format" in str(exc.value)
    assert "ASCAT segments (sample chr startpos endpos nMajor nMinor)" in str(exc.value)
    with pytest.raises(InputError, match="is a directory, not a copy-number file"):
        detect_format(tmp_path)
    with pytest.raises(ValueError, match="unknown copy-number format"):
        list(read_segments(Reading(tmp_path / "x", "GRCh37"), "bam", purity=None, ploidy=2.0, min_probes=1,
                           min_segment_bp=1))


def test_byte_order_mark_is_read_through_textio(tmp_path):
    """The one text opener ignores a leading UTF-8 byte-order mark (cnv.py's own opener did not)."""
    p = tmp_path / "bom.cns"
    p.write_bytes(b"\xef\xbb\xbf" + CNS.encode())
    assert detect_format(p) == "cnvkit_cns"


# ----------------------------------------------------------------------------- the loci table

ALL_LOCI = ("chromosome\tstart\tend\tgene\tlog2\tcn\tdepth\tprobes\tweight\n"
            "chr17\t0\t22000000\tTP53\t-0.9\t1\t30\t50\t1\n"
            "chr1\t140000000\t160000000\tCKS1B,MCL1\t0.9\t4\t30\t80\t1\n"
            "chr1\t50000000\t52000000\tFAF1,CDKN2C\t-3.0\t0\t30\t20\t1\n"
            "chr13\t19000000\t115000000\tRB1\t-1.0\t1\t30\t400\t1\n")


def test_shipped_loci_table():
    loci = load_cnv_loci()
    assert [(lo.lesion, lo.kind, lo.genes, lo.allelic) for lo in loci] == [
        ("del(17p)", "loss", ("TP53",), False),
        ("gain(1q)", "gain", ("CKS1B", "MCL1"), False),
        ("amp(1q)", "amp", ("CKS1B", "MCL1"), False),
        ("del(1p32)", "loss", ("CDKN2C", "FAF1"), True),
        ("del(13q)", "loss", ("RB1",), False),
    ]
    assert all(lo.source and lo.origin.startswith(str(CNV_LOCI_TSV)) for lo in loci)
    head = CNV_LOCI_TSV.read_text(encoding="utf-8").splitlines()[:2]
    assert head[1].startswith("# version: 1.0.0") and "date: 2026-12-02" in head[1]


def test_every_loci_row_reaches_a_lesion_call(tmp_path):
    p = _write(tmp_path, "all.cns", ALL_LOCI)
    r = read_copy_number(p, build="GRCh37", genes=GENES)
    by_lesion = {e.lesion: e for e in r.evidence}
    for locus in load_cnv_loci():
        e = by_lesion[locus.lesion]
        assert e.status == "present" and e.source == "CNV" and e.gene in locus.genes, locus
        assert (e.allelic is not None) == locus.allelic, locus
    # the calls follow the table: one row, another gene, another kind
    table = tmp_path / "loci.tsv"
    table.write_text("# version: 0.0.1\nlesion\tkind\tgenes\tallelic\tsource\n"
                     "del(13q)\tloss\tTP53,RB1\tyes\ttest row\n")
    r2 = read_copy_number(p, build="GRCh37", genes=GENES, loci=load_cnv_loci(table))
    assert [e.lesion for e in r2.evidence if e.lesion != "hyperdiploidy"] == ["del(13q)"]
    d13 = r2.evidence[0]
    assert d13.allelic == "mono" and d13.gene in ("TP53", "RB1") and "no copy at ≤ 0.5" in d13.detail
    gain = [CnvLocus("gain(1q)", "gain", ("MCL1",), False, "test")]
    r3 = read_copy_number(p, build="GRCh37", genes=GENES, loci=gain)
    assert r3.evidence[0].gene == "MCL1" and r3.evidence[0].detail.startswith("MCL1: 4.00 copies")


def test_loci_gene_without_coordinates_is_not_assessed(tmp_path):
    p = _write(tmp_path, "all.cns", ALL_LOCI)
    r = read_copy_number(p, build="GRCh37", genes=GENES, loci=[CnvLocus("del(17p)", "loss", ("NOPE",), False, "t")])
    assert all(e.lesion == "hyperdiploidy" for e in r.evidence)
    assert any("del(17p) not assessed: no coordinates of NOPE for GRCh37 in genes.tsv" in w for w in r.warnings)


GOOD = "del(17p)\tloss\tTP53\tno\tfish_probes.tsv TP53\n"


@pytest.mark.parametrize("row, column", [
    ("t(4;14)\tloss\tTP53\tno\tx\n", "lesion"),
    ("hyperdiploidy\tgain\tTP53\tno\tx\n", "lesion"),
    ("del(17p)\tloss\tTP53\tno\tagain\n", "lesion"),
    ("del(13q)\tdeletion\tRB1\tno\tx\n", "kind"),
    ("del(13q)\tloss\tRB1,\tno\tx\n", "genes"),
    ("gain(1q)\tgain\tCKS1B\tyes\tx\n", "allelic"),
    ("del(13q)\tloss\tRB1\tmaybe\tx\n", "allelic"),
    ("del(13q)\tloss\tRB1\tno\t\n", "source"),
])
def test_malformed_loci_row_names_file_and_line(tmp_path, row, column):
    p = tmp_path / "loci.tsv"
    p.write_text("# version: 0.0.1\nlesion\tkind\tgenes\tallelic\tsource\n" + GOOD + row)
    with pytest.raises(InputError) as exc:
        load_cnv_loci(p)
    assert f"{p}, line 4, column '{column}'" in str(exc.value)


def test_loci_table_without_rows_or_columns(tmp_path):
    p = tmp_path / "loci.tsv"
    p.write_text("lesion\tkind\tgenes\tallelic\tsource\n")
    with pytest.raises(InputError, match="no rows"):
        load_cnv_loci(p)
    p.write_text("lesion\tkind\tgenes\n" "del(17p)\tloss\tTP53\n")
    with pytest.raises(InputError, match="required column 'allelic' is missing"):
        load_cnv_loci(p)


# ----------------------------------------------------------------------------- module shape

MODULES = [SCRIPTS / "cnv.py", SCRIPTS / "regions.py", SCRIPTS / "copynumber.py",
           *sorted((SCRIPTS / "formats" / "cn").glob("*.py"))]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_limits(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 600
    tree = ast.parse(text)
    assert ast.get_docstring(tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno - node.lineno + 1 <= 80, node.name


def test_format_readers_know_nothing_of_lesions():
    for path in sorted((SCRIPTS / "formats" / "cn").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module not in ("lesions", "copynumber", "cnv", "regions", "risk"), (path.name, node.module)
