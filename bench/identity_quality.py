"""Pairwise precision and recall of identity resolution against the simulator's truth.

Usage: python bench/identity_quality.py <landing dir with _truth/> <warehouse.duckdb> <phone salt>

Pairs are identifier pairs: the pipeline "says" two identifiers are one person when they share a
customer id in identity.customer_map (excluded people included); the truth says so when
_truth/identities.csv gives them one person_id. Identifiers the truth gives to several persons
(shared family phones) are left out of both.

Two bounds put the figures in context:
- the *linkable* recall ceiling: recall of the unprotected link graph (every link any record gives,
  no blocklist, cap or veto) — the same person's accounts that no record ever names together cannot
  be found by anyone;
- where the false merges come from: wrong pairs inside customers that hold a phone the truth gives
  to several persons (a family's shared phone) versus all others.
"""

import hashlib
import hmac
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

TRUTH_TYPES = {"oa_openid": "oa_openid", "mp_openid": "mp_openid"}


def pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def main(landing: Path, warehouse: Path, salt: str) -> dict:
    truth = pd.read_csv(landing / "_truth" / "identities.csv", dtype=str)
    phone = truth.id_type == "phone"
    truth.loc[phone, "id_value"] = truth.loc[phone, "id_value"].map(
        lambda v: hmac.new(salt.encode(), v.encode(), hashlib.sha256).hexdigest())
    shared = truth.groupby(["id_type", "id_value"]).person_id.transform("nunique") > 1
    family_phones = truth[shared & phone].drop_duplicates(["id_type", "id_value"])
    truth = truth[~shared].drop_duplicates(["id_type", "id_value"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mapped = con.execute("select id_type, id_value, customer_id from identity.customer_map").df()
        links = con.execute("select left_type, left_value, right_type, right_value"
                            " from intermediate.int_identity__links").df()
    joined = truth.merge(mapped, on=["id_type", "id_value"])
    predicted = pairs(joined.groupby("customer_id").size())
    actual = pairs(joined.groupby("person_id").size())
    agreed = pairs(joined.groupby(["customer_id", "person_id"]).size())

    with_family_phone = set(mapped.merge(family_phones, on=["id_type", "id_value"]).customer_id)
    inside = joined.customer_id.isin(with_family_phone)
    wrong_near_family_phone = pairs(joined[inside].groupby("customer_id").size()) - pairs(
        joined[inside].groupby(["customer_id", "person_id"]).size())

    unprotected = joined.assign(group=_unprotected_groups(links, joined))
    ceiling = pairs(unprotected.groupby(["group", "person_id"]).size())
    return {
        "identifiers_evaluated": len(joined),
        "truth_persons": int(joined.person_id.nunique()),
        "customers": int(joined.customer_id.nunique()),
        "pairwise_precision": round(agreed / predicted, 4) if predicted else None,
        "pairwise_recall": round(agreed / actual, 4) if actual else None,
        "wrong_pairs": predicted - agreed,
        "wrong_pairs_in_customers_holding_a_family_phone": wrong_near_family_phone,
        "linkable_recall_ceiling": round(ceiling / actual, 4) if actual else None,
        "recall_of_linkable_pairs": round(agreed / ceiling, 4) if ceiling else None,
    }


def _unprotected_groups(links: pd.DataFrame, joined: pd.DataFrame) -> np.ndarray:
    """Component of each evaluated identifier in the graph of every link, no protection applied."""
    keys = pd.concat([
        links[["left_type", "left_value"]].set_axis(["id_type", "id_value"], axis=1),
        links[["right_type", "right_value"]].set_axis(["id_type", "id_value"], axis=1),
        joined[["id_type", "id_value"]],
    ]).drop_duplicates().reset_index(drop=True)
    index = pd.MultiIndex.from_frame(keys)
    left = index.get_indexer(pd.MultiIndex.from_frame(links[["left_type", "left_value"]]))
    right = index.get_indexer(pd.MultiIndex.from_frame(links[["right_type", "right_value"]]))
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(len(keys), len(keys)))
    _, labels = connected_components(graph, directed=False)
    return labels[index.get_indexer(pd.MultiIndex.from_frame(joined[["id_type", "id_value"]]))]


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]))
