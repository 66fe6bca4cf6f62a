"""A VCF's header read without htslib: clear refusals before htslib sees the file.

:func:`read_header` returns the header text, its number of lines and whether the file is bgzipped,
or raises an :class:`~mmrisk.errors.InputError` that says what is wrong in words: a missing file, a
directory, a truncated bgzip file (no BGZF end-of-file block), a file that cannot be decompressed
or whose header is not UTF-8 text (both as :func:`mmrisk.textio.lines` reports them, on their line),
a first line that is not ``##fileformat=VCF...`` (one starting with a byte-order mark included:
htslib does not skip one), a header without ``#CHROM``.
:func:`index_exists` tells whether a tabix/CSI index sits next to the file.
"""

from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path

from . import textio
from .errors import InputError, InputProblem


def refusal(path: str, message: str, expected: str | None = None, line: int | None = None,
            value: str | None = None) -> InputError:
    """One problem with one file, as the error to raise."""
    return InputError([InputProblem(path, message, line=line, value=value, expected=expected)])


def _is_bgzf(p: Path, path: str) -> tuple[bool, bool]:
    """(gzip?, bgzip?) from the magic bytes; a bgzip file without its end-of-file block is refused."""
    with open(p, "rb") as fh:
        magic = fh.read(18)
    gz = magic[:2] == textio.GZIP_MAGIC
    bgzf = bool(gz and len(magic) >= 16 and magic[3] & 4 and magic[12:14] == b"BC")
    if bgzf:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            fh.seek(max(0, size - len(textio.BGZF_EOF)))
            if fh.read(len(textio.BGZF_EOF)) != textio.BGZF_EOF:
                raise refusal(path, "the bgzip file is truncated (no BGZF end-of-file block)",
                              expected="a complete bgzipped VCF (re-run bgzip on the full file)")
    return gz, bgzf


def _header_lines(path: str) -> tuple[list[str], str]:
    """The lines starting with ``#`` up to and including ``#CHROM``, and the file's first line.

    Read through :func:`mmrisk.textio.lines` (so only the header lines are decoded, each on its own);
    a first line starting with a byte-order mark is given with it (htslib does not skip one).
    """
    lines: list[str] = []
    first = ""
    with closing(textio.lines(path, "VCF")) as numbered:
        for lineno, line in numbered:
            if lineno == 1:
                first = line
            if not line.startswith("#"):
                break
            lines.append(line)
            if line.startswith("#CHROM"):
                break
    with textio.open_binary(path, "VCF") as fh:
        if fh.read(len(textio.BOM)) == textio.BOM:
            return [], "\ufeff" + first
    return lines, first


def read_header(path: str) -> tuple[str, int, bool]:
    """(header text, number of header lines, bgzipped?) read without htslib."""
    p = Path(path)
    textio.is_gzip(p, "VCF")  # a missing, unreadable file or a folder is refused here
    bgzf = _is_bgzf(p, path)[1]
    lines, first = _header_lines(path)
    if not first.startswith("##fileformat=VCF") or not lines:
        raise refusal(path, "line 1 is not the VCF fileformat line, so the file is not a VCF htslib can read",
                      expected="a VCF starting with ##fileformat=VCFv4.x", line=1, value=first)
    if not lines[-1].startswith("#CHROM"):
        raise refusal(path, "the header has no #CHROM column line", line=len(lines) + 1,
                      expected="a '#CHROM POS ID REF ALT QUAL FILTER INFO [FORMAT samples]' line ending the header")
    return "\n".join(lines) + "\n", len(lines), bgzf


def index_exists(path: str) -> bool:
    """A ``.tbi`` or ``.csi`` index next to ``path``."""
    return any(os.path.exists(path + ext) for ext in (".tbi", ".csi"))


__all__ = ["index_exists", "read_header", "refusal"]
