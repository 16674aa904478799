"""chaincrm: industrial-chain maps and investment-promotion CRM for county bureaus."""

from crm.app import create_app

__all__ = ["create_app"]
