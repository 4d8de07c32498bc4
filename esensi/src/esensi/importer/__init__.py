"""``esensi import-original``: move an original esensi database onto this backend (issue 20).

The source is read only; every source row ends either imported or in the report with its
reason (:mod:`esensi.importer.report`). Rows keep the original's ids, and every insert skips
rows already there, so a second run adds nothing and an interrupted run simply continues.
"""
