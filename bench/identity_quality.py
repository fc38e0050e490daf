"""Pairwise precision and recall of identity resolution against the simulator's truth.

Usage: python bench/identity_quality.py <landing dir with _truth/> <warehouse.duckdb> <phone salt>

Pairs are identifier pairs: the pipeline "says" two identifiers are one person when they share a
customer id in identity.customer_map (excluded people included); the truth says so when
_truth/identities.csv gives them one person_id. Identifiers the truth gives to several persons
(shared family phones) are left out of both. Recall also reports the *linkable* ceiling: pairs the
landing data connects at all (the same person's accounts that no record ever names together cannot
be found by anyone).
"""

import hashlib
import hmac
import sys
from pathlib import Path

import duckdb
import pandas as pd

TRUTH_TYPES = {"oa_openid": "oa_openid", "mp_openid": "mp_openid"}


def pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def main(landing: Path, warehouse: Path, salt: str) -> dict:
    truth = pd.read_csv(landing / "_truth" / "identities.csv", dtype=str)
    phone = truth.id_type == "phone"
    truth.loc[phone, "id_value"] = truth.loc[phone, "id_value"].map(
        lambda v: hmac.new(salt.encode(), v.encode(), hashlib.sha256).hexdigest())
    shared = truth.groupby(["id_type", "id_value"]).person_id.transform("nunique") > 1
    truth = truth[~shared].drop_duplicates(["id_type", "id_value"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mapped = con.execute("select id_type, id_value, customer_id from identity.customer_map").df()
    joined = truth.merge(mapped, on=["id_type", "id_value"])
    predicted = pairs(joined.groupby("customer_id").size())
    actual = pairs(joined.groupby("person_id").size())
    agreed = pairs(joined.groupby(["customer_id", "person_id"]).size())
    return {
        "identifiers_evaluated": len(joined),
        "truth_persons": int(joined.person_id.nunique()),
        "customers": int(joined.customer_id.nunique()),
        "pairwise_precision": round(agreed / predicted, 4) if predicted else None,
        "pairwise_recall": round(agreed / actual, 4) if actual else None,
    }


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]))
