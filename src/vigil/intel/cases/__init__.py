"""Cases of one agency, correlation across them, and link analysis of their entities."""
