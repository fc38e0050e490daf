"""A platform's API client: its access token, cached until it expires and renewed when the platform
says it is expired or invalid, and the errors the platforms report inside HTTP 200 JSON bodies —
which no HTTP library reads, so this is the one part written by hand. A platform module says how to
fetch a token and how to read its error envelope (`classify`); the loop below is shared:

- `token` codes (expired / invalid token): fetch a new token and repeat the call, twice at most;
- `retry` codes (busy, rate limits) and malformed bodies: wait (1 s, 2 s, 4 s … doubling, from
  $SIYU_PULL_BACKOFF_SECONDS) and repeat, six tries in all;
- any other code stops the call with a PullError naming the call and the code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import orjson
import requests

from pulls.errors import PullError
from pulls.http import TIMEOUT, backoff_seconds, redact, session

TRIES = 6
TOKEN_RENEWALS = 2
TOKEN_MARGIN = 300  # seconds: renew a token this long before the platform says it expires


@dataclass(frozen=True)
class Verdict:
    kind: str  # ok | token | retry | error
    code: object = None
    message: str = ""


class Client:
    """Subclasses set `platform` (for messages) and implement fetch_token() and classify()."""

    platform = "platform"
    token_param = "access_token"

    def __init__(self, base_url: str, http: requests.Session | None = None, clock=time.monotonic,
                 sleep=time.sleep, backoff: float | None = None):
        self.base_url = base_url.rstrip("/")
        self.backoff = backoff_seconds() if backoff is None else backoff
        self.http = http or session(backoff=self.backoff)
        self.clock, self.sleep = clock, sleep
        self._token: str | None = None
        self._expires = 0.0
        self.calls = 0  # HTTP requests made (token requests included)
        self.rejected = 0  # tokens the platform called expired or invalid

    # --- what a platform module provides ---------------------------------------------------------
    def fetch_token(self) -> tuple[str, float]:
        """(token, seconds it is valid)."""
        raise NotImplementedError

    def classify(self, body: dict) -> Verdict:
        raise NotImplementedError

    # --- the shared loop -------------------------------------------------------------------------
    def token(self) -> str:
        if self._token is None or self.clock() >= self._expires:
            token, valid = self.fetch_token()
            self._token, self._expires = token, self.clock() + max(0.0, valid - TOKEN_MARGIN)
        return self._token

    def request(self, label: str, method: str, path: str, *, params: dict | None = None,
                json: dict | None = None, auth: bool = True) -> dict:
        """The call's JSON body once the platform says it succeeded; PullError otherwise."""
        renewals, wait, last = 0, self.backoff, "no answer"
        attempt = 0
        while attempt < TRIES:
            query = dict(params or {})
            if auth:
                query[self.token_param] = self.token()
            body = self._send(label, method, path, query, json)
            verdict = Verdict("retry", "malformed", "the body is not a JSON object") if body is None \
                else self.classify(body)
            if verdict.kind == "ok":
                return body
            if verdict.kind == "token" and auth and renewals < TOKEN_RENEWALS:
                renewals += 1
                self.rejected += 1
                self._token = None  # the next try fetches a fresh one; a renewal is not a retry
                continue
            if verdict.kind == "error" or verdict.kind == "token":
                raise PullError(f"{self.platform} {label}: error code {verdict.code} ({verdict.message})")
            last = f"{verdict.code} ({verdict.message})"
            attempt += 1
            if attempt < TRIES:
                self.sleep(wait)
                wait *= 2
        raise PullError(f"{self.platform} {label}: still {last} after {TRIES} tries")

    def _send(self, label: str, method: str, path: str, query: dict, json: dict | None) -> dict | None:
        self.calls += 1
        try:
            resp = self.http.request(method, self.base_url + path, params=query, json=json, timeout=TIMEOUT)
        except requests.RequestException as exc:  # its text holds the URL, query string included
            raise PullError(f"{self.platform} {label}: {type(exc).__name__} "
                            f"({redact(str(exc))[:200]})") from None
        if resp.status_code >= 400:  # after the session's own retries of 429 and 5xx
            raise PullError(f"{self.platform} {label}: HTTP {resp.status_code}")
        try:
            body = orjson.loads(resp.content)
        except orjson.JSONDecodeError:
            return None
        return body if isinstance(body, dict) else None
