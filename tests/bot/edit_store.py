"""A real store with the bundled report for the editing tests, copied fresh for each test."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from bot.changes.editors import Asker
from bot.settings import Settings
from store.bootstrap import open_store
from store.history import history_path
from store.repository import Store

NOW = datetime(2026, 11, 27, 10, 32, tzinfo=UTC)
EDITOR = "U0EDITOR"
OTHER = "U0OTHER"
EDITORS = Settings(editors=frozenset({EDITOR, OTHER}))
NASTY = "<!channel> <!here> ping <@U0777> see <https://evil.example|your bank> a & b"

_template: Path | None = None


def clock() -> datetime:
    return NOW


def fresh_store(tmp_path: Path, template_dir: Path, **kw) -> Store:
    """The bundled report imported once per session, then a copy per test (imports cost 0.1 s)."""
    global _template
    if _template is None or not _template.exists():
        _template = template_dir / "brs.json"
        open_store(_template, clock=clock).close()
    target = tmp_path / "brs.json"
    for source in (_template, history_path(_template)):
        shutil.copy2(source, tmp_path / source.name)
    return Store.open(target, clock=clock, **kw)


def asker(user: str = EDITOR, settings: Settings = EDITORS, **kw) -> Asker:
    return Asker(user, settings, NOW, **kw)
