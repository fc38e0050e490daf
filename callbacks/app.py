"""The receiver's HTTP endpoints (Starlette): `/wecom` and `/oa`, GET for the URL check, POST for pushes.

- GET, the URL-verification handshake. WeCom sends msg_signature, timestamp, nonce and an encrypted
  echostr: its signature is checked and the decrypted echostr returned as plain text (接收消息 ·
  验证URL有效性, developer.work.weixin.qq.com/document/path/96466). The OA sends signature, timestamp,
  nonce and echostr: the signature over token, timestamp and nonce is checked and echostr returned.
- POST, a push: the signature is checked, the Encrypt element opened (crypto.py), the message turned
  into its landing line (messages.py) and written durably (store.py) before the answer `success` —
  the answer both platforms accept (the OA: 回复空串或者success; WeCom: HTTP 200, and `success` where
  it asks for a body). A message the warehouse does not read is answered `success` and not written.
- While the app runs, a task publishes the files of ended days each minute (store.py).
- Anything that cannot be shown to come from the platform (signature, Encrypt, receive id, body) is
  answered 403 with nothing written; a landing that cannot be written is answered 500, so the
  platform sends it again.

The log names the method, path, status and message type only: no query string (it holds
signatures and, for the OA, the user's openid), no body, no token or key.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .config import Platform
from .crypto import Refused, check_signature
from .messages import MAX_BODY, kind, parse, to_line
from .store import Landing

log = logging.getLogger("siyu.receive")
SUCCESS = "success"


async def _body(request: Request) -> bytes:
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        raise Refused(f"body over {MAX_BODY} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(f"body over {MAX_BODY} bytes")
    return body


def _handshake(platform: Platform, query) -> str:
    if platform.name == "wecom":
        # base64 `+` arrives as a space when a proxy or the platform left it unescaped
        echostr = query.get("echostr", "").replace(" ", "+")
        plain = platform.envelope.open(query.get("msg_signature"), query.get("timestamp"),
                                       query.get("nonce"), echostr)
        try:
            return plain.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused("echostr is not text") from None
    check_signature(query.get("signature"), platform.token, query.get("timestamp"), query.get("nonce"))
    if not query.get("echostr"):
        raise Refused("no echostr")
    return query["echostr"]


def _open(platform: Platform, query, body: bytes) -> bytes:
    """The pushed message, once shown to come from the platform."""
    encrypted = platform.name == "wecom" or query.get("encrypt_type") == "aes"
    if encrypted and platform.envelope is None:
        raise Refused("an encrypted push, but OA_CALLBACK_AES_KEY is not set")
    if not encrypted:
        if platform.envelope is not None:
            raise Refused("a plaintext push to a receiver configured for encrypted pushes")
        check_signature(query.get("signature"), platform.token, query.get("timestamp"), query.get("nonce"))
        return body
    envelope = parse(body).get("Encrypt")
    return platform.envelope.open(query.get("msg_signature"), query.get("timestamp"), query.get("nonce"),
                                  envelope if isinstance(envelope, str) else None)


async def _land(platform: Platform, landing: Landing, message: bytes) -> str:
    fields = parse(message)
    line = to_line(platform.source, platform.entity, fields)
    if line is None:
        return f"{kind(fields)}: not read by {platform.source}/{platform.entity}, not written"
    written = await run_in_threadpool(landing.append, platform.source, platform.entity, line)
    return f"{kind(fields)}: {'written' if written else 'a repeat, already written'}"


def _endpoint(platform: Platform, landing: Landing):
    async def endpoint(request: Request) -> Response:
        query = request.query_params
        try:
            if request.method == "GET":
                answer, note = _handshake(platform, query), "URL check answered"
            else:
                message = _open(platform, query, await _body(request))
                answer, note = SUCCESS, await _land(platform, landing, message)
        except Refused as exc:
            log.warning("%s /%s 403 refused: %s", request.method, platform.name, exc)
            return PlainTextResponse("forbidden", status_code=403)
        except OSError as exc:  # disk full, permissions: not received, so the platform retries
            log.error("%s /%s 500 landing not written: %s", request.method, platform.name, exc.strerror)
            return PlainTextResponse("error", status_code=500)
        log.info("%s /%s 200 %s", request.method, platform.name, note)
        return PlainTextResponse(answer)

    return endpoint


async def _health(request: Request) -> Response:
    return PlainTextResponse("ok")


def _closing_days(landing: Landing, every: float):
    """While the app runs, publish each ended day's files within `every` seconds of midnight, even
    when no event arrives to do it (the night's run at 02:00 Beijing then finds yesterday complete)."""

    @asynccontextmanager
    async def lifespan(app: Starlette):
        async def loop() -> None:
            while True:
                await asyncio.sleep(every)
                try:
                    await run_in_threadpool(landing.close_days)
                except OSError as exc:
                    log.error("could not publish an ended day's file: %s", exc.strerror)

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            task.cancel()

    return lifespan


def build_app(platforms: list[Platform], landing: Landing, close_every: float = 60.0) -> Starlette:
    routes = [Route("/healthz", _health)]
    routes += [Route(f"/{p.name}", _endpoint(p, landing), methods=["GET", "POST"]) for p in platforms]
    return Starlette(routes=routes, lifespan=_closing_days(landing, close_every))
