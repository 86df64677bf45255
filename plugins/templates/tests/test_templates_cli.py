"""``aura templates mine|show`` through click, on a small JSONL file."""

from __future__ import annotations

import json
from pathlib import Path

from aura_templates.cli import templates
from click.testing import CliRunner
from templates_samples import sample_messages

from aura_core import Compressor, load_profile


def test_mine_extend_and_show(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in sample_messages(150)))
    runner = CliRunner()
    first = runner.invoke(templates, ["mine", str(source), "-q", "-o", str(tmp_path / "a.bin"),
                                      "-t", "Ticket {ticket:num} closed by {who}."])
    assert first.exit_code == 0, first.output
    assert "coverage:" in first.output
    more = tmp_path / "more.jsonl"
    more.write_text("".join(json.dumps({"text": f"Ticket {n} closed by ops." }) + "\n" for n in range(5)))
    second = runner.invoke(templates, ["mine", "-q", "--profile", str(tmp_path / "a.bin"), str(more),
                                       "-o", str(tmp_path / "b.bin")])
    assert second.exit_code == 0, second.output
    shown = runner.invoke(templates, ["show", str(tmp_path / "b.bin"), "-n", "100"])
    assert shown.exit_code == 0, shown.output
    assert "Ticket {ticket:num} closed by {who}." in shown.output
    assert "handwritten" in shown.output
    profile = load_profile(tmp_path / "b.bin")
    compressor = Compressor(profile=profile, codecs=["templates"])
    result = compressor.compress("Ticket 77 closed by ops.")
    assert result.method == "templates" and compressor.decompress(result.compressed_data) == "Ticket 77 closed by ops."


def test_show_refuses_a_profile_without_templates(tmp_path: Path) -> None:
    from aura_core import Profile

    Profile.create(3, {"other": b"x"}, {}, {}, 1, 1).save(tmp_path / "p.bin")
    result = CliRunner().invoke(templates, ["show", str(tmp_path / "p.bin")])
    assert result.exit_code != 0
