"""`/brs search`: activities whose text matches, best first; near words when nothing does."""

# Search runs on every keystroke of a busy channel and on reports far bigger than the bundled
# one, so each activity's text is casefolded once per store version (and the report's words
# gathered once): an activity without any query word in its folded text is skipped unread.

from __future__ import annotations

import difflib
import re
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot import grammar as c
from bot.queries.results import SearchHit, SearchResults
from store.model import COLUMN_LABELS, COLUMNS, Activity

if TYPE_CHECKING:  # the contract is the store itself; its module loads TinyDB
    from store.repository import Store

_WORD = re.compile(r"\w+")
MIN_WORD = 4  # shorter words are too many and too alike to suggest


@dataclass(frozen=True)
class Index:
    version: Any
    folded: tuple[tuple[Activity, str], ...]  # each activity with all its text, casefolded
    words: frozenset[str]  # every word of the report, casefolded


_indexes: weakref.WeakKeyDictionary[Any, Index] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _text(a: Activity) -> str:
    parts = [a.code, a.title]
    for row in a.rows:
        for name in COLUMNS:
            parts.extend(row.column(name))
    return "\n".join(parts).casefold()


def index(store: Store) -> Index:
    """The folded texts and words of the store's activities, built once per store version."""
    version = getattr(store, "version", None)
    with _lock:
        found = _indexes.get(store) if version is not None else None
        if found is not None and found.version == version:
            return found
    folded = tuple((a, _text(a)) for a in store.activities())
    words = frozenset(w for _, t in folded for w in _WORD.findall(t) if len(w) >= MIN_WORD)
    built = Index(version, folded, words)
    if version is not None:
        with _lock:
            _indexes[store] = built
    return built


def search(store: Store, cmd: c.Search) -> SearchResults:
    # A query word matches the start of a word in the text ("question" finds "questionnaire").
    words = list(dict.fromkeys(w.casefold() for w in cmd.words))
    finders = [(w, re.compile(rf"(?<!\w){re.escape(w)}", re.I)) for w in words]

    def _matches(text: str) -> set[str]:
        return {w for w, rx in finders if rx.search(text)}

    idx = index(store)
    hits = []
    for a, folded in idx.folded:
        if not any(w in folded for w in words):
            continue
        in_title = _matches(f"{a.code} {a.title}")
        best, best_found = ("Title", a.title), set(in_title)
        in_lines: set[str] = set()
        for row in a.rows:
            for name in COLUMNS:
                for line in row.column(name):
                    found = _matches(line)
                    in_lines |= found
                    if len(found) > len(best_found) or (found and best[0] == "Title"):
                        best, best_found = (COLUMN_LABELS[name], line), found
        # A word in the title says more about the activity than one in its text.
        score = 3 * len(in_title) + len(in_lines - in_title)
        if score:
            hits.append(SearchHit(a.code, a.title, score, best[0], best[1]))
    hits.sort(key=lambda h: -h.score)  # stable: ties stay in report order
    near = () if hits else _near(words, idx.words)
    return SearchResults(cmd.text, cmd.query, tuple(hits), near)


def _near(words: list[str], vocabulary: frozenset[str]) -> tuple[str, ...]:
    """For each word the report lacks, the report's word it most likely meant."""
    meant = []
    for w in words:
        if any(v.startswith(w) for v in vocabulary):
            meant.append(w)
            continue
        close = difflib.get_close_matches(w, vocabulary, n=1, cutoff=0.75)
        if not close:
            return ()  # one word with no near match: no query to suggest
        meant.append(close[0])
    return (" ".join(meant),) if meant != words else ()
