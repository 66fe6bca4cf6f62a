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
import re
from contextlib import closing
from pathlib import Path

from . import filekind, textio
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
        found = filekind.describe(path)
        looks = (f"{found[0]} (it belongs in {found[1]})" if found and found[0] != "a VCF" else looks_like(first))
        raise refusal(path, f"line 1 is not the VCF fileformat line, so the file is not a VCF htslib can read: it "
                      f"looks like {looks}", expected="a VCF starting with ##fileformat=VCFv4.x", line=1,
                      value=first[:200])
    if not lines[-1].startswith("#CHROM"):
        raise refusal(path, "the header has no #CHROM column line", line=len(lines) + 1,
                      expected="a '#CHROM POS ID REF ALT QUAL FILTER INFO [FORMAT samples]' line ending the header")
    return "\n".join(lines) + "\n", len(lines), bgzf


#: data records looked at to tell a small-variant VCF from a structural-variant or copy-number one
SNIFF_RECORDS = 200
_REFERENCE_BLOCK = {"<*>", "<NON_REF>", "*", "."}
_CN_KEYS = re.compile(r"(^|[;:])(CN|TCN|CNF|COPY_NUMBER|copyNumber)([=:]|$)")


def _sv_like(cols: list[str]) -> bool:
    """A structural-variant record: ``SVTYPE`` in INFO (small-variant callers never write it; Manta writes it
    on its sequence-resolved deletions too), or every ALT symbolic (``<DEL>``) or a breakend (``]17:123]N``,
    ``N.``), reference blocks aside."""
    if re.search(r"(^|;)SVTYPE=", cols[7]):
        return True
    alts = [a for a in cols[4].split(",") if a not in _REFERENCE_BLOCK]
    return bool(alts) and all(a.startswith("<") or "[" in a or "]" in a or a.startswith(".") or a.endswith(".")
                              for a in alts)


def wrong_kind(path: str) -> str | None:
    """What the file looks like when its first records are not small variants (None: small variants).

    A structural-variant VCF: every one of the first :data:`SNIFF_RECORDS` records is a structural
    variant (:func:`_sv_like`); a copy-number VCF: the same with a CN field in INFO or FORMAT.
    """
    seen = sv = cn = 0
    with textio.open_binary(path, "VCF") as fh:
        for raw in fh:
            if raw.startswith(b"#"):
                continue
            cols = raw.decode("utf-8", "replace").rstrip("\r\n").split("\t")
            if len(cols) < 8:
                continue
            seen += 1
            if _sv_like(cols):
                sv += 1
                if _CN_KEYS.search(cols[7]) or (len(cols) > 8 and _CN_KEYS.search(cols[8])):
                    cn += 1
            if seen >= SNIFF_RECORDS:
                break
    if not seen or sv < seen:
        return None
    if cn == seen:
        return (f"a copy-number VCF (all {seen} first records are symbolic <DEL>/<DUP> calls with a CN field): "
                "give it as the sample's cnv, not snv_vcf")
    return (f"a structural-variant VCF (all {seen} first records have symbolic or breakend ALTs): give it as the "
            "sample's sv_vcf, not snv_vcf")


def looks_like(first_line: str) -> str:
    """A few words on what a file whose line 1 is not a VCF's looks like."""
    cols = [c.strip().lower() for c in first_line.split("\t")]
    if first_line.startswith("\ufeff##fileformat=VCF"):
        return "a VCF that starts with a byte-order mark (re-save it without one)"
    if {"chromosome", "start", "end", "log2"} <= set(cols) or {"copynumber", "chromosome"} <= set(cols) \
            or {"chrom", "loc.start", "loc.end"} <= set(cols) or first_line.startswith("@HD"):
        return "a copy-number table (give it as the sample's cnv)"
    if {"sample", "target", "result"} <= set(cols):
        return "a FISH table (give it as the sample's fish)"
    if first_line.startswith("##"):
        return "a VCF header without its first line ##fileformat=VCFv4.x (add it)"
    if len(cols) > 1:
        return f"a table with {len(cols)} tab-separated columns, not a VCF"
    return "neither a VCF nor a table this workflow reads"


def index_exists(path: str) -> bool:
    """A ``.tbi`` or ``.csi`` index next to ``path``."""
    return any(os.path.exists(path + ext) for ext in (".tbi", ".csi"))


__all__ = ["index_exists", "looks_like", "read_header", "refusal", "wrong_kind"]
