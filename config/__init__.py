"""Configuration: sources, site and pattern files, validated in one place (schema.py)."""
