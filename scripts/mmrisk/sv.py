"""Structural-variant VCFs: the IG translocations their junctions imply.

:func:`read_structural_variants` reads one SV VCF (plain or bgzipped) of any
common caller dialect through :mod:`mmrisk.formats.sv` and returns an
:class:`SvResult`:

- ``junctions``: the junctions that touch an immunoglobulin locus or a partner
  window of ``resources/genome/sv_windows.tsv`` (both ends canonical, the
  caller dialect, ids, FILTER, read support and the ``file:line`` record);
- ``counts``: how many records, junctions (BND mate pairs counted once),
  single breakends and filtered records the file held;
- ``evidence``: :class:`~mmrisk.lesions.Evidence` items (source ``SV``) for
  the five named IGH translocations, ``MYC_rearrangement`` and
  ``IGH_rearrangement``: ``present`` for each qualifying junction (with its
  ends as a :class:`~mmrisk.lesions.JunctionEnds`), ``absent`` when the file
  was read and held none (a lesion whose window is missing for the build stays
  unassessed, with a warning);
- ``warnings``: what the reader noticed but did not turn into evidence;
- ``deletions``: the passing deletion records (``SVTYPE=DEL`` or ``<DEL>``, both ends on one chromosome) with
  enough read support, as :class:`DeletionSpan` (deleted bases ``start``..``end``): what
  :mod:`mmrisk.svloss` reads for gene loss by a deletion that spans a gene.

This module holds the windows table (:class:`Window`, :func:`load_windows`),
the rules that turn one junction into lesion hits (:func:`classify_junction`)
and the steps of :func:`read_structural_variants`. Reading the file (VCF
layout, caller dialects, read support) is :mod:`mmrisk.formats.sv`'s; a new
caller dialect is one module there and one row of its ``REGISTRY``, nothing
here. :class:`Junction` and :class:`Support` are re-exported from there.

Design decisions
----------------
- **Reader.** Records are read by a careful line reader, not by htslib (see
  :mod:`mmrisk.formats.sv.vcf`): the whole file is streamed, only junctions
  touching a window are kept (plus counts and the ids of BND records waiting
  for their mate), and every malformed line becomes an
  :class:`~mmrisk.errors.InputProblem`. A truncated or non-UTF-8 file is an
  :class:`~mmrisk.errors.InputError` naming the file and line. So is a record with a malformed
  breakend ALT (missing or mismatched brackets, an undeclared mate contig, a non-numeric mate
  position), a read count that is no non-negative whole number or above ``sv.max_read_support``, an
  INFO/FORMAT key given twice, or a position off its chromosome: never a silent "absent".
- **Kind of file.** A file most of whose records are no structural variant (a small-variant VCF), or
  whose records are all copy-number intervals (a copy-number VCF), is refused naming the sample-sheet
  column it belongs in (:func:`_check_kind`).
- **Rules.** A junction with one end in IGH and the other in a partner window
  implies that window's lesion (and IGH_rearrangement); IGH to anywhere else is
  IGH_rearrangement with the partner named by position (and the nearest window
  within ``nearest_window_distance``); both ends in IGH (class-switch or VDJ
  recombination) is ignored and noted. One end within the MYC window and the
  other outside it (IGH, IGK, IGL or elsewhere) is MYC_rearrangement.
  Intrachromosomal events count only when their two ends are at least
  ``min_intrachromosomal_distance`` apart (edge artefacts of small deletions).
- **Single breakends** (GRIDSS/ESVEE ``.N``/``N.``) in IGH or MYC are reported
  as warnings, not as evidence, unless ``single_breakend_evidence=True``; then
  they count as IGH_rearrangement / MYC_rearrangement with partner
  "unknown (single breakend)". Without a partner they cannot name a
  translocation, and in plasma cells the IG loci are rearranged physiologically.
- **Support** is read from the tumour column where FORMAT holds it, else from
  INFO, per dialect (:mod:`mmrisk.formats.sv`). A junction needs
  ``min_support`` supporting reads; where no count is found it is kept with a
  warning.
- **Fractions** are ``None``: read counts of SV callers are not cancer-cell
  fractions.
- **Junction ends.** Each present item carries ``junction``: the end in the
  locus (``IGH`` or ``MYC``: the locus the detail sentence starts with), what it
  is joined to in the words of the sentence, and the caller's record text (the
  sentence's parenthesis). ``partner_chrom``/``partner_pos`` are set only when
  the partner end lies in a named partner window (the sentence then ends with
  that position); they are ``None`` for a partner in no partner window, for
  MYC-window sentences and for single breakends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Iterable, Iterator, Mapping

from .errors import InputError, InputProblem
from .formats.sv import GENERIC, Junction, Support, SvHeader, SvRecord, read_sv_vcf
from .genome import BUILDS, canonical_chrom
from .igpartners import LIGHT_CHAIN_LOCI, light_chain
from .lesions import IGH_TRANSLOCATIONS, Evidence, JunctionEnds
from .resources import schema_default, shipped
from .tables import read_tsv

__all__ = [
    "DEFAULT_WINDOWS",
    "SV_LESIONS",
    "DeletionSpan",
    "Hit",
    "Junction",
    "Support",
    "SvResult",
    "Window",
    "classify_junction",
    "load_windows",
    "read_structural_variants",
]

DEFAULT_WINDOWS = shipped("sv_windows")

#: The lesions an SV file speaks to.
SV_LESIONS: tuple[str, ...] = (*IGH_TRANSLOCATIONS, "MYC_rearrangement", "IGH_rearrangement")

#: SV types of records that join no two distinct positions (an insertion point, a sequence-resolved indel).
POINT_SVTYPES: frozenset[str] = frozenset({"INS", "INDEL"})
#: SV types of copy-number intervals (a file of only these, or a CN VCF of depth intervals, is a CN file).
INTERVAL_SVTYPES: frozenset[str] = frozenset({"DEL", "DUP", "CNV"})

#: Defaults (exposed in the workflow config).
# keyword defaults of the readers: the configuration schema's, its one copy
DEFAULT_FILTERS: tuple[str, ...] = schema_default("sv.filters")
DEFAULT_MIN_SUPPORT: float = schema_default("sv.min_support")
DEFAULT_MIN_INTRA_DISTANCE: int = schema_default("sv.min_intrachromosomal_distance")
DEFAULT_NEAREST_WINDOW_DISTANCE: int = schema_default("sv.nearest_window_distance")


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class Window:
    """One row of ``sv_windows.tsv``."""

    name: str
    kind: str  # ig_locus | partner
    lesion: str  # "" for ig_locus
    build: str
    chrom: str
    start: int
    end: int
    source: str = ""

    def contains(self, chrom: str, pos: int) -> bool:
        return chrom == self.chrom and self.start <= pos <= self.end

    def distance(self, chrom: str, pos: int) -> int | None:
        """Distance of ``chrom:pos`` from the window (0 inside), ``None`` on another chromosome."""
        if chrom != self.chrom:
            return None
        if pos < self.start:
            return self.start - pos
        if pos > self.end:
            return pos - self.end
        return 0


def load_windows(path: str | Path = DEFAULT_WINDOWS, build: str | None = None) -> list[Window]:
    """Read a windows table (columns name, kind, lesion, build, chrom, start, end, source).

    Every bad row is reported at once as an :class:`InputError`. With ``build``
    only that build's rows are returned.
    """
    table = read_tsv(path, required_columns=("name", "kind", "lesion", "build", "chrom", "start", "end"))
    out: list[Window] = []
    problems: list[InputProblem] = []
    valid_lesions = set(SV_LESIONS)
    for row in table.rows:
        c = row.cells
        kind = c.get("kind", "")
        lesion = c.get("lesion", "")
        if kind not in ("ig_locus", "partner"):
            problems.append(InputProblem(str(path), "unknown window kind", row.line, "kind", kind,
                                         "ig_locus or partner"))
            continue
        if kind == "partner" and lesion not in valid_lesions:
            problems.append(InputProblem(str(path), "unknown lesion for a partner window", row.line, "lesion",
                                         lesion, ", ".join(SV_LESIONS)))
            continue
        if c.get("build") not in BUILDS:
            problems.append(InputProblem(str(path), "unknown build", row.line, "build", c.get("build"),
                                         " or ".join(BUILDS)))
            continue
        try:
            start, end = int(c["start"]), int(c["end"])
        except ValueError:
            problems.append(InputProblem(str(path), "start/end must be whole numbers", row.line, "start",
                                         f"{c['start']}-{c['end']}"))
            continue
        if start < 1 or end < start:
            problems.append(InputProblem(str(path), "window end before start", row.line, "end", c["end"],
                                         f"a number >= start ({start})"))
            continue
        out.append(Window(c["name"], kind, lesion if kind == "partner" else "", c["build"],
                          canonical_chrom(c["chrom"]), start, end, c.get("source", "")))
    if problems:
        raise InputError(problems)
    return [w for w in out if build is None or w.build == build]


@dataclass(frozen=True)
class DeletionSpan:
    """One deletion record: the deleted bases ``start``..``end`` (1-based, inclusive: POS + 1 .. END)."""

    chrom: str  # canonical ("16")
    start: int
    end: int
    record: str  # "file:line"
    support: str  # the read support in words (Support.describe)


@dataclass
class SvResult:
    """What one SV file said."""

    path: str
    build: str
    dialect: str
    tumor_column: str | None
    junctions: list[Junction] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    deletions: list[DeletionSpan] = field(default_factory=list)


# --------------------------------------------------------------------------- classification


@dataclass(frozen=True)
class Hit:
    """One lesion one junction implies: the detail sentence and the junction's ends as fields."""

    lesion: str
    detail: str
    junction: JunctionEnds
    note_only: bool = False  # a light-chain translocation: a note on the call of the IGH lesion it is not


def _window_at(windows: Iterable[Window], chrom: str, pos: int) -> list[Window]:
    return [w for w in windows if w.contains(chrom, pos)]


def _nearest(windows: Iterable[Window], chrom: str, pos: int, limit: int) -> str:
    best: tuple[int, Window] | None = None
    for w in windows:
        d = w.distance(chrom, pos)
        if d is not None and d <= limit and (best is None or d < best[0]):
            best = (d, w)
    return f", {best[0]:,} bp from the {best[1].name} window" if best else ""


def _ident(j: Junction) -> str:
    """The caller's record in words: dialect, ids, FILTER, read support, file:line."""
    return f"{j.dialect} {'/'.join(j.ids)}, FILTER {j.filter}, {j.support.describe()}, {j.record}"


def _single_breakend(j: Junction, windows: list[Window], as_evidence: bool) -> tuple[list[Hit], list[str]]:
    """A single breakend in IGH or the MYC window: a hit with an unknown partner, or only a note."""
    hits: list[Hit] = []
    notes: list[str] = []
    for w in _window_at(windows, j.chrom1, j.pos1):
        if w.name != "IGH" and w.lesion != "MYC_rearrangement":
            continue
        igh = w.name == "IGH"
        text = (f"single breakend in {w.name} at {j.chrom1}:{j.pos1:,} ({j.record}, {j.dialect} "
                f"{'/'.join(j.ids)}, {j.support.describe()}): partner unknown")
        if as_evidence:
            ends = JunctionEnds("IGH" if igh else "MYC", j.chrom1, j.pos1, "unknown (single breakend)", None, None,
                                _ident(j))
            hits.append(Hit("IGH_rearrangement" if igh else "MYC_rearrangement", text, ends))
        else:
            notes.append(text + "; not counted as a rearrangement (single_breakend_evidence is off)")
    return hits, notes


_End = tuple[str, int, list[Window]]  # chrom, pos, the windows that contain it


def _igh_hits(j: Junction, ends: tuple[_End, _End], windows: list[Window],
              nearest_window_distance: int) -> tuple[list[Hit], list[str], bool]:
    """Hits of a junction with an end in IGH; the flag says both ends are in IGH (nothing else counts)."""
    a, b = ends
    ident = _ident(j)
    for (ca, pa, wa), (cb, pb, wb) in ((a, b), (b, a)):
        if not any(w.name == "IGH" for w in wa):
            continue
        if any(w.name == "IGH" for w in wb):
            return [], [f"{j.where()} ({j.record}): both ends in IGH (class-switch/VDJ recombination), ignored"], True
        partners = [w for w in wb if w.kind == "partner"]
        hits: list[Hit] = []
        if partners:
            for w in partners:
                hits.append(Hit(w.lesion, f"IGH {ca}:{pa:,} joined to {w.name} window {cb}:{pb:,} ({ident})",
                                JunctionEnds("IGH", ca, pa, w.name, cb, pb, ident)))
            names = "/".join(w.name for w in partners)
            hits.append(Hit("IGH_rearrangement", f"IGH {ca}:{pa:,} joined to {names} {cb}:{pb:,} ({ident})",
                            JunctionEnds("IGH", ca, pa, names, cb, pb, ident)))
        else:
            igs = [w.name for w in wb if w.kind == "ig_locus"]
            near = "" if igs else _nearest([w for w in windows if w.kind == "partner"], cb, pb,
                                            nearest_window_distance)
            partner = (igs[0] if igs else f"{cb}:{pb:,}") + near
            hits.append(Hit("IGH_rearrangement", f"IGH {ca}:{pa:,} joined to {partner}, in no partner window ({ident})",
                            JunctionEnds("IGH", ca, pa, partner, None, None, ident)))
        return hits, [], False  # one IGH end handled; the other end is not IGH
    return [], [], False


def _myc_hit(j: Junction, ends: tuple[_End, _End]) -> tuple[list[Hit], list[str]]:
    """One end inside the MYC window and the other outside it: MYC_rearrangement."""
    a, b = ends
    for (ca, pa, wa), (cb, pb, wb) in ((a, b), (b, a)):
        if not any(w.lesion == "MYC_rearrangement" for w in wa):
            continue
        if any(w.lesion == "MYC_rearrangement" for w in wb):
            return [], [f"{j.where()} ({j.record}): both ends within the MYC window, not counted"]
        igs = [w.name for w in wb if w.kind == "ig_locus"]
        partner = igs[0] if igs else f"{cb}:{pb:,}"
        ident = _ident(j)
        return [Hit("MYC_rearrangement", f"MYC window {ca}:{pa:,} joined to {partner} ({ident})",
                    JunctionEnds("MYC", ca, pa, partner, None, None, ident))], []
    return [], []


def _light_chain(j: Junction, w1: list[Window], w2: list[Window]) -> tuple[list[Hit], list[str]]:
    """A light-chain locus joined to a non-MYC partner window: the light-chain translocation of
    ``ig_partners.tsv`` as a note on the IGH lesion it is not (never that lesion), and a warning."""
    for (wa, wb) in ((w1, w2), (w2, w1)):
        igs = [w for w in wa if w.name in LIGHT_CHAIN_LOCI]
        partners = [w for w in wb if w.kind == "partner" and w.lesion != "MYC_rearrangement"]
        if not (igs and partners):
            continue
        ig, joined = igs[0], "/".join(w.name for w in partners)
        hits: list[Hit] = []
        for w in partners:
            p = light_chain(ig.name, w.name)
            if p is None:
                continue
            (c1, p1), (c2, p2) = (j.chrom1, j.pos1), (j.chrom2 or "", j.pos2 or 0)
            ig_end, partner_end = ((c1, p1), (c2, p2)) if ig.contains(c1, p1) else ((c2, p2), (c1, p1))
            text = (f"{p.label}: {ig.name} {ig_end[0]}:{ig_end[1]:,} joined to the {w.name} window "
                    f"{partner_end[0]}:{partner_end[1]:,} ({_ident(j)}): an {ig.name} translocation, not "
                    f"{p.lesions[0]}; {p.risk_note}")
            hits.append(Hit(p.lesions[0], text, JunctionEnds(ig.name, ig_end[0], ig_end[1], w.name, partner_end[0],
                                                             partner_end[1], _ident(j)), note_only=True))
        return hits, [f"{j.where()} ({j.record}): light-chain locus {ig.name} joined to {joined}; reported as "
                      f"{', '.join(h.detail.split(':')[0] for h in hits) or 'itself'}, not as an IGH translocation"]
    return [], []


def classify_junction(
    j: Junction,
    windows: list[Window],
    *,
    min_intrachromosomal_distance: int = DEFAULT_MIN_INTRA_DISTANCE,
    nearest_window_distance: int = DEFAULT_NEAREST_WINDOW_DISTANCE,
    single_breakend_evidence: bool = schema_default("sv.single_breakend_evidence"),
) -> tuple[list[Hit], list[str]]:
    """The lesions one junction implies, and notes (class switch, single breakends, ...)."""
    if j.single:
        return _single_breakend(j, windows, single_breakend_evidence)
    (c1, p1), (c2, p2) = j.ends()
    w1, w2 = _window_at(windows, c1, p1), _window_at(windows, c2, p2)
    if c1 == c2 and abs(p2 - p1) < min_intrachromosomal_distance:
        # small intrachromosomal events: only the class-switch note matters, for a real junction of two
        # distinct IGH positions (an insertion point or a one-position record is no recombination)
        if p1 != p2 and j.svtype not in POINT_SVTYPES and any(w.name == "IGH" for w in w1) and any(
                w.name == "IGH" for w in w2):
            return [], [f"{j.where()} ({j.record}) lies within IGH: class-switch/VDJ recombination, ignored"]
        return [], []
    ends: tuple[_End, _End] = ((c1, p1, w1), (c2, p2, w2))
    hits, notes, within_igh = _igh_hits(j, ends, windows, nearest_window_distance)
    if within_igh:
        return hits, notes
    myc, myc_notes = _myc_hit(j, ends)
    if any(h.lesion == "MYC_rearrangement" for h in hits):
        myc = []  # an IGH junction into the MYC window is already the MYC hit, with its IGH sentence
    light, light_notes = _light_chain(j, w1, w2)
    return hits + myc + light, notes + myc_notes + light_notes


# --------------------------------------------------------------------------- reading


@dataclass
class _Scan:
    """What streaming the records gave: counts, the window junctions (deduplicated) and all junctions."""

    dialect: str
    counts: dict[str, int]
    window_junctions: list[Junction]
    all_junctions: list[Junction]
    deletions: list[Junction] = field(default_factory=list)  # passing DEL records, both ends on one chromosome


def _merge_ids(old: Junction, new: Junction) -> Junction:
    """The junction already kept for the same ends, with the ids of a second record added."""
    return Junction(old.chrom1, old.pos1, old.chrom2, old.pos2, old.orientation, old.dialect,
                    old.ids + tuple(i for i in new.ids if i not in old.ids), old.filter,
                    old.support, old.record, old.svtype)


def _scan(records: Iterator[SvRecord], dialect: str, windows: list[Window], accepted: Collection[str],
          keep_all_junctions: bool) -> _Scan:
    """Count every record and junction; keep the passing junctions that touch a window (once per ends)."""
    counts = {"records": 0, "records_passing": 0, "filtered_records": 0, "junctions": 0,
              "junctions_passing": 0, "single_breakends": 0, "window_junctions": 0}
    kept: dict[tuple[tuple[tuple[str, int], ...], bool], Junction] = {}
    all_kept: list[Junction] = []
    deletions: list[Junction] = []
    by_chrom: dict[str, list[Window]] = {}
    for w in windows:
        by_chrom.setdefault(w.chrom, []).append(w)
    for rec in records:
        counts["records"] += 1
        passing = rec.filter in accepted
        counts["records_passing" if passing else "filtered_records"] += 1
        if dialect == GENERIC and rec.junctions and rec.junctions[0].dialect != GENERIC:
            dialect = rec.junctions[0].dialect
        for j, first in zip(rec.junctions, rec.first_mate):
            if j.single:
                counts["single_breakends"] += 1
            if first and passing and j.svtype == "DEL" and j.chrom1 == j.chrom2 and j.pos2 is not None:
                deletions.append(j)
            if first:
                counts["junctions"] += 1
                if passing:
                    counts["junctions_passing"] += 1
                if keep_all_junctions:
                    all_kept.append(j)
            if not passing or not _touches(by_chrom, j):
                continue
            key = (tuple(sorted(j.ends())), j.single)
            kept[key] = _merge_ids(kept[key], j) if key in kept else j
    counts["window_junctions"] = len(kept)
    return _Scan(dialect, counts, list(kept.values()), all_kept, deletions)


def _touches(by_chrom: Mapping[str, list[Window]], j: Junction) -> bool:
    """Whether either end of the junction lies in a window (``by_chrom``: the windows by chromosome)."""
    near = by_chrom.get(j.chrom1)
    if near and any(w.contains(j.chrom1, j.pos1) for w in near):
        return True
    if j.chrom2 is None or j.pos2 is None:
        return False
    near = by_chrom.get(j.chrom2)
    return bool(near) and any(w.contains(j.chrom2, j.pos2) for w in near)


def _deletion_spans(junctions: list[Junction], min_support: float) -> list[DeletionSpan]:
    """Deletions with at least ``min_support`` reads (or no count the reader knows), as spans."""
    return [DeletionSpan(canonical_chrom(j.chrom1), min(j.pos1, j.pos2 or j.pos1) + 1, max(j.pos1, j.pos2 or j.pos1),
                         j.record, j.support.describe())
            for j in junctions if j.support.total is None or j.support.total >= min_support]


#: SV types of records that are no structural variant (a small variant's)
_NO_SV = frozenset({"INDEL", "."})


@dataclass
class _Kinds:
    """What kind of records a file holds, counted as they stream past (see :func:`_check_kind`)."""

    records: int = 0
    sv: int = 0  # records with an SVTYPE, a symbolic or a breakend ALT (a small variant has none)
    cnv: int = 0  # records typed CNV
    interval: int = 0  # records of DEL/DUP/CNV intervals only

    def watch(self, records: Iterator[SvRecord]) -> Iterator[SvRecord]:
        for rec in records:
            self.records += 1
            if len(rec.junctions) == 1:  # the common record: one ALT
                t = rec.junctions[0].svtype
                self.sv += t not in _NO_SV
                self.cnv += t == "CNV"
                self.interval += t in INTERVAL_SVTYPES
            else:
                types = {j.svtype for j in rec.junctions}
                self.sv += bool(types - _NO_SV)
                self.cnv += bool(types) and types <= {"CNV"}
                self.interval += bool(types) and types <= INTERVAL_SVTYPES
            yield rec


def _check_kind(kinds: _Kinds, header: SvHeader) -> None:
    """Refuse a file that is no SV VCF: a small-variant VCF (at most half its records are structural variants), or a
    copy-number VCF (every record a CNV, or DEL/DUP intervals under a header with CN and no read support)."""
    n = kinds.records
    if not n:
        return
    if kinds.sv * 2 <= n:
        raise InputError([InputProblem(
            header.path, f"{n - kinds.sv} of its {n} records are no structural variant (no SVTYPE, no symbolic "
                         "<...> or breakend ALT): this looks like a small-variant VCF", column="sv_vcf",
            expected="an SV caller's VCF in the sv_vcf column (a small-variant VCF belongs in the snv_vcf "
                     "column of the sample sheet)")])
    cn_file = kinds.cnv == n or (header.declares_cn and not header.declares_support and kinds.interval == n)
    if cn_file:
        raise InputError([InputProblem(
            header.path, f"its {n} records are copy-number intervals (DEL/DUP/CNV"
                         + (" with a CN field and no read support" if kinds.cnv != n else "")
                         + "): this looks like a copy-number VCF", column="sv_vcf",
            expected="an SV caller's VCF in the sv_vcf column (a copy-number VCF belongs in the cnv column "
                     "of the sample sheet)")])


def _present_evidence(junctions: list[Junction], windows: list[Window], *, min_support: float,
                      min_intrachromosomal_distance: int, nearest_window_distance: int,
                      single_breakend_evidence: bool) -> tuple[list[Evidence], list[str]]:
    """A present item per lesion hit of each window junction with enough support, and the notes."""
    evidence: list[Evidence] = []
    warnings: list[str] = []
    no_support = 0
    for j in junctions:
        total = j.support.total
        if total is None:
            no_support += 1
        elif total < min_support:
            warnings.append(f"{j.where()} ({j.record}) touches an IG/partner window but has {j.support.describe()}"
                            f" (< min_support {min_support:g}); not counted")
            continue
        hits, notes = classify_junction(j, windows, min_intrachromosomal_distance=min_intrachromosomal_distance,
                                        nearest_window_distance=nearest_window_distance,
                                        single_breakend_evidence=single_breakend_evidence)
        warnings.extend(notes)
        evidence += [Evidence(h.lesion, "not_assessed" if h.note_only else "present", "SV", None, origin=j.record,
                              detail=h.detail, junction=h.junction, note_only=h.note_only) for h in hits]
    if no_support:
        warnings.append(f"{no_support} window junction(s) carry no read-support count the reader knows; "
                        f"kept without the min_support check")
    return evidence, warnings


def _absent_evidence(present: set[str], windows: list[Window], counts: dict[str, int], accepted: Collection[str],
                     file: str, build: str) -> tuple[list[Evidence], list[str]]:
    """An absent item for each SV lesion the file was read for and showed no hit; a warning where no window."""
    evidence: list[Evidence] = []
    warnings: list[str] = []
    lesions_with_window = {w.lesion for w in windows if w.kind == "partner"}
    has_igh = any(w.name == "IGH" for w in windows)
    summary = (f"{counts['junctions_passing']} junctions passing FILTER ({'/'.join(sorted(accepted))}) in "
               f"{file}, {counts['window_junctions']} touching an IG locus or partner window")
    for lesion in SV_LESIONS:
        if lesion in present:
            continue
        needs = (lesion in lesions_with_window and (has_igh or lesion == "MYC_rearrangement")) or (
            lesion == "IGH_rearrangement" and has_igh)
        if not needs:
            warnings.append(f"{lesion}: no window for {build} in the windows table; not assessed from SV")
            continue
        what = ("IGH junction" if lesion == "IGH_rearrangement" else
                "junction from the MYC window to elsewhere" if lesion == "MYC_rearrangement" else
                f"IGH junction to the {', '.join(sorted(w.name for w in windows if w.lesion == lesion))} window")
        evidence.append(Evidence(lesion, "absent", "SV", None, origin=file, detail=f"no {what}: {summary}"))
    return evidence, warnings


def read_structural_variants(
    path: str | Path,
    *,
    build: str,
    tumor_column: str | None = None,
    windows: str | Path | list[Window] = DEFAULT_WINDOWS,
    min_support: float = DEFAULT_MIN_SUPPORT,
    filters: Collection[str] = DEFAULT_FILTERS,
    min_intrachromosomal_distance: int = DEFAULT_MIN_INTRA_DISTANCE,
    nearest_window_distance: int = DEFAULT_NEAREST_WINDOW_DISTANCE,
    single_breakend_evidence: bool = schema_default("sv.single_breakend_evidence"),
    keep_all_junctions: bool = False,
    max_read_support: int = schema_default("sv.max_read_support"),
) -> SvResult:
    """Read one SV VCF and turn its IG-related junctions into lesion evidence.

    ``build`` is the sample's declared build; a header that says otherwise is
    an :class:`InputError` naming both. ``filters`` are the FILTER values
    accepted (default PASS and '.'). ``keep_all_junctions`` keeps every
    junction (all FILTER values) in ``junctions`` instead of only the passing
    ones that touch a window: for inspection and tests of small files, not for
    genome-wide production files. A record with a malformed breakend ALT, a read count that is no
    non-negative whole number or above ``max_read_support``, or a position off its chromosome is refused
    (:class:`InputError` with file and line); so is a file that looks like a small-variant or copy-number
    VCF. See the module docstring for the rules.
    """
    if build not in BUILDS:
        raise ValueError(f"unknown build {build!r}")
    wins = [w for w in (load_windows(windows) if not isinstance(windows, list) else windows) if w.build == build]
    accepted = set(filters)
    vcf = read_sv_vcf(path, build=build, tumor_column=tumor_column, max_read_support=max_read_support)
    kinds = _Kinds()
    try:
        scan = _scan(kinds.watch(vcf.records), vcf.header.dialect, wins, accepted, keep_all_junctions)
    except InputError:
        _check_kind(kinds, vcf.header)  # a file of the wrong kind says so before its unreadable records
        raise
    _check_kind(kinds, vcf.header)
    present, present_notes = _present_evidence(
        scan.window_junctions, wins, min_support=min_support,
        min_intrachromosomal_distance=min_intrachromosomal_distance,
        nearest_window_distance=nearest_window_distance, single_breakend_evidence=single_breakend_evidence)
    absent, absent_notes = _absent_evidence({e.lesion for e in present if not e.note_only}, wins, scan.counts, accepted,
                                            vcf.header.file, build)
    return SvResult(str(path), build, scan.dialect, vcf.header.tumor_column,
                    junctions=scan.all_junctions if keep_all_junctions else scan.window_junctions,
                    counts=scan.counts, evidence=present + absent,
                    deletions=_deletion_spans(scan.deletions, min_support),
                    warnings=[*([vcf.header.note] if vcf.header.note else []), *present_notes, *absent_notes])
