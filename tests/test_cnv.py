"""Copy-number reader: real caller files of the corpus, synthetic files of every format,
the purity formula, contig spellings, build checks and broken files."""

from __future__ import annotations

import gzip
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from conftest import CORPUS  # noqa: E402
from mmrisk.cellfraction import copies_to_log2, log2_to_copies, single_copy_fraction  # noqa: E402
from mmrisk.copynumber import CnvThresholds, read_copy_number  # noqa: E402
from mmrisk.errors import InputError  # noqa: E402
from mmrisk.formats.cn import detect_format  # noqa: E402
from mmrisk.lesions import merge  # noqa: E402
from mmrisk.regions import Region, load_centromeres, load_genes  # noqa: E402

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-file corpus not present at {CORPUS}")


def ev(result, lesion):
    """The CNV evidence item for ``lesion`` (or None)."""
    items = [e for e in result.evidence if e.lesion == lesion]
    assert len(items) <= 1
    return items[0] if items else None


# Small, self-contained loci so synthetic tests do not depend on the resource tables.
GENES = {
    "GRCh37": {
        "TP53": Region("17", 7565097, 7590856, "TP53"),
        "CKS1B": Region("1", 154947000, 154952000, "CKS1B"),
        "MCL1": Region("1", 150547000, 150552000, "MCL1"),
        "CDKN2C": Region("1", 51426000, 51441000, "CDKN2C"),
        "FAF1": Region("1", 50906000, 51426000, "FAF1"),
        "RB1": Region("13", 48877887, 49056122, "RB1"),
    },
    "GRCh38": {
        "TP53": Region("17", 7661779, 7687550, "TP53"),
        "RB1": Region("13", 48303747, 48599436, "RB1"),
    },
}


# ----------------------------------------------------------------------------- resources


def test_genes_and_centromeres_resources_load():
    genes = load_genes()
    assert genes["GRCh37"]["TP53"] == Region("17", 7565097, 7590856, "TP53", genes["GRCh37"]["TP53"].source)
    assert "ENSG00000141510" in genes["GRCh38"]["TP53"].source
    for build in ("GRCh37", "GRCh38"):
        for g in genes[build].values():
            assert g.chrom in {str(i) for i in range(1, 23)} | {"X", "Y"} and g.start <= g.end and g.source
    cens = load_centromeres()
    assert set(cens["GRCh37"]) == set(cens["GRCh38"]) == {str(i) for i in range(1, 23)} | {"X", "Y"}
    assert cens["GRCh37"]["1"].start == 121500001 and cens["GRCh38"]["17"].end == 27400000
    # TP53 lies on 17p, RB1 on 13q in both builds
    for b in ("GRCh37", "GRCh38"):
        assert genes[b]["TP53"].end < cens[b]["17"].start
        if "RB1" in genes[b]:
            assert genes[b]["RB1"].start > cens[b]["13"].end


# ----------------------------------------------------------------------------- formula


@pytest.mark.parametrize("purity", [1.0, 0.8, 0.5, 0.3])
@pytest.mark.parametrize("ploidy", [2.0, 2.6, 3.1])
@pytest.mark.parametrize("copies", [0.5, 1.0, 2.0, 3.0, 4.0, 7.0])
def test_log2_copies_round_trip(purity, ploidy, copies):
    assert log2_to_copies(copies_to_log2(copies, purity, ploidy), purity, ploidy) == pytest.approx(copies, abs=1e-9)


def test_formula_values():
    # diploid tumour, purity 1: one copy = log2(1/2) = -1; four copies = +1
    assert copies_to_log2(1, 1.0, 2.0) == pytest.approx(-1.0)
    assert copies_to_log2(4, 1.0, 2.0) == pytest.approx(1.0)
    # purity 0.5: a clonal single-copy loss is r = (0.5 + 1) / 2 = 0.75
    assert copies_to_log2(1, 0.5, 2.0) == pytest.approx(math.log2(0.75))
    assert log2_to_copies(math.log2(0.75), 0.5, 2.0) == pytest.approx(1.0)
    # below the floor clips at 0
    assert log2_to_copies(-8.0, 0.5, 2.0) == 0.0
    assert copies_to_log2(0, 1.0) == float("-inf")
    assert single_copy_fraction(1.4, "loss") == pytest.approx(0.6)
    assert single_copy_fraction(0.2, "loss") == 1.0
    assert single_copy_fraction(2.5, "gain") == pytest.approx(0.5)
    with pytest.raises(ValueError):
        log2_to_copies(0.0, 0.0)


def test_thresholds_validated():
    with pytest.raises(ValueError):
        CnvThresholds(loss_max=2.6)
    assert CnvThresholds().min_probes == 10


# ----------------------------------------------------------------------------- synthetic files


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


CNS_HEADER = "chromosome\tstart\tend\tgene\tlog2\tcn\tdepth\tprobes\tweight\n"


def test_cnvkit_cns_with_cn_calls_lesions(tmp_path):
    rows = [
        ("chr17", 0, 22000000, "TP53", -0.9, 1, 50),          # del(17p): 1 copy
        ("chr1", 140000000, 160000000, "CKS1B,MCL1", 0.9, 4, 80),  # amp(1q): 4 copies
        ("chr1", 50000000, 51420000, "FAF1", -0.2, 2, 30),    # FAF1 partly neutral ...
        ("chr1", 51420000, 52000000, "CDKN2C", -3.0, 0, 20),  # ... CDKN2C biallelic
        ("chr13", 19000000, 115000000, "RB1", -1.0, 1, 400),
    ]
    text = CNS_HEADER + "".join(f"{c}\t{s}\t{e}\t{g}\t{l}\t{cn}\t30\t{n}\t1\n" for c, s, e, g, l, cn, n in rows)
    r = read_copy_number(write(tmp_path, "s.cns", text), build="GRCh37", genes=GENES)
    assert r.format == "cnvkit_cns"
    d17 = ev(r, "del(17p)")
    assert d17.status == "present" and d17.copies == 1 and d17.source == "CNV"
    assert d17.fraction is None  # integer calls: no purity-based fraction
    assert ev(r, "amp(1q)").status == "present" and ev(r, "amp(1q)").copies == 4
    assert ev(r, "gain(1q)").status == "present"
    d1p = ev(r, "del(1p32)")
    assert d1p.status == "present" and d1p.allelic == "biallelic" and d1p.copies == 0
    assert ev(r, "del(13q)").status == "present"
    assert r.gene_states["CDKN2C"].state == "biallelic_deletion"
    assert r.gene_states["FAF1"].min_copies == 0.0  # FAF1 touches the CDKN2C segment; the minimum is reported
    assert "lowest copy number" in r.gene_states["FAF1"].detail
    assert r.gene_states["CKS1B"].state == "amplification"
    assert d17.origin.endswith("s.cns:2")
    # hyperdiploidy: the odd chromosomes are not covered -> not assessed, never absent
    assert ev(r, "hyperdiploidy") is None
    assert any("hyperdiploidy not assessed" in w for w in r.warnings)
    calls, _ = merge(r.evidence)
    assert calls["del(1p32)"].allelic == "biallelic" and calls["hyperdiploidy"].status == "not_assessed"


def test_cnvkit_cns_without_cn_uses_purity(tmp_path):
    header = "chromosome\tstart\tend\tgene\tlog2\tdepth\tprobes\tweight\n"
    lg = copies_to_log2(1, 0.6, 2.0)  # clonal single-copy loss at purity 0.6
    lg_partial = copies_to_log2(1.3, 0.6, 2.0)  # loss in 70 % of tumour cells
    text = header + f"17\t0\t20000000\tTP53\t{lg}\t30\t100\t1\n13\t19000000\t115000000\tRB1\t{lg_partial}\t30\t100\t1\n"
    p = write(tmp_path, "x.cns", text)
    r = read_copy_number(p, build="GRCh37", genes=GENES, purity=0.6)
    d = ev(r, "del(17p)")
    assert d.status == "present" and d.copies == 1 and d.fraction == pytest.approx(1.0)
    assert r.gene_states["TP53"].copies == pytest.approx(1.0, abs=1e-3)
    assert ev(r, "del(13q)").fraction == pytest.approx(0.7, abs=1e-3)
    assert not any("not purity-adjusted" in w for w in r.warnings)
    # without purity: p = 1 assumed, warned, no fraction
    r2 = read_copy_number(p, build="GRCh37", genes=GENES)
    assert any("not purity-adjusted" in w for w in r2.warnings)
    assert ev(r2, "del(17p)").fraction is None
    assert r2.gene_states["TP53"].copies == pytest.approx(log2_to_copies(lg), abs=1e-3)


def test_cnvkit_cnr_grouped_by_gene_with_warning(tmp_path):
    header = "chromosome\tstart\tend\tgene\tlog2\tdepth\tweight\n"
    rows = "".join(f"chr17\t{7570000 + i * 500}\t{7570200 + i * 500}\tTP53\t-1.0\t30\t1\n" for i in range(12))
    rows += "chr1\t154948000\t154948200\tCKS1B\t0.6\t30\t1\n"
    r = read_copy_number(write(tmp_path, "bins.cnr", header + rows), build="GRCh37", genes=GENES)
    assert r.format == "cnvkit_cnr"
    assert any("segments" in w and "preferred" in w for w in r.warnings)
    tp53 = [s for s in r.segments if s.chrom == "17"]
    assert len(tp53) == 1 and tp53[0].probes == 12
    assert ev(r, "del(17p)").status == "present"
    # one bin at CKS1B is low-confidence: reported, not trusted
    assert ev(r, "gain(1q)").status == "not_assessed"
    assert any("CKS1B is covered only by low-confidence" in w for w in r.warnings)


SAM_HEADER_37 = (
    "@HD\tVN:1.6\n"
    "@SQ\tSN:1\tLN:249250621\tAS:GRCh37\n@SQ\tSN:2\tLN:243199373\tAS:GRCh37\n"
    "@SQ\tSN:13\tLN:115169878\tAS:GRCh37\n@SQ\tSN:17\tLN:81195210\tAS:GRCh37\n"
    "@RG\tID:GATKCopyNumber\tSM:tumour-1\n"
)


def test_gatk_called_seg(tmp_path):
    text = SAM_HEADER_37 + (
        "CONTIG\tSTART\tEND\tNUM_POINTS_COPY_RATIO\tMEAN_LOG2_COPY_RATIO\tCALL\n"
        "17\t1\t20000000\t500\t-1.0\t-\n"
        "13\t19000000\t115000000\t800\t0.0\t0\n"
    )
    r = read_copy_number(write(tmp_path, "t.called.seg", text), build="GRCh37", genes=GENES)
    assert r.format == "gatk_seg" and r.sample == "tumour-1"
    assert ev(r, "del(17p)").status == "present" and ev(r, "del(13q)").status == "absent"


def test_gatk_seg_build_mismatch_names_both_builds(tmp_path):
    text = SAM_HEADER_37 + "CONTIG\tSTART\tEND\tNUM_POINTS_COPY_RATIO\tMEAN_LOG2_COPY_RATIO\n17\t1\t100000\t50\t0.0\n"
    with pytest.raises(InputError) as exc:
        read_copy_number(write(tmp_path, "t.seg", text), build="GRCh38", genes=GENES)
    msg = str(exc.value)
    assert "GRCh37" in msg and "GRCh38" in msg and "t.seg" in msg


def test_gatk_model_final_posterior_column(tmp_path):
    text = SAM_HEADER_37 + (
        "CONTIG\tSTART\tEND\tNUM_POINTS_COPY_RATIO\tNUM_POINTS_ALLELE_FRACTION\tLOG2_COPY_RATIO_POSTERIOR_10\t"
        "LOG2_COPY_RATIO_POSTERIOR_50\tLOG2_COPY_RATIO_POSTERIOR_90\n"
        "1\t140000000\t160000000\t900\t100\t0.5\t0.585\t0.6\n"
    )
    r = read_copy_number(write(tmp_path, "m.modelFinal.seg", text), build="GRCh37", genes=GENES)
    assert r.gene_states["CKS1B"].copies == pytest.approx(3.0, abs=0.01)
    assert ev(r, "gain(1q)").status == "present" and ev(r, "amp(1q)").status == "absent"


def test_generic_seg_multi_sample(tmp_path):
    text = "ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean\n"
    for s, lg in (("P1-D", -1.0), ("P2-D", 0.0)):
        text += f"{s}\tchr17\t1000\t20000000\t300\t{lg}\n{s}\tchr13\t19000000\t110000000\t300\t0.0\n"
    p = write(tmp_path, "cohort.seg", text)
    r1 = read_copy_number(p, build="GRCh37", sample_id="P1-D", genes=GENES)
    r2 = read_copy_number(p, build="GRCh37", sample_id="P2-D", genes=GENES)
    assert ev(r1, "del(17p)").status == "present" and ev(r2, "del(17p)").status == "absent"
    assert r1.sample == "P1-D"
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", sample_id="P3-D", genes=GENES)
    assert "P1-D" in str(exc.value) and "P2-D" in str(exc.value)


def test_purple_negative_copy_number_and_homozygous_deletion(tmp_path):
    header = ("chromosome\tstart\tend\tcopyNumber\tbafCount\tobservedBAF\tbaf\tsegmentStartSupport\t"
              "segmentEndSupport\tmethod\tdepthWindowCount\tgcContent\tminStart\tmaxStart\t"
              "minorAlleleCopyNumber\tmajorAlleleCopyNumber\n")
    rows = ("17\t1\t7000000\t2.0\t0\t0\t0\tTELOMERE\tDEL\tBAF_WEIGHTED\t5000\t0.4\t1\t1\t1.0\t1.0\n"
            "17\t7000001\t8000000\t-0.02\t0\t0\t1\tDEL\tDEL\tBAF_WEIGHTED\t900\t0.4\t1\t1\t-0.01\t-0.01\n"
            "17\t8000001\t81195210\t2.0\t0\t0\t0\tDEL\tTELOMERE\tBAF_WEIGHTED\t50000\t0.4\t1\t1\t1.0\t1.0\n")
    r = read_copy_number(write(tmp_path, "t.purple.cnv.somatic.tsv", header + rows), build="GRCh37", genes=GENES)
    assert r.format == "purple"
    assert r.gene_states["TP53"].state == "biallelic_deletion" and r.gene_states["TP53"].copies == 0.0
    assert [s.copies for s in r.homozygous_deletions] == [0.0]
    assert ev(r, "del(17p)").status == "present" and ev(r, "del(17p)").copies == 0
    assert any("negative copy number" in w for w in r.warnings)


def test_ascat_pick_sample_and_substring(tmp_path):
    text = "sample\tchr\tstartpos\tendpos\tnMajor\tnMinor\n"
    for s, (ma, mi) in (("PT1_tumour", (1, 0)), ("PT1_normal", (1, 1))):
        text += f"{s}\t17\t100\t20000000\t{ma}\t{mi}\n"
        for c in ("3", "5", "7", "9", "11", "15", "19", "21"):
            text += f"{s}\t{c}\t1\t250000000\t2\t1\n" if s == "PT1_tumour" else f"{s}\t{c}\t1\t250000000\t1\t1\n"
    p = write(tmp_path, "ascat.txt", text)
    r = read_copy_number(p, build="GRCh37", sample_id="PT1_tumour", genes=GENES)
    assert r.format == "ascat" and ev(r, "del(17p)").status == "present"
    assert ev(r, "hyperdiploidy").status == "present"
    rn = read_copy_number(p, build="GRCh37", sample_id="normal", genes=GENES)  # unique substring
    assert rn.sample == "PT1_normal" and ev(rn, "hyperdiploidy").status == "absent"
    assert any("matched" in w for w in rn.warnings)
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", sample_id="PT1", genes=GENES)  # ambiguous
    assert "PT1_tumour" in str(exc.value) and "PT1_normal" in str(exc.value)


def test_vcf_with_cn_format_and_info(tmp_path):
    vcf = (
        "##fileformat=VCFv4.2\n"
        "##contig=<ID=chr1,length=248956422>\n##contig=<ID=chr13,length=114364328>\n"
        "##contig=<ID=chr17,length=83257441>\n"
        "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End\">\n"
        "##INFO=<ID=SVLEN,Number=1,Type=Integer,Description=\"Length\">\n"
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
        "##FORMAT=<ID=CN,Number=1,Type=Integer,Description=\"Copy number\">\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
        "chr17\t7000000\t.\tN\t<DEL>\t.\tPASS\tEND=8000000\tGT:CN\t0/1:1\n"
        "chr13\t48000000\t.\tN\t<DUP>\t.\tPASS\tSVLEN=2000000\tGT:CN\t0/1:3\n"
    )
    p = write(tmp_path, "cnv.vcf", vcf)
    r = read_copy_number(p, build="GRCh38", sample_id="S1", genes=GENES)
    assert r.format == "vcf"
    assert ev(r, "del(17p)").status == "present" and ev(r, "del(13q)").status == "absent"
    gz = tmp_path / "cnv.vcf.gz"
    gz.write_bytes(gzip.compress(vcf.encode()))
    assert detect_format(gz) == "vcf"
    # the same file declared GRCh37: its ##contig lengths are GRCh38's
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", genes=GENES)
    assert "GRCh38" in str(exc.value) and "GRCh37" in str(exc.value)


def test_vcf_without_cn_is_refused(tmp_path):
    vcf = ("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
           "17\t7000000\t.\tN\t<DEL>\t.\tPASS\tEND=8000000\n")
    with pytest.raises(InputError, match="declares no copy number"):
        read_copy_number(write(tmp_path, "sv.vcf", vcf), build="GRCh37", genes=GENES)


@pytest.mark.parametrize("chrom", ["17", "chr17", "CHR17"])
def test_chr_prefix_both_ways(tmp_path, chrom):
    text = CNS_HEADER + f"{chrom}\t0\t20000000\tTP53\t-1.0\t1\t30\t50\t1\n"
    r = read_copy_number(write(tmp_path, "p.cns", text), build="GRCh37", genes=GENES)
    assert ev(r, "del(17p)").status == "present"
    assert r.segments[0].chrom == "17"


def test_gene_table_with_chr_prefix(tmp_path):
    genes = tmp_path / "genes.tsv"
    genes.write_text("# test\ngene\tbuild\tchrom\tstart\tend\tsource\nTP53\tGRCh37\tchr17\t7565097\t7590856\ttest\n")
    loaded = load_genes(genes)
    assert loaded["GRCh37"]["TP53"].chrom == "17"
    r = read_copy_number(write(tmp_path, "p.cns", CNS_HEADER + "17\t0\t20000000\tTP53\t-1\t1\t30\t50\t1\n"),
                         build="GRCh37", genes=loaded)
    assert ev(r, "del(17p)").status == "present"


def test_low_confidence_segment_not_trusted(tmp_path):
    text = CNS_HEADER + "17\t7560000\t7600000\tTP53\t-1.0\t1\t30\t3\t1\n"
    r = read_copy_number(write(tmp_path, "few.cns", text), build="GRCh37", genes=GENES)
    e = ev(r, "del(17p)")
    assert e.status == "not_assessed" and "low-confidence" in e.detail
    assert any("3 probes" in w for w in r.warnings)
    # a confident segment next to it wins; the low-confidence one is named in the detail
    text2 = text + "17\t0\t7570000\tTP53\t0.0\t2\t30\t200\t1\n"
    r2 = read_copy_number(write(tmp_path, "mix.cns", text2), build="GRCh37", genes=GENES)
    assert ev(r2, "del(17p)").status == "absent"
    assert "low-confidence" in r2.gene_states["TP53"].detail
    # threshold configurable
    r3 = read_copy_number(write(tmp_path, "few2.cns", text), build="GRCh37", genes=GENES,
                          thresholds=CnvThresholds(min_probes=2))
    assert ev(r3, "del(17p)").status == "present"


def test_truncated_file(tmp_path):
    text = CNS_HEADER + "chr17\t0\t20000000\tTP53\t-1.0\t1\t30\t50\t1\nchr13\t19000000\t1150"
    with pytest.raises(InputError) as exc:
        read_copy_number(write(tmp_path, "cut.cns", text), build="GRCh37", genes=GENES)
    msg = str(exc.value)
    assert "cut.cns, line 3" in msg and "truncated" in msg


def test_truncated_gzip(tmp_path):
    data = gzip.compress((CNS_HEADER + "chr17\t0\t20000000\tTP53\t-1.0\t1\t30\t50\t1\n" * 2000).encode())
    p = tmp_path / "cut.cns.gz"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated"):
        read_copy_number(p, build="GRCh37", genes=GENES)


def test_wrong_columns(tmp_path):
    with pytest.raises(InputError) as exc:
        read_copy_number(write(tmp_path, "w.tsv", "chrom\tpos\tvalue\n17\t1\t2\n"), build="GRCh37", genes=GENES)
    assert "w.tsv, line 1" in str(exc.value) and "not a recognised copy-number format" in str(exc.value)
    # ASCAT-like file missing nMinor: the missing column is named
    with pytest.raises(InputError) as exc:
        read_copy_number(write(tmp_path, "a.txt", "sample\tchr\tstartpos\tendpos\tnMajor\nS\t1\t1\t100\t1\n"),
                         build="GRCh37", genes=GENES)
    assert "nMinor" in str(exc.value)
    # a non-number cell names line and column
    with pytest.raises(InputError) as exc:
        read_copy_number(write(tmp_path, "n.cns", CNS_HEADER + "17\t0\t2000\tTP53\tabc\t1\t30\t50\t1\n"),
                         build="GRCh37", genes=GENES)
    assert "line 2" in str(exc.value) and "log2" in str(exc.value) and "abc" in str(exc.value)


def test_empty_and_header_only(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_copy_number(write(tmp_path, "e.cns", ""), build="GRCh37", genes=GENES)
    with pytest.raises(InputError, match="no copy-number segment"):
        read_copy_number(write(tmp_path, "h.cns", CNS_HEADER), build="GRCh37", genes=GENES)


def test_position_beyond_chromosome_end_suggests_build(tmp_path):
    # chr1 of GRCh37 is 249,250,621 bp long, of GRCh38 248,956,422
    text = CNS_HEADER + "1\t249000000\t249200000\tX\t0\t2\t30\t50\t1\n"
    with pytest.raises(InputError) as exc:
        read_copy_number(write(tmp_path, "b.cns", text), build="GRCh38", genes=GENES)
    assert "GRCh37" in str(exc.value)


def test_streaming_keeps_only_locus_segments(tmp_path):
    p = tmp_path / "big.cns"
    with p.open("w") as fh:
        fh.write(CNS_HEADER)
        for i in range(20000):
            fh.write(f"chr2\t{i * 10000}\t{i * 10000 + 9999}\t-\t0.0\t2\t30\t20\t1\n")
        fh.write("chr17\t0\t20000000\tTP53\t0\t2\t30\t50\t1\n")
    r = read_copy_number(p, build="GRCh37", genes=GENES)
    assert r.n_segments == 20001 and len(r.segments) == 1
    assert r.chromosomes["2"].covered_bp == 20000 * 9999  # BED-style starts: 9,999 bp each


# ----------------------------------------------------------------------------- real files


@needs_corpus
def test_corpus_cnvkit_call_cns():
    """CNVkit call.cns (hg19, chr prefix, integer cn): TP53 segment with 2 copies, RB1 on a gained 13q segment."""
    r = read_copy_number(CORPUS / "cnvkit" / "p2-9_2.call.cns", build="GRCh37")
    assert r.format == "cnvkit_cns" and r.n_segments == 313
    tp53 = r.gene_states["TP53"]
    assert tp53.state == "neutral" and tp53.copies == 2.0
    assert any(s.chrom == "17" and s.start == 557671 and s.copies == 2 and s.probes == 71 for s in r.segments)
    assert ev(r, "del(17p)").status == "absent" and ev(r, "del(17p)").copies == 2
    assert r.gene_states["RB1"].copies == 3.0 and ev(r, "del(13q)").status == "absent"
    assert ev(r, "hyperdiploidy").status in ("present", "absent")  # whole genome: assessed
    assert not any("not purity-adjusted" in w for w in r.warnings)  # the file has cn


@needs_corpus
def test_corpus_cnvkit_cnr_bins():
    """CNVkit amplicon .cnr: read with a warning that segments are preferred; RB1 amplicons deeply lost."""
    r = read_copy_number(CORPUS / "cnvkit" / "amplicon.cnr", build="GRCh37")
    assert r.format == "cnvkit_cnr"
    assert any("preferred" in w for w in r.warnings)
    assert r.gene_states["RB1"].state == "biallelic_deletion"
    assert ev(r, "del(13q)").status == "present"
    assert ev(r, "hyperdiploidy") is None  # an amplicon panel does not cover whole chromosomes


@needs_corpus
def test_corpus_cnvkit_segmetrics_cns():
    """CNVkit .cns with segmetrics columns and no cn: log2 converted, not purity-adjusted warning."""
    r = read_copy_number(CORPUS / "cnvkit" / "tr95t.segmetrics.cns", build="GRCh37")
    assert r.format == "cnvkit_cns" and r.n_segments == 124
    assert any("not purity-adjusted" in w for w in r.warnings)
    assert r.gene_states["TP53"].state == "neutral"
    assert ev(r, "del(17p)").status == "absent"
    r2 = read_copy_number(CORPUS / "cnvkit" / "tr95t.segmetrics.cns", build="GRCh37", purity=0.5)
    assert not any("not purity-adjusted" in w for w in r2.warnings)


@needs_corpus
def test_corpus_gatk_called_seg():
    """GATK CallCopyRatioSegments (b37 @SQ header): 404 segments, RB1 on a lost segment, sample from @RG."""
    p = CORPUS / "gatk_cnv" / "SM-74NF5.called.seg"
    r = read_copy_number(p, build="GRCh37")
    assert r.format == "gatk_seg" and r.n_segments == 404 and r.sample == "SM-74NF5"
    assert r.gene_states["RB1"].state == "deletion"
    assert ev(r, "del(13q)").status == "present"
    assert ev(r, "del(17p)").status == "absent"
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh38")
    assert "GRCh37" in str(exc.value) and "GRCh38" in str(exc.value)


@needs_corpus
def test_corpus_gatk_model_final_seg():
    """GATK ModelSegments modelFinal.seg (chr20 only): read; lesion loci on other chromosomes not assessed."""
    r = read_copy_number(CORPUS / "gatk_cnv" / "single-sample-cr-ac-nac.modelFinal.seg", build="GRCh37")
    assert r.format == "gatk_seg" and r.n_segments == 8 and r.sample == "SM-74P4M-1"
    assert r.chromosomes["20"].covered_bp > 50_000_000
    assert all(e.lesion != "del(17p)" for e in r.evidence)
    assert r.gene_states["TP53"].state == "not_covered"
    # the 4 kb segment with 3 copy-ratio points is flagged as low-confidence
    assert any("1 of 8 segments are low-confidence" in w for w in r.warnings)


@needs_corpus
def test_corpus_purple_somatic_tsv():
    """PURPLE cnv.somatic.tsv: negative copy number read as 0, homozygous deletion (chr10) found."""
    r = read_copy_number(CORPUS / "purple" / "tumor_sample.purple.cnv.somatic.tsv", build="GRCh37")
    assert r.format == "purple" and r.n_segments == 222
    assert any("negative copy number" in w for w in r.warnings)
    hom = {(s.chrom, s.start): s.copies for s in r.homozygous_deletions}
    assert hom.get(("10", 89700300)) == 0.0
    assert hom.get(("16", 58624546)) == 0.0  # copyNumber -0.0117
    assert all(s.copies >= 0 for s in r.homozygous_deletions)
    assert ev(r, "del(17p)").status == "absent"
    assert ev(r, "hyperdiploidy").status == "present"


@needs_corpus
def test_corpus_ascat_two_samples():
    """ASCAT segments with two samples: picking one works; an unknown id fails naming both."""
    p = CORPUS / "ascat" / "A32.fast.segments.txt"
    r = read_copy_number(p, build="GRCh37", sample_id="A32C-0019_CRUK_PC_0019_T1")
    assert r.format == "ascat" and r.sample == "A32C-0019_CRUK_PC_0019_T1"
    assert ev(r, "del(17p)").status == "present" and ev(r, "del(17p)").copies == 1
    assert r.gene_states["RB1"].state == "biallelic_deletion"
    r2 = read_copy_number(p, build="GRCh37", sample_id="T1")  # unique substring
    assert r2.sample == "A32C-0019_CRUK_PC_0019_T1"
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", sample_id="P99")
    msg = str(exc.value)
    assert "A32C-0019_CRUK_PC_0019_T1" in msg and "A32A-0019_CRUK_PC_0019_M1" in msg


@needs_corpus
def test_corpus_delly_sv_vcf_given_as_cnv_is_refused():
    """Delly's SV VCF declares FORMAT/CN, but it is a structural-variant file (BND/INV records): given as
    copy number it is refused, naming the record and the sample-sheet column it belongs in (#13)."""
    p = CORPUS / "delly" / "test_delly.vcf"
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", sample_id="TUMOR")
    text = str(exc.value)
    assert "structural-variant VCF" in text and "sv_vcf column" in text and "line 129" in text
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", sample_id="X")
    assert "TUMOR" in str(exc.value) and "NORMAL" in str(exc.value)


@needs_corpus
def test_corpus_sv_vcf_without_cn_refused():
    """An SV VCF without CN (Manta) given as copy number is refused with a clear message."""
    with pytest.raises(InputError) as exc:
        read_copy_number(CORPUS / "manta" / "somaticSV.vcf.gz", build="GRCh38")
    assert "somaticSV.vcf.gz" in str(exc.value) and "no copy number" in str(exc.value)


# ----------------------------------------------------------------------------- facade and typed fields


def test_cnv_facade_keeps_the_public_names():
    """evaluate.py and snv.py import these from mmrisk.cnv; they are the same objects as in their new homes."""
    import mmrisk.cnv as cnv
    from mmrisk import copynumber, regions
    from mmrisk.formats import cn

    assert cnv.read_copy_number is read_copy_number is copynumber.read_copy_number
    assert cnv.CnvThresholds is CnvThresholds and cnv.load_genes is regions.load_genes
    assert cnv.load_centromeres is regions.load_centromeres and cnv.Region is regions.Region
    assert cnv.detect_format is cn.detect_format and cnv.Segment is cn.Segment
    assert not hasattr(cnv, "_LOSS_GENES")


def test_gene_state_chrom_and_evidence_gene(tmp_path):
    from dataclasses import asdict

    rows = [("chr17", 0, 22000000, "TP53", -0.9, 1, 50), ("chr1", 140000000, 160000000, "CKS1B", 0.9, 4, 80),
            ("chr1", 50000000, 52000000, "CDKN2C", -3.0, 0, 20), ("chr13", 19000000, 115000000, "RB1", -1.0, 1, 400)]
    text = CNS_HEADER + "".join(f"{c}\t{s}\t{e}\t{g}\t{l}\t{cn}\t30\t{n}\t1\n" for c, s, e, g, l, cn, n in rows)
    r = read_copy_number(write(tmp_path, "s.cns", text), build="GRCh37", genes=GENES)
    assert {g: st.chrom for g, st in r.gene_states.items()} == {
        "TP53": "17", "CKS1B": "1", "MCL1": "1", "CDKN2C": "1", "FAF1": "1", "RB1": "13"}
    only17 = read_copy_number(write(tmp_path, "p.cns", CNS_HEADER + "17\t0\t20000000\tTP53\t-1\t1\t30\t50\t1\n"),
                              build="GRCh37", genes=GENES)
    assert only17.gene_states["RB1"].state == "not_covered" and only17.gene_states["RB1"].chrom == "13"
    # a plain field of the record; risk.json's gene_copy_states leave it out (outputs; the golden test)
    assert asdict(r.gene_states["TP53"])["chrom"] == "17"
    genes = {e.lesion: e.gene for e in r.evidence}
    assert genes["del(17p)"] == "TP53" and genes["del(13q)"] == "RB1"
    assert genes["gain(1q)"] == genes["amp(1q)"] == "CKS1B"
    assert genes["del(1p32)"] in ("CDKN2C", "FAF1")
    assert ev(r, "del(1p32)").detail.startswith(genes["del(1p32)"] + ":")


# ----------------------------------------------------------------------------- hostile inputs (issue #13)

REAL_TABLES = {  # corpus file, the sample to read, the column whose values are mutated
    "purple": ("purple/tumor_sample.purple.cnv.somatic.tsv", None, "copyNumber"),
    "cnvkit_cns": ("cnvkit/p2-9_2.call.cns", None, "cn"),
    "cnvkit_segmetrics": ("cnvkit/tr95t.segmetrics.cns", None, "log2"),
    "cnvkit_cnr": ("cnvkit/amplicon.cnr", None, "log2"),
    "gatk_seg": ("gatk_cnv/SM-74NF5.called.seg", None, "MEAN_LOG2_COPY_RATIO"),
    "ascat": ("ascat/A32.fast.segments.txt", "A32C-0019_CRUK_PC_0019_T1", "nMajor"),
}


def _mutated(tmp_path, rel: str, column: str, value: str | None = None, *, duplicate: bool = False,
             data_line: int = 1):
    """The real file with one cell of ``column`` set to ``value`` (on its ``data_line``-th row), or the
    column duplicated at the end of every line (header included)."""
    lines = (CORPUS / rel).read_text().splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.split("\t")[0] in ("chromosome", "CONTIG", "sample"))
    cols = lines[head].split("\t")
    k = cols.index(column)
    out = []
    for i, ln in enumerate(lines):
        cells = ln.split("\t")
        if duplicate and i >= head:
            cells.append(cells[k] if i == head else str(float(cells[k]) + 1))
        if value is not None and i == head + data_line:
            cells[k] = value
        out.append("\t".join(cells))
    p = tmp_path / Path(rel).name
    p.write_text("\n".join(out) + "\n")
    return p, head + 1, k + 1, len(cols) + 1


@needs_corpus
@pytest.mark.parametrize("kind", sorted(REAL_TABLES))
def test_duplicated_column_is_refused_naming_both_positions(tmp_path, kind):
    rel, sample, column = REAL_TABLES[kind]
    p, header_line, first, second = _mutated(tmp_path, rel, column, duplicate=True)
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", sample_id=sample)
    text = str(exc.value)
    assert f"column '{column}' appears twice (columns {first} and {second})" in text, text
    assert f"line {header_line}" in text


@needs_corpus
@pytest.mark.parametrize("kind", sorted(REAL_TABLES))
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "-1e308", "1e7", "-3", "abc"])
def test_implausible_numbers_are_refused_with_line_column_value(tmp_path, kind, value):
    rel, sample, column = REAL_TABLES[kind]
    if value == "-3" and column in ("log2", "MEAN_LOG2_COPY_RATIO"):
        value = "-60"  # below cnv.min_log2 (-3 is a plausible log2 ratio)
    if value == "nan" and kind == "ascat":
        value = "NaN"
    p, header_line, _, _ = _mutated(tmp_path, rel, column, value)
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", sample_id=sample)
    prob = exc.value.problems[0]
    assert prob.line == header_line + 1 and prob.column == column and prob.value == value, prob
    assert "from" in (prob.expected or "") or "number" in (prob.expected or ""), prob


@needs_corpus
def test_negative_copies_beyond_noise_are_refused_not_read_as_zero(tmp_path):
    """PURPLE's real -0.0117 is fitting noise (read as 0, warned); -1 is no copy number at all."""
    p, header_line, _, _ = _mutated(tmp_path, REAL_TABLES["purple"][0], "copyNumber", "-1")
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37")
    assert exc.value.problems[0].line == header_line + 1 and "cnv.min_copies" in str(exc.value)
    r = read_copy_number(CORPUS / REAL_TABLES["purple"][0], build="GRCh37")
    assert any("1 segment(s) with a negative copy number" in w for w in r.warnings)


@needs_corpus
def test_baf_and_probe_counts_are_range_checked(tmp_path):
    p, _, _, _ = _mutated(tmp_path, REAL_TABLES["purple"][0], "observedBAF", "1.5")
    with pytest.raises(InputError, match="B-allele frequency from 0 to 1"):
        read_copy_number(p, build="GRCh37")
    for value in ("-4", "2.5", "inf"):
        p, _, _, _ = _mutated(tmp_path, REAL_TABLES["cnvkit_cns"][0], "probes", value)
        with pytest.raises(InputError, match="non-negative whole number|not a whole number|finite"):
            read_copy_number(p, build="GRCh37")


@needs_corpus
@pytest.mark.parametrize("start,end", [("-100", "5000"), ("9000", "5000"), ("1e308", "1e308")])
def test_bad_positions_are_refused(tmp_path, start, end):
    p, header_line, _, _ = _mutated(tmp_path, REAL_TABLES["purple"][0], "start", start)
    text = p.read_text().splitlines()
    cells = text[header_line].split("\t")
    cells[2] = end
    text[header_line] = "\t".join(cells)
    p.write_text("\n".join(text) + "\n")
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37")
    assert exc.value.problems[0].line == header_line + 1


def _cn_vcf(tmp_path, filters: list[str], name: str = "cn.vcf"):
    """Delly's real header (FORMAT/CN declared) over <CNV> records at TP53 and elsewhere on chr17."""
    head = [ln for ln in (CORPUS / "delly" / "test_delly.vcf").read_text().splitlines() if ln.startswith("#")]
    recs = [f"17\t{1 + i * 2_000_000}\tcnv{i}\tN\t<CNV>\t.\t{flt}\tSVTYPE=CNV;END={(i + 1) * 2_000_000}\tGT:CN\t./.:1\t./.:2"
            for i, flt in enumerate(filters)]
    p = tmp_path / name
    p.write_text("\n".join(head + recs) + "\n")
    return p


@needs_corpus
def test_cn_vcf_record_failing_filter_is_not_used_and_the_locus_is_not_assessed(tmp_path):
    n = 5  # chr17:1-10 Mb, TP53 at 7.6 Mb lies in record 3
    r = read_copy_number(_cn_vcf(tmp_path, ["PASS"] * n), build="GRCh37", sample_id="TUMOR")
    assert {e.lesion: e.status for e in r.evidence}["del(17p)"] == "present"
    flts = ["PASS"] * n
    flts[3] = "LowQual"
    r = read_copy_number(_cn_vcf(tmp_path, flts, "low.vcf"), build="GRCh37", sample_id="TUMOR")
    assert "del(17p)" not in {e.lesion for e in r.evidence}
    assert any("1 record(s) not passing FILTER skipped (1 LowQual)" in w for w in r.warnings), r.warnings
    assert any("del(17p) not assessed" in w and "not passing FILTER" in w for w in r.warnings), r.warnings


@needs_corpus
@pytest.mark.parametrize("cn", ["-2", "nan", "inf", "1e308", "101"])
def test_cn_vcf_implausible_cn_is_refused(tmp_path, cn):
    p = _cn_vcf(tmp_path, ["PASS"] * 3)
    p.write_text(p.read_text().replace("./.:1\t", f"./.:{cn}\t", 1))
    with pytest.raises(InputError) as exc:
        read_copy_number(p, build="GRCh37", sample_id="TUMOR")
    assert exc.value.problems[0].column == "CN" and exc.value.problems[0].value == cn


@needs_corpus
def test_small_variant_vcf_given_as_cnv_is_refused_naming_its_column():
    with pytest.raises(InputError) as exc:
        read_copy_number(CORPUS / "mutect2" / "cfdna-unfiltered.vcf", build="GRCh37")
    assert "small-variant VCF" in str(exc.value) and "snv_vcf column" in str(exc.value)


@needs_corpus
def test_sv_vcf_given_as_cnv_says_so():
    with pytest.raises(InputError) as exc:
        read_copy_number(CORPUS / "manta" / "somaticSV.vcf.gz", build="GRCh38")
    assert "structural-variant VCF" in str(exc.value) and "sv_vcf column" in str(exc.value)
