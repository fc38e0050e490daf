"""A small client of Superset's REST API (standard library only), for bi/superset/check.py.

Login gives a JWT access token; a write (the import) also needs a CSRF token, which belongs to
the session cookie it was issued with, so one cookie jar is kept for the whole conversation.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path


class SupersetError(RuntimeError):
    pass


class Superset:
    def __init__(self, base_url: str, timeout: float = 300) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.token: str | None = None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def _request(self, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None) -> dict:
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers or {}
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:2000]
            raise SupersetError(f"{method} {path}: HTTP {error.code}: {detail}") from None

    def get(self, path: str) -> dict:
        return self._request("GET", path)

    def post_json(self, path: str, payload: dict, headers: dict[str, str] | None = None) -> dict:
        body = json.dumps(payload).encode()
        return self._request(
            "POST", path, body, {"Content-Type": "application/json", **(headers or {})}
        )

    def wait_healthy(self, seconds: float) -> None:
        """Until GET /health answers OK (the web server is up and its app loaded)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                with self.opener.open(self.base_url + "/health", timeout=10) as response:
                    if response.read().strip() == b"OK":
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SupersetError(f"{self.base_url}/health did not answer OK in {seconds:.0f} s")
            time.sleep(2)

    def login(self, username: str, password: str) -> None:
        answer = self.post_json(
            "/api/v1/security/login",
            {"username": username, "password": password, "provider": "db", "refresh": False},
        )
        self.token = answer["access_token"]

    def import_dashboards(self, bundle: Path) -> None:
        """POST the zip to /api/v1/dashboard/import/, replacing what an earlier run imported."""
        csrf = self.get("/api/v1/security/csrf_token/")["result"]
        boundary = uuid.uuid4().hex
        parts = [
            _field(boundary, "overwrite", b"true"),
            _field(boundary, "formData", bundle.read_bytes(), bundle.name),
        ]
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": csrf,
            "Referer": self.base_url,
        }
        answer = self._request("POST", "/api/v1/dashboard/import/", body, headers)
        if answer.get("message") != "OK":
            raise SupersetError(f"import: {answer}")

    def charts(self) -> list[dict]:
        """Every chart: id, uuid, slice_name, viz_type (rison query: one page of 100)."""
        query = "(columns:!(id,uuid,slice_name,viz_type),page_size:100)"
        return self.get(f"/api/v1/chart/?q={urllib.request.quote(query)}")["result"]

    def dashboard_charts(self, id_or_slug: str) -> list[dict]:
        return self.get(f"/api/v1/dashboard/{id_or_slug}/charts")["result"]

    def chart_data(self, chart_id: int) -> list[dict]:
        """The rows of the chart's saved query, run again on the database (force: no cache)."""
        results = self.get(f"/api/v1/chart/{chart_id}/data/?force=true")["result"]
        errors = [r.get("error") for r in results if r.get("error")]
        if errors:
            raise SupersetError(f"chart {chart_id}: {errors}")
        return [row for r in results for row in r.get("data") or []]


def _field(boundary: str, name: str, value: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename:
        disposition += f'; filename="{filename}"'
    head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
    if filename:
        head += "Content-Type: application/zip\r\n"
    return head.encode() + b"\r\n" + value + b"\r\n"
