"""The suite on a class hub: what JupyterHub's configuration adds for cablelab.

``configure(c, ...)`` is called from ``classroom/jupyterhub_config.py`` (one class on one
server) and from the fragment a teacher drops into The Littlest JupyterHub's
``jupyterhub_config.d/``. It does not choose the spawner, the authenticator or the proxy;
it adds, on top of them:

- who may sign in: the roster's members, its teachers as the hub's admins;
- at hub start: the student copies of the lessons in a folder every account can read
  (``build/student/`` when ``make student`` wrote it, else made from ``notebooks/`` by
  ``cablelab.handout.student_copies``), and the class hand-in folder (``cablelab.handin``);
- when a server starts (``pre_spawn_hook``, as root): the person's own hand-in folder, then
  the hand-out, run as that person: the lessons copied into ``~/lessons`` once, never over
  their edits; a teacher gets the teacher's notebooks and the class dashboard instead;
- each server's environment: answers saved in the person's own hand-in folder under their
  hub name (``CABLELAB_ANSWERS``; ``cablelab.answers.own_name`` refuses any other name), the
  teacher's server also knowing the hand-in folder (``CABLELAB_HANDIN``) and in teacher mode.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import shutil
import sys
from pathlib import Path
from typing import Any, Callable

from cablelab import handin, handout

#: Where the students' copies of the lessons go, in their home.
LESSONS_FOLDER = "lessons"
DASHBOARD = "dashboard.ipynb"
HANDOUT_TIMEOUT = 120.0


def lessons_for_class(checkout: Path, out_dir: Path) -> Path:
    """The folder of student copies the hub hands out, readable by every account.

    ``build/student/`` when ``make student`` has written it; otherwise the copies are made
    here from ``notebooks/`` (teacher and solution cells removed, outputs stripped).
    """
    built = checkout / "build" / "student"
    out_dir.mkdir(parents=True, exist_ok=True)
    if handout.lessons(built):
        for stale in handout.lessons(out_dir):
            stale.unlink()
        for lesson in handout.lessons(built):
            shutil.copyfile(lesson, out_dir / lesson.name)
    else:
        handout.student_copies(checkout / "notebooks", out_dir)
    _open_to_all(out_dir)
    return out_dir


def teacher_materials(checkout: Path, dashboard: Path, out_dir: Path) -> Path:
    """The teacher's hand-out: the lessons as they are in ``notebooks/``, and the dashboard."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for lesson in handout.lessons(checkout / "notebooks"):
        shutil.copyfile(lesson, out_dir / lesson.name)
    shutil.copyfile(dashboard, out_dir / DASHBOARD)
    os.chmod(out_dir, 0o750)
    return out_dir


def _open_to_all(folder: Path) -> None:
    os.chmod(folder, 0o755)
    for path in folder.iterdir():
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def server_config(folder: Path, expose_app: bool = False) -> Path:
    """A Jupyter configuration folder for the students' servers: JupyterLab without its news
    prompt or update checks (a class needs neither), idle kernels stopped. `expose_app` makes JupyterLab's app
    object reachable from the page's scripts, as its own browser tests need."""
    settings = folder / "lab-settings"
    settings.mkdir(parents=True, exist_ok=True)
    # The defaults every student starts with (their own changes still win): no news prompt.
    overrides = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}
    (settings / "overrides.json").write_text(json.dumps(overrides, indent=1))
    lab = {"news_url": None, "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
           "app_settings_dir": str(settings)}
    if expose_app:
        lab["expose_app_in_browser"] = True
    # A kernel left idle for 30 minutes (a notebook closed without shutting it down) is stopped:
    # each holds its own pandas, matplotlib and cable, and a class opens many. Its notebook and
    # saved answers stay.
    kernels = {"cull_idle_timeout": 1800, "cull_interval": 300, "cull_connected": False}
    (folder / "jupyter_server_config.json").write_text(
        json.dumps({"LabApp": lab, "MappingKernelManager": kernels}, indent=1))
    _open_to_all(folder)
    _open_to_all(settings)
    return folder


def _environment(hand_in: Path, teachers: set[str]) -> dict[str, Callable[[Any], str]]:
    """Per-server environment variables, as callables JupyterHub calls with the spawner."""
    return {
        "CABLELAB_ANSWERS": lambda spawner: str(handin.member_folder(hand_in, spawner.user.name)),
        "CABLELAB_HANDIN": lambda spawner: str(hand_in) if spawner.user.name in teachers else "",
        "CABLELAB_TEACHER": lambda spawner: "1" if spawner.user.name in teachers else "0",
        # The name box of lessons that predate the identity rule reads this; answers.own_name
        # enforces the rule whatever a kernel is told.
        "CABLELAB_STUDENT": lambda spawner: spawner.user.name,
    }


async def run_as(account: pwd.struct_passwd, command: list[str], env: dict[str, str],
                 timeout: float = HANDOUT_TIMEOUT) -> tuple[int, str]:
    """Run `command` as `account` (uid, gid and groups), in its home; (exit status, output)."""
    groups = os.getgrouplist(account.pw_name, account.pw_gid)
    process = await asyncio.create_subprocess_exec(
        *command, cwd=account.pw_dir, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        user=account.pw_uid, group=account.pw_gid, extra_groups=groups, start_new_session=True,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        return -9, f"did not finish in {timeout:g} s"
    return process.returncode, output.decode("utf-8", "replace").strip()


def configure(c: Any, *, roster: str | os.PathLike[str], root: str | os.PathLike[str],
              checkout: str | os.PathLike[str], user_python: str | None = None,
              user_pythonpath: str = "", group: str = handin.DEFAULT_GROUP,
              system_user: Callable[[str], str] = lambda name: name,
              ensure_account: Callable[[str], Any] | None = None, expose_app: bool = False) -> list[handin.Member]:
    """Add the suite to a JupyterHub configuration `c`; returns the roster's members.

    `root` holds what every account may read (``lessons/``, the student copies) and the
    hand-in folder (``handin/``); `checkout` is the cablelab checkout (its ``notebooks/``,
    ``build/student/`` and ``classroom/dashboard.ipynb``). `user_python` is the Python the
    servers run with (default: this one); `user_pythonpath` is put on their PYTHONPATH.
    `system_user` maps a hub name to the account its server runs as; `ensure_account`, when
    given, is called with that account's name before the server starts, for a hub whose
    spawner creates accounts only as it starts them (The Littlest JupyterHub). `expose_app`:
    see ``server_config`` (for browser tests).
    Needs root: it creates the teachers' group and the hand-in folder.
    """
    members = handin.read_roster(roster)
    root, checkout = Path(root), Path(checkout)
    teachers = {m.username for m in members if m.teacher}
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    lessons = lessons_for_class(checkout, root / "lessons")
    teacher_copy = teacher_materials(checkout, checkout / "classroom" / DASHBOARD, root / "teacher")
    hand_in = handin.prepare_class(root / "handin", members, group)
    gid = handin.ensure_group(group)
    os.chown(teacher_copy, 0, gid)
    for path in teacher_copy.iterdir():
        os.chown(path, 0, gid)
        os.chmod(path, 0o640)
    python = user_python or sys.executable

    c.Authenticator.allowed_users = {m.username for m in members}
    c.Authenticator.admin_users = teachers
    c.Spawner.cmd = [python, "-m", "jupyterhub.singleuser"]
    c.Spawner.default_url = f"/lab/tree/{LESSONS_FOLDER}"
    config = server_config(root / "jupyter-config", expose_app)
    base_env = {"PATH": f"{Path(python).parent}:/usr/local/bin:/usr/bin:/bin", "JUPYTER_CONFIG_PATH": str(config),
                **({"PYTHONPATH": user_pythonpath} if user_pythonpath else {})}
    c.Spawner.environment = {**{key: (lambda value: lambda spawner: value)(value) for key, value in base_env.items()},
                             **_environment(hand_in, teachers)}

    async def pre_spawn_hook(spawner: Any) -> None:
        name = spawner.user.name
        teacher = name in teachers
        if ensure_account is not None:
            ensure_account(system_user(name))
        account = pwd.getpwnam(system_user(name))
        handin.prepare_member(hand_in, name, teacher=teacher, group=group, system_user=account.pw_name)
        source = teacher_copy if teacher else lessons
        env = {**base_env, "HOME": account.pw_dir, "USER": account.pw_name, "LANG": "C.UTF-8"}
        status, output = await run_as(
            account, [python, "-m", "cablelab.handout", "--from", str(source), "--to",
                      str(Path(account.pw_dir) / LESSONS_FOLDER)], env)
        if status != 0:
            spawner.log.error("cablelab hand-out for %s failed (%s): %s", name, status, output)
        else:
            spawner.log.info("cablelab hand-out for %s: %s", name, output)

    c.Spawner.pre_spawn_hook = pre_spawn_hook
    return members
