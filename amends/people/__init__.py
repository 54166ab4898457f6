"""People: the participants of cases and how (and whether) they may be contacted."""
