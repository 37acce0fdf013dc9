"""The trigger words of config/patterns.yaml: the prefilter's vocabulary, and its check.

Every finding needs a party (a federal agency, another state, a nationwide network) or an
immigration reason, so every phrase naming one must hold a trigger word; otherwise the
prefilter would never send its sentence to the rules. Loading the file checks that.
"""

from __future__ import annotations

import re
from pathlib import Path

from config.patterns import PatternConfig
from config.schema import ConfigError


def trigger_words(p: PatternConfig) -> list[str]:
    """The trigger words in lower case; ``{state}`` stands for every state name, and agency
    codes such as "TX PD" are added so that a state code is seen next to a state name."""
    words: list[str] = []
    for trigger in p.triggers:
        if trigger == "{state}":
            words.extend(name.lower() for name in p.states.values())
        else:
            words.append(trigger.lower())
    return words + sorted(code_words(p))


def code_words(p: PatternConfig) -> dict[str, str]:
    """Agency codes ("tx pd", "ga sheriff's") in lower case, with the state code as it must be
    written (in capitals: "TX")."""
    suffixes = {s.lower().rstrip(".") for s in p.agency_suffixes}
    return {f"{code.lower()} {suffix}": code for code in p.states for suffix in suffixes}


def first_letters(words: list[str]) -> str:
    """A regex lookahead for the first characters of ``words`` (a cheap test at each word)."""
    chars = sorted({w[0] for w in words if w})
    return "(?=[" + "".join(re.escape(c) for c in chars) + "])"


def check_triggers(
    p: PatternConfig, trigger: re.Pattern[bytes], caps: dict[str, str], path: Path
) -> None:
    """Raise ConfigError naming each party or reason phrase that holds no trigger word."""
    sections: list[tuple[str, tuple[str, ...]]] = [
        (f"agencies.{s}.names", a.names) for s, a in p.agencies.items()
    ]
    sections += [
        ("federal_parties", p.federal_parties),
        ("out_of_state", p.out_of_state),
        ("nationwide", p.nationwide),
        ("immigration_reasons", p.immigration_reasons),
        ("immigration_reason_phrases", p.immigration_reason_phrases),
    ]
    problems = []
    for key, phrases in sections:
        for i, phrase in enumerate(phrases):
            if phrase.startswith("re:"):
                continue
            sample = phrase.replace("…", " ").replace("...", " ").replace("*", "")
            sample = sample.replace("{state}", "Texas")
            low = sample.lower().encode("ascii", "replace")
            if not any(is_trigger(sample, m, caps) for m in trigger.finditer(low)):
                problems.append(
                    f"{path}: {key}[{i}]: {phrase!r} holds no trigger word, so the engine "
                    f"would never look at it; add one of its words to 'triggers'"
                )
    if problems:
        raise ConfigError("\n".join(problems))


def is_trigger(text: str, match: re.Match[bytes], caps: dict[str, str]) -> bool:
    """False when a trigger written in capitals (ICE) is not in capitals in ``text`` (ice)."""
    form = caps.get(match.group().decode())
    return form is None or text[match.start() : match.end()] == form
