"""Case pages, thin over `cases.services` and `cases.selectors`: the list and search
(`listing`), the case page and its moves (`case`), and the participants' pages
(`participants`)."""
