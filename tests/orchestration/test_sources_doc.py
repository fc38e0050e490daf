"""docs/sources.md, the page `siyu run` and the README send users to, is what the contracts say now.

A contract change (a field made optional, a new enum value, a renamed entity) without
`python -m ingestion.contracts.docs` would leave users reading rules the loader no longer applies.
"""

from __future__ import annotations

from ingestion.contracts import CONTRACTS
from ingestion.contracts.docs import DOC_PATH, render
from orchestration.settings import PROJECT_ROOT, SOURCES_DOC

REGENERATE = "out of date: run `python -m ingestion.contracts.docs`"


def test_committed_document_is_what_the_contracts_generate() -> None:
    assert DOC_PATH.exists(), f"{DOC_PATH} missing: {REGENERATE}"
    assert DOC_PATH.read_text(encoding="utf-8") == render(), f"{DOC_PATH} {REGENERATE}"


def test_the_page_users_are_sent_to_is_the_generated_one() -> None:
    assert PROJECT_ROOT / SOURCES_DOC == DOC_PATH
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert SOURCES_DOC in readme
    assert "spec/sources.md" not in readme  # a file the repository does not ship


def test_every_entity_and_field_is_documented() -> None:
    doc = render()
    for contract in CONTRACTS.values():
        assert f"### {contract.source}/{contract.entity}\n" in doc
        for field in contract.fields:
            assert f"| `{field.path}` |" in doc, f"{contract.table}.{field.name}"
            for item in field.items:
                assert f"| `{field.path}[].{item.path}` |" in doc, f"{contract.table}.{field.name}"


def test_rows_say_what_the_loader_does_with_each_field() -> None:
    """Hand-written rows for fields whose handling users most often ask about."""
    doc = render()
    # a remark nobody typed is "" and loses no row; the text itself is never stored
    assert "| `follow_info.remark` | — | `text` | free | no (free text) |  |  | never stored |  |" in doc
    # Douyin money arrives in 分; a line's SKU code may be "", then it is null (an id)
    assert "| `pay_amount` | `pay_amount` | `fen` | amount | yes | ≥ 0 | 分 |  |  |" in doc
    assert "| `sku_order_list[].code` | `sku_order_list[].code` | `text` | id | no |" in doc
    # store returns are negative money; a chat-archive switch record has no sender
    assert "| `金额` | `amount` | `yuan` | amount | yes | may be negative | 元 |" in doc
    assert "| `from` | `from_id` | `text` | id | when `action` = send or recall |" in doc
    # birthdays keep month and day only; phones only as keyed hashes
    assert "| `生日` | `birthday` | `text` | free | no (free text) |  |  | only MM-DD stored |" in doc
    assert "`phone_hash`, `phone_kind`" in doc
