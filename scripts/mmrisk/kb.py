"""The therapy-relevance knowledge base: load, match, and the per-class therapy view.

Research use only: the knowledge base states which published evidence links an alteration
to a drug class; the workflow never recommends a treatment.

* :func:`load_knowledge_base` reads ``resources/knowledge_base.tsv`` (version and date from
  its ``# version: ... date: ...`` header), validates every row against
  ``workflow/schemas/knowledge_base.schema.yaml`` and against the other vocabularies (drug
  classes of the contract, genes of ``resources/panel_genes.tsv`` for variant rules, lesion
  ids), and raises one :class:`InputError` listing every problem.
* :func:`match_all` turns the typed records of one sample — small variants (``snv.SmallVariant``),
  gene copy-number states (``cnv.GeneState``) and merged lesion calls (``lesions.LesionCall``) —
  into :class:`Finding` records (the contract's ``findings``) and the rule ids each variant matched
  (``kb_match`` of variants.tsv). Variants flagged ``polymorphism`` or ``benign_list`` never match;
  matches on variants below the VAF floor are kept apart (``below_floor``), never findings.
* :func:`therapy_view` gives one :class:`TherapyRow` per drug class of the contract, with the rules
  that cover the class (``covers``) and whether the class is covered at all (``coverage``).
* :func:`load_driver_genes` (:mod:`mmrisk.drivers`, re-exported): myeloma driver genes, context only.

Match kinds (column ``match_kind``; ``workflow/schemas/knowledge_base.schema.yaml`` and the table's header
document each): ``hgvsp`` (substitutions and in-frame deletions), ``codon``, ``consequence_class``,
``gene_loss`` / ``gene_biallelic_loss`` (the copy-number state), ``lesion``, and the combined ``biallelic``
(one allele lost, a variant of the named class on the other) and ``double_hit`` (TP53, Walker et al. 2019;
it reads the ISS stage, ``iss_stage`` of :func:`match_all`). A deletion in the sample's SV file that spans
the whole gene (``sv_losses`` of :func:`match_all`, made by :func:`mmrisk.svloss.sv_gene_losses`) is one lost
allele: it fires ``gene_loss`` rules of state ``deletion``, is the first hit of ``biallelic`` rules and the
TP53 copy loss of the Double-Hit; it never makes a biallelic deletion on its own or with a one-copy
copy-number loss (the same allele seen twice).

Each rule carries a ``source_kind``: ``primary`` (the study), ``review`` or ``abstract``. Effect ``negative``
marks evidence that points against an association: such findings are listed in the class's ``negative``
notes and never change its status.

Assessment (``assessed`` in the therapy view): a class is assessed when at least one input
kind that one of its rules reads was available: small variants (``inputs_read`` contains
``SNV``), gene copy number (``CNV``, and the gene is covered: state not ``not_covered``), or a
lesion rule whose lesion is not ``not_assessed``. A class without any assessable rule (or
without any rule in this knowledge base) gets ``status: no_finding`` with ``assessed: false``:
"no finding" then means "nothing could be looked at", and the report must say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .aminoacids import ONE_TO_THREE
from .aminoacids import THREE_LETTER as _AA3
from .aminoacids import normalise_hgvsp as _normalise_hgvsp
from .clinical import DRUG_CLASSES
from .errors import InputError, InputProblem
from .cnv import GeneState
from .lesions import LESION_IDS, LesionCall
from .resources import shipped
from .drivers import DEFAULT_DRIVERS, load_driver_genes
from .snv import SmallVariant
from .svloss import SvGeneLoss
from .tables import header_fields, load_schema, read_tsv, validate_rows

DEFAULT_KB = shipped("knowledge_base")
DEFAULT_PANEL = shipped("panel_genes")

MATCH_KINDS: tuple[str, ...] = ("hgvsp", "codon", "consequence_class", "gene_loss", "gene_biallelic_loss", "lesion",
                                "biallelic", "double_hit")
VARIANT_KINDS: frozenset[str] = frozenset({"hgvsp", "codon", "consequence_class"})
CNV_KINDS: frozenset[str] = frozenset({"gene_loss", "gene_biallelic_loss"})
COMBINED_KINDS: frozenset[str] = frozenset({"biallelic", "double_hit"})
EFFECTS: tuple[str, ...] = ("resistance", "sensitivity", "investigational", "prognostic", "negative")
SOURCE_KINDS: tuple[str, ...] = ("primary", "review", "abstract")
EVIDENCE: tuple[str, ...] = ("clinical", "preclinical", "investigational")

#: Sequence Ontology terms of each consequence class.
CONSEQUENCE_CLASSES: dict[str, frozenset[str]] = {
    "truncating": frozenset({"stop_gained", "frameshift_variant", "splice_acceptor_variant",
                             "splice_donor_variant", "start_lost"}),
    "missense": frozenset({"missense_variant"}),
}
#: Variants carrying one of these flags are never findings.
EXCLUDING_FLAGS: frozenset[str] = frozenset({"polymorphism", "benign_list"})
LOSS_STATES: dict[str, frozenset[str]] = {
    "gene_loss": frozenset({"deletion", "biallelic_deletion"}),
    "gene_biallelic_loss": frozenset({"biallelic_deletion"}),
}

_HGVSP_RULE = re.compile(rf"^p\.({_AA3})(\d+)({_AA3}|Ter|\*)$")
#: An in-frame deletion of one residue or a range: ``p.Ser30del``, ``p.Pro34_Ser35del``.
_HGVSP_DEL_RULE = re.compile(rf"^p\.({_AA3})(\d+)(?:_({_AA3})(\d+))?del$")
_BIALLELIC_RULE = re.compile(r"^(truncating|missense)(\|(truncating|missense))?$")
#: The copy-number state of one lost allele (the ``biallelic`` kind's first hit).
ONE_COPY_LOSS = "deletion"
_CODON_RULE = re.compile(rf"^p\.({_AA3})(\d+)$")
_CLASS_RULE = re.compile(r"^(truncating|missense)(?::(\d+)-(\d+))?$")
_HGVSP_POS = re.compile(rf"^p\.({_AA3}|Ter|\*)(\d+)")
#: The knowledge base's header fields (``# version: X.Y.Z  date: YYYY-MM-DD``) and their forms.
_HEADER_FIELDS = {"version": r"\S+", "date": r"\d{4}-\d{2}-\d{2}"}
_CITATION = re.compile(r"^(?P<author>[A-Z][^;,]*) et al\., (?P<journal>[^;]*?) (?P<year>(19|20)\d{2})$")
_ID = re.compile(r"^(PMID \d+|DOI 10\.\d{4,9}/\S+)$")

#: PSMB5: the mature beta5 subunit starts at precursor (canonical transcript) residue 60.
PSMB5_MATURE_OFFSET = 59


@dataclass(frozen=True)
class Rule:
    id: str
    gene_or_lesion: str
    match_kind: str
    match: str
    alias: str
    drug_class: str | None
    effect: str
    evidence: str
    citations: tuple[str, ...]
    note: str
    line: int
    source_kind: str = "primary"

    @property
    def input_kind(self) -> str:
        """``SNV``, ``CNV``, ``SNV+CNV`` (biallelic) or ``lesion``: the input the rule reads."""
        if self.match_kind in VARIANT_KINDS:
            return "SNV"
        if self.match_kind in CNV_KINDS:
            return "CNV"
        if self.match_kind == "biallelic":
            return "SNV+CNV"
        return "lesion"

    def describe(self) -> str:
        """``NRAS p.Gly12 (codon, resistance, clinical, primary)``: what the rule covers, for the class view."""
        what = self.match if self.match_kind != "lesion" else ""
        head = f"{self.gene_or_lesion} {what}".strip()
        return f"{head} ({self.match_kind}, {self.effect}, {self.evidence}, {self.source_kind})"


@dataclass(frozen=True)
class KnowledgeBase:
    path: str
    version: str
    date: str
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def rules_for_class(self, drug_class: str) -> list[Rule]:
        return [r for r in self.rules if r.drug_class == drug_class]


# ---------------------------------------------------------------------------------------
# helpers


def psmb5_mature_to_hgvs(mature: str) -> str:
    """Mature-subunit PSMB5 name (``A49T``/``Ala49Thr``) to HGVS on the precursor (``p.Ala108Thr``)."""
    m = re.fullmatch(r"([A-Z])(\d+)([A-Z])", mature) or re.fullmatch(rf"({_AA3})(\d+)({_AA3})", mature)
    if not m:
        raise ValueError(f"not a protein change like A49T or Ala49Thr: {mature!r}")
    ref, pos, alt = m.group(1), int(m.group(2)), m.group(3)
    ref, alt = ONE_TO_THREE.get(ref, ref), ONE_TO_THREE.get(alt, alt)
    return f"p.{ref}{pos + PSMB5_MATURE_OFFSET}{alt}"


def hgvs_to_psmb5_mature(hgvsp: str) -> str:
    """``p.Ala108Thr`` to the mature-subunit name ``Ala49Thr``."""
    m = _HGVSP_RULE.match(normalise_hgvsp(hgvsp) or "")
    if not m or int(m.group(2)) <= PSMB5_MATURE_OFFSET:
        raise ValueError(f"not a change in the mature PSMB5 subunit: {hgvsp!r}")
    return f"{m.group(1)}{int(m.group(2)) - PSMB5_MATURE_OFFSET}{m.group(3)}"


def normalise_hgvsp(hgvsp: str | None) -> str | None:
    """:func:`mmrisk.aminoacids.normalise_hgvsp` without predicted-change parentheses.

    ``ENSP00000355225.2:p.(Ala108Thr)`` -> ``p.Ala108Thr``: the form the rules are written in.
    """
    return _normalise_hgvsp(hgvsp, strip_parentheses=True)


def split_citations(cell: str) -> list[str]:
    """Split ``A et al., J 2020; PMID 1; B et al., K 2021; DOI 10.1/x`` into one string per citation."""
    out: list[str] = []
    for part in (p.strip() for p in cell.split(";")):
        if not part:
            continue
        if _ID.match(part) and out:
            out[-1] += f"; {part}"
        else:
            out.append(part)
    return out


def citation_complete(citation: str) -> bool:
    """Author, journal, year and at least one PMID or DOI."""
    parts = [p.strip() for p in citation.split(";")]
    return bool(_CITATION.match(parts[0])) and len(parts) > 1 and all(_ID.match(p) for p in parts[1:])


def _panel_genes(path: Path) -> set[str]:
    return {row.cells["gene"] for row in read_tsv(path, required_columns=("gene",)).rows}


# ---------------------------------------------------------------------------------------
# loading


def _match_problems(kind: str, target: str, what: str, genes: set[str], panel: str) -> list[tuple[str, str, str, str]]:
    """(column, message, value, expected) for a rule's target and match value, per match kind."""
    out: list[tuple[str, str, str, str]] = []
    if kind == "lesion":
        if target not in LESION_IDS:
            out.append(("gene_or_lesion", "unknown lesion id", target, "one of " + ", ".join(LESION_IDS)))
        if what != target:
            out.append(("match", "a lesion rule matches its own lesion id", what, target))
    else:
        if target not in genes:
            out.append(("gene_or_lesion", "gene not in the panel", target,
                f"a gene of {panel} ({', '.join(sorted(genes))})"))
        if kind == "hgvsp" and not (_HGVSP_RULE.match(what) or _HGVSP_DEL_RULE.match(what)):
            out.append(("match", "not an HGVS protein substitution or in-frame deletion", what,
                "e.g. p.Ala108Thr, p.Arg196Ter or p.Ser30del"))
        elif kind == "biallelic" and not _BIALLELIC_RULE.match(what):
            out.append(("match", "not the variant class(es) of a biallelic rule", what,
                "truncating, missense or truncating|missense"))
        elif kind == "double_hit" and (what != "double_hit" or target != "TP53"):
            out.append(("match", "a double_hit rule is the TP53 Double-Hit", f"{target} {what}", "TP53 double_hit"))
        elif kind == "codon" and not _CODON_RULE.match(what):
            out.append(("match", "not a codon", what, "e.g. p.Gly12 or p.Gln61"))
        elif kind == "consequence_class":
            m = _CLASS_RULE.match(what)
            if not m or (m.group(2) and int(m.group(2)) > int(m.group(3))):
                out.append(("match", "not a consequence class", what,
                    "truncating or missense, optionally with a protein range like missense:20-54"))
        elif kind in CNV_KINDS:
            allowed = sorted(LOSS_STATES[kind])
            if what not in allowed:
                out.append(("match", f"not a copy-number state of {kind}", what, " or ".join(allowed)))
    return out


def load_knowledge_base(path: str | Path = DEFAULT_KB, *, panel: str | Path = DEFAULT_PANEL) -> KnowledgeBase:
    """Read and validate the knowledge base; every problem in one :class:`InputError`."""
    p = Path(path)
    name = str(path)
    table = read_tsv(p, required_columns=("id", "gene_or_lesion", "match_kind", "match", "drug_class",
                                           "effect", "evidence", "source_kind", "citations"))
    schema = load_schema("knowledge_base")
    rows, problems = validate_rows(table, schema)
    problems = list(problems)
    fields = header_fields(p, _HEADER_FIELDS)
    version, date = fields.get("version"), fields.get("date")
    if not version or not date:
        problems.append(InputProblem(name, "no '# version: X.Y.Z  date: YYYY-MM-DD' header line",
                                     expected="a comment line giving the knowledge-base version and date"))
    genes = _panel_genes(Path(panel))
    bad_lines = {pr.line for pr in problems if pr.line is not None}
    seen: dict[str, int] = {}
    rules: list[Rule] = []
    for row in rows:
        line = row["_line"]
        if line in bad_lines:
            continue
        before = len(problems)

        def bad(column: str, message: str, value: str, expected: str) -> None:
            problems.append(InputProblem(name, message, line=line, column=column, value=value, expected=expected))

        rid, target, kind, what = row["id"], row["gene_or_lesion"], row["match_kind"], row["match"]
        if rid in seen:
            bad("id", f"duplicated rule id (first on line {seen[rid]})", rid, "a unique id per row")
        seen.setdefault(rid, line)
        drug_class = row.get("drug_class")
        effect = row["effect"]
        if drug_class is not None and drug_class not in DRUG_CLASSES:
            bad("drug_class", "unknown drug class", str(drug_class), "one of " + ", ".join(DRUG_CLASSES))
        if drug_class is None and effect != "prognostic":
            bad("drug_class", f"a drug class is required for effect '{effect}'", "",
                "one of " + ", ".join(DRUG_CLASSES) + " (empty only for prognostic rules)")
        if drug_class is not None and effect == "prognostic":
            bad("drug_class", "a prognostic rule names no drug class", str(drug_class), "an empty cell")
        for column, message, value, expected in _match_problems(kind, target, what, genes, str(panel)):
            bad(column, message, value, expected)
        cites = split_citations(row["citations"])
        incomplete = [c for c in cites if not citation_complete(c)]
        if not cites or incomplete:
            bad("citations", "incomplete citation", "; ".join(incomplete) or row["citations"],
                "'Author et al., Journal Year; PMID n' and/or '; DOI 10.x/y' for every citation")
        if kind == "double_hit" and effect != "prognostic":
            bad("effect", "the Double-Hit is a prognostic rule", effect, "prognostic")
        if len(problems) == before:
            rules.append(Rule(rid, target, kind, what, row.get("alias", ""), drug_class, effect,
                              row["evidence"], tuple(cites), row.get("note", ""), line, row["source_kind"]))
    if problems:
        raise InputError(problems)
    if not rules:
        raise InputError([InputProblem(name, "the knowledge base has no rules")])
    return KnowledgeBase(name, str(version), str(date), tuple(rules))


# ---------------------------------------------------------------------------------------
# matching


def _protein_pos(hgvsp: str | None) -> int | None:
    m = _HGVSP_POS.match(hgvsp or "")
    return int(m.group(2)) if m else None


def _is_synonymous(hgvsp: str | None, consequence: Iterable[str]) -> bool:
    return "synonymous_variant" in set(consequence) or bool(hgvsp and hgvsp.endswith("="))


def _variant_matches(rule: Rule, v: SmallVariant) -> bool:
    if v.gene != rule.gene_or_lesion:
        return False
    csq = set(v.consequence or [])
    hgvsp = normalise_hgvsp(v.hgvsp)
    if _is_synonymous(hgvsp, csq) and not (csq & (CONSEQUENCE_CLASSES["truncating"] | {"missense_variant"})):
        return False
    if rule.match_kind == "hgvsp":
        return hgvsp is not None and hgvsp == rule.match
    if rule.match_kind == "codon":
        if hgvsp is None or "missense_variant" not in csq:
            return False
        m = re.match(rf"^{re.escape(rule.match)}(?!\d)({_AA3})$", hgvsp)
        return bool(m)
    m = _CLASS_RULE.match(rule.match)
    assert m is not None
    if not csq & CONSEQUENCE_CLASSES[m.group(1)]:
        return False
    if m.group(2):
        pos = _protein_pos(hgvsp)
        return pos is not None and int(m.group(2)) <= pos <= int(m.group(3))
    return True


@dataclass(frozen=True)
class Finding:
    """One knowledge-base rule matched by one alteration of the sample (``findings`` of risk.json)."""

    rule: Rule
    gene: str  # the gene, or the lesion id of a lesion rule
    alteration: str  # "p.Gln61Arg", "biallelic_deletion", "t(11;14) present"
    consequence: str | None
    vaf: float | None  # VAF of a variant, fraction of a lesion
    source: str  # "SNV", "CNV", "SV", "SNV+CNV" / "SNV+SV" (a combined rule) or "lesion"
    origin: str = ""  # the record the alteration was read from

    @property
    def effect(self) -> str:
        return self.rule.effect

    @property
    def drug_classes(self) -> list[str]:
        return [self.rule.drug_class] if self.rule.drug_class else []

    def basis(self) -> str:
        """``NRAS p.Gln61Arg (Q61)``: the finding in words, for the therapy view."""
        text = f"{self.gene} {self.alteration}" if self.source != "lesion" else self.alteration
        return text + (f" ({self.rule.alias})" if self.rule.alias else "")

    def to_json(self) -> dict[str, Any]:
        r = self.rule
        return {
            "gene": self.gene, "alteration": self.alteration, "consequence": self.consequence, "vaf": self.vaf,
            "drug_classes": self.drug_classes, "effect": r.effect, "evidence": r.evidence,
            "references": list(r.citations), "alias": r.alias or None, "source": self.source, "rule_id": r.id,
            "origin": self.origin, "source_kind": r.source_kind,
        }


@dataclass
class MatchResult:
    findings: list[Finding]
    below_floor: list[Finding]  # rule matches on variants whose VAF is below the floor
    #: the rule ids each matched variant carries (``kb_match`` of variants.tsv), by the variant's position
    #: in the list given; a rule held below the VAF floor is marked so
    variant_matches: dict[int, list[str]] = field(default_factory=dict)


BELOW_FLOOR_MARK = " (below VAF floor)"


def variant_alteration(v: SmallVariant) -> str:
    """How a variant is named in a finding: its HGVS p., else ``chrom:posREF>ALT``."""
    return normalise_hgvsp(v.hgvsp) or f"{v.chrom}:{v.pos}{v.ref}>{v.alt}"


def _class_variants(variants: Sequence[SmallVariant] | None, gene: str, classes: Iterable[str],
                    vaf_floor: float) -> list[SmallVariant]:
    """The gene's variants of the consequence classes, not excluded and not below the VAF floor."""
    terms = frozenset().union(*(CONSEQUENCE_CLASSES[c] for c in classes))
    return [v for v in variants or [] if v.gene == gene and not EXCLUDING_FLAGS & set(v.flags)
            and terms & set(v.consequence or []) and not (v.vaf is not None and v.vaf < vaf_floor)]


def _present(lesions: Mapping[str, LesionCall] | None, lesion_id: str) -> bool:
    call = (lesions or {}).get(lesion_id)
    return call is not None and call.status == "present"


def _one_copy_lost(gene: str, gene_states: Mapping[str, GeneState] | None,
                   sv_losses: Mapping[str, SvGeneLoss] | None) -> tuple[str, str, str] | None:
    """(alteration, source, origin) of one lost allele: the copy-number state ``deletion``, else an SV deletion."""
    gs = (gene_states or {}).get(gene)
    if gs is not None and gs.state == ONE_COPY_LOSS:
        return ONE_COPY_LOSS, "CNV", gs.origin
    sv = (sv_losses or {}).get(gene)
    return (f"{ONE_COPY_LOSS} (SV)", "SV", sv.origin()) if sv is not None else None


def _biallelic_finding(rule: Rule, variants: Sequence[SmallVariant] | None,
                       gene_states: Mapping[str, GeneState] | None, vaf_floor: float,
                       sv_losses: Mapping[str, SvGeneLoss] | None = None) -> Finding | None:
    """One allele lost (copy number or an SV deletion spanning the gene) and a variant of the rule's class(es)."""
    lost = _one_copy_lost(rule.gene_or_lesion, gene_states, sv_losses)
    hits = _class_variants(variants, rule.gene_or_lesion, rule.match.split("|"), vaf_floor) if variants else []
    if lost is None or not hits:
        return None
    v, (what, source, origin) = hits[0], lost
    return Finding(rule, rule.gene_or_lesion, f"{variant_alteration(v)} + {what}",
                   "&".join(v.consequence) or None, v.vaf, f"SNV+{source}", f"{v.record}; {origin}")


def _double_hit_finding(rule: Rule, variants: Sequence[SmallVariant] | None,
                        gene_states: Mapping[str, GeneState] | None, lesions: Mapping[str, LesionCall] | None,
                        iss_stage: str | None, vaf_floor: float,
                        sv_losses: Mapping[str, SvGeneLoss] | None = None) -> Finding | None:
    """Walker et al. 2019: biallelic TP53 inactivation, or amp(1q) with ISS III."""
    gs = (gene_states or {}).get("TP53")
    muts = _class_variants(variants, "TP53", ("truncating", "missense"), vaf_floor)
    cn_lost = (gs is not None and gs.state in LOSS_STATES["gene_loss"]) or _present(lesions, "del(17p)")
    lost = cn_lost or "TP53" in (sv_losses or {})
    why: list[str] = []
    if gs is not None and gs.state == "biallelic_deletion":
        why.append("TP53 biallelic deletion")
    elif muts and lost:
        how = "TP53 copy loss / del(17p)" if cn_lost else "an SV deletion spanning TP53"
        why.append(f"TP53 {variant_alteration(muts[0])} with {how}")
    if _present(lesions, "amp(1q)") and iss_stage == "III":
        why.append("amp(1q) with ISS III")
    if not why:
        return None
    return Finding(rule, "TP53", "Double-Hit: " + "; ".join(why), None, muts[0].vaf if muts else None, "lesion",
                   "risk.json lesions, gene_copy_states, variants and ISS")


def _combined(kb: KnowledgeBase, variants: Sequence[SmallVariant] | None,
              gene_states: Mapping[str, GeneState] | None, lesions: Mapping[str, LesionCall] | None,
              iss_stage: str | None, vaf_floor: float, sv_losses: Mapping[str, SvGeneLoss] | None) -> list[Finding]:
    out: list[Finding] = []
    for rule in kb.rules:
        if rule.match_kind == "biallelic":
            f = _biallelic_finding(rule, variants, gene_states, vaf_floor, sv_losses)
        elif rule.match_kind == "double_hit":
            f = _double_hit_finding(rule, variants, gene_states, lesions, iss_stage, vaf_floor, sv_losses)
        else:
            continue
        if f is not None:
            out.append(f)
    return out


def match_all(kb: KnowledgeBase, variants: Sequence[SmallVariant] | None,
              gene_states: Mapping[str, GeneState] | None,
              lesions: Mapping[str, LesionCall] | None, *, vaf_floor: float,
              iss_stage: str | None = None, sv_losses: Mapping[str, SvGeneLoss] | None = None) -> MatchResult:
    """Findings and below-floor matches. ``None`` inputs were not read.

    A variant without a VAF (unknown) is not held below the floor: it is a finding with
    ``vaf: null``. ``iss_stage`` (``I``/``II``/``III`` or None) is what the ``double_hit`` kind reads;
    ``sv_losses`` the genes an SV deletion spans (one allele each; None: no SV file read).
    """
    res = MatchResult([], [])
    for i, v in enumerate(variants or []):
        if EXCLUDING_FLAGS & set(v.flags):
            continue
        for rule in kb.rules:
            if rule.match_kind not in VARIANT_KINDS or not _variant_matches(rule, v):
                continue
            f = Finding(rule, v.gene, variant_alteration(v), "&".join(v.consequence) or None, v.vaf, "SNV",
                        v.record)
            low = v.vaf is not None and v.vaf < vaf_floor
            (res.below_floor if low else res.findings).append(f)
            res.variant_matches.setdefault(i, []).append(rule.id + (BELOW_FLOOR_MARK if low else ""))
    for gene, gs in (gene_states or {}).items():
        for rule in kb.rules:
            if rule.match_kind in CNV_KINDS and rule.gene_or_lesion == gene \
                    and gs.state in LOSS_STATES[rule.match_kind]:
                res.findings.append(Finding(rule, gene, str(gs.state),
                                            None if gs.copies is None else f"copies={gs.copies:g}", None, "CNV",
                                            gs.origin))
    for gene, loss in (sv_losses or {}).items():
        for rule in kb.rules:
            if rule.match_kind == "gene_loss" and rule.match == ONE_COPY_LOSS and rule.gene_or_lesion == gene \
                    and getattr((gene_states or {}).get(gene), "state", None) not in LOSS_STATES["gene_loss"]:
                res.findings.append(Finding(rule, gene, f"{ONE_COPY_LOSS} (SV)", None, None, "SV", loss.origin()))
    for lesion_id, call in (lesions or {}).items():
        for rule in kb.rules:
            if rule.match_kind == "lesion" and rule.gene_or_lesion == lesion_id and call.status == "present":
                res.findings.append(Finding(rule, lesion_id, f"{lesion_id} present", None, call.fraction, "lesion",
                                            ",".join(call.sources)))
    res.findings += _combined(kb, variants, gene_states, lesions, iss_stage, vaf_floor, sv_losses)
    return res


def match(kb: KnowledgeBase, variants: Sequence[SmallVariant] | None,
          gene_states: Mapping[str, GeneState] | None,
          lesions: Mapping[str, LesionCall] | None, *, vaf_floor: float, iss_stage: str | None = None) -> list[Finding]:
    """The contract's ``findings``."""
    return match_all(kb, variants, gene_states, lesions, vaf_floor=vaf_floor, iss_stage=iss_stage).findings


# ---------------------------------------------------------------------------------------
# therapy view


def _rule_assessable(rule: Rule, inputs_read: set[str], gene_states: Mapping[str, GeneState] | None,
                     lesions: Mapping[str, LesionCall] | None, genes_not_assessed: Mapping[str, str]) -> bool:
    if rule.input_kind == "SNV":
        return "SNV" in inputs_read and rule.gene_or_lesion not in genes_not_assessed
    if rule.input_kind in ("CNV", "SNV+CNV"):
        if "CNV" not in inputs_read or (rule.input_kind == "SNV+CNV" and (
                "SNV" not in inputs_read or rule.gene_or_lesion in genes_not_assessed)):
            return False
        gs = (gene_states or {}).get(rule.gene_or_lesion)
        return gs is not None and gs.state != "not_covered"
    call = (lesions or {}).get(rule.gene_or_lesion)
    return call is not None and call.status != "not_assessed"


@dataclass(frozen=True)
class TherapyRow:
    """One drug class of the per-class therapy view (``therapy`` of risk.json)."""

    drug_class: str
    status: str  # reduced_sensitivity, possible_benefit, no_finding
    basis: tuple[str, ...]
    investigational: tuple[str, ...]
    history: str  # refractory, exposed, not_exposed, unknown
    assessed: bool
    assessed_by: tuple[str, ...]
    rules: int
    covers: tuple[str, ...] = ()  # what each rule of the class matches (Rule.describe)
    negative: tuple[str, ...] = ()  # findings of rules whose evidence points against an association

    @property
    def coverage(self) -> str:
        """``not_covered`` (no rule for the class), ``not_assessed`` (rules, no input they read) or ``assessed``."""
        return "not_covered" if not self.rules else "assessed" if self.assessed else "not_assessed"

    def to_json(self) -> dict[str, Any]:
        return {"drug_class": self.drug_class, "status": self.status, "basis": list(self.basis),
                "investigational": list(self.investigational), "history": self.history,
                "assessed": self.assessed, "assessed_by": list(self.assessed_by), "rules": self.rules,
                "coverage": self.coverage, "covers": list(self.covers), "negative": list(self.negative)}


def therapy_view(findings: Sequence[Finding], lesions: Mapping[str, LesionCall] | None,
                 history_by_class: Mapping[str, str] | None, *, kb: KnowledgeBase,
                 inputs_read: Iterable[str] = (), gene_states: Mapping[str, GeneState] | None = None,
                 genes_not_assessed: Mapping[str, str] | None = None,
                 ) -> list[TherapyRow]:
    """One row per drug class of the contract, in contract order.

    ``status``: ``reduced_sensitivity`` (a resistance finding), ``possible_benefit`` (a
    sensitivity finding; never both: resistance wins and the sensitivity stays in ``basis``),
    ``no_finding`` otherwise. ``basis`` lists the findings behind the status;
    ``investigational`` the investigational findings of the class. ``history_by_class`` is the
    treatment history's class → ``refractory``/``exposed``/``not_exposed``; without one every class's
    history is ``unknown``. ``assessed`` says whether any input that a rule of the class reads was
    available (``assessed_by`` names them); a variant rule of a gene in ``genes_not_assessed`` (panel genes
    the small-variant file could not speak to) does not count.
    """
    read = set(inputs_read)
    by_class = history_by_class or {}
    out: list[TherapyRow] = []
    for dc in DRUG_CLASSES:
        mine = [f for f in findings if dc in f.drug_classes]
        res = [f for f in mine if f.effect == "resistance"]
        sens = [f for f in mine if f.effect == "sensitivity"]
        inv = [f for f in mine if f.effect == "investigational"]
        neg = [f for f in mine if f.effect == "negative"]
        status = "reduced_sensitivity" if res else "possible_benefit" if sens else "no_finding"
        rules = kb.rules_for_class(dc)
        assessed_by = tuple(sorted({k for r in rules if _rule_assessable(r, read, gene_states, lesions,
                                                                        genes_not_assessed or {})
                                    for k in r.input_kind.split("+")}))
        out.append(TherapyRow(dc, status, tuple(f.basis() for f in res + sens), tuple(f.basis() for f in inv),
                              by_class.get(dc, "unknown"), bool(assessed_by) or bool(res or sens), assessed_by,
                              len(rules), tuple(r.describe() for r in rules), tuple(f.basis() for f in neg)))
    return out


__all__ = [
    "COMBINED_KINDS", "CONSEQUENCE_CLASSES", "DEFAULT_DRIVERS", "DEFAULT_KB", "SOURCE_KINDS", "load_driver_genes", "Finding", "KnowledgeBase", "MATCH_KINDS", "MatchResult",
    "PSMB5_MATURE_OFFSET", "Rule", "TherapyRow", "citation_complete", "hgvs_to_psmb5_mature", "load_knowledge_base",
    "match", "match_all", "normalise_hgvsp", "psmb5_mature_to_hgvs", "split_citations", "therapy_view",
]
