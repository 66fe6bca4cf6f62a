"""The vocabulary of MAF files: column aliases, variant classifications, build names, protein changes.

- :data:`COLUMNS`: logical column -> the spellings MAF dialects use (GDC/vcf2maf MAF, cBioPortal
  MAF-lite, and the dNdScv-style coding-mutation table of CoMMpass: ``sampleID chr pos ref mut gene
  aachange ntchange impact``);
- :data:`CLASSIFICATION`: ``Variant_Classification`` (MAF specification, GDC) and dNdScv ``impact``
  values -> Sequence Ontology terms of :data:`mmrisk.formats.annotation.consequence.SEVERITY`.
  ``Splice_Site`` is read as ``splice_site_variant`` (the MAF does not say donor or acceptor;
  a ``Consequence`` column, as vcf2maf writes it, is preferred when present); dNdScv ``no-SNV``
  (an indel) takes its term from ``ntchange`` (``...-delfrshift`` -> frameshift, ``...-delinframe``
  -> inframe deletion), or stays unknown;
- :func:`maf_build`: ``NCBI_Build`` (``GRCh37``, ``37``, ``hg19``, ``GRCh38``, ``38``, ``hg38``) -> build;
- :func:`maf_hgvsp`: ``HGVSp_Short``/``HGVSp`` (one- or three-letter, with or without ``p.``,
  ranges, ``delins``, ``ins``, ``dup``, ``fs``) as the normaliser of :mod:`mmrisk.aminoacids` writes it;
  vcf2maf's synthetic splice form (``p.X1445_splice``) is no protein change (None), as VEP leaves it.
"""

from __future__ import annotations

import re

from ...aminoacids import ONE_TO_THREE, STOP_ALIASES, THREE_LETTER, normalise_hgvsp, three_letter

#: logical column -> spellings (compared case-insensitively), first found wins.
COLUMNS: dict[str, tuple[str, ...]] = {
    "gene": ("Hugo_Symbol", "gene", "gene_name"),
    "classification": ("Variant_Classification", "impact"),
    "consequence": ("Consequence", "One_Consequence"),
    "hgvsp_short": ("HGVSp_Short", "aachange", "Protein_Change", "Amino_Acid_Change"),
    "hgvsp": ("HGVSp",),
    "hgvsc": ("HGVSc",),
    "ntchange": ("ntchange",),
    "transcript": ("Transcript_ID", "Feature"),
    "chrom": ("Chromosome", "chr", "chrom"),
    "pos": ("Start_Position", "Start_position", "pos"),
    "end": ("End_Position", "End_position"),
    "ref": ("Reference_Allele", "ref"),
    "alt2": ("Tumor_Seq_Allele2", "mut", "alt"),
    "alt1": ("Tumor_Seq_Allele1",),
    "sample": ("Tumor_Sample_Barcode", "sampleID", "sample"),
    "build": ("NCBI_Build",),
    "alt_count": ("t_alt_count",),
    "ref_count": ("t_ref_count",),
    "depth": ("t_depth",),
    "filter": ("FILTER",),
    "rsid": ("dbSNP_RS",),
    "population_af": ("gnomAD_AF", "ExAC_AF", "gnomADe_AF", "gnomADg_AF", "AF"),
}

#: Columns a file must have to be read as a MAF: a gene and either a classification or a protein change.
REQUIRED = ("gene", "sample")

#: Variant_Classification / dNdScv impact (lower case) -> SO terms.
CLASSIFICATION: dict[str, tuple[str, ...]] = {
    "missense_mutation": ("missense_variant",),
    "missense": ("missense_variant",),
    "nonsense_mutation": ("stop_gained",),
    "nonsense": ("stop_gained",),
    "nonstop_mutation": ("stop_lost",),
    "stop_loss": ("stop_lost",),
    "frame_shift_del": ("frameshift_variant",),
    "frame_shift_ins": ("frameshift_variant",),
    "in_frame_del": ("inframe_deletion",),
    "in_frame_ins": ("inframe_insertion",),
    "splice_site": ("splice_site_variant",),
    "essential_splice": ("splice_site_variant",),
    "translation_start_site": ("start_lost",),
    "start_codon_snp": ("start_lost",),
    "start_codon_del": ("start_lost",),
    "start_codon_ins": ("start_lost",),
    "stop_codon_del": ("stop_lost",),
    "stop_codon_ins": ("stop_lost",),
    "silent": ("synonymous_variant",),
    "synonymous": ("synonymous_variant",),
    "splice_region": ("splice_region_variant",),
    "intron": ("intron_variant",),
    "3'utr": ("3_prime_UTR_variant",),
    "5'utr": ("5_prime_UTR_variant",),
    "3'flank": ("downstream_gene_variant",),
    "5'flank": ("upstream_gene_variant",),
    "igr": ("intergenic_variant",),
    "rna": ("non_coding_transcript_exon_variant",),
    "lincrna": ("non_coding_transcript_exon_variant",),
    "targeted_region": ("sequence_variant",),
    "de_novo_start_inframe": ("5_prime_UTR_premature_start_codon_gain_variant",),
    "de_novo_start_outofframe": ("5_prime_UTR_premature_start_codon_gain_variant",),
}

#: dNdScv ``ntchange`` suffix of an indel (impact ``no-SNV``) -> SO term.
NTCHANGE_SUFFIX: dict[str, str] = {
    "delfrshift": "frameshift_variant",
    "insfrshift": "frameshift_variant",
    "delinframe": "inframe_deletion",
    "insinframe": "inframe_insertion",
}

#: NCBI_Build spellings (lower case) -> build.
BUILD_NAMES: dict[str, str] = {
    "grch37": "GRCh37", "37": "GRCh37", "hg19": "GRCh37", "b37": "GRCh37", "grch37-lite": "GRCh37",
    "grch38": "GRCh38", "38": "GRCh38", "hg38": "GRCh38", "b38": "GRCh38",
}


def maf_build(value: str) -> str | None:
    """The build an ``NCBI_Build`` cell names; None when empty; ``"?"`` when not a known spelling."""
    v = value.strip().lower()
    if v in ("", "na", "."):
        return None
    return BUILD_NAMES.get(v, "?")


def classification_terms(value: str, ntchange: str = "") -> tuple[str, ...] | None:
    """SO terms of a Variant_Classification / dNdScv impact; None when the value is not in the vocabulary."""
    v = value.strip().lower()
    if v == "no-snv":
        m = re.search(r"-([a-z]+)$", ntchange.strip())
        term = NTCHANGE_SUFFIX.get(m.group(1)) if m else None
        return (term,) if term else None
    return CLASSIFICATION.get(v)


_ONE = "A-Z*"
_THREE = f"(?:{THREE_LETTER}|Ter|Xaa)"
#: one-letter residue + position, the tokens of a range or an insertion
_ONE_POS = re.compile(r"([A-Z*])(\d+)")
_SPLICE = re.compile(r"^(?:p\.)?(?:[A-Z]|" + _THREE + r")?\d+_splice$|^(?:p\.)?X\d+_splice$", re.I)
_ONE_LETTER_FORM = re.compile(
    rf"^([{_ONE}]\d+)(?:_([{_ONE}]\d+))?(delins[{_ONE}]+|ins[{_ONE}]+|del|dup|[{_ONE}]?fs\*?\d*|[{_ONE}=?])$")
_THREE_LETTER_START = re.compile(rf"^{_THREE}\d+")


def _residue_pos(token: str) -> str:
    m = _ONE_POS.fullmatch(token)
    return f"{three_letter(m.group(1))}{m.group(2)}" if m else token


def _one_letter_body(body: str) -> str | None:
    """A one-letter change the shared normaliser does not read (ranges, delins, ins) in three-letter code."""
    m = _ONE_LETTER_FORM.fullmatch(body)
    if not m:
        return None
    first, last, rest = m.groups()
    out = _residue_pos(first) + (f"_{_residue_pos(last)}" if last else "")
    if rest.startswith("delins"):
        rest = "delins" + three_letter(rest[6:])
    elif rest.startswith("ins"):
        rest = "ins" + three_letter(rest[3:])
    elif "fs" in rest:
        new, tail = rest.split("fs", 1)
        rest = three_letter(new) + "fs" + tail.replace("*", "Ter")
    elif len(rest) == 1 and rest not in "=?":
        rest = three_letter(rest)
    return out + rest


def maf_hgvsp(value: str | None) -> str | None:
    """A MAF protein change as ``p.`` three-letter (see the module docstring); None for none or splice."""
    if value is None:
        return None
    v = value.strip()
    if v in ("", ".", "-", "NA", "p.="):
        return None
    if ":p." in v:
        v = v[v.index(":p.") + 1:]
    if _SPLICE.match(v):
        return None
    body = v[2:] if v.startswith("p.") else v
    paren = body.startswith("(") and body.endswith(")")
    inner = body[1:-1] if paren else body
    if not (_THREE_LETTER_START.match(inner) or re.match(rf"^[{_ONE}]\d+", inner)
            or inner[:1] in STOP_ALIASES or inner[:1] in ONE_TO_THREE):
        return normalise_hgvsp(v)  # not a protein change we know: kept as written
    converted = _one_letter_body(inner) if not _THREE_LETTER_START.match(inner) else None
    if converted is not None:
        return f"p.({converted})" if paren else f"p.{converted}"
    return normalise_hgvsp("p." + body)


__all__ = ["BUILD_NAMES", "CLASSIFICATION", "COLUMNS", "NTCHANGE_SUFFIX", "REQUIRED", "classification_terms",
           "maf_build", "maf_hgvsp"]
