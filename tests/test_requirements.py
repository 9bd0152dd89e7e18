"""`make run` installs only the product's lock (requirements.txt); the developer's tools are
requirements-dev.txt, which only make test, make lint and make bench add. So every package the
product's own code imports must come from requirements.txt: a model, the publishing module,
the demo generator, the headline and the report. An import of a developer's package there
would work in make test (which has both) and fail on a user's machine."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PRODUCT_CODE = [
    *sorted((PROJECT / "models").rglob("*.py")),
    *sorted((PROJECT / "python").glob("*.py")),
    *sorted((PROJECT / "scripts").glob("*.py")),
]
# Imported only for an option that needs the developer's packages, and said where it is used:
# make report SCREENSHOT=... installs requirements-dev.txt first (Makefile).
DEVELOPER_ONLY = {("scripts/report.py", "playwright")}


def normalized(distribution: str) -> str:
    """A distribution's name as pip compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def locked(lock: Path) -> set[str]:
    """The normalized distribution names pinned in a lock file."""
    lines = lock.read_text().splitlines()
    return {normalized(line.split("==")[0]) for line in lines if line and not line.startswith("#")}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of the absolute imports in a file, wherever they are in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def third_party(module: str) -> list[str]:
    """The installed distributions that provide a top-level module (none: stdlib or ours)."""
    if module in sys.stdlib_module_names or module == "__future__":
        return []
    if any((PROJECT / folder / f"{module}.py").exists() for folder in ("python", "scripts")):
        return []
    return packages_distributions().get(module, [module])


def test_the_product_code_imports_only_the_product_lock():
    product, developer = (
        locked(PROJECT / "requirements.txt"),
        locked(PROJECT / "requirements-dev.txt"),
    )
    assert product and developer and not product & developer
    outside = []
    for path in PRODUCT_CODE:
        relative = path.relative_to(PROJECT).as_posix()
        for module in sorted(imported_modules(path)):
            if (relative, module) in DEVELOPER_ONLY:
                continue
            for distribution in third_party(module):
                if normalized(distribution) not in product:
                    outside.append(f"{relative} imports {module} ({distribution})")
    assert PRODUCT_CODE and not outside, (
        "the product's code imports packages make run does not install; pin them in"
        " requirements.in and re-lock (make lock):\n" + "\n".join(outside)
    )


def test_the_developer_only_imports_are_still_there():
    # an exemption for an import that is gone would hide the next one
    for relative, module in DEVELOPER_ONLY:
        assert module in imported_modules(PROJECT / relative), (relative, module)
