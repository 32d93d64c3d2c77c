"""`python -m bot`: the same command line as the `briefbot` script."""

from bot.cli import main

raise SystemExit(main())
