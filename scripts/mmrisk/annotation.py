"""Per-allele consequence annotations of small-variant VCFs, whatever wrote them.

Four annotators put their consequences into one INFO tag each, and users rename
the tags, so the kind of annotation is decided by the *header's own field list*
(the ``Description`` of the ``##INFO`` line), never by the tag name:

- Ensembl VEP: ``... Format: Allele|Consequence|IMPACT|SYMBOL|...`` (tag ``CSQ``,
  but also ``ANN`` with ``--vcf_info_field ANN`` or ``vep`` in gnomAD files);
- SnpEff: ``Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | ...'``;
- bcftools csq: ``... Format: Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change``
  (entries may be shorter than declared; ``@POS`` entries point at the record at POS that
  carries the compound, haplotype-aware consequence);
- GATK Funcotator: ``Funcotation fields are: Gencode_..._hugoSymbol|...`` with every allele's value
  wrapped in ``[...]`` and ``|`` inside values escaped as ``_%7C_``.

Every entry becomes one :class:`Annotation` (gene, transcript, SO consequence terms,
impact, HGVS c./p., protein position, population allele frequency, existing variant
ids, canonical flag). :func:`select_transcript` applies the one documented rule that
picks the transcript reported for a variant.

Splitting entries: VEP values from LOFTEE (``LoF_info``) contain unescaped commas,
so a naive split on ``,`` yields fragments. :func:`split_entries` re-joins a fragment
to the entry before it while that entry has fewer fields than the header declares
(and the join does not exceed the declared count), or when the fragment has no
``|`` at all (a comma inside the last field).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence
from urllib.parse import unquote

# ----------------------------------------------------------------------------------------------
# Consequence vocabulary

#: Sequence Ontology consequence terms, most severe first (Ensembl VEP's order, with the
#: SnpEff-only terms exon_loss_variant, splice_site_variant, rare_amino_acid_variant and
#: initiator_codon_variant inserted where their meaning puts them). Terms not listed rank last.
SEVERITY: tuple[str, ...] = (
    "transcript_ablation",
    "exon_loss_variant",
    "splice_acceptor_variant",
    "splice_donor_variant",
    "splice_site_variant",
    "stop_gained",
    "frameshift_variant",
    "stop_lost",
    "start_lost",
    "transcript_amplification",
    "feature_elongation",
    "feature_truncation",
    "inframe_insertion",
    "inframe_deletion",
    "missense_variant",
    "rare_amino_acid_variant",
    "protein_altering_variant",
    "splice_donor_5th_base_variant",
    "splice_region_variant",
    "splice_donor_region_variant",
    "splice_polypyrimidine_tract_variant",
    "incomplete_terminal_codon_variant",
    "initiator_codon_variant",
    "start_retained_variant",
    "stop_retained_variant",
    "synonymous_variant",
    "coding_sequence_variant",
    "mature_miRNA_variant",
    "5_prime_UTR_premature_start_codon_gain_variant",
    "5_prime_UTR_variant",
    "3_prime_UTR_variant",
    "non_coding_transcript_exon_variant",
    "intron_variant",
    "NMD_transcript_variant",
    "non_coding_transcript_variant",
    "coding_transcript_variant",
    "upstream_gene_variant",
    "downstream_gene_variant",
    "TFBS_ablation",
    "TFBS_amplification",
    "TF_binding_site_variant",
    "regulatory_region_ablation",
    "regulatory_region_amplification",
    "regulatory_region_variant",
    "intragenic_variant",
    "intergenic_variant",
    "sequence_variant",
)
_RANK = {t: i for i, t in enumerate(SEVERITY)}

#: Consequences that change the protein: what a small-variant finding must have.
PROTEIN_ALTERING: frozenset[str] = frozenset({
    "transcript_ablation",
    "exon_loss_variant",
    "splice_acceptor_variant",
    "splice_donor_variant",
    "splice_site_variant",
    "stop_gained",
    "frameshift_variant",
    "stop_lost",
    "start_lost",
    "inframe_insertion",
    "inframe_deletion",
    "missense_variant",
    "rare_amino_acid_variant",
    "protein_altering_variant",
})

_HIGH = {"transcript_ablation", "exon_loss_variant", "splice_acceptor_variant", "splice_donor_variant",
         "splice_site_variant", "stop_gained", "frameshift_variant", "stop_lost", "start_lost",
         "transcript_amplification", "feature_elongation", "feature_truncation"}
_MODERATE = {"inframe_insertion", "inframe_deletion", "missense_variant", "rare_amino_acid_variant",
             "protein_altering_variant", "regulatory_region_ablation"}
_LOW = {"splice_donor_5th_base_variant", "splice_region_variant", "splice_donor_region_variant",
        "splice_polypyrimidine_tract_variant", "incomplete_terminal_codon_variant", "initiator_codon_variant",
        "start_retained_variant", "stop_retained_variant", "synonymous_variant"}

# SnpEff / bcftools csq / Funcotator names -> SO terms.
_SYNONYMS: dict[str, str] = {
    # SnpEff
    "conservative_inframe_insertion": "inframe_insertion",
    "disruptive_inframe_insertion": "inframe_insertion",
    "conservative_inframe_deletion": "inframe_deletion",
    "disruptive_inframe_deletion": "inframe_deletion",
    "intergenic_region": "intergenic_variant",
    "non_coding_exon_variant": "non_coding_transcript_exon_variant",
    "5_prime_UTR_truncation": "5_prime_UTR_variant",
    "3_prime_UTR_truncation": "3_prime_UTR_variant",
    "exon_variant": "coding_sequence_variant",
    # bcftools csq
    "intergenic": "intergenic_variant",
    "intron": "intron_variant",
    "splice_region": "splice_region_variant",
    "splice_acceptor": "splice_acceptor_variant",
    "splice_donor": "splice_donor_variant",
    "start_retained": "start_retained_variant",
    "stop_retained": "stop_retained_variant",
    "synonymous": "synonymous_variant",
    "missense": "missense_variant",
    "inframe_altering": "protein_altering_variant",
    "frameshift": "frameshift_variant",
    "5_prime_utr": "5_prime_UTR_variant",
    "3_prime_utr": "3_prime_UTR_variant",
    "non_coding": "non_coding_transcript_variant",
    "coding_sequence": "coding_sequence_variant",
}

# Funcotator variant classifications (MAF vocabulary) -> SO terms.
_FUNCOTATOR: dict[str, str] = {
    "MISSENSE": "missense_variant",
    "NONSENSE": "stop_gained",
    "NONSTOP": "stop_lost",
    "FRAME_SHIFT_INS": "frameshift_variant",
    "FRAME_SHIFT_DEL": "frameshift_variant",
    "IN_FRAME_INS": "inframe_insertion",
    "IN_FRAME_DEL": "inframe_deletion",
    "SPLICE_SITE": "splice_site_variant",
    "START_CODON_SNP": "start_lost",
    "START_CODON_INS": "start_lost",
    "START_CODON_DEL": "start_lost",
    "DE_NOVO_START_IN_FRAME": "5_prime_UTR_premature_start_codon_gain_variant",
    "DE_NOVO_START_OUT_FRAME": "5_prime_UTR_premature_start_codon_gain_variant",
    "SILENT": "synonymous_variant",
    "INTRON": "intron_variant",
    "FIVE_PRIME_UTR": "5_prime_UTR_variant",
    "THREE_PRIME_UTR": "3_prime_UTR_variant",
    "FIVE_PRIME_FLANK": "upstream_gene_variant",
    "THREE_PRIME_FLANK": "downstream_gene_variant",
    "IGR": "intergenic_variant",
    "RNA": "non_coding_transcript_exon_variant",
    "LINCRNA": "non_coding_transcript_exon_variant",
    "COULD_NOT_DETERMINE": "sequence_variant",
}


def so_term(name: str) -> str:
    """An annotator's consequence name as an SO term (unknown names unchanged)."""
    n = name.strip()
    return _SYNONYMS.get(n, n)


def severity_rank(terms: Iterable[str]) -> int:
    """Rank of the most severe term (0 = most severe; unknown terms rank last)."""
    return min((_RANK.get(t, len(SEVERITY)) for t in terms), default=len(SEVERITY) + 1)


def impact_of(terms: Iterable[str]) -> str:
    """VEP-style impact class of the most severe term."""
    ts = set(terms)
    if ts & _HIGH:
        return "HIGH"
    if ts & _MODERATE:
        return "MODERATE"
    if ts & _LOW:
        return "LOW"
    return "MODIFIER"


def is_protein_altering(terms: Iterable[str]) -> bool:
    return any(t in PROTEIN_ALTERING for t in terms)


# ----------------------------------------------------------------------------------------------
# Protein changes

_AA3 = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly",
    "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser",
    "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "U": "Sec", "O": "Pyl", "*": "Ter", "X": "Ter",
}


def _aa3(seq: str) -> str:
    return "".join(_AA3.get(c, c) for c in seq)


def normalise_hgvsp(value: str | None) -> str | None:
    """The ``p.`` part of a protein change in 3-letter code.

    ``ENSP00000269305.4:p.Arg72Pro`` -> ``p.Arg72Pro``; ``p.Gly12%3D`` -> ``p.Gly12=``;
    ``p.Arg248*`` -> ``p.Arg248Ter``; 1-letter ``p.R72P`` / ``p.R248*`` / ``p.E217del`` /
    ``p.ERQERL217del`` (Funcotator) -> 3-letter. Anything else is returned unchanged.
    """
    if value is None:
        return None
    v = unquote(value.strip())
    if not v or v in (".", "-"):
        return None
    if ":p." in v:
        v = v[v.index(":p.") + 1:]
    if not v.startswith("p."):
        return v
    body = v[2:]
    paren = body.startswith("(") and body.endswith(")")
    if paren:
        body = body[1:-1]
    m = re.fullmatch(r"([A-Z*])(\d+)([A-Z*=?]|fs\*?\d*|fs|del|dup)", body)
    if m:
        a, pos, rest = m.groups()
        if len(rest) == 1 and rest not in "=?":
            rest = _aa3(rest)
        elif rest.startswith("fs"):
            rest = "fs" + rest[2:].replace("*", "Ter")
        body = f"{_aa3(a)}{pos}{rest}"
    else:
        m = re.fullmatch(r"([A-Z]{2,})(\d+)del", body)
        if m:
            seq, pos = m.group(1), int(m.group(2))
            body = f"{_aa3(seq[0])}{pos}_{_aa3(seq[-1])}{pos + len(seq) - 1}del"
        else:
            body = re.sub(r"(?<=[a-z0-9])\*", "Ter", body)
            body = re.sub(r"^([A-Z][a-z]{2}\d+)\*$", r"\1Ter", body)
    return f"p.({body})" if paren else f"p.{body}"


def _bcsq_protein(change: str | None) -> str | None:
    """bcftools csq ``amino_acid_change`` (``113F>113C``, ``210S>210*``, ``60S``) as HGVS p."""
    if not change:
        return None
    m = re.fullmatch(r"(\d+)([A-Z*])>(\d+)([A-Z*])", change)
    if m and m.group(1) == m.group(3):
        return f"p.{_aa3(m.group(2))}{m.group(1)}{_aa3(m.group(4))}"
    m = re.fullmatch(r"(\d+)([A-Z*])", change)
    if m:
        return f"p.{_aa3(m.group(2))}{m.group(1)}="
    return change  # complex (multi-residue) changes are kept as bcftools wrote them


def _first_int(value: str | None) -> int | None:
    if not value:
        return None
    m = re.search(r"\d+", value)
    return int(m.group()) if m else None


# ----------------------------------------------------------------------------------------------
# The normalised record

@dataclass
class Annotation:
    """One consequence of one allele on one transcript, in one vocabulary."""

    source: str  # VEP | SnpEff | BCSQ | Funcotator
    allele: str | None = None
    gene: str | None = None
    transcript: str | None = None
    biotype: str | None = None
    consequence: list[str] = field(default_factory=list)
    impact: str | None = None
    hgvsc: str | None = None
    hgvsp: str | None = None
    protein_position: int | None = None
    population_af: float | None = None
    existing: list[str] = field(default_factory=list)
    canonical: bool | None = None  # None: the annotator does not say
    mane: bool = False
    allele_num: int | None = None  # VEP ALLELE_NUM (1-based ALT index) where written
    backref: int | None = None  # BCSQ '@POS' entry not resolved

    @property
    def protein_altering(self) -> bool:
        return is_protein_altering(self.consequence)

    @property
    def rank(self) -> int:
        return severity_rank(self.consequence)


def _protein_coding(a: Annotation) -> bool:
    return (a.biotype or "").lower() in ("protein_coding", "protein-coding", "mrna")


def select_transcript(entries: Sequence[Annotation], genes: Iterable[str] | None = None) -> Annotation | None:
    """The one annotation reported for a variant allele.

    Rule (documented, applied in this order):

    0. if ``genes`` is given and some entries are on one of those genes (the panel),
       only those entries compete;
    1. canonical first: MANE Select, then VEP ``CANONICAL=YES``; among several, the most
       severe consequence, then the first listed;
    2. otherwise protein-coding transcripts with the most severe consequence;
    3. otherwise the entry with the most severe consequence, first listed on ties
       (an annotator's own first choice, e.g. Funcotator's, wins every tie).
    """
    pool = [e for e in entries if e.consequence or e.gene]
    if not pool:
        return None
    if genes is not None:
        gs = set(genes)
        mine = [e for e in pool if e.gene in gs]
        if mine:
            pool = mine
    for subset in ([e for e in pool if e.mane], [e for e in pool if e.canonical],
                   [e for e in pool if _protein_coding(e)], pool):
        if subset:
            return min(subset, key=lambda e: e.rank)  # min is stable: first listed on ties
    return None


# ----------------------------------------------------------------------------------------------
# Header: which INFO tags carry which annotation

@dataclass(frozen=True)
class AnnotationField:
    tag: str
    kind: str  # VEP | SnpEff | BCSQ | Funcotator
    fields: tuple[str, ...]

    def index(self, *names: str) -> int | None:
        low = [f.lower() for f in self.fields]
        for n in names:
            if n.lower() in low:
                return low.index(n.lower())
        return None


_KIND_ORDER = ("VEP", "SnpEff", "Funcotator", "BCSQ")


def field_list(description: str) -> tuple[str | None, tuple[str, ...]]:
    """The kind of annotation and its field names, from an INFO Description."""
    m = re.search(r"Funcotation fields are:\s*(.+)$", description)
    if m:
        return "Funcotator", tuple(f.strip() for f in m.group(1).strip().strip("'\"").split("|"))
    m = re.search(r"Format:\s*'?([^'\"]+)'?", description) or re.search(
        r"Functional annotations:\s*'([^']+)'", description)
    if not m:
        return None, ()
    fields = tuple(f.strip() for f in m.group(1).strip().split("|"))
    if not fields or not fields[0]:
        return None, ()
    if fields[0] == "Allele" and "Consequence" in fields:
        return "VEP", fields
    if fields[0] == "Allele" and "Annotation" in fields:
        return "SnpEff", fields
    if fields[0] == "Consequence" and "gene" in fields and "transcript" in fields:
        return "BCSQ", fields
    return None, fields


def annotation_fields(header_text: str) -> list[AnnotationField]:
    """Annotation tags declared in a VCF header, most informative kind first."""
    found: list[AnnotationField] = []
    for line in header_text.splitlines():
        if not line.startswith("##INFO=<"):
            continue
        mid = re.search(r"ID=([^,>]+)", line)
        mdesc = re.search(r'Description="(.*)"\s*(,[^"]*)?>\s*$', line)
        if not mid or not mdesc:
            continue
        kind, fields = field_list(mdesc.group(1))
        if kind:
            found.append(AnnotationField(mid.group(1), kind, fields))
    found.sort(key=lambda f: _KIND_ORDER.index(f.kind))
    return found


# ----------------------------------------------------------------------------------------------
# Splitting one INFO value into entries

def split_entries(value: str, n_fields: int, *, exact: bool = True) -> list[str]:
    """Split a comma-separated annotation value into entries of ``n_fields`` ``|``-fields.

    Commas inside a field (LOFTEE ``LoF_info``) are healed: a fragment is joined to the
    entry before it when that entry is short of ``n_fields`` and the join does not exceed
    it (``exact``: the annotator writes every field, as VEP and SnpEff do), or when the
    fragment has no ``|`` at all and is not a bcftools ``@POS`` reference.
    """
    out: list[str] = []
    want = n_fields - 1
    for frag in value.split(","):
        if out:
            prev = out[-1].count("|")
            here = frag.count("|")
            if (exact and prev < want and prev + here <= want) or (here == 0 and not frag.startswith("@")):
                out[-1] += "," + frag
                continue
        out.append(frag)
    return [e for e in out if e != ""]


# ----------------------------------------------------------------------------------------------
# Per-annotator parsers

_AF_FIELDS = re.compile(
    r"^(AF|1000G_AF|1000Gp3_AF|ExAC_AF|ExAC_Adj_AF|gnomAD_AF|gnomADe_AF|gnomADg_AF|gnomAD_exomes_AF|"
    r"gnomAD_genomes_AF|gnomAD_exome_AF|gnomAD_genome_AF|gnomAD\d+(\.\d+)*_AF(_raw)?|gnomad_AF|"
    r"dbNSFP_ExAC_AF|dbNSFP_gnomAD_exomes_AF|dbNSFP_gnomAD_genomes_AF|dbNSFP_1000Gp3_AF)$",
    re.IGNORECASE,
)


_SUBPOP_AF_FIELDS = re.compile(
    r"^(MAX_AF|[A-Z]{3}_AF|AA_AF|EA_AF|gnomAD[eg]?_[A-Za-z]{3}_AF|gnomAD\d+(\.\d+)*_AF_(popmax|[a-z]{3}))$")


def is_subpopulation_af_field(name: str) -> bool:
    """VEP's MAX_AF and per-population AFs (1000G AFR_AF.., gnomAD gnomADe_NFE_AF..)."""
    return bool(_SUBPOP_AF_FIELDS.match(name))


def is_population_af_field(name: str) -> bool:
    """Global (not per-population) allele-frequency fields of gnomAD, ExAC and 1000 Genomes.

    Population AF of an entry = the maximum over these fields; only when none of them carries a
    value, the maximum over VEP's MAX_AF and the per-population fields (a common SNP annotated with
    population frequencies only must still be recognised as common).
    """
    return bool(_AF_FIELDS.match(name))


def _max_af(values: Iterable[str]) -> float | None:
    best: float | None = None
    for v in values:
        for part in re.split(r"[&,]", v or ""):
            try:
                x = float(part)
            except ValueError:
                continue
            if 0.0 <= x <= 1.0 and (best is None or x > best):
                best = x
    return best


def _get(values: Sequence[str], i: int | None) -> str | None:
    if i is None or i >= len(values):
        return None
    v = values[i].strip()
    return v or None


def parse_vep(fld: AnnotationField, entry: str) -> Annotation:
    vals = entry.split("|")
    g = lambda *names: _get(vals, fld.index(*names))  # noqa: E731
    csq = [so_term(t) for t in (g("Consequence") or "").split("&") if t]
    af_idx = [i for i, n in enumerate(fld.fields) if is_population_af_field(n)]
    sub_idx = [i for i, n in enumerate(fld.fields) if is_subpopulation_af_field(n)]
    paf = _max_af(vals[i] for i in af_idx if i < len(vals))
    if paf is None:  # only per-population frequencies written (e.g. --af_1kg without the global AF)
        paf = _max_af(vals[i] for i in sub_idx if i < len(vals))
    mane = bool(g("MANE_SELECT") or (g("MANE") or "").startswith("MANE_Select"))
    canonical_val = g("CANONICAL")
    existing = [x for x in (g("Existing_variation") or "").split("&") if x]
    return Annotation(
        source="VEP",
        allele=g("Allele"),
        gene=g("SYMBOL") or g("Gene"),
        transcript=g("Feature"),
        biotype=g("BIOTYPE"),
        consequence=csq,
        impact=g("IMPACT") or (impact_of(csq) if csq else None),
        hgvsc=unquote(g("HGVSc") or "") or None,
        hgvsp=normalise_hgvsp(g("HGVSp")),
        protein_position=_first_int(g("Protein_position")),
        population_af=paf,
        existing=existing,
        canonical=True if (canonical_val or "").upper() == "YES" or mane else
        (False if fld.index("CANONICAL") is not None else None),
        mane=mane,
        allele_num=_first_int(g("ALLELE_NUM")),
    )


def parse_snpeff(fld: AnnotationField, entry: str) -> Annotation:
    vals = entry.split("|")
    g = lambda *names: _get(vals, fld.index(*names))  # noqa: E731
    csq = [so_term(t) for t in (g("Annotation") or "").split("&") if t]
    aa = g("AA.pos / AA.length")
    return Annotation(
        source="SnpEff",
        allele=g("Allele"),
        gene=g("Gene_Name"),
        transcript=g("Feature_ID"),
        biotype=g("Transcript_BioType"),
        consequence=csq,
        impact=g("Annotation_Impact"),
        hgvsc=g("HGVS.c"),
        hgvsp=normalise_hgvsp(g("HGVS.p")),
        protein_position=_first_int(aa.split("/")[0] if aa else None),
    )


def parse_bcsq(fld: AnnotationField, entry: str) -> Annotation:
    if entry.startswith("@"):
        return Annotation(source="BCSQ", backref=_first_int(entry))
    vals = entry.split("|")
    g = lambda *names: _get(vals, fld.index(*names))  # noqa: E731
    terms: list[str] = []
    for t in (g("Consequence") or "").split("&"):
        t = t.lstrip("*")  # '*': downstream of a stop or frameshift on the same haplotype
        if t:
            terms.append(so_term(t))
    aa = g("amino_acid_change")
    return Annotation(
        source="BCSQ",
        gene=g("gene"),
        transcript=g("transcript"),
        biotype=g("biotype"),
        consequence=terms,
        impact=impact_of(terms) if terms else None,
        hgvsc=g("dna_change"),
        hgvsp=_bcsq_protein(aa),
        protein_position=_first_int(aa),
    )


def _funco_unescape(v: str) -> str:
    return re.sub(r"_(%[0-9A-Fa-f]{2})_", lambda m: unquote(m.group(1)), v)


def parse_funcotation(fld: AnnotationField, entry: str) -> Annotation:
    vals = [_funco_unescape(v) for v in entry.strip().lstrip("[").rstrip("]").split("|")]

    def g(suffix: str) -> str | None:
        for i, n in enumerate(fld.fields):
            if n.endswith(suffix):
                return _get(vals, i)
        return None

    cls = [g("_variantClassification"), g("_secondaryVariantClassification")]
    terms = [_FUNCOTATOR.get(c.upper(), c) for c in cls if c]
    af_idx = [i for i, n in enumerate(fld.fields) if is_population_af_field(n)]
    rs = g("dbSNP_RS") or g("dbSNP_ID")
    existing = [f"rs{rs}" if rs and rs.isdigit() else rs] if rs else []
    return Annotation(
        source="Funcotator",
        allele=g("_tumorSeqAllele2"),
        gene=g("_hugoSymbol"),
        transcript=g("_annotationTranscript"),
        biotype=None,
        consequence=terms,
        impact=impact_of(terms) if terms else None,
        hgvsc=g("_cDnaChange"),
        hgvsp=normalise_hgvsp(g("_proteinChange")),
        protein_position=_first_int((g("_proteinChange") or "").lstrip("p.")),
        population_af=_max_af(vals[i] for i in af_idx if i < len(vals)),
        existing=[e for e in existing if e],
        canonical=None,
    )


# ----------------------------------------------------------------------------------------------
# Allele matching and the record-level entry point

def vep_alleles(ref: str, alts: Sequence[str]) -> list[str]:
    """Alleles as VEP writes them: the shared first base trimmed from all alleles, '-' if empty."""
    alleles = [ref, *alts]
    plain = [a for a in alleles if re.fullmatch(r"[ACGTNacgtn]+", a)]
    if len(plain) == len(alleles) and len({a[0].upper() for a in alleles}) == 1 and any(
            len(a) != len(ref) for a in alts):
        return [a[1:] or "-" for a in alts]
    return list(alts)


class Annotator:
    """Reads the annotation tags a header declares and annotates records allele by allele.

    ``info_get(tag)`` returns a record's raw INFO value (or None). BCSQ back-references
    are resolved from the last ``backref_cache`` records that carried BCSQ entries (a
    bounded cache: memory does not grow with the file).
    """

    def __init__(self, header_text: str, *, backref_cache: int = 5000):
        self.fields = annotation_fields(header_text)
        self._bcsq: OrderedDict[tuple[str, int], list[Annotation]] = OrderedDict()
        self._cache_size = backref_cache

    @property
    def annotated(self) -> bool:
        return bool(self.fields)

    @property
    def kinds(self) -> list[str]:
        return [f"{f.kind} (INFO/{f.tag})" for f in self.fields]

    def entries(self, fld: AnnotationField, value: str) -> list[Annotation]:
        """All entries of one INFO value, parsed."""
        if fld.kind == "Funcotator":
            chunks = [c for c in re.split(r"\]\s*[,#]\s*\[", value.strip()) if c]
            return [parse_funcotation(fld, c) for c in chunks]
        parser: Callable[[AnnotationField, str], Annotation] = {
            "VEP": parse_vep, "SnpEff": parse_snpeff, "BCSQ": parse_bcsq}[fld.kind]
        return [parser(fld, e) for e in split_entries(value, len(fld.fields), exact=fld.kind != "BCSQ")]

    def annotate(self, info_get: Callable[[str], object], chrom: str, pos: int, ref: str,
                 alts: Sequence[str]) -> tuple[list[list[Annotation]], str | None]:
        """Per ALT allele, its annotation entries; and which tag gave them (None: unannotated record)."""
        for fld in self.fields:
            raw = info_get(fld.tag)
            if raw is None or raw == "" or raw == ".":
                continue
            value = raw if isinstance(raw, str) else ",".join(map(str, raw))
            parsed = self.entries(fld, value)
            if fld.kind == "BCSQ":
                return self._bcsq_alleles(chrom, pos, parsed, len(alts)), fld.tag
            if fld.kind == "Funcotator":
                chunks = re.split(r"\]\s*,\s*\[", value.strip())
                if len(chunks) == len(alts):
                    per = [[parse_funcotation(fld, c2) for c2 in re.split(r"\]\s*#\s*\[", c) if c2]
                           for c in chunks]
                    return per, fld.tag
                return [parsed for _ in alts], fld.tag
            return self._by_allele(fld, parsed, ref, alts), fld.tag
        return [[] for _ in alts], None

    @staticmethod
    def _by_allele(fld: AnnotationField, parsed: list[Annotation], ref: str,
                   alts: Sequence[str]) -> list[list[Annotation]]:
        trimmed = vep_alleles(ref, alts) if fld.kind == "VEP" else list(alts)
        numbered = len(alts) > 1 and any(e.allele_num is not None for e in parsed)
        out: list[list[Annotation]] = []
        for i, alt in enumerate(alts):
            if numbered:  # VEP ALLELE_NUM is unambiguous where written
                mine = [e for e in parsed if e.allele_num == i + 1]
            else:
                mine = [e for e in parsed if e.allele in (alt, trimmed[i])]
            if not mine and len(alts) == 1:
                # single ALT: every entry is about it, except SnpEff cancer-mode 'ALT-REF' comparisons
                mine = [e for e in parsed if not (e.allele and "-" in e.allele.strip("-"))]
            out.append(mine)
        return out

    def _bcsq_alleles(self, chrom: str, pos: int, parsed: list[Annotation], n_alts: int) -> list[list[Annotation]]:
        resolved: list[Annotation] = []
        for e in parsed:
            if e.backref is not None:
                target = self._bcsq.get((chrom, e.backref))
                if target:
                    resolved.extend(target)
                else:
                    resolved.append(e)
            else:
                resolved.append(e)
        own = [e for e in parsed if e.backref is None]
        if own:
            self._bcsq[(chrom, pos)] = own
            while len(self._bcsq) > self._cache_size:
                self._bcsq.popitem(last=False)
        # bcftools csq is haplotype-aware, not allele-specific: entries apply to every ALT
        return [list(resolved) for _ in range(n_alts)]


def population_af(entries: Iterable[Annotation]) -> float | None:
    """The largest population allele frequency any entry of an allele carries."""
    vals = [e.population_af for e in entries if e.population_af is not None]
    return max(vals) if vals else None


def existing_ids(entries: Iterable[Annotation]) -> list[str]:
    seen: dict[str, None] = {}
    for e in entries:
        for x in e.existing:
            seen.setdefault(x, None)
    return list(seen)


def info_population_af(header_text: str) -> list[str]:
    """INFO tags of a header that carry a global population AF (e.g. ``gnomAD_AF`` from vcfanno)."""
    tags = re.findall(r"^##INFO=<ID=([^,>]+)", header_text, flags=re.M)
    return [t for t in tags if t != "AF" and is_population_af_field(t)]


__all__ = [
    "Annotation", "AnnotationField", "Annotator", "PROTEIN_ALTERING", "SEVERITY", "annotation_fields",
    "existing_ids", "field_list", "impact_of", "info_population_af", "is_population_af_field",
    "is_protein_altering", "normalise_hgvsp", "parse_bcsq", "parse_funcotation", "parse_snpeff",
    "parse_vep", "population_af", "select_transcript", "severity_rank", "so_term", "split_entries",
    "vep_alleles",
]
