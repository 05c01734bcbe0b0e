"""The class list and the class hand-in folder of a hub.

The roster (``classroom/roster.csv``) lists who may sign in: ``username``, ``display_name``
and, optionally, ``role`` (``student``, the default, or ``teacher``). A mistake is reported
with the file, line and column, like every file a teacher edits.

The hand-in folder holds one folder per person, where their answers are saved::

    handin/                 root:<teachers>  drwxr-x--x   students pass through, cannot list
      roster.csv            root:<teachers>  -rw-r-----   the class list, for the dashboard
      ada/                  ada:<teachers>   drwxr-s---   only ada writes; teachers read
        ada.json            ada:<teachers>   -rw-r--r--   (unreadable to others: they cannot enter ada/)

As in nbgrader's exchange, the permissions do the work, not the code: a student's process
can neither list the hand-in folder nor enter another student's folder, so it cannot read or
change anyone else's answers; the folders are made by the hub (root), so no student can take
another's name first; files made in a folder get its group (the set-group-ID bit), so the
teachers' group reads every answer without being able to change one. Saving inside a
folder is ``cablelab.answers``' atomic, locked save, unchanged.

``prepare_class`` and ``prepare_member`` need root (the hub runs them); ``read_roster``
and ``class_roster`` do not.
"""

from __future__ import annotations

import csv
import grp
import io
import os
import pwd
import re
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROLES = ("student", "teacher")
COLUMNS = ("username", "display_name", "role")
#: What Debian's adduser accepts by default, and what JupyterHub keeps as typed (lowercase).
USERNAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
DEFAULT_GROUP = "cablelab-teachers"
ROSTER_COPY = "roster.csv"
HANDIN_MODE = 0o751       # rwx for root, r-x for teachers, --x for everyone else
MEMBER_MODE = 0o2750      # rwx for the owner, r-x for teachers, nothing for others; setgid
ROSTER_MODE = 0o640


class RosterError(ValueError):
    """A roster file that cannot be used; the message names the file, line and column."""


@dataclass(frozen=True, slots=True)
class Member:
    """One line of the roster."""

    username: str
    display_name: str
    role: str = "student"

    @property
    def teacher(self) -> bool:
        return self.role == "teacher"


def parse_roster(text: str, source: str = "roster.csv") -> list[Member]:
    """The members listed in a roster's text; every problem is reported at once."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in COLUMNS[:2] if name not in header]
    if missing:
        raise RosterError(f"{source}, line 1: the header needs the columns {', '.join(COLUMNS[:2])} "
                          f"(and optionally role); found {', '.join(header) or 'nothing'}")
    problems, members, seen = [], [], {}
    for line, row in enumerate(reader, start=2):
        row = {(key or "").strip(): (value or "").strip() for key, value in row.items() if key}
        if not any(row.values()):
            continue
        username, display = row.get("username", ""), row.get("display_name", "")
        role = row.get("role", "") or "student"
        if not USERNAME.match(username):
            problems.append(f"{source}, line {line}, column username: {username!r} is not a username "
                            "(lowercase letters, digits, '-' and '_', starting with a letter, at most 32)")
        elif username in seen:
            problems.append(f"{source}, line {line}, column username: {username!r} is already on line {seen[username]}")
        else:
            seen[username] = line
        if not display:
            problems.append(f"{source}, line {line}, column display_name: empty (the name the teacher sees)")
        if role not in ROLES:
            problems.append(f"{source}, line {line}, column role: {role!r} is not one of {', '.join(ROLES)}")
        members.append(Member(username, display, role))
    if not problems and not any(member.teacher for member in members):
        problems.append(f"{source}: no line has the role teacher (the teacher signs in as the hub's admin)")
    if not problems and not members:
        problems.append(f"{source}: lists nobody")
    if problems:
        raise RosterError("\n".join(problems))
    return members


def read_roster(path: str | os.PathLike[str]) -> list[Member]:
    """The members listed in a roster file (see ``parse_roster``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise RosterError(f"{path}: not UTF-8 text (byte {err.start}); save it as CSV UTF-8") from None
    return parse_roster(text, str(path))


def class_roster(handin: str | os.PathLike[str]) -> list[Member]:
    """The roster the hub copied into the hand-in folder ([] when there is none)."""
    path = Path(handin) / ROSTER_COPY
    return read_roster(path) if path.exists() else []


def member_folder(handin: str | os.PathLike[str], username: str) -> Path:
    """The folder where `username`'s answers are saved."""
    if not USERNAME.match(username):
        raise ValueError(f"not a hub username: {username!r}")
    return Path(handin) / username


# ---------------------------------------------------------------- as root, on the hub


def ensure_group(name: str = DEFAULT_GROUP) -> int:
    """The id of the teachers' group, created (as a system group) when missing."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        subprocess.run(["groupadd", "--system", name], check=True, capture_output=True, text=True)
        return grp.getgrnam(name).gr_gid


def _write_roster(path: Path, members: list[Member], gid: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows((m.username, m.display_name, m.role) for m in members)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    os.chown(tmp, 0, gid)
    os.chmod(tmp, ROSTER_MODE)
    os.replace(tmp, path)


def prepare_class(handin: str | os.PathLike[str], members: list[Member], group: str = DEFAULT_GROUP) -> Path:
    """Create the hand-in folder (root-owned, teachers may list it, students only pass
    through) and copy the roster into it for the dashboard. Safe to run at every hub start."""
    handin = Path(handin)
    gid = ensure_group(group)
    handin.mkdir(parents=True, exist_ok=True)
    info = os.lstat(handin)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise RuntimeError(f"{handin} is not a folder")
    os.chown(handin, 0, gid)
    os.chmod(handin, HANDIN_MODE)
    _write_roster(handin / ROSTER_COPY, members, gid)
    return handin


def prepare_member(handin: str | os.PathLike[str], username: str, *, teacher: bool = False,
                   group: str = DEFAULT_GROUP, system_user: str | None = None) -> Path:
    """Make `username`'s own folder in the hand-in folder (theirs, the teachers' group reads it)
    and, for a teacher, add them to the teachers' group. Existing answers are left untouched.

    `system_user` is the account their server runs as (the hub name unless the hub maps
    names, as The Littlest JupyterHub does with ``jupyter-<name>``).
    """
    account = pwd.getpwnam(system_user or username)
    gid = ensure_group(group)
    if teacher and account.pw_name not in grp.getgrgid(gid).gr_mem:
        subprocess.run(["usermod", "--append", "--groups", group, account.pw_name],
                       check=True, capture_output=True, text=True)
    folder = member_folder(handin, username)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise RuntimeError(f"{folder} is not a folder")
    os.chown(folder, account.pw_uid, gid)
    os.chmod(folder, MEMBER_MODE)
    return folder
