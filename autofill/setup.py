"""`autofill init`: a workspace folder with autofill.toml (commented example) and cases/."""

from __future__ import annotations

from pathlib import Path

from autofill.config import EXAMPLE
from autofill.context import AppContext
from autofill.errors import BadInput
from autofill.workspace import CONFIG_NAME, Workspace

GITIGNORE = """\
# autofill: the local store and logs stay on this computer
.autofill/
"""


def init_workspace(ctx: AppContext, folder: Path) -> Workspace:
    root = (ctx.env.cwd / folder).resolve()
    ws = Workspace(root)
    if ws.config_path.exists():
        raise BadInput(
            f"{ws.config_path} already exists: this folder is already a workspace.",
            "Edit that file to add stores, or choose another folder.",
        )
    try:
        ws.cases_dir.mkdir(parents=True, exist_ok=True)
        ws.config_path.write_text(EXAMPLE, encoding="utf-8")
        gitignore = root / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text(GITIGNORE, encoding="utf-8")
    except OSError as err:
        raise BadInput(f"Cannot create the workspace in {root}: {err.strerror}.") from err
    ctx.console.print(
        ctx.t(
            f"Workspace ready in {root}.\nNext: add your store to {CONFIG_NAME} (the commented "
            "example shows how), then run `autofill login --store NAME`.",
            f"工作区已创建:{root}。\n下一步:在 {CONFIG_NAME} 中添加店铺(参考注释示例),"
            "然后运行 `autofill login --store 店铺名`。",
        )
    )
    return ws
