"""The README's first command: the demo runs the whole job to the end on the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.browser


def test_the_demo_runs_to_the_end_and_stops_before_submit(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOFILL_DATA_DIR", str(tmp_path / "data"))
    result = run_cli(["demo", "--folder", "demo"], tmp_path)
    assert result.code == 0, result.stderr
    said = result.stderr
    for step in ("$ autofill scan --store joom-demo", "$ autofill check", "statement_not_english",
                 "scan_low_dpi", "Ready: no errors.", "Ready for your click",
                 "stopping here, before Submit", "$ autofill scan --store ali-demo",
                 "Demo finished"):
        assert step in said, step
    shots = list((tmp_path / "demo" / "cases").glob("*/artifacts/*/before-submit.png"))
    assert len(shots) == 1 and shots[0].stat().st_size > 10_000
    assert str(shots[0]) in said
    assert (tmp_path / "demo" / "deadlines.ics").is_file()
