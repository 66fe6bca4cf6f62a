"""The grammar of ISCN interphase FISH strings (``nuc ish``): text to a syntax tree.

:class:`Parser` reads one string such as
``nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]`` into cell
:class:`Population` items (separated by ``/``), each a list of probe
:class:`Group` items (``(...)xN``, optionally after a band such as
``17p13.1``) and its nuclei count ``[n]`` or ``[n/total]``. A group holds
:class:`Item` items: one probe with its signal count (``FGFR3x3``), or two
probes (or the 5'/3' halves of one) joined by ``con`` or ``sep``.

Probe names are checked against the probe table
(:class:`~mmrisk.fishvocab.ProbeTable`) while reading, so a
:class:`ProbeRef` always carries the table's canonical name. What a pattern
means (positive or not, copies) is :mod:`mmrisk.iscn`'s business, not this
module's. Every error is an :class:`~mmrisk.errors.InputError` naming the
string, the position and token, and :data:`ISCN_EXAMPLE`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from .errors import InputError, InputProblem
from .fishvocab import CHAR_MAP, ProbeTable

#: A string the reader accepts, quoted in its error messages.
ISCN_EXAMPLE = "nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]"


@dataclass(frozen=True)
class ProbeRef:
    """A probe as written: its canonical name, and which half of a break-apart probe."""

    end: str | None  # "5" or "3" for a break-apart half
    name: str  # canonical name from the probe table

    def __str__(self) -> str:
        return f"{self.end}'{self.name}" if self.end else self.name


@dataclass
class Item:
    """One probe and its signal count, or two probes joined by ``con``/``sep`` (``a op b``)."""

    a: ProbeRef
    op: str | None  # "con" or "sep"
    b: ProbeRef | None
    count: int | None
    pos: int
    text: str


@dataclass
class Group:
    """A parenthesised list of items; ``multiplier`` is the ``xN`` after the parenthesis."""

    items: list[Item]
    multiplier: int | None


@dataclass
class Population:
    """One cell population: its groups and its nuclei count ``[n]`` or ``[n/total]``."""

    groups: list[Group]
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


class Parser:
    """Recursive-descent reader of one ``nuc ish`` string."""

    def __init__(self, text: str, probes: ProbeTable, file: str, line: int | None):
        self.raw = text
        self.s = text.translate(CHAR_MAP)  # one char for one char: positions stay valid
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

    def parse(self) -> list[Population]:
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

    def population(self) -> Population:
        self.ws()
        start = self.i
        groups: list[Group] = []
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
        return Population(groups, n, total, start)

    def group(self) -> Group:
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
        return Group(items, self.xcount())

    def item(self) -> Item:
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
            return Item(a, op, b, count, start, self.s[start:self.i].strip())
        count = a_count if a_count is not None else self.xcount()
        return Item(a, None, None, count, start, self.s[start:self.i].strip())

    def probe(self) -> tuple[ProbeRef, int | None]:
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
        return ProbeRef(end, probe.probe), count

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
