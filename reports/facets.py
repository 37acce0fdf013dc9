"""Facets: the places, agencies and categories findings are grouped, paged and fed by."""

from __future__ import annotations

from dataclasses import dataclass

from config.vocabulary import vocabulary
from reports.links import slugify

CATEGORY_LABELS = {
    "federal_access": "Federal access",
    "out_of_state_sharing": "Out-of-state sharing",
    "immigration_search": "Immigration-related searches",
    "sharing_agreement": "Sharing agreements",
}
CATEGORY_SINGULAR = {
    "federal_access": "Federal access",
    "out_of_state_sharing": "Out-of-state sharing",
    "immigration_search": "Immigration-related search",
    "sharing_agreement": "Sharing agreement",
}
CATEGORY_MEANINGS = {
    "federal_access": "A federal agency obtained, was given, used or searched local or state "
                      "data or systems: directly, through a vendor pilot, a task-force officer "
                      "or a network.",
    "out_of_state_sharing": "Data shared with, or searchable by, agencies of other states.",
    "immigration_search": "Searches logged with immigration-related reasons (ICE, ERO, HSI, "
                          "\u201cimmigration\u201d, \u201cICE WARRANT\u201d and the like).",
    "sharing_agreement": "An agreement or act that establishes access: an MOU or MOA, a 287(g) "
                         "agreement, a LEADS agreement, a data-broker contract, a National "
                         "Lookup opt-in, an accepted sharing request.",
}

@dataclass(frozen=True)
class Facet:
    """A place, an agency or a category: something findings are grouped and fed by."""

    kind: str  # "places" | "agencies" | "categories": also the URL folder
    slug: str
    label: str
    full_name: str = ""  # an agency's name in full (config/patterns.yaml), when it has one

    @property
    def key(self) -> str:
        """A category's name in the store, e.g. ``federal_access``."""
        return self.slug.replace("-", "_")

    @property
    def path(self) -> str:
        return f"{self.kind}/{self.slug}/"

    @property
    def feed(self) -> str:
        return f"feeds/{self.kind}/{self.slug}.xml"

    @property
    def atom(self) -> str:
        return f"feeds/{self.kind}/{self.slug}.atom.xml"

    @property
    def csv(self) -> str:
        """This facet's findings as a spreadsheet (reports/opendata.py)."""
        return f"data/{self.kind}/{self.slug}.csv"

    @property
    def subscribe(self) -> str:
        """The page that explains this facet's feeds and gives their addresses."""
        return f"subscribe/{self.kind}/{self.slug}/"

    @property
    def long_label(self) -> str:
        """``HSI (Homeland Security Investigations)``, or the label alone."""
        return f"{self.label} ({self.full_name})" if self.full_name else self.label


def place_facet(place: str, state: str) -> Facet:
    """The facet of a place; a state-wide source's place is the state itself."""
    statewide = vocabulary().is_state(place, state)
    label = f"{place}, {state}" if state and not statewide else place
    return Facet("places", slugify(label), label)


def category_facet(category: str) -> Facet:
    return Facet("categories", slugify(category), CATEGORY_LABELS.get(category, category))
