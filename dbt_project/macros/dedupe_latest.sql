{#- Keep one row per `key`: the latest by `version_by` (descending, nulls last), ties broken by the
    latest landing (folder date, then file name, then record number), so a record re-delivered in a
    later day's folder replaces the earlier copy and the choice never depends on scan order.
    Emits a `qualify` clause: use it right after the `from` of the CTE that dedupes. -#}
{% macro dedupe_latest(key, version_by=[]) -%}
    {%- set order_by = [] -%}
    {%- for column in version_by + ['_business_date', '_file', '_row_number'] -%}
        {%- if column not in order_by -%}{%- do order_by.append(column) -%}{%- endif -%}
    {%- endfor -%}
    qualify row_number() over (
        partition by {{ key | join(', ') }}
        order by
        {%- for column in order_by %}
            {{ column }} desc nulls last{{ ',' if not loop.last }}
        {%- endfor %}
    ) = 1
{%- endmacro %}
