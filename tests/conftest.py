"""tests/spark/ needs pyspark and Java, and minutes per build: only `make spark-test` runs it
(it sets APP_SESSIONS_SPARK_TESTS=1); `make pytest` leaves it out."""

import os

collect_ignore = [] if os.environ.get("APP_SESSIONS_SPARK_TESTS") == "1" else ["spark"]
