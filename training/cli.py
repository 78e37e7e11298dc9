"""The `python -m training` commands. Each command lives in training/commands/<name>.py and
exposes `register(subparsers)`; this file only finds and runs them."""

from __future__ import annotations

import argparse
import importlib
import pkgutil

import training.commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training", description="FIPP Academy commands")
    sub = parser.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(training.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"training.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
