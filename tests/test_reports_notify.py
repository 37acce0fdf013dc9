"""Notifications after a build: each new finding sent once per target to a local SMTP server.

The server is aiosmtpd on a free port of 127.0.0.1, started by the test on an event loop of
its own thread; Apprise's send returns only after the server has taken the message, so the
test reads what arrived without waiting.
"""

from __future__ import annotations

import asyncio
import email
import logging
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from lxml import etree
from sqlalchemy import func, select, update
from store_seed import SITE, Seeded, seed_folder

from config.notify import target_key
from reports.notify import send_notifications
from sidedoor.runner import Paths, build
from sidedoor.store import Finding
from sidedoor.store.models import Notification

BACKFILL = ("texas_dps", "border_patrol_audit")  # found by their sources' first crawls


class Inbox:
    """What the SMTP server was given: one parsed message per delivery, with its recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.original_content or b"")))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for rcpt, m in self.received if address in rcpt]

    def subjects(self, address: str) -> list[str]:
        return [str(m["Subject"]) for m in self.to(address)]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Inbox, int]]:
    """A local SMTP server (no TLS, no login) and its port; stopped after the test."""
    # smtplib names this machine in EHLO with getfqdn(), which may ask DNS: keep it local
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "localhost")
    inbox, loop = Inbox(), asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(inbox, hostname="localhost"), "127.0.0.1", 0))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield inbox, server.sockets[0].getsockname()[1]
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port of 127.0.0.1 that is bound but not listening: a connection is refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


def mail_url(port: int, to: str) -> str:
    return f"mailto://127.0.0.1:{port}?from=sidedoor@example.org&to={to}"


def seeded_store(folder: Path) -> Seeded:
    seeded = seed_folder(folder / "data")
    with seeded.store.session() as s:
        s.execute(update(Finding).where(Finding.id.in_(
            [seeded.finding_ids[k] for k in BACKFILL])).values(backfill=True))
    return seeded


def write_site(folder: Path, entries: list[tuple[str, list[str]]]) -> Path:
    lines = ["title: sidedoor test site", "base_url: https://sidedoor.example.org/",
             "description: Findings from a small fictional store, for tests.", "notify:"]
    for feed, urls in entries:
        lines += [f"  - feed: {feed}", "    urls:", *(f"      - '{u}'" for u in urls)]
    path = folder / "site.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_build(folder: Path, seeded: Seeded, site_path: Path) -> Any:
    paths = Paths(data_dir=folder / "data", db_url=str(seeded.store.engine.url),
                  public_dir=folder / "public")
    return build(paths, site_path, search=False)


def news_ids(seeded: Seeded, dismissed: bool = True) -> set[str]:
    skipped = {seeded.finding_ids[k] for k in BACKFILL}
    if dismissed:
        skipped |= {i for i, r in seeded.reviews.items() if r.dismissed}
    return set(seeded.finding_ids.values()) - skipped


def sent_ids(messages: list[Message]) -> list[str]:
    """The finding ids of the links in the messages, one per message."""
    return [line.rsplit("/", 2)[-2] for m in messages
            for line in m.get_payload(decode=True).decode().splitlines()
            if line.startswith("https://sidedoor.example.org/findings/")]


def test_first_build_sends_each_new_finding_once_and_the_second_none(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    site_path = write_site(tmp_path, [("all", [mail_url(port, "desk@example.org")])])
    run_build(tmp_path, seeded, site_path)
    first = sent_ids(inbox.to("desk@example.org"))
    run_build(tmp_path, seeded, site_path)
    # one digest; the build reads config/reviews.yaml, which dismisses none of the seed's
    # findings; the backfill findings are left out
    assert (sorted(first), len(inbox.received)) == (sorted(news_ids(seeded, False)), 1)


def test_one_new_finding_is_sent_as_itself_with_its_quote(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    site = SITE.model_copy(update={"notify": (
        _entry("agencies/fbi", mail_url(port, "d@example.org")),)})
    send_notifications(seeded.store, site, now=seeded.now, site_path="site.yaml")
    with seeded.store.session() as s:
        snippet = s.get(Finding, seeded.finding_ids["leads_fbi"]).snippet
    [sent] = inbox.to("d@example.org")
    assert (sent["Subject"], sent.get_payload(decode=True).decode().splitlines()[0]) == (
        "Sharing agreement in Prairie Grove, IL (FBI)",
        f"\u201c{' '.join(snippet.split())}\u201d")


def test_an_agency_feed_sends_what_the_sites_feed_of_that_agency_lists(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    site_path = write_site(tmp_path, [("agencies/ice", [mail_url(port, "ice@example.org")])])
    result = run_build(tmp_path, seeded, site_path)
    feed = etree.parse(str(result.out / "feeds" / "agencies" / "ice.xml"))
    in_feed = set(feed.xpath("//item/guid/text()")) - {seeded.finding_ids[k] for k in BACKFILL}
    assert sorted(sent_ids(inbox.to("ice@example.org"))) == sorted(in_feed)


def test_dismissed_findings_are_not_sent(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    site = SITE.model_copy(update={"notify": (_entry("all", mail_url(port, "d@example.org")),)})
    send_notifications(seeded.store, site, now=seeded.now, site_path="site.yaml",
                       reviews=seeded.reviews)
    assert sorted(sent_ids(inbox.to("d@example.org"))) == sorted(news_ids(seeded))


def test_a_status_change_is_sent_once_more(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    site = SITE.model_copy(update={"notify": (_entry("all", mail_url(port, "d@example.org")),)})
    lookup = seeded.finding_ids["prairie_lookup"]
    _set(seeded, lookup, status="proposed")
    send = lambda: send_notifications(seeded.store, site, now=seeded.now,  # noqa: E731
                                      site_path="site.yaml", reviews=seeded.reviews)
    send()
    before = len(inbox.received)
    _set(seeded, lookup, status="adopted", status_changed=seeded.now + timedelta(days=1))
    send()
    send()
    assert inbox.subjects("d@example.org")[before:] == [
        "Now adopted: Sharing agreement in Prairie Grove, IL"]


def test_a_backfill_finding_whose_status_moved_is_sent_once(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    site = SITE.model_copy(update={"notify": (_entry("all", mail_url(port, "d@example.org")),)})
    texas = seeded.finding_ids["texas_dps"]
    _set(seeded, texas, status="ended", status_changed=seeded.now)
    for _ in range(2):
        send_notifications(seeded.store, site, now=seeded.now, site_path="site.yaml",
                           reviews=seeded.reviews)
    assert sent_ids(inbox.to("d@example.org")).count(texas) == 1


def test_message_gives_place_agencies_status_date_and_link(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    site = SITE.model_copy(update={"notify": (
        _entry("agencies/hsi", mail_url(port, "d@example.org")),)})
    hsi = seeded.finding_ids["hsi_pilot"]
    _set(seeded, hsi, status="in_effect", event_start="2025-02", event_end="2025-05-31")
    send_notifications(seeded.store, site, now=seeded.now, site_path="site.yaml",
                       reviews=seeded.reviews)
    [sent] = inbox.to("d@example.org")
    body = sent.get_payload(decode=True).decode()
    assert (sent["Subject"], body.splitlines()[2:]) == (
        "Federal access in Lakeshore, IL (HSI)",
        ["Place: Lakeshore, IL", "Agencies: HSI (Homeland Security Investigations)",
         "Status: In effect", "When: Feb 2025 \u2013 May 31, 2025 (2025-02 to 2025-05-31)",
         "Review: confirmed by a reviewer", "",
         f"https://sidedoor.example.org/findings/{hsi}/"])


def test_an_unreachable_target_is_reported_and_the_build_succeeds(
        tmp_path, smtp, closed_port, caplog) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    dead = mail_url(closed_port, "gone@example.org")
    site_path = write_site(tmp_path, [("all", [dead, mail_url(port, "desk@example.org")])])
    with caplog.at_level(logging.WARNING, logger="reports.notify"):
        result = run_build(tmp_path, seeded, site_path)
    [line] = [r.getMessage() for r in caplog.records if r.name == "reports.notify"]
    with seeded.store.session() as s:
        recorded = s.scalar(select(func.count(Notification.id)).where(
            Notification.target == target_key("all", dead)))
    assert ((result.out / "index.html").is_file(), recorded,
            len(sent_ids(inbox.to("desk@example.org"))), line) == (
        True, 0, len(news_ids(seeded, False)),
        f"{site_path}: notify[0] (feed all, mailto://): Connection error while submitting "
        f"email to \"127.0.0.1\"; 7 findings not sent, tried again at the next build")


def test_an_unset_variable_fails_only_its_target_and_is_named(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    url = "mailto://127.0.0.1:${SMTP_PORT}?from=sidedoor@example.org&to=d@example.org"
    site = SITE.model_copy(update={"notify": (_entry("all", url),)})
    missing = send_notifications(seeded.store, site, now=seeded.now, site_path="site.yaml",
                                 reviews=seeded.reviews, environ={})
    filled = send_notifications(seeded.store, site, now=seeded.now, site_path="site.yaml",
                                reviews=seeded.reviews, environ={"SMTP_PORT": str(port)})
    assert (missing.problems, filled.sent, len(inbox.received)) == (
        ["site.yaml: notify[0] (feed all, mailto://): ${SMTP_PORT} is not set in the "
         "environment; 6 findings not sent, tried again at the next build"],
        len(news_ids(seeded)), 1)


def _entry(feed: str, url: str) -> Any:
    from config.notify import NotifyEntry

    return NotifyEntry(feed=feed, urls=(url,))


def _set(seeded: Seeded, finding_id: str, **values: Any) -> None:
    with seeded.store.session() as s:
        s.execute(update(Finding).where(Finding.id == finding_id).values(**values))


def test_a_fact_is_sent_to_the_feed_of_each_of_its_categories(tmp_path, smtp) -> None:
    inbox, port = smtp
    seeded = seeded_store(tmp_path)
    fbi = seeded.finding_ids["leads_fbi"]
    _set(seeded, fbi, categories=["sharing_agreement", "federal_access"])
    site = SITE.model_copy(update={"notify": (
        _entry("categories/federal-access", mail_url(port, "d@example.org")),)})
    send_notifications(seeded.store, site, now=seeded.now, site_path="site.yaml",
                       reviews=seeded.reviews)
    assert fbi in sent_ids(inbox.to("d@example.org"))
