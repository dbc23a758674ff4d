"""The warehouse: how to reach it, its schemas, and how rows get in."""
