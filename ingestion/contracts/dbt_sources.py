"""Write dbt source YAML from the contracts: `python -m ingestion.contracts.dbt_sources`.

One file per source, `dbt_project/models/staging/<source>/_<source>__sources.yml`, so the raw
tables dbt reads are exactly those the loader creates (`raw.<source>__<entity>`), described once.
`tests/dbt/test_sources_in_sync.py` fails when a contract changed and the YAML was not regenerated.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from . import CONTRACTS
from .ddl import raw_columns
from .model import ID_FORMAT_NOTES, PHONE_KINDS, Contract, Field

STAGING_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "staging"
HEADER = "# Generated from ingestion/contracts by `python -m ingestion.contracts.dbt_sources`. Do not edit.\n"

SOURCE_DESCRIPTIONS = {
    "org": "Brand master data (employees, stores, channel codes, products, test accounts), CSV snapshots.",
    "wecom": "企业微信 customer contact: API dumps and callbacks (contacts, events, groups, 群发, 会话存档).",
    "oa": "公众号 / 服务号: the WeChat Official Account's followers and event pushes.",
    "mp": "小程序: the brand's mini program back end (users) and tracking (events).",
    "youzan": "有赞 shop API dumps: trades (one line per order version) and refunds.",
    "douyin": "抖店 Douyin shop API dumps: orders (one line per version) and after-sales.",
    "tmall": "天猫 seller-console exports (often GBK): trades and brand membership bindings.",
    "pos": "Offline stores' point-of-sale exports (often GB18030): receipts and members.",
    "leads": "Public-domain lead forms: 巨量引擎 Ocean Engine clues.",
    "ads": "Advertising spend per day and campaign, for CAC.",
    "fission": "裂变 campaign tool exports: invitations.",
}
KIND_NOTES = {
    "snapshot": "snapshot: each business date holds the full state as of that day's end",
    "events": "events: what happened that day; late or retried records land in later days' folders",
}
TYPE_NOTES = {
    "text": "",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "date": "date",
    "epoch_s": "epoch seconds, stored as a UTC instant",
    "epoch_ms": "epoch milliseconds, stored as a UTC instant",
    "local_ts": "Beijing local time, stored as a UTC instant",
    "yuan": "money in 元, DECIMAL(18,2)",
    "fen": "money in 分 converted to 元, DECIMAL(18,2)",
    "json": "JSON",
}
LINEAGE_DESCRIPTIONS = {
    "_business_date": "Landing folder date (Beijing business date): the daily partition holding the row.",
    "_file": "Path of the landed file, relative to the landing root.",
    "_row_number": "1-based record number within the file (header excluded).",
    "_record_hash": (
        "128-bit hash of the values the contract reads; repeats within a day (however serialised) "
        "are already removed."
    ),
    "_encoding": "Detected text encoding of the file (utf-8, utf-8-sig, gb18030, utf-16, xlsx).",
    "_loaded_at": "When the loader wrote the row (UTC); freshness is measured on it.",
}


def _field_note(f: Field) -> str:
    text = f"Source field `{f.path}`" + (f": {f.description}" if f.description else "")
    notes = [TYPE_NOTES[f.type]] if TYPE_NOTES.get(f.type) else []
    if f.enum:
        notes.append("one of " + ", ".join(str(v) for v in f.enum))
    if f.pii == "month_day":
        notes.append("only MM-DD kept")
    if f.pii == "path":
        notes.append("query string and fragment dropped")
    if f.phone_when:
        notes.append(f"a keyed phone hash when {f.phone_when[0]} is " + "/".join(f.phone_when[1]))
    if f.format_when:
        col, formats = f.format_when
        notes.append(f"by {col}: " + ", ".join(f"{v} → {ID_FORMAT_NOTES[name]}" for v, name in formats))
    if f.zero_is_null:
        notes.append("0 stored as null")
    if f.allow_negative:
        notes.append("may be negative")
    if f.items:
        notes.append("only these keys kept: " + ", ".join(i.path for i in f.items))
    if f.kind == "free":
        notes.append("free text: never required")
    if f.required_when:
        col, value = f.required_when
        shown = " or ".join(map(str, value)) if isinstance(value, tuple) else value
        notes.append(f"required when {col} = {shown}")
    elif not f.required and f.kind != "free":
        notes.append("optional")
    return f"{text} ({'; '.join(notes)})." if notes else f"{text}."


def column_descriptions(contract: Contract) -> dict[str, str]:
    """Description of every raw column, business columns first, lineage last."""
    out: dict[str, str] = {}
    kinds = ", ".join(PHONE_KINDS)
    for f in contract.fields:
        if not f.stored:
            continue
        note = _field_note(f)
        if f.type == "phone":
            out[f"{f.name}_hash"] = f"Keyed HMAC-SHA256 of the E.164-normalised phone. {note}"
            out[f"{f.name}_kind"] = f"Kind of the `{f.path}` phone: {kinds}; only valid phones link."
        elif f.type == "phone_list":
            out[f"{f.name}_hashes"] = f"Keyed HMAC-SHA256 hashes of the E.164-normalised phones. {note}"
            out[f"{f.name}_kinds"] = f"Kinds of the `{f.path}` phones, position by position: {kinds}."
        else:
            out[f.name] = note
    for name, _ in raw_columns(contract):
        out.setdefault(name, LINEAGE_DESCRIPTIONS.get(name, ""))
    return out


def table_description(contract: Contract) -> str:
    text = f"{contract.source}/{contract.entity} ({KIND_NOTES[contract.kind]})"
    text += f", landed as {'/'.join(contract.formats)}."
    text += f" Natural key: {', '.join(contract.key)}."
    if contract.version_by:
        text += f" The key repeats with new versions; the latest by {', '.join(contract.version_by)} wins."
    if contract.description:
        text += " " + contract.description
    return text


def source_dict(source: str) -> dict:
    contracts = sorted((c for c in CONTRACTS.values() if c.source == source), key=lambda c: c.entity)
    tables = []
    for c in contracts:
        tables.append(
            {
                "name": c.entity,
                "identifier": c.table,
                "description": table_description(c),
                "config": {
                    "loaded_at_field": "_loaded_at",
                    "freshness": {"warn_after": {"count": c.stale_after_days, "period": "day"}},
                },
                "columns": [{"name": n, "description": d} for n, d in column_descriptions(c).items()],
            }
        )
    return {
        "version": 2,
        "sources": [
            {
                "name": source,
                "schema": "raw",
                "description": SOURCE_DESCRIPTIONS.get(source, f"Raw tables of {source}."),
                "tables": tables,
            }
        ],
    }


class _IndentedDumper(yaml.SafeDumper):
    """Indent list items under their key, as dbt's docs and our hand-written YAML do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # noqa: ARG002
        return super().increase_indent(flow, False)


def render(source: str) -> str:
    return HEADER + yaml.dump(
        source_dict(source),
        Dumper=_IndentedDumper,
        sort_keys=False,
        allow_unicode=True,
        width=110,
    )


def sources() -> list[str]:
    return sorted({c.source for c in CONTRACTS.values()})


def path_for(source: str, staging_dir: Path = STAGING_DIR) -> Path:
    return staging_dir / source / f"_{source}__sources.yml"


def write_all(staging_dir: Path = STAGING_DIR) -> list[Path]:
    written = []
    for source in sources():
        path = path_for(source, staging_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(source), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else STAGING_DIR):
        print(p)
