"""The fast region scan of unindexed VCFs equals a plain line-by-line filter, whatever the layout."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pysam
import pytest

from mmrisk.vcfscan import scan_regions

HEADER = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
REGIONS = {"chr1": [(1000, 2000), (1500, 2500), (50_000, 50_000)], "chr2": [(10, 20)], "chrX": [(5, 999_999)]}


def naive(text: str) -> list[tuple[int, bytes]]:
    out = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line or line.startswith("#"):
            continue
        c, p = line.split("\t")[:2]
        if any(s <= int(p) <= e for s, e in REGIONS.get(c, [])):
            out.append((n, line.rstrip("\r").encode()))
    return out


def body(rng: random.Random, n: int, *, shuffle: bool = False) -> list[str]:
    rows = []
    for c in ("chr1", "chr2", "chr3", "chrX"):
        pos = 0
        for _ in range(n):
            pos += rng.randint(1, 120)
            rows.append(f"{c}\t{pos}\t.\tA\tG\t.\tPASS\tDP={rng.randint(1, 99)}")
    rows.append("chr1\t50000\t.\tC\tT\t.\tPASS\tX")  # out of order in a sorted file: still found
    if shuffle:
        rng.shuffle(rows)
    return rows


def write(path: Path, text: str, kind: str) -> Path:
    if kind == "plain":
        path.write_text(text)
    elif kind == "gzip":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        plain = path.with_suffix("")
        plain.write_text(text)
        pysam.tabix_compress(str(plain), str(path), force=True)
    return path


@pytest.mark.parametrize("kind", ["plain", "gzip", "bgzip"])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("chunk", [64, 1000, 1 << 20])
def test_scan_equals_line_filter(tmp_path, kind, shuffle, chunk):
    rng = random.Random(5)
    text = HEADER + "\n".join(body(rng, 400, shuffle=shuffle)) + "\n"
    p = write(tmp_path / "x.vcf.gz", text, kind)
    res = scan_regions(p, kind != "plain", REGIONS, chunk=chunk)
    assert res.lines == naive(text)
    assert res.records == 4 * 400 + 1 and res.header_lines == 3
    assert res.lines  # the regions do hold records


def test_crlf_no_final_newline_and_long_lines(tmp_path):
    long_info = "X=" + "A" * 5000
    rows = [f"chr1\t{p}\t.\tA\tG\t.\tPASS\t{long_info}" for p in (999, 1000, 2500, 2501)]
    text = HEADER.replace("\n", "\r\n") + "\r\n".join(rows)  # no newline after the last record
    p = tmp_path / "x.vcf"
    p.write_bytes(text.encode())
    res = scan_regions(p, False, REGIONS, chunk=100)
    assert [n for n, _ in res.lines] == [5, 6]
    assert all(not line.endswith(b"\r") for _, line in res.lines)
    assert res.records == 4


def test_header_only_and_unknown_contigs(tmp_path):
    p = tmp_path / "h.vcf"
    p.write_text(HEADER)
    assert scan_regions(p, False, REGIONS).records == 0
    p.write_text(HEADER + "1\t1500\t.\tA\tG\t.\tPASS\t.\n")  # '1' is not 'chr1'
    res = scan_regions(p, False, REGIONS)
    assert res.records == 1 and res.lines == []


def test_truncated_gzip_raises(tmp_path):
    text = HEADER + "\n".join(body(random.Random(1), 3000)) + "\n"
    data = gzip.compress(text.encode())
    p = tmp_path / "cut.vcf.gz"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises((OSError, EOFError)):
        scan_regions(p, True, REGIONS)


def test_named_lines_are_those_holding_a_token_whatever_the_block_size(tmp_path):
    """Lines outside the regions that name an annotation token (``|TP53|``, Funcotator ``[TP53|``) are kept,
    exactly those a plain substring search finds: adjacent tokens sharing a separator, a token at a line's
    start or end, names that are prefixes or suffixes of longer fields, whatever the block boundaries."""
    rng = random.Random(7)
    tokens = [b"|TP53|", b"[TP53|", b"|KRAS|", b"|ENSG00000141510|", b"|CD38|"]
    pieces = ["|TP53|", "[TP53|", "|KRAS|", "|ENSG00000141510|", "|CD38|", "|XTP53|", "|TP53X|", "[KRAS|",
              "|TP5|", "TP53", "||", "[", "|", "A", "CSQ=G", "|TP53|KRAS|", "|CD38|CD38|"]
    rows = []
    for i in range(3000):
        info = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        rows.append(f"chr{rng.choice('12')}\t{rng.randint(1, 100_000)}\t.\tA\tG\t.\tPASS\t{info or '.'}")
    text = HEADER + "\n".join(rows) + "\n"
    path = tmp_path / "t.vcf"
    path.write_text(text)
    inside = {n for n, _ in naive(text)}
    want = [(n, line.encode()) for n, line in enumerate(text.split("\n"), start=1)
            if line and not line.startswith("#") and n not in inside and any(t.decode() in line for t in tokens)]
    assert want  # the file holds such lines
    for chunk in (1 << 20, 4096, 777):
        res = scan_regions(path, False, REGIONS, chunk=chunk, tokens=tokens)
        assert sorted(res.named) == want, chunk
        assert res.lines == naive(text)


def test_a_token_of_another_form_is_refused():
    from mmrisk.vcfscan import Tokens

    for bad in (b"TP53", b"|TP53", b"|TP|53|", b"|\n|"):
        with pytest.raises(ValueError):
            Tokens([bad])


def test_read_ahead_hands_over_every_block_then_the_error_and_stops_when_closed(tmp_path):
    """The reading thread: blocks in order, a truncated file's error raised at its block, no thread left behind."""
    from mmrisk.vcfscan import _open, _ReadAhead

    data = ("".join(f"line {i}\n" for i in range(200000))).encode()
    whole = tmp_path / "whole.gz"
    whole.write_bytes(gzip.compress(data))
    with _ReadAhead(_open(whole, True), 1 << 16) as ra:
        blocks = []
        while block := ra.read():
            blocks.append(block)
    assert b"".join(blocks) == data and len(blocks) > 2 and not ra._thread.is_alive()

    cut = tmp_path / "cut.gz"
    cut.write_bytes(gzip.compress(data)[: len(gzip.compress(data)) // 2])
    got = b""
    with pytest.raises(EOFError), _ReadAhead(_open(cut, True), 1 << 16) as ra:
        while block := ra.read():
            got += block
    assert 0 < len(got) < len(data) and data.startswith(got) and not ra._thread.is_alive()

    with _ReadAhead(_open(whole, True), 1 << 12) as ra:
        ra.read()  # the caller stops early (an error of its own): closing ends the thread
    assert not ra._thread.is_alive()
