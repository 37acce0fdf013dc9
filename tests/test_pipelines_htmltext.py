"""Tests of pipelines/htmltext.py's article mode: a news page is read without its furniture.

(The page walker itself is tested in tests/test_pipelines_text.py.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from scrapy.utils.test import get_crawler

from config.schema import parse_sources
from pipelines.reader import read_document
from pipelines.text import TextPipeline
from spiders.batch import BatchSpider
from spiders.items import DocumentItem

URL = "https://herald.example.com/news/2024/03/04/village-plate-data"
STORY = [
    "The Village of Ridgemoor police department shared its automated license plate reader "
    "data with Immigration and Customs Enforcement for six months, according to records "
    "obtained by the Herald.",
    "The vendor's national lookup let agencies in other states search the village's cameras. "
    "The chief said he turned the setting off in June after residents complained.",
    "Trustees will review the contract at their April meeting, the village clerk said.",
]
COMMENTS = ["Sounds like the FBI and ICE already have all our data anyway.",
            "I heard the county shared with Texas too."]


def news_page(marked: bool = True) -> bytes:
    meta = '<meta property="og:type" content="article">' if marked else ""
    return f"""<!doctype html><html><head><title>Village shared plate data with ICE</title>
{meta}</head><body>
<div class="topbar"><a href="/">Home</a> | <a href="/news">News</a></div>
<div class="promo">Add the Herald as your preferred source on Google</div>
<div class="story"><h1>Village shared plate data with ICE</h1>
<p>{STORY[0]}</p><h2>How the lookup worked</h2><p>{STORY[1]}</p><p>{STORY[2]}</p></div>
<div id="comments"><h3>12 comments</h3>
{"".join(f'<div class="comment"><p>{c}</p></div>' for c in COMMENTS)}</div>
<div class="related"><a href="/x">ICE raids in Chicago: what we know</a></div>
</body></html>""".encode()


def body_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith(("The ", "Trustees"))]


def test_an_article_is_read_without_its_comments():
    text = read_document(news_page(), "text/html", URL).text
    assert [c for c in COMMENTS if c in text] == []


def test_an_article_keeps_every_paragraph_of_its_story():
    assert body_lines(read_document(news_page(), "text/html", URL).text) == STORY


def test_an_article_keeps_its_headings_as_sections():
    page = read_document(news_page(), "text/html", URL)
    assert [s.label for s in page.sections] == ['section "Village shared plate data with ICE"',
                                                'section "How the lookup worked"']


def test_an_unmarked_page_is_read_whole():
    text = read_document(news_page(marked=False), "text/html", URL).text
    assert [c for c in COMMENTS if c in text] == COMMENTS


def test_an_unmarked_page_of_a_news_source_is_read_as_an_article():
    text = read_document(news_page(marked=False), "text/html", URL, article=True).text
    assert [c for c in COMMENTS if c in text] == []


def test_the_pipeline_reads_pages_of_news_sources_as_articles():
    entry = {"name": "Herald", "place": "Ridgemoor", "kind": "news", "platform": "document_index",
             "start_urls": [URL], "documents": ["news"]}
    crawler = get_crawler()
    crawler.spider = BatchSpider(list(parse_sources(
        {"sources": {"ridgemoor_herald": entry}}, Path("t")).values()))
    item = DocumentItem(source_id="ridgemoor_herald", url=URL, body=news_page(marked=False),
                        content_type="text/html", fetched_at=datetime(2024, 3, 4, tzinfo=UTC))
    pipeline = TextPipeline.from_crawler(crawler)
    try:
        text = pipeline.read(item).text
    finally:
        pipeline.close_spider()
    assert [c for c in COMMENTS if c in text] == []
