"""The console and CLI language: `--locale`, then `locale:` in the config; a language the bot lacks is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings
from tests.cli_support import briefbot


def config(tmp_path: Path, locale: str) -> Path:
    path = tmp_path / "briefbot.yaml"
    path.write_text(f"locale: {locale}\nstore:\n  path: {tmp_path / 'db.sqlite3'}\n", encoding="utf-8")
    return path


def test_the_config_locale_and_the_flag_that_beats_it(tmp_path: Path) -> None:
    spanish = briefbot("--config", config(tmp_path, "es-CO"), "ask", "cronología desde:2025-09 tema:sanctions")
    assert spanish.returncode == 0, spanish.stderr
    assert spanish.stdout.startswith("Cronología · ") and "octubre de 2025" in spanish.stdout
    english = briefbot("--config", config(tmp_path, "es"), "--locale", "en-GB", "ask", "timeline from:2025-09 topic:sanctions")
    assert english.returncode == 0, english.stderr
    assert english.stdout.startswith("Timeline · ") and "October 2025" in english.stdout


def test_console_answers_in_the_flags_language(tmp_path: Path) -> None:
    result = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "es-419", "ask", "ayuda")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Comandos de briefbot") and "cronología [desde:…]" in result.stdout


def test_a_spanish_console_reader_sees_which_zone_a_time_is_in(tmp_path: Path) -> None:
    """The English reader's "11:00 EST (Washington)" is CLDR's zone name in Spanish (tzdata's EST is English)."""
    result = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "es", "ask", "resumen", "--now", "2026-02-03T12:00:00Z")
    assert result.returncode == 0, result.stderr
    assert "Cuándo: martes, 3 de febrero de 2026, 11:00 hora estándar oriental (Washington)" in result.stdout
    assert "martes, 3 de febrero de 2026, 11:00 hora estándar de Colombia (Bogotá)" in result.stdout


def test_a_spanish_console_reader_reads_a_zones_city_as_cldr_names_it(tmp_path: Path) -> None:
    """The test summit's pack translates none of its zone labels: New York and Tokyo are CLDR's cities, never untranslated."""
    pack = Path(__file__).parent / "packs" / "fictional-summit.yaml"
    assert briefbot("--db", tmp_path / "db.sqlite3", "load", pack).returncode == 0
    result = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "es", "ask", "reunión informe:fictional-summit", "--now", "2026-03-01T12:00:00Z")
    assert result.returncode == 0, result.stderr
    assert "04:00 hora estándar oriental (Nueva York)" in result.stdout and "18:00 hora estándar de Japón (Tokio)" in result.stdout
    assert "10:00 hora estándar de Europa central (Lakeside)\n" in result.stdout


def test_an_unknown_flag_language_is_refused(tmp_path: Path) -> None:
    result = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "fr", "ask", "brief")
    assert result.returncode == 2 and "'fr': expected one of en, es" in result.stderr


@pytest.mark.parametrize("locale", ["fr", "spanish", "x"])
def test_an_unknown_config_language_names_the_key(tmp_path: Path, locale: str) -> None:
    with pytest.raises(ConfigError, match=r"locale: .*expected one of en, es"):
        load_settings(config(tmp_path, locale), env={})


def test_a_spanish_variant_in_the_config_is_spanish(tmp_path: Path) -> None:
    assert load_settings(config(tmp_path, "es-MX"), env={}).locale == "es"


def test_a_spanish_console_admin_is_told_the_spanish_line_to_run(tmp_path: Path) -> None:
    """The refusal to remove a person names `usos tipo:persona`, the kind as a Spanish reader types it."""
    result = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "es", "ask", "quitar tipo:persona id:donald-trump")
    assert "Para verlos todos: /usos tipo:persona id:donald-trump" in " ".join(result.stdout.split()), result.stdout
    helped = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "es", "ask", "ayuda informe")
    assert "Admin: /informe nuevo id:… título:…" in helped.stdout and "/add" not in helped.stdout


def test_a_next_page_line_writes_its_fixed_values_in_the_readers_words(tmp_path: Path) -> None:
    """`usos tipo:persona …` is told `… página:2` with `tipo:persona`, not English's `tipo:person` amid Spanish words."""
    result = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "es", "admin", "usos", "tipo:persona", "id:gustavo-petro")
    assert result.returncode == 0, result.stderr
    assert "siguiente: usos tipo:persona id:gustavo-petro página:2" in result.stdout, result.stdout
    following = briefbot("--db", tmp_path / "db.sqlite3", "--locale", "es", "admin", "usos", "tipo:persona", "id:gustavo-petro", "página:2")
    assert following.returncode == 0 and "Página 2 de" in following.stdout, following.stdout  # the line told works as typed


def test_the_command_lines_author_is_named_in_spanish(tmp_path: Path) -> None:
    """The command line's revisions are the operator's: "el operador (línea de comandos, …)", not "operator (cli, …)"."""
    db = tmp_path / "db.sqlite3"
    assert briefbot("--db", db, "admin", "set", "kind:meeting", "status:concluded").returncode == 0
    undone = briefbot("--db", db, "--locale", "es", "admin", "deshacer")
    assert "la hizo el operador (línea de comandos, " in undone.stdout, undone.stdout
    history = briefbot("--db", db, "--locale", "es", "admin", "historial", "tipo:reunión")
    assert " · carga · el operador" in history.stdout and " · línea de comandos · el operador" in history.stdout, history.stdout
    assert "operator" not in undone.stdout + history.stdout
