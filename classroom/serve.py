"""Start the class hub on 127.0.0.1 (`make hub`), and stop it with everything it started.

    sudo .venv/bin/python classroom/serve.py                    # the address is printed; Ctrl-C stops it
    sudo .venv/bin/python classroom/serve.py --port 8000 --root /srv/cablelab --roster classroom/roster.csv

JupyterHub runs with classroom/jupyterhub_config.py and starts configurable-http-proxy
(from node_modules/, `npm ci`). Every port is on 127.0.0.1 and free (found by binding port
0) unless given. The same ``ClassHub`` serves the end-to-end test and the load benchmark:

    with ClassHub(root, roster, remove_users=True) as hub:   # hub.url, hub.members
        ...
    # stopped: hub, proxy, every server and kernel; with remove_users, the roster's accounts too

Stopping is polite first (JupyterHub stops every server, which stops its kernels, then the
proxy), then firm: any process still running under a roster account or below the hub is
ended by its id. The students' servers need a Python every account can run; when this
one lives where other accounts cannot reach (a Python under /root), ``user_environment``
makes a small venv from the system's Python of the same version that sees this
environment's packages, as a class server's shared user environment would.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
CONFIG = HERE / "jupyterhub_config.py"
SRC = CHECKOUT / "src"
sys.path.insert(0, str(SRC))

from cablelab import handin  # noqa: E402

READY_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_nobody(command: list[str], pythonpath: str = "") -> bool:
    """Whether `command` succeeds when an unprivileged account runs it."""
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return False
    try:
        done = subprocess.run(command, user=nobody.pw_uid, group=nobody.pw_gid, extra_groups=[], cwd="/",
                              env={"PYTHONPATH": pythonpath, "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"},
                              capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def runs_for_others(python: str, pythonpath: str) -> bool:
    """Whether an unprivileged account can run `python` and import the hub's server and cablelab."""
    return _as_nobody([python, "-c", "import jupyterhub.singleuser, jupyterlab, cablelab"], pythonpath)


def readable_by_others(path: str | Path) -> bool:
    return _as_nobody(["test", "-r", str(path), "-a", "-x", str(path)])


def _share(source: Path, target: Path, link: bool) -> None:
    """`target` as a link to `source` when every account can read it there, else as a copy."""
    if target.is_symlink() or target.exists():
        return
    if link:
        target.symlink_to(source)
    else:
        shutil.copytree(source, target, symlinks=True,
                        ignore=shutil.ignore_patterns("__editable__*", "cablelab-*.dist-info", "__pycache__"))


def user_environment(folder: Path) -> tuple[str, str]:
    """(python, PYTHONPATH) for the students' servers.

    This Python and the checkout's src/ when every account can run and read them. Otherwise
    a venv in `folder` made from the system's python3.X (same version) with this
    environment's packages and Jupyter data: linked where every account can read them,
    copied where they cannot (a checkout under /root); cablelab itself is copied in afresh,
    with its data, when src/ is out of reach, as an installed wheel would carry it.
    """
    pythonpath = str(SRC)
    if runs_for_others(sys.executable, pythonpath):
        return sys.executable, pythonpath
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system_python = next((p for p in (f"/usr/bin/{version}", f"/usr/local/bin/{version}") if os.access(p, os.X_OK)), None)
    if system_python is None:
        raise RuntimeError(f"the students' accounts cannot run {sys.executable}, and there is no /usr/bin/{version}: "
                           f"install {version} (apt-get install {version}) or this environment where all can read it")
    venv = folder / "user-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([system_python, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    packages = list(dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]))
    if all(readable_by_others(path) for path in packages):
        (site / "zz_cablelab_hub.pth").write_text("".join(f"{path}\n" for path in packages))
    else:
        for number, path in enumerate(packages):
            _share(Path(path), site / f"hub-packages-{number}", link=False)
        (site / "zz_cablelab_hub.pth").write_text(
            "".join(f"{site / f'hub-packages-{n}'}\n" for n in range(len(packages))))
    for name in ("share", "etc"):  # Jupyter's data (JupyterLab, widgets, Voila) and configuration
        source = Path(sys.prefix) / name
        if source.is_dir():
            _share(source, venv / name, link=readable_by_others(source))
    if not readable_by_others(SRC):
        installed = site / "cablelab"
        shutil.rmtree(installed, ignore_errors=True)
        shutil.copytree(SRC / "cablelab", installed, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(CHECKOUT / "data", installed / "data")
        pythonpath = ""
    subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
    if not runs_for_others(str(python), pythonpath):
        raise RuntimeError(f"the students' accounts cannot run {python} with the hub's packages")
    return str(python), pythonpath


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


class ClassHub:
    """JupyterHub and configurable-http-proxy for one class, on loopback; always stopped."""

    def __init__(self, root: Path, roster: Path, *, port: int | None = None, remove_users: bool = False,
                 group: str = handin.DEFAULT_GROUP, log: Path | None = None, expose_app: bool = False) -> None:
        self.root, self.roster = Path(root), Path(roster)
        self.members = handin.read_roster(self.roster)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.remove_users, self.group, self.expose_app = remove_users, group, expose_app
        self.log_path = log or self.root / "jupyterhub.log"
        self.process: subprocess.Popen | None = None
        self._existing_users = {m.username for m in self.members if _exists(m.username)}
        self._group_existed = _group_exists(group)

    # -- starting

    def start(self) -> "ClassHub":
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)
        python, pythonpath = user_environment(self.root)
        env = {**os.environ,
               "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ['PYTHONPATH']}" if os.environ.get("PYTHONPATH") else str(SRC),
               "CABLELAB_HUB_ROOT": str(self.root), "CABLELAB_ROSTER": str(self.roster),
               "CABLELAB_HUB_PORT": str(self.port), "CABLELAB_HUB_API_PORT": str(free_port()),
               "CABLELAB_PROXY_API_PORT": str(free_port()), "CABLELAB_USER_PYTHON": python,
               "CABLELAB_USER_PYTHONPATH": pythonpath, "CABLELAB_TEACHERS_GROUP": self.group,
               "CABLELAB_LAB_EXPOSE_APP": "1" if self.expose_app else "0"}
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.root, env=env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub stopped (exit {self.process.returncode}); see {self.log_path}:\n"
                                   + self.log_path.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=5) as response:
                    if response.status == 200 and "version" in json.loads(response.read()):
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"JupyterHub did not answer at {self.url} within {READY_TIMEOUT:g} s; see {self.log_path}")

    # -- stopping

    def user_ids(self) -> set[int]:
        """The ids of the roster's accounts (remembered once stopping began: the accounts may be gone)."""
        if getattr(self, "_uids", None) is not None:
            return self._uids
        ids = set()
        for member in self.members:
            try:
                ids.add(pwd.getpwnam(member.username).pw_uid)
            except KeyError:
                pass
        return ids

    def leftovers(self) -> list[str]:
        """Processes still running under a roster account or below the hub: 'pid user command'."""
        import psutil

        uids = self.user_ids()
        found = []
        for process in psutil.process_iter(["pid", "uids", "cmdline", "username"]):
            try:
                below = process.pid in getattr(self, "_below", set())
                if process.info["uids"] and process.info["uids"].real in uids or below:
                    found.append(f"{process.pid} {process.info['username']} {' '.join(process.info['cmdline'] or [])[:160]}")
            except (psutil.Error, TypeError):
                continue
        return found

    def stop(self) -> None:
        import psutil

        self._below = set(_descendants(self.process.pid)) if self.process else set()
        self._uids = None
        self._uids = self.user_ids()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # JupyterHub stops every server, then the proxy
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        uids = self.user_ids()
        for process in psutil.process_iter(["pid", "uids"]):
            try:
                if process.pid in self._below or (process.info["uids"] and process.info["uids"].real in uids):
                    process.kill()
            except psutil.Error:
                continue
        deadline = time.monotonic() + 30
        while self.leftovers() and time.monotonic() < deadline:
            time.sleep(0.2)
        if getattr(self, "log", None):
            self.log.close()
        if self.remove_users:
            self.delete_accounts()

    def delete_accounts(self) -> None:
        """Remove the roster's accounts made for this run (homes too) and the teachers' group if new."""
        for member in self.members:
            if member.username not in self._existing_users and _exists(member.username):
                subprocess.run(["userdel", "--remove", member.username], capture_output=True)
        if not self._group_existed and _group_exists(self.group):
            subprocess.run(["groupdel", self.group], capture_output=True)

    def __enter__(self) -> "ClassHub":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _exists(username: str) -> bool:
    try:
        pwd.getpwnam(username)
    except KeyError:
        return False
    return True


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start the class hub on 127.0.0.1 (make hub).")
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("CABLELAB_HUB_ROOT", "/srv/cablelab")),
                        help="lessons, the hand-in folder and the hub's state (default /srv/cablelab)")
    parser.add_argument("--roster", type=Path, default=HERE / "roster.csv")
    parser.add_argument("--port", type=int, default=int(os.environ.get("HUB_PORT", "0")) or None,
                        help="the port students open (default: a free one)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("make hub needs root: the hub creates the students' accounts (sudo make hub)", file=sys.stderr)
        return 2
    hub = ClassHub(args.root, args.roster, port=args.port)
    teachers = ", ".join(m.username for m in hub.members if m.teacher)
    with hub:
        print(f"The class hub is running at {hub.url}/ (log: {hub.log_path})")
        print(f"Sign in with a name from {args.roster}; the first password typed for a name becomes its password.")
        print(f"The teacher ({teachers}) finds the dashboard at {hub.url}/user/<teacher>/voila/render/lessons/dashboard.ipynb")
        print("Press Ctrl-C to stop the hub, the proxy and every student's server.")
        try:
            hub.process.wait()
        except KeyboardInterrupt:
            print("Stopping ...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
