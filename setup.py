"""Build hook: ship the checkout's ``resources/`` inside the wheel as ``ftstudio/_resources``.

Everything else about the build lives in ``pyproject.toml``. setuptools cannot map
a folder outside the package into it while also finding packages automatically,
so the copy happens here, after the normal ``build_py``. An editable install
skips it: a checkout finds ``resources/`` beside the package
(:func:`ftstudio.core.resources.resources_dir`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithResources(build_py):
    """``build_py`` that also copies ``resources/`` to ``ftstudio/_resources``."""

    def run(self) -> None:
        """Build the packages, then add the resources folder."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "ftstudio" / "_resources"
        shutil.copytree(
            HERE / "resources",
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )


setup(cmdclass={"build_py": BuildPyWithResources})
