"""`siyu pull <source> [--date D | --since D]`: fetch a platform's days into the landing folder
(pulls/), printing what landed per entity. Exit 0 when every entity landed, 1 when one stopped on an
error (the others still landed), 2 on a missing credential or a bad argument (nothing written)."""

from __future__ import annotations

import argparse
import os
from datetime import date, timedelta
from pathlib import Path

from orchestration.settings import ConfigError


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{option} {text!r} is not a date: YYYY-MM-DD, a business date") from None


def days_asked(args: argparse.Namespace, today: date) -> list[date]:
    yesterday = today - timedelta(days=1)
    if args.date:
        return [_date(args.date, "--date")]
    if args.since:
        first = _date(args.since, "--since")
        if first > yesterday:
            raise ConfigError(f"--since {first} is after yesterday ({yesterday}): nothing to pull")
        return [first + timedelta(days=i) for i in range((yesterday - first).days + 1)]
    return [yesterday]


def cmd_pull(args: argparse.Namespace) -> int:
    from pulls.errors import MissingCredentials
    from pulls.run import beijing_today, pull, source

    try:
        source(args.source)
    except KeyError as exc:
        raise ConfigError(exc.args[0]) from None
    landing = os.environ.get("SIYU_LANDING_DIR")
    if not landing:
        raise ConfigError("SIYU_LANDING_DIR is not set: the landing folder the pull writes into")
    today = beijing_today()
    days = days_asked(args, today)
    try:
        results = pull(args.source, days, Path(landing), today=today,
                       entities=args.entity or None, report=lambda landed: print(landed.line(), flush=True))
    except MissingCredentials as exc:
        raise ConfigError(str(exc)) from None
    except KeyError as exc:
        raise ConfigError(exc.args[0]) from None
    return 1 if any(r.error for r in results) else 0


def add_parser(sub) -> None:
    p = sub.add_parser("pull", help="fetch a platform's data into $SIYU_LANDING_DIR as the files an export "
                       "would be (credentials from the environment: .env.example)")
    p.add_argument("source", help="wecom, oa or youzan")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--date", metavar="YYYY-MM-DD", help="one business date (default: yesterday)")
    when.add_argument("--since", metavar="YYYY-MM-DD", help="every business date from this one to yesterday")
    p.add_argument("--entity", action="append", help="only this entity (repeatable), e.g. external_contact")
    p.set_defaults(func=cmd_pull)
