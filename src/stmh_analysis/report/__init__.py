"""Briefings: Dutch formatting, escaped HTML pieces, charts, and HTML/PDF rendering."""
