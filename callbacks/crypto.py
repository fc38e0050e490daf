"""The platforms' signature and message encryption, as WeCom and the Official Account document them.

WeCom, 加解密方案说明 (https://developer.work.weixin.qq.com/document/path/91144, 附录) and the
Official Account, 消息加解密说明 (https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption.html)
describe one scheme:
- msg_signature = SHA1 of token, timestamp, nonce and the Encrypt text, sorted and concatenated;
  the OA's plaintext mode signs only token, timestamp and nonce (`signature`);
- AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC, IV = the key's first 16 bytes;
- PKCS#7 padding to a multiple of 32 bytes (the key's length, not AES's 16-byte block);
- plaintext = 16 random bytes + the message's length (4 bytes, network order) + the message + the
  receive id, which must be the corp id (a WeCom self-built app) or the OA's appid.
No maintained Python package implements this (the platforms' own WXBizMsgCrypt samples are Python 2
and pycrypto); the AES and the padding here are the `cryptography` package's, only the framing is ours.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # bytes: PKCS#7 pads to the key's length, so a valid ciphertext is a whole number of 32s
_ENCODING_AES_KEY = re.compile(r"^[A-Za-z0-9]{43}$")  # 43 characters of a-z, A-Z, 0-9 (both pages)


class Refused(Exception):
    """A request that cannot be shown to come from the platform: answered 403, nothing written.
    The message names what failed, never a value taken from the request."""


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of an EncodingAESKey; ValueError if it is not one."""
    if not _ENCODING_AES_KEY.match(encoding_aes_key):
        raise ValueError("an EncodingAESKey is 43 letters and digits")
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:  # pragma: no cover - 43 base64 characters always decode to 32 bytes
        raise ValueError("an EncodingAESKey decodes to 32 bytes")
    return key


def signature(token: str, timestamp: str, nonce: str, *encrypted: str) -> str:
    """SHA1 hex of the parts sorted (字典序) and concatenated."""
    return hashlib.sha1("".join(sorted((token, timestamp, nonce, *encrypted))).encode("utf-8")).hexdigest()


def check_signature(given: str | None, token: str, timestamp: str | None, nonce: str | None,
                    *encrypted: str) -> None:
    if not given or not timestamp or not nonce:
        raise Refused("signature, timestamp or nonce missing")
    expected = signature(token, timestamp, nonce, *encrypted)
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("ascii")):
        raise Refused("bad signature")


@dataclass(frozen=True)
class Envelope:
    """One platform's signing token, AES key and receive id (corp id or appid)."""

    token: str = field(repr=False)
    key: bytes = field(repr=False)
    receive_id: str

    def open(self, msg_signature: str | None, timestamp: str | None, nonce: str | None,
             encrypted: str | None) -> bytes:
        """The message inside a signed Encrypt text, after checking signature and receive id."""
        if not encrypted:
            raise Refused("no Encrypt text")
        check_signature(msg_signature, self.token, timestamp, nonce, encrypted)
        return self.decrypt(encrypted)

    def decrypt(self, encrypted: str) -> bytes:
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise Refused("Encrypt is not base64") from None
        if not data or len(data) % BLOCK:
            raise Refused("Encrypt is not a whole number of 32-byte blocks")
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        padded = decryptor.update(data) + decryptor.finalize()
        unpadder = padding.PKCS7(BLOCK * 8).unpadder()
        try:
            plain = unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise Refused("bad padding: not this key") from None
        if len(plain) < 20:
            raise Refused("decrypted text too short")
        (length,) = struct.unpack(">I", plain[16:20])
        message, receive_id = plain[20:20 + length], plain[20 + length:]
        if len(message) != length:
            raise Refused("message length beyond the decrypted text")
        if not hmac.compare_digest(receive_id, self.receive_id.encode("utf-8")):
            raise Refused("receive id is not this corp id / appid")
        return message
