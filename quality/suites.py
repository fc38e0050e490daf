"""Expectation suites for raw tables, generated from the source contracts: only the rules the
loader cannot enforce (STYLE.md: one home per rule).

`rules(contract)` lists what a raw table must satisfy as plain data (no GX import, so the list is
cheap to compute and to test); `build_suite(contract)` turns it into a GX ExpectationSuite. A
blocking rule (GX severity 'critical') stops the models downstream of the raw table when it fails;
the others (severity 'warning') are reported and stop nothing. A contract with no
rule gets no suite: its table is not read for GX and GX is not imported for it (quality.raw_checks).

Where each contract rule lives (a row the loader quarantines never reaches the raw table, so GX
re-checking it on the loaded table could not fail; tests/quality/test_rule_homes.py proves each):
  required / required_when / require_any   loader: missing_required_field
  enum                                     loader: unknown_enum_value
  time fields (epoch_s, epoch_ms, local_ts)  loader: time_before_2010 / time_in_future (the file's
                                           business date + 1 + FUTURE_GRACE_DAYS) / unparseable_time
  money (yuan, fen) >= 0                   loader: negative_amount (unless `allow_negative`)
  phone `_kind` / `_hash`                  loader: built by the phone normaliser (a kind of
                                           PHONE_KINDS, an HMAC-SHA256 hex digest); a required
                                           phone that is empty: missing_required_field
  phone_when                               loader: the value replaced by its hash, or
                                           unparseable_value when it has none (masked, invalid)
  personal data in an openid/external_userid   loader: personal_data_in_id
  openid / *_openid                        loader: malformed_id (28 characters of [0-9A-Za-z_-])
  external_userid / *_external_userid      loader: malformed_id (`wm…` or `wo…`)
  format_when (an id's format by its row's type: a WeCom contact's `wm`/`wo` by contact_type, a test
  account's id_value by id_type)           loader: malformed_id / personal_data_in_id
  money < 0 only on returns (RETURN_MARKERS)  GX: POS amounts may be negative only on a receipt
                                           naming its original (the loader allows any sign there).
                                           A few such receipts warn (the models leave a return
                                           naming no sale unmatched: it nets nothing); over
                                           ORPHAN_RETURNS_BLOCK of the checked receipts block
An id of the wrong format is caught where it is read: a garbled or hand-typed id quarantines its row
and the night goes on, where a GX rule on the loaded table stopped every source's models for one
bad record. A platform that changes its id format changes it for every row: most of the day is then
quarantined for one reason, which blocks the night (quality.quarantined), naming the field.
A key repeated within a day is not a contract breach (spec: a repeat of the same record is a
duplicate, the same key and version with other values a conflict that warns): quality.repeats.
Column types are compared on the table schema instead (quality.raw_checks): GX 1.24's pandas type
expectations do not recognise pandas 3 extension dtypes (str, Int64, tz-aware datetimes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.contracts import Contract

# Money that may be negative only on returns, and the column that marks a return
# (spec: a POS return has a negative 金额 and names the original receipt in 原单流水号).
RETURN_MARKERS = {("pos", "receipt"): "original_receipt_no"}
# The share of receipts naming no original (sales) that may be negative before the night stops: a
# cashier's return without the original receipt is one row; a till that never fills 原单流水号, or
# signs every amount wrong, is most of them. Returns are a few percent of receipts.
ORPHAN_RETURNS_BLOCK = 0.01


@dataclass(frozen=True)
class Rule:
    """One expectation as data: a GX expectation class name and its arguments."""

    expectation: str
    column: str
    args: dict = field(default_factory=dict)
    # (columns, 'all_null', None): the rule applies to the rows where all of those columns are null
    when: tuple | None = None
    note: str = ""
    blocking: bool = True  # GX severity 'critical'; else 'warning'

    @property
    def columns(self) -> list[str]:
        if not self.when:
            return [self.column]
        return [self.column, *self.when[0]]


BETWEEN = "ExpectColumnValuesToBeBetween"


def rules(c: Contract) -> list[Rule]:
    """The expectations of raw.<source>__<entity> that the loader does not enforce, in column order
    (an empty list: the table gets no GX suite)."""
    out = []
    if marker := RETURN_MARKERS.get((c.source, c.entity)):
        returns = ((marker,), "all_null", None)
        note = f"< 0 only on returns ({marker})"
        share = f"{ORPHAN_RETURNS_BLOCK:.0%}"
        for f in c.fields:
            if f.type in ("yuan", "fen") and f.allow_negative and f.stored:
                out.append(Rule(BETWEEN, f.name, {"min_value": 0}, when=returns, note=note, blocking=False))
                out.append(Rule(BETWEEN, f.name, {"min_value": 0, "mostly": 1 - ORPHAN_RETURNS_BLOCK},
                                when=returns, note=f"{note}: over {share} of the receipts"))
    return out


def columns_needed(c: Contract) -> list[str]:
    """The raw columns the suite reads, in table order, with `_business_date` always included."""
    wanted = {col for r in rules(c) for col in r.columns} | {"_business_date"}
    return [col for col in [*c.column_names(), "_business_date", "_file"] if col in wanted]


def _condition(when: tuple):
    from great_expectations.expectations.row_conditions import Column

    first, *rest = (Column(c).is_null() for c in when[0])
    for cond in rest:
        first = first & cond
    return first


def build_suite(c: Contract, name: str | None = None):
    """A GX ExpectationSuite of the contract's rules (imports GX: call it where GX is wanted)."""
    import great_expectations as gx

    expectations = []
    for r in rules(c):
        kwargs = dict(r.args, column=r.column)
        if r.when:
            kwargs["row_condition"] = _condition(r.when)
        kwargs["meta"] = {"rule": r.note} if r.note else {}
        kwargs["severity"] = "critical" if r.blocking else "warning"
        expectations.append(getattr(gx.expectations, r.expectation)(**kwargs))
    # built whole: adding expectations one by one needs an active data context
    return gx.ExpectationSuite(name=name or c.table, expectations=expectations)
