"""Crawl speed against the tool a user would pick instead: civic-scraper, on CivicPlus sites.

Generates a world of CivicPlus AgendaCenter sites (an AgendaCenter search listing with one
row per meeting, each linking an agenda and minutes PDF at ``/AgendaCenter/ViewFile/...``
without a suffix, as real ones are) and serves each site on its own loopback address
(127.0.x.y, one port) with 20-50 ms of latency, so that per-domain politeness applies per
site as it would on the internet. Then, in one run:

- civic-scraper (PyPI, installed in its own venv ``bench/civic-venv``, not a dependency of
  sidedoor) scrapes every site with its CivicPlus ``Site(url).scrape(download=True)``, one
  site after another, as its ``civic-scraper scrape --download`` command does;
- sidedoor crawls every site as a ``civicplus`` source with its configured politeness
  (config/settings.py: robots.txt, AutoThrottle, DOWNLOAD_DELAY, 2 requests per domain),
  archiving, reading and storing every PDF and extracting findings.

Both are timed from the end of their start-up: civic-scraper's driver starts its clock after
its imports, and sidedoor's crawl is run by a standby crawl child (sidedoor/standby.py) that
was started, and had imported everything, before the clock started.

civic-scraper takes any base URL, so it is pointed at the local world as it is. Without
network access to PyPI for its venv, the peer falls back to a sequential requests +
BeautifulSoup downloader (``"peer": "requests+bs4"``). Prints one JSON line:
{"bench": "crawl_vs_civic_scraper", "sidedoor_docs_per_s": x, "peer_docs_per_s": x,
 "ratio": x, "sidedoor_peak_rss_mb": x, ...}; the peak RSS is that of sidedoor's processes
together (the crawl process, its reading workers, and the standby child that
sidedoor/runner.py starts for a next crawl), sampled every 0.2 s.
Quick size: 200 sites x 6 documents (1,200 PDFs); BENCH_FULL=1: 200 sites x 20 (4,000). Both
have 200 sites because a site's politeness (1 s between its requests) sets a floor under
sidedoor's time that depends on the documents per site, while civic-scraper, one request
after another, takes time in proportion to all the requests: with few sites the ratio says
how many sites there are, not how fast either tool is.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import LETTER  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from bench.rss import TreeRss  # noqa: E402
from config.schema import parse_sources  # noqa: E402
from demo.server import DemoWorld, QuietFileHandler  # noqa: E402
from sidedoor.runner import Paths, crawl  # noqa: E402
from sidedoor.standby import standby_ready, start_standby  # noqa: E402

# quick sizes unless BENCH_FULL=1 (make bench also sets BENCH_QUICK=1, as for the others)
QUICK = os.environ.get("BENCH_FULL") != "1"
SITES = 200
MEETINGS = 3 if QUICK else 10  # each has an agenda and minutes: two documents
STANDBY_WAIT = 120.0  # seconds at most for sidedoor's crawl child to start up, untimed
CIVIC_VENV = ROOT / "bench" / "civic-venv"
CIVIC_VERSION = "1.1.0"
TODAY = datetime.now(UTC).date()
WORDS = ["board", "trustees", "motion", "seconded", "approved", "budget", "street", "resurfacing",
         "water", "main", "ordinance", "hearing", "resident", "comment", "police", "fire",
         "library", "park", "clerk"]

# Run inside civic-scraper's venv: scrape each site in turn, as its CLI does.
CIVIC_DRIVER = """
import json, sys, time
from civic_scraper.base.cache import Cache
from civic_scraper.platforms import CivicPlusSite
job = json.load(open(sys.argv[1]))
started, count = time.perf_counter(), 0
for n, url in enumerate(job["urls"]):
    site = CivicPlusSite(url, cache=Cache(f"{job['out']}/{n}"))
    assets = site.scrape(start_date=job["start"], end_date=job["end"], download=True)
    count += len(assets)
print(json.dumps({"documents": count, "seconds": time.perf_counter() - started}))
"""

# The fallback peer: a sequential requests + BeautifulSoup downloader, run in sidedoor's venv.
PLAIN_DRIVER = """
import json, sys, time
from pathlib import Path
from urllib.parse import urljoin
import requests
from bs4 import BeautifulSoup
job = json.load(open(sys.argv[1]))
session, started, count = requests.Session(), time.perf_counter(), 0
for n, url in enumerate(job["urls"]):
    listing = session.get(url.rstrip("/") + "/Search/", timeout=60)
    soup = BeautifulSoup(listing.text, "html.parser")
    links = {urljoin(listing.url, a["href"]) for a in soup.select("tr.catAgendaRow a[href]")
             if "/AgendaCenter/ViewFile/" in a["href"] and "html=true" not in a["href"]}
    for m, link in enumerate(sorted(links)):
        body = session.get(link, timeout=60).content
        Path(f"{job['out']}/{n}-{m}.pdf").write_bytes(body)
        count += 1
print(json.dumps({"documents": count, "seconds": time.perf_counter() - started}))
"""


def minutes_pdf(site: int, meeting: int, kind: str, rng: random.Random) -> bytes:
    out = BytesIO()
    canvas = Canvas(out, pagesize=LETTER, invariant=1)
    for page in range(2):
        canvas.setFont("Helvetica", 10)
        canvas.drawString(72, 740, f"Town {site} {kind}, meeting {meeting}, page {page + 1}")
        for line in range(40):
            words = " ".join(rng.choice(WORDS) for _ in range(12))
            canvas.drawString(72, 716 - line * 15, words.capitalize() + ".")
        if (site + meeting) % 7 == 3 and page == 1:
            canvas.drawString(72, 100, "The Chief reported that U.S. Customs and Border "
                              "Protection had access to the town's camera data.")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def meeting_row(file_id: str, day: date) -> str:
    agenda, minutes = (f"/AgendaCenter/ViewFile/{k}/{file_id}" for k in ("Agenda", "Minutes"))
    return (f'<tr class="catAgendaRow"><td><h3><a name="{file_id}"></a>'
            f"<strong>{day:%b} {day.day}, {day.year}</strong></h3>"
            f'<p><a href="{agenda}?html=true" target="_blank">Regular Meeting</a></p></td>'
            f'<td class="minutes"><a href="{minutes}">Minutes</a></td>'
            f'<td class="downloads"><ol><li><a class="pdf" href="{agenda}">Agenda</a></li>'
            "</ol></td></tr>")


def write_site(folder: Path, site: int, rng: random.Random) -> int:
    """One AgendaCenter with MEETINGS meetings of one board; returns its document count."""
    rows = []
    for meeting in range(MEETINGS):
        day = TODAY - timedelta(days=7 * (meeting + 1))
        file_id = f"_{day:%m%d%Y}-{site * 100 + meeting}"
        for kind in ("Agenda", "Minutes"):
            target = folder / "AgendaCenter" / "ViewFile" / kind / file_id
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(minutes_pdf(site, meeting, kind, rng))
        rows.append(meeting_row(file_id, day))
    search = folder / "AgendaCenter" / "Search" / "index.html"
    search.parent.mkdir(parents=True, exist_ok=True)
    search.write_text(
        '<html><body><div id="AgendaCenterContent"><div class="listing">'
        f'<div class="category" id="cat{site}"><h2>Village Board {site}</h2>'
        f'<table><tbody>{"".join(rows)}</tbody></table></div></div></div></body></html>',
        encoding="utf-8")
    return 2 * MEETINGS


def civic_python() -> Path | None:
    """civic-scraper's venv, made with pip on first use; None when it cannot be installed."""
    python = CIVIC_VENV / "bin" / "python"
    if not python.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(CIVIC_VENV)],
                              capture_output=True)
        if made.returncode == 0:
            subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                            f"civic-scraper=={CIVIC_VERSION}"], capture_output=True,
                           timeout=600)
    check = subprocess.run([str(python), "-c", "import civic_scraper"], capture_output=True) \
        if python.exists() else None
    return python if check is not None and check.returncode == 0 else None


def run_peer(urls: list[str], out: Path) -> dict[str, object]:
    python = civic_python()
    driver, peer = (CIVIC_DRIVER, f"civic-scraper {CIVIC_VERSION}") if python else (
        PLAIN_DRIVER, "requests+bs4")
    (out / "driver.py").write_text(driver, encoding="utf-8")
    (out / "job.json").write_text(json.dumps({
        "urls": urls, "out": str(out), "start": f"{TODAY - timedelta(days=120):%Y-%m-%d}",
        "end": f"{TODAY + timedelta(days=30):%Y-%m-%d}"}), encoding="utf-8")
    done = subprocess.run([str(python or sys.executable), str(out / "driver.py"),
                           str(out / "job.json")], capture_output=True, text=True, timeout=7200)
    if done.returncode != 0:
        raise SystemExit(f"{peer} failed: {done.stderr[-3000:]}")
    return {"peer": peer, **json.loads(done.stdout.strip().splitlines()[-1])}


def run_sidedoor(hosts: list[str], base: Path) -> dict[str, object]:
    entries = {f"bench_town_{n}": {
        "name": f"Town {n} boards", "place": f"Town {n}", "state": "IL", "kind": "minutes",
        "platform": "civicplus", "start_urls": [f"http://{host}/AgendaCenter"]}
        for n, host in enumerate(hosts)}
    sources = list(parse_sources({"sources": entries}, Path("bench")).values())
    paths = Paths(data_dir=base / "data", db_url=f"sqlite:///{base / 'data' / 's.sqlite'}",
                  public_dir=base / "public")
    with TreeRss() as meter:
        starting = time.perf_counter()
        start_standby(paths.db_url)
        standby_ready(STANDBY_WAIT)
        started = time.perf_counter()
        _, rows = crawl(sources, paths, command="bench", settings={"LOG_LEVEL": "WARNING"})
        seconds = time.perf_counter() - started
    return {"documents": sum(r.documents_new for r in rows), "seconds": seconds,
            "startup_seconds": started - starting,
            "errors": sum(r.errors for r in rows), "findings": sum(r.findings_new for r in rows),
            "peak_rss_mb": meter.peak_mb,
            "error_samples": sorted({m for r in rows for m in r.error_messages})[:3]}


def main() -> None:
    rng = random.Random(16)
    # the ViewFile paths have no suffix: serve them as the PDFs they are, as CivicPlus does
    QuietFileHandler.extensions_map = {**QuietFileHandler.extensions_map, "": "application/pdf"}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as worlds:
        base = Path(tmp)
        documents = 0
        hosts = []
        for n in range(SITES):
            documents += write_site(base / "sites" / str(n) / f"town{n}", n, rng)
            world = worlds.enter_context(DemoWorld(
                base / "sites" / str(n), host=f"127.0.{1 + n // 250}.{1 + n % 250}",
                latency=rng.uniform(0.02, 0.05), first_port=None))
            hosts.append(world.hosts[f"town{n}"])
        (base / "peer").mkdir()
        peer = run_peer([f"http://{h}/AgendaCenter" for h in hosts], base / "peer")
        ours = run_sidedoor(hosts, base)
    ours_rate = float(ours["documents"]) / float(ours["seconds"])  # type: ignore[arg-type]
    # civic-scraper also downloads each agenda's "?html=true" link: count its files as its
    # documents (its own figure), and give the rate for the world's documents beside it
    peer_rate = float(peer["documents"]) / float(peer["seconds"])  # type: ignore[arg-type]
    same_rate = documents / float(peer["seconds"])  # type: ignore[arg-type]
    print(json.dumps({
        "bench": "crawl_vs_civic_scraper", "sites": SITES, "documents": documents,
        "documents_per_site": 2 * MEETINGS, "timed": "after start-up, both",
        "peer": peer["peer"], "sidedoor_documents": ours["documents"],
        "peer_files_downloaded": peer["documents"],
        "sidedoor_s": round(float(ours["seconds"]), 2),  # type: ignore[arg-type]
        "peer_s": round(float(peer["seconds"]), 2),  # type: ignore[arg-type]
        "sidedoor_docs_per_s": round(ours_rate, 2), "peer_docs_per_s": round(peer_rate, 2),
        "ratio": round(ours_rate / peer_rate, 2),
        "ratio_same_documents": round(ours_rate / same_rate, 2),
        # the crawl child's start-up, which the ratios leave out, and the ratio with it in
        "sidedoor_startup_s": round(float(ours["startup_seconds"]), 2),  # type: ignore[arg-type]
        "ratio_with_startup": round(float(ours["documents"]) / (
            float(ours["seconds"]) + float(ours["startup_seconds"])) / peer_rate, 2),  # type: ignore[arg-type]
        "sidedoor_peak_rss_mb": ours["peak_rss_mb"],
        "sidedoor_findings": ours["findings"], "sidedoor_errors": ours["errors"],
        "error_samples": ours["error_samples"], "latency_ms": [20, 50],
        "politeness": "config/settings.py (robots.txt, AutoThrottle, DOWNLOAD_DELAY 1 s, "
                      "2 per domain)", "target_ratio": 5}))


if __name__ == "__main__":
    main()
