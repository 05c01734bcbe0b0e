"""The roster and the class hand-in folder: who may sign in, and who may read whose answers.

The permission tests create three short-lived system accounts (two students and a teacher)
and a group, and remove them afterwards; they need root (they skip without it, but fail
under CI, where the suite runs as root).
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from cablelab import answers, handin

from conftest import need

GOOD = "username,display_name,role\nms-rivera,Ms. Rivera,teacher\nada,Ada L.,student\nben,Ben K.,\n"


def test_a_roster_lists_each_member_with_a_display_name_and_a_role():
    members = handin.parse_roster(GOOD)
    assert [(m.username, m.display_name, m.role) for m in members] == [
        ("ms-rivera", "Ms. Rivera", "teacher"), ("ada", "Ada L.", "student"), ("ben", "Ben K.", "student")]
    assert [m.teacher for m in members] == [True, False, False]


def test_the_shipped_roster_is_valid_and_has_a_teacher():
    members = handin.read_roster(Path(__file__).resolve().parents[1] / "classroom" / "roster.csv")
    assert any(m.teacher for m in members) and sum(not m.teacher for m in members) >= 2


def test_every_mistake_in_a_roster_is_reported_with_its_line_and_column():
    text = "username,display_name,role\nAda Lovelace,Ada,student\nben,,student\nben,Ben,pupil\nms-r,Ms R,teacher\n"
    with pytest.raises(handin.RosterError) as caught:
        handin.parse_roster(text, "roster.csv")
    message = str(caught.value)
    assert "roster.csv, line 2, column username: 'Ada Lovelace' is not a username" in message
    assert "roster.csv, line 3, column display_name: empty" in message
    assert "roster.csv, line 4, column username: 'ben' is already on line 3" in message
    assert "roster.csv, line 4, column role: 'pupil' is not one of student, teacher" in message


@pytest.mark.parametrize("text, problem", [
    ("name,who\nada,Ada\n", "line 1: the header needs the columns username, display_name"),
    ("username,display_name\nada,Ada\n", "no line has the role teacher"),
])
def test_a_roster_without_its_columns_or_without_a_teacher_is_refused(text, problem):
    with pytest.raises(handin.RosterError, match=problem):
        handin.parse_roster(text)


@pytest.fixture
def accounts():
    """A teacher and two students, as system accounts, and a teachers' group; all removed afterwards."""
    need(os.geteuid() == 0, "creating system accounts needs root")
    run = secrets.token_hex(2)
    names = {"teacher": f"hi{run}t", "ada": f"hi{run}a", "ben": f"hi{run}b"}
    group = f"hi{run}-teachers"
    try:
        for name in names.values():
            subprocess.run(["useradd", "--no-create-home", "--user-group", name], check=True)
        yield names, group
    finally:
        for name in names.values():
            subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        assert not any(_exists(name) for name in names.values())


@pytest.fixture
def open_dir():
    """A folder every account can pass through (pytest's tmp_path sits under a root-only folder)."""
    path = Path(tempfile.mkdtemp(prefix="cablelab-handin-", dir="/tmp"))
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def as_user(name: str, *command: str) -> subprocess.CompletedProcess:
    account = pwd.getpwnam(name)
    return subprocess.run(list(command), user=account.pw_uid, group=account.pw_gid,
                          extra_groups=os.getgrouplist(name, account.pw_gid), capture_output=True, text=True, cwd="/")


def test_each_student_writes_only_their_own_folder_and_the_teacher_reads_every_one(accounts, open_dir):
    names, group = accounts
    tmp_path = open_dir
    members = [handin.Member(names["teacher"], "T", "teacher"), handin.Member(names["ada"], "Ada"),
               handin.Member(names["ben"], "Ben")]
    hand_in = handin.prepare_class(tmp_path / "handin", members, group)
    for member in members:
        handin.prepare_member(hand_in, member.username, teacher=member.teacher, group=group)
    assert names["teacher"] in grp.getgrnam(group).gr_mem
    ada, ben = hand_in / names["ada"], hand_in / names["ben"]
    # Ada saves (as the hub's server would, in her own folder), with the atomic save.
    answers.save(names["ada"], "02-q", "my answer", notebook="02", kind="open", correct=None, where=ada)
    os.chown(ada / f"{names['ada']}.json", pwd.getpwnam(names["ada"]).pw_uid, grp.getgrnam(group).gr_gid)
    mine = ada / f"{names['ada']}.json"

    assert as_user(names["ada"], "cat", str(mine)).returncode == 0
    assert as_user(names["ada"], "touch", str(ada / "scratch")).returncode == 0
    refused = [as_user(names["ben"], "cat", str(mine)), as_user(names["ben"], "ls", str(hand_in)),
               as_user(names["ben"], "ls", str(ada)), as_user(names["ben"], "touch", str(ada / "x.json")),
               as_user(names["ben"], "mkdir", str(hand_in / "someone")),
               as_user(names["ben"], "cat", str(hand_in / handin.ROSTER_COPY))]
    assert all(done.returncode != 0 and "Permission denied" in done.stderr for done in refused), refused
    assert as_user(names["ben"], "touch", str(ben / "x.json")).returncode == 0

    assert answers.read_file(mine)["answers"]["02-q"]["answer"] == "my answer"
    assert json.loads(as_user(names["teacher"], "cat", str(mine)).stdout)["answers"]["02-q"]["answer"] == "my answer"
    assert sorted(as_user(names["teacher"], "ls", str(hand_in)).stdout.split()) == sorted(
        [names["ada"], names["ben"], names["teacher"], handin.ROSTER_COPY])
    assert as_user(names["teacher"], "touch", str(mine)).returncode != 0  # teachers read, never change


def test_preparing_again_keeps_every_answer_and_mends_the_permissions(accounts, tmp_path):
    names, group = accounts
    members = [handin.Member(names["teacher"], "T", "teacher"), handin.Member(names["ada"], "Ada")]
    hand_in = handin.prepare_class(tmp_path / "handin", members, group)
    folder = handin.prepare_member(hand_in, names["ada"], group=group)
    (folder / "kept.json").write_text("{}")
    os.chmod(folder, 0o777)
    again = handin.prepare_member(hand_in, names["ada"], group=group)
    assert (again / "kept.json").read_text() == "{}"
    assert oct(os.stat(again).st_mode & 0o7777) == oct(handin.MEMBER_MODE)
    assert handin.class_roster(hand_in) == members


def test_a_hand_in_folder_that_is_a_link_is_refused(accounts, tmp_path):
    names, group = accounts
    members = [handin.Member(names["teacher"], "T", "teacher")]
    hand_in = handin.prepare_class(tmp_path / "handin", members, group)
    (hand_in / names["ada"]).symlink_to("/etc")
    with pytest.raises(RuntimeError, match="is not a folder"):
        handin.prepare_member(hand_in, names["ada"], group=group)
