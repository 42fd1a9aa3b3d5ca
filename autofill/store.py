"""The local store: SQLite in the workspace's .autofill/, every scan recorded as history.

Writes are transactional in small batches: an interrupted scan keeps what it committed, and the
next scan upserts by id, so nothing is lost or duplicated. "Resolved" is only decided by a scan
that completed, since an interrupted one cannot tell "gone" from "not read yet".
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autofill.errors import AutofillError, ExitStatus
from autofill.models import Account, Appeal, Listing, Notice, ScanError

SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    scan_id INTEGER PRIMARY KEY AUTOINCREMENT,
    store TEXT NOT NULL, platform TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT,
    state TEXT NOT NULL DEFAULT 'running',          -- running | complete | interrupted
    errors TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS listings (
    store TEXT NOT NULL, listing_id TEXT NOT NULL, data TEXT NOT NULL,
    status TEXT NOT NULL, notice_id TEXT,
    first_seen_at TEXT NOT NULL, last_scan INTEGER NOT NULL, resolved_at TEXT,
    PRIMARY KEY (store, listing_id)
);
CREATE TABLE IF NOT EXISTS notices (
    store TEXT NOT NULL, notice_id TEXT NOT NULL, data TEXT NOT NULL,
    appeal_deadline TEXT, first_seen_at TEXT NOT NULL, last_scan INTEGER NOT NULL,
    resolved_at TEXT,
    PRIMARY KEY (store, notice_id)
);
CREATE TABLE IF NOT EXISTS appeals (
    store TEXT NOT NULL, appeal_id TEXT NOT NULL, data TEXT NOT NULL,
    notice_id TEXT NOT NULL, status TEXT NOT NULL,
    first_seen_at TEXT NOT NULL, last_scan INTEGER NOT NULL, resolved_at TEXT,
    PRIMARY KEY (store, appeal_id)
);
CREATE TABLE IF NOT EXISTS accounts (
    store TEXT PRIMARY KEY, data TEXT NOT NULL, last_scan INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    scan_id INTEGER NOT NULL, store TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
    change TEXT NOT NULL,                           -- new | changed | resolved
    field TEXT, old TEXT, new TEXT
);
CREATE INDEX IF NOT EXISTS changes_by_scan ON changes (scan_id);
"""


class StoreError(AutofillError):
    """The local store could not be written (disk full, read-only folder, corrupt file)."""

    exit_status = ExitStatus.PROBLEMS_FOUND


@dataclass
class ScanDiff:
    """What a scan found against the store's previous state."""

    new: list[tuple[str, str]] = field(default_factory=list)  # (entity, id)
    changed: list[tuple[str, str, str, str | None, str | None]] = field(default_factory=list)
    resolved: list[tuple[str, str]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.new or self.changed or self.resolved)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as err:
            raise _store_error(path, err) from err

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as err:
            raise _store_error(self.path, err) from err

    # --- scans ----------------------------------------------------------------------------
    def begin_scan(self, store: str, platform: str) -> int:
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO scans (store, platform, started_at) VALUES (?, ?, ?)",
                (store, platform, _now()),
            )
            return int(cur.lastrowid or 0)

    def save_listings(self, scan_id: int, store: str, listings: Iterable[Listing]) -> None:
        with self._tx() as db:
            for item in listings:
                self._upsert(
                    db, scan_id, store, "listings", "listing_id", item.listing_id, item,
                    watched=("status", "notice_id"),
                    extra={"status": item.status, "notice_id": item.notice_id},
                )

    def save_notices(self, scan_id: int, store: str, notices: Iterable[Notice]) -> None:
        with self._tx() as db:
            for item in notices:
                deadline = item.appeal_deadline.isoformat() if item.appeal_deadline else None
                self._upsert(
                    db, scan_id, store, "notices", "notice_id", item.notice_id, item,
                    watched=("appeal_deadline", "listing_ids"),
                    extra={"appeal_deadline": deadline},
                )

    def save_appeals(self, scan_id: int, store: str, appeals: Iterable[Appeal]) -> None:
        with self._tx() as db:
            for item in appeals:
                self._upsert(
                    db, scan_id, store, "appeals", "appeal_id", item.appeal_id, item,
                    watched=("status", "info_request_deadline"),
                    extra={"notice_id": item.notice_id, "status": item.status},
                )

    def note_appeal(self, store: str, appeal: Appeal) -> None:
        """Record an appeal autofill saw the human submit, before any scan reads it back."""
        self.save_appeals(0, store, [appeal])

    def save_account(self, scan_id: int, store: str, account: Account) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO accounts (store, data, last_scan) VALUES (?, ?, ?) "
                "ON CONFLICT (store) DO UPDATE SET data = excluded.data, "
                "last_scan = excluded.last_scan",
                (store, account.model_dump_json(), scan_id),
            )

    def finish_scan(
        self, scan_id: int, store: str, *, complete: bool, errors: Iterable[ScanError] = (),
        partial: bool = False,
    ) -> ScanDiff:
        """Close the scan; a complete one marks what it no longer saw as resolved.

        `partial`: the run read only part of the site on purpose (e.g. appeals only).
        """
        with self._tx() as db:
            if complete and not partial:
                for table, key in (("listings", "listing_id"), ("notices", "notice_id")):
                    gone = db.execute(
                        f"SELECT {key} FROM {table} WHERE store = ? AND last_scan < ? "
                        "AND resolved_at IS NULL",
                        (store, scan_id),
                    ).fetchall()
                    for (entity_id,) in gone:
                        db.execute(
                            f"UPDATE {table} SET resolved_at = ? WHERE store = ? AND {key} = ?",
                            (_now(), store, entity_id),
                        )
                        db.execute(
                            "INSERT INTO changes (scan_id, store, entity, entity_id, change) "
                            "VALUES (?, ?, ?, ?, 'resolved')",
                            (scan_id, store, table[:-1], entity_id),
                        )
            db.execute(
                "UPDATE scans SET finished_at = ?, state = ?, errors = ? WHERE scan_id = ?",
                (
                    _now(),
                    "partial" if partial else "complete" if complete else "interrupted",
                    json.dumps([e.model_dump() for e in errors]),
                    scan_id,
                ),
            )
        return self.diff(scan_id)

    def diff(self, scan_id: int) -> ScanDiff:
        out = ScanDiff()
        rows = self._db.execute(
            "SELECT entity, entity_id, change, field, old, new FROM changes WHERE scan_id = ?",
            (scan_id,),
        ).fetchall()
        for entity, entity_id, change, fld, old, new in rows:
            if change == "new":
                out.new.append((entity, entity_id))
            elif change == "changed":
                out.changed.append((entity, entity_id, fld, old, new))
            else:
                out.resolved.append((entity, entity_id))
        return out

    # --- reads ----------------------------------------------------------------------------
    def listings(self, store: str, *, open_only: bool = True) -> list[Listing]:
        return [Listing.model_validate_json(d) for d in self._data("listings", store, open_only)]

    def notices(self, store: str, *, open_only: bool = True) -> list[Notice]:
        return [Notice.model_validate_json(d) for d in self._data("notices", store, open_only)]

    def appeals(self, store: str) -> list[Appeal]:
        return [Appeal.model_validate_json(d) for d in self._data("appeals", store, False)]

    def notice(self, store: str, notice_id: str) -> Notice | None:
        row = self._db.execute(
            "SELECT data FROM notices WHERE store = ? AND notice_id = ?", (store, notice_id)
        ).fetchone()
        return Notice.model_validate_json(row[0]) if row else None

    def find_notice(self, notice_id: str) -> tuple[str, Notice] | None:
        """The notice with this id in any store of the workspace, with the store's name."""
        row = self._db.execute(
            "SELECT store, data FROM notices WHERE notice_id = ? ORDER BY last_scan DESC",
            (notice_id,),
        ).fetchone()
        return (row[0], Notice.model_validate_json(row[1])) if row else None

    def appeals_for_notice(self, store: str, notice_id: str) -> list[Appeal]:
        rows = self._db.execute(
            "SELECT data FROM appeals WHERE store = ? AND notice_id = ?", (store, notice_id)
        ).fetchall()
        return [Appeal.model_validate_json(r[0]) for r in rows]

    def account(self, store: str) -> Account | None:
        row = self._db.execute("SELECT data FROM accounts WHERE store = ?", (store,)).fetchone()
        return Account.model_validate_json(row[0]) if row else None

    def first_seen(self, store: str, listing_id: str) -> datetime | None:
        row = self._db.execute(
            "SELECT first_seen_at FROM listings WHERE store = ? AND listing_id = ?",
            (store, listing_id),
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def seen_in_scan(self, store: str, scan_id: int) -> dict[str, list[object]]:
        """The records a given scan read (for its report), as models."""
        out: dict[str, list[object]] = {}
        for table, model in (("listings", Listing), ("notices", Notice), ("appeals", Appeal)):
            rows = self._db.execute(
                f"SELECT data FROM {table} WHERE store = ? AND last_scan = ? ORDER BY rowid",
                (store, scan_id),
            )
            out[table] = [model.model_validate_json(r[0]) for r in rows]
        return out

    def last_scan(self, store: str) -> dict[str, object] | None:
        row = self._db.execute(
            "SELECT scan_id, started_at, finished_at, state FROM scans WHERE store = ? "
            "ORDER BY scan_id DESC LIMIT 1",
            (store,),
        ).fetchone()
        if not row:
            return None
        return dict(zip(("scan_id", "started_at", "finished_at", "state"), row, strict=True))

    def stores(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT store FROM scans ORDER BY store")]

    # --- internals ------------------------------------------------------------------------
    def _data(self, table: str, store: str, open_only: bool) -> list[str]:
        where = " AND resolved_at IS NULL" if open_only and table != "appeals" else ""
        return [
            r[0]
            for r in self._db.execute(
                f"SELECT data FROM {table} WHERE store = ?{where} ORDER BY rowid", (store,)
            )
        ]

    def _upsert(
        self,
        db: sqlite3.Connection,
        scan_id: int,
        store: str,
        table: str,
        key: str,
        entity_id: str,
        item: Listing | Notice | Appeal,
        *,
        watched: tuple[str, ...],
        extra: dict[str, object],
    ) -> None:
        entity = table[:-1]
        data = item.model_dump(mode="json")
        row = db.execute(
            f"SELECT data, resolved_at FROM {table} WHERE store = ? AND {key} = ?",
            (store, entity_id),
        ).fetchone()
        if row is None:
            cols = ["store", key, "data", "first_seen_at", "last_scan", *extra]
            db.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                (store, entity_id, json.dumps(data), _now(), scan_id, *extra.values()),
            )
            self._change(db, scan_id, store, entity, entity_id, "new")
            return
        old = json.loads(row[0])
        for name in watched:
            if old.get(name) != data.get(name):
                self._change(
                    db, scan_id, store, entity, entity_id, "changed",
                    name, _text(old.get(name)), _text(data.get(name)),
                )
        if row[1] is not None:  # seen again after being resolved: it is back
            self._change(db, scan_id, store, entity, entity_id, "new")
        sets = ", ".join(f"{c} = ?" for c in ("data", "last_scan", *extra))
        db.execute(
            f"UPDATE {table} SET {sets}, resolved_at = NULL WHERE store = ? AND {key} = ?",
            (json.dumps(data), scan_id, *extra.values(), store, entity_id),
        )

    @staticmethod
    def _change(
        db: sqlite3.Connection, scan_id: int, store: str, entity: str, entity_id: str,
        change: str, fld: str | None = None, old: str | None = None, new: str | None = None,
    ) -> None:
        db.execute(
            "INSERT INTO changes (scan_id, store, entity, entity_id, change, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (scan_id, store, entity, entity_id, change, fld, old, new),
        )


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


def _store_error(path: Path, err: sqlite3.DatabaseError) -> StoreError:
    text = str(err)
    if "full" in text.lower():
        return StoreError(
            f"The local store {path} could not be written: the disk is full.",
            "Everything saved before this point is kept. Free some disk space and run the "
            "same command again; it continues without duplicating anything.",
        )
    return StoreError(
        f"The local store {path} could not be used: {text}.",
        "Check that the workspace folder is writable. If the file is damaged, move it aside "
        "and run `autofill scan` again to rebuild it from the Seller Center.",
    )
