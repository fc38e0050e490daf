"""Write the source contracts as a document: `python -m ingestion.contracts.docs` → docs/sources.md.

The document is the contracts themselves, rendered: every source/entity with its files, key, versions
and every field (platform path, type, kind, whether required, allowed values, unit, personal data).
The general rules come first, as prose. `tests/orchestration/test_sources_doc.py` fails when a
contract changed and the document was not regenerated, so the two cannot drift apart.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from . import CONTRACTS, model, pages
from .dbt_sources import LINEAGE_DESCRIPTIONS, SOURCE_DESCRIPTIONS
from .model import EARLIEST_TIME, FUTURE_GRACE_DAYS, PHONE_KINDS, QUARANTINE_REASONS, Contract, Field

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "sources.md"

# type: (what the platform sends, what the warehouse keeps, the unit shown beside a field)
TYPES = {
    "text": ("a string", "VARCHAR", ""),
    "int": ("an integer, or a string holding one", "BIGINT", ""),
    "float": ("a number", "DOUBLE", ""),
    "bool": ("0/1, true/false, 是/否", "BOOLEAN", ""),
    "date": ("`YYYY-MM-DD`", "DATE", "YYYY-MM-DD"),
    "epoch_s": ("seconds since 1970 (UTC)", "TIMESTAMPTZ", "epoch s"),
    "epoch_ms": ("milliseconds since 1970 (UTC)", "TIMESTAMPTZ", "epoch ms"),
    "local_ts": ("`YYYY-MM-DD HH:MM:SS`, Beijing time, no zone", "TIMESTAMPTZ", "Beijing time"),
    "yuan": ("元, a number or a string (`12.50元`, `1,299.00`)", "DECIMAL(18,2) 元", "元"),
    "fen": ("分, an integer", "DECIMAL(18,2) 元 (÷ 100)", "分"),
    "phone": ("a phone in any shape", "`<name>_hash`, `<name>_kind`", ""),
    "phone_list": ("a list of phones", "`<name>_hashes`, `<name>_kinds`", ""),
    "json": ("a nested object or list", "JSON (only the listed keys, when listed)", ""),
}
KINDS = {
    "id": "an identifier: blank (`\"\"`) or null is missing",
    "code": "a platform code, status or enumerated word: blank or null is missing",
    "free": "free text a person types or a platform fills when set: never required, `\"\"` is a value",
    "time": "a time: blank or null is missing",
    "amount": "money: blank or null is missing",
    "number": "a measured number: blank or null is missing",
    "phone": "a phone: kept only as a keyed hash and its kind",
    "nested": "nested JSON: only the keys listed under it are kept",
}
COLUMNS = ("platform field", "column", "type", "kind", "required", "values", "unit", "personal data", "notes")
KIND_NOTES = {
    "snapshot": "snapshot — the full state at the end of the day; it stands until the next one",
    "events": "events — what happened that day; late or retried records may land in later days",
}


def _sources_sending(*types: str) -> str:
    found = {c.source for c in CONTRACTS.values() for f in _all_fields(c) if f.type in types}
    return ", ".join(sorted(found))


def _all_fields(contract: Contract):
    for f in contract.fields:
        yield f
        yield from f.items


def rules() -> str:
    reasons = "\n".join(f"| `{code}` | {text} |" for code, text in QUARANTINE_REASONS.items())
    types = "\n".join(f"| `{t}` | {sent} | {kept} |" for t, (sent, kept, _) in TYPES.items())
    kinds = "\n".join(f"| `{k}` | {text} |" for k, text in KINDS.items())
    lineage = "\n".join(f"| `{c}` | {text} |" for c, text in LINEAGE_DESCRIPTIONS.items())
    return f"""# Source contracts: what a brand delivers, and how Siyu reads it

<!-- Generated from ingestion/contracts/ by `python -m ingestion.contracts.docs`. Do not edit:
change the contract and regenerate; tests/orchestration/test_sources_doc.py checks it. -->

Siyu loads the exports and API dumps of a brand's channels as the platforms write them: field
names are the platforms' own (WeCom, the WeChat Official Account, Youzan, Douyin shop, Tmall, Ocean
Engine), so real files load without renaming. This page is generated from the contracts the loader
runs on; what it says is what the loader does.

## Where files go

```
$SIYU_LANDING_DIR/<source>/<entity>/<YYYY-MM-DD>/<any name>.<jsonl|json|csv|xlsx>
```

The day folder names the business day the files cover, in Beijing time: it is the daily partition.
A day may hold any number of files under any names; all of them belong to that day. Delivering a day
again replaces it, so loading the same folder twice gives the same warehouse. A *snapshot* entity holds
the full state at the end of its day and stands until the next snapshot, so it need not come every
day; an *events* entity holds what happened that day, and late events may come in a later day's folder.

Names starting with `.`, `_` or `~$` are skipped everywhere (`.DS_Store`, the simulator's `_truth/`, Excel's
lock files), and so are the files Windows' Explorer leaves (`Thumbs.db`, `ehthumbs.db`, `desktop.ini`, in
any case). A folder no contract declares, a day folder not named `YYYY-MM-DD` or a file outside a day folder
is never loaded, but it is counted (reasons `unknown_folder`, `bad_folder_date`); symbolic links are never
followed (reason `symlink`), so nothing outside the landing folder is read. When nothing at all can be
loaded, `siyu run` stops before writing anything and says what is wrong.

Text files may be UTF-8, UTF-8 with a BOM, GB18030/GBK (Chinese Excel), or UTF-16 with its byte order
mark (PowerShell's `>`); the encoding is detected per file, and bytes not valid in it are quarantined, not
guessed. Lines may end in LF, CRLF or a lone CR. JSON entities take one object per line (or several with
no line break between), an array of objects, or a single object; API responses stored whole (pages, named
per entity below) give the records they hold. An `.xlsx` goes wherever a `.csv` may:
its first sheet holding the header. The header is the first of the first ten rows naming every required
column (a title and notes may stand above it: `门店销售流水`, `导出时间：…`), split by commas or tabs;
the lines above it, blank lines, rows whose every cell is empty (Excel's `,,,,`) and rows repeating the
header (files joined into one, BOMs inside dropped) are not records.

## Repeats, versions and duplicate files

A record delivered twice is one record when its key (and version, for versioned feeds) and every
field the contract reads are equal, however it was written: key order, escapes, whitespace, line
endings, or keys the contract does not read. It is counted once, as a duplicate, and never stops a
night. The same key and version with different values is a conflict: the later file wins (folder
date, then file name) and a warning names both files. Orders and refunds repeat their key with each
change; staging keeps the latest version by the entity's version columns.

A file that repeats another file of the same day (an export saved twice as `… (1).csv`) loses nothing
and only warns. An events file nearly all of whose rows repeat other days' rows (yesterday's export
saved under today's date) means today's events are missing, and stops the night. Snapshots and
Tmall's overlapping exports repeat by nature.

## Identifiers and personal data

`unionid` is one WeChat account across the brand's Official Account, mini program and WeCom; `openid`
is one app; `external_userid` is one WeCom corp's contact (`wm…` a WeChat user, `wo…` another
company's WeCom user); a WeCom `userid` is an employee. Shops and stores have their own buyer ids. An
identifier is never `""`: an empty id anywhere, nested lists included, is missing.

Phones come in every shape (`13812345678`, `+86 138 1234 5678`, masked `138****5678`, encrypted). Each
is normalised to E.164 and kept only as an HMAC-SHA256 keyed with `SIYU_PHONE_SALT`, with its kind
(no digits of it are kept), one of
{", ".join(PHONE_KINDS)}.
Only `valid` phones link customers; placeholders and employees' phones are kept as data but never
link. Names, remarks and other personal text marked *never stored* below are not written anywhere;
birthdays keep only the month and day. Keys and columns a contract does not list are ignored and not kept.
Stored free text has mainland mobiles, ID-card numbers and e-mail addresses masked (`[phone]`); an
identifier whose whole value is one of them (a member card number that is a mobile) is stored as its
keyed hash; page paths lose their query string.

WeCom contacts of type 2 (other companies' staff), the brand's employees and the accounts listed in
`org/test_account` are not customers.

## Times and money

Epoch seconds come from {_sources_sending("epoch_s")}; epoch milliseconds from
{_sources_sending("epoch_ms")}; Beijing local times without a zone from {_sources_sending("local_ts")}
(also as Excel saves them: `2024/5/1 10:00`, `2024年5月1日 10:00:00`, dates likewise; as `2024.05.01`,
`10时00分00秒`, `20240501100000`; a written offset, `+08:00` or `Z`, names its instant). All are stored
as instants (UTC) and business dates are taken in Beijing time. A time before {EARLIEST_TIME} is
quarantined, and so is one more than {FUTURE_GRACE_DAYS} day after the end of its folder's day (late
events land in later folders, so only times after the folder's day are suspect).

Money in 元 comes from {_sources_sending("yuan")}; money in 分 from {_sources_sending("fen")}. Both
are stored as DECIMAL(18,2) 元. Money is never negative unless the field says it may be (store returns).

## Bad input

Every row offered is accounted for: loaded, dropped as a duplicate, quarantined in
`raw._quarantine` with its reason, file and row number, or suppressed (a person erased with
`siyu forget`); `raw._load_log` counts each file (offered = loaded + duplicates + quarantined +
suppressed). A file lacking required columns is quarantined whole. A file that
cannot be read at all fails its day with a message naming it, and earlier days stay as they were.

*Required* means the key or column must be there; whether a blank counts as missing depends on the
field's kind. A row is never quarantined for empty or absent free text, nor for keys or trailing CSV
columns the contract does not know (also empty fields past the header's last, a line's trailing comma).

| kind | what it holds |
|---|---|
{kinds}

| reason | meaning |
|---|---|
{reasons}

A quarantined row of a snapshot whose key can still be read (a WeCom contact with an `add_way` WeCom
added after this contract, a follower with a garbled time, a group with one garbled member) shows that
the key was in that day's snapshot: the friendship, the follow or the group's memberships do not end
for it, and a POS member, an employee, a store, a channel code or a product stays on the latest list
with their last loaded row, though none of the quarantined row's values is used. A row whose key
cannot be read (a truncated line, a garbled id) counts as missing, as a row that was not sent.

## Field types

| type | what the platform sends | what the warehouse keeps |
|---|---|---|
{types}

Every raw table (`raw.<source>__<entity>`) also carries these lineage columns:

| column | meaning |
|---|---|
{lineage}
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _required(f: Field) -> str:
    if f.required_when:
        col, value = f.required_when
        shown = " or ".join(map(str, value)) if isinstance(value, tuple) else str(value)
        return f"when `{col}` = {shown}"
    return "no (free text)" if f.kind == "free" else ("yes" if f.required else "no")


def _values(f: Field) -> str:
    out = [" · ".join(f"`{v}`" for v in f.enum)] if f.enum else []
    if f.kind == "amount":
        out.append("may be negative" if f.allow_negative else "≥ 0")
    if f.zero_is_null:
        out.append("`0` = not set")
    if f.format_when:
        col, formats = f.format_when
        out += [f"when `{col}` = {v}: {model.ID_FORMAT_NOTES[name]}" for v, name in formats]
    return "; ".join(out)


def _personal(f: Field) -> str:
    if f.pii == "drop":
        return "never stored"
    if f.pii == "month_day":
        return "only MM-DD stored"
    if f.pii == "path":
        return "stored without its query string"
    if f.type == "phone":
        return f"keyed hash: `{f.name}_hash`, `{f.name}_kind`"
    if f.type == "phone_list":
        return f"keyed hashes: `{f.name}_hashes`, `{f.name}_kinds`"
    if f.phone_when:
        return f"keyed hash when `{f.phone_when[0]}` is " + "/".join(f.phone_when[1])
    if getattr(f, "drop_keys", ()):  # contracts before nested `items`
        return "keys removed: " + ", ".join(f"`{k}`" for k in f.drop_keys)
    return ""


def _row(f: Field, path: str, column: str) -> str:
    KINDS[f.kind]  # a new kind is explained in the rules before it is used
    cells = (f"`{path}`", f"`{column}`" if f.stored else "—", f"`{f.type}`", f.kind, _required(f), _values(f),
             TYPES[f.type][2], _personal(f), f.description)
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def entity(c: Contract) -> str:
    lines = [f"### {c.source}/{c.entity}", ""]
    if c.description:
        lines += [c.description, ""]
    exts = " or ".join(f"`.{e}`" for e in c.formats)
    lines.append(f"- **kind**: {KIND_NOTES[c.kind]}")
    lines.append(f"- **files**: `{c.source}/{c.entity}/<YYYY-MM-DD>/*` as {exts}")
    lines += [f"- **envelope**: records wrapped as `{{\"{c.root}\": {{…}}}}` are unwrapped"] if c.root else []
    lines += [f"- **API responses stored whole**: {pages.pages_note(c.pages)}"] if c.pages else []
    lines.append(f"- **key**: {', '.join(f'`{k}`' for k in c.key)}; staging keeps one row per key")
    if c.version_by:
        order = ", ".join(f"`{v}`" for v in c.version_by)
        lines.append(f"- **versions**: the key repeats; the latest by {order} wins")
    for group in c.require_any:
        lines.append(f"- **at least one of**: {', '.join(f'`{g}`' for g in group)}")
    volume = "steady (a day far below usual stops the night)" if c.volume_is_steady else (
        "swinging (a low day only warns)")
    lines.append(f"- **stale**: when the newest day is more than {c.stale_after_days} days old")
    lines.append(f"- **volume**: {volume}")
    lines.append(f"- **raw table**: `raw.{c.table}`")
    lines += ["", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for f in c.fields:
        lines.append(_row(f, f.path, f.name))
        for item in f.items:
            if item.name in getattr(f, "items_key", ()):
                note = "identifies the object in its list: a list naming it twice quarantines the row"
                item = replace(item, description=f"{note}. {item.description}".strip())
            lines.append(_row(item, f"{f.path}[].{item.path}", f"{f.name}[].{item.name}"))
    return "\n".join(lines) + "\n"


def render() -> str:
    parts = [rules(), "## Sources\n"]
    by_source: dict[str, list[Contract]] = {}
    for c in CONTRACTS.values():
        by_source.setdefault(c.source, []).append(c)
    for s, cs in by_source.items():
        parts.append(f"- **{s}** ({', '.join(c.entity for c in cs)}): {SOURCE_DESCRIPTIONS.get(s, '')}")
    parts.append("")
    for source, contracts in by_source.items():
        parts.append(f"## {source}\n\n{SOURCE_DESCRIPTIONS.get(source, '')}\n")
        parts += [entity(c) for c in contracts]
    return "\n".join(parts)


def write(path: Path = DOC_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC_PATH))
