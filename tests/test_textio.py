"""The one text opener (mmrisk.textio) and the readers built on it: plain or gzip by magic bytes,
UTF-8 with a byte-order mark ignored, CRLF/LF/CR line ends, and damage reported on its true line."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from mmrisk import tables, textio
from mmrisk.errors import InputError
from mmrisk.vcfheader import read_header

BAD_ON_LINE_3 = b"first\tline\nsecond\tline\nthird caf\xe9\tline\nfourth\n"


def _problem(exc: pytest.ExceptionInfo[InputError]):
    (problem,) = exc.value.problems
    return problem


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_bad_byte_is_reported_on_its_own_line(tmp_path: Path, compress: bool) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(gzip.compress(BAD_ON_LINE_3) if compress else BAD_ON_LINE_3)
    with pytest.raises(InputError) as exc:
        list(textio.lines(p))
    problem = _problem(exc)
    assert problem.file == str(p) and problem.line == 3
    assert problem.message == "is not UTF-8 text (byte 9 of line 3, counted from 0: 0xe9)"
    assert problem.expected == "a UTF-8 file, plain or gzip-compressed"


def test_bad_byte_far_past_the_first_block_keeps_its_line(tmp_path: Path) -> None:
    """A decoder reading ~8 KB blocks stopped several lines before or after the bad byte."""
    p = tmp_path / "long.txt"
    p.write_bytes(b"".join(b"%05d %s\n" % (i, b"x" * 60) for i in range(1, 500)) + b"caf\xc3\n" + b"tail\n" * 300)
    seen = []
    with pytest.raises(InputError) as exc:
        for lineno, _ in textio.lines(p, "table"):
            seen.append(lineno)
    assert seen == list(range(1, 500))  # every line before the bad one is read
    assert _problem(exc).line == 500 and "byte 3 of line 500" in _problem(exc).message


def test_lines_before_the_bad_one_are_yielded(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(BAD_ON_LINE_3)
    got = []
    with pytest.raises(InputError):
        for item in textio.lines(p):
            got.append(item)
    assert got == [(1, "first\tline"), (2, "second\tline")]


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_byte_order_mark_is_ignored(tmp_path: Path, compress: bool) -> None:
    data = textio.BOM + "# café\nx\ty\n".encode()
    p = tmp_path / "bom.txt"
    p.write_bytes(gzip.compress(data) if compress else data)
    assert list(textio.lines(p)) == [(1, "# café"), (2, "x\ty")]
    assert textio.read_text(p) == "# café\nx\ty\n"


def test_only_a_leading_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    p = tmp_path / "bom2.txt"
    p.write_bytes(b"a\n" + textio.BOM + b"b\n")
    assert list(textio.lines(p)) == [(1, "a"), (2, "\ufeffb")]


def test_bad_byte_offset_counts_the_byte_order_mark(tmp_path: Path) -> None:
    p = tmp_path / "bom-bad.txt"
    p.write_bytes(textio.BOM + b"ab\xff\n")
    with pytest.raises(InputError) as exc:
        list(textio.lines(p))
    assert _problem(exc).line == 1 and "byte 5 of line 1" in _problem(exc).message


def test_crlf_lf_and_lone_cr_line_ends(tmp_path: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"a\tb\r\nc\td\r\n\r\ne\rf\ng")
    assert list(textio.lines(p)) == [(1, "a\tb"), (2, "c\td"), (3, ""), (4, "e"), (5, "f"), (6, "g")]


def test_crlf_bad_byte_line(tmp_path: Path) -> None:
    p = tmp_path / "crlf-bad.txt"
    p.write_bytes(b"one\r\ntwo\r\nt\x80hree\r\n")
    with pytest.raises(InputError) as exc:
        list(textio.lines(p))
    assert _problem(exc).line == 3 and "byte 1 of line 3" in _problem(exc).message


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(b"line %d\n" % i for i in range(1, 20001)))
    p = tmp_path / "cut.txt.gz"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as exc:
        list(textio.lines(p))
    problem = _problem(exc)
    assert problem.message.startswith("compressed data is damaged or truncated after line ")
    assert "EOFError" in problem.message and problem.line is not None and problem.line > 1
    assert problem.expected == "a complete gzip/bgzip file (re-copy it or re-run the tool that wrote it)"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        list(textio.lines(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory, not a copy-number file"):
        list(textio.lines(tmp_path, "copy-number file"))


# ----------------------------------------------------------------------------- readers on textio


def test_read_tsv_reports_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    p = tmp_path / "t.tsv"
    p.write_bytes(BAD_ON_LINE_3)
    with pytest.raises(InputError) as exc:
        tables.read_tsv(p)
    problem = _problem(exc)
    assert problem.line == 3 and problem.message.startswith("is not UTF-8 text (byte 9 of line 3")
    assert problem.expected == "a UTF-8 tab-separated file"


def test_read_tsv_still_refuses_gzip_and_reads_bom_crlf(tmp_path: Path) -> None:
    gz = tmp_path / "t.tsv.gz"
    gz.write_bytes(gzip.compress(b"a\tb\n1\t2\n"))
    with pytest.raises(InputError) as exc:
        tables.read_tsv(gz)
    assert _problem(exc).message == "is gzip-compressed"
    assert _problem(exc).expected == "a plain tab-separated text file"
    p = tmp_path / "t.tsv"
    p.write_bytes(textio.BOM + b"# version: 2\r\na\tb\r\n\r\n1\t2\r\n")
    table = tables.read_tsv(p)
    assert table.header == ["a", "b"] and [(r.line, r.cells) for r in table.rows] == [(4, {"a": "1", "b": "2"})]
    with pytest.raises(InputError, match="is a directory, not a table"):
        tables.read_tsv(tmp_path)


def test_header_fields(tmp_path: Path) -> None:
    p = tmp_path / "r.tsv"
    p.write_bytes(textio.BOM + b"# my table\r\n# Version: 1.2  date: 2026-01-02T00\r\n# version: 9\r\n"
                  b"a\n# date: 1999-01-01\n")
    assert tables.header_fields(p) == {"version": "1.2", "date": "2026-01-02T00"}
    assert tables.header_fields(p, {"date": r"\d{4}-\d{2}-\d{2}"}) == {"date": "2026-01-02"}
    p.write_bytes(b"# subversion: 3  date: soon date: 2026-03-04\n")
    assert tables.header_fields(p, {"version": r"\S+", "date": r"\d{4}-\d{2}-\d{2}"}) == {"date": "2026-03-04"}
    assert tables.header_fields(tmp_path / "missing.tsv") == {}


def test_vcf_header_through_textio(tmp_path: Path) -> None:
    text = "##fileformat=VCFv4.2\r\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\r\n1\t1\t.\tA\tC\t.\tPASS\tX=caf\xe9\r\n"
    p = tmp_path / "a.vcf"
    p.write_bytes(text.encode("latin-1"))  # a bad byte in a record is htslib's to read, not the header's
    assert read_header(str(p)) == ("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n", 2, False)
    gz = tmp_path / "a.vcf.gz"
    gz.write_bytes(gzip.compress(b"##fileformat=VCFv4.2\n##x=caf\xe9\n#CHROM\n"))
    with pytest.raises(InputError) as exc:
        read_header(str(gz))
    assert _problem(exc).line == 2 and "is not UTF-8 text (byte 7 of line 2" in _problem(exc).message


def test_vcf_with_byte_order_mark_is_still_refused(tmp_path: Path) -> None:
    """htslib cannot read a VCF starting with a byte-order mark, so the header reader refuses it as before."""
    p = tmp_path / "bom.vcf"
    p.write_bytes(textio.BOM + b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    with pytest.raises(InputError) as exc:
        read_header(str(p))
    problem = _problem(exc)
    assert problem.line == 1 and problem.value == "\ufeff##fileformat=VCFv4.2"
    assert problem.message.startswith("line 1 is not the VCF fileformat line, so the file is not a VCF htslib can read")
    assert "byte-order mark (re-save it without one)" in problem.message


# ---------------------------------------------------------------------------
# #13: every table (sheet, FISH, clinical, resource tables) under hostile bytes: read right, or a clean
# InputError with file and line

ROOT = Path(__file__).resolve().parents[1]
REAL_TABLES = ["config/samples.tsv", "resources/demo/fish.tsv", "resources/demo/clinical.tsv",
               "resources/fish_targets.tsv", "resources/drugs.tsv", "resources/cnv_loci.tsv"]


def _copy(tmp_path: Path, rel: str, transform) -> tuple[Path, tables.Table]:
    src = ROOT / rel
    p = tmp_path / src.name
    p.write_bytes(transform(src.read_bytes()))
    return p, tables.read_tsv(src)


@pytest.mark.parametrize("rel", REAL_TABLES)
@pytest.mark.parametrize("name,transform", [
    ("BOM", lambda b: textio.BOM + b),
    ("CRLF", lambda b: b.replace(b"\n", b"\r\n")),
    ("mixed line ends", lambda b: b"".join(ln + (b"\r\n", b"\n", b"\r")[i % 3]
                                           for i, ln in enumerate(b.split(b"\n")[:-1]))),
    ("trailing tab on every line", lambda b: b.replace(b"\n", b"\t\n")),
])
def test_table_variants_read_the_same(tmp_path: Path, rel: str, name: str, transform) -> None:
    p, original = _copy(tmp_path, rel, transform)
    again = tables.read_tsv(p)
    assert again.header == original.header, name
    assert [r.cells for r in again.rows] == [r.cells for r in original.rows], name
    assert [r.line for r in again.rows] == [r.line for r in original.rows], name


def _third_data_line(b: bytes) -> int:
    """The 1-based number of the third non-comment line (the second data row)."""
    seen = 0
    for i, ln in enumerate(b.split(b"\n"), start=1):
        if ln and not ln.startswith(b"#"):
            seen += 1
            if seen == 3:
                return i
    raise AssertionError("table too short")


def _on_line(b: bytes, lineno: int, f) -> bytes:
    lines = b.split(b"\n")
    lines[lineno - 1] = f(lines[lineno - 1])
    return b"\n".join(lines)


@pytest.mark.parametrize("rel", REAL_TABLES)
@pytest.mark.parametrize("name,damage,message", [
    ("NUL byte", lambda ln: ln[:3] + b"\x00" + ln[3:], "NUL byte"),
    ("Latin-1 byte", lambda ln: ln[:3] + b"\xe9" + ln[3:], "is not UTF-8"),
    ("UTF-16 BOM", lambda ln: b"\xff\xfe" + ln, "is not UTF-8"),
])
def test_table_damage_is_a_clean_problem_on_its_line(tmp_path: Path, rel: str, name: str, damage, message) -> None:
    src = (ROOT / rel).read_bytes()
    lineno = _third_data_line(src)
    p = tmp_path / Path(rel).name
    p.write_bytes(_on_line(src, lineno, damage))
    with pytest.raises(InputError) as exc:
        tables.read_tsv(p)
    [problem] = exc.value.problems
    assert problem.line == lineno and message in problem.message and problem.file == str(p), name


@pytest.mark.parametrize("rel", REAL_TABLES)
def test_duplicated_column_name_names_both_positions(tmp_path: Path, rel: str) -> None:
    src = (ROOT / rel).read_bytes()
    header_line = next(i for i, ln in enumerate(src.split(b"\n"), start=1) if ln and not ln.startswith(b"#"))
    first = src.split(b"\n")[header_line - 1].split(b"\t")[0]
    p = tmp_path / Path(rel).name
    p.write_bytes(_on_line(src, header_line, lambda ln: ln + b"\t" + first))
    with pytest.raises(InputError) as exc:
        tables.read_tsv(p)
    [problem] = exc.value.problems
    width = len(src.split(b"\n")[header_line - 1].split(b"\t"))
    assert problem.line == header_line
    assert f"columns 1 and {width + 1} are both named {first.decode()!r}" in problem.message


def test_huge_cells_are_read_whole(tmp_path: Path) -> None:
    """csv's 128 KiB field limit stopped the whole run (#13); cells up to MAX_CELL_CHARS are read."""
    p = tmp_path / "t.tsv"
    big = "x" * (tables.MAX_CELL_CHARS)
    p.write_text(f"a\tb\n1\t{big}\n2\t{big}y\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        tables.read_tsv(p)
    [problem] = exc.value.problems
    assert (problem.line, problem.column) == (3, "b")
    p.write_text(f"a\tb\n1\t{big}\n", encoding="utf-8")
    assert tables.read_tsv(p).rows[0].cells["b"] == big


def _lines_one_by_one(data: bytes) -> list[tuple[int, str]]:
    """The line-by-line reading the block reader must equal: readline, then CR splits, each line decoded."""
    import io

    out: list[tuple[int, str]] = []
    for i, raw in enumerate(io.BytesIO(data)):
        if i == 0 and raw.startswith(textio.BOM):
            raw = raw[len(textio.BOM):]
        for piece in textio._split(raw):
            out.append((len(out) + 1, piece.decode()))
    return out


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64, 1 << 20])
def test_block_reading_equals_reading_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   block: int) -> None:
    """Lines cut across blocks, CRLF split between blocks, long lines, a last line without its end, a BOM."""
    import random

    rng = random.Random(block)
    monkeypatch.setattr(textio, "BLOCK", block)
    ends = [b"\n", b"\r\n", b"\r", b""]
    for case in range(40):
        parts = [textio.BOM] if case % 5 == 0 else []
        for _ in range(rng.randint(0, 30)):
            parts.append("".join(rng.choice("ab\tcé ") for _ in range(rng.choice([0, 1, 5, 200]))).encode())
            parts.append(rng.choice(ends))
        data = b"".join(parts)
        if data == textio.BOM:
            continue  # a file of only a byte-order mark: no line (line by line read one empty line)
        for compress in (False, True):
            p = tmp_path / f"c{case}.txt"
            p.write_bytes(gzip.compress(data) if compress else data)
            assert list(textio.lines(p)) == _lines_one_by_one(data), (block, case, data[:80])


def test_bad_byte_in_a_later_block_keeps_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textio, "BLOCK", 16)
    p = tmp_path / "bad.txt"
    p.write_bytes(b"".join(b"line %d\r\n" % i for i in range(1, 40)) + b"ba\xffd\r\nafter\r\n")
    seen = []
    with pytest.raises(InputError) as exc:
        for lineno, text in textio.lines(p):
            seen.append((lineno, text))
    assert seen == [(i, f"line {i}") for i in range(1, 40)]
    assert _problem(exc).line == 40 and "byte 2 of line 40" in _problem(exc).message
