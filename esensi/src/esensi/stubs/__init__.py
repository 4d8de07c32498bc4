"""Local stand-ins of third-party services (tests and the demo)."""
