"""The public API and the command line."""
