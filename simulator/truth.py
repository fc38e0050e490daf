"""`_truth/`: what really happened, for tests and benchmarks (the pipeline never reads it)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .clock import Window, day_of, day_str, iso_utc
from .people import Person
from .shops import yuan

HEADERS = {
    "identities": ("person_id", "id_type", "id_value"),
    "persons": ("person_id", "kind", "household_id", "home_store_code", "primary_guide_userid_at_end",
                "has_real_phone", "acquired_at_utc", "entry_path", "entry_campaign_id", "is_pre_window",
                "has_unionid", "is_heavy_buyer", "fission_generation"),
    "orders": ("source", "order_id", "person_id", "paid_at_utc", "paid_amount", "refunded_amount",
               "net_amount", "is_paid_order", "is_trial_order", "is_defective", "live_room_id"),
    "friendships": ("person_id", "external_userid", "userid", "started_at_utc", "ended_at_utc", "end_reason",
                    "channel_code", "add_way", "end_event_logged", "ended_on_date"),
    "invitations": ("campaign_id", "inviter_person_id", "invitee_person_id", "first_ts_utc", "is_self",
                    "generation"),
    "defects": ("file", "row_number", "defect", "expected", "field"),
}
SHAPES_HEADER = ("entity", "shape", "unit", "count", "of", "share", "expected")


class Truth:
    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self._files = {name: (root / f"{name}.csv").open("w", encoding="utf-8", newline="")
                       for name in HEADERS}
        self.w = {name: csv.writer(fh, lineterminator="\n") for name, fh in self._files.items()}
        for name, header in HEADERS.items():
            self.w[name].writerow(header)
        self.defects = self.w["defects"]
        self.counts = {name: 0 for name in HEADERS if name != "defects"}
        self.kinds: dict[str, int] = {}

    def write_people(self, people: list[Person], win: Window, snaps: tuple[int, ...]) -> None:
        """`snaps`: the days wecom/external_contact was delivered (a relation that ends with no
        callback ends on the first of them it is missing from)."""
        for p in people:
            if not p.ids_seen and not p.orders:
                continue   # never visible in any landing file (anonymous receipts still count)
            pid = p.person_id
            self.kinds[p.kind] = self.kinds.get(p.kind, 0) + 1
            active = sorted((f for f in p.friendships if f.end is None or f.end >= win.end),
                            key=lambda f: f.start)
            primary = active[0].guide.userid if active else ""
            self._row("persons", pid, p.kind, f"H{p.household:08d}", p.store, primary,
                      int(any(k == "phone" for k, _ in p.ids_seen)),
                      iso_utc(p.first_seen) if p.first_seen < 1 << 62 else "", p.path,
                      p.campaign.campaign_id if p.campaign else "", int(p.pre), int(p.unionid is not None),
                      int(p.heavy), p.generation if p.inviter else "")
            for id_type, value in sorted(p.ids_seen):
                self._row("identities", pid, id_type, value)
            for f in p.friendships:
                ended = f.end is not None and f.end < win.end
                on = ""
                if ended:
                    d = day_of(f.end)
                    on = day_str(d if f.logged else next(s for s in snaps if s >= d))
                self._row("friendships", pid, p.ext, f.guide.userid, iso_utc(f.start),
                          iso_utc(f.end) if ended else "", f.reason if ended else "", f.state or "",
                          f.add_way, int(f.logged) if ended else "", on)
            for cid, inviter, first, is_self, generation in p.invitations:
                self._row("invitations", cid, inviter.person_id, pid, iso_utc(first), is_self, generation)
            for o in p.orders:
                net = o.paid_fen - o.refunded_fen
                self._row("orders", o.source, o.order_id, pid, iso_utc(o.paid_at), yuan(o.paid_fen),
                          yuan(o.refunded_fen), ("-" + yuan(-net)) if net < 0 else yuan(net), int(o.is_paid),
                          int(o.is_trial), int(o.defective), o.live_room or "")

    def _row(self, name: str, *values) -> None:
        self.w[name].writerow(values)
        self.counts[name] += 1

    def close(self, manifest: dict, shapes: list[tuple]) -> None:
        for fh in self._files.values():
            fh.close()
        with (self.root / "shapes.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(SHAPES_HEADER)
            w.writerows(shapes)
        text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
        (self.root / "manifest.json").write_text(text + "\n", encoding="utf-8")
