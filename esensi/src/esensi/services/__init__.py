"""Business rules per workflow. Services take a Scope, never a request context."""
