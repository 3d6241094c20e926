"""The packages `pip install rfl` brings must cover what rfl imports when its modules load.

The test environment installs every extra (peers, spark, postgres), so a module-level import of
a package that only an extra brings passes every other test and still breaks `make demo` on a
fresh clone (scipy once did). Imports inside functions are how optional engines load (pyspark,
psycopg), so only module-level imports are held to the base dependencies."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("matching", "rfl", "api", "benchmarks")
# loaded only with an extra, or only by the test suites
OPTIONAL = {"rfl/spark", "rfl/store/postgres.py", "benchmarks/peers", "benchmarks/linkers.py", "benchmarks/speed"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _installed_with(names: set[str]) -> set[str]:
    """`names` and every distribution they require, however deep (extras not taken): what
    installing them installs (fastapi brings starlette and pydantic)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        todo += [_name(r) for r in needs if "extra ==" not in r]
    return seen


def _module_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:  # module level only; `if TYPE_CHECKING:` blocks import nothing at run time
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_module_level_imports_are_base_dependencies():
    declared = _installed_with({_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]})
    distributions = packages_distributions()
    missing = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if any(relative == o or relative.startswith(o + "/") for o in OPTIONAL):
                continue
            for module in _module_level_imports(path):
                if module in sys.stdlib_module_names or module == "__future__" or (ROOT / module).exists():
                    continue
                names = {_name(d) for d in distributions.get(module, [module])}
                if not names & declared:
                    missing.setdefault(module, relative)
    assert not missing, f"imported at module level but not in pyproject's dependencies: {missing}"
