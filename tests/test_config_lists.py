"""Source lists: a platform plus a CSV of sources, validated like single sources, and run
with `sidedoor crawl --list ID --limit N` against a local replay of real portal pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.schema import SOURCES_PATH, ConfigError, load_sources
from tests.conftest import ROOT
from tests.local_sites import Quiet, serve

LIST = {"name": "Test portals", "platform": "flock_portal", "kind": "portal",
        "csv": "portals.csv", "schedule": "every 7 days"}


def write(folder: Path, rows: list[str], **changes: object) -> Path:
    (folder / "portals.csv").write_text("id,name,place,state,url\n" + "\n".join(rows) + "\n",
                                        encoding="utf-8")
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump({"lists": {"test_portals": {**LIST, **changes}}}),
                    encoding="utf-8")
    return path


def test_the_shipped_lists_hold_every_illinois_portal_and_the_national_list():
    sources = load_sources(SOURCES_PATH)
    illinois = [s for s in sources.values() if s.list_id == "il_flock_portals"]
    national = [s for s in sources.values() if s.list_id == "us_flock_portals"]
    assert len(illinois) >= 465 and all(s.state == "IL" and s.enabled for s in illinois)
    assert len(national) > 5000 and not any(s.enabled or s.state == "IL" for s in national)
    assert not any(s.verified for s in illinois + national)


def test_a_list_row_is_a_source_with_the_lists_settings(tmp_path):
    path = write(tmp_path, ["flock_addison_il_pd,Addison IL PD,Addison,IL,"
                            "https://transparency.flocksafety.com/addison-il-pd"])
    source = load_sources(path)["flock_addison_il_pd"]
    assert (source.platform, source.place, source.state, source.schedule, source.list_id,
            source.verified) == ("flock_portal", "Addison", "IL", "every 7 days",
                                 "test_portals", False)


def test_a_bad_row_names_the_csv_line_and_field(tmp_path):
    path = write(tmp_path, ["flock_a_pd,A PD,A,Illinois,https://x.example/a"])
    with pytest.raises(ConfigError, match=r"portals.csv: line 2 \(flock_a_pd\).state"):
        load_sources(path)


def test_a_row_without_a_state_is_left_out_with_a_warning(tmp_path, caplog):
    path = write(tmp_path, ["flock_988,988,988,,https://x.example/988",
                            "flock_a_il_pd,A IL PD,A,IL,https://x.example/a"])
    assert list(load_sources(path)) == ["flock_a_il_pd"]
    assert "1 rows of list test_portals have no state and are left out (lines 2)" in caplog.text


def test_a_list_filters_its_rows_by_state(tmp_path):
    rows = ["flock_a_il_pd,A IL PD,A,IL,https://x.example/a",
            "flock_b_wi_pd,B WI PD,B,WI,https://x.example/b"]
    assert list(load_sources(write(tmp_path, rows, states=["WI"]))) == ["flock_b_wi_pd"]
    assert list(load_sources(write(tmp_path, rows, exclude_states=["WI"]))) == ["flock_a_il_pd"]


PAGES = ROOT.parent / "shared" / "corpus" / "flock_portals" / "real_pages"


class Replay(Quiet):
    """Real portal pages, saved weekly, served as if from the vendor's site."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        page = PAGES / f"{self.path.strip('/')}.html"
        body = page.read_bytes() if page.is_file() and "/" not in self.path.strip("/") else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)



def test_crawl_list_limit_runs_that_many_of_the_lists_portals(tmp_path, corpus):
    # one host, so the per-host delay paces the crawl: a handful of portals is enough
    pages = sorted(p.stem for p in PAGES.glob("*.html"))[::7][:9]
    server = serve(Replay)
    base = f"http://127.0.0.1:{server.server_port}"
    rows = [f"flock_{n:02d}_{p.replace('-', '_')},{p},{p},CA,{base}/{p}"
            for n, p in enumerate(pages)]
    path = write(tmp_path, rows)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "sidedoor.cli", "crawl", "--list", "test_portals",
             "--limit", "6", "--json", "--sources", str(path)], cwd=ROOT,
            capture_output=True, text=True, timeout=600,
            env={**os.environ, "SIDEDOOR_DATA_DIR": str(tmp_path / "data")})
    finally:
        server.shutdown()
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert (summary["sources"], summary["documents_fetched"], summary["errors"]) == (6, 6, 0), \
        done.stdout[-3000:]
