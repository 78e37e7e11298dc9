"""`python -m training evidence-key {init,public,rotate}`: the key that seals the evidence."""

from __future__ import annotations

import argparse
import sys

from training.evidence.keys import KEY_ENV, KeyUnavailable, key_file, load_keyring, rotate_key_file
from training.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("evidence-key", help="create the evidence key, print its public part, or rotate it")
    p.add_argument("action", choices=("init", "public", "rotate"),
                   help="init: create the key file if missing; public: print the public keys (give these to "
                        "auditors); rotate: add a new signing key, keeping the old ones to verify")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "rotate":
            if get_settings().evidence_key:
                print(f"the key comes from ${KEY_ENV}: add a new ed25519-private line there yourself",
                      file=sys.stderr)
                return 1
            load_keyring(create=False)
            print(f"new signing key {rotate_key_file(key_file())} added to {key_file()}")
            return 0
        ring = load_keyring(create=args.action == "init")
    except KeyUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.action == "init":
        print(f"evidence key: {ring.source} (signing key {ring.signer.key_id})")
    else:
        for k in ring.keys:
            print(f"# {k.key_id}")
            print(k.public_line())
    return 0
