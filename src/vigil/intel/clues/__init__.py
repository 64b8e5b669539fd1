"""Clues, their entities and attachments, and who may see them (the marking rule applied to
the grants and agreements)."""
