"""The outputs of the demo cohort and of every corpus file equal the golden copy in tests/golden/expected/.

The golden copy was made by ``tests/golden/make_golden.py --update`` before the restructuring of
issue 12; any intended change of an output is made by rerunning that command and reviewing the diff
of ``tests/golden/expected/`` in the same commit as the code that changes it.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
import make_golden  # noqa: E402


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "out"
    make_golden.make_all(out)
    return out


def test_golden_copy_covers_demo_and_corpus() -> None:
    expected = _files(make_golden.EXPECTED)
    assert any(k.startswith("demo/samples/DEMO-18/") for k in expected)
    if make_golden.CORPUS.is_dir():
        for rel, _kind in make_golden.corpus_files():
            assert f"corpus/{rel}/GRCh37/evaluation.json" in expected, rel


@pytest.mark.parametrize("part", ["demo", "corpus"])
def test_outputs_equal_golden_copy(current: Path, part: str) -> None:
    if part == "corpus" and not make_golden.CORPUS.is_dir():
        pytest.skip(f"real-file corpus not present at {make_golden.CORPUS}")
    want = {k: v for k, v in _files(make_golden.EXPECTED).items() if k.startswith(part + "/")}
    got = {k: v for k, v in _files(current).items() if k.startswith(part + "/")}
    assert sorted(got) == sorted(want), "the set of output files changed"
    diffs = []
    for name in sorted(want):
        a = want[name].read_text(encoding="utf-8")
        b = got[name].read_text(encoding="utf-8")
        if a != b:
            diff = difflib.unified_diff(a.splitlines(), b.splitlines(), f"golden/{name}", f"now/{name}", n=1,
                                        lineterm="")
            diffs.append("\n".join(list(diff)[:30]))
    assert not diffs, f"{len(diffs)} outputs differ from the golden copy:\n" + "\n\n".join(diffs[:8])
