"""Run a command and watch its process tree: wall time, peak memory, CPU time.

Memory is sampled with psutil: every `interval` seconds the resident set (RSS) of the command's
own process (the Python that runs it), and every `tree_interval` seconds the proportional set
size (PSS: shared pages split between the processes sharing them, so the sum is honest) summed
over its descendants (Playwright's driver and the browser's processes); the peaks are kept.
CPU time is the whole tree's user + system time, from the kernel's accounting of the children
this process waited for.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

MB = 1024 * 1024


@dataclass
class Watched:
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float
    own_peak_mb: float
    children_peak_mb: float


def run_watched(command: Sequence[str], *, cwd: Path | None = None,
                env: dict[str, str] | None = None, interval: float = 0.1,
                tree_interval: float = 0.5, timeout: float = 3600) -> Watched:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peaks = {"own": 0, "children": 0}
    done = threading.Event()

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        next_tree = 0.0
        while not done.is_set():
            try:
                peaks["own"] = max(peaks["own"], root.memory_info().rss)
                if time.monotonic() >= next_tree:
                    next_tree = time.monotonic() + tree_interval
                    total = 0
                    for child in root.children(recursive=True):
                        try:
                            total += child.memory_full_info().pss
                        except psutil.Error:
                            pass
                    peaks["children"] = max(peaks["children"], total)
            except psutil.Error:
                return
            done.wait(interval)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        done.set()
        watcher.join()
        if proc.poll() is None:
            proc.kill()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Watched(proc.returncode, stdout, stderr, wall, cpu, peaks["own"] / MB,
                   peaks["children"] / MB)


def machine() -> dict[str, object]:
    """nproc, CPU model, memory and load: the context a timing needs."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model,
            "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
            "loadavg": [round(x, 2) for x in os.getloadavg()]}
