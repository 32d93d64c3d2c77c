"""What `undo` walks back and what `redo` takes back, worked out from the revision log alone.

The log is the only state: an undo is a revision that undoes another, and a redo is an undo of an
undo. Reading it oldest first, each change goes on the `done` stack; an undo takes its target off
`done` and goes on `undone`; a redo takes its undo off `undone` and goes on `done` (so it can be
undone in turn). Any other change empties `undone`, as in an editor: once the briefing has moved on,
there is nothing to redo.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

Step = tuple[int, str, int | None]  # (revision, action, the revision it undoes)


class Stacks(NamedTuple):
    """Revisions `undo` may walk back, and undos `redo` may take back; the last of each is next."""

    done: list[int]
    undone: list[int]


def stacks(steps: Iterable[Step]) -> Stacks:
    """The undo and redo stacks after every step of the log, oldest first."""
    done: list[int] = []
    undone: list[int] = []
    for number, action, undoes in steps:
        if action == "undo" and undoes in done:
            done.remove(undoes)
            undone.append(number)
        elif action == "undo" and undoes in undone:
            undone.remove(undoes)
            done.append(number)
        else:
            done.append(number)
            undone.clear()
    return Stacks(done, undone)
