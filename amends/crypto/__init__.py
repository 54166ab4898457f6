"""Field encryption at rest, blind indexes for searching it, and key rotation (DESIGN §4)."""
