"""Named events that relative deadlines hang from, and their default dates."""

from __future__ import annotations

from datetime import date

# The 2013 meetings of the three conferences of the parties opened in Geneva on
# 28 April 2013 (SPEC section 4); editors move it with `/brs event COP-2013 <date>`.
DEFAULT_EVENTS: dict[str, date] = {"COP-2013": date(2013, 4, 28)}
