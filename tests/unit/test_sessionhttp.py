"""The scan's HTTP client without a browser: it asks as the browser that logged in, with the
saved session's cookies in their scope, keeps what the site sets, and hands the session back in
Playwright's storage-state form. Real HTTP on loopback, no browser."""

from __future__ import annotations

import asyncio
import socket
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from autofill import session
from autofill.sessionhttp import HttpFailed, SessionHttp, session_jar
from tests.conftest import run_cli

AGENT = "Mozilla/5.0 Chrome/156.0 (the login browser)"
seen: list[dict[str, str]] = []


class Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("location", "/elsewhere")
            self.end_headers()
            return
        self.send_response(200)
        if self.path == "/file":
            self.send_header("content-type", "application/pdf")
        else:
            self.send_header("content-type", "text/html; charset=utf-8")
        if self.path == "/renew":
            self.send_header("set-cookie", "sid=renewed; Path=/; HttpOnly; SameSite=Strict")
            self.send_header("set-cookie", "seen=1; Path=/; Max-Age=3600")
            self.send_header("set-cookie", "shout=1; Path=/; HTTPONLY; SAMESITE=None")
        if self.path == "/logout":
            self.send_header("set-cookie", "sid=; Path=/; Max-Age=0")
        self.end_headers()
        self.wfile.write("<main>Bonjour, 卖家</main>".encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def cookie(name: str, value: str, domain: str = "127.0.0.1", **more: Any) -> dict[str, Any]:
    return {"name": name, "value": value, "domain": domain, "path": "/", "expires": -1,
            "httpOnly": True, "secure": False, "sameSite": "Lax", **more}


def state(*cookies: dict[str, Any]) -> dict[str, Any]:
    return {"cookies": list(cookies), "origins": [{"origin": "x", "localStorage": []}]}


def ask(base: str, saved: dict[str, Any], *paths: str) -> tuple[list[Any], dict[str, Any]]:
    """What `paths` answered to a client of the store at `base`, and the session after."""
    client = SessionHttp(base + "/shop", saved, user_agent=AGENT, locale="zh-CN")

    async def run() -> tuple[list[Any], dict[str, Any]]:
        try:
            return [await client.get(base + p) for p in paths], await client.storage_state()
        finally:
            await client.dispose()

    return asyncio.run(run())


def test_it_asks_as_the_login_browser_with_the_saved_cookies(port: int) -> None:
    seen.clear()
    saved = state(cookie("sid", "s3cret"), cookie("other", "x", domain="example.com"),
                  cookie("tls", "only", secure=True))
    [answer], _ = ask(f"http://127.0.0.1:{port}", saved, "/page")
    assert answer.status == 200 and answer.html == "<main>Bonjour, 卖家</main>"
    sent = seen[-1]
    assert sent["user-agent"] == AGENT and sent["accept-language"] == "zh-CN"
    assert sent["cookie"] == "sid=s3cret", "another site's and https-only cookies stay home"


def test_cookies_the_site_sets_are_kept_and_handed_back_as_storage_state(port: int) -> None:
    seen.clear()
    _, handed = ask(f"http://127.0.0.1:{port}", state(cookie("sid", "old", httpOnly=False)),
                    "/renew", "/page")
    assert sorted(seen[-1]["cookie"].split("; ")) == ["seen=1", "shout=1", "sid=renewed"]
    by_name = {c["name"]: c for c in handed["cookies"]}
    assert by_name["sid"]["value"] == "renewed" and by_name["sid"]["domain"] == "127.0.0.1"
    assert by_name["sid"]["httpOnly"] is True and by_name["sid"]["sameSite"] == "Strict"
    assert by_name["sid"]["expires"] == -1, "a session cookie stays one"
    assert by_name["seen"]["expires"] > 0 and by_name["seen"]["httpOnly"] is False
    assert by_name["shout"]["httpOnly"] is True and by_name["shout"]["sameSite"] == "None", \
        "attributes keep their meaning however the site spells them"
    assert handed["origins"] == [{"origin": "x", "localStorage": []}], "local storage kept"


def test_a_cookie_the_site_clears_is_gone_from_the_session(port: int) -> None:
    _, handed = ask(f"http://127.0.0.1:{port}", state(cookie("sid", "s3cret")), "/logout")
    assert handed["cookies"] == []


def test_a_host_without_a_dot_keeps_its_cookies(port: int) -> None:
    """The standard library's jar calls `localhost` `localhost.local`; the browser does not."""
    seen.clear()
    _, handed = ask(f"http://localhost:{port}", state(cookie("sid", "s3cret", domain="localhost")),
                    "/renew")
    assert seen[-1]["cookie"] == "sid=s3cret"
    assert {c["domain"] for c in handed["cookies"]} == {"localhost"}


def test_redirects_and_files_are_answers_without_html(port: int) -> None:
    (moved, file), _ = ask(f"http://127.0.0.1:{port}", state(), "/moved", "/file")
    assert moved.status == 302 and moved.headers["location"] == "/elsewhere"
    assert moved.html is None, "reading follows redirects itself, on the store's origin only"
    assert file.status == 200 and file.html is None and file.content_type == "application/pdf"


def test_no_answer_is_http_failed() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        closed_port = free.getsockname()[1]
    with pytest.raises(HttpFailed, match="Connect"):
        ask(f"http://127.0.0.1:{closed_port}", state(), "/page")


def sent_to(jar: Any, url: str) -> str | None:
    request = urllib.request.Request(url)
    jar.add_cookie_header(request)
    header: str | None = request.get_header("Cookie")
    return header


def test_a_cookie_stays_in_its_scope() -> None:
    """Host-only cookies go to their host only; a domain cookie to its subdomains too."""
    jar = session_jar([cookie("host", "1", domain="seller.example.com"),
                       cookie("wide", "2", domain=".example.com"),
                       cookie("tls", "3", domain="seller.example.com", secure=True)],
                      "https://seller.example.com/shop")
    assert sorted(sent_to(jar, "https://seller.example.com/x").split("; ")) == [
        "host=1", "tls=3", "wide=2"]
    assert sent_to(jar, "https://evil.seller.example.com/") == "wide=2"
    assert sent_to(jar, "http://seller.example.com/x") in ("host=1; wide=2", "wide=2; host=1")


def test_a_seller_center_that_does_not_answer_exits_4_naming_the_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        closed_port = free.getsockname()[1]
    monkeypatch.setenv("AUTOFILL_DATA_DIR", str(tmp_path / "data"))
    root = tmp_path / "ws"
    (root / "cases").mkdir(parents=True)
    (root / "autofill.toml").write_text(
        f'[[stores]]\nname = "shop"\nplatform = "joom"\n'
        f'base_url = "http://127.0.0.1:{closed_port}/joom"\n', encoding="utf-8")
    session.save("shop", state(cookie("sid", "s3cret")), user_agent=AGENT)
    result = run_cli(["scan"], root)
    assert result.code == 4, result.stderr
    assert "Account Health" in result.stderr and "ConnectError" in result.stderr
    assert "Seller Center opens in your browser" in result.stderr
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr
