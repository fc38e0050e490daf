"""`siyu forget` on a small simulated brand: the person picked from the identity map (a customer with
a phone and several other identifiers) is erased by their phone, as typed by a person; afterwards
no table of the warehouse or of the published copy, no file of Dagster's storage and no Data Docs
file holds any of their identifiers, their phone hash or their customer id; exactly one customer
fewer is counted; and a re-delivery of their landing files under new names loads nothing of them."""

import json
import shutil
import zipfile

import duckdb
import pytest

from ingestion.normalise.phones import hash_phone
from orchestration.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("no_night_workers")]  # three pipeline runs
SALT = "forget-test-salt-0123456789abcdefXYZ"
BRAND = {"customers": 80, "days": 6, "seed": 5, "end_date": "2026-10-31"}


def texts_of(path) -> dict[str, str]:
    """Every table and view of a DuckDB file, its rows as text (an oracle apart from forget's scan)."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() union all "
            "select schema_name, view_name from duckdb_views() where not internal"
        ).fetchall()
        return {f"{s}.{t}": str(con.execute(f'select * from "{s}"."{t}"').fetchall()) for s, t in names}


def files_holding(root, values) -> list[str]:
    hits = []
    for p in root.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            if p.suffix == ".xlsx":  # the guides' task lists: zipped XML parts
                with zipfile.ZipFile(p) as z:
                    data = b"".join(z.read(name) for name in z.namelist())
            hits += [f"{p.relative_to(root)}" for v in values if v.encode() in data]
    return hits


def traces(brand, values) -> list[str]:
    found = [
        f"{t}"
        for path in (brand["warehouse"], brand["published"])
        for t, text in texts_of(path).items()
        if t != "raw._suppressed" and any(v in text for v in values)
    ]
    exports = brand["warehouse"].parent / "exports"  # guides' task lists, tonight's and earlier
    return (found + files_holding(brand["dagster"], values) + files_holding(brand["docs"], values)
            + files_holding(exports, values))


@pytest.fixture(scope="module")
def brand(tmp_path_factory):
    from simulator import simulate

    root = tmp_path_factory.mktemp("forget")
    with pytest.MonkeyPatch.context() as mp:
        env = {
            "SIYU_LANDING_DIR": root / "landing",
            "SIYU_WAREHOUSE": root / "warehouse.duckdb",
            "SIYU_PHONE_SALT": SALT,
            "DAGSTER_HOME": root / "dagster",
            "SIYU_QUALITY_DOCS": root / "docs",
            "SIYU_PUBLISHED": root / "warehouse.published.duckdb",
        }
        for k, v in env.items():
            mp.setenv(k, str(v))
        from datetime import date

        simulate(root / "landing", **{**BRAND, "end_date": date.fromisoformat(BRAND["end_date"])})
        assert main(["run"]) == 0
        yield {
            "root": root,
            "landing": root / "landing",
            "warehouse": root / "warehouse.duckdb",
            "published": root / "warehouse.published.duckdb",
            "dagster": root / "dagster",
            "docs": root / "docs",
        }


# Scores ranked among all buyers (RFM quintiles, the top-revenue super users) move when a buyer
# leaves the population; every other column of another customer must not.
RELATIVE = (
    "rfm_recency_score",
    "rfm_frequency_score",
    "rfm_monetary_score",
    "rfm_segment_cn",
    "rfm_segment_en",
    "is_super_user",
)


def user_assets(con) -> dict[str, tuple]:
    """customer id -> their user_assets row without the population-relative columns."""
    cur = con.execute(f"select * exclude ({', '.join(RELATIVE)}) from marts.user_assets")
    rows = cur.fetchall()
    key = [d[0] for d in cur.description].index("customer_id")
    return {r[key]: r for r in rows}


@pytest.fixture(scope="module")
def person(brand):
    """The customer of `user_assets` with the most identifiers among those holding a phone the truth
    gives as a number."""
    truth = [
        line.split(",")
        for line in (brand["landing"] / "_truth" / "identities.csv").read_text().splitlines()[1:]
    ]
    phones = {hash_phone(v, SALT.encode()): v for _, t, v in truth if t == "phone"}
    with duckdb.connect(str(brand["warehouse"]), read_only=True) as con:
        rows = con.execute(
            "select customer_id, list(id_type), list(id_value) from identity.customer_map "
            "semi join marts.user_assets using (customer_id) "
            "group by 1 having bool_or(id_type = 'phone') order by count(*) desc, 1"
        ).fetchall()
        customers = user_assets(con)
    customer, types, values = next(r for r in rows if any(v in phones for v in r[2]))
    phone = next(phones[v] for v in values if v in phones)
    assert len(types) >= 3, types
    return {"customer": customer, "values": values, "phone": phone, "customers_before": customers}


def test_an_unknown_id_type_or_bad_phone_changes_nothing(brand, capsys):
    before = brand["warehouse"].read_bytes()
    assert main(["forget", "passport", "E1234567"]) == 2
    assert main(["forget", "phone", "138****5678"]) == 2
    bad = brand["root"] / "requests.csv"
    bad.write_text("id_type,value\nunionid,oX\nphone\n")
    assert main(["forget", "--file", str(bad)]) == 2
    assert main(["forget", "--file", str(brand["root"] / "missing.csv")]) == 2
    assert "unknown id type 'passport'" in capsys.readouterr().err
    assert brand["warehouse"].read_bytes() == before


def test_forget_leaves_no_trace_and_one_customer_fewer(brand, person):
    national = person["phone"][3:]
    typed = f"{national[:3]} {national[3:7]} {national[7:]}"  # as a person gives it
    needles = [*person["values"], person["customer"], national]
    assert traces(brand, needles)  # the scan finds the person before
    assert main(["forget", "phone", typed]) == 0
    assert traces(brand, needles) == []
    with duckdb.connect(str(brand["warehouse"]), read_only=True) as con:
        after = user_assets(con)
        entries = con.execute("select count(*) from raw._suppressed").fetchall()[0][0]
    before = person["customers_before"]
    # one customer fewer; the others as they were (population-relative scores aside)
    assert set(after) == set(before) - {person["customer"]}
    assert {c: row for c, row in after.items() if row != before[c]} == {}
    assert entries >= len(person["values"])
    (report,) = (brand["warehouse"].parent / "forget_reports").glob("*.json")
    text = report.read_text()
    assert json.loads(text)["customers_removed"] == 1 and not any(v in text for v in needles)
    # again: idempotent, nothing new to suppress, and nothing to rebuild (the scan finds nothing)
    assert main(["forget", "phone", national]) == 0
    with duckdb.connect(str(brand["warehouse"]), read_only=True) as con:
        assert con.execute("select count(*) from raw._suppressed").fetchall()[0][0] == entries
    reports = (brand["warehouse"].parent / "forget_reports").glob("*.json")
    again = max(reports, key=lambda p: p.stat().st_mtime_ns)
    assert json.loads(again.read_text())["rebuild"].startswith("not needed"), again.read_text()


def test_a_redelivery_of_the_persons_files_loads_nothing_of_them(brand, person):
    needles = [*person["values"], person["customer"], person["phone"][3:]]
    reports = sorted((brand["warehouse"].parent / "forget_reports").glob("*.json"))
    held = json.loads(reports[0].read_text())["landing_files_holding_the_person"]
    copies = []
    for rel in (r for r in held if not r.startswith("_truth")):
        src = brand["landing"] / rel
        copies.append(src.with_name(f"redelivered-{src.name}"))
        shutil.copy(src, copies[-1])
    assert copies
    assert main(["run"]) == 0
    assert traces(brand, needles) == []
    rels = [c.relative_to(brand["landing"]).as_posix() for c in copies]
    with duckdb.connect(str(brand["warehouse"]), read_only=True) as con:
        suppressed = con.execute(
            "select sum(suppressed) from raw._load_log where list_contains(?, file)", [rels]
        ).fetchall()[0][0]
        users = set(user_assets(con))
    assert suppressed >= len(copies) and users == set(person["customers_before"]) - {person["customer"]}
