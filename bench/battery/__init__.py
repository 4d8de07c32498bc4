"""``make battery``: the reliability and security battery at its report size (issue 19)."""
