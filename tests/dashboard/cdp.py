"""Headless Chromium driven over the DevTools protocol, with nothing but the `websockets` package
Streamlit already depends on (no selenium, no chromedriver).

Chromium's own `--dump-dom` / `--screenshot` wait on virtual time, which a page drawn over a
websocket (as Streamlit's is) does not hold back: about one load in four came out as the empty
shell. Here the page is asked, in real time, whether it is drawn before its text and picture are
taken.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect


class Browser:
    def __init__(self, chromium: str, profile: Path, size: str = "1400,1700"):
        (profile / "DevToolsActivePort").unlink(missing_ok=True)  # a reused profile's, naming an old port
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
             "--remote-debugging-port=0", f"--window-size={size}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # /usr/bin/chromium is a wrapper script: the browser is its child
        try:
            self._attach(profile)
        except BaseException:
            self._stop()
            raise

    def _attach(self, profile: Path) -> None:
        port_file, deadline = profile / "DevToolsActivePort", time.monotonic() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not open its DevTools port")
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        self.socket = connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=10)
        self.ids = itertools.count(1)
        self.requested: list[str] = []  # every URL the page asked for (Network.requestWillBeSent)
        self.call("Network.enable")

    def call(self, method: str, **params) -> dict:
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:  # events arrive between the answers; the answer carries the request's id
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("method") == "Network.requestWillBeSent":
                self.requested.append(message["params"]["request"]["url"])
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def open(self, url: str, drawn: str, timeout: float = 60) -> None:
        """Load `url` and wait until the JavaScript condition `drawn` holds (then a second more for
        the charts' renderers to settle)."""
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while not self.evaluate(f"Boolean({drawn})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} was not drawn in {timeout:.0f} s: {self.text()[:500]!r}")
            time.sleep(0.3)
        time.sleep(1)

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def html(self) -> str:
        return self.evaluate("document.documentElement.outerHTML") or ""

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        return path

    def close(self) -> None:
        try:
            self.call("Browser.close")
            self.socket.close()
        finally:
            self._stop()

    def _stop(self) -> None:
        """End the browser's process group (this object started it, and only it)."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
