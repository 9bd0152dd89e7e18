-- One row per day, for the semantic layer: MetricFlow joins metrics to it to fill
-- and offset time. Wide fixed range; a few thousand rows.
with

days as (

    -- dbt's own macro renders its select on one line
    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2051-01-01' as date)") }}  -- noqa: LT09

)

select cast(date_day as date) as date_day
from days
