{{ check_events_path() }}
{% set columns = raw_event_columns(source('app', 'raw_events')) %}

with

source_rows as (

    select * from {{ source('app', 'raw_events') }}

),

file_columns as (

    -- the file's columns by name as written (NDJSON keys, each as its text), or each row
    -- as one JSON document for a vendor format (var events_format, macros/formats/)
    select
        {%- for name, expression in columns.file_columns.items() %}
            {%- set quoted = adapter.quote(name) %}
            {{ expression }}{% if expression != quoted %} as {{ quoted }}{% endif %},
        {%- endfor %}
        {{ raw_event_file_name() }} as source_file

    from source_rows

),

contract_columns as (

    -- the contract's columns as text, whatever the file format typed them as
    select
        {{ columns.selected | join(',\n        ') }},
        source_file

    from file_columns

)

select * from contract_columns
