{#- Tables and views on DuckDB, built in one statement. dbt-duckdb's own materializations build
    `<name>__dbt_tmp`, then look up foreign keys and indexes, rename the old relation to a backup,
    rename the new one into place and drop the backup: six to eight statements and their events a
    model, where the SQL of most of a night's models takes a few milliseconds. A night's dbt steps
    are dbt's Python on one core (issue 14): these two build the same relations with one statement
    (the rebuild of every model 12.0-13.3 -> 9.9-11.8 CPU-seconds on the demo brand, the same
    session). What they keep:
    - a model that fails leaves the relation as it was: the drop and the create are one statement
      inside the model's transaction, which dbt rolls back on an error;
    - a mart's enforced contract: create_table_as checks the columns and creates the table from
      them (dbt-duckdb's), as before;
    - pre- and post-hooks (the CLV hand-over's, macros/clv_handoff.sql), in and outside the
      transaction, in dbt's order.
    What they drop, unused here: foreign keys (no model declares a constraint), indexes, grants,
    persist_docs, Python models, DuckLake's rename workaround. Spark keeps its adapter's. -#}
{% materialization table, adapter="duckdb" %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {% call siyu_build_in_one_statement(target_relation) -%}
    {% if existing_relation is not none -%}
      drop {{ existing_relation.type }} if exists {{ existing_relation }};
    {%- endif %}
    {{ create_table_as(False, target_relation, compiled_code) }}
  {%- endcall %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- A view: `create or replace`, or a table of that name dropped first in the same statement. -#}
{% materialization view, adapter="duckdb" %}
  {%- set target_relation = this.incorporate(type='view') -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {% call siyu_build_in_one_statement(target_relation) -%}
    {% if existing_relation is not none and existing_relation.type != 'view' -%}
      drop {{ existing_relation.type }} if exists {{ existing_relation }};
    {%- endif %}
    create or replace view {{ target_relation }} as (
      {{ sql }}
    )
  {%- endcall %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- The model's hooks around its one statement (the caller's block, rendered after the pre-hooks),
    in dbt's order. The statement runs in the model's transaction, which dbt begins for it, so an
    error rolls all of it back. -#}
{% macro siyu_build_in_one_statement(target_relation) %}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {%- set build = caller() %}
  {% call statement('main') -%}
    {{ build }}
  {%- endcall %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
{% endmacro %}
