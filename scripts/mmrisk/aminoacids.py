"""Amino acids and HGVS protein changes: the one residue table and the one ``p.`` normaliser.

- :data:`ONE_TO_THREE` / :data:`THREE_TO_ONE`: the 20 standard residues, selenocysteine
  (``U``/``Sec``), pyrrolysine (``O``/``Pyl``) and the stop (``*``/``Ter``);
- :data:`THREE_LETTER`: a regular-expression alternation of the three-letter residue codes
  (without ``Ter``), for patterns such as ``p.(Ala|Arg|...)(\\d+)``;
- :func:`three_letter`: one-letter residues (a single code or a run) in three-letter code;
- :func:`normalise_hgvsp`: any annotator's protein change as ``p.`` in three-letter code. The
  small-variant reader keeps predicted-change parentheses (``p.(Arg248Gln)``); the knowledge base
  drops them (``strip_parentheses=True``) to compare changes with its rules.

Every module that reads or writes protein changes (annotation dialects, the knowledge base) uses
these; none keeps a residue table of its own.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

#: One-letter -> three-letter residue codes (IUPAC order of the standard 20, then Sec, Pyl, stop).
ONE_TO_THREE: dict[str, str] = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly",
    "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser",
    "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "U": "Sec", "O": "Pyl", "*": "Ter",
}
#: Three-letter -> one-letter residue codes.
THREE_TO_ONE: dict[str, str] = {three: one for one, three in ONE_TO_THREE.items()}
#: One-letter spellings read as a stop besides ``*``: ``X`` as older annotators write it.
STOP_ALIASES: frozenset[str] = frozenset({"X"})
#: Alternation of the three-letter residue codes, stop excluded: ``Ala|Arg|...|Sec|Pyl``.
THREE_LETTER: str = "|".join(three for three in ONE_TO_THREE.values() if three != "Ter")

_ONE_LETTER_CHANGE = re.compile(r"([A-Z*])(\d+)([A-Z*=?]|fs\*?\d*|fs|del|dup)")
_ONE_LETTER_RUN_DEL = re.compile(r"([A-Z]{2,})(\d+)del")


def three_letter(residues: str) -> str:
    """One-letter residues in three-letter code (``R`` -> ``Arg``, ``*``/``X`` -> ``Ter``).

    Characters that are no residue code are kept as they are (``?``, ``=``, digits).
    """
    return "".join("Ter" if c in STOP_ALIASES else ONE_TO_THREE.get(c, c) for c in residues)


def _three_letter_body(body: str) -> str:
    """The change after ``p.`` (parentheses removed) in three-letter code."""
    m = _ONE_LETTER_CHANGE.fullmatch(body)
    if m:
        ref, pos, rest = m.groups()
        if len(rest) == 1 and rest not in "=?":
            rest = three_letter(rest)
        elif rest.startswith("fs"):
            rest = "fs" + rest[2:].replace("*", "Ter")
        return f"{three_letter(ref)}{pos}{rest}"
    m = _ONE_LETTER_RUN_DEL.fullmatch(body)
    if m:  # Funcotator: p.ERQERL217del
        seq, start = m.group(1), int(m.group(2))
        return f"{three_letter(seq[0])}{start}_{three_letter(seq[-1])}{start + len(seq) - 1}del"
    body = re.sub(r"(?<=[a-z0-9])\*", "Ter", body)
    return re.sub(r"^([A-Z][a-z]{2}\d+)\*$", r"\1Ter", body)


def normalise_hgvsp(value: str | None, *, strip_parentheses: bool = False) -> str | None:
    """The ``p.`` part of a protein change in three-letter code.

    ``ENSP00000269305.4:p.Arg72Pro`` -> ``p.Arg72Pro``; ``p.Gly12%3D`` -> ``p.Gly12=``;
    ``p.Arg248*`` -> ``p.Arg248Ter``; one-letter ``p.R72P`` / ``p.R248*`` / ``p.E217del`` /
    ``p.ERQERL217del`` (Funcotator) -> three-letter. Predicted-change parentheses
    (``p.(Arg248Gln)``) are kept, or dropped with ``strip_parentheses``. Empty values, ``.`` and
    ``-`` give None; anything that is not a ``p.`` change is returned as it is (stripped, %-decoded).
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
    body = _three_letter_body(body)
    return f"p.({body})" if paren and not strip_parentheses else f"p.{body}"


__all__ = ["ONE_TO_THREE", "STOP_ALIASES", "THREE_LETTER", "THREE_TO_ONE", "normalise_hgvsp", "three_letter"]
