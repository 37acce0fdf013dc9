"""Start-up of the `sidedoor` command: `--help` loads none of the heavy libraries, whose
imports cost a second, and `extract` only the findings engine's (bench/startup.py measures
the time)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys
from click.testing import CliRunner
from sidedoor.cli import main
result = CliRunner().invoke(main, ["--help"])
assert result.exit_code == 0, result.output
print(" ".join(sorted(m for m in ("scrapy", "sqlalchemy", "pydantic", "alembic", "twisted",
                                  "rich") if m in sys.modules)))
"""


def test_help_imports_no_scrapy_sqlalchemy_pydantic_or_rich():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, ""), done.stderr[-2000:]


EXTRACT_PROBE = """
import sys
from click.testing import CliRunner
from sidedoor.cli import main
result = CliRunner().invoke(main, ["extract", sys.argv[1]])
assert result.exit_code == 0, result.output
print(" ".join(sorted(m for m in ("scrapy", "sqlalchemy", "alembic", "twisted", "apscheduler")
                      if m in sys.modules)))
"""


def test_extract_imports_no_scrapy_sqlalchemy_or_scheduler(tmp_path):
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("Customs and Border Protection had access to the cameras.\n",
                       encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", EXTRACT_PROBE, str(minutes)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, ""), done.stderr[-2000:]


def test_the_cli_s_default_sources_file_is_the_config_s():
    from config.schema import SOURCES_PATH
    from sidedoor.cli import SOURCES_PATH as CLI_SOURCES_PATH

    assert CLI_SOURCES_PATH == SOURCES_PATH
