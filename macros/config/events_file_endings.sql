{#
    The reader of the files var events_path names, by their ending: 'parquet', 'csv'
    (events_format 'contract' only) or 'json' (newline-delimited JSON, one document a
    line, optionally gzip or zstd compressed; a bare `.gz` is Segment's S3 file). A
    PostHog file ending in `.parquet.zst` (or another codec) is Parquet: the codec is
    inside the file. `check_events_path()` stops the build with a message naming the
    accepted endings when there is no reader, or when the glob matches no file.
#}
{% macro events_file_endings() %}
    {% set json = [] %}
    {% for base in ['.json', '.jsonl', '.ndjson'] %}
        {% do json.extend([base, base ~ '.gz', base ~ '.zst']) %}
    {% endfor %}
    {% do json.append('.gz') %}
    {{ return({
        'parquet': ['.parquet', '.parquet.zst', '.parquet.lz4', '.parquet.sz', '.parquet.gz', '.parquet.br'],
        'csv': ['.csv', '.csv.gz'],
        'json': json,
    }) }}
{% endmacro %}
