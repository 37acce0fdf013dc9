"""Property tests of the text readers: any text or markup reads without error, and every
section lies inside the text, in order."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.decode import decode_text, plain_text
from pipelines.htmltext import html_text
from pipelines.reader import read_document
from pipelines.sections import ExtractedText, TextError
from pipelines.sniff import FORMATS, sniff
from pipelines.tabletext import csv_rows, table_text

URL = "https://town.example.gov/fuzz"
PROPERTIES = settings(deadline=None, database=None,  # examples: from the loaded profile
                      suppress_health_check=[HealthCheck.too_slow])

TAGS = ["p", "div", "h1", "h2", "h3", "table", "tr", "td", "th", "br", "pre", "nav", "header",
        "footer", "main", "article", "form", "script", "style", "ul", "li", "span", "a", "b"]
ATTRIBUTES = ["", ' hidden', ' style="display: none"', ' role="navigation"', ' class="x"']
WORDS = st.sampled_from(["ICE", "HSI", "shared", "data", "with", "the", "board", "&amp;",
                         "<!-- c -->", "\n", " ", "\t", "Peña", "“q”", "\x00", "\ufffd"])


@st.composite
def markup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRIBUTES))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(WORDS))
    return "".join(parts)


def assert_well_formed(page: ExtractedText) -> None:
    end = 0
    for section in page.sections:
        assert end <= section.start <= section.end <= len(page.text)
        end = section.end


@PROPERTIES
@given(markup())
def test_any_markup_reads_with_sections_inside_the_text(html):
    assert_well_formed(html_text(html, URL))


@PROPERTIES
@given(st.text())
def test_any_text_reads_as_html(text):
    assert_well_formed(html_text(text, URL))


@PROPERTIES
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_plain_text_keeps_its_words_in_page_sections(text):
    page = plain_text(text)
    assert_well_formed(page)
    assert page.text.split() == text.replace("\f", " ").split()


@PROPERTIES
@given(st.lists(st.lists(st.text(max_size=12), max_size=5), max_size=12),
       st.sampled_from([",", ";", "\t", "|"]))
def test_any_table_reads_with_sections_inside_the_text(rows, delimiter):
    text = "\n".join(delimiter.join(cell.replace("\r", " ") for cell in row) for row in rows)
    try:
        page = table_text([("", csv_rows(text, URL))], URL)
    except TextError:
        return  # a CSV the csv module refuses is reported, never raised as anything else
    assert_well_formed(page)


@PROPERTIES
@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "latin-1", "bogus-charset"]))
def test_any_bytes_decode(body, charset):
    assert isinstance(decode_text(body, charset), str)


@PROPERTIES
@given(st.binary(max_size=2000), st.sampled_from(["", *FORMATS.values(), "application/hta"]))
def test_any_bytes_sniff_to_a_known_format(body, content_type):
    assert sniff(body, content_type) in FORMATS


@PROPERTIES
@given(st.one_of(st.binary(max_size=3000),
                 st.binary(max_size=3000).map(lambda b: b"%PDF-1.7\n" + b),
                 st.binary(max_size=3000).map(lambda b: b"PK\x03\x04" + b),
                 st.binary(max_size=3000).map(lambda b: b"{\\rtf1 " + b),
                 st.binary(max_size=3000).map(lambda b: b"From: a@b\nTo: c\nSubject: x\n\n" + b)),
       st.sampled_from(["", "text/html", "text/csv", "application/pdf", "text/plain"]))
def test_any_bytes_read_or_fail_with_a_text_error(body, content_type):
    try:
        page = read_document(body, content_type, URL)
    except TextError as error:
        assert str(error).startswith(URL)
        assert "\n" not in str(error)
        return
    assert_well_formed(page)
