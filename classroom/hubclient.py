"""A student of the class hub, driven over HTTP: sign in, start a server, work in a kernel.

What a browser does, without the browser: the hub's login form (the first password becomes
the student's, as FirstUseAuthenticator does), a token of their own from the hub's REST API,
their server started and awaited through the same API, and a kernel on their server spoken
to over its websocket (Jupyter's JSON messages). The end-to-end test and the load benchmark
share it.

    async with HubStudent(hub_url, "ada", "a-password") as ada:
        await ada.sign_in(); await ada.start_server(); await ada.open_kernel()
        printed = await ada.run("print(1 + 1)")
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, AsyncIterator

WAIT = 420.0  # seconds: the most any one step may take on a busy small machine


class HubStudent:
    """One student over HTTP; ``token`` is theirs once signed in (it can be handed to a new HubStudent)."""

    def __init__(self, url: str, username: str, password: str, token: str | None = None) -> None:
        import httpx

        self.url, self.username, self.password, self.token = url, username, password, token
        self.http = httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=120)
        self.ws = None
        self.session = uuid.uuid4().hex

    async def __aenter__(self) -> "HubStudent":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def _cookie(self, name: str) -> str:
        return [cookie.value for cookie in self.http.cookies.jar if cookie.name == name][-1]

    # -- the hub

    async def sign_in(self) -> str:
        """The login form as a browser posts it, then a token of their own; returns the token."""
        await self.http.get("/hub/login")
        response = await self.http.post("/hub/login", data={"username": self.username, "password": self.password,
                                                             "_xsrf": self._cookie("_xsrf")})
        if response.status_code != 302:
            raise AssertionError(f"{self.username}: the login form answered {response.status_code}")
        response = await self.http.post(f"/hub/api/users/{self.username}/tokens",
                                        headers={"X-XSRFToken": self._cookie("_xsrf")}, json={"note": "hubclient"})
        if response.status_code not in (200, 201):
            raise AssertionError(f"{self.username}: no token ({response.status_code}): {response.text}")
        self.token = response.json()["token"]
        return self.token

    async def server(self) -> dict[str, Any] | None:
        user = (await self.http.get(f"/hub/api/users/{self.username}", headers=self.headers)).json()
        return user.get("servers", {}).get("")

    async def start_server(self) -> None:
        response = await self.http.post(f"/hub/api/users/{self.username}/server", headers=self.headers)
        if response.status_code not in (201, 202, 400):  # 400: already started
            raise AssertionError(f"{self.username}: the server did not start: {response.text}")
        await self._until(lambda server: bool(server and server.get("ready")), "start")

    async def stop_server(self) -> None:
        response = await self.http.delete(f"/hub/api/users/{self.username}/server", headers=self.headers)
        if response.status_code not in (202, 204):
            raise AssertionError(f"{self.username}: the server did not stop: {response.text}")
        await self._until(lambda server: server is None, "stop")

    async def _until(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if condition(await self.server()):
                return
            await asyncio.sleep(0.5)
        raise AssertionError(f"{self.username}: the server did not {what} within {WAIT:g} s")

    # -- their server

    def api(self, path: str) -> str:
        return f"/user/{self.username}/api/{path}"

    async def get(self, path: str):
        return await self.http.get(self.api(path), headers=self.headers)

    async def put(self, path: str, body: dict):
        return await self.http.put(self.api(path), headers=self.headers, json=body)

    async def open_kernel(self) -> str:
        """Start a kernel on their server and connect to it; returns its id."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        response = await self.http.post(self.api("kernels"), headers=self.headers, json={"name": "python3"})
        if response.status_code != 201:
            raise AssertionError(f"{self.username}: no kernel: {response.text}")
        kernel = response.json()["id"]
        url = self.url.replace("http://", "ws://") + self.api(f"kernels/{kernel}/channels?session_id={self.session}")
        self.ws = await websocket_connect(HTTPRequest(url, headers=self.headers), max_message_size=64 << 20)
        return kernel

    async def send(self, msg_type: str, content: dict) -> str:
        """Send a shell message (execute_request, comm_msg ...); returns its id."""
        msg_id = uuid.uuid4().hex
        await self.ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": self.username, "session": self.session,
                       "msg_type": msg_type, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [], "content": content}))
        return msg_id

    async def execute(self, code: str) -> str:
        return await self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                                   "user_expressions": {}, "allow_stdin": False,
                                                   "stop_on_error": True})

    async def receive(self, timeout: float = WAIT) -> dict | None:
        """The next message from the kernel (None when the connection has closed)."""
        raw = await asyncio.wait_for(self.ws.read_message(), timeout)
        return None if raw is None else json.loads(raw)

    async def messages(self, msg_id: str) -> AsyncIterator[dict]:
        """The messages a request caused, until its reply and the kernel idle again."""
        replied = idle = False
        while not (replied and idle):
            message = await self.receive()
            if message is None:
                raise AssertionError(f"{self.username}: the kernel's connection closed")
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            replied |= kind == "execute_reply"
            idle |= kind == "status" and message["content"].get("execution_state") == "idle"
            yield message

    async def run(self, code: str) -> str:
        """Run code in the kernel; its printed output. An error raises, with the traceback."""
        printed, errors = [], []
        async for message in self.messages(await self.execute(code)):
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "stream":
                printed.append(content["text"])
            elif kind == "error":
                errors.append("\n".join(content.get("traceback", [])) or f"{content['ename']}: {content['evalue']}")
            elif kind == "execute_reply" and content.get("status") == "error" and not errors:
                errors.append(f"{content.get('ename')}: {content.get('evalue')}")
        if errors:
            raise AssertionError(f"{self.username}: error in the kernel:\n" + "\n".join(errors))
        return "".join(printed)

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None
        await self.http.aclose()
