"""`brs import` prints what it did by code and refuses to remove activities unless told to."""

from __future__ import annotations

from store.report.reader import bundled_report_path
from tests.bot.test_cli import brs, env  # noqa: F401  (env is a fixture)


def test_the_import_report_of_the_bundled_report(env):  # noqa: F811
    run = brs(env, "import", str(bundled_report_path()))
    assert run.returncode == 0, run.stderr
    assert (
        "  added: S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12, S13, S14, S15, S16, S17"
        in run.stdout
    )
    assert "  removed: none" in run.stdout
    assert 'could not read: S11: the contents call it "Joint Information Technology"' in run.stdout


def test_removals_are_refused_without_the_flag_and_named(env, tmp_path):  # noqa: F811
    assert brs(env, "import", str(bundled_report_path())).returncode == 0
    text = bundled_report_path().read_text(encoding="utf-8")
    # The last section and its contents lines gone: a complete-looking file without S16, S17.
    cut = text[: text.index("\n## **VII. Overall management**")]
    cut = cut.replace("Resource mobilization (S16)  \n", "").replace(
        "Review arrangements (S17)", ""
    )
    path = tmp_path / "cut.md"
    path.write_text(cut, encoding="utf-8")
    refused = brs(env, "import", str(path))
    assert refused.returncode == 2
    assert "remove 2 activities: S16, S17; nothing was changed" in refused.stderr
    assert "--allow-removals" in refused.stderr
    assert "S17 · Review arrangements" in brs(env, "console", stdin="S17\n").stdout
    allowed = brs(env, "import", str(path), "--allow-removals")
    assert allowed.returncode == 0, allowed.stderr
    assert "  removed: S16, S17" in allowed.stdout
