"""Outbound clients of third-party services."""
