"""Every user-facing message has an Indonesian translation with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "app/translations/id/LC_MESSAGES/messages.po"
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _source_messages() -> dict[str, str]:
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        if filename.startswith((".venv", "tests")):
            continue
        msgid = message[0] if isinstance(message, tuple) else message
        found[msgid] = filename
    return found


def test_every_message_in_the_code_is_translated_to_indonesian():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    messages = _source_messages()
    assert len(messages) > 150  # the extraction itself works
    missing = []
    for msgid, filename in sorted(messages.items()):
        entry = catalogue.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{filename}: {msgid!r}")
            continue
        translated = entry.string if isinstance(entry.string, str) else entry.string[0]
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(translated)), msgid
    assert not missing, "untranslated (run `make extract` and translate):\n" + "\n".join(missing)


@pytest.mark.parametrize("po", sorted((ROOT / "app/translations").glob("*/LC_MESSAGES/*.po")))
def test_catalogues_compile(po, tmp_path):
    from babel.messages.mofile import write_mo

    with po.open("rb") as handle:
        catalogue = read_po(handle)
    with (tmp_path / "out.mo").open("wb") as out:
        write_mo(out, catalogue)
    assert all(not m.fuzzy for m in catalogue if m.id)
