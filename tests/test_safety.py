"""Safety: the suite cannot reach the network, and document text never becomes markup.

The socket guard is pytest-socket, configured in pyproject.toml's addopts:
``--allow-hosts=127.0.0.0/8,::1,localhost --allow-unix-socket``. In the test process every
``socket.connect`` to another address raises before any packet leaves (the guard closes
the socket instead of connecting); binding, loopback connections (nbclient's kernels,
the browser tests' local servers) and Unix sockets work. Child processes (kernels,
Chromium) are not patched: what they may reach is their own tests' business.
"""

from __future__ import annotations

import http.server
import socket
import threading

import pytest
from pytest_socket import SocketBlockedError, SocketConnectBlockedError

OUTSIDE_V4 = "192.0.2.1"  # TEST-NET-1 (RFC 5737): reserved for documentation, routes nowhere
OUTSIDE_V6 = "2001:db8::1"  # the IPv6 documentation prefix (RFC 3849)


def test_a_connection_to_an_outside_address_is_refused_before_it_is_attempted():
    with pytest.warns(UserWarning, match=OUTSIDE_V4), pytest.raises(SocketConnectBlockedError, match=OUTSIDE_V4):
        socket.create_connection((OUTSIDE_V4, 80), timeout=1)


def test_an_outside_ipv6_address_is_refused_too():
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
        with pytest.warns(UserWarning), pytest.raises(SocketConnectBlockedError, match=OUTSIDE_V6):
            sock.connect((OUTSIDE_V6, 80, 0, 0))


def test_a_local_server_on_loopback_answers_under_the_guard():
    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"cablelab"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        import urllib.request

        for host in ("127.0.0.1", "localhost"):
            url = f"http://{host}:{server.server_address[1]}/"
            with urllib.request.urlopen(url, timeout=10) as reply:
                assert reply.read() == b"cablelab"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_the_library_reads_the_cable_and_builds_every_frame_with_no_socket_at_all(socket_disabled):
    import cablelab
    from cablelab.schema import FRAMES

    with pytest.warns(UserWarning), pytest.raises(SocketBlockedError):
        socket.socket()
    cable = cablelab.read(cablelab.paths.builtin_cable())
    assert cable.metadata["number"] == "1379"
    for name in FRAMES:
        getattr(cable, name)


@pytest.mark.slow
def test_a_notebook_kernel_starts_and_runs_under_the_guard():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    assert notebook.cells[0].outputs[0]["text"].strip() == "42"
