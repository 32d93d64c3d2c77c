"""A pack author's own event beside the shipped one: multilateral talks in five sessions in Lima and Madrid, with a
paywalled source that has no text and a PDF programme (round 40's tester's pack, its texts beside it in tests/packs/climate).

What the shipped pack never shows: hints that must name a briefing that is not the default, validator messages that must
lead an author who does not know the ids by heart to the fix, and passages from texts other than a web article.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml

from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack
from tests.cli_support import briefbot
from tests.conftest import BEFORE, ask

CLIMATE = Path(__file__).parent / "packs" / "climate" / "climate-talks-2026.yaml"
CLIMATE_ID = "climate-talks-2026"


def loaded(tmp_path: Path) -> Path:
    """A store holding the shipped briefing (the default) and the climate talks."""
    db = tmp_path / "b.sqlite3"
    done = briefbot("--db", db, "load", CLIMATE)
    assert done.returncode == 0, done.stderr
    return db


def summaries(ics: Path) -> set[str]:
    """The SUMMARY of each event in a calendar file."""
    return {str(event["summary"]) for event in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}


def test_the_consoles_calendar_hint_names_the_briefing_it_was_started_with(tmp_path: Path) -> None:
    """`console --briefing climate-talks-2026`, then /calendar: the hint wrote the default briefing's file (Petro's)."""
    db = loaded(tmp_path)
    for locale, lines, command in (("en", "/calendar\n/export\n", "briefbot export --ics -o calendar.ics"),
                                   ("es", "/calendario\n/exportar\n", "briefbot export --ics -o calendario.ics")):
        console = briefbot("--db", db, "--locale", locale, "--briefing", CLIMATE_ID, "console", stdin=lines)
        assert console.returncode == 0, console.stderr
        said = " ".join(console.stdout.split())
        assert f"{command} --briefing {CLIMATE_ID} " in said and said.count(f" --briefing {CLIMATE_ID} ") == 2, said  # /export's too
    # The hint as printed, but for the file it writes: here, not in the checkout the command runs in.
    written = briefbot("--db", db, *shlex.split(f"{command} --briefing {CLIMATE_ID}")[1:], "-o", tmp_path / "climate.ics")
    assert written.returncode == 0, written.stderr
    assert "Opening plenary" in summaries(tmp_path / "climate.ics") and not any("Petro" in s for s in summaries(tmp_path / "climate.ics"))
    # The default briefing's hint needs no --briefing: `export` writes that one.
    plain = briefbot("--db", db, "console", stdin="/calendar\n")
    assert "--briefing" not in plain.stdout and "briefbot export --ics -o calendar.ics writes it" in " ".join(plain.stdout.split())


def climate_with(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """The climate pack, changed, written beside a copy of its texts."""
    pack = yaml.safe_load(CLIMATE.read_text(encoding="utf-8"))
    change(pack)
    for text in CLIMATE.parent.glob("*.txt"):
        shutil.copy(text, tmp_path)
    written = tmp_path / CLIMATE.name
    written.write_text(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return written


def by_id(pack: dict[str, Any], section: str, item_id: str) -> dict[str, Any]:
    """One item of a pack's section."""
    return next(item for item in pack[section] if item["id"] == item_id)


def misnamed(pack: dict[str, Any]) -> None:
    """What an author who does not know the ids by heart writes: a surname, a full name, a side's name, slips of the pen."""
    by_id(pack, "quotes", "zabaleta-trust")["speaker"] = "zabaleta"
    by_id(pack, "quotes", "yaku-forest")["speaker"] = "Íñigo Zabaleta"
    by_id(pack, "people", "bjorn-ostlund")["side"] = "Sweden"
    by_id(pack, "people", "siobhan-obrien")["side"] = "swedn"
    by_id(pack, "people", "layla-haddad")["side"] = "arab-group"
    by_id(pack, "faq", "how-many-delegations")["sources"][1] = "courier-2026-03-06"


@pytest.mark.parametrize("locale", ["en", "es"])
def test_validate_names_the_id_an_author_meant(tmp_path: Path, locale: str) -> None:
    """`speaker: zabaleta` said only "no person with id “zabaleta”"; `side: Sweden` "expected an id of lower-case letters…"."""
    checked = briefbot("--locale", locale, "validate", climate_with(tmp_path, misnamed))
    assert checked.returncode == 1
    said = {re.sub(r" \(id [^)]*\)", "", line.split(": ", 1)[1]) for line in checked.stderr.splitlines()}
    wanted = {
        "en": {
            "quotes[0].speaker: no person with id “zabaleta”; did you mean: inigo-zabaleta?",
            "quotes[1].speaker: expected an id, not a name: did you mean inigo-zabaleta?",
            "people[7].side: expected an id, not a name: did you mean sweden?",
            "people[8].side: no side with id “swedn”; did you mean: sweden?",
            "people[11].side: no side with id “arab-group”; the ids there are: colombia, european_union, france, indigenous, "
            "ireland, observers, peru, spain, sweden",
            "faq[0].sources[1]: no source with id “courier-2026-03-06”; did you mean: courrier-2026-03-06?",
        },
        "es": {
            "quotes[0].speaker: no hay ningún elemento person con el id «zabaleta»; ¿querías decir: inigo-zabaleta?",
            "quotes[1].speaker: se esperaba un id, no un nombre: ¿querías decir inigo-zabaleta?",
            "people[7].side: se esperaba un id, no un nombre: ¿querías decir sweden?",
            "people[8].side: no hay ningún elemento side con el id «swedn»; ¿querías decir: sweden?",
            "people[11].side: no hay ningún elemento side con el id «arab-group»; los ids que hay son: colombia, european_union, "
            "france, indigenous, ireland, observers, peru, spain, sweden",
            "faq[0].sources[1]: no hay ningún elemento source con el id «courier-2026-03-06»; ¿querías decir: courrier-2026-03-06?",
        },
    }[locale]
    assert set(said) == wanted, checked.stderr


async def test_an_admins_edit_names_the_side_meant(core: BriefingCore, store: Store) -> None:
    """The same check refuses an edit in chat: `side:Sweden` there said "expected an id of lower-case letters…" too."""
    await store.repository.save(read_pack(CLIMATE))
    for line, said in (("set kind:person id:yaku side:Sweden", "side: expected an id, not a name: did you mean sweden?"),
                       ("set kind:quote id:yaku-forest speaker:zabaleta", "speaker: no person with id “zabaleta”; did you mean: inigo-zabaleta?")):
        refused = await ask(core, f"{line} source:https://example.org/report", briefing_id=CLIMATE_ID)
        assert refused.kind == "error" and said in " ".join(refused.text.split()), refused.text


def test_a_passage_across_a_word_the_pdfs_text_splits_at_a_lines_end_is_found(tmp_path: Path) -> None:
    """pdftotext wrote "educa-\\ntion": "Youth dialogue on climate education" was "not in the text", and only "climate educa-
    tion", which readers then saw in /why, passed. A word that keeps its hyphen (ANDEAN-EUROPEAN) is found with it."""

    def headed(pack: dict[str, Any]) -> None:
        by_id(pack, "timeline", "programme-published")["evidence"].append({"source": "programme-v2-pdf", "passage": "ANDEAN-EUROPEAN CLIMATE DIALOGUE"})

    written = climate_with(tmp_path, headed)
    programme = tmp_path / "programme-v2.txt"
    programme.write_text(programme.read_text(encoding="utf-8").replace("ANDEAN-EUROPEAN", "ANDEAN-\nEUROPEAN"), encoding="utf-8")
    assert "climate education (time" in written.read_text(encoding="utf-8") and "educa-\ntion" in programme.read_text(encoding="utf-8")
    checked = briefbot("validate", written)
    assert checked.returncode == 0 and "49 passages found" in checked.stdout, checked.stdout + checked.stderr
    # A changed letter is still a miss.
    misspelt = climate_with(tmp_path, lambda pack: by_id(pack, "sessions", "youth-dialogue")["evidence"][1].update(passage="climate eduction"))
    assert "sessions[3] (id youth-dialogue).evidence[1].passage: this passage is not in the text" in briefbot("validate", misspelt).stderr


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_passage_that_leaves_words_out_is_told_to_be_given_in_parts(tmp_path: Path, locale: str) -> None:
    """"The talks were agreed […] in November 2025." said only "this passage is not in the text"."""
    elided = "The talks were agreed at COP30 […] in November 2025."
    written = climate_with(tmp_path, lambda pack: by_id(pack, "timeline", "cop30-agreement")["evidence"][0].update(passage=elided))
    checked = briefbot("--locale", locale, "validate", written)
    said = {"en": "timeline[0] (id cop30-agreement).evidence[0].passage: this passage is not in the text of source “andes-wire-2026-03-04”: "
                  "it marks words left out (… or [...]), and a passage is one run of the source's words, so give each part as a passage of its own",
            "es": "timeline[0] (id cop30-agreement).evidence[0].passage: este pasaje no está en el texto de la fuente «andes-wire-2026-03-04»: "
                  "marca palabras omitidas (… o [...]), y un pasaje es una sola tirada de palabras de la fuente, así que da cada parte como un "
                  "pasaje propio"}[locale]
    assert checked.returncode == 1 and checked.stderr == f"{written}: {said}\n", checked.stderr
    # An admin's edit says it too, after where the passage leaves the text.
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "load", CLIMATE).returncode == 0
    edited = briefbot("--db", db, "--locale", locale, "--briefing", CLIMATE_ID, "admin", "set", "kind:context", "id:origins",
                      f"evidence:{elided}", "source:andes-wire-2026-03-04")
    said = {"en": "the text of source “andes-wire-2026-03-04” has the start of the passage but not what follows: “[…] in November 2025.”, "
                  "which marks words left out (… or [...]): give each part as a passage of its own.",
            "es": "el texto de la fuente «andes-wire-2026-03-04» contiene el comienzo del pasaje, pero no lo que sigue: «[…] in November "
                  "2025.», que marca palabras omitidas (… o [...]): da cada parte como un pasaje propio."}[locale]
    assert edited.returncode == 1 and said in " ".join(edited.stderr.split()), edited.stderr


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_pdf_named_as_a_text_is_told_to_be_extracted(tmp_path: Path, locale: str) -> None:
    """`text: programme-v2.pdf` said "its text …/programme-v2.pdf cannot be read", though the file reads: it is no UTF-8 text."""
    written = climate_with(tmp_path, lambda pack: by_id(pack, "sources", "programme-v2-pdf").update(text="programme-v2.pdf"))
    pdf = tmp_path / "programme-v2.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    said = {"en": f"{written}: evidence not checked for programme-v2-pdf: its text {pdf} is not UTF-8 text: save it as UTF-8 or, for a PDF "
                  "or a word processor's file, extract its text into a file of its own (pdftotext FILE.pdf FILE.txt) and name that one in text:",
            "es": f"{written}: evidencia sin comprobar para programme-v2-pdf: su texto {pdf} no es texto UTF-8: guárdalo como UTF-8 o, si es un "
                  "PDF o un archivo de procesador de textos, extrae su texto a un archivo propio (pdftotext ARCHIVO.pdf ARCHIVO.txt) y nombra ese "
                  "en text:"}[locale]
    checked = briefbot("--locale", locale, "validate", written)
    assert checked.returncode == 0 and said in checked.stdout.splitlines(), checked.stdout
    load = briefbot("--db", tmp_path / "b.sqlite3", "--locale", locale, "load", written)
    warned = {"en": f"{written}: warning: the text of source programme-v2-pdf, {pdf}, is not UTF-8 text, so",
              "es": f"{written}: aviso: el texto de la fuente programme-v2-pdf, {pdf}, no es texto UTF-8, así que"}[locale]
    assert load.returncode == 0 and warned in load.stderr and "pdftotext" in load.stderr, load.stderr
    # A file that cannot be read at all is said as before: extracting its text would not help.
    pdf.unlink()
    assert f"its text {pdf} cannot be read" in briefbot("validate", written).stdout


@pytest.mark.parametrize("locale", ["en", "es"])
def test_why_marks_a_passage_no_text_of_its_source_checked(tmp_path: Path, locale: str) -> None:
    """The paywalled Diario del Pacífico has no text: its passages showed in /why as verbatim quotes, nothing saying that
    no text was checked."""
    db = loaded(tmp_path)
    marker = {"en": "(not checked against the source's text)", "es": "(sin cotejar con el texto de la fuente)"}[locale]
    word = {"en": "why", "es": "origen"}[locale]
    unchecked = briefbot("--db", db, "--locale", locale, "--briefing", CLIMATE_ID, "ask", f"/{word} context/finance-stakes")
    assert unchecked.returncode == 0, unchecked.stderr
    assert f"financiamiento.{'”' if locale == 'en' else '»'} {marker}" in " ".join(unchecked.stdout.split()), unchecked.stdout
    checked = briefbot("--db", db, "--locale", locale, "--briefing", CLIMATE_ID, "ask", f"/{word} context/origins")
    assert checked.returncode == 0 and "November 2025" in checked.stdout and marker not in " ".join(checked.stdout.split())


@pytest.mark.parametrize("locale", ["en", "es"])
async def test_a_name_is_found_without_its_apostrophe(core: BriefingCore, store: Store, locale: str) -> None:
    """docs/data-pack.md says name matching ignores punctuation; `/person obrien` answered "Nobody called “obrien”… Did you
    mean: Siobhán O'Brien?"."""
    await store.repository.save(read_pack(CLIMATE))
    person = {"en": "person", "es": "persona"}[locale]
    for typed in ("obrien", "Siobhan OBrien", "o'brien", "O’Brien"):
        reply = await ask(core, f"/{person} {typed}", briefing_id=CLIMATE_ID, locale=locale)
        assert (reply.kind, reply.title) == ("answer", "Siobhán O'Brien"), (typed, reply.text)
    listed = await ask(core, "/delegation name:obrien", briefing_id=CLIMATE_ID, locale=locale)
    assert [item.title for item in listed.items] == ["Siobhán O'Brien"], listed.text
    offered = await core.complete(Request(command="person", now=BEFORE, platform="console", locale=locale, briefing_id=CLIMATE_ID), "name", "obri")
    assert [choice.value for choice in offered] == ["Siobhán O'Brien"]


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_command_to_load_anyway_keeps_default_and_the_store(tmp_path: Path, locale: str) -> None:
    """`load climate.yaml --default` over an edit was refused with "briefbot load climate.yaml --discard-edits": run as
    printed, it loaded into the configured store, not --db's, and left the shipped briefing the default."""
    db = loaded(tmp_path)
    edited = briefbot("--db", db, "--briefing", CLIMATE_ID, "admin", "set", "kind:session", "id:opening-plenary", "status:concluded")
    assert edited.returncode == 0, edited.stderr
    refused = briefbot("--db", db, "--locale", locale, "load", CLIMATE, "--default")
    assert refused.returncode == 1, refused.stderr
    hint = f"briefbot load {CLIMATE} --db {db} --locale {locale} --default --discard-edits"
    assert hint in refused.stdout, refused.stdout
    again = briefbot(*shlex.split(hint)[1:])
    assert (again.returncode, again.stdout) == (0, f"loaded: {CLIMATE_ID}\n"), again.stderr
    listed = briefbot("--db", db, "briefings", "list").stdout
    assert next(line for line in listed.splitlines() if CLIMATE_ID in line).startswith("*"), listed


def test_the_command_to_load_anyway_names_the_same_store() -> None:
    """A postgresql:// URL is repeated whole: --db refuses one holding a password, so it holds none to print."""
    from bot.cli.arguments import build_parser, given_options

    args = build_parser().parse_args(["load", "x.yaml", "--db", "postgresql://bot@db.internal/briefbot?sslmode=require", "--default"])
    assert given_options(args) == " --db 'postgresql://bot@db.internal/briefbot?sslmode=require'"
