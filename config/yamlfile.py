"""Read a configuration file's YAML, with one-line errors and no alias bombs.

Every config file (sources, site, patterns, reviews, places) is read here, with libyaml's
parser when PyYAML has it: it reads config/patterns.yaml in 9 ms rather than 120, and every
`sidedoor extract` reads that file before its first finding.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from config.errors import ConfigError


def read_yaml(path: Path, *, what: str = "the file", hint: str = "") -> Any:  # Any: YAML
    """A config file's YAML; ConfigError naming the file if it cannot be read or parsed.

    ``what`` names the file in a read error (``the patterns file``); ``hint`` follows "not
    valid YAML" (`` (quote phrases holding : or #)``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}: line {line}: not UTF-8 text (byte "
                          f"0x{exc.object[exc.start]:02x}); save the file as UTF-8") from None
    try:
        return yaml.load(text, Loader=_loader(text))  # noqa: S506 - a SafeLoader, see below
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML{hint}: {exc}") from exc
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a sidedoor config file") from None


class _SmallAliases:
    """YAML whose aliases stay small: a few nested aliases can stand for billions of values
    (an "alias bomb"), so a file whose values, aliases expanded, pass MAX_CONFIG_VALUES is
    refused before anything expands them."""

    def get_single_node(self) -> Any:  # Any: PyYAML's untyped API
        node = super().get_single_node()  # type: ignore[misc]  # the loader's, mixed in below
        if node is not None and _expanded_size(node, {}) > MAX_CONFIG_VALUES:
            raise yaml.YAMLError(f"more than {MAX_CONFIG_VALUES:,} values once its aliases "
                                 "(*name) are expanded; write the values out instead")
        return node


class _ConfigLoader(_SmallAliases, yaml.SafeLoader):
    """The pure-Python safe loader: nested too deeply, it raises RecursionError."""


# libyaml's safe loader when PyYAML was built with it; Any: chosen at import time
_LibyamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastConfigLoader(_SmallAliases, _LibyamlLoader):
    """libyaml's safe loader, whose C recursion would crash, not raise, past some ten
    thousand levels of nesting; only text that cannot nest that deep is given to it."""


# Nesting takes a [ or { each, or an indicator or a space at the start of a line each.
MAX_FAST_NESTING = 4096
_DEEP_BLOCK = re.compile(rf"^[ \t?:-]{{{MAX_FAST_NESTING}}}", re.M)


def _loader(text: str) -> type[yaml.SafeLoader]:
    if text.count("[") + text.count("{") > MAX_FAST_NESTING or _DEEP_BLOCK.search(text):
        return _ConfigLoader
    return _FastConfigLoader


MAX_CONFIG_VALUES = 1_000_000


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for with every alias expanded, without expanding
    them: an alias is the same node object, so its size is computed once."""
    if id(node) not in sizes:
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(_expanded_size(child, sizes) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(_expanded_size(key, sizes) + _expanded_size(value, sizes)
                        for key, value in node.value)
        sizes[id(node)] = size
    return sizes[id(node)]
