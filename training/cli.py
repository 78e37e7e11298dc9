"""The `python -m training` commands. Each command lives in training/commands/<name>.py and
exposes `register(subparsers)`; this file only finds and runs them."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import training.commands
from training.settings import SettingsError, get_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training", description="FIPP Academy commands")
    sub = parser.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(training.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"training.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        get_settings()  # every command checks the whole environment first: a bad value is named, not ignored
    except SettingsError as exc:
        print(f"python -m training: {exc}", file=sys.stderr)
        return 2
    return int(args.func(args))
