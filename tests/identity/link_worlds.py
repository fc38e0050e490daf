"""Identifier graphs that change day by day, loaded as the dbt models the identity step reads.

A `World` holds every identifier (`nodes`) and link (`links`) seen so far; `advance` plays one day of a
brand: new people, accounts learning their unionid late (merges), corrected re-deliveries that drop
links (splits), family phones (unique-type veto), chains of phones, a guide's phone typed into more
and more remarks (degree cap), a unionid WeCom gives a second contact of the corp and a contact named
with a second unionid (strong links vetoed), blocklisting and un-blocklisting, and identifiers seen again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd

START = datetime(2026, 1, 1, tzinfo=UTC)
NODE_COLUMNS = ["id_type", "id_value", "first_seen_at", "records", "is_linkable", "block_reason"]
LINK_COLUMNS = ["left_type", "left_value", "right_type", "right_value", "link_kind"]


@dataclass
class World:
    seed: int
    nodes: dict = field(default_factory=dict)    # (id_type, id_value) -> [first_seen_at, records, linkable]
    links: dict = field(default_factory=dict)    # (*left, *right, link_kind) -> day added
    pending: list = field(default_factory=list)  # strong links a later day will reveal
    phones: list = field(default_factory=list)
    accounts: list = field(default_factory=list)  # non-phone identifiers that may carry a phone
    day: int = 0
    serial: int = 0

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def node(self, id_type: str, id_value: str | None = None) -> tuple[str, str]:
        if id_value is None:
            self.serial += 1
            id_value = f"{id_type[:2]}{self.serial}"
        key = (id_type, id_value)
        if key in self.nodes:
            self.nodes[key][1] += 1
        else:
            seen = None if self.rng.random() < 0.05 else START + timedelta(days=self.day, minutes=self.serial)
            self.nodes[key] = [seen, 1, True]
            if id_type != "phone":
                self.accounts.append(key)
        return key

    def link(self, account: tuple[str, str], other: tuple[str, str], kind: str = "strong") -> None:
        self.links[(*account, *other, kind)] = self.day

    def phone(self, account: tuple[str, str], shared: float = 0.08) -> None:
        reuse = self.phones and self.rng.random() < shared  # a family phone, or a guide's own
        number = self.rng.choice(self.phones) if reuse else self.node("phone")
        self.phones.append(number)
        self.link(account, number, "phone")

    def person(self) -> None:
        rng = self.rng
        if rng.random() < 0.75:
            unionid = self.node("unionid")
            for id_type in ("oa_openid", "mp_openid", "external_userid"):
                if rng.random() < 0.5:
                    account = self.node(id_type)
                    # a quarter of the accounts learn their unionid on a later day
                    if rng.random() < 0.25:
                        self.pending.append((account, unionid))
                    else:
                        self.link(account, unionid)
                    if rng.random() < 0.4:
                        self.phone(account)
        for id_type in ("yz_open_id", "pos_card_no", "clue_id", "tmall_member_id"):
            if rng.random() < 0.2:
                self.phone(self.node(id_type))

    def advance(self, people: int) -> None:
        """One more day. The first day only adds people."""
        rng, self.day = self.rng, self.day + 1
        for _ in range(people):
            self.person()
        if self.day == 1:
            return
        for _ in range(min(len(self.pending), rng.randint(0, 4))):
            self.link(*self.pending.pop(rng.randrange(len(self.pending))))
        guide = ("phone", f"guide{rng.randint(1, 3)}")  # typed into remarks, day after day
        for _ in range(rng.randint(1, 3)):
            self.link(rng.choice(self.accounts), self.node(*guide), "phone")
        if rng.random() < 0.5:  # a buyer whose two phones sit on two other people's accounts: a chain
            buyer = self.node("yz_open_id")
            for _ in range(2):
                number = self.node("phone")
                self.link(buyer, number, "phone")
                self.link(rng.choice(self.accounts), number, "phone")
        recent = [k for k, d in self.links.items() if d >= self.day - 2]
        dropped = {*rng.sample(recent, min(len(recent), rng.randint(0, 3))), *rng.sample(list(self.links), 1)}
        for key in dropped:
            del self.links[key]  # a corrected re-delivery no longer has these links
        for key in rng.sample(list(self.nodes), 3):
            if key[0] == "phone":
                self.nodes[key][2] = not self.nodes[key][2]  # blocklisted, or taken off the blocklist
        for key in rng.sample(self.phones, 5):  # seen again, on links already known
            self.nodes[key][1] += 1
        unknown = [k for k, v in self.nodes.items() if v[0] is None]
        for key in rng.sample(unknown, min(len(unknown), 3)):  # a corrected day gives the missing time
            self.nodes[key][0] = START + timedelta(days=self.day)
        if self.phones and rng.random() < 0.5:  # a relative logs in to the mini program with a family phone
            self.link(self.node("mp_openid"), rng.choice(self.phones), "phone")
        unionids = [k for k in self.nodes if k[0] == "unionid"]
        if rng.random() < 0.4:  # WeCom gives a known unionid to a second contact of the corp (a wo… id)
            self.link(self.node("external_userid"), rng.choice(unionids))
        contacts = [k for k in self.nodes if k[0] == "external_userid"]
        if rng.random() < 0.3:  # a group member row names a contact with another unionid
            self.link(rng.choice(contacts), rng.choice(unionids))

    def load(self, con: duckdb.DuckDBPyConnection) -> None:
        nodes = [(*k, seen, records, ok, None if ok else "blocklisted_value")
                 for k, (seen, records, ok) in self.nodes.items()]
        load(con, nodes, list(self.links))


def load(con: duckdb.DuckDBPyConnection, nodes: list[tuple], links: list[tuple]) -> None:
    """Replace intermediate.int_identity__nodes / __links with these rows (NODE_COLUMNS / LINK_COLUMNS)."""
    con.execute("""
        create schema if not exists intermediate;
        create or replace table intermediate.int_identity__nodes (id_type varchar, id_value varchar,
            first_seen_at timestamptz, records bigint, is_linkable boolean, block_reason varchar);
        create or replace table intermediate.int_identity__links (left_type varchar, left_value varchar,
            right_type varchar, right_value varchar, link_kind varchar);
    """)
    for table, rows, columns in (("nodes", nodes, NODE_COLUMNS), ("links", links, LINK_COLUMNS)):
        if rows:
            con.register("_rows", pd.DataFrame(rows, columns=columns))
            con.execute(f"insert into intermediate.int_identity__{table} by name select * from _rows")
            con.unregister("_rows")


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """The identity schema as the marts read it (changes without their run time), sorted."""
    queries = {
        "customer_map": "select id_type, id_value, customer_id from identity.customer_map",
        "customers": "select customer_id, first_seen_at from identity.customers",
        "rejected": "select id_type, id_value, reason, records from identity.rejected",
        "changes": "select change_type, old_customer_id, new_customer_id from identity.changes",
    }
    return {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}


def partition(customer_map: list[tuple]) -> set[frozenset]:
    """Who is together, whatever the ids."""
    groups: dict[str, set] = {}
    for id_type, id_value, customer_id in customer_map:
        groups.setdefault(customer_id, set()).add((id_type, id_value))
    return {frozenset(g) for g in groups.values()}
