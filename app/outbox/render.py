"""Mails rendered at send time: a row names its renderer and the values it reads.

A request that queues mail (a workflow step) only writes what to render: the
template, the recipient, the locale and a small JSON context of ids and plain
values. The delivery worker renders the subject and the bodies just before
sending, in the recipient's language, and keeps them on the row, so that a
retry (or the admin's view of the row) has the very same mail. Rows rendered
when they were queued have no context and are sent as they are.

The renderers live above this package (the workflow knows its steps): they
register here by name, at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale

from app.models.outbox import OutboxMessage


@dataclass(frozen=True)
class Rendered:
    """A mail ready to send."""

    subject: str
    text: str
    html: str | None


Renderer = Callable[[OutboxMessage, dict], Rendered]
# Loads, in a few queries, what the renderer reads for a batch of contexts.
Prefetch = Callable[[list[dict]], list]
RENDERERS: dict[str, Renderer] = {}
PREFETCHERS: dict[str, Prefetch] = {}


class NotRenderable(LookupError):
    """The row names no known renderer, or what it is about is gone."""


def renderer(kind: str, prefetch: Prefetch | None = None) -> Callable[[Renderer], Renderer]:
    """Register the function that renders rows whose context says `kind`.

    `prefetch` loads what a batch of such rows reads in a few queries, so that
    the renderer finds it in the session instead of asking row by row.
    """

    def register(function: Renderer) -> Renderer:
        RENDERERS[kind] = function
        if prefetch is not None:
            PREFETCHERS[kind] = prefetch
        return function

    return register


def prefetch(rows: list[OutboxMessage]) -> list:
    """Load what the unrendered rows will read; the caller holds the list while it renders.

    (The session keeps loaded objects only while something refers to them.)
    """
    by_kind: dict[str, list[dict]] = {}
    for row in rows:
        if not is_rendered(row):
            by_kind.setdefault(row.context.get("kind"), []).append(row.context)
    loaded = []
    for kind, contexts in by_kind.items():
        if kind in PREFETCHERS:
            loaded.extend(PREFETCHERS[kind](contexts))
    return loaded


def is_rendered(row: OutboxMessage) -> bool:
    """Whether the row holds its subject and bodies (else it is rendered when sent)."""
    return row.body_text is not None or not row.context


def render(row: OutboxMessage) -> Rendered:
    """The row's mail: as stored, or rendered now from its context in its locale.

    Raises NotRenderable when the renderer or what the mail is about is gone.
    """
    if is_rendered(row):
        return Rendered(row.subject or "", row.body_text or "", row.body_html)
    kind = row.context.get("kind")
    function = RENDERERS.get(kind)
    if function is None:
        raise NotRenderable(f"no renderer for {kind!r}")
    with force_locale(row.locale):
        return function(row, row.context)


def ensure_rendered(row: OutboxMessage) -> None:
    """Render the row's subject and bodies onto it if it has none yet; flush nothing."""
    if is_rendered(row):
        return
    rendered = render(row)
    row.subject, row.body_text, row.body_html = rendered.subject, rendered.text, rendered.html
