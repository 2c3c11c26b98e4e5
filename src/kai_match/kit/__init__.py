"""Shared building blocks without HTTP and without a domain: pages, versions, child rows."""
