{{ check_events_path() }}

with

source_events as (

    select * from {{ source('app', 'raw_events') }}

),

contract_columns as (

    -- the contract's columns as text, whatever the file format typed them as
    select
        {{ raw_event_columns(source('app', 'raw_events')) }},
        {{ raw_event_file_name() }} as source_file

    from source_events

)

select * from contract_columns
