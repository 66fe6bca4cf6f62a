"""Structural-variant VCFs: junctions, and the IG translocations they imply.

:func:`read_structural_variants` streams one SV VCF (plain or bgzipped) of any
common caller dialect and returns an :class:`SvResult`:

- ``junctions``: the junctions that touch an immunoglobulin locus or a partner
  window of ``resources/genome/sv_windows.tsv`` (both ends canonical, the
  caller dialect, ids, FILTER, read support and the ``file:line`` record);
- ``counts``: how many records, junctions (BND mate pairs counted once),
  single breakends and filtered records the file held;
- ``evidence``: :class:`~mmrisk.lesions.Evidence` items (source ``SV``) for
  the five named IGH translocations, ``MYC_rearrangement`` and
  ``IGH_rearrangement``: ``present`` for each qualifying junction, ``absent``
  when the file was read and held none (a lesion whose window is missing for
  the build stays unassessed, with a warning);
- ``warnings``: what the reader noticed but did not turn into evidence.

Design decisions
----------------
- **Reader.** Records are read by a careful line reader, not by htslib:
  real SV callers write files htslib rejects or mis-reads (Delly ``INFO/END``
  on the partner chromosome of translocations, LUMPY without ``##contig``
  lines, unsorted files, Sniffles INFO declared Integer but holding floats,
  duplicated header lines). The reader streams, keeps only junctions touching
  a window plus counts and the ids of BND records waiting for their mate, and
  turns every malformed line into an :class:`~mmrisk.errors.InputProblem`.
  Gzip and bgzip files are read the same way; a truncated file is an
  :class:`~mmrisk.errors.InputError`. The whole file is read (no tabix region
  queries), so BND mates on other chromosomes are never lost.
- **Rules.** A junction with one end in IGH and the other in a partner window
  implies that window's lesion (and IGH_rearrangement); IGH to anywhere else is
  IGH_rearrangement with the partner named by position (and the nearest window
  within ``nearest_window_distance``); both ends in IGH (class-switch or VDJ
  recombination) is ignored and noted. One end within the MYC window and the
  other outside it (IGH, IGK, IGL or elsewhere) is MYC_rearrangement.
  Intrachromosomal events count only when their two ends are at least
  ``min_intrachromosomal_distance`` apart (edge artefacts of small deletions).
- **Single breakends** (GRIDSS/ESVEE ``.N``/``N.``) in IGH or MYC are reported
  as warnings, not as evidence, unless ``single_breakend_evidence=True``; then
  they count as IGH_rearrangement / MYC_rearrangement with partner
  "unknown (single breakend)". Without a partner they cannot name a
  translocation, and in plasma cells the IG loci are rearranged physiologically.
- **Support** is read from the tumour column where FORMAT holds it, else from
  INFO: Manta PR/SR (alt counts), Delly DV/RV (INFO PE/SR), GRIDSS/ESVEE VF
  (BVF for single breakends), LUMPY SU/PE/SR, SvABA DR/SR (AD), Sniffles
  RE/SUPPORT/DV, Severus DV. A junction needs ``min_support`` supporting
  reads; where no count is found it is kept with a warning.
- **Fractions** are ``None``: read counts of SV callers are not cancer-cell
  fractions.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Iterable, Iterator, Mapping

from .vcfcols import choose_tumor_column
from .errors import InputError, InputProblem
from .genome import BUILDS, canonical_chrom, check_build, detect_build, vcf_header_contigs
from .lesions import IGH_TRANSLOCATIONS, Evidence
from .resources import shipped
from .tables import read_tsv

__all__ = [
    "DEFAULT_WINDOWS",
    "SV_LESIONS",
    "Junction",
    "Support",
    "SvResult",
    "Window",
    "classify_junction",
    "load_windows",
    "read_structural_variants",
]

DEFAULT_WINDOWS = shipped("sv_windows")

#: The lesions an SV file speaks to.
SV_LESIONS: tuple[str, ...] = (*IGH_TRANSLOCATIONS, "MYC_rearrangement", "IGH_rearrangement")

#: Defaults (exposed in the workflow config).
DEFAULT_FILTERS: tuple[str, ...] = ("PASS", ".")
DEFAULT_MIN_SUPPORT = 3
DEFAULT_MIN_INTRA_DISTANCE = 100_000
DEFAULT_NEAREST_WINDOW_DISTANCE = 1_000_000

_MAX_PROBLEMS = 20


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class Window:
    """One row of ``sv_windows.tsv``."""

    name: str
    kind: str  # ig_locus | partner
    lesion: str  # "" for ig_locus
    build: str
    chrom: str
    start: int
    end: int
    source: str = ""

    def contains(self, chrom: str, pos: int) -> bool:
        return chrom == self.chrom and self.start <= pos <= self.end

    def distance(self, chrom: str, pos: int) -> int | None:
        """Distance of ``chrom:pos`` from the window (0 inside), ``None`` on another chromosome."""
        if chrom != self.chrom:
            return None
        if pos < self.start:
            return self.start - pos
        if pos > self.end:
            return pos - self.end
        return 0


def load_windows(path: str | Path = DEFAULT_WINDOWS, build: str | None = None) -> list[Window]:
    """Read a windows table (columns name, kind, lesion, build, chrom, start, end, source).

    Every bad row is reported at once as an :class:`InputError`. With ``build``
    only that build's rows are returned.
    """
    table = read_tsv(path, required_columns=("name", "kind", "lesion", "build", "chrom", "start", "end"))
    out: list[Window] = []
    problems: list[InputProblem] = []
    valid_lesions = set(SV_LESIONS)
    for row in table.rows:
        c = row.cells
        kind = c.get("kind", "")
        lesion = c.get("lesion", "")
        if kind not in ("ig_locus", "partner"):
            problems.append(InputProblem(str(path), "unknown window kind", row.line, "kind", kind,
                                         "ig_locus or partner"))
            continue
        if kind == "partner" and lesion not in valid_lesions:
            problems.append(InputProblem(str(path), "unknown lesion for a partner window", row.line, "lesion",
                                         lesion, ", ".join(SV_LESIONS)))
            continue
        if c.get("build") not in BUILDS:
            problems.append(InputProblem(str(path), "unknown build", row.line, "build", c.get("build"),
                                         " or ".join(BUILDS)))
            continue
        try:
            start, end = int(c["start"]), int(c["end"])
        except ValueError:
            problems.append(InputProblem(str(path), "start/end must be whole numbers", row.line, "start",
                                         f"{c['start']}-{c['end']}"))
            continue
        if start < 1 or end < start:
            problems.append(InputProblem(str(path), "window end before start", row.line, "end", c["end"],
                                         f"a number >= start ({start})"))
            continue
        out.append(Window(c["name"], kind, lesion if kind == "partner" else "", c["build"],
                          canonical_chrom(c["chrom"]), start, end, c.get("source", "")))
    if problems:
        raise InputError(problems)
    return [w for w in out if build is None or w.build == build]


# --------------------------------------------------------------------------- junctions


@dataclass(frozen=True)
class Support:
    """Reads supporting a junction: split reads, read pairs, and caller-specific other counts."""

    split_reads: int | None = None
    paired_reads: int | None = None
    other: tuple[tuple[str, float], ...] = ()

    @property
    def total(self) -> float | None:
        """Split + paired reads where known, else the largest other count, else ``None``."""
        if self.split_reads is not None or self.paired_reads is not None:
            return float((self.split_reads or 0) + (self.paired_reads or 0))
        if self.other:
            return max(v for _, v in self.other)
        return None

    def describe(self) -> str:
        parts = []
        if self.split_reads is not None:
            parts.append(f"split reads {self.split_reads}")
        if self.paired_reads is not None:
            parts.append(f"read pairs {self.paired_reads}")
        parts += [f"{k} {v:g}" for k, v in self.other]
        return ", ".join(parts) if parts else "support not given"


@dataclass(frozen=True)
class Junction:
    """One SV junction; ``chrom2``/``pos2`` are ``None`` for a single breakend."""

    chrom1: str
    pos1: int
    chrom2: str | None
    pos2: int | None
    orientation: str | None
    dialect: str
    ids: tuple[str, ...]
    filter: str
    support: Support
    record: str  # "file:line"
    svtype: str

    @property
    def single(self) -> bool:
        return self.chrom2 is None

    def ends(self) -> list[tuple[str, int]]:
        e = [(self.chrom1, self.pos1)]
        if self.chrom2 is not None and self.pos2 is not None:
            e.append((self.chrom2, self.pos2))
        return e

    def where(self) -> str:
        a = f"{self.chrom1}:{self.pos1:,}"
        return a if self.single else f"{a} - {self.chrom2}:{self.pos2:,}"


@dataclass
class SvResult:
    """What one SV file said."""

    path: str
    build: str
    dialect: str
    tumor_column: str | None
    junctions: list[Junction] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


_BRACKET = re.compile(r"^([A-Za-z*.]*)([\[\]])([^\[\]]+):(\d+)([\[\]])([A-Za-z*.]*)$")


def _open_text(path: Path) -> io.TextIOBase:
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered lines of a (b)gzipped or plain text file; decompression errors become InputError."""
    name = str(path)
    try:
        fh = _open_text(path)
    except FileNotFoundError:
        raise InputError([InputProblem(name, "file not found")]) from None
    except IsADirectoryError:
        raise InputError([InputProblem(name, "is a directory, not a VCF")]) from None
    except OSError as exc:
        raise InputError([InputProblem(name, f"cannot be read: {exc.strerror or exc}")]) from None
    n = 0
    try:
        with fh:
            for n, line in enumerate(fh, start=1):
                yield n, line.rstrip("\r\n")
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise InputError([InputProblem(
            name, f"the compressed file is damaged or truncated after line {n} ({exc})",
            expected="a complete bgzip/gzip file (re-copy or re-run the caller)")]) from None


def _info(text: str) -> dict[str, str | bool]:
    out: dict[str, str | bool] = {}
    if text in (".", ""):
        return out
    for item in text.split(";"):
        if not item:
            continue
        k, sep, v = item.partition("=")
        out[k] = v if sep else True
    return out


def _int(value: object) -> int | None:
    if value is None or value is True or value is False:
        return None
    s = str(value).split(",")[0].strip()
    try:
        return int(float(s))
    except ValueError:
        return None


def _alt_count(value: object) -> int | None:
    """Manta-style ``ref,alt`` pairs -> alt; a single number -> itself."""
    if value is None or value is True:
        return None
    parts = [p for p in str(value).split(",") if p not in ("", ".")]
    try:
        return int(float(parts[-1])) if parts else None
    except ValueError:
        return None


def _detect_dialect(header: str) -> str:
    low = header.lower()
    checks = (
        ("manta", "Manta"), ("generatesvcandidates", "Manta"),
        ("delly", "Delly"), ("gridss", "GRIDSS"), ("esvee", "ESVEE"), ("purple", "PURPLE"),
        ("lumpy", "LUMPY"), ("svaba", "SvABA"), ("sniffles", "Sniffles"), ("severus", "Severus"),
    )
    for line in header.splitlines():
        if line.lower().startswith("##source"):
            for key, name in checks:
                if key in line.lower():
                    return name
    for key, name in checks:
        if key in low:
            return name
    return "generic"


def _record_dialect(file_dialect: str, info: Mapping[str, str | bool]) -> str:
    if file_dialect != "generic":
        return file_dialect
    method = str(info.get("SVMETHOD", ""))
    if "DELLY" in method.upper():
        return "Delly"
    if "sniffles" in method.lower():
        return "Sniffles"
    return file_dialect


def _support(dialect: str, info: Mapping[str, str | bool], fmt: Mapping[str, str], single: bool) -> Support:
    """Read support of one record; FORMAT (tumour column) before INFO."""

    def get(key: str) -> str | bool | None:
        v = fmt.get(key)
        if v not in (None, "", "."):
            return v
        return info.get(key)

    split = paired = None
    other: list[tuple[str, float]] = []
    if dialect == "Manta":
        split, paired = _alt_count(get("SR")), _alt_count(get("PR"))
    elif dialect == "Delly":
        paired = _int(fmt.get("DV")) if fmt.get("DV") not in (None, ".") else _int(info.get("PE"))
        split = _int(fmt.get("RV")) if fmt.get("RV") not in (None, ".") else _int(info.get("SR"))
    elif dialect in ("GRIDSS", "ESVEE", "PURPLE"):
        key = "BVF" if single and get("BVF") is not None else "VF"
        v = _int(get(key))
        if v is not None:
            other.append((key, float(v)))
    elif dialect == "LUMPY":
        split, paired = _int(get("SR")), _int(get("PE"))
        su = _int(get("SU"))
        if su is not None:
            other.append(("SU", float(su)))
    elif dialect == "SvABA":
        split, paired = _int(get("SR")), _int(get("DR"))
        ad = _int(get("AD"))
        if ad is not None:
            other.append(("AD", float(ad)))
    elif dialect in ("Sniffles", "Severus"):
        for key in ("DV", "RE", "SUPPORT"):
            v = _int(get(key))
            if v is not None:
                other.append((key, float(v)))
                break
    else:
        for key, slot in (("SR", "s"), ("PE", "p"), ("PR", "p"), ("RV", "s"), ("DV", "p")):
            v = _alt_count(get(key))
            if v is None:
                continue
            if slot == "s" and split is None:
                split = v
            elif slot == "p" and paired is None:
                paired = v
        for key in ("VF", "SU", "RE", "SUPPORT"):
            v = _int(get(key))
            if v is not None:
                other.append((key, float(v)))
    return Support(split, paired, tuple(other))


# --------------------------------------------------------------------------- classification


@dataclass(frozen=True)
class _Hit:
    lesion: str
    partner: str  # what the IG (or MYC) end is joined to, in words
    detail: str


def _window_at(windows: Iterable[Window], chrom: str, pos: int) -> list[Window]:
    return [w for w in windows if w.contains(chrom, pos)]


def _nearest(windows: Iterable[Window], chrom: str, pos: int, limit: int) -> str:
    best: tuple[int, Window] | None = None
    for w in windows:
        d = w.distance(chrom, pos)
        if d is not None and d <= limit and (best is None or d < best[0]):
            best = (d, w)
    return f", {best[0]:,} bp from the {best[1].name} window" if best else ""


def classify_junction(
    j: Junction,
    windows: list[Window],
    *,
    min_intrachromosomal_distance: int = DEFAULT_MIN_INTRA_DISTANCE,
    nearest_window_distance: int = DEFAULT_NEAREST_WINDOW_DISTANCE,
    single_breakend_evidence: bool = False,
) -> tuple[list[_Hit], list[str]]:
    """The lesions one junction implies, and notes (class switch, single breakends, ...)."""
    hits: list[_Hit] = []
    notes: list[str] = []
    if j.single:
        inside = _window_at(windows, j.chrom1, j.pos1)
        for w in inside:
            if w.name == "IGH" or w.lesion == "MYC_rearrangement":
                lesion = "IGH_rearrangement" if w.name == "IGH" else "MYC_rearrangement"
                text = (f"single breakend in {w.name} at {j.chrom1}:{j.pos1:,} ({j.record}, {j.dialect} "
                        f"{'/'.join(j.ids)}, {j.support.describe()}): partner unknown")
                if single_breakend_evidence:
                    hits.append(_Hit(lesion, "unknown (single breakend)", text))
                else:
                    notes.append(text + "; not counted as a rearrangement (single_breakend_evidence is off)")
        return hits, notes

    (c1, p1), (c2, p2) = j.ends()
    w1, w2 = _window_at(windows, c1, p1), _window_at(windows, c2, p2)
    intra = c1 == c2
    if intra and abs(p2 - p1) < min_intrachromosomal_distance:
        # small intrachromosomal events: only the class-switch note matters
        if any(w.name == "IGH" for w in w1) and any(w.name == "IGH" for w in w2):
            notes.append(f"{j.where()} ({j.record}) lies within IGH: class-switch/VDJ recombination, ignored")
        return hits, notes

    def names(ws: list[Window]) -> set[str]:
        return {w.name for w in ws}

    sup = j.support.describe()
    ident = f"{j.dialect} {'/'.join(j.ids)}, FILTER {j.filter}, {sup}, {j.record}"
    for (ca, pa, wa), (cb, pb, wb) in (((c1, p1, w1), (c2, p2, w2)), ((c2, p2, w2), (c1, p1, w1))):
        if "IGH" not in names(wa):
            continue
        if "IGH" in names(wb):
            notes.append(f"{j.where()} ({j.record}): both ends in IGH (class-switch/VDJ recombination), ignored")
            return [], notes
        partners = [w for w in wb if w.kind == "partner"]
        if partners:
            for w in partners:
                hits.append(_Hit(w.lesion, w.name,
                                 f"IGH {ca}:{pa:,} joined to {w.name} window {cb}:{pb:,} ({ident})"))
            hits.append(_Hit("IGH_rearrangement", "/".join(w.name for w in partners),
                             f"IGH {ca}:{pa:,} joined to {'/'.join(w.name for w in partners)} {cb}:{pb:,} ({ident})"))
        else:
            igs = [w.name for w in wb if w.kind == "ig_locus"]
            partner = igs[0] if igs else f"{cb}:{pb:,}"
            near = "" if igs else _nearest([w for w in windows if w.kind == "partner"], cb, pb,
                                            nearest_window_distance)
            hits.append(_Hit("IGH_rearrangement", partner,
                             f"IGH {ca}:{pa:,} joined to {partner}{near}, in no partner window ({ident})"))
        break  # one IGH end handled; the other end is not IGH
    # MYC: one end inside the MYC window, the other outside it
    for (ca, pa, wa), (cb, pb, wb) in (((c1, p1, w1), (c2, p2, w2)), ((c2, p2, w2), (c1, p1, w1))):
        myc = [w for w in wa if w.lesion == "MYC_rearrangement"]
        if not myc:
            continue
        if any(w.lesion == "MYC_rearrangement" for w in wb):
            notes.append(f"{j.where()} ({j.record}): both ends within the MYC window, not counted")
            break
        igs = [w.name for w in wb if w.kind == "ig_locus"]
        partner = igs[0] if igs else f"{cb}:{pb:,}"
        if not any(h.lesion == "MYC_rearrangement" for h in hits):
            hits.append(_Hit("MYC_rearrangement", partner,
                             f"MYC window {ca}:{pa:,} joined to {partner} ({ident})"))
        break
    # light-chain loci joined to a non-MYC partner window: noted only
    for (wa, wb) in ((w1, w2), (w2, w1)):
        if any(w.name in ("IGK", "IGL") for w in wa) and any(
                w.kind == "partner" and w.lesion != "MYC_rearrangement" for w in wb):
            notes.append(f"{j.where()} ({j.record}): light-chain locus joined to "
                         f"{'/'.join(w.name for w in wb)}; no named lesion, not counted")
            break
    return hits, notes


# --------------------------------------------------------------------------- main entry


def _parse_record(fields: list[str], line_no: int, name: str, short: str, dialect_file: str,
                  fmt_index: int | None) -> tuple[list[Junction], str | None, str | None]:
    """Junctions of one data line (one per ALT), the record's id and its MATEID."""
    chrom = canonical_chrom(fields[0])
    pos = int(fields[1])
    rid = fields[2]
    ref, alts, filt = fields[3], fields[4].split(","), fields[6] or "."
    info = _info(fields[7])
    dialect = _record_dialect(dialect_file, info)
    fmt: dict[str, str] = {}
    if fmt_index is not None and len(fields) > fmt_index and len(fields) > 8:
        fmt = dict(zip(fields[8].split(":"), fields[fmt_index].split(":")))
    mate = info.get("MATEID") or info.get("MATE_ID")
    mate_id = str(mate) if isinstance(mate, str) else None
    svtype = str(info.get("SVTYPE", ""))
    out: list[Junction] = []
    for alt in alts:
        orientation: str | None = None
        chrom2: str | None
        pos2: int | None
        single = False
        m = _BRACKET.match(alt)
        if m:
            chrom2, pos2 = canonical_chrom(m.group(3)), int(m.group(4))
            orientation = ("t" if m.group(1) else "") + m.group(2) + "p" + m.group(5) + ("t" if m.group(6) else "")
            svtype = svtype or "BND"
        elif len(alt) > 1 and (alt.startswith(".") or alt.endswith(".")) and "<" not in alt:
            chrom2 = pos2 = None
            single = True
            orientation = ".N" if alt.startswith(".") else "N."
            svtype = svtype or "SGL"
        else:
            c2 = info.get("CHR2")
            chrom2 = canonical_chrom(str(c2)) if isinstance(c2, str) else chrom
            pos2 = _int(info.get("POS2"))
            if pos2 is None:
                pos2 = _int(info.get("END"))
            if pos2 is None:
                svlen = _int(info.get("SVLEN"))
                if svlen is not None and chrom2 == chrom:
                    pos2 = pos + abs(svlen)
                elif alt.startswith("<"):
                    pos2 = pos
                else:
                    pos2 = pos + max(len(ref) - 1, 0)
            ct = info.get("CT") or info.get("STRANDS")
            orientation = str(ct) if isinstance(ct, str) else None
            if not svtype:
                svtype = alt.strip("<>") if alt.startswith("<") else ("INDEL")
        if dialect == "Delly" and isinstance(info.get("CT"), str) and m:
            orientation = f"{orientation} (CT={info['CT']})"
        out.append(Junction(chrom, pos, chrom2, pos2, orientation, dialect, (rid,) if rid != "." else (),
                            filt, _support(dialect, info, fmt, single), f"{short}:{line_no}", svtype or "."))
    return out, (rid if rid != "." else None), mate_id


def read_structural_variants(
    path: str | Path,
    *,
    build: str,
    tumor_column: str | None = None,
    windows: str | Path | list[Window] = DEFAULT_WINDOWS,
    min_support: float = DEFAULT_MIN_SUPPORT,
    filters: Collection[str] = DEFAULT_FILTERS,
    min_intrachromosomal_distance: int = DEFAULT_MIN_INTRA_DISTANCE,
    nearest_window_distance: int = DEFAULT_NEAREST_WINDOW_DISTANCE,
    single_breakend_evidence: bool = False,
    keep_all_junctions: bool = False,
) -> SvResult:
    """Read one SV VCF and turn its IG-related junctions into lesion evidence.

    ``build`` is the sample's declared build; a header that says otherwise is
    an :class:`InputError` naming both. ``filters`` are the FILTER values
    accepted (default PASS and '.'). ``keep_all_junctions`` keeps every
    junction (all FILTER values) in ``junctions`` instead of only the passing
    ones that touch a window: for inspection and tests of small files, not for
    genome-wide production files. See the module docstring for the rules.
    """
    p = Path(path)
    name = str(path)
    short = p.name
    if build not in BUILDS:
        raise ValueError(f"unknown build {build!r}")
    wins = [w for w in (load_windows(windows) if not isinstance(windows, list) else windows) if w.build == build]
    accepted = set(filters)

    header_lines: list[str] = []
    samples: list[str] = []
    fmt_index: int | None = None
    result: SvResult | None = None
    problems: list[InputProblem] = []
    counts = {"records": 0, "records_passing": 0, "filtered_records": 0, "junctions": 0,
              "junctions_passing": 0, "single_breakends": 0, "window_junctions": 0}
    seen_bnd: set[str] = set()
    kept: dict[tuple, Junction] = {}
    all_kept: list[Junction] = []
    warnings: list[str] = []
    dialect = "generic"
    no_support = 0

    lines = _lines(p)
    for n, line in lines:
        if result is None:
            if n == 1 and not line.startswith("##fileformat=VCF"):
                raise InputError([InputProblem(name, "not a VCF file: the first line is not ##fileformat=VCF...",
                                               line=1, value=line[:60],
                                               expected="a VCF written by an SV caller")])
            if line.startswith("##"):
                header_lines.append(line)
                continue
            if line.startswith("#CHROM"):
                cols = line.split("\t")
                if cols[:8] != ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"]:
                    raise InputError([InputProblem(name, "the #CHROM line does not have the 8 VCF columns",
                                                   line=n, value=line[:80])])
                samples = cols[9:]
                header = "\n".join(header_lines)
                problem = check_build(build, detect_build(vcf_header_contigs(header), header), name)
                if problem:
                    raise InputError([problem])
                dialect = _detect_dialect(header)
                tcol, note = choose_tumor_column(samples, header, tumor_column, name)
                fmt_index = cols.index(tcol) if tcol else None
                result = SvResult(name, build, dialect, tcol)
                if note:
                    warnings.append(note)
                continue
            raise InputError([InputProblem(name, "the header has no #CHROM line before the records", line=n,
                                           value=line[:60])])
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 8 or not fields[1].isdigit():
            if len(problems) < _MAX_PROBLEMS:
                problems.append(InputProblem(name, "malformed VCF record (needs 8 tab-separated columns and a "
                                                   "numeric POS)", line=n, value=line[:80]))
            continue
        try:
            juncs, rid, mate = _parse_record(fields, n, name, short, dialect, fmt_index)
        except ValueError as exc:
            if len(problems) < _MAX_PROBLEMS:
                problems.append(InputProblem(name, f"unreadable SV record ({exc})", line=n, value=line[:80]))
            continue
        counts["records"] += 1
        passing = (fields[6] or ".") in accepted
        counts["records_passing" if passing else "filtered_records"] += 1
        if result.dialect == "generic" and juncs and juncs[0].dialect != "generic":
            result.dialect = juncs[0].dialect
        for j in juncs:
            if j.single:
                counts["single_breakends"] += 1
            # count BND pairs once: the second mate finds its partner's id already seen
            first = True
            if mate is not None and rid is not None:
                if mate in seen_bnd:
                    seen_bnd.discard(mate)
                    first = False
                else:
                    seen_bnd.add(rid)
            if first:
                counts["junctions"] += 1
                if passing:
                    counts["junctions_passing"] += 1
            if keep_all_junctions:
                if first:
                    all_kept.append(j)
                if not passing:
                    continue
            elif not passing:
                continue
            touched = any(w.contains(c, q) for w in wins for c, q in j.ends())
            if not touched:
                continue
            key = (tuple(sorted(j.ends())), j.single)
            if key in kept:
                old = kept[key]
                kept[key] = Junction(old.chrom1, old.pos1, old.chrom2, old.pos2, old.orientation, old.dialect,
                                     old.ids + tuple(i for i in j.ids if i not in old.ids), old.filter,
                                     old.support, old.record, old.svtype)
            else:
                kept[key] = j
    if result is None:
        raise InputError([InputProblem(name, "the file ended before the #CHROM header line",
                                       expected="a complete VCF")])
    if problems:
        raise InputError(problems)

    window_junctions = list(kept.values())
    counts["window_junctions"] = len(window_junctions)
    result.junctions = all_kept if keep_all_junctions else window_junctions
    result.counts = counts

    # evidence
    present: dict[str, list[_Hit]] = {}
    for j in window_junctions:
        total = j.support.total
        if total is None:
            no_support += 1
        elif total < min_support:
            warnings.append(f"{j.where()} ({j.record}) touches an IG/partner window but has {j.support.describe()}"
                            f" (< min_support {min_support:g}); not counted")
            continue
        hits, notes = classify_junction(j, wins, min_intrachromosomal_distance=min_intrachromosomal_distance,
                                        nearest_window_distance=nearest_window_distance,
                                        single_breakend_evidence=single_breakend_evidence)
        warnings.extend(notes)
        for h in hits:
            present.setdefault(h.lesion, []).append(h)
            origin = j.record
            result.evidence.append(Evidence(h.lesion, "present", "SV", None, origin=origin, detail=h.detail))
    if no_support:
        warnings.append(f"{no_support} window junction(s) carry no read-support count the reader knows; "
                        f"kept without the min_support check")

    lesions_with_window = {w.lesion for w in wins if w.kind == "partner"}
    has_igh = any(w.name == "IGH" for w in wins)
    summary = (f"{counts['junctions_passing']} junctions passing FILTER ({'/'.join(sorted(accepted))}) in "
               f"{short}, {counts['window_junctions']} touching an IG locus or partner window")
    for lesion in SV_LESIONS:
        if lesion in present:
            continue
        needs = (lesion in lesions_with_window and (has_igh or lesion == "MYC_rearrangement")) or (
            lesion == "IGH_rearrangement" and has_igh)
        if not needs:
            warnings.append(f"{lesion}: no window for {build} in the windows table; not assessed from SV")
            continue
        what = ("IGH junction" if lesion == "IGH_rearrangement" else
                "junction from the MYC window to elsewhere" if lesion == "MYC_rearrangement" else
                f"IGH junction to the {', '.join(sorted(w.name for w in wins if w.lesion == lesion))} window")
        result.evidence.append(Evidence(lesion, "absent", "SV", None, origin=short,
                                        detail=f"no {what}: {summary}"))
    result.warnings = warnings
    return result
