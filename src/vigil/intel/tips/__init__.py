"""Public tips and their receipts, the rewards ledger, and community volunteers."""
