"""An admin's evidence edit is checked against the source's text as `validate` checks a pack's (docs/editing.md).

The fictional summit is loaded from a folder of its own with its article beside it, so its source's text is found on
every machine; a passage the article lacks is refused and nothing is written, a real one is accepted, and a source
whose text the bot cannot or may not read is accepted with the answer saying it was not checked.
"""

from __future__ import annotations

import shutil
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import pytest

from bot.cli.loading import refusal_lines
from bot.core.admin.cited import PATH_HISTORY, SHOWN_MISSES
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import catalogue_for
from bot.core.model import Briefing
from bot.core.pack import MAX_PACK_BYTES
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile, PackReading
from bot.store import Store, open_store
from bot.store.loads import EditedSinceLoad
from bot.store.packfile import dump_pack, read_pack_text
from tests.cli_support import briefbot
from tests.conftest import BEFORE, ask
from tests.discord_fake import USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.load_support import load_pack
from tests.test_discord_admin import inputs, open_modal, private_embed

PACKS = Path(__file__).parent / "packs"
SUMMIT_ID = "fictional-summit"
PERSON = f"set briefing:{SUMMIT_ID} kind:person id:mara-velde evidence:"
REAL = "Minister Mara Velde of Nordmark and Minister Tomas Ricard of Sudland lead the two delegations."
# The article's own sentence with a line break in it, as copying from a web page may leave it.
COPIED = "The opening session takes place on 6 March 2026\nat 10:00 Lakeside time in the Harbour Hall."
INVENTED = "Minister Mara Velde of Nordmark walked out of the summit."
ES = catalogue_for("es")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OPERATOR = Request(command="", now=NOW, platform="cli", operator=True, user_id="operator", briefing_id=SUMMIT_ID)
CHAT_ADMIN = Request(command="", now=NOW, platform="discord", user_id=str(USER_ID), team_id="1", channel_id="2", briefing_id=SUMMIT_ID)


async def summit_from(store: Store, folder: Path, with_text: bool = True) -> None:
    """Load the summit from `folder`, its article beside it unless `with_text` is False."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKS / "fictional-summit.yaml", folder / "fictional-summit.yaml")
    if with_text:
        shutil.copyfile(PACKS / "fictional-summit.txt", folder / "fictional-summit.txt")
    await load_pack(store, folder / "fictional-summit.yaml")


async def edit(core: BriefingCore, line: str, locale: str = "en") -> Reply:
    return await ask(core, line, platform="cli", user_id="operator", locale=locale)


def chat_core(store: Store) -> BriefingCore:
    """The core as a chat's admin reaches it."""
    return BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), pack_reader=read_pack_text)


async def held(store: Store) -> tuple[object, object]:
    """The person's evidence and the briefing's revisions: what a refused edit must leave as they were."""
    briefing = await store.repository.briefing(SUMMIT_ID)
    person = next(p for p in briefing.people if p.id == "mara-velde")
    return person.evidence, await store.repository.revisions(SUMMIT_ID, limit=50)


async def test_a_passage_the_article_lacks_is_refused_and_nothing_is_stored(core: BriefingCore, store: Store, tmp_path: Path) -> None:
    await summit_from(store, tmp_path / "release")
    before = await held(store)
    refused = await edit(core, f'{PERSON}"{INVENTED}"')
    assert refused.kind == "error"
    # Named by its source, quoted from where it leaves the article: its first five words are the article's.
    assert "the text of source “fictional-wire” has the start of the passage but not what follows: “walked out of the summit.”" in refused.text
    assert await held(store) == before
    unknown = await edit(core, f'{PERSON}"Nobody came." source:fictional-wire', locale="es")
    assert unknown.kind == "error" and unknown.text.startswith("No se cambió nada: el texto de la fuente «fictional-wire» no contiene el pasaje «Nobody came.»")
    assert await held(store) == before


async def test_a_passage_from_the_article_is_accepted_as_copied(core: BriefingCore, store: Store, tmp_path: Path) -> None:
    await summit_from(store, tmp_path / "release")
    done = await edit(core, f'{PERSON}"{REAL}\n\n{COPIED}"')
    assert done.kind == "answer" and done.title.endswith(f"person/mara-velde in {SUMMIT_ID} changed"), done.text
    assert "not checked" not in done.text
    evidence, _ = await held(store)
    assert [piece.passage for piece in evidence] == [REAL, " ".join(COPIED.split())]


async def test_a_source_whose_text_is_missing_is_accepted_and_the_answer_says_it_was_not_checked(
    core: BriefingCore, store: Store, tmp_path: Path
) -> None:
    await summit_from(store, tmp_path / "release", with_text=False)
    done = await edit(core, f'{PERSON}"{INVENTED}"')
    assert done.kind == "answer", done.text
    assert done.text == ("The new passages were not checked against their source's text: the text file of source “fictional-wire”, "
                         "fictional-summit.txt, cannot be read on the server. Readers see them as the source's words: check them "
                         "against the article yourself.")
    assert [piece.passage for piece in (await held(store))[0]] == [INVENTED]


async def test_a_source_with_no_text_file_is_accepted_and_the_answer_says_so(core: BriefingCore, store: Store, tmp_path: Path) -> None:
    await summit_from(store, tmp_path / "release")
    added = await edit(core, f'add briefing:{SUMMIT_ID} kind:source id:radio publisher:"Lakeside Radio" title:"Evening news"')
    assert added.kind == "answer", added.text
    done = await edit(core, f'{PERSON}"{INVENTED}" source:radio', locale="es")
    assert done.kind == "answer", done.text
    assert "no se comprobaron con el texto de su fuente: la fuente «radio» no indica ningún archivo de texto (text:)" in done.text


async def test_a_text_path_set_in_a_chat_is_never_read(store: Store, tmp_path: Path) -> None:
    """A path an admin types could name any file on the server: accepting or refusing passages would tell its contents."""
    await summit_from(store, tmp_path / "release")
    secret = tmp_path / "secret.txt"
    secret.write_text("token: abc123", encoding="utf-8")
    core = chat_core(store)
    assert (await core.dispatch_line(f"set kind:source id:fictional-wire text:{secret}", CHAT_ADMIN)).kind == "answer"
    for guess in ("token: abc123", "token: xyz"):  # each accepted alike, neither checked
        done = await core.dispatch_line(f'{PERSON}"{guess}"', CHAT_ADMIN)
        assert done.kind == "answer", done.text
        assert "the text file of source “fictional-wire” was named or changed in a chat" in done.text


@pytest.mark.parametrize("unreadable", ["missing", "not UTF-8", "over the cap"])
async def test_why_says_a_passage_was_not_checked_where_its_sources_text_file_could_not_be_read(
    core: BriefingCore, store: Store, tmp_path: Path, unreadable: str
) -> None:
    """A source whose `text:` file cannot be read showed its passages in /why as checked quotes, unlike a source with no
    `text:`. They are now marked; the file put right, they are not, from the briefing's next version (answers are kept per
    version)."""
    folder = tmp_path / "release"
    await summit_from(store, folder, with_text=False)
    article, text = folder / "fictional-summit.txt", (PACKS / "fictional-summit.txt").read_text(encoding="utf-8")
    if unreadable == "not UTF-8":
        article.write_bytes(text.encode("utf-16"))
    elif unreadable == "over the cap":  # its first megabyte alone would have been read as the whole text
        article.write_text("x" * MAX_PACK_BYTES + "\n" + text, encoding="utf-8")
    marker = {"en": "(not checked against the source's text, which could not be read)", "es": "(sin cotejar con el texto de la fuente, que no se pudo leer)"}

    async def shown(locale: str) -> list[str]:
        reply = await ask(core, f"/{'why' if locale == 'en' else 'origen'} person/mara-velde", briefing_id=SUMMIT_ID, locale=locale)
        assert reply.kind == "answer", reply.text
        return [item.text for item in reply.items]

    for locale in marker:
        assert await shown(locale) == [f"{'“' if locale == 'en' else '«'}{REAL}{'”' if locale == 'en' else '»'} {marker[locale]}"]
    article.write_text(text, encoding="utf-8")
    assert (await edit(core, f'set briefing:{SUMMIT_ID} kind:person id:mara-velde organisation:"Government of Nordmark"')).kind == "answer"
    assert await shown("en") == [f"“{REAL}”"]


def test_validate_and_load_name_a_text_over_the_cap_and_read_none_of_it(tmp_path: Path) -> None:
    """A text over the cap was read to its first megabyte, so `validate` called every passage after it "not in the text";
    a character cut at the cap made it "not UTF-8 text". Neither: the file is named as one that cannot be read."""
    folder = tmp_path / "release"
    folder.mkdir()
    pack, article = folder / "fictional-summit.yaml", folder / "fictional-summit.txt"
    shutil.copyfile(PACKS / pack.name, pack)
    article.write_text("x" * MAX_PACK_BYTES + "é" + (PACKS / article.name).read_text(encoding="utf-8"), encoding="utf-8")
    checked = briefbot("validate", pack)
    assert checked.returncode == 0 and "not in the text" not in checked.stderr, checked.stderr
    assert f"{pack}: evidence not checked for fictional-wire: its text {article} cannot be read" in checked.stdout.splitlines()
    loaded = briefbot("--db", tmp_path / "b.sqlite3", "load", pack)
    assert loaded.returncode == 0, loaded.stderr
    assert f"{pack}: warning: the text of source fictional-wire, {article}, cannot be read," in loaded.stderr


async def test_why_marks_a_passage_of_a_source_whose_text_path_a_chat_set_without_reading_it(store: Store, tmp_path: Path) -> None:
    """The file a chat named is never read: /why says its passages were checked against no text, whether it exists or not."""
    await summit_from(store, tmp_path / "release")
    core = chat_core(store)
    secret = tmp_path / "secret.txt"
    secret.write_text(REAL, encoding="utf-8")
    assert (await core.dispatch_line(f"set kind:source id:fictional-wire text:{secret}", CHAT_ADMIN)).kind == "answer"
    for _ in (secret.write_text(REAL, encoding="utf-8"), secret.unlink()):
        reply = await core.dispatch_line("why person/mara-velde", msgspec.structs.replace(CHAT_ADMIN, command=""))
        assert [item.text for item in reply.items] == [f"“{REAL}” (not checked against the source's text, which could not be read)"]


async def test_an_undo_reads_a_path_a_load_set_and_never_one_a_chat_set(store: Store, tmp_path: Path) -> None:
    """An undo or redo that puts a path back counts as the revision that first set it: a load's is read, a chat's never is.

    An undo of an edit that left the path alone passes over, as the edit did; the operator's undo of a chat's
    path change puts back the chat's earlier path, still unread."""
    await summit_from(store, tmp_path / "release")
    secret = tmp_path / "secret.txt"
    secret.write_text("token: abc123", encoding="utf-8")
    core = chat_core(store)
    source = "set kind:source id:fictional-wire"
    for line in (f"{source} text:{secret}", f'{source} publisher:"Wire"', "undo", f"{source} text:{tmp_path / 'other.txt'}"):
        assert (await core.dispatch_line(line, CHAT_ADMIN)).kind == "answer", line
    assert (await core.dispatch_line("undo", OPERATOR)).kind == "answer"  # puts the chat's secret path back
    for who in (CHAT_ADMIN, OPERATOR):
        for guess in ("token: abc123", "token: xyz"):  # each accepted alike, neither checked
            done = await core.dispatch_line(f'{PERSON}"{guess}"', who)
            assert done.kind == "answer", done.text
            assert "the text file of source “fictional-wire” was named or changed in a chat" in done.text
            assert (await core.dispatch_line("undo", OPERATOR)).kind == "answer"
    # The secret path's chat edit undone too, from the chat: the loaded article's path is back, and read.
    assert (await core.dispatch_line("undo", CHAT_ADMIN)).kind == "answer"
    assert (await store.repository.briefing(SUMMIT_ID)).sources[0].text == "fictional-summit.txt"
    refused = await core.dispatch_line(f'{PERSON}"{INVENTED}"', CHAT_ADMIN)
    assert refused.kind == "error" and "has the start of the passage but not what follows" in refused.text, refused.text


async def test_a_chat_s_path_kept_by_an_export_loaded_back_is_named_by_the_refusal_and_never_read(store: Store, tmp_path: Path) -> None:
    """docs/loading.md's "Keep the edits" after a chat named a secret file, with the briefing written as the store holds it
    (as exports once wrote it; now one kept by hand): the pack holds the chat's path, the operator changes the source's
    publisher and loads it over the edits. The load kept the path; it did not set it.

    The first load the path search met once made the path read: every later passage was then accepted or refused
    against the secret file, a yes/no answer on its contents for the chat's admin."""
    await summit_from(store, tmp_path / "release")
    secret = tmp_path / "secret.txt"
    secret.write_text("token: abc123", encoding="utf-8")
    core = chat_core(store)
    assert (await core.dispatch_line(f"set kind:source id:fictional-wire text:{secret}", CHAT_ADMIN)).kind == "answer"
    pack = tmp_path / "release" / "fictional-summit.yaml"
    pack.write_text(dump_pack(await store.repository.briefing(SUMMIT_ID)).replace("publisher: Fictional Test Wire", "publisher: Wire"), encoding="utf-8")
    with pytest.raises(EditedSinceLoad) as caught:
        await load_pack(store, pack)
    lines = await refusal_lines(store, caught.value, str(pack), catalogue_for("en"))
    assert "  fictional-wire: " + str(secret) in lines, lines
    assert lines[lines.index("  fictional-wire: " + str(secret)) - 1].startswith("Text files it keeps as a chat or an admin edit named them"), lines
    assert any(line.startswith("Archivos de texto que conserva") for line in await refusal_lines(store, caught.value, str(pack), ES))
    await load_pack(store, pack, discard_edits=True)
    for guess in ("token: abc123", "token: xyz"):  # each accepted alike, neither checked
        done = await core.dispatch_line(f'{PERSON}"{guess}"', CHAT_ADMIN)
        assert done.kind == "answer", done.text
        assert "the text file of source “fictional-wire” was named or changed in a chat" in done.text
        assert (await core.dispatch_line("undo", CHAT_ADMIN)).kind == "answer"
    # The operator's import of the same pack keeps the path too: neither its passages nor the next edit's read the file.
    applied = await imported(store, dump_pack(await store.repository.briefing(SUMMIT_ID)).replace(f"passage: {REAL}", 'passage: "token: abc123"', 1), apply=True)
    assert applied.kind == "answer" and "was named or changed in a chat" in applied.text, applied
    done = await core.dispatch_line(f'{PERSON}"token: xyz"', CHAT_ADMIN)
    assert done.kind == "answer" and "was named or changed in a chat" in done.text, done.text
    # The operator who means that file loads the pack once without the path, then with it: the second load sets it.
    written = dump_pack(await store.repository.briefing(SUMMIT_ID))
    pack.write_text(written.replace(f"  text: {secret}\n", ""), encoding="utf-8")
    await load_pack(store, pack, discard_edits=True)
    pack.write_text(written, encoding="utf-8")
    await load_pack(store, pack)
    refused = await core.dispatch_line(f'{PERSON}"token: other"', CHAT_ADMIN)
    assert refused.kind == "error" and "has the start of the passage but not what follows: “other”" in refused.text, refused.text


async def test_an_export_leaves_out_a_chat_s_path_so_no_load_of_it_reads_the_file(store: Store, store_target: str | Path, tmp_path: Path) -> None:
    """A chat names a secret file; the operator exports the briefing and loads the export into a fresh store elsewhere.

    The export once wrote the chat's path as any other: the fresh store's load set it, and every later passage was
    accepted or refused against the secret file. The pack's own article is still written, and read after such a load."""
    await summit_from(store, tmp_path / "release")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    async def exported_and_loaded(name: str) -> str:
        """`briefbot export` of the summit into `elsewhere`, loaded into a fresh store of that name: what the export said."""
        done = briefbot("--db", store_target, "--briefing", SUMMIT_ID, "export", "-o", elsewhere / f"{name}.yaml")
        assert done.returncode == 0, done.stderr
        async with open_store(tmp_path / f"{name}.sqlite3") as fresh:
            await load_pack(fresh, elsewhere / f"{name}.yaml")
        return done.stderr

    said = await exported_and_loaded("operators")
    assert said == ""
    async with open_store(tmp_path / "operators.sqlite3") as fresh:
        refused = await chat_core(fresh).dispatch_line(f'{PERSON}"{INVENTED}"', CHAT_ADMIN)
        assert refused.kind == "error" and "has the start of the passage but not what follows" in refused.text, refused.text

    secret = tmp_path / "secret.txt"
    secret.write_text("token: abc123", encoding="utf-8")
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), pack_writer=dump_pack)
    assert (await core.dispatch_line(f"set kind:source id:fictional-wire text:{secret}", CHAT_ADMIN)).kind == "answer"
    said = await exported_and_loaded("chats")
    async with open_store(tmp_path / "chats.sqlite3") as fresh:
        for guess in ("token: abc123", "token: xyz"):  # each accepted alike, neither checked
            done = await chat_core(fresh).dispatch_line(f'{PERSON}"{guess}"', CHAT_ADMIN)
            assert done.kind == "answer" and "source “fictional-wire” names no text file" in done.text, done.text
    assert said.startswith(f"warning: the export leaves out the text: {secret} of source fictional-wire: "), said
    assert str(secret) not in (elsewhere / "chats.yaml").read_text(encoding="utf-8")
    with pytest.raises(EditedSinceLoad) as caught:  # loaded back here, it changes the source the chat's edit named
        await load_pack(store, elsewhere / "chats.yaml")
    assert list(caught.value.taken.items) == [("source", "fictional-wire")], caught.value.taken
    # A chat's /export leaves it out too: the file it gets is a pack file like any other.
    chats = await core.export_pack(CHAT_ADMIN)
    assert isinstance(chats, PackFile) and str(secret) not in chats.text and "fictional-wire" in chats.text


async def test_an_undone_load_or_import_keeps_the_loaded_text_read(store: Store, tmp_path: Path) -> None:
    """`briefbot admin undo` of a load or of the operator's import is the operator's step, not a chat's: the source's text stays read.

    An undo of a load that changed the source but not its path once left every later passage unchecked, said to be
    "named or changed in a chat"; one that puts back the path an earlier load set reads that load's file."""
    await summit_from(store, tmp_path / "release")
    pack = (tmp_path / "release" / "fictional-summit.yaml").read_text(encoding="utf-8")
    core = BriefingCore(store.repository, pack_reader=read_pack_text)

    async def refuses_invented() -> None:
        refused = await core.dispatch_line(f'{PERSON}"{INVENTED}"', OPERATOR)
        assert refused.kind == "error" and "has the start of the passage but not what follows" in refused.text, refused.text

    renamed = tmp_path / "release" / "renamed.yaml"
    renamed.write_text(pack.replace("publisher: Fictional Test Wire", "publisher: Fictional Wire"), encoding="utf-8")
    await load_pack(store, renamed)
    assert (await core.dispatch_line("undo", OPERATOR)).kind == "answer"
    await refuses_invented()
    applied = await imported(store, pack.replace("publisher: Fictional Test Wire", "publisher: Fictional Wire"), apply=True)
    assert applied.kind == "answer", applied
    assert (await core.dispatch_line("undo", OPERATOR)).kind == "answer"
    await refuses_invented()
    # A load that moves the path to another article (this one tells of the walkout), undone and redone.
    text = (tmp_path / "release" / "fictional-summit.txt").read_text(encoding="utf-8")
    (tmp_path / "release" / "walkout.txt").write_text(f"{text}\n{INVENTED}\n", encoding="utf-8")
    renamed.write_text(pack.replace("text: fictional-summit.txt", "text: walkout.txt"), encoding="utf-8")
    await load_pack(store, renamed, discard_edits=True)  # over the import and its undo
    assert (await core.dispatch_line("undo", OPERATOR)).kind == "answer"
    await refuses_invented()
    assert (await core.dispatch_line("redo", OPERATOR)).kind == "answer"
    done = await core.dispatch_line(f'{PERSON}"{INVENTED}"', OPERATOR)
    assert done.kind == "answer" and "not checked" not in done.text, done.text


async def test_a_path_not_set_in_a_chat_is_not_said_to_be(store: Store, tmp_path: Path) -> None:
    """A path the operator's edit set, or one whose load lies past the changes searched, is unread for that reason, not a chat."""
    await summit_from(store, tmp_path / "release")
    core = BriefingCore(store.repository, pack_reader=read_pack_text)
    for n in range(PATH_HISTORY):  # the load that set the path lies past the source's changes searched
        assert (await core.dispatch_line(f'set kind:source id:fictional-wire publisher:"Wire {n}"', OPERATOR)).kind == "answer"
    done = await core.dispatch_line(f'{PERSON}"{INVENTED}"', OPERATOR)
    assert done.kind == "answer", done.text
    assert ("no load or operator's import that named the text file of source “fictional-wire” as it is now was found among "
            "the source's recent changes") in done.text
    assert (await core.dispatch_line("set kind:source id:fictional-wire text:other.txt", OPERATOR)).kind == "answer"
    done = await core.dispatch_line(f'{PERSON}"{REAL}"', OPERATOR)
    assert done.kind == "answer", done.text
    assert "was named or changed by an admin edit on the server (briefbot admin or briefbot console), not by a pack file" in done.text
    done = await core.dispatch_line(f'{PERSON}"{INVENTED}"', msgspec.structs.replace(OPERATOR, locale="es"))
    assert done.kind == "answer", done.text
    assert "se indicó o se cambió con una edición de administración en el servidor" in done.text


async def test_a_text_path_the_operators_import_moved_is_read_at_its_new_place(store: Store, tmp_path: Path) -> None:
    """`briefbot admin import PATH` names the article as a load does: the edits after it are checked against the moved file.

    They were once said not to be checked, "named or changed in a chat", though the operator's pack file named it; the
    import's own new passages are checked against it too."""
    await summit_from(store, tmp_path / "release")
    (tmp_path / "articles").mkdir()
    (tmp_path / "release" / "fictional-summit.txt").rename(tmp_path / "articles" / "fictional-summit.txt")
    pack = tmp_path / "next" / "fictional-summit.yaml"
    pack.parent.mkdir()
    text = (PACKS / "fictional-summit.yaml").read_text(encoding="utf-8").replace("text: fictional-summit.txt", "text: ../articles/fictional-summit.txt")
    core = BriefingCore(store.repository, pack_reader=read_pack_text)
    operator = Request(command="", now=BEFORE, platform="cli", operator=True, user_id="operator", briefing_id=SUMMIT_ID)

    def placed(text: str) -> PackReading:
        """The pack text read as the CLI's `admin import` reads a file, and placed as it places it."""

        async def read() -> Briefing:
            return (await store.placed(read_pack_text(text, str(pack)), pack))[0]

        return read

    invented = await core.import_file(operator, str(pack), placed(text.replace(REAL, INVENTED, 1)), False)
    assert invented.kind == "error" and "the text of source “fictional-wire” has the start of the passage" in invented.text, invented
    dry = await core.import_file(operator, str(pack), placed(text), False)
    applied = await core.import_file(operator, str(pack), placed(text), True, dry.approval)
    assert applied.kind == "answer" and applied.title.endswith("the pack was imported"), applied
    done = await edit(core, f'{PERSON}"{REAL}"')
    assert done.kind == "answer" and "not checked" not in done.text, done.text
    refused = await edit(core, f'{PERSON}"{INVENTED}"')
    assert refused.kind == "error" and "the text of source “fictional-wire” has the start of the passage" in refused.text, refused.text

async def test_a_discord_form_refuses_an_invented_passage_and_adds_a_real_one(fake: FakeDiscord, store: Store, tmp_path: Path) -> None:
    await summit_from(store, tmp_path / "release")
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), pack_reader=read_pack_text, pack_writer=dump_pack)
    async with connected(fake, core):
        modal = await open_modal(fake, "add", {"kind": "faq", "id": "walkout", "briefing": SUMMIT_ID})
        assert list(inputs(modal)) == ["question", "answer", "sources", "evidence"]
        answers = {"question": "Who leads?", "answer": "The two ministers.", "sources": "fictional-wire", "evidence": INVENTED}
        refused = private_embed(await fake.interact(fake.submit(modal, answers)))
        assert "has the start of the passage but not what follows: “walked out of the summit.”" in refused["description"]
        assert all(entry.id != "walkout" for entry in (await store.repository.briefing(SUMMIT_ID)).faq)
        added = private_embed(await fake.interact(fake.submit(modal, {**answers, "evidence": REAL})))
        assert "faq/walkout" in added["title"] and added["title"].endswith("added"), added
        assert "not checked" not in added.get("description", "")
    assert any(entry.id == "walkout" for entry in (await store.repository.briefing(SUMMIT_ID)).faq)


TOPICS = "The talks cover water quotas, fisheries and flood warnings."  # the article's, in no item's evidence


async def opening(store: Store) -> dict[str, object]:
    """The opening session as the store holds it."""
    session = next(s for s in (await store.repository.briefing(SUMMIT_ID)).sessions if s.id == "opening")
    return {"outcome": session.outcome, "status": session.status, "evidence": [(p.source, p.passage) for p in session.evidence]}


@pytest.mark.parametrize("locale", ["en", "es"])
async def test_a_passage_is_added_beside_those_held_shown_in_history_and_undone_exactly(
    core: BriefingCore, store: Store, tmp_path: Path, locale: str
) -> None:
    """An outcome's passage could only be given with `evidence:`, which replaced every passage: the one that stated the
    session's time went. `passage:` (`pasaje:`) adds one, checked against the article as any new passage is."""
    await summit_from(store, tmp_path / "release")
    held = await opening(store)
    word = {"en": "passage", "es": "pasaje"}[locale]
    line = f'set briefing:{SUMMIT_ID} kind:session id:opening status:concluded outcome:"Quotas and fisheries were discussed."'
    refused = await edit(core, f'{line} {word}:"{INVENTED}"', locale)
    assert refused.kind == "error" and await opening(store) == held
    done = await edit(core, f'{line} {word}:"{TOPICS}"', locale)
    assert done.kind == "answer", done.text
    added = {"en": f"added 1: “fictional-wire: {TOPICS}”", "es": f"se añade 1: «fictional-wire: {TOPICS}»"}[locale]
    evidence = {"en": "evidence", "es": "pasajes"}[locale]  # the field as the reader's language names it
    assert {f.name: f.value for f in done.fields}[evidence] == added
    assert await opening(store) == {"outcome": "Quotas and fisheries were discussed.", "status": "concluded", "evidence": [*held["evidence"], ("fictional-wire", TOPICS)]}
    again = await edit(core, f'set briefing:{SUMMIT_ID} kind:session id:opening {word}:"{TOPICS}"', locale)
    assert again.kind == "answer" and not again.fields, again.text  # held already: nothing changed, no revision
    history = await edit(core, f"history briefing:{SUMMIT_ID} kind:session id:opening", locale)
    assert f"{evidence}: {added}" in history.items[0].text
    assert (await edit(core, f"undo briefing:{SUMMIT_ID}", locale)).kind == "answer"
    assert await opening(store) == held
    # The summary's passages likewise, citing source: (the head has no sources of its own); lang: has no passage to give.
    head = await edit(core, f'set briefing:{SUMMIT_ID} kind:briefing {word}:"{TOPICS}" source:fictional-wire', locale)
    assert head.kind == "answer", head.text
    assert [p.passage for p in (await store.repository.briefing(SUMMIT_ID)).summary_evidence][-1] == TOPICS
    translated = await edit(core, f'set briefing:{SUMMIT_ID} kind:session id:opening lang:es {word}:"{TOPICS}"', locale)
    assert translated.kind == "error" and translated.text.startswith(f"{word}: "), translated.text


async def test_discord_set_with_a_passage_adds_it_with_no_form(fake: FakeDiscord, store: Store, tmp_path: Path) -> None:
    """`/set … passage:` is the edit itself: a /set without `value:` opened the form, which would have dropped it."""
    await summit_from(store, tmp_path / "release")
    held = await opening(store)
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), pack_reader=read_pack_text)
    async with connected(fake, core):
        body = await fake.interact(fake.command("set", {"kind": "session", "id": "opening", "passage": TOPICS, "briefing": SUMMIT_ID}))
        assert private_embed(body)["title"].endswith("session/opening in fictional-summit changed")
    assert (await opening(store))["evidence"] == [*held["evidence"], ("fictional-wire", TOPICS)]


async def imported(store: Store, pack: str, apply: bool = False, who: Request = OPERATOR) -> Reply:
    """The pack imported as `briefbot admin import` does (or a chat's /import, by `who`): a dry run, or its apply with the version it showed."""
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), pack_reader=read_pack_text)
    dry = await core.import_text(who, pack, "edited.yaml", apply=False)
    return await core.import_text(who, pack, "edited.yaml", apply=True, approval=dry.approval) if apply and dry.kind != "error" else dry


async def test_an_import_checks_the_passages_it_brings_as_an_edit_does(store: Store, tmp_path: Path) -> None:
    """An exported pack edited by hand and imported: its invented passage is refused by path, dry run and apply alike."""
    await summit_from(store, tmp_path / "release")
    before = await held(store)
    exported = dump_pack(await store.repository.briefing(SUMMIT_ID))
    invented = exported.replace(REAL, INVENTED, 1)
    for apply in (False, True):
        refused = await imported(store, invented, apply)
        assert refused.kind == "error", refused
        assert refused.text.startswith("Nothing was changed: at people[0].evidence[0].passage, the text of source “fictional-wire” has the "
                                       "start of the passage but not what follows: “walked out of the summit.”"), refused.text
        assert await held(store) == before
    # A passage the pack already held is not checked again, and a real new one is taken as it is.
    real = exported.replace(f"passage: {REAL}\n", f"passage: {REAL}\n  - source: fictional-wire\n    passage: {' '.join(COPIED.split())}\n", 1)
    done = await imported(store, real, apply=True)
    assert done.kind == "answer" and done.title.startswith("Revision"), done
    assert done.text == ""
    assert len((await held(store))[0]) == 2


async def test_an_import_with_thousands_of_invented_passages_names_the_first_and_counts_the_rest(store: Store, tmp_path: Path) -> None:
    """Each named miss is quoted from where it leaves the source's text (a search of the whole text): 3,500 took 6 s of CPU."""
    await summit_from(store, tmp_path / "release")
    invented = "".join(f"  - source: fictional-wire\n    passage: Invented sentence {n}.\n" for n in range(3000))
    pack = dump_pack(await store.repository.briefing(SUMMIT_ID)).replace(f"passage: {REAL}\n", f"passage: {REAL}\n{invented}", 1)
    refused = await imported(store, pack)
    assert refused.kind == "error"
    assert refused.text.count("does not have the passage") == SHOWN_MISSES
    assert f"“Invented sentence {SHOWN_MISSES - 1}.”; and {3000 - SHOWN_MISSES:,} more passages their sources' texts lack. Copy" in refused.text


async def test_an_import_from_a_chat_never_reads_a_text_path_it_brings(store: Store, tmp_path: Path) -> None:
    """A chat's admin may name any file on the server in the pack they upload: the passages are taken unchecked, and the answer says so."""
    await summit_from(store, tmp_path / "release")
    secret = tmp_path / "secret.txt"
    secret.write_text("token abc123", encoding="utf-8")
    exported = dump_pack(await store.repository.briefing(SUMMIT_ID)).replace("text: fictional-summit.txt", f"text: {secret}")
    for guess in ("token abc123", "token xyz"):  # each taken alike, neither checked
        dry = await imported(store, exported.replace(REAL, guess, 1), who=CHAT_ADMIN)
        assert dry.kind == "answer" and "Dry run" in dry.title, dry
        assert "the text file of source “fictional-wire” is named or changed by this import" in dry.text


# An accent as a macOS editor saves it (a letter and a combining mark, NFD) and as a web page copies it (one letter, NFC).
ACCENTED = "Minister Mara Velde of Nordmark and Minister Tomás Ricard of Sudland lead the two delegations."


def summit_accented(folder: Path, pack_form: str, text_form: str) -> Path:
    """The summit with "Tomás" in its pack written in `pack_form` and in its article in `text_form`: the pack's path."""
    folder.mkdir(parents=True, exist_ok=True)
    pack = (PACKS / "fictional-summit.yaml").read_text(encoding="utf-8").replace("Tomas Ricard", "Tomás Ricard")
    text = (PACKS / "fictional-summit.txt").read_text(encoding="utf-8").replace("Tomas Ricard", "Tomás Ricard")
    (folder / "fictional-summit.yaml").write_text(unicodedata.normalize(pack_form, pack), encoding="utf-8")
    (folder / "fictional-summit.txt").write_text(unicodedata.normalize(text_form, text), encoding="utf-8")
    return folder / "fictional-summit.yaml"


@pytest.mark.parametrize(("pack_form", "text_form"), [("NFC", "NFD"), ("NFD", "NFC")])
def test_validate_finds_an_accented_passage_whatever_the_unicode_form_of_pack_and_article(tmp_path: Path, pack_form: str, text_form: str) -> None:
    pack = summit_accented(tmp_path, pack_form, text_form)
    result = briefbot("validate", pack)
    assert result.returncode == 0, result.stderr
    assert "passages found in the texts of fictional-wire" in result.stdout
    # Still a letter: the unaccented name is not the article's.
    unaccented = unicodedata.normalize("NFC", pack.read_text(encoding="utf-8")).replace("Minister Tomás Ricard", "Minister Tomas Ricard", 1)
    pack.write_text(unicodedata.normalize(pack_form, unaccented), encoding="utf-8")
    result = briefbot("validate", pack)
    assert result.returncode == 1 and "this passage is not in the text of source “fictional-wire”" in result.stderr


async def test_a_discord_form_accepts_a_passage_typed_composed_from_a_decomposed_article(fake: FakeDiscord, store: Store, tmp_path: Path) -> None:
    """The article saved decomposed (NFD), the admin's passage typed composed: found, and kept as the admin typed it."""
    await load_pack(store, summit_accented(tmp_path / "release", "NFD", "NFD"))
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), pack_reader=read_pack_text, pack_writer=dump_pack)
    typed = unicodedata.normalize("NFC", ACCENTED)
    async with connected(fake, core):
        modal = await open_modal(fake, "add", {"kind": "faq", "id": "leaders", "briefing": SUMMIT_ID})
        answers = {"question": "Who leads?", "answer": "The two ministers.", "sources": "fictional-wire", "evidence": typed}
        added = private_embed(await fake.interact(fake.submit(modal, answers)))
        assert "faq/leaders" in added["title"] and added["title"].endswith("added"), added
    entry = next(entry for entry in (await store.repository.briefing(SUMMIT_ID)).faq if entry.id == "leaders")
    assert [piece.passage for piece in entry.evidence] == [typed]
