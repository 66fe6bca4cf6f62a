"""Completions of unknown inputs, the generic mechanism of :mod:`mmrisk.risk`: every input that was not
assessed takes in turn each of its possible values; what holds in every completion is reported."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

#: One completion: a value for every variable a system reads.
Assignment = dict[str, Any]


@dataclass
class Space:
    """The completions of the unknown inputs that one system reads."""

    names: list[str]
    cands: dict[str, list[Any]]
    consistent: Callable[[Assignment], bool] | None = None

    def assignments(self) -> Iterable[Assignment]:
        lists = [self.cands[n] for n in self.names]
        for combo in itertools.product(*lists):
            a = dict(zip(self.names, combo))
            if self.consistent is None or self.consistent(a):
                yield a

    def deciding(self, f: Callable[[Assignment], Any]) -> list[str]:
        """Unknown inputs whose value changes ``f`` with everything else fixed."""
        out: list[str] = []
        for var in self.names:
            if len(self.cands[var]) < 2:
                continue
            others = [n for n in self.names if n != var]
            changes = False
            for combo in itertools.product(*[self.cands[n] for n in others]):
                base = dict(zip(others, combo))
                seen = {_key(f({**base, var: v})) for v in self.cands[var]
                        if self.consistent is None or self.consistent({**base, var: v})}
                if len(seen) > 1:
                    changes = True
                    break
            if changes:
                out.append(var)
        return out


def either(sets: Sequence[set[str]], order: Sequence[str]) -> list[str]:
    """The fewest items (first in ``order``) of which every completion has one, as one "a or b" entry: what
    is met when no single criterion holds in every completion but each completion meets one."""
    for k in range(1, len(order) + 1):
        for pick in itertools.combinations([o for o in order if any(o in s for s in sets)], k):
            if all(s & set(pick) for s in sets):
                return [" or ".join(pick)]
    return []


def _key(x: Any) -> Any:
    return tuple(sorted(x)) if isinstance(x, (set, frozenset)) else x
