"""The generic CRUD engine: ``crud_handler(Model, options)`` and the filter operators ``op``."""

from rlib.crud.access import UNSCOPED
from rlib.crud.declare import CrudResource, crud_handler
from rlib.crud.options import CrudOptions, op

__all__ = ["UNSCOPED", "CrudOptions", "CrudResource", "crud_handler", "op"]
