"""One module per schema revision, oldest first (0001 is the schema of sidedoor 0.1)."""
