"""Structural-variant reader: real caller files of the corpus and synthetic myeloma events in each dialect."""

from __future__ import annotations

import re

import gzip
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from mmrisk.errors import InputError
from mmrisk.genome import chromosome_lengths
from mmrisk.lesions import IGH_TRANSLOCATIONS, Evidence, merge
from mmrisk.sv import SV_LESIONS, SvResult, load_windows, read_structural_variants

NAMED = (*IGH_TRANSLOCATIONS, "MYC_rearrangement")


def corpus(rel: str) -> Path:
    p = CORPUS / rel
    if not p.exists():
        pytest.skip(f"corpus file {rel} is absent (shared corpus not mounted at {CORPUS})")
    return p


def status(result: SvResult, lesion: str) -> set[str]:
    return {e.status for e in result.evidence if e.lesion == lesion}


def assert_no_myeloma_translocation(r: SvResult) -> None:
    """COLO829 is a melanoma line: every SV lesion is absent."""
    for lesion in SV_LESIONS:
        assert status(r, lesion) == {"absent"}, (lesion, r.evidence)


# ------------------------------------------------------------------ windows resource


def test_windows_table_loads_both_builds_and_is_sane() -> None:
    wins = load_windows()
    lengths = chromosome_lengths()
    for build in ("GRCh37", "GRCh38"):
        names = {w.name for w in wins if w.build == build}
        assert {"IGH", "FGFR3-NSD2", "WWOX-MAF", "MAFB", "CCND1", "CCND3", "MYC"} <= names
        lesions = {w.lesion for w in wins if w.build == build and w.kind == "partner"}
        assert lesions == set(NAMED)
    for w in wins:
        assert 1 <= w.start < w.end <= lengths[w.build][w.chrom], w
    # MYC window is MYC +- 1.5 Mb (NCBI Gene 4609)
    myc38 = next(w for w in wins if w.build == "GRCh38" and w.name == "MYC")
    assert (myc38.start, myc38.end) == (127735434 - 1_500_000, 127742951 + 1_500_000)
    text = (ROOT / "resources" / "genome" / "sv_windows.tsv").read_text()
    assert "version: 1.1.0" in text and "2026-11-23" in text


# ------------------------------------------------------------------ corpus files


def test_corpus_manta_somatic_bnd_pairs_counted_once() -> None:
    r = read_structural_variants(corpus("manta/somaticSV.vcf.gz"), build="GRCh38",
                                 tumor_column="colo829-dna-illumina", keep_all_junctions=True)
    assert r.dialect == "Manta"
    # 589 records: 458 BND records = 229 mate pairs, + 131 other records
    assert r.counts["records"] == 589
    assert r.counts["junctions"] == 229 + 131
    assert r.counts["filtered_records"] == 382
    pair = [j for j in r.junctions if "MantaBND:2:48719:48723:0:0:0:0" in j.ids]
    assert len(pair) == 1  # the mate ...:1 (line 902) is not a second junction
    j = pair[0]
    assert (j.chrom1, j.pos1, j.chrom2, j.pos2) == ("1", 21054496, "5", 37012307)
    assert j.filter == "PASS" and j.support.paired_reads == 8 and j.support.split_reads is None
    assert j.record == "somaticSV.vcf.gz:498"
    assert_no_myeloma_translocation(
        read_structural_variants(corpus("manta/somaticSV.vcf.gz"), build="GRCh38", tumor_column="colo829-dna-illumina"))


def test_corpus_manta_refuses_without_tumour_column() -> None:
    with pytest.raises(InputError) as e:
        read_structural_variants(corpus("manta/somaticSV.vcf.gz"), build="GRCh38")
    assert "colo829bl-dna-illumina" in str(e.value) and "colo829-dna-illumina" in str(e.value)


def test_corpus_delly_unsorted_translocation_with_chr2_end() -> None:
    r = read_structural_variants(corpus("delly/test_delly.vcf"), build="GRCh37", keep_all_junctions=True)
    assert r.dialect == "Delly" and r.tumor_column == "TUMOR"
    assert r.counts["records"] == 15 and r.counts["junctions"] == 15
    tra = next(j for j in r.junctions if j.ids == ("BND00000094",))
    # CHR2=15;END=80623247 on the partner chromosome (htslib reads END < POS here)
    assert (tra.chrom1, tra.pos1, tra.chrom2, tra.pos2) == ("21", 42843749, "15", 80623247)
    assert tra.support.paired_reads == 184 and tra.support.split_reads == 172  # TUMOR DV / RV
    assert "5to3" in (tra.orientation or "")
    inv = next(j for j in r.junctions if j.ids == ("INV00000050",))
    assert (inv.chrom2, inv.pos2, inv.svtype) == ("21", 39870413, "INV")
    r2 = read_structural_variants(corpus("delly/test_delly.vcf"), build="GRCh37")
    assert_no_myeloma_translocation(r2)


def test_corpus_delly2_chr1_bgzipped_without_index() -> None:
    r = read_structural_variants(corpus("delly/colo829-dna-illumina-realigned_delly2_filtered.chr1.vcf.gz"),
                                 build="GRCh38", tumor_column="colo829-dna-illumina", keep_all_junctions=True)
    assert r.dialect == "Delly"
    assert r.counts["records"] == 20 and r.counts["junctions"] == 20
    d = next(j for j in r.junctions if j.ids == ("DEL00000592",))
    assert (d.chrom1, d.pos1, d.chrom2, d.pos2) == ("1", 22659241, "1", 22659282)
    assert_no_myeloma_translocation(r)


def test_corpus_gridss_single_breakend_and_inserted_sequence() -> None:
    r = read_structural_variants(corpus("gridss/gridss294.colo829.somatic.vcf"), build="GRCh37",
                                 tumor_column="COLO829T_dedup.realigned.bam", keep_all_junctions=True)
    assert r.dialect == "GRIDSS"
    assert r.counts["records"] == 222 and r.counts["single_breakends"] == 10
    assert r.counts["junctions"] == (222 - 10) // 2 + 10
    sgl = next(j for j in r.junctions if j.ids == ("gridss51b_73915b",))
    assert sgl.single and sgl.chrom2 is None and sgl.orientation == ".N"
    assert dict(sgl.support.other)["BVF"] > 0
    ins = next(j for j in r.junctions if j.ids == ("gridss0fb_12021o",))  # ALT 'GTTG...C[1:9424908['
    assert (ins.chrom2, ins.pos2) == ("1", 9424908)
    r2 = read_structural_variants(corpus("gridss/gridss294.colo829.somatic.vcf"), build="GRCh37",
                                  tumor_column="COLO829T_dedup.realigned.bam")
    assert_no_myeloma_translocation(r2)
    # the WWOX-region deletion of COLO829 touches the t(14;16) window but has no IGH end
    assert any(j.chrom1 == "16" for j in r2.junctions)


def test_corpus_gridss_refuses_ambiguous_tumour_column() -> None:
    with pytest.raises(InputError) as e:
        read_structural_variants(corpus("gridss/gridss294.colo829.somatic.vcf"), build="GRCh37")
    msg = str(e.value)
    assert "COLO829R_dedup.realigned.bam" in msg and "COLO829T_dedup.realigned.bam" in msg and "tumor_column" in msg


def test_corpus_lumpy_without_contigs_unsorted() -> None:
    r = read_structural_variants(corpus("lumpy/colo829-dna-illumina-realigned_lumpy.chr1.vcf"), build="GRCh38",
                                 tumor_column="colo829-dna-illumina", keep_all_junctions=True)
    assert r.dialect == "LUMPY"
    assert r.counts["records"] == 1130
    assert r.counts["junctions"] < 1130  # BND mates (MATEID) counted once
    first = next(j for j in r.junctions if j.ids == ("1",))
    assert (first.pos1, first.pos2, first.svtype) == (893790, 893828, "DEL")
    assert first.support.split_reads == 7 and first.support.paired_reads == 0  # tumour column, not INFO (10)
    assert_no_myeloma_translocation(r)


def test_corpus_purple_esvee_single_breakends() -> None:
    r = read_structural_variants(corpus("purple/tumor_sample.purple.sv.vcf"), build="GRCh37")
    assert r.dialect in ("ESVEE", "PURPLE") and r.tumor_column == "tumor_sample"
    assert r.counts["records"] == 543 and r.counts["single_breakends"] == 35
    assert r.counts["junctions"] == (543 - 35) // 2 + 35
    assert_no_myeloma_translocation(r)


def test_corpus_severus_mate_id() -> None:
    r = read_structural_variants(corpus("severus/severus_somatic.vcf"), build="GRCh38", keep_all_junctions=True)
    assert r.dialect == "Severus"
    assert r.counts["records"] == 146
    bnd = next(j for j in r.junctions if "severus_BND1129_2" in j.ids or "severus_BND1129_1" in j.ids)
    assert {bnd.chrom1, bnd.chrom2} == {"1", "10"}
    assert r.counts["junctions"] < r.counts["records"]  # MATE_ID pairs counted once
    assert_no_myeloma_translocation(r)


def test_corpus_sniffles_single_record() -> None:
    r = read_structural_variants(corpus("sniffles/expected_output.vcf"), build="GRCh37", keep_all_junctions=True)
    assert r.dialect == "Sniffles" and r.counts["junctions"] == 1
    j = r.junctions[0]
    assert (j.chrom1, j.pos1, j.chrom2, j.pos2, j.svtype) == ("21", 21492142, "21", 21492648, "DEL")
    assert dict(j.support.other)["DV"] == 48
    assert_no_myeloma_translocation(r)


def test_corpus_svaba_header_only() -> None:
    r = read_structural_variants(corpus("svaba/am.svaba.germline.sv.vcf"), build="GRCh38")
    assert r.dialect == "SvABA" and r.counts["records"] == 0
    assert r.tumor_column.endswith("patient_AM_tumor.bam")
    assert_no_myeloma_translocation(r)  # read and empty: absent, not "not assessed"


def test_corpus_non_sv_file_refused_cleanly() -> None:
    with pytest.raises(InputError) as e:
        read_structural_variants(corpus("snpeff/cancer.ann.vcf"), build="GRCh37")
    assert "not a VCF" in str(e.value)


# ------------------------------------------------------------------ synthetic VCFs


def header(build: str, chr_prefix: bool, samples: list[str], extra: str = "") -> str:
    lengths = chromosome_lengths()[build]
    contigs = "".join(f"##contig=<ID={'chr' if chr_prefix else ''}{c},length={n}>\n" for c, n in lengths.items())
    cols = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" + ("\tFORMAT\t" + "\t".join(samples) if samples else "")
    return f"##fileformat=VCFv4.2\n{extra}{contigs}{cols}\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


MANTA_T414 = (
    "chr4\t1871000\tMantaBND:1:0:1:0:0:0:0\tA\tA[chr14:105860000[\t.\t{flt}\tSVTYPE=BND;"
    "MATEID=MantaBND:1:0:1:0:0:0:1;SOMATIC\tPR:SR\t30,0:25,0\t25,12:30,9\n"
    "chr14\t105860000\tMantaBND:1:0:1:0:0:0:1\tG\t]chr4:1871000]G\t.\t{flt}\tSVTYPE=BND;"
    "MATEID=MantaBND:1:0:1:0:0:0:0;SOMATIC\tPR:SR\t30,0:25,0\t25,12:30,9\n"
)


def test_manta_t414_grch38_chr_prefix(tmp_path: Path) -> None:
    p = write(tmp_path, "t414.vcf", header("GRCh38", True, ["NORMAL", "TUMOR"], "##source=GenerateSVCandidates 1.6.0\n")
              + MANTA_T414.format(flt="PASS"))
    r = read_structural_variants(p, build="GRCh38")
    assert r.dialect == "Manta" and r.tumor_column == "TUMOR"
    assert r.counts["junctions"] == 1 and len(r.junctions) == 1  # mates counted once
    assert status(r, "t(4;14)") == {"present"}
    assert status(r, "IGH_rearrangement") == {"present"}
    for lesion in ("t(14;16)", "t(14;20)", "t(11;14)", "t(6;14)", "MYC_rearrangement"):
        assert status(r, lesion) == {"absent"}
    ev = next(e for e in r.evidence if e.lesion == "t(4;14)")
    assert "FGFR3-NSD2" in ev.detail and "4:1,871,000" in ev.detail and "14:105,860,000" in ev.detail
    assert "split reads 9" in ev.detail and "read pairs 12" in ev.detail
    assert ev.fraction is None and ev.source == "SV" and ev.origin == "t414.vcf:" + str(
        len(header("GRCh38", True, ["NORMAL", "TUMOR"], "x\n").splitlines()) + 1)
    calls, _ = merge(r.evidence)
    assert calls["t(4;14)"].status == "present" and calls["IGH_rearrangement"].status == "present"
    assert calls["t(11;14)"].status == "absent" and calls["del(17p)"].status == "not_assessed"


def test_manta_filtered_record_is_ignored(tmp_path: Path) -> None:
    p = write(tmp_path, "f.vcf", header("GRCh38", True, ["NORMAL", "TUMOR"], "##source=GenerateSVCandidates 1.6.0\n")
              + MANTA_T414.format(flt="MinSomaticScore"))
    r = read_structural_variants(p, build="GRCh38")
    assert r.counts["filtered_records"] == 2 and r.junctions == []
    assert status(r, "t(4;14)") == {"absent"}
    r2 = read_structural_variants(p, build="GRCh38", filters=("PASS", ".", "MinSomaticScore"))
    assert status(r2, "t(4;14)") == {"present"}


def test_delly_tra_t1416_grch37_no_prefix(tmp_path: Path) -> None:
    rec = ("14\t106100000\tTRA00000001\tN\t<TRA>\t.\tPASS\tPRECISE;SVTYPE=TRA;SVMETHOD=EMBL.DELLYv1.1.6;"
           "CHR2=16;POS2=78500000;END=106100001;PE=15;SR=6;CT=5to3\tGT:DR:DV:RR:RV\t0/1:30:14:25:5\t0/0:31:0:28:0\n")
    p = write(tmp_path, "delly.vcf", header("GRCh37", False, ["TUMOR", "NORMAL"]) + rec)
    r = read_structural_variants(p, build="GRCh37")
    assert r.dialect == "Delly"
    j = r.junctions[0]
    assert (j.chrom1, j.pos1, j.chrom2, j.pos2) == ("14", 106100000, "16", 78500000)  # POS2, not END
    assert j.support.paired_reads == 14 and j.support.split_reads == 5
    assert status(r, "t(14;16)") == {"present"} and status(r, "t(4;14)") == {"absent"}
    assert "WWOX-MAF" in next(e.detail for e in r.evidence if e.lesion == "t(14;16)")


def test_gridss_t1114_with_inserted_sequence(tmp_path: Path) -> None:
    fmt = "GT:VF:BVF"
    recs = (
        f"11\t69300000\tgridssA_1o\tC\tCAGGT[14:106200000[\t800\tPASS\tSVTYPE=BND;MATEID=gridssA_1h;EVENT=gridssA_1;VF=20\t"
        f"{fmt}\t.:0:0\t.:20:0\n"
        f"14\t106200000\tgridssA_1h\tT\t]11:69300000]AGGTT\t800\tPASS\tSVTYPE=BND;MATEID=gridssA_1o;EVENT=gridssA_1;VF=20\t"
        f"{fmt}\t.:0:0\t.:20:0\n"
    )
    p = write(tmp_path, "gridss.vcf", header("GRCh37", False, ["P1_normal.bam", "P1_tumor.bam"],
                                             "##source=GRIDSS 2.9.4\n") + recs)
    r = read_structural_variants(p, build="GRCh37")
    assert r.tumor_column == "P1_tumor.bam"
    assert r.counts["junctions"] == 1 and len(r.junctions) == 1
    assert set(r.junctions[0].ids) == {"gridssA_1o", "gridssA_1h"}
    assert status(r, "t(11;14)") == {"present"}
    assert "VF 20" in next(e.detail for e in r.evidence if e.lesion == "t(11;14)")
    r2 = read_structural_variants(p, build="GRCh37", tumor_column="P1_normal.bam")
    assert status(r2, "t(11;14)") == {"absent"}  # normal column has VF 0 < min_support
    assert any("min_support" in w for w in r2.warnings)


SNIFFLES_IGK_MYC = ("chr2\t88900000\t17\tN\t<TRA>\t.\tPASS\tPRECISE;SVMETHOD=Snifflesv1.0.12;CHR2=chr8;"
                    "END=127800000;SVTYPE=TRA;RE=12;STRANDS=+-\tGT:DR:DV\t0/1:20:12\n")


def test_sniffles_igk_myc(tmp_path: Path) -> None:
    p = write(tmp_path, "sniffles.vcf", header("GRCh38", True, ["sample.bam"], "##source=Sniffles\n") + SNIFFLES_IGK_MYC)
    r = read_structural_variants(p, build="GRCh38")
    assert r.dialect == "Sniffles" and r.tumor_column == "sample.bam"
    assert status(r, "MYC_rearrangement") == {"present"}
    assert status(r, "IGH_rearrangement") == {"absent"}
    # the windows table has a sourced IGK locus: the partner is named
    assert "joined to IGK" in next(e.detail for e in r.evidence if e.lesion == "MYC_rearrangement")
    # a junction from MYC to a place outside every IG window is named by its position
    other = SNIFFLES_IGK_MYC.replace("chr2\t88900000", "chr2\t50000000")
    p2 = write(tmp_path, "sniffles2.vcf", header("GRCh38", True, ["sample.bam"], "##source=Sniffles\n") + other)
    r2 = read_structural_variants(p2, build="GRCh38")
    assert status(r2, "MYC_rearrangement") == {"present"}
    assert "2:50,000,000" in next(e.detail for e in r2.evidence if e.lesion == "MYC_rearrangement")


def test_igh_unknown_partner(tmp_path: Path) -> None:
    rec = ("chr14\t105700000\tb1_1\tN\tN[chr3:50000000[\t.\tPASS\tSVTYPE=BND;MATEID=b1_2;SR=5;PE=7\tGT:SR:PE\t0/1:5:7\n"
           "chr3\t50000000\tb1_2\tN\t]chr14:105700000]N\t.\tPASS\tSVTYPE=BND;MATEID=b1_1;SR=5;PE=7\tGT:SR:PE\t0/1:5:7\n")
    p = write(tmp_path, "unknown.vcf", header("GRCh38", True, ["TUMOR"]) + rec)
    r = read_structural_variants(p, build="GRCh38")
    assert status(r, "IGH_rearrangement") == {"present"}
    assert "3:50,000,000" in next(e.detail for e in r.evidence if e.lesion == "IGH_rearrangement")
    for lesion in NAMED:
        assert status(r, lesion) == {"absent"}
    # a partner near a window names it
    rec2 = rec.replace("chr3\t50000000", "chr11\t68900000").replace("chr3:50000000", "chr11:68900000")
    r2 = read_structural_variants(write(tmp_path, "near.vcf", header("GRCh38", True, ["TUMOR"]) + rec2),
                                  build="GRCh38")
    det = next(e.detail for e in r2.evidence if e.lesion == "IGH_rearrangement")
    assert "from the CCND1 window" in det and status(r2, "t(11;14)") == {"absent"}


def test_class_switch_within_igh_is_not_a_translocation(tmp_path: Path) -> None:
    rec = ("chr14\t105600000\tMantaDEL:1\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=105750000;SVLEN=-150000\t"
           "PR:SR\t20,0:20,0\t20,15:20,10\n")
    p = write(tmp_path, "csr.vcf", header("GRCh38", True, ["NORMAL", "TUMOR"], "##source=GenerateSVCandidates\n") + rec)
    r = read_structural_variants(p, build="GRCh38")
    assert status(r, "IGH_rearrangement") == {"absent"}
    assert any("class-switch" in w for w in r.warnings)


def test_large_inversion_from_myc_counts(tmp_path: Path) -> None:
    rec = ("8\t127700000\tINV1\tN\t<INV>\t.\tPASS\tSVTYPE=INV;SVMETHOD=EMBL.DELLYv1;END=140000000;PE=9;SR=4\t"
           "GT:DV:RV\t0/1:9:4\n")
    p = write(tmp_path, "inv.vcf", header("GRCh38", False, ["TUMOR"]) + rec)
    r = read_structural_variants(p, build="GRCh38")
    assert status(r, "MYC_rearrangement") == {"present"}
    small = rec.replace("END=140000000", "END=127750000")
    r2 = read_structural_variants(write(tmp_path, "inv2.vcf", header("GRCh38", False, ["TUMOR"]) + small),
                                  build="GRCh38")
    assert status(r2, "MYC_rearrangement") == {"absent"}


def test_single_breakend_in_igh(tmp_path: Path) -> None:
    rec = ("14\t106300000\tgridss9_1b\tA\t.TTTTGGGGCCCAAATTT\t500\tPASS\tSVTYPE=BND;BVF=15\tGT:BVF\t.:15\n")
    p = write(tmp_path, "sgl.vcf", header("GRCh37", False, ["tumour"], "##source=GRIDSS\n") + rec)
    r = read_structural_variants(p, build="GRCh37")
    assert r.counts["single_breakends"] == 1
    assert status(r, "IGH_rearrangement") == {"absent"}
    assert any("single breakend in IGH" in w for w in r.warnings)
    r2 = read_structural_variants(p, build="GRCh37", single_breakend_evidence=True)
    assert status(r2, "IGH_rearrangement") == {"present"}
    assert "partner unknown" in next(e.detail for e in r2.evidence if e.lesion == "IGH_rearrangement")


def test_build_mismatch_names_both_builds(tmp_path: Path) -> None:
    p = write(tmp_path, "b37.vcf", header("GRCh37", False, ["TUMOR"]) + MANTA_T414.format(flt="PASS")
              .replace("\tPR:SR\t30,0:25,0\t25,12:30,9", "\tPR:SR\t25,12:30,9"))
    with pytest.raises(InputError) as e:
        read_structural_variants(p, build="GRCh38")
    assert "GRCh37" in str(e.value) and "GRCh38" in str(e.value)


def test_truncated_gzip_is_input_error(tmp_path: Path) -> None:
    body = (header("GRCh38", True, ["NORMAL", "TUMOR"]) + MANTA_T414.format(flt="PASS")) * 1
    full = tmp_path / "full.vcf.gz"
    with gzip.open(full, "wt") as fh:
        fh.write(body + "".join(f"chr1\t{i}\tx{i}\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END={i + 500}\tPR\t1,0\t1,5\n"
                                for i in range(1000, 60000, 7)))
    data = full.read_bytes()
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as e:
        read_structural_variants(cut, build="GRCh38")
    assert "truncated" in str(e.value) and "cut.vcf.gz" in str(e.value)


def test_malformed_record_reported_with_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.vcf", header("GRCh38", True, ["TUMOR"]) + "chr1\tabc\tx\tN\t<DEL>\t.\tPASS\t.\n")
    with pytest.raises(InputError) as e:
        read_structural_variants(p, build="GRCh38")
    assert "line" in str(e.value) and "malformed" in str(e.value)


def test_missing_window_leaves_lesion_unassessed(tmp_path: Path) -> None:
    wins = [w for w in load_windows() if w.name != "MAFB"]
    p = write(tmp_path, "t.vcf", header("GRCh38", True, ["NORMAL", "TUMOR"], "##source=GenerateSVCandidates\n")
              + MANTA_T414.format(flt="PASS"))
    r = read_structural_variants(p, build="GRCh38", windows=wins)
    assert status(r, "t(14;20)") == set()
    assert any("t(14;20)" in w and "not assessed" in w for w in r.warnings)


# ------------------------------------------------------------------ structured junction ends


# The sentences SV items write (risk.json), read back by an independent parser: the structured junction
# ends that the page draws must say what the sentence says.
_IGH = re.compile(r"^IGH (?P<c1>\w+):(?P<p1>[\d,]+) joined to (?P<partner>.+?)(?: window)? "
                  r"(?P<c2>\w+):(?P<p2>[\d,]+) \((?P<ident>.*)\)$")
_IGH_NOWIN = re.compile(r"^IGH (?P<c1>\w+):(?P<p1>[\d,]+) joined to (?P<partner>.+?), in no partner window "
                        r"\((?P<ident>.*)\)$")
_MYC = re.compile(r"^MYC window (?P<c1>\w+):(?P<p1>[\d,]+) joined to (?P<partner>.+?) \((?P<ident>.*)\)$")


def parse_junction(detail: str) -> dict[str, str] | None:
    detail = re.sub(r"^implied by [^:]+: ", "", detail or "")
    for locus, rx in (("IGH", _IGH), ("IGH", _IGH_NOWIN), ("MYC", _MYC)):
        m = rx.match(detail)
        if m:
            g = m.groupdict()
            return {"locus": locus, "locus_pos": f"{g['c1']}:{g['p1']}", "partner": g["partner"],
                    "partner_pos": f"{g['c2']}:{g['p2']}" if g.get("c2") else "", "ident": g["ident"]}
    return None


def assert_junction_fields_agree_with_detail(e: Evidence) -> None:
    """The structured ends say what the page's parser reads from the sentence (so plots can switch)."""
    j = e.junction
    assert j is not None, e
    assert j.locus in ("IGH", "MYC") and isinstance(j.locus_pos, int)
    parsed = parse_junction(e.detail)
    if parsed is None:  # single breakends: the page lists them unparsed
        assert "single breakend in " in e.detail and j.partner == "unknown (single breakend)", e.detail
        assert f" at {j.locus_chrom}:{j.locus_pos:,} " in e.detail
        assert j.partner_chrom is None and j.partner_pos is None
        return
    assert (j.partner_chrom is None) == (j.partner_pos is None)
    assert parsed == {
        "locus": j.locus,
        "locus_pos": f"{j.locus_chrom}:{j.locus_pos:,}",
        "partner": j.partner,
        "partner_pos": f"{j.partner_chrom}:{j.partner_pos:,}" if j.partner_pos is not None else "",
        "ident": j.record,
    }, e.detail


def present_sv_items(r: SvResult) -> list[Evidence]:
    """Present SV items as read, and as the merged calls hold them (implied items included)."""
    calls, _ = merge(r.evidence)
    merged = [e for c in calls.values() for e in c.evidence if e.source == "SV" and e.status == "present"]
    return [e for e in r.evidence if e.status == "present"] + merged


def sv_files() -> list[tuple[Path, str | None]]:
    """The demo SV files and the corpus SV files, with the tumour column a multi-sample file needs."""
    tumour = {"manta/somaticSV.vcf.gz": "colo829-dna-illumina",
              "delly/colo829-dna-illumina-realigned_delly2_filtered.chr1.vcf.gz": "colo829-dna-illumina",
              "gridss/gridss294.colo829.somatic.vcf": "COLO829T_dedup.realigned.bam",
              "lumpy/colo829-dna-illumina-realigned_lumpy.chr1.vcf": "colo829-dna-illumina"}
    out: list[tuple[Path, str | None]] = [(p, None) for p in sorted((ROOT / "resources" / "demo").glob("*.sv.vcf*"))
                                          if not p.name.endswith(".tbi")]
    sv_dirs = ("manta", "gridss", "delly", "lumpy", "sniffles", "severus", "svaba", "purple")
    if CORPUS.is_dir():
        out += [(p, tumour.get(p.relative_to(CORPUS).as_posix())) for d in sv_dirs
                for p in sorted((CORPUS / d).glob("*.vcf*")) if not p.name.endswith(".tbi")]
    return out


def test_junction_ends_agree_with_detail_for_demo_and_corpus_files() -> None:
    seen = 0
    for path, tumour in sv_files():
        for build in ("GRCh37", "GRCh38"):
            for single in (False, True):
                try:
                    r = read_structural_variants(path, build=build, tumor_column=tumour,
                                                 single_breakend_evidence=single)
                except InputError as exc:
                    assert "GRCh3" in str(exc), exc  # the other build: refused by the build check
                    continue
                for e in present_sv_items(r):
                    assert_junction_fields_agree_with_detail(e)
                    seen += 1
                assert all(e.junction is None for e in r.evidence if e.status == "absent")
    # the five demo files hold 11 present items, each read twice here (single breakends off and on)
    assert seen >= 2 * 11


def test_junction_ends_agree_with_detail_for_every_sentence_form(tmp_path: Path) -> None:
    recs = (
        MANTA_T414.format(flt="PASS")  # IGH joined to a partner window: partner position set
        # IGH to a place near no window, IGH near the CCND1 window, IGH to IGL: in no partner window
        + "chr14\t105700000\tu1\tN\tN[chr3:50000000[\t.\tPASS\tSVTYPE=BND;SR=5;PE=7\tPR:SR\t0,0:0,0\t0,7:0,5\n"
        + "chr14\t105710000\tu2\tN\tN[chr11:68900000[\t.\tPASS\tSVTYPE=BND;SR=5;PE=7\tPR:SR\t0,0:0,0\t0,7:0,5\n"
        + "chr14\t105720000\tu3\tN\tN[chr22:22500000[\t.\tPASS\tSVTYPE=BND\tPR:SR\t0,0:0,0\t0,7:0,5\n"
        # IGH to the MYC window (the IGH sentence), MYC window to IGK and to a position (the MYC sentence)
        + "chr14\t105730000\tm1\tN\tN[chr8:127800000[\t.\tPASS\tSVTYPE=BND\tPR:SR\t0,0:0,0\t0,7:0,5\n"
        + "chr8\t127810000\tm2\tN\tN[chr2:88900000[\t.\tPASS\tSVTYPE=BND\tPR:SR\t0,0:0,0\t0,7:0,5\n"
        + "chr8\t127820000\tm3\tN\tN[chr2:50000000[\t.\tPASS\tSVTYPE=BND\tPR:SR\t0,0:0,0\t0,7:0,5\n"
        # single breakends in IGH and in the MYC window
        + "chr14\t105740000\ts1\tA\t.TTTTGGGGCCC\t.\tPASS\tSVTYPE=BND\tPR:SR\t0,0:0,0\t0,7:0,5\n"
        + "chr8\t127830000\ts2\tA\tTTTTGGGGCCC.\t.\tPASS\tSVTYPE=BND\tPR:SR\t0,0:0,0\t0,7:0,5\n"
    )
    p = write(tmp_path, "forms.vcf", header("GRCh38", True, ["NORMAL", "TUMOR"], "##source=GenerateSVCandidates\n")
              + recs)
    r = read_structural_variants(p, build="GRCh38", single_breakend_evidence=True)
    items = present_sv_items(r)
    for e in items:
        assert_junction_fields_agree_with_detail(e)
    ccnd1 = next(w for w in load_windows(build="GRCh38") if w.name == "CCND1")
    ends = {(e.lesion, e.junction.locus, e.junction.partner, e.junction.partner_pos)
            for e in r.evidence if e.status == "present" and e.junction is not None}
    assert ends == {
        ("t(4;14)", "IGH", "FGFR3-NSD2", 1871000),
        ("IGH_rearrangement", "IGH", "FGFR3-NSD2", 1871000),
        ("IGH_rearrangement", "IGH", "3:50,000,000", None),
        ("IGH_rearrangement", "IGH", f"11:68,900,000, {ccnd1.start - 68_900_000:,} bp from the CCND1 window", None),
        ("IGH_rearrangement", "IGH", "IGL", None),
        ("MYC_rearrangement", "IGH", "MYC", 127800000),
        ("IGH_rearrangement", "IGH", "MYC", 127800000),
        ("MYC_rearrangement", "MYC", "IGK", None),
        ("MYC_rearrangement", "MYC", "2:50,000,000", None),
        ("IGH_rearrangement", "IGH", "unknown (single breakend)", None),
        ("MYC_rearrangement", "MYC", "unknown (single breakend)", None),
    }
    t414 = next(e for e in r.evidence if e.lesion == "t(4;14)")
    assert (t414.junction.locus_chrom, t414.junction.locus_pos, t414.junction.partner_chrom) == ("14", 105860000, "4")
    assert t414.junction.record.startswith("Manta MantaBND:1:0:1:0:0:0:0/MantaBND:1:0:1:0:0:0:1, FILTER PASS, ")
    single = next(e for e in r.evidence if e.junction is not None and e.junction.locus_pos == 105740000)
    assert single.junction.record.startswith("Manta s1, FILTER PASS, ")


# ------------------------------------------------------------------ hostile inputs (issue #13), built on a real file

MANTA_TUMOR = "colo829-dna-illumina"


def manta_with(tmp_path: Path, records: str, name: str = "hostile.vcf") -> Path:
    """The real Manta corpus file (GRCh38) with ``records`` appended (plain text)."""
    text = gzip.decompress(corpus("manta/somaticSV.vcf.gz").read_bytes()).decode()
    p = tmp_path / name
    p.write_text(text + records)
    return p


def read_manta(p: Path) -> SvResult:
    return read_structural_variants(p, build="GRCh38", tumor_column=MANTA_TUMOR)


def test_real_manta_with_t414_pair_is_present(tmp_path: Path) -> None:
    r = read_manta(manta_with(tmp_path, MANTA_T414.format(flt="PASS")))
    assert status(r, "t(4;14)") == {"present"}


@pytest.mark.parametrize("alt,why", [
    ("A[chr14:105860000", "malformed breakend ALT"),  # missing closing bracket
    ("Achr14:105860000[", "malformed breakend ALT"),  # missing opening bracket
    ("A[chr14:105860000]", "malformed breakend ALT"),  # wrong bracket pair
    ("[chr14:105860000[", "malformed breakend ALT"),  # no bases on either side
    ("A[chr14:105860000[A", "malformed breakend ALT"),  # bases on both sides
    ("A[chrZZ:105860000[", "mate contig 'chrZZ' is not declared"),
    ("A[chr14:10586e4[", "mate position"),
    ("A[chr14:-5[", "mate position"),
    ("A[chr14:999999999999[", "lies outside chromosome 14"),
])
def test_malformed_bnd_alt_is_refused_with_record_and_reason(tmp_path: Path, alt: str, why: str) -> None:
    """Never "absent" and never a "class switch" note: the record is refused with file, line and reason."""
    recs = MANTA_T414.format(flt="PASS").replace("A[chr14:105860000[", alt)
    p = manta_with(tmp_path, recs)
    with pytest.raises(InputError) as e:
        read_manta(p)
    text = str(e.value)
    n_lines = len(p.read_text().splitlines())
    assert why in text and f"line {n_lines - 1}" in text and p.name in text, text
    assert "class-switch" not in text


def test_class_switch_note_only_for_two_distinct_igh_positions(tmp_path: Path) -> None:
    """An insertion point inside IGH is no class-switch recombination; a real IGH-internal junction is."""
    ins = ("chr14\t105600000\tMantaINS:1\tN\t<INS>\t.\tPASS\tSVTYPE=INS\tPR:SR\t20,0:20,0\t20,15:20,10\n")
    r = read_manta(manta_with(tmp_path, ins))
    assert not any("class-switch" in w for w in r.warnings), r.warnings
    dele = ("chr14\t105600000\tMantaDEL:1\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=105650000\tPR:SR\t20,0:20,0\t20,15:20,10\n")
    r = read_manta(manta_with(tmp_path, dele, "del.vcf"))
    assert any("class-switch" in w for w in r.warnings), r.warnings


def test_symbolic_alt_without_end_is_refused(tmp_path: Path) -> None:
    rec = "chr14\t105600000\tMantaDEL:1\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL\tPR:SR\t20,0:20,0\t20,15:20,10\n"
    with pytest.raises(InputError, match="without INFO/END, POS2 or SVLEN"):
        read_manta(manta_with(tmp_path, rec))


@pytest.mark.parametrize("value", ["-3", "2.5", "inf", "nan", "1e308", "abc", "25,-12"])
def test_bad_read_support_is_refused_never_an_internal_error(tmp_path: Path, value: str) -> None:
    recs = MANTA_T414.format(flt="PASS").replace("25,12:30,9", f"{value}:30,9", 1)
    with pytest.raises(InputError) as e:
        read_manta(manta_with(tmp_path, recs))
    msg = e.value.problems[0].message
    assert msg.startswith("unreadable SV record (read support") and (value[:3] in msg or "1e+308" in msg), msg


def test_duplicated_info_or_format_key_is_refused(tmp_path: Path) -> None:
    recs = MANTA_T414.format(flt="PASS").replace("SVTYPE=BND;", "SVTYPE=BND;SVTYPE=DEL;", 1)
    with pytest.raises(InputError, match="INFO key 'SVTYPE' is given twice"):
        read_manta(manta_with(tmp_path, recs))
    recs = MANTA_T414.format(flt="PASS").replace("PR:SR\t30,0:25,0\t25,12:30,9", "PR:PR\t30,0:25,0\t25,12:30,9", 1)
    with pytest.raises(InputError, match="FORMAT key 'PR' is given twice"):
        read_manta(manta_with(tmp_path, recs, "f.vcf"))


def test_small_variant_vcf_as_sv_vcf_is_refused_with_the_column_it_belongs_in() -> None:
    with pytest.raises(InputError) as e:
        read_structural_variants(corpus("mutect2/cfdna-unfiltered.vcf"), build="GRCh37")
    text = str(e.value)
    assert "small-variant VCF" in text and "snv_vcf" in text and "111 of its 111 records" in text


def test_copy_number_vcf_as_sv_vcf_is_refused(tmp_path: Path) -> None:
    """A real Delly SV file rewritten as Delly's copy-number output (<CNV> records) is a CN file."""
    src = corpus("delly/test_delly.vcf").read_text().splitlines(keepends=True)
    body = [ln for ln in src if ln.startswith("#")]
    for i in range(5):
        body.append(f"1\t{1_000_000 + i * 100_000}\tcnv{i}\tN\t<CNV>\t.\tPASS\tSVTYPE=CNV;END={1_050_000 + i * 100_000}"
                    "\tGT:CN\t0/1:3\t0/0:2\n")
    p = tmp_path / "cn.vcf"
    p.write_text("".join(body))
    with pytest.raises(InputError) as e:
        read_structural_variants(p, build="GRCh37", tumor_column=body[-6].rstrip("\n").split("\t")[9])
    assert "copy-number VCF" in str(e.value) and "cnv column" in str(e.value)


def test_corpus_funcotator_with_one_symbolic_record_is_a_small_variant_file() -> None:
    with pytest.raises(InputError, match="small-variant VCF"):
        read_structural_variants(corpus("funcotator/regressionTestVariantSetHG38_expected.vcf"), build="GRCh38")
