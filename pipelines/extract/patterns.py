"""The patterns file's model, now in config/patterns.py (the config layer, so that spiders
and reports can read the one vocabulary too); kept here for the modules that import it."""

from config.patterns import PATTERNS_PATH, AgencyEntry, PatternConfig, load_patterns

__all__ = ["PATTERNS_PATH", "AgencyEntry", "PatternConfig", "load_patterns"]
