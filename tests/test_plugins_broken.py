"""Broken plugins, installed for real into a throw-away venv, never take the host down.

Each runs in a subprocess of the venv made by the ``broken_plugins_venv`` fixture
(see conftest.py), next to aura-core, its built-ins and whatever else this test
environment holds.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

BROKEN = {
    "aura-broken-import": "0.3.1",
    "aura-marker-thief": "1.2.0",
    "aura-future-core": "2.0.0",
}


def run(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A wide terminal, so rich's tables do not wrap the cells the tests look for.
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run([str(python), *args], check=False, capture_output=True, text=True, timeout=120, env=env)


def python_code(python: Path, code: str) -> str:
    result = run(python, "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def plugins_json(broken_plugins_venv: Path) -> dict[str, dict]:
    """``aura plugins --json`` in the venv, by distribution."""
    result = run(broken_plugins_venv, "-m", "aura_core.cli", "plugins", "--json")
    assert result.returncode == 0, result.stderr
    return {plugin["distribution"]: plugin for plugin in json.loads(result.stdout)["plugins"]}


def test_every_broken_plugin_is_reported_with_its_version(plugins_json: dict[str, dict]) -> None:
    for distribution, version in BROKEN.items():
        assert plugins_json[distribution]["version"] == version
        assert plugins_json[distribution]["status"] != "ok"
        assert plugins_json[distribution]["codecs"] == []
    assert plugins_json["aura-core"]["status"] == "ok"


def test_import_failure_names_distribution_version_and_cause(plugins_json: dict[str, dict]) -> None:
    report = plugins_json["aura-broken-import"]
    assert report["status"] == "failed"
    assert "aura-broken-import 0.3.1" in report["problems"][0]
    assert "ModuleNotFoundError" in report["problems"][0]
    assert "aura_dependency_that_is_not_installed" in report["problems"][0]


def test_marker_conflict_names_the_owner(plugins_json: dict[str, dict]) -> None:
    (problem,) = plugins_json["aura-marker-thief"]["problems"]
    assert problem == "codec 'thief' claims marker 0x01, already owned by 'brotli' (aura-core 0.1.0)"
    assert {c["name"]: c["marker"] for c in plugins_json["aura-core"]["codecs"]}["brotli"] == 0x01


def test_incompatible_core_range_is_refused(plugins_json: dict[str, dict]) -> None:
    (problem,) = plugins_json["aura-future-core"]["problems"]
    assert "requires aura-core >=9.0" in problem and "aura-core 0.1.0 is installed" in problem


def test_host_still_compresses_and_decodes(broken_plugins_venv: Path) -> None:
    out = python_code(
        broken_plugins_venv,
        "import aura_core\n"
        "c = aura_core.Compressor()\n"
        "text = 'the host keeps working, ' * 20\n"
        "r = c.compress(text)\n"
        "assert c.decompress(r.compressed_data) == text\n"
        "print(r.method, c.registry.codec_for_marker(1).name)\n",
    )
    method, owner_of_0x01 = out.split()
    assert method != "raw"
    assert owner_of_0x01 == "brotli"


def test_refused_codec_marker_does_not_decode(broken_plugins_venv: Path) -> None:
    out = python_code(
        broken_plugins_venv,
        "import aura_core\n"
        "try:\n"
        "    aura_core.Compressor().decompress(bytes([0xC2]) + b'text')\n"
        "except aura_core.UnknownMarkerError as exc:\n"
        "    print(exc)\n",
    )
    assert "unknown marker 0xC2" in out and "private-use range" in out


def test_strict_mode_raises_plugin_error(broken_plugins_venv: Path) -> None:
    out = python_code(
        broken_plugins_venv,
        "import aura_core\n"
        "try:\n"
        "    aura_core.Registry.from_entry_points(strict=True)\n"
        "except aura_core.PluginError as exc:\n"
        "    print(exc)\n",
    )
    # Entry points load in name order after aura-core's, so the import failure comes first.
    assert out.startswith("plugin 'broken-import' (aura-broken-import 0.3.1): failed to load")


def test_aura_plugins_lists_failures_and_succeeds(broken_plugins_venv: Path) -> None:
    result = run(broken_plugins_venv, "-m", "aura_core.cli", "plugins")
    assert result.returncode == 0, result.stderr
    for distribution, version in BROKEN.items():
        assert f"({distribution} {version})" in result.stdout
    assert "claims marker 0x01, already owned by 'brotli' (aura-core 0.1.0)" in result.stdout


def test_aura_plugins_check_fails(broken_plugins_venv: Path) -> None:
    result = run(broken_plugins_venv, "-m", "aura_core.cli", "plugins", "--check")
    assert result.returncode == 1
