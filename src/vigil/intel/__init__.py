"""Intelligence: clues, TLP sharing, cases and link analysis, tips and rewards, and STIX 2.1
exchange, one subpackage each. Dependencies run one way: `marking` (pure) at the bottom;
`clues` on it; `sharing`, `cases` and `tips` on `clues`; `exchange` on `clues` and `cases`;
`api` assembles the routers."""
