"""Sequencing files of the demo cohort, written as the real callers write them.

Used by ``make_demo_cohort.py``. Two fictional samples:

- DEMO-12, GRCh38 with ``chr`` names: Mutect2 calls annotated by VEP (CSQ),
  Manta somatic SVs (both bgzipped and tabix-indexed, as those tools leave
  them), CNVkit ``call.cns`` segments.
- DEMO-13, GRCh37 without ``chr``: VarScan2 calls annotated by SnpEff (ANN),
  a Delly translocation (CHR2/END), GATK CallCopyRatioSegments ``.called.seg``.

Loci are taken from the resource tables (gene spans, centromeres, windows,
chromosome lengths) when the files are written, so the demo cannot drift from
them. The small variants are real hotspots at their real positions (TP53
p.Arg248Gln and p.Arg175His, KRAS p.Gly12Asp, NRAS p.Gln61Lys, the TP53
p.Pro72Arg polymorphism); read counts and every other value are made up.
"""

from __future__ import annotations

import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENOME = ROOT / "resources" / "genome"
CHROMS = [str(i) for i in range(1, 23)] + ["X", "Y"]


def _table(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:]]


def lengths(build: str) -> dict[str, int]:
    return {r["chrom"]: int(r["length"]) for r in _table(GENOME / "chromosomes.tsv") if r["build"] == build}


def centromeres(build: str) -> dict[str, tuple[int, int]]:
    return {r["chrom"]: (int(r["start"]), int(r["end"])) for r in _table(GENOME / "centromeres.tsv")
            if r["build"] == build}


def window(name: str, build: str) -> tuple[str, int, int]:
    for r in _table(GENOME / "sv_windows.tsv"):
        if r["name"] == name and r["build"] == build:
            return r["chrom"], int(r["start"]), int(r["end"])
    raise KeyError(f"no window {name} for {build}")


def gene(name: str, build: str) -> tuple[str, int, int]:
    for r in _table(GENOME / "genes.tsv"):
        if r["gene"] == name and r["build"] == build:
            return r["chrom"], int(r["start"]), int(r["end"])
    raise KeyError(f"no gene {name} for {build}")


def _contigs(build: str, prefix: str) -> str:
    return "".join(f"##contig=<ID={prefix}{c},length={n}>\n" for c, n in lengths(build).items())


def _sorted(records: list[str], prefix: str) -> list[str]:
    def key(rec: str) -> tuple[int, int]:
        chrom, pos = rec.split("\t")[:2]
        return CHROMS.index(chrom[len(prefix):]), int(pos)
    return sorted(records, key=key)


def log2_ratio(copies: float, purity: float, ploidy: float = 2.0) -> float:
    """DOMAIN.md: r = (p*CN + 2(1-p)) / (p*ploidy + 2(1-p))."""
    return math.log2((purity * copies + 2 * (1 - purity)) / (purity * ploidy + 2 * (1 - purity)))


# --- DEMO-12 (GRCh38, chr names) ---------------------------------------------------------------

CSQ_FIELDS = ("Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|"
              "Protein_position|Amino_acids|Existing_variation|STRAND|CANONICAL|MANE_SELECT|gnomADe_AF")


def _mutect2_vep(tumor: str, normal: str, records: list[str]) -> str:
    """A Mutect2 VCF annotated by VEP (CSQ), GRCh38 with chr names, as a lab's pipeline leaves it."""
    header = (
        "##fileformat=VCFv4.2\n"
        '##FILTER=<ID=PASS,Description="All filters passed">\n'
        '##FILTER=<ID=weak_evidence,Description="Mutation does not meet likelihood threshold">\n'
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the ref and alt alleles in the order listed">\n'
        '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fractions of alternate alleles in the tumor">\n'
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth (reads with MQ=255 or with bad mates are filtered)">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        f'##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: {CSQ_FIELDS}">\n'
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth; some reads may have been filtered">\n'
        '##VEP="v110" cache="homo_sapiens/110_GRCh38" assembly="GRCh38"\n'
        + _contigs("GRCh38", "chr")
        + f"##normal_sample={normal}\n##reference=file:///references/GRCh38/Homo_sapiens_assembly38.fasta\n"
        f"##source=Mutect2\n##tumor_sample={tumor}\n"
        f"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t{tumor}\t{normal}\n"
    )
    return header + "\n".join(_sorted(records, "chr")) + "\n"


def _mutect2_rec(chrom: str, pos: int, rid: str, ref: str, alt: str, flt: str, csq: str, ad_t: tuple[int, int],
                 ad_n: tuple[int, int]) -> str:
    af = ad_t[1] / sum(ad_t)
    return (f"chr{chrom}\t{pos}\t{rid}\t{ref}\t{alt}\t.\t{flt}\tCSQ={csq};DP={sum(ad_t) + sum(ad_n)}\t"
            f"GT:AD:AF:DP\t0/1:{ad_t[0]},{ad_t[1]}:{af:.3f}:{sum(ad_t)}\t"
            f"0/0:{ad_n[0]},{ad_n[1]}:{ad_n[1] / sum(ad_n):.3f}:{sum(ad_n)}")


# VEP CSQ values (after the allele) of the demo's variants: GRCh38, canonical/MANE transcripts.
_TP53 = "ENSG00000141510|Transcript|ENST00000269305.9|protein_coding"
CSQ = {
    "TP53 R248Q": f"missense_variant|MODERATE|TP53|{_TP53}|7/11||ENST00000269305.9:c.743G>A|ENSP00000269305.4:p.Arg248Gln"
                  "|248|R/Q||-1|YES|NM_000546.6|",
    "TP53 R175H": f"missense_variant|MODERATE|TP53|{_TP53}|5/11||ENST00000269305.9:c.524G>A|ENSP00000269305.4:p.Arg175His"
                  "|175|R/H||-1|YES|NM_000546.6|",
    "TP53 P72R": f"missense_variant|MODERATE|TP53|{_TP53}|4/11||ENST00000269305.9:c.215C>G|ENSP00000269305.4:p.Pro72Arg"
                 "|72|P/R|rs1042522|-1|YES|NM_000546.6|0.6634",
    "KRAS G12D": "missense_variant|MODERATE|KRAS|ENSG00000133703|Transcript|ENST00000256078.10|protein_coding|2/6||"
                 "ENST00000256078.10:c.35G>A|ENSP00000256078.5:p.Gly12Asp|12|G/D||-1|YES|NM_004985.5|",
    "NRAS Q61R": "missense_variant|MODERATE|NRAS|ENSG00000213281|Transcript|ENST00000369535.5|protein_coding|3/7||"
                 "ENST00000369535.5:c.182A>G|ENSP00000358548.4:p.Gln61Arg|61|Q/R||-1|YES|NM_002524.5|",
    # mature-subunit "Ala49Thr" of the PSMB5 literature (precursor numbering +59)
    "PSMB5 A108T": "missense_variant|MODERATE|PSMB5|ENSG00000100804|Transcript|ENST00000361611.11|protein_coding|"
                   "2/4||ENST00000361611.11:c.322G>A|ENSP00000355325.6:p.Ala108Thr|108|A/T||-1|YES|NM_002797.5|",
}


def demo12_snv() -> str:
    records = [
        _mutect2_rec("17", 7674220, ".", "C", "T", "PASS", "T|" + CSQ["TP53 R248Q"], (74, 46), (61, 0)),
        _mutect2_rec("17", 7675088, ".", "C", "T", "weak_evidence", "T|" + CSQ["TP53 R175H"], (118, 2), (70, 0)),
        _mutect2_rec("17", 7676154, "rs1042522", "G", "C", "PASS", "C|" + CSQ["TP53 P72R"], (52, 49), (40, 38)),
        _mutect2_rec("12", 25245350, ".", "C", "T", "PASS", "T|" + CSQ["KRAS G12D"], (103, 27), (66, 0)),
    ]
    return _mutect2_vep("DP12_tumor", "DP12_normal", records)


# --- DP17: one patient at diagnosis (DEMO-17) and first relapse (DEMO-18); DEMO-19 (relapse 2) is FISH only.
# NRAS p.Gln61Arg persists, a KRAS p.Gly12Asp subclone is lost, TP53 p.Arg175His and PSMB5 p.Ala108Thr are
# acquired. Positions: TP53 and KRAS as in DEMO-12; NRAS c.182A>G at chr1:114713908 (T>C on the forward
# strand); the PSMB5 record is placed inside the gene (resources/genome/genes.tsv) at an illustrative
# position: this is a fictional sample and its annotation, not its coordinate, is what the workflow reads.

def demo17_snv() -> str:
    records = [
        _mutect2_rec("1", 114713908, ".", "T", "C", "PASS", "C|" + CSQ["NRAS Q61R"], (84, 36), (58, 0)),
        _mutect2_rec("12", 25245350, ".", "C", "T", "PASS", "T|" + CSQ["KRAS G12D"], (126, 14), (61, 0)),
        _mutect2_rec("17", 7676154, "rs1042522", "G", "C", "PASS", "C|" + CSQ["TP53 P72R"], (47, 45), (39, 36)),
    ]
    return _mutect2_vep("DP17_dx_tumor", "DP17_normal", records)


def demo18_snv() -> str:
    records = [
        _mutect2_rec("1", 114713908, ".", "T", "C", "PASS", "C|" + CSQ["NRAS Q61R"], (66, 44), (58, 0)),
        _mutect2_rec("17", 7675088, ".", "C", "T", "PASS", "T|" + CSQ["TP53 R175H"], (78, 52), (60, 0)),
        _mutect2_rec("17", 7676154, "rs1042522", "G", "C", "PASS", "C|" + CSQ["TP53 P72R"], (50, 44), (39, 36)),
        _mutect2_rec("14", 23030112, ".", "C", "T", "PASS", "T|" + CSQ["PSMB5 A108T"], (98, 22), (55, 0)),
    ]
    return _mutect2_vep("DP17_rel_tumor", "DP17_normal", records)


def demo12_sv() -> str:
    c4, w4s, w4e = window("FGFR3-NSD2", "GRCh38")
    c14, i_s, i_e = window("IGH", "GRCh38")
    n_start = gene("NSD2", "GRCh38")[1]
    pos4 = n_start + 12_345          # inside NSD2, where t(4;14) breakpoints cluster
    pos14 = i_s + 380_000             # inside IGH (switch region side)
    assert w4s < pos4 < w4e and i_s < pos14 < i_e
    header = (
        "##fileformat=VCFv4.1\n##source=GenerateSVCandidates 1.6.0\n"
        "##reference=file:///references/GRCh38/Homo_sapiens_assembly38.fasta\n"
        + _contigs("GRCh38", "chr")
        + '##INFO=<ID=IMPRECISE,Number=0,Type=Flag,Description="Imprecise structural variation">\n'
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">\n'
        '##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="Difference in length between REF and ALT alleles">\n'
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the variant described in this record">\n'
        '##INFO=<ID=MATEID,Number=.,Type=String,Description="ID of mate breakend">\n'
        '##INFO=<ID=EVENT,Number=1,Type=String,Description="ID of event associated to breakend">\n'
        '##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description="Somatic mutation">\n'
        '##INFO=<ID=SOMATICSCORE,Number=1,Type=Integer,Description="Somatic variant quality score">\n'
        '##INFO=<ID=BND_DEPTH,Number=1,Type=Integer,Description="Read depth at local translocation breakend">\n'
        '##INFO=<ID=MATE_BND_DEPTH,Number=1,Type=Integer,Description="Read depth at remote translocation mate breakend">\n'
        '##FORMAT=<ID=PR,Number=.,Type=Integer,Description="Spanning paired-read support for the ref and alt alleles in the order listed">\n'
        '##FORMAT=<ID=SR,Number=.,Type=Integer,Description="Split reads for the ref and alt alleles in the order listed, for reads where P(allele|read)>0.999">\n'
        '##FILTER=<ID=MinSomaticScore,Description="Somatic score is less than 30">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tDP12_normal\tDP12_tumor\n"
    )
    e = "MantaBND:4122:0:1:0:0:0"
    records = [
        f"chr{c4}\t{pos4}\t{e}:0\tA\tA]chr{c14}:{pos14}]\t.\tPASS\tSVTYPE=BND;MATEID={e}:1;EVENT={e};SOMATIC;"
        f"SOMATICSCORE=92;BND_DEPTH=38;MATE_BND_DEPTH=44\tPR:SR\t31,0:35,0\t17,21:22,19",
        f"chr{c14}\t{pos14}\t{e}:1\tG\tG]chr{c4}:{pos4}]\t.\tPASS\tSVTYPE=BND;MATEID={e}:0;EVENT={e};SOMATIC;"
        f"SOMATICSCORE=92;BND_DEPTH=44;MATE_BND_DEPTH=38\tPR:SR\t31,0:35,0\t17,21:22,19",
        "chr5\t73514410\tMantaDEL:2201:0:0:0:1:0\tT\t<DEL>\t.\tPASS\tIMPRECISE;SVTYPE=DEL;SVLEN=-5203;END=73519613;"
        "SOMATIC;SOMATICSCORE=41\tPR\t28,0\t19,9",
        "chr9\t2015002\tMantaBND:900:0:1:0:0:0:0\tC\tC[chr9:2215002[\t.\tMinSomaticScore\tSVTYPE=BND;"
        "MATEID=MantaBND:900:0:1:0:0:0:1;SOMATIC;SOMATICSCORE=12\tPR\t25,0\t22,3",
        "chr9\t2215002\tMantaBND:900:0:1:0:0:0:1\tG\t]chr9:2015002]G\t.\tMinSomaticScore\tSVTYPE=BND;"
        "MATEID=MantaBND:900:0:1:0:0:0:0;SOMATIC;SOMATICSCORE=12\tPR\t25,0\t22,3",
    ]
    return header + "\n".join(_sorted(records, "chr")) + "\n"


def demo12_cnv(purity: float) -> str:
    """CNVkit call.cns: whole arms, 1q gained (3 copies), everything else 2 copies."""
    cen = centromeres("GRCh38")
    rows = ["chromosome\tstart\tend\tgene\tlog2\tcn\tdepth\tprobes\tweight"]
    for c, n in lengths("GRCh38").items():
        if c == "Y":
            continue
        arms = [(10_000, cen[c][0] - 1), (cen[c][1], n - 10_000)]
        for i, (s, e) in enumerate(arms):
            cn = 3 if (c == "1" and i == 1) else 2
            probes = max(12, (e - s) // 400_000)
            rows.append(f"chr{c}\t{s}\t{e}\t-\t{log2_ratio(cn, purity):.5f}\t{cn}\t{180 + cn * 7:.2f}\t{probes}\t"
                        f"{probes * 0.93:.2f}")
    return "\n".join(rows) + "\n"


# --- DEMO-13 (GRCh37, no chr) -------------------------------------------------------------------

ANN_DESC = ("Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | "
            "Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | "
            "AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' ")


def demo13_snv() -> str:
    header = (
        "##fileformat=VCFv4.1\n##source=VarScan2\n"
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth of quality bases">\n'
        '##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description="Indicates if record is a somatic mutation">\n'
        '##INFO=<ID=SS,Number=1,Type=String,Description="Somatic status of variant (0=Reference,1=Germline,2=Somatic,3=LOH, or 5=Unknown)">\n'
        '##FILTER=<ID=str10,Description="Less than 10% or more than 90% of variant supporting reads on one strand">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read Depth">\n'
        '##FORMAT=<ID=RD,Number=1,Type=Integer,Description="Depth of reference-supporting bases (reads1)">\n'
        '##FORMAT=<ID=AD,Number=1,Type=Integer,Description="Depth of variant-supporting bases (reads2)">\n'
        '##FORMAT=<ID=FREQ,Number=1,Type=String,Description="Variant allele frequency">\n'
        '##SnpEffVersion="4.3t (build 2017-11-24 10:18), by Pablo Cingolani"\n'
        '##SnpEffCmd="SnpEff  GRCh37.75 DP13.varscan.vcf "\n'
        f'##INFO=<ID=ANN,Number=.,Type=String,Description="{ANN_DESC}">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n"
    )

    def rec(chrom: str, pos: int, ref: str, alt: str, ss: int, ann: str, n: tuple[int, int], t: tuple[int, int]) -> str:
        def fmt(rd: int, ad: int, gt: str) -> str:
            return f"{gt}:{rd + ad}:{rd}:{ad}:{100 * ad / (rd + ad):.2f}%"
        somatic = "SOMATIC;" if ss == 2 else ""
        return (f"{chrom}\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\tDP={sum(n) + sum(t)};{somatic}SS={ss};ANN={ann}\t"
                f"GT:DP:RD:AD:FREQ\t{fmt(*n, '0/0' if ss == 2 else '0/1')}\t{fmt(*t, '0/1')}")

    records = [
        rec("1", 115256530, "G", "T", 2,
            "T|missense_variant|MODERATE|NRAS|ENSG00000213281|transcript|ENST00000369535|protein_coding|3/7|"
            "c.181C>A|p.Gln61Lys|311/4454|181/570|61/189||", (88, 0), (71, 29)),
        rec("17", 7579472, "G", "C", 1,
            "C|missense_variant|MODERATE|TP53|ENSG00000141510|transcript|ENST00000269305|protein_coding|4/11|"
            "c.215C>G|p.Pro72Arg|405/2579|215/1182|72/393||", (47, 45), (50, 47)),
    ]
    return header + "\n".join(_sorted(records, "")) + "\n"


def demo13_sv() -> str:
    c11, w_s, w_e = window("CCND1", "GRCh37")
    c14, i_s, i_e = window("IGH", "GRCh37")
    pos11 = gene("CCND1", "GRCh37")[1] - 104_990   # centromeric of CCND1, where t(11;14) breakpoints fall
    pos14 = i_s + 205_000
    assert w_s < pos11 < w_e and i_s < pos14 < i_e
    header = (
        "##fileformat=VCFv4.2\n##FILTER=<ID=PASS,Description=\"All filters passed\">\n"
        "##FILTER=<ID=LowQual,Description=\"Poor quality and insufficient number of PEs and SRs.\">\n"
        '##INFO=<ID=CIEND,Number=2,Type=Integer,Description="PE confidence interval around END">\n'
        '##INFO=<ID=CIPOS,Number=2,Type=Integer,Description="PE confidence interval around POS">\n'
        '##INFO=<ID=CHR2,Number=1,Type=String,Description="Chromosome for END coordinate in case of a translocation">\n'
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the structural variant">\n'
        '##INFO=<ID=PE,Number=1,Type=Integer,Description="Paired-end support of the structural variant">\n'
        '##INFO=<ID=MAPQ,Number=1,Type=Integer,Description="Median mapping quality of paired-ends">\n'
        '##INFO=<ID=SR,Number=1,Type=Integer,Description="Split-read support">\n'
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">\n'
        '##INFO=<ID=SVMETHOD,Number=1,Type=String,Description="Type of approach used to detect SV">\n'
        '##INFO=<ID=CT,Number=1,Type=String,Description="Paired-end signature induced connection type">\n'
        '##INFO=<ID=PRECISE,Number=0,Type=Flag,Description="Precise structural variation">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        '##FORMAT=<ID=FT,Number=1,Type=String,Description="Per-sample genotype filter">\n'
        '##FORMAT=<ID=DR,Number=1,Type=Integer,Description="# high-quality reference pairs">\n'
        '##FORMAT=<ID=DV,Number=1,Type=Integer,Description="# high-quality variant pairs">\n'
        '##FORMAT=<ID=RR,Number=1,Type=Integer,Description="# high-quality reference junction reads">\n'
        '##FORMAT=<ID=RV,Number=1,Type=Integer,Description="# high-quality variant junction reads">\n'
        + _contigs("GRCh37", "")
        + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\tNORMAL\n"
    )
    rec = (f"{c11}\t{pos11}\tBND00000007\tN\tN]{c14}:{pos14}]\t.\tPASS\tPRECISE;SVTYPE=BND;SVMETHOD=EMBL.DELLYv0.7.7;"
           f"CHR2={c14};END={pos14};PE=23;MAPQ=60;CT=3to3;CIPOS=-4,4;CIEND=-4,4;SR=14\tGT:FT:DR:DV:RR:RV\t"
           "0/1:PASS:31:23:40:14\t0/0:PASS:36:0:44:0")
    return header + rec + "\n"


def demo13_cnv(purity: float) -> str:
    """GATK CallCopyRatioSegments output: 17p lost (1 copy) in most tumour cells, the rest neutral."""
    cen = centromeres("GRCh37")
    sq = "".join(f"@SQ\tSN:{c}\tLN:{n}\n" for c, n in lengths("GRCh37").items())
    head = ("@HD\tVN:1.6\n" + sq + "@RG\tID:GATKCopyNumber\tSM:DP13_tumor\n"
            "CONTIG\tSTART\tEND\tNUM_POINTS_COPY_RATIO\tMEAN_LOG2_COPY_RATIO\tCALL\n")
    rows = []
    for c, n in lengths("GRCh37").items():
        if c == "Y":
            continue
        for i, (s, e) in enumerate([(60_001, cen[c][0] - 1), (cen[c][1], n - 60_000)]):
            loss = c == "17" and i == 0
            l2 = log2_ratio(1, purity) if loss else 0.0021 * ((len(rows) % 5) - 2)
            rows.append(f"{c}\t{s}\t{e}\t{max(15, (e - s) // 250_000)}\t{l2:.6f}\t{'-' if loss else '0'}")
    return head + "\n".join(rows) + "\n"


# --- DEMO-14 (GRCh38, no chr): GRIDSS breakends, PURPLE copy number --------------------------

def _mid(name: str, build: str, kind: str = "window", offset: float = 0.5) -> tuple[str, int]:
    c, s, e = window(name, build) if kind == "window" else gene(name, build)
    return c, int(s + (e - s) * offset)


def demo14_sv() -> str:
    """GRIDSS-style paired breakends: IGH-WWOX (t(14;16)) and IGL-MYC (MYC rearrangement)."""
    c14, p14 = _mid("IGH", "GRCh38", offset=0.3)
    c16, p16 = _mid("WWOX", "GRCh38", kind="gene", offset=0.6)   # breakpoints mostly in WWOX (DOMAIN.md)
    c22, p22 = _mid("IGL", "GRCh38", offset=0.8)
    c8, p8 = _mid("MYC", "GRCh38", offset=0.55)
    header = (
        "##fileformat=VCFv4.2\n##source=GRIDSSv2.13.2\n"
        "##reference=file:///references/GRCh38/GCA_000001405.15_GRCh38_no_alt_analysis_set.fna\n"
        + _contigs("GRCh38", "")
        + '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">\n'
        '##INFO=<ID=MATEID,Number=.,Type=String,Description="ID of mate breakends">\n'
        '##INFO=<ID=EVENT,Number=1,Type=String,Description="ID of event associated to breakend">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        '##FORMAT=<ID=VF,Number=1,Type=Integer,Description="Count of fragments supporting the variant breakpoint allele and not the reference allele.">\n'
        '##FORMAT=<ID=REF,Number=1,Type=Integer,Description="Count of reads mapping across this breakend">\n'
        '##FILTER=<ID=LOW_QUAL,Description="Low quality call">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tDP14_normal.bam\tDP14_tumor.bam\n"
    )
    recs = [
        f"{c14}\t{p14}\tgridss17_211o\tT\t]{c16}:{p16}]T\t1402.11\tPASS\tSVTYPE=BND;MATEID=gridss17_211h;EVENT=gridss17_211\tGT:VF:REF\t.:0:41\t.:33:37",
        f"{c16}\t{p16}\tgridss17_211h\tC\tC[{c14}:{p14}[\t1402.11\tPASS\tSVTYPE=BND;MATEID=gridss17_211o;EVENT=gridss17_211\tGT:VF:REF\t.:0:39\t.:33:35",
        f"{c8}\t{p8}\tgridss52_98o\tA\tA]{c22}:{p22}]\t988.40\tPASS\tSVTYPE=BND;MATEID=gridss52_98h;EVENT=gridss52_98\tGT:VF:REF\t.:0:44\t.:21:40",
        f"{c22}\t{p22}\tgridss52_98h\tG\tG]{c8}:{p8}]\t988.40\tPASS\tSVTYPE=BND;MATEID=gridss52_98o;EVENT=gridss52_98\tGT:VF:REF\t.:0:38\t.:21:36",
    ]
    return header + "\n".join(_sorted(recs, "")) + "\n"


def demo14_cnv() -> str:
    """PURPLE purple.cnv.somatic.tsv: trisomies 3, 5, 9, 15, 19, 21 (hyperdiploid), 1q at 4 copies,
    a focal homozygous deletion at CDKN2C (biallelic del(1p32)), chromosome 13 at 1 copy."""
    cen = centromeres("GRCh38")
    _, k_s, k_e = gene("CDKN2C", "GRCh38")
    cols = ("chromosome\tstart\tend\tcopyNumber\tbafCount\tobservedBAF\tbaf\tsegmentStartSupport\tsegmentEndSupport\t"
            "method\tdepthWindowCount\tgcContent\tminStart\tmaxStart\tminorAlleleCopyNumber\tmajorAlleleCopyNumber")
    rows = [cols]

    def seg(c: str, s: int, e: int, cn: float, minor: float) -> None:
        windows = max(20, (e - s) // 1000)
        baf = 0.5 if cn == 0 else max(minor, cn - minor) / cn
        rows.append(f"{c}\t{s}\t{e}\t{cn:.4f}\t{windows // 10}\t{baf:.4f}\t{baf:.4f}\tTELOMERE\tCENTROMERE\t"
                    f"BAF_WEIGHTED\t{windows}\t0.41\t{s}\t{s}\t{minor:.4f}\t{cn - minor:.4f}")

    for c, n in lengths("GRCh38").items():
        if c == "Y":
            continue
        cs, ce = cen[c]
        if c == "1":
            seg(c, 1, k_s - 150_000, 2.0, 1.0)
            seg(c, k_s - 149_999, k_e + 150_000, 0.0, 0.0)
            seg(c, k_e + 150_001, cs - 1, 2.0, 1.0)
            seg(c, cs, n, 4.0, 1.0)
        elif c in ("3", "5", "9", "15", "19", "21"):
            seg(c, 1, n, 3.0, 1.0)
        elif c == "13":
            seg(c, 1, n, 1.0, 0.0)
        else:
            seg(c, 1, cs - 1, 2.0, 1.0)
            seg(c, cs, n, 2.0, 1.0)
    return "\n".join(rows) + "\n"


# --- DEMO-15 (GRCh37, chr names): Sniffles translocation, ASCAT segments, unannotated Strelka --

def demo15_sv() -> str:
    c14, p14 = _mid("IGH", "GRCh37", offset=0.2)
    c20, p20 = _mid("MAFB", "GRCh37", offset=0.6)
    header = (
        "##fileformat=VCFv4.2\n##source=Sniffles2_2.2\n"
        + _contigs("GRCh37", "chr")
        + '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variation">\n'
        '##INFO=<ID=CHR2,Number=1,Type=String,Description="Mate chromsome for BND SVs">\n'
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End position of structural variation">\n'
        '##INFO=<ID=SUPPORT,Number=1,Type=Integer,Description="Number of reads supporting the structural variation">\n'
        '##INFO=<ID=PRECISE,Number=0,Type=Flag,Description="Structural variation with precise breakpoints">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        '##FORMAT=<ID=DR,Number=1,Type=Integer,Description="Number of reference reads">\n'
        '##FORMAT=<ID=DV,Number=1,Type=Integer,Description="Number of variant reads">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tDP15_tumor\n"
    )
    rec = (f"chr{c14}\t{p14}\tSniffles2.BND.3F1\tN\t<TRA>\t60\tPASS\tPRECISE;SVTYPE=TRA;CHR2=chr{c20};END={p20};"
           "SUPPORT=14\tGT:DR:DV\t0/1:19:14")
    return header + rec + "\n"


def demo15_cnv() -> str:
    """ASCAT segments of two samples in one file (the workflow picks this sample by id): 1q gained."""
    cen = centromeres("GRCh37")
    rows = ["sample\tchr\tstartpos\tendpos\tnMajor\tnMinor"]
    for sid in ("DEMO-15", "DEMO-15-remission"):
        for c, n in lengths("GRCh37").items():
            if c == "Y":
                continue
            gain = sid == "DEMO-15" and c == "1"
            rows.append(f"{sid}\tchr{c}\t1\t{cen[c][0] - 1}\t1\t1")
            rows.append(f"{sid}\tchr{c}\t{cen[c][1]}\t{n}\t{2 if gain else 1}\t1")
    return "\n".join(rows) + "\n"


def demo15_snv() -> str:
    """Strelka somatic SNVs, not annotated: variants in panel genes are reported with consequence unknown."""
    header = (
        "##fileformat=VCFv4.1\n##source=strelka\n##source_version=2.9.10\n"
        "##reference=file:///references/hg19/ucsc.hg19.fasta\n"
        + _contigs("GRCh37", "chr")
        + '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth for tier1 (used+filtered)">\n'
        '##FORMAT=<ID=AU,Number=2,Type=Integer,Description="Number of \'A\' alleles used in tiers 1,2">\n'
        '##FORMAT=<ID=CU,Number=2,Type=Integer,Description="Number of \'C\' alleles used in tiers 1,2">\n'
        '##FORMAT=<ID=GU,Number=2,Type=Integer,Description="Number of \'G\' alleles used in tiers 1,2">\n'
        '##FORMAT=<ID=TU,Number=2,Type=Integer,Description="Number of \'T\' alleles used in tiers 1,2">\n'
        '##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description="Somatic mutation">\n'
        '##INFO=<ID=QSS,Number=1,Type=Integer,Description="Quality score for any somatic snv">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n"
    )
    # TP53 p.Arg175His (GRCh37 17:7578406 C>T), written without annotation
    rec = ("chr17\t7578406\t.\tC\tT\t.\tPASS\tSOMATIC;QSS=96\tDP:AU:CU:GU:TU\t"
           "58:0,0:58,58:0,0:0,0\t71:0,0:45,46:0,0:26,26")
    return header + rec + "\n"


# --- DEMO-16 (GRCh38, chr names): LUMPY translocation only -----------------------------------

def demo16_sv() -> str:
    c14, p14 = _mid("IGH", "GRCh38", offset=0.25)
    c6, p6 = _mid("CCND3", "GRCh38", kind="gene", offset=1.3)   # telomeric of CCND3, inside its window
    assert window("CCND3", "GRCh38")[1] < p6 < window("CCND3", "GRCh38")[2]
    header = (
        "##fileformat=VCFv4.2\n##source=LUMPY\n"
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">\n'
        '##INFO=<ID=STRANDS,Number=.,Type=String,Description="Strand orientation of the adjacency in BEDPE format (DEL:+-, DUP:-+, INV:++/--)">\n'
        '##INFO=<ID=SU,Number=.,Type=Integer,Description="Number of pieces of evidence supporting the variant across all samples">\n'
        '##INFO=<ID=PE,Number=.,Type=Integer,Description="Number of paired-end reads supporting the variant across all samples">\n'
        '##INFO=<ID=SR,Number=.,Type=Integer,Description="Number of split reads supporting the variant across all samples">\n'
        '##INFO=<ID=MATEID,Number=.,Type=String,Description="ID of mate breakends">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        '##FORMAT=<ID=SU,Number=1,Type=Integer,Description="Number of pieces of evidence supporting the variant">\n'
        '##FORMAT=<ID=PE,Number=1,Type=Integer,Description="Number of paired-end reads supporting the variant">\n'
        '##FORMAT=<ID=SR,Number=1,Type=Integer,Description="Number of split reads supporting the variant">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tDP16_tumor\tDP16_normal\n"
    )
    recs = [
        f"chr{c6}\t{p6}\t88_1\tN\tN]chr{c14}:{p14}]\t.\t.\tSVTYPE=BND;STRANDS=++:17;MATEID=88_2;SU=17;PE=11;SR=6"
        "\tGT:SU:PE:SR\t./.:17:11:6\t./.:0:0:0",
        f"chr{c14}\t{p14}\t88_2\tN\tN]chr{c6}:{p6}]\t.\t.\tSVTYPE=BND;STRANDS=++:17;MATEID=88_1;SU=17;PE=11;SR=6"
        "\tGT:SU:PE:SR\t./.:17:11:6\t./.:0:0:0",
    ]
    return header + "\n".join(_sorted(recs, "chr")) + "\n"
