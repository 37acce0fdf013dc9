"""Tests of pipelines/worker.py: the reading processes, their wall-time and memory limits."""

from __future__ import annotations

import zlib

import pytest

from config.limits import Limits
from pipelines.sections import LimitExceeded, TextError
from pipelines.worker import ReadingPool

URL = "https://town.example.gov/records/release-9"


@pytest.fixture
def pool():
    pools = []

    def make(**limits):
        pools.append(ReadingPool(Limits(**limits)))
        return pools[-1]

    yield make
    for made in pools:
        made.close()


def test_worker_reads_a_document(pool):
    text = pool().read(b"<h1>Minutes</h1><p>HSI asked for access.</p>", "text/html", URL)
    assert text.text == "Minutes\nHSI asked for access."


def test_worker_passes_on_a_text_error_with_its_message(pool):
    with pytest.raises(TextError, match=rf"^{URL}: not a readable PDF"):
        pool().read(b"%PDF-1.7 damaged", "application/pdf", URL)


def test_a_read_past_the_wall_time_is_killed_and_called_too_slow(pool):
    slow = b"<div>" * 100_000 + b"x" + b"</div>" * 100_000  # about a second to parse
    with pytest.raises(LimitExceeded, match=rf"^{URL}: too slow: seconds to read it \(at least\) "
                                            r"0\.2 is over the limit of 0\.2 \(raise "
                                            r"limits\.wall_seconds"):
        pool(wall_seconds=0.2, nesting=900).read(slow, "text/html", URL)


def test_the_pool_reads_on_after_a_worker_was_killed(pool):
    reader = pool(wall_seconds=0.2, nesting=900)
    with pytest.raises(LimitExceeded):
        reader.read(b"<div>" * 100_000 + b"</div>" * 100_000, "text/html", URL)
    assert reader.read(b"Minutes.", "text/plain", URL).text == "Minutes."


def pdf_with_stream(inflated_mb: int) -> bytes:
    packer = zlib.compressobj(1)
    packed = b"".join([packer.compress(b" " * 1024 * 1024) for _ in range(inflated_mb)]
                      + [packer.flush()])
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
               + b"\nendstream"]
    body, offsets = b"%PDF-1.7\n", []
    for number, data in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + data + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_a_read_past_the_memory_limit_is_called_too_large(pool):
    with pytest.raises(LimitExceeded, match=rf"^{URL}: too large: .*memory limit of 200 MB "
                                            r"\(raise limits\.memory_mb"):
        pool(memory_mb=200).read(pdf_with_stream(320), "application/pdf", URL)


def test_a_bug_while_reading_becomes_this_document_s_error(pool, caplog):
    with pytest.raises(TextError, match=rf"^{URL}: could not read the text: AttributeError: .* "
                                        r"\(a bug in sidedoor: please report it with the file\)"):
        pool().read(b"Minutes.", None, URL)  # None: a content type no caller should send
    assert "Traceback" in caplog.records[-1].getMessage()


def test_a_worker_that_cannot_start_leaves_the_pool_usable(pool, monkeypatch):
    from pipelines import worker

    reader = pool()
    real = worker._Worker
    monkeypatch.setattr(worker, "_Worker", lambda memory_mb: (_ for _ in ()).throw(
        worker.ReaderUnavailable("a reading process did not start")))
    with pytest.raises(worker.ReaderUnavailable):
        reader.read(b"Minutes.", "text/plain", URL)
    monkeypatch.setattr(worker, "_Worker", real)
    assert reader.read(b"Minutes.", "text/plain", URL).text == "Minutes."


def test_a_pool_takes_a_prestarted_worker_with_its_memory_limit(pool):
    from pipelines import worker

    worker.prestart(321, 1)
    ready = worker._ready[321][-1]  # noqa: SLF001  # the prestarted process this is about
    other = pool(memory_mb=400)
    other.start()
    assert worker._ready[321] == [ready]  # noqa: SLF001  # another limit starts its own
    taker = pool(memory_mb=321)
    taker.start()
    assert worker._ready[321] == []  # noqa: SLF001
    assert taker.read(b"<p>Minutes</p>", "text/html", URL).text == "Minutes"
    taken = taker.idle.get()
    assert taken is ready
    taker.idle.put(taken)


def test_a_prestarted_worker_that_died_is_not_taken(pool):
    from pipelines import worker

    worker.prestart(322, 1)
    dead = worker._ready[322][-1]  # noqa: SLF001
    dead.process.kill()
    dead.process.wait()
    fresh = pool(memory_mb=322)
    assert fresh.read(b"<p>Minutes</p>", "text/html", URL).text == "Minutes"
    taken = fresh.idle.get()
    assert taken is not None and taken is not dead
    fresh.idle.put(taken)
