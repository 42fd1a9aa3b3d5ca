"""`autofill case new` and `autofill check`: thin wiring from the CLI to the preflight services."""

from __future__ import annotations

from pathlib import Path

from autofill.context import AppContext
from autofill.errors import ProblemsFound


def case_new_command(ctx: AppContext, notice_id: str) -> None:
    from autofill.rulepack import load_rulepack  # noqa: PLC0415
    from autofill.scaffold import new_case  # noqa: PLC0415

    found = ctx.store.find_notice(notice_id)
    platform = ctx.config.store(found[0]).platform if found else "joom"
    folder = new_case(ctx.workspace, ctx.store, notice_id,
                      load_rulepack(platform, ctx.workspace), lang=ctx.lang)
    if ctx.json:
        ctx.print_json({"case": str(folder)})
        return
    ctx.console.print(ctx.t(
        f"Case ready: {folder / 'case.yaml'}\n"
        "Next: put the evidence files in that folder, un-comment their entries under `evidence`, "
        "write the facts in the statement, then run "
        f"`autofill check {folder.relative_to(ctx.workspace.root)}`.",
        f"案件已创建:{folder / 'case.yaml'}\n"
        "下一步:把证据文件放进该文件夹,取消 evidence 下对应条目的注释,"
        "在申诉说明中写明事实,然后运行 "
        f"`autofill check {folder.relative_to(ctx.workspace.root)}`。",
    ), markup=False)


def case_report_command(ctx: AppContext, report_type: str, target: str,
                        orders: list[str]) -> None:
    from autofill.rulepack import load_rulepack  # noqa: PLC0415
    from autofill.scaffold import new_report  # noqa: PLC0415

    store = ctx.store_config()
    folder = new_report(ctx.workspace, store.name, report_type, target,
                        load_rulepack(store.platform, ctx.workspace), order_numbers=orders,
                        lang=ctx.lang)
    if ctx.json:
        ctx.print_json({"case": str(folder)})
        return
    ctx.console.print(ctx.t(
        f"Report case ready: {folder / 'case.yaml'}\nNext: add the evidence (screenshots with "
        "the time and the URL bar, chat records with the buyer ID), then `autofill check` and "
        "`autofill prefill` it.",
        f"举报案件已创建:{folder / 'case.yaml'}\n"
        "下一步:加入证据(截图需含时间和地址栏,聊天记录需含买家ID),"
        "然后运行 `autofill check` 和 `autofill prefill`。"), markup=False)


def check_command(ctx: AppContext, case: Path) -> None:
    from autofill.checking import check_case, render  # noqa: PLC0415

    case_dir = ctx.case_dir(case)
    report = check_case(ctx.workspace, case_dir, ctx.lang)
    if ctx.json:
        ctx.print_json(report.contract())
    else:
        render(report, ctx.console, ctx.lang)
    if not report.ok:
        raise ProblemsFound(ctx.t(
            f"{len(report.errors)} error(s) to fix before this case can be sent.",
            f"提交前需修正 {len(report.errors)} 个错误。"))
