"""A VCF's header read without htslib: clear refusals before htslib sees the file.

:func:`read_header` returns the header text, its number of lines and whether the file is bgzipped,
or raises an :class:`~mmrisk.errors.InputError` that says what is wrong in words: a missing file, a
directory, a truncated bgzip file (no BGZF end-of-file block), a file that cannot be decompressed
or is not text, a first line that is not ``##fileformat=VCF...``, a header without ``#CHROM``.
:func:`index_exists` tells whether a tabix/CSI index sits next to the file.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from .errors import InputError, InputProblem

_BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")


def refusal(path: str, message: str, expected: str | None = None, line: int | None = None,
            value: str | None = None) -> InputError:
    """One problem with one file, as the error to raise."""
    return InputError([InputProblem(path, message, line=line, value=value, expected=expected)])


def _is_bgzf(p: Path, path: str) -> tuple[bool, bool]:
    """(gzip?, bgzip?) from the magic bytes; a bgzip file without its end-of-file block is refused."""
    with open(p, "rb") as fh:
        magic = fh.read(18)
    gz = magic[:2] == b"\x1f\x8b"
    bgzf = bool(gz and len(magic) >= 16 and magic[3] & 4 and magic[12:14] == b"BC")
    if bgzf:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            fh.seek(max(0, size - 28))
            if fh.read(28) != _BGZF_EOF:
                raise refusal(path, "the bgzip file is truncated (no BGZF end-of-file block)",
                              expected="a complete bgzipped VCF (re-run bgzip on the full file)")
    return gz, bgzf


def _header_lines(p: Path, path: str, gz: bool) -> list[str]:
    """The lines starting with ``#`` up to and including ``#CHROM``."""
    lines: list[str] = []
    try:
        opener = gzip.open(p, "rt", encoding="utf-8", newline="") if gz else open(p, encoding="utf-8", newline="")
        with opener as fh:
            for raw in fh:
                if not raw.startswith("#"):
                    break
                lines.append(raw.rstrip("\r\n"))
                if raw.startswith("#CHROM"):
                    break
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise refusal(path, f"cannot be decompressed ({exc})", expected="a VCF or a bgzipped VCF") from None
    except UnicodeDecodeError as exc:
        raise refusal(path, f"is not text (byte {exc.start})", expected="a VCF or a bgzipped VCF") from None
    return lines


def read_header(path: str) -> tuple[str, int, bool]:
    """(header text, number of header lines, bgzipped?) read without htslib."""
    p = Path(path)
    if not p.exists():
        raise refusal(path, "file not found")
    if p.is_dir():
        raise refusal(path, "is a directory, not a VCF")
    gz, bgzf = _is_bgzf(p, path)
    lines = _header_lines(p, path, gz)
    first = lines[0] if lines else ""
    if not first.startswith("##fileformat=VCF"):
        shown = first
        if not lines:
            with (gzip.open(p, "rt", errors="replace") if gz else open(p, errors="replace")) as fh:
                shown = fh.readline().rstrip("\r\n")
        raise refusal(path, "line 1 is not the VCF fileformat line, so the file is not a VCF htslib can read",
                      expected="a VCF starting with ##fileformat=VCFv4.x", line=1, value=shown)
    if not lines[-1].startswith("#CHROM"):
        raise refusal(path, "the header has no #CHROM column line", line=len(lines) + 1,
                      expected="a '#CHROM POS ID REF ALT QUAL FILTER INFO [FORMAT samples]' line ending the header")
    return "\n".join(lines) + "\n", len(lines), bgzf


def index_exists(path: str) -> bool:
    """A ``.tbi`` or ``.csi`` index next to ``path``."""
    return any(os.path.exists(path + ext) for ext in (".tbi", ".csi"))


__all__ = ["index_exists", "read_header", "refusal"]
