"""Personal data planted where no field expects it, by editing a simulated landing in place (issue 12).

A mobile (as `13905710001`, `139-0571-0001` or `+86 139 0571 0001`), an ID-card number and an e-mail
address go into free text (a group name, a channel's description, a product title, a campaign name,
a line title and the buyer's message inside a Youzan order, Douyin's receiver fields), whole
identifiers (a POS card number, a Tmall nick), a page path's query string, unread personal keys
(a WeCom remark, a Youzan receiver) and records that are quarantined (an openid that is a phone, a
note, a time, a campaign name). Each site gets its own number, so a leak names where it was planted.
"""

import csv
import io
import json
from pathlib import Path

from landing_variants import decode

ID_CARD, EMAIL = "110101199003074512", "zhang.planted@example.com"


def phone(site: int, style: str = "plain") -> str:
    digits = f"1390571{site:04d}"
    return {"plain": digits, "dash": f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
            "spaced": f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"}[style]


SITES = {  # site number → where its phone is planted
    1: "wecom group name", 2: "channel description", 3: "channel campaign name", 4: "product title",
    5: "ads campaign name", 6: "youzan buyer message", 7: "youzan line title", 8: "youzan receiver",
    9: "douyin receiver", 10: "douyin line product name", 11: "pos card number", 12: "tmall nick",
    13: "mp page path query", 14: "quarantined mp openid", 15: "quarantined test account note",
    16: "quarantined event openid", 17: "quarantined event time", 18: "quarantined ads campaign",
    19: "wecom corp name", 20: "wecom remark",
}
NEEDLES = {phone(k): v for k, v in SITES.items()} | {ID_CARD: "id card", EMAIL: "e-mail"}
# A code (a WeCom contact-way `state`) that is a phone: a referral QR code may carry its sharer's number.
CODE_NEEDLES = {phone(21): "wecom contact state (a code)"}


def _first(landing: Path, pattern: str) -> Path:
    return sorted(landing.glob(pattern))[0]


def _edit_csv(path: Path, edit) -> None:
    rows = list(csv.reader(io.StringIO(decode(path.read_bytes()), newline="")))
    header, body = rows[0], rows[1:]
    edit([dict(zip(header, r, strict=False)) for r in body], body, header)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path.write_text(out.getvalue(), encoding="utf-8")


def _set(body, header, i: int, column: str, value: str) -> None:
    body[i][header.index(column)] = value


def _edit_jsonl(path: Path, edit) -> None:
    """edit(records) changes or appends objects; lines that are not objects (truncated) are kept."""
    lines = [line for line in decode(path.read_bytes()).splitlines() if line.strip()]
    objects = [json.loads(line) for line in lines if line.startswith("{")]
    edit(objects)
    kept = [line for line in lines if not line.startswith("{")]
    text = "\n".join([json.dumps(r, ensure_ascii=False) for r in objects] + kept)
    path.write_text(text + "\n", encoding="utf-8")


def plant(landing: Path) -> dict:
    """Edit the simulated landing in place; returns raw platform ids of customers in it."""
    ids = {}

    def group(rs):
        rs[0]["group_chat"]["name"] = f"福利群 联系{phone(1, 'dash')} {EMAIL}"
    _edit_jsonl(_first(landing, "wecom/group_chat/*/*.jsonl"), group)

    def channel(rows, body, h):
        _set(body, h, 0, "description", f"店长 {phone(2, 'spaced')} 身份证{ID_CARD}")
        _set(body, h, 1, "campaign_name", f"{phone(3)}专属")
    _edit_csv(_first(landing, "org/channel_code/*/*.csv"), channel)
    _edit_csv(_first(landing, "org/product/*/*.csv"),
              lambda rows, body, h: _set(body, h, 0, "title", f"定制{phone(4)}"))

    def ads(rows, body, h):
        _set(body, h, 0, "campaign_name", f"投放 {phone(5, 'dash')} {EMAIL}")
        body.append(list(body[0]))  # quarantined: an amount nobody can read
        _set(body, h, len(body) - 1, "campaign_name", f"退款 {phone(18)}")
        _set(body, h, len(body) - 1, "cost", "abc")
    _edit_csv(_first(landing, "ads/spend/*/*.csv"), ads)

    def youzan(rs):
        order = rs[0]["full_order_info"]
        line = order["orders"][0]
        line["buyer_messages"] = f"身份证 {ID_CARD} 电话 {phone(6, 'spaced')}"
        line["title"] = f"{line['title']} 预留{phone(7)}"
        order["address_info"] = {"receiver_name": "张三", "receiver_tel": phone(8)}
        ids["yz_open_id"] = rs[-1]["full_order_info"]["buyer_info"]["yz_open_id"]
    _edit_jsonl(_first(landing, "youzan/trade/*/*.jsonl"), youzan)

    def douyin(rs):
        rs[0].update(post_receiver="张三", post_tel=phone(9, "spaced"), buyer_words=f"打我 {phone(9)}",
                     post_addr={"detail": f"北京市朝阳区 {phone(9, 'dash')}"})
        rs[0]["sku_order_list"][0]["product_name"] = f"刻字 {phone(10, 'dash')}"
        ids["doudian_open_id"] = rs[-1]["doudian_open_id"]
    _edit_jsonl(_first(landing, "douyin/order/*/*.jsonl"), douyin)

    def pos(rows, body, h):
        _set(body, h, 0, "会员卡号", phone(11))
        ids["pos_card_no"] = next(r["会员卡号"] for r in rows[1:] if r["会员卡号"])
    _edit_csv(_first(landing, "pos/receipt/*/*.csv"), pos)

    def tmall(rows, body, h):
        _set(body, h, 0, "买家会员名", phone(12))
        ids["tmall_buyer_nick"] = rows[-1]["买家会员名"]
    _edit_csv(_first(landing, "tmall/trade/*/*.csv"), tmall)

    def events(rs):
        rs[0]["page_path"] = f"/pages/form/index?mobile={phone(13)}&name=张三&addr=北京市朝阳区#top"
        rs.append(dict(rs[0], event_id="ev-planted-bad", openid=phone(16), ts=f"tel {phone(17, 'dash')}"))
    _edit_jsonl(_first(landing, "mp/event/*/*.jsonl"), events)

    def users(rs):  # a phone in the openid column: quarantined personal_data_in_id
        rs[0].update(openid=phone(14, "spaced"), created_at="昨天")
        ids["mp_openid"] = rs[-1]["openid"]
    _edit_jsonl(_first(landing, "mp/user/*/*.jsonl"), users)

    def contacts(rs):
        contact, follow = rs[0]["external_contact"], rs[0]["follow_info"]
        contact["corp_name"] = f"某公司 {phone(19, 'dash')}"
        follow["remark"], follow["description"] = f"王姐 {phone(20)}", f"住址 北京 {EMAIL}"
        follow["state"] = phone(21)
        ids["external_userid"], ids["unionid"] = contact["external_userid"], contact["unionid"]
    _edit_jsonl(_first(landing, "wecom/external_contact/*/*.jsonl"), contacts)

    def test_accounts(rows, body, h):  # quarantined: no id_value, a phone in its note
        body.append(["unionid", "", f"离职员工 联系{phone(15, 'dash')}"])
    _edit_csv(_first(landing, "org/test_account/*/*.csv"), test_accounts)
    return ids
