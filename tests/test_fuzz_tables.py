"""Property-based tests (hypothesis) of the table readers of #13: the FISH table, ISCN strings, the
sample sheet, the clinical table and the configuration.

The property of every reader: random inputs, and mutations of this project's real tables and of the real
ISCN strings its tests use (byte flips, truncated or doubled lines, cells replaced by hostile values such
as ``nan``, ``inf``, ``1e308``, ``-1``, '', very long strings, non-UTF-8 bytes, a BOM, CRLF, NUL), give
nothing but :class:`~mmrisk.errors.InputError` (the readers that collect problems instead of raising:
nothing at all), and whatever a reader returns obeys its ranges.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmrisk.clinical import load_drugs, read_clinical_table
from mmrisk.errors import InputError
from mmrisk.fish import RESULTS, fish_evidence, load_default_probes, load_default_targets, read_fish_table
from mmrisk.iscn import parse_iscn
from mmrisk.settings import Settings
from mmrisk.sheet import read_sample_sheet, validate_config

ROOT = Path(__file__).resolve().parents[1]
FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TARGETS = load_default_targets()
PROBES = load_default_probes()
DRUGS = load_drugs(ROOT / "resources" / "drugs.tsv")
CUTOFFS = {"fusion": 10.0, "breakapart": 10.0, "deletion": 20.0, "gain": 20.0}

DEMO_FISH = (ROOT / "resources" / "demo" / "fish.tsv").read_bytes()
DEMO_SHEET = (ROOT / "config" / "samples.tsv").read_bytes()
DEMO_CLINICAL = (ROOT / "resources" / "demo" / "clinical.tsv").read_bytes()

#: the real ISCN strings of this project's tests and demo table (f-string templates filled with IGH partners)
_ISCN_SOURCES = (ROOT / "tests" / "test_iscn.py").read_text(encoding="utf-8") + DEMO_FISH.decode("utf-8")
REAL_ISCN = sorted({m.replace("{partner}", "CCND1").replace("{gene}", "MYC")
                    for m in re.findall(r"nuc ish[^\"\t\n]*", _ISCN_SOURCES)})

HOSTILE = ["nan", "NaN", "inf", "-inf", "1e308", "1e999", "-1", "0", "", " ", "-0", "1e-320", "9" * 30, "9" * 5000,
           "x" * 5000, "\u00e9", "<script>", "NA", "null", "true", "100.0000001", "50%", "1,5", "[", "]",
           "(", ")", "x", "con", "sep", "/", "nuc ish", "\t", "#"]
RAW_HOSTILE = [b"\xff", b"\xe9", b"\x00", b"\xef\xbb\xbf", b"\r", b"\r\n", b"\t", b"\n", b"#"]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with 1-6 mutations: a cell replaced, bytes flipped or inserted, lines cut, dropped, doubled."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "flip", "insert", "truncate", "drop_line",
                                     "dup_line", "crlf", "bom"]))
        if kind == "cell":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, max(len(lines) - 1, 0)))
            cells = lines[i].split(b"\t")
            j = draw(st.integers(0, len(cells) - 1))
            value = draw(st.sampled_from(HOSTILE) | st.text(max_size=30))
            cells[j] = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
            lines[i] = b"\t".join(cells)
            data = bytearray(b"\n".join(lines))
        elif kind == "flip" and data:
            pos = draw(st.integers(0, len(data) - 1))
            data[pos] = draw(st.integers(0, 255))
        elif kind == "insert":
            pos = draw(st.integers(0, len(data)))
            data[pos:pos] = draw(st.sampled_from(RAW_HOSTILE))
        elif kind == "truncate":
            data = data[:draw(st.integers(0, len(data)))]
        elif kind in ("drop_line", "dup_line"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines[i:i + 1] = [] if kind == "drop_line" else [lines[i], lines[i]]
            data = bytearray(b"\n".join(lines))
        elif kind == "crlf":
            data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
        elif kind == "bom":
            data = bytearray(b"\xef\xbb\xbf" + bytes(data))
    return bytes(data)


def _write(folder: Path, name: str, data: bytes) -> Path:
    p = folder / name
    p.write_bytes(data)
    return p


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# ---------------------------------------------------------------------------
# FISH table


def _check_fish(path: Path, sample: str | None = None) -> None:
    table = read_fish_table(path, TARGETS, PROBES, sample=sample)  # collects problems: never raises
    for sid in table.samples:
        observations = table.observations(sid)
        for o in observations:
            assert o.result in RESULTS
            assert o.percent is None or (math.isfinite(o.percent) and 0 <= o.percent <= 100)
            assert o.copies is None or 0 <= o.copies <= 20
            assert o.cells_scored is None or 0 <= o.cells_scored <= 1_000_000
        if not table.problems(sid):
            fish_evidence(observations, CUTOFFS)  # what a sample's job does next: no exception


@FUZZ
@given(data=mutated(DEMO_FISH))
def test_fish_table_mutations_never_raise(folder: Path, data: bytes) -> None:
    path = _write(folder, "fish.tsv", data)
    _check_fish(path)
    _check_fish(path, sample="DEMO-01")


@FUZZ
@given(rows=st.lists(st.lists(st.sampled_from(HOSTILE) | st.text(max_size=12), min_size=0, max_size=10),
                     max_size=6),
       header=st.lists(st.sampled_from(["sample", "target", "result", "percent", "copies", "cells_scored",
                                        "probe", "comment", "iscn", "Sample", ""]), min_size=1, max_size=10))
def test_random_fish_tables_never_raise(folder: Path, rows: list[list[str]], header: list[str]) -> None:
    text = "\n".join(["\t".join(header)] + ["\t".join(r) for r in rows]) + "\n"
    _check_fish(_write(folder, "fish.tsv", text.encode("utf-8", "surrogatepass")))


# ---------------------------------------------------------------------------
# ISCN


def _check_iscn(text: str) -> None:
    try:
        found = parse_iscn(text, TARGETS, PROBES, file="fish.tsv", line=2)
    except InputError:
        return
    for o in found:
        assert o.percent is None or (math.isfinite(o.percent) and 0 <= o.percent <= 100)
        assert o.cells_scored is None or o.cells_scored >= 1


def test_real_iscn_strings_were_found() -> None:
    assert len(REAL_ISCN) >= 20


ISCN_PIECES = ["nuc ish", "(", ")", "[", "]", "/", ",", "x", "con", "sep", " ", "IGH", "FGFR3", "TP53", "D17Z1",
               "CKS1B", "CDKN2C", "5'", "3'", "0", "1", "2", "3", "200", "170", "-1", "1e308", "99999999999999999999",
               "nan", ".", "ish", "amp", "+", "~", "\u00e9", "\x00"]


@FUZZ
@given(text=st.lists(st.sampled_from(ISCN_PIECES), max_size=30).map("".join) | st.text(max_size=60))
def test_random_iscn_gives_only_input_errors(text: str) -> None:
    _check_iscn(text)


@FUZZ
@given(seed=st.sampled_from(REAL_ISCN), edits=st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 3), st.sampled_from(ISCN_PIECES + HOSTILE[:12])), max_size=5))
def test_mutated_real_iscn_gives_only_input_errors(seed: str, edits: list[tuple[int, int, str]]) -> None:
    text = seed
    for pos, cut, piece in edits:
        pos = min(pos, len(text))
        text = text[:pos] + piece + text[pos + cut:]
    _check_iscn(text)


# ---------------------------------------------------------------------------
# sample sheet


@FUZZ
@given(data=mutated(DEMO_SHEET))
def test_sample_sheet_mutations_give_only_input_errors(folder: Path, data: bytes) -> None:
    path = _write(folder, "samples.tsv", data)
    try:
        cohort = read_sample_sheet(str(path))
    except InputError:
        return
    for s in cohort.samples.values():
        assert s.purity is None or (math.isfinite(s.purity) and 0 < s.purity <= 1)
        assert s.build in ("GRCh37", "GRCh38")
        assert s.tumor_column is None or len(s.tumor_column) <= 255


# ---------------------------------------------------------------------------
# clinical table


@FUZZ
@given(data=mutated(DEMO_CLINICAL))
def test_clinical_table_mutations_never_raise(folder: Path, data: bytes) -> None:
    table = read_clinical_table(_write(folder, "clinical.tsv", data), DRUGS)
    for r in table.records.values():
        for v in (r.b2m_mg_l, r.albumin_g_dl, r.creatinine_mg_dl, r.ldh_u_l, r.ldh_uln_u_l):
            assert v is None or (math.isfinite(v) and v > 0)
        assert r.prior_lines is None or 0 <= r.prior_lines <= 100


# ---------------------------------------------------------------------------
# configuration


def _demo_config() -> dict:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["samples"] = str(ROOT / "config" / "samples.tsv")
    cfg["clinical"] = str(ROOT / "resources" / "demo" / "clinical.tsv")
    cfg["resources"] = {k: str(ROOT / v) for k, v in cfg["resources"].items()}
    return validate_config(cfg)  # every default filled in: every threshold is a leaf to mutate


def _leaves(node: object, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, path + (k,))] or [path]
    return [path]


BASE_CONFIG = _demo_config()
CONFIG_LEAVES = [p for p in _leaves(BASE_CONFIG) if p and p[0] not in ("samples", "clinical", "resources", "inbox")]
CONFIG_VALUES = st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -1, 0, 0.0, 1, 1.0, 0.5, 2.5,
                                 3, 100, 101, 1e-300, 10**30, True, None, "", "abc", [], {}]) \
    | st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10, 200)


@FUZZ
@given(changes=st.lists(st.tuples(st.sampled_from(CONFIG_LEAVES), CONFIG_VALUES, st.booleans()),
                        min_size=1, max_size=5))
def test_mutated_configs_give_only_input_errors_and_valid_ones_run(changes: list) -> None:
    cfg = copy.deepcopy(BASE_CONFIG)
    for path, value, delete in changes:
        node = cfg
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        if delete:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = value
    try:
        valid = validate_config(cfg)
    except InputError as exc:
        assert all(p.message for p in exc.problems)
        return
    Settings.from_config(valid)  # what every job builds: a validated config must never fail here
