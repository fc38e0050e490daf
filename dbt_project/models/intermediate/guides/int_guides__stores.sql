{#- Each employee's store, as the latest org/employee snapshot lists it: what the guide marts are
    filtered by store with (a guide who moved counts under the store they are in now). -#}
with

employees as (select * from {{ ref('stg_org__employees') }}),

final as (
    select
        employees.userid,
        employees.store_code
    from employees
)

select * from final
