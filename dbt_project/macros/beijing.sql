{#- Beijing business date / local timestamp of a UTC instant (TIMESTAMPTZ). -#}
{% macro beijing_date(ts) -%}
    cast(timezone('{{ var("siyu_timezone") }}', {{ ts }}) as date)
{%- endmacro %}

{% macro beijing_local(ts) -%}
    timezone('{{ var("siyu_timezone") }}', {{ ts }})
{%- endmacro %}

{#- The UTC instant of 00:00 Beijing on a date: a business day's start. -#}
{% macro beijing_midnight(day) -%}
    timezone('{{ var("siyu_timezone") }}', cast({{ day }} as timestamp))
{%- endmacro %}
