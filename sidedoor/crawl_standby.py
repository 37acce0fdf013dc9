"""A crawl child started before its job: ``python -m sidedoor.crawl_standby FD``.

Starting a crawl child costs two to three seconds (Python, Scrapy, Twisted, the store, every
pipeline and middleware imported, the findings engine built), which dominates a re-crawl
where little changed. So sidedoor/standby.py starts the next crawl's child while the current
one runs: it imports everything, installs the reactor, says ``r`` on the socket ``FD`` once
warm and waits there for its job. The job comes as one message, the job file's path, with
the descriptors of the run's log file (which becomes the child's stdout and stderr) and of
the sources' locks (held while the child has them open, as with ``pass_fds``). Then it
runs the job exactly as ``python -m sidedoor.crawl`` does, once, and exits. An empty
message or a closed socket (its parent is gone) ends it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys

from scrapy.settings import Settings
from scrapy.settings import default_settings as scrapy_defaults
from scrapy.utils.misc import load_object
from scrapy.utils.reactor import install_reactor

from config import settings as default_settings
from config.errors import ConfigError
from config.places import load_places
from config.schema import load_site
from config.vocabulary import vocabulary
from pipelines.extract.lexicon import get_lexicon
from pipelines.worker import ReaderUnavailable, prestart
from sidedoor import crawl
from sidedoor.standby import READY
from sidedoor.store import Store, StoreError

MAX_FDS = 1024  # a log file and one lock per source of a batch (runner.BATCH)


def warm_up(db_url: str = "") -> None:
    """Install the reactor the crawl will use, import every component it will load (Scrapy's
    own too: its remote-control extension, even disabled, imports aiohttp, half a second),
    open the store at ``db_url`` (the one the next job most likely names), start reading
    workers and build what the first new document needs (the findings engine's lexicon, the
    vocabulary, the places), so a re-crawl that finds one new document does not pay for it."""
    install_reactor(default_settings.TWISTED_REACTOR)
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    for name in ("ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES",
                 "EXTENSIONS"):
        for path in settings.getwithbase(name):
            load_object(path)
    # plain HTTP (a crawler without a browser) and the scheduler's queues
    load_object(scrapy_defaults.DOWNLOAD_HANDLERS_BASE["http"])
    load_object(scrapy_defaults.SCHEDULER)
    load_object(scrapy_defaults.SCHEDULER_PRIORITY_QUEUE)
    try:  # the job says what is wrong with any of these
        if db_url:
            Store.open(db_url)
        limits = load_site().limits
        prestart(limits.memory_mb, limits.workers)
        get_lexicon()
        vocabulary()
        load_places()
    except (ConfigError, ReaderUnavailable, StoreError):
        pass


def wait_for_job(conn: socket.socket) -> str | None:
    """The job file's path, with stdout and stderr sent to its log; None: no job."""
    try:
        message, fds, _flags, _address = socket.recv_fds(conn, 4096, MAX_FDS)
    except OSError:
        return None
    if not message or not fds:
        for fd in fds:
            os.close(fd)
        return None
    log, *_locks = fds  # the locks stay open until this process exits
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    return message.decode()


def main(fd: int, db_url: str = "") -> int:
    conn = socket.socket(fileno=fd)
    warm_up(db_url)
    with contextlib.suppress(OSError):  # a parent gone is wait_for_job's to see
        conn.sendall(READY)  # warm (Standby.wait_ready)
    job = wait_for_job(conn)
    conn.close()
    if job is None:
        return 0
    code = crawl.main(job)
    # Everything is stored and the workers are stopped: skip the interpreter's slow teardown.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    # the store's URL comes in the environment: a password never shows in the process list
    sys.exit(main(int(sys.argv[1]), os.environ.pop("SIDEDOOR_STANDBY_DB_URL", "")))
