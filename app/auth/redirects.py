"""Where a `next` parameter may send the browser: same-site paths only."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

# Printable ASCII except space and backslash: browsers read "\" as "/", drop tabs and
# newlines, and some fold look-alike slashes (U+FF0F, U+2044, ...) into "/".
_PLAIN = re.compile(r"[!-\[\]-~]*")


def _is_local_path(path: str) -> bool:
    return (
        path.startswith("/")
        and not path.startswith("//")
        and _PLAIN.fullmatch(path) is not None
        and not urlsplit(path).netloc
    )


def is_safe_path(target: str | None) -> bool:
    """Whether `target` is a path on this site, also once percent-decoded."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return False
    if _PLAIN.fullmatch(target) is None or not _is_local_path(target):
        return False
    # A hop that decodes the value ("/%2F%2Fevil", "/%09/evil") must not reach another
    # site either: decoded, the path part stays a plain local path and nothing anywhere
    # is a control character. Spaces and letters in the decoded query are fine.
    value = target
    for _ in range(3):
        decoded = unquote(value)
        if decoded == value:
            return True
        path = re.split(r"[?#]", decoded, maxsplit=1)[0]
        if not _is_local_path(path):
            return False
        if any(unicodedata.category(char)[0] in "CZ" and char != " " for char in decoded):
            return False
        value = decoded
    return False
