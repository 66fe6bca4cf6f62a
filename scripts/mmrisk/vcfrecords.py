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
import tempfile
import warnings as py_warnings
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Mapping, Protocol, Sequence

from .errors import InputError
from .genome import check_build, detect_build, file_chrom, vcf_header_contigs
from .vcfcols import choose_tumor_column
from .textio import is_gzip
from .vcfheader import index_exists, read_header, refusal

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

def scan_panel(name: str, header_text: str, regions: Mapping[str, Span], file_contigs: Sequence[str]
                ) -> tuple[ScanResult, tempfile.TemporaryDirectory[str], str]:
    """The panel regions' records of an unindexed VCF, written with its header to a temporary VCF."""
    wanted: dict[str, list[tuple[int, int]]] = {}
    for r in regions.values():
        names = [c] if (c := file_chrom(r.chrom, file_contigs)) else ([] if file_contigs else [r.chrom, "chr" + r.chrom])
        for c in names:
            wanted.setdefault(c, []).append((r.start, r.end))
    from .vcfscan import scan_regions  # NumPy: imported only for unindexed files

    gz = is_gzip(name, "VCF")
    try:
        scan = scan_regions(name, gz, wanted)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise refusal(name, f"cannot be read to the end ({exc})",
                      expected="a complete, well-formed VCF (a truncated or corrupt file?)") from None
    tmpdir = tempfile.TemporaryDirectory(prefix="mmrisk-snv-")
    out = os.path.join(tmpdir.name, "panel.vcf")
    with open(out, "wb") as fh:
        fh.write(header_text.encode("utf-8"))
        for _, line in scan.lines:
            fh.write(line + b"\n")
    return scan, tmpdir, out


class PanelRecords:
    """The records to parse, each with its origin (``file:line`` or ``file:chrom:pos``).

    A bgzipped, indexed VCF with panel regions is queried by region; without an index the panel
    regions' records are found by one scan (:func:`scan_panel`); without regions every record is
    read. :meth:`close` closes the reader and removes the scan's temporary file.
    """

    def __init__(self, inp: VcfInput, regions: Mapping[str, Span]):
        from cyvcf2 import VCF

        self.name = inp.name
        self.regions = regions
        self.n_header_lines = inp.n_header_lines
        self.use_regions = bool(inp.bgzf and regions and index_exists(inp.name))
        self.contigs = list(vcf_header_contigs(inp.header_text)) or list(inp.seqnames)
        self.scan: ScanResult | None = None
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        source = inp.name
        if regions and not self.use_regions:
            # no index: one fast pass keeps the panel regions' records (vcfscan), which cyvcf2 then parses
            self.scan, self._tmpdir, source = scan_panel(inp.name, inp.header_text, regions, self.contigs)
        self._vcf = VCF(source, samples=[inp.tumor]) if inp.tumor else VCF(source)

    @property
    def mode(self) -> str:
        return "region" if self.use_regions else "stream"

    def records_read(self, parsed: int) -> int:
        """Records of the file read: all the scan passed over, else those parsed."""
        return self.scan.records if self.scan is not None else parsed

    def __iter__(self) -> Iterator[tuple[Variant, str]]:
        if self.use_regions:
            yield from self._by_region()
        elif self.scan is not None:
            for k, v in enumerate(self._vcf):
                yield v, f"{self.name}:{self.scan.lines[k][0]}"
        else:
            for k, v in enumerate(self._vcf, start=1):
                yield v, f"{self.name}:{self.n_header_lines + k}"

    def _by_region(self) -> Iterator[tuple[Variant, str]]:
        seen: set[tuple[str, int, str, str]] = set()
        for g in sorted(self.regions):
            r = self.regions[g]
            contig = file_chrom(r.chrom, self.contigs)
            if contig is None:
                continue
            with py_warnings.catch_warnings():
                # cyvcf2 warns "no intervals found" for every panel gene without records: expected, not news
                py_warnings.filterwarnings("ignore", message="no intervals found", category=UserWarning)
                region_records = list(self._vcf(f"{contig}:{r.start}-{r.end}"))
            for v in region_records:
                key = (v.CHROM, v.POS, v.REF, ",".join(v.ALT))
                if key in seen:
                    continue
                seen.add(key)
                yield v, f"{self.name}:{v.CHROM}:{v.POS}"

    def close(self) -> None:
        self._vcf.close()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()


__all__ = ["PanelRecords", "Span", "VcfInput", "inspect_vcf", "scan_panel"]
