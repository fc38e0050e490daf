{#- A predicate on a snapshot's raw rows (`relation`, keyed by one `key` column): the row is in the
    latest snapshot, or its key's row there was quarantined with the key readable (raw._quarantine,
    `origin` = '<source>/<entity>'), so an earlier row of it stands in. Follow with
    dedupe_latest([key]): a key loaded in the latest snapshot keeps that row; one quarantined there
    keeps its latest loaded row. A garbled row in a hand-kept list (an employee whose role was typed
    in Chinese, a store with an impossible opening date) then leaves the employee or the store on the
    list, where it took them off it, with their customers, groups and figures. A key the latest
    snapshot does not show at all has left the list. -#}
{% macro in_latest_snapshot(relation, key, origin) -%}
    {%- set latest = '(select max(snapshots._business_date) from ' ~ relation ~ ' as snapshots)' -%}
    (
        {{ relation }}._business_date = {{ latest }}
        or {{ relation }}.{{ key }} in (
            select {{ json_text('quarantine.record', key) }}
            from {{ source('loads', 'quarantine') }} as quarantine
            where
                quarantine.source = '{{ origin.split('/')[0] }}'
                and quarantine.entity = '{{ origin.split('/')[1] }}'
                and quarantine.business_date = {{ latest }}
        )
    )
{%- endmacro %}
