-- Nothing is lost: every raw row in the files is either a clean event or a
-- quarantined row, never both and never neither.
with

raw_rows as (

    select count(*) as row_count from {{ source('app', 'raw_events') }}

),

clean_rows as (

    select count(*) as row_count from {{ ref('int_events_clean') }}

),

rejected_rows as (

    select count(*) as row_count from {{ ref('rejected_events') }}

)

select
    raw_rows.row_count as raw_row_count,
    clean_rows.row_count as clean_row_count,
    rejected_rows.row_count as rejected_row_count

from raw_rows
cross join clean_rows
cross join rejected_rows
where raw_rows.row_count <> clean_rows.row_count + rejected_rows.row_count
