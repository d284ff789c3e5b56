"""``dedup clean PATH...``: clean documents and write JSONL (work in progress)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("clean", help="clean documents, explain what was removed")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return 0
