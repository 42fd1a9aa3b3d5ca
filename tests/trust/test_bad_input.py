"""Bad input is refused with exit 2 and a sentence naming the file and the field, never a
traceback; scraped text is shown literally, never read as rich markup or terminal codes."""

from __future__ import annotations

import io
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from autofill.config import StoreConfig, WorkspaceConfig
from autofill.context import AppContext, Environment
from autofill.models import Account, Appeal, Listing, Notice, ScanError
from autofill.render import render_diff, render_scan
from autofill.store import Store
from autofill.validation import field_path
from tests.conftest import Result, run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLES = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
KNOWN_TOP = {"stores", "scan"}
KNOWN_STORE = set(StoreConfig.model_fields)
KNOWN_SCAN = {"concurrency", "stores_at_once"}


# --- writing TOML (the subset a config uses) ----------------------------------------------
def toml_string(text: str) -> str:
    def escape(found: re.Match[str]) -> str:
        ch = found.group(0)
        return "\\" + ch if ch in '"\\' else f"\\u{ord(ch):04x}"

    return '"' + re.sub(r'["\\\x00-\x1f\x7f]', escape, text) + '"'


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def dumps(doc: dict[str, Any]) -> str:
    lines = []
    tables = {k: v for k, v in doc.items() if k == "scan" and isinstance(v, dict)}
    arrays = {k: v for k, v in doc.items() if k == "stores" and isinstance(v, list) and v
              and all(isinstance(x, dict) for x in v)}
    for key, value in doc.items():
        if key not in tables and key not in arrays:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    for key, table in tables.items():
        lines.append(f"\n[{key}]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()]
    for key, items in arrays.items():
        for item in items:
            lines.append(f"\n[[{key}]]")
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


# --- strategies ---------------------------------------------------------------------------
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
scalars = st.one_of(
    st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False), text, st.dates(),
    st.datetimes(min_value=datetime(1900, 1, 1)),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=3)), max_leaves=8)
store_names = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,20}", fullmatch=True)


@st.composite
def valid_configs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(store_names, min_size=1, max_size=3, unique=True))
    stores = []
    for name in names:
        store: dict[str, Any] = {"name": name,
                                 "platform": draw(st.sampled_from(["joom", "aliexpress"]))}
        if draw(st.booleans()):
            store["base_url"] = draw(st.sampled_from(
                ["https://merchant.joom.com", "http://127.0.0.1:8765/joom"]))
        if draw(st.booleans()):
            store["legal_name"] = draw(text.filter(lambda t: len(t) <= 300))
        stores.append(store)
    doc: dict[str, Any] = {"stores": stores}
    if draw(st.booleans()):
        doc["scan"] = {"concurrency": draw(st.integers(1, 8))}
    return doc


def oracle(doc: dict[str, Any]) -> ValidationError | None:
    """What the config model says about `doc` (None: valid)."""
    try:
        WorkspaceConfig.model_validate(doc)
    except ValidationError as err:
        return err
    return None


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="autofill-badinput-") as name:
        yield Path(name)


def run_with(folder: Path, content: str | bytes, command: str = "deadlines") -> Result:
    path = folder / "autofill.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run_cli([command], folder)  # an exception here is the traceback a user would see
    assert "Traceback" not in result.stderr
    return result


def assert_refused(result: Result, *fields: str) -> None:
    assert result.code == 2, (result.code, result.stderr)
    assert "autofill.toml" in result.stderr, result.stderr
    for name in fields:
        assert name in result.stderr, (name, result.stderr)


# --- properties ---------------------------------------------------------------------------
@EXAMPLES
@given(doc=valid_configs(), data=st.data())
def test_a_wrong_value_anywhere_is_refused_naming_its_field(
        folder: Path, doc: dict[str, Any], data: st.DataObject) -> None:
    where = data.draw(st.sampled_from(["store", "scan"]))
    if where == "store":
        index = data.draw(st.integers(0, len(doc["stores"]) - 1))
        key = data.draw(st.sampled_from(["name", "platform", "base_url", "legal_name"]))
        doc["stores"][index][key] = data.draw(values)
        path = field_path(("stores", index, key))
    else:
        key = data.draw(st.sampled_from(sorted(KNOWN_SCAN)))
        doc.setdefault("scan", {})[key] = data.draw(values)
        path = field_path(("scan", key))
    result = run_with(folder, dumps(doc))
    names = [s.get("name") for s in doc["stores"]]
    if oracle(doc) is None and len(names) == len(set(names)):
        assert result.code == 0, result.stderr
    else:
        assert_refused(result, path if oracle(doc) is not None else "used twice")


@EXAMPLES
@given(doc=valid_configs(), where=st.sampled_from(["top", "store", "scan"]),
       key=text.filter(lambda k: k.strip() != "" and len(k) <= 30), value=values)
def test_an_unknown_key_is_refused_naming_it(folder: Path, doc: dict[str, Any], where: str,
                                             key: str, value: Any) -> None:
    if where == "top":
        assume(key not in KNOWN_TOP)
        doc[key] = value
        path = key
    elif where == "store":
        assume(key not in KNOWN_STORE)
        doc["stores"][0][key] = value
        path = f"stores[0].{key}"
    else:
        assume(key not in KNOWN_SCAN)
        doc["scan"] = {**doc.get("scan", {}), key: value}
        path = f"scan.{key}"
    assert_refused(run_with(folder, dumps(doc)), path, "unknown key")


@EXAMPLES
@given(doc=valid_configs(), key=st.sampled_from(["name", "base_url", "legal_name"]),
       size=st.integers(min_value=2_049, max_value=40_000),
       char=st.sampled_from("x字é/:"))
def test_a_huge_string_is_refused_in_a_short_message(folder: Path, doc: dict[str, Any],
                                                     key: str, size: int, char: str) -> None:
    value = char * size
    if key == "base_url":
        value = "https://" + value
    doc["stores"][0][key] = value
    result = run_with(folder, dumps(doc))
    assert_refused(result, f"stores[0].{key}")
    assert len(result.stderr) < 2_000, "a huge value must not flood the terminal"


def test_a_five_megabyte_legal_name_is_refused_in_a_short_message(folder: Path) -> None:
    content = '[[stores]]\nname = "a"\nplatform = "joom"\nlegal_name = "' + "字" * 5_000_000 + '"\n'
    result = run_with(folder, content)
    assert_refused(result, "stores[0].legal_name")
    assert len(result.stderr) < 2_000


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """A valid config with a few random edits: deleted, inserted or duplicated characters."""
    content = dumps(draw(valid_configs()))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(content)))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate"]))
        if edit == "delete":
            content = content[:at] + content[at + draw(st.integers(1, 10)):]
        elif edit == "insert":
            content = content[:at] + draw(st.text(alphabet='[]{}="\'\n#.,=\\ x1', min_size=1,
                                                  max_size=6)) + content[at:]
        elif edit == "duplicate":
            content = content[:at] + content[at:at + 20] + content[at:]
        else:
            content = content[:at]
    return content


@EXAMPLES
@given(content=st.one_of(mangled(), st.binary(max_size=300), text))
def test_malformed_toml_or_bytes_exit_0_or_2_never_a_traceback(folder: Path,
                                                                content: str | bytes) -> None:
    result = run_with(folder, content)
    assert result.code in (0, 2), result.stderr
    if result.code == 2:
        assert "autofill.toml" in result.stderr


@EXAMPLES
@given(doc=valid_configs(), data=st.data(),
       bad=st.sampled_from([b"\xff", b"\xfe", b"\xc3\x28", b"\xe2\x82", b"\x80", b"\xed\xa0\x80"]))
def test_non_utf8_bytes_are_refused_naming_the_file_and_the_byte(
        folder: Path, doc: dict[str, Any], data: st.DataObject, bad: bytes) -> None:
    raw = dumps(doc).encode("utf-8")
    at = data.draw(st.integers(0, len(raw)))
    result = run_with(folder, raw[:at] + bad + raw[at:])
    assert_refused(result, "not UTF-8", "byte")


@EXAMPLES
@given(depth=st.integers(min_value=1, max_value=3_000), kind=st.sampled_from(["[", "{a = "]),
       where=st.sampled_from(["x", "stores", "scan"]))
def test_deeply_nested_values_are_refused_not_crashed(folder: Path, depth: int, kind: str,
                                                      where: str) -> None:
    closing = "]" if kind == "[" else "}"
    value = kind * depth + "1" + closing * depth
    content = f"[scan]\nconcurrency = {value}\n" if where == "scan" else f"{where} = {value}\n"
    result = run_with(folder, content)
    assert_refused(result)


def test_the_serializer_used_here_writes_what_it_means() -> None:
    doc = {"stores": [{"name": "a", "platform": "joom", "legal_name": 'x"\\\n\x00字'}],
           "scan": {"concurrency": 3, "odd key": [1, 2.5, {"k": "v"}]}, "when": date(2024, 1, 2)}
    assert tomllib.loads(dumps(doc)) == doc


@pytest.mark.parametrize("content, field", [
    ('[[stores]]\nname = "a"\nplatform = "temu"\n', "stores[0].platform"),
    ('[[stores]]\nname = "a"\nplatform = "joom"\ncolour = "red"\n', "stores[0].colour"),
    ('[scan]\nconcurrency = "fast"\n', "scan.concurrency"),
    ('stores = [', "not valid TOML"),
    ("x = " + "[" * 20_000 + "]" * 20_000 + "\n", "nested too deeply"),
])
def test_doctor_refuses_a_bad_config_the_same_way(folder: Path, content: str, field: str) -> None:
    assert_refused(run_with(folder, content, "doctor"), field)


def test_a_byte_order_mark_is_accepted(folder: Path) -> None:
    """Windows Notepad saves UTF-8 with a BOM: that is still a good file."""
    content = '[[stores]]\nname = "a"\nplatform = "joom"\n'
    assert run_with(folder, b"\xef\xbb\xbf" + content.encode()).code == 0


# --- scraped text is data -----------------------------------------------------------------
MARKUP = "[bold red]boom[/]"
LINK = "[link=https://evil.example]click me[/link]"
SCRIPT = "<script>alert(1)</script>"
ESCAPE = "\x1b]0;pwned\x07\x1b[2J"


def _hostile_store(root: Path) -> Store:
    store = Store(root / ".autofill" / "store.sqlite3")
    scan_id = store.begin_scan("shop", "joom")
    now = datetime.now(timezone.utc)
    store.save_listings(scan_id, "shop", [Listing(
        listing_id="L1", sku="SKU-1", title=f"Mug {MARKUP} {LINK} {SCRIPT}", status="removed",
        status_label=f"Removed {MARKUP}", notice_id="NTF-1", url="https://x/1", daily_gmv=2.0)])
    store.save_notices(scan_id, "shop", [
        Notice(notice_id="NTF-1", listing_ids=("L1",),
               violation_type=f"Policy {MARKUP} {LINK} {SCRIPT}{ESCAPE}", rule_ref="R-1",
               issued_at=now.replace(year=now.year - 1), appeal_deadline=now.replace(
                   year=now.year + 1)),
        Notice(notice_id="NTF-2", listing_ids=("L1",), violation_type=f"Other {SCRIPT}",
               issued_at=now, appeal_deadline=now.replace(year=now.year + 1))])
    store.save_appeals(scan_id, "shop", [Appeal(
        appeal_id="APL-2", notice_id="NTF-2", listing_id="L1", status="info_requested",
        status_label=f"Info {MARKUP}", info_request_deadline=now.replace(year=now.year + 1))])
    store.save_account(scan_id, "shop", Account(state=f"Active {LINK}",
                                                legal_name=f"Evil {MARKUP} Ltd"))
    store.finish_scan(scan_id, "shop", complete=True)
    return store


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "autofill.toml").write_text('[[stores]]\nname = "shop"\nplatform = "joom"\n')
    return root


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping inside table cells


def test_scraped_markup_is_shown_literally_in_the_scan_table(tmp_path: Path, wide: None) -> None:
    root = _workspace(tmp_path)
    store = _hostile_store(root)
    from autofill.models import ScanResult

    seen = store.seen_in_scan("shop", 1)
    result = ScanResult(store="shop", platform="joom", scanned_at=datetime.now(timezone.utc),
                        listings=seen["listings"], notices=seen["notices"],  # type: ignore[arg-type]
                        appeals=seen["appeals"],  # type: ignore[arg-type]
                        errors=[ScanError(page=f"P {MARKUP}", step="s", message=SCRIPT)],
                        account=store.account("shop"))
    err = io.StringIO()
    ctx = AppContext(env=Environment(stdout=io.StringIO(), stderr=err, cwd=root,
                                     environ=dict(os.environ)))
    render_scan(ctx, result, store)
    render_diff(ctx, store.diff(1), [f"note {MARKUP} {SCRIPT}"])
    shown = err.getvalue()
    for literal in (MARKUP, LINK, SCRIPT, f"Info {MARKUP}", f"Evil {MARKUP} Ltd",
                    f"P {MARKUP}", f"note {MARKUP}"):
        assert literal in shown, literal
    assert "\x1b" not in shown and "\x07" not in shown, "scraped text drove the terminal"


def test_scraped_markup_is_shown_literally_by_deadlines(tmp_path: Path, wide: None) -> None:
    root = _workspace(tmp_path)
    _hostile_store(root).close()
    human = run_cli(["deadlines"], root)
    assert human.code == 0, human.stderr
    assert f"Policy {MARKUP} {LINK} {SCRIPT}" in human.stderr
    assert "\x1b" not in human.stderr
    data = run_cli(["deadlines", "--json", "--ics", "d.ics"], root)
    assert data.code == 0
    whats = [d["what"] for d in json.loads(data.stdout)]
    assert any(f"Policy {MARKUP} {LINK} {SCRIPT}{ESCAPE}" in w for w in whats)
