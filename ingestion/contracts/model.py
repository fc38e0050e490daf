"""The vocabulary of source contracts.

A contract declares one landing entity (`<source>/<entity>`): which file formats it comes in, its
fields with their platform names, types, units and personal-data handling, its natural key and
how versions are chosen. The reader, the raw table's DDL, the quarantine rules, the staging
models and the raw-data expectation suites all derive from these objects, so adding a channel is
mostly adding a contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .pages import Page

# Field types and what the loader turns them into (the warehouse type is on the right).
#   text        str                        VARCHAR
#   int         integer                    BIGINT
#   float       number                     DOUBLE
#   bool        0/1/true/false/是/否        BOOLEAN
#   date        YYYY-MM-DD                 DATE
#   epoch_s     epoch seconds              TIMESTAMPTZ (UTC instant)
#   epoch_ms    epoch milliseconds         TIMESTAMPTZ
#   local_ts    'YYYY-MM-DD HH:MM:SS' in Asia/Shanghai without zone   TIMESTAMPTZ
#   yuan        元 as string or number, may carry '元' or thousands commas   DECIMAL(18,2)
#   fen         分 integer                 DECIMAL(18,2) 元
#   phone       any phone shape            two columns: <name>_hash, <name>_kind (no digits kept)
#   phone_list  list of phones             <name>_hashes VARCHAR[], <name>_kinds VARCHAR[]
#   json        nested object/array        JSON (with `items`: only the declared keys)
FIELD_TYPES = (
    "text",
    "int",
    "float",
    "bool",
    "date",
    "epoch_s",
    "epoch_ms",
    "local_ts",
    "yuan",
    "fen",
    "phone",
    "phone_list",
    "json",
)
TIME_TYPES = ("epoch_s", "epoch_ms", "local_ts")

# The formats of platform ids, by name. WeChat openids are 28 URL-safe characters
# ("oU-ZOFJmH7OpplToG45T2cMF-HLf"); WeCom external_userids are `wm…` for WeChat users and `wo…` for
# WeCom users of other companies. A column named `openid`/`*_openid` or `external_userid`/
# `*_external_userid` holds that format; `Field.format_when` names one for the rows of a given type.
ID_FORMATS = {
    "openid": r"^[0-9A-Za-z_-]{28}$",
    "external_userid": r"^w[mo][0-9A-Za-z_-]+$",
    "wechat_user_external_userid": r"^wm[0-9A-Za-z_-]+$",
    "corp_user_external_userid": r"^wo[0-9A-Za-z_-]+$",
}
ID_FORMAT_NOTES = {
    "openid": "an openid (28 characters of `[0-9A-Za-z_-]`)",
    "external_userid": "an external_userid (`wm…` or `wo…`)",
    "wechat_user_external_userid": "`wm…`",
    "corp_user_external_userid": "`wo…`",
}

# What a text field holds decides what "required" means for it (docs/sources.md, "Bad input"):
#   id     an identifier (openid, tid, userid, a SKU code): blank is missing
#   code   a platform code or enumerated word (status, MsgType, a channel code): blank is missing
#   free   free text a person types or a platform fills only when set (names, remarks, notices,
#          titles, campaign names, page paths): never required; "" is a value, an absent key is null
# Fields of other types have the kind of their type: times, amounts, numbers, phones, nested JSON.
TEXT_KINDS = ("id", "code", "free")
KIND_OF_TYPE = {
    "int": "code", "float": "number", "bool": "code", "date": "time", "epoch_s": "time",
    "epoch_ms": "time", "local_ts": "time", "yuan": "amount", "fen": "amount", "phone": "phone",
    "phone_list": "phone", "json": "nested",
}

# Phone kinds the normaliser assigns; only `valid` ever links identities, and only after the
# identity layer's own blocklist and degree cap (placeholders and employees' phones stay data).
PHONE_KINDS = ("valid", "placeholder", "masked", "encrypted", "invalid", "empty")


@dataclass(frozen=True)
class Field:
    """One column of a landing entity.

    name:      the warehouse column name (snake_case ASCII).
    source:    the platform's own field name; a dotted path for nested JSON
               (`follow_info.userid`), the Chinese header for CSV exports (`订单编号`).
    required:  a row without it is quarantined (`missing required field`).
    required_when: (other column, value): required only when that column has that value (or one
               of them, when the value is a tuple).
    enum:      allowed values (after type conversion); anything else is quarantined.
    pii:       'drop' = never stored; 'month_day' = only MM-DD kept (birthdays, for care moments);
               'path' = a URL path stored without its query string (which carries form values).
               Besides, stored free text has phones, ID-card numbers and e-mails masked, and an id
               that is one of them is stored as its keyed hash (ingestion/normalise/personal.py).
    phone_when: (other column, values) for text fields holding a phone only for some id types.
    format_when: (other column, ((value, ID_FORMATS name), ...)): the id format of the rows whose
               other column has that value (a test account's id_value by its id_type, a WeCom
               contact's external_userid by its type); a row of another format is quarantined
               (`malformed_id`), one that is a phone, ID-card number or e-mail `personal_data_in_id`.
    allow_negative: money that may be negative (POS returns); other money must be >= 0.
    zero_is_null: optional epoch fields where platforms write 0 for "not yet" (Douyin pay_time).
    kind:      for text fields, what they hold: 'id', 'code' or 'free' (TEXT_KINDS); every text field
               declares it. Free text is never required, whatever `required` says.
    items:     for json fields holding a list of objects: the keys read from each
               object, as fields (dotted `source` paths for nested keys, `invitor.userid`). Only these
               keys are stored, converted by their type (an empty id is null, "true" a boolean); a
               required key missing quarantines the row, naming `<field>[].<key>`.
    items_key: the item keys that identify an object within its list (a line's id): a list naming
               one twice is quarantined (`duplicate_nested_key`), as staging keeps one row per line.
    """

    name: str
    type: str = "text"
    source: str | None = None
    required: bool = True
    required_when: tuple[str, object] | None = None
    enum: tuple | None = None
    pii: str | None = None
    phone_when: tuple[str, tuple[str, ...]] | None = None
    format_when: tuple[str, tuple[tuple[object, str], ...]] | None = None
    allow_negative: bool = False
    zero_is_null: bool = False
    description: str = ""
    kind: str | None = None
    items: tuple[Field, ...] = ()
    items_key: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")
        if self.type == "text":
            if self.kind not in TEXT_KINDS:
                raise ValueError(f"field {self.name}: a text field declares its kind, one of {TEXT_KINDS}")
        elif self.kind is None:
            object.__setattr__(self, "kind", KIND_OF_TYPE[self.type])
        if self.kind == "free":
            object.__setattr__(self, "required", False)
        if self.items and self.type != "json":
            raise ValueError(f"field {self.name}: only json fields have items")
        if self.format_when and not {name for _, name in self.format_when[1]} <= set(ID_FORMATS):
            raise ValueError(f"field {self.name}: format_when names a format ID_FORMATS lacks")
        if self.pii not in (None, "drop", "month_day", "path"):
            raise ValueError(f"field {self.name}: unknown pii rule {self.pii!r}")

    @property
    def path(self) -> str:
        return self.source or self.name

    @property
    def stored(self) -> bool:
        return self.pii != "drop"


@dataclass(frozen=True)
class Contract:
    """One landing entity: `<source>/<entity>`.

    kind:        'snapshot' (full state as of the day's end) or 'events' (what happened that day).
    formats:     accepted file extensions.
    key:         the natural key (column names). Staging keeps one row per key.
    version_by:  for entities whose key repeats with newer versions, the columns that order them
                 (latest wins); `_business_date`/`_file` are the lineage columns for Tmall's
                 "latest file wins".
    require_any: groups of columns of which at least one must be present in a row.
    root:        for JSON wrapped in an envelope (`{"group_chat": {...}}`), the key to unwrap.
    pages:       for collectors that store a platform's API responses whole, where a response holds
                 this entity's records (`Page`), most specific first (`ingestion.read.json_pages`).
    cadence_days: how often the platform delivers, in days (default: event feeds daily, snapshots
                 weekly — the slowest snapshot exports we expect; a snapshot holds until the next).
                 A source whose newest day lags by more than cadence + 1 days is stale.
    steady_volume: whether a day far under the trailing median means rows were lost (a blocking
                 check). True for snapshots (state changes slowly) and for the shops' and stores'
                 order feeds; event feeds driven by campaigns, live streams or mass messages (group
                 sends, fission, leads, ad spend, Douyin) swing by design and only warn.
    """

    source: str
    entity: str
    kind: str
    formats: tuple[str, ...]
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    version_by: tuple[str, ...] = ()
    require_any: tuple[tuple[str, ...], ...] = ()
    root: str | None = None
    pages: tuple[Page, ...] = ()
    description: str = ""
    extra: dict = field(default_factory=dict)
    cadence_days: int | None = None
    steady_volume: bool | None = None

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.source}/{self.entity}: duplicate field names")
        stored = set(self.column_names())
        for col in (*self.key, *self.version_by, *(c for g in self.require_any for c in g)):
            if col not in stored and not col.startswith("_"):
                raise ValueError(f"{self.source}/{self.entity}: key/version column {col!r} not stored")

    @property
    def volume_is_steady(self) -> bool:
        return self.kind == "snapshot" if self.steady_volume is None else self.steady_volume

    @property
    def stale_after_days(self) -> int:
        """Days behind after which the source is stale: its cadence plus a day of grace."""
        cadence = self.cadence_days or (1 if self.kind == "events" else 7)
        return cadence + 1

    @property
    def table(self) -> str:
        """The raw table's name in schema `raw` (dbt: source(source, entity))."""
        return f"{self.source}__{self.entity}"

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def column_names(self) -> list[str]:
        """Stored business columns, in order (phone fields expand to their derived columns)."""
        cols: list[str] = []
        for f in self.fields:
            if not f.stored:
                continue
            if f.type == "phone":
                cols += [f"{f.name}_hash", f"{f.name}_kind"]
            elif f.type == "phone_list":
                cols += [f"{f.name}_hashes", f"{f.name}_kinds"]
            else:
                cols.append(f.name)
        return cols


# Lineage columns every raw table carries, after the business columns.
LINEAGE_COLUMNS = (
    ("_business_date", "DATE"),  # the landing folder's date: the daily partition key
    ("_file", "VARCHAR"),  # path relative to the landing root
    ("_row_number", "BIGINT"),  # 1-based record number within the file (header excluded)
    ("_record_hash", "VARCHAR"),  # hash of the values the contract reads: repeats share it
    ("_encoding", "VARCHAR"),  # detected text encoding (utf-8, utf-8-sig, gb18030, utf-16, xlsx)
    ("_loaded_at", "TIMESTAMPTZ"),
)

# Why a row (or a whole file) was quarantined. The loader uses exactly these codes; the
# simulator's `_truth/defects.csv` names the code it expects for each injected defect.
QUARANTINE_REASONS = {
    "undecodable_bytes": "bytes that are not valid in the detected encoding",
    "unparseable_record": "a truncated JSON line or a CSV row with the wrong number of fields",
    "missing_required_field": "a required field is absent or blank",
    "unparseable_time": "a time that is not in the contract's unit or format",
    "unparseable_amount": "money that is not a number in the contract's unit",
    "unparseable_value": "an integer, number, boolean or date that cannot be read",
    "unknown_enum_value": "a value outside the contract's enumeration",
    "negative_amount": "negative money where the contract allows none",
    "time_in_future": "a time more than one day after the end of the file's business date",
    "time_before_2010": "a time before 2010-01-01 (Beijing)",
    "record_too_large": "a JSON record over 16 MiB (the largest real order is well under 1 MiB)",
    "duplicate_nested_key": "a nested list names one line twice (two Douyin lines with one order_id)",
    "personal_data_in_id": "an openid or external_userid that is a phone, ID-card number or e-mail address "
    "(a platform never issues one; the value is not kept)",
    "malformed_id": "an openid that is not 28 characters of [0-9A-Za-z_-], an external_userid not "
    "`wm…`/`wo…`, or an id of another format than its row's type names (a WeChat user's contact `wo…`, "
    "a test account of id_type openid that is no openid), or an id of a CSV or .xlsx export that Excel "
    "turned into a number in scientific notation (`1.23457E+18`: its digits are lost, and it would "
    "name every order it rounds alike): a garbled or hand-typed id would be a customer of its own; a "
    "platform that changes its format quarantines most of a day, which stops the night",
    "api_error_response": "an API's error response stored where its records would be (`{\"errcode\": "
    "40001, \"errmsg\": …}`, Douyin's `sub_code`, Youzan's `success: false`): the detail gives its code "
    "and message; the records it was to hold are not in the file",
    "missing_required_columns": "the file lacks required columns: the whole file is quarantined",
    "symlink": "a symbolic link in the landing folder: never followed, so nothing outside it is read",
    "unknown_folder": "a file under a source/entity folder no contract declares",
    "bad_folder_date": "a day folder whose name is not a valid YYYY-MM-DD date",
    "unsupported_format": "a file extension the entity's contract does not accept",
}

# The earliest plausible time, and the grace after a business date's end before a time counts
# as "in the future" (late events land in later folders, so only times *after* the folder's day
# are suspect; one day of grace absorbs clock skew and end-of-day exports taken after midnight).
# Business time is Beijing time, fixed by the contracts (docs/sources.md): platforms' local times are
# Beijing times and a landing day folder is a Beijing date. Not a setting: every Python module takes
# it from here, dbt from the `siyu_timezone` var, which a test keeps equal to it.
BUSINESS_TIMEZONE = "Asia/Shanghai"
BUSINESS_UTC_OFFSET_HOURS = 8  # Asia/Shanghai has been UTC+8 without daylight saving since 1992
EARLIEST_TIME = "2010-01-01 00:00:00+08:00"
FUTURE_GRACE_DAYS = 1
