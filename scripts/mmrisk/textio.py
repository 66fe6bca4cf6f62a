"""The one text-file opener of every reader, with one decoding policy.

Policy: plain or gzip/bgzip-compressed (told by the file's first bytes, never by its name), UTF-8
with a leading byte-order mark ignored, CRLF and LF line ends alike. Anything else is an
:class:`~mmrisk.errors.InputError` naming the file and the line where reading stopped: a file
that is missing, a folder, unreadable, not UTF-8, or compressed data that is damaged or truncated.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import Iterator

from .errors import InputError, InputProblem

GZIP_MAGIC = b"\x1f\x8b"
#: the empty BGZF block that ends every complete bgzip file
BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
ENCODING = "utf-8-sig"


def _fail(name: str, message: str, **kw: object) -> InputError:
    return InputError([InputProblem(name, message, **kw)])  # type: ignore[arg-type]


def is_gzip(path: str | Path, what: str = "file") -> bool:
    """Whether the file starts with the gzip magic bytes; a missing or unreadable file is an InputError."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == GZIP_MAGIC
    except FileNotFoundError:
        raise _fail(name, "file not found") from None
    except IsADirectoryError:
        raise _fail(name, f"is a directory, not a {what}") from None
    except OSError as exc:
        raise _fail(name, f"cannot be read: {exc.strerror or exc}") from None


def open_text(path: str | Path, what: str = "file") -> io.TextIOBase:
    """The file as text under the policy above (the caller closes it)."""
    if is_gzip(path, what):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=ENCODING, errors="strict", newline="")
    return open(path, "r", encoding=ENCODING, errors="strict", newline="")


def lines(path: str | Path, what: str = "file") -> Iterator[tuple[int, str]]:
    """``(line number, line without its line end)`` of a text file; damage becomes InputError."""
    name = str(path)
    lineno = 0
    try:
        with open_text(path, what) as fh:
            for lineno, raw in enumerate(fh, start=1):
                yield lineno, raw.rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise _fail(name, f"is not UTF-8 text (byte {exc.start} after line {lineno})", line=lineno + 1,
                    expected=f"a UTF-8 {what}, plain or gzip-compressed") from None
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise _fail(name, f"compressed data is damaged or truncated after line {lineno} "
                          f"({exc.__class__.__name__}: {exc})", line=lineno + 1,
                    expected="a complete gzip/bgzip file (re-copy it or re-run the tool that wrote it)") from None


def read_text(path: str | Path, what: str = "file") -> str:
    """The whole file as one string (for small tables), under the same policy."""
    return "".join(line + "\n" for _, line in lines(path, what))
