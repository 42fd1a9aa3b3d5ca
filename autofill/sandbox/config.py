"""How the sandbox is started: seed, data size, test hooks and fault switches.

The server keeps ONE `SandboxConfig` for its whole life and changes its fault fields
(`latency_ms`, `error_rate`, `expire_after`, `scramble`, `fault_seed`) at runtime through the
`/__sandbox__/faults` hook. Platforms and middleware therefore read those fields on every request
and never copy them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# --faults spelling -> config field
_FAULT_KEYS: dict[str, str] = {
    "latency": "latency_ms",
    "latency_ms": "latency_ms",
    "error_rate": "error_rate",
    "expire_after": "expire_after",
}
_FAULTS_FORM = "latency=MS,error_rate=0.1,expire_after=N"


@dataclass
class SandboxConfig:
    """Startup options of `autofill sandbox`; fault fields are live switches (see module doc)."""

    seed: int = 7
    listings: int = 200
    test_hooks: bool = False
    latency_ms: int = 0
    error_rate: float = 0.0
    expire_after: int | None = None
    scramble: bool = False
    fault_seed: int | None = None  # RNG seed of the 5xx faults; None: the data seed

    def __post_init__(self) -> None:
        if self.listings < 1:
            raise ValueError(f"listings must be at least 1, got {self.listings}")
        check_faults(self.fault_values())

    def fault_values(self) -> dict[str, Any]:
        """The current fault switches, as `GET /__sandbox__/faults` shows them."""
        return {
            "latency_ms": self.latency_ms,
            "error_rate": self.error_rate,
            "expire_after": self.expire_after,
            "scramble": self.scramble,
            "seed": self.seed if self.fault_seed is None else self.fault_seed,
        }

    def faults_off(self) -> None:
        """Every fault switch back to off (used by `/__sandbox__/reset`)."""
        self.latency_ms, self.error_rate, self.expire_after = 0, 0.0, None
        self.scramble, self.fault_seed = False, None


def parse_faults(text: str) -> dict[str, Any]:
    """Parse `--faults latency=MS,error_rate=0.1,expire_after=N` into config field values.

    Returns e.g. `{"latency_ms": 200, "error_rate": 0.1, "expire_after": 30}`; an empty string
    gives `{}`. Raises ValueError with a sentence naming the bad part.
    """
    values: dict[str, Any] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, raw = part.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not raw:
            raise ValueError(f"--faults: '{part}' is not KEY=VALUE (expected {_FAULTS_FORM})")
        if key not in _FAULT_KEYS:
            raise ValueError(
                f"--faults: unknown switch '{key}' (known: latency, error_rate, expire_after)"
            )
        field = _FAULT_KEYS[key]
        try:
            values[field] = float(raw) if field == "error_rate" else int(raw)
        except ValueError:
            kind = "a number" if field == "error_rate" else "a whole number"
            raise ValueError(f"--faults: {key} must be {kind}, got '{raw}'") from None
    check_faults(values)
    return values


def check_faults(values: dict[str, Any]) -> None:
    """Raise ValueError when a fault value is out of range (shared by the CLI and the hook)."""
    latency = values.get("latency_ms")
    if latency is not None and (not _is_int(latency) or latency < 0):
        raise ValueError(f"latency must be a whole number of milliseconds >= 0, got {latency!r}")
    rate = values.get("error_rate")
    if rate is not None and (
        isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0
    ):
        raise ValueError(f"error_rate must be between 0 and 1, got {rate!r}")
    expire = values.get("expire_after")
    if expire is not None and (not _is_int(expire) or expire < 1):
        raise ValueError(f"expire_after must be a whole number of requests >= 1, got {expire!r}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
