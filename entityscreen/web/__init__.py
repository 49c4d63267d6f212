"""The analyst web UI (``/ui``): pages, their templates, charts and static images."""
