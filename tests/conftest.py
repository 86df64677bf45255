"""Shared fixtures of aura-core's tests: registries, corpus samples, the broken-plugin venv.

Layout of ``tests/fixtures/``:

* ``aura_example_plugin/``: a real third-party plugin distribution; ``make test``
  installs every ``tests/fixtures/*/pyproject.toml`` into ``.venv``.
* ``deflate_dict_codec.py``: a trainable codec registered in code, never installed.
* ``aura_test_support.py``: helpers the test modules share (registries, corpus samples).
* ``broken/*/``: plugins that fail in the ways a host must survive; installed only
  into the throw-away venv of :func:`broken_plugins_venv`, one level down so that
  ``make test`` does not install them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from importlib.util import find_spec
from pathlib import Path

import pytest
from hypothesis import settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN_PLUGINS = sorted(path.parent for path in (FIXTURES / "broken").glob("*/pyproject.toml"))

# Test helpers and test codecs that are plain modules (never installed) are imported from here.
sys.path.insert(0, str(FIXTURES))
import aura_test_support

from aura_core import Registry

# Tests never assert on time: no hypothesis deadline (brotli at quality 11 is slow, and
# the machines are shared).  In CI the examples are derandomized, so a run is repeatable;
# exploring new examples is for local runs and `make fuzz`.
settings.register_profile("aura", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("aura")


@pytest.fixture
def trainable_registry() -> Registry:
    """The built-ins plus the trainable test codec, registered in code (a fresh one per test)."""
    return aura_test_support.trainable_registry()


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The shared corpora directory; tests that need it skip when it is absent."""
    corpora = aura_test_support.CORPORA
    if not (corpora / "user.train.jsonl").exists():
        pytest.skip(f"corpora not found at {corpora} (set AURA_CORPORA to the directory holding *.train.jsonl)")
    return corpora


@pytest.fixture(scope="session")
def broken_plugins_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throw-away venv with the broken plugins installed for real; returns its python.

    The venv sees this test environment's packages (aura-core, the plugins, pip,
    setuptools) through a ``.pth`` file, so creating it takes no download and no copy;
    the broken plugins are built from copies of their directories, leaving no build
    files in the repository.  Made once per session.
    """
    for module in ("pip", "setuptools"):
        if find_spec(module) is None:
            pytest.skip(f"installing the broken fixture plugins needs {module} in the test environment")
    work = tmp_path_factory.mktemp("broken-plugins")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # addsitedir (unlike a bare path line) also runs the .pth files of editable installs.
    host = sysconfig.get_paths()["purelib"]
    (Path(purelib) / "aura-test-host.pth").write_text(f"import site; site.addsitedir({host!r})\n")
    sources = [shutil.copytree(plugin, work / plugin.name) for plugin in BROKEN_PLUGINS]
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", *sources],
        check=True,
    )
    return python
