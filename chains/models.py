"""Chain domain models (filled in by the chain-map issue)."""
