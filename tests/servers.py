"""Start and always stop the servers the browser tests drive: JupyterLab and Voila.

Each server binds 127.0.0.1 on a free port (found by binding port 0), requires a random
token, keeps its configuration, runtime files, settings and workspaces in a temporary
folder (nothing leaks into ~), and runs in its own process group. Leaving the `with`
block stops it, on failure too: a polite shutdown first (which also stops its kernels),
then SIGTERM and SIGKILL to the process group and to every process it started.

    with jupyter_lab(root_dir, home=tmp) as lab:      # lab.url, lab.token, lab.page_url(...)
        ...
    with voila(notebook, home=tmp) as app:
        ...
    assert not orphans()                              # nothing started here is still alive

JupyterLab starts as `make lab` starts it: the same options and the project's configuration
(etc/jupyter/: no news prompt, no news feed, no update check) first on JUPYTER_CONFIG_PATH.

Readiness is a condition, not a sleep: JupyterLab answers GET /api/status with the token;
Voila accepts a TCP connection. Both are polled until a deadline.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]
# JupyterLab's configuration for a class (no news prompt, no news feed, no update check):
# `make lab` puts this folder first on JUPYTER_CONFIG_PATH, and so does jupyter_lab() here.
LAB_CONFIG = ROOT / "etc" / "jupyter"

# Every process a server here started (the server and, at stop time, its descendants,
# kernels included): orphans() checks that none is left alive.
STARTED: set[int] = set()


class ServerError(RuntimeError):
    """A server did not start or did not stop; the message ends with its log."""


@dataclass
class Server:
    """A running server: where it listens, its token, its process and its log."""

    name: str
    port: int
    token: str
    process: subprocess.Popen
    log: Path
    base_path: str = "/"
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.base_path.rstrip('/')}"

    def page_url(self, path: str = "") -> str:
        """The URL of `path` with the token as a query parameter (a browser's first visit)."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}/{path.lstrip('/')}{sep}token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A port nobody listens on now: the kernel picks it when we bind port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """Environment for a server whose Jupyter and IPython state lives under `home`."""
    env = dict(os.environ)
    for var, sub in {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
    }.items():
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    # Students' answers saved while testing stay here too; the pages are the student's,
    # whatever the caller's shell says.
    env["CABLELAB_ANSWERS"] = str(home / "answers")
    for var in ("CABLELAB_TEACHER", "CABLELAB_STUDENT"):
        env.pop(var, None)
    # Kernels started by the server use this interpreter (the project's venv).
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def _lab_settings(home: Path) -> Path:
    """User settings for a testable JupyterLab; returns the settings folder. (No setting about
    news: the prompt is kept away by LAB_CONFIG, as in `make lab`, and the tests check it.)"""
    settings = home / "lab-settings"
    # Every cell stays in the DOM (no virtual scrolling), so the whole notebook can be
    # inspected and photographed after Run All.
    _write_json(
        settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
        {"windowingMode": "none", "scrollPastEnd": False},
    )
    return settings


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """True when `pid` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"}


def describe(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        cmd = "?"
    return f"{pid}: {cmd.strip()[:160]}"


def orphans() -> list[str]:
    """Processes started by these helpers (servers, their kernels) that are still alive."""
    return [describe(pid) for pid in sorted(STARTED) if alive(pid)]


def _wait_gone(pids: set[int], timeout: float) -> set[int]:
    deadline = time.monotonic() + timeout
    left = {pid for pid in pids if alive(pid)}
    while left and time.monotonic() < deadline:
        time.sleep(0.1)  # polling interval of a condition with a deadline
        left = {pid for pid in left if alive(pid)}
    return left


def _signal(pids: set[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop(server: Server, polite: str | None = None) -> None:
    """Stop `server` and everything it started; `polite` is a POST path tried first."""
    proc = server.process
    family = {proc.pid} | descendants(proc.pid)
    STARTED.update(family)
    if polite and proc.poll() is None:
        request = urllib.request.Request(
            f"{server.url}/{polite.lstrip('/')}",
            method="POST",
            headers={"Authorization": f"token {server.token}"},
            data=b"",
        )
        try:
            urllib.request.urlopen(request, timeout=5).close()
        except (OSError, urllib.error.URLError):
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    # Kernels run in sessions of their own: the process group does not reach them.
    left = _wait_gone(family - {proc.pid}, 5)
    _signal(left, signal.SIGTERM)
    left = _wait_gone(left, 5)
    _signal(left, signal.SIGKILL)
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
    _wait_gone(family, 5)


def _wait_ready(server: Server, ready, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(
                f"{server.name} exited with {server.process.returncode} before it was ready\n"
                + server.log_tail()
            )
        if ready():
            return
        time.sleep(0.2)  # polling interval of a condition with a deadline
    raise ServerError(f"{server.name} not ready on port {server.port} after {timeout:.0f} s\n" + server.log_tail())


def _http_ok(url: str, token: str) -> bool:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def _running(name: str, argv: list[str], home: Path, port: int, token: str, polite: str | None,
             ready, timeout: float, base_path: str = "/", env: dict[str, str] | None = None) -> Iterator[Server]:
    log = home / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv,
            cwd=home,
            env={**isolated_env(home), **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    STARTED.add(process.pid)
    server = Server(name=name, port=port, token=token, process=process, log=log, base_path=base_path)
    try:
        _wait_ready(server, lambda: ready(server), timeout)
        yield server
    finally:
        stop(server, polite=polite)


def root_flag() -> list[str]:
    return ["--allow-root"] if os.geteuid() == 0 else []


@contextmanager
def jupyter_lab(root_dir: Path, home: Path, timeout: float = 90, config: Path | None = LAB_CONFIG) -> Iterator[Server]:
    """JupyterLab serving `root_dir` on a free loopback port with a random token.

    Started as `make lab` starts it: the same options, and `config` (the project's LAB_CONFIG)
    first on JUPYTER_CONFIG_PATH; `config=None` starts a JupyterLab as it comes, without it.
    The app object is exposed as `window.jupyterapp` so tests can run commands
    (`notebook:run-all-cells`) and read the notebook model, as JupyterLab's own Galata tests
    do; notebooks render every cell.
    """
    home.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    _write_json(
        home / "config" / "jupyter_server_config.json",
        {
            "LabApp": {
                "expose_app_in_browser": True,
                "user_settings_dir": str(_lab_settings(home)),
                "workspaces_dir": str(home / "workspaces"),
            },
        },
    )
    argv = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        f"--ip={HOST}",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        *root_flag(),
    ]
    ready = lambda s: _http_ok(f"{s.url}/api/status", s.token)  # noqa: E731
    env = {"JUPYTER_CONFIG_PATH": str(config) if config else ""}
    with _running("jupyterlab", argv, home, port, token, "api/shutdown", ready, timeout, env=env) as server:
        yield server


@contextmanager
def voila(notebook: Path, home: Path, timeout: float = 90, theme: str = "light") -> Iterator[Server]:
    """Voila serving `notebook` alone (sources stripped) on a free loopback port with a token."""
    home.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    argv = [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--token={token}",
        "--strip_sources=True",
        f"--theme={theme}",
        "--show_tracebacks=True",
    ]
    ready = lambda s: _accepts(s.port)  # noqa: E731
    with _running("voila", argv, home, port, token, None, ready, timeout) as server:
        yield server
