"""The plain records of SV VCF reading, and what a caller dialect is.

- :class:`Support` and :class:`Junction`: one SV junction as read (both ends, the caller dialect,
  ids, FILTER, read support, the ``file:line`` record); they know nothing of lesions or windows.
- :class:`Fields`: the INFO and tumour-column FORMAT values of one record, as a dialect's support
  reader sees them.
- :class:`Dialect`: how one caller is recognised (texts in the header, or in ``INFO/SVMETHOD`` of
  a record of a file whose header names no caller), how its read support is read, and what it
  adds to a breakend's orientation (Delly's ``CT``).
- :func:`detect_dialect` / :func:`record_dialect`: the recognition rules over an ordered table of
  dialects (the registry of :mod:`mmrisk.formats.sv`; the first match wins).
- :func:`first_int` / :func:`alt_count`: the two ways callers write a count.

Support, Junction and Fields are typed named tuples, not frozen dataclasses: one of each is built per record of
genome-wide files (tens of thousands per sample), and a frozen dataclass costs several times as
much to build. They are immutable and compare by value all the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, NamedTuple

#: The dialect of a file (and of its records) whose header names no known caller.
GENERIC = "generic"


class Support(NamedTuple):
    """Reads supporting a junction: split reads, read pairs, and caller-specific other counts."""

    split_reads: int | None = None
    paired_reads: int | None = None
    other: tuple[tuple[str, float], ...] = ()

    @property
    def total(self) -> float | None:
        """Split + paired reads where known, else the largest other count, else ``None``."""
        if self.split_reads is not None or self.paired_reads is not None:
            return float((self.split_reads or 0) + (self.paired_reads or 0))
        if self.other:
            return max(v for _, v in self.other)
        return None

    def describe(self) -> str:
        parts = []
        if self.split_reads is not None:
            parts.append(f"split reads {self.split_reads}")
        if self.paired_reads is not None:
            parts.append(f"read pairs {self.paired_reads}")
        parts += [f"{k} {v:g}" for k, v in self.other]
        return ", ".join(parts) if parts else "support not given"


class Junction(NamedTuple):
    """One SV junction; ``chrom2``/``pos2`` are ``None`` for a single breakend."""

    chrom1: str
    pos1: int
    chrom2: str | None
    pos2: int | None
    orientation: str | None
    dialect: str
    ids: tuple[str, ...]
    filter: str
    support: Support
    record: str  # "file:line"
    svtype: str

    @property
    def single(self) -> bool:
        return self.chrom2 is None

    def ends(self) -> list[tuple[str, int]]:
        e = [(self.chrom1, self.pos1)]
        if self.chrom2 is not None and self.pos2 is not None:
            e.append((self.chrom2, self.pos2))
        return e

    def where(self) -> str:
        a = f"{self.chrom1}:{self.pos1:,}"
        return a if self.single else f"{a} - {self.chrom2}:{self.pos2:,}"


class Fields(NamedTuple):
    """The values of one record a support reader looks at."""

    info: Mapping[str, str | bool]
    fmt: Mapping[str, str]  # FORMAT key -> the tumour column's value ({} for a sites-only file)
    single: bool  # a single breakend (GRIDSS/ESVEE ``.N``/``N.``)

    def get(self, key: str) -> str | bool | None:
        """The tumour column's value of ``key`` where it has one, else the INFO value."""
        v = self.fmt.get(key)
        if v not in (None, "", "."):
            return v
        return self.info.get(key)


SupportReader = Callable[[Fields], Support]
#: (orientation of a bracket breakend such as ``t[p[``, INFO) -> the orientation text to keep
BreakendNote = Callable[[str, Mapping[str, "str | bool"]], str]


@dataclass(frozen=True)
class Dialect:
    """One caller dialect: how it is recognised and how its read support is read."""

    name: str
    #: lower-case texts naming the caller in the header (``##source`` lines first, then anywhere)
    header_keys: tuple[str, ...]
    support: SupportReader
    #: lower-case texts naming the caller in ``INFO/SVMETHOD`` of a record of a generic file
    svmethod_keys: tuple[str, ...] = ()
    #: what the dialect adds to the orientation of a bracket breakend, if anything
    breakend_note: BreakendNote | None = None

    def named_in(self, text: str) -> bool:
        """Whether ``text`` (a header line, or the whole header) names this caller."""
        low = text.lower()
        return any(key in low for key in self.header_keys)


def detect_dialect(header: str, dialects: Iterable[Dialect]) -> str:
    """The dialect the header names: a ``##source`` line first, then any header text; else generic.

    Within each pass the dialects are tried in the order given, each with its keys in order.
    """
    table = list(dialects)
    for line in header.splitlines():
        if line.lower().startswith("##source"):
            for d in table:
                if d.named_in(line):
                    return d.name
    for d in table:
        if d.named_in(header):
            return d.name
    return GENERIC


def record_dialect(file_dialect: str, info: Mapping[str, str | bool], dialects: Iterable[Dialect]) -> str:
    """The dialect of one record: the file's, or for a generic file the caller its ``SVMETHOD`` names."""
    if file_dialect != GENERIC:
        return file_dialect
    method = str(info.get("SVMETHOD", "")).lower()
    for d in dialects:
        if any(key in method for key in d.svmethod_keys):
            return d.name
    return file_dialect


#: Read-support fields of the SV callers (a header declaring one of them is an SV caller's).
SUPPORT_KEYS: frozenset[str] = frozenset({"SR", "PR", "PE", "RV", "DV", "DR", "RR", "VF", "BVF", "SU", "RE",
                                          "SUPPORT"})
#: Values of a count field that mean "not given".
MISSING = ("", ".")


def _count(text: str, value: object) -> int:
    """One read count: a finite, non-negative whole number (``"12"``, ``"4.0"``); else ValueError."""
    if text.isascii() and text.isdigit():  # the common case, without float()
        return int(text)
    try:
        f = float(text)
    except ValueError:
        raise ValueError(f"read support {value!r} is not a number (expected a non-negative whole number)") from None
    if not math.isfinite(f) or f < 0 or not f.is_integer():
        raise ValueError(f"read support {value!r} is not a non-negative whole number")
    return int(f)


def first_int(value: object) -> int | None:
    """The first number of a value (``"12"``, ``"12,3"``, ``"4.0"``) as a read count, ``None`` if not given.

    A value that is given but is no count (``abc``, ``-1``, ``2.5``, ``inf``, ``nan``) raises ValueError
    (the record is refused with its line).
    """
    if value is None or value is True or value is False:
        return None
    s = str(value).split(",")[0].strip()
    return None if s in MISSING else _count(s, value)


def alt_count(value: object) -> int | None:
    """Manta-style ``ref,alt`` pairs -> alt; a single number -> itself (ValueError for a bad count)."""
    if value is None or value is True or value is False:
        return None
    text = str(value)
    ref, sep, alt = text.partition(",")
    if sep and alt.isascii() and alt.isdigit() and ref.isascii() and ref.isdigit():  # the common "30,2"
        return int(alt)
    parts = [p.strip() for p in text.split(",") if p.strip() not in MISSING]
    for p in parts[:-1]:
        _count(p, value)  # the ref count must be a count too
    return _count(parts[-1], value) if parts else None
