"""Reading ISCN interphase FISH results (``nuc ish`` strings) of myeloma panels.

A cytogenetics report often gives its FISH result only as an ISCN string, e.g.
``nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]`` (an IGH::FGFR3 dual-fusion
probe with two fusion signals in 170 of 200 nuclei). :func:`parse_iscn` turns
such a string into :class:`IscnObservation` items: which lesion was tested,
whether the signal pattern shows it, in what percent of nuclei, and with how
many copies.

What a probe name means is data, not code: ``resources/fish_probes.tsv`` lists
the probes (locus, role, chromosome) and ``resources/fish_targets.tsv`` maps
names and spellings to lesion ids (a probe name such as ``TP53`` or ``D5Z2`` is
itself a target synonym; a fusion pair ``A con B`` is looked up as ``A/B``).
Both tables are loaded here (:func:`load_targets`, :func:`load_probes`)
because :mod:`mmrisk.fish` and this module share them.

Signal patterns understood (per population of nuclei):

- fusion: ``(A,B)xN(A con Bxk)``: ``k >= 1`` fusion signals = positive; the two
  probes counted together without a ``con`` = negative;
- break-apart: ``(GxN)(5'G sep 3'Gxk)``: a split signal = positive;
  ``(5'G,3'G)xN(5'G con 3'Gxk)`` with ``k`` below the signal count = positive,
  otherwise negative; ``(GxN)`` alone = negative;
- copy number of a deletion or gain target: fewer than 2 signals, or fewer
  than a control/centromere probe of the same chromosome = loss; more than 2 =
  gain (centromere probes of odd chromosomes give ``trisomy_N`` observations).

Several populations separated by ``/`` are combined per lesion: the percents of
the populations showing it are added; copies are the highest (gain) or lowest
(deletion) among them, and the text says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Literal, NoReturn, cast, get_args

from .errors import InputError, InputProblem
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

#: Signals of a locus in a normal (disomic) nucleus.
NORMAL_COPIES = 2

#: A string :func:`parse_iscn` accepts, quoted in its error messages.
ISCN_EXAMPLE = "nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]"


_CHROMOSOMES = {str(i) for i in range(1, 23)} | {"X", "Y"}
_TRISOMY = re.compile(r"^trisomy_(\d+)$")

# Typographic variants found in reports pasted from word processors.
_CHAR_MAP = str.maketrans({
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
    t = " ".join(text.translate(_CHAR_MAP).split())
    t = re.sub(r"\s*([/:;,()\-])\s*", r"\1", t)
    return t.casefold()


def is_lesion_or_trisomy(lesion: str) -> bool:
    """True for a lesion id of the contract or a ``trisomy_N`` pseudo-target."""
    if lesion in LESION_IDS:
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
                expected="a lesion id (" + ", ".join(LESION_IDS) + ") or trisomy_N for N in "
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


# ---------------------------------------------------------------------------
# observations


@dataclass(frozen=True)
class IscnObservation:
    """What an ISCN string says about one lesion (or trisomy_N pseudo-target)."""

    lesion: str
    positive: bool
    percent: float | None  # % of scored nuclei showing it; 0 if all nuclei were normal, None if unknown
    copies: int | None  # signal count of the target locus, where the pattern gives one
    probe_kind: ProbeKind
    text: str  # the pattern read, e.g. "FGFR3 con IGHx2 in 170/200 nuclei"
    cells_scored: int | None = None
    probes: tuple[str, ...] = ()


# ---------------------------------------------------------------------------
# syntax


@dataclass(frozen=True)
class _ProbeRef:
    end: str | None  # "5" or "3" for a break-apart half
    name: str  # canonical name from the probe table

    def __str__(self) -> str:
        return f"{self.end}'{self.name}" if self.end else self.name


@dataclass
class _Item:
    a: _ProbeRef
    op: str | None  # "con" or "sep"
    b: _ProbeRef | None
    count: int | None
    pos: int
    text: str


@dataclass
class _Group:
    items: list[_Item]
    multiplier: int | None


@dataclass
class _Population:
    groups: list[_Group]
    n: int  # nuclei with this pattern
    total: int | None  # nuclei scored, when written [n/total]
    pos: int


_NUC_ISH = re.compile(r"nuc\s*ish\b", re.IGNORECASE)
_WS = re.compile(r"\s*")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_NAME_COUNT = re.compile(r"(.+?)x(\d+)")
_HALF = re.compile(r"([35])'")
_XCOUNT = re.compile(r"\s*x\s*(\d+)")
_OP = re.compile(r"(con|sep)(?=\s)", re.IGNORECASE)
_BAND = re.compile(r"(?:\d{1,2}|[XY])(?:cen|[pq][\d.]*)(?:[-~](?:\d{1,2}|[XY])?(?:cen|[pq][\d.]*))?(?=\s*\()")
_DIGITS = re.compile(r"\d+")


class _Parser:
    """Recursive-descent reader of one ``nuc ish`` string."""

    def __init__(self, text: str, probes: ProbeTable, file: str, line: int | None):
        self.raw = text
        self.s = text.translate(_CHAR_MAP)  # one char for one char: positions stay valid
        self.i = 0
        self.probes = probes
        self.file = file
        self.line = line

    # -- errors -------------------------------------------------------------

    def fail(self, what: str, at: int | None = None) -> NoReturn:
        """Raise the :class:`InputError` of an unreadable string (``at=-1``: no position)."""
        pos = self.i if at is None else at
        if pos < 0:
            where = "as a whole"
        elif pos >= len(self.s):
            where = "at the end"
        else:
            m = re.compile(r"[^()\[\],/\s]+").match(self.s, pos)
            token = m.group(0) if m else self.s[pos]
            where = f"at position {pos + 1} ({token!r})"
        raise InputError([InputProblem(
            self.file,
            f"cannot read the ISCN string {self.raw!r} {where}: {what}; "
            f"an example of a string this workflow reads: {ISCN_EXAMPLE!r}",
            line=self.line, column="iscn")])

    # -- lexical helpers ----------------------------------------------------

    def ws(self) -> None:
        m = _WS.match(self.s, self.i)
        assert m is not None
        self.i = m.end()

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def no_range(self) -> None:
        if self.peek() in ("~", "-") or self.s.startswith(("+", "?"), self.i):
            self.fail("signal ranges and uncertain counts (x3~4, x3?) are not supported; give one number")

    def xcount(self) -> int | None:
        m = _XCOUNT.match(self.s, self.i)
        if not m:
            return None
        self.i = m.end()
        self.no_range()
        return int(m.group(1))

    # -- grammar ------------------------------------------------------------

    def parse(self) -> list[_Population]:
        self.ws()
        m = _NUC_ISH.match(self.s, self.i)
        if not m:
            self.fail("an interphase FISH result starts with 'nuc ish'")
        self.i = m.end()
        pops = [self.population()]
        self.ws()
        while self.peek() == "/":
            if self.s.startswith("//", self.i):
                self.fail("'//' (donor/recipient chimerism) is not supported")
            self.i += 1
            pops.append(self.population())
            self.ws()
        if self.i < len(self.s):
            self.fail("unexpected text after the nuclei count; separate cell populations with '/'")
        return pops

    def population(self) -> _Population:
        self.ws()
        start = self.i
        groups: list[_Group] = []
        while True:
            self.ws()
            if self.peek() == "[":
                if not groups:
                    self.fail("expected '(' and probe names before the nuclei count")
                break
            if not self.peek():
                if not groups:
                    self.fail("expected '(' and probe names")
                self.fail("expected the number of nuclei in brackets, e.g. [200] or [170/200]")
            if groups and self.peek() == ",":
                self.i += 1
                self.ws()
            groups.append(self.group())
        n, total = self.cell_count()
        return _Population(groups, n, total, start)

    def group(self) -> _Group:
        m = _BAND.match(self.s, self.i)
        if m:  # an optional band before the parenthesis, e.g. 17p13.1(TP53x1)
            self.i = m.end()
            self.ws()
        if self.peek() != "(":
            self.fail("expected '(' opening a list of probes")
        self.i += 1
        items = [self.item()]
        self.ws()
        while self.peek() == ",":
            self.i += 1
            items.append(self.item())
            self.ws()
        if self.peek() != ")":
            if self.s[self.i:self.i + 3].casefold() == "amp":
                self.fail("'amp' without a signal number is not supported; write the count, e.g. CKS1Bx5")
            self.fail("expected ',' or ')' after a probe and its signal number")
        self.i += 1
        return _Group(items, self.xcount())

    def item(self) -> _Item:
        self.ws()
        start = self.i
        a, a_count = self.probe()
        self.ws()
        m = _OP.match(self.s, self.i)
        if m:
            if a_count is not None:
                self.fail("a signal number belongs after the second probe of 'con'/'sep'", at=start)
            self.i = m.end()
            op = m.group(1).lower()
            self.ws()
            b, b_count = self.probe()
            count = b_count if b_count is not None else self.xcount()
            if a.name == b.name and (a.end is None or b.end is None or a.end == b.end):
                self.fail(f"a break-apart signal is written 5'{a.name} {op} 3'{a.name}", at=start)
            if (a.end is None) != (b.end is None):
                self.fail("'con'/'sep' joins two probes or the 5' and 3' halves of one probe", at=start)
            return _Item(a, op, b, count, start, self.s[start:self.i].strip())
        count = a_count if a_count is not None else self.xcount()
        return _Item(a, None, None, count, start, self.s[start:self.i].strip())

    def probe(self) -> tuple[_ProbeRef, int | None]:
        end: str | None = None
        h = _HALF.match(self.s, self.i)
        if h:
            end = h.group(1)
            self.i = h.end()
        start = self.i
        m = _NAME.match(self.s, self.i)
        if not m:
            self.fail("expected a probe name")
        word = m.group(0)
        count: int | None = None
        name = word
        if self.probes.lookup(word) is None:
            split = _NAME_COUNT.fullmatch(word)
            if split:
                name, count = split.group(1), int(split.group(2))
        self.i = m.end()
        if count is not None:
            self.no_range()
        probe = self.probes.lookup(name)
        if probe is None:
            known = ", ".join(self.probes.names()[:12])
            self.fail(f"unknown probe {name!r} (known: {known}, ...; add it to {self.probes.display_path})",
                      at=start)
        return _ProbeRef(end, probe.probe), count

    def cell_count(self) -> tuple[int, int | None]:
        start = self.i
        self.i += 1  # '['
        self.ws()
        m = _DIGITS.match(self.s, self.i)
        if not m:
            self.fail("expected the number of nuclei, e.g. [200] or [170/200]")
        n = int(m.group(0))
        self.i = m.end()
        self.ws()
        total: int | None = None
        if self.peek() == "/":
            self.i += 1
            self.ws()
            m = _DIGITS.match(self.s, self.i)
            if not m:
                self.fail("expected the number of nuclei scored after '/', e.g. [170/200]")
            total = int(m.group(0))
            self.i = m.end()
            self.ws()
        if self.peek() != "]":
            self.fail("expected ']' closing the nuclei count, e.g. [200] or [170/200]")
        self.i += 1
        if total is not None and (total == 0 or n > total):
            self.fail(f"{n} nuclei out of {total} scored", at=start)
        if total is None and n == 0:
            self.fail("no nuclei scored", at=start)
        return n, total


# ---------------------------------------------------------------------------
# meaning


@dataclass
class _Finding:
    """What one population's pattern says about one lesion."""

    lesion: str
    kind: ProbeKind
    positive: bool
    copies: int | None
    desc: str
    probes: tuple[str, ...]


class _Interpreter:
    def __init__(self, parser: _Parser, targets: TargetTable, probes: ProbeTable):
        self.p = parser
        self.targets = targets
        self.probes = probes

    def population(self, pop: _Population) -> dict[tuple[str, str], _Finding]:
        counts: dict[_ProbeRef, int] = {}
        relations: list[tuple[_Item, int]] = []
        group_probes: list[list[_ProbeRef]] = []
        for g in pop.groups:
            in_group: list[_ProbeRef] = []
            for it in g.items:
                if it.count is not None and g.multiplier is not None:
                    self.p.fail(f"signal number of {it.a} given twice (inside and after the parentheses)",
                                at=it.pos)
                n = it.count if it.count is not None else g.multiplier
                if n is None:
                    self.p.fail(f"no signal number for {it.text!r}: write e.g. {it.a}x2, or (A,B)x2 for "
                                "probes with the same number", at=it.pos)
                if it.op is None:
                    if it.a in counts and counts[it.a] != n:
                        self.p.fail(f"{it.a} is counted twice with different numbers", at=it.pos)
                    counts[it.a] = n
                    in_group.append(it.a)
                else:
                    relations.append((it, n))
            group_probes.append(in_group)

        findings: list[_Finding] = []

        # break-apart probes: any 5'/3' half, or a relation between the halves of one probe
        ba_first: dict[str, int] = {}
        for ref in counts:
            if ref.end is not None:
                ba_first.setdefault(ref.name, pop.pos)
        for it, _ in relations:
            if it.a.end is not None:
                ba_first.setdefault(it.a.name, it.pos)

        # fusion pairs: two probes joined by con/sep, or counted in one group, that name a fusion target
        pairs: dict[frozenset[str], tuple[tuple[str, str], Target]] = {}
        con_counts: dict[frozenset[str], int] = {}
        in_fusion: set[str] = set()
        for it, n in relations:
            assert it.b is not None
            if it.a.end is not None:
                continue
            key = frozenset((it.a.name, it.b.name))
            t = self.targets.lookup_pair(it.a.name, it.b.name)
            if t is not None:
                pairs.setdefault(key, ((it.a.name, it.b.name), t))
                if it.op == "con":
                    con_counts[key] = con_counts.get(key, 0) + n
                in_fusion.update(key)
            elif it.op == "con":
                in_fusion.update(key)
                if n == 0:
                    continue
                partners = [(nm, self.targets.lookup(nm)) for nm in (it.a.name, it.b.name)]
                hits = [(nm, t2) for nm, t2 in partners if t2 is not None and t2.probe_kind == "breakapart"]
                if not hits:
                    self.p.fail(f"no lesion is known for the fusion {it.a} con {it.b} "
                                f"(add '{it.a}/{it.b}' to {self.targets.display_path})", at=it.pos)
                for nm, t2 in hits:
                    assert t2 is not None
                    findings.append(_Finding(t2.lesion, "fusion", True, None,
                                             f"{it.text} ({nm} joined to a partner)",
                                             (it.a.name, it.b.name)))
        for refs in group_probes:
            names = [r.name for r in refs if r.end is None]
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    if a == b:
                        continue
                    t = self.targets.lookup_pair(a, b)
                    if t is not None:
                        pairs.setdefault(frozenset((a, b)), ((a, b), t))
                        in_fusion.update((a, b))

        for key, ((a, b), t) in pairs.items():
            k = con_counts.get(key, 0)
            seen = ",".join(f"{r}x{n}" for r, n in counts.items() if r.end is None and r.name in key)
            if k > 0:
                desc = f"{a} con {b}x{k}"
            else:
                desc = f"no {a}/{b} fusion signal" + (f" ({seen})" if seen else "")
            findings.append(_Finding(t.lesion, "fusion", k > 0, None, desc, (a, b)))

        for gene, at in ba_first.items():
            t = self.targets.lookup(gene)
            if t is None or t.probe_kind != "breakapart":
                self.p.fail(f"no break-apart target is known for {gene} (add '{gene}' with probe_kind "
                            f"breakapart to {self.targets.display_path})", at=at)
            sep = sum(n for it, n in relations if it.op == "sep" and it.a.name == gene and it.a.end)
            cons = [n for it, n in relations if it.op == "con" and it.a.name == gene and it.a.end]
            con = sum(cons) if cons else None
            h5 = counts.get(_ProbeRef("5", gene))
            h3 = counts.get(_ProbeRef("3", gene))
            if sep > 0:
                positive, desc = True, f"5'{gene} sep 3'{gene}x{sep}"
            elif con is not None and h5 is not None and h3 is not None and con < min(h5, h3):
                positive = True
                desc = f"5'{gene} con 3'{gene}x{con} of 5'{gene}x{h5},3'{gene}x{h3} (split signal)"
            else:
                positive = False
                desc = f"{gene} break-apart signals intact" + (f" (5'{gene} con 3'{gene}x{con})"
                                                                 if con is not None else "")
            findings.append(_Finding(t.lesion, "breakapart", positive, None, desc, (gene,)))

        for ref, n in counts.items():
            if ref.end is not None or ref.name in in_fusion or ref.name in ba_first:
                continue
            t = self.targets.lookup(ref.name)
            if t is None or t.probe_kind in ("fusion", "mutation"):
                continue  # a control probe, or a gene that names no lesion on its own
            if t.probe_kind == "breakapart":
                findings.append(_Finding(t.lesion, "breakapart", False, None,
                                         f"{ref}x{n}, no split signal", (ref.name,)))
            elif t.probe_kind == "deletion":
                findings.append(self._deletion(ref, n, counts, t))
            else:
                desc = f"{ref}x{n} (" + ("gain" if n > NORMAL_COPIES else "no gain") + ")"
                findings.append(_Finding(t.lesion, "gain", n > NORMAL_COPIES, n, desc, (ref.name,)))

        merged: dict[tuple[str, str], _Finding] = {}
        for f in findings:
            key = (f.lesion, f.kind)
            old = merged.get(key)
            if old is None:
                merged[key] = f
                continue
            pick = min if f.kind == "deletion" else max
            if old.positive != f.positive:
                copies = (old if old.positive else f).copies
            else:
                both = [c for c in (old.copies, f.copies) if c is not None]
                copies = pick(both) if both else None
            merged[key] = _Finding(f.lesion, f.kind, old.positive or f.positive, copies,
                                   f"{old.desc}; {f.desc}", old.probes + f.probes)
        return merged

    def _deletion(self, ref: _ProbeRef, n: int, counts: dict[_ProbeRef, int], t: Target) -> _Finding:
        """Loss of a deletion target: below 2 signals, or below a control of its chromosome."""
        probe = self.probes.lookup(ref.name)
        assert probe is not None
        controls = []
        for other, m in counts.items():
            q = self.probes.lookup(other.name)
            if (other.end is None and q is not None and q.probe != probe.probe
                    and q.role in ("control", "centromere") and q.chromosome == probe.chromosome):
                controls.append((other, m))
        ctrl = ",".join(f"{o}x{m}" for o, m in controls)
        if n < NORMAL_COPIES:
            desc = f"{ref}x{n}" + (f",{ctrl}" if ctrl else "") + f" (loss: {n} of {NORMAL_COPIES} signals)"
            positive = True
        elif any(n < m for _, m in controls):
            desc = f"{ref}x{n},{ctrl} (relative loss against the control)"
            positive = True
        else:
            desc = f"{ref}x{n}" + (f",{ctrl}" if ctrl else "") + " (no loss)"
            positive = False
        return _Finding(t.lesion, "deletion", positive, n, desc, (ref.name,) + tuple(o.name for o, _ in controls))


def _fmt_fraction(n: int, total: int, whole: bool) -> str:
    return f"all {total}" if whole and n == total else f"{n}/{total}"


def parse_iscn(
    text: str,
    targets: TargetTable,
    probes: ProbeTable,
    *,
    file: str = "ISCN",
    line: int | None = None,
) -> list[IscnObservation]:
    """Read an ISCN ``nuc ish`` string into one observation per lesion it tests.

    ``targets`` and ``probes`` carry the probe knowledge (see the module
    docstring). ``file`` and ``line`` only place error messages.

    Nuclei counts: ``[a/b]`` means a of b scored nuclei show the pattern
    (percent = a/b*100); a single ``[n]`` means all n nuclei show it; several
    populations written ``[n1]/[n2]`` share the total n1+n2. A lesion whose
    populations all show a normal pattern is negative with percent 0 when the
    populations account for every nucleus scored, else with percent None.

    Raises :class:`InputError` naming the string, the position and token it
    could not read, and an example of a string it reads.
    """
    parser = _Parser(text, probes, file, line)
    pops = parser.parse()
    if all(p.total is not None for p in pops):
        totals = {p.total for p in pops}
        if len(totals) > 1:
            parser.fail("the cell populations give different numbers of nuclei scored "
                        f"({', '.join(str(t) for t in sorted(t for t in totals if t is not None))})",
                        at=pops[1].pos)
        total = pops[0].total
        assert total is not None
        whole = False
    elif all(p.total is None for p in pops):
        total = sum(p.n for p in pops)
        whole = len(pops) == 1
    else:
        parser.fail("write every population's count as [n] or every one as [n/total], not a mix",
                    at=pops[1].pos)
    if sum(p.n for p in pops) > total:
        parser.fail(f"the populations add up to {sum(p.n for p in pops)} nuclei, more than the {total} scored",
                    at=pops[-1].pos)

    interp = _Interpreter(parser, targets, probes)
    per_pop = [interp.population(p) for p in pops]
    keys: list[tuple[str, str]] = []
    for found in per_pop:
        for k in found:
            if k not in keys:
                keys.append(k)
    if not keys:
        read = sorted({r.name for p in pops for g in p.groups for it in g.items for r in (it.a, it.b) if r})
        parser.fail(f"none of its probes ({', '.join(read)}) names a lesion listed in {targets.display_path}",
                    at=-1)

    out: list[IscnObservation] = []
    for key in keys:
        lesion, kind = key
        tested = [(p, found[key]) for p, found in zip(pops, per_pop) if key in found]
        pos = [(p, f) for p, f in tested if f.positive]
        names: list[str] = []
        for _, f in tested:
            names += [n for n in f.probes if n not in names]
        if pos:
            n_abn = sum(p.n for p, _ in pos)
            percent = float(Fraction(n_abn * 100, total))
            copies_seen = [f.copies for _, f in pos if f.copies is not None]
            copies: int | None = None
            if copies_seen:
                copies = max(copies_seen) if kind == "gain" else min(copies_seen)
            if len(pos) == 1:
                p, f = pos[0]
                txt = f"{f.desc} in {_fmt_fraction(p.n, total, whole)} nuclei"
            else:
                parts = "; ".join(f"{f.desc} in {p.n}/{total}" for p, f in pos)
                txt = f"{parts}: {len(pos)} populations together {n_abn}/{total} nuclei"
                if copies is not None and len(set(copies_seen)) > 1:
                    txt += f", copies the {'highest' if kind == 'gain' else 'lowest'} ({copies})"
            out.append(IscnObservation(lesion, True, percent, copies, kind, txt, total, tuple(names)))
        else:
            covered = sum(p.n for p, _ in tested)
            percent_neg: float | None = 0.0 if covered == total else None
            copies_seen = [f.copies for _, f in tested if f.copies is not None]
            copies_neg = copies_seen[0] if copies_seen and len(set(copies_seen)) == 1 else None
            txt = "; ".join(f"{f.desc} in {_fmt_fraction(p.n, total, whole)} nuclei" for p, f in tested)
            out.append(IscnObservation(lesion, False, percent_neg, copies_neg, kind, txt, total, tuple(names)))
    return out
