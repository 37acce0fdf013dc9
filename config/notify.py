"""Notifications: ``notify:`` in ``config/site.yaml`` (see README, "Configuration").

Each entry names one of the site's feeds (``all``, ``places/<slug>``, ``agencies/<slug>``,
``categories/<slug>``: the path of its page on the site) and one or more Apprise URLs
(email, Matrix, Slack, ...). A URL may hold ``${NAME}``, read from the environment when the
message is sent, so secrets stay out of the file; an unset name fails that target's sends,
not the build. ``reports/notify.py`` sends each new finding of the feed once per URL.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

FEED = re.compile(r"all|(places|agencies|categories)/[a-z0-9]+(-[a-z0-9]+)*")
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*)://\S+")


class MissingVariable(Exception):
    """A notification URL names an environment variable that is not set."""


def check_url(url: str) -> str:
    """``url`` if it is an Apprise URL (its ``${NAME}``s aside), else ValueError; the message
    shows the URL's scheme only, never the rest, which may hold a secret."""
    match = _SCHEME.fullmatch(url)
    if match is None:
        raise ValueError("expected an Apprise URL like 'mailtos://user:${SMTP_PASSWORD}@host' "
                         "(scheme://...; see Apprise's list of services)")
    if "$" in PLACEHOLDER.sub("", url):
        raise ValueError(f"a {match.group(1)}:// URL has a '$' that is not a ${{NAME}} "
                         "placeholder; write environment variables as ${NAME}")
    from apprise import Apprise
    from apprise.manager_plugins import NotificationManager

    if match.group(1) not in NotificationManager():
        raise ValueError(f"Apprise has no service with the scheme {match.group(1)}://")
    if not PLACEHOLDER.search(url) and Apprise.instantiate(url) is None:
        raise ValueError(f"Apprise cannot read this {match.group(1)}:// URL; see its page "
                         "for that service for the URL's form")
    return url


AppriseUrl = Annotated[str, AfterValidator(check_url)]


class NotifyEntry(BaseModel):
    """One entry of ``notify:``: a feed and the Apprise URLs its new findings go to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feed: str  # "all", or a feed's page path on the site: "agencies/ice", "places/maplewood-il"
    urls: tuple[AppriseUrl, ...]

    @field_validator("feed")
    @classmethod
    def _feed_is_a_site_path(cls, value: str) -> str:
        feed = value.strip("/").removeprefix("feeds/")
        if not FEED.fullmatch(feed):
            raise ValueError(
                "expected 'all' or a feed's page path on the site like 'places/maplewood-il', "
                f"'agencies/ice' or 'categories/federal-access', got {value!r}")
        return feed

    @field_validator("urls", mode="before")
    @classmethod
    def _one_url_is_a_list_of_one(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("urls")
    @classmethod
    def _at_least_one_url(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("expected at least one Apprise URL like "
                             "'mailtos://${SMTP_USER}:${SMTP_PASSWORD}@smtp.example.org'")
        return value


def expand(url: str, environ: Mapping[str, str] | None = None) -> str:
    """``url`` with each ``${NAME}`` replaced by that environment variable; MissingVariable
    names the first one that is unset or empty."""
    names = os.environ if environ is None else environ

    def value(match: re.Match[str]) -> str:
        found = names.get(match.group(1))
        if not found:
            raise MissingVariable(f"${{{match.group(1)}}} is not set in the environment")
        return found

    return PLACEHOLDER.sub(value, url)


def target_key(feed: str, url: str) -> str:
    """The store's name of one URL of an entry: a digest of the feed and the URL as written
    (placeholders unexpanded), so a secret is never stored and a changed secret is the same
    target."""
    return hashlib.sha256(f"{feed}\n{url}".encode()).hexdigest()[:32]


def scheme(url: str) -> str:
    """The service of a URL as written: ``mailtos``."""
    return urlsplit(url).scheme
