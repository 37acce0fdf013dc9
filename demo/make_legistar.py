"""Write the demo Legistar site: a fictional county's Web API answers and its front page.

``demo/sites/legistar_county/`` stands in for both ``webapi.legistar.com/v1/ridgemoor-county``
and the county's Legislative Research Center. This module holds its meetings and matters and
writes, deterministically::

    v1/ridgemoor-county/events.json     the answer of GET /v1/<client>/events
    v1/ridgemoor-county/matters.json    the answer of GET /v1/<client>/matters
    v1/ridgemoor-county/matters/<id>    the answer of GET /v1/<client>/matters/<id>
    index.html                          the front page: meetings and legislation, linked

A static host ignores the query string, so the spider's ``$filter`` is answered with every
record. File URLs are site-relative (the real API gives absolute ones on another host) because
the demo's port is chosen at run time. The agenda and minutes PDFs come from
``demo/documents/legistar_county/`` through ``python -m demo.make_pdfs``. Run this again after
editing the records below::

    .venv/bin/python -m demo.make_legistar

Ridgemoor County, Alder Falls and every person named are fictional.
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path
from typing import Any

from demo import make_pdfs

SITE = Path(__file__).resolve().parent / "sites" / "legistar_county"
CLIENT = "ridgemoor-county"
BODIES = {"Board of Commissioners": 138, "Finance Committee": 141,
          "Public Safety and Judiciary Committee": 146, "Zoning Board of Appeals": 152}
ROOM = "Ridgemoor County Administration Building, 300 West Main Street, Alder Falls, Illinois"

# (id, body, day, time, room, agenda and minutes file stems or None, published stamp)
MEETINGS = [
    (1192, "Finance Committee", "2025-11-04", "9:00 AM", "Committee Room A", None, None),
    (1187, "Board of Commissioners", "2025-10-14", "10:00 AM", "Board Room",
     "2025-10-14-board-of-commissioners", "2025-10-29T15:12:40"),
    (1179, "Public Safety and Judiciary Committee", "2025-09-23", "9:30 AM", "Committee Room B",
     "2025-09-23-public-safety-committee", "2025-10-29T15:06:02"),
]
# (id, file, type, status, body, title, introduced, passed, last modified)
MATTERS = [
    (2417, "25-R-41", "Resolution", "Adopted", "Board of Commissioners",
     "Resolution approving an intergovernmental agreement with U.S. Border Patrol for license "
     "plate reader data access", "2025-09-16", "2025-10-14", "2025-10-15T14:02:11.37"),
    (2409, "25-R-37", "Resolution", "Adopted", "Board of Commissioners",
     "Resolution affirming that the Sheriff's Office does not share license plate reader data "
     "with federal immigration authorities", "2025-09-09", "2025-10-14", "2025-10-15T13:58:40.5"),
    (2415, "25-O-09", "Ordinance", "Referred", "Zoning Board of Appeals",
     "Ordinance amending the zoning map for 1400 North Orchard Road", "2025-10-14", None,
     "2025-10-14T16:20:05.1"),
    (2412, "25-C-112", "Contract", "Approved", "Board of Commissioners",
     "Contract with Prairie Salt Supply for 2025-2026 road salt", "2025-09-30", "2025-10-14",
     "2025-10-15T13:57:12.83"),
]


def events() -> list[dict[str, Any]]:  # Any: JSON
    """The event records, in the Web API's field names."""
    records = []
    for event_id, body, day, time, room, stem, published in MEETINGS:
        pdf = f"/meetings/{stem}-%s.pdf" if stem else None
        records.append({
            "EventId": event_id, "EventGuid": f"5E1D0C4A-0000-4000-8000-00000000{event_id}",
            "EventLastModifiedUtc": published or f"{day}T08:00:00", "EventBodyId": BODIES[body],
            "EventBodyName": body, "EventDate": f"{day}T00:00:00", "EventTime": time,
            "EventAgendaStatusName": "Final" if stem else "Draft",
            "EventMinutesStatusName": "Final" if stem else "Draft",
            "EventLocation": f"{room}, {ROOM}",
            "EventAgendaFile": pdf % "agenda" if pdf else None,
            "EventMinutesFile": pdf % "minutes" if pdf else None,
            "EventAgendaLastPublishedUTC": published, "EventMinutesLastPublishedUTC": published,
            "EventComment": None, "EventVideoPath": None,
            "EventInSiteURL": f"/index.html#event-{event_id}", "EventItems": [],
        })
    return records


def matters() -> list[dict[str, Any]]:  # Any: JSON
    """The matter records, in the Web API's field names."""
    return [{
        "MatterId": matter_id, "MatterGuid": f"9A7B3E21-0000-4000-8000-00000000{matter_id}",
        "MatterLastModifiedUtc": modified, "MatterFile": file, "MatterName": None,
        "MatterTitle": title, "MatterTypeName": kind, "MatterStatusName": status,
        "MatterBodyName": body, "MatterIntroDate": f"{intro}T00:00:00",
        "MatterAgendaDate": f"{passed or intro}T00:00:00",
        "MatterPassedDate": f"{passed}T00:00:00" if passed else None,
        "MatterEnactmentNumber": file if passed else None, "MatterVersion": "1",
    } for matter_id, file, kind, status, body, title, intro, passed, modified in MATTERS]


def index_html() -> str:
    """The county's front page: every meeting with its files, and every matter."""
    rows = []
    for event in events():
        files = [f'<a href="{escape(event[key])}">{label}</a>' if event[key] else
                 "Not&nbsp;available" for key, label in
                 (("EventAgendaFile", "Agenda"), ("EventMinutesFile", "Minutes"))]
        rows.append(f'<tr id="event-{event["EventId"]}"><td>{escape(event["EventBodyName"])}</td>'
                    f'<td>{event["EventDate"][:10]}</td><td>{event["EventTime"]}</td>'
                    f'<td>{escape(event["EventLocation"])}</td><td>{files[0]}</td>'
                    f"<td>{files[1]}</td></tr>")
    items = [f'<tr><td>{m["MatterFile"]}</td><td>{m["MatterTypeName"]}</td>'
             f'<td>{escape(m["MatterTitle"])}</td><td>{m["MatterStatusName"]}</td></tr>'
             for m in matters()]
    return PAGE.format(meetings="\n".join(rows), matters="\n".join(items))


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ridgemoor County - Legislative Research Center</title>
</head>
<body>
<p>Fictional site written for the sidedoor demo. Ridgemoor County and its officials are invented.
Written by demo/make_legistar.py.</p>
<h1>Ridgemoor County, Illinois: Legislative Research Center</h1>
<h2>Meetings</h2>
<table>
<thead><tr><th>Name</th><th>Meeting Date</th><th>Meeting Time</th><th>Meeting Location</th>
<th>Agenda</th><th>Minutes</th></tr></thead>
<tbody>
{meetings}
</tbody>
</table>
<h2>Legislation</h2>
<table>
<thead><tr><th>File #</th><th>Type</th><th>Title</th><th>Status</th></tr></thead>
<tbody>
{matters}
</tbody>
</table>
</body>
</html>
"""


def _json(value: Any) -> str:  # Any: JSON
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def main(out: Path = SITE) -> list[Path]:
    """Write the API answers and the front page under ``out``; return their paths."""
    sources = {p.as_posix() for p in make_pdfs.sources()}
    for event in events():
        for key in ("EventAgendaFile", "EventMinutesFile"):
            if event[key] and f"legistar_county{event[key]}" not in sources:
                raise ValueError(f"event {event['EventId']}: {event[key]} has no text source "
                                 f"in demo/documents/legistar_county/")
    api = out / "v1" / CLIENT
    files = {api / "events.json": _json(events()), api / "matters.json": _json(matters()),
             out / "index.html": index_html()}
    files.update({api / "matters" / str(m["MatterId"]): _json(m) for m in matters()})
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(files)


if __name__ == "__main__":
    for written in main(Path(sys.argv[1]) if len(sys.argv) > 1 else SITE):
        print(written)
