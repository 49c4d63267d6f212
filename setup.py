"""Build of entityscreen: the pure matching core compiled to C extensions by mypyc.

The modules in ``COMPILED`` (the name analysis and the matcher, hot in every query) are
compiled with mypyc when the package is built (``pip install .`` / ``pip install -e .``):
about 1.35x less CPU a query, same results (docs/benchmarks.md, "Compiled matching core").
Their ``.py`` files ship beside the extensions, so the package stays importable as pure
Python:

- ``ENTITYSCREEN_PURE_PYTHON=1`` builds a pure-Python package (no C compiler needed);
- without mypy (a build without isolation), when mypyc rejects the code or without a
  working C compiler, the build warns and falls back to pure Python instead of failing
  (CI sets ``ENTITYSCREEN_EXPECT_COMPILED=1``: tests/unit/test_compiled.py then fails).

Everything else (metadata, dependencies, package data) is in pyproject.toml.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

#: Modules compiled by mypyc: the name analysis and the matcher's query path (pure core,
#: ``mypy --strict`` clean). Left as Python: the index build, its file format, the worker
#: pool and the OFAC-style score (not per query, or not hot); ``matching/columns.py``
#: (compiled, its Sequence subclasses took a list for one of theirs in ``isinstance`` and
#: refused numpy integers as indexes); ``matching/types.py`` (a compiled frozen Match did
#: not unpickle: batch workers send matches back pickled); ``names/burmese.py`` (mypyc
#: fails on its starred tuple in ``in``, and it is cold).
_MATCHING = [
    "align", "calibration", "candidates", "compare", "differences", "evidence", "explain",
    "features", "fitted", "index", "keycache", "keys", "parts", "postings", "rarity",
    "scorer", "similarity", "stored", "weak",
]  # fmt: skip
_NAMES = [
    "analysis", "japanese", "korean", "lexicon", "misspelt", "normalize", "phonetic",
    "syllables", "tokens", "transliterate", "variants", "wadegiles",
]  # fmt: skip
COMPILED = [f"entityscreen/matching/{m}.py" for m in _MATCHING] + [
    f"entityscreen/names/{m}.py" for m in _NAMES
]


def _warn(message: str) -> None:
    print(f"entityscreen setup.py: {message}; building pure Python", file=sys.stderr)


class OptionalBuildExt(build_ext):
    """``build_ext`` whose failure (no C compiler, no Python headers) leaves a pure-Python
    package rather than a failed install: the compiled modules' ``.py`` files are there."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # CompileError, LinkError, a missing compiler (OSError)
            _warn(f"compiling the matching core failed ({error})")
            # A half-built set would not import (each module needs the shared library).
            for path in self.get_outputs():
                Path(path).unlink(missing_ok=True)
            self.extensions = []
            return
        if self.inplace:
            # Copied in place with the build's times: an extension rebuilt from unchanged C
            # would look older than its .py (tests/unit/test_compiled.py checks the times).
            for ext in self.extensions:
                path = Path(self.get_ext_fullpath(ext.name))
                if path.exists():
                    os.utime(path)


def ext_modules() -> list[object]:
    if os.environ.get("ENTITYSCREEN_PURE_PYTHON", "") not in ("", "0"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn("mypy (mypyc) is not installed")
        return []
    # One group, named: the shared library is ``entityscreen_core__mypyc`` (a top-level
    # module), and compiled modules call one another directly, without the Python API.
    # Its own type cache: the checkout's .mypy_cache may hold another environment's types.
    args = ["--cache-dir", "build/mypyc-cache", *COMPILED]
    try:
        return list(mypycify(args, opt_level="3", group_name="entityscreen_core"))
    except (Exception, SystemExit) as error:  # a mypy release that rejects our code
        _warn(f"mypyc could not compile the matching core ({error!r})")
        return []


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
