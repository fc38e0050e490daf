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
