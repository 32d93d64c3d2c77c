"""What an admin answer tells to type next works typed as told in the console and the CLI: after an edit of a briefing
this place does not read (`briefing:`), its undo, redo and uses lines name it; a new briefing says how the console reads it."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import briefbot

NOW = ("--now", "2026-02-01T12:00:00Z")


def said(result: object) -> str:
    """The output of a run, its lines wrapped as one: a hint may be wrapped anywhere."""
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    return " ".join(result.stdout.split())  # type: ignore[attr-defined]


def test_console_hints_after_an_edit_of_another_briefing_name_it_and_work_typed_as_told(tmp_path: Path) -> None:
    lines = "\n".join([
        '/briefing new id:alps title:"Alps summit" zone:Europe/Vienna',
        "/set kind:meeting status:concluded",  # 3, in the briefing read here: its hint names none
        "/set kind:session id:first-session venue:Hofburg briefing:alps",  # 4
        "/remove kind:source id:first-source briefing:alps",
        "uses kind:source id:first-source briefing:alps",  # typed as the refusal tells
        "undo briefing:alps",  # typed as revision 4's answer tells: 5 undoes 4, not 3
        "undo briefing:alps",  # nothing left but the briefing's creation, which is named
        "undo",
        "undo",  # the default's own load: named too
    ])
    out = said(briefbot(tmp_path, "console", *NOW, stdin=lines + "\n"))
    assert "To read it here, start the console with --briefing alps: briefbot console --briefing alps." in out
    assert "Choose it here" not in out  # `use` is refused in the console
    assert "/undo reverts revision 3; /undo again walks further back, and /redo takes an undo back." in out
    assert "/undo briefing:alps reverts revision 4; /undo briefing:alps again walks further back, and /redo briefing:alps takes an undo back." in out
    assert "To see them all: /uses kind:source id:first-source briefing:alps" in out
    assert "source/first-source · named by 3 items" in out
    assert "Revision 5: session/first-session in alps back as it was before revision 4" in out
    assert "/undo briefing:alps again walks back one change further; /redo briefing:alps takes this undo back." in out
    assert "Revision 2 created Alps summit (alps); there is nothing before it to go back to." in out
    assert "Revision 6: session/meeting back as it was before revision 3" in out
    assert "Revision 1 created Petro in Washington: the White House meeting with Trump (petro-trump-2026); there is nothing before" in out
    # Started with --briefing alps, the console reads alps: an edit of the default names the default, and one of alps nothing.
    again = "\n".join(["/set kind:meeting status:concluded briefing:petro-trump-2026", "/set kind:session id:first-session venue:Hofburg briefing:alps"])
    out = said(briefbot(tmp_path, "--briefing", "alps", "console", *NOW, stdin=again + "\n"))
    assert "/undo briefing:petro-trump-2026 reverts revision 7;" in out
    assert "Revision 8: session/first-session changed" in out and "/undo reverts revision 8;" in out


def test_spanish_console_hints_name_the_briefing_in_spanish_words_that_work_typed_as_told(tmp_path: Path) -> None:
    lines = "\n".join([
        '/briefing new id:cumbre title:"Cumbre de paz"',
        "/set kind:session id:first-session venue:Hofburg briefing:cumbre",  # 3
        "/remove kind:source id:first-source briefing:cumbre",
        "usos tipo:fuente id:first-source informe:cumbre",
        "deshacer informe:cumbre",
        "deshacer",
    ])
    out = said(briefbot(tmp_path, "--locale", "es", "console", *NOW, stdin=lines + "\n"))
    assert "Para leerlo aquí, inicia la consola con --briefing cumbre: briefbot console --briefing cumbre." in out
    assert ("/deshacer informe:cumbre revierte la revisión 3; otro /deshacer informe:cumbre retrocede más, y /rehacer informe:cumbre "
            "recupera lo deshecho.") in out
    assert "Para verlos todos: /usos tipo:fuente id:first-source informe:cumbre" in out
    assert "source/first-source · lo mencionan 3 elementos" in out
    assert "Revisión 4: session/first-session en cumbre" in out
    assert "otro /deshacer informe:cumbre retrocede un cambio más; /rehacer informe:cumbre recupera lo deshecho." in out
    assert "La revisión 1 creó Petro en Washington: la reunión con Trump en la Casa Blanca (petro-trump-2026); no hay nada anterior" in out


def test_cli_hints_name_the_briefing_edited_and_a_new_one_says_how_commands_read_it(tmp_path: Path) -> None:
    made = said(briefbot(tmp_path, "admin", "briefing", "new", "id:alps", "title:Alps"))
    assert "Commands read it with --briefing alps: briefbot console --briefing alps, briefbot ask --briefing alps …." in made
    changed = said(briefbot(tmp_path, "admin", "set", "kind:session", "id:first-session", "venue:Hofburg", "briefing:alps"))
    assert "/undo briefing:alps reverts revision 3;" in changed
    undone = said(briefbot(tmp_path, "admin", "undo", "briefing:alps"))
    assert "Revision 4: session/first-session in alps back as it was before revision 3" in undone
    # --briefing holds for one run: the next reads the default, so the hint names the briefing as a line would.
    flagged = said(briefbot(tmp_path, "--briefing", "alps", "admin", "set", "kind:session", "id:first-session", "venue:Hofburg"))
    assert "/undo briefing:alps reverts revision 5;" in flagged, flagged
    assert "Revision 6: session/first-session in alps back as it was before revision 5" in said(briefbot(tmp_path, "admin", "undo", "briefing:alps"))
    spanish = said(briefbot(tmp_path, "--locale", "es", "admin", "briefing", "new", "id:cumbre", "title:Cumbre"))
    assert "Los comandos lo leen con --briefing cumbre: briefbot console --briefing cumbre, briefbot ask --briefing cumbre …." in spanish
