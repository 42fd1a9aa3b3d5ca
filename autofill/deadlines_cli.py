"""`autofill deadlines`: every open deadline from the local store; no browser is opened."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from autofill.context import AppContext
from autofill.deadlines import open_deadlines, to_ics
from autofill.errors import BadInput


def deadlines_command(ctx: AppContext, *, ics: Path | None) -> None:
    from autofill.render import render_deadlines  # noqa: PLC0415

    names = [ctx.store_config().name] if ctx.store_name else [s.name for s in ctx.config.stores]
    found = open_deadlines(ctx.store, names)
    if ics is not None:
        target = ctx.env.cwd / ics
        try:
            target.write_text(to_ics(found), encoding="utf-8", newline="")
        except OSError as err:
            raise BadInput(f"--ics {target}: cannot write the file ({err.strerror}).") from err
        ctx.console.print(ctx.t(f"Wrote {len(found)} deadline(s) to {target}.",
                                f"已将 {len(found)} 个截止时间写入 {target}。"), markup=False)
    if ctx.json:
        ctx.print_json([d.as_dict() for d in found])
    else:
        render_deadlines(ctx, found, datetime.now(timezone.utc))
