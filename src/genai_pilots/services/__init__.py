"""Use cases: the Python API behind every command. Store writes happen in one transaction each."""
