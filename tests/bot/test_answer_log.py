"""One log line per command ("brs.commands"): user, command word, outcome, milliseconds."""

from __future__ import annotations

import io
import logging
import re
from zoneinfo import ZoneInfo

import pytest

from bot.console import run_console
from bot.settings import Settings
from tests.bot.edit_store import NOW, fresh_store

LINE = re.compile(r"user=(\S+) command=(\S+) outcome=(\S+) ms=(\d+)$")


@pytest.fixture
def store(tmp_path, tmp_path_factory):
    s = fresh_store(tmp_path, tmp_path_factory.getbasetemp())
    yield s
    s.close()


def logged(caplog, store, lines, settings=None):
    caplog.set_level(logging.INFO, logger="brs.commands")
    run_console(
        store,
        lines=lines,
        out=io.StringIO(),
        clock=lambda: NOW,
        tz=ZoneInfo("Europe/Zurich"),
        settings=settings or Settings(),
        user="U0ME",
    )
    found = [LINE.search(r.getMessage()) for r in caplog.records if r.name == "brs.commands"]
    assert all(found), caplog.text
    return [m.groups()[:3] for m in found if m]


def test_each_command_logs_who_what_and_how_it_ended(caplog, store):
    lines = ["/brs S17", "S99", "frobnicate", "/brs update S17 Money came", "set S8 funding x"]
    assert logged(caplog, store, lines) == [
        ("U0ME", "s17", "answered"),
        ("U0ME", "s99", "refused"),
        ("U0ME", "frobnicate", "refused"),
        ("U0ME", "update", "changed"),
        ("U0ME", "set", "refused"),
    ]


def test_a_non_editor_is_logged_as_refused(caplog, store):
    settings = Settings(editors=frozenset({"U0OTHER"}))
    assert logged(caplog, store, ["update S17 x"], settings) == [("U0ME", "update", "refused")]


def test_a_command_that_fails_is_logged_as_an_error(caplog, store, monkeypatch):
    from bot import answer

    def broken(*a, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(answer, "run", broken)
    with pytest.raises(RuntimeError):
        logged(caplog, store, ["list"])
    assert "user=U0ME command=list outcome=error" in caplog.text
