"""Write a source list's CSV from a list of portal URLs (for maintainers).

    .venv/bin/python -m sidedoor.lists flock URLS.csv > config/lists/flock_portals.csv

``URLS.csv`` has the columns ``Agency Name,Transparency URL`` (the public list of Flock
transparency portals). Each row becomes ``id,name,place,state,url``: a stable source id from
the portal's slug, the agency's name, the place it serves (the name without its state code
and agency type: "Arlington Heights IL PD" serves Arlington Heights), its state from the
shared state resolver (config/states.py, then the slug's ``-il-`` code), and the URL. The
output is meant to be reviewed and corrected by hand like any config file; re-running it
keeps ids stable. See README, "Source lists".
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from config.states import default_resolver, state_of

COLUMNS = ("id", "name", "place", "state", "url")
_AGENCY_WORDS = re.compile(
    r"\b(?:PD|SO|SD|DPS|DA|CSO|Police(?: Department| Dept\.?)?|Sheriff'?s?(?: Office| Dept\.?)?"
    r"|Department|Dept\.?|Public Safety|Marshals?(?: Office)?|Constables?(?: Office)?)\b\.?",
    re.IGNORECASE)


def source_id(prefix: str, url: str) -> str:
    """``<prefix>_<slug>`` in snake case ("flock_arlington_heights_il_pd")."""
    slug = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]).lower()
    words = re.findall(r"[a-z0-9]+", slug)
    return "_".join([prefix, *words]) if words else prefix + "_unnamed"


def place_of(name: str, state: str | None) -> str:
    """The place an agency serves, as readers name it ("Adams County IL SO" → Adams County)."""
    place = _AGENCY_WORDS.sub(" ", name)
    if state:
        place = re.sub(rf"(?:^|(?<=[\s(-])){state}(?=$|[\s)-])", " ", place)
    place = re.sub(r"[()]", " ", place)
    return " ".join(place.replace(" - ", " ").split()).strip(" -,") or name


def slug_state(url: str) -> str | None:
    """The state code written in a portal's slug ("addison-il-pd" → IL), when there is one."""
    known = default_resolver().codes
    codes = [w.upper() for w in re.split(r"[^a-z]+", url.rsplit("/", 1)[-1].lower())
             if len(w) == 2 and w.upper() in known]
    return codes[0] if len(codes) == 1 else None


def rows(entries: Iterable[tuple[str, str]], prefix: str) -> Iterator[dict[str, str]]:
    """One list row per (agency name, URL), ids made unique in order of appearance."""
    seen: dict[str, int] = {}
    for name, url in entries:
        name, url = " ".join(name.split()), url.strip()
        if not url.startswith(("http://", "https://")):
            continue
        state = state_of(name) or slug_state(url) or ""
        base = source_id(prefix, url)
        seen[base] = seen.get(base, 0) + 1
        ident = base if seen[base] == 1 else f"{base}_{seen[base]}"
        yield {"id": ident, "name": name, "place": place_of(name, state or None),
               "state": state, "url": url}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "flock":
        print(__doc__, file=sys.stderr)
        return 2
    with Path(argv[2]).open(encoding="utf-8", newline="") as handle:
        entries = [(r["Agency Name"], r["Transparency URL"]) for r in csv.DictReader(handle)]
    out = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    out.writeheader()
    out.writerows(rows(entries, "flock"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
