"""Authentication and authorization: user types, the signed-in user, the per-endpoint policy."""
