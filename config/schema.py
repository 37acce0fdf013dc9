"""Load and validate sidedoor's configuration files.

Only this module reads ``config/sources.yaml`` and ``config/site.yaml``. Every problem is
collected and reported together, each naming the file, the source id and the field, with
what is allowed (see README, "Configuration").
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from config.cron import cron_trigger, crontab_weekdays
from config.errors import ConfigError
from config.limits import Limits
from config.notify import NotifyEntry
from config.platforms import platforms
from config.problems import validation_problems
from config.yamlfile import read_yaml

# Names other modules import from here.
__all__ = ["CONFIG_DIR", "SITE_PATH", "SOURCES_PATH", "ConfigError", "Kind", "SiteConfig",
           "SourceConfig", "cron_trigger", "crontab_weekdays", "data_dir", "db_url",
           "load_site", "load_sources", "parse_sources", "platforms", "public_dir"]

CONFIG_DIR = Path(__file__).resolve().parent
SOURCES_PATH = CONFIG_DIR / "sources.yaml"
SITE_PATH = CONFIG_DIR / "site.yaml"
SOURCE_ID = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")  # whole ids only: fullmatch
_HTTP_URL = TypeAdapter(HttpUrl)


class Kind(StrEnum):
    """What kind of documents a source publishes."""

    MINUTES = "minutes"
    AUDIT = "audit"
    PORTAL = "portal"
    RECORDS = "records"
    NEWS = "news"


class SourceConfig(BaseModel):
    """One entry of ``config/sources.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    place: str
    state: str = "IL"
    kind: Kind
    platform: str
    start_urls: tuple[str, ...]
    schedule: str = "0 6 * * *"
    enabled: bool = True
    render_js: bool = False
    # document_index: regexes on a link's absolute URL or its text
    documents: tuple[str, ...] = ()
    follow: tuple[str, ...] = ()
    depth: int = Field(default=0, ge=0, le=2)
    include_start: bool = False
    # False until a live run has reached the source (lists ship unverified: config/lists.py)
    verified: bool = True
    list_id: str | None = None  # the source list (``lists:``) this source comes from

    @field_validator("id")
    @classmethod
    def _id_is_snake_case(cls, value: str) -> str:
        if not SOURCE_ID.fullmatch(value):
            raise ValueError(
                f"expected <jurisdiction>_<body> in snake_case like 'springfield_city_council', "
                f"got {value!r}"
            )
        return value

    @field_validator("platform")
    @classmethod
    def _platform_has_a_spider(cls, value: str) -> str:
        known = platforms()
        if value not in known:
            names = ", ".join(repr(k) for k in known)
            raise ValueError(f"expected one of {names} (a module in spiders/), got {value!r}")
        return value

    @field_validator("state")
    @classmethod
    def _state_is_two_letters(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(f"expected a two-letter state code like 'IL', got {value!r}")
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule_is_cron_or_interval(cls, value: str) -> str:
        if re.fullmatch(r"every \d+ (minutes|hours|days)", value):
            return value
        if len(value.split()) == 5:
            try:  # the scheduler's own trigger, so what passes here also schedules
                cron_trigger(value)
                return value
            except ValueError as exc:
                raise ValueError(f"expected a cron expression like '0 6 * * 1-5', got "
                                 f"{value!r} ({exc})") from None
        raise ValueError(
            f"expected a cron expression like '0 6 * * 1-5' or an interval like "
            f"'every 6 hours', got {value!r}"
        )

    @field_validator("start_urls")
    @classmethod
    def _urls_are_http_or_local_audit_logs(
        cls, value: tuple[str, ...], info: ValidationInfo
    ) -> tuple[str, ...]:
        if not value:
            raise ValueError("expected at least one http(s) URL")
        local_ok = info.data.get("platform") == "audit_log"
        urls = []
        for url in value:
            if local_ok and url.startswith("file:///"):
                urls.append(url)
                continue
            try:
                urls.append(str(_HTTP_URL.validate_python(url)))
            except ValidationError as exc:
                allowed = "an http(s) URL or a file:/// path" if local_ok else "an http(s) URL"
                raise ValueError(f"expected {allowed}, got {url!r} "
                                 f"({exc.errors()[0]['msg']})") from None
        return tuple(urls)

    @field_validator("documents", "follow")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
        return value

    @property
    def urls(self) -> list[str]:
        """Start URLs as plain strings."""
        return list(self.start_urls)


class SiteConfig(BaseModel):
    """``config/site.yaml``: how the published site describes itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    base_url: HttpUrl
    description: str
    language: str = "en"
    author: str = "sidedoor"
    # where readers send corrections and tips: a mailto: or https: address (the cite page)
    contact: str | None = Field(default=None, pattern=r"^(mailto:|https://)\S+$")
    broken_after: int = Field(default=3, ge=1)
    limits: Limits = Limits()
    # feeds whose new findings are pushed by email, Matrix, Slack, ... (config/notify.py)
    notify: tuple[NotifyEntry, ...] = ()


def parse_sources(data: Any, path: Path) -> dict[str, SourceConfig]:
    """Validate the parsed YAML of a sources file; raise ConfigError listing every problem."""
    if data is None:
        data = {"sources": {}}
    if not isinstance(data, Mapping) or not isinstance(data.get("sources", {}), Mapping) \
            or not ("sources" in data or "lists" in data):
        raise ConfigError(f"{path}: expected a top-level 'sources:' mapping of source id → entry")
    if not isinstance(data.get("lists", {}), Mapping):
        raise ConfigError(f"{path}: expected 'lists:' to map a list id to its entry")
    unknown = set(data) - {"sources", "lists"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level keys {sorted(unknown)}; expected "
                          "'sources:' and 'lists:'")
    problems: list[str] = []
    sources: dict[str, SourceConfig] = {}
    for source_id, entry in (data.get("sources") or {}).items():
        if not isinstance(entry, Mapping):
            problems.append(f"{path}: sources.{source_id}: expected a mapping of keys")
            continue
        try:
            sources[str(source_id)] = SourceConfig.model_validate({"id": source_id, **entry})
        except ValidationError as exc:
            problems.extend(validation_problems(path, exc, prefix=f"sources.{source_id}"))
    if data.get("lists"):
        from config.lists import expand_lists

        listed, list_problems = expand_lists(data["lists"], path, sources)
        sources.update(listed)
        problems.extend(list_problems)
    if problems:
        raise ConfigError("\n".join(problems))
    return sources


def load_sources(
    path: Path = SOURCES_PATH, substitutions: Mapping[str, str] | None = None
) -> dict[str, SourceConfig]:
    """Read and validate a sources file; ``substitutions`` fills ``{name}`` placeholders."""
    text_data = read_yaml(path)
    if substitutions:
        text_data = _substitute(text_data, substitutions)
    return parse_sources(text_data, path)


def _substitute(value: Any, names: Mapping[str, str]) -> Any:  # Any: walks raw YAML
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: names.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_substitute(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, names) for k, v in value.items()}
    return value


def load_site(path: Path = SITE_PATH) -> SiteConfig:
    """Read and validate ``config/site.yaml``."""
    data = read_yaml(path)
    try:
        return SiteConfig.model_validate(data or {})
    except ValidationError as exc:
        raise ConfigError("\n".join(validation_problems(path, exc))) from exc


def db_url(default: str) -> str:
    """The store URL: ``SIDEDOOR_DB_URL`` if set, else ``default``."""
    return os.environ.get("SIDEDOOR_DB_URL") or default


def public_dir(default: Path) -> Path:
    """Where the site is published: ``SIDEDOOR_PUBLIC_DIR`` if set, else ``default``."""
    value = os.environ.get("SIDEDOOR_PUBLIC_DIR")
    return Path(value) if value else default


def data_dir(default: Path) -> Path:
    """The data folder (archive, SQLite): ``SIDEDOOR_DATA_DIR`` if set, else ``default``."""
    value = os.environ.get("SIDEDOOR_DATA_DIR")
    return Path(value) if value else default
