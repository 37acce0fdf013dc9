"""Read a configuration file's YAML, with one-line errors and no alias bombs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from config.errors import ConfigError


def read_yaml(path: Path) -> Any:  # Any: YAML may hold anything until validated
    """A config file's YAML; ConfigError naming the file if it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}: line {line}: not UTF-8 text (byte "
                          f"0x{exc.object[exc.start]:02x}); save the file as UTF-8") from None
    try:
        return yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader, see below
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a sidedoor config file") from None


class _ConfigLoader(yaml.SafeLoader):
    """YAML whose aliases stay small: a few nested aliases can stand for billions of values
    (an "alias bomb"), so a file whose values, aliases expanded, pass MAX_CONFIG_VALUES is
    refused before anything expands them."""

    def compose_document(self) -> Any:  # Any: PyYAML's untyped API
        node = super().compose_document()
        if node is not None and _expanded_size(node, {}) > MAX_CONFIG_VALUES:
            raise yaml.YAMLError(f"more than {MAX_CONFIG_VALUES:,} values once its aliases "
                                 "(*name) are expanded; write the values out instead")
        return node


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
