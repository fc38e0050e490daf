"""The HTTP session every platform client shares: connection pooling, and retries with exponential
backoff for what HTTP itself says is passing — connection errors, 429 and 5xx (urllib3's Retry, which
honours Retry-After). What the platforms say inside an HTTP 200 JSON body (WeCom's `errcode`, Youzan's
`gw_err_resp`) no HTTP library knows: pulls/client.py handles that.

Secrets travel in query strings on some calls (WeCom's `gettoken?corpsecret=…` is GET only), and
urllib3 logs the URL of a retried request: its loggers get a filter that blanks every query value."""

from __future__ import annotations

import logging
import os
import re

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

TIMEOUT = (10, 60)  # seconds to connect, to read: a page of 1,000 group chats is ~1 MB
RETRIED_STATUSES = (429, 500, 502, 503, 504)
_QUERY_VALUE = re.compile(r"([?&][A-Za-z_]+=)[^&\s'\")]*")


def backoff_seconds(env=None) -> float:
    """The first wait between retries (doubled at each retry): 1 s unless $SIYU_PULL_BACKOFF_SECONDS
    says otherwise (the tests' fake platform answers in milliseconds)."""
    return float((os.environ if env is None else env).get("SIYU_PULL_BACKOFF_SECONDS") or 1.0)


def redact(text: str) -> str:
    """`…/gettoken?corpid=x&corpsecret=y` → `…/gettoken?corpid=…&corpsecret=…`."""
    return _QUERY_VALUE.sub(r"\1…", text)


class _Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            record.args = tuple(redact(repr(a)) if not isinstance(a, int | float) else a
                                for a in (record.args if isinstance(record.args, tuple) else (record.args,)))
        return True


for _name in ("urllib3.connectionpool", "urllib3.util.retry", "urllib3.poolmanager"):
    logging.getLogger(_name).addFilter(_Redact())


def session(retries: int = 4, backoff: float | None = None) -> requests.Session:
    """A session retrying idempotent trouble. Every call the pulls make only reads (POST included:
    WeCom's list calls take their filters as a JSON body), so POSTs are retried too."""
    retry = Retry(
        total=retries, connect=retries, read=retries, status=retries, other=0,
        backoff_factor=backoff_seconds() if backoff is None else backoff,
        status_forcelist=RETRIED_STATUSES, allowed_methods=None, raise_on_status=False,
        respect_retry_after_header=True,
    )
    http = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    return http
