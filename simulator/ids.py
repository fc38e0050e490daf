"""Identifiers as the platforms issue them, derived from (seed, person number) so that any chunk
can compute anyone's ids without a shared registry.

Random-looking tokens come from a keyed BLAKE2b hash; numeric ids come from an affine bijection
modulo 10^k, so they are unique by construction (no collision checks at a million people).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import random

# Mainland mobile prefixes (China Mobile, Unicom, Telecom); 138 is kept out of 13800138000 below.
PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
            "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183",
            "185", "186", "187", "188", "189", "191", "198", "199")
PLACEHOLDERS = ("13800138000", "00000000000", "11111111111")


class Ids:
    def __init__(self, seed: int):
        self.key = hashlib.blake2b(f"siyu-sim|{seed}".encode(), digest_size=32).digest()
        self._affine: dict[tuple[str, int], tuple[int, int]] = {}

    @functools.lru_cache(maxsize=1 << 16)  # noqa: B019 - one Ids per run; ids are asked for again and again
    def token(self, kind: str, n: int, length: int, alphabet: str = "b64") -> str:
        digest = hashlib.blake2b(f"{kind}|{n}".encode(), digest_size=48, key=self.key).digest()
        if alphabet == "hex":
            return digest.hex()[:length]
        text = base64.urlsafe_b64encode(digest).decode()[:length]   # A–Z a–z 0–9 - _, unbiased
        return text.replace("-", "k").replace("_", "Q") if alphabet == "b62" else text

    def number(self, kind: str, n: int, digits: int) -> int:
        """A bijection of 0 … 10^digits − 1: distinct n give distinct numbers."""
        coef = self._affine.get((kind, digits))
        if coef is None:
            digest = hashlib.blake2b(f"{kind}|{digits}".encode(), key=self.key).digest()
            h = int.from_bytes(digest[:16], "big")
            a = (h % 10**digits) | 1
            while a % 5 == 0:
                a += 2
            coef = self._affine[(kind, digits)] = (a % 10**digits, (h >> 64) % 10**digits)
        a, b = coef
        return (a * n + b) % 10**digits

    # WeChat ids: openids and unionids are 28 characters starting with 'o'.
    def unionid(self, pid: int) -> str:
        return "o" + self.token("unionid", pid, 27)

    def oa_openid(self, pid: int) -> str:
        return "o" + self.token("oa", pid, 27)

    def mp_openid(self, pid: int) -> str:
        return "o" + self.token("mp", pid, 27)

    def external_userid(self, pid: int, other_corp: bool = False) -> str:
        return ("wo" if other_corp else "wm") + self.token("ext", pid, 30)

    def yz_open_id(self, pid: int) -> str:
        return self.token("yz", pid, 24, "b62")

    def doudian_open_id(self, pid: int) -> str:
        return "1@#" + self.token("dd", pid, 40, "b62")

    def tmall_member_id(self, pid: int) -> str:
        return f"TM{self.number('tmall_member', pid, 10):010d}"

    def card_no(self, pid: int) -> str:
        return f"8{self.number('card', pid, 11):011d}"

    def phone(self, pid: int) -> str:
        body = self.number("phone", pid, 8)
        prefix = PREFIXES[self.number("phone_prefix", pid, 6) % len(PREFIXES)]
        phone = f"{prefix}{body:08d}"
        return "13900138000" if phone == "13800138000" else phone

    def order_no(self, kind: str, pid: int, k: int, digits: int) -> int:
        """The k-th order-like id of a person (k < 512)."""
        return self.number(kind, pid * 512 + k, digits)


def e164(phone11: str) -> str:
    return "+86" + phone11


def show_phone(phone11: str, rng: random.Random) -> str:
    """A real phone as people and systems type it."""
    u = rng.random()
    if u < 0.72:
        return phone11
    if u < 0.82:
        return f"+86 {phone11[:3]} {phone11[3:7]} {phone11[7:]}"
    if u < 0.92:
        return "86-" + phone11
    return "+86" + phone11


def masked(phone11: str) -> str:
    return phone11[:3] + "****" + phone11[7:]


def encrypted(phone11: str, ids: Ids) -> str:
    """Ocean Engine's encrypted telephone: base64 of an opaque cipher, never a linking key."""
    digest = hashlib.blake2b(phone11.encode(), digest_size=24, key=ids.key).digest()
    return base64.b64encode(digest).decode()


def youzan_cipher(text: str, ids: Ids) -> str:
    """Youzan's encrypted personal field (`$<base64>$1$`): deterministic, so one phone is one cipher."""
    digest = hashlib.blake2b(text.encode(), digest_size=16, key=ids.key).digest()
    return f"${base64.b64encode(digest).decode()}$1$"


def douyin_cipher(text: str, ids: Ids) -> str:
    """Douyin's encrypted receiver fields (`#<index>#<cipher>#1##`)."""
    digest = hashlib.blake2b(text.encode(), digest_size=33, key=ids.key).digest()
    return f"#{base64.b64encode(digest[:3]).decode()}#{base64.b64encode(digest[3:]).decode()}#1##"


def id_card(n: int) -> str:
    """A well-formed (checksummed) mainland resident ID number, for planted personal data only."""
    region = ("330106", "310104", "440305", "510107", "110105")[n % 5]
    born = f"{1975 + n % 30}{n // 30 % 12 + 1:02d}{n // 360 % 28 + 1:02d}"
    body = f"{region}{born}{n // 10_080 % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
