"""What `undo` walks back and what `redo` takes back, worked out from the revision log alone.

The log is the only state: an undo is a revision that undoes another, and a redo is an undo of an
undo. Every undo and redo acts on one change (an edit, an add, a removal, a load), the one its chain
of `undoes` leads back to, and takes it out or puts it back. Reading the log oldest first, each change
goes on the `done` stack; taking a change out moves the revision that stands for it (the change, or
its latest redo) off `done`, and puts the undo on `undone`; putting it back moves the undo off
`undone` and puts the redo on `done` (so it can be undone in turn). So `undo 2` after 2 was undone and
redone undoes the redo, as plain `undo` would. Any other change empties `undone`, as in an editor:
once the briefing has moved on, there is nothing to redo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec

from bot.errors import UserError

Step = tuple[int, str, int | None]  # (revision, action, the revision it undoes)


class Stacks(msgspec.Struct):
    """Revisions `undo` may walk back, and undos `redo` may take back (the last of each is next), and what each undo did."""

    done: list[int] = msgspec.field(default_factory=list)
    undone: list[int] = msgspec.field(default_factory=list)
    change: dict[int, int] = msgspec.field(default_factory=dict)  # each revision's change: itself, or the one its undo or redo acts on
    latest: dict[int, int] = msgspec.field(default_factory=dict)  # each change's latest revision: itself, or its latest undo or redo
    out: set[int] = msgspec.field(default_factory=set)  # the changes taken out now
    redos: set[int] = msgspec.field(default_factory=set)  # the undos that put their change back

    def takes_out(self, number: int) -> bool:
        """Whether undoing this revision takes its change out (it put the change in), rather than putting it back."""
        return number not in self.change or self.change[number] == number or number in self.redos

    def already(self, number: int, typed: Callable[[str, str], str]) -> UserError | None:
        """Why `undo N` would do nothing, its change being already out (or back) by a later revision; None when it would.

        Only the content check would refuse it otherwise, naming that later revision to undo first: advice that
        puts back (or takes out) the very change the admin wanted out (or back). `typed`: a command with its revision
        as the reader types it here (`Context.line`), the line the refusal tells them to run instead.
        """
        change = self.change.get(number)
        if change is None or (change in self.out) != self.takes_out(number):
            return None
        by = self.latest[change]
        undo, redo = typed("undo", str(by)), typed("redo", "")
        if not self.takes_out(number):
            return UserError("admin.already_redone", number=number, by=by, undo=undo)
        key = "admin.already_undone_redo" if self.undone[-1:] == [by] else "admin.already_undone"
        return UserError(key, number=number, by=by, undo=undo, redo=redo)

    def step(self, number: int, undoes: int | None) -> None:
        """One revision of the log: an undo or redo when it moves its change, else a change of its own."""
        change = self.change.get(undoes) if undoes is not None else None
        if undoes is None or change is None or (change in self.out) == self.takes_out(undoes):  # a change, or an undo of what is already so
            self.change[number] = self.latest[number] = number
            self.done.append(number)
            self.undone.clear()
            return
        standing = self.latest[change]
        self.change[number], self.latest[change] = change, number
        if self.takes_out(undoes):
            self.out.add(change)
            self.done.remove(standing)  # a change put in stands on `done` until it is taken out
            self.undone.append(number)
            return
        self.out.discard(change)
        self.redos.add(number)
        if standing in self.undone:
            self.undone.remove(standing)
        else:  # its undo is no longer on `undone`: putting the change back moves the briefing on, as a change does
            self.undone.clear()
        self.done.append(number)


def stacks(steps: Iterable[Step]) -> Stacks:
    """The undo and redo stacks after every step of the log, oldest first."""
    found = Stacks()
    for number, action, undoes in steps:
        found.step(number, undoes if action == "undo" else None)
    return found
