"""config/yamlfile.py: config files read with libyaml where that is safe, and one-line errors
for files nested too deeply or full of aliases, whichever parser reads them."""

from __future__ import annotations

import pytest
import yaml

from config.errors import ConfigError
from config.patterns import PATTERNS_PATH
from config.yamlfile import MAX_FAST_NESTING, _loader, read_yaml


@pytest.mark.parametrize("text", [
    "a: " + "[" * 200_000 + "]" * 200_000,  # past libyaml's C stack: it would crash the process
    "a:\n" + "- " * 5_000 + "x\n",
], ids=["flow", "block"])
def test_a_deeply_nested_file_is_one_line_not_a_crash(tmp_path, text):
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{path}: nested too deeply"):
        read_yaml(path)


def test_an_alias_bomb_is_refused_by_the_fast_parser_too(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="values once its aliases"):
        read_yaml(path)


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_the_patterns_file_is_read_by_libyaml():
    assert "CSafeLoader" in [c.__name__ for c in _loader(PATTERNS_PATH.read_text()).__mro__]


def test_text_that_could_nest_deeper_than_the_limit_gets_the_python_parser():
    assert getattr(yaml, "CSafeLoader", None) not in _loader("[" * (MAX_FAST_NESTING + 1)).__mro__
