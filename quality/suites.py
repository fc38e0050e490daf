"""Expectation suites for raw tables, generated from the source contracts.

`rules(contract)` lists what a raw table must satisfy as plain data (no GX import, so the list is
cheap to compute and to test); `build_suite(contract)` turns it into a GX ExpectationSuite. Every
rule is part of the contract: a failure blocks the models downstream of the raw table (GX severity
'critical'). A key repeated within a day is not a contract breach (spec: a repeat of the same record is
a duplicate, the same key and version with other values a conflict that warns): quality.repeats.

What each field of a contract generates:
  required                not null (a phone: its kind is not 'empty'; `required_when`: not null on
                          the rows where the condition holds; `require_any`: one of the group present)
  enum                    in the set
  epoch_s/epoch_ms/local_ts  between 2010-01-01 (Beijing) and the run's last day end + the loader's
                          grace ($PARAMETER `latest_time`, so one suite serves any date range)
  yuan/fen                >= 0, unless `allow_negative`; then >= 0 except on returns (RETURN_MARKERS)
  phone                   `_kind` in PHONE_KINDS, `_hash` a 64-hex HMAC
  phone_when              the value is a 64-hex hash on the rows whose id type is a phone
  openid / *_openid       28 characters of [0-9A-Za-z_-]
  external_userid / *_external_userid   `wm…` or `wo…`; `wm` for contact_type 1, `wo` for 2
Column types are compared on the table schema instead (quality.raw_checks): GX 1.24's pandas type
expectations do not recognise pandas 3 extension dtypes (str, Int64, tz-aware datetimes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.contracts import PHONE_KINDS, TIME_TYPES, Contract, Field
from ingestion.contracts.model import EARLIEST_TIME

# WeChat openids are 28 URL-safe characters ("oU-ZOFJmH7OpplToG45T2cMF-HLf").
OPENID = r"^[0-9A-Za-z_-]{28}$"
# WeCom external_userids: `wm…` for WeChat users, `wo…` for WeCom users of other companies.
EXTERNAL_USERID = r"^w[mo][0-9A-Za-z_-]+$"
PHONE_HASH = r"^[0-9a-f]{64}$"
# Ids whose format depends on another column: (condition column, value, id column, regex).
CONDITIONAL_IDS = (
    ("contact_type", 1, "external_userid", r"^wm"),
    ("contact_type", 2, "external_userid", r"^wo"),
    ("id_type", "openid", "id_value", OPENID),
    ("id_type", "external_userid", "id_value", EXTERNAL_USERID),
)
# Money that may be negative only on returns, and the column that marks a return
# (spec: a POS return has a negative 金额 and names the original receipt in 原单流水号).
RETURN_MARKERS = {("pos", "receipt"): "original_receipt_no"}
LATEST_TIME = "latest_time"  # suite parameter: the newest time the run's days may hold


@dataclass(frozen=True)
class Rule:
    """One expectation as data: a GX expectation class name and its arguments."""

    expectation: str
    column: str | None
    args: dict = field(default_factory=dict)
    # (column, operator, value), operator '==', 'in' or 'all_null' (column is then a tuple of columns):
    # the rule applies to those rows only
    when: tuple | None = None
    note: str = ""

    @property
    def columns(self) -> list[str]:
        cols = [self.column] if self.column else list(self.args.get("column_list", []))
        if self.when:
            cols += list(self.when[0]) if self.when[1] == "all_null" else [self.when[0]]
        return cols


def id_format(column: str) -> str | None:
    if column == "openid" or column.endswith("_openid"):
        return OPENID
    if column == "external_userid" or column.endswith("_external_userid"):
        return EXTERNAL_USERID
    return None


NOT_NULL, IN_SET = "ExpectColumnValuesToNotBeNull", "ExpectColumnValuesToBeInSet"
MATCH, BETWEEN = "ExpectColumnValuesToMatchRegex", "ExpectColumnValuesToBeBetween"


def _phone_rules(f: Field) -> list[Rule]:
    kinds = [k for k in PHONE_KINDS if k != "empty"] if f.required else list(PHONE_KINDS)
    required = " (required)" if f.required else ""
    return [
        Rule(
            IN_SET, f"{f.name}_kind", {"value_set": kinds}, note=f"a phone kind the loader assigns{required}"
        ),
        Rule(NOT_NULL, f"{f.name}_kind", note="every row has a phone kind"),
        Rule(MATCH, f"{f.name}_hash", {"regex": PHONE_HASH}, note="phones are stored only as keyed hashes"),
    ]


def _field_rules(c: Contract, f: Field) -> list[Rule]:
    if f.type == "phone":
        return _phone_rules(f)
    if f.type == "phone_list":
        return []  # list columns: the loader builds them element by element from the same normaliser
    name, out = f.name, []
    if f.required:
        out.append(Rule(NOT_NULL, name, note="required"))
    if f.required_when:
        col, value = f.required_when
        when = (col, "in", list(value)) if isinstance(value, tuple) else (col, "==", value)
        out.append(Rule(NOT_NULL, name, when=when, note=f"required when {col} = {value}"))
    if f.enum:
        out.append(Rule(IN_SET, name, {"value_set": list(f.enum)}, note="a contract value"))
    if f.type in TIME_TYPES:
        bounds = {"min_value": EARLIEST_TIME, "max_value": {"$PARAMETER": LATEST_TIME}}
        out.append(Rule(BETWEEN, name, bounds, note="not before 2010, not after the day's end + 1 day"))
    marker = RETURN_MARKERS.get((c.source, c.entity))
    if f.type in ("yuan", "fen") and not f.allow_negative:
        out.append(Rule(BETWEEN, name, {"min_value": 0}, note="money >= 0"))
    elif f.type in ("yuan", "fen") and marker:
        returns = ((marker,), "all_null", None)
        out.append(
            Rule(BETWEEN, name, {"min_value": 0}, when=returns, note=f"< 0 only on returns ({marker})")
        )
    if f.phone_when:
        col, values = f.phone_when
        phones = (col, "in", list(values))
        out.append(Rule(MATCH, name, {"regex": PHONE_HASH}, when=phones, note="phone ids stored as hashes"))
    if (regex := id_format(name)) is not None:
        out.append(Rule(MATCH, name, {"regex": regex}, note="id format"))
    return out


def rules(c: Contract) -> list[Rule]:
    """Every contract expectation of raw.<source>__<entity>, in field order."""
    out = [r for f in c.fields if f.stored for r in _field_rules(c, f)]
    stored = set(c.column_names())
    for cond_col, value, col, regex in CONDITIONAL_IDS:
        if {cond_col, col} <= stored:
            note = f"id format when {cond_col} = {value}"
            out.append(Rule(MATCH, col, {"regex": regex}, when=(cond_col, "==", value), note=note))
    for first, *others in c.require_any:
        note = f"one of {', '.join([first, *others])} present"
        out.append(Rule(NOT_NULL, first, when=(tuple(others), "all_null", None), note=note))
    return out


def columns_needed(c: Contract) -> list[str]:
    """The raw columns the suite reads, in table order, with `_business_date` always included."""
    wanted = {col for r in rules(c) for col in r.columns} | {"_business_date"}
    return [col for col in [*c.column_names(), "_business_date", "_file"] if col in wanted]


def _condition(when: tuple):
    from great_expectations.expectations.row_conditions import Column

    col, op, value = when
    if op == "==":
        return Column(col) == value
    if op == "in":
        return Column(col).is_in(value)
    first, *rest = (Column(c).is_null() for c in col)
    for cond in rest:
        first = first & cond
    return first


def build_suite(c: Contract, name: str | None = None):
    """A GX ExpectationSuite of the contract's rules (imports GX: call it where GX is wanted)."""
    import great_expectations as gx

    expectations = []
    for r in rules(c):
        kwargs = dict(r.args)
        if r.column:
            kwargs["column"] = r.column
        if r.when:
            kwargs["row_condition"] = _condition(r.when)
        kwargs["meta"] = {"rule": r.note} if r.note else {}
        kwargs["severity"] = "critical"  # every contract rule blocks
        expectations.append(getattr(gx.expectations, r.expectation)(**kwargs))
    # built whole: adding expectations one by one needs an active data context
    return gx.ExpectationSuite(name=name or c.table, expectations=expectations)
