"""The scrubber removes every secret it is given, wherever it sits, and keeps the rest intact."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autofill.scrub import EMAIL, LEGAL_NAME, PHONE, REDACTED, Scrubber, ScrubFailed, scrub_file

LEGAL = "Shenzhen Example Trading Co., Ltd."
LEGAL_ZH = "深圳市示例贸易有限公司"
SESSION = "S3ss10nV4lue_abc123XYZ"  # the session cookie, as the saved storage state holds it
SECRETS = {
    "session cookie": SESSION,
    "second cookie": "Tr4ck1ngC00kie-77",
    "set-cookie": "N3wS3ssionFromServer99",
    "bearer": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3",
    "basic auth": "dXNlcjpwYXNzd29yZA==",
    "x-csrf header": "HdrCsrf0042abcd",
    "token in url": "T0kenInUrl987xyz",
    "token in location": "L0cati0nT0ken55",
    "csrf form field": "Csrf7Form1Value",
    "password form field": "Hunter2Passw0rd!",
    "multipart csrf": "MultiCsrf31337zz",
    "hidden input": "HiddenCsrf123abc",
    "hidden input, value first": "Other9Token55qq",
    "meta csrf": "MetaCsrf8877aa",
    "token in a link": "LinkT0ken42abc",
    "script csrf": "ScriptCsrf9988x",
    "json access token": "JsonAcc3ssT0ken",
    "json session id": "JsonSess10n-4242",
    "email": "jane.doe@example.com",
    "email in chinese text": "wang.li@shop-example.cn",
    "email, url-encoded": "seller%40shop.cn",
    "email in json": "ops@example.org",
    "email in a page title": "title.mail@example.net",
    "phone +86 spaced": "+86 138 0013 8000",
    "phone +86 joined": "+8613800138000",
    "phone cn mobile": "13912345678",
    "phone cn mobile dashed": "139-1234-5679",
    "phone cn landline": "0755-86001234",
    "phone cn landline (area)": "(0755) 8600 1234",
    "phone cn landline with extension": "010-12345678 转 8001",
    "phone us": "+1 (415) 555-0100",
    "phone uk": "+44 20 7946 0958",
    "phone 00 prefix": "0086 755 8600 1234",
    "legal name": LEGAL,
    "legal name, chinese": LEGAL_ZH,
}
KEPT = [
    "Foldable Stainless Steel Knife Set KS-T93 Red", "d23f0824128b2f330c5c7fd0",
    "SKU-000040-02", "NTF-20417", "APL-341944", "2026-11-20T08:15:00Z", "$1,234.50",
    "Policy Violation: Misleading Description", "JPLG-4.3", "status=not_active", "page=2",
    "Page 2 of 25", "Showing 51–100 of 1,234 products", "97.5%", "logo@2x.png",
    "/joom/products/d23f0824128b2f330c5c7fd0", "Removed", "处罚记录", "申请申诉",
]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode()


def har_with_every_secret() -> dict[str, Any]:
    s = SECRETS
    page = f"""<!doctype html><html><head><title>Store Profile · {LEGAL}</title>
<meta name="csrf-token" content="{s['meta csrf']}"></head><body>
<form method="post"><input type="hidden" name="csrf_token" value="{s['hidden input']}">
<input value="{s['hidden input, value first']}" name="authenticity_token" type="hidden">
<input type="hidden" name="next" value="/joom/products?status=not_active&amp;page=2"></form>
<dl><dt>Legal company name</dt><dd>{LEGAL}</dd><dd>{LEGAL.upper()}</dd><dd>{LEGAL_ZH}</dd>
<dt>Registered email</dt><dd>{s['email']}</dd><dd>联系邮箱{s['email in chinese text']}</dd>
<dt>Phones</dt><dd>{s['phone +86 spaced']}</dd><dd>手机{s['phone cn mobile']}。</dd>
<dd>{s['phone cn mobile dashed']}</dd><dd>电话:{s['phone cn landline']}</dd>
<dd>{s['phone cn landline (area)']}</dd><dd>{s['phone cn landline with extension']}</dd>
<dd>{s['phone us']}</dd><dd>{s['phone uk']}</dd><dd>{s['phone 00 prefix']}</dd>
<dd>Call {s['phone +86 joined']}</dd></dl>
<a href="/joom/export?token={s['token in a link']}&amp;page=2">Export</a>
<a href="/joom/contact?to={s['email, url-encoded']}">Mail us</a>
<div data-sid="{SESSION}"></div>
<script>window.__STATE__ = {{"csrfToken": "{s['script csrf']}", "page": 2}};</script>
<table><caption>Products</caption><tr><td>d23f0824128b2f330c5c7fd0</td>
<td>Foldable Stainless Steel Knife Set KS-T93 Red</td><td>Removed</td>
<td>$1,234.50</td></tr></table>
<ul><li>logisticsAnomaly · variant · SKU-000040-02 · fixable</li></ul>
<p>Notification NTF-20417: Policy Violation: Misleading Description (JPLG-4.3), issued
2026-11-20T08:15:00Z; appeal APL-341944. Page 2 of 25. Showing 51–100 of 1,234 products.
Valid tracking rate 97.5%. <img src="/static/logo@2x.png"> 处罚记录 申请申诉</p>
</body></html>"""
    api = {"user": {"email": s["email in json"], "phone": s["phone +86 joined"],
                    "company": LEGAL_ZH},
           "access_token": s["json access token"], "sessionId": s["json session id"],
           "listings": [{"id": "d23f0824128b2f330c5c7fd0", "sku": "SKU-000040-02",
                         "title": "Foldable Stainless Steel Knife Set KS-T93 Red"}]}
    form = (f"csrf_token={s['csrf form field']}&statement=Listing+corrected"
            f"&email={s['email'].replace('@', '%40')}&password={s['password form field']}")
    multipart = (
        "------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
        f"{s['multipart csrf']}\r\n------WebKitFormBoundaryX\r\nContent-Disposition: form-data; "
        "name=\"statement\"\r\n\r\nWe corrected the listing. Contact "
        f"{s['email']}\r\n------WebKitFormBoundaryX\r\nContent-Disposition: form-data; "
        "name=\"evidence\"; filename=\"licence.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
        f"%PDF-1.4 {LEGAL} licence scan\r\n------WebKitFormBoundaryX--\r\n")
    base = "http://127.0.0.1:8765/joom"

    def entry(method: str, url: str, *, req_headers: list[dict[str, str]] | None = None,
              post: dict[str, Any] | None = None, status: int = 200,
              resp_headers: list[dict[str, str]] | None = None,
              content: dict[str, Any] | None = None) -> dict[str, Any]:
        request: dict[str, Any] = {
            "method": method, "url": url, "httpVersion": "HTTP/1.1",
            "headers": [{"name": "Cookie",
                         "value": f"joom_session={SESSION}; tracker={s['second cookie']}"},
                        {"name": "Accept-Language", "value": "en-US"},
                        *(req_headers or [])],
            "cookies": [{"name": "joom_session", "value": SESSION},
                        {"name": "tracker", "value": s["second cookie"]}],
            "queryString": [], "headersSize": -1, "bodySize": -1,
        }
        if post:
            request["postData"] = post
        return {
            "startedDateTime": "2026-11-23T10:00:00.000Z", "time": 12.5, "request": request,
            "response": {"status": status, "statusText": "OK", "httpVersion": "HTTP/1.1",
                         "headers": resp_headers or [], "cookies": [],
                         "content": content or {"size": 0, "mimeType": "text/html", "text": ""},
                         "redirectURL": "", "headersSize": -1, "bodySize": -1},
            "cache": {}, "timings": {"send": 0, "wait": 10, "receive": 2},
        }

    entries = [
        entry("GET", f"{base}/settings/profile?status=not_active&page=2",
              req_headers=[{"name": "Authorization", "value": f"Bearer {s['bearer']}"},
                           {"name": "X-CSRF-Token", "value": s["x-csrf header"]}],
              resp_headers=[{"name": "content-type", "value": "text/html; charset=utf-8"},
                            {"name": "content-length", "value": "99999"},
                            {"name": "set-cookie", "value": f"joom_session={s['set-cookie']}; "
                             "Path=/joom; HttpOnly; SameSite=Lax"}],
              content={"size": len(page), "mimeType": "text/html; charset=utf-8",
                       "text": page}),
        entry("GET", f"{base}/api/me?token={s['token in url']}&page=2",
              req_headers=[{"name": "Authorization", "value": f"Basic {s['basic auth']}"}],
              content={"size": 1, "mimeType": "application/json",
                       "text": json.dumps(api, ensure_ascii=False)}),
        entry("GET", f"{base}/api/me.b64", content={
            "size": 1, "mimeType": "application/json", "encoding": "base64",
            "text": _b64(json.dumps(api, ensure_ascii=False))}),
        entry("POST", f"{base}/products/d23f0824128b2f330c5c7fd0/appeal",
              post={"mimeType": "application/x-www-form-urlencoded", "text": form,
                    "params": [{"name": "csrf_token", "value": s["csrf form field"]},
                               {"name": "password", "value": s["password form field"]},
                               {"name": "statement", "value": "Listing corrected"}]},
              status=303,
              resp_headers=[{"name": "location",
                             "value": f"{base}/support/appeals?token={s['token in location']}"}]),
        entry("POST", f"{base}/support/appeals/APL-341944",
              post={"mimeType": "multipart/form-data; boundary=----WebKitFormBoundaryX",
                    "text": multipart}),
        entry("GET", f"{base}/static/licence.png", content={
            "size": 40, "mimeType": "image/png", "encoding": "base64",
            "text": _b64(f"\x89PNG binary {LEGAL} {SESSION} {s['email']}")}),
    ]
    entries[1]["request"]["queryString"] = [
        {"name": "token", "value": s["token in url"]}, {"name": "page", "value": "2"}]
    return {"log": {"version": "1.2", "creator": {"name": "Playwright", "version": "1.5"},
                    "pages": [{"id": "page@1", "title": f"Inbox {s['email in a page title']}",
                               "startedDateTime": "2026-11-23T10:00:00.000Z",
                               "pageTimings": {}}],
                    "entries": entries}}


def _survivors(text: str, secret: str) -> bool:
    from html import escape
    from urllib.parse import quote

    forms = {secret, escape(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}
    lowered = text.lower()
    return any(form.lower() in lowered for form in forms)


@pytest.fixture(scope="module")
def scrubbed(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("scrub")
    raw = folder / "raw.har"
    raw.write_text(json.dumps(har_with_every_secret(), ensure_ascii=False), encoding="utf-8")
    out = folder / "session.har"
    counts = scrub_file(raw, out, Scrubber(legal_names=[LEGAL, LEGAL_ZH], secrets=[SESSION]))
    assert counts["email"] and counts["phone"] and counts["legal name"] and counts["cookie"]
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(SECRETS))
def test_no_secret_survives_anywhere_in_the_scrubbed_har(scrubbed: str, kind: str) -> None:
    assert not _survivors(scrubbed, SECRETS[kind]), f"{kind} survived scrubbing"


def test_the_session_value_is_gone_even_inside_binary_bodies_and_attributes(
        scrubbed: str) -> None:
    assert SESSION not in scrubbed
    assert "binary body dropped" in scrubbed


def test_placeholders_stand_where_the_secrets_were(scrubbed: str) -> None:
    doc = json.loads(scrubbed)
    html_page = doc["log"]["entries"][0]["response"]["content"]["text"]
    for placeholder in (REDACTED, EMAIL, PHONE, LEGAL_NAME):
        assert placeholder.replace("<", "&lt;").replace(">", "&gt;") in html_page, placeholder
    api = json.loads(doc["log"]["entries"][1]["response"]["content"]["text"])
    assert api["user"] == {"email": EMAIL, "phone": PHONE, "company": LEGAL_NAME}
    assert api["access_token"] == REDACTED
    request = doc["log"]["entries"][0]["request"]
    assert {h["name"]: h["value"] for h in request["headers"]}["Authorization"] == \
        f"Bearer {REDACTED}"
    assert all(c["value"] == REDACTED for c in request["cookies"])
    set_cookie = doc["log"]["entries"][0]["response"]["headers"][2]["value"]
    assert set_cookie.startswith(f"joom_session={REDACTED}; Path=/joom")


@pytest.mark.parametrize("text", KEPT)
def test_what_is_not_secret_is_kept_intact(scrubbed: str, text: str) -> None:
    assert text in scrubbed or json.dumps(text, ensure_ascii=False)[1:-1] in scrubbed


def test_urls_without_secrets_stay_byte_for_byte_so_replay_matches() -> None:
    doc = Scrubber(legal_names=[LEGAL]).har(har_with_every_secret())
    urls = [e["request"]["url"] for e in doc["log"]["entries"]]
    assert urls[0] == "http://127.0.0.1:8765/joom/settings/profile?status=not_active&page=2"
    assert urls[1] == "http://127.0.0.1:8765/joom/api/me?token=%3CREDACTED%3E&page=2"


def test_the_content_length_says_the_scrubbed_size() -> None:
    doc = Scrubber(legal_names=[LEGAL]).har(har_with_every_secret())
    response = doc["log"]["entries"][0]["response"]
    length = {h["name"]: h["value"] for h in response["headers"]}["content-length"]
    assert int(length) == len(response["content"]["text"].encode("utf-8"))


def test_output_holding_a_known_secret_is_refused(tmp_path: Path) -> None:
    """The last check: a secret the rules missed stops the write instead of leaking."""
    raw = tmp_path / "raw.har"
    raw.write_text(json.dumps({"log": {"entries": [], "comment": "id Zz9-kept-Zz9"}}))

    class Leaky(Scrubber):
        def text(self, value: str, kind: Any = "plain") -> str:
            return value

    with pytest.raises(ScrubFailed):
        scrub_file(raw, tmp_path / "out.har", Leaky(secrets=["Zz9-kept-Zz9"]))
    assert not (tmp_path / "out.har").exists()


_local = st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,8}){0,2}", fullmatch=True)
_domain = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]\.(com|cn|org|net|ru|de|io)",
                        fullmatch=True)
_filler = st.text(alphabet=st.sampled_from(list("abc XYZ,.:;()卖家后台处罚-")), max_size=20)


@settings(max_examples=300, deadline=None)
@given(_local, _domain, _filler, _filler)
def test_any_email_in_any_text_is_replaced(local: str, domain: str, before: str,
                                           after: str) -> None:
    email = f"{local}@{domain}"
    out = Scrubber().text(f"{before} {email} {after}", "html")
    assert email not in out and "&lt;EMAIL&gt;" in out


_cn_mobile = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
_formats = st.sampled_from(["{m}", "+86 {a} {b} {c}", "+86-{a}-{b}-{c}", "{a}-{b}-{c}",
                            "{a} {b} {c}", "0086 {m}", "+86{m}"])


_edge = st.sampled_from(["", " ", "。", ",", ":", ";", "\n", "(", ")", "号", "电话"])


@settings(max_examples=300, deadline=None)
@given(_cn_mobile, _formats, _filler, _edge, _edge, _filler)
def test_any_chinese_mobile_number_in_any_format_is_replaced(
        mobile: str, form: str, before: str, left: str, right: str, after: str) -> None:
    """Wherever it stands in text (numbers glued to Latin letters are not phone numbers)."""
    phone = form.format(m=mobile, a=mobile[:3], b=mobile[3:7], c=mobile[7:])
    out = Scrubber().text(f"{before} {left}{phone}{right} {after}")
    assert PHONE in out
    assert re.sub(r"\D", "", mobile) not in re.sub(r"\D", "", out.replace(PHONE, "|"))
