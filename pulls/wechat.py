"""The envelope WeCom and the Official Account share: HTTP 200 with `errcode` (0 or absent: success)
and `errmsg` in the body. Which codes mean "renew the token" and which "wait and retry" differ a
little between the two; each client lists its own (global error code pages cited in wecom.py, oa.py)."""

from __future__ import annotations

from pulls.client import Client, Verdict


class WeChatClient(Client):
    token_codes: frozenset = frozenset()
    retry_codes: frozenset = frozenset()

    def classify(self, body: dict) -> Verdict:
        code = body.get("errcode", 0)
        if code in (0, None, "0"):
            return Verdict("ok")
        message = str(body.get("errmsg", ""))[:120]
        if code in self.token_codes:
            return Verdict("token", code, message)
        if code in self.retry_codes:
            return Verdict("retry", code, message)
        return Verdict("error", code, message)


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def epoch(value):
    """A time the API documents as epoch seconds but may send as a digit string (the group message
    list's `create_time`): the landing holds integers, as the contract reads them."""
    return int(value) if isinstance(value, str) and value.isdigit() else value
