"""Bases shared by several platform spiders (spiders/<platform>.py); not platforms themselves."""
