"""Input problems: one clear message per bad file, row or value.

Every reader in this package reports what is wrong with an input as an
:class:`InputProblem` (file, line, column, the bad value, what would be right)
and raises :class:`InputError` carrying all problems found at once, so a user
fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with one input."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            text += f" (got {shown!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


class InputError(Exception):
    """One or more problems with an input; ``str()`` lists them all."""

    def __init__(self, problems: Iterable[InputProblem]):
        self.problems: list[InputProblem] = list(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self.summary())

    def summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def raise_if(problems: list[InputProblem]) -> None:
    """Raise :class:`InputError` if ``problems`` is not empty."""
    if problems:
        raise InputError(problems)
