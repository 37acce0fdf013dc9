"""The configuration's exception (STYLE: each exception lives in the layer that raises it)."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration file is missing, unreadable or invalid; the message lists every problem."""
