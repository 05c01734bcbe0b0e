"""What cablelab adds to a JupyterHub configuration (cablelab.hub.configure), checked without
starting a hub: who may sign in, the folders it prepares, each server's environment.

Needs root (it creates the teachers' group and the hand-in folder); skips without it, but
fails under CI.
"""

from __future__ import annotations

import asyncio
import grp
import json
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from traitlets.config import Config

from cablelab import handout, hub

from conftest import ROOT, need


@pytest.fixture
def configured():
    need(os.geteuid() == 0, "the hub's configuration creates a group and root-owned folders: run as root")
    group = f"hc{secrets.token_hex(2)}-teachers"
    root = Path(tempfile.mkdtemp(prefix="cablelab-hubconf-", dir="/tmp"))
    roster = root / "roster.csv"
    roster.write_text("username,display_name,role\nrivera,Ms. Rivera,teacher\nada,Ada L.,student\nben,Ben K.,\n")
    c = Config()
    try:
        members = hub.configure(c, roster=roster, root=root / "class", checkout=ROOT, group=group,
                                user_python="/usr/bin/python3", user_pythonpath="/opt/cablelab/src")
        yield c, root / "class", members, group
    finally:
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run(["groupdel", group], capture_output=True)


def spawner(name: str):
    return SimpleNamespace(user=SimpleNamespace(name=name), log=SimpleNamespace(info=print, error=print))


def test_the_roster_decides_who_signs_in_and_its_teachers_are_the_admins(configured):
    c, _, members, _ = configured
    assert c.Authenticator.allowed_users == {"rivera", "ada", "ben"}
    assert c.Authenticator.admin_users == {"rivera"} and len(members) == 3


def test_servers_run_the_users_python_and_open_on_their_lessons(configured):
    c, *_ = configured
    assert c.Spawner.cmd == ["/usr/bin/python3", "-m", "jupyterhub.singleuser"]
    assert c.Spawner.default_url == "/lab/tree/lessons"


def test_each_server_saves_in_its_own_folder_and_only_the_teachers_knows_the_class_folder(configured):
    c, root, *_ = configured
    env = {name: {key: value(spawner(name)) for key, value in c.Spawner.environment.items()} for name in ("ada", "rivera")}
    assert env["ada"]["CABLELAB_ANSWERS"] == str(root / "handin" / "ada")
    assert env["ada"]["CABLELAB_HANDIN"] == "" and env["ada"]["CABLELAB_TEACHER"] == "0"
    assert env["rivera"]["CABLELAB_HANDIN"] == str(root / "handin") and env["rivera"]["CABLELAB_TEACHER"] == "1"
    assert env["ada"]["PYTHONPATH"] == "/opt/cablelab/src"
    config = json.loads((Path(env["ada"]["JUPYTER_CONFIG_PATH"]) / "jupyter_server_config.json").read_text())
    overrides = json.loads((Path(config["LabApp"]["app_settings_dir"]) / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert "expose_app_in_browser" not in config["LabApp"]
    assert config["MappingKernelManager"]["cull_idle_timeout"] == 1800


def test_the_student_copies_are_readable_by_all_and_hold_no_teacher_cell(configured):
    _, root, *_ = configured
    lessons = handout.lessons(root / "lessons")
    assert [p.name for p in lessons] == [p.name for p in handout.lessons(ROOT / "notebooks")]
    for path in lessons:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        cells = nbformat.read(path, as_version=4).cells
        assert not any({"teacher", "solution"} & set(cell.metadata.get("tags", [])) for cell in cells)


def test_the_teachers_copies_and_the_dashboard_are_for_the_teachers_group_only(configured):
    _, root, _, group = configured
    teacher = root / "teacher"
    assert (teacher / "dashboard.ipynb").exists()
    info = teacher.stat()
    assert stat.S_IMODE(info.st_mode) == 0o750 and info.st_gid == grp.getgrnam(group).gr_gid
    tagged = [c for c in nbformat.read(teacher / "02_negotiation_points.ipynb", as_version=4).cells
              if "solution" in c.metadata.get("tags", [])]
    assert tagged, "the teacher's copy keeps the model answers"


def test_the_hand_in_folder_is_ready_with_the_roster_for_the_dashboard(configured):
    _, root, _, group = configured
    hand_in = root / "handin"
    assert stat.S_IMODE(hand_in.stat().st_mode) == 0o751 and hand_in.stat().st_gid == grp.getgrnam(group).gr_gid
    assert "rivera,Ms. Rivera,teacher" in (hand_in / "roster.csv").read_text()


def test_a_failed_hand_out_is_logged_and_the_server_still_starts(configured, monkeypatch):
    c, *_ = configured
    errors = []

    async def failing(account, command, env, timeout=0):
        return 2, "no lessons"

    monkeypatch.setattr(hub, "run_as", failing)
    monkeypatch.setattr(hub.handin, "prepare_member", lambda *args, **kwargs: None)
    monkeypatch.setattr(hub.pwd, "getpwnam", lambda name: SimpleNamespace(pw_name=name, pw_dir=f"/home/{name}"))
    probe = SimpleNamespace(user=SimpleNamespace(name="ada"),
                            log=SimpleNamespace(info=print, error=lambda *args: errors.append(args)))
    asyncio.run(c.Spawner.pre_spawn_hook(probe))
    assert errors and "no lessons" in errors[0]
