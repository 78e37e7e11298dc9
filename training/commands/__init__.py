"""One module per `python -m training <command>`; each defines register(subparsers)."""
