"""The `brs` command line: console, import, export, serve. The only place that reads os.environ."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.settings import ConfigError, Settings, check_for_serve, from_env

EXPORT_FORMATS = ("json", "md", "docx", "csv", "deadlines-csv", "ics", "png")  # exports.FORMATS


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="brs", description="The BRS synergies status bot.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    c = sub.add_parser("console", help="answer /brs lines from stdin, offline")
    c.add_argument("--now", help="run on a simulated clock from this time, e.g. 2012-08-20T09:00")
    c.add_argument("--user", default="console", help="who you are, e.g. U012AB3CD")
    i = sub.add_parser("import", help="import or re-import a status report")
    i.add_argument("file", type=Path, help="the report: .md, .docx or .html")
    i.add_argument(
        "--allow-removals",
        action="store_true",
        help="let the import remove activities the file no longer has",
    )
    e = sub.add_parser("export", help="write the current report")
    e.add_argument("--format", choices=EXPORT_FORMATS, default="md")
    e.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    e.add_argument("--today", help="png: the day marked as today, e.g. 2012-08-20 (default: today)")
    sub.add_parser("serve", help="run the Slack app: Socket Mode with SLACK_APP_TOKEN, else HTTP")
    m = sub.add_parser("migrate", help="copy the TinyDB store at BRS_DB into an empty PostgreSQL")
    m.add_argument("--to", required=True, metavar="URL", help='the database, e.g. "$DATABASE_URL"')
    return p


def _parse_now(raw: str, settings: Settings) -> datetime:
    try:
        now = datetime.fromisoformat(raw)
    except ValueError:
        raise ConfigError(
            f'--now "{raw}" is not a date and time; use ISO form like 2012-08-20T09:00.'
        ) from None
    return now if now.tzinfo else now.replace(tzinfo=settings.tz)


def _real_clock() -> datetime:
    return datetime.now(UTC)


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import banner, run_console
    from bot.console.lines import interactive, piped
    from bot.console.reminders import ConsoleReminders
    from bot.exports.feed import ensure_installation
    from jobs.clock import SimClock
    from store.backends import open_any
    from store.bootstrap import scratch_copy

    clock: Callable[[], datetime] = _real_clock
    path = settings.db_path
    scratch = None
    url = _database_url()
    if args.now and url:
        raise ConfigError(
            "--now runs on a scratch copy of the TinyDB store at BRS_DB; "
            "unset DATABASE_URL to simulate time."
        )
    if args.now:
        clock = SimClock(_parse_now(args.now, settings))  # stands still until /brs tick
        scratch = tempfile.TemporaryDirectory(prefix="brs-console-")
        path = scratch_copy(settings.db_path, Path(scratch.name))
    elif not path.exists() and not url:
        # Run from another folder, BRS_DB's default points somewhere new: say so, once.
        print(f"brs: no store at {path}; creating it from the bundled report.", file=sys.stderr)
    tty = sys.stdin.isatty()
    try:
        with open_any(path, url, clock=clock) as store:
            ensure_installation(store)  # calendar UIDs carry it (`brs export` reads it)
            # Reminders print only on the simulated clock: on the real store they would be
            # recorded as sent, and `brs serve` would never post them.
            reminders = None
            if isinstance(clock, SimClock):
                reminders = ConsoleReminders(store, settings, clock, sys.stdout)
            if tty:
                editor = settings.is_editor(args.user, console=True)
                shown = str(store.path) if url else str(settings.db_path.resolve())
                count = len(store.codes())
                print(banner(shown, count, args.user, editor=editor, simulated=args.now))
            history = Path.home() / ".brs_history" if tty else None
            run_console(
                store,
                lines=interactive("brs> ", history) if tty else piped(sys.stdin),
                out=sys.stdout,
                clock=clock,
                tz=settings.tz,
                reminders=reminders,
                settings=settings,
                user=args.user,
            )
    finally:
        if scratch:
            scratch.cleanup()
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from store.events import DEFAULT_EVENTS
    from store.report.reader import read_report
    from store.repository import Store

    report = read_report(args.file)  # before opening: a bad file changes nothing
    url = _database_url()
    if url:
        from store.postgres.repository import PgStore

        opened: Any = PgStore.open(url, clock=_real_clock, listen=False)
    else:
        opened = Store.open(settings.db_path, clock=_real_clock)
    with opened as store:
        result = store.import_report(report, allow_removals=args.allow_removals)
        store.set_default_events(DEFAULT_EVENTS)
        events = store.events()
    print(
        f"Imported {args.file}: {len(report.activities)} activities "
        f"({result.added} new, {result.changed} changed, {result.removed} removed), "
        f"deadlines: {result.deadlines_added} new, {result.deadlines_removed} removed."
    )
    for line in result.report.lines():
        print(f"  {line}")
    undated = sorted({d.event for d in report.deadlines if d.event and d.event not in events})
    for name in undated:
        print(f"  needs a date: event {name}; set it with /brs event {name} YYYY-MM-DD")
    return 0


def _parse_today(raw: str | None, now: datetime, settings: Settings) -> date:
    if raw is None:
        return now.astimezone(settings.tz).date()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f'--today "{raw}" is not a date; use ISO form like 2012-08-20.') from None


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.exports import export_bytes
    from store.backends import open_any

    now = _real_clock()
    today = _parse_today(args.today, now, settings)
    if args.format == "png" and not args.output and sys.stdout.isatty():
        raise ConfigError("a PNG is not for a terminal; write it to a file: -o timeline.png")
    if args.format == "ics":
        _ensure_installation(settings)
    with open_any(settings.db_path, _database_url(), clock=_real_clock, readonly=True) as store:
        data = export_bytes(store, args.format, now=now, today=today)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _database_url() -> str | None:
    """PostgreSQL instead of the TinyDB file at BRS_DB (store.backends)."""
    return os.environ.get("DATABASE_URL", "").strip() or None


def _ensure_installation(settings: Settings) -> None:
    """Calendar UIDs carry the installation's id: make it once, unless brs serve (which made
    it when it started) holds the store."""
    from bot.exports.feed import ensure_installation, installation_id
    from store.backends import open_any
    from store.lock import StoreLocked

    url = _database_url()
    try:
        with open_any(settings.db_path, url, clock=_real_clock, readonly=True) as store:
            if installation_id(store) is not None:
                return
        with open_any(settings.db_path, url, clock=_real_clock) as store:
            ensure_installation(store)
    except StoreLocked:
        pass


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    check_for_serve(settings)  # before importing Slack's libraries: a bad setting fails at once
    from bot.slack.serve import serve

    return serve(settings, clock=_real_clock, database_url=_database_url())


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from store.postgres.migrate import migrate

    done = migrate(settings.db_path, args.to, clock=_real_clock)
    print(
        f"Copied {settings.db_path} into {done.into}: {done.records} history records, "
        f"{done.documents} documents, {done.reminders} reminder entries, {done.meta} meta keys; "
        "the counts and the contents match."
    )
    return 0


COMMANDS = {
    "console": cmd_console,
    "import": cmd_import,
    "export": cmd_export,
    "serve": cmd_serve,
    "migrate": cmd_migrate,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from store.errors import ReportError
    from store.storage import StoreError

    try:
        settings = from_env(os.environ)
        return COMMANDS[args.command](args, settings)
    except (ConfigError, ReportError, StoreError) as e:
        print(f"brs: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
