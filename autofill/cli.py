"""The command line: a table of contents. Each command parses, calls one service, renders.

Expected failures are AutofillError subclasses; `main` turns them into one sentence on stderr and
the exit status of DESIGN.md. `--traceback` shows the stack when someone asks.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from autofill import __version__
from autofill.browser import BrowserOptions
from autofill.context import AppContext, Environment
from autofill.errors import AutofillError, ExitStatus

app = typer.Typer(
    name="autofill",
    help=(
        "Get wrongly removed Joom and AliExpress listings back.\n\n"
        "A day with autofill:\n\n"
        "\b\n"
        "  autofill init appeals && cd appeals   make a workspace\n"
        "  autofill login --store joom-main      log in once, in a real browser\n"
        "  autofill scan                         removed listings, notices, deadlines\n"
        "  autofill case new NTF-20417           a case bundle from the notice\n"
        "  autofill check cases/NTF-20417        catch known appeal mistakes\n"
        "  autofill prefill cases/NTF-20417      fill the Appeal form; YOU click Submit\n"
        "  autofill appeals                      statuses, info requests, deadlines\n\n"
        "Try it with no account: `autofill demo` (built-in sandbox Seller Centers)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
case_app = typer.Typer(help="Case bundles: one folder per notice with case.yaml and evidence.")
app.add_typer(case_app, name="case")

# Global options may stand anywhere on the line (`autofill scan --json` too): `main` moves them
# in front of the command before parsing.
GLOBAL_FLAGS = {"--json", "--headless", "--headed", "--verbose", "-v", "--traceback"}
GLOBAL_VALUED = {"--workspace", "--store", "--lang", "--browser-path", "--browser-endpoint"}


def _ctx(typer_ctx: typer.Context) -> AppContext:
    obj = typer_ctx.obj
    assert isinstance(obj, AppContext)
    return obj


@app.callback(invoke_without_command=True)
def _global(
    typer_ctx: typer.Context,
    workspace: Annotated[Path | None, typer.Option(help="Workspace folder (default: the nearest folder with autofill.toml).")] = None,  # noqa: E501
    store: Annotated[str | None, typer.Option(help="Store name from autofill.toml.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print data as JSON on stdout.")] = False,
    lang: Annotated[str, typer.Option(help="Language of messages: en or zh.")] = "en",
    headless: Annotated[bool | None, typer.Option("--headless/--headed", help="Hide or show the browser window.")] = None,  # noqa: E501
    browser_path: Annotated[str | None, typer.Option(help="Chrome/Chromium executable to use (or AUTOFILL_BROWSER_PATH).")] = None,  # noqa: E501
    browser_endpoint: Annotated[str | None, typer.Option(help="Attach to a running browser: ws://... (Playwright server) or http://host:port (Chrome DevTools).")] = None,  # noqa: E501
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="More log lines on stderr.")] = False,  # noqa: E501
    traceback: Annotated[bool, typer.Option(help="Show the Python traceback of an error.")] = False,  # noqa: E501
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True)] = False,  # noqa: E501
) -> None:
    env: Environment = typer_ctx.obj or Environment()
    if version:
        env.stdout.write(f"autofill {__version__}\n")
        raise typer.Exit()
    if typer_ctx.invoked_subcommand is None:
        env.stdout.write(typer_ctx.get_help() + "\n")
        raise typer.Exit()
    if lang not in ("en", "zh"):
        raise typer.BadParameter("expected en or zh", param_hint="--lang")
    typer_ctx.obj = AppContext(
        env=env,
        workspace_arg=workspace,
        store_name=store,
        json=json_out,
        lang=lang,  # type: ignore[arg-type]
        verbose=verbose,
        browser=BrowserOptions(
            headless=True if headless is None else headless,
            browser_path=browser_path or env.environ.get("AUTOFILL_BROWSER_PATH"),
            endpoint=browser_endpoint,
        ),
    )
    typer_ctx.obj.headless_given = headless is not None  # type: ignore[attr-defined]
    _start_logging(typer_ctx.obj)


def _start_logging(ctx: AppContext) -> None:
    """Warnings (with --verbose, info too) on stderr; info and up as JSON lines in the
    workspace's .autofill/logs when there is a workspace; secrets redacted in both."""
    from autofill.logs import configure  # noqa: PLC0415

    workspace = ctx.workspace
    configure(workspace.log_dir if workspace.exists() else None, verbose=ctx.verbose,
              stream=ctx.env.stderr)


@app.command()
def init(
    typer_ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Folder for the workspace (created if needed).")] = Path("."),  # noqa: E501
) -> None:
    """Make a workspace: autofill.toml (with a commented example store) and cases/."""
    from autofill.setup import init_workspace

    init_workspace(_ctx(typer_ctx), folder)


@app.command()
def login(
    typer_ctx: typer.Context,
    demo: Annotated[bool, typer.Option(help="Sandbox stores only: type the demo credentials.")] = False,  # noqa: E501
    timeout: Annotated[int, typer.Option(help="Seconds to wait for you to log in.")] = 300,
) -> None:
    """Open the store's login page in a real browser; save the session once you are in.

    autofill never asks for or stores your password: you log in yourself, and only the
    browser session is kept (in your user data folder, readable by you only).
    """
    from autofill.login import login as run

    run(_ctx(typer_ctx), demo=demo, timeout=timeout)


@app.command()
def doctor(typer_ctx: typer.Context) -> None:
    """Which browser will be used; per store, whether the session exists and still works;
    with --store, whether the Seller Center's pages still look as the flows expect."""
    from autofill.doctor import doctor as run

    run(_ctx(typer_ctx))


@app.command()
def sandbox(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed of the generated data.")] = 7,
    listings: Annotated[int, typer.Option(help="Listings per store.")] = 200,
    test_hooks: Annotated[bool, typer.Option(help="Serve /__sandbox__/ test hooks (truth, faults).")] = False,  # noqa: E501
    faults: Annotated[str, typer.Option(help="latency=MS,error_rate=0.1,expire_after=N")] = "",
    scramble: Annotated[bool, typer.Option(help="Rename classes/ids and reorder siblings on every response.")] = False,  # noqa: E501
) -> None:
    """Serve the built-in sandbox Seller Centers (Joom at /joom, AliExpress at /aliexpress)."""
    from autofill.sandbox_cli import serve_sandbox

    serve_sandbox(host, port, seed, listings, test_hooks, faults, scramble)


@app.command()
def scan(
    typer_ctx: typer.Context,
    all_stores: Annotated[bool, typer.Option("--all", help="Scan every store of the workspace.")] = False,  # noqa: E501
    concurrency: Annotated[int | None, typer.Option(help="Pages read at once (default from autofill.toml, 3).")] = None,  # noqa: E501
) -> None:
    """Collect removed/inactive listings, their notices and appeals into the local store."""
    from autofill.scanning import scan_command

    scan_command(_ctx(typer_ctx), all_stores=all_stores, concurrency=concurrency)


@app.command()
def deadlines(
    typer_ctx: typer.Context,
    ics: Annotated[Path | None, typer.Option(help="Also write the deadlines to this calendar (.ics) file.")] = None,  # noqa: E501
) -> None:
    """Every open deadline from the local store (no browser)."""
    from autofill.deadlines_cli import deadlines_command

    deadlines_command(_ctx(typer_ctx), ics=ics)


@case_app.command("new")
def case_new(
    typer_ctx: typer.Context,
    notice_id: Annotated[str, typer.Argument(help="Notification ID from `autofill scan`.")],
) -> None:
    """Scaffold cases/<notice>/case.yaml: appeal type, evidence checklist, statement draft."""
    from autofill.case_cli import case_new_command

    case_new_command(_ctx(typer_ctx), notice_id)


@case_app.command("report")
def case_report(
    typer_ctx: typer.Context,
    report_type: Annotated[str, typer.Option("--type", help="What the other seller did, in the report form's words (AliExpress: 盗图, 售假, 刷单).")],  # noqa: E501
    target: Annotated[str, typer.Option(help="The reported store's name, or the product link.")],
    order: Annotated[list[str] | None, typer.Option(help="An order number concerned (repeat for several).")] = None,  # noqa: E501
) -> None:
    """Scaffold a report of another seller's violation (report center), for --store."""
    from autofill.case_cli import case_report_command

    case_report_command(_ctx(typer_ctx), report_type, target, order or [])


@app.command()
def check(
    typer_ctx: typer.Context,
    case: Annotated[Path, typer.Argument(help="Case folder (cases/<id>) or its case.yaml.")],
) -> None:
    """Preflight a case bundle: every known appeal mistake, where it is and how to fix it."""
    from autofill.case_cli import check_command

    check_command(_ctx(typer_ctx), case)


@app.command()
def prefill(
    typer_ctx: typer.Context,
    case: Annotated[Path, typer.Argument(help="Case folder (cases/<id>).")],
    timeout: Annotated[int, typer.Option(help="Seconds to wait for your click on Submit.")] = 900,
    stop_when_ready: Annotated[bool, typer.Option(hidden=True, help="Demo: stop once the form is ready.")] = False,  # noqa: E501
) -> None:
    """Fill the official Appeal form in a browser window and wait: YOU review and click Submit.

    autofill never submits. It checks the case first, fills the form, verifies what the page
    shows, highlights the submit button, and records what your click actually sent.
    """
    from autofill.prefilling import prefill_command

    prefill_command(_ctx(typer_ctx), case, timeout=timeout, stop_when_ready=stop_when_ready)


@app.command()
def appeals(typer_ctx: typer.Context) -> None:
    """Read Support > Appeals: statuses, requests for more information, what needs action now."""
    from autofill.appeals_cli import appeals_command

    appeals_command(_ctx(typer_ctx))


@app.command()
def demo(
    typer_ctx: typer.Context,
    folder: Annotated[Path | None, typer.Option(help="Workspace folder for the demo (default: a new temporary folder).")] = None,  # noqa: E501
) -> None:
    """The whole job end to end on the built-in sandbox: no account, no network."""
    from autofill.demo import run_demo

    run_demo(_ctx(typer_ctx), folder)


@app.command()
def record(
    typer_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of the recording folder.")],
    out: Annotated[Path, typer.Option(help="Where recordings go.")] = Path("recordings"),
    scan: Annotated[bool, typer.Option(help="autofill runs the scan (read-only) while recording.")] = False,  # noqa: E501
    until_url: Annotated[str | None, typer.Option(help="End when a tab reaches this URL glob, e.g. '*/support/appeals*'.")] = None,  # noqa: E501
    timeout: Annotated[int, typer.Option(help="Seconds before the recording ends anyway.")] = 1800,
) -> None:
    """Capture your navigation of the Seller Center as a scrubbed HAR for drift tests.

    Cookies, tokens, e-mails, phone numbers and your legal name are replaced by placeholders;
    recordings/README.md says what to check by hand before you share one.
    """
    from autofill.recording import record_command

    record_command(_ctx(typer_ctx), name, out, scan=scan, until_url=until_url, timeout=timeout)


def _hoist_globals(args: list[str]) -> list[str]:
    """Move global options found after the command in front of it."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        token = args[i]
        name = token.split("=", 1)[0]
        if token == "--":
            rest.extend(args[i:])
            break
        if name in GLOBAL_FLAGS:
            front.append(token)
        elif name in GLOBAL_VALUED:
            front.append(token)
            if "=" not in token and i + 1 < len(args):
                front.append(args[i + 1])
                i += 1
        else:
            rest.append(token)
        i += 1
    return front + rest


def main(args: list[str] | None = None, env: Environment | None = None) -> int:
    """Run one command; return (and, as a script, exit with) its ExitStatus."""
    try:  # typer >= 0.26 vendors click
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover
        from click.exceptions import ClickException

    env = env or Environment()
    argv = _hoist_globals(list(sys.argv[1:] if args is None else args))
    show_traceback = "--traceback" in argv
    command = typer.main.get_command(app)
    try:
        command.main(
            args=argv, prog_name="autofill", standalone_mode=False, obj=env
        )
        return ExitStatus.OK
    except AutofillError as err:
        if show_traceback:
            import traceback

            traceback.print_exc(file=env.stderr)
        env.stderr.write(f"autofill: {err}\n")
        return err.exit_status
    except typer.Exit as err:
        return int(getattr(err, "exit_code", 0) or 0)
    except ClickException as err:
        err.show(file=env.stderr)
        return ExitStatus.BAD_INPUT if err.exit_code else ExitStatus.OK
    except (KeyboardInterrupt, typer.Abort):
        env.stderr.write("\nautofill: interrupted; nothing was submitted.\n")
        return ExitStatus.NOT_SUBMITTED if "prefill" in argv else ExitStatus.PROBLEMS_FOUND


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
