"""Ledger import (issue 16)."""
