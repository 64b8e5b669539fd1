"""Parsers from NVR and device event formats into the generic video event. Pure: no I/O."""
