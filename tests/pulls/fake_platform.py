"""A fake of the platforms' APIs for the pull tests: a local HTTP server (http.server, in a thread)
answering under /wecom, /oa and /youzan as WeCom, the Official Account and Youzan do, in their
documented response shapes (each handler cites its page: fake_wecom.py, fake_oa.py, fake_youzan.py).

Faults are scripted per path: an error code in the body (rate limit, busy, an unknown code), a token
that expires (every token issued so far stops working and the call answers the platform's
expired-token code), an HTTP status (5xx), a malformed body, or a hang until released (a pull killed
mid-paging). Every request is logged (path, and the paging argument) for the tests to count."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import orjson
from fake_oa import OaFake
from fake_wecom import WeComFake
from fake_youzan import YouzanFake

CREDENTIALS = {
    "WECOM_CORP_ID": "ww-fake-corp", "WECOM_CONTACT_SECRET": "wecom-secret-never-logged",
    "OA_APP_ID": "wx-fake-app", "OA_APP_SECRET": "oa-secret-never-logged",
    "YOUZAN_CLIENT_ID": "yz-fake-client", "YOUZAN_CLIENT_SECRET": "youzan-secret-never-logged",
    "YOUZAN_KDT_ID": "160000001",
}
SECRETS = ("wecom-secret-never-logged", "oa-secret-never-logged", "youzan-secret-never-logged")


@dataclass
class Fault:
    path: str  # the request path ends with this
    kind: str  # errcode | expire | status | malformed | hang
    value: object = None  # the error code, or the HTTP status
    after: int = 0  # let this many matching requests through first
    times: int = 1  # then fire this many times
    seen: int = 0
    release: threading.Event = field(default_factory=threading.Event)


class FakePlatform:
    def __init__(self):
        self.wecom, self.oa = WeComFake(CREDENTIALS), OaFake(CREDENTIALS)
        self.youzan = YouzanFake(CREDENTIALS)
        self.faults: list[Fault] = []
        self.log: list[str] = []
        self.hanging = threading.Event()  # set when a `hang` fault holds a request
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._answer(self, None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fake._answer(self, self.rfile.read(length) if length else b"")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        for f in self.faults:
            f.release.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def env(self) -> dict:
        return {**CREDENTIALS, "SIYU_WECOM_API_BASE": f"{self.url}/wecom",
                "SIYU_OA_API_BASE": f"{self.url}/oa", "SIYU_YOUZAN_API_BASE": f"{self.url}/youzan",
                "SIYU_PULL_BACKOFF_SECONDS": "0.01"}

    def fault(self, path: str, kind: str, value=None, after: int = 0, times: int = 1) -> Fault:
        f = Fault(path, kind, value, after, times)
        self.faults.append(f)
        return f

    def calls(self, path: str) -> int:
        return sum(1 for line in self.log if line.split(" ", 1)[0].endswith(path))

    def _answer(self, handler: BaseHTTPRequestHandler, raw: bytes | None) -> None:
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query))
        try:
            body = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:
            body = None
        platform, _, path = parts.path.lstrip("/").partition("/")
        fake = {"wecom": self.wecom, "oa": self.oa, "youzan": self.youzan}.get(platform)
        page = (body or {}).get("cursor", (body or {}).get("page_no", query.get("next_openid", "")))
        self.log.append(f"/{path} {page}")
        status, answer = 404, b"{}"
        if fake is not None:
            path = "/" + path
            status, answer = self._fault(fake, path) or fake.handle(handler.command, path, query, body)
        payload = answer if isinstance(answer, bytes) else orjson.dumps(answer)
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _fault(self, fake, path: str):
        for f in self.faults:
            if not path.endswith(f.path):
                continue
            f.seen += 1
            if not f.after < f.seen <= f.after + f.times:
                continue
            if f.kind == "hang":
                self.hanging.set()
                f.release.wait(30)
                return None
            if f.kind == "status":
                return f.value, b"<html>502 Bad Gateway</html>"
            if f.kind == "malformed":
                return 200, b'{"errcode": 0, "errmsg": "ok", "external_contact_list": [{"external_con'
            if f.kind == "expire":
                fake.tokens.clear()
                return 200, fake.token_error()
            return 200, fake.error(f.value)
        return None
