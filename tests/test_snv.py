"""Small-variant reader (scripts/mmrisk/snv.py): every small-variant file of the real corpus read
correctly or refused clearly, and synthetic VCFs for each rule (TP53, polymorphisms, flags,
tumour column, chr prefix, build, truncated files, region queries)."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import pysam
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from conftest import CORPUS  # noqa: E402
from mmrisk.errors import InputError  # noqa: E402
from mmrisk.lesions import merge  # noqa: E402
from mmrisk.snv import (  # noqa: E402
    VARIANT_COLUMNS,
    GeneRegion,
    allele_vaf,
    load_benign,
    load_panel,
    read_small_variants,
)

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-world corpus not present at {CORPUS}")

# Tiny gene tables (the real one is resources/genome/genes.tsv, written by the CNV module).
TP53_37 = {"TP53": GeneRegion("TP53", "17", 7565097, 7590856)}
TP53_38 = {"TP53": GeneRegion("TP53", "17", 7661779, 7687538)}


def probe(chrom: str, start: int, end: int, gene: str = "PROBE") -> dict[str, GeneRegion]:
    """A one-gene table around a record of interest, to read its VAF from an unannotated file."""
    return {gene: GeneRegion(gene, chrom, start, end)}


def only(result, pos: int):
    hits = [v for v in result.variants if v.pos == pos]
    assert len(hits) == 1, [v.as_row() for v in result.variants]
    return hits[0]


def status(result) -> str | None:
    calls, _ = merge(result.evidence)
    return calls["TP53_mutation"].status


# ================================================================================================ corpus

def corpus(rel: str) -> Path:
    return CORPUS / rel


@needs_corpus
def test_mutect2_tumor_sample_header_af_and_tp53_codon72_benign():
    path = corpus("mutect2/cfdna-unfiltered.vcf")
    r = read_small_variants(path, build="GRCh37", genes=TP53_37)
    assert r.tumor_column == "TUMOR" and r.records_read == 111
    v = only(r, 7579472)  # TP53 c.215C>G p.Pro72Arg (rs1042522), unannotated file
    assert (v.gene, v.ref, v.alt, v.consequence, v.filter) == ("TP53", "G", "C", ["unknown"], ".")
    assert v.vaf == pytest.approx(0.033) and v.depth == 2819 and v.vaf_source == "AF"
    assert set(v.flags) == {"unannotated", "low_vaf", "benign_list"}
    assert v.record == f"{path}:217"
    assert status(r) == "absent"  # the benign polymorphism is not a TP53 mutation
    assert any("no consequence annotation" in w for w in r.warnings)


@needs_corpus
def test_mutect2_scientific_notation_af():
    r = read_small_variants(corpus("mutect2/cfdna-unfiltered.vcf"), build="GRCh37",
                            genes=probe("1", 12919576, 12919576), panel={"PROBE"})
    v = only(r, 12919576)
    assert v.vaf == pytest.approx(1.76e-3) and v.depth == 1568 and "low_vaf" in v.flags


@needs_corpus
def test_mutect1_fa_and_reject_filter():
    path = corpus("mutect/test_mutect.vcf")
    r = read_small_variants(path, build="GRCh37", genes=probe("1", 204429800, 204429900), panel={"PROBE"})
    v = only(r, 204429832)
    assert r.tumor_column == "TUMOR"  # NORMAL column comes first
    assert v.vaf == pytest.approx(0.071) and v.depth == 42 and v.vaf_source == "FA"
    # 495 of 500 records are REJECT: skipped by default, read when REJECT is allowed
    r2 = read_small_variants(path, build="GRCh37", genes=probe("1", 2453125, 2453125), panel={"PROBE"})
    assert r2.variants == []
    r3 = read_small_variants(path, build="GRCh37", genes=probe("1", 2453125, 2453125), panel={"PROBE"},
                             filters=("PASS", ".", "REJECT"))
    v3 = only(r3, 2453125)
    assert v3.filter == "REJECT" and v3.vaf == pytest.approx(0.146)


@needs_corpus
def test_strelka_snv_tier1_base_counts():
    r = read_small_variants(corpus("strelka2/test_strelka.vcf"), build="GRCh37",
                            genes=probe("1", 35944648, 35944648), panel={"PROBE"})
    v = only(r, 35944648)  # G>A, tumour AU=56,57 GU=2,2 (tier 1 first)
    assert v.vaf == pytest.approx(56 / 58) and v.depth == 58 and v.vaf_source == "AU/CU/GU/TU"
    r2 = read_small_variants(corpus("strelka2/test_strelka.vcf"), build="GRCh37",
                             genes=probe("1", 118166116, 118166116), panel={"PROBE"})
    v2 = only(r2, 118166116)  # C>A: CU=39 AU=25
    assert v2.vaf == pytest.approx(25 / 64) and v2.depth == 66


@needs_corpus
def test_strelka_three_samples_indels_tumor_column_and_unsorted():
    path = corpus("strelka2/Three_sample_somatic.vcf")
    genes = probe("3", 10089934, 10089934)
    r = read_small_variants(path, build="GRCh37", genes=genes, panel={"PROBE"})
    assert r.tumor_column == "TUMOR" and r.records_read == 6  # unsorted records all read
    v = only(r, 10089934)
    assert v.vaf == pytest.approx(12 / 59) and v.depth == 82 and v.vaf_source == "TAR/TIR"
    r_met = read_small_variants(path, build="GRCh37", genes=probe("3", 57493928, 57493928), panel={"PROBE"},
                                tumor_column="MET")
    assert r_met.tumor_column == "MET" and only(r_met, 57493928).vaf == pytest.approx(12 / 59)
    r_tum = read_small_variants(path, build="GRCh37", genes=probe("3", 57493928, 57493928), panel={"PROBE"})
    assert only(r_tum, 57493928).vaf == pytest.approx(11 / 25)
    with pytest.raises(InputError, match="NORMAL, TUMOR, MET"):
        read_small_variants(path, build="GRCh37", tumor_column="RELAPSE")


@needs_corpus
def test_varscan_freq_percent_string():
    path = corpus("varscan2/test_varscan.vcf")
    genes = probe("1", 1991014, 1991014)
    normal = read_small_variants(path, build="GRCh37", genes=genes, panel={"PROBE"}, tumor_column="NORMAL")
    v = only(normal, 1991014)
    assert v.vaf == pytest.approx(0.487) and v.depth == 117 and v.vaf_source == "FREQ"
    tumour = read_small_variants(path, build="GRCh37", genes=genes, panel={"PROBE"})
    assert tumour.tumor_column == "TUMOR" and only(tumour, 1991014).vaf == pytest.approx(0.3846)


@needs_corpus
def test_somatic_misc_empty_info_and_partially_missing_ad():
    path = corpus("somatic_misc/test_b37.vcf")
    r = read_small_variants(path, build="GRCh37", genes=probe("21", 36164500, 36164800), panel={"PROBE"})
    assert r.records_read == 25
    a = only(r, 36164589)  # AD '.,21', DP 54: alt/DP
    assert a.vaf == pytest.approx(21 / 54) and a.depth == 54 and a.vaf_source == "AD/DP"
    b = only(r, 36164775)  # AD 778,123
    assert b.vaf == pytest.approx(123 / 901) and b.depth == 901


@needs_corpus
def test_deepsomatic_vaf_single_sample():
    path = corpus("deepsomatic/golden.postprocess_somatic_tumor_single_site_output.vcf")
    r = read_small_variants(path, build="GRCh37", genes=probe("20", 10000439, 10000439), panel={"PROBE"})
    assert r.tumor_column == "NA12878"  # the only column
    v = only(r, 10000439)
    assert v.chrom == "chr20" and v.vaf == 1.0 and v.depth == 72 and v.vaf_source == "VAF"


@needs_corpus
def test_funcotator_genes_triploid_gt_and_symbolic_alleles():
    path = corpus("funcotator/regressionTestVariantSetHG38_expected.vcf")
    r = read_small_variants(path, build="GRCh38", panel={"ENAH", "PCSK5", "NPB"})
    assert r.tumor_column == "THE_TUMOR" and r.annotation == ["Funcotator (INFO/FUNCOTATION)"]
    assert r.records_read == 5
    enah = [v for v in r.variants if v.gene == "ENAH"]
    assert [v.consequence for v in enah] == [["inframe_deletion"], ["inframe_insertion"]]
    assert enah[0].hgvsp == "p.Glu217_Leu222del" and enah[0].vaf == pytest.approx(8 / 72)
    assert not [v for v in r.variants if v.gene == "PCSK5"]  # intronic: not reported
    assert any("symbolic" in w for w in r.warnings)  # <DEL>,<DUP> of NPB belong to CNV/SV
    assert status(r) == "absent"


@needs_corpus
def test_vep_csq_sites_only():
    path = corpus("vep_csq/split-vep.select-tr-expr.vcf")
    r = read_small_variants(path, build="GRCh38", panel={"GNB1"})
    assert r.tumor_column is None and any("sites-only" in w for w in r.warnings)
    v = only(r, 1000000)
    assert (v.gene, v.hgvsp, v.transcript, v.vaf, v.depth) == ("GNB1", "p.Asp118Gly", "ENST00000378609", None, None)
    assert v.consequence == ["missense_variant"] and v.flags == []


@needs_corpus
def test_vep_csq_with_bcsq_population_af():
    r = read_small_variants(corpus("vep_csq/split-vep.2.vcf"), build="GRCh37", panel={"WASH7P"})
    assert r.annotation == ["VEP (INFO/CSQ)", "BCSQ (INFO/BCSQ)"]
    assert r.variants == []  # non-coding WASH7P consequences are not protein-altering
    assert status(r) == "absent"


@needs_corpus
def test_vep_under_ann_is_read_as_vep():
    r = read_small_variants(corpus("vep_csq/split-vep.7.vcf"), build="GRCh38", panel=load_panel())
    assert r.annotation == ["VEP (INFO/ANN)"] and r.tumor_column == "HG001"
    assert r.records_read == 1 and r.variants == []
    assert status(r) == "absent"


@needs_corpus
def test_vep_tag_with_loftee_commas():
    r = read_small_variants(corpus("vep_csq/split-vep.broken-LoF.vcf"), build="GRCh38", panel={"FP565260.3"})
    assert r.annotation == ["VEP (INFO/vep)"]
    assert [(v.alt, v.consequence, v.hgvsp) for v in r.variants] == [
        ("A", ["missense_variant"], "p.Gly237Arg"), ("GGA", ["frameshift_variant"], "p.Asp240GlufsTer35")]


@needs_corpus
def test_bcftools_csq_short_entries():
    r = read_small_variants(corpus("bcftools_csq/split-vep.4.vcf"), build="GRCh37", panel={"OR4F5"})
    assert r.annotation == ["BCSQ (INFO/BCSQ)"] and r.records_read == 120
    assert [(v.pos, v.hgvsp) for v in r.variants][:2] == [(69428, "p.Phe113Cys"), (69640, "p.Asp184His")]
    stop = only(r, 69719)
    assert stop.consequence == ["stop_gained"] and stop.hgvsp == "p.Ser210Ter"
    assert not any("symbolic" in w for w in r.warnings)  # '*' spanning deletions are not SVs


@needs_corpus
@pytest.mark.parametrize("name, shown", [
    ("cancer.ann.vcf", "Reading cancer samples"),
    ("test.ann.vcf", "##SnpEffVersion"),
])
def test_snpeff_files_htslib_refuses_are_refused_clearly(name, shown):
    path = corpus(f"snpeff/{name}")
    with pytest.raises(InputError) as err:
        read_small_variants(path, build="GRCh37")
    msg = str(err.value)
    assert str(path) in msg and "line 1" in msg and shown in msg
    assert "a VCF starting with ##fileformat" in msg


# ================================================================================================ synthetic

CSQ_FIELDS = "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature|BIOTYPE|HGVSc|HGVSp|Protein_position|" \
             "Existing_variation|CANONICAL|gnomADe_AF"
LEN38 = {"1": 248956422, "17": 83257441}
LEN37 = {"1": 249250621, "17": 81195210}


def vcf_text(records: list[str], *, samples=("TUMOR", "NORMAL"), csq=True, lengths=LEN38, chr_prefix=False,
             extra_header: str = "") -> str:
    pre = "chr" if chr_prefix else ""
    head = ["##fileformat=VCFv4.2"]
    head += [f"##contig=<ID={pre}{c},length={n}>" for c, n in lengths.items()]
    head += ['##FILTER=<ID=germline,Description="germline">',
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
             '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
             '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">']
    if csq:
        head.append(f'##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
                    f'Format: {CSQ_FIELDS}">')
    if extra_header:
        head.append(extra_header)
    cols = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" + ("\tFORMAT\t" + "\t".join(samples) if samples else "")
    return "\n".join(head + [cols] + records) + "\n"


def csq(allele, consequence, hgvsp, *, gene="TP53", tr="ENST00000269305", existing="", gnomad="", canonical="YES",
        pos="") -> str:
    return "|".join([allele, consequence, "MODERATE", gene, "ENSG00000141510", tr, "protein_coding",
                     f"{tr}.9:c.1A>G", f"ENSP00000269305.4:{hgvsp}" if hgvsp else "", pos, existing, canonical,
                     gnomad])


def rec(chrom, pos, ref, alt, info, *, filt="PASS", fmt="GT:AD:DP:AF", tumor="0/1:60,40:100:0.4",
        normal="0/0:50,0:50:0") -> str:
    return "\t".join([chrom, str(pos), ".", ref, alt, ".", filt, info, fmt, tumor, normal])


def write(tmp_path: Path, text: str, name="s.vcf") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def bgzip(path: Path, index=True) -> Path:
    out = Path(str(path) + ".gz")
    pysam.tabix_compress(str(path), str(out), force=True)
    if index:
        pysam.tabix_index(str(out), preset="vcf", force=True)
    return out


R273H = rec("17", 7673802, "C", "T", "CSQ=" + csq("T", "missense_variant", "p.Arg273His", pos="273"))


def test_tp53_missense_is_reported_and_tp53_mutation_present(tmp_path):
    p = write(tmp_path, vcf_text([R273H]))
    r = read_small_variants(p, build="GRCh38")
    (v,) = r.variants
    assert v.as_row()["gene"] == "TP53" and v.hgvsp == "p.Arg273His" and v.consequence == ["missense_variant"]
    assert v.vaf == pytest.approx(0.4) and v.depth == 100 and v.flags == [] and v.record == f"{p}:11"
    assert list(v.as_row())[:len(VARIANT_COLUMNS)] == list(VARIANT_COLUMNS)
    (e,) = r.evidence
    assert (e.lesion, e.status, e.source, e.fraction, e.origin) == ("TP53_mutation", "present", "SNV", None, v.record)
    assert status(r) == "present"
    r_pur = read_small_variants(p, build="GRCh38", purity=0.8)
    assert r_pur.evidence[0].fraction == pytest.approx(1.0)  # min(1, 2*0.4/0.8)
    r_pur2 = read_small_variants(p, build="GRCh38", purity=1.0)
    assert r_pur2.evidence[0].fraction == pytest.approx(0.8)  # 2*0.4/1.0


def test_tp53_pro72arg_is_flagged_benign_and_not_a_mutation(tmp_path):
    pro72 = rec("17", 7676154, "G", "C",
                "CSQ=" + csq("C", "missense_variant", "p.Pro72Arg", existing="rs1042522", pos="72"),
                tumor="0/1:50,50:100:0.5")
    r = read_small_variants(write(tmp_path, vcf_text([pro72])), build="GRCh38")
    (v,) = r.variants
    assert "benign_list" in v.flags and v.hgvsp == "p.Pro72Arg"
    assert not v.somatic_finding
    assert status(r) == "absent" and "p.Pro72Arg" in r.evidence[0].detail
    # matched by the protein change alone too (no rsid, another position spelling)
    (rule,) = load_benign()
    assert rule.matches("TP53", "ENSP00000269305.4:p.Pro72Arg", [], "GRCh38", "chr17", 1, "A", "T")
    assert rule.matches("TP53", None, ["rs1042522"], "GRCh38", "17", 1, "A", "T")
    assert rule.source.startswith("ClinVar RCV000013144")


def test_gnomad_af_above_one_percent_is_a_polymorphism(tmp_path):
    common = rec("17", 7674220, "C", "T", "CSQ=" + csq("T", "missense_variant", "p.Gly245Ser", gnomad="0.2"))
    r = read_small_variants(write(tmp_path, vcf_text([common])), build="GRCh38")
    (v,) = r.variants
    assert v.population_af == pytest.approx(0.2) and "polymorphism" in v.flags
    assert status(r) == "absent"
    rare = read_small_variants(write(tmp_path, vcf_text([common]), "b.vcf"), build="GRCh38", max_population_af=0.5)
    assert "polymorphism" not in rare.variants[0].flags and status(rare) == "present"


def test_unannotated_tp53_variant_is_unknown_with_one_warning(tmp_path):
    recs = [rec("17", 7673802, "C", "T", "."), rec("17", 7673900, "G", "A", "."),
            rec("1", 1000, "A", "G", ".")]  # outside every panel gene
    p = write(tmp_path, vcf_text(recs, csq=False))
    r = read_small_variants(p, build="GRCh38", genes=TP53_38)
    assert [(v.gene, v.consequence, v.flags) for v in r.variants] == [
        ("TP53", ["unknown"], ["unannotated"]), ("TP53", ["unknown"], ["unannotated"])]
    assert all(v.hgvsp is None for v in r.variants)  # never a guessed consequence
    notes = [w for w in r.warnings if "annotate" in w]
    assert len(notes) == 1 and "2 variant(s)" in notes[0]
    (e,) = r.evidence
    assert e.status == "not_assessed" and status(r) == "not_assessed"
    # without a gene table the panel cannot be located: TP53 is not assessed, no evidence at all
    r2 = read_small_variants(p, build="GRCh38")
    assert r2.variants == [] and r2.evidence == [] and any("no gene table" in w for w in r2.warnings)


def test_tp53_evidence_names_its_gene_whatever_its_status(tmp_path):
    present = read_small_variants(write(tmp_path, vcf_text([R273H]), "present.vcf"), build="GRCh38")
    absent = read_small_variants(write(tmp_path, vcf_text([]), "absent.vcf"), build="GRCh38")
    unknown = read_small_variants(write(tmp_path, vcf_text([rec("17", 7673802, "C", "T", ".")], csq=False),
                                        "unknown.vcf"), build="GRCh38", genes=TP53_38)
    got = [(e.status, e.gene) for r in (present, absent, unknown) for e in r.evidence]
    assert got == [("present", "TP53"), ("absent", "TP53"), ("not_assessed", "TP53")]


def test_low_vaf_is_flagged_not_dropped(tmp_path):
    low = rec("17", 7673802, "C", "T", "CSQ=" + csq("T", "missense_variant", "p.Arg273His"),
              tumor="0/1:97,3:100:0.03")
    r = read_small_variants(write(tmp_path, vcf_text([low])), build="GRCh38")
    (v,) = r.variants
    assert v.vaf == pytest.approx(0.03) and v.flags == ["low_vaf"]
    assert status(r) == "present" and "below the 5% floor" in r.evidence[0].detail
    assert read_small_variants(write(tmp_path, vcf_text([low]), "b.vcf"), build="GRCh38",
                               vaf_floor=0.01).variants[0].flags == []


def test_filtered_record_is_skipped(tmp_path):
    filtered = R273H.replace("\tPASS\t", "\tgermline\t")
    p = write(tmp_path, vcf_text([filtered]))
    r = read_small_variants(p, build="GRCh38")
    assert r.variants == [] and status(r) == "absent"
    r2 = read_small_variants(p, build="GRCh38", filters=("PASS", ".", "germline"))
    assert r2.variants[0].filter == "germline"


def test_multi_allelic_record_is_split_per_alt(tmp_path):
    multi = rec("17", 7673802, "C", "T,A",
                "CSQ=" + csq("T", "missense_variant", "p.Arg273His") + "," + csq("A", "synonymous_variant", ""),
                tumor="0/1/2:50,30,20:100:0.3,0.2")
    r = read_small_variants(write(tmp_path, vcf_text([multi])), build="GRCh38")
    (v,) = r.variants  # the synonymous ALT A is not reported
    assert (v.alt, v.vaf, v.hgvsp) == ("T", pytest.approx(0.3), "p.Arg273His")
    assert allele_vaf({"AD": "50,30,20", "DP": "100"}, "C", ["T", "A"], 1) == (pytest.approx(0.2), 100, "AD")


def test_multi_sample_strelka_style_tumor_column(tmp_path):
    fmt = "DP:FDP:SDP:SUBDP:AU:CU:GU:TU"
    line = "\t".join(["17", "7673802", ".", "C", "T", ".", "PASS",
                      "CSQ=" + csq("T", "missense_variant", "p.Arg273His"), fmt,
                      "40:0:0:0:0,0:40,40:0,0:0,0", "50:0:0:0:0,0:30,31:0,0:20,20", "60:0:0:0:0,0:30,30:0,0:30,30"])
    p = write(tmp_path, vcf_text([line], samples=("N1", "T1", "T2")))
    with pytest.raises(InputError) as err:
        read_small_variants(p, build="GRCh38")
    assert "N1, T1, T2" in str(err.value) and "tumor_column" in str(err.value)
    r = read_small_variants(p, build="GRCh38", tumor_column="T2")
    assert r.tumor_column == "T2" and r.variants[0].vaf == pytest.approx(0.5) and r.variants[0].depth == 60
    r1 = read_small_variants(p, build="GRCh38", tumor_column="T1")
    assert r1.variants[0].vaf == pytest.approx(0.4)
    # ##tumor_sample= names the column when no tumor_column is given
    p2 = write(tmp_path, vcf_text([line], samples=("N1", "T1", "T2"), extra_header="##tumor_sample=T1"), "b.vcf")
    assert read_small_variants(p2, build="GRCh38").tumor_column == "T1"


@pytest.mark.parametrize("file_chr, table_chr", [(True, "17"), (False, "chr17")])
def test_chr_prefix_both_ways(tmp_path, file_chr, table_chr):
    pre = "chr" if file_chr else ""
    recs = [rec(f"{pre}17", 7673802, "C", "T", "."), rec(f"{pre}17", 7690000, "C", "T", ".")]
    genes = {"TP53": GeneRegion("TP53", table_chr.removeprefix("chr"), 7661779, 7687538)}
    p = write(tmp_path, vcf_text(recs, csq=False, chr_prefix=file_chr))
    streamed = read_small_variants(p, build="GRCh38", genes=genes)
    assert streamed.mode == "stream" and [v.pos for v in streamed.variants] == [7673802]
    assert streamed.variants[0].chrom == f"{pre}17"
    gz = bgzip(p)
    queried = read_small_variants(gz, build="GRCh38", genes=genes)
    assert queried.mode == "region" and [v.pos for v in queried.variants] == [7673802]
    assert queried.variants[0].record == f"{gz}:{pre}17:7673802"
    annotated = write(tmp_path, vcf_text([R273H.replace("17\t", f"{pre}17\t", 1)], chr_prefix=file_chr), "a.vcf")
    assert status(read_small_variants(bgzip(annotated), build="GRCh38", genes=genes)) == "present"


def test_build_mismatch_names_both_builds(tmp_path):
    p = write(tmp_path, vcf_text([R273H], lengths=LEN37))
    with pytest.raises(InputError) as err:
        read_small_variants(p, build="GRCh38")
    msg = str(err.value)
    assert "GRCh37" in msg and "GRCh38" in msg and str(p) in msg
    assert read_small_variants(p, build="GRCh37").variants  # the right build reads fine


def test_truncated_bgzip_is_refused(tmp_path):
    body = [rec("17", 7600000 + i, "C", "T", ".") for i in range(20000)]
    gz = bgzip(write(tmp_path, vcf_text(body, csq=False)), index=False)
    data = gz.read_bytes()
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        read_small_variants(cut, build="GRCh38", genes=TP53_38)
    assert "truncated" in str(err.value) and str(cut) in str(err.value)
    assert read_small_variants(gz, build="GRCh38", genes=TP53_38).records_read == 20000


@pytest.mark.parametrize("text, what", [
    ("", "line 1"),
    ("chr1\t1\t.\tA\tG\t.\tPASS\t.\n", "##fileformat"),
    ("##fileformat=VCFv4.2\n1\t1\t.\tA\tG\t.\tPASS\t.\n", "#CHROM"),
])
def test_not_a_vcf_is_refused_without_traceback(tmp_path, text, what):
    with pytest.raises(InputError, match=what):
        read_small_variants(write(tmp_path, text), build="GRCh38")


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_small_variants(tmp_path / "nope.vcf", build="GRCh38")


def test_streaming_memory_does_not_grow_with_file_size(tmp_path):
    def peak(n: int) -> int:
        body = [rec("1", 1000 + i, "C", "T", "CSQ=" + csq("T", "missense_variant", "p.Arg1Cys", gene="OTHER"))
                for i in range(n)]
        p = write(tmp_path, vcf_text(body), f"m{n}.vcf")
        tracemalloc.start()
        r = read_small_variants(p, build="GRCh38")
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert r.records_read == n and r.variants == []
        return top

    small, large = peak(2000), peak(20000)
    assert large < small * 2 + 2_000_000


# ================================================================================================ issue 13
# Never silently absent: each hostile input built from the real Mutect2 file (TP53 codon-72 record, line of
# 17:7579472), mutated in tmp_path.

MUTECT2 = "mutect2/cfdna-unfiltered.vcf"
TP53_POS = 7579472
VEP_HEADER = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
              'Format: Allele|Consequence|IMPACT|Gene|Feature|BIOTYPE|HGVSp">')
BCSQ_HEADER = ('##INFO=<ID=BCSQ,Number=.,Type=String,Description="Haplotype-aware consequence annotated by '
               'bcftools. Format: Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change">')


def mutate(tmp_path: Path, *, header: str = "", info: str | None = None, record=None, drop=None,
           name: str = "m.vcf") -> Path:
    """The Mutect2 corpus file with a header line added, INFO of the TP53 record extended, or any record
    line rewritten by ``record(cols) -> cols``; ``drop(line)`` removes header lines."""
    out = []
    for line in corpus(MUTECT2).read_text().splitlines():
        if drop and line.startswith("##") and drop(line):
            continue
        if line.startswith("#CHROM") and header:
            out.append(header)
        cols = line.split("\t")
        if not line.startswith("#") and cols[0] == "17" and cols[1] == str(TP53_POS):
            if info is not None:
                cols[7] += ";" + info
            if record:
                cols = record(cols)
        out.append("\t".join(cols))
    p = tmp_path / name
    p.write_text("\n".join(out) + "\n")
    return p


def bgzip_indexed(path: Path) -> Path:
    gz = Path(str(path) + ".gz")
    pysam.tabix_compress(str(path), str(gz), force=True)
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    return gz


@needs_corpus
def test_vep_without_symbol_names_the_gene_by_its_ensembl_id(tmp_path):
    p = mutate(tmp_path, header=VEP_HEADER,
               info="CSQ=G|missense_variant|MODERATE|ENSG00000141510.18|ENST00000269305|protein_coding|p.Pro72Arg")
    r = read_small_variants(p, build="GRCh37", genes=TP53_37)
    v = only(r, TP53_POS)
    assert (v.gene, v.consequence) == ("TP53", ["missense_variant"])
    assert r.genes_not_assessed == {}


@needs_corpus
def test_consequence_terms_of_any_case_and_unknown_terms_are_not_dropped(tmp_path):
    p = mutate(tmp_path, header=VEP_HEADER,
               info="CSQ=G|MISSENSE_VARIANT|MODERATE|TP53|ENST00000269305|protein_coding|p.Arg175His")
    assert only(read_small_variants(p, build="GRCh37", genes=TP53_37), TP53_POS).consequence == ["missense_variant"]
    p = mutate(tmp_path, header=VEP_HEADER, info="CSQ=G|brand_new_variant|MODERATE|TP53|ENST00000269305|protein_coding|")
    r = read_small_variants(p, build="GRCh37", genes=TP53_37)
    v = only(r, TP53_POS)
    assert "unknown_consequence" in v.flags and v.consequence == ["brand_new_variant"]
    assert "brand_new_variant" in r.genes_not_assessed["TP53"]
    assert any("'brand_new_variant' is not in the severity list" in w and f"{p}:" in w for w in r.warnings)
    assert status(r) == "not_assessed"


@needs_corpus
@pytest.mark.parametrize("header,info,why", [
    (VEP_HEADER, "CSQ=G|missense_variant|MODERATE|TP53", "4 of the 7 fields"),
    (VEP_HEADER, "CSQ=G|missense_variant|MODERATE||ENST00000269305|protein_coding|p.Arg175His", "without a gene"),
    (BCSQ_HEADER, "BCSQ=@7579400", "back-reference @7579400"),
])
def test_unreadable_annotation_entries_are_listed_and_the_gene_not_assessed(tmp_path, header, info, why):
    r = read_small_variants(mutate(tmp_path, header=header, info=info), build="GRCh37", genes=TP53_37)
    assert why in r.genes_not_assessed["TP53"]
    assert any("cannot be read" in w and why in w for w in r.warnings)
    assert status(r) == "not_assessed"


@needs_corpus
@pytest.mark.parametrize("pos", ["7,579,472", "abc", "7579472x"])
def test_a_malformed_pos_on_a_panel_contig_is_refused_by_the_scan(tmp_path, pos):
    p = mutate(tmp_path, record=lambda c: [c[0], pos, *c[2:]])
    with pytest.raises(InputError, match="POS of a record") as e:
        read_small_variants(p, build="GRCh37", genes=TP53_37)
    assert e.value.problems[0].line is not None and e.value.problems[0].value == pos


@needs_corpus
def test_a_stale_or_foreign_index_is_not_trusted(tmp_path):
    gz = bgzip_indexed(mutate(tmp_path))
    other = bgzip_indexed(mutate(tmp_path, drop=lambda line: False, record=lambda c: c, name="o.vcf"))
    lines = corpus(MUTECT2).read_text().splitlines()
    short = tmp_path / "short.vcf"
    short.write_text("\n".join([x for x in lines if x.startswith("#")] + [x for x in lines if not x.startswith("#")][:40])
                     + "\n")
    Path(str(gz) + ".tbi").write_bytes(Path(str(bgzip_indexed(short)) + ".tbi").read_bytes())  # index of fewer records
    r = read_small_variants(gz, build="GRCh37", genes=TP53_37)
    assert r.mode == "stream" and any("its index is not used" in w for w in r.warnings)
    assert only(r, TP53_POS).vaf == pytest.approx(0.033)
    assert read_small_variants(other, build="GRCh37", genes=TP53_37).mode == "region"  # a good index is used


@needs_corpus
@pytest.mark.parametrize("indexed", [False, True])
def test_records_spelled_chr17_under_contig_17_are_read(tmp_path, indexed):
    p = mutate(tmp_path, record=lambda c: ["chr17", *c[1:]])
    r = read_small_variants(bgzip_indexed(p) if indexed else p, build="GRCh37", genes=TP53_37)
    assert only(r, TP53_POS).chrom == "chr17"
    assert r.mode == ("region" if indexed else "stream")


@needs_corpus
def test_an_sv_or_copy_number_vcf_as_snv_vcf_is_refused_with_what_it_looks_like(tmp_path):
    with pytest.raises(InputError, match="structural-variant VCF.*sv_vcf"):
        read_small_variants(corpus("manta/somaticSV.vcf.gz"), build="GRCh38", genes=TP53_38)
    text = corpus("delly/test_delly.vcf").read_text().splitlines()
    cn = [x if x.startswith("#") else x.replace("\t<", "\t<", 1) for x in text]
    cn = [x if x.startswith("#") else "\t".join(x.split("\t")[:4] + ["<DEL>"] + x.split("\t")[5:7]
                                                 + [x.split("\t")[7] + ";CN=1"] + x.split("\t")[8:]) for x in cn]
    p = tmp_path / "cn.vcf"
    p.write_text("\n".join(cn) + "\n")
    with pytest.raises(InputError, match="copy-number VCF.*cnv"):
        read_small_variants(p, build="GRCh37", genes=TP53_37)
    with pytest.raises(InputError, match="looks like a copy-number table"):
        read_small_variants(corpus("cnvkit/p2-9_2.call.cns"), build="GRCh37", genes=TP53_37)


@needs_corpus
def test_an_annotated_panel_variant_outside_the_gene_of_the_declared_build_is_a_build_error(tmp_path):
    p = mutate(tmp_path, header=VEP_HEADER, drop=lambda line: line.startswith("##contig"),
               info="CSQ=G|missense_variant|MODERATE|TP53|ENST00000269305|protein_coding|p.Arg175His")
    r = read_small_variants(p, build="GRCh38", genes=TP53_38)
    assert "outside TP53's GRCh38 span" in r.genes_not_assessed["TP53"]
    assert not r.variants and status(r) == "not_assessed"



@needs_corpus
def test_an_indexed_file_of_another_build_shows_its_panel_annotations_never_absent(tmp_path):
    """Bgzipped and indexed, without ##contig/##reference lines, a GRCh37 file declared GRCh38: the region
    query of TP53's GRCh38 span alone would find nothing ("absent"); the other build's span is fetched too,
    and the TP53 annotation there makes TP53 not assessed with the reason."""
    plain = mutate(tmp_path, header=VEP_HEADER, drop=lambda line: line.startswith(("##contig", "##reference")),
                   info="CSQ=G|missense_variant|MODERATE|TP53|ENST00000269305|protein_coding|p.Arg175His")
    gz = tmp_path / "m.vcf.gz"
    pysam.tabix_compress(str(plain), str(gz), force=True)
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    alone = read_small_variants(gz, build="GRCh38", genes=TP53_38)
    assert alone.mode == "region" and status(alone) == "absent"  # the blind spot without the other build
    r = read_small_variants(gz, build="GRCh38", genes=TP53_38, probes=TP53_37)
    assert r.mode == "region" and "outside TP53's GRCh38 span" in r.genes_not_assessed["TP53"]
    assert not r.variants and status(r) == "not_assessed"
    right = read_small_variants(gz, build="GRCh37", genes=TP53_37, probes=TP53_38)  # declared rightly: read
    assert [v.pos for v in right.variants] == [TP53_POS] and not right.genes_not_assessed  # (benign list: absent)

@needs_corpus
@pytest.mark.parametrize("af,dp", [("nan", "2819"), ("1.5", "2819"), ("-0.2", "inf"), ("inf", "1e308"), ("0.033", "-5")])
def test_af_out_of_range_is_refused_never_clamped_and_counts_are_checked(tmp_path, af, dp):
    def rec(c):
        keys, vals = c[8].split(":"), c[9].split(":")
        vals[keys.index("AF")], vals[keys.index("DP")] = af, dp
        return c[:9] + [":".join(vals)] + c[10:]
    p = mutate(tmp_path, record=rec)
    if dp in ("inf", "1e308"):  # DP is declared Integer: htslib would stop; refused with the record
        with pytest.raises(InputError, match=f"FORMAT/DP is declared Integer but holds '{dp}'"):
            read_small_variants(p, build="GRCh37", genes=TP53_37)
        return
    r = read_small_variants(p, build="GRCh37", genes=TP53_37)
    v = only(r, TP53_POS)
    if af == "0.033":
        assert v.vaf == pytest.approx(0.033)
    else:
        assert v.vaf == pytest.approx(97 / (2722 + 97)) and v.vaf_source == "AD"  # from the read counts instead
    assert v.depth is None or v.depth >= 0
    if af in ("1.5", "-0.2") or dp == "-5":
        assert any("FORMAT value(s) refused" in w for w in r.warnings)


_CRASH_PROBE = """
import sys
sys.path.insert(0, {scripts!r})
from mmrisk.errors import InputError
from mmrisk.snv import GeneRegion, read_small_variants
try:
    read_small_variants({path!r}, build="GRCh37", genes={{"TP53": GeneRegion("TP53", "17", 7565097, 7590856)}})
except InputError as e:
    print("InputError:", e)
"""


@needs_corpus
@pytest.mark.parametrize("gt", ["-1", "NA", "0/1/"])
def test_an_unparseable_gt_is_refused_not_a_segfault(tmp_path, gt):
    """htslib crashed (exit 139) on these in a region query; run in a subprocess so a crash fails the test."""
    import subprocess
    p = bgzip_indexed(mutate(tmp_path, record=lambda c: c[:9] + [gt + c[9][3:]] + c[10:]))
    code = _CRASH_PROBE.format(scripts=str(Path(__file__).resolve().parents[1] / "scripts"), path=str(p))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert "InputError:" in done.stdout and "GT value is not a VCF genotype" in done.stdout and gt in done.stdout


@needs_corpus
def test_non_utf8_bytes_in_a_panel_record_give_a_clean_message(tmp_path):
    p = mutate(tmp_path, info="NOTE=x")
    p.write_bytes(p.read_bytes().replace(b"NOTE=x", b"NOTE=\xff\xfe"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_small_variants(p, build="GRCh37", genes=TP53_37)
    with pytest.raises(InputError, match="not UTF-8"):
        read_small_variants(bgzip_indexed(p), build="GRCh37", genes=TP53_37)
