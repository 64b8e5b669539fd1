"""The catalogue of explosive precursors and the plain transaction rules about them: a
registry that intake (refusal at filing) and screening (reportable transactions) share."""
