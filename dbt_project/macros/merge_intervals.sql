{#- Merge overlapping or touching [started_at, ended_at) intervals within each partition; a null
    ended_at means still open. Emits a select over `relation` returning partition columns,
    started_at and ended_at — one row per island. -#}
{% macro merge_intervals(relation, partition_by) -%}
    {%- set parts = partition_by | join(', ') -%}
    {%- set far = instant_literal('9999-12-31 00:00:00') -%}
    select
        {{ parts }},
        min(started_at) as started_at,
        nullif(max(coalesce(ended_at, {{ far }})), {{ far }}) as ended_at
    from (
        select
            *,
            sum(is_new_island) over (
                partition by {{ parts }} order by started_at, ended_at rows unbounded preceding
            ) as island
        from (
            select
                *,
                case
                    when started_at <= max(coalesce(ended_at, {{ far }})) over (
                        partition by {{ parts }} order by started_at, ended_at
                        rows between unbounded preceding and 1 preceding
                    ) then 0
                    else 1
                end as is_new_island
            from {{ relation }}
        )
    )
    group by {{ parts }}, island
{%- endmacro %}
