"""Where a small-variant VCF's records come from, before any of them is interpreted.

- :func:`inspect_vcf`: the header read without htslib (:mod:`mmrisk.vcfheader`), the genome build
  checked, the samples read by htslib and the tumour column chosen (:mod:`mmrisk.vcfcols`);
- :class:`PanelRecords`: the records to parse, each with its origin: a bgzipped, indexed VCF with
  panel regions is queried by region (``file:chrom:pos``); without an index one fast pass over the
  file (:func:`scan_panel`, :mod:`mmrisk.vcfscan`) keeps the panel regions' records, which are then
  parsed (``file:line``); without regions every record is parsed (``file:line``).
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings as py_warnings
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Protocol, Sequence

from .errors import InputError, InputProblem
from .genome import canonical_chrom, check_build, detect_build, vcf_header_contigs
from .vcfcols import choose_tumor_column
from .textio import is_gzip
from .vcfheader import index_exists, read_header, refusal, wrong_kind

if TYPE_CHECKING:
    from cyvcf2 import Variant

    from .vcfscan import ScanResult


class Span(Protocol):
    """A panel gene's region: canonical chromosome (no ``chr``), 1-based inclusive start and end."""

    @property
    def chrom(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class VcfInput:
    """What is known of a small-variant VCF before its records are read."""

    name: str
    header_text: str
    n_header_lines: int
    bgzf: bool
    tumor: str | None  # the tumour column; None for a sites-only VCF
    seqnames: tuple[str, ...]  # htslib's contig names (bgzipped and indexed files only)


def inspect_vcf(name: str, build: str, tumor_column: str | None) -> tuple[VcfInput, list[str]]:
    """The file's header checked against ``build``, its samples read by htslib, the tumour column chosen."""
    from cyvcf2 import VCF

    header_text, n_header_lines, bgzf = read_header(name)
    kind = wrong_kind(name)
    if kind:
        raise refusal(name, f"this is not a small-variant VCF: it looks like {kind}",
                      expected="a small-variant (SNV/indel) VCF in the snv_vcf column")
    problem = check_build(build, detect_build(vcf_header_contigs(header_text), header_text), name)
    if problem:
        raise InputError([problem])
    warnings: list[str] = []
    try:
        probe = VCF(name)
        samples = list(probe.samples)
        seqnames = list(probe.seqnames) if bgzf and index_exists(name) else []
        probe.close()
    except Exception as exc:  # htslib refuses: never a traceback
        raise refusal(name, f"htslib cannot read the VCF ({exc})",
                      expected="a VCF or bgzipped VCF starting with ##fileformat") from None
    tumor, note = choose_tumor_column(samples, header_text, tumor_column, name)
    if note:
        warnings.append(note)
    if tumor is None:
        warnings.append(f"{name}: sites-only VCF (no sample columns): VAF and depth are not available")
    return VcfInput(name, header_text, n_header_lines, bgzf, tumor, tuple(seqnames)), warnings


# ----------------------------------------------------------------------------------------------
# Where the records come from: region queries, a panel scan, or the whole file

_GT = re.compile(r"^[/|]?(\.|\d+)([/|](\.|\d+))*$")  # a VCF genotype: alleles separated by / or |


_INT = re.compile(r"^(\.|-?\d+)(,(\.|-?\d+))*$")


def integer_format_keys(header_text: str) -> frozenset[str]:
    """FORMAT keys the header declares ``Type=Integer`` (htslib refuses other values in them)."""
    return frozenset(re.findall(r"^##FORMAT=<ID=([^,>]+),[^>]*Type=Integer", header_text, flags=re.M))


def _sample_problem(keys: list[str], value: str, int_keys: frozenset[str]) -> tuple[str, str] | None:
    vals = value.split(":")
    if keys and keys[0] == "GT" and not _GT.match(vals[0]):
        return "a GT value is not a VCF genotype (alleles as numbers or '.', separated by / or |)", vals[0][:40]
    for k, v in zip(keys, vals):
        if k in int_keys and not _INT.match(v):
            return f"FORMAT/{k} is declared Integer but holds {v[:40]!r}", v[:40]
    return None


def _line_problem(line: bytes, int_keys: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(what is wrong, value) of a record line htslib would misread or crash on, or None.

    Checked: UTF-8 text, at least 8 columns, POS a positive integer, every sample's GT a VCF genotype
    (an unparseable GT such as ``-1``, ``NA`` or ``0/1/`` makes htslib crash in a region query) and its
    values of FORMAT keys declared Integer integers (``DP=inf`` stops htslib).
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"is not UTF-8 text (byte {exc.start + 1})", repr(line[max(0, exc.start - 10):exc.start + 10])
    cols = text.split("\t")
    if len(cols) < 8:
        return f"has {len(cols)} tab-separated columns", text[:80]
    if not cols[1].isdigit() or int(cols[1]) < 1:
        return "POS is not a positive integer", cols[1][:40]
    keys = cols[8].split(":") if len(cols) > 9 else []
    for value in cols[9:]:
        bad = _sample_problem(keys, value, int_keys)
        if bad is not None:
            return bad
    return None


def check_lines(name: str, lines: Iterable[tuple[str, bytes]], int_keys: frozenset[str] = frozenset()
                ) -> list[tuple[str, bytes]]:
    """``lines`` (origin, record line) as they are, or an InputError naming every bad one (record, reason).
    ``int_keys``: FORMAT keys declared Integer (:func:`integer_format_keys`)."""
    kept = list(lines)
    problems: list[InputProblem] = []
    for origin, line in kept:
        bad = _line_problem(line, int_keys)
        if bad is not None:
            where = origin[len(name) + 1:] if origin.startswith(name + ":") else origin
            problems.append(InputProblem(name, f"the record {'at ' + where + ' ' if ':' in where else ''}{bad[0]}",
                                         line=int(where) if where.isdigit() else None, value=bad[1],
                                         expected="a VCF record (tab-separated, POS an integer, GT like 0/1)"))
    if problems:
        raise InputError(problems)
    return kept


def _write_vcf(header_text: str, lines: Sequence[tuple[str, bytes]]) -> tuple[tempfile.TemporaryDirectory[str], str]:
    tmpdir = tempfile.TemporaryDirectory(prefix="mmrisk-snv-")
    out = os.path.join(tmpdir.name, "panel.vcf")
    with open(out, "wb") as fh:
        fh.write(header_text.encode("utf-8"))
        for _, line in lines:
            fh.write(line + b"\n")
    return tmpdir, out


def _spellings(canonical: str, file_contigs: Iterable[str]) -> list[str]:
    """Every spelling of a contig to look for: the file's own, with and without ``chr`` (whatever the header says)."""
    names = [c for c in file_contigs if canonical_chrom(c) == canonical]
    for c in (canonical, "chr" + canonical):
        if c not in names:
            names.append(c)
    return names


def scan_panel(name: str, regions: Mapping[str, Span], file_contigs: Sequence[str],
               tokens: Sequence[str] = ()) -> tuple[ScanResult, list[tuple[str, bytes]]]:
    """The panel regions' records of an unindexed VCF (and lines naming ``tokens``), with their origins.

    Raises an InputError for a record on a panel contig whose POS is not a number (it cannot be placed).
    """
    wanted: dict[str, list[tuple[int, int]]] = {}
    for r in regions.values():
        for c in _spellings(r.chrom, file_contigs):
            wanted.setdefault(c, []).append((r.start, r.end))
    from .vcfscan import scan_regions  # NumPy: imported only for unindexed files

    gz = is_gzip(name, "VCF")
    try:
        scan = scan_regions(name, gz, wanted, tokens=[t.encode() for t in tokens])
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise refusal(name, f"cannot be read to the end ({exc})",
                      expected="a complete, well-formed VCF (a truncated or corrupt file?)") from None
    if scan.bad_pos:
        raise InputError([InputProblem(name, "POS of a record on a panel gene's chromosome is not a number, so "
                                       "the record cannot be placed", line=ln, column="POS", value=v[:40],
                                       expected="a positive integer (no commas or spaces)")
                          for ln, v in scan.bad_pos[:20]])
    return scan, [(f"{name}:{ln}", line) for ln, line in sorted(scan.lines + scan.named)]


def region_lines(name: str, regions: Mapping[str, Span]) -> list[tuple[str, bytes]]:
    """The record lines of the panel regions from a bgzipped, indexed VCF (tabix), each contig spelling."""
    import pysam

    out: list[tuple[str, bytes]] = []
    seen: set[bytes] = set()
    with pysam.TabixFile(name, encoding="latin-1") as tbx:  # bytes as they are; UTF-8 is checked later
        contigs = list(tbx.contigs)
        for g in sorted(regions):
            r = regions[g]
            for contig in _spellings(r.chrom, contigs):
                if contig not in contigs:
                    continue
                for text in tbx.fetch(contig, r.start - 1, r.end):
                    line = text.encode("latin-1").rstrip(b"\r")
                    if line not in seen:
                        seen.add(line)
                        cols = line.split(b"\t", 2)
                        out.append((f"{name}:{contig}:{cols[1].decode('latin-1') if len(cols) > 1 else '?'}", line))
    return out


class PanelRecords:
    """The records to parse, each with its origin (``file:line`` or ``file:chrom:pos``).

    A bgzipped VCF with a trusted index (:func:`mmrisk.vcfindex.index_problem`) and panel regions is
    queried by region (pysam's tabix, as text); without an index, or with a stale or foreign one (a
    warning), the panel regions' records are found by one scan (:func:`scan_panel`). Either way the lines
    are checked (:func:`check_lines`) and written with the header to a temporary VCF that cyvcf2 parses.
    Without regions every record of the file is read. :meth:`close` closes the reader and removes the
    temporary file.
    """

    def __init__(self, inp: VcfInput, regions: Mapping[str, Span], tokens: Sequence[str] = (),
                 probes: Mapping[str, Span] | None = None):
        from cyvcf2 import VCF

        from .vcfindex import index_problem

        self.name = inp.name
        self.n_header_lines = inp.n_header_lines
        self.warnings: list[str] = []
        self.contigs = list(vcf_header_contigs(inp.header_text)) or list(inp.seqnames)
        self.use_regions = bool(inp.bgzf and regions and index_exists(inp.name))
        if self.use_regions:
            problem = index_problem(inp.name, vcf_header_contigs(inp.header_text))
            if problem:
                self.use_regions = False
                self.warnings.append(f"{inp.name}: its index is not used: {problem}; the whole file was scanned "
                                     f"instead (re-index it with tabix -f -p vcf)")
        self.scan: ScanResult | None = None
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        self.origins: list[str] = []
        source = inp.name
        if regions:
            if self.use_regions:
                # the panel genes' spans in the other builds too: a file of another build (whose header does not
                # say so) shows its panel annotations outside their spans there, as the scan's tokens show them
                lines = region_lines(inp.name, {**{f"{g} (probe {k})": r for k, (g, r) in
                                                   enumerate((probes or {}).items())}, **regions})
            else:
                self.scan, lines = scan_panel(inp.name, regions, self.contigs, tokens)
            lines = check_lines(inp.name, lines, integer_format_keys(inp.header_text))
            self.origins = [o for o, _ in lines]
            self._tmpdir, source = _write_vcf(inp.header_text, lines)
        self.regions = regions
        self._vcf = VCF(source, samples=[inp.tumor]) if inp.tumor else VCF(source)

    @property
    def mode(self) -> str:
        return "region" if self.use_regions else "stream"

    def records_read(self, parsed: int) -> int:
        """Records of the file read: all the scan passed over, else those parsed."""
        return self.scan.records if self.scan is not None else parsed

    def __iter__(self) -> Iterator[tuple[Variant, str]]:
        if self.regions:
            with py_warnings.catch_warnings():
                # a record spelled chr17 under ##contig=<ID=17> (or the reverse): htslib adds the contig and warns
                py_warnings.simplefilter("ignore")
                for k, v in enumerate(self._vcf):
                    yield v, self.origins[k]
        else:
            for k, v in enumerate(self._vcf, start=1):
                yield v, f"{self.name}:{self.n_header_lines + k}"

    def close(self) -> None:
        self._vcf.close()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()


__all__ = ["PanelRecords", "Span", "VcfInput", "check_lines", "integer_format_keys", "inspect_vcf", "region_lines", "scan_panel"]
