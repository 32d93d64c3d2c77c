"""Every user-facing sentence comes from the catalogue, and every key the code asks for exists."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from bot.core.catalogue import Catalogue
from bot.core.catalogue_en import EN
from bot.core.catalogue_es import ES
from bot.core.commands import COMMANDS
from bot.core.kinds import KINDS
from bot.core.registry import in_readers_words, local_choice, readers_text
from bot.core.text import fold

BOT = Path(__file__).resolve().parent.parent / "bot"
# What a screen reader reads as a symbol's name ("right arrow", "check mark") where the text meant a change or a yes.
SYMBOLS = re.compile(r"[→←⇒⇐↔✓✔✗✘]")


def literal_keys() -> set[str]:
    """String literals passed as the first argument to cat(...) / UserError(...) anywhere in bot/."""
    keys = set()
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"cat": 0, "UserError": 0, "report": 1}.get(name or "")
            if position is None or len(node.args) <= position:
                continue
            key = node.args[position]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
    return keys


def test_every_literal_key_exists():
    keys = literal_keys()
    assert {"pack.bad_date", "timeline.none", "countdown.in"} <= keys, "the scan is broken"
    missing = sorted(k for k in keys if k not in EN)
    assert not missing, f"the code asks for {missing}: add each to bot/core/catalogue_en.py and bot/core/catalogue_es.py"


def missing_in(keys: list[str]) -> dict[str, list[str]]:
    """Each catalogue file that lacks some of `keys`, with the keys it lacks: what a failure tells a contributor to add."""
    found = {f"bot/core/catalogue_{language}.py": [key for key in keys if key not in table] for language, table in (("en", EN), ("es", ES))}
    return {path: lacking for path, lacking in found.items() if lacking}


def test_every_command_and_option_has_help_and_example():
    needed = [key for spec in COMMANDS.specs
              for key in (f"help.{spec.name}", f"example.{spec.name}", *(f"option.{spec.name}.{option.name}" for option in spec.options))]
    missing = missing_in(needed)
    assert not missing, f"a command's help words are missing; add these keys: {missing}"


def test_every_kind_has_the_words_that_name_and_count_it():
    """Keys made from a kind's name or section (`kind.quote`, `validate.quotes`, `admin.uses_quotes`): a new kind missing one
    would fail only when a digest, a validation or a refused removal first needs it."""
    needed = [
        key for kind in KINDS.values() for key in (f"kind.{kind.name}", f"validate.{kind.section}", f"admin.uses_{kind.section}")
        if kind.name != "source" or key == "kind.source"  # sources are counted apart and name nothing
    ]
    missing = missing_in(needed)
    assert not missing, f"a kind's words are missing; add these keys: {missing}"


def test_every_field_of_every_kind_has_a_label_a_reader_reads():
    """A digest names a changed field by `label.<field>`: a field added without one would fail only in the first digest
    that tells of its change. Translations are never told of (they are not news)."""
    needed = sorted({f"label.{field.name}" for kind in KINDS.values() for field in kind.fields_all if field.name != "translations"})
    missing = missing_in(needed)
    assert not missing, f"a field's label is missing; add these keys (a label in each language): {missing}"


@pytest.mark.parametrize("key", sorted(EN))
def test_templates_are_well_formed(key):
    template = EN[key]
    for text in template if isinstance(template, tuple) else (template,):
        list(string.Formatter().parse(text))  # raises on a stray brace


def test_unknown_locale_falls_back_to_english():
    assert Catalogue("pt-BR")("status.concluded") == "Concluded"
    assert Catalogue("xx").locale == "en" and Catalogue("").locale == "en"
    with pytest.raises(KeyError):
        Catalogue()("no.such.key")


@pytest.mark.parametrize("locale", ["es", "es-ES", "es-419", "es_CO", "es-LA", "ES-mx"])
def test_every_spanish_variant_gets_spanish(locale):
    assert Catalogue(locale).locale == "es"
    assert Catalogue(locale)("status.concluded") == "Concluida"


def test_plural_forms_follow_cldr():
    en, es = Catalogue("en"), Catalogue("es")
    assert en("timeline.title", n=1) == "Timeline · 1 event" and en("timeline.title", n=3) == "Timeline · 3 events"
    assert es("timeline.title", n=1) == "Cronología · 1 hecho" and es("timeline.title", n=0) == "Cronología · 0 hechos"
    # CLDR's Spanish "many" (a million) takes the other form, and numbers are grouped the reader's way.
    assert es("timeline.title", n=1_000_000) == "Cronología · 1.000.000 hechos"
    assert en("timeline.title", n=1_000_000) == "Timeline · 1,000,000 events"


def test_a_count_in_a_message_of_one_form_is_written_the_readers_way():
    assert readers_text(Catalogue("en"), "slack.pick_more", n=12345, kind="timeline").startswith("Showing the first 12,345;")
    assert readers_text(Catalogue("es"), "slack.pick_more", n=12345, kind="timeline").startswith("Se muestran los primeros 12.345;")


def fields(template: str | tuple[str, str]) -> list[set[str]]:
    """The parameter names of each form of a template."""
    forms = template if isinstance(template, tuple) else (template,)
    return [{name for _, name, _, _ in string.Formatter().parse(text) if name} for text in forms]


# What a template names by the registry's words (`{cmd:use}`, `{opt:kind}`, `{choice:session}`, `{slash:use}`), no caller's parameter.
NAMED = {"cmd", "opt", "choice", "slash"}

# Parameters the code passes although English does not write them (formatting.local_time_label).
UNUSED_IN_ENGLISH = {"time.local": {"weekday_full", "zone_name"}, "time.local_unplaced": {"weekday_full", "zone_name"}}


def test_every_english_key_is_in_spanish():
    """Keys added in English later fail here until someone translates them."""
    missing = missing_in(sorted(set(EN) | set(ES)))
    assert not missing, f"each key is in both catalogues, in good English and Spanish; add these: {missing}"


@pytest.mark.parametrize("key", sorted(ES))
def test_spanish_formats_with_the_english_parameters(key):
    english, spanish = EN.get(key), ES[key]
    assert english is not None, f"{key} is not an English key"
    assert isinstance(spanish, tuple) == isinstance(english, tuple), f"{key}: plural in one language only"
    wanted = set().union(*fields(english)) | UNUSED_IN_ENGLISH.get(key, set())
    for form in fields(spanish):
        # A form may leave a parameter out (Spanish writes no zone abbreviation), never ask for one English lacks.
        assert form <= wanted, f"{key} uses {form - wanted}"
        # `{cmd:use}` and the like are the registry's to fill (`in_readers_words`), every other parameter the caller's: a
        # count, or words (a `command` a name, which `{command:slash}` writes as typed).
        params = in_readers_words(key, {name: 1 if name == "n" else "x" for name in wanted - NAMED}, "es")
        Catalogue("es")(key, **params)
    # The plural forms of each language carry the count when English does.
    if isinstance(english, tuple) and all("n" in form for form in fields(english)):
        assert all("n" in form for form in fields(spanish)), f"{key} drops the count"


def test_catalogues_are_cached_per_language_not_per_locale_string():
    """Platforms send many spellings (es-CO, es_419…); the cache must not grow with them."""
    from bot.core.catalogue import catalogue_for

    assert catalogue_for("es-CO") is catalogue_for("es-419") is catalogue_for("es")
    assert catalogue_for("fr") is catalogue_for("en-US")


def test_spanish_text_names_options_in_spanish():
    """A Spanish reader types the words help shows (`desde:`, `informe:`): a sentence, example or error naming an option
    by its English word beside them reads as another option. An item's fields (`question:`) have no Spanish words."""
    from bot.core.names_es import OPTIONS_ES

    fields = {field.name for kind in KINDS.values() for field in kind.fields_all}
    english = {word for word, spanish in OPTIONS_ES.items() if word != spanish and word not in fields}
    assert {"from", "briefing", "for", "tz"} <= english, "the option words are read wrongly"
    found = {
        key: sorted(set(re.findall(r"(?<![\w/.{])(\w+):(?!//)", text)) & english)  # not a template's `{command:slash}`
        for key, value in ES.items()
        for text in (value if isinstance(value, tuple) else (value,))
    }
    assert {key: words for key, words in found.items() if words} == {}


def spanish_texts() -> dict[str, str]:
    """Every Spanish message as a reader reads it: the commands, options and values it names filled in Spanish."""
    found = {}
    for key, value in ES.items():
        for n, text in enumerate(value if isinstance(value, tuple) else (value,)):
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            params = in_readers_words(key, {name: f"<{name}>" for name in names - NAMED}, "es")
            found[f"{key}[{n}]"] = text.format(**params)
    return found


def test_spanish_text_names_commands_and_kinds_in_spanish():
    """A Spanish reader's menu lists /usar and /importar, and `tipo:` takes persona: a message sending them to /use,
    `/brief add` or `tipo:session` names what their Discord does not show (what the words are, `{cmd:use}` says once)."""
    from bot.core.commands import COMMANDS
    from bot.core.names_es import COMMANDS_ES

    commands = {name for name, spanish in COMMANDS_ES.items() if name != spanish}
    kinds = {value for spec in COMMANDS.specs for option in spec.options if option.name == "kind" for value in option.choices}
    kinds = {value for value in kinds if fold(local_choice(value, "es")) != value}
    assert {"use", "import", "add", "set"} <= commands and {"person", "session", "meeting", "source"} <= kinds, "the words are read wrongly"
    slash = re.compile(r"(?<![\w.:/])/(?:brief )?(\w+)")  # /use, /brief add; not example.org/report nor Europe/Madrid
    kind = re.compile(r"\btipo:(\w+)")
    found = {}
    for key, text in spanish_texts().items():
        english = [f"/{word}" for word in slash.findall(text) if word in commands]
        english += [f"tipo:{word}" for word in kind.findall(text) if word in kinds]
        if english:
            found[key] = english
    assert found == {}


def test_a_template_naming_commands_is_never_rendered_without_their_words():
    """`{cmd:…}` is filled by `in_readers_words` (or `readers_text`): a key written with one but passed to cat() alone
    would fail when first shown."""
    named = {key for key, value in EN.items() for text in (value if isinstance(value, tuple) else (value,))
             if any(name in NAMED for _, name, _, _ in string.Formatter().parse(text))}
    assert {"help.briefing", "admin.which_session", "option.why.briefing"} <= named
    plain = set()
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "cat" and node.args:
                key = node.args[0]
                if isinstance(key, ast.Constant) and key.value in named:
                    plain.add(f"{path.name}: {key.value}")
    assert plain == set()


def test_no_message_carries_its_meaning_by_an_arrow_or_a_mark():
    """A screen reader reads "→" as "right arrow" and "✓" as "check mark": a change, a path through menus or a yes is
    said in words ("from Scheduled to Concluded", "Edit Channel, then Permissions")."""
    found = {f"{language}: {key}": text for language, catalogue in (("en", EN), ("es", ES)) for key, value in catalogue.items()
             for text in (value if isinstance(value, tuple) else (value,)) if SYMBOLS.search(text)}
    assert found == {}
