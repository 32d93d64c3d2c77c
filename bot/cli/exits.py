"""The exit statuses of `briefbot` (the package's docstring says which is which)."""

EXIT_USER, EXIT_CONFIG = 1, 2
# `admin import`'s answer when the pack holds exactly what the briefing holds: a script tells it from changes listed (0).
EXIT_NOTHING_TO_IMPORT = 3
