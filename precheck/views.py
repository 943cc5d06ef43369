"""Views: filled in by this issue."""
