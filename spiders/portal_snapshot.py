"""The structured snapshot of a vendor transparency portal, and how an organisation's name is read.

``spiders/flock_portal.py`` and ``spiders/audit_log.py`` build these records;
``pipelines/portal.py`` renders them as text and turns them into findings. An organisation is
read from its name as the portal lists it: tags in brackets ("[Federal]", "[Inactive]"), its
state (``config/states.py``: "Los Angeles County CA SD" is in California), and whether the
body is federal — tagged or
recognised by name ("U.S. Border Patrol" has no tag), without look-alikes such as
"Federal Way WA PD", "Tombstone Marshals Office" or "Alabama Drug Enforcement Task Force".
:func:`split_org_list` cuts a comma-separated list of names.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from config.states import default_resolver
from config.vocabulary import vocabulary

_TAG = re.compile(
    r"\[([^\]]+)\]|\((Dead/Old|Inactive|Deactivated|Decommissioned|turned off)\)", re.IGNORECASE
)
_ORG_WORD = re.compile(
    r"\b(PD|SO|DA|DPS|Police|Sheriff|Department|Dept|Office|Patrol|Task ?Force|Agency|Bureau"
    r"|Division|College|University|Marshals?|Service|Authority|Center|Unit)\b",
    re.I,
)
# Federal bodies without a short name in our agency list.
_OTHER_FEDERAL = re.compile(
    r"^(U\.?S\.?|United States)(?!\w)(?!\s+(Highway|Route)\b)|Secret Service"
    r"|National Park\b|National Recreation Area|Air Force Base|\bAFB\b|\bNaval\b|Coast Guard"
    r"|\bU\.?S\.? Army\b|(?<!Department of )Veterans Affairs"
    r"|^VA (?i:police|medical)"
    r"|Tennessee Valley Authority|Bureau of Indian Affairs|Bureau of Land Management"
    r"|Federal Protective Service|Pentagon Force Protection"
)


@dataclass
class Organization:
    """An organisation listed on a portal, e.g. among those granted access to its data."""

    name: str  # without tags, whitespace collapsed
    listed: str  # as the portal lists it, whitespace collapsed: "[Federal] US Postal ..."
    state: str | None = None
    tags: list[str] = field(default_factory=list)
    federal: bool = False
    agencies: list[str] = field(default_factory=list)  # short names: ["FBI"], ["USBP"]

    @classmethod
    def from_listing(cls, text: str) -> Organization:
        """Read one entry of a portal's organisation list."""
        listed = " ".join(text.split())
        tags = [m.group(1) or m.group(2) for m in _TAG.finditer(listed)]
        name = " ".join(_TAG.sub(" ", listed).split())
        agencies = federal_agencies(name)
        federal = any(t.casefold() == "federal" for t in tags) or bool(agencies) or bool(
            _OTHER_FEDERAL.search(name)
        )
        return cls(name, listed, state_of(name), tags, federal, agencies)


@dataclass
class AuditRow:
    """One logged search, from a portal's search audit or an agency's audit export."""

    id: str
    user_id: str
    search_date: str
    network_count: int | None
    reason: str  # the free-text reason, or the offense type(s) of newer exports
    organization: str = ""  # the searching agency ("Org Name" in network audits)
    case_number: str = ""
    row: int | None = None  # its row in the file as a spreadsheet numbers it (header: row 1)


@dataclass
class PortalSnapshot:
    """What one transparency portal (or one audit export) said when it was fetched."""

    agency: str
    url: str
    state: str | None = None
    layout: str = ""  # "headings" (2025-26 server-rendered) or "data-tp" (2026 attributes)
    last_updated: str | None = None
    data_retention_days: int | None = None
    camera_count: int | None = None
    plate_reads_30d: int | None = None
    hotlist_hits_30d: int | None = None
    searches_30d: int | None = None
    detected: str = ""
    hotlists: list[str] = field(default_factory=list)
    organizations_with_access: list[Organization] = field(default_factory=list)
    organizations_sharing_in: list[Organization] = field(default_factory=list)
    policies: str = ""  # "Label: text" lines
    search_audit: list[AuditRow] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:  # Any: JSON going out
        """The snapshot as JSON-ready data (``sidedoor inspect --json``, stored snapshots)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PortalSnapshot:  # Any: JSON coming in
        """The inverse of :meth:`to_json`."""
        values = dict(data)
        for key in ("organizations_with_access", "organizations_sharing_in"):
            values[key] = [Organization(**o) for o in values.get(key, [])]
        values["search_audit"] = [AuditRow(**r) for r in values.get("search_audit", [])]
        return cls(**values)


def state_of(name: str) -> str | None:
    """The state an organisation's name places it in ("Arlington PD (WA)" → WA,
    "Los Angeles County CA SD" → CA), by the resolver of config/states.py."""
    return default_resolver().state_of(name)


def federal_agencies(name: str) -> list[str]:
    """Short names of the federal agencies a name refers to ("U.S. Border Patrol" → USBP),
    by the names of config/patterns.yaml (config/vocabulary.py)."""
    return list(vocabulary().agencies_in(name))


def split_org_list(text: str) -> list[str]:
    """Organisation names from one comma-separated string, keeping "University of California,
    Berkeley" whole: a state's institution ("... of <State>") followed by a short piece with no
    state and no agency word is one name, its campus; "... Nation of Santa Ysabel, Cal Fire"
    are two."""
    names: list[str] = []
    for piece in text.split(","):
        piece = " ".join(piece.split())
        if not piece:
            continue
        if names and _continues(names[-1], piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return names


def _continues(previous: str, piece: str) -> bool:
    return (
        default_resolver().ends_with_state(previous)
        and state_of(piece) is None
        and not _ORG_WORD.search(piece)
        and len(piece.split()) <= 2
    )
