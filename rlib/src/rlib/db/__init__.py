"""Database edge: base, column types, engines, the request transaction, error mapping."""
