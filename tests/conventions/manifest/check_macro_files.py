"""This project's own dbt-bouncer check (dbt-bouncer.yml): one public macro per file.

A macro file under macros/ holds the macro it is named after, that macro's engine variants
(`default__<name>`, `duckdb__<name>`, `spark__<name>`, found by adapter.dispatch) and private
helpers only it calls (names starting with `_`). dbt-bouncer's own
check_macro_name_matches_file_name allows no engine variants beside the macro.
"""

import re
from pathlib import PurePosixPath

from dbt_bouncer.check_framework.decorator import check, fail

ENGINE_VARIANT = re.compile(r"^(default|duckdb|spark)__")


@check
def check_macro_is_its_files_macro(macro):
    path = PurePosixPath(str(macro.original_file_path).replace("\\", "/"))
    if path.parts[0] != "macros" or macro.name.startswith("_"):
        return
    if ENGINE_VARIANT.sub("", macro.name) != path.stem:
        fail(
            f"macro `{macro.name}` is in {path}: a macro file holds the macro it is named"
            " after, its engine variants and private helpers (`_name`); move it to its own"
            f" file, {path.parent}/{ENGINE_VARIANT.sub('', macro.name)}.sql"
        )
