"""Fast extraction of the records inside given regions from an unindexed VCF (plain, gzip or bgzip).

Without an index the whole file must be read; this module makes that cost little more than the
decompression itself. The file is read in large blocks, decompressed by one reading thread while the
block before is scanned (zlib releases the GIL: on two cores the decompression is mostly hidden); in each block the lines of one contig are
found with byte searches, their positions parsed with vectorised NumPy arithmetic, and only the lines
inside a region are kept (with their line numbers in the file). Nothing assumes the file is sorted:
every data line's contig and position is looked at. A block whose contigs interleave (an unsorted
file) is handled line by line, which is slower but equally exact.

Only the contig and position of the records outside the regions are read: a malformed record there is
not noticed (as with ``bcftools view -T``, which this replaces for our purpose). A record on a wanted
contig whose POS is not a number (``7,674,220``, ``abc``) cannot be placed: it is listed in
``bad_pos`` (never skipped silently). Lines outside the regions that contain one of ``tokens`` (e.g.
``|TP53|``: an annotation naming a panel gene) are kept in ``named`` (at most :data:`NAMED_MAX`), so
that an annotation placed outside its gene (a file of another build) can be noticed.
"""

from __future__ import annotations

import gzip
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable, Mapping, Sequence

import numpy as np

CHUNK = 8 << 20  # bytes of decompressed text per block
_POS_DIGITS = 11  # VCF POS is at most 2^31-1 (10 digits); one more to see the tab
NAMED_MAX = 10000  # lines kept for naming a token outside the regions (memory bound)


@dataclass
class ScanResult:
    lines: list[tuple[int, bytes]] = field(default_factory=list)  # (line number in the file, line without newline)
    records: int = 0  # data lines read
    header_lines: int = 0
    bad_pos: list[tuple[int, str]] = field(default_factory=list)  # (line, POS text) on a wanted contig
    named: list[tuple[int, bytes]] = field(default_factory=list)  # lines outside the regions naming a token


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    arr = np.array(merged, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0].copy(), arr[:, 1].copy()


def _positions(buf: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The integer in ``buf`` at each offset of ``starts`` (digits up to a tab); -1 if not digits then a tab."""
    idx = starts[:, None] + np.arange(_POS_DIGITS)
    d = buf[idx].astype(np.int64) - 48
    ok = np.logical_and.accumulate((d >= 0) & (d <= 9), axis=1)
    val = np.zeros(len(starts), dtype=np.int64)
    for k in range(_POS_DIGITS):
        val = np.where(ok[:, k], val * 10 + d[:, k], val)
    n = ok.sum(axis=1)
    tab = buf[np.minimum(starts + n, len(buf) - 1)] == 9
    return np.where(ok[:, 0] & tab & (n < _POS_DIGITS), val, -1)


def _open(path: str | Path, gz: bool) -> BinaryIO:
    # gzip (zlib) releases the GIL while it inflates, so the reading thread of _ReadAhead overlaps the scan;
    # htslib's BGZF reader through pysam holds it (two readers in two threads take twice as long)
    return gzip.open(path, "rb") if gz else open(path, "rb")  # type: ignore[return-value]


class _ReadAhead:
    """Blocks of a file read (and decompressed) by one thread while the caller scans the block before.

    At most two blocks wait beside the one being scanned (memory stays a few blocks). A read error
    (a damaged or truncated file) is raised to the caller at the block where it happened; closing
    stops the thread and closes the file.
    """

    def __init__(self, fh: BinaryIO, chunk: int) -> None:
        self._blocks: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(fh, chunk), name="vcfscan-read", daemon=True)
        self._thread.start()

    def _run(self, fh: BinaryIO, chunk: int) -> None:
        try:
            with fh:
                while not self._stop.is_set():
                    block = fh.read(chunk)
                    self._put(block)
                    if not block:
                        return
        except BaseException as exc:  # handed to the reader, raised there
            self._put(exc)

    def _put(self, item: bytes | BaseException) -> None:
        while not self._stop.is_set():
            try:
                self._blocks.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def read(self) -> bytes:
        item = self._blocks.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def __enter__(self) -> "_ReadAhead":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def scan_regions(path: str | Path, gz: bool, regions: Mapping[str, Sequence[tuple[int, int]]],
                 chunk: int = CHUNK, tokens: Sequence[bytes] = ()) -> ScanResult:
    """Lines of ``path`` whose contig (as the file spells it) and 1-based POS fall in ``regions``.

    ``regions``: contig -> closed 1-based intervals. Raises ``OSError``/``EOFError`` (from the
    decompressor) for a corrupt or truncated file; the caller turns that into a clear message.
    """
    spans = {c.encode(): _merge(v) for c, v in regions.items() if v}
    found = Tokens(tokens)
    res = ScanResult()
    line_no = 0  # lines consumed so far (header included)
    in_header = True
    carry = b""
    with _ReadAhead(_open(path, gz), chunk) as fh:
        while True:
            block = fh.read()
            if not block and not carry:
                break
            data = carry + block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # one line longer than a block: read on
                    carry = data
                    continue
                data, carry = data[:cut], data[cut:]
            else:  # last line without a newline
                data, carry = data + b"\n", b""
            if in_header:
                # skip the header lines (they start with '#')
                off = 0
                while off < len(data) and data[off:off + 1] == b"#":
                    nxt = data.find(b"\n", off) + 1
                    line_no += 1
                    off = nxt
                data = data[off:]
                if data:
                    in_header = False
                    res.header_lines = line_no
                elif not block:
                    break
                else:
                    continue
            before = len(res.lines)
            nl = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)  # the block's line ends, for both
            _named(data, nl, line_no, found, res)
            line_no = _scan_block(data, nl, line_no, spans, res)
            if found:
                hit = {n for n, _ in res.lines[before:]}
                res.named = [x for x in res.named if x[0] not in hit]
            if not block:
                break
    if in_header:
        res.header_lines = line_no
    return res


def _scan_block(data: bytes, nl: np.ndarray, line_no: int, spans: Mapping[bytes, tuple[np.ndarray, np.ndarray]],
                res: ScanResult) -> int:
    """Scan complete lines ``data`` (ending with a newline; ``nl`` the offsets of its newlines) that follow line
    ``line_no``."""
    n_lines = len(nl)
    res.records += n_lines
    buf = np.frombuffer(data + b"\0" * (_POS_DIGITS + 1), dtype=np.uint8)
    starts = np.concatenate(([0], nl[:-1] + 1))
    i = 0
    while i < n_lines:
        s = int(starts[i])
        tab = data.find(b"\t", s, int(nl[i]))
        contig = data[s:tab] if tab >= 0 else data[s:int(nl[i])]
        # the run of lines of this contig: up to its last occurrence in the block, if no other contig
        # sits in between (a sorted file); otherwise this block is read line by line
        last = data.rfind(b"\n" + contig + b"\t")
        end_line = i + 1 if last < s else int(np.searchsorted(starts, last + 1)) + 1
        run = end_line - i
        count = data.count(b"\n" + contig + b"\t", s - 1 if s else 0, int(nl[end_line - 1])) + (1 if s == 0 else 0)
        if count != run:
            _scan_lines(data, starts, nl, i, n_lines, line_no, spans, res)
            return line_no + n_lines
        sp = spans.get(contig)
        if sp is not None:
            pos = _positions(buf, starts[i:end_line] + len(contig) + 1)
            for b in np.flatnonzero(pos < 0):
                _bad(data, starts, nl, i + int(b), line_no, res)
            k = np.searchsorted(sp[0], pos, side="right") - 1
            hit = np.flatnonzero((pos >= 0) & (k >= 0) & (pos <= sp[1][np.maximum(k, 0)]))
            for h in hit:
                j = i + int(h)
                res.lines.append((line_no + j + 1, data[int(starts[j]):int(nl[j])].rstrip(b"\r")))
        i = end_line
    return line_no + n_lines


def _scan_lines(data: bytes, starts: np.ndarray, nl: np.ndarray, i: int, n_lines: int, line_no: int,
                spans: Mapping[bytes, tuple[np.ndarray, np.ndarray]], res: ScanResult) -> None:
    for j in range(i, n_lines):
        line = data[int(starts[j]):int(nl[j])].rstrip(b"\r")
        parts = line.split(b"\t", 2)
        sp = spans.get(parts[0])
        if sp is None:
            continue
        if len(parts) < 3 or not parts[1].isdigit():
            _bad(data, starts, nl, j, line_no, res)
            continue
        pos = int(parts[1])
        k = int(np.searchsorted(sp[0], pos, side="right")) - 1
        if k >= 0 and pos <= sp[1][k]:
            res.lines.append((line_no + j + 1, line))


def _bad(data: bytes, starts: np.ndarray, nl: np.ndarray, j: int, line_no: int, res: ScanResult) -> None:
    """Note line ``j`` of the block (on a wanted contig) as one whose POS is not a number."""
    parts = data[int(starts[j]):int(nl[j])].rstrip(b"\r").split(b"\t", 2)
    res.bad_pos.append((line_no + j + 1, parts[1].decode("utf-8", "replace") if len(parts) > 1 else ""))


class Tokens:
    """Annotation tokens ``|NAME|`` or ``[NAME|`` (an opening ``|`` or ``[``, a name, a closing ``|``) found in a
    block at the cost of a few vectorised passes, not one search per token: the fields between separators
    whose length, first and last byte fit some name are the few candidates compared with the names."""

    def __init__(self, tokens: Sequence[bytes]) -> None:
        self.openers: dict[bytes, set[bytes]] = {}
        for tok in tokens:
            if len(tok) < 3 or tok[:1] not in (b"|", b"[") or tok[-1:] != b"|" or b"|" in tok[1:-1] \
                    or b"[" in tok[1:-1] or b"\n" in tok:
                raise ValueError(f"not an annotation token |NAME| or [NAME|: {tok!r}")
            self.openers.setdefault(tok[1:-1], set()).add(tok[:1])
        self.lengths = np.array(sorted({len(n) for n in self.openers}), dtype=np.int64)
        self.first = np.zeros(256, dtype=bool)
        self.last = np.zeros(256, dtype=bool)
        for name in self.openers:
            self.first[name[0]] = self.last[name[-1]] = True

    def __bool__(self) -> bool:
        return bool(self.openers)

    def find(self, data: bytes) -> list[int]:
        """Offsets in ``data`` of the opening byte of every token (in order)."""
        buf = np.frombuffer(data, dtype=np.uint8)
        sep = np.flatnonzero((buf == 124) | (buf == 91))  # '|' and '['
        if len(sep) < 2:
            return []
        opening, closing = sep[:-1], sep[1:]
        cand = np.flatnonzero((buf[closing] == 124) & np.isin(closing - opening - 1, self.lengths)
                              & self.first[buf[np.minimum(opening + 1, len(buf) - 1)]] & self.last[buf[closing - 1]])
        out = []
        for c in cand.tolist():
            s, e = int(opening[c]), int(closing[c])
            allowed = self.openers.get(data[s + 1:e])
            if allowed is not None and data[s:s + 1] in allowed:
                out.append(s)
        return out


def _named(data: bytes, nl: np.ndarray, line_no: int, tokens: Tokens, res: ScanResult) -> None:
    """Keep the lines of the block (``nl`` the offsets of its newlines) that contain one of ``tokens`` (up to
    :data:`NAMED_MAX` in all)."""
    if not tokens or len(res.named) >= NAMED_MAX:
        return
    hits = tokens.find(data)
    if not hits:
        return
    seen: set[int] = set()
    for at in hits:
        k = int(np.searchsorted(nl, at))
        n = line_no + k + 1
        if n in seen:
            continue
        seen.add(n)
        s = int(nl[k - 1]) + 1 if k else 0
        e = int(nl[k]) if k < len(nl) else len(data)
        res.named.append((n, data[s:e].rstrip(b"\r")))
        if len(res.named) >= NAMED_MAX:
            return
