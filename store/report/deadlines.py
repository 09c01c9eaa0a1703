"""Turn the dated phrases of an activity's text into deadlines and milestones.

Whether a date is a commitment still open or a record of something done is
read from the clause that carries the date, not from any word near the start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from store.model import Activity, Deadline
from store.report.dates import DatePhrase, event_name, find_dates

__all__ = ["DatePhrase", "event_name", "extract_deadlines", "find_dates", "split_sentences"]

_LEAD_WORDS = re.compile(
    r"\s*\b(?:by|until|till|through|before|on|in|at|during|from|between|as\s+of|no\s+later\s+than"
    r"|up\s+to|scheduled|planned|postponed\s+to|moved\s+to)\s*$",
    re.I,
)
# Future and obligation: whatever participles precede ("the revised toolkit will be sent"),
# the clause commits to something still to come.
_FUTURE = re.compile(
    r"\b(?:will|shall|should|must|to\s+be|is\s+to|are\s+to|no\s+later\s+than|not\s+later\s+than"
    r"|(?:is|are)\s+(?:planned|scheduled|expected|due|foreseen|envisaged|being)"
    r"|(?:is|are)\s+(?:invited|requested|urged|encouraged|asked)\s+to"
    r"|(?:plans?|intends?|aims?|needs?)\s+to|going\s+to)\b",
    re.I,
)
# "postponed to D", "moved to D": D is the new date of something not yet done.
_MOVED = re.compile(
    r"\b(?:postponed|moved|rescheduled|deferred|shifted|brought\s+forward|delayed)\s+"
    r"(?:to|until|till|for)\s*$",
    re.I,
)
# An instruction: "Submit the revised toolkit ...", "The secretariat to develop ...".
_IMPERATIVE = re.compile(
    r"^\W*(?:please\s+)?(?:submit|send|prepare|provide|complete|finali[sz]e|publish|circulate"
    r"|organi[sz]e|hold|convene|report|develop|review|transmit|post|upload|nominate|respond"
    r"|register|deliver|launch|present|establish|implement|collect|compile|draft|translate"
    r"|distribute|issue|adopt|approve|consult|inform|notify|invite|share|make|ensure|update"
    r"|conduct|carry\s+out|undertake|identify|designate|confirm|reply|return|forward)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r";\s*|,\s+(?:and|but|while|whereas)\s+|\s+whereas\s+")
# A sentence that reports something already done: "was held on", "were invited by".
_DONE_AUX = re.compile(r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\b", re.I)
# ... or a short subject followed by a simple past verb: "The secretariat provided support".
_DONE_SIMPLE = re.compile(
    r"^\W*(?:[\w/-]+\s+){1,3}?(?:\w+ed|held|sent|made|took|began|met|hosted)\s+[a-z]", re.I
)
# A status line added from Slack opens with when and by whom: "27 November 2026 (jane.doe): ".
_STAMP = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4} \([^()]*\): ")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")
_ABBREV_END = re.compile(r"\b(?:e\.g|i\.e|etc|No|Nos|para|paras|Mr|Ms|Dr|vs)\.$")
_PRONOUN = re.compile(r"^(?:this|these|that|it|they)\b", re.I)
_SUBJECT_TO = re.compile(r"^(?:the\s+)?[\w/-]+(?:\s+[\w/-]+)?\s+(?:to|will|shall|should)\s+", re.I)


def split_sentences(text: str) -> list[str]:
    """Split a line into sentences without breaking at "e.g." and the like."""
    pieces, current = [], ""
    for part in _SENTENCE_SPLIT.split(text):
        current = f"{current} {part}" if current else part
        if not _ABBREV_END.search(current):
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _trim(clause: str) -> str:
    clause = _LEAD_WORDS.sub("", clause)
    return re.sub(r"^[\s,;:.]*(?:and|or|then|to)?\s+", "", " " + clause).strip(" ,;:.")


def _what_is_due(sentence: str, start: int, prev_end: int, previous: str) -> str:
    clause = _trim(sentence[prev_end:start])
    if previous and _PRONOUN.match(clause):
        # "This should take place at the end of 2013": what "this" is was said just before.
        clause = _trim(previous.rsplit(", ", 1)[-1])
    if len(clause.split()) > 3:
        shorter = _SUBJECT_TO.sub("", clause, count=1)
        # "The secretariat to develop X" -> "Develop X"; but "The summary will be sent"
        # says what is due only with its subject.
        clause = clause if re.match(r"be\b", shorter, re.I) else shorter
    if len(clause.split()) < 2:
        # Too little before the date: describe it by the whole sentence instead.
        clause = sentence.strip().rstrip(".")
    return clause[:1].upper() + clause[1:]


def _records_done(sentence: str, clause: str, before: str) -> bool:
    """Whether the clause carrying a date records something done (a milestone)."""
    if not before.strip() and _STAMP.match(sentence):
        return True  # the date a line was written is when it was reported, not a deadline
    if re.search(r"\b(?:until|till|through)\s*$", before, re.I) or _MOVED.search(before):
        return False  # "defined until June 2013", "postponed to 14-16 January 2013"
    if _FUTURE.search(clause):
        return False
    if _DONE_AUX.search(clause):
        return True  # "was held on", "has been made available in"
    if _IMPERATIVE.match(clause):
        return False  # "Submit the revised toolkit by ..."
    # "The secretariat provided support ..."; without a past main verb it is still to come.
    return bool(_DONE_SIMPLE.match(clause))


def _clause(sentence: str, start: int, end: int, prev_end: int, next_start: int) -> str:
    """The words around a date, from the previous date or clause break to the next."""
    left = max([prev_end] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)])
    right = min([next_start] + [m.start() for m in _CLAUSE_BREAK.finditer(sentence, end)])
    return sentence[left:start] + " " + sentence[end:right]


def _lines(activity: Activity) -> Iterable[str]:
    for row in activity.rows:
        for col in ("requests", "status", "next_steps", "implications"):
            yield from row.column(col)


def extract_deadlines(activity: Activity, notes: list[str] | None = None) -> list[Deadline]:
    """The activity's deadlines and milestones, numbered "<code>-1", "<code>-2", ... in order.

    The same date mentioned twice for one activity (a request and its next step,
    say) is one commitment; the first mention names it. What looked like a date
    and could not be read is said in `notes`, prefixed with the activity's code.
    """
    found: list[Deadline] = []
    seen: set[tuple] = set()
    said: list[str] = []
    for line in _lines(activity):
        previous = ""
        for sentence in split_sentences(line):
            phrases = list(find_dates(sentence, said))
            prev_end, last_kind, last_due = 0, "deadline", ""
            for n, p in enumerate(phrases):
                next_start = phrases[n + 1].start if n + 1 < len(phrases) else len(sentence)
                clause = _clause(sentence, p.start, p.end, prev_end, next_start)
                before = sentence[: p.start]
                if last_due and not re.search(r"\w", re.sub(r"\b(?:and|or)\b", "", clause)):
                    # The second date of "by 31 January and 30 June 2013": same commitment kind.
                    kind, due = last_kind, last_due
                else:
                    due = _what_is_due(sentence, p.start, prev_end, previous)
                    kind = "milestone" if _records_done(sentence, clause, before) else "deadline"
                prev_end, last_kind, last_due = p.end, kind, due
                event = p.event
                if event and event.startswith("@"):
                    event = f"{activity.code}-{event[1:]}"  # "the meeting" is this activity's
                key = (p.on, event, p.offset_days)
                if key in seen:
                    continue
                seen.add(key)
                found.append(
                    Deadline(
                        id=f"{activity.code}-{len(found) + 1}",
                        activity=activity.code,
                        due=due,
                        sentence=sentence,
                        kind=kind,
                        on=p.on,
                        end=p.last,
                        event=event,
                        offset_days=p.offset_days,
                        phrase=p.text,
                        done=kind == "milestone",
                    )
                )
            previous = sentence
    if notes is not None:
        notes += [f"{activity.code}: {n}" for n in dict.fromkeys(said)]
    return found
