"""reports/templates/laws.html: a fact's laws shown as "may conflict with", words quoted."""

from __future__ import annotations

from config.laws import LAWS_PATH, Law, laws_for, load_laws
from reports.site import environment

LAWS = load_laws(LAWS_PATH)


def render(macro: str, laws: list[Law] | tuple[Law, ...]) -> str:
    template = environment().from_string(
        '{% from "laws.html" import ' + macro + " %}{{ " + macro + "(laws) }}")
    return template.render(laws=laws)


def test_a_finding_shows_the_citation_the_quoted_words_the_link_and_the_caution() -> None:
    laws = laws_for("IL", federal=False, out_of_state=True, immigration=False, laws=LAWS)
    html = render("may_conflict", laws)
    assert "This may conflict with: 625 ILCS 5/2-130 (c)" in html
    assert "“shall not share ALPR information with an out-of-state law enforcement agency" in html
    assert f'href="{laws[0].url}"' in html
    assert "Not a legal conclusion" in html
    assert "5/2-130 (b)" not in html  # the clause the fact did not match is left out


def test_each_matched_clause_and_law_gets_its_own_line() -> None:
    laws = laws_for("IL", federal=True, out_of_state=True, immigration=True, laws=LAWS)
    assert render("may_conflict", laws).count("This may conflict with:") == 3


def test_a_definition_the_clause_depends_on_is_quoted_too() -> None:
    laws = laws_for("CA", federal=True, out_of_state=False, immigration=False, laws=LAWS)
    html = render("may_conflict", laws)
    assert "Cal. Civ. Code § 1798.90.5(f) says: “&#34;Public agency&#34; means the state" in html


def test_no_laws_show_nothing() -> None:
    assert render("may_conflict", []).strip() == ""


def test_the_list_names_every_law_with_its_words_and_our_reading_apart() -> None:
    html = render("law_list", LAWS)
    for law in LAWS:
        assert law.citation in html
    assert html.count("“") >= sum(len(law.clauses) for law in LAWS)
    assert "How we match it:" in html
    assert "In effect since 2024-01-01." in html


def test_quoted_words_are_escaped() -> None:
    law = LAWS[2].model_copy(update={"clauses": (
        LAWS[2].clauses[0].model_copy(update={"words": "<script>x</script>"}),)})
    assert "<script>" not in render("may_conflict", [law])
