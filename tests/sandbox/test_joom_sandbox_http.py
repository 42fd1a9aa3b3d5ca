"""The Joom sandbox over real HTTP: what SPEC.md promises the flows, proved page by page."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from autofill.sandbox.config import SandboxConfig, parse_faults
from autofill.sandbox.server import running
from tests.sandbox.conftest import LISTINGS, csrf, log_in, truth
from tests.sandbox.dom import alert_items, parse, table_rows

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _appealable(joom: dict[str, Any], kind: str | None = None) -> tuple[str, dict[str, Any]]:
    """A listing with an appealable notice without any appeal yet, and that notice."""
    appealed = {a["notice_id"] for a in joom["appeals"]}
    for notice in joom["notices"]:
        if notice["appealable"] and notice["notice_id"] not in appealed and (
            kind is None or notice["kind"] == kind
        ):
            return notice["listing_ids"][0], notice
    raise AssertionError(f"no fresh appealable notice of kind {kind}")


def _appeal_type(client: httpx.Client, listing_id: str) -> tuple[str, str]:
    page = client.get(f"/joom/products/{listing_id}/appeal")
    assert page.status_code == 200
    options = parse(page.text).find("select", name="appeal_type").find_all("option")
    return str(options[1].attrs["value"]), csrf(page.text)


def _post_appeal(
    client: httpx.Client, listing_id: str, files: list[tuple[str, bytes]],
    statement: str = "The CE declaration for this model is attached.",
    appeal_type: str | None = None, token: str | None = None,
    extra: dict[str, str] | None = None,
) -> httpx.Response:
    first_type, page_token = _appeal_type(client, listing_id)
    data = {"csrf_token": page_token if token is None else token, "statement": statement,
            "appeal_type": first_type if appeal_type is None else appeal_type, **(extra or {})}
    upload = [("evidence", (name, content, "application/octet-stream")) for name, content in files]
    return client.post(f"/joom/products/{listing_id}/appeal", data=data, files=upload or None)


# -- session ----------------------------------------------------------------------------------


def test_pages_without_a_session_redirect_to_login_with_next(anonymous: httpx.Client) -> None:
    response = anonymous.get("/joom/products?status=removed")
    assert response.status_code == 303
    assert response.headers["location"] == "/joom/login?next=/joom/products%3Fstatus%3Dremoved"
    login = anonymous.get(response.headers["location"])
    assert parse(login.text).find("h1").text() == "Log in to Joom Seller Center"


def test_login_goes_to_next_and_sets_the_session_cookie(anonymous: httpx.Client) -> None:
    page = anonymous.get("/joom/login?next=/joom/notifications")
    response = anonymous.post("/joom/login", data={
        "email": "demo@seller.example", "password": "sandbox-demo",
        "csrf_token": csrf(page.text), "next": "/joom/notifications"})
    assert response.status_code == 303
    assert response.headers["location"] == "/joom/notifications"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("joom_session=") and "HttpOnly" in cookie and "Path=/joom" in cookie
    assert anonymous.get("/joom/notifications").status_code == 200
    assert anonymous.get("/joom/logout").status_code == 303
    assert anonymous.get("/joom/notifications").status_code == 303


def test_wrong_password_says_so(anonymous: httpx.Client) -> None:
    response = log_in(anonymous, password="nope")
    assert response.status_code == 400
    alert = parse(response.text).find(role="alert")
    assert alert.text() == "Incorrect email or password."


def test_login_without_csrf_token_is_refused(anonymous: httpx.Client) -> None:
    anonymous.get("/joom/login")
    response = anonymous.post("/joom/login", data={"email": "demo@seller.example",
                                                   "password": "sandbox-demo"})
    assert response.status_code == 403


# -- the Appeal form --------------------------------------------------------------------------


def test_appeal_post_without_valid_csrf_token_is_refused(seller: httpx.Client) -> None:
    listing_id, _ = _appealable(truth(seller))
    response = _post_appeal(seller, listing_id, [("ce.pdf", PDF)], token="forged")
    assert response.status_code == 403
    assert "Invalid or missing CSRF token. Reload the page and try again." in response.text
    assert truth(seller)["submissions"] == []


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("photo.png", PNG)], "photo.png: Only PDF and JPG files are accepted."),
        ([("fake.pdf", JPEG)], "fake.pdf: Only PDF and JPG files are accepted."),
        ([("fake.jpg", PDF)], "fake.jpg: Only PDF and JPG files are accepted."),
        ([("big.pdf", PDF + b"0" * (10 * 1024 * 1024))], "big.pdf: File is larger than 10 MB."),
        ([("证书 #1.pdf", PDF)], "证书 #1.pdf: File name contains unsupported characters. Use "
                                "letters, digits, spaces, dots, dashes and underscores."),
        ([("empty.pdf", b"")], "empty.pdf: File is empty."),
        ([(f"doc{i}.pdf", PDF) for i in range(6)], "Attach at most 5 files."),
        ([], "Attach at least one evidence file."),
    ],
)
def test_upload_problems_are_listed_with_joom_messages(
    seller: httpx.Client, files: list[tuple[str, bytes]], message: str
) -> None:
    listing_id, _ = _appealable(truth(seller))
    response = _post_appeal(seller, listing_id, files, statement="Kept after the error.")
    assert response.status_code == 400
    assert message in alert_items(response.text)
    statement = parse(response.text).find("textarea", name="statement").text()
    assert statement == "Kept after the error."
    assert truth(seller)["submissions"] == []


def test_missing_type_and_statement_and_too_long_statement(seller: httpx.Client) -> None:
    listing_id, _ = _appealable(truth(seller))
    empty = _post_appeal(seller, listing_id, [("a.pdf", PDF)], statement="  ", appeal_type="")
    assert alert_items(empty.text) == ["Choose an appeal type.", "Enter a statement."]
    long = _post_appeal(seller, listing_id, [("a.pdf", PDF)], statement="x" * 501)
    assert alert_items(long.text) == ["The statement must be 500 characters or fewer."]
    exact = _post_appeal(seller, listing_id, [("a.pdf", PDF)], statement="y" * 500)
    assert exact.status_code == 303


def test_successful_appeal_is_in_truth_with_file_hashes(seller: httpx.Client) -> None:
    listing_id, notice = _appealable(truth(seller), kind="ce")
    files = [("CE declaration (model X).pdf", PDF), ("label_photo-1.JPG", JPEG)]
    response = _post_appeal(seller, listing_id, files, statement="Line one\r\nLine two")
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/joom/support/appeals/APL-\d{6}", location)
    appeal_id = location.rsplit("/", 1)[1]

    page = parse(seller.get(location).text)
    assert page.find(role="status").text() == f"Appeal {appeal_id} submitted."
    assert page.find("h1").text() == f"Appeal {appeal_id}"
    assert not parse(seller.get(location).text).find_all(role="status")  # shown once

    joom = truth(seller)
    [submission] = joom["submissions"]
    assert submission["appeal_id"] == appeal_id and submission["kind"] == "appeal"
    assert submission["notice_id"] == notice["notice_id"]
    assert submission["listing_id"] == listing_id
    assert submission["statement"] == "Line one\nLine two"
    assert submission["files"] == [
        {"name": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        for name, content in files
    ]
    [appeal] = [a for a in joom["appeals"] if a["appeal_id"] == appeal_id]
    assert appeal["status"] == "submitted" and appeal["duplicate"] is False
    rows = table_rows(seller.get("/joom/support/appeals").text, "Appeals")
    assert [appeal_id, notice["notice_id"], listing_id, "Submitted"] in [r[:4] for r in rows]


def test_second_appeal_while_one_is_undecided_is_flagged_duplicate(seller: httpx.Client) -> None:
    joom = truth(seller)
    pending = next(a for a in joom["appeals"] if a["status"] == "under_review")
    product = parse(seller.get(f"/joom/products/{pending['listing_id']}").text)
    violation = product.find("section", aria_label="Violation")
    assert f"An appeal for this notification is under review ({pending['appeal_id']})." in \
        violation.text()
    assert violation.find("a", href=f"/joom/products/{pending['listing_id']}/appeal")
    response = _post_appeal(seller, pending["listing_id"], [("again.pdf", PDF)])
    assert response.status_code == 303
    new_id = response.headers["location"].rsplit("/", 1)[1]
    [new] = [a for a in truth(seller)["appeals"] if a["appeal_id"] == new_id]
    assert new["duplicate"] is True


def test_final_decision_has_no_appeal_link(seller: httpx.Client) -> None:
    notice = next(n for n in truth(seller)["notices"] if not n["appealable"]
                  and n["kind"] == "prohibited")
    listing_id = notice["listing_ids"][0]
    violation = parse(seller.get(f"/joom/products/{listing_id}").text).find(
        "section", aria_label="Violation")
    assert "This decision is final and cannot be appealed." in violation.text()
    assert not [a for a in violation.find_all("a") if a.text() == "Appeal"]
    assert seller.get(f"/joom/products/{listing_id}/appeal").status_code == 409


def test_missing_certificate_shows_reminder_and_violation_details(seller: httpx.Client) -> None:
    joom = truth(seller)
    listing_id, notice = _appealable(joom, kind="ce")
    page = parse(seller.get(f"/joom/products/{listing_id}").text)
    assert page.find(role="alert").text() == \
        "This product requires a CE certificate. Upload it to restore the listing."
    violation = page.find("section", aria_label="Violation").dl()
    assert violation == {
        "Violation type": notice["violation_type"], "Notification ID": notice["notice_id"],
        "Rule reference": notice["rule_ref"], "Issued": notice["issued_at"],
        "Appeal deadline": notice["appeal_deadline"],
    }


def test_form_variants_change_the_form(seller: httpx.Client) -> None:
    listing_id, _ = _appealable(truth(seller))
    seller.post("/__sandbox__/joom/state", json={"form_variant": "dropped_file_type"})
    dropped = _post_appeal(seller, listing_id, [("photo.jpg", JPEG)])
    assert "photo.jpg: Only PDF files are accepted." in alert_items(dropped.text)
    seller.post("/__sandbox__/joom/state", json={"form_variant": "new_required_field"})
    added = _post_appeal(seller, listing_id, [("a.pdf", PDF)])
    assert "Enter a contact phone number." in alert_items(added.text)
    assert parse(added.text).find("label", **{"for": "appeal-contact-phone"}).text() == \
        "Contact phone"
    seller.post("/__sandbox__/joom/state", json={"form_variant": "renamed_field"})
    renamed = seller.get(f"/joom/products/{listing_id}/appeal").text
    assert "Appeal description (English)" in renamed and "Statement (English)" not in renamed


# -- truth matches the pages ------------------------------------------------------------------


def test_every_listing_needing_attention_is_in_the_products_table(seller: httpx.Client) -> None:
    expected = {x["listing_id"]: x for x in truth(seller)["listings"] if x["status"] != "active"}
    seen: dict[str, list[str]] = {}
    page = 1
    while True:
        html = seller.get(f"/joom/products?status=not_active&page={page}").text
        for row in table_rows(html, "Products"):
            seen[row[0]] = row
        nav = parse(html).find("nav", aria_label="Pagination")
        if not [a for a in nav.find_all("a") if a.text() == "Next"]:
            break
        page += 1
    assert set(seen) == set(expected)
    for listing_id, listing in expected.items():
        assert seen[listing_id][1:4] == [listing["sku"], listing["title"],
                                         listing["status_label"]]


def test_pagination_shows_every_listing_exactly_once(seller: httpx.Client) -> None:
    ids: list[str] = []
    first = seller.get("/joom/products?page=1").text
    assert f"Showing 1–50 of {LISTINGS} products" in first
    pages = LISTINGS // 50
    for page in range(1, pages + 1):
        html = seller.get(f"/joom/products?status=all&page={page}").text
        ids += [row[0] for row in table_rows(html, "Products")]
        links = [a.text() for a in parse(html).find("nav", aria_label="Pagination").find_all("a")]
        assert ("Previous" in links) == (page > 1)
        assert ("Next" in links) == (page < pages)
        assert f"Page {page} of {pages}" in html
    assert len(ids) == len(set(ids)) == LISTINGS
    assert set(ids) == {x["listing_id"] for x in truth(seller)["listings"]}


def test_batch_notice_lists_all_its_products_on_notifications(seller: httpx.Client) -> None:
    joom = truth(seller)
    batch = max(joom["notices"], key=lambda n: len(n["listing_ids"]))
    assert len(batch["listing_ids"]) >= 8
    index = [n["notice_id"] for n in joom["notices"]].index(batch["notice_id"])
    html = seller.get(f"/joom/notifications?page={index // 50 + 1}").text
    [article] = [a for a in parse(html).find_all("article")
                 if a.find("h2").text() == f"Notification {batch['notice_id']}"]
    fields = article.dl()
    assert fields["Violation type"] == batch["violation_type"]
    assert fields["Rule reference"] == batch["rule_ref"]
    products = [li.text() for dd in article.find_all("dd") for li in dd.find_all("li")]
    assert products == batch["listing_ids"]


def test_every_scenario_of_the_catalogue_is_seeded(seller: httpx.Client) -> None:
    joom = truth(seller)
    kinds = {n["kind"] for n in joom["notices"]}
    assert {"wrong_category", "ce", "fcc", "ukca", "sar", "safety_warning", "brand", "image",
            "logistics", "complaints", "rating", "incomplete_pending", "incomplete_rejected",
            "misleading", "prohibited", "retired"} <= kinds
    statuses = {a["status"] for a in joom["appeals"]}
    assert statuses >= {"submitted", "under_review", "info_requested", "approved", "rejected",
                        "closed"}
    rejected = next(a for a in joom["appeals"] if a["status"] == "rejected")
    assert rejected["rejection_code"] == "EVD-INSUFFICIENT"
    not_active = [x for x in joom["listings"] if x["status"] != "active"]
    assert len(not_active) >= LISTINGS // 5


def test_same_seed_gives_the_same_truth(seller: httpx.Client) -> None:
    def without_urls(joom: dict[str, Any]) -> dict[str, Any]:
        return {**joom, "listings": [{**x, "url": x["url"].split("/joom/")[1]}
                                     for x in joom["listings"]]}

    with running(SandboxConfig(seed=7, listings=LISTINGS, test_hooks=True)) as twin:
        with httpx.Client(base_url=twin) as other:
            assert without_urls(truth(other)) == without_urls(truth(seller))
    with running(SandboxConfig(seed=8, listings=LISTINGS, test_hooks=True)) as different:
        with httpx.Client(base_url=different) as other:
            assert truth(other)["listings"] != truth(seller)["listings"]


# -- appeals and requests for more information ------------------------------------------------


def test_information_request_closes_after_its_deadline(seller: httpx.Client) -> None:
    appeal = next(a for a in truth(seller)["appeals"] if a["status"] == "info_requested")
    deadline = datetime.fromisoformat(appeal["info_request_deadline"].replace("Z", "+00:00"))
    url = f"/joom/support/appeals/{appeal['appeal_id']}"
    open_page = seller.get(url).text
    assert parse(open_page).find("form", aria_label="Additional information")

    after = (deadline + timedelta(minutes=1)).isoformat()
    seller.post("/__sandbox__/joom/state", json={"now": after}).raise_for_status()
    [closed] = [a for a in truth(seller)["appeals"] if a["appeal_id"] == appeal["appeal_id"]]
    assert closed["status"] == "closed" and closed["info_request_deadline"] is None
    page = parse(seller.get(url).text)
    details = page.find("section", aria_label="Appeal details").dl()
    assert details["Status"] == "Closed" and details["Respond by"] == "—"
    assert not page.find_all("form", aria_label="Additional information")
    late = seller.post(url, data={"csrf_token": csrf(open_page),
                                  "additional_information": "Too late"})
    assert late.status_code == 400
    assert truth(seller)["submissions"] == []


def test_answering_an_information_request_puts_the_appeal_back_under_review(
    seller: httpx.Client,
) -> None:
    appeal = next(a for a in truth(seller)["appeals"] if a["status"] == "info_requested")
    url = f"/joom/support/appeals/{appeal['appeal_id']}"
    token = csrf(seller.get(url).text)
    response = seller.post(url, data={"csrf_token": token, "additional_information": "Here."},
                           files=[("additional_evidence", ("seal.pdf", PDF, "application/pdf"))])
    assert response.status_code == 303
    page = parse(seller.get(url).text)
    assert page.find(role="status").text() == "Additional information sent."
    assert page.find("section", aria_label="Appeal details").dl()["Status"] == "Under Review"
    joom = truth(seller)
    [sent] = joom["submissions"]
    assert sent["kind"] == "supplement" and sent["statement"] == "Here."
    assert sent["files"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_appeal_state_hook_requests_information(seller: httpx.Client) -> None:
    appeal = next(a for a in truth(seller)["appeals"] if a["status"] == "under_review")
    seller.post("/__sandbox__/joom/state", json={"appeal": {
        "appeal_id": appeal["appeal_id"], "status": "info_requested"}}).raise_for_status()
    joom = truth(seller)
    [changed] = [a for a in joom["appeals"] if a["appeal_id"] == appeal["appeal_id"]]
    assert changed["status"] == "info_requested" and changed["info_request_deadline"]
    [request] = [r for r in joom["info_requests"] if r["appeal_id"] == appeal["appeal_id"]]
    assert request["notice_id"] not in {n["notice_id"] for n in joom["notices"]}
    notifications = seller.get("/joom/notifications").text
    assert f"Notification {request['notice_id']}" in notifications
    bad = seller.post("/__sandbox__/joom/state", json={"appeal": {"appeal_id": "APL-0"}})
    assert bad.status_code == 400


# -- faults -----------------------------------------------------------------------------------


def test_error_rate_is_roughly_honoured_and_never_hits_login_or_hooks(
    seller: httpx.Client, anonymous: httpx.Client,
) -> None:
    seller.post("/__sandbox__/faults", json={"error_rate": 0.3, "seed": 11}).raise_for_status()
    codes = [seller.get("/joom/account-health").status_code for _ in range(300)]
    failures = sum(code >= 500 for code in codes)
    assert 60 <= failures <= 120, failures
    assert set(codes) <= {200, 500, 502, 503}
    seller.post("/__sandbox__/faults", json={"error_rate": 1.0}).raise_for_status()
    assert seller.get("/joom/").status_code >= 500
    assert log_in(anonymous).status_code == 303
    assert seller.get("/__sandbox__/faults").json()["error_rate"] == 1.0


def test_latency_slows_pages(seller: httpx.Client) -> None:
    seller.post("/__sandbox__/faults", json={"latency_ms": 200}).raise_for_status()
    started = time.monotonic()
    assert seller.get("/joom/account-health").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_expire_after_sends_the_session_to_the_login_page(seller: httpx.Client) -> None:
    seller.post("/__sandbox__/faults", json={"expire_after": 3}).raise_for_status()
    for _ in range(3):
        assert seller.get("/joom/").status_code == 200
    expired = seller.get("/joom/products")
    assert expired.status_code == 303
    assert expired.headers["location"].startswith("/joom/login?next=")
    assert seller.get("/joom/").status_code == 303  # the session is gone
    assert log_in(seller).status_code == 303
    assert seller.get("/joom/").status_code == 200


def test_faults_hook_rejects_bad_values(anonymous: httpx.Client) -> None:
    assert anonymous.post("/__sandbox__/faults", json={"error_rate": 2}).status_code == 400
    assert anonymous.post("/__sandbox__/faults", json={"latency": 5}).status_code == 400
    assert anonymous.post("/__sandbox__/faults", json=[1]).status_code == 400


def test_parse_faults_reads_the_cli_form() -> None:
    assert parse_faults("latency=200,error_rate=0.1,expire_after=30") == {
        "latency_ms": 200, "error_rate": 0.1, "expire_after": 30}
    assert parse_faults("") == {}
    for bad in ("latency", "speed=3", "error_rate=lots", "error_rate=1.5", "expire_after=0"):
        with pytest.raises(ValueError, match="--faults|error_rate|expire_after"):
            parse_faults(bad)


def _ids_and_classes(html: str) -> set[str]:
    return {f"{k}={v}" for node in parse(html).walk() for k, v in node.attrs.items()
            if k in ("id", "class")}


def test_scramble_renames_classes_and_ids_but_keeps_labels_and_text(
    seller: httpx.Client,
) -> None:
    listing_id, _ = _appealable(truth(seller))
    plain = seller.get(f"/joom/products/{listing_id}/appeal").text
    assert "data-shuffle" not in plain
    seller.post("/__sandbox__/faults", json={"scramble": True}).raise_for_status()
    first = seller.get(f"/joom/products/{listing_id}/appeal").text
    second = seller.get(f"/joom/products/{listing_id}/appeal").text
    assert "data-shuffle" not in first
    assert _ids_and_classes(first) != _ids_and_classes(second)
    assert not _ids_and_classes(first) & _ids_and_classes(plain)
    for html in (first, second):
        page = parse(html)
        for label in page.find_all("label"):
            target = page.find(id=str(label.attrs["for"]))
            assert target.tag in ("select", "textarea", "input")
        labels = sorted(label.text() for label in page.find_all("label"))
        assert labels == ["Appeal type", "Evidence files", "Statement (English)"]
        evidence = page.find("input", type="file")
        assert page.find(id=str(evidence.attrs["aria-controls"])).attrs["aria-label"] == \
            "Selected files"
        assert page.find(id=str(evidence.attrs["aria-describedby"])).text().startswith("PDF")
    products = seller.get("/joom/products?status=not_active").text
    header = [th.text() for th in parse(products).find("thead").find_all("th")]
    assert header == ["Product ID", "SKU", "Title", "Status", "Daily GMV", "Actions"]


def test_hooks_are_absent_without_test_hooks() -> None:
    with running(SandboxConfig(listings=60)) as url, httpx.Client(base_url=url) as client:
        assert client.get("/__sandbox__/truth").status_code == 404
        assert client.get("/__sandbox__/faults").status_code == 404
        assert client.post("/__sandbox__/reset").status_code == 404
        assert client.post("/__sandbox__/joom/state", json={}).status_code == 404
        assert client.get("/healthz").json()["status"] == "ok"
        assert client.get("/joom/login").status_code == 200


def test_index_links_the_platforms(anonymous: httpx.Client) -> None:
    index = parse(anonymous.get("/").text)
    assert "/joom/" in [a.attrs["href"] for a in index.find_all("a")]
