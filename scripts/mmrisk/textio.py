"""The one text-file opener of every reader, with one decoding policy.

Policy: plain or gzip/bgzip-compressed (told by the file's first bytes, never by its name), UTF-8
with a leading byte-order mark ignored, CRLF, LF (and a lone CR) line ends alike. Anything else is
an :class:`~mmrisk.errors.InputError` naming the file and the line: a file that is missing, a
folder, unreadable, not UTF-8 (the line holding the bad byte, and the byte's offset in it), or
compressed data that is damaged or truncated (the last line read whole before the damage).

The file is read in blocks of whole lines; a block decodes at once (UTF-8 never holds a line end inside
a multi-byte character, so a block decodes exactly when each of its lines does), and only a block that
does not is decoded line by line, so that a bad byte is reported on its own line (a decoder reading
blocks only knows the block it stopped in). Lines of a block before a bad one are still yielded.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import InputError, InputProblem

GZIP_MAGIC = b"\x1f\x8b"
#: the empty BGZF block that ends every complete bgzip file
BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
#: the UTF-8 byte-order mark, ignored at the start of a file
BOM = b"\xef\xbb\xbf"
ENCODING = "utf-8"


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


def open_binary(path: str | Path, what: str = "file") -> BinaryIO:
    """The file's bytes, decompressed if it is gzip/bgzip (the caller closes it)."""
    if is_gzip(path, what):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


#: bytes asked of the (decompressed) file at a time; a block is cut after its last line end
BLOCK = 1 << 20


def _split(raw: bytes) -> list[bytes]:
    """One chunk read up to ``\\n`` as the lines in it, without line ends (``\\n``, ``\\r\\n``, lone ``\\r``)."""
    if raw.endswith(b"\n"):
        raw = raw[:-1]
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    # 0x0D never occurs inside a UTF-8 multi-byte sequence, so splitting bytes on it is safe
    return raw.split(b"\r") if b"\r" in raw else [raw]


def _decode(data: bytes, name: str, lineno: int, shift: int, expected: str) -> str:
    """One line's bytes as text; ``shift`` is the number of bytes (a BOM) dropped before them."""
    try:
        return data.decode(ENCODING, errors="strict")
    except UnicodeDecodeError as exc:
        raise _fail(name, f"is not UTF-8 text (byte {exc.start + shift} of line {lineno}, counted from 0: "
                          f"0x{data[exc.start]:02x})", line=lineno, expected=expected) from None


def _chunks(fh: BinaryIO) -> Iterator[bytes]:
    """The file's bytes as chunks of whole lines (each but the last ends with ``\\n``)."""
    read = getattr(fh, "read1", fh.read)
    rest: list[bytes] = []  # the start of a line not yet ended (pieces, so a very long line is joined once)
    while True:
        block = read(BLOCK)
        if not block:
            if rest:
                yield b"".join(rest)
            return
        cut = block.rfind(b"\n") + 1
        if not cut:
            rest.append(block)
            continue
        if rest:
            rest.append(block[:cut])
            yield b"".join(rest)
            rest = []
        else:
            yield block if cut == len(block) else block[:cut]
        if cut < len(block):
            rest.append(block[cut:])


def _text_lines(text: str) -> list[str]:
    """The lines of a decoded chunk of whole lines, without line ends (as :func:`_split`, line by line)."""
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    if "\r" not in text:
        return parts
    out: list[str] = []
    for part in parts:
        if part.endswith("\r"):
            part = part[:-1]
        if "\r" in part:
            out += part.split("\r")
        else:
            out.append(part)
    return out


def lines(path: str | Path, what: str = "file", *, expected: str | None = None) -> Iterator[tuple[int, str]]:
    """``(line number, line without its line end)`` of a text file; damage becomes InputError.

    ``expected`` replaces the default "a UTF-8 {what}, plain or gzip-compressed" of the not-UTF-8 error.
    """
    name = str(path)
    wanted = expected or f"a UTF-8 {what}, plain or gzip-compressed"
    lineno = 0
    first = True
    try:
        with open_binary(path, what) as fh:
            for chunk in _chunks(fh):
                shift = 0
                if first:
                    first = False
                    if chunk.startswith(BOM):
                        chunk, shift = chunk[len(BOM):], len(BOM)
                try:
                    text = chunk.decode(ENCODING, errors="strict")
                except UnicodeDecodeError:
                    pass
                else:
                    for line in _text_lines(text):
                        lineno += 1
                        yield lineno, line
                    continue
                # a bad byte somewhere in this chunk: line by line, to name the line that holds it
                for raw in chunk.split(b"\n")[:-1] if chunk.endswith(b"\n") else chunk.split(b"\n"):
                    for data in _split(raw):
                        lineno += 1
                        yield lineno, _decode(data, name, lineno, shift, wanted)
                        shift = 0
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise _fail(name, f"compressed data is damaged or truncated after line {lineno} "
                          f"({exc.__class__.__name__}: {exc})", line=lineno + 1,
                    expected="a complete gzip/bgzip file (re-copy it or re-run the tool that wrote it)") from None


def read_text(path: str | Path, what: str = "file") -> str:
    """The whole file as one string (for small tables), under the same policy."""
    return "".join(line + "\n" for _, line in lines(path, what))
