"""Whether the tabix index beside a bgzipped VCF belongs to it, checked cheaply before any region query.

A stale index (written before the data was rewritten or appended to) or a foreign one (of another file)
makes region queries find nothing, which would read as "no variant". :func:`index_problem` says why an
index cannot be trusted, or ``None``:

- the index cannot be opened (corrupt, not a tabix/CSI index);
- it names contigs the header's ``##contig`` lines do not declare (an index of another file);
- the file's first data record, or its last one (read from the last BGZF blocks, without decompressing
  the file), is not found by an index query at its own position.

The caller falls back to the full scan (:mod:`mmrisk.vcfscan`) with a warning.
"""

from __future__ import annotations

import gzip
import os
import zlib
from typing import Iterable

from . import textio
from .genome import canonical_chrom

#: compressed bytes read from the end of the file to find its last record (a BGZF block is at most 64 KiB)
_TAIL = 1 << 18
_BLOCK_MAGIC = b"\x1f\x8b\x08\x04"


def _first_record(path: str) -> bytes | None:
    import pysam

    with pysam.BGZFile(path, "rb") as fh:
        for line in fh:
            if not line.startswith(b"#"):
                return line.rstrip(b"\r\n")
    return None


def _last_record(path: str) -> bytes | None:
    """The last data line, decompressed from the last BGZF blocks (None when none is found)."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        fh.seek(max(0, size - _TAIL))
        tail = fh.read()
    at = tail.find(_BLOCK_MAGIC)
    while at >= 0 and tail[at + 12:at + 14] != b"BC":
        at = tail.find(_BLOCK_MAGIC, at + 1)
    if at < 0:
        return None
    try:
        text = gzip.decompress(tail[at:])
    except (OSError, EOFError, zlib.error):
        return None
    body = text.rstrip(b"\r\n")
    if b"\n" not in body and at > 0:
        return None  # one partial line: cannot tell where it starts
    last = body.rsplit(b"\n", 1)[-1].rstrip(b"\r")
    return None if not last or last.startswith(b"#") else last


def _found(tbx: object, line: bytes) -> bool:
    """Whether an index query at the line's own position returns the line."""
    cols = line.split(b"\t", 2)
    if len(cols) < 3 or not cols[1].isdigit():
        return False
    chrom, pos = cols[0].decode("utf-8", "replace"), int(cols[1])
    want = line.decode("utf-8", "replace")
    if chrom not in tbx.contigs:  # type: ignore[attr-defined]
        return False
    return any(r.rstrip("\r") == want for r in tbx.fetch(chrom, max(0, pos - 1), pos))  # type: ignore[attr-defined]


def index_problem(path: str, header_contigs: Iterable[str]) -> str | None:
    """Why the index beside ``path`` cannot be trusted, or None."""
    import pysam

    declared = {canonical_chrom(c) for c in header_contigs}  # chr17 records under ##contig=<ID=17> are fine
    try:
        with pysam.TabixFile(path, encoding=textio.ENCODING) as tbx:
            foreign = [c for c in tbx.contigs if declared and canonical_chrom(c) not in declared]
            if foreign:
                return (f"the index names contig(s) {', '.join(foreign[:3])} that the header does not declare "
                        "(an index of another file?)")
            for which, line in (("first", _first_record(path)), ("last", _last_record(path))):
                if line is not None and not _found(tbx, line):
                    return (f"the file's {which} record is not found by the index at its own position "
                            "(an index older than the data, or of another file)")
    except (OSError, ValueError, UnicodeDecodeError, zlib.error, EOFError) as exc:
        return f"the index cannot be used ({exc})"
    return None


__all__ = ["index_problem"]
