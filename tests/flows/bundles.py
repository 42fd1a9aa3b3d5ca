"""Turn a scaffolded case into one a seller finished: evidence files, facts, confirmations."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from autofill.samples import certificate_pdf, photo_jpg


def open_notice(truth: dict[str, Any], violation_prefix: str) -> dict[str, Any]:
    """A notice of that kind still open for appeal and never appealed."""
    now = datetime.now(timezone.utc).isoformat()
    appealed = {a["notice_id"] for a in truth["appeals"]}
    for notice in truth["notices"]:
        if (notice["violation_type"].startswith(violation_prefix)
                and notice["notice_id"] not in appealed
                and (notice["appeal_deadline"] or "") > now.replace("+00:00", "Z")):
            return notice
    raise AssertionError(f"no open notice for {violation_prefix!r} in the sandbox")


def finish_certificate_case(case_dir: Path, notice: dict[str, Any], models: list[str],
                            *, big_files: int = 0) -> list[Path]:
    """Fill a scaffolded CE/FCC/UKCA/SAR case so that `autofill check` passes."""
    data = yaml.safe_load((case_dir / "case.yaml").read_text())
    standard = notice["violation_type"].split(":", 1)[1].split()[0]
    files = [
        certificate_pdf(case_dir / "certificate.pdf", standard=standard, issuer="TUV Rheinland",
                        number="CE-2026-0415", models=models,
                        expires=str(date.today() + timedelta(days=365))),
        photo_jpg(case_dir / "nameplate.jpg", f"nameplate of model {models[0]}"),
    ]
    for i in range(big_files):
        files.append(photo_jpg(case_dir / f"product-{i + 1}.jpg", f"product view {i + 1}",
                               size=(4000, 3000)))
    data["evidence"] = [
        {"file": "certificate.pdf", "kind": "certificate", "standard": standard,
         "issuer": "TUV Rheinland", "number": "CE-2026-0415",
         "expires": str(date.today() + timedelta(days=365)), "models": models},
        {"file": "nameplate.jpg", "kind": "product_photo"},
        *({"file": p.name, "kind": "product_photo"} for p in files[2:]),
    ]
    data["statement"] = (
        f"Re: notification {notice['notice_id']}, rule {notice['rule_ref']}. The product has a "
        f"valid {standard} certificate (TUV Rheinland, CE-2026-0415) covering model "
        f"{models[0]}; the nameplate photo shows the same model. Please restore the listing."
    )
    data["confirmations"] = {k: True for k in data["confirmations"]}
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return files


def ready_case(platform: str, store: str, sandbox: Any, workspace: Any,
               *options: str) -> str:
    """Log in, scan, scaffold and finish a case for an open notice; returns `cases/<id>`.

    `options`: global options for login and scan (`--browser-endpoint ws://...`)."""
    login = workspace.run(*options, "login", "--store", store, "--demo")
    assert login.code == 0, login.stderr
    result = workspace.run(*options, "scan", "--store", store)
    assert result.code == 0, result.stderr
    truth = sandbox.truth(platform)
    if platform == "joom":
        notice = open_notice(truth, "Missing Certificate: CE")
        models = sorted({x["model"] for x in truth["listings"]
                         if x["listing_id"] in notice["listing_ids"]})
        assert workspace.run("case", "new", notice["notice_id"]).code == 0
        finish_certificate_case(workspace.root / "cases" / notice["notice_id"], notice, models)
    else:
        from tests.preflight.test_aliexpress_scaffold import _finish

        now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
        appealed = {a["notice_id"] for a in truth["appeals"]}
        notice = next(n for n in truth["notices"] if n["appealable"]
                      and n["notice_id"] not in appealed and (n["appeal_deadline"] or "") > now)
        assert workspace.run("case", "new", notice["notice_id"]).code == 0
        _finish(workspace.root / "cases" / notice["notice_id"])
    case = f"cases/{notice['notice_id']}"
    checked = workspace.run("check", case)
    assert checked.code == 0, checked.stderr
    return case
