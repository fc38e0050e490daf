"""Which platforms the receiver serves, from the environment only (.env.example lists the names).

A platform is served when its callback token is set; then its other settings are required, and a
missing or malformed one is named (never echoed: they are secrets).
- WeCom: WECOM_CALLBACK_TOKEN, WECOM_CALLBACK_AES_KEY (the app's 接收消息 Token and EncodingAESKey),
  WECOM_CORP_ID (the receive id a self-built app's messages carry; the pulls read it too).
- Official Account: OA_CALLBACK_TOKEN, OA_CALLBACK_AES_KEY and OA_APP_ID for the 安全模式 or 兼容模式
  the OA recommends. Without OA_CALLBACK_AES_KEY the OA is received in 明文模式 (plaintext), whose
  `signature` covers token, timestamp and nonce but not the body; with it set, plaintext pushes are
  refused, so nobody can downgrade a configured receiver.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from .crypto import Envelope, aes_key


class CallbackConfigError(ValueError):
    """A setting is missing or wrong; the message names the variable."""


@dataclass(frozen=True)
class Platform:
    name: str  # the URL path, /wecom or /oa
    source: str
    entity: str
    token: str = field(repr=False)
    envelope: Envelope | None  # None: the OA in plaintext mode


def _required(env: Mapping[str, str], name: str, why: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise CallbackConfigError(f"{name} is not set ({why})")
    return value


def _envelope(env: Mapping[str, str], token: str, key_var: str, id_var: str, served: str) -> Envelope:
    key_text = _required(env, key_var, f"the EncodingAESKey {served}")
    try:
        key = aes_key(key_text)
    except ValueError:
        raise CallbackConfigError(
            f"{key_var} is not an EncodingAESKey (43 letters and digits, as the platform shows it)"
        ) from None
    return Envelope(token, key, _required(env, id_var, f"the receive id {served}"))


def platforms(env: Mapping[str, str] | None = None) -> list[Platform]:
    env = os.environ if env is None else env
    served: list[Platform] = []
    token = env.get("WECOM_CALLBACK_TOKEN", "").strip()
    if token:
        envelope = _envelope(env, token, "WECOM_CALLBACK_AES_KEY", "WECOM_CORP_ID",
                             "WeCom callbacks are encrypted with (WECOM_CALLBACK_TOKEN is set)")
        served.append(Platform("wecom", "wecom", "contact_event", token, envelope))
    token = env.get("OA_CALLBACK_TOKEN", "").strip()
    if token:
        envelope = None
        if env.get("OA_CALLBACK_AES_KEY", "").strip():
            envelope = _envelope(env, token, "OA_CALLBACK_AES_KEY", "OA_APP_ID",
                                 "OA pushes are encrypted with (OA_CALLBACK_AES_KEY is set)")
        served.append(Platform("oa", "oa", "event", token, envelope))
    if not served:
        raise CallbackConfigError(
            "neither WECOM_CALLBACK_TOKEN nor OA_CALLBACK_TOKEN is set: set WECOM_CALLBACK_TOKEN, "
            "WECOM_CALLBACK_AES_KEY and WECOM_CORP_ID to receive WeCom callbacks, OA_CALLBACK_TOKEN "
            "(OA_CALLBACK_AES_KEY, OA_APP_ID) for the Official Account's (.env.example)"
        )
    return served
