"""Sharing clues: agency agreements, shares within the marking, and requests for more."""
