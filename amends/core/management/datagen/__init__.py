"""The phases of `manage.py generate_data`: realistic, deterministic data at scale (issue 6).

One module per area: `sizes` (how much), `names` (people's names and note text),
`writer` (bulk inserts that keep historical timestamps and encrypt like the app),
`setup` (organisations, programmes, users), `cases` (referrals to closure, with the
process records) and `audit` (the hash-chained log, written in time order at the end).
"""
