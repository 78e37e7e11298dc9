"""Command line: `python -m training validate | seed-demo | ...`."""

from training.cli import main

raise SystemExit(main())
