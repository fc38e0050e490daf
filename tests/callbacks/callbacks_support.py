"""Helpers for the callback tests (no tests here): the platform's side of the scheme, written from the
documents and not from callbacks/crypto.py, and a way to call the ASGI app without a server.

seal() is the sender's half of 加解密方案说明 / 消息加解密说明: FullStr = 16 random bytes + 4-byte
network-order length + message + receive id, PKCS#7-padded to a multiple of 32, AES-256-CBC with
IV = the key's first 16 bytes, base64; msg_signature = sha1 of the sorted token, timestamp, nonce
and Encrypt.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import struct
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# Made-up settings for the tests' own brand (43-character EncodingAESKeys as the platforms issue them)
WECOM = {"WECOM_CALLBACK_TOKEN": "wecomtesttoken", "WECOM_CALLBACK_AES_KEY": "k" * 21 + "Q" * 21 + "A",
         "WECOM_CORP_ID": "ww0123456789abcdef"}
OA = {"OA_CALLBACK_TOKEN": "oatesttoken", "OA_CALLBACK_AES_KEY": "Z" * 42 + "A",
      "OA_APP_ID": "wx0a1b2c3d4e5f6a7b"}
TS, NONCE = "1716170400", "1320562132"


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def seal(message: bytes, encoding_aes_key: str, receive_id: str,
         random16: bytes = b"0123456789abcdef") -> str:
    key = base64.b64decode(encoding_aes_key + "=")
    full = random16 + struct.pack(">I", len(message)) + message + receive_id.encode()
    pad = 32 - len(full) % 32
    full += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(full) + encryptor.finalize()).decode()


def xml(fields: dict) -> bytes:
    """A message as the platforms send it: CDATA text, bare integers."""
    inner = "".join(f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}><![CDATA[{escape(v)}]]></{k}>"
                    for k, v in fields.items())
    return f"<xml>{inner}</xml>".encode()


def wecom_push(message: bytes, env: dict = WECOM, receive_id: str | None = None, ts: str = TS,
               nonce: str = NONCE, random16: bytes = b"0123456789abcdef") -> tuple[dict, bytes]:
    """(query, body) of a WeCom POST carrying `message`, sealed for `receive_id` (default: the corp id)."""
    encrypt = seal(message, env["WECOM_CALLBACK_AES_KEY"], receive_id or env["WECOM_CORP_ID"], random16)
    query = {"msg_signature": sha1_signature(env["WECOM_CALLBACK_TOKEN"], ts, nonce, encrypt),
             "timestamp": ts, "nonce": nonce}
    body = f"<xml><ToUserName><![CDATA[{env['WECOM_CORP_ID']}]]></ToUserName>" \
           f"<Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
    return query, body.encode()


def oa_push(message: bytes, env: dict = OA, receive_id: str | None = None, ts: str = TS,
            nonce: str = NONCE, random16: bytes = b"0123456789abcdef") -> tuple[dict, bytes]:
    """(query, body) of an OA safe-mode POST (encrypt_type=aes) carrying `message`."""
    encrypt = seal(message, env["OA_CALLBACK_AES_KEY"], receive_id or env["OA_APP_ID"], random16)
    query = {"signature": sha1_signature(env["OA_CALLBACK_TOKEN"], ts, nonce), "timestamp": ts,
             "nonce": nonce, "openid": "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "encrypt_type": "aes",
             "msg_signature": sha1_signature(env["OA_CALLBACK_TOKEN"], ts, nonce, encrypt)}
    return query, f"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{encrypt}]]>" \
                  f"</Encrypt></xml>".encode()


async def acall(app, method: str, path: str, query: dict | None = None, body: bytes = b"") -> tuple[int, str]:
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict] = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "https", "path": path, "raw_path": path.encode(), "root_path": "",
             "query_string": urlencode(query or {}).encode(), "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 8080), "headers": [(b"content-length", str(len(body)).encode())]}
    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return status, text


def call(app, method: str, path: str, query: dict | None = None, body: bytes = b"") -> tuple[int, str]:
    return asyncio.run(acall(app, method, path, query, body))
