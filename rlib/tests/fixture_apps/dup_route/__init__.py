from rlib import Domain

domain = Domain(name="dup_route", prefix="/dup", auth=frozenset({"public"}))
