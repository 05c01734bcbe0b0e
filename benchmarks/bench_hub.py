"""A class on one hub under load: ten students' servers at once, each changing a widget every second.

The class hub of ``make hub`` (JupyterHub, configurable-http-proxy, one server per student
started by the LocalProcessSpawner, on loopback) with a roster of a teacher and ten
students. Each student signs in through the login form, starts a server and a kernel, runs
every code cell of their copy of lesson 02 (as *Run All* does) and shows its points
explorer (``cablelab.widgets.points_explorer``). One student does this alone first, then
the nine others all at once. Then for a minute, all at once, each student changes its topic menu once a second, exactly as
JupyterLab does: a ``comm_msg`` "update" of the Dropdown's state sent through the proxy to
the kernel. The time measured is from sending that message to receiving, back through the
proxy, the kernel's update of the view (the ``figure_view`` HTML, the redrawn chart): the
time a student waits, less the browser's drawing, which runs on the student's machine.

Rows:
- lesson 02 run by nine students at once (sign-in and server start excluded): the wall
  time, against one student alone; the note gives the CPU seconds one run costs;
- median and 95th percentile of value set -> redrawn view, ten students at once; the
  baseline is one student alone on the same hub, measured first in the same run;
- memory per student server after the lesson and the minute: the server and its kernel,
  proportional set size (shared pages split among the processes that share them), median
  over the ten;
- CPU per student: the cores their processes used during the minute (CPU seconds / 60 s).

The note of each row says what a class of thirty would need from it. Needs root (it
creates the eleven accounts, and removes them) and configurable-http-proxy (npm ci).

    python benchmarks/bench_hub.py        # runs alone, prints its rows
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "classroom"))
sys.path.insert(0, str(ROOT / "src"))

STUDENTS = 10
SECONDS = 60.0
ALONE_CHANGES = 20
PASSWORD = "load-test-1962"
CLASS = 30
LESSON = "lessons/02_negotiation_points.ipynb"
SETUP = (
    "explorer = cablelab.widgets.points_explorer(cable)\n"
    "display(explorer)\n"
    "print(explorer.topic.model_id, explorer.figure_view.model_id, len(explorer.topic.options))\n"
)


def skipped(note: str) -> list[dict]:
    return [{"name": "class hub, 10 students: value set -> view redrawn", "value": None, "unit": "ms",
             "baseline": None, "ratio": None, "target": None, "note": note}]


class Student:
    """A signed-in student with the points explorer shown in their kernel."""

    def __init__(self, client) -> None:
        self.client = client
        self.control = self.view = ""
        self.options = 0
        self.times: list[float] = []
        self.lesson_seconds = 0.0

    async def sign_in(self) -> None:
        await self.client.sign_in()
        await self.client.start_server()
        await self.client.open_kernel()

    async def run_lesson(self) -> None:
        """Every code cell of their copy of lesson 02, then the explorer shown."""
        started = time.perf_counter()
        cells = (await self.client.get(f"contents/{LESSON}")).json()["content"]["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                await self.client.run(cell["source"])
        self.lesson_seconds = time.perf_counter() - started
        self.control, self.view, options = (await self.client.run(SETUP)).split()
        self.options = int(options)

    async def change(self, index: int) -> float:
        """Set the topic menu to `index` as the front end does; seconds until the redrawn view arrives."""
        started = time.perf_counter()
        msg_id = await self.client.send("comm_msg", {"comm_id": self.control, "data": {
            "method": "update", "state": {"index": index}, "buffer_paths": []}})
        while True:
            message = await self.client.receive()
            if message is None:
                raise RuntimeError(f"{self.client.username}: the kernel's connection closed")
            content = message.get("content", {})
            if (message["header"]["msg_type"] == "comm_msg" and content.get("comm_id") == self.view
                    and message.get("parent_header", {}).get("msg_id") == msg_id
                    and "value" in content.get("data", {}).get("state", {})):
                return time.perf_counter() - started

    async def every_second(self, until: float, offset: float) -> None:
        await asyncio.sleep(offset)
        index = 0
        while time.monotonic() < until:
            tick = time.monotonic()
            index = (index + 1) % self.options
            self.times.append(await self.change(index))
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))


def memory_and_cpu(uids: dict[str, int]) -> tuple[dict[str, float], dict[str, float]]:
    """Per student: MB of proportional set size of all their processes, and CPU seconds used so far."""
    import psutil

    memory = {name: 0.0 for name in uids}
    cpu = {name: 0.0 for name in uids}
    by_uid = {uid: name for name, uid in uids.items()}
    for process in psutil.process_iter(["uids"]):
        try:
            name = by_uid.get(process.info["uids"].real if process.info["uids"] else -1)
            if name is None:
                continue
            memory[name] += process.memory_full_info().pss / 2**20
            times = process.cpu_times()
            cpu[name] += times.user + times.system
        except psutil.Error:
            continue
    return memory, cpu


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def session(hub) -> dict:
    import pwd

    from hubclient import HubStudent

    students = [Student(HubStudent(hub.url, m.username, PASSWORD)) for m in hub.members if not m.teacher]
    # One alone first: the baselines.
    await students[0].sign_in()
    await students[0].run_lesson()
    alone = [await students[0].change(i % students[0].options) for i in range(1, ALONE_CHANGES + 1)]
    others = students[1:]
    await asyncio.gather(*(student.sign_in() for student in others))
    uids = {s.client.username: pwd.getpwnam(s.client.username).pw_uid for s in students}
    _, cpu_start = memory_and_cpu(uids)
    started = time.monotonic()
    await asyncio.gather(*(student.run_lesson() for student in others))
    together = time.monotonic() - started
    _, cpu_before = memory_and_cpu(uids)
    lesson_cpu = statistics.median(cpu_before[s.client.username] - cpu_start[s.client.username] for s in others)
    started = time.monotonic()
    until = started + SECONDS
    await asyncio.gather(*(s.every_second(until, offset=n / len(students)) for n, s in enumerate(students)))
    elapsed = time.monotonic() - started
    memory, cpu_after = memory_and_cpu(uids)
    for student in students:
        await student.client.close()
    return {"alone": alone, "times": [t for s in students for t in s.times], "memory": memory,
            "cpu": {name: (cpu_after[name] - cpu_before[name]) / elapsed for name in uids},
            "lesson_alone": students[0].lesson_seconds, "lesson_together": together, "lesson_cpu": lesson_cpu,
            "together": len(others)}


def measure() -> list[dict]:
    from serve import ClassHub

    if os.geteuid() != 0:
        return skipped("needs root: the benchmark creates the students' accounts")
    if not (ROOT / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        return skipped("configurable-http-proxy is not installed (npm ci)")
    run = secrets.token_hex(2)
    work = Path(tempfile.mkdtemp(prefix="cablelab-bench-hub-", dir="/tmp"))
    os.chmod(work, 0o755)
    roster = work / "roster.csv"
    roster.write_text("username,display_name,role\n" + f"b{run}t,Teacher,teacher\n"
                      + "".join(f"b{run}s{n},Student {n},student\n" for n in range(1, STUDENTS + 1)))
    try:
        with ClassHub(work / "hub", roster, remove_users=True, group=f"b{run}-teachers") as hub:
            result = asyncio.run(session(hub))
            hub_memory = _hub_memory(hub)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows(result, hub_memory)


def _hub_memory(hub) -> float:
    """MB (PSS) of the hub and its proxy."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(hub.process.pid)
        for process in [root, *root.children(recursive=True)]:
            if process.uids().real == 0:
                total += process.memory_full_info().pss / 2**20
    except psutil.Error:
        pass
    return total


def rows(result: dict, hub_memory: float) -> list[dict]:
    times = [t * 1000 for t in result["times"]]
    alone = [t * 1000 for t in result["alone"]]
    median, p95 = statistics.median(times), percentile(times, 0.95)
    alone_median, alone_p95 = statistics.median(alone), percentile(alone, 0.95)
    memory = statistics.median(result["memory"].values())
    cpu = statistics.median(result["cpu"].values())
    load = f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    alone_lesson, together = result["lesson_alone"], result["lesson_together"]
    return [
        {"name": f"class hub, lesson 02 Run All by {result['together']} students at once", "value": round(together, 1),
         "unit": "s", "baseline": round(alone_lesson, 1), "ratio": round(together / alone_lesson, 2),
         "target": "<= 120 s", "note": f"baseline: one student alone; one run costs {result['lesson_cpu']:.1f} CPU s "
                                       f"(server + kernel): {CLASS} at once on {os.cpu_count()} cores, about "
                                       f"{CLASS * result['lesson_cpu'] / os.cpu_count():.0f} s"},
        {"name": "class hub, 10 students at once: widget value set -> view redrawn, median", "value": round(median, 1),
         "unit": "ms", "baseline": round(alone_median, 1), "ratio": round(median / alone_median, 2),
         "target": "<= 250 ms", "note": f"{len(times)} changes, one per student per second for {SECONDS:.0f} s; "
                                        f"baseline: one student alone; {load}"},
        {"name": "class hub, 10 students at once: widget value set -> view redrawn, 95th percentile",
         "value": round(p95, 1), "unit": "ms", "baseline": round(alone_p95, 1), "ratio": round(p95 / alone_p95, 2),
         "target": "<= 500 ms", "note": f"max {max(times):.0f} ms"},
        {"name": "class hub: memory per student server after lesson 02 (server + kernel, PSS)", "value": round(memory),
         "unit": "MB", "baseline": None, "ratio": None, "target": "<= 400 MB",
         "note": f"range {min(result['memory'].values()):.0f}-{max(result['memory'].values()):.0f} MB; hub and proxy "
                 f"{hub_memory:.0f} MB; a class of {CLASS}: about {(CLASS * memory + hub_memory) / 1024:.1f} GB"},
        {"name": "class hub: CPU per student changing a widget each second", "value": round(cpu, 3),
         "unit": "cores", "baseline": None, "ratio": None, "target": None,
         "note": f"a class of {CLASS} doing the same: about {CLASS * cpu:.1f} cores"},
    ]


if __name__ == "__main__":
    for row in measure():
        print(f"{row['name']}: {row['value']} {row['unit']} (baseline {row['baseline']}, ratio {row['ratio']}, "
              f"target {row['target']}; {row.get('note', '')})")
