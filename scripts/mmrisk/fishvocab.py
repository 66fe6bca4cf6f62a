"""The FISH vocabulary: which probes exist and which lesion a target name means.

What a probe name means is data, not code: ``resources/fish_probes.tsv`` lists
the probes of the panels (name, locus, role, chromosome) and
``resources/fish_targets.tsv`` maps names and spellings of FISH targets to
lesion ids of the contract or to ``trisomy_N`` pseudo-targets, each with its
kind of test (fusion, break-apart, deletion, gain, mutation). A probe name such
as ``TP53`` or ``D5Z2`` is itself a target synonym; a fusion pair ``A con B`` is
looked up as ``A/B``.

:func:`load_targets` and :func:`load_probes` read and check those tables
(raising :class:`~mmrisk.errors.InputError` that lists every bad row);
:class:`TargetTable` and :class:`ProbeTable` resolve spellings, case and
spaces ignored (:func:`normalise_name`). Both :mod:`mmrisk.fish` (the
``target`` column) and :mod:`mmrisk.iscn` (the probe names of an ISCN string)
use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast, get_args

from .errors import InputError, InputProblem
from .igpartners import BY_ID as IG_PARTNER_IDS
from .lesions import LESION_IDS
from .resources import RESOURCE_DIR
from .tables import header_fields, read_tsv

#: What kind of test a target is; selects the positivity cut-off. ``mutation`` is a sequencing
#: result some labs report with their FISH results (TP53_mutation): no FISH cut-off applies.
ProbeKind = Literal["fusion", "breakapart", "deletion", "gain", "mutation"]
PROBE_KINDS: tuple[str, ...] = get_args(ProbeKind)

ProbeRole = Literal["gene", "control", "centromere"]
PROBE_ROLES: tuple[str, ...] = get_args(ProbeRole)

#: Odd chromosomes whose trisomies define hyperdiploid myeloma; target tables may
#: use the pseudo-lesions ``trisomy_N`` for these N.
HYPERDIPLOIDY_CHROMOSOMES: tuple[int, ...] = (3, 5, 7, 9, 11, 15, 19, 21)


_CHROMOSOMES = {str(i) for i in range(1, 23)} | {"X", "Y"}
_TRISOMY = re.compile(r"^trisomy_(\d+)$")

#: Typographic variants found in reports pasted from word processors, one character for one
#: character (positions in a translated string stay those of the original).
CHAR_MAP = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2019": "'", "\u2018": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})


def display_path(path: str | Path) -> str:
    """A path as messages show it: relative to the repository for the workflow's own files."""
    p = Path(path).resolve()
    root = RESOURCE_DIR.parent
    return str(p.relative_to(root)) if p.is_relative_to(root) else str(path)


def normalise_name(text: str) -> str:
    """The lookup key of a target or probe name.

    Case-insensitive; runs of whitespace collapse to one space and spaces
    around ``/ : ; , ( ) -`` are dropped, so ``"FGFR3 / IGH"``,
    ``"fgfr3/igh"`` and ``"FGFR3/IGH"`` are one key. Typographic dashes and
    quotes count as their ASCII forms.
    """
    t = " ".join(text.translate(CHAR_MAP).split())
    t = re.sub(r"\s*([/:;,()\-])\s*", r"\1", t)
    return t.casefold()


def is_lesion_or_trisomy(lesion: str) -> bool:
    """True for a lesion id of the contract, a ``trisomy_N`` pseudo-target or an id of ``ig_partners.tsv``
    (a light-chain translocation, a MAF-family call without partner)."""
    if lesion in LESION_IDS or lesion in IG_PARTNER_IDS:
        return True
    m = _TRISOMY.match(lesion)
    return bool(m) and int(m.group(1)) in HYPERDIPLOIDY_CHROMOSOMES


# ---------------------------------------------------------------------------
# resource tables


@dataclass(frozen=True)
class Target:
    """One spelling of a FISH target and what it means."""

    synonym: str
    lesion: str  # a lesion id or trisomy_N
    probe_kind: ProbeKind


@dataclass
class TargetTable:
    """Synonym lookup of FISH targets (``resources/fish_targets.tsv``)."""

    path: str
    version: str | None
    entries: dict[str, Target] = field(default_factory=dict)  # normalised synonym -> target

    @property
    def display_path(self) -> str:
        return display_path(self.path)

    def lookup(self, text: str) -> Target | None:
        """The target a spelling means, or None if the table does not know it."""
        return self.entries.get(normalise_name(text))

    def lookup_pair(self, a: str, b: str) -> Target | None:
        """The fusion target of two probe names (``A/B``, ``B/A``, ``A::B``, ``B::A``)."""
        for key in (f"{a}/{b}", f"{b}/{a}", f"{a}::{b}", f"{b}::{a}"):
            t = self.lookup(key)
            if t is not None and t.probe_kind == "fusion":
                return t
        return None

    def examples(self, n: int = 10) -> list[str]:
        """A few known spellings, one per lesion first, for error messages."""
        seen: set[str] = set()
        first: list[str] = []
        rest: list[str] = []
        for t in self.entries.values():
            (rest if t.lesion in seen else first).append(t.synonym)
            seen.add(t.lesion)
        return (first + rest)[:n]

    def synonyms_of(self, lesion: str) -> list[str]:
        """All spellings of one lesion (or trisomy_N), in file order."""
        return [t.synonym for t in self.entries.values() if t.lesion == lesion]

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class Probe:
    """One FISH probe as named in ISCN strings."""

    probe: str
    locus: str
    role: ProbeRole
    chromosome: str


@dataclass
class ProbeTable:
    """Probe lookup (``resources/fish_probes.tsv``)."""

    path: str
    version: str | None
    entries: dict[str, Probe] = field(default_factory=dict)  # normalised name -> probe

    @property
    def display_path(self) -> str:
        return display_path(self.path)

    def lookup(self, name: str) -> Probe | None:
        """The probe of an ISCN name, or None if the table does not list it."""
        return self.entries.get(normalise_name(name))

    def names(self) -> list[str]:
        return [p.probe for p in self.entries.values()]

    def __len__(self) -> int:
        return len(self.entries)


def load_targets(path: str | Path) -> TargetTable:
    """Load a FISH target synonym table (columns ``synonym``, ``lesion``, ``probe_kind``).

    Raises :class:`InputError` listing every bad row: an unknown lesion id, an
    unknown probe kind, or one spelling mapped to two different meanings.
    """
    table = read_tsv(path, required_columns=("synonym", "lesion", "probe_kind"))
    out = TargetTable(table.path, header_fields(path).get("version"))
    problems: list[InputProblem] = []
    for row in table.rows:
        syn, lesion, kind = row.cells["synonym"], row.cells["lesion"], row.cells["probe_kind"]
        bad = False
        if not syn:
            problems.append(InputProblem(table.path, "empty synonym", line=row.line, column="synonym"))
            bad = True
        if not is_lesion_or_trisomy(lesion):
            problems.append(InputProblem(
                table.path, "unknown lesion", line=row.line, column="lesion", value=lesion,
                expected="a lesion id (" + ", ".join(LESION_IDS) + "), an id of ig_partners.tsv ("
                + ", ".join(IG_PARTNER_IDS) + ") or trisomy_N for N in "
                + ", ".join(map(str, HYPERDIPLOIDY_CHROMOSOMES))))
            bad = True
        if kind not in PROBE_KINDS:
            problems.append(InputProblem(table.path, "unknown probe kind", line=row.line, column="probe_kind",
                                         value=kind, expected="one of " + ", ".join(PROBE_KINDS)))
            bad = True
        if bad:
            continue
        key = normalise_name(syn)
        target = Target(syn, lesion, cast(ProbeKind, kind))
        old = out.entries.get(key)
        if old is not None and (old.lesion, old.probe_kind) != (lesion, kind):
            problems.append(InputProblem(
                table.path, f"synonym already maps to {old.lesion} ({old.probe_kind})", line=row.line,
                column="synonym", value=syn, expected="each spelling (case and spaces ignored) once"))
            continue
        out.entries.setdefault(key, target)
    if problems:
        raise InputError(problems)
    return out


def load_probes(path: str | Path) -> ProbeTable:
    """Load a FISH probe table (columns ``probe``, ``locus``, ``role``, ``chromosome``).

    Raises :class:`InputError` listing every bad row.
    """
    table = read_tsv(path, required_columns=("probe", "locus", "role", "chromosome"))
    out = ProbeTable(table.path, header_fields(path).get("version"))
    problems: list[InputProblem] = []
    for row in table.rows:
        c = row.cells
        name, role, chrom = c["probe"], c["role"], c["chromosome"]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            problems.append(InputProblem(table.path, "probe name cannot be written in ISCN", line=row.line,
                                         column="probe", value=name,
                                         expected="letters, digits, '.', '_' or '-', starting with a letter or digit"))
            continue
        if role not in PROBE_ROLES:
            problems.append(InputProblem(table.path, "unknown role", line=row.line, column="role", value=role,
                                         expected="one of " + ", ".join(PROBE_ROLES)))
            continue
        if chrom not in _CHROMOSOMES:
            problems.append(InputProblem(table.path, "unknown chromosome", line=row.line, column="chromosome",
                                         value=chrom, expected="1-22, X or Y"))
            continue
        key = normalise_name(name)
        if key in out.entries:
            problems.append(InputProblem(table.path, "probe listed twice", line=row.line, column="probe",
                                         value=name))
            continue
        out.entries[key] = Probe(name, c["locus"], cast(ProbeRole, role), chrom)
    if problems:
        raise InputError(problems)
    return out


def load_default_targets() -> TargetTable:
    """The workflow's own ``resources/fish_targets.tsv``."""
    return load_targets(RESOURCE_DIR / "fish_targets.tsv")


def load_default_probes() -> ProbeTable:
    """The workflow's own ``resources/fish_probes.tsv``."""
    return load_probes(RESOURCE_DIR / "fish_probes.tsv")
