"""Outbox throughput: one worker sending queued mail to a local SMTP server.

    .venv/bin/python bench/outbox.py --messages 2000
    .venv/bin/python bench/outbox.py --messages 2000 --pg postgresql://postgres@127.0.0.1/postgres

Builds the schema in a temporary SQLite file (or a temporary database on the
given PostgreSQL server, dropped afterwards), queues N rendered-size rows,
starts an aiosmtpd sink on a free port, runs the worker's batches until the
outbox is empty and prints messages per second. The budget (DESIGN.md §7) is
at least 100 mails/s with one worker. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app import create_app
from app.extensions import db
from app.models import OutboxMessage
from app.models.types import utcnow
from app.outbox.worker import send_batch
from config import TestingConfig

BUDGET = 100  # mails/s with one worker (DESIGN.md §7)
BODY = (
    "Yth. Kasi Nasution,\n\nDian Anggraini telah mengajukan rencana SKP Tahunan 2026.\n"
    "Tautan: https://sikap.pemkomedan.go.id/appraisals/1/from-mail/" + "x" * 90 + "\n"
) * 4


class Sink:
    """Counts what it accepts, as fast as aiosmtpd allows."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def temporary_database(pg_url: str | None):
    """A URL for an empty database, and a function that removes it."""
    if not pg_url:
        folder = tempfile.TemporaryDirectory()
        return f"sqlite:///{folder.name}/bench.sqlite", folder.cleanup
    if pg_url.startswith("postgresql://"):
        pg_url = "postgresql+psycopg://" + pg_url.split("://", 1)[1]
    name = f"sikap_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return pg_url.rsplit("/", 1)[0] + f"/{name}", drop


def queue(n: int) -> None:
    now = utcnow()
    rows = [
        {
            "recipient": f"pegawai{i}@pemkomedan.go.id",
            "subject": f"[SIKAP] Ajukan rencana SKP: SKP Pegawai {i}, SKP Tahunan 2026",
            "body_text": BODY,
            "body_html": "<p>" + BODY.replace("\n", "<br>") + "</p>",
            "template": "submit_plan",
            "locale": "id",
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for i in range(n)
    ]
    for start in range(0, n, 1000):
        db.session.execute(sa.insert(OutboxMessage), rows[start : start + 1000])
    db.session.commit()


def run(messages: int, batch: int, pg_url: str | None) -> dict:
    """Queue `messages` mails and send them with one worker; the figures as a dict."""
    url, remove = temporary_database(pg_url)
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
    )
    try:
        with app.app_context():
            db.create_all()
            queue(messages)
            controller.start()
            started = time.perf_counter()
            sent = 0
            while (result := send_batch(batch)).claimed:
                sent += result.sent
            elapsed = time.perf_counter() - started
            pending = db.session.scalar(
                sa.select(sa.func.count()).where(OutboxMessage.status != "sent")
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        controller.stop()
        remove()
    rate = sent / elapsed if elapsed else float("inf")
    return {
        "backend": "PostgreSQL" if pg_url else "SQLite",
        "messages": messages,
        "batch": batch,
        "sent": sent,
        "received": sink.count,
        "not_sent": pending,
        "seconds": elapsed,
        "mails_per_second": rate,
        "ok": rate >= BUDGET and sink.count == sent == messages,
    }


def figures(result: dict) -> list[dict]:
    """The result as a table row: figure, value, budget, ok."""
    value = f"{result['mails_per_second']:.0f} mails/s ({result['sent']} sent"
    if result["received"] != result["messages"]:
        value += f", server received {result['received']}"
    return [
        {
            "figure": f"Outbox, one worker ({result['backend']})",
            "value": value + ")",
            "budget": f">= {BUDGET} mails/s",
            "ok": result["ok"],
        }
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()

    result = run(args.messages, args.batch, args.pg)
    if args.json:
        print(json.dumps(result | {"figures": figures(result)}, indent=2))
    else:
        print(
            f"{result['backend']}: {result['sent']} mails in {result['seconds']:.2f} s with one "
            f"worker (batch {args.batch}): {result['mails_per_second']:.0f} mails/s; server "
            f"received {result['received']}, not sent {result['not_sent']}; target >= "
            f"{BUDGET} mails/s: {'met' if result['ok'] else 'MISSED'}"
        )
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
