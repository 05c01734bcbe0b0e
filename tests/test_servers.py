"""The server helpers of the browser tests stop everything they start, on failure too."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest
from servers import alive, descendants, describe, free_port, jupyter_lab, orphans, voila

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "browser" / "widget_and_chart.ipynb"


def start_kernel(server) -> int:
    """Start a kernel through the REST API; returns the kernel process's pid."""
    request = urllib.request.Request(
        f"{server.url}/api/kernels", method="POST", data=b"{}",
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        kernel_id = json.load(response)["id"]
    kernels = [pid for pid in descendants(server.process.pid) if "ipykernel" in describe(pid)]
    assert kernels, f"kernel {kernel_id} has no process below the server"
    return kernels[0]


def test_a_free_port_is_on_loopback_and_nobody_listens_there():
    import socket

    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_jupyterlab_and_its_kernels_stop_when_the_block_fails(tmp_path):
    (tmp_path / "root").mkdir()
    with pytest.raises(RuntimeError, match="a failing test"):
        with jupyter_lab(tmp_path / "root", home=tmp_path / "home") as lab:
            server_pid = lab.process.pid
            kernel_pid = start_kernel(lab)
            assert alive(kernel_pid)
            raise RuntimeError("a failing test")
    assert not alive(server_pid)
    assert not alive(kernel_pid)
    assert not orphans()


def test_voila_stops_with_the_kernel_it_ran_the_notebook_in(tmp_path):
    notebook = tmp_path / "widget_and_chart.ipynb"
    shutil.copy2(FIXTURE, notebook)
    with voila(notebook, home=tmp_path / "home") as app:
        with urllib.request.urlopen(app.page_url(""), timeout=120) as response:
            page = response.read().decode()
        kernels = [pid for pid in descendants(app.process.pid) if "ipykernel" in describe(pid)]
        server_pid = app.process.pid
    assert "import ipywidgets" not in page, "Voila showed the notebook's code"
    assert kernels, "Voila ran no kernel"
    assert not alive(server_pid)
    assert not any(alive(pid) for pid in kernels)
    assert not orphans()
