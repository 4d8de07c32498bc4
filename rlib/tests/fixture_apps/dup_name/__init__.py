from rlib import Domain

domain = Domain(name="dup_name", prefix="/dup", auth=frozenset({"public"}))
