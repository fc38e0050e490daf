{#- Constructs of the identity inputs (int_identity__*). -#}

{#- A 64-bit key naming a source record (several columns), only ever compared or counted within
    one build: DuckDB's hash() (a UBIGINT), Spark's xxhash64 (a bigint). The two engines give
    different numbers for one record, never different groupings of records (docs/engines.md). -#}
{% macro record_key(columns) -%}
    {{ return(adapter.dispatch('record_key')(columns)) }}
{%- endmacro %}

{% macro duckdb__record_key(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__record_key(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}

{#- True when `text` is empty or only blanks (whitespace or Unicode separators), null when null.
    DuckDB's RE2 `\s` lacks the vertical tab (`\v`); Java's `\s` holds it, and Java's `\v` would
    add U+0085 too: the same set is `[\s\p{Z}]` in Java. -#}
{% macro is_blank(text) -%}
    {{ return(adapter.dispatch('is_blank')(text)) }}
{%- endmacro %}

{% macro duckdb__is_blank(text) -%}
    regexp_full_match({{ text }}, '[\s\p{Z}\v]*')
{%- endmacro %}

{% macro spark__is_blank(text) -%}
    ({{ text }} rlike '\\A[\\s\\p{Z}]*\\z')
{%- endmacro %}

{#- Between a CTE's name and its body (`name as {{ not_materialized() }} (…)`), for a CTE an
    incremental branch reads several times: DuckDB materializes such a CTE whole, before any filter. `pairs` of int_identity__pairs is every staging row with its
    record key; kept inline, each reading scans staging with its own filter (the rows loaded since
    the watermark, one origin) — at 250,000 customers on a snapshot night 0.86-1.00 -> 0.79-0.83 s
    and 1.12 -> 0.97 GB peak, the same rows; int_identity__nodes's `hashed` (every pair side and its
    hash, read for the checksums and again for the touched identifiers) 1.92 -> 1.73 s. Spark's
    plan never materializes a CTE: nothing there. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized')()) }}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}
