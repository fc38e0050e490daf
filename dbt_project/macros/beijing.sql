{#- Beijing business date / local timestamp of a UTC instant (TIMESTAMPTZ). -#}
{% macro beijing_date(ts) -%}
    cast(timezone('{{ var("siyu_timezone") }}', {{ ts }}) as date)
{%- endmacro %}

{% macro beijing_local(ts) -%}
    timezone('{{ var("siyu_timezone") }}', {{ ts }})
{%- endmacro %}
