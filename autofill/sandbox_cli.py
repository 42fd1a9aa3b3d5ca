"""`autofill sandbox`: serve the built-in Seller Centers and say how to use them."""

from __future__ import annotations

import sys

from autofill.errors import BadInput

DEMO_EMAIL = "demo@seller.example"
DEMO_PASSWORD = "sandbox-demo"


def serve_sandbox(host: str, port: int, seed: int, listings: int, test_hooks: bool,
                  faults: str, scramble: bool) -> None:
    from autofill.sandbox.config import SandboxConfig, parse_faults  # noqa: PLC0415
    from autofill.sandbox.server import serve  # noqa: PLC0415

    if not 1 <= listings <= 20_000:
        raise BadInput(f"--listings {listings}: expected 1 to 20000.")
    try:
        config = SandboxConfig(seed=seed, listings=listings, test_hooks=test_hooks,
                               scramble=scramble, **parse_faults(faults))
    except ValueError as err:
        raise BadInput(str(err)) from err

    def ready(base: str) -> None:
        lines = [
            f"Sandbox Seller Centers (seed {seed}, {listings} listings per store):",
            f"  Joom        {base}/joom",
            f"  AliExpress  {base}/aliexpress",
            f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}",
            'A store points here with base_url = "' + base + '/joom" in autofill.toml.',
        ]
        if test_hooks:
            lines.append(f"Test hooks: {base}/__sandbox__/truth")
        lines.append("Press Ctrl+C to stop.")
        # stdout, flushed: scripts and test fixtures read the first line with the URL
        print("\n".join(lines), flush=True)
        sys.stdout.flush()

    try:
        serve(config, host, port, on_ready=ready)
    except OSError as err:
        raise BadInput(
            f"Cannot listen on {host}:{port}: {err.strerror or err}.",
            "Choose another port with --port (or --port 0 for any free port).",
        ) from err
