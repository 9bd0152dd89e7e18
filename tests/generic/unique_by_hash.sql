{#
    The values of `column_name` that appear more than once, found through `hash_column`:
    an integer hash of a key that determines the column's value on the tested rows (equal
    values have equal hashes), such as `dedupe_hash` for `clean_event_id`. Grouping 100M
    integers costs about 10 s where grouping 100M strings costs 26 s (docs/performance.md);
    only the rows of repeated hashes have their values compared, so a hash collision
    between different values fails nothing.
#}
{% test unique_by_hash(model, column_name, hash_column) %}

    with

    repeated_hashes as (

        select {{ hash_column }}
        from {{ model }}
        where {{ column_name }} is not null
        group by {{ hash_column }}
        having count(*) > 1

    )

    select
        {{ column_name }} as unique_field,
        count(*) as n_records
    from {{ model }}
    where
        {{ column_name }} is not null
        and (
            {{ hash_column }} is null
            or {{ hash_column }} in (select repeated_hashes.{{ hash_column }} from repeated_hashes)
        )
    group by {{ column_name }}
    having count(*) > 1

{% endtest %}
