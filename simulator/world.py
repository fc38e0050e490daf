"""The brand's master data for one simulation: stores, staff, products, campaigns, live rooms,
mass-message tasks and test accounts. Built once from the seed; every chunk reads it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from . import campaigns as camp
from .catalog import GIVEN, GIVEN_PINYIN, PRODUCTS, STORES, SURNAME_PINYIN, SURNAMES
from .clock import DAY, Window, at_hour, day_start
from .config import SimConfig
from .ids import Ids

EMPLOYEE_PID = 90_000_000  # person numbers of staff and test accounts, far above any customer's
TEST_PID = 91_000_000


@dataclass
class Employee:
    idx: int
    userid: str
    name: str
    store: str
    role: str
    cashier: str
    mobile: str | None
    hired: int
    left: int | None = None
    add_mult: float = 1.0      # how often a contacted customer ends up a friend
    reply_min: float = 15.0    # mean minutes to answer a customer
    conv_mult: float = 1.0     # how well their messages sell
    delete_mult: float = 1.0   # guides who prune their contact list delete 5× as often
    lazy_phone: bool = False   # types their own phone into customers' remark_mobiles
    mass_per_week: float = 1.0
    successor: Employee | None = None
    tasks: list[tuple[str, int, float, bool]] = field(default_factory=list)  # msgid, time, share, group

    @property
    def pid(self) -> int:
        return EMPLOYEE_PID + self.idx

    def active(self, t: int) -> bool:
        return self.hired <= t and (self.left is None or t < self.left)


@dataclass
class Product:
    sku: str
    title: str
    category: str
    price: float
    is_trial: bool


@dataclass
class World:
    seed: int
    cfg: SimConfig
    window: Window
    ids: Ids
    stores: list[tuple]
    store_open: dict[str, int]
    employees: list[Employee]
    guides_by_store: dict[str, list[Employee]]
    service: list[Employee]
    products: list[Product]
    campaigns: list[camp.Campaign]
    choices_in: dict
    choices_pre: dict
    live_rooms: list[tuple[str, int, int]]
    test_accounts: list[tuple[str, str, str, int]]  # id_type, id_value, note, pid
    corp_id: str
    oa_id: str
    cashiers: dict[str, list[Employee]] = field(default_factory=dict)
    snapshots: dict[str, tuple[int, ...]] = field(default_factory=dict)   # entity → delivered days
    authors: tuple[str, ...] = ("88231045612", "61520098834", "70311294507")

    @property
    def trial(self) -> list[Product]:
        return [p for p in self.products if p.is_trial]

    @property
    def full(self) -> list[Product]:
        return [p for p in self.products if not p.is_trial and p.category != "sample"]

    @property
    def samples(self) -> list[Product]:
        return [p for p in self.products if p.category == "sample"]


def _staff(rng: random.Random, ids: Ids, window: Window, customers: int,
           store_open: dict[str, int]) -> list[Employee]:
    n_days = window.last_day - window.first_day + 1
    per_store = max(3, min(40, round(customers / (13 * 150))))
    staff: list[Employee] = []

    def add(store: str, role: str) -> Employee:
        i = len(staff)
        s = rng.randrange(len(SURNAMES))
        g = rng.randrange(len(GIVEN))
        hired = max(store_open[store], window.history_start - rng.randrange(30, 900) * DAY)
        cashier = f"C{store[1:]}{sum(e.store == store for e in staff) + 1:02d}" if role != "service" else ""
        mobile = ids.phone(EMPLOYEE_PID + i) if rng.random() < 0.9 else None
        userid = f"{SURNAME_PINYIN[s]}{GIVEN_PINYIN[g]}{i:03d}"
        name = SURNAMES[s] + GIVEN[g] + rng.choice(GIVEN)
        e = Employee(i, userid, name, store, role, cashier, mobile, hired)
        e.add_mult = math.exp(rng.gauss(0, 0.35))
        e.reply_min = math.exp(rng.gauss(math.log(12), 0.8))
        e.conv_mult = math.exp(rng.gauss(0, 0.4))
        e.delete_mult = 5.0 if rng.random() < 0.1 else 1.0
        e.lazy_phone = e.mobile is not None and rng.random() < 0.12
        e.mass_per_week = rng.uniform(0.5, 2.5)
        staff.append(e)
        return e

    for code, *_ in STORES[1:]:
        add(code, "manager")
        for _ in range(per_store):
            e = add(code, "guide")
            u = rng.random()
            if u < 0.06:    # left before the window: only an org/employee row with status left
                e.left = window.start - rng.randrange(10, 200) * DAY
            elif u < 0.14:  # leaves during the window: customers transferred to a colleague
                e.left = window.start + rng.randrange(int(n_days * 0.2), max(int(n_days * 0.85), 1) + 1) * DAY
            elif u < 0.20:  # joins during the window
                joined = rng.randrange(int(n_days * 0.1), max(int(n_days * 0.6), 1) + 1)
                e.hired = max(e.hired, window.start + joined * DAY)
    for _ in range(max(2, per_store // 2)):
        add("S000", "service")
    return staff


def _tasks(rng: random.Random, ids: Ids, staff: list[Employee], window: Window) -> None:
    """One-to-one or group mass messages (群发) each guide creates, ~1–2 a week."""
    for e in staff:
        if e.role == "service":
            continue
        for d in window.days:
            t = at_hour(rng, d, "office")
            if e.active(t) and rng.random() < e.mass_per_week / 7:
                msgid = "msg" + ids.token("groupmsg", e.idx * 100_000 + d, 22)
                e.tasks.append((msgid, t, rng.uniform(0.3, 0.9), rng.random() < 0.2))


def build(seed: int, customers: int, window: Window, cfg: SimConfig) -> World:
    rng = random.Random(f"{seed}:world")
    ids = Ids(seed)
    store_open = {s[0]: day_start(_day(s[4])) for s in STORES}
    staff = _staff(rng, ids, window, customers, store_open)
    for e in staff:
        if e.left and e.left > window.start:
            mates = [m for m in staff if m.store == e.store and m.role == "guide" and m.left is None
                     and m.hired < e.left]
            boss = next(m for m in staff if m.role == "manager" and m.store == e.store)
            e.successor = rng.choice(mates) if mates else boss
    _tasks(rng, ids, staff, window)
    by_store: dict[str, list[Employee]] = {}
    for e in staff:
        if e.role == "guide":
            by_store.setdefault(e.store, []).append(e)
    campaigns = camp.catalogue()
    camp.place(campaigns, window)
    camp.expected_daily(campaigns, window, customers * (1 - cfg.pre_window_share))
    rooms = [(str(7_400_000_000_000_000_000 + ids.number("room", d, 15)), day_start(d) + 19 * 3600 + 1800,
              day_start(d) + 23 * 3600) for d in window.days if (d - window.first_day) % 7 in (2, 5)]
    products = [Product(s, t, c, float(p), bool(tr)) for s, t, c, p, tr in PRODUCTS]
    tests = [("unionid", ids.unionid(TEST_PID), "内部测试账号-运营"),
             ("phone", ids.phone(TEST_PID + 1), "收银测试手机号"),
             ("external_userid", ids.external_userid(TEST_PID + 2), "企微测试客户"),
             ("openid", ids.oa_openid(TEST_PID + 3), "公众号测试粉丝"),
             ("yz_open_id", ids.yz_open_id(TEST_PID + 4), "有赞测试买家")]
    world = World(
        seed, cfg, window, ids, list(STORES), store_open, staff, by_store,
        [e for e in staff if e.role == "service"], products, campaigns,
        camp.path_choices(campaigns, window, pre=False), camp.path_choices(campaigns, window, pre=True),
        rooms,
        [(k, v, note, TEST_PID + i) for i, (k, v, note) in enumerate(tests)],
        "ww" + ids.token("corp", 0, 16, "hex"), "gh_" + ids.token("oa_gh", 0, 12, "hex"),
    )
    for e in staff:
        if e.cashier:
            world.cashiers.setdefault(e.store, []).append(e)
    world.snapshots = window.snapshot_schedule(seed, cfg.shapes.snapshot_skipped)
    return world



def _day(iso: str) -> int:
    from datetime import date

    from .clock import EPOCH

    return (date.fromisoformat(iso) - EPOCH).days
