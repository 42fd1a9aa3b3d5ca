"""`autofill demo`: the whole job on the built-in sandbox, with no account and no network.

It runs the very commands a seller types (printed before each step) against a sandbox served
from this process, in a fresh workspace, and stops before the final submit.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import yaml

from autofill.context import AppContext, Environment
from autofill.errors import AutofillError, ExitStatus, ProblemsFound

STORES = """\
[[stores]]
name = "joom-demo"
platform = "joom"
base_url = "{base}/joom"
legal_name = "Shenzhen Sandbox Trading Co., Ltd."

[[stores]]
name = "ali-demo"
platform = "aliexpress"
base_url = "{base}/aliexpress"
legal_name = "Shenzhen Sandbox Trading Co., Ltd."
"""


def has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class Demo:
    def __init__(self, ctx: AppContext, root: Path) -> None:
        self.ctx, self.root = ctx, root
        self.say = ctx.console.print

    def step(self, title: str) -> None:
        self.say("")
        self.say(f"[bold cyan]== {title}[/]")

    def run(self, *args: str, expect: int = 0) -> int:
        """Run one command as the seller would type it, printed first."""
        from autofill.cli import main  # noqa: PLC0415

        shown = " ".join(a if " " not in a else repr(a) for a in args)
        self.say(f"[bold]$ autofill {shown}[/]")
        env = Environment(stdout=self.ctx.env.stderr, stderr=self.ctx.env.stderr, cwd=self.root,
                          environ=self.ctx.env.environ)
        code = main(["--lang", self.ctx.lang, *args], env)
        if code != expect:
            raise ProblemsFound(f"The demo step `autofill {shown}` ended with exit code {code} "
                                f"(expected {expect}).")
        return code


def run_demo(ctx: AppContext, folder: Path | None) -> None:
    from autofill.sandbox.config import SandboxConfig  # noqa: PLC0415
    from autofill.sandbox.server import running  # noqa: PLC0415

    root = ((ctx.env.cwd / folder).resolve() if folder
            else Path(tempfile.mkdtemp(prefix="autofill-demo-")))
    if (root / "autofill.toml").exists():
        raise ProblemsFound(f"{root} is already a workspace; the demo needs a new folder.",
                            "Leave out --folder (a temporary folder is used) or name a new one.")
    # sessions of the demo stay with the demo, not in the user's real data folder
    os.environ["AUTOFILL_DATA_DIR"] = str(root.parent / f".{root.name}-sessions")
    headed = has_display() and not getattr(ctx, "headless_given", False)
    demo = Demo(ctx, root)
    with running(SandboxConfig(seed=7, listings=120)) as base:
        demo.say(ctx.t(
            f"autofill demo: sandbox Seller Centers at {base}/joom and {base}/aliexpress "
            f"(no real account, no network). Workspace: {root}",
            f"autofill 演示:沙盒卖家后台 {base}/joom 与 {base}/aliexpress(无需真实账号,不联网)。"
            f"工作区:{root}"))
        demo.step(ctx.t("1. A workspace with two stores", "1. 创建工作区(两个店铺)"))
        demo.run("init", str(root))
        with (root / "autofill.toml").open("a", encoding="utf-8") as handle:
            handle.write(STORES.format(base=base))
        demo.step(ctx.t("2. Log in (the sandbox's demo account; with a real store, you log in "
                        "yourself in the window)",
                        "2. 登录(沙盒演示账号;真实店铺需你本人在窗口中登录)"))
        demo.run("login", "--store", "joom-demo", "--demo")
        demo.step(ctx.t("3. Scan: every removed listing, its notice and deadline",
                        "3. 扫描:所有被下架的商品、处罚通知和截止时间"))
        demo.run("scan", "--store", "joom-demo")
        _joom_cases(demo, headed)
        _aliexpress(demo)
        demo.step(ctx.t("Deadlines across both stores", "两个店铺的全部截止时间"))
        demo.run("deadlines", "--ics", "deadlines.ics")
    demo.say("")
    demo.say(ctx.t(
        f"Demo finished. Everything it made is in {root}. With your own store: "
        "`autofill init`, add it to autofill.toml, `autofill login --store NAME`.",
        f"演示结束,产生的文件都在 {root}。"
        "使用你自己的店铺:`autofill init`,在 autofill.toml 中添加店铺,"
        "然后 `autofill login --store 店铺名`。"))


def _pick(ctx: AppContext, store: str, prefix: str) -> str:
    """A notice of that kind, open for appeal, with no appeal yet."""
    appealed = {a.notice_id for a in ctx.store.appeals(store)}
    for notice in ctx.store.notices(store):
        if notice.violation_type.startswith(prefix) and notice.notice_id not in appealed:
            return notice.notice_id
    raise ProblemsFound(f"The sandbox has no open '{prefix}' notice to show.")


def _joom_cases(demo: Demo, headed: bool) -> None:
    from autofill.samples import certificate_pdf, photo_jpg  # noqa: PLC0415
    from autofill.store import Store  # noqa: PLC0415
    from autofill.workspace import Workspace  # noqa: PLC0415

    ctx = demo.ctx
    store = Store(Workspace(demo.root).db_path)
    notice_id = _pick(AppContext(env=ctx.env, workspace_arg=demo.root), "joom-demo",
                      "Missing Certificate: CE")
    notice = store.notice("joom-demo", notice_id)
    assert notice is not None
    models = sorted({x.model for x in store.listings("joom-demo", open_only=False)
                     if x.listing_id in notice.listing_ids and x.model}) or ["MODEL"]
    demo.step(ctx.t(f"4. A case bundle for {notice_id} ({notice.violation_type})",
                    f"4. 为 {notice_id}({notice.violation_type})创建申诉材料包"))
    demo.run("case", "new", notice_id)
    case_dir = demo.root / "cases" / notice_id
    # a first try with the classic mistakes: Chinese statement, a 72 dpi phone scan
    photo_jpg(case_dir / "证书 扫描.jpg", "blurry certificate", size=(600, 800))
    _write_case(case_dir, statement="您好,我们的产品有CE证书,请恢复链接,谢谢!", evidence=[
        {"file": "证书 扫描.jpg", "kind": "certificate", "standard": "CE"}], confirm=False,
        low_dpi=case_dir / "证书 扫描.jpg")
    demo.step(ctx.t("5. Check the first try: the mistakes that lose appeals",
                    "5. 检查第一稿:会导致申诉失败的错误"))
    demo.run("check", f"cases/{notice_id}", expect=ExitStatus.PROBLEMS_FOUND)
    demo.step(ctx.t("6. Fixed: English facts citing the notice and rule, a 300 dpi PDF with "
                    "its facts, a nameplate photo, confirmations done",
                    "6. 修正后:英文事实陈述并引用通知编号与规则、300dpi PDF 及其信息、"
                    "铭牌照片、确认项已确认"))
    (case_dir / "证书 扫描.jpg").unlink()
    certificate_pdf(case_dir / "ce-certificate.pdf", standard="CE", issuer="TUV Rheinland",
                    number="CE-2026-0415", models=models, expires="2027-12-31")
    photo_jpg(case_dir / "nameplate.jpg", f"nameplate of model {models[0]}")
    _write_case(case_dir, statement=(
        f"Re: notification {notice_id}, rule {notice.rule_ref}. Model {models[0]} has a valid "
        "CE certificate (TUV Rheinland, CE-2026-0415, valid to 2027-12-31); the nameplate photo "
        "shows the same model. Please restore the listing."), evidence=[
        {"file": "ce-certificate.pdf", "kind": "certificate", "standard": "CE",
         "issuer": "TUV Rheinland", "number": "CE-2026-0415", "expires": "2027-12-31",
         "models": models},
        {"file": "nameplate.jpg", "kind": "product_photo"}], confirm=True)
    demo.run("check", f"cases/{notice_id}")
    mode = ctx.t("in a browser window" if headed else
                 "headless: this computer has no display, so the window stays hidden",
                 "在浏览器窗口中" if headed else "无界面模式:此电脑没有显示器,窗口不可见")
    demo.step(ctx.t(f"7. Prefill the official Appeal form ({mode}); it stops before Submit",
                    f"7. 预填官方申诉表单({mode});在提交前停止"))
    demo.run("--headed" if headed else "--headless", "prefill", f"cases/{notice_id}",
             "--stop-when-ready")


def _write_case(case_dir: Path, *, statement: str, evidence: list[dict[str, object]],
                confirm: bool, low_dpi: Path | None = None) -> None:
    path = case_dir / "case.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["statement"] = statement
    data["evidence"] = evidence
    data["confirmations"] = {key: confirm for key in data.get("confirmations") or {}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if low_dpi is not None:
        from PIL import Image  # noqa: PLC0415

        with Image.open(low_dpi) as img:
            img.save(low_dpi, "JPEG", dpi=(72, 72))


def _aliexpress(demo: Demo) -> None:
    ctx = demo.ctx
    demo.step(ctx.t("8. AliExpress (Chinese Seller Center): log in and scan penalty records",
                    "8. 速卖通(中文后台):登录并扫描处罚记录"))
    try:
        demo.run("login", "--store", "ali-demo", "--demo")
        demo.run("scan", "--store", "ali-demo")
    except AutofillError as err:
        demo.say(f"AliExpress part skipped: {err}", markup=False)
