"""Reading ISCN interphase FISH results (``nuc ish`` strings) of myeloma panels.

A cytogenetics report often gives its FISH result only as an ISCN string, e.g.
``nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]`` (an IGH::FGFR3 dual-fusion
probe with two fusion signals in 170 of 200 nuclei). :func:`parse_iscn` turns
such a string into :class:`IscnObservation` items: which lesion was tested,
whether the signal pattern shows it, in what percent of nuclei, and with how
many copies.

This module gives the patterns their meaning. The grammar (text to
populations, groups and probe items) is :mod:`mmrisk.iscnsyntax`; what a probe
or target name means is data, loaded by :mod:`mmrisk.fishvocab` from
``resources/fish_probes.tsv`` and ``resources/fish_targets.tsv`` (a probe name
such as ``TP53`` or ``D5Z2`` is itself a target synonym; a fusion pair
``A con B`` is looked up as ``A/B``). The vocabulary's public names
(:func:`load_targets`, :func:`load_probes`, :class:`TargetTable`, ...) are
re-exported here, so ``from mmrisk.iscn import load_probes`` keeps working.

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

from dataclasses import dataclass, field
from fractions import Fraction

from .fishvocab import (
    HYPERDIPLOIDY_CHROMOSOMES,
    PROBE_KINDS,
    PROBE_ROLES,
    Probe,
    ProbeKind,
    ProbeRole,
    ProbeTable,
    Target,
    TargetTable,
    display_path,
    is_lesion_or_trisomy,
    load_default_probes,
    load_default_targets,
    load_probes,
    load_targets,
    normalise_name,
)
from .iscnsyntax import ISCN_EXAMPLE, Item, Parser, Population, ProbeRef

__all__ = [
    "HYPERDIPLOIDY_CHROMOSOMES",
    "ISCN_EXAMPLE",
    "NORMAL_COPIES",
    "PROBE_KINDS",
    "PROBE_ROLES",
    "IscnObservation",
    "Probe",
    "ProbeKind",
    "ProbeRole",
    "ProbeTable",
    "Target",
    "TargetTable",
    "display_path",
    "is_lesion_or_trisomy",
    "load_default_probes",
    "load_default_targets",
    "load_probes",
    "load_targets",
    "normalise_name",
    "parse_iscn",
]

#: Signals of a locus in a normal (disomic) nucleus.
NORMAL_COPIES = 2

#: A lesion as one population's findings key it: (lesion id or trisomy_N, probe kind).
_Key = tuple[str, ProbeKind]


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
# meaning of one population


@dataclass
class _Finding:
    """What one population's pattern says about one lesion."""

    lesion: str
    kind: ProbeKind
    positive: bool
    copies: int | None
    desc: str
    probes: tuple[str, ...]


@dataclass
class _Tally:
    """The signals of one population, in the order written."""

    counts: dict[ProbeRef, int]  # single probes (or halves) and their signal numbers
    relations: list[tuple[Item, int]]  # con/sep items and their signal numbers
    group_probes: list[list[ProbeRef]]  # the single probes of each group


@dataclass
class _FusionScan:
    """The fusion pairs of one population, in the order first seen."""

    pairs: dict[frozenset[str], tuple[tuple[str, str], Target]] = field(default_factory=dict)
    con_counts: dict[frozenset[str], int] = field(default_factory=dict)  # fusion signals per pair
    joined: set[str] = field(default_factory=set)  # probes read as part of a fusion, not on their own
    partner_findings: list[_Finding] = field(default_factory=list)  # a break-apart gene joined to a partner


def _breakapart_genes(pop: Population, tally: _Tally) -> dict[str, int]:
    """Genes tested with a break-apart probe (a 5'/3' half is written), with where first seen."""
    first: dict[str, int] = {}
    for ref in tally.counts:
        if ref.end is not None:
            first.setdefault(ref.name, pop.pos)
    for it, _ in tally.relations:
        if it.a.end is not None:
            first.setdefault(it.a.name, it.pos)
    return first


def _pair_findings(scan: _FusionScan, counts: dict[ProbeRef, int]) -> list[_Finding]:
    """One finding per fusion pair: positive with at least one fusion (``con``) signal."""
    findings: list[_Finding] = []
    for key, ((a, b), t) in scan.pairs.items():
        k = scan.con_counts.get(key, 0)
        seen = ",".join(f"{r}x{n}" for r, n in counts.items() if r.end is None and r.name in key)
        if k > 0:
            desc = f"{a} con {b}x{k}"
        else:
            desc = f"no {a}/{b} fusion signal" + (f" ({seen})" if seen else "")
        findings.append(_Finding(t.lesion, "fusion", k > 0, None, desc, (a, b)))
    return findings


def _merge_findings(findings: list[_Finding]) -> dict[_Key, _Finding]:
    """One finding per (lesion, kind): positive if any is; the lowest (deletion) or highest copies."""
    merged: dict[_Key, _Finding] = {}
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


class _Interpreter:
    """What each population of one parsed string says, lesion by lesion."""

    def __init__(self, parser: Parser, targets: TargetTable, probes: ProbeTable):
        self.p = parser
        self.targets = targets
        self.probes = probes

    def population(self, pop: Population) -> dict[_Key, _Finding]:
        """The findings of one population: fusions, break-aparts, then single-probe copy numbers."""
        tally = self._tally(pop)
        halves = _breakapart_genes(pop, tally)
        scan = self._scan_fusions(tally)
        findings = scan.partner_findings + _pair_findings(scan, tally.counts)
        findings += [self._breakapart(gene, at, tally) for gene, at in halves.items()]
        findings += self._single_probe_findings(tally, scan.joined | set(halves))
        return _merge_findings(findings)

    def _tally(self, pop: Population) -> _Tally:
        """The signal number of every item; one probe counted twice must agree with itself."""
        tally = _Tally({}, [], [])
        for g in pop.groups:
            in_group: list[ProbeRef] = []
            for it in g.items:
                n = self._signal_number(it, g.multiplier)
                if it.op is None:
                    if it.a in tally.counts and tally.counts[it.a] != n:
                        self.p.fail(f"{it.a} is counted twice with different numbers", at=it.pos)
                    tally.counts[it.a] = n
                    in_group.append(it.a)
                else:
                    tally.relations.append((it, n))
            tally.group_probes.append(in_group)
        return tally

    def _signal_number(self, it: Item, multiplier: int | None) -> int:
        """The signal number of an item: its own ``xN`` or its group's, never both."""
        if it.count is not None and multiplier is not None:
            self.p.fail(f"signal number of {it.a} given twice (inside and after the parentheses)", at=it.pos)
        n = it.count if it.count is not None else multiplier
        if n is None:
            self.p.fail(f"no signal number for {it.text!r}: write e.g. {it.a}x2, or (A,B)x2 for "
                        "probes with the same number", at=it.pos)
        return n

    def _scan_fusions(self, tally: _Tally) -> _FusionScan:
        """Fusion pairs: two probes joined by con/sep, or counted in one group, that name a fusion target."""
        scan = _FusionScan()
        for it, n in tally.relations:
            assert it.b is not None
            if it.a.end is not None:
                continue
            key = frozenset((it.a.name, it.b.name))
            t = self.targets.lookup_pair(it.a.name, it.b.name)
            if t is not None:
                scan.pairs.setdefault(key, ((it.a.name, it.b.name), t))
                if it.op == "con":
                    scan.con_counts[key] = scan.con_counts.get(key, 0) + n
                scan.joined.update(key)
            elif it.op == "con":
                scan.joined.update(key)
                if n != 0:
                    scan.partner_findings += self._partner_fusions(it)
        for refs in tally.group_probes:
            names = [r.name for r in refs if r.end is None]
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    t = self.targets.lookup_pair(a, b) if a != b else None
                    if t is not None:
                        scan.pairs.setdefault(frozenset((a, b)), ((a, b), t))
                        scan.joined.update((a, b))
        return scan

    def _partner_fusions(self, it: Item) -> list[_Finding]:
        """``A con B`` naming no fusion target: a break-apart gene among A, B joined to a partner."""
        assert it.b is not None
        hits: list[tuple[str, Target]] = []
        for name in (it.a.name, it.b.name):
            t = self.targets.lookup(name)
            if t is not None and t.probe_kind == "breakapart":
                hits.append((name, t))
        if not hits:
            self.p.fail(f"no lesion is known for the fusion {it.a} con {it.b} "
                        f"(add '{it.a}/{it.b}' to {self.targets.display_path})", at=it.pos)
        return [_Finding(t.lesion, "fusion", True, None, f"{it.text} ({name} joined to a partner)",
                         (it.a.name, it.b.name)) for name, t in hits]

    def _breakapart(self, gene: str, at: int, tally: _Tally) -> _Finding:
        """A break-apart probe: positive with a split (``sep``) signal or fewer fused than half signals."""
        t = self.targets.lookup(gene)
        if t is None or t.probe_kind != "breakapart":
            self.p.fail(f"no break-apart target is known for {gene} (add '{gene}' with probe_kind "
                        f"breakapart to {self.targets.display_path})", at=at)
        rel = tally.relations
        sep = sum(n for it, n in rel if it.op == "sep" and it.a.name == gene and it.a.end)
        cons = [n for it, n in rel if it.op == "con" and it.a.name == gene and it.a.end]
        con = sum(cons) if cons else None
        h5 = tally.counts.get(ProbeRef("5", gene))
        h3 = tally.counts.get(ProbeRef("3", gene))
        if sep > 0:
            positive, desc = True, f"5'{gene} sep 3'{gene}x{sep}"
        elif con is not None and h5 is not None and h3 is not None and con < min(h5, h3):
            positive = True
            desc = f"5'{gene} con 3'{gene}x{con} of 5'{gene}x{h5},3'{gene}x{h3} (split signal)"
        else:
            positive = False
            desc = f"{gene} break-apart signals intact" + (f" (5'{gene} con 3'{gene}x{con})"
                                                             if con is not None else "")
        return _Finding(t.lesion, "breakapart", positive, None, desc, (gene,))

    def _single_probe_findings(self, tally: _Tally, taken: set[str]) -> list[_Finding]:
        """Probes read on their own (not in ``taken``): copy number of deletion and gain targets."""
        findings: list[_Finding] = []
        for ref, n in tally.counts.items():
            if ref.end is not None or ref.name in taken:
                continue
            t = self.targets.lookup(ref.name)
            if t is None or t.probe_kind in ("fusion", "mutation"):
                continue  # a control probe, or a gene that names no lesion on its own
            if t.probe_kind == "breakapart":
                findings.append(_Finding(t.lesion, "breakapart", False, None,
                                         f"{ref}x{n}, no split signal", (ref.name,)))
            elif t.probe_kind == "deletion":
                findings.append(self._deletion(ref, n, tally.counts, t))
            else:
                desc = f"{ref}x{n} (" + ("gain" if n > NORMAL_COPIES else "no gain") + ")"
                findings.append(_Finding(t.lesion, "gain", n > NORMAL_COPIES, n, desc, (ref.name,)))
        return findings

    def _deletion(self, ref: ProbeRef, n: int, counts: dict[ProbeRef, int], t: Target) -> _Finding:
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



# ---------------------------------------------------------------------------
# the populations together


def _fmt_fraction(n: int, total: int, whole: bool) -> str:
    return f"all {total}" if whole and n == total else f"{n}/{total}"


def _nuclei_scored(parser: Parser, pops: list[Population]) -> tuple[int, bool]:
    """The number of nuclei scored, and whether it is one population's ``[n]`` (all nuclei)."""
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
    return total, whole


def _tested_keys(per_pop: list[dict[_Key, _Finding]]) -> list[_Key]:
    """Every (lesion, kind) some population tests, in the order first seen."""
    keys: list[_Key] = []
    for found in per_pop:
        for k in found:
            if k not in keys:
                keys.append(k)
    return keys


def _positive_observation(key: _Key, pos: list[tuple[Population, _Finding]], total: int, whole: bool,
                          names: tuple[str, ...]) -> IscnObservation:
    """A lesion shown by the populations ``pos``: their nuclei added, the extreme copy number."""
    lesion, kind = key
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
    return IscnObservation(lesion, True, percent, copies, kind, txt, total, names)


def _negative_observation(key: _Key, tested: list[tuple[Population, _Finding]], total: int, whole: bool,
                          names: tuple[str, ...]) -> IscnObservation:
    """A lesion no population shows: percent 0 if the populations cover every nucleus scored."""
    lesion, kind = key
    covered = sum(p.n for p, _ in tested)
    percent: float | None = 0.0 if covered == total else None
    copies_seen = [f.copies for _, f in tested if f.copies is not None]
    copies = copies_seen[0] if copies_seen and len(set(copies_seen)) == 1 else None
    txt = "; ".join(f"{f.desc} in {_fmt_fraction(p.n, total, whole)} nuclei" for p, f in tested)
    return IscnObservation(lesion, False, percent, copies, kind, txt, total, names)


def _observation(key: _Key, tested: list[tuple[Population, _Finding]], total: int,
                 whole: bool) -> IscnObservation:
    """What the populations that test one lesion say about it together."""
    names: list[str] = []
    for _, f in tested:
        names += [n for n in f.probes if n not in names]
    pos = [(p, f) for p, f in tested if f.positive]
    if pos:
        return _positive_observation(key, pos, total, whole, tuple(names))
    return _negative_observation(key, tested, total, whole, tuple(names))


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
    parser = Parser(text, probes, file, line)
    pops = parser.parse()
    total, whole = _nuclei_scored(parser, pops)
    interp = _Interpreter(parser, targets, probes)
    per_pop = [interp.population(p) for p in pops]
    keys = _tested_keys(per_pop)
    if not keys:
        read = sorted({r.name for p in pops for g in p.groups for it in g.items for r in (it.a, it.b) if r})
        parser.fail(f"none of its probes ({', '.join(read)}) names a lesion listed in {targets.display_path}",
                    at=-1)
    return [_observation(key, [(p, found[key]) for p, found in zip(pops, per_pop) if key in found], total, whole)
            for key in keys]
