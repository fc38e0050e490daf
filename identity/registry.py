"""Stable customer ids across runs.

A component of identifiers becomes a customer. Its id must survive re-runs, so ids come from the
previous run's map, not from the component's shape:
- no identifier seen before → a new id, derived with the warehouse secret from the component's anchor
  (its earliest identifier), so the same data and secret give the same ids on a fresh warehouse;
- identifiers of several previous customers → a merge: the oldest previous id survives;
- a previous customer's identifiers now in several components → a split: each part gets a new id.
Every merge and split is returned as a change row. A new id is never one issued before (a customer
kept elsewhere, or retired by a merge or split): when the anchor's id is taken — its identifier left
a customer that lives on and now comes back alone — the id is derived again with a counter.

Keyed, so an id reveals nothing: HMAC-SHA256 under a key derived from the warehouse secret
(SIYU_PHONE_SALT), cut to 16 hex digits behind `c_`. Whoever holds a unionid or an external_userid
but not the secret cannot compute the customer id and look the person up in the marts; an unkeyed
hash of the anchor (these ids until now) could be recomputed for 24 of 25 customers of a warehouse.
Ids issued before keying are kept, like every id: stability wins (README, "Customer ids").
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable

import pandas as pd

CHANGE_COLUMNS = ["change_type", "old_customer_id", "new_customer_id"]


# Its own key, not the secret itself: what is hashed for a customer id is never hashed for a phone.
ID_KEY_LABEL = b"siyu customer id v1"


def id_key(secret: bytes) -> bytes:
    """The key customer ids are derived with, from the warehouse secret."""
    if not secret:
        raise ValueError("customer ids need the warehouse secret (SIYU_PHONE_SALT); none was given")
    return hmac.new(secret, ID_KEY_LABEL, hashlib.sha256).digest()


def _new_id(key: bytes, anchor: str, salt: str = "") -> str:
    # 16 hex digits (64 bits): a clash among 10^7 customers has odds ~3×10^-6, and is re-derived anyway
    return "c_" + hmac.new(key, f"{anchor}|{salt}".encode(), hashlib.sha256).hexdigest()[:16]


def assign_ids(nodes: pd.DataFrame, previous: pd.DataFrame, previous_customers: pd.DataFrame,
               issued: Callable[[Iterable[str]], set[str]] = lambda ids: set(), *, secret: bytes):
    """nodes: id_type, id_value, first_seen_at, label. previous: id_type, id_value, customer_id.
    previous_customers: customer_id, first_seen_at. issued(ids): which of these ids were issued before
    (by any run, whatever part of the graph this call sees). secret: the warehouse secret new ids are
    keyed with. Returns (map, customers, changes)."""
    df = nodes.merge(previous, on=["id_type", "id_value"], how="left")
    df["anchor"] = df["id_type"] + ":" + df["id_value"]
    ordered = df.sort_values(["label", "first_seen_at", "anchor"], na_position="last")
    anchors = ordered.groupby("label", sort=False)["anchor"].first()
    born = ordered.groupby("label", sort=False)["first_seen_at"].min()

    # Each (component, previous customer) pair once; a previous customer in several components splits.
    pairs = df.dropna(subset=["customer_id"])[["label", "customer_id"]].drop_duplicates()
    pairs["split"] = pairs.groupby("customer_id")["label"].transform("size") > 1
    ages = previous_customers.drop_duplicates("customer_id").set_index("customer_id")["first_seen_at"]
    pairs["age"] = pairs["customer_id"].map(ages) if len(ages) else pd.NaT
    # The oldest whole previous customer survives a merge; unknown ages sort last, then by id.
    whole = pairs[~pairs["split"]].sort_values(["label", "age", "customer_id"], na_position="last")
    ids: dict[int, str] = whole.groupby("label", sort=False)["customer_id"].first().to_dict()

    # Everything else gets a new id, salted with the ids it was split from.
    fresh_labels = anchors.index[~anchors.index.isin(list(ids))]
    split_from = (pairs[pairs["label"].isin(fresh_labels)].sort_values(["label", "customer_id"])
                  .groupby("label")["customer_id"].agg(",".join))
    fresh = {label: split_from.get(label, "") for label in fresh_labels}
    _new_ids(ids, fresh, anchors, issued, id_key(secret))

    pairs["survivor"] = pairs["label"].map(ids)
    pairs["change_type"] = pairs["split"].map({True: "split", False: "merge"})
    changed = pairs[pairs["split"] | (pairs["customer_id"] != pairs["survivor"])]
    changes = changed.rename(columns={"customer_id": "old_customer_id", "survivor": "new_customer_id"})

    df["customer_id"] = df["label"].map(ids)
    # not `born.values`: it drops the time zone, and the fillna below would mix naive and aware times
    customers = pd.DataFrame({"customer_id": [ids[lab] for lab in anchors.index],
                              "first_seen_at": born.reindex(anchors.index).reset_index(drop=True)})
    if len(previous_customers):
        kept = previous_customers.set_index("customer_id")["first_seen_at"]
        customers["first_seen_at"] = customers["customer_id"].map(kept).fillna(customers["first_seen_at"])
    mapping = df[["id_type", "id_value", "customer_id"]].reset_index(drop=True)
    return mapping, customers, changes[CHANGE_COLUMNS].reset_index(drop=True)


def _new_ids(ids: dict, fresh: dict, anchors: pd.Series, issued: Callable[[Iterable[str]], set[str]],
             key: bytes) -> None:
    """Fill ids[label] for each label in `fresh` with an id derived from its anchor that neither an
    earlier run nor this one has issued."""
    attempt, anchor_of = 0, anchors.to_dict()
    pending = dict(fresh)
    while pending:
        candidates = {label: _new_id(key, anchor_of[label], salt if attempt == 0 else f"{salt}#{attempt}")
                      for label, salt in pending.items()}
        taken = issued(candidates.values()) | set(ids.values())
        for label, candidate in candidates.items():
            if candidate not in taken:
                ids[label] = candidate
                taken.add(candidate)
                del pending[label]
        attempt += 1
