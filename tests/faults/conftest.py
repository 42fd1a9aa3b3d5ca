"""The fault matrix keeps score: runs, faults injected, listings lost or duplicated.

The figures are printed at the end of the run (and go in tests/README.md when they change)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest


@dataclass
class Score:
    rows: list[tuple[str, str, int, int, int, int]] = field(default_factory=list)

    def add(self, fault: str, platform: str, *, faults: int, listings: int, lost: int,
            duplicated: int) -> None:
        self.rows.append((fault, platform, faults, listings, lost, duplicated))


SCORE = Score()


@pytest.fixture
def score() -> Iterator[Score]:
    yield SCORE


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not SCORE.rows:
        return
    terminalreporter.write_sep("-", "fault matrix")
    terminalreporter.write_line(f"{'fault':<28}{'platform':<12}{'faults':>8}{'listings':>10}"
                                f"{'lost':>6}{'dupes':>7}")
    for fault, platform, faults, listings, lost, dupes in SCORE.rows:
        terminalreporter.write_line(f"{fault:<28}{platform:<12}{faults:>8}{listings:>10}"
                                    f"{lost:>6}{dupes:>7}")
    total = sum(r[2] for r in SCORE.rows)
    terminalreporter.write_line(f"{len(SCORE.rows)} runs, {total} faults injected, "
                                f"{sum(r[4] for r in SCORE.rows)} listings lost, "
                                f"{sum(r[5] for r in SCORE.rows)} duplicated")
