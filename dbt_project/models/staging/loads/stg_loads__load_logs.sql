{#- The loader's log: one row per landed file loaded. Read by the incremental intermediate models
    to find the day folders loaded since their watermark, a re-delivery that emptied a folder
    included (it leaves no row in raw, only here). -#}
with

source as (
    select * from {{ source('loads', 'load_log') }}
),

final as (
    select
        source as source_name,
        entity,
        source || '/' || entity as origin,
        business_date as landed_date,
        file as landed_file,
        rows_loaded,
        loaded_at
    from source
)

select * from final
