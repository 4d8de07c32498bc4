"""gen: the OpenAPI document, the TypeScript registry and client, and the ``/docs`` pages.

Everything is derived from the frozen registry, so an endpoint added to any domain shows up in
every output after one ``gen`` run; ``--check`` fails when the committed files are stale.
"""
