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
import json
import socket
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pytest_socket import SocketBlockedError, SocketConnectBlockedError

from conftest import need

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
    import nbformat
    import nbclient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    assert notebook.cells[0].outputs[0]["text"].strip() == "42"


# --- document text never becomes markup ----------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
RAW = ("<script>alert", "<img src=x", "onerror=alert(1)>")


def hostile_text() -> str:
    """The seed with both payloads in a paragraph, a point, a sentence naming actors and a footnote."""
    from cablelab.paths import builtin_cable

    text = builtin_cable().read_text(encoding="utf-8")
    edits = [
        ("Hope you can probe Mikoyan re his talks in Havana.",
         f"Hope you can probe Mikoyan re his talks in Havana {SCRIPT} {IMG} tonight."),
        ("(c) Soviet protocol categorically unacceptable;", f"(c) Soviet protocol {SCRIPT} categorically {IMG} unacceptable;"),
        ("Believe Yost should discuss this with Narasimhan", f"Believe Yost {SCRIPT} should discuss this with Narasimhan {IMG}"),
        ("3 Document 207. Back", f"3 Document 207. {SCRIPT} {IMG} Back"),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def hostile():
    import cablelab

    return cablelab.read(hostile_text())


def test_the_hostile_cable_keeps_its_shape_and_its_payloads_as_plain_text(hostile):
    assert hostile.metadata["number"] == "1379"
    assert hostile.paragraphs["paragraph"].dropna().tolist() == [1, 2, 3, 4, 5]
    assert len(hostile.points) == 10 and len(hostile.footnotes) == 5
    paragraph_4 = hostile.paragraphs.set_index("paragraph").loc[4, "text"]
    assert SCRIPT in paragraph_4 and IMG in paragraph_4
    assert SCRIPT in hostile.points.set_index("ref").loc["3(c)", "text"]
    assert IMG in hostile.footnotes.set_index("number").loc[3, "text"]
    named = hostile.mentions[hostile.mentions["surface"].isin(["Yost", "Narasimhan"])]
    assert named["sentence"].str.contains(SCRIPT, regex=False).all() and len(named) == 2


def html_surfaces(widget) -> list[str]:
    """Every piece of HTML a widget tree shows now: HTML views, Panel fallbacks, HTML descriptions."""
    import ipywidgets

    found, seen, pending = [], set(), [widget]
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (ipywidgets.HTML, ipywidgets.HTMLMath)):
            found.append(item.value)
        if getattr(item, "description_allow_html", False):
            found.append(item.description)
        if hasattr(item, "fallback_html"):
            found.append(item.fallback_html())
        if isinstance(item, ipywidgets.Output):
            found += [str(out.get("data", {}).get("text/html", "")) for out in item.outputs]
        pending.extend(getattr(item, "children", ()))
    return found


def selections(widget) -> list:
    """Every choosing control in a widget tree (dropdowns, tabs, stacks' selectors)."""
    import ipywidgets

    found, pending = [], [widget]
    while pending:
        item = pending.pop()
        if isinstance(item, (ipywidgets.Dropdown, ipywidgets.Select, ipywidgets.RadioButtons, ipywidgets.ToggleButtons)):
            found.append(item)
        if isinstance(item, ipywidgets.Tab):
            found.append(item)
        pending.extend(getattr(item, "children", ()))
    return found


def every_view(widget) -> str:
    """All the HTML a reader can reach: each option of each control chosen in turn."""
    import ipywidgets

    shown = html_surfaces(widget)
    for control in selections(widget):
        if isinstance(control, ipywidgets.Tab):
            for index in range(len(control.children)):
                control.selected_index = index
                shown += html_surfaces(widget)
        else:
            for index in range(len(control.options)):
                control.index = index
                shown += html_surfaces(widget)
    return "\n".join(shown)


def assert_shown_as_text(markup: str, payloads: tuple[str, ...] = (SCRIPT_ESCAPED, IMG_ESCAPED)) -> None:
    for raw in RAW:
        assert raw not in markup, f"raw {raw!r} reached the HTML"
    for escaped in payloads:
        assert escaped in markup, f"{escaped!r} is not shown"


WIDGETS = {
    "paragraph_reader": lambda w, cable: w.paragraph_reader(cable),
    "points_explorer": lambda w, cable: w.points_explorer(cable),
    "actor_cards": lambda w, cable: w.actor_cards(cable),
    "explorer": lambda w, cable: w.explorer(cable),
    "static_explorer(paragraph)": lambda w, cable: w.static_explorer(cable, "paragraph"),
    "static_explorer(point)": lambda w, cable: w.static_explorer(cable, "point"),
    "static_explorer(actor)": lambda w, cable: w.static_explorer(cable, "actor"),
}
# Views that show dates, not sentences: the payload's sentence is dated ('tonight'), and must
# not become markup there either, though it need not be shown.
DATE_WIDGETS = {
    "timeline_explorer": lambda w, cable: w.timeline_explorer(cable),
    "static_explorer(date)": lambda w, cable: w.static_explorer(cable, "date"),
}


@pytest.mark.parametrize("make", WIDGETS.values(), ids=WIDGETS.keys())
def test_a_widget_shows_script_and_img_tags_from_the_document_as_text(hostile, make):
    import cablelab.widgets as widgets
    assert_shown_as_text(every_view(make(widgets, hostile)))


@pytest.mark.parametrize("make", DATE_WIDGETS.values(), ids=DATE_WIDGETS.keys())
def test_a_date_widget_never_turns_a_dated_sentence_into_markup(hostile, make):
    import cablelab.widgets as widgets
    assert hostile.dates["sentence"].str.contains(SCRIPT, regex=False).any()
    assert_shown_as_text(every_view(make(widgets, hostile)), payloads=())


class Markup(HTMLParser):
    """What a browser would make of a page: elements, scripts (with their type) and visible text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._script: tuple[str, list[str]] | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script = (dict(attrs).get("type") or "text/javascript", [])

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def handle_data(self, data):
        (self._script[1] if self._script else self.text).append(data)


def assert_page_shows_payloads_as_text(markup: str) -> None:
    """No element from the payloads, no script running them; both readable as text.

    Embedded widget state (JSON in a script element) is checked too: every HTML view it
    holds is itself parsed, since the widget renderer turns those strings into elements.
    """
    page = Markup(markup)
    assert not [attrs for tag, attrs in page.elements if tag == "img" and "onerror" in attrs]
    code = [body for kind, body in page.scripts if "json" not in kind]
    assert not [body for body in code if "alert(1)" in body]
    text = "".join(page.text)
    assert SCRIPT in text and IMG in text
    for kind, body in page.scripts:
        if kind == "application/vnd.jupyter.widget-state+json":
            for model in json.loads(body)["state"].values():
                if model.get("model_name") in {"HTMLModel", "HTMLMathModel"}:
                    view = Markup(model["state"].get("value", ""))
                    assert not [a for tag, a in view.elements if tag == "img" and "onerror" in a]
                    assert not [tag for tag, _ in view.elements if tag == "script"]


HOSTILE_NOTEBOOK = [
    ("markdown", "# A hostile document"),
    ("code", "import cablelab\nfrom cablelab import widgets\ncable = cablelab.read('hostile.txt')"),
    ("code", "cable.paragraphs[['paragraph', 'text']]"),
    ("code", "print(cable.footnotes.loc[2, 'text'])"),
    ("code", "widgets.paragraph_reader(cable)"),
    ("code", "widgets.static_explorer(cable, 'paragraph')"),
]


@pytest.mark.slow
def test_exported_slides_and_pages_show_the_payloads_as_text(tmp_path):
    import cablelab.export as export
    import nbformat
    (tmp_path / "hostile.txt").write_text(hostile_text(), encoding="utf-8")
    make = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    notebook = nbformat.v4.new_notebook(cells=[make[kind](source) for kind, source in HOSTILE_NOTEBOOK])
    path = tmp_path / "hostile.ipynb"
    nbformat.write(notebook, path)
    executed = export.execute(path)
    (tmp_path / "slides").mkdir()
    pages = [
        export.render_slides(executed, "hostile", tmp_path / "slides").path,
        export.render_page(executed, "hostile", tmp_path / "site", "student", "_assets").path,
    ]
    for page in pages:
        assert_page_shows_payloads_as_text(page.read_text(encoding="utf-8"))


# --- XML (TEI) sources ---------------------------------------------------------------------

TEI_HEAD = '<?xml version="1.0"?>\n<!DOCTYPE TEI [\n{entities}]>\n'
TEI_BODY = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document" xml:id="d1">'
    "<head>Telegram From the Department of State to the Mission to the United Nations</head>"
    "<dateline>Washington, November 26, 1962, 9:28 p.m.</dateline><p>1379. Secret: {text} end.</p>"
    "</div></body></text></TEI>\n"
)


def test_an_xml_entity_bomb_is_refused_as_not_well_formed_within_a_second():
    entities = '<!ENTITY a "aaaaaaaaaa">\n' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9)
    )
    source = TEI_HEAD.format(entities=entities) + TEI_BODY.format(text="&j;")  # 10^10 characters if expanded
    import cablelab

    cpu = time.process_time()
    with pytest.raises(cablelab.CableFormatError, match="expected well-formed TEI XML") as caught:
        cablelab.read(source)
    assert time.process_time() - cpu < 1.0
    assert caught.value.line is not None


@pytest.mark.parametrize("kind", ["file", "network"])
def test_an_external_xml_entity_is_neither_read_from_disk_nor_fetched(tmp_path, kind):
    import cablelab

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER", encoding="utf-8")
    # A fetch from the network would be stopped by the socket guard and fail this test loudly.
    where = secret.as_uri() if kind == "file" else f"http://{OUTSIDE_V4}/secret.txt"
    source = TEI_HEAD.format(entities=f'<!ENTITY x SYSTEM "{where}">\n') + TEI_BODY.format(text="&x;")
    cable = cablelab.read(source)
    assert "SECRET" not in "".join(cable.blocks["text"])
    assert cable.blocks["text"].iloc[-1] == "Secret: end."


# --- the notebooks' kernels ----------------------------------------------------------------
# pytest-socket guards this process only; a notebook runs in a kernel, another process. There
# a sitecustomize module (found first on PYTHONPATH) wraps socket.connect and getaddrinfo:
# any address that is not loopback is refused and written to a log this test reads, so an
# attempt a notebook swallows is still seen. The kernel's own channels are ZeroMQ sockets
# opened by libzmq, below Python's socket module, so they are not affected.

KERNEL_GUARD = '''
import ipaddress, os, socket

_log = os.environ["CABLELAB_NETWORK_LOG"]
_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _local(host):
    if not isinstance(host, str):
        return True  # a Unix socket path (bytes) or no host at all
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return host == "localhost" or "/" in host


def _refuse(what, host):
    with open(_log, "a") as log:
        log.write(f"{what} {host}\\n")
    raise ConnectionRefusedError(f"cablelab test guard: no network ({what} {host})")


def connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    return _connect(self, address) if _local(host) else _refuse("connect", host)


def connect_ex(self, address):
    host = address[0] if isinstance(address, tuple) else address
    return _connect_ex(self, address) if _local(host) else _refuse("connect", host)


def getaddrinfo(host, *args, **kwargs):
    return _getaddrinfo(host, *args, **kwargs) if host is None or _local(host) else _refuse("resolve", host)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
'''


@pytest.fixture()
def guarded_kernel_env(tmp_path):
    import os

    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(KERNEL_GUARD, encoding="utf-8")
    log = tmp_path / "network.log"
    log.write_text("", encoding="utf-8")
    path = os.pathsep.join(p for p in [str(guard), os.environ.get("PYTHONPATH", "")] if p)
    return {**os.environ, "PYTHONPATH": path, "CABLELAB_NETWORK_LOG": str(log)}, log


def run_in_guarded_kernel(notebook, folder, env):
    import nbclient
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute(env=env)
    return notebook


@pytest.mark.slow
def test_the_kernel_guard_refuses_and_logs_an_outside_connection(guarded_kernel_env, tmp_path):
    import nbformat
    env, log = guarded_kernel_env
    code = (
        "import socket\ntry:\n    socket.socket().connect(('192.0.2.1', 80))\n"
        "except ConnectionRefusedError as err:\n    print('refused:', err)"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    run_in_guarded_kernel(notebook, tmp_path, env)
    assert notebook.cells[0].outputs[0]["text"].startswith("refused: cablelab test guard")
    assert log.read_text() == "connect 192.0.2.1\n"


@pytest.mark.slow
def test_no_notebook_opens_a_network_connection(guarded_kernel_env):
    import nbformat
    env, log = guarded_kernel_env
    folder = Path(__file__).resolve().parents[1] / "notebooks"
    notebooks = sorted(folder.glob("*.ipynb"))
    need(bool(notebooks), "no notebooks yet")
    for path in notebooks:
        run_in_guarded_kernel(nbformat.read(path, as_version=4), folder, env)
    assert log.read_text() == "", f"network attempts: {log.read_text()}"
