"""Which activity a typed code means: "s17" and "S17" alike, "17" when only one code ends so."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store's module loads TinyDB; only types are needed
    from store.repository import Store


def resolve(store: Store, typed: str) -> str | None:
    """The stored code `typed` stands for, None when it names none (or several)."""
    codes = store.codes()
    wanted = typed.casefold()
    exact = [c for c in codes if c.casefold() == wanted]
    if exact:
        return exact[0]
    if typed.isdigit():
        number = int(typed)
        ending = [c for c in codes if (m := re.search(r"(\d+)$", c)) and int(m[1]) == number]
        return ending[0] if len(ending) == 1 else None
    return None
