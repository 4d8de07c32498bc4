"""The fan-out bus between app processes: one interface, three backends (see ``base``)."""
