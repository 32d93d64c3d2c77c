"""`python -m bot` and the `briefbot` script: the command line, started with the garbage collector off."""

import gc


def run() -> int:
    """Import and run the command line; `main` turns the collector back on, but for `ask`, `validate` and `load`."""
    # Starting allocates objects that live as long as the process (modules, classes, catalogues) and frees few:
    # the collections they would set off find next to nothing, and a one-shot `ask` would pay for every one.
    # The whole policy, what is paused when and where: docs/architecture.md, "Garbage collection".
    gc.disable()
    from bot.cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
